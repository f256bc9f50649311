"""The day board: every planned leg of one UTC day of a programme, with the reports of it,
its status and next action (:mod:`airlift.tracking.status`), and the reported legs that
match no planned leg.

Planned legs and the matching of reports to them are :mod:`airlift.tracking.legs`'s, as the
comparison with the plan has them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from airlift.tracking import legs
from airlift.tracking.legs import PlannedLeg
from airlift.tracking.model import LegActual
from airlift.tracking.status import LegState, leg_state


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


def programme_days(document: Mapping[str, Any]) -> list[str]:
    """The UTC dates (ISO) of the programme's missions, in order."""
    return sorted({str(m["date"]) for m in document.get("missions", [])})


def planned_legs(document: Mapping[str, Any], day: date) -> list[PlannedLegRow]:
    """The legs of the missions flown on UTC date ``day``, by planned off-block time."""
    missions = document.get("missions", [])
    rows = []
    for p in legs.planned_legs(document):
        mission = missions[p.mission]
        if str(mission.get("date")) != day.isoformat():
            continue
        leg = mission["plan"]["legs"][p.number - 1]
        rows.append(
            PlannedLegRow(
                mission=p.mission + 1,
                number=p.number,
                aircraft=p.aircraft,
                leg=p,
                etd_local=str(leg.get("etd_local") or ""),
                eta_local=str(leg.get("eta_local") or ""),
                origin_tz=leg.get("origin_tz"),
                destination_tz=leg.get("destination_tz"),
            )
        )
    return sorted(rows, key=lambda r: (r.leg.out_utc, r.leg.tail, r.number))


def day_board(
    day: date, planned: Sequence[PlannedLegRow], actuals: Sequence[LegActual], now: datetime
) -> tuple[list[BoardLeg], list[LegActual]]:
    """Each planned leg of ``day`` with its merged report and state; and the merged reports
    of ``day`` (by their key) that match no planned leg (flown off plan). ``actuals`` may
    hold reports of the days around, for legs planned near midnight."""
    matched, unmatched = legs.match([r.leg for r in planned], actuals)
    board = []
    for i, row in enumerate(planned):
        actual = matched.get(i)
        board.append(
            BoardLeg(row, actual, actual.key if actual else None, leg_state(row.leg, actual, now))
        )
    return board, [a for a in unmatched if a.key[2] == day.isoformat()]


__all__ = [
    "BoardLeg",
    "PlannedLegRow",
    "day_board",
    "planned_legs",
    "programme_days",
]
