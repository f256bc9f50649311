"""Exports: each format is read back with a real parser or validator.

JSON with ``json``, CSV with ``csv.DictReader``, GeoJSON with geojson-pydantic and shapely,
KML with lxml, fastkml and the OGC KML 2.2 XML schema that fastkml ships.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastkml import KML
from fastkml.validator import validate as validate_kml
from geojson_pydantic import FeatureCollection
from lxml import etree
from shapely.geometry import shape

from airlift.aircraft import aircraft_type
from airlift.airfields import Airfield, lookup
from airlift.errors import InputError
from airlift.export import (
    plan_document,
    write_all,
    write_csv,
    write_geojson,
    write_json,
    write_kml,
)
from airlift.export.document import UNITS
from airlift.export.geojson import split_antimeridian
from airlift.mission import Leg, Load, MissionInput, MissionPlan, Options, plan

KML_NS = "http://www.opengis.net/kml/2.2"
ROUTE = "GABS GAGO GATS DRRN GABS"
LOADS = (Load(12000, 4, 30), Load(8000, 3, 20), Load(2000, 1, 40), Load(6000, 2, 20))


@pytest.fixture(scope="module")
def stops() -> tuple[Airfield, ...]:
    return tuple(lookup(code) for code in ROUTE.split())


def _plan(stops: tuple[Airfield, ...], options: Options | None = None) -> MissionPlan:
    m = MissionInput(
        aircraft_type("C-130H"),
        stops,
        datetime(2023, 10, 27, 6, 30, tzinfo=UTC),
        LOADS,
        # Expedited turnarounds: the four-leg circuit in a 16 h duty day.
        options=options or Options(ground_mode="expedited"),
    )
    return plan(m)


@pytest.fixture(scope="module")
def good(stops: tuple[Airfield, ...]) -> MissionPlan:
    p = _plan(stops)
    assert p.feasible, p.violations
    return p


@pytest.fixture(scope="module")
def bad(stops: tuple[Airfield, ...]) -> MissionPlan:
    """A 3 h crew duty day: broken from leg 1 on (the mission lasts about 13 h)."""
    p = _plan(stops, Options(duty_limit_h=3.0))
    assert not p.feasible
    assert any(v.leg == 0 for v in p.violations)
    return p


def _numeric_keys(node: Any, found: set[str], key: str | None = None) -> set[str]:
    """Every dict key whose value is a number (or null) anywhere in ``node``."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k != "units":
                _numeric_keys(v, found, k)
    elif isinstance(node, list):
        for item in node:
            _numeric_keys(item, found, key)
    elif key is not None and isinstance(node, int | float) and not isinstance(node, bool):
        found.add(key)
    return found


# --- JSON -----------------------------------------------------------------------------------


def _no_constant(name: str) -> None:
    raise AssertionError(f"JSON contains {name}")


@pytest.mark.parametrize("which", ["good", "bad"])
def test_json_document(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    p: MissionPlan = request.getfixturevalue(which)
    path = write_json(p, tmp_path / "plan.json")
    doc = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)

    assert doc["feasible"] is p.feasible
    assert doc["aircraft"] == "C-130H"
    assert doc["tail"] is None
    assert doc["fuel_policy"]["name"] == p.policy.name
    assert isinstance(doc["fuel_policy"]["description"], str)
    assert doc["departure_utc"] == "2023-10-27T06:30:00Z"
    assert doc["route"] == ROUTE.split()
    for key in ("start_utc", "end_utc"):
        assert doc["duty"][key].endswith("Z")
        assert datetime.fromisoformat(doc["duty"][key]).tzinfo is not None
    assert isinstance(doc["duty"]["minutes"], float)
    assert doc["duty"]["limit_min"] == (180.0 if which == "bad" else 960.0)
    assert doc["totals"]["dist_nm"] == pytest.approx(p.total_dist_nm, abs=0.05)
    assert doc["totals"]["flight_time_min"] == pytest.approx(p.total_flight_time_min, abs=0.05)
    assert doc["totals"]["uplift_kg"] == pytest.approx(p.total_uplift_kg, abs=0.05)
    assert isinstance(doc["warnings"], list)
    assert len(doc["violations"]) == len(p.violations)
    for v in doc["violations"]:
        assert set(v) >= {"leg", "limit", "excess", "unit", "message"}
        assert isinstance(v["leg"], int) and isinstance(v["excess"], float)

    assert len(doc["legs"]) == len(p.legs)
    leg_names = {f.name for f in dataclasses.fields(Leg)} - {"load"}
    for leg, out in zip(p.legs, doc["legs"], strict=True):
        assert set(out) >= leg_names | {"cargo_kg", "pallets", "pax", "feasible", "number"}
        assert out["origin"] == leg.origin and out["destination"] == leg.destination
        assert out["binding_limit"] == leg.binding_limit and out["margin_unit"] == leg.margin_unit
        assert out["feasible"] is (not any(v.leg == leg.index for v in p.violations))
        for key in ("dist_nm", "course_deg", "trip_fuel_kg", "uplift_kg", "tow_kg", "margin"):
            assert isinstance(out[key], float)
            assert out[key] == round(out[key], 1)
            assert out[key] == pytest.approx(getattr(leg, key), abs=0.05)
        assert out["etd_utc"].endswith("Z")
        etd = datetime.fromisoformat(out["etd_utc"])
        assert abs((etd - leg.etd_utc).total_seconds()) <= 0.5
        local = datetime.fromisoformat(out["eta_local"])
        assert local.utcoffset() == leg.eta_local.utcoffset()
        assert len(out["limits"]) == len(leg.limits)
        for lim in out["limits"]:
            assert set(lim) >= {"name", "limit", "actual", "margin", "unit", "detail"}
            assert "payload_headroom_kg" in lim

    # Every numeric field name used is documented in `units`.
    assert doc["units"] == UNITS
    assert _numeric_keys(doc, set()) <= set(doc["units"])


