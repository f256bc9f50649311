"""The planned legs of a programme, and which reported legs flew them.

The plan is the programme document (:func:`airlift.export.programme.programme_document`,
what ``airlift schedule --json`` writes and what a stored run keeps): the comparison with
the plan (``compare``) and the day board (``board``) read the same legs and match reports
the same way.

Matching: a report is a candidate for the planned legs of the same tail (registration
compared without hyphens), from the same origin (a report of an arrival alone: to the same
destination), whose planned time of the report's first event lies within
:data:`MATCH_WINDOW`; pairs are taken nearest first. Reports of one flight from several
sources (a crew report and an MVT) are merged, the most trusted first
(:func:`airlift.tracking.model.merge`); a report whose candidates are all taken by other
flights is *unplanned*, never assigned to another leg.

A flight seen only in cruise (ADS-B with neither airfield nor any block or wheels time, see
:attr:`~airlift.tracking.model.LegActual.seen_in_cruise_only`) is matched by time and
heading: to a planned leg of the same tail whose planned flight (take-off to landing,
widened by :data:`CRUISE_TIME_TOLERANCE`) covers the time it was seen, and whose course
(origin to destination, :mod:`airlift.geo`) is within :data:`CRUISE_TRACK_TOLERANCE_DEG` of
its mean track; nearest in time first. It then carries the leg's origin and destination and
stays ``partial``, its times unknown.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from airlift import geo
from airlift.airfields import lookup
from airlift.errors import AirliftError, FieldError
from airlift.tracking.model import LegActual, merge

MATCH_WINDOW = timedelta(hours=12)
"""A report further than this from its planned time is of another leg (a tail flies the
same origin again the same day only hours later, and the nearer leg wins); a window rather
than the UTC date keeps a leg that left just after midnight with the day it was planned."""

CRUISE_TIME_TOLERANCE = timedelta(hours=2)
"""A flight seen only in cruise is a candidate for a planned leg whose planned take-off to
landing, widened by this on each side, covers the time it was seen: a leg up to 2 h late
(or early) still matches; further from its plan, a track without airfields or times cannot
be told from another leg of the day."""
CRUISE_TRACK_TOLERANCE_DEG = 30.0
"""...and whose course is within this many degrees of the seen mean track over the ground:
wide enough for airway doglegs and winds aloft (a track, not a heading, so drift does not
count), far from the 180 degrees of the way back."""


# --- the plan, read from the document ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedLeg:
    """One leg of the programme document. Times aware UTC; kg; ``number`` 1-based in its
    mission."""

    tail: str
    origin: str
    destination: str
    out_utc: datetime
    """Off-block (the plan's ETD)."""
    off_utc: datetime
    on_utc: datetime
    in_utc: datetime
    """On-block (the plan's ETA)."""
    mission: int = 0
    """Index of the mission in the document (0-based)."""
    aircraft: str = ""
    day: int = 1
    number: int = 1
    burn_kg: float = 0.0
    """Planned trip fuel + taxi fuel."""
    cargo_kg: float = 0.0
    pallets: int = 0
    pax: int = 0
    violated: frozenset[str] = field(default_factory=frozenset)
    """Limits the plan already broke on this leg (not news when re-checked)."""


def time_field(value: Any, where: str) -> datetime:
    """An ISO 8601 time of the document (``where`` names it in the error), aware UTC."""
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        raise FieldError(where, f"{where}: {value!r} is not an ISO 8601 time") from None
    if when.tzinfo is None:
        raise FieldError(where, f"{where}: {value!r} has no timezone")
    return when.astimezone(UTC)


def planned_legs(document: Mapping[str, Any]) -> list[PlannedLeg]:
    """Every leg of every mission of a programme document; a key missing is a FieldError
    naming its path (``missions[2].plan.legs[0].etd_utc``)."""
    legs: list[PlannedLeg] = []
    missions = document.get("missions")
    if not isinstance(missions, list):
        raise FieldError("missions", "not a programme document: no list of missions")
    for i, m in enumerate(missions):
        path = f"missions[{i}]"
        try:
            for j, leg in enumerate(m["plan"]["legs"]):
                p = f"{path}.plan.legs[{j}]"
                legs.append(
                    PlannedLeg(
                        mission=i,
                        tail=str(m["tail"]),
                        aircraft=str(m["aircraft"]),
                        day=int(m["day"]),
                        number=int(leg["number"]),
                        origin=str(leg["origin"]),
                        destination=str(leg["destination"]),
                        out_utc=time_field(leg["etd_utc"], f"{p}.etd_utc"),
                        off_utc=time_field(leg["takeoff_utc"], f"{p}.takeoff_utc"),
                        on_utc=time_field(leg["landing_utc"], f"{p}.landing_utc"),
                        in_utc=time_field(leg["eta_utc"], f"{p}.eta_utc"),
                        burn_kg=float(leg["trip_fuel_kg"]) + float(leg["taxi_fuel_kg"]),
                        cargo_kg=float(leg["cargo_kg"]),
                        pallets=int(leg["pallets"]),
                        pax=int(leg["pax"]),
                        violated=frozenset(
                            str(x["name"]) for x in leg.get("limits", []) if x.get("violated")
                        ),
                    )
                )
        except KeyError as exc:
            key = str(exc.args[0])
            raise FieldError(key, f"{path}: no {key!r}: not a programme document") from None
        except (TypeError, ValueError) as exc:
            raise FieldError(None, f"{path}: not a programme mission ({exc})") from None
    return legs


# --- matching reports to planned legs -------------------------------------------------


def tail_key(registration: str) -> str:
    """Registrations compared without case, hyphens and spaces (5U-MBD = 5UMBD)."""
    return registration.replace("-", "").replace(" ", "").upper()


def _distance(a: LegActual, p: PlannedLeg) -> float | None:
    """Minutes between the actual's first reported time and the plan's same event, if
    within :data:`MATCH_WINDOW`; None: not a candidate."""
    if a.first_utc is None:
        return None
    for name in ("out_utc", "off_utc", "on_utc", "in_utc"):
        t: datetime | None = getattr(a, name)
        if t is not None:
            gap = abs(t - getattr(p, name))
            return gap.total_seconds() / 60.0 if gap <= MATCH_WINDOW else None
    return None


@lru_cache(maxsize=4096)
def course_deg(origin: str, destination: str) -> float | None:
    """Mean great-circle course (true deg, [0, 360)) from ``origin`` to ``destination``
    (ICAO): the circular mean of the initial and final courses, what a track seen anywhere
    along the leg is nearest to. None when either airfield is unknown."""
    try:
        a, b = lookup(origin), lookup(destination)
    except AirliftError:
        return None
    initial = math.radians(geo.inverse(a.lat, a.lon, b.lat, b.lon)[1])
    final = math.radians((geo.inverse(b.lat, b.lon, a.lat, a.lon)[1] + 180.0) % 360.0)
    mean = math.atan2(math.sin(initial) + math.sin(final), math.cos(initial) + math.cos(final))
    return math.degrees(mean) % 360.0


def _angle_deg(a: float, b: float) -> float:
    """The angle (deg, 0 to 180) between two directions."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def _cruise_distance(a: LegActual, p: PlannedLeg) -> float | None:
    """Minutes between the middle of the time ``a`` was seen in cruise and the middle of
    ``p``'s planned flight, if ``p`` covers it by time and heading; None: not a candidate."""
    seen_from, seen_until = a.seen_from_utc, a.seen_until_utc
    if seen_from is None or seen_until is None or a.seen_track_deg is None:
        return None
    if seen_from < p.off_utc - CRUISE_TIME_TOLERANCE:
        return None
    if seen_until > p.on_utc + CRUISE_TIME_TOLERANCE:
        return None
    course = course_deg(p.origin, p.destination)
    if course is None or _angle_deg(course, a.seen_track_deg) > CRUISE_TRACK_TOLERANCE_DEG:
        return None
    seen_mid = seen_from + (seen_until - seen_from) / 2
    planned_mid = p.off_utc + (p.on_utc - p.off_utc) / 2
    return abs(seen_mid - planned_mid).total_seconds() / 60.0


def _candidates(
    a: LegActual, by_tail: Mapping[str, list[int]], legs: Sequence[PlannedLeg]
) -> list[tuple[float, int]]:
    out = []
    for k in by_tail.get(tail_key(a.tail), []):
        p = legs[k]
        if a.seen_in_cruise_only:
            d = _cruise_distance(a, p)
            if d is not None:
                out.append((d, k))
            continue
        if a.origin:
            if a.origin.upper() != p.origin:
                continue
        elif not a.destination or a.destination.upper() != p.destination:
            continue  # an arrival alone (origin unknown) matches on its destination
        d = _distance(a, p)
        if d is not None:
            out.append((d, k))
    return sorted(out)


def _times(a: LegActual) -> list[datetime]:
    """The times reported, else when it was seen in cruise."""
    times = [t for t in (a.out_utc, a.off_utc, a.on_utc, a.in_utc) if t]
    return times or [t for t in (a.seen_from_utc, a.seen_until_utc) if t]


def _overlap(a: LegActual, b: LegActual) -> bool:
    ta, tb = _times(a), _times(b)
    slack = timedelta(minutes=60)
    return min(ta) - slack <= max(tb) and min(tb) - slack <= max(ta)


def match(
    legs: Sequence[PlannedLeg], actuals: Iterable[LegActual]
) -> tuple[dict[int, LegActual], list[LegActual]]:
    """Planned leg index -> its actual (reports of one flight merged), and the unplanned
    actuals. Pairs are taken nearest first; an actual whose candidates are all taken by
    other flights is unplanned."""
    by_tail: dict[str, list[int]] = defaultdict(list)
    for k, p in enumerate(legs):
        by_tail[tail_key(p.tail)].append(k)
    reports = [a for a in actuals if a.first_utc is not None or a.seen_in_cruise_only]
    pairs = sorted(
        (d, k, n) for n, a in enumerate(reports) for d, k in _candidates(a, by_tail, legs)
    )
    groups: dict[int, list[LegActual]] = {}
    placed: set[int] = set()
    for _, k, n in pairs:
        if n in placed:
            continue
        a = reports[n]
        taken = groups.get(k)
        if taken is None:
            groups[k] = [a]
        elif all(_overlap(a, b) for b in taken) and all(b.source != a.source for b in taken):
            taken.append(a)  # another source's report of the same flight
        else:
            continue
        placed.add(n)
    matched = {k: merge(g) if len(g) > 1 else g[0] for k, g in groups.items()}
    for k, a in matched.items():
        if a.seen_in_cruise_only:  # now known to be this leg; its times are still unknown
            matched[k] = replace(a, origin=legs[k].origin, destination=legs[k].destination)
    unplanned = [a for n, a in enumerate(reports) if n not in placed]
    return matched, unplanned


__all__ = [
    "CRUISE_TIME_TOLERANCE",
    "CRUISE_TRACK_TOLERANCE_DEG",
    "MATCH_WINDOW",
    "PlannedLeg",
    "course_deg",
    "match",
    "planned_legs",
    "tail_key",
    "time_field",
]
