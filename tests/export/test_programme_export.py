"""Programme exports read back with real parsers: JSON, CSV, GeoJSON (geojson-pydantic and
shapely) and the Gantt PNG. One schedule run (about 3 s) shared by the whole module."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from geojson_pydantic import FeatureCollection
from shapely.geometry import shape

from airlift.aircraft import aircraft_type
from airlift.airfields import lookup
from airlift.export.document import dumps, plan_document
from airlift.export.programme import (
    LEG_COLUMNS,
    PROGRAMME_UNITS,
    lifts_on_leg,
    programme_document,
    programme_feature_collection,
    programme_kml,
    write_programme_csv,
    write_programme_geojson,
    write_programme_json,
    write_requests_csv,
)
from airlift.plots import gantt_figure, gantt_png, route_labels, short_reason
from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
from airlift.scheduling.programme import Kpis, Programme, RequestStatus
from airlift.scheduling.scheduler import schedule

START = datetime(2023, 10, 27, tzinfo=UTC)


def _t(day: int, hour: int) -> datetime:
    return START + timedelta(days=day, hours=hour)


@pytest.fixture(scope="module")
def programme() -> Programme:
    fleet = (
        FleetTail("5U-MBD", aircraft_type("C-130H"), "NE", "DRRN"),
        FleetTail("TZ-02C", aircraft_type("C295"), "ML", "GABS"),
        FleetTail("XT-MBE", aircraft_type("CN-235"), "BF", "DFFD"),
    )
    reqs = (
        MovementRequest("R1", "GABS", "GAGO", 8000, 3, 30, _t(0, 6), _t(1, 18), 2),
        MovementRequest(
            "R2",
            "GAGO",
            "GATS",
            5000,
            2,
            10,
            _t(0, 6),
            _t(2, 18),
            1,
            hazardous=True,
            description="Jet A-1 in 200 l drums",
            dg_class="3",
            un_number="UN1863",
        ),
        MovementRequest("R3", "GATS", "DRRN", 1000, 1, 24, _t(0, 6), _t(2, 18), 3),
        MovementRequest("R6", "GABS", "GAGO", 30000, 10, 0, _t(0, 6), _t(2, 18), 3),
        MovementRequest("R7", "GABS", "GAKL", 18000, 4, 0, _t(0, 6), _t(2, 18), 4, optional=True),
    )
    p = schedule(reqs, fleet, Scenario("test", START, 3), time_limit_s=3)
    assert p.missions, "the scenario must fly something for these tests to mean anything"
    return p


@pytest.fixture(scope="module")
def doc(programme: Programme, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = write_programme_json(programme, tmp_path_factory.mktemp("json") / "p.json")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _total_legs(p: Programme) -> int:
    return sum(len(m.plan.legs) for m in p.missions)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- JSON ---------------------------------------------------------------------------------------


def test_json_top_level(programme: Programme, doc: dict[str, Any]) -> None:
    for key in (
        "scenario",
        "start_utc",
        "days",
        "engine",
        "solve_seconds",
        "feasible",
        "kpis",
        "requests",
        "missions",
        "notes",
        "units",
    ):
        assert key in doc, key
    assert doc["scenario"] == "test"
    assert doc["start_utc"] == "2023-10-27T00:00:00Z"
    assert doc["days"] == 3
    assert doc["engine"] == programme.engine
    assert doc["feasible"] is True and programme.feasible
    assert len(doc["missions"]) == len(programme.missions)
    assert len(doc["requests"]) == len(programme.requests)


def test_json_kpis_all_fields_with_units(doc: dict[str, Any]) -> None:
    kpis = doc["kpis"]
    assert set(kpis) == {f.name for f in dataclasses.fields(Kpis)}
    for name in kpis:
        assert name in PROGRAMME_UNITS, name
    assert "t" in PROGRAMME_UNITS["tonnes_delivered"]
    assert "%" in PROGRAMME_UNITS["on_time_pct"]
    assert PROGRAMME_UNITS["flying_hours"].startswith("h")


def test_json_kpis_consistent_with_missions(programme: Programme, doc: dict[str, Any]) -> None:
    kpis = doc["kpis"]
    lifts = [lift for m in doc["missions"] for lift in m["lifts"]]
    assert sum(lift["cargo_kg"] for lift in lifts) / 1000.0 == pytest.approx(
        kpis["tonnes_delivered"], abs=1e-3
    )
    assert sum(lift["pax"] for lift in lifts) == kpis["pax_delivered"]
    flight_min = sum(m["plan"]["totals"]["flight_time_min"] for m in doc["missions"])
    assert flight_min / 60.0 == pytest.approx(kpis["flying_hours"], abs=0.05)
    assert kpis["missions"] == len(doc["missions"])
    assert kpis["tails_used"] == len({m["tail"] for m in doc["missions"]})
    assert kpis["legs_checked"] == _total_legs(programme)
    assert kpis["requests"] == len(doc["requests"])
    statuses = [r["status"] for r in doc["requests"]]
    for status in ("delivered", "partial", "unmet"):
        assert kpis[status] == statuses.count(status)


def test_json_requests(programme: Programme, doc: dict[str, Any]) -> None:
    # Every field, under its published key (the request's ref stays "request_id").
    names = {f.name for f in dataclasses.fields(RequestStatus)} - {"request_ref"} | {"request_id"}
    for r, status in zip(doc["requests"], programme.requests, strict=True):
        assert set(r) == names
        assert r["request_id"] == status.request_ref
        assert r["tails"] == list(status.tails)
        if status.delivered_utc is None:
            assert r["delivered_utc"] is None
        else:
            assert r["delivered_utc"].endswith("Z")
            assert datetime.fromisoformat(r["delivered_utc"]) == status.delivered_utc


def test_json_missions(programme: Programme, doc: dict[str, Any]) -> None:
    for m, md in zip(programme.missions, doc["missions"], strict=True):
        assert md["tail"] == m.tail and md["aircraft"] == m.aircraft
        assert md["nation"] == m.nation
        assert 1 <= md["day"] <= programme.days
        assert md["day"] == m.day + 1
        assert md["date"] == (START + timedelta(days=m.day)).date().isoformat()
        assert md["route"] == m.route
        # The plan is exactly the mission-plan export, through JSON.
        assert md["plan"] == json.loads(dumps(plan_document(m.plan)))
        for leg in md["plan"]["legs"]:
            assert leg["binding_limit"], leg
            assert leg["margin_unit"]
            assert leg["feasible"] is True
        for lift in md["lifts"]:
            assert lift["origin"] == m.route[lift["pickup_leg"]]
            assert lift["destination"] == m.route[lift["delivery_leg"] + 1]


def test_leg_loads_are_the_lifts_on_board(programme: Programme) -> None:
    for m in programme.missions:
        for leg in m.plan.legs:
            on_board = lifts_on_leg(m, leg.index)
            assert leg.load.cargo_kg == pytest.approx(sum(x.cargo_kg for x in on_board))
            assert leg.load.pallets == sum(x.pallets for x in on_board)
            assert leg.load.pax == sum(x.pax for x in on_board)


def test_json_is_strict(programme: Programme) -> None:
    text = json.dumps(programme_document(programme), allow_nan=False)
    assert "Infinity" not in text and "NaN" not in text


def _r2_legs(programme: Programme) -> list[tuple[int, int]]:
    """(mission position, leg index) of every leg with a lift of R2 (the Jet A-1) on board."""
    found = [
        (n, leg.index)
        for n, m in enumerate(programme.missions)
        for leg in m.plan.legs
        if any(x.request_ref == "R2" for x in lifts_on_leg(m, leg.index))
    ]
    assert found, "R2 must fly for the dangerous-goods tests to mean anything"
    return found


def test_lifts_carry_their_cargo_and_dangerous_goods(doc: dict[str, Any]) -> None:
    lifts = [lift for m in doc["missions"] for lift in m["lifts"]]
    r2 = [x for x in lifts if x["request_id"] == "R2"]
    assert r2 and all(
        (x["description"], x["hazardous"], x["dg_class"], x["un_number"])
        == ("Jet A-1 in 200 l drums", True, "3", "UN1863")
        for x in r2
    )
    r1 = [x for x in lifts if x["request_id"] == "R1"]
    assert all((x["hazardous"], x["dg_class"], x["un_number"]) == (False, "", "") for x in r1)


# --- CSV ----------------------------------------------------------------------------------------


def test_programme_csv(programme: Programme, tmp_path: Path) -> None:
    rows = _read_csv(write_programme_csv(programme, tmp_path / "legs.csv"))
    assert len(rows) == _total_legs(programme)
    assert list(rows[0]) == list(LEG_COLUMNS)
    i = 0
    for m in programme.missions:
        for leg in m.plan.legs:
            row = rows[i]
            i += 1
            assert row["tail"] == m.tail and row["aircraft"] == m.aircraft
            assert row["date"] == (START + timedelta(days=m.day)).date().isoformat()
            assert int(row["leg"]) == leg.index + 1
            assert (row["origin"], row["destination"]) == (leg.origin, leg.destination)
            assert row["etd_utc"].endswith("Z") and row["eta_utc"].endswith("Z")
            assert datetime.fromisoformat(row["etd_local"]) == leg.etd_utc
            assert row["lifts"].split() == [x.lift_id for x in lifts_on_leg(m, leg.index)]
            assert row["binding_limit"] == leg.binding_limit
            assert float(row["cargo_kg"]) == pytest.approx(leg.load.cargo_kg, abs=0.05)
            for col in ("trip_fuel_kg", "uplift_kg", "tow_kg", "margin"):
                assert math.isfinite(float(row[col])), col
    r2 = set(_r2_legs(programme))
    i = 0
    for n, m in enumerate(programme.missions):
        for leg in m.plan.legs:
            goods = rows[i]["dangerous_goods"]
            i += 1
            assert ("UN1863 class 3" in goods) == ((n, leg.index) in r2), goods


def test_requests_csv(programme: Programme, tmp_path: Path) -> None:
    rows = _read_csv(write_requests_csv(programme, tmp_path / "requests.csv"))
    assert len(rows) == len(programme.requests)
    first, *rest = dataclasses.fields(RequestStatus)
    assert first.name == "request_ref"  # published as "request_id"
    assert list(rows[0]) == ["request_id", *(f.name for f in rest)]
    for row, r in zip(rows, programme.requests, strict=True):
        assert row["request_id"] == r.request_ref and row["status"] == r.status
        assert row["optional"] == ("true" if r.optional else "false")
        assert row["tails"].split() == list(r.tails)
        assert row["delivered_utc"] == ("" if r.delivered_utc is None else row["delivered_utc"])
        if r.delivered_utc is not None:
            assert row["delivered_utc"].endswith("Z")


# --- GeoJSON ------------------------------------------------------------------------------------


def test_geojson(programme: Programme, tmp_path: Path) -> None:
    path = write_programme_geojson(programme, tmp_path / "p.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    fc = FeatureCollection.model_validate(data)
    features = data["features"]
    assert len(fc.features) == len(features)
    stops = [f for f in features if f["properties"]["kind"] == "stop"]
    legs = [f for f in features if f["properties"]["kind"] == "leg"]
    assert {f["properties"]["icao"] for f in stops} == {
        code for m in programme.missions for code in m.route
    }
    assert len(legs) == _total_legs(programme)
    assert len({f["id"] for f in features}) == len(features)
    for f in features:
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty
    for f in legs:
        props = f["properties"]
        assert f["geometry"]["type"] == "LineString"
        assert {"tail", "aircraft", "date", "day", "number", "legs"} <= set(props)
        coords = f["geometry"]["coordinates"]
        assert len(coords) > 2  # densified
        a, b = lookup(props["origin"]), lookup(props["destination"])
        assert coords[0] == pytest.approx([a.lon, a.lat], abs=1e-6)
        assert coords[-1] == pytest.approx([b.lon, b.lat], abs=1e-6)
    with_dg = [f["properties"] for f in legs if f["properties"]["dangerous_goods"]]
    assert len(with_dg) == len(_r2_legs(programme))
    for props in with_dg:
        assert {(g["un_number"], g["dg_class"]) for g in props["dangerous_goods"]} == {
            ("UN1863", "3")
        }


def test_kml_names_the_dangerous_goods(programme: Programme, doc: dict[str, Any]) -> None:
    text = programme_kml(doc).decode("utf-8")
    assert text.count("Dangerous goods: UN1863 class 3") == len(_r2_legs(programme))
    assert "Jet A-1 in 200 l drums" in text


# --- Gantt --------------------------------------------------------------------------------------


def test_gantt_png(programme: Programme, tmp_path: Path) -> None:
    path = gantt_png(programme, tmp_path / "sub" / "gantt.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000
    width, height = struct.unpack(">II", data[16:24])
    tails = len(programme.kpis.utilisation_h_per_day)
    assert width == 1600  # 3 days; a week gets wider (below)
    assert 64 * tails < height < 64 * tails + 400


@contextmanager
def _gantt(p: Programme) -> Iterator[Any]:
    """The Gantt figure, drawn (labels fitted), closed afterwards."""
    import matplotlib.pyplot as plt

    fig = gantt_figure(p)
    try:
        yield fig
    finally:
        plt.close(fig)


def _texts(fig: Any, gid: str) -> list[Any]:
    return [t for ax in fig.axes for t in ax.texts if t.get_gid() == gid]


def _unmet(ref: str, reason: str, priority: int = 2, **changes: Any) -> RequestStatus:
    return RequestStatus(ref, "unmet", priority, False, 1, 0, None, False, reason, (), **changes)


def test_route_labels_elide_the_middle_stops() -> None:
    assert route_labels(["GABS", "GAGO", "GATS", "GAGO", "GABS"]) == [
        "GABS-GAGO-GATS-GAGO-GABS",
        "GABS-…-GABS",
    ]
    assert route_labels(["GAGO", "GATS"]) == ["GAGO-GATS"]


def test_short_reason_is_the_first_clause_after_the_lifts_delivered() -> None:
    mog = "MOG 1 at GATS reached at 2023-10-28 10:35Z; no other tail could take it"
    assert short_reason(_unmet("R1", mog)) == "MOG 1 at GATS reached at 2023-10-28 10:35Z"
    partial = dataclasses.replace(
        _unmet("R2", f"split into 3 lifts; {mog}"), status="partial", lifts=3, lifts_delivered=1
    )
    assert short_reason(partial) == (
        "1 of 3 lifts delivered; MOG 1 at GATS reached at 2023-10-28 10:35Z"
    )


def test_gantt_labels_every_mission_with_its_route(programme: Programme) -> None:
    with _gantt(programme) as fig:
        labels = _texts(fig, "route")
        assert len(labels) == len(programme.missions)
        # Three days on 1600 px: every route fits whole.
        assert all(t.get_visible() for t in labels)
        assert sorted(t.get_text() for t in labels) == sorted(
            "-".join(m.route) for m in programme.missions
        )


def test_gantt_route_labels_shorten_on_narrow_days_and_never_overlap(
    programme: Programme,
) -> None:
    """The same missions on a 21-day axis: about 5 px an hour, so long routes must shorten;
    on each row no two labels overlap, each stays over the chart and over its mission."""
    long = dataclasses.replace(programme, days=21)
    with _gantt(long) as fig:
        ax = fig.axes[0]
        renderer = fig.canvas.get_renderer()
        plot = ax.get_window_extent(renderer)
        shown = [t for t in _texts(fig, "route") if t.get_visible()]
        assert any("…" in t.get_text() for t in shown), [t.get_text() for t in shown]
        rows: dict[float, list[Any]] = {}
        for t in shown:
            assert t.get_text() in {x for m in long.missions for x in route_labels(m.route)}
            box = t.get_window_extent(renderer)
            assert plot.x0 <= box.x0 and box.x1 <= plot.x1
            rows.setdefault(t.get_position()[1], []).append(box)
        for boxes in rows.values():
            boxes.sort(key=lambda b: b.x0)
            assert all(a.x1 <= b.x0 for a, b in pairwise(boxes))


def test_gantt_a_week_is_wider_than_three_days(programme: Programme, tmp_path: Path) -> None:
    week = gantt_png(dataclasses.replace(programme, days=7), tmp_path / "week.png")
    width, _ = struct.unpack(">II", week.read_bytes()[16:24])
    assert width == 2200


def test_gantt_legend_names_every_nation_and_aircraft_type(programme: Programme) -> None:
    with _gantt(programme) as fig:
        (legend,) = fig.legends
        entries = [t.get_text() for t in legend.get_texts()]
        nations = {m.nation for m in programme.missions}
        types = {m.aircraft for m in programme.missions}
        assert len(nations) >= 2 and len(types) >= 2  # else the colours tell nothing
        assert {"nation", "aircraft type"} | nations | types <= set(entries)
        # A nation's legend swatch is the colour of its bars.
        swatch = {
            text.get_text(): handle.get_facecolor()
            for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
            if text.get_text() in nations
        }
        bars = [c for c in fig.axes[0].collections if c.get_zorder() == 3]
        assert {tuple(c.get_facecolor()[0]) for c in bars} == {tuple(v) for v in swatch.values()}
        # One type square per tail that flew, on its row, in its type's legend colour.
        type_colour = {
            text.get_text(): handle.get_color()
            for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
            if text.get_text() in types
        }
        ax = fig.axes[0]
        rows = {label.get_text().split()[0]: y for y, label in enumerate(ax.get_yticklabels())}
        squares = [line for line in ax.lines if (line.get_gid() or "").startswith("type ")]
        flown = {m.tail: m.aircraft for m in programme.missions}
        assert len(squares) == len(flown)
        for tail, aircraft in flown.items():
            (square,) = [s for s in squares if s.get_ydata()[0] == rows[tail]]
            assert square.get_gid() == f"type {aircraft}"
            assert square.get_color() == type_colour[aircraft]


def test_gantt_unmet_panel_lists_each_request_with_its_reason(programme: Programme) -> None:
    not_met = (
        _unmet("R901", "MOG 1 at GATS reached at 2023-10-28 10:35Z; no other tail could take it"),
        dataclasses.replace(
            _unmet("R902", "split into 2 lifts; fleet capacity exhausted on 2023-10-27"),
            status="partial",
            lifts=2,
            lifts_delivered=1,
        ),
    )
    p = dataclasses.replace(programme, requests=programme.requests + not_met)
    with _gantt(p) as fig:
        lines = [t.get_text() for t in _texts(fig, "unmet")]
        expected = [r for r in p.requests if r.status != "delivered"]
        assert len(lines) == len(expected)
        for r in expected:
            (line,) = [x for x in lines if x.startswith(f"{r.request_ref} ")]
            assert f"{r.status}, priority {r.priority}" in line
            assert short_reason(r) in line
        panel = fig.axes[1]
        heading = " ".join(t.get_text() for t in panel.texts if t.get_gid() is None)
        assert heading.startswith("Requests not met: ")
        assert f"of {len(p.requests)} requests" in heading


def test_gantt_unmet_panel_cuts_long_lines_and_counts_the_rest(programme: Programme) -> None:
    long_reason = "no tail can fly it even alone: " + "leg 1: payload above max, " * 12
    many = tuple(_unmet(f"Q{i:03d}", long_reason, priority=1 + i % 4) for i in range(60))
    p = dataclasses.replace(programme, requests=many)
    with _gantt(p) as fig:
        panel = fig.axes[1]
        renderer = fig.canvas.get_renderer()
        column_px = panel.get_window_extent(renderer).width / 3
        lines = _texts(fig, "unmet")
        assert len(lines) == 3 * 12  # three columns of twelve lines, the last one a count
        assert lines[-1].get_text() == f"… and {60 - 35} more"
        for t in lines[:-1]:
            assert t.get_text().endswith("…")
            assert t.get_window_extent(renderer).width <= column_px
        # Priority 1 first: the requests left out are the least important ones.
        shown = [t.get_text().split()[0] for t in lines[:-1]]
        assert {f"Q{i:03d}" for i in range(0, 60, 4)} <= set(shown)


def test_gantt_unmet_panel_says_when_every_request_was_delivered(programme: Programme) -> None:
    delivered = tuple(r for r in programme.requests if r.status == "delivered")
    assert delivered
    with _gantt(dataclasses.replace(programme, requests=delivered)) as fig:
        assert _texts(fig, "unmet") == []
        texts = [t.get_text() for t in fig.axes[1].texts]
        assert texts == [f"Requests not met: none, all {len(delivered)} requests delivered"]


# --- an empty programme -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "export",
    [
        write_programme_json,
        write_programme_csv,
        write_requests_csv,
        write_programme_geojson,
        gantt_png,
    ],
)
def test_empty_programme_exports(
    programme: Programme, tmp_path: Path, export: Callable[[Programme, Path], Path]
) -> None:
    empty = dataclasses.replace(programme, missions=())
    assert export(empty, tmp_path / "out").stat().st_size > 0
    document = programme_document(empty)
    assert programme_feature_collection(document)["features"] == []
