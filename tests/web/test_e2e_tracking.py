"""Plan against actual in Chromium: a late departure shows on the timeline and the plans page.

Reuses ``test_e2e``'s server (demo data in a fresh SQLite file) and admin, and
``test_e2e_board``'s helpers. A short schedule run is started through the API; leg 1 of
its first mission with two legs or more is reported (OUT and OFF) 40 min after plan. Both
pages are opened at ``?as_of=`` 10 min after that take-off: on the timeline's day view a red
actual bar under the leg is labelled "+40 min" and leg 2's projected bar is dashed; the
plans page's plan-against-actual section counts 0 of 1 departures on time and lists the leg
40 min late. Screenshots go to ``out/screenshots/tracking-*.png``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from test_e2e import PASSWORD, USERNAME, Server, _shot, browser_page, server
from test_e2e import pytestmark as pytestmark  # skipped only without Chromium outside CI
from test_e2e_board import _api, _finished_run, _login, _t

__all__ = ["server"]  # the module-scoped server fixture, shared with test_e2e


def _z(when: object) -> str:
    return f"{when:%Y-%m-%dT%H:%M:%SZ}"


def test_a_late_departure_on_the_timeline_and_the_plans_page(server: Server) -> None:
    from playwright.sync_api import expect

    base = server.url
    with browser_page(server, "tracking") as page:
        _login(page, base, USERNAME, PASSWORD, f"{base}/plans")
        run = _finished_run(page)
        doc = _api(page, "GET", f"/api/runs/{run}/result")
        index, mission = next(
            (i, m) for i, m in enumerate(doc["missions"]) if len(m["plan"]["legs"]) >= 2
        )
        leg = mission["plan"]["legs"][0]
        off = _t(leg["takeoff_utc"]) + timedelta(minutes=40)
        report = {
            "tail": mission["tail"],
            "origin": leg["origin"],
            "destination": leg["destination"],
            "out_utc": _z(_t(leg["etd_utc"]) + timedelta(minutes=40)),
            "off_utc": _z(off),
            "run_id": run,
        }
        _api(page, "POST", "/api/actuals", report)
        as_of = _z(off + timedelta(minutes=10))

        # Timeline, the mission's day: the actual bar under leg 1, late by 40 min.
        page.goto(f"{base}/timeline?run={run}&as_of={as_of}")
        page.wait_for_selector("body[data-ready=true]")
        page.locator(f'#range button[data-key="{mission["day"] - 1}"]').click()
        expect(page.locator("#timeline")).to_have_attribute("data-view", "legs")
        actual = page.locator(f"#actual-leg-{index}-{leg['index']}")
        expect(actual).to_have_attribute("data-kind", "late")
        expect(actual).to_have_attribute("data-delay-min", "40")
        expect(actual.locator("text")).to_have_text("+40 min")
        second = mission["plan"]["legs"][1]
        expect(page.locator(f"#actual-leg-{index}-{second['index']}")).to_have_attribute(
            "data-kind", "projected"
        )
        actual.focus()
        expect(page.locator("#tooltip")).to_contain_text("departure +40 min against plan")
        expect(page.locator("#tl-msg")).to_have_text("")
        actual.scroll_into_view_if_needed()
        _shot(page, "tracking-timeline-day-tooltip", full_page=False)
        actual.blur()
        _shot(page, "tracking-timeline-day", full_page=False)

        # Plans page: the plan-against-actual section of the run.
        page.goto(f"{base}/plans?run={run}&as_of={as_of}")
        page.wait_for_selector("body[data-ready=true]")
        section = page.locator("#tracking")
        expect(section.locator("#tracking-asof")).to_contain_text("1 of")
        on_time = section.locator('[data-figure="on_time"]')
        expect(on_time).to_contain_text("0 of 1 departures")
        expect(on_time).to_contain_text("0.0 %")
        row = section.locator(f'#tracking-legs tr[data-leg="{mission["tail"]}-{mission["day"]}-1"]')
        expect(row).to_have_attribute("data-status", "airborne")
        expect(row).to_contain_text("+40 min")
        expect(row).to_contain_text("crew")
        expect(row.locator(".badge")).to_have_class("badge running")
        expect(section.locator('#tracking-exports a[data-fmt="csv"]')).to_have_attribute(
            "href", f"/api/runs/{run}/tracking/export/csv?as_of={as_of.replace(':', '%3A')}"
        )
        page.add_style_tag(content=".topbar { position: static !important; }")
        section.scroll_into_view_if_needed()
        section.screenshot(path=str(_shot_path("tracking-plans-section")))


def _shot_path(name: str) -> Path:
    from test_e2e import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
