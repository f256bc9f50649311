"""The day board's rules: a reported leg's checks, its status against the plan at a time,
and which report flew which planned leg."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from airlift.errors import FieldError
from airlift.tracking.board import day_board
from airlift.tracking.checks import check_actual
from airlift.tracking.legs import PlannedLeg, match
from airlift.tracking.model import LegActual, Source
from airlift.tracking.report_json import actual_from_json, actual_to_json, read_json_reports
from airlift.tracking.status import LegStatus, leg_state

T0 = datetime(2023, 10, 27, 6, 30, tzinfo=UTC)
"""Planned off-block of the test leg."""
PLAN = PlannedLeg(
    "5U-MBD",
    "GABS",
    "GAGO",
    out_utc=T0,
    off_utc=T0 + timedelta(minutes=10),
    on_utc=T0 + timedelta(minutes=130),
    in_utc=T0 + timedelta(minutes=137),
)
"""GABS 06:30Z off-block, 06:40Z take-off, 08:40Z landing, 08:47Z on-block."""


def _m(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _report(**times: Any) -> LegActual:
    return LegActual("5U-MBD", "GABS", times.pop("destination", "GAGO"), Source.CREW, **times)


# (what was reported, minutes after the planned off-block it is now) -> status, late min, action
CASES = [
    # nothing reported, before the ETD and within the tolerance after it: planned
    (None, -60, LegStatus.PLANNED, None, "awaiting OFF report from GABS (ETD 06:30Z)"),
    (None, 15, LegStatus.PLANNED, 15.0, "awaiting OFF report"),
    # nothing reported 16 min after ETD: nobody told us it left
    (None, 16, LegStatus.NOT_REPORTED, 16.0, "no report 16 min after ETD: ask GABS"),
    # off-block reported, still on the ground: planned, then delayed past the tolerance
    (_report(out_utc=_m(5)), 10, LegStatus.PLANNED, 10.0, "off-block 06:35Z"),
    (_report(out_utc=_m(5)), 40, LegStatus.DELAYED, 40.0, "awaiting OFF report from GABS"),
    # airborne: late against the planned take-off (06:40Z), not the off-block
    (_report(off_utc=_m(35)), 40, LegStatus.AIRBORNE, 25.0, "report landing at GAGO"),
    (_report(off_utc=_m(10)), 170, LegStatus.AIRBORNE, 0.0, "overdue at GAGO"),
    # landed where planned: late against the planned landing; complete once on-block
    (_report(off_utc=_m(10), on_utc=_m(140)), 141, LegStatus.LANDED, 10.0, "report on-block"),
    (_report(on_utc=_m(120), in_utc=_m(126)), 200, LegStatus.LANDED, -10.0, "leg complete"),
    (_report(in_utc=_m(147)), 200, LegStatus.LANDED, 10.0, "leg complete"),  # IN alone
    # landed elsewhere
    (
        _report(off_utc=_m(10), on_utc=_m(100), destination="GAMB"),
        101,
        LegStatus.DIVERTED,
        -30.0,
        "landed at GAMB, not GAGO",
    ),
]


@pytest.mark.parametrize(("actual", "now_min", "status", "late_min", "action"), CASES)
def test_status_rules(
    actual: LegActual | None, now_min: float, status: LegStatus, late_min: float | None, action: str
) -> None:
    state = leg_state(PLAN, actual, _m(now_min))
    assert state.status == status
    assert state.late_min == late_min
    assert state.late == (late_min is not None and late_min > 15)
    assert action in state.next_action


NOW = datetime(2023, 10, 28, 12, 0, tzinfo=UTC)

BAD = [
    # (fields of the report, the field named, words of the reason)
    ({"off_utc": "2023-10-27T08:00Z", "on_utc": "2023-10-27T07:00Z"}, "on_utc", "before off_utc"),
    ({"out_utc": "2023-10-27T07:10Z", "off_utc": "2023-10-27T07:00Z"}, "off_utc", "before out_utc"),
    ({"off_utc": "9999-01-01T00:00Z"}, "off_utc", "planning horizon"),
    ({"off_utc": "2023-10-27T07:00"}, "off_utc", "no timezone"),
    ({"out_utc": "2023-10-26T07:00Z", "in_utc": "2023-10-27T08:00Z"}, "in_utc", "at most 24 h"),
    ({}, "off_utc", "no time reported"),
    ({"off_utc": "2023-10-27T07:00Z", "fuel_out_kg": -5}, "fuel_out_kg", ">= 0"),
    ({"off_utc": "2023-10-27T07:00Z", "fuel_in_kg": 900_000}, "fuel_in_kg", "<= 250000"),
    ({"off_utc": "2023-10-27T07:00Z", "origin": "ZZZZ"}, "origin", "unknown airfield"),
    ({"off_utc": "2023-10-27T07:00Z", "source": "radar"}, "source", "not one of"),
    ({"off_utc": "2023-10-27T07:00Z", "tial": "X"}, "tial", "did you mean 'tail'"),
    (
        {"off_utc": "2023-10-27T07:00Z", "loads": [{"request_ref": "R1", "pax": -1}]},
        "loads[0].pax",
        ">= 0",
    ),
]


@pytest.mark.parametrize(("fields", "field", "words"), BAD)
def test_impossible_reports_name_the_field(fields: dict[str, Any], field: str, words: str) -> None:
    data = {"tail": "5U-MBD", "origin": "GABS", "destination": "GAGO", **fields}
    with pytest.raises(FieldError) as exc:
        actual_from_json(data)
    assert exc.value.field == field
    assert words in exc.value.reason


def test_a_time_after_now_is_refused_beyond_the_clock_skew() -> None:
    soon = LegActual("5U-MBD", "GABS", "GAGO", Source.CREW, off_utc=NOW + timedelta(minutes=9))
    assert check_actual(soon, NOW) is soon
    later = LegActual("5U-MBD", "GABS", "GAGO", Source.CREW, on_utc=NOW + timedelta(minutes=11))
    with pytest.raises(FieldError) as exc:
        check_actual(later, NOW)
    assert exc.value.field == "on_utc" and "in the future" in exc.value.reason


def test_a_file_lists_each_bad_report_with_its_item() -> None:
    good = {"tail": "5U-MBD", "origin": "GABS", "destination": "GAGO", "off_utc": "2023-10-27T07Z"}
    content = json.dumps([good, {**good, "on_utc": "2023-10-27T06:00Z"}]).encode()
    parsed = read_json_reports(content, "crew.json")
    assert len(parsed.reports) == 1 and parsed.reports[0].where.row == 1
    (error,) = parsed.errors
    assert str(error).startswith("crew.json item 2: on_utc")
    assert actual_from_json(actual_to_json(parsed.reports[0])) == parsed.reports[0]


def test_each_report_flies_the_closest_planned_leg_of_its_tail_and_origin() -> None:
    second = PlannedLeg(
        "5U-MBD", "GABS", "GAGO", _m(300), _m(310), _m(430), _m(437)
    )  # the same route again, 5 h later
    early = _report(off_utc=_m(12))
    late = _report(off_utc=_m(290))
    other_tail = LegActual("TZ-03C", "GABS", "GAGO", Source.CREW, off_utc=_m(12))
    far = _report(off_utc=_m(-13 * 60))  # 13 h before: another leg
    matched, unplanned = match([PLAN, second], [late, other_tail, early, far])
    assert matched == {0: early, 1: late}
    assert unplanned == [other_tail, far]


def test_the_board_lists_unplanned_legs_of_its_day_only() -> None:
    from airlift.tracking.board import PlannedLegRow

    row = PlannedLegRow(1, 1, "C-130H", PLAN, "", "", None, None)
    flown = _report(off_utc=_m(12))
    elsewhere = LegActual("TZ-03C", "GAGO", "DRRN", Source.ADSB, off_utc=_m(60))
    next_day = LegActual("TZ-03C", "GAGO", "DRRN", Source.ADSB, off_utc=_m(24 * 60))
    legs, unplanned = day_board(date(2023, 10, 27), [row], [flown, elsewhere, next_day], _m(20))
    assert legs[0].actual is flown and legs[0].state.status == LegStatus.AIRBORNE
    assert unplanned == [elsewhere]


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(40, "40 min"), (119, "119 min"), (185, "3 h 05 min"), (3 * 24 * 60 + 5, "3 d")],
)
def test_delays_read_in_minutes_hours_or_days(minutes: int, text: str) -> None:
    from airlift.tracking.status import duration_text

    assert duration_text(timedelta(minutes=minutes)) == text
