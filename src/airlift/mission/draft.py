"""The state of a plan being built: the plan-wide context and the leg in hand.

The planner fills a :class:`LegDraft` per leg (route, fuel, weights, times, weather); the
limit checks read it and the planner turns it into a :class:`~airlift.mission.result.Leg`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from airlift.atmosphere import Weather
from airlift.mission.fuel import FuelNeed
from airlift.mission.inputs import MissionInput
from airlift.mission.route import RouteLeg
from airlift.performance.profile import LegProfile


@dataclass(frozen=True, slots=True)
class PlanContext:
    """What every leg of one plan shares."""

    mission: MissionInput
    speed: str
    """The speed schedule flown (parsed)."""
    need: FuelNeed
    """The backward fuel pass, every leg."""
    duty_start: datetime
    warnings: list[str]
    """The plan's warnings so far; the checks append theirs."""


@dataclass(slots=True)
class LegDraft:
    """The leg being built. kg, min; times UTC."""

    index: int
    route: RouteLeg
    profile: LegProfile
    """The leg as flown: climb, cruise, descent from the take-off weight."""
    payload_kg: float
    uplift_kg: float
    ramp_kg: float
    tow_kg: float
    lw_kg: float
    reserve_kg: float
    """Final reserve + alternate + contingency + discretionary fuel required on landing."""
    etd: datetime
    takeoff: datetime
    landing: datetime
    eta: datetime
    flight_min: float
    origin_wx: Weather
    dest_wx: Weather

    @property
    def landing_fuel_kg(self) -> float:
        return self.lw_kg - self.route.zfw_kg