def test_json_violations_of_an_infeasible_plan(bad: MissionPlan) -> None:
    doc = plan_document(bad)
    assert doc["feasible"] is False
    first = [v for v in doc["violations"] if v["leg"] == 0]
    assert first and first[0]["limit"] == "duty" and first[0]["unit"] == "min"
    assert first[0]["excess"] > 0
    assert doc["legs"][0]["feasible"] is False
    assert doc["legs"][0]["binding_limit"] == "duty"
    assert doc["legs"][0]["margin"] < 0


def test_json_replaces_infinity_by_null(good: MissionPlan, tmp_path: Path) -> None:
    leg = good.legs[0]
    lim = dataclasses.replace(leg.limits[0], payload_headroom_kg=math.inf)
    odd = dataclasses.replace(
        good,
        legs=(dataclasses.replace(leg, alternate_nm=math.inf, limits=(lim,)), *good.legs[1:]),
    )
    text = write_json(odd, tmp_path / "odd.json").read_text(encoding="utf-8")
    doc = json.loads(text, parse_constant=_no_constant)
    assert doc["legs"][0]["alternate_nm"] is None
    assert doc["legs"][0]["limits"][0]["payload_headroom_kg"] is None


# --- CSV ------------------------------------------------------------------------------------

NUMERIC_COLUMNS = (
    "dist_nm", "course_deg", "flight_time_min", "block_time_min", "cargo_kg", "pallets", "pax",
    "payload_kg", "uplift_kg", "ramp_fuel_kg", "trip_fuel_kg", "reserve_fuel_kg", "tow_kg",
    "lw_kg", "margin", "origin_oat_c", "origin_density_alt_ft",
)  # fmt: skip


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_one_row_per_leg(good: MissionPlan, tmp_path: Path) -> None:
    rows = _read_csv(write_csv(good, tmp_path / "plan.csv"))
    assert len(rows) == len(good.legs)
    header = set(rows[0])
    assert header >= {
        "origin", "destination", "etd_utc", "etd_local", "eta_utc", "eta_local",
        "binding_limit", "margin_unit", "feasible", "violations", *NUMERIC_COLUMNS,
    }  # fmt: skip
    assert "limits" not in header
    for leg, row in zip(good.legs, rows, strict=True):
        for col in NUMERIC_COLUMNS:
            assert math.isfinite(float(row[col])), col
        assert float(row["dist_nm"]) == pytest.approx(leg.dist_nm, abs=0.05)
        assert row["binding_limit"] == leg.binding_limit
        assert row["feasible"] == "true"
        assert row["violations"] == ""
        assert row["etd_utc"].endswith("Z")


def test_csv_violations(bad: MissionPlan, tmp_path: Path) -> None:
    rows = _read_csv(write_csv(bad, tmp_path / "plan.csv"))
    assert rows[0]["feasible"] == "false"
    for leg, row in zip(bad.legs, rows, strict=True):
        messages = [v.message for v in bad.violations if v.leg == leg.index]
        assert row["violations"] == "; ".join(messages)
        assert row["feasible"] == ("false" if messages else "true")
    assert "duty exceeded" in rows[0]["violations"]


# --- GeoJSON --------------------------------------------------------------------------------


