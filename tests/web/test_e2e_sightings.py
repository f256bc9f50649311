"""The day board's Sightings section in Chromium: a planner reports a C-130H at GABS at a
time the run's plan has no C-130H there, and the board shows "unplanned presence" with the
candidate tails. Reuses ``test_e2e``'s server and ``test_e2e_board``'s helpers; the time is
taken from the run's own plan: the middle of a C-130H leg that neither starts nor ends at
GABS, so that tail is in flight elsewhere (checked: no C-130H on the ground at GABS within
1 h). Screenshot: ``out/screenshots/board-sighting.png``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from test_e2e import CHROMIUM, CHROMIUM_ARGS, PASSWORD, USERNAME, Server, _shot, server
from test_e2e import pytestmark as pytestmark
from test_e2e_board import _api, _box, _finished_run, _login, _t

__all__ = ["server"]


def _c130_time(doc: dict[str, Any]) -> tuple[str, datetime]:
    """(date, time) in the middle of a C-130H leg away from GABS, no C-130H at GABS then."""
    legs = [
        (m["date"], m["tail"], leg)
        for m in doc["missions"]
        if m["aircraft"] == "C-130H"
        for leg in m["plan"]["legs"]
    ]
    for day, _, leg in legs:
        if "GABS" in (leg["origin"], leg["destination"]):
            continue
        when = _t(leg["takeoff_utc"]) + (_t(leg["landing_utc"]) - _t(leg["takeoff_utc"])) / 2
        near_gabs = [
            x
            for _, _, x in legs
            if (
                x["destination"] == "GABS" and abs(_t(x["landing_utc"]) - when) < timedelta(hours=3)
            )
            or (x["origin"] == "GABS" and abs(_t(x["takeoff_utc"]) - when) < timedelta(hours=3))
        ]
        if not near_gabs:
            return day, when
    raise AssertionError("the demo plan has no C-130H leg away from GABS")


def test_a_sighting_off_plan_is_an_unplanned_presence_with_candidates(server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        errors: list[str] = []
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            _login(page, base, USERNAME, PASSWORD, f"{base}/plans")
            run = _finished_run(page)
            day, when = _c130_time(_api(page, "GET", f"/api/runs/{run}/result"))
            page.goto(f"{base}/board?run={run}&day={day}")
            page.wait_for_selector("body[data-ready=true]")
            form = page.locator("#sighting-form")
            expect(page.locator("#sightings-list")).to_contain_text("No sightings")

            # No airfield: refused, the reason beside the airfield box.
            form.get_by_label("Aircraft type").fill("C-130H")
            form.get_by_label("Seen at (UTC)").fill(_box(when))
            form.get_by_role("button", name="Store sighting").click()
            expect(form.locator('[data-field="airfield"] .field-error')).to_contain_text("airfield")

            form.get_by_label("Airfield (ICAO, IATA or name)").fill("GABS")
            form.get_by_label("Note").fill("Niger Air Force C-130H on the apron")
            form.get_by_role("button", name="Store sighting").click()
            row = page.locator("#sightings-table tbody tr").first
            expect(row).to_have_attribute("data-outcome", "unplanned presence")
            expect(row).to_contain_text("Candidates:")
            expect(row).to_contain_text("5U-MBD")
            expect(row).to_contain_text("NM away")
            page.locator("#sightings").scroll_into_view_if_needed()
            _shot(page, "board-sighting", full_page=False)
            assert not errors, errors
        finally:
            browser.close()
