"""End to end in a real browser: editing single rows, and the phone and tablet layout.

Reuses ``test_e2e``'s server (``airlift serve`` on a fresh SQLite file with an admin) and
browser settings. A planner creates a movement request (a bad value is refused beside its
box and what was typed stays), edits it, and meets another planner's change to the same row
(409: "changed by ... at ...: reload"); edits a tail's maintenance windows and a scenario's
airfield overrides; a viewer sees no edit control. At 390x844 the map is at least 90 % of
the viewport wide and the navigation folds behind a menu button. Screenshots of every page
at 390x844, 820x1180 and 1440x900 go to ``out/screenshots/`` (``<page>-phone.png``,
``-tablet``, ``-desktop``).
"""

from __future__ import annotations

import re
import time
from typing import Any

from test_e2e import (  # the server fixture and browser settings of the first e2e test
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO,
    PASSWORD,
    USERNAME,
    Server,
    _create_demo_scenario,
    _shot,
    server,
)
from test_e2e import pytestmark as pytestmark  # skipped only without Chromium outside CI

__all__ = ["server"]  # a fixture of this module too

PLANNER = ("e2e-planner", "planner-password-1234", "planner")
VIEWER = ("e2e-viewer", "viewer-password-1234", "viewer")
READY = "body[data-ready=true]"
PAGE_LOAD_S = 2.0
"""Each page, with the demo data and a run, until it marks itself ready."""
VIEWPORTS = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1440, 900)}
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
WIDEST = """[...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
  .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`).slice(0, 6)"""
"""The first elements that reach past the right edge of the window (a failure's message)."""
PAGES = ("map", "plan", "timeline", "board", "requests", "fleet", "plans", "aircraft")


def _login(page: Any, base: str, username: str, password: str, target: str) -> None:
    page.goto(f"{base}{target}")
    page.wait_for_url("**/login?next=*")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{target}")
    page.wait_for_selector(READY)


def _csrf(page: Any) -> str:
    token: str = page.locator('meta[name="csrf-token"]').get_attribute("content")
    return token


def _api(page: Any, method: str, url: str, body: Any = None) -> Any:
    resp = page.request.fetch(url, method=method, data=body, headers={"X-CSRF-Token": _csrf(page)})
    assert resp.ok, f"{method} {url}: {resp.status} {resp.text()}"
    return resp.json() if resp.status != 204 else None


