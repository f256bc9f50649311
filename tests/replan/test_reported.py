"""Tracking reports as re-planning inputs: delays and the last time flown, this programme's
legs only (``airlift.replan.reported``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airlift.replan.events import Delay, parse_event
from airlift.replan.reported import reported, with_reported_delays
from airlift.tracking.legs import planned_legs
from airlift.tracking.model import LegActual, Source


def _flown(leg: Any, late_min: float) -> LegActual:
    late = timedelta(minutes=late_min)
    return LegActual(
        tail=leg.tail,
        origin=leg.origin,
        destination=leg.destination,
        source=Source.CREW,
        out_utc=leg.out_utc + late,
        off_utc=leg.off_utc + late,
        on_utc=leg.on_utc + late,
        in_utc=leg.in_utc + late,
    )


def test_a_leg_reported_late_is_a_delay_and_sets_flown_until(
    demo_document: dict[str, Any],
) -> None:
    legs = planned_legs(demo_document)
    first, second = legs[0], legs[1]
    delays, flown = reported(demo_document, [_flown(first, 45), _flown(second, 5)])
    assert delays == [Delay(first.tail, first.number, 45, first.day)]
    assert flown == second.in_utc + timedelta(minutes=5)


def test_reports_of_no_leg_of_the_programme_change_nothing(
    demo_document: dict[str, Any],
) -> None:
    leg = planned_legs(demo_document)[0]
    stranger = LegActual(
        tail="ZZ-ZZZ",
        origin=leg.origin,
        destination=leg.destination,
        source=Source.CREW,
        out_utc=leg.out_utc + timedelta(days=30),
    )
    assert reported(demo_document, [stranger]) == ([], None)


def test_a_declared_delay_wins_over_the_reported_one() -> None:
    declared = parse_event("delay 5U-MBD:2 30min")
    found = [Delay("5U-MBD", 2, 50, 3), Delay("5U-MBD", 1, 20, 3)]
    events = with_reported_delays([declared], found)
    assert events == [declared, Delay("5U-MBD", 1, 20, 3)]
