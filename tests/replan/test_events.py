"""Disruption events read from their text, written back, and refused with a clear reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from airlift.errors import FieldError
from airlift.replan.events import (
    AddRequests,
    AirfieldChange,
    Cancel,
    Change,
    Closed,
    Delay,
    DutyReset,
    Unserviceable,
    event_text,
    parse_event,
)

T0 = datetime(2023, 10, 28, 8, tzinfo=UTC)
T1 = datetime(2023, 10, 29, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "event"),
    [
        (
            "unserviceable 5U-MBH 2023-10-28T08:00Z/2023-10-29T00:00Z",
            Unserviceable("5U-MBH", T0, T1),
        ),
        ("unserviceable 5U-MBH 2023-10-28T08:00Z/", Unserviceable("5U-MBH", T0, None)),
        ("closed GATS 2023-10-28T08:00Z/2023-10-29T00:00Z", Closed("GATS", T0, T1)),
        ("closed BKO 2023-10-28T08:00Z/2023-10-29T00:00Z", Closed("GABS", T0, T1)),
        ("mog GAGO 1", AirfieldChange("GAGO", mog=1)),
        ("fuel GAGO none", AirfieldChange("GAGO", fuel_available=False)),
        ("fuel GAGO available", AirfieldChange("GAGO", fuel_available=True)),
        ("hours GATS 06:00-18:00", AirfieldChange("GATS", hours_utc=("06:00", "18:00"))),
        (
            "mog GATS 1 2023-10-28T08:00Z/2023-10-29T00:00Z",
            AirfieldChange("GATS", mog=1, from_utc=T0, until_utc=T1),
        ),
        (
            "fuel GAGO none 2023-10-28T08:00Z/2023-10-29T00:00Z",
            AirfieldChange("GAGO", fuel_available=False, from_utc=T0, until_utc=T1),
        ),
        ("cancel R012", Cancel("R012")),
        (
            "change R012 cargo_kg=9000 priority=1",
            Change("R012", (("cargo_kg", "9000"), ("priority", "1"))),
        ),
        ("delay 5U-MBD:3 45min", Delay("5U-MBD", 3, 45.0)),
        ("delay 5U-MBD/2:1 1.5h", Delay("5U-MBD", 1, 90.0, 2)),
        ("duty-reset 5U-MBD 2023-10-28T08:00Z", DutyReset("5U-MBD", T0)),
    ],
)
def test_each_kind_reads_and_writes_back(text: str, event: object) -> None:
    parsed = parse_event(text)
    assert parsed == event
    assert parse_event(event_text(parsed)) == parsed


def test_add_request_reads_the_file(tmp_path: Path) -> None:
    (tmp_path / "new.csv").write_text(
        "id,origin,destination,cargo_kg,pallets,pax,earliest_utc,latest_utc,priority\n"
        "MED1,GAGO,GABS,0,0,4,2023-10-28T09:00Z,2023-10-28T18:00Z,1\n",
        encoding="utf-8",
    )
    event = parse_event("add-request new.csv", tmp_path)
    assert isinstance(event, AddRequests)
    assert [r.ref for r in event.requests] == ["MED1"]
    assert event_text(event) == "add-request new.csv"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("explode GAGO", "unknown kind 'explode'"),
        ("unserviceable 5U-MBH", "takes TAIL FROM/UNTIL"),
        ("unserviceable 5U-MBH 2023-10-29T00:00Z/2023-10-28T00:00Z", "ends"),
        ("closed GATS 2023-10-28T00:00Z", "FROM/UNTIL"),
        ("closed GATS 2023-10-28T00:00Z/", "no end"),
        ("closed ZZZZ 2023-10-28T00:00Z/2023-10-29T00:00Z", "ZZZZ"),
        ("closed GATS 9999-10-28T00:00Z/9999-10-29T00:00Z", "outside the planning horizon"),
        ("mog GAGO 0", ">= 1"),
        ("mog GAGO 1e300", "<= 99"),
        ("fuel GAGO maybe", "'none' or 'available'"),
        ("fuel GAGO none 2023-10-28T08:00Z/", "no end"),
        ("mog GAGO 1 2023-10-28T08:00Z/2023-10-28T07:00Z", "ends"),
        ("mog GAGO 1 2 3", "[FROM/UNTIL]"),
        ("hours GATS 6-18", "HH:MM-HH:MM"),
        ("delay 5U-MBD 45min", "TAIL:LEG"),
        ("delay 5U-MBD:3 -5min", "not a delay"),
        ("delay 5U-MBD:3 nanmin", "not a delay"),
        ("delay 5U-MBD:3 100h", "at most"),
        ("change R012", "COLUMN=VALUE"),
        ("change R012 cargo_kg", "not COLUMN=VALUE"),
        ("add-request /nonexistent/requests.csv", "requests.csv"),
    ],
)
def test_bad_events_are_one_clear_error(text: str, words: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_event(text)
    assert info.value.field == "event"
    assert words in str(info.value)
    assert "\n" not in str(info.value)
