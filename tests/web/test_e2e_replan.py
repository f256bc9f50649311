"""A planner declares a disruption on the timeline, re-plans and approves, in Chromium.

Reuses ``test_e2e``'s server (demo data in a fresh SQLite file) and admin, and
``test_e2e_board``'s helpers. A short schedule run is started through the API; on its
timeline the Disruption panel declares "unserviceable <the first mission's tail> <that
mission's day and the next>" from the form, re-plans from an hour before that mission's
departure (so it is frozen), shows the proposal (the diff counts, the changed requests, the
proposed programme with its frozen, changed and new missions outlined)
and approves it: the page then shows the approved programme, which is the current one.
Screenshot of the proposal: ``out/screenshots/timeline-replan.png``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from test_e2e import PASSWORD, USERNAME, Server, _shot, browser_page, server
from test_e2e import pytestmark as pytestmark  # skipped only without Chromium outside CI
from test_e2e_board import _api, _finished_run, _login

__all__ = ["server"]  # the module-scoped server fixture, shared with test_e2e


def test_a_planner_replans_around_an_unserviceable_tail(server: Server) -> None:
    from playwright.sync_api import expect

    base = server.url
    with browser_page(server, "timeline-replan") as page:
        _login(page, base, USERNAME, PASSWORD, f"{base}/plans")
        run = _finished_run(page)
        doc = _api(page, "GET", f"/api/runs/{run}/result")
        mission = doc["missions"][0]
        tail, day = mission["tail"], date.fromisoformat(mission["date"])
        start, end = f"{day:%Y-%m-%d}T00:00", f"{day + timedelta(days=2):%Y-%m-%d}T00:00"
        # An hour before the mission's departure: it is inside the 2 h horizon (frozen), the
        # tail's next day is not. (From the start of the day, a programme with no spare
        # capacity has nothing to change: the mission is cancelled, its lifts unmet.)
        departure = datetime.fromisoformat(mission["plan"]["departure_utc"].replace("Z", "+00:00"))
        now = f"{departure - timedelta(hours=1):%Y-%m-%dT%H:%M}"

        page.goto(f"{base}/timeline?run={run}")
        page.wait_for_selector("body[data-ready=true]")
        panel = page.locator("#disruption")
        expect(panel).to_be_visible()
        expect(page.locator("#disruption-note")).to_contain_text(
            f"Run {run} is the current programme"
        )
        page.select_option("#event-kind", "unserviceable")
        page.select_option("#ev-tail", tail)
        page.fill("#ev-from", start)
        page.fill("#ev-until", end)
        page.get_by_role("button", name="Declare event").click()
        text = f"unserviceable {tail} {start}Z/{end}Z"
        expect(page.locator("#event-msg")).to_have_text(f"Declared: {text}")
        expect(page.locator("#event-table tbody tr")).to_have_count(1)
        expect(page.locator("#event-table")).to_contain_text(text)
        # An airfield change for a while: both ends or neither; declared, then withdrawn.
        page.select_option("#event-kind", "fuel")
        page.fill("#ev-airfield", "GABS")
        page.select_option("#ev-state", "none")
        page.fill("#ev-from", start)
        page.get_by_role("button", name="Declare event").click()
        expect(page.locator("#event-msg")).to_contain_text("Give both From and Until")
        page.fill("#ev-until", end)
        page.get_by_role("button", name="Declare event").click()
        fuel = f"fuel GABS none {start}Z/{end}Z"
        expect(page.locator("#event-table")).to_contain_text(fuel)
        page.get_by_role("button", name=f"Withdraw {fuel}").click()
        expect(page.locator("#event-table tbody tr")).to_have_count(1)

        page.fill("#replan-now", now)
        page.get_by_role("button", name="Re-plan").click()
        counts = page.locator("#diff-counts")
        expect(counts).to_be_visible()
        expect(page.locator("#approve")).to_be_visible()
        proposal = int(page.url.split("run=")[1].split("&")[0])
        assert proposal != run
        proposed = _api(page, "GET", f"/api/runs/{proposal}/result")
        replan, diff = proposed["replan"], proposed["diff"]
        expect(counts.locator('[data-count="moved"]')).to_have_text(
            f"{diff['moved']} request{'' if diff['moved'] == 1 else 's'} moved to other tails"
        )
        assert replan["events"] == [{"kind": "unserviceable", "text": text}]
        changed = [r for r in diff["requests"] if r["change"] not in ("kept", "still_unmet")]
        expect(page.locator("#replan-requests tbody tr")).to_have_count(len(changed))
        marked = page.locator(
            "a.bar.mission.replan-changed, a.bar.mission.replan-new, a.bar.mission.replan-frozen"
        )
        not_kept = [m for m in proposed["missions"] if m["replan"]["state"] != "kept"]
        assert not_kept
        expect(marked).to_have_count(len(not_kept))
        # The unserviceable tail flies nothing on that day but what is frozen.
        for m in proposed["missions"]:
            if m["tail"] == tail and m["date"] == mission["date"]:
                assert m["replan"]["state"] == "frozen", m["replan"]
        expect(page.locator("#run")).to_have_value(str(proposal))
        expect(page.locator("#run option:checked")).to_contain_text("proposed")
        page.mouse.move(2, 2)  # no bar's tooltip over the picture
        expect(page.locator("#tooltip")).to_be_hidden()
        _shot(page, "timeline-replan")

        page.get_by_role("button", name="Approve").click()
        page.wait_for_url(f"{base}/timeline?run={proposal}")
        page.wait_for_selector("body[data-ready=true]")
        expect(page.locator("#run option:checked")).to_contain_text("approved")
        assert _api(page, "GET", "/api/programme/current")["id"] == proposal
        assert _api(page, "GET", f"/api/runs/{run}")["approval"] == "superseded"

        # Without ?run= and nothing remembered, pages show the approved programme, not
        # the newest run (a newer proposal).
        newer = _api(page, "POST", f"/api/runs/{proposal}/replan", {"events": []})["run"]
        assert newer["id"] > proposal and newer["approval"] == "proposed"
        page.evaluate("localStorage.clear()")
        page.goto(f"{base}/timeline")
        page.wait_for_selector("body[data-ready=true]")
        expect(page.locator("#run")).to_have_value(str(proposal))

        # The superseded programme stays readable, but is no longer re-planned.
        page.goto(f"{base}/timeline?run={run}")
        page.wait_for_selector("body[data-ready=true]")
        expect(page.locator("#disruption-note")).to_contain_text(
            f"Run {run} is not the current programme"
        )
