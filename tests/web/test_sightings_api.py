"""``/api/sightings`` through the real app on SQLite and PostgreSQL: planners report (JSON
or a photo), viewers read each sighting matched against a run's plan; bad input is 422
naming the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from airlift.store.db import transaction
from airlift.store.models import ScheduleRun
from sighting_helpers import jpeg, sighting_plan

Bearer = Callable[..., dict[str, str]]

SEEN: dict[str, Any] = {
    "aircraft_type": "C-130H",
    "airfield": "GABS",
    "at_utc": "2023-10-27T10:05:00Z",
    "source": "photo",
    "confidence": "high",
    "note": "Niger Air Force C-130H on the apron",
}
"""The reference case: while the plan has 5U-MBD on the ground at DRRN."""


@pytest.fixture
def run_id(app: FastAPI, client: TestClient) -> int:
    with transaction(app.state.sessions) as session:
        run = ScheduleRun(status="done", created_by="tests", result=sighting_plan())
        session.add(run)
        session.flush()
        return int(run.id)


def test_a_planner_reports_a_viewer_reads_the_unplanned_presence(
    client: TestClient, bearer: Bearer, run_id: int
) -> None:
    viewer, planner = bearer("v", "viewer"), bearer("p", "planner")
    assert client.post("/api/sightings", json=SEEN, headers=viewer).status_code == 403
    created = client.post("/api/sightings", json={**SEEN, "run_id": run_id}, headers=planner)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["new"] and body["reported_by"] == "p"
    assert body["match"]["outcome"] == "unplanned presence"
    again = client.post("/api/sightings", json={**SEEN, "run_id": run_id}, headers=planner)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    listed = client.get(f"/api/sightings?run={run_id}&day=2023-10-27", headers=viewer).json()
    assert len(listed) == 1
    match = listed[0]["match"]
    assert match["outcome"] == "unplanned presence" and match["confirming"] == []
    by_tail = {c["tail"]: c for c in match["candidates"]}
    assert set(by_tail) == {"5U-MBD", "5U-MBH"}
    assert by_tail["5U-MBD"]["at"] == "DRRN" and not by_tail["5U-MBD"]["airborne"]
    assert client.get("/api/sightings?day=2023-10-28", headers=viewer).json() == []
    assert client.get("/api/sightings", headers=viewer).json()[0]["match"] is None


def test_a_photo_gives_time_and_place_and_is_not_kept(
    client: TestClient, bearer: Bearer, run_id: int
) -> None:
    planner = bearer("p", "planner")
    photo = jpeg("2023:10:27 13:20:00", "+01:00", (12.5335, -7.9499))  # 12:20Z near GABS
    resp = client.post(
        "/api/sightings/photo",
        files={"photo": ("apron.jpg", photo, "image/jpeg")},
        data={"aircraft_type": "C-130H", "run_id": str(run_id)},
        headers=planner,
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["at_utc"] == "2023-10-27T12:20:00Z" and body["source"] == "photo"
    assert body["lat"] == pytest.approx(12.5335, abs=1e-4) and len(body["photo_sha256"]) == 64
    assert body["match"]["outcome"] == "confirmed"  # 5U-MBH landed at GABS at 12:00
    assert [c["tail"] for c in body["match"]["confirming"]] == ["5U-MBH"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"at_utc": None}, "at_utc"),  # no time
        ({"at_utc": "2098-10-27T10:05:00Z"}, "at_utc"),  # the future
        ({"airfield": "ZZZZ"}, "airfield"),
        ({"airfield": "", "lat": 91, "lon": 0}, "lat"),
        ({"aircraft_type": ""}, "tail"),  # neither tail nor type
        ({"confidence": "0.7"}, "confidence"),
        ({"run_id": 4711}, "run_id"),
    ],
)
def test_bad_sightings_are_422_naming_the_field(
    client: TestClient, bearer: Bearer, change: dict[str, Any], field: str
) -> None:
    body = {k: v for k, v in {**SEEN, **change}.items() if v is not None}
    resp = client.post("/api/sightings", json=body, headers=bearer("p", "planner"))
    assert resp.status_code == 422, resp.text
    assert resp.json()["field"] == field


@pytest.mark.parametrize(
    ("photo", "data", "field"),
    [
        (b"not an image at all", {"airfield": "GABS"}, "photo"),
        (jpeg("2023:10:27 10:05:00"), {"airfield": "GABS"}, "tz"),  # no offset, no zone
        (jpeg("2023:10:27 10:05:00", "+00:00"), {}, "airfield"),  # no GPS, no airfield
        (jpeg(), {"airfield": "GABS"}, "at_utc"),  # no EXIF time, none given
    ],
)
def test_bad_photos_are_422_naming_the_field(
    client: TestClient, bearer: Bearer, photo: bytes, data: dict[str, str], field: str
) -> None:
    resp = client.post(
        "/api/sightings/photo",
        files={"photo": ("x.jpg", photo, "image/jpeg")},
        data={"aircraft_type": "C-130H", **data},
        headers=bearer("p", "planner"),
    )
    assert resp.status_code == 422, resp.text
    assert resp.json()["field"] == field
