"""The API's interactive documentation at ``/docs``: Swagger UI served by the app itself.

FastAPI's own ``/docs`` page loads Swagger UI from a CDN, so a planning cell without internet
saw a blank page. Here its script, style sheet and icon come from the repository's
``node_modules`` (npm package ``swagger-ui-dist``, pinned in package.json) under ``/vendor/``,
like the map's assets (:mod:`airlift.web.pages`). Without them the page says how to install
them and links the OpenAPI document, which needs nothing.

Swagger UI's online validator badge is switched off: it would send the spec's URL to
validator.swagger.io from every browser that opens the page.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from airlift.web import pages

router = APIRouter(include_in_schema=False)

SWAGGER_JS = "swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = "swagger-ui/swagger-ui.css"
SWAGGER_ICON = "swagger-ui/favicon-32x32.png"
"""Paths under /vendor/ (entries of :data:`airlift.web.pages.VENDOR_FILES`)."""

DOCS_NOTICE = "API documentation assets (Swagger UI) are not installed: run make install (npm ci)"

SWAGGER_PARAMETERS = {"validatorUrl": None}
"""Swagger UI options on top of FastAPI's defaults (no online validator: see above)."""


def swagger_ok() -> bool:
    """True when the npm-installed Swagger UI files are present."""
    files = (pages.VENDOR_FILES[name] for name in (SWAGGER_JS, SWAGGER_CSS))
    return all((pages.NODE_MODULES / f).is_file() for f in files)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on the app's OpenAPI document, every asset from this server."""
    openapi_url = request.app.openapi_url or "/openapi.json"
    title = f"{request.app.title} API"
    if not swagger_ok():
        return HTMLResponse(_notice_page(title, openapi_url))
    return get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url=f"/vendor/{SWAGGER_JS}",
        swagger_css_url=f"/vendor/{SWAGGER_CSS}",
        swagger_favicon_url=f"/vendor/{SWAGGER_ICON}",
        swagger_ui_parameters=SWAGGER_PARAMETERS,
    )


def _notice_page(title: str, openapi_url: str) -> str:
    url = escape(openapi_url, quote=True)
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title></head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n<p role='alert'>{escape(DOCS_NOTICE)}.</p>\n"
        f"<p>The OpenAPI document is at <a href='{url}'>{url}</a>.</p>\n</body>\n</html>\n"
    )