def _browser(p: Any) -> Any:
    return p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def test_editing_requests_tails_and_overrides(server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = server.url
    with sync_playwright() as p:
        browser = _browser(p)
        admin = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        admin.set_default_timeout(30_000)
        errors: list[str] = []
        admin.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            _login(admin, base, USERNAME, PASSWORD, "/requests")
            for name, password, role in (PLANNER, VIEWER):
                user = {"username": name, "password": password, "role": role}
                _api(admin, "POST", f"{base}/api/users", user)
            _requests(admin, browser, base, expect, errors)
            _fleet(admin, base, expect)
            _viewer(browser, base, expect)
        except Exception:
            _shot(admin, "editing-failure")
            print(server.log.read_text()[-4000:])
            raise
        finally:
            browser.close()
        assert errors == [], f"JavaScript errors in the pages: {errors}"


def _requests(page: Any, browser: Any, base: str, expect: Any, errors: list[str]) -> None:
    form = page.locator("#request-form")

    # A new request with a bad mass: refused beside the box, what was typed stays.
    page.get_by_role("button", name="New request").click()
    expect(form).to_be_visible()
    form.get_by_label("Ref").fill("E2E-1")
    form.get_by_label("Origin").fill("ZZZZ")
    form.get_by_label("Destination").fill("GAGO")
    form.get_by_label("Cargo (kg)").fill("-5")
    form.get_by_label("Passengers (pax)").fill("10")
    form.get_by_label("Earliest pickup (UTC)").fill("2023-10-27T06:00")
    form.get_by_label("Latest delivery (UTC)").fill("2023-10-28T18:00")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#request-form-cargo_kg-err")).to_contain_text("greater than or equal to 0")
    expect(form.get_by_label("Cargo (kg)")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Cargo (kg)")).to_have_value("-5")
    expect(form.get_by_label("Ref")).to_have_value("E2E-1")
    expect(form.get_by_label("Latest delivery (UTC)")).to_have_value("2023-10-28T18:00")
    _shot(page, "request-form-error", full_page=False)

    # The store's own check (an unknown airfield) names its field too; nothing was stored.
    form.get_by_label("Cargo (kg)").fill("2500")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#request-form-origin-err")).to_contain_text("ZZZZ")
    expect(page.locator("#request-form-cargo_kg-err")).to_be_empty()
    expect(form.get_by_label("Cargo (kg)")).not_to_have_attribute("aria-invalid", "true")
    assert not [r for r in _api(page, "GET", f"{base}/api/requests") if r["ref"] == "E2E-1"]
    form.get_by_label("Origin").fill("GABS")
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    row = page.locator("#requests-table tbody tr", has_text="E2E-1")
    expect(row).to_contain_text("2,500 kg")
    expect(row).to_contain_text("10 pax")
    expect(page.locator("#list-msg")).to_contain_text("Created E2E-1 (version 1)")

    # Edit it: 12 passengers.
    page.get_by_role("button", name="Edit request E2E-1").click()
    expect(form.get_by_label("Ref")).to_have_value("E2E-1")
    form.get_by_label("Passengers (pax)").fill("12")
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    expect(row).to_contain_text("12 pax")

    # Two planners open the same row; the other one saves first.
    page.get_by_role("button", name="Edit request E2E-1").click()
    form.get_by_label("Cargo (kg)").fill("3000")
    other = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    other.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(other, base, PLANNER[0], PLANNER[1], "/requests")
    other.get_by_role("button", name="Edit request E2E-1").click()
    other.locator("#request-form").get_by_label("Pallets (463L positions)").fill("3")
    other.locator("#request-form").get_by_role("button", name="Save").click()
    expect(other.locator("#request-form")).to_have_count(0)
    other.context.close()
    form.get_by_role("button", name="Save").click()
    alert = form.locator(".form-msg")
    changed = re.compile(r"changed by e2e-planner at \d+ \w{3} \d\d:\d\dZ: reload")
    expect(alert).to_contain_text(changed)
    expect(form.get_by_label("Cargo (kg)")).to_have_value("3000")
    _shot(page, "request-form-conflict", full_page=False)
    form.get_by_role("button", name="Reload (drops your changes)").click()
    expect(form.get_by_label("Pallets (463L positions)")).to_have_value("3")
    expect(form.get_by_label("Cargo (kg)")).to_have_value("2500")
    form.get_by_label("Cargo (kg)").fill("3000")
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    expect(row).to_contain_text("3,000 kg")
    stored = [r for r in _api(page, "GET", f"{base}/api/requests") if r["ref"] == "E2E-1"]
    assert [(r["cargo_kg"], r["pallets"], r["pax"], r["version"]) for r in stored] == [
        (3000.0, 3, 12, 4)
    ]

    # Delete it (after the browser's confirm).
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete request E2E-1").click()
    expect(page.locator("#list-msg")).to_contain_text("Deleted E2E-1")
    expect(row).to_have_count(0)


def _fleet(page: Any, base: str, expect: Any) -> None:
    page.goto(f"{base}/fleet")
    page.wait_for_selector(READY)
    if page.locator("#fleet-table").count() == 0:  # a server started without the demo
        page.set_input_files("#import-file", str(DEMO / "fleet.csv"))
        page.get_by_role("button", name="Import", exact=True).click()
        expect(page.locator("[data-status]")).to_contain_text("Imported fleet.csv")

    # A maintenance window that ends before it starts is refused; then a good one.
    page.get_by_role("button", name="Edit availability of 5U-MBD").click()
    form = page.locator("#tail-form")
    form.get_by_role("button", name="Add a window").click()
    form.get_by_label("Window 1 from (UTC)").fill("2023-11-01T00:00")
    form.get_by_label("Window 1 until (UTC)").fill("2023-10-31T00:00")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#tail-form-unavailable-err")).not_to_be_empty()
    expect(form.get_by_label("Window 1 until (UTC)")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Window 1 from (UTC)")).to_have_value("2023-11-01T00:00")
    _shot(page, "tail-form-error", full_page=False)
    form.get_by_label("Window 1 until (UTC)").fill("2023-11-02T06:00")
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    row = page.locator("#fleet-table tbody tr", has_text="5U-MBD")
    expect(row).to_contain_text("unavailable 1 Nov 00:00Z → 2 Nov 06:00Z")

    # A scenario's airfield overrides: a MOG of 0 is refused beside its box; MOG 2 is kept.
    if not _api(page, "GET", f"{base}/api/scenarios"):
        _create_demo_scenario(page, base)
        page.reload()
        page.wait_for_selector(READY)
    table = page.locator("#overrides-table")
    expect(table).to_contain_text("GATS")
    expect(table.locator("tr", has_text="GATS")).to_contain_text("1 aircraft")
    page.get_by_role("button", name="Add an airfield override").click()
    form = page.locator("#override-form")
    form.get_by_label("Airfield").fill("gago")
    form.get_by_label("MOG (aircraft on the ground at once)").fill("0")
    form.get_by_label("Opening hours (UTC)").fill("06:00-18:00")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#override-form-mog-err")).to_contain_text("mog must be >= 1")
    expect(form.get_by_label("Opening hours (UTC)")).to_have_value("06:00-18:00")
    form.get_by_label("MOG (aircraft on the ground at once)").fill("2")
    form.get_by_label("Fuel").select_option(label="No fuel")
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    gago = table.locator("tr", has_text="GAGO")
    expect(gago).to_contain_text("2 aircraft")
    expect(gago).to_contain_text("06:00-18:00")
    expect(gago).to_contain_text("none")
    scenario = _api(page, "GET", f"{base}/api/scenarios")[0]
    assert scenario["overrides"]["GAGO"] == {
        "mog": 2,
        "fuel_available": False,
        "hours_utc": "06:00-18:00",
    }
    assert scenario["overrides"]["GATS"]["mog"] == 1  # the others are kept
    _shot(page, "fleet-edited")


def _viewer(browser: Any, base: str, expect: Any) -> None:
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    _login(page, base, VIEWER[0], VIEWER[1], "/fleet")
    expect(page.locator("#fleet-table tbody tr").first).to_be_visible()
    expect(page.locator("#overrides-table")).to_be_visible()
    assert page.get_by_role("button", name=re.compile("Edit|Add|Remove|Delete")).count() == 0
    page.goto(f"{base}/requests")
    page.wait_for_selector(READY)
    expect(page.get_by_role("button", name="New request")).to_be_hidden()
    page.context.close()


def test_phone_tablet_and_desktop_layouts(server: Server) -> None:
    """Every page at 390x844, 820x1180 and 1440x900, with the demo data and a run: no page
    scrolls sideways; on a phone the map is >= 90 % of the width and the menu folds."""
    from playwright.sync_api import expect, sync_playwright

    base = server.url
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            _login(page, base, USERNAME, PASSWORD, "/requests")
            _demo_with_a_run(page, base)
            _phone_checks(page, base, expect)
            for label, (width, height) in VIEWPORTS.items():
                page.set_viewport_size({"width": width, "height": height})
                for name in PAGES:
                    start = time.perf_counter()
                    page.goto(f"{base}/{name}")
                    page.wait_for_selector(READY)
                    loaded_s = time.perf_counter() - start
                    assert loaded_s < PAGE_LOAD_S, f"/{name} took {loaded_s:.1f} s ({label})"
                    sideways = page.evaluate(SIDEWAYS)
                    assert sideways <= 0, (
                        f"/{name} scrolls sideways by {sideways} px ({label}): "
                        f"{page.evaluate(WIDEST)}"
                    )
                    _shot(page, f"{name}-{label}", full_page=name != "map")
        except Exception:
            _shot(page, "layout-failure")
            print(server.log.read_text()[-4000:])
            raise
        finally:
            browser.close()
        assert errors == [], f"JavaScript errors in the pages: {errors}"


def _demo_with_a_run(page: Any, base: str) -> None:
    """The demo requests, fleet and scenario (unless the other test stored them) and one
    finished short run, through the API."""
    csrf = {"X-CSRF-Token": _csrf(page)}
    for kind, path in (("requests", "requests.csv"), ("tails", "fleet.csv")):
        upload = {"name": path, "mimeType": "text/csv", "buffer": (DEMO / path).read_bytes()}
        resp = page.request.post(
            f"{base}/api/{kind}/import", multipart={"file": upload}, headers=csrf
        )
        assert resp.ok, resp.text()
    if not _api(page, "GET", f"{base}/api/scenarios"):
        _create_demo_scenario(page, base)
    scenario = _api(page, "GET", f"{base}/api/scenarios")[0]
    run = _api(page, "POST", f"{base}/api/runs", {"scenario_id": scenario["id"], "time_limit_s": 3})
    deadline = time.monotonic() + 180
    while _api(page, "GET", f"{base}/api/runs/{run['id']}")["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, "the run did not finish in 180 s"
        time.sleep(1)
    assert _api(page, "GET", f"{base}/api/runs/{run['id']}")["status"] == "done"


def _phone_checks(page: Any, base: str, expect: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/map")
    page.wait_for_selector(READY)
    box = page.locator("#map").bounding_box()
    assert box["width"] >= 0.9 * 390, f"the map is {box['width']} px wide on a 390 px phone"
    assert box["height"] >= 0.45 * 844, f"the map is {box['height']} px high on a 844 px phone"
    expect(page.locator("path.leg-line").first).to_be_attached()

    # The navigation folds behind the menu button, which the keyboard opens and closes.
    toggle = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Timeline")).to_be_visible()
    _shot(page, "menu-phone", full_page=False)
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    nav.get_by_role("link", name="Fleet").click()
    page.wait_for_url("**/fleet*")  # the nav links carry the chosen ?run=
    page.wait_for_selector(READY)

    # The edit dialog fills the phone's screen.
    page.get_by_role("button", name="Edit availability of 5U-MBD").click()
    dialog = page.locator("dialog.edit-dialog")
    expect(dialog).to_be_visible()
    assert dialog.bounding_box()["width"] >= 389
    _shot(page, "tail-form-phone", full_page=False)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # At desktop width the menu button is gone and the navigation shows.
    page.set_viewport_size({"width": 1440, "height": 900})
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
