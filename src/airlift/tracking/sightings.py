"""Sightings: an aircraft seen at a place and time, matched against the plan.

A sighting names a tail (registration) or only an aircraft type, an airfield or a position
(degrees), a UTC time, how it was seen (:class:`SightingSource`) and how sure the reporter is
(:class:`Confidence`). A photo gives its time and position from its EXIF data
(:mod:`airlift.tracking.photo`).

Matching (:func:`match_sighting`) never assigns a sighting to a tail on its own:

* **confirmed**: a tail that fits (the tail seen, or every tail of the type seen) is where
  the plan has it: on the ground at the sighted airfield (between a leg's landing and the
  next take-off, before its first take-off or after its last landing, each widened by
  :data:`TIME_TOLERANCE`), or airborne within :data:`AIRBORNE_NM` of the sighted position.
  Every tail that fits is listed; with several, none is picked.
* **unplanned presence**: no tail that fits is planned there. The *candidates* are the
  tails that could have been seen (the tail named, tails of the type, of the tail's nation)
  with a leg within :data:`CANDIDATE_WINDOW`, each with where the plan has it at that time
  and how far that is from the sighting (NM).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any

from airlift import airfields, geo
from airlift.errors import FieldError, UnknownAirfield
from airlift.scheduling.values import HORIZON, MAX_REGISTRATION
from airlift.tracking.checks import CLOCK_SKEW
from airlift.tracking.legs import PlannedLeg, planned_legs, tail_key

TIME_TOLERANCE = timedelta(minutes=30)
"""How far a sighting may lie outside the plan's ground time at an airfield and still
confirm it: a departure 30 min late, or a sighting's clock that is off, is not news."""
AIRFIELD_NM = 5.0
"""A sighted position within this distance of an airfield (NM) is at the airfield: a
spotter's phone outside the fence, a GPS fix in a hangar."""
AIRBORNE_NM = 25.0
"""A sighted position this close (NM) to where the plan has a tail in flight, at any time
within :data:`TIME_TOLERANCE`, confirms the flight: a few minutes early or late on track."""
CANDIDATE_WINDOW = timedelta(hours=12)
"""A tail is a candidate for an unplanned presence when it has a planned leg this close in
time: the same window that matches leg reports (``legs.MATCH_WINDOW``)."""
GROUND_MARGIN = timedelta(hours=24)
"""Before its first leg and after its last one the plan has a tail on the ground at that
airfield for this long: beyond, the programme says nothing of where it is."""
MAX_TEXT = 500
"""Characters of a note."""


class SightingSource(StrEnum):
    """How the aircraft was seen."""

    PHOTO = "photo"
    OBSERVER = "observer"
    PRESS = "press"
    SOCIAL_MEDIA = "social media"


