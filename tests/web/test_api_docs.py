"""``/docs`` works offline: Swagger UI comes from this server (``node_modules``), never a CDN.

Every page the app serves for its API documentation is fetched; each script, style sheet
and icon it names must be a path on this server that answers 200. Without the npm package
the page answers with the install notice and the OpenAPI document's address. That Swagger UI
really draws the operations in a browser: ``test_e2e.py::test_api_docs_render_offline``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from airlift.web import api_docs, pages
from airlift.web.app import create_app
from airlift.web.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DOC_PAGES = ("/docs",)
"""Every API documentation page the app serves (no ReDoc: see web/api_docs.py)."""


@pytest.fixture
def client(tmp_path: Path, data_dir: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'docs.sqlite'}"), run_workers=False)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def swagger_installed() -> None:
    if not api_docs.swagger_ok():
        if os.environ.get("CI") == "true":
            pytest.fail(f"swagger-ui-dist missing under {pages.NODE_MODULES}: make install")
        pytest.skip(f"swagger-ui-dist not installed under {pages.NODE_MODULES} (npm ci)")


class _Assets(HTMLParser):
    """The URLs a page makes the browser fetch: script src, link href, img src."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href", "img": "src"}.get(tag)
        self.urls += [v for k, v in attrs if k == wanted and v]


def _assets(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


@pytest.mark.usefixtures("swagger_installed")
@pytest.mark.parametrize("path", DOC_PAGES)
def test_doc_pages_load_every_asset_from_this_server(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    assert not re.findall(r"https?://", html), "an absolute URL in the page: a CDN?"
    urls = _assets(html)
    assert {f"/vendor/{api_docs.SWAGGER_JS}", f"/vendor/{api_docs.SWAGGER_CSS}"} <= set(urls)
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert int(asset.headers["content-length"]) > 0, url
    # The page points Swagger UI at the app's own OpenAPI document, which lists the API.
    assert "url: '/openapi.json'" in html
    assert "/api/plan" in client.get("/openapi.json").json()["paths"]


@pytest.mark.usefixtures("swagger_installed")
def test_swagger_ui_sends_nothing_to_the_online_validator(client: TestClient) -> None:
    assert '"validatorUrl": null' in client.get("/docs").text


def test_without_swagger_ui_the_page_says_how_to_install_it(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "NODE_MODULES", tmp_path / "no-node-modules")
    response = client.get("/docs")
    assert response.status_code == 200
    assert api_docs.DOCS_NOTICE in response.text
    assert "href='/openapi.json'" in response.text
    assert _assets(response.text) == []
    assert not re.findall(r"https?://", response.text)


def test_swagger_ui_is_pinned_in_package_json_and_its_lock() -> None:
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    version = package["dependencies"]["swagger-ui-dist"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"not an exact version: {version}"
    assert lock["packages"]["node_modules/swagger-ui-dist"]["version"] == version
    assert lock["packages"][""]["dependencies"]["swagger-ui-dist"] == version
    # Its dependency @scarf/scarf would report every install over the network.
    assert package["scarfSettings"] == {"enabled": False}
