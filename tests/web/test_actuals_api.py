"""``/api/actuals`` through the real app on SQLite and PostgreSQL: who may report, what is
refused (422 naming the field), imports all or nothing, the day board of a stored run."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from airlift.store.db import transaction
from airlift.store.models import ScheduleRun

Bearer = Callable[..., dict[str, str]]

REPORT: dict[str, Any] = {
    "tail": "5U-MBD",
    "origin": "GABS",
    "destination": "GAGO",
    "out_utc": "2023-10-27T06:35:00Z",
    "off_utc": "2023-10-27T06:50:00Z",
    "fuel_out_kg": 14200,
}
"""Leg 1 of the run below, 10 min after its planned take-off (06:40Z)."""

PROGRAMME: dict[str, Any] = {
    "missions": [
        {
            "tail": "5U-MBD",
            "aircraft": "C-130H",
            "day": 1,
            "date": "2023-10-27",
            "plan": {
                "legs": [
                    {
                        "number": 1,
                        "trip_fuel_kg": 3500.0,
                        "taxi_fuel_kg": 250.0,
                        "cargo_kg": 0.0,
                        "pallets": 0,
                        "pax": 0,
                        "origin": "GABS",
                        "destination": "GAGO",
                        "etd_utc": "2023-10-27T06:30:00Z",
                        "takeoff_utc": "2023-10-27T06:40:00Z",
                        "landing_utc": "2023-10-27T08:40:00Z",
                        "eta_utc": "2023-10-27T08:47:00Z",
                        "etd_local": "2023-10-27T06:30:00+00:00",
                        "eta_local": "2023-10-27T08:47:00+00:00",
                        "origin_tz": "Africa/Bamako",
                        "destination_tz": "Africa/Bamako",
                    },
                    {
                        "number": 2,
                        "trip_fuel_kg": 3500.0,
                        "taxi_fuel_kg": 250.0,
                        "cargo_kg": 0.0,
                        "pallets": 0,
                        "pax": 0,
                        "origin": "GAGO",
                        "destination": "GATS",
                        "etd_utc": "2023-10-27T09:30:00Z",
                        "takeoff_utc": "2023-10-27T09:40:00Z",
                        "landing_utc": "2023-10-27T10:40:00Z",
                        "eta_utc": "2023-10-27T10:47:00Z",
                        "etd_local": "2023-10-27T09:30:00+00:00",
                        "eta_local": "2023-10-27T10:47:00+00:00",
                        "origin_tz": "Africa/Bamako",
                        "destination_tz": "Africa/Bamako",
                    },
                ]
            },
        }
    ]
}
"""A finished run's programme document, cut to what the board reads: one mission, 2 legs."""


@pytest.fixture
def run_id(app: FastAPI, client: TestClient) -> int:
    with transaction(app.state.sessions) as session:
        run = ScheduleRun(status="done", created_by="tests", result=PROGRAMME)
        session.add(run)
        session.flush()
        return int(run.id)


def test_viewers_read_planners_report(client: TestClient, bearer: Bearer) -> None:
    viewer, planner = bearer("v", "viewer"), bearer("p", "planner")
    assert client.post("/api/actuals", json=REPORT, headers=viewer).status_code == 403
    created = client.post("/api/actuals", json=REPORT, headers=planner)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["new"] and body["created_by"] == "p" and body["reported_by"] == "p"
    assert body["source"] == "crew" and body["off_utc"] == "2023-10-27T06:50:00Z"
    again = client.post("/api/actuals", json=REPORT, headers=planner)
    assert again.status_code == 200 and not again.json()["new"]
    assert again.json()["id"] == body["id"]
    legs = client.get("/api/actuals", headers=viewer).json()
    assert len(legs) == 1 and len(legs[0]["reports"]) == 1
    assert legs[0]["key"] == {"tail": "5U-MBD", "origin": "GABS", "date": "2023-10-27"}
    assert client.delete(f"/api/actuals/{body['id']}", headers=viewer).status_code == 403
    assert client.delete(f"/api/actuals/{body['id']}", headers=planner).status_code == 204
    assert client.delete(f"/api/actuals/{body['id']}", headers=planner).status_code == 404
    assert client.get("/api/actuals", headers=viewer).json() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"on_utc": "2023-10-27T06:45:00Z"}, "on_utc"),  # landing before take-off
        ({"out_utc": "2023-10-27T06:55:00Z"}, "off_utc"),  # OUT after OFF
        ({"off_utc": "2098-10-27T06:50:00Z", "out_utc": None}, "off_utc"),  # the future
        ({"off_utc": "9999-10-27T06:50:00Z", "out_utc": None}, "off_utc"),  # year 9999
        ({"off_utc": "2023-10-27T06:50:00"}, "off_utc"),  # no timezone
        ({"origin": "ZZZZ"}, "origin"),
        ({"fuel_out_kg": -1}, "fuel_out_kg"),
        ({"source": "radar"}, "source"),
        ({"run_id": 4711}, "run_id"),  # no such run
        ({"tail": ""}, "tail"),
    ],
)
def test_impossible_reports_are_422_naming_the_field(
    client: TestClient, bearer: Bearer, change: dict[str, Any], field: str
) -> None:
    resp = client.post("/api/actuals", json={**REPORT, **change}, headers=bearer("p", "planner"))
    assert resp.status_code == 422, resp.text
    assert resp.json()["field"] == field
    assert client.get("/api/actuals", headers=bearer("v", "viewer")).json() == []


