"""Leg report CSVs: the good row read field by field; every bad row a one-line error naming
the file, the line and the field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from airlift.errors import FieldError
from airlift.tracking.model import LoadActual, Source
from airlift.tracking.reports import read_reports, reports_from_text

NOW = datetime(2023, 11, 3, tzinfo=UTC)
HEADER = (
    "tail,origin,destination,out_utc,off_utc,on_utc,in_utc,fuel_out_kg,fuel_in_kg,loads,"
    "remarks,source\n"
)
GOOD = (
    "5U-MBD,GABS,GAGO,2023-10-27T06:35Z,2023-10-27T06:45Z,2023-10-27T08:40Z,"
    "2023-10-27T08:48Z,9000,5200,R001:4000/2/0;R007:2000/1/0,cargo late,\n"
)


def test_a_good_row_gives_every_field() -> None:
    (leg,) = reports_from_text(HEADER + GOOD, "a.csv", NOW)
    assert (leg.tail, leg.origin, leg.destination, leg.source) == (
        "5U-MBD",
        "GABS",
        "GAGO",
        Source.CREW,
    )
    assert leg.out_utc == datetime(2023, 10, 27, 6, 35, tzinfo=UTC)
    assert leg.in_utc == datetime(2023, 10, 27, 8, 48, tzinfo=UTC)
    assert (leg.fuel_out_kg, leg.fuel_in_kg) == (9000.0, 5200.0)
    assert leg.loads == (LoadActual("R001", 4000.0, 2, 0), LoadActual("R007", 2000.0, 1, 0))
    assert leg.remarks == "cargo late"
    assert (leg.where.file, leg.where.row) == ("a.csv", 2)


def test_only_some_times_and_a_source() -> None:
    text = "tail,origin,destination,off_utc,source\n5U-MBD,GABS,GAGO,2023-10-27T06:45Z,mvt\n"
    (leg,) = reports_from_text(text, "a.csv", NOW)
    assert leg.out_utc is None and leg.off_utc is not None and leg.source == Source.MVT


def _row(**cells: str) -> str:
    base = dict(
        zip(
            HEADER.strip().split(","),
            GOOD.strip().split(","),
            strict=True,
        )
    )
    base.update(cells)
    return HEADER + ",".join(base.values()) + "\n"


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        # landing before take-off
        ({"on_utc": "2023-10-27T06:40Z"}, "on_utc", "before off_utc"),
        # OUT after OFF
        ({"out_utc": "2023-10-27T06:50Z"}, "off_utc", "before out_utc"),
        # a report of the future
        ({"in_utc": "2023-11-27T08:48Z"}, "in_utc", "in the future"),
        # year 9999: outside the planning horizon
        ({"out_utc": "9999-10-27T06:35Z"}, "out_utc", "planning horizon"),
        # no timezone
        ({"off_utc": "2023-10-27T06:45"}, "off_utc", "no timezone"),
        # more fuel at IN than at OUT
        ({"fuel_in_kg": "9500"}, "fuel_in_kg", "more than fuel_out_kg"),
        # a unit slip
        ({"fuel_out_kg": "900000"}, "fuel_out_kg", "from 0 to 250,000 kg"),
        # a load item that is not REQUEST:KG/PALLETS/PAX
        ({"loads": "R001:4000/2"}, "loads", "item 1"),
        # pallets not a whole number
        ({"loads": "R001:4000/2.5/0"}, "loads", "whole number"),
        # one request twice
        ({"loads": "R001:1/0/0;R001:2/0/0"}, "loads", "listed twice"),
        ({"source": "radio"}, "source", "not one of crew"),
        ({"origin": "ZZZZ"}, "origin", "unknown airfield"),
        ({"tail": ""}, "tail", "tail is empty"),
        # a whole day between OUT and IN: a wrong date
        ({"in_utc": "2023-10-28T08:48Z"}, "in_utc", "at most 24 h"),
    ],
)
def test_bad_values_name_file_line_and_field(cells: dict[str, str], field: str, words: str) -> None:
    text = _row(**cells)
    with pytest.raises(FieldError) as info:
        reports_from_text(text, "actuals.csv", NOW)
    err = info.value
    assert err.field == field
    assert (err.file, err.row) == ("actuals.csv", 2)
    assert words in str(err)
    assert str(err).startswith("actuals.csv line 2") and "\n" not in str(err)


def test_a_row_without_any_time_is_refused() -> None:
    with pytest.raises(FieldError, match="no time reported"):
        reports_from_text("tail,origin,destination\n5U-MBD,GABS,GAGO\n", "a.csv", NOW)


def test_missing_and_misspelt_columns() -> None:
    with pytest.raises(FieldError, match="missing column 'destination'") as info:
        reports_from_text("tail,origin,out_utc\n", "a.csv", NOW)
    assert info.value.row == 1
    with pytest.raises(FieldError, match="did you mean 'fuel_out_kg'"):
        reports_from_text("tail,origin,destination,fuel_ot_kg\n5U-MBD,GABS,GAGO,1\n", "a.csv", NOW)


def test_a_duplicate_report_names_both_lines() -> None:
    text = HEADER + GOOD + GOOD.replace("06:35Z", "06:36Z")
    with pytest.raises(FieldError, match="duplicate report") as info:
        reports_from_text(text, "a.csv", NOW)
    assert "line 2 and line 3" in str(info.value)
    assert info.value.row == 3


def test_a_shuttle_from_one_airfield_twice_a_day_is_no_duplicate() -> None:
    later = GOOD.replace("T06:35Z", "T12:35Z").replace("T06:45Z", "T12:45Z")
    later = later.replace("T08:40Z", "T14:40Z").replace("T08:48Z", "T14:48Z")
    assert len(reports_from_text(HEADER + GOOD + later, "a.csv", NOW)) == 2


def test_a_file_that_is_not_csv(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.txt"
    path.write_text(HEADER + GOOD)
    with pytest.raises(FieldError, match="must be CSV"):
        read_reports(path, NOW)
    good = tmp_path / "a.csv"
    good.write_text(HEADER + GOOD)
    assert len(read_reports(good, NOW)) == 1
