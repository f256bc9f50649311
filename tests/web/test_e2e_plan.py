"""The Plan page (``/plan``) in a real browser (Debian's Chromium through Playwright).

A planning officer plans the reference circuit GABS GAGO GATS DRRN GABS for a C-130H; mistypes
an airfield and picks the suggestion offered beside it; puts a load above the C-130H's max
payload and sees the refusal at that leg's cargo input; and checks the page on a 390 x 844
phone, where the map must span at least 90 % of the viewport. Screenshots go to
``out/screenshots/plan-*.png``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from servers import PASSWORD, Server, make_admin_token

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PAGE_LOAD_S = 2.0
"""The page, its scripts and the map's base layer, with the demo data loaded."""

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason=f"{CHROMIUM} not found (apt-get install chromium); "
        "the browser test runs wherever it is, and always in CI",
    ),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("e2e-plan")
    db = f"sqlite:///{tmp / 'plan.sqlite'}"
    env = {**os.environ, "AIRLIFT_DATA_DIR": str(tmp / "data"), "AIRLIFT_DB_URL": db}
    env["AIRLIFT_SECURE_COOKIES"] = "false"
    make_admin_token(db, env)
    server = Server(db, tmp / "server.log", env, options=())  # with the demo data
    server.start()
    try:
        yield server.base
    finally:
        server.stop()


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
        page.get_by_label("User name").fill("admin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/plan")
        yield page
        browser.close()
        assert not errors, errors


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"plan-{name}.png"), full_page=True)


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
    assert page.locator("#plan-map path.leaflet-interactive").count() >= 4  # the 4 legs
    expect(page.locator("#limits details")).to_have_count(4)
    _shot(page, "reference-circuit")

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
    _shot(page, "unknown-airfield")
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
    _shot(page, "over-max-payload")


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
    _shot(page, "phone")
