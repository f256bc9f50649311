"""Mission input checks (issue 10, "Bounds at the edges"): what ``build`` and ``check_input``
accept and refuse, and the field each refusal names (as the API body spells it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from airlift.aircraft import aircraft_type
from airlift.airfields import lookup
from airlift.errors import FieldError
from airlift.mission import Load, MissionInput, Options, plan
from airlift.mission_file import build, maxload_mission, read_manifest_csv

DEPART = "2023-10-27T06:30Z"


def refused(call: object, *args: object, **kwargs: object) -> FieldError:
    assert callable(call)
    with pytest.raises(FieldError) as info:
        call(*args, **kwargs)
    assert "\n" not in str(info.value)
    return info.value


# --- what is still accepted ---------------------------------------------------------------------


def test_a_runway_closed_by_its_ident_closes_that_runway_only() -> None:
    m = build("C-130H", ["GABS", "GATS"], DEPART, closed=["gats:05l/23r"])
    closed = {r.ident: r.closed for r in m.stops[1].runways}
    assert closed["05L/23R"] and not closed["15/33"]
    assert plan(m).legs[0].landing_runway == "15/33"


def test_options_for_a_stop_accept_its_iata_code() -> None:
    m = build("C-130H", ["GABS", "GAGO"], DEPART, oats=["BKO=40"], closed=["BKO:06/24"])
    assert m.weather["GABS"].oat_c == 40.0
    assert m.stops[0].runways[0].closed


def test_manifest_airfields_are_resolved_like_stops(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("id,origin,destination,cargo_kg\nM1,BKO,gago,1000\n", encoding="utf-8")
    items = read_manifest_csv(manifest)
    assert (items[0].origin, items[0].destination) == ("GABS", "GAGO")
    m = build("C-130H", ["GABS", "GAGO"], DEPART, items=items)
    assert m.loads == (Load(1000.0, 0, 0),)


def test_a_departure_at_the_end_of_the_horizon_is_planned() -> None:
    stops = ["GABS", "GAGO", "GATS", "DRRN", "GABS"]
    options = {"ground_time_min": 1440.0, "duty_limit_h": 48.0}
    last = plan(build("C-130H", stops, "2099-12-31T23:00Z", options=options)).legs[-1]
    assert last.eta_utc.year == 2100


def test_maxload_goes_on_to_then_only_where_the_destination_has_no_fuel() -> None:
    on = maxload_mission("C-130H", "GAGO", "GATS", DEPART, then="DRRN")
    assert [a.icao for a in on.stops] == ["GAGO", "GATS", "DRRN"]
    back = maxload_mission("C-130H", "GAGO", "GATS", DEPART)
    assert [a.icao for a in back.stops] == ["GAGO", "GATS", "GAGO"]
    fuelled = maxload_mission("C-130H", "GAGO", "GABS", DEPART, then="DRRN")
    assert [a.icao for a in fuelled.stops] == ["GAGO", "GABS"]


# --- what is refused, and the field named ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"departure_utc": "0001-01-01T00:00Z"}, "departure_utc", "planning horizon"),
        ({"departure_utc": "2100-01-01T00:00Z"}, "departure_utc", "planning horizon"),
        ({"departure_utc": "tomorrow"}, "departure_utc", "ISO 8601"),
        ({"stops": ["GABS", "ZZZZ"]}, "stops[1]", "unknown airfield"),
        ({"aircraft": "B747"}, "aircraft", "unknown aircraft"),
        ({"policy": "ryanair"}, "policy", "unknown fuel policy"),
        ({"oats": ["40", "GATS=44"]}, "oat[1]", "not on the route"),
        ({"oats": ["hot"]}, "oat[0]", "must be a number"),
        ({"metars": ["GATS 271200Z 09012KT 9999 44/M02 Q1008"]}, "metar[0]", "not on the route"),
        ({"metars": ["GAGO 271200Z garbage"]}, "metar[0]", "METAR"),
        ({"wind": ["270-25"]}, "wind[0]", "wind must look like"),
        ({"closed": ["GATS"]}, "closed[0]", "not on the route"),
        ({"closed": ["GAGO:99X"]}, "closed[0]", "no runway '99X'; its runways: 07/25"),
        ({"closed": ["GAGO:"]}, "closed[0]", "no runway after"),
        ({"options": {"duty_limit_h": 1e9}}, "duty_limit_h", "0.5 to 48 h"),
        ({"options": {"ground_time_min": 1e300}}, "ground_time_min", "0 to 1,440 min"),
        ({"options": {"extra_fuel_kg": 1e9}}, "extra_fuel_kg", "fuel capacity"),
        ({"loads": [Load(), Load()], "items": ()}, None, "legs but 2 loads"),
    ],
)
def test_build_refuses_naming_the_field(
    kwargs: dict[str, object], field: str | None, words: str
) -> None:
    args: dict[str, object] = {
        "aircraft": "C-130H",
        "stops": ["GABS", "GAGO"],
        "departure_utc": DEPART,
        **kwargs,
    }
    if field is None:  # refused by the planner's own check of the built mission
        with pytest.raises(Exception, match=words):
            plan(build(**args))  # type: ignore[arg-type]
        return
    error = refused(lambda: plan(build(**args)))  # type: ignore[arg-type]
    assert error.field == field
    assert words in str(error)


def test_maxload_names_its_own_fields() -> None:
    assert refused(maxload_mission, "C-130H", "ZZZZ", "GATS", DEPART).field == "origin"
    assert refused(maxload_mission, "C-130H", "GAGO", "ZZZZ", DEPART).field == "destination"
    assert refused(maxload_mission, "C-130H", "GAGO", "GATS", DEPART, then="ZZZZ").field == "then"
    empty = refused(maxload_mission, "C-130H", "GAGO", "GATS", DEPART, then="")
    assert (empty.field, "empty" in empty.reason) == ("then", True)


def test_check_input_refuses_a_departure_outside_the_horizon() -> None:
    m = build("C-130H", ["GABS", "GAGO"], DEPART)
    far = replace(m, departure_utc=datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    assert refused(plan, far).field == "departure_utc"


def test_extra_fuel_is_bounded_by_the_type() -> None:
    t = aircraft_type("C-130H")
    stops = (lookup("GABS"), lookup("GAGO"))
    m = MissionInput(
        t, stops, datetime(2023, 10, 27, 6, 30, tzinfo=UTC), (Load(),), options=Options()
    )
    assert plan(replace(m, options=Options(extra_fuel_kg=t.max_fuel_kg))).legs
    over = replace(m, options=Options(extra_fuel_kg=t.max_fuel_kg + 1))
    assert refused(plan, over).field == "extra_fuel_kg"


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("M1,ZZZZ,GAGO,100,0,0", "origin", "line 2 (M1): origin: unknown airfield 'ZZZZ'"),
        ("M1,GABS,GATS,100,0,0", "destination", "line 2 (M1): destination GATS is not on"),
        ("M1,GAGO,GABS,100,0,0", "origin", "line 2 (M1): origin GAGO is the last stop"),
        ("M1,GABS,GAGO,1e300,0,0", "cargo_kg", "line 2 (M1): cargo_kg must be <="),
        ("M1,GABS,GAGO,0,0,1000000000", "pax", "line 2 (M1): pax must be <="),
        ('M1,"GA\nGO",GAGO,100,0,0', "origin", "unknown airfield 'GA\\nGO'"),
    ],
)
def test_manifest_errors_name_file_line_and_field(
    row: str, field: str, words: str, tmp_path: Path
) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"id,origin,destination,cargo_kg,pallets,pax\n{row}\n", encoding="utf-8")

    def run() -> None:
        build("C-130H", ["GABS", "GAGO"], DEPART, items=read_manifest_csv(manifest))

    error = refused(run)
    assert (error.field, error.file) == (field, str(manifest))
    assert words in str(error)
