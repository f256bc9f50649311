"""Whether a reported leg could have happened: times in OUT, OFF, ON, IN order, none in the
future or outside the planning horizon, a leg no longer than a day, fuel figures a tank holds.

Every reader (JSON, CSV, movement messages, ADS-B) and the store call :func:`check_actual`;
a problem is a :class:`~airlift.errors.FieldError` naming the field, with the report's place
(file and line) when it has one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from airlift.errors import FieldError
from airlift.scheduling.values import HORIZON, MAX_REGISTRATION
from airlift.tracking.model import LegActual

TIME_FIELDS = ("out_utc", "off_utc", "on_utc", "in_utc")
"""In the order they happen: off-block, take-off, landing, on-block."""
TIME_NAMES = {"out_utc": "OUT", "off_utc": "OFF", "on_utc": "ON", "in_utc": "IN"}

CLOCK_SKEW = timedelta(minutes=10)
"""How far in the future a reported time may lie: clocks of crews, receivers and this
server disagree by minutes, never by more."""
MAX_LEG = timedelta(hours=24)
"""From the first to the last time of one leg. The longest airlift legs (C-17, An-124
ferry) last under 16 h; a longer leg is a wrong date."""
MIN_ALT_FT = -2_000.0
"""Lowest altitude (ft) a track point may report: below the Dead Sea shore (-1,400 ft)."""
MAX_ALT_FT = 60_000.0
"""Highest altitude (ft): above any transport aircraft's ceiling (C-17: 45,000 ft)."""
MAX_FUEL_KG = 250_000.0
"""More fuel than any airlifter's tanks hold (An-124: about 210 t): a unit slip."""


def _hm(when: datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M}Z"


def check_actual(actual: LegActual, now: datetime | None = None) -> LegActual:
    """``actual`` if it could have happened by ``now`` (default: this clock), else a
    :class:`FieldError` naming the first field that cannot be right."""
    now = now or datetime.now(UTC)
    try:
        _check(actual, now)
    except FieldError as exc:
        where = actual.where
        raise exc.at(where.file or None, where.row, where.unit, where.record or None) from None
    return actual


def _check(a: LegActual, now: datetime) -> None:
    if not a.tail.strip():
        raise FieldError("tail", "tail is empty")
    # A partial report (ADS-B out of view of a take-off or landing) may not know an airfield.
    for name, value in (("origin", a.origin), ("destination", a.destination)):
        if not value.strip() and not a.partial:
            raise FieldError(name, f"{name} is empty")
    if len(a.tail) > MAX_REGISTRATION:
        raise FieldError("tail", f"tail must be at most {MAX_REGISTRATION} characters")
    given = _times(a)
    for name, when in given:
        if when.tzinfo is None or when.utcoffset() is None:
            raise FieldError(name, f"{name} has no timezone: add Z for UTC")
        if not HORIZON[0] <= when < HORIZON[1]:
            raise FieldError(
                name,
                f"{name} {when:%Y-%m-%d} is outside the planning horizon "
                f"{HORIZON[0]:%Y}-{HORIZON[1].year - 1}",
            )
        if when > now + CLOCK_SKEW:
            raise FieldError(
                name, f"{name} {_hm(when)} is in the future (now {_hm(now)}): not flown yet"
            )
    for (before, t0), (after, t1) in pairwise(given):
        if t1 < t0:
            raise FieldError(
                after,
                f"{after} {_hm(t1)} is before {before} {_hm(t0)}: "
                f"{TIME_NAMES.get(before, before)} comes before {TIME_NAMES.get(after, after)}",
            )
    first, last = given[0], given[-1]
    if last[1] - first[1] > MAX_LEG:
        hours = (last[1] - first[1]).total_seconds() / 3600
        raise FieldError(
            last[0],
            f"{last[0]} is {hours:.1f} h after {first[0]}: one leg lasts at most "
            f"{MAX_LEG.total_seconds() / 3600:.0f} h (wrong date?)",
        )
    for name in ("fuel_out_kg", "fuel_in_kg"):
        fuel = getattr(a, name)
        if fuel is not None and not 0 <= fuel <= MAX_FUEL_KG:
            raise FieldError(
                name, f"{name} must be from 0 to {MAX_FUEL_KG:,.0f} kg, got {fuel:g} kg"
            )
    _check_track(a)
    if a.fuel_out_kg is not None and a.fuel_in_kg is not None and a.fuel_in_kg > a.fuel_out_kg:
        raise FieldError(
            "fuel_in_kg",
            f"fuel_in_kg {a.fuel_in_kg:,.0f} kg is more than fuel_out_kg {a.fuel_out_kg:,.0f} kg "
            "(fuel on board at IN cannot exceed fuel at OUT)",
        )


def _times(a: LegActual) -> list[tuple[str, datetime]]:
    """The times to check, in order: those reported, else (a partial report seen in cruise
    only) when it was seen."""
    given = [(n, getattr(a, n)) for n in TIME_FIELDS if getattr(a, n) is not None]
    if given:
        return given
    if a.partial and a.seen_from_utc and a.seen_until_utc:
        return [("seen_from_utc", a.seen_from_utc), ("seen_until_utc", a.seen_until_utc)]
    raise FieldError(
        "off_utc",
        "no time reported: give at least one of out_utc, off_utc, on_utc, in_utc "
        "(a partial report seen in cruise only: seen_from_utc and seen_until_utc)",
    )


def _check_track(a: LegActual) -> None:
    if a.seen_track_deg is not None and not 0 <= a.seen_track_deg < 360:
        raise FieldError(
            "seen_track_deg", f"seen_track_deg must be from 0 to 360 deg, got {a.seen_track_deg:g}"
        )
    for i, (lat, lon, alt, epoch_s) in enumerate(a.track):
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise FieldError("track", f"track[{i}]: position {lat:g}, {lon:g} deg is not on Earth")
        if alt is not None and not MIN_ALT_FT <= alt <= MAX_ALT_FT:
            raise FieldError("track", f"track[{i}]: altitude {alt:g} ft is out of range")
        if i and epoch_s < a.track[i - 1][3]:
            raise FieldError("track", f"track[{i}]: time goes back ({epoch_s:g} s)")


__all__ = ["CLOCK_SKEW", "MAX_FUEL_KG", "MAX_LEG", "TIME_FIELDS", "check_actual"]
