"""Where a planned leg stands, from its reports and the time now: the day board's status
and the next thing someone has to do about it.

Rules, first match wins (``TOLERANCE`` after a planned time before anything counts as late):

========================  =============================================================
diverted                  landed (ON or IN reported) somewhere else than planned
landed                    ON or IN reported at the planned destination
airborne                  OFF reported, no ON or IN
delayed                   OUT reported, no OFF, and ETD + tolerance passed
not reported yet          no report at all, and ETD + tolerance passed
planned                   otherwise (before ETD + tolerance, nothing or OUT reported)
========================  =============================================================

``late_min`` says how late the leg is against the plan at its latest event: the landing (ON,
else IN) against the planned one once landed, OFF against the planned take-off once
airborne, now against the planned off-block (ETD) while still on the ground (None before
ETD). ``late`` is true beyond the tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from airlift.tracking.legs import PlannedLeg
from airlift.tracking.model import LegActual

TOLERANCE = timedelta(minutes=15)
"""A departure or arrival within 15 min of the plan is on time (the airlines' on-time
performance measure, IATA/ICAO OTP-15)."""


class LegStatus(StrEnum):
    PLANNED = "planned"
    NOT_REPORTED = "not reported yet"
    DELAYED = "delayed"
    AIRBORNE = "airborne"
    LANDED = "landed"
    DIVERTED = "diverted"


@dataclass(frozen=True, slots=True)
class LegState:
    status: LegStatus
    late_min: float | None
    """min late against the plan (negative: early); None while nothing can be late yet."""
    late: bool
    """``late_min`` beyond :data:`TOLERANCE`."""
    next_action: str


def _hm(when: datetime) -> str:
    return f"{when:%H:%M}Z"


def _minutes(delta: timedelta) -> float:
    return round(delta.total_seconds() / 60.0, 1)


def duration_text(delta: timedelta) -> str:
    """``40 min``, ``3 h 05 min``, ``12 d``: a delay as a planner reads it."""
    minutes = round(delta.total_seconds() / 60)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // (24 * 60):,} d"


_ago = duration_text


def leg_state(plan: PlannedLeg, actual: LegActual | None, now: datetime) -> LegState:
    """The status of ``plan`` given its merged report (None: not reported) at ``now``."""
    a = actual
    if a is not None and (a.on_utc or a.in_utc):
        late = _minutes(
            a.on_utc - plan.on_utc if a.on_utc else a.in_utc - plan.in_utc  # type: ignore[operator]
        )
        if a.destination.upper() != plan.destination.upper():
            action = (
                f"landed at {a.destination}, not {plan.destination}: "
                f"re-plan {plan.tail}'s next legs"
            )
            return LegState(LegStatus.DIVERTED, late, late > _minutes(TOLERANCE), action)
        action = (
            f"report on-block (IN) at {plan.destination}" if a.in_utc is None else "leg complete"
        )
        return LegState(LegStatus.LANDED, late, late > _minutes(TOLERANCE), action)
    if a is not None and a.off_utc is not None:
        late = _minutes(a.off_utc - plan.off_utc)
        overdue = now - plan.on_utc
        if overdue > TOLERANCE:
            action = (
                f"overdue at {plan.destination}: landing planned {_hm(plan.on_utc)}, "
                f"{_ago(overdue)} ago; confirm the landing"
            )
        else:
            action = f"report landing at {plan.destination} (planned {_hm(plan.on_utc)})"
        return LegState(LegStatus.AIRBORNE, late, late > _minutes(TOLERANCE), action)
    if a is not None and a.seen_in_cruise_only and a.seen_until_utc is not None:
        # Seen on the leg's heading in cruise: in the air, how late is not known.
        action = (
            f"seen in cruise {_hm(a.seen_until_utc)} ({a.source}): report the take-off from "
            f"{plan.origin} and the landing at {plan.destination}"
        )
        return LegState(LegStatus.AIRBORNE, None, False, action)
    waited = now - plan.out_utc
    so_far = _minutes(waited) if waited > timedelta(0) else None
    is_late = waited > TOLERANCE
    if a is not None and a.out_utc is not None:
        status = LegStatus.DELAYED if is_late else LegStatus.PLANNED
        action = f"awaiting OFF report from {plan.origin} (off-block {_hm(a.out_utc)})"
        return LegState(status, so_far, is_late, action)
    if is_late:
        action = f"no report {_ago(waited)} after ETD: ask {plan.origin} whether it left"
        return LegState(LegStatus.NOT_REPORTED, so_far, True, action)
    action = f"awaiting OFF report from {plan.origin} (ETD {_hm(plan.out_utc)})"
    return LegState(LegStatus.PLANNED, so_far, False, action)


__all__ = ["TOLERANCE", "LegState", "LegStatus", "PlannedLeg", "duration_text", "leg_state"]
