"""Airspace over HTTP: stored zones (CRUD, a file import all or nothing), clearance records,
plans routed around the stored zones, and the brief's clearance section with the numbers.

Fixtures: one threat zone ``BOX`` across the great circle GABS (Bamako) -> GAGO (Gao), near
its midpoint (lon -4.5..-3.5, lat 13.5..15.5), active at every level and time."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

Headers = dict[str, str]

BOX = {
    "name": "Threat Mopti",
    "kind": "threat",
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[-4.5, 13.5], [-3.5, 13.5], [-3.5, 15.5], [-4.5, 15.5], [-4.5, 13.5]]],
    },
    "standoff_m": 5000,
    "note": "MANPADS reported",
}

BOWTIE = [[0, 10], [1, 11], [1, 10], [0, 11], [0, 10]]
"""A self-intersecting ring (the polygon crosses itself at (0.5, 10.5))."""


def _feature(name: str, kind: str, ring: list[list[float]]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, "kind": kind},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _collection(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


GOOD_RING = [[2, 14], [3, 14], [3, 15], [2, 15], [2, 14]]


@pytest.fixture
def planner(bearer: Callable[..., Headers]) -> Headers:
    return bearer("planner", "planner")


@pytest.fixture
def viewer(bearer: Callable[..., Headers]) -> Headers:
    return bearer("viewer", "viewer")


def _upload(client: TestClient, headers: Headers, name: str, content: bytes) -> Any:
    return client.post(
        "/api/zones/import", files={"file": (name, content, "application/json")}, headers=headers
    )


# --- zones ---------------------------------------------------------------------------------------


def test_zone_crud(client: TestClient, planner: Headers, viewer: Headers) -> None:
    created = client.post("/api/zones", json=BOX, headers=planner)
    assert created.status_code == 201, created.text
    zone = created.json()
    assert zone["geometry"]["type"] == "Polygon"
    assert zone["version"] == 1
    listed = client.get("/api/zones", headers=viewer).json()
    assert [z["name"] for z in listed] == ["Threat Mopti"]
    geo = client.get("/api/zones.geojson", headers=viewer).json()
    assert geo["type"] == "FeatureCollection"
    assert geo["features"][0]["properties"]["kind"] == "threat"
    assert geo["features"][0]["geometry"]["coordinates"][0][0] == [-4.5, 13.5]
    changed = client.put(
        f"/api/zones/{zone['id']}",
        json={**BOX, "upper_ft": 15000, "version": 1},
        headers=planner,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["upper_ft"] == 15000
    assert changed.json()["version"] == 2
    assert client.get(f"/api/zones/{zone['id']}", headers=viewer).json()["upper_ft"] == 15000
    # stale version: 409, nothing changed
    stale = client.put(
        f"/api/zones/{zone['id']}", json={**BOX, "note": "x", "version": 1}, headers=planner
    )
    assert stale.status_code == 409
    assert client.delete(f"/api/zones/{zone['id']}?version=1", headers=planner).status_code == 409
    gone = client.delete(f"/api/zones/{zone['id']}?version=2", headers=planner)
    assert gone.status_code == 204
    assert client.get("/api/zones", headers=viewer).json() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "dangerous"}, "kind"),  # not a zone kind
        ({"geometry": {"type": "Polygon", "coordinates": [BOWTIE]}}, "geometry"),  # crosses itself
        ({"geometry": {"type": "Point", "coordinates": [0, 0]}}, "geometry"),  # not a polygon
        # an integer beyond any float, once a 500
        (
            {"geometry": {"type": "Polygon", "coordinates": [[[10**400, 0], [1, 1], [1, 0]]]}},
            "geometry",
        ),
        ({"lower_ft": 20000, "upper_ft": 10000}, "lower_ft"),  # band upside down
        ({"kind": "restricted", "standoff_m": 100}, "standoff_m"),  # stand-off for threats only
        ({"from_utc": "2026-01-02T00:00Z", "until_utc": "2026-01-01T00:00Z"}, "from_utc"),
    ],
)
def test_a_bad_zone_is_422_naming_the_field(
    client: TestClient, planner: Headers, change: dict[str, Any], field: str
) -> None:
    answer = client.post("/api/zones", json={**BOX, **change}, headers=planner)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert client.get("/api/zones", headers=planner).json() == []


def test_zone_writes_need_a_planner(client: TestClient, viewer: Headers) -> None:
    assert client.post("/api/zones", json=BOX).status_code == 401
    assert client.post("/api/zones", json=BOX, headers=viewer).status_code == 403
    upload = _upload(client, viewer, "z.geojson", _collection(_feature("A", "threat", GOOD_RING)))
    assert upload.status_code == 403
    assert (
        client.post("/api/clearances", json={"country": "MLI", "kind": "landing"}).status_code
        == 401
    )
    assert (
        client.post(
            "/api/clearances", json={"country": "MLI", "kind": "landing"}, headers=viewer
        ).status_code
        == 403
    )


def test_import_stores_every_zone_of_a_good_file(client: TestClient, planner: Headers) -> None:
    content = _collection(
        _feature("North", "prohibited", GOOD_RING),
        _feature("South", "restricted", [[2, 12], [3, 12], [3, 13], [2, 12]]),
    )
    answer = _upload(client, planner, "theatre.geojson", content)
    assert answer.status_code == 201, answer.text
    assert [z["name"] for z in answer.json()] == ["North", "South"]
    assert len(client.get("/api/zones", headers=planner).json()) == 2


def test_import_reads_openair_by_its_suffix(client: TestClient, planner: Headers) -> None:
    text = "\n".join(
        [
            "AC R",
            "AN R-TEST",
            "AL SFC",
            "AH FL150",
            "DP 14:00:00 N 002:00:00 E",
            "DP 15:00:00 N 002:00:00 E",
            "DP 15:00:00 N 003:00:00 E",
        ]
    )
    answer = _upload(client, planner, "area.txt", text.encode())
    assert answer.status_code == 201, answer.text
    assert answer.json()[0]["upper_ft"] == 15000


@pytest.mark.parametrize(
    ("name", "content", "field", "says"),
    [
        (
            "bad.geojson",
            _collection(
                _feature("Fine", "threat", GOOD_RING), _feature("Bowtie", "threat", BOWTIE)
            ),
            "geometry",
            ["bad.geojson", "feature 2", "Bowtie", "invalid polygon"],
        ),
        (
            "kinds.geojson",
            _collection(_feature("Odd", "danger-ish", GOOD_RING)),
            "kind",
            ["kinds.geojson", "feature 1", "kind"],
        ),
        ("notes.json", b'{"hello": "world"}', "type", ["notes.json", "not GeoJSON"]),
        ("empty.kml", b"", None, ["empty.kml", "empty"]),
        ("photo.geojson", b"\xff\xd8\xff\xe0 JFIF", None, ["photo.geojson", "UTF-8"]),
    ],
)
def test_a_bad_zone_file_is_422_and_stores_nothing(
    client: TestClient,
    planner: Headers,
    name: str,
    content: bytes,
    field: str | None,
    says: list[str],
) -> None:
    answer = _upload(client, planner, name, content)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["field"] == field
    for text in says:
        assert text in body["detail"]
    assert client.get("/api/zones", headers=planner).json() == []  # all or nothing


def test_an_import_clashing_with_a_stored_name_stores_nothing(
    client: TestClient, planner: Headers
) -> None:
    assert (
        client.post("/api/zones", json={**BOX, "name": "South"}, headers=planner).status_code == 201
    )
    content = _collection(
        _feature("North", "threat", GOOD_RING), _feature("South", "threat", GOOD_RING)
    )
    assert _upload(client, planner, "z.geojson", content).status_code == 409
    assert [z["name"] for z in client.get("/api/zones", headers=planner).json()] == ["South"]


def test_a_hostile_upload_name_stays_in_its_folder(client: TestClient, planner: Headers) -> None:
    content = _collection(_feature("North", "threat", GOOD_RING))
    answer = _upload(client, planner, "../../etc/passwd.geojson", content)
    assert answer.status_code == 201, answer.text


# --- clearances ---------------------------------------------------------------------------------


def test_clearance_crud_and_rules(client: TestClient, planner: Headers) -> None:
    made = client.post(
        "/api/clearances", json={"country": "ml", "kind": "overflight"}, headers=planner
    )
    assert made.status_code == 201, made.text
    record = made.json()
    assert (record["country"], record["status"], record["number"]) == ("MLI", "needed", "")
    no_number = client.put(
        f"/api/clearances/{record['id']}",
        json={**record, "status": "granted"},
        headers=planner,
    )
    assert no_number.status_code == 422
    assert no_number.json()["field"] == "number"
    granted = client.put(
        f"/api/clearances/{record['id']}",
        json={**record, "status": "granted", "number": "MLI-2026-0042", "valid_from": "2026-12-01"},
        headers=planner,
    )
    assert granted.status_code == 200, granted.text
    assert granted.json()["version"] == 2
    stale = client.put(
        f"/api/clearances/{record['id']}", json={**record, "note": "late"}, headers=planner
    )
    assert stale.status_code == 409
    assert client.get("/api/clearances", headers=planner).json()[0]["number"] == "MLI-2026-0042"
    assert (
        client.delete(f"/api/clearances/{record['id']}?version=2", headers=planner).status_code
        == 204
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"country": "XXX", "kind": "landing"}, "country"),
        ({"country": "MLI", "kind": "parking"}, "kind"),
        ({"country": "MLI", "kind": "landing", "status": "maybe"}, "status"),
        (
            {
                "country": "MLI",
                "kind": "landing",
                "valid_from": "2026-02-01",
                "valid_until": "2026-01-01",
            },
            "valid_until",
        ),
        ({"country": "MLI", "kind": "landing", "valid_from": "someday"}, "valid_from"),
    ],
)
def test_a_bad_clearance_is_422_naming_the_field(
    client: TestClient, planner: Headers, body: dict[str, Any], field: str
) -> None:
    answer = client.post("/api/clearances", json=body, headers=planner)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


# --- planning with the stored airspace ----------------------------------------------------------

PLAN = {
    "aircraft": "C-130H",
    "stops": ["GABS", "GAGO"],
    "departure_utc": "2026-12-20T06:00Z",
    "fl": 200,
}


def test_a_plan_routes_around_a_stored_zone(client: TestClient, planner: Headers) -> None:
    direct = client.post("/api/plan", json=PLAN, headers=planner)
    assert direct.status_code == 200, direct.text
    assert direct.json()["legs"][0]["detour_nm"] == 0
    assert client.post("/api/zones", json=BOX, headers=planner).status_code == 201
    routed = client.post("/api/plan", json=PLAN, headers=planner)
    assert routed.status_code == 200, routed.text
    leg = routed.json()["legs"][0]
    assert leg["detour_nm"] > 0
    assert "Threat Mopti" in leg["zones_avoided"]
    assert len(leg["route"]) > 2
    assert leg["dist_nm"] > direct.json()["legs"][0]["dist_nm"]
    assert leg["countries"][0] == leg["countries"][-1] == "MLI"
    # the zone gone, the great circle again (the cached airspace follows the table)
    zone = client.get("/api/zones", headers=planner).json()[0]
    client.delete(f"/api/zones/{zone['id']}?version=1", headers=planner)
    again = client.post("/api/plan", json=PLAN, headers=planner).json()["legs"][0]
    assert again["detour_nm"] == 0


def test_a_plan_for_an_operator_lists_the_clearances(client: TestClient, planner: Headers) -> None:
    body = {
        **PLAN,
        "stops": ["GABS", "GAGO", "DRRN"],
        "operator": "FRA",
        "planning_date": "2026-12-01",
    }
    answer = client.post("/api/plan", json=body, headers=planner)
    assert answer.status_code == 200, answer.text
    needed = {(c["country"], c["kind"]) for c in answer.json()["clearances"]}
    assert {c for c, _ in needed} >= {"MLI", "NER"}
    assert ("NER", "landing") in needed
    assert all(c["obtainable"] for c in answer.json()["clearances"])


@pytest.mark.parametrize(
    ("change", "field"),
    [({"operator": "ZZ"}, "operator"), ({"planning_date": "2026-13-01"}, "planning_date")],
)
def test_bad_airspace_fields_of_a_plan_are_422(
    client: TestClient, planner: Headers, change: dict[str, Any], field: str
) -> None:
    answer = client.post("/api/plan", json={**PLAN, **change}, headers=planner)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


def test_the_brief_shows_a_granted_clearance_number(client: TestClient, planner: Headers) -> None:
    client.post("/api/zones", json=BOX, headers=planner)
    client.post(
        "/api/clearances",
        json={"country": "NER", "kind": "landing", "status": "granted", "number": "NE-77/2026"},
        headers=planner,
    )
    client.post(
        "/api/clearances",
        json={"country": "MLI", "kind": "landing", "status": "requested"},
        headers=planner,
    )
    body = {
        **PLAN,
        "stops": ["GABS", "GAGO", "DRRN"],
        "operator": "FRA",
        "planning_date": "2026-12-01",
    }
    brief = client.post("/api/plan/brief", json=body, headers=planner)
    assert brief.status_code == 200, brief.text
    html = brief.text
    assert "Diplomatic clearances" in html
    assert "granted, no. NE-77/2026" in html
    assert "requested" in html
    assert "Countries overflown" in html
    assert "Threat Mopti" in html  # the zone avoided on leg 1


def test_maxload_routes_around_a_stored_zone(client: TestClient, planner: Headers) -> None:
    body = {"origin": "GABS", "destination": "GAGO", "departure_utc": "2026-12-20T06:00Z"}
    direct = client.post("/api/maxload", json=body, headers=planner).json()
    client.post("/api/zones", json=BOX, headers=planner)
    routed = client.post("/api/maxload", json=body, headers=planner)
    assert routed.status_code == 200, routed.text
    assert routed.json()["plan"]["legs"][0]["dist_nm"] > direct["plan"]["legs"][0]["dist_nm"]