class Confidence(StrEnum):
    """How sure the reporter is of what they saw: three words, not a probability. Nobody
    reporting a tail on an apron can calibrate 0.7 against 0.8; they can say whether they
    read the registration (high), recognised the type (medium) or heard it (low)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Sighting:
    """One aircraft seen once. Times aware UTC, positions WGS84 degrees."""

    at_utc: datetime
    tail: str = ""
    """Registration (5U-MBD); "" when only the type was seen."""
    aircraft_type: str = ""
    """Type designator (C-130H); "" when only the tail was read."""
    airfield: str = ""
    """ICAO code (resolved from ICAO, IATA or name); "" when only a position is known."""
    lat: float | None = None
    lon: float | None = None
    source: SightingSource = SightingSource.OBSERVER
    confidence: Confidence = Confidence.MEDIUM
    note: str = ""
    reported_by: str = ""
    photo_sha256: str = ""
    """SHA-256 of the photo it was read from (the photo itself is not kept)."""

    @property
    def position(self) -> tuple[float, float] | None:
        return (self.lat, self.lon) if self.lat is not None and self.lon is not None else None


def resolve_airfield(query: str, field: str = "airfield") -> airfields.Airfield:
    """The airfield an ICAO or IATA code or a name means; a FieldError naming ``field``."""
    try:
        return airfields.lookup(query)
    except UnknownAirfield as exc:
        raise FieldError(field, f"{field}: {exc}", suggestions=tuple(exc.suggestions)) from None


def check_sighting(s: Sighting, now: datetime | None = None) -> Sighting:
    """``s`` with its airfield resolved to an ICAO code, if it could have been seen; else a
    :class:`FieldError` naming the field."""
    now = now or datetime.now(UTC)
    if not s.tail.strip() and not s.aircraft_type.strip():
        raise FieldError("tail", "give the tail (registration) or the aircraft type seen")
    if len(s.tail) > MAX_REGISTRATION:
        raise FieldError("tail", f"tail must be at most {MAX_REGISTRATION} characters")
    if len(s.aircraft_type) > 32:
        raise FieldError("aircraft_type", "aircraft_type must be at most 32 characters")
    if (s.lat is None) != (s.lon is None):
        raise FieldError("lat" if s.lat is None else "lon", "give both lat and lon, or neither")
    if s.lat is not None and not -90 <= s.lat <= 90:
        raise FieldError("lat", f"lat must be from -90 to 90 degrees, got {s.lat:g}")
    if s.lon is not None and not -180 <= s.lon <= 180:
        raise FieldError("lon", f"lon must be from -180 to 180 degrees, got {s.lon:g}")
    if not s.airfield.strip() and s.position is None:
        raise FieldError("airfield", "give the airfield or the position (lat, lon) seen at")
    if s.at_utc.tzinfo is None or s.at_utc.utcoffset() is None:
        raise FieldError("at_utc", "at_utc has no timezone: add Z for UTC")
    at = s.at_utc.astimezone(UTC)
    if not HORIZON[0] <= at < HORIZON[1]:
        raise FieldError("at_utc", f"at_utc {at:%Y-%m-%d} is outside the planning horizon")
    if at > now + CLOCK_SKEW:
        raise FieldError(
            "at_utc", f"at_utc {at:%Y-%m-%d %H:%M}Z is in the future (now {now:%Y-%m-%d %H:%M}Z)"
        )
    if len(s.note) > MAX_TEXT:
        raise FieldError("note", f"note must be at most {MAX_TEXT} characters")
    icao = resolve_airfield(s.airfield).icao if s.airfield.strip() else ""
    return Sighting(
        at_utc=at,
        tail=s.tail.strip().upper(),
        aircraft_type=s.aircraft_type.strip().upper(),
        airfield=icao,
        lat=s.lat,
        lon=s.lon,
        source=s.source,
        confidence=s.confidence,
        note=s.note.strip(),
        reported_by=s.reported_by.strip(),
        photo_sha256=s.photo_sha256,
    )


# --- where the plan has each tail ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedPresence:
    """Where the plan has one tail at the sighting's time. ``airborne``: between ``origin``
    (take-off ``since_utc``) and ``destination`` (landing ``until_utc``); else on the ground at
    ``origin`` from ``since_utc`` to ``until_utc`` (None: open-ended, before the first or
    after the last leg)."""

    tail: str
    aircraft_type: str
    nation: str
    airborne: bool
    origin: str
    destination: str
    since_utc: datetime | None
    until_utc: datetime | None
    distance_nm: float | None
    """From the sighted place to where the plan has the tail then (NM; None: unknown)."""

    def describe(self) -> str:
        def hm(t: datetime | None) -> str:
            return f"{t:%d %b %H:%M}Z" if t else "…"

        span = f"({hm(self.since_utc)}–{hm(self.until_utc)})"
        if self.airborne:
            where = f"airborne {self.origin}→{self.destination} {span}"
        else:
            where = f"on the ground at {self.origin} {span}"
        away = f", {self.distance_nm:,.0f} NM away" if self.distance_nm is not None else ""
        return f"{self.tail} ({self.aircraft_type}): {where}{away}"


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    UNPLANNED = "unplanned presence"


@dataclass(frozen=True, slots=True)
class SightingMatch:
    """The plan's answer to a sighting: ``confirming`` the tails planned there (several for a
    type seen where several tails of it are planned: none picked), ``candidates`` for an
    unplanned presence, nearest first."""

    outcome: Outcome
    confirming: tuple[PlannedPresence, ...] = ()
    candidates: tuple[PlannedPresence, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        def one(p: PlannedPresence) -> dict[str, Any]:
            return {
                "tail": p.tail,
                "aircraft_type": p.aircraft_type,
                "nation": p.nation,
                "airborne": p.airborne,
                "at" if not p.airborne else "from": p.origin,
                **({"to": p.destination} if p.airborne else {}),
                "since_utc": p.since_utc.isoformat() if p.since_utc else None,
                "until_utc": p.until_utc.isoformat() if p.until_utc else None,
                "distance_nm": round(p.distance_nm, 1) if p.distance_nm is not None else None,
                "summary": p.describe(),
            }

        return {
            "outcome": self.outcome.value,
            "confirming": [one(p) for p in self.confirming],
            "candidates": [one(p) for p in self.candidates],
            "tolerance_min": TIME_TOLERANCE.total_seconds() / 60,
        }


def type_key(designator: str) -> str:
    """Types compared without case and hyphens (C130H = C-130H)."""
    return designator.replace("-", "").replace(" ", "").upper()


@dataclass(frozen=True, slots=True)
class _TailPlan:
    tail: str
    aircraft_type: str
    nation: str
    legs: tuple[PlannedLeg, ...]


def _tail_plans(document: Mapping[str, Any]) -> list[_TailPlan]:
    missions = document.get("missions", [])
    by_tail: dict[str, list[PlannedLeg]] = defaultdict(list)
    nations: dict[str, str] = {}
    for p in planned_legs(document):
        by_tail[p.tail].append(p)
        nations[p.tail] = str(missions[p.mission].get("nation") or "")
    return [
        _TailPlan(
            tail, legs[0].aircraft, nations[tail], tuple(sorted(legs, key=lambda p: p.off_utc))
        )
        for tail, legs in sorted(by_tail.items())
    ]


def _point(icao: str) -> tuple[float, float] | None:
    try:
        a = airfields.lookup(icao)
    except UnknownAirfield:
        return None
    return a.lat, a.lon


def _nm(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    if a is None or b is None:
        return None
    return geo.inverse(a[0], a[1], b[0], b[1])[0]


_Spell = tuple[str, datetime, datetime, bool, bool]
"""(airfield, from, to, open start, open end): see :func:`_ground_spells`."""


def _on_ground(plan: _TailPlan, spell: _Spell, seen: tuple[float, float] | None) -> PlannedPresence:
    icao, start, end, open_start, open_end = spell
    return PlannedPresence(
        plan.tail,
        plan.aircraft_type,
        plan.nation,
        False,
        icao,
        icao,
        None if open_start else start,
        None if open_end else end,
        _nm(seen, _point(icao)),
    )


def _in_flight(
    plan: _TailPlan, leg: PlannedLeg, seen: tuple[float, float] | None, when: datetime
) -> PlannedPresence:
    """On ``leg``; the distance from what was seen to where the plan has it at ``when``."""
    return PlannedPresence(
        plan.tail,
        plan.aircraft_type,
        plan.nation,
        True,
        leg.origin,
        leg.destination,
        leg.off_utc,
        leg.on_utc,
        _nm(seen, _along(leg, when)),
    )


def _ground_spells(plan: _TailPlan) -> list[_Spell]:
    """(airfield, from, to, open start, open end): on the ground from landing to the next
    take-off, and :data:`GROUND_MARGIN` before the first and after the last leg."""
    legs = plan.legs
    spells = [(legs[0].origin, legs[0].off_utc - GROUND_MARGIN, legs[0].off_utc, True, False)]
    for a, b in pairwise(legs):
        spells.append((a.destination, a.on_utc, b.off_utc, False, False))
    spells.append(
        (legs[-1].destination, legs[-1].on_utc, legs[-1].on_utc + GROUND_MARGIN, False, True)
    )
    return spells


def _along(leg: PlannedLeg, when: datetime) -> tuple[float, float] | None:
    """Where the plan has a tail in flight at ``when``: on the geodesic, in proportion of
    time (a plan has no finer track)."""
    a, b = _point(leg.origin), _point(leg.destination)
    if a is None or b is None:
        return None
    span = (leg.on_utc - leg.off_utc).total_seconds()
    f = min(1.0, max(0.0, (when - leg.off_utc).total_seconds() / span)) if span > 0 else 0.0
    return geo.point_along(a[0], a[1], b[0], b[1], f)


def presence_at(
    plan: _TailPlan, when: datetime, seen: tuple[float, float] | None
) -> PlannedPresence:
    """Where the plan has ``plan``'s tail at ``when`` (nearest spell in time)."""
    best: tuple[timedelta, PlannedPresence] | None = None

    def offer(gap: timedelta, p: PlannedPresence) -> None:
        nonlocal best
        if best is None or gap < best[0]:
            best = (gap, p)

    def gap_to(start: datetime, end: datetime) -> timedelta:
        return max(start - when, when - end, timedelta(0))

    for icao, start, end, open_start, open_end in _ground_spells(plan):
        offer(
            gap_to(start, end),
            _on_ground(plan, (icao, start, end, open_start, open_end), seen),
        )
    for leg in plan.legs:
        offer(
            gap_to(leg.off_utc, leg.on_utc),
            _in_flight(plan, leg, seen, when),
        )
    assert best is not None  # a tail plan has at least one leg
    return best[1]


