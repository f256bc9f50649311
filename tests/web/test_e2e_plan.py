"""The Plan page (``/plan``) in a real browser (Debian's Chromium through Playwright).

A planning officer plans the reference circuit GABS GAGO GATS DRRN GABS for a C-130H; mistypes
an airfield and picks the suggestion offered beside it; puts a load above the C-130H's max
payload and sees the refusal at that leg's cargo input; and checks the page on a 390 x 844
phone, where the map must span at least 90 % of the viewport. Screenshots go to
``out/screenshots/plan-*.png``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from run_helpers import stored_run
from test_e2e import CHROMIUM, CHROMIUM_ARGS, PASSWORD, USERNAME, Server, _shot, server
from test_e2e import pytestmark as pytestmark  # skipped only without Chromium outside CI

__all__ = ["server"]  # the module-scoped server fixture, shared with test_e2e

PAGE_LOAD_S = 2.0
"""The page, its scripts and the map's base layer, with the demo data loaded."""


@pytest.fixture
def base(server: Server) -> str:
    return server.url


@pytest.fixture
def browser_page(base: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.set_default_timeout(30_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/login?next=/plan")
        page.get_by_label("User name").fill(USERNAME)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/plan")
        yield page
        browser.close()
        assert not errors, errors


def test_the_reference_circuit_planned_in_the_browser(browser_page: Any, base: str) -> None:
    from playwright.sync_api import expect

    page = browser_page
    start = time.perf_counter()
    page.goto(f"{base}/plan")
    expect(page.locator("#stop-4")).to_have_value("GABS")
    page.wait_for_load_state("networkidle")
    assert time.perf_counter() - start < PAGE_LOAD_S
    page.fill("#leg-0-cargo_kg", "6000")
    page.fill("#leg-0-pallets", "3")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.locator("#result-title")).to_contain_text("GABS → GAGO → GATS → DRRN → GABS")
    rows = page.locator("#navlog tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("GABS→GAGO")
    expect(rows.nth(0)).to_contain_text("6,000")
    expect(page.locator("#navlog thead")).to_contain_text("Trip fuel (kg)")
    expect(page.locator("#totals")).to_contain_text("NM")
    # The 4 legs: waited for, the map draws after the log (a bare count raced it in CI).
    expect(page.locator("#plan-map path.leaflet-interactive").nth(3)).to_be_attached()
    expect(page.locator("#limits details")).to_have_count(4)
    _shot(page, "plan-reference-circuit")

    # The export and max-load questions answer from the same inputs.
    with page.expect_download() as download:
        page.locator("[data-export=kml]").click()
    assert download.value.suggested_filename.endswith(".kml")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#maxload-result")).to_contain_text("binding limit")
    expect(page.locator("#maxload-result")).to_contain_text("kg")


def test_an_unknown_airfield_is_marked_at_its_field(browser_page: Any, base: str) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{base}/plan?stops=GABS,GAOX,GATS")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.locator("#stop-1-err")).to_contain_text("unknown airfield 'GAOX'")
    expect(page.locator("#stop-1")).to_have_attribute("aria-invalid", "")
    _shot(page, "plan-unknown-airfield")
    page.locator("#stop-1-sugg").get_by_role("button", name="GAGO (Gao)").click()
    expect(page.locator("#stop-1")).to_have_value("GAGO")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.locator("#navlog tbody tr")).to_have_count(2)


def test_a_load_above_max_payload_is_refused_at_its_input(browser_page: Any, base: str) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{base}/plan?stops=GABS,GAGO,GATS")
    page.fill("#leg-1-cargo_kg", "25000")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.locator("#leg-1-err")).to_contain_text("exceeds the C-130H's max payload")
    expect(page.locator("#leg-1-cargo_kg")).to_have_attribute("aria-invalid", "")
    expect(page.locator("#leg-0-err")).to_have_text("")
    _shot(page, "plan-over-max-payload")


def test_a_broken_limit_is_shown_at_the_input_that_sets_it(browser_page: Any, base: str) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{base}/plan")
    page.locator("#more summary").click()
    page.fill("#duty", "8")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.locator("#verdict")).to_contain_text("Infeasible")
    expect(page.locator("#duty-err")).to_contain_text("duty exceeded")
    expect(page.locator("#duty")).to_have_class("violated")


def test_the_plan_page_on_a_phone(browser_page: Any, base: str) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/plan?go=1")
    expect(page.locator("#navlog tbody tr")).to_have_count(4)
    box = page.locator("#plan-map").bounding_box()
    assert box is not None and box["width"] >= 0.9 * 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways page
    _shot(page, "plan-phone")


def test_a_demo_missions_brief_shows_its_dangerous_goods(browser_page: Any, base: str) -> None:
    """The demo week scheduled through the API; the mission carrying R007 (Jet A-1 in drums)
    opened from its mission page: its brief names the goods and their UN number."""
    from playwright.sync_api import expect
    from test_e2e_editing import _api, _demo_with_a_run

    page = browser_page
    page.goto(f"{base}/plan")
    _demo_with_a_run(page, base)
    run = max(_api(page, "GET", f"{base}/api/runs"), key=lambda r: r["id"])
    missions = _api(page, "GET", f"{base}/api/runs/{run['id']}/result")["missions"]
    n = next(
        i
        for i, m in enumerate(missions, start=1)
        if any(lift["request_id"] == "R007" for lift in m["lifts"])
    )
    page.goto(f"{base}/plans/{run['id']}/missions/{n}")
    expect(page.locator("#mission-body")).to_contain_text("UN1863")
    with page.expect_popup() as popup:
        page.locator("#brief").click()
    brief = popup.value
    expect(brief.locator("body")).to_contain_text("Jet A-1")
    expect(brief.locator("body")).to_contain_text("UN1863")
    _shot(brief, "plan-demo-brief-dangerous-goods")


def test_a_run_the_time_limit_cut_short_says_so(
    browser_page: Any, server: Server, demo_document: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    cut = stored_run(server.db_url, {**demo_document, "cut_short": True})
    page.goto(f"{server.url}/plans?run={cut}")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#cut-short")).to_have_text(
        "the time limit cut the search short: a longer limit may serve more"
    )
    _shot(page, "plans-cut-short")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the note wraps
    expect(page.locator("#cut-short")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    whole = stored_run(server.db_url, demo_document)
    page.goto(f"{server.url}/plans?run={whole}")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#detail-title")).to_contain_text(f"Run {whole}")
    expect(page.locator("#cut-short")).to_have_count(0)
