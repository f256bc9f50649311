"""The API calls behind the Plan page (``/plan``): airfield type-ahead, a manifest CSV read
into items, the brief of an ad-hoc plan, and refused inputs that name the field the page
marks (``stops[1]``, ``loads[0].cargo_kg``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from airlift.airfields import search

CIRCUIT = {"stops": ["GABS", "GAGO", "GATS", "DRRN", "GABS"], "departure_utc": "2023-10-27T06:30Z"}
MANIFEST = (
    "id,origin,destination,cargo_kg,pallets,pax,description,dg_class,un_number\n"
    "M1,GABS,GATS,4000,2,0,Rations,,\n"
    "M2,GAGO,DRRN,1500,1,0,Jet A-1 in drums,3,1863\n"
)


@pytest.fixture
def planner(
    client: TestClient, bearer: Callable[..., dict[str, str]]
) -> tuple[TestClient, dict[str, str]]:
    """The test client (``conftest.py``) and a planner's bearer header."""
    return client, bearer("p", "planner")


def test_search_finds_theatre_airfields_first_by_code_or_name() -> None:
    assert [m.icao for m in search("GAGO")][:1] == ["GAGO"]
    assert search("BKO")[0].icao == "GABS"  # IATA
    niamey = search("niamey")
    assert niamey[0].icao == "DRRN" and niamey[0].source == "theatre file"
    assert any(m.icao == "HKJK" for m in search("HKJ"))  # the world, from airportsdata
    assert len(search("A", limit=5)) == 5
    assert search("   ") == []


def test_search_route(planner: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = planner
    found = client.get("/api/airfields/search", params={"q": "tessalit"}, headers=auth)
    assert found.status_code == 200
    assert found.json()[0] == {
        "icao": "GATS",
        "iata": "",
        "name": "Tessalit",
        "city": found.json()[0]["city"],
        "country": "ML",
        "source": "theatre file",
    }
    too_long = client.get("/api/airfields/search", params={"q": "x" * 65}, headers=auth)
    assert too_long.status_code == 422 and too_long.json()["field"] == "q"
    assert client.get("/api/airfields/search", params={"q": "GA"}).status_code == 401


def test_a_manifest_csv_becomes_items_and_plans(planner: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = planner
    files = {"file": ("manifest.csv", MANIFEST.encode(), "text/csv")}
    read = client.post("/api/plan/manifest", files=files, headers=auth)
    assert read.status_code == 200, read.text
    items = read.json()
    assert [(i["id"], i["origin"], i["destination"], i["cargo_kg"]) for i in items] == [
        ("M1", "GABS", "GATS", 4000.0),
        ("M2", "GAGO", "DRRN", 1500.0),
    ]
    assert (items[1]["dg_class"], items[1]["un_number"]) == ("3", "UN1863")
    planned = client.post("/api/plan", json={**CIRCUIT, "items": items}, headers=auth).json()
    assert [leg["cargo_kg"] for leg in planned["legs"]] == [4000.0, 5500.0, 1500.0, 0.0]


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        (b"id,origin\nM1,GABS\n", "destination", "missing column"),
        (b"id,origin,destination,cargo_kg\nM1,GABS,GAGO,-5\n", "cargo_kg", "line 2"),
        (b"id,origin,destination\nM1,ZZZZ,GAGO\n", "origin", "ZZZZ"),
        (b"\xff\xfe\x00garbage", "file", "UTF-8"),
        (b"id,origin,destination,un_number\nM1,GABS,GAGO,UN1863\n", "un_number", "dg_class"),
        (b"id,origin,destination,dg_class\nM1,GABS,GAGO,7.7\n", "dg_class", "not a UN"),
    ],
)
def test_a_bad_manifest_is_422_naming_the_field(
    planner: tuple[TestClient, dict[str, str]], content: bytes, field: str, words: str
) -> None:
    client, auth = planner
    files = {"file": ("m.csv", content, "text/csv")}
    answer = client.post("/api/plan/manifest", files=files, headers=auth)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert words in answer.json()["detail"]


def test_the_brief_of_an_ad_hoc_plan_lists_its_items(
    planner: tuple[TestClient, dict[str, str]],
) -> None:
    client, auth = planner
    files = {"file": ("manifest.csv", MANIFEST.encode(), "text/csv")}
    items = client.post("/api/plan/manifest", files=files, headers=auth).json()
    brief = client.post("/api/plan/brief", json={**CIRCUIT, "items": items}, headers=auth)
    assert brief.status_code == 200
    assert brief.headers["content-type"].startswith("text/html")
    html = brief.text
    for text in ("GABS", "GATS", "DRRN", "M1", "M2", "Jet A-1 in drums", "UN1863"):
        assert text in html


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stops": ["GABS", "GAOX", "GATS"]}, "stops[1]"),
        ({"loads": [{"cargo_kg": 30000}]}, "loads[0].cargo_kg"),
        ({"loads": [{}, {"pallets": 40}, {}, {}]}, "loads[1].pallets"),
        ({"oat": ["GATB=40"]}, "oat[0]"),
        ({"closed": ["GAGO:99X"]}, "closed[0]"),
    ],
)
def test_a_refused_plan_names_the_input_the_page_marks(
    planner: tuple[TestClient, dict[str, str]], change: dict[str, object], field: str
) -> None:
    client, auth = planner
    answer = client.post("/api/plan", json={**CIRCUIT, **change}, headers=auth)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