def _confirms(
    plan: _TailPlan, s: Sighting, seen: tuple[float, float] | None
) -> PlannedPresence | None:
    tol = TIME_TOLERANCE
    for icao, start, end, open_start, open_end in _ground_spells(plan):
        if not start - tol <= s.at_utc <= end + tol:
            continue
        at_field = (
            icao == s.airfield
            if s.airfield
            else ((d := _nm(seen, _point(icao))) is not None and d <= AIRFIELD_NM)
        )
        if at_field:
            return _on_ground(plan, (icao, start, end, open_start, open_end), seen)
    if s.position is None:
        return None
    for leg in plan.legs:
        if not leg.off_utc - tol <= s.at_utc <= leg.on_utc + tol:
            continue
        step = timedelta(minutes=5)
        t = s.at_utc - tol
        while t <= s.at_utc + tol:
            if leg.off_utc <= t <= leg.on_utc:
                d = _nm(seen, _along(leg, t))
                if d is not None and d <= AIRBORNE_NM:
                    return _in_flight(plan, leg, seen, s.at_utc)
            t += step
    return None


def _fits(plan: _TailPlan, s: Sighting) -> bool:
    if s.tail:
        return tail_key(plan.tail) == tail_key(s.tail)
    return type_key(plan.aircraft_type) == type_key(s.aircraft_type)


