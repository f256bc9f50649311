"""A flight seen only in cruise (ADS-B, no airfield, no time) is matched to its planned leg by
time and heading, stays partial with its times unknown, and shows as airborne."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from circuit import Flown

from airlift.scheduling.inputs import Scenario
from airlift.scheduling.readers import demo_dir, read_fleet
from airlift.tracking.compare import compare
from airlift.tracking.detect import detect, leg_actuals
from airlift.tracking.legs import (
    CRUISE_TIME_TOLERANCE,
    CRUISE_TRACK_TOLERANCE_DEG,
    PlannedLeg,
    course_deg,
    match,
)
from airlift.tracking.model import LegActual, Source
from airlift.tracking.status import LegStatus, leg_state


@pytest.fixture(scope="module")
def seen(flown: Flown) -> LegActual:
    """TZ-02C as detected from the synthetic track: Bamako -> Gao, seen in cruise only."""
    flights = detect(flown.table, read_fleet(demo_dir() / "fleet.csv")).flights
    (tz,) = [a for a in leg_actuals(flights) if a.tail == "TZ-02C"]
    return tz


def _leg(tail: str, origin: str, destination: str, off: datetime, minutes: float) -> PlannedLeg:
    """A planned leg taking off at ``off`` and flying ``minutes``; 10 min taxi each way."""
    on = off + timedelta(minutes=minutes)
    ten = timedelta(minutes=10)
    return PlannedLeg(tail, origin, destination, off - ten, off, on, on + ten)


def test_detection_keeps_when_and_where_to_a_cruise_only_flight(seen: LegActual) -> None:
    assert seen.partial and seen.seen_in_cruise_only
    assert (seen.origin, seen.destination, seen.first_utc) == ("", "", None)
    assert seen.seen_from_utc and seen.seen_until_utc and seen.seen_from_utc < seen.seen_until_utc
    course = course_deg("GABS", "GAGO")
    assert course is not None and seen.seen_track_deg is not None
    assert abs(seen.seen_track_deg - course) < 5.0  # deg: the synthetic flies the great circle


def test_a_cruise_only_flight_is_matched_to_its_leg_by_time_and_heading(seen: LegActual) -> None:
    """TZ-02C's day: Bamako -> Gao (seen), Gao -> Bamako after; another tail's Bamako -> Gao
    at the same time. Only TZ-02C's Bamako -> Gao covers the time on the heading."""
    assert seen.seen_from_utc is not None
    off = seen.seen_from_utc - timedelta(minutes=40)
    legs = [
        _leg("5U-MBD", "GABS", "GAGO", off, 120),
        _leg("TZ-02C", "GABS", "GAGO", off, 120),
        _leg("TZ-02C", "GAGO", "GABS", off + timedelta(minutes=180), 120),
    ]
    matched, unplanned = match(legs, [seen])
    assert unplanned == []
    assert list(matched) == [1]
    a = matched[1]
    assert (a.origin, a.destination) == ("GABS", "GAGO")
    assert a.partial
    assert (a.out_utc, a.off_utc, a.on_utc, a.in_utc) == (None, None, None, None)


def test_the_way_back_at_the_same_time_is_not_matched(seen: LegActual) -> None:
    assert seen.seen_from_utc is not None
    back = _leg("TZ-02C", "GAGO", "GABS", seen.seen_from_utc - timedelta(minutes=40), 120)
    matched, unplanned = match([back], [seen])
    assert matched == {} and unplanned == [seen]


def test_no_leg_of_the_tail_at_that_time_leaves_it_unplanned(seen: LegActual) -> None:
    """The tail's Bamako -> Gao a day later, and the same leg planned now for another tail."""
    assert seen.seen_from_utc is not None
    off = seen.seen_from_utc - timedelta(minutes=40)
    legs = [
        _leg("TZ-02C", "GABS", "GAGO", off + timedelta(days=1), 120),
        _leg("5U-MBD", "GABS", "GAGO", off, 120),
    ]
    matched, unplanned = match(legs, [seen])
    assert matched == {} and unplanned == [seen]