def _upload(reports: list[Any], name: str = "reports.json") -> dict[str, Any]:
    return {"file": (name, json.dumps(reports).encode(), "application/json")}


def test_import_all_or_nothing_then_again_adds_nothing(
    client: TestClient, bearer: Bearer, run_id: int
) -> None:
    planner = bearer("p", "planner")
    bad = {**REPORT, "tail": "TZ-03C", "on_utc": "2023-10-27T06:00:00Z"}
    refused = client.post("/api/actuals/import", files=_upload([REPORT, bad]), headers=planner)
    assert refused.status_code == 422
    body = refused.json()
    assert not body["stored"] and body["field"] == "on_utc"
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "on_utc")]
    assert client.get("/api/actuals", headers=planner).json() == []

    adsb = {**REPORT, "source": "adsb", "out_utc": None, "on_utc": "2023-10-27T08:50:00Z"}
    url = f"/api/actuals/import?run_id={run_id}"
    first = client.post(url, files=_upload([REPORT, adsb]), headers=planner)
    assert first.status_code == 200, first.text
    assert first.json()["format"] == "json" and len(first.json()["created"]) == 2
    again = client.post(url, files=_upload([adsb, REPORT], "copy.json"), headers=planner)
    assert again.json()["created"] == [] and again.json()["duplicates"] == 2
    query = f"/api/actuals?run={run_id}&day=2023-10-27&tail=5u-mbd"
    (leg,) = client.get(query, headers=planner).json()
    assert leg["leg"]["off_utc"] == "2023-10-27T06:50:00Z"  # crew over ADS-B
    assert leg["leg"]["on_utc"] == "2023-10-27T08:50:00Z"  # only ADS-B saw it
    assert {r["source"] for r in leg["reports"]} == {"crew", "adsb"}
    other_day = client.get("/api/actuals?day=2023-10-28", headers=planner).json()
    assert other_day == []


def test_an_unknown_format_or_bad_file_is_422(client: TestClient, bearer: Bearer) -> None:
    planner = bearer("p", "planner")
    files = {"file": ("reports.txt", b"[]", "text/plain")}
    resp = client.post("/api/actuals/import", files=files, headers=planner)
    assert resp.status_code == 422 and resp.json()["field"] == "format"
    resp = client.post("/api/actuals/import?format=edi", files=_upload([]), headers=planner)
    assert resp.status_code == 422 and "csv, json, mvt" in resp.json()["detail"]
    files = {"file": ("reports.json", b"{not json", "application/json")}
    resp = client.post("/api/actuals/import", files=files, headers=planner)
    assert resp.status_code == 422 and "not valid JSON" in resp.json()["detail"]


def test_the_day_board_of_a_run(client: TestClient, bearer: Bearer, run_id: int) -> None:
    viewer, planner = bearer("v", "viewer"), bearer("p", "planner")
    client.post("/api/actuals", json={**REPORT, "run_id": run_id}, headers=planner)
    off_plan = {"tail": "TZ-03C", "origin": "GAGO", "destination": "DRRN"}
    client.post(
        "/api/actuals", json={**off_plan, "off_utc": "2023-10-27T11:00:00Z"}, headers=planner
    )
    url = f"/api/actuals/board?run={run_id}&now=2023-10-27T10:00:00Z"
    board = client.get(url, headers=viewer)
    assert board.status_code == 200, board.text
    doc = board.json()
    assert doc["day"] == "2023-10-27" and doc["days"] == ["2023-10-27"]
    assert doc["tolerance_min"] == 15 and doc["units"]["late_min"] == "min"
    first, second = doc["legs"]
    assert (first["mission"], first["leg"], first["status"]) == (1, 1, "airborne")
    assert first["late_min"] == 10 and not first["late"]
    assert first["next_action"].startswith("overdue at GAGO: landing planned 08:40Z, 80 min ago")
    assert first["actual"]["fuel_out_kg"] == 14200 and len(first["reports"]) == 1
    assert second["status"] == "not reported yet" and second["actual"] is None
    assert second["late_min"] == 30
    assert [m["key"]["tail"] for m in doc["unplanned"]] == ["TZ-03C"]
    assert (
        client.get(f"/api/actuals/board?run={run_id}&day=2023-10-28", headers=viewer).json()[
            "field"
        ]
        == "day"
    )
    assert client.get("/api/actuals/board?run=4711", headers=viewer).status_code == 404
