"""The day board: every planned leg of one UTC day of a programme, with the reports of it,
its status and next action (:mod:`airlift.tracking.status`), and the reported legs that
match no planned leg.

A planned leg and a reported leg match when they have the same tail and origin and the
report's first time lies within :data:`MATCH_WINDOW` of the planned off-block time; each
report matches one planned leg at most, the closest in time first. (The report's own
``key`` puts a leg on the UTC date of its first time; matching by time instead keeps a leg
that left just before midnight on the day it was planned.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from airlift.tracking.model import LegActual
from airlift.tracking.status import LegState, PlannedLeg, leg_state

MATCH_WINDOW = timedelta(hours=12)
"""A report more than this from the planned off-block time is of another leg (a tail flies
the same origin again the same day at most a few hours later, and the closer leg wins)."""


@dataclass(frozen=True, slots=True)
class PlannedLegRow:
    """A planned leg with where it sits in the programme and its local times."""

    mission: int
    """1-based index of the mission in the programme document."""
    number: int
    """1-based leg number within the mission."""
    aircraft: str
    leg: PlannedLeg
    etd_local: str
    """ISO 8601 with the origin's UTC offset."""
    eta_local: str
    origin_tz: str | None
    destination_tz: str | None


@dataclass(frozen=True, slots=True)
class BoardLeg:
    planned: PlannedLegRow
    actual: LegActual | None
    """The merged report (None: none matched)."""
    actual_key: tuple[str, str, str] | None
    state: LegState


def _time(value: Any) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def programme_days(document: Mapping[str, Any]) -> list[str]:
    """The UTC dates (ISO) of the programme's missions, in order."""
    return sorted({str(m["date"]) for m in document.get("missions", [])})


def planned_legs(document: Mapping[str, Any], day: date) -> list[PlannedLegRow]:
    """The legs of the missions flown on UTC date ``day``, by planned off-block time."""
    rows = []
    for index, mission in enumerate(document.get("missions", []), start=1):
        if str(mission.get("date")) != day.isoformat():
            continue
        for leg in mission["plan"]["legs"]:
            planned = PlannedLeg(
                tail=str(mission["tail"]),
                origin=str(leg["origin"]),
                destination=str(leg["destination"]),
                out_utc=_time(leg["etd_utc"]),
                off_utc=_time(leg["takeoff_utc"]),
                on_utc=_time(leg["landing_utc"]),
                in_utc=_time(leg["eta_utc"]),
            )
            rows.append(
                PlannedLegRow(
                    mission=index,
                    number=int(leg["number"]),
                    aircraft=str(mission.get("aircraft", "")),
                    leg=planned,
                    etd_local=str(leg.get("etd_local") or ""),
                    eta_local=str(leg.get("eta_local") or ""),
                    origin_tz=leg.get("origin_tz"),
                    destination_tz=leg.get("destination_tz"),
                )
            )
    return sorted(rows, key=lambda r: (r.leg.out_utc, r.leg.tail, r.number))


def match(planned: Sequence[PlannedLeg], actuals: Sequence[LegActual]) -> dict[int, int]:
    """Planned leg index -> index of the merged report that flew it (see the module
    docstring); legs and reports left out matched nothing."""
    pairs = []
    for i, p in enumerate(planned):
        for j, a in enumerate(actuals):
            first = a.first_utc
            if first is None or a.tail.upper() != p.tail.upper():
                continue
            if a.origin.upper() != p.origin.upper():
                continue
            gap = abs(first - p.out_utc)
            if gap <= MATCH_WINDOW:
                pairs.append((gap, i, j))
    found: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in sorted(pairs):
        if i not in found and j not in used:
            found[i] = j
            used.add(j)
    return found


def day_board(
    day: date, planned: Sequence[PlannedLegRow], actuals: Sequence[LegActual], now: datetime
) -> tuple[list[BoardLeg], list[LegActual]]:
    """Each planned leg of ``day`` with its merged report and state; and the merged reports
    of ``day`` (by their key) that match no planned leg (flown off plan). ``actuals`` may
    hold reports of the days around, for legs planned near midnight."""
    matched = match([r.leg for r in planned], actuals)
    legs = []
    for i, row in enumerate(planned):
        actual = actuals[matched[i]] if i in matched else None
        legs.append(
            BoardLeg(row, actual, actual.key if actual else None, leg_state(row.leg, actual, now))
        )
    used = set(matched.values())
    unplanned = [a for j, a in enumerate(actuals) if j not in used and a.key[2] == day.isoformat()]
    return legs, unplanned


__all__ = [
    "MATCH_WINDOW",
    "BoardLeg",
    "PlannedLegRow",
    "day_board",
    "match",
    "planned_legs",
    "programme_days",
]
