"""End to end in Chromium: the timeline and the plans comparison read as the planning cell
needs them, and every page shows the same run.

Reuses ``test_e2e``'s server (demo data loaded into a fresh SQLite file), admin and browser
settings. One request that cannot be flown (a 30-minute window at night, optional) is added
first, so that the unmet lane always has something to show with the scheduler's reason.
Screenshots at 1440 x 900 go to ``out/screenshots/timeline-*.png`` and ``plans-compare.png``.
"""

from __future__ import annotations

import re
import time
from typing import Any

from test_e2e import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    USERNAME,
    Server,
    _shot,
    server,
)
from test_e2e import pytestmark as pytestmark  # skipped only without Chromium outside CI

__all__ = ["server"]  # the module-scoped server fixture, shared with test_e2e

NIGHT_REQUEST = {
    "ref": "E2E-NIGHT",
    "origin": "GABS",
    "destination": "GATS",
    "cargo_kg": 2000,
    "earliest_utc": "2023-10-28T01:00:00Z",
    "latest_utc": "2023-10-28T01:30:00Z",
    "priority": 4,
    "optional": True,
}
"""Cannot be flown: 30 minutes at night for a flight of hours."""


def _api(page: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    origin = re.match(r"^https?://[^/]+", page.url)
    assert origin is not None, page.url
    resp = page.request.fetch(
        f"{origin.group(0)}{path}",
        method=method,
        data=body,
        headers={"X-CSRF-Token": csrf or ""},
    )
    assert resp.ok, f"{method} {path}: {resp.status} {resp.text()}"
    return resp.json()


def _run(page: Any, seed: int) -> int:
    scenario = _api(page, "GET", "/api/scenarios")[0]
    run = _api(
        page, "POST", "/api/runs", {"scenario_id": scenario["id"], "time_limit_s": 3, "seed": seed}
    )
    deadline = time.monotonic() + 180
    while True:
        state = _api(page, "GET", f"/api/runs/{run['id']}")
        if state["status"] == "done":
            return int(run["id"])
        assert state["status"] in ("queued", "running"), state
        assert time.monotonic() < deadline, f"run {run['id']} still {state['status']}"
        time.sleep(0.5)


def test_timeline_and_compare_in_the_browser(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            _walk(page, server.url)
        except Exception:
            _shot(page, "timeline-failure")
            print(server.log.read_text()[-4000:])
            raise
        finally:
            browser.close()
        assert errors == [], f"JavaScript errors in the pages: {errors}"


def _walk(page: Any, base: str) -> None:
    from playwright.sync_api import expect

    ready = "body[data-ready=true]"
    page.goto(f"{base}/plans")
    page.wait_for_url("**/login?next=*")
    page.get_by_label("User name").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/plans")
    page.wait_for_selector(ready)
    refs = {r["ref"] for r in _api(page, "GET", "/api/requests")}
    if NIGHT_REQUEST["ref"] not in refs:
        _api(page, "POST", "/api/requests", NIGHT_REQUEST)
    first, second = _run(page, seed=3), _run(page, seed=4)
    doc = _api(page, "GET", f"/api/runs/{first}/result")
    not_delivered = [r for r in doc["requests"] if r["status"] != "delivered"]
    night = next(r for r in doc["requests"] if r["request_id"] == NIGHT_REQUEST["ref"])
    assert night["status"] == "unmet" and night["reason"]

    # Week view: one bar per mission, each labelled with (a short form of) its route, the
    # full route in its tooltip; a duty band per mission with its hours.
    page.goto(f"{base}/timeline?run={first}")
    page.wait_for_selector(ready)
    timeline = page.locator("#timeline")
    expect(timeline).to_have_attribute("data-view", "missions")
    bars = page.locator("#timeline a.bar")
    assert bars.count() == len(doc["missions"]) > 0
    for i in range(bars.count()):
        bar = bars.nth(i)
        route = bar.get_attribute("data-route") or ""
        label = bar.locator("text").text_content() or ""
        stops = route.split("-")
        assert label in (route, f"{stops[0]}→{stops[-1]}", f"{len(stops)} stops", str(len(stops)))
    bars.first.focus()
    expect(page.locator("#tooltip")).to_contain_text(
        f"route {bars.first.get_attribute('data-route')}"
    )
    duty = page.locator("#timeline g.duty-band")
    assert duty.count() == len(doc["missions"])
    expect(duty.locator("text").first).to_have_text(re.compile(r"(duty )?\d+(\.\d)? h"))

    # The unmet lane: a box per request not delivered in full, its reason in the tooltip and
    # in the table below.
    lane = page.locator("#timeline g.unmet")
    assert lane.count() == len(not_delivered)
    night_box = page.locator(f"#timeline g.unmet[data-request='{NIGHT_REQUEST['ref']}']")
    night_box.focus()
    expect(page.locator("#tooltip")).to_contain_text(f"reason: {night['reason']}")
    expect(page.locator("#unmet-table")).to_contain_text(night["reason"])
    _shot(page, "timeline-week", full_page=True)

    # Day view: leg bars, each labelled.
    page.locator("#range button").nth(1).click()
    expect(timeline).to_have_attribute("data-view", "legs")
    legs = page.locator("#timeline a.bar.leg")
    assert legs.count() > 0
    labels = [legs.nth(i).locator("text").text_content() or "" for i in range(legs.count())]
    assert all(label.strip() for label in labels), labels
    assert any(re.fullmatch(r"[A-Z]{4}-[A-Z]{4}", label) for label in labels), labels
    utc_axis = page.locator("#timeline text.axis-label").all_text_contents()
    assert any(t.endswith("Z") and t[:2].isdigit() for t in utc_axis), utc_axis
    expect(page.locator("#tz-note")).to_have_text("Times shown: UTC (Z)")
    _shot(page, "timeline-day", full_page=False)

    # UTC -> local time of Niamey (UTC+1): the axis moves by an hour and says so.
    page.get_by_label("Time axis").select_option("Africa/Niamey")
    expect(page.locator("#tz-note")).to_contain_text("local time Africa/Niamey (UTC+01:00)")
    local_axis = page.locator("#timeline text.axis-label").all_text_contents()
    assert any(re.fullmatch(r"\d\d:00", t) for t in local_axis), local_axis
    assert local_axis != utc_axis
    _shot(page, "timeline-day-local", full_page=False)

    # An unknown run, and a run that is not done, are said so: never another run's bars.
    page.goto(f"{base}/timeline?run=999")
    page.wait_for_selector(ready)
    expect(page.locator("#tl-msg")).to_have_text(re.compile(r"Run 999 does not exist"))
    assert page.locator("#timeline a.bar").count() == 0
    _shot(page, "timeline-unknown-run", full_page=False)
    scenario = _api(page, "GET", "/api/scenarios")[0]
    queued = _api(
        page, "POST", "/api/runs", {"scenario_id": scenario["id"], "time_limit_s": 60, "seed": 9}
    )
    _api(page, "POST", f"/api/runs/{queued['id']}/cancel")
    page.goto(f"{base}/timeline?run={queued['id']}")
    page.wait_for_selector(ready)
    expect(page.locator("#tl-msg")).to_contain_text(f"Run {queued['id']} is ")
    expect(page.locator("#tl-msg")).to_contain_text("only a finished (done) run")
    assert page.locator("#timeline a.bar").count() == 0

    # One run for every page: the timeline's run is what the map and plans show next.
    page.goto(f"{base}/timeline?run={first}")
    page.wait_for_selector(ready)
    expect(page.locator(".topbar .nav a", has_text="Map")).to_have_attribute(
        "href", f"/map?run={first}"
    )
    page.goto(f"{base}/map")
    page.wait_for_selector(ready)
    expect(page.locator("#run")).to_have_value(str(first))
    page.goto(f"{base}/plans")
    page.wait_for_selector(ready)
    expect(page.locator("#detail-title")).to_contain_text(f"Run {first}")
    expect(page.locator("#objective-figures li")).to_have_count(3)
    page.evaluate("window.scrollTo(0, document.getElementById('detail').offsetTop - 60)")
    _shot(page, "plans-detail", full_page=False)

    # Compare: the figures behind the objective, in its order, with units; the verdict is
    # the API's lexicographic one.
    page.locator("#cmp-a").select_option(str(first))
    page.locator("#cmp-b").select_option(str(second))
    page.get_by_role("button", name="Compare KPIs").click()
    rows = page.locator("#figures-table tbody tr")
    expect(rows).to_have_count(3)
    assert [rows.nth(i).get_attribute("data-figure") for i in range(3)] == [
        "required_served",
        "priority_weighted_t",
        "flying_hours",
    ]
    expect(rows.nth(0)).to_contain_text("requests")
    expect(rows.nth(1)).to_contain_text(" t")
    expect(rows.nth(2)).to_contain_text(" h")
    judged = _api(page, "GET", f"/api/runs/compare?a={first}&b={second}")["objective"]
    verdict = page.locator("#verdict")
    if judged["better"] == "same":
        expect(verdict).to_contain_text("Neither run is better")
    else:
        winner = first if judged["better"] == "a" else second
        expect(verdict).to_contain_text(f"Run {winner} ({judged['better'].upper()}) is better")
        decides = next(f["name"] for f in judged["figures"] if f["decides"])
        expect(page.locator("#figures-table tr.decides")).to_have_attribute("data-figure", decides)
    expect(page.locator("#compare")).not_to_contain_text("objective 1")
    page.evaluate("window.scrollTo(0, document.getElementById('compare').offsetTop - 60)")
    _shot(page, "plans-compare", full_page=False)
