"""Take-off and landing detection on the planned reference circuit flown as a synthetic track,
read back from every file format."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from circuit import TWO_MINUTES, Flown

from airlift.scheduling.readers import demo_dir, read_fleet
from airlift.tracking import adsb, synthetic
from airlift.tracking.detect import DetectedFlight, detect, leg_actuals
from airlift.tracking.model import Source


def _write(fmt: str, table: pa.Table, folder: Path) -> list[Path]:
    if fmt == "readsb trace":
        return synthetic.write_readsb_traces(table, folder)
    if fmt == "readsb trace gzip":
        return synthetic.write_readsb_traces(table, folder, gzipped=True)
    if fmt == "aircraft.json":
        return synthetic.write_aircraft_json(table, folder, every_s=20.0)
    if fmt == "opensky csv":
        return [synthetic.write_opensky_csv(table, folder / "states.csv")]
    return [synthetic.write_opensky_parquet(table, folder / "states.parquet")]


FORMATS = [
    "table",
    "readsb trace",
    "readsb trace gzip",
    "aircraft.json",
    "opensky csv",
    "opensky parquet",
]


def _flights(fmt: str, flown: Flown, tmp_path: Path) -> list[DetectedFlight]:
    table = flown.table if fmt == "table" else adsb.read(_write(fmt, flown.table, tmp_path))
    return list(detect(table, read_fleet(demo_dir() / "fleet.csv")).flights)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_take_off_and_landing_is_found_within_two_minutes(
    fmt: str, flown: Flown, tmp_path: Path
) -> None:
    """Each flown leg (the diversion to Kidal, the take-off hidden in a gap, the landing after
    a go-around) is one detected flight between the right airfields, times within 2 min; the
    go-around at Niamey, the taxi of 5U-MBH and the ground blips make no leg."""
    found = [f for f in _flights(fmt, flown, tmp_path) if not f.partial]
    assert [(f.icao24, f.origin, f.destination) for f in found] == [
        (t.icao24, t.origin, t.destination) for t in sorted(flown.truth, key=lambda t: t.icao24)
    ]
    for f, t in zip(found, sorted(flown.truth, key=lambda t: t.icao24), strict=True):
        assert f.off_utc is not None and f.on_utc is not None
        assert abs(f.off_utc - t.off_utc) <= TWO_MINUTES, (f, t)
        assert abs(f.on_utc - t.on_utc) <= TWO_MINUTES, (f, t)


def test_the_diversion_lands_where_it_landed_and_the_go_around_is_inside_one_leg(
    flown: Flown,
) -> None:
    flights = detect(flown.table).flights
    mbd = [f for f in flights if f.icao24 == "062a01"]
    assert [f.destination for f in mbd] == ["GAGO", "GAKL", "DRRN", "GABS"]  # planned: GATS
    into_niamey = mbd[2]
    assert into_niamey.off_utc and into_niamey.on_utc
    assert into_niamey.off_utc < flown.go_around_utc < into_niamey.on_utc
    assert not any(f.icao24 == "062a02" for f in flights)  # 5U-MBH only taxied


def test_a_flight_seen_only_in_cruise_is_partial_with_what_matching_needs(flown: Flown) -> None:
    (tz,) = [f for f in detect(flown.table).flights if f.icao24 == "05c102"]
    assert tz.partial and (tz.origin, tz.destination, tz.off_utc, tz.on_utc) == ("", "", None, None)
    assert tz.mean_track_deg is not None and 40 < tz.mean_track_deg < 90  # Bamako -> Gao: ENE
    assert tz.first_utc < tz.last_utc and tz.first_lon < tz.last_lon


def test_an_address_not_in_the_fleet_is_a_warning_naming_it(flown: Flown) -> None:
    result = detect(flown.table, read_fleet(demo_dir() / "fleet.csv"), "fleet.csv")
    assert result.warnings == (
        "icao24 0a0b0c is not in fleet.csv: its 1 flight(s) have no registration",
    )
    assert {f.registration for f in result.flights} == {"5U-MBD", "TZ-02C", ""}


def test_flights_become_adsb_leg_actuals(flown: Flown) -> None:
    flights = detect(flown.table, read_fleet(demo_dir() / "fleet.csv")).flights
    legs = leg_actuals(flights, "receiver Gao")
    assert all(leg.source is Source.ADSB for leg in legs)
    first = next(leg for leg in legs if leg.tail == "5U-MBD")
    assert (first.origin, first.destination, first.out_utc, first.in_utc) == (
        "GABS",
        "GAGO",
        None,
        None,
    )
    cruise = next(leg for leg in legs if leg.tail == "TZ-02C")
    assert cruise.partial and cruise.remarks == "seen in cruise only"
    assert next(leg for leg in legs if leg.tail == "0a0b0c").origin == "DRRN"
