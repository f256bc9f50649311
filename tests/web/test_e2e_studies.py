"""The Studies page in Chromium: a planner first sends a study with a misspelt key (refused,
naming it; nothing stored), then launches a tiny study (4 runs) uploaded into the editor, sees
it running, its progress bar fill and the study end done with its summary, and opens its
report. Runs its own server (studies serially in the server: ``AIRLIFT_STUDY_WORKERS=0``).
Screenshots:
``/tmp/studyweb-{page,refused,running,done,report}.png``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_e2e import PASSWORD, USERNAME, Server, browser_page, serve
from test_e2e import pytestmark as pytestmark
from test_e2e_board import _login

SHOTS = Path("/tmp")
TINY = """\
name = "tiny-web"
[base]
time_limit_s = 2
iterations = 50
[design]
kind = "full-factorial"
replications = 1
[[factor]]
name = "fleet"
kind = "fleet_size"
levels = [4, 5, 6, 8]
"""
"""4 runs of 50 iterations, one after another in the server: a few seconds, long enough for
the page's 2 s poll to show the study running."""


@pytest.fixture(scope="module")
def study_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tmp_path_factory.mktemp("e2e-studies"), AIRLIFT_STUDY_WORKERS="0") as running:
        yield running


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"studyweb-{name}.png"), full_page=True)


def test_a_planner_launches_a_study_and_opens_its_report(
    study_server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base = study_server.url
    with browser_page(study_server, "studies") as page:
        _login(page, base, USERNAME, PASSWORD, f"{base}/studies")
        expect(page.get_by_role("link", name="Studies")).to_have_attribute("aria-current", "page")
        editor = page.get_by_label("Study TOML")
        assert 'name = "demo"' in editor.input_value()  # the demo study by default
        expect(page.locator("#studies")).to_contain_text("No study yet")
        _shot(page, "page")

        editor.fill(TINY.replace("replications = 1", "replications = 1\nsmaples = 3"))
        page.get_by_role("button", name="Launch study").click()
        msg = page.locator("#launch-msg")
        expect(msg).to_contain_text("Not launched [study_toml.design.smaples]")
        expect(msg).to_contain_text("unknown key 'smaples'")
        expect(page.locator("#studies")).to_contain_text("No study yet")
        _shot(page, "refused")

        page.get_by_role("button", name="Use the demo study").click()
        assert 'name = "demo"' in editor.input_value()
        study_file = tmp_path / "tiny-web.toml"
        study_file.write_text(TINY)
        page.set_input_files("#study-file", str(study_file))  # read into the editor
        expect(msg).to_contain_text("tiny-web.toml loaded")
        assert editor.input_value() == TINY
        page.get_by_role("button", name="Launch study").click()
        expect(msg).to_contain_text("Study 1 (tiny-web) queued: 4 runs")
        row = page.locator("tr[data-study='1']")
        expect(row).to_contain_text("tiny-web")
        expect(row.locator(".badge")).to_have_text("running")
        expect(row).to_contain_text("failed of 4 runs")
        expect(row.get_by_role("button", name="Cancel study 1")).to_be_visible()
        _shot(page, "running")
        expect(row.locator(".badge")).to_have_text("done", timeout=120_000)
        expect(row).to_contain_text("4 done, 0 failed of 4 runs (100 %)")
        expect(row).to_contain_text("4 runs, 0 failed")
        expect(row.get_by_role("button", name="Cancel study 1")).to_have_count(0)
        expect(row).to_contain_text("smallest fleet serving 95 %")
        expect(row.get_by_role("link", name="Results (Parquet)")).to_have_attribute(
            "href", "/api/studies/1/results.parquet"
        )
        _shot(page, "done")

        with page.context.expect_page() as opened:
            row.get_by_role("link", name="Report").click()
        report = opened.value
        report.wait_for_load_state()
        assert report.url.endswith("/api/studies/1/report")
        expect(report.locator("body")).to_contain_text("tiny-web")
        _shot(report, "report")

        # The Plans page links here.
        page.goto(f"{base}/plans")
        expect(page.locator("main").get_by_role("link", name="Studies")).to_have_attribute(
            "href", "/studies"
        )
