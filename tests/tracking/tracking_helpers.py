"""Reports made from planned legs, for the tracking tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airlift.tracking.legs import PlannedLeg
from airlift.tracking.model import LegActual, Source


def flown(
    p: PlannedLeg, delay_min: float = 0.0, source: Source = Source.CREW, **changes: Any
) -> LegActual:
    """A report of planned leg ``p`` flown as planned, ``delay_min`` late throughout."""
    d = timedelta(minutes=delay_min)
    fields: dict[str, Any] = {
        "out_utc": p.out_utc + d,
        "off_utc": p.off_utc + d,
        "on_utc": p.on_utc + d,
        "in_utc": p.in_utc + d,
    }
    fields.update(changes)
    return LegActual(p.tail, p.origin, fields.pop("destination", p.destination), source, **fields)
