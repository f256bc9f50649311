"""What was flown, as data: one ``LegActual`` per reported leg, whatever reported it.

Every input (crew or ops report, CSV, MVT movement message, ADS-B track, sighting) becomes
``LegActual`` records. Several sources can report the same leg: each record is kept, and the
most trusted source wins field by field (:func:`merge`), so a crew's fuel figure and an
ADS-B take-off time combine into one leg.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from airlift.errors import Where

TrackPoint = tuple[float, float, float | None, float]
"""One point of a flown path: latitude (deg), longitude (deg), altitude (ft, None when the
source gave none), time (s since 1970-01-01 UTC)."""


class Source(StrEnum):
    """Who reported a leg; the JSON/CSV spelling of ``source``."""

    CREW = "crew"
    """A crew or ops report, typed into the app or imported from CSV."""
    MVT = "mvt"
    """An airline-style movement message (AD/AA lines)."""
    ADSB = "adsb"
    """Take-off and landing detected in an ADS-B track."""
    SIGHTING = "sighting"
    """A report or photo of the aircraft at a place and time."""


TRUST: dict[Source, int] = {Source.CREW: 4, Source.MVT: 3, Source.ADSB: 2, Source.SIGHTING: 1}
"""Higher wins when two sources give the same field of a leg. The crew's own figures (times
off the aircraft clock, fuel off the gauges) above the ops message that relays them, above a
track whose gaps may hide the wheels leaving the ground, above a sighting."""


@dataclass(frozen=True, slots=True)
class LoadActual:
    """What one request actually had on board a leg."""

    request_ref: str
    cargo_kg: float = 0.0
    pallets: int = 0
    pax: int = 0


@dataclass(frozen=True, slots=True)
class LegActual:
    """One leg as a source reported it. Times are aware UTC; None: not reported.

    ``destination`` is where the leg actually landed: a diversion is a leg whose destination
    differs from the planned one. ``partial``: the source saw only part of the flight (an
    ADS-B track seen in cruise only), so the times it lacks are not known, not zero."""

    tail: str
    """Registration, as in the fleet (5U-MBD)."""
    origin: str
    """ICAO code of the departure airfield."""
    destination: str
    """ICAO code of the airfield it landed at."""
    source: Source
    out_utc: datetime | None = None
    """Off-block (OUT)."""
    off_utc: datetime | None = None
    """Take-off (OFF)."""
    on_utc: datetime | None = None
    """Landing (ON)."""
    in_utc: datetime | None = None
    """On-block (IN)."""
    fuel_out_kg: float | None = None
    """Fuel on board at departure."""
    fuel_in_kg: float | None = None
    """Fuel on board at arrival."""
    loads: tuple[LoadActual, ...] = ()
    remarks: str = ""
    partial: bool = False
    reported_by: str = ""
    """The person, receiver or feed that reported it."""
    where: Where = field(default=Where(), compare=False)
    """The file and line (or message) it came from: errors and reports name it."""
    seen_from_utc: datetime | None = None
    """A track seen in the air only (ADS-B in cruise): its first airborne report. Not a
    block or wheels time: OUT/OFF/ON/IN stay unknown."""
    seen_until_utc: datetime | None = None
    """Its last airborne report."""
    seen_track_deg: float | None = None
    """Its mean track over the ground (true degrees, [0, 360))."""
    track: tuple[TrackPoint, ...] = ()
    """The path flown as a source saw it (ADS-B): (lat deg, lon deg, altitude ft or None,
    time epoch s) in time order, simplified for drawing (``tracking.detect.simplify``)."""

    @property
    def first_utc(self) -> datetime | None:
        """The earliest time reported (the leg's place in a tail's day)."""
        times = [t for t in (self.out_utc, self.off_utc, self.on_utc, self.in_utc) if t]
        return min(times) if times else None

    @property
    def placed_utc(self) -> datetime | None:
        """The time that places the report in a tail's day: its first time, else (seen in
        cruise only) when it was first seen."""
        return self.first_utc or self.seen_from_utc

    @property
    def seen_in_cruise_only(self) -> bool:
        """Seen in the air with no block, take-off or landing time, nor either airfield."""
        return (
            self.first_utc is None
            and self.seen_from_utc is not None
            and self.seen_until_utc is not None
        )

    @property
    def key(self) -> tuple[str, str, str]:
        """Tail, origin and the UTC date of the first time (seen in cruise only: of the first
        sighting): two reports of the same leg share it (a re-imported file adds nothing)."""
        first = self.placed_utc
        return (self.tail.upper(), self.origin.upper(), f"{first:%Y-%m-%d}" if first else "")


MERGED_FIELDS = ("out_utc", "off_utc", "on_utc", "in_utc", "fuel_out_kg", "fuel_in_kg")


def merge(reports: Iterable[LegActual]) -> LegActual:
    """One leg from several reports of it: each time and fuel figure from the most trusted
    source that gives it; loads, track and destination from the most trusted report that has
    them (destination: the most trusted report); remarks of all.
    ``partial`` only if no report saw the whole leg."""
    ranked = sorted(reports, key=lambda r: TRUST[r.source], reverse=True)
    if not ranked:
        raise ValueError("merge needs at least one report")
    best = ranked[0]
    values: dict[str, object] = {
        name: next((getattr(r, name) for r in ranked if getattr(r, name) is not None), None)
        for name in MERGED_FIELDS
    }
    loads = next((r.loads for r in ranked if r.loads), ())
    track = next((r.track for r in ranked if r.track), ())
    remarks = "; ".join(dict.fromkeys(r.remarks for r in ranked if r.remarks))
    return replace(
        best,
        **values,  # type: ignore[arg-type]  # the MERGED_FIELDS keep their own types
        loads=loads,
        track=track,
        remarks=remarks,
        partial=all(r.partial for r in ranked),
    )


__all__ = ["MERGED_FIELDS", "TRUST", "LegActual", "LoadActual", "Source", "TrackPoint", "merge"]
