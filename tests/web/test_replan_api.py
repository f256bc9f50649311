"""Disruption re-planning through the API, on the demo data of a fresh database (SQLite and
PostgreSQL): events declared against the current programme (``/api/runs/{id}/disruptions``),
a re-plan stored as a proposal, its approval (the current programme changes) or discard,
and the 409 that makes the second of two planners re-base.

The programme is the demo week scheduled for 3 s and stored as done. Most tests re-plan
with a stand-in for ``airlift.replan.replan`` (the base document with a ``replan`` section),
so they check storage and HTTP only; one test runs the real re-planner.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

import pytest
from run_helpers import DemoEnv, stored_run
from sqlalchemy import func, select

from airlift.errors import FieldError
from airlift.store.db import make_engine, session_factory
from airlift.store.models import DisruptionEvent, ScheduleRun
from airlift.web.routes import replans as routes


def _count(db_url: str, model: Any) -> int:
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


def _fake_solve(inputs: Any, events: list[Any], body: Any) -> dict[str, Any]:
    """The base programme with a ``replan`` section: every mission of the first tail changed."""
    doc = copy.deepcopy(inputs.document)
    first = doc["missions"][0]["tail"] if doc["missions"] else ""
    for m in doc["missions"]:
        m["replan"] = {"state": "changed" if m["tail"] == first else "kept", "retimed_min": 0.0}
    doc["replan"] = {
        "now_utc": "2023-10-28T00:00:00Z",
        "horizon_min": body.horizon_min,
        "events": [{"kind": "x", "text": str(e)} for e in events],
        "engine_seconds": 0.1,
    }
    doc["diff"] = {
        "moved": 1,
        "retimed": 0,
        "unmet_new": 0,
        "served_new": 0,
        "kept": 3,
        "cancelled": 0,
        "requests": [],
        "tails": [],
        "figures": {},
    }
    return doc


def _tail_window(document: dict[str, Any]) -> tuple[str, str]:
    """A tail with missions and its first mission's day, as an unserviceable event's args."""
    m = document["missions"][0]
    day = datetime.fromisoformat(m["plan"]["legs"][0]["etd_utc"].replace("Z", "+00:00"))
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    return m["tail"], f"{start:%Y-%m-%dT%H:%MZ}/{end:%Y-%m-%dT%H:%MZ}"


def test_events_are_stored_listed_and_deleted(demo_env: DemoEnv, document: dict[str, Any]) -> None:
    client, db_url, headers = demo_env
    run = stored_run(db_url, document)
    tail, window = _tail_window(document)
    url = f"/api/runs/{run}/disruptions"
    made = client.post(
        url, json={"text": f"unserviceable   {tail} {window}"}, headers=headers["planner"]
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["kind"] == "unserviceable"
    assert body["text"] == f"unserviceable {tail} {window}"  # the normal form
    assert body["created_by"] == "planner" and body["run_id"] == run
    listed = client.get(url, headers=headers["viewer"])
    assert listed.status_code == 200 and [e["id"] for e in listed.json()] == [body["id"]]
    # Bad text, an unknown tail, a file on the server: 422 naming the field text.
    for text in ("grounded X 1", f"unserviceable NO-SUCH {window}", "add-request /etc/passwd"):
        bad = client.post(url, json={"text": text}, headers=headers["planner"])
        assert bad.status_code == 422, bad.text
        assert bad.json()["field"] == "text", bad.json()
    # A viewer reads but does not write.
    denied = client.post(url, json={"text": "mog GAGO 1"}, headers=headers["viewer"])
    assert denied.status_code == 403
    assert client.delete(f"{url}/{body['id']}", headers=headers["viewer"]).status_code == 403
    gone = client.delete(f"{url}/{body['id']}", headers=headers["planner"])
    assert gone.status_code == 204
    assert client.get(url, headers=headers["viewer"]).json() == []
    assert client.delete(f"{url}/{body['id']}", headers=headers["planner"]).status_code == 404
    assert client.get("/api/runs/99999/disruptions", headers=headers["viewer"]).status_code == 404


def test_replan_approve_and_rebase(
    demo_env: DemoEnv, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "_solve", _fake_solve)
    client, db_url, headers = demo_env
    planner, viewer = headers["planner"], headers["viewer"]
    base = stored_run(db_url, document)
    tail, window = _tail_window(document)
    current = client.get("/api/programme/current", headers=viewer)
    assert current.status_code == 200 and current.json()["id"] == base
    assert current.json()["kind"] == "schedule" and current.json()["approval"] is None
    client.post(
        f"/api/runs/{base}/disruptions",
        json={"text": f"unserviceable {tail} {window}"},
        headers=planner,
    )

    assert client.post(f"/api/runs/{base}/replan", json={}, headers=viewer).status_code == 403
    first = client.post(f"/api/runs/{base}/replan", json={"horizon_min": 60}, headers=planner)
    assert first.status_code == 201, first.text
    proposal = first.json()["run"]
    assert proposal["kind"] == "replan" and proposal["approval"] == "proposed"
    assert proposal["parent_id"] == base and proposal["status"] == "done"
    assert first.json()["replan"]["diff"]["moved"] == 1
    assert first.json()["replan"]["events"][0]["text"].startswith("Unserviceable(")  # stored ones
    # A second planner's proposal on the same base, before anyone approves.
    second = client.post(f"/api/runs/{base}/replan", json={"events": []}, headers=planner).json()[
        "run"
    ]
    # The proposal is a run: its document and the runs list say what it is.
    doc = client.get(f"/api/runs/{proposal['id']}/result", headers=viewer).json()
    assert doc["missions"][0]["replan"]["state"] == "changed"
    listed = {r["id"]: r for r in client.get("/api/runs", headers=viewer).json()}
    assert listed[proposal["id"]]["approval"] == "proposed"
    # Proposals are not the current programme until approved.
    assert client.get("/api/programme/current", headers=viewer).json()["id"] == base

    assert client.post(f"/api/runs/{proposal['id']}/approve", headers=viewer).status_code == 403
    approved = client.post(f"/api/runs/{proposal['id']}/approve", headers=planner)
    assert approved.status_code == 200, approved.text
    assert approved.json()["approval"] == "approved" and approved.json()["approved_by"] == "planner"
    assert client.get("/api/programme/current", headers=viewer).json()["id"] == proposal["id"]
    assert client.get(f"/api/runs/{base}", headers=viewer).json()["approval"] == "superseded"

    # The second proposal's base is no longer current: approving it, or re-planning the old
    # base again, is 409 naming the programme to re-base on.
    stale = client.post(f"/api/runs/{second['id']}/approve", headers=planner)
    assert stale.status_code == 409
    assert f"re-base: programme {proposal['id']} is now current" in stale.json()["detail"]
    again = client.post(f"/api/runs/{base}/replan", json={}, headers=planner)
    assert again.status_code == 409 and f"programme {proposal['id']}" in again.json()["detail"]
    # Approving twice, or a run that is no proposal: 409.
    assert client.post(f"/api/runs/{proposal['id']}/approve", headers=planner).status_code == 409
    assert client.post(f"/api/runs/{base}/discard", headers=planner).status_code == 409
    # The stale one can be discarded; the approved programme is re-planned next.
    discarded = client.post(f"/api/runs/{second['id']}/discard", headers=planner)
    assert discarded.status_code == 200 and discarded.json()["approval"] == "discarded"
    nxt = client.post(f"/api/runs/{proposal['id']}/replan", json={"events": []}, headers=planner)
    assert nxt.status_code == 201 and nxt.json()["run"]["parent_id"] == proposal["id"]
    # A programme drawn from scratch after the approval is the current one.
    fresh = stored_run(db_url, document)
    assert client.get("/api/programme/current", headers=viewer).json()["id"] == fresh


def test_nothing_is_stored_when_a_replan_fails(
    demo_env: DemoEnv, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, db_url, headers = demo_env
    planner = headers["planner"]
    base = stored_run(db_url, document)
    queued = stored_run(db_url, None)
    runs_before = _count(db_url, ScheduleRun)

    def refuse(inputs: Any, events: list[Any], body: Any) -> dict[str, Any]:
        raise FieldError("now_utc", "now is before a leg that has flown")

    monkeypatch.setattr(routes, "_solve", refuse)
    failed = client.post(f"/api/runs/{base}/replan", json={"events": []}, headers=planner)
    assert failed.status_code == 422 and failed.json()["field"] == "now_utc"
    # A bad event in the body names its place; an unfinished base is 409; unknown is 404.
    bad = client.post(
        f"/api/runs/{base}/replan", json={"events": ["mog GAGO 1", "nonsense"]}, headers=planner
    )
    assert bad.status_code == 422 and bad.json()["field"] == "events[1]", bad.json()
    unknown_tail = client.post(
        f"/api/runs/{base}/replan",
        json={"events": ["duty-reset ZZ-ZZZ 2023-10-28T12:00Z"]},
        headers=planner,
    )
    assert unknown_tail.status_code == 422 and unknown_tail.json()["field"] == "events[0]"
    assert client.post(f"/api/runs/{queued}/replan", json={}, headers=planner).status_code == 409
    assert client.post("/api/runs/99999/replan", json={}, headers=planner).status_code == 404
    too_long = client.post(f"/api/runs/{base}/replan", json={"time_limit_s": 61}, headers=planner)
    assert too_long.status_code == 422
    assert _count(db_url, ScheduleRun) == runs_before
    assert _count(db_url, DisruptionEvent) == 0


def test_replan_with_the_real_replanner(demo_env: DemoEnv, document: dict[str, Any]) -> None:
    client, db_url, headers = demo_env
    base = stored_run(db_url, document)
    tail, window = _tail_window(document)
    start = window.split("/")[0]
    client.post(
        f"/api/runs/{base}/disruptions",
        json={"text": f"unserviceable {tail} {window}"},
        headers=headers["planner"],
    )
    answer = client.post(
        f"/api/runs/{base}/replan",
        json={"now_utc": start.replace("Z", ":00Z"), "time_limit_s": 2},
        headers=headers["planner"],
    )
    assert answer.status_code == 201, answer.text
    replan = answer.json()["replan"]
    assert replan["events"] == [{"kind": "unserviceable", "text": f"unserviceable {tail} {window}"}]
    diff = replan["diff"]
    # The tail's mission of that day is cancelled (its loads go to other tails or stay put).
    assert any(t["tail"] == tail and t["cancelled"] for t in diff["tails"]), diff["tails"]
    doc = client.get(
        f"/api/runs/{answer.json()['run']['id']}/result", headers=headers["viewer"]
    ).json()
    day = start[:10]
    for m in doc["missions"]:
        assert m["replan"]["state"] in ("frozen", "kept", "changed", "new")
        if m["tail"] == tail and m["plan"]["legs"][0]["etd_utc"][:10] == day:
            assert m["replan"]["state"] == "frozen", m  # flown or within the horizon only


def test_a_leg_reported_late_is_a_delay_of_the_replan(
    demo_env: DemoEnv, document: dict[str, Any]
) -> None:
    """A crew report of a leg 50 min late becomes a delay event of the re-plan (with the
    leg's mission frozen and re-timed), and "now" cannot precede what was reported flown."""
    client, db_url, headers = demo_env
    base = stored_run(db_url, document)
    mission = document["missions"][-1]
    leg = mission["plan"]["legs"][0]

    def late(key: str) -> str:
        t = datetime.fromisoformat(leg[key].replace("Z", "+00:00")) + timedelta(minutes=50)
        return f"{t:%Y-%m-%dT%H:%M:%SZ}"

    report = {
        "tail": mission["tail"],
        "origin": leg["origin"],
        "destination": leg["destination"],
        "out_utc": late("etd_utc"),
        "off_utc": late("takeoff_utc"),
        "run_id": base,
    }
    assert client.post("/api/actuals", json=report, headers=headers["planner"]).status_code == 201
    early = client.post(
        f"/api/runs/{base}/replan",
        json={"now_utc": leg["etd_utc"], "time_limit_s": 1},
        headers=headers["planner"],
    )
    assert early.status_code == 422 and "already flown" in early.json()["detail"]
    answer = client.post(
        f"/api/runs/{base}/replan",
        json={"now_utc": late("takeoff_utc"), "time_limit_s": 1},
        headers=headers["planner"],
    )
    assert answer.status_code == 201, answer.text
    delay = f"delay {mission['tail']}/{mission['day']}:1 50min"
    assert {"kind": "delay", "text": delay} in answer.json()["replan"]["events"]
    doc = client.get(
        f"/api/runs/{answer.json()['run']['id']}/result", headers=headers["viewer"]
    ).json()
    (again,) = [
        m for m in doc["missions"] if (m["tail"], m["day"]) == (mission["tail"], mission["day"])
    ]
    assert again["replan"]["state"] == "frozen"
    assert again["plan"]["legs"][0]["etd_utc"] == late("etd_utc")
