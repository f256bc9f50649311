"""The flying programme: missions per tail per day, the status of every request, KPIs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from airlift.mission import MissionPlan


@dataclass(frozen=True, slots=True)
class LiftOnBoard:
    """A lift carried on a mission: picked up at leg ``pickup_leg``'s origin, delivered at leg
    ``delivery_leg``'s destination (0-based leg indices)."""

    lift_id: str
    request_ref: str
    cargo_kg: float
    pallets: int
    pax: int
    pickup_leg: int
    delivery_leg: int
    description: str = ""
    """The request's words for the load (what a crew and loadmaster read)."""
    hazardous: bool = False
    dg_class: str = ""
    """UN dangerous-goods class or division (``3``, ``1.4S``); "" none given."""
    un_number: str = ""
    """``UN1863``; "" none given."""


@dataclass(frozen=True, slots=True)
class Mission:
    """One tail's duty period: a mission plan checked by the mission planner."""

    tail: str
    aircraft: str
    nation: str
    day: int
    plan: MissionPlan
    lifts: tuple[LiftOnBoard, ...]

    @property
    def route(self) -> list[str]:
        return [self.plan.legs[0].origin, *(leg.destination for leg in self.plan.legs)]

    @property
    def flight_time_min(self) -> float:
        return self.plan.total_flight_time_min


@dataclass(frozen=True, slots=True)
class RequestStatus:
    request_ref: str
    status: str
    """"delivered", "partial" or "unmet"."""
    priority: int
    optional: bool
    lifts: int
    lifts_delivered: int
    delivered_utc: datetime | None
    on_time: bool
    reason: str
    tails: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Kpis:
    tonnes_delivered: float
    pax_delivered: int
    requests: int
    delivered: int
    partial: int
    unmet: int
    required_unmet: int
    on_time_pct: float
    flying_hours: float
    missions: int
    tails_used: int
    utilisation_h_per_day: dict[str, float]
    legs_checked: int
    legs_passing: int


@dataclass(frozen=True, slots=True)
class Programme:
    scenario: str
    start_utc: datetime
    days: int
    missions: tuple[Mission, ...]
    requests: tuple[RequestStatus, ...]
    kpis: Kpis
    engine: str
    solve_seconds: float
    objective: float
    notes: tuple[str, ...] = ()
    cut_short: bool = False
    """The time limit stopped a phase before it was done: the engine before its iterations,
    or the re-insertion of unserved lifts (the programme is checked and feasible, but a
    longer limit might serve more)."""

    @property
    def feasible(self) -> bool:
        """Every leg of every mission passes the mission planner (the scheduler guarantees it;
        this recomputes it from the plans)."""
        return all(m.plan.feasible for m in self.missions)
