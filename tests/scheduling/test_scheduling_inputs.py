"""Scheduling inputs: the readers (requests, fleet, scenario) and the shipped demo scenario."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from airlift.aircraft import catalogue
from airlift.airfields import theatre
from airlift.errors import FieldError, InputError
from airlift.scheduling.inputs import MovementRequest, Scenario
from airlift.scheduling.readers import (
    REQUEST_COLUMNS,
    check_horizon,
    default_scenario,
    demo_dir,
    demo_tails,
    read_fleet,
    read_requests,
    read_scenario,
    requests_from_rows,
)

HEADER = (
    "id,origin,destination,cargo_kg,pallets,pax,earliest_utc,latest_utc,priority,optional,"
    "allowed_nations,allowed_types,hazardous,description"
)
GOOD = "R001,GABS,GAGO,3000,1,0,2023-10-27T06:00Z,2023-10-28T18:00Z,2,no,,,no,Rations"
DG_HEADER = HEADER + ",dg_class,un_number\n"
FLEET_HEADER = (
    "registration,type,nation,home_base,operator,military,unavailable,duty_limit_h,"
    "max_flying_h_per_day"
)
TAIL = "5U-MBD,C-130H,NE,DRRN,Niger AF,true,,16,10"
SCENARIO = 'name = "t"\nstart_utc = "2023-10-27T00:00:00Z"\ndays = 7\n'


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def request(**overrides: object) -> MovementRequest:
    fields: dict[str, object] = {
        "ref": "R1",
        "origin": "GABS",
        "destination": "GAGO",
        "cargo_kg": 1000.0,
        "pallets": 1,
        "pax": 0,
        "earliest_utc": utc("2023-10-27T06:00Z"),
        "latest_utc": utc("2023-10-28T18:00Z"),
    }
    fields.update(overrides)
    return MovementRequest(**fields)  # type: ignore[arg-type]


# --- the demo scenario --------------------------------------------------------------------------


def test_demo_fleet_loads_with_5u_mbd_first() -> None:
    fleet = read_fleet(demo_dir() / "fleet.csv")
    assert len(fleet) == 8
    assert fleet[0].registration == "5U-MBD"
    assert fleet[0].type.designator == "C-130H"
    assert all(t.type is catalogue()[t.type.designator] for t in fleet)
    assert {t.nation for t in fleet} == {"NE", "ML", "BF"}
    assert {t.home_base for t in fleet} == {"DRRN", "GABS", "DFFD"}
    mbh = next(t for t in fleet if t.registration == "5U-MBH")
    assert mbh.unavailable == ((utc("2023-10-29T00:00Z"), utc("2023-10-31T00:00Z")),)
    assert not mbh.available(utc("2023-10-30T06:00Z"), utc("2023-10-30T18:00Z"))
    assert mbh.available(utc("2023-10-31T06:00Z"), utc("2023-10-31T18:00Z"))
    assert all("illustrative registration" in t.operator for t in fleet[1:])
    # The mission planner's fleet reader still reads the same file by column name.
    assert next(iter(demo_tails())) == "5U-MBD"
    assert len(demo_tails()) == 8


def test_demo_requests_and_scenario_load() -> None:
    requests = read_requests(demo_dir() / "requests.csv")
    scenario = read_scenario(demo_dir() / "scenario.toml")
    fleet = read_fleet(demo_dir() / "fleet.csv")
    assert 45 <= len(requests) <= 60
    assert len({r.ref for r in requests}) == len(requests)
    assert {r.origin for r in requests} | {r.destination for r in requests} <= set(theatre())
    assert scenario.start_utc == utc("2023-10-27T00:00Z")
    assert scenario.days == 7 and scenario.fuel_policy == "icao" and not scenario.night_ops
    assert scenario.overrides["GATS"].mog == 1
    assert check_horizon(scenario, requests) == ()
    assert all(scenario.start_utc <= r.earliest_utc < r.latest_utc for r in requests)
    assert all(r.latest_utc <= scenario.end_utc for r in requests)
    assert all(r.description for r in requests)
    # The mix the demo is meant to show.
    assert any(r.priority == 1 for r in requests)
    assert any(r.optional and r.priority == 4 for r in requests)
    assert any(r.hazardous for r in requests)
    assert any(r.allowed_nations == {"NE", "ML"} for r in requests)
    assert any(r.allowed_types for r in requests)
    biggest = max(t.type.max_payload_kg for t in fleet)
    assert any(r.cargo_kg > biggest for r in requests)  # split by the scheduler
    assert any(r.destination == "GAMK" for r in requests)  # no runway data: unmet
    # Pallets are 463L: no more than ~4,500 kg on one.
    assert all(r.cargo_kg <= 4500 * r.pallets for r in requests if r.pallets)


def test_default_scenario_of_the_demo_matches_the_shipped_one() -> None:
    requests = read_requests(demo_dir() / "requests.csv")
    auto = default_scenario(requests)
    shipped = read_scenario(demo_dir() / "scenario.toml")
    assert (auto.start_utc, auto.days) == (shipped.start_utc, shipped.days)


# --- normalisation ------------------------------------------------------------------------------


def test_codes_names_and_times_are_normalised(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "requests.csv",
        HEADER
        + "\n"
        + "R1, BKO ,nim,1000,1,0,2023-10-27T08:00+02:00,2023-10-28T18:00Z,,,ne; ml,c130h;C-295,,"
        + "\n",
    )
    (r,) = read_requests(path)
    assert (r.origin, r.destination) == ("GABS", "DRRN")
    assert r.earliest_utc == datetime(2023, 10, 27, 6, 0, tzinfo=UTC)
    assert r.allowed_nations == {"NE", "ML"}
    assert r.allowed_types == {"C-130H", "C295"}
    assert (r.priority, r.optional, r.hazardous) == (3, False, False)


def test_optional_columns_may_be_left_out(tmp_path: Path) -> None:
    header = ",".join(REQUEST_COLUMNS)
    path = write(
        tmp_path, "r.csv", f"{header}\nR1,GABS,GAGO,,,12,2023-10-27T06:00Z,2023-10-27T18:00Z\n"
    )
    (r,) = read_requests(path)
    assert (r.cargo_kg, r.pallets, r.pax, r.priority) == (0.0, 0, 12, 3)
    fleet = write(tmp_path, "f.csv", "registration,type,nation,home_base\nTZ-1,c295,ml,Bamako\n")
    (tail,) = read_fleet(fleet)
    assert (tail.type.designator, tail.nation, tail.home_base) == ("C295", "ML", "GABS")
    assert (tail.military, tail.duty_limit_h, tail.max_flying_h_per_day) == (True, 16.0, 10.0)


def test_a_tails_icao24_is_six_hex_digits_in_lower_case(tmp_path: Path) -> None:
    header = "registration,type,nation,home_base,icao24"
    path = write(tmp_path, "f.csv", f"{header}\nTZ-1,c295,ml,GABS,05C1A0\nTZ-2,c295,ml,GABS,\n")
    assert [t.icao24 for t in read_fleet(path)] == ["05c1a0", ""]
    assert [t.icao24 for t in read_fleet(demo_dir() / "fleet.csv")][:2] == ["062a01", "062a02"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # not hex
        ("TZ-1,c295,ml,GABS,05c1g0", "line 2 (TZ-1): icao24 '05c1g0' is not an ICAO 24-bit"),
        # 5 digits: a digit lost
        ("TZ-1,c295,ml,GABS,05c1a", "line 2 (TZ-1): icao24 '05c1a' is not an ICAO 24-bit"),
        # all zeros is no aircraft's address
        ("TZ-1,c295,ml,GABS,000000", "icao24 000000 is reserved"),
        # one transponder address, two airframes
        ("TZ-1,c295,ml,GABS,05c1a0\nTZ-2,c295,ml,GABS,05C1A0",
         "line 3 (TZ-2): icao24 05c1a0 is a duplicate of line 2"),
    ],
)  # fmt: skip
def test_a_bad_icao24_is_one_line_naming_the_field(
    tmp_path: Path, rows: str, expected: str
) -> None:
    path = write(tmp_path, "f.csv", f"registration,type,nation,home_base,icao24\n{rows}\n")
    with pytest.raises(FieldError) as info:
        read_fleet(path)
    assert info.value.field == "icao24"
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_json_and_csv_give_the_same_requests(tmp_path: Path) -> None:
    csv_text = "\n".join(
        [
            HEADER,
            GOOD,
            "R002,GAGO,GATS,10800,4,0,2023-10-27T06:00Z,2023-10-29T18:00Z,1,yes,NE;ML,C-130H,1,"
            '"Fuel drums, 4 pallets"',
            "R003,DRRN,GABS,,,12,2023-10-27T06:00Z,2023-10-28T18:00Z,,,,,,",
        ]
    )
    items = [
        {
            "id": "R001", "origin": "GABS", "destination": "GAGO", "cargo_kg": 3000,
            "pallets": 1, "pax": 0, "earliest_utc": "2023-10-27T06:00Z",
            "latest_utc": "2023-10-28T18:00Z", "priority": 2, "optional": False,
            "hazardous": "no", "description": "Rations",
        },
        {
            "id": "R002", "origin": "GAGO", "destination": "GATS", "cargo_kg": 10800.0,
            "pallets": 4, "pax": 0, "earliest_utc": "2023-10-27T06:00:00+00:00",
            "latest_utc": "2023-10-29T18:00Z", "priority": 1, "optional": True,
            "allowed_nations": ["NE", "ML"], "allowed_types": "C-130H", "hazardous": True,
            "description": "Fuel drums, 4 pallets",
        },
        {
            "id": "R003", "origin": "DRRN", "destination": "GABS", "pax": 12,
            "earliest_utc": "2023-10-27T06:00Z", "latest_utc": "2023-10-28T18:00Z",
        },
    ]  # fmt: skip
    from_csv = read_requests(write(tmp_path, "requests.csv", csv_text))
    from_list = read_requests(write(tmp_path, "list.json", json.dumps(items)))
    from_object = read_requests(write(tmp_path, "obj.json", json.dumps({"requests": items})))
    assert from_csv == from_list == from_object
    assert requests_from_rows(items, "api") == from_csv


def test_json_fleet_reads_like_csv(tmp_path: Path) -> None:
    tails = [
        {
            "registration": "5U-MBH", "type": "C-130H", "nation": "NE", "home_base": "DRRN",
            "unavailable": ["2023-10-29T00:00Z/2023-10-31T00:00Z"],
        }
    ]  # fmt: skip
    from_json = read_fleet(write(tmp_path, "fleet.json", json.dumps({"fleet": tails})))
    csv_text = "registration,type,nation,home_base,unavailable\n"
    csv_text += "5U-MBH,C-130H,NE,DRRN,2023-10-29T00:00Z/2023-10-31T00:00Z\n"
    assert from_json == read_fleet(write(tmp_path, "fleet.csv", csv_text))


def test_scenario_fields_and_overrides(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "week.toml",
        'start_utc = 2023-10-27T00:00:00Z\ndays = 3\nfuel_policy = "usaf-c130"\n'
        'night_ops = true\nground_mode = "ero"\n\n[airfield.TOM]\nhours_utc = "06:00-18:00"\n'
        "fuel_available = false\n\n[airfield.GATS]\nclosed = true\noat_c = 44\n",
    )
    s = read_scenario(path)
    assert (s.name, s.days, s.fuel_policy, s.night_ops) == ("week", 3, "usaf-c130", True)
    assert s.ground_mode == "ero"
    assert s.start_utc == utc("2023-10-27T00:00Z")
    assert s.overrides["GATB"].hours_utc == ("06:00", "18:00")
    assert s.overrides["GATB"].fuel_available is False
    assert s.overrides["GATB"].mog is None
    assert s.overrides["GATS"].closed and s.overrides["GATS"].oat_c == 44


# --- bad inputs ---------------------------------------------------------------------------------


def rows(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def bad_row(**change: str) -> str:
    """GOOD with some fields replaced."""
    values = dict(zip(HEADER.split(","), GOOD.split(","), strict=True))
    values.update(change)
    return ",".join(values.values())


def fleet(*lines: str) -> str:
    return "\n".join([FLEET_HEADER, *lines]) + "\n"


def item(**change: object) -> str:
    obj: dict[str, object] = {
        "id": "J1", "origin": "GABS", "destination": "GAGO", "cargo_kg": 100, "pallets": 0,
        "pax": 0, "earliest_utc": "2023-10-27T06:00Z", "latest_utc": "2023-10-28T06:00Z",
    }  # fmt: skip
    obj.update(change)
    return json.dumps([obj])


# (reader, file name, content, what the one-line message must contain besides the file name)
# fmt: off
BAD: list[tuple[str, str, str | bytes, tuple[str, ...]]] = [
    # negative load
    ("requests", "requests.csv", rows(GOOD, bad_row(id="R005", cargo_kg="-3")),
     ("line 3 (R005)", "cargo_kg must be >= 0, got -3")),
    # non-numeric load
    ("requests", "requests.csv", rows(bad_row(cargo_kg="3 t")),
     ("line 2 (R001)", "cargo_kg must be a number")),
    # NaN load in a CSV
    ("requests", "requests.csv", rows(bad_row(cargo_kg="nan")), ("line 2", "cargo_kg", "finite")),
    # NaN load in JSON (the json module reads the bare NaN literal)
    ("requests", "requests.json", item(cargo_kg=float("nan")), ("item 1 (J1)", "cargo_kg")),
    # pallets must be whole
    ("requests", "requests.csv", rows(bad_row(pallets="1.5")), ("line 2", "pallets", "whole")),
    # pax must be whole
    ("requests", "requests.json", item(pax=2.5), ("item 1", "pax", "whole number")),
    # zero load: nothing to move
    ("requests", "requests.csv", rows(bad_row(cargo_kg="0", pallets="0", pax="0")),
     ("line 2", "cargo_kg, pallets and pax are all 0")),
    # unknown airfield, with lookup's suggestions
    ("requests", "requests.csv", rows(bad_row(origin="GABZ")),
     ("line 2 (R001)", "origin: unknown airfield 'GABZ'", "did you mean", "GABS")),
    # unknown destination
    ("requests", "requests.csv", rows(bad_row(destination="XXXX")), ("line 2", "destination")),
    # origin == destination, even when written differently (BKO is GABS)
    ("requests", "requests.csv", rows(bad_row(destination="BKO")),
     ("line 2", "destination GABS is the same airfield as origin")),
    # earliest after latest
    ("requests", "requests.csv",
     rows(bad_row(earliest_utc="2023-10-29T06:00Z", latest_utc="2023-10-28T06:00Z")),
     ("line 2", "latest_utc", "after earliest_utc")),
    # earliest equal to latest
    ("requests", "requests.csv",
     rows(bad_row(earliest_utc="2023-10-28T06:00Z", latest_utc="2023-10-28T06:00Z")),
     ("line 2", "latest_utc")),
    # naive datetime
    ("requests", "requests.csv", rows(bad_row(earliest_utc="2023-10-27T06:00")),
     ("line 2", "earliest_utc", "no timezone")),
    # not a time
    ("requests", "requests.json", item(latest_utc="tomorrow"),
     ("item 1", "latest_utc", "ISO 8601")),
    # a year outside the planning horizon (once an OverflowError downstream)
    ("requests", "requests.csv", rows(bad_row(latest_utc="9999-12-31T23:00Z")),
     ("line 2", "latest_utc", "outside the planning horizon 1970-2099")),
    ("requests", "requests.csv", rows(bad_row(earliest_utc="0001-01-01T00:00+01:00")),
     ("line 2", "earliest_utc", "outside the planning horizon")),
    # a load no movement request names (1e300 kg, a billion pallets)
    ("requests", "requests.csv", rows(bad_row(cargo_kg="1e300")),
     ("line 2", "cargo_kg must be <= 1e+07, got 1e300")),
    ("requests", "requests.json", item(pallets=10**9), ("item 1", "pallets must be <= 100000")),
    # a scenario starting in 9999
    ("scenario", "s.toml", 'start_utc = "9999-01-01T00:00Z"\ndays = 7\n',
     ("start_utc", "outside the planning horizon")),
    # a custom fuel policy with an infinite reserve
    ("scenario", "s.toml",
     'start_utc = "2023-10-27T00:00Z"\ndays = 7\nfuel_policy = "custom:reserve=inf"\n',
     ("fuel_policy", "reserve must be 0 to 240 min, got inf")),
    # priority outside 1..4
    ("requests", "requests.csv", rows(bad_row(priority="5")), ("line 2", "priority", "got 5")),
    # priority 0
    ("requests", "requests.csv", rows(bad_row(priority="0")), ("line 2", "priority")),
    # boolean that is not true/false/yes/no/1/0
    ("requests", "requests.csv", rows(bad_row(optional="maybe")),
     ("line 2", "optional must be true/false", "maybe")),
    # hazardous boolean in JSON
    ("requests", "requests.json", item(hazardous="oui"), ("item 1", "hazardous")),
    # duplicate id names the first occurrence
    ("requests", "requests.csv", rows(GOOD, GOOD), ("line 3 (R001)", "duplicate of line 2")),
    # empty id
    ("requests", "requests.csv", rows(bad_row(id=" ")), ("line 2", "id is empty")),
    # nation restriction with a comma instead of ';'
    ("requests", "requests.json", item(allowed_nations="NE,ML"),
     ("item 1", "allowed_nations", "separate codes with ';'")),
    # unknown aircraft type in a restriction
    ("requests", "requests.csv", rows(bad_row(allowed_types="C-5M")),
     ("line 2", "allowed_types: unknown aircraft type")),
    # missing required column, named
    ("requests", "requests.csv", "id,origin,cargo_kg,pallets,pax,earliest_utc,latest_utc\n",
     ("line 1", "missing column 'destination'")),
    # misspelt optional column would otherwise be silently ignored
    ("requests", "requests.csv", rows(GOOD).replace("priority", "priorty"),
     ("line 1", "unknown column 'priorty'", "'priority'")),
    # JSON object without a required key
    ("requests", "requests.json", json.dumps([{"id": "J1", "origin": "GABS"}]),
     ("item 1 (J1)", "missing field 'destination'")),
    # an unquoted comma in a description shifts the row
    ("requests", "requests.csv", rows(GOOD + ",extra,text"), ("line 2", "fields but the header")),
    # not UTF-8 (Windows-1252 "é" from a spreadsheet), with the line of the bad byte
    ("requests", "requests.csv", rows(bad_row(description="Sévaré")).encode("cp1252"),
     ("line 2", "not UTF-8")),
    # JSON saved as .csv
    ("requests", "requests.csv", item(), ("looks like JSON",)),
    # broken JSON
    ("requests", "requests.json", '[{"id": "J1",]', ("line 1", "not valid JSON")),
    # JSON that is neither a list nor {"requests": [...]}
    ("requests", "requests.json", '{"items": []}', ("'requests'",)),
    # list of something other than objects
    ("requests", "requests.json", "[1, 2]", ("item 1", "expected an object")),
    # binary file under a .csv name
    ("requests", "requests.csv", b"\x00\x01\x02PK", ("binary",)),
    # no suffix the reader knows
    ("requests", "requests.xlsx", rows(GOOD), ("unsupported file type '.xlsx'",)),
    # header only
    ("requests", "requests.csv", rows(), ("no requests",)),
    # fleet without tails
    ("fleet", "fleet.csv", fleet(), ("the fleet has no tails",)),
    # duplicate registration (case-insensitive)
    ("fleet", "fleet.csv", fleet(TAIL, TAIL.replace("5U-MBD", "5u-mbd")),
     ("line 3 (5u-mbd)", "registration", "duplicate of line 2")),
    # unknown type: the UnknownAircraft message
    ("fleet", "fleet.csv", fleet(TAIL.replace("C-130H", "C-5M")),
     ("line 2 (5U-MBD)", "type: unknown aircraft type or tail 'C-5M'")),
    # unknown home base
    ("fleet", "fleet.csv", fleet(TAIL.replace("DRRN", "NIAMEX")),
     ("line 2", "home_base: unknown airfield")),
    # maintenance window without '/'
    ("fleet", "fleet.csv", fleet(TAIL.replace(",,16", ",2023-10-29T00:00Z,16")),
     ("line 2", "unavailable window", "START/END")),
    # maintenance window with a naive time
    ("fleet", "fleet.csv",
     fleet(TAIL.replace(",,16", ",2023-10-29T00:00Z/2023-10-31T00:00,16")),
     ("line 2", "unavailable end", "no timezone")),
    # maintenance window backwards
    ("fleet", "fleet.csv",
     fleet(TAIL.replace(",,16", ",2023-10-31T00:00Z/2023-10-29T00:00Z,16")),
     ("line 2", "ends before it starts")),
    # flying hours above the duty day
    ("fleet", "fleet.csv", fleet(TAIL.replace(",16,10", ",12,14")),
     ("line 2", "max_flying_h_per_day 14 exceeds duty_limit_h 12")),
    # military flag that is not a boolean
    ("fleet", "fleet.json",
     json.dumps([{"registration": "A", "type": "C295", "nation": "ML", "home_base": "GABS",
                  "military": "sometimes"}]),
     ("item 1 (A)", "military must be true/false")),
    # missing required fleet column
    ("fleet", "fleet.csv", "registration,type,nation\nA,C295,ML\n",
     ("missing column 'home_base'",)),
    # scenario: not TOML
    ("scenario", "scenario.toml", "name = \n", ("line 1", "not valid TOML")),
    # scenario: naive start
    ("scenario", "scenario.toml", SCENARIO.replace("00:00:00Z", "00:00:00"),
     ("line 2", "start_utc", "no timezone")),
    # scenario: zero days
    ("scenario", "scenario.toml", SCENARIO.replace("days = 7", "days = 0"),
     ("line 3", "days must be >= 1")),
    # scenario: missing start
    ("scenario", "scenario.toml", 'days = 7\n', ("missing field 'start_utc'",)),
    # scenario: unknown fuel policy (airlift.fuel_policy.policy's message)
    ("scenario", "scenario.toml", SCENARIO + 'fuel_policy = "nato"\n',
     ("line 4", "fuel_policy: unknown fuel policy 'nato'")),
    # scenario: misspelt key
    ("scenario", "scenario.toml", SCENARIO + "night_op = true\n",
     ("line 4", "unknown field 'night_op'", "'night_ops'")),
    # scenario: night_ops not a boolean
    ("scenario", "scenario.toml", SCENARIO + 'night_ops = "sometimes"\n', ("line 4", "night_ops")),
    # scenario: unknown turnaround
    ("scenario", "scenario.toml", SCENARIO + 'ground_mode = "hot"\n',
     ("line 4", "ground_mode must be normal, expedited or ero")),
    # override of an unknown airfield
    ("scenario", "scenario.toml", SCENARIO + "[airfield.GAZZ]\nmog = 1\n",
     ("line 4 [airfield.GAZZ]", "unknown airfield 'GAZZ'")),
    # override with MOG 0
    ("scenario", "scenario.toml", SCENARIO + "[airfield.GATS]\nmog = 0\n",
     ("line 5 [airfield.GATS]", "mog must be >= 1")),
    # override with malformed hours
    ("scenario", "scenario.toml", SCENARIO + '[airfield.GATS]\nhours_utc = "6-18"\n',
     ("line 5 [airfield.GATS]", "hours_utc must be \"HH:MM-HH:MM\"")),
    # override with an unknown key
    ("scenario", "scenario.toml", SCENARIO + "[airfield.GATS]\nmogg = 1\n",
     ("line 5 [airfield.GATS]", "unknown field 'mogg'", "'mog'")),
    # the same airfield twice under two codes
    ("scenario", "scenario.toml", SCENARIO + "[airfield.GABS]\nmog = 2\n[airfield.BKO]\nmog = 3\n",
     ("[airfield.BKO]", "already given as [airfield.GABS]")),
    # scenario under another suffix
    ("scenario", "scenario.json", "{}", ("unsupported file type '.json'",)),
    # dangerous goods: a class that is not in the UN list, class 1 without its group, a UN
    # number of 3 digits or with letters, a UN number without its class
    ("requests", "requests.csv", DG_HEADER + GOOD + ",3.7,UN1863\n",
     ("line 2 (R001)", "dg_class '3.7' is not a UN dangerous-goods class")),
    ("requests", "requests.csv", DG_HEADER + GOOD + ",1.4,UN0012\n",
     ("line 2 (R001)", "dg_class '1.4'", "compatibility group")),
    ("requests", "requests.csv", DG_HEADER + GOOD + ",3,UN186\n",
     ("line 2 (R001)", "un_number 'UN186' is not a UN number")),
    ("requests", "requests.csv", DG_HEADER + GOOD + ",3,UNABCD\n",
     ("line 2 (R001)", "un_number 'UNABCD' is not a UN number")),
    ("requests", "requests.csv", DG_HEADER + GOOD + ",,UN1863\n",
     ("line 2 (R001)", "un_number UN1863 needs its dg_class")),
    ("requests", "requests.json", item(dg_class=3.5),
     ("item 1 (J1)", "dg_class '3.5' is not a UN dangerous-goods class")),
]
# fmt: on

READERS: dict[str, Callable[[Path], object]] = {
    "requests": read_requests,
    "fleet": read_fleet,
    "scenario": read_scenario,
}


@pytest.mark.parametrize(
    ("reader", "name", "content", "expected"),
    BAD,
    ids=[f"{i:02d}-{b[0]}-{b[3][-1][:30]}" for i, b in enumerate(BAD)],
)
def test_bad_input_is_one_line_naming_file_row_and_field(
    tmp_path: Path, reader: str, name: str, content: str | bytes, expected: tuple[str, ...]
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as info:
        READERS[reader](path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    for fragment in expected:
        assert fragment in message, message


def test_dangerous_goods_are_read_normalised_and_hazardous(tmp_path: Path) -> None:
    # GOOD says hazardous "no": a class makes it hazardous all the same (military tails only).
    text = DG_HEADER + GOOD + ",1.4s, un 0012\n" + GOOD.replace("R001", "R002") + ",,\n"
    dg, plain = read_requests(write(tmp_path, "requests.csv", text))
    assert (dg.dg_class, dg.un_number, dg.hazardous) == ("1.4S", "UN0012", True)
    assert (plain.dg_class, plain.un_number, plain.hazardous) == ("", "", False)


def test_demo_dangerous_goods() -> None:
    found = {r.ref: r for r in read_requests(demo_dir() / "requests.csv")}
    assert (found["R007"].dg_class, found["R007"].un_number) == ("3", "UN1863")
    assert "Jet A-1" in found["R007"].description
    assert (found["R008"].dg_class, found["R008"].un_number) == ("1.4S", "UN0012")
    assert all(r.hazardous for r in found.values() if r.dg_class)


def test_a_load_bigger_than_any_aircraft_is_not_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", rows(bad_row(cargo_kg="90000", pallets="20", pax="400")))
    (r,) = read_requests(path)
    assert (r.cargo_kg, r.pallets, r.pax) == (90000.0, 20, 400)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_requests(tmp_path / "nope.csv")


# --- horizon ------------------------------------------------------------------------------------


def test_horizon_excluding_every_request_is_an_error() -> None:
    requests = (request(ref="A"), request(ref="B", latest_utc=utc("2023-10-30T12:00Z")))
    week_later = Scenario("late", utc("2023-11-06T00:00Z"), 7)
    with pytest.raises(InputError, match="every request lies outside") as info:
        check_horizon(week_later, requests)
    assert "\n" not in str(info.value)
    # A window ending exactly at the start does not overlap [start, end).
    with pytest.raises(InputError):
        check_horizon(Scenario("x", utc("2023-10-30T12:00Z"), 1), requests)


def test_horizon_returns_the_requests_it_leaves_out() -> None:
    early, late = (
        request(ref="A"),
        request(
            ref="B", earliest_utc=utc("2023-10-30T06:00Z"), latest_utc=utc("2023-10-30T18:00Z")
        ),
    )
    scenario = Scenario("s", utc("2023-10-29T00:00Z"), 2)
    assert check_horizon(scenario, (early, late)) == (early,)
    # Partly inside counts as inside.
    assert check_horizon(Scenario("s", utc("2023-10-28T00:00Z"), 1), (early,)) == ()


# --- default scenario ---------------------------------------------------------------------------


def test_default_scenario_covers_every_request_from_midnight() -> None:
    requests = (
        request(ref="A", earliest_utc=utc("2023-10-27T14:30+02:00"),
                latest_utc=utc("2023-10-28T06:00Z")),
        request(ref="B", earliest_utc=utc("2023-10-28T06:00Z"),
                latest_utc=utc("2023-10-30T00:30Z")),
    )  # fmt: skip
    s = default_scenario(requests)
    assert s.start_utc == datetime(2023, 10, 27, tzinfo=UTC)
    assert s.days == 4  # 2023-10-30T00:30Z is in the fourth day
    assert s.fuel_policy == "icao" and not s.night_ops and not s.overrides
    assert check_horizon(s, requests) == ()
    exact = (request(latest_utc=utc("2023-10-28T00:00Z")),)
    assert default_scenario(exact).days == 1


def test_default_scenario_needs_requests() -> None:
    with pytest.raises(InputError, match="no requests"):
        default_scenario(())


def test_daylight_only_names_where_it_comes_from() -> None:
    """Bamako is a 24 h airport (theatre file); the demo scenario flies no night at all, so
    it is daylight only there too, and says it is the scenario's rule, not the airfield's."""
    from dataclasses import replace

    from airlift.airfields import lookup
    from airlift.scheduling.scenario_airfields import scenario_airfield

    scenario = read_scenario(demo_dir() / "scenario.toml")
    assert scenario.night_ops is False
    gabs = scenario_airfield(lookup("GABS"), scenario).planning
    assert gabs.daylight_only is True
    assert gabs.daylight_source == (
        "scenario rule night_ops = false, no night flying "
        "(airfield: theatre file daylight_only = false)"
    )
    gats = scenario_airfield(lookup("GATS"), scenario).planning  # unlit: its own flag
    assert (gats.daylight_only, gats.daylight_source) == (
        True,
        "theatre file daylight_only = true",
    )
    night = scenario_airfield(lookup("GABS"), replace(scenario, night_ops=True)).planning
    assert (night.daylight_only, night.daylight_source) == (
        False,
        "theatre file daylight_only = false",
    )
