"""The programme being re-planned, read from its document: each mission's legs and lifts.

A programme document (``airlift schedule --json``, a run's result) holds each mission's
plan leg by leg and the lifts it carries with the legs they board and leave on; that is all
the re-planner needs to keep, freeze or compare a mission.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from airlift.errors import FieldError
from airlift.scheduling.programme import LiftOnBoard
from airlift.tracking.legs import PlannedLeg, planned_legs, time_field


@dataclass(frozen=True, slots=True)
class BaseMission:
    index: int
    """Position in the document's missions (0-based)."""
    tail: str
    aircraft: str
    day: int
    """0-based programme day."""
    legs: tuple[PlannedLeg, ...]
    lifts: tuple[LiftOnBoard, ...]

    @property
    def route(self) -> tuple[str, ...]:
        return (self.legs[0].origin, *(leg.destination for leg in self.legs))

    @property
    def starts(self) -> datetime:
        return self.legs[0].out_utc

    @property
    def ends(self) -> datetime:
        return self.legs[-1].in_utc


def _lift(raw: Mapping[str, Any], path: str) -> LiftOnBoard:
    try:
        return LiftOnBoard(
            lift_id=str(raw["lift_id"]),
            request_ref=str(raw["request_id"]),
            cargo_kg=float(raw["cargo_kg"]),
            pallets=int(raw["pallets"]),
            pax=int(raw["pax"]),
            pickup_leg=int(raw["pickup_leg"]),
            delivery_leg=int(raw["delivery_leg"]),
            description=str(raw.get("description") or ""),
            hazardous=bool(raw.get("hazardous")),
            dg_class=str(raw.get("dg_class") or ""),
            un_number=str(raw.get("un_number") or ""),
        )
    except KeyError as exc:
        raise FieldError(path, f"{path}: no {exc.args[0]!r}: not a programme lift") from None
    except (TypeError, ValueError) as exc:
        raise FieldError(path, f"{path}: not a programme lift ({exc})") from None


def read_baseline(document: Mapping[str, Any]) -> tuple[BaseMission, ...]:
    """The missions of a programme document; a missing or malformed key is a FieldError
    naming its path (``missions[2].lifts[0]``)."""
    legs = planned_legs(document)
    by_mission: dict[int, list[PlannedLeg]] = {}
    for leg in legs:
        by_mission.setdefault(leg.mission, []).append(leg)
    out = []
    for i, m in enumerate(document["missions"]):
        mission_legs = tuple(sorted(by_mission.get(i, []), key=lambda p: p.number))
        if not mission_legs:
            raise FieldError(f"missions[{i}]", f"missions[{i}] has no legs")
        raw_lifts = m.get("lifts") or []
        if not isinstance(raw_lifts, list):
            raise FieldError(f"missions[{i}].lifts", f"missions[{i}].lifts is not a list")
        lifts = tuple(_lift(x, f"missions[{i}].lifts[{j}]") for j, x in enumerate(raw_lifts))
        for j, lift in enumerate(lifts):
            if not 0 <= lift.pickup_leg <= lift.delivery_leg < len(mission_legs):
                raise FieldError(
                    f"missions[{i}].lifts[{j}]",
                    f"missions[{i}].lifts[{j}]: legs {lift.pickup_leg}-{lift.delivery_leg} "
                    f"are not legs of the mission ({len(mission_legs)} legs)",
                )
        out.append(
            BaseMission(
                index=i,
                tail=mission_legs[0].tail,
                aircraft=mission_legs[0].aircraft,
                day=mission_legs[0].day - 1,
                legs=mission_legs,
                lifts=lifts,
            )
        )
    return tuple(out)


def replanned_at(document: Mapping[str, Any]) -> datetime | None:
    """The "now" of the re-plan that made this programme (None: not a re-plan): everything
    before it had flown or was frozen when it was drawn."""
    block = document.get("replan")
    if not isinstance(block, Mapping) or not block.get("now_utc"):
        return None
    return time_field(block["now_utc"], "replan.now_utc")