def test_geojson(good: MissionPlan, stops: tuple[Airfield, ...], tmp_path: Path) -> None:
    path = write_geojson(good, stops, tmp_path / "plan.geojson")
    raw = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    assert "crs" not in raw
    fc = FeatureCollection.model_validate(raw)
    points = [f for f in raw["features"] if f["geometry"]["type"] == "Point"]
    lines = [f for f in raw["features"] if f["geometry"]["type"] == "LineString"]
    assert len(fc.features) == len(points) + len(lines)
    assert sorted(f["properties"]["icao"] for f in points) == sorted(set(ROUTE.split()))
    for f in points:
        assert set(f["properties"]) >= {
            "icao", "name", "elevation_ft", "fuel_available", "daylight_only",
        }  # fmt: skip
    gats = next(f for f in points if f["properties"]["icao"] == "GATS")
    assert gats["properties"]["daylight_only"] is True

    assert len(lines) == len(good.legs)
    for leg, f in zip(good.legs, lines, strict=True):
        geom = shape(f["geometry"])
        assert geom.is_valid and geom.length > 0
        coords = f["geometry"]["coordinates"]
        assert len(coords) > 2
        a, b = stops[leg.index], stops[leg.index + 1]
        assert coords[0][0] == pytest.approx(a.lon, abs=1e-6)
        assert coords[0][1] == pytest.approx(a.lat, abs=1e-6)
        assert coords[-1][0] == pytest.approx(b.lon, abs=1e-6)
        assert coords[-1][1] == pytest.approx(b.lat, abs=1e-6)
        assert all(round(c, 6) == c for pos in coords for c in pos)
        props = f["properties"]
        assert props["origin"] == leg.origin and props["destination"] == leg.destination
        assert props["dist_nm"] == pytest.approx(leg.dist_nm, abs=0.05)
        assert props["binding_limit"] == leg.binding_limit
        assert props["violations"] == []
    for f in points:
        assert shape(f["geometry"]).is_valid


@pytest.mark.parametrize("writer", [write_geojson, write_kml])
def test_stops_must_match_the_plan(
    writer: Any, good: MissionPlan, stops: tuple[Airfield, ...], tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="not the plan's stops"):
        writer(good, stops[:-1], tmp_path / "unused")
    with pytest.raises(InputError, match="not the plan's stops"):
        writer(good, tuple(reversed(stops[1:])) + stops[:1], tmp_path / "unused")
    assert not (tmp_path / "unused").exists()


def test_antimeridian_is_cut_into_valid_parts() -> None:
    track = [(178.0, -17.0), (179.5, -17.5), (-179.5, -18.0), (-178.0, -18.5)]
    parts = split_antimeridian(track)
    assert len(parts) == 2
    assert parts[0][-1] == (180.0, pytest.approx(-17.75))
    assert parts[1][0] == (-180.0, pytest.approx(-17.75))
    geom = shape({"type": "MultiLineString", "coordinates": parts})
    assert geom.is_valid
    assert all(-180.0 <= lon <= 180.0 for part in parts for lon, _ in part)
    assert split_antimeridian(track[:2]) == [track[:2]]


# --- KML ------------------------------------------------------------------------------------


def test_kml(bad: MissionPlan, stops: tuple[Airfield, ...], tmp_path: Path) -> None:
    path = write_kml(bad, stops, tmp_path / "plan.kml")
    data = path.read_bytes()

    root = etree.fromstring(data)
    assert root.tag == f"{{{KML_NS}}}kml"
    ns = {"k": KML_NS}
    placemarks = root.findall(".//k:Placemark", ns)
    n_stops = len(set(ROUTE.split()))
    assert len(placemarks) == n_stops + len(bad.legs)
    assert validate_kml(element=etree.ElementTree(root)) is True  # the OGC KML 2.2 schema
    lines = root.findall(".//k:Placemark/k:LineString", ns)
    assert len(lines) == len(bad.legs)
    for line in lines:
        assert line.findtext("k:tessellate", namespaces=ns) == "1"
        coords = line.findtext("k:coordinates", namespaces=ns).split()
        assert len(coords) > 2
        assert all(len(c.split(",")) == 3 and c.endswith(",0") for c in coords)

    kml = KML.parse(path)
    assert kml.ns == f"{{{KML_NS}}}"
    (document,) = kml.features
    assert document.name
    stop_folder, leg_folder = document.features
    assert len(stop_folder.features) == n_stops
    assert len(leg_folder.features) == len(bad.legs)
    for leg, pm in zip(bad.legs, leg_folder.features, strict=True):
        assert type(pm.geometry).__name__ == "LineString"
        text = pm.description
        for unit in (" NM", " kg", " min", "° true", "kt"):
            assert unit in text, unit
        assert f"Binding limit: {leg.binding_limit}" in text
        assert "duty exceeded" in text
        assert pm.style_url.url == "#leg-violated"
    gabs = stop_folder.features[0]
    assert gabs.name == "GABS" and " ft" in gabs.description


def test_write_all(good: MissionPlan, stops: tuple[Airfield, ...], tmp_path: Path) -> None:
    paths = write_all(good, stops, tmp_path / "out", "mission")
    assert [p.name for p in paths] == [
        "mission.json", "mission.csv", "mission.geojson", "mission.kml",
    ]  # fmt: skip
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