def _near_in_time(plan: _TailPlan, when: datetime) -> bool:
    return any(
        leg.out_utc - CANDIDATE_WINDOW <= when <= leg.in_utc + CANDIDATE_WINDOW for leg in plan.legs
    )


def match_sighting(document: Mapping[str, Any], s: Sighting) -> SightingMatch:
    """The plan's answer to a checked sighting (:func:`check_sighting`): see the module
    docstring."""
    plans = _tail_plans(document)
    seen = s.position or (_point(s.airfield) if s.airfield else None)
    confirming = [p for plan in plans if _fits(plan, s) and (p := _confirms(plan, s, seen))]
    if confirming:
        return SightingMatch(Outcome.CONFIRMED, confirming=tuple(confirming))
    named = next((p for p in plans if s.tail and tail_key(p.tail) == tail_key(s.tail)), None)
    types = {type_key(s.aircraft_type)} if s.aircraft_type else set()
    nations: set[str] = set()
    if named is not None:
        types.add(type_key(named.aircraft_type))
        nations.add(named.nation)
    candidates = [
        presence_at(plan, s.at_utc, seen)
        for plan in plans
        if (plan is named or type_key(plan.aircraft_type) in types or plan.nation in nations)
        and _near_in_time(plan, s.at_utc)
    ]
    far = float("inf")
    candidates.sort(key=lambda p: (p.distance_nm if p.distance_nm is not None else far, p.tail))
    return SightingMatch(Outcome.UNPLANNED, candidates=tuple(candidates))


def sighting_to_json(s: Sighting) -> dict[str, Any]:
    return {
        "tail": s.tail,
        "aircraft_type": s.aircraft_type,
        "airfield": s.airfield,
        "lat": s.lat,
        "lon": s.lon,
        "at_utc": s.at_utc.isoformat(),
        "source": s.source.value,
        "confidence": s.confidence.value,
        "note": s.note,
        "reported_by": s.reported_by,
        "photo_sha256": s.photo_sha256,
    }


__all__ = [
    "AIRBORNE_NM",
    "AIRFIELD_NM",
    "CANDIDATE_WINDOW",
    "TIME_TOLERANCE",
    "Confidence",
    "Outcome",
    "PlannedPresence",
    "Sighting",
    "SightingMatch",
    "SightingSource",
    "check_sighting",
    "match_sighting",
    "resolve_airfield",
    "sighting_to_json",
    "type_key",
]