def test_the_time_tolerance_is_the_edge(seen: LegActual) -> None:
    """Planned to land just within the tolerance before it was last seen: matched; a minute
    more: not."""
    assert seen.seen_until_utc is not None
    on = seen.seen_until_utc - CRUISE_TIME_TOLERANCE
    inside = _leg("TZ-02C", "GABS", "GAGO", on - timedelta(minutes=120), 120)
    outside = _leg("TZ-02C", "GABS", "GAGO", on - timedelta(minutes=121), 120)
    assert list(match([inside], [seen])[0]) == [0]
    assert match([outside], [seen])[0] == {}


def test_the_heading_tolerance_is_the_edge(seen: LegActual) -> None:
    assert seen.seen_from_utc is not None
    course = course_deg("GABS", "GAGO")
    assert course is not None
    leg = _leg("TZ-02C", "GABS", "GAGO", seen.seen_from_utc - timedelta(minutes=40), 120)
    for off_by, found in (
        (CRUISE_TRACK_TOLERANCE_DEG - 1, True),
        (CRUISE_TRACK_TOLERANCE_DEG + 1, False),
    ):
        turned = replace(seen, seen_track_deg=(course + off_by) % 360.0)
        assert bool(match([leg], [turned])[0]) is found


def _cruise_report(p: PlannedLeg, track_deg: float) -> LegActual:
    return LegActual(
        p.tail,
        "",
        "",
        Source.ADSB,
        partial=True,
        remarks="seen in cruise only",
        seen_from_utc=p.off_utc + timedelta(minutes=20),
        seen_until_utc=p.off_utc + timedelta(minutes=35),
        seen_track_deg=track_deg,
    )


def test_the_comparison_shows_it_airborne_not_on_time_or_late(
    demo_document: dict[str, Any], demo_scenario: Scenario, three_legs: list[PlannedLeg]
) -> None:
    p = three_legs[0]
    course = course_deg(p.origin, p.destination)
    assert course is not None
    report = compare(
        demo_document,
        [_cruise_report(p, course)],
        scenario=demo_scenario,
        as_of=p.off_utc + timedelta(minutes=40),
    )
    (leg,) = [r for r in report.legs if r.planned == p]
    assert leg.status == "airborne"
    assert leg.actual is not None and leg.actual.partial
    assert (leg.actual.origin, leg.actual.destination) == (p.origin, p.destination)
    assert leg.departure_delay_min is None and leg.arrival_delay_min is None
    assert leg.projected.out_utc == p.out_utc  # nothing invented from the sighting
    assert report.unplanned == ()


def test_the_comparison_names_an_unmatched_cruise_flight(
    demo_document: dict[str, Any], demo_scenario: Scenario, three_legs: list[PlannedLeg]
) -> None:
    p = three_legs[0]
    course = course_deg(p.origin, p.destination)
    assert course is not None
    back = _cruise_report(p, (course + 180.0) % 360.0)
    report = compare(
        demo_document, [back], scenario=demo_scenario, as_of=p.off_utc + timedelta(minutes=40)
    )
    assert report.unplanned == (back,)
    assert any("seen in cruise at" in n and p.tail in n for n in report.notes)
    assert all(r.actual is None for r in report.legs if r.planned == p)


def test_the_board_shows_it_airborne_without_a_delay(three_legs: list[PlannedLeg]) -> None:
    p = three_legs[0]
    course = course_deg(p.origin, p.destination)
    assert course is not None
    (a,) = match([p], [_cruise_report(p, course)])[0].values()
    state = leg_state(p, a, p.off_utc + timedelta(hours=5))
    assert (state.status, state.late_min, state.late) == (LegStatus.AIRBORNE, None, False)
    assert "seen in cruise" in state.next_action
