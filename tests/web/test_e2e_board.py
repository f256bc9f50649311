"""The day board (``/board``) in Chromium: a planner reports a leg, a viewer only reads.

Reuses ``test_e2e``'s server (demo data in a fresh SQLite file) and admin. A short schedule
run is started through the API; the board is opened at ``?now=`` 40 min after the planned
off-block of leg 1 of the run's first mission, so that leg is "not reported yet". The planner
first reports a landing before the take-off (refused: the error stands beside the ON box),
then only an OFF time 30 min after the planned take-off: the leg turns airborne and 30 min
late. A viewer sees the same board without the form. Screenshots at 1440 x 900 and on a
390 x 844 phone go to ``out/screenshots/board-*.png``.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from test_e2e import CHROMIUM, CHROMIUM_ARGS, PASSWORD, USERNAME, Server, _shot, server
from test_e2e import pytestmark as pytestmark  # skipped only without Chromium outside CI

__all__ = ["server"]  # the module-scoped server fixture, shared with test_e2e

VIEWER = "board-viewer"
VIEWER_PASSWORD = "viewer-password-1234"


def _api(page: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    origin = re.match(r"^https?://[^/]+", page.url)
    assert origin is not None, page.url
    resp = page.request.fetch(
        f"{origin.group(0)}{path}", method=method, data=body, headers={"X-CSRF-Token": csrf or ""}
    )
    assert resp.ok, f"{method} {path}: {resp.status} {resp.text()}"
    return resp.json()


def _finished_run(page: Any) -> int:
    scenario = _api(page, "GET", "/api/scenarios")[0]
    run = _api(page, "POST", "/api/runs", {"scenario_id": scenario["id"], "time_limit_s": 3})
    deadline = time.monotonic() + 180
    while (state := _api(page, "GET", f"/api/runs/{run['id']}"))["status"] != "done":
        assert state["status"] in ("queued", "running"), state
        assert time.monotonic() < deadline, f"run {run['id']} still {state['status']}"
        time.sleep(0.5)
    return int(run["id"])


def _t(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _box(when: datetime) -> str:
    """A datetime-local box's value (read as UTC by the form)."""
    return f"{when:%Y-%m-%dT%H:%M}"


def _login(page: Any, base: str, user: str, password: str, target: str) -> None:
    """Log in and land on ``target`` (the login page sends you on to it)."""
    page.goto(f"{base}/login?next={quote(target.removeprefix(base), safe='')}")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_selector("body[data-ready=true]")


def test_a_planner_reports_a_leg_on_the_day_board(server: Server) -> None:
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
            mission = _api(page, "GET", f"/api/runs/{run}/result")["missions"][0]
            leg = mission["plan"]["legs"][0]
            etd, takeoff = _t(leg["etd_utc"]), _t(leg["takeoff_utc"])
            now = (etd + timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%MZ")
            url = f"{base}/board?run={run}&day={mission['date']}&now={now}"
            page.goto(url)
            page.wait_for_selector("body[data-ready=true]")
            row = page.locator('#board-table tr[data-leg="1-1"]')
            expect(row).to_contain_text(f"{leg['origin']} → {leg['destination']}")
            expect(row).to_have_attribute("data-status", "not reported yet")
            expect(row).to_contain_text("40 min late")
            expect(row).to_contain_text(f"ask {leg['origin']} whether it left")
            expect(row).to_contain_text("local")  # planned times in local time beside UTC

            # Landing before take-off: refused, the reason beside the ON box.
            row.get_by_role("button", name="Report").click()
            dialog = page.locator("dialog.edit-dialog")
            off = takeoff + timedelta(minutes=30)
            dialog.get_by_label("OFF: take-off (UTC)").fill(_box(off))
            dialog.get_by_label("ON: landing (UTC)").fill(_box(off - timedelta(minutes=5)))
            dialog.get_by_role("button", name="Store report").click()
            on_error = dialog.locator('[data-field="on_utc"] .field-error')
            expect(on_error).to_contain_text("before off_utc")
            expect(dialog.get_by_label("ON: landing (UTC)")).to_have_attribute(
                "aria-invalid", "true"
            )
            _shot(page, "board-report-refused", full_page=False)

            # Only the OFF time: airborne, 30 min after the planned take-off.
            dialog.get_by_label("ON: landing (UTC)").fill("")
            dialog.get_by_label("Fuel at departure (kg)").fill("14200")
            dialog.get_by_role("button", name="Store report").click()
            expect(dialog).to_have_count(0)
            expect(row).to_have_attribute("data-status", "airborne")
            expect(row).to_contain_text("30 min late")
            expect(row).to_contain_text(f"report landing at {leg['destination']}")
            expect(row).to_contain_text("14,200 kg")
            expect(row).to_contain_text("1 report: crew")
            _shot(page, "board-desktop")

            stored = _api(page, "GET", f"/api/actuals?run={run}")
            assert [m["leg"]["off_utc"] for m in stored] == [off.strftime("%Y-%m-%dT%H:%M:%SZ")]

            # A viewer reads the same board and gets no form.
            _api(
                page,
                "POST",
                "/api/users",
                {"username": VIEWER, "password": VIEWER_PASSWORD, "role": "viewer"},
            )
            viewer = browser.new_context(viewport={"width": 390, "height": 844})
            viewer.set_default_timeout(30_000)
            phone = viewer.new_page()
            phone.on("pageerror", lambda exc: errors.append(str(exc)))
            _login(phone, base, VIEWER, VIEWER_PASSWORD, url)
            phone_row = phone.locator('#board-table tr[data-leg="1-1"]')
            expect(phone_row).to_have_attribute("data-status", "airborne")
            expect(phone.get_by_role("button", name="Report")).to_have_count(0)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the board is {width} px wide on a 390 px phone"
            _shot(phone, "board-phone")
            _shot(phone, "board-phone-top", full_page=False)
        except Exception:
            _shot(page, "board-failure")
            print(server.log.read_text()[-4000:])
            raise
        finally:
            browser.close()
        assert errors == [], f"JavaScript errors in the pages: {errors}"
