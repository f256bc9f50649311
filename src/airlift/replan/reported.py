"""What tracking says about a programme, as re-planning inputs: delays and the last flown time.

The reports of what was flown (crew reports, MVT, ADS-B: :mod:`airlift.tracking`) are
matched to the programme's planned legs (:func:`airlift.tracking.legs.match`); only those
matched count, so reports of another programme change nothing here.

* **Delays.** A leg whose reported off-block (else take-off) is later than planned by more
  than :data:`DELAY_TOLERANCE` becomes a ``delay TAIL/DAY:LEG Nmin`` event, unless the
  planner declared a delay for that leg already.
* **Flown until.** The latest off-block, take-off, landing or on-block reported for a leg of
  the programme: a re-plan's "now" before it would un-fly that leg.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from airlift.replan.events import Delay, Event
from airlift.tracking.legs import match, planned_legs
from airlift.tracking.model import LegActual

DELAY_TOLERANCE = timedelta(minutes=15)
"""Later than this is a delay (the on-time rule of the plan-against-actual figures)."""


def reported(
    document: Mapping[str, Any], actuals: Iterable[LegActual]
) -> tuple[list[Delay], datetime | None]:
    """The delay events of the legs reported late, and the latest time reported flown."""
    legs = planned_legs(document)
    matched, _ = match(legs, actuals)
    delays: list[Delay] = []
    flown: list[datetime] = []
    for k, a in matched.items():
        p = legs[k]
        flown += [t for t in (a.out_utc, a.off_utc, a.on_utc, a.in_utc) if t is not None]
        if a.out_utc is not None:
            late = a.out_utc - p.out_utc
        elif a.off_utc is not None:
            late = a.off_utc - p.off_utc
        else:
            continue
        if late > DELAY_TOLERANCE:
            delays.append(Delay(p.tail, p.number, round(late.total_seconds() / 60.0), p.day))
    return delays, max(flown, default=None)


def with_reported_delays(events: Sequence[Event], delays: Sequence[Delay]) -> list[Event]:
    """``events`` and the reported delays of legs no declared delay names."""
    declared = [e for e in events if isinstance(e, Delay)]

    def named(d: Delay) -> bool:
        return any(e.tail == d.tail and e.leg == d.leg and e.day in (None, d.day) for e in declared)

    return [*events, *(d for d in delays if not named(d))]
