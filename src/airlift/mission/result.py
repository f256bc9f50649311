"""What the planner returns: ``MissionPlan`` -> ``Leg`` -> ``Limit`` (and ``MaxLoad``).

Every field of :class:`Leg` becomes a key of the leg in the plan JSON, CSV and GeoJSON
(``airlift.export``), and the :class:`LimitName` values are the limit names there: both are
a contract other tools script against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from airlift.airspace.clearances import ClearanceNeed
from airlift.airspace.countries import CountryPassage
from airlift.airspace.zones import Zone
from airlift.fuel_policy import FuelPolicy
from airlift.mission.inputs import Load


class LimitName(StrEnum):
    """The limits checked on a leg. The values are the names in the plan JSON, CSV and console
    output: never change one."""

    PAYLOAD = "payload"
    MZFW = "MZFW"
    MTOW = "MTOW"
    MLW = "MLW"
    FUEL_CAPACITY = "fuel capacity"
    FUEL_RESERVE = "fuel reserve"
    RANGE = "range"
    PALLETS = "pallets"
    SEATS = "seats"
    RUNWAY_TAKEOFF = "runway takeoff"
    RUNWAY_LANDING = "runway landing"
    WING_RELIEF_FUEL = "wing-relief fuel"
    ACL = "ACL"
    DAYLIGHT = "daylight"
    HOURS = "hours"
    DUTY = "duty"
    AIRSPACE = "airspace"
    CLEARANCE = "clearance"


WEIGHT_LIMITS = frozenset(
    {
        LimitName.PAYLOAD,
        LimitName.MZFW,
        LimitName.MTOW,
        LimitName.MLW,
        LimitName.RUNWAY_TAKEOFF,
        LimitName.RUNWAY_LANDING,
        LimitName.FUEL_CAPACITY,
        LimitName.FUEL_RESERVE,
        LimitName.RANGE,
    }
)
"""The limits that payload moves monotonically (``max_load`` bisects each of them)."""

TIME_LIMITS = frozenset({LimitName.DAYLIGHT, LimitName.HOURS, LimitName.DUTY, LimitName.CLEARANCE})
"""The limits that read a leg's times (``limits.time_limits``, and the clearances of
``mission.airspace`` that ``planner.with_clearances`` adds); every other limit of a leg
depends only on its route, loads, fuel and weather, so re-timing a plan keeps them."""


@dataclass(frozen=True, slots=True)
class Limit:
    """One limit on one leg: ``margin = limit - actual`` in ``unit`` (negative = broken)."""

    name: LimitName
    limit: float
    actual: float
    unit: str
    detail: str = ""
    payload_headroom_kg: float | None = None
    """Extra payload (kg) this limit still allows on the leg; None for time limits."""

    @property
    def margin(self) -> float:
        return self.limit - self.actual

    @property
    def violated(self) -> bool:
        # Half a unit of tolerance: bisection and rounding must not flag a limit exactly met.
        return self.margin < -0.5


@dataclass(frozen=True, slots=True)
class Violation:
    leg: int
    limit: LimitName
    excess: float
    unit: str
    message: str


@dataclass(frozen=True, slots=True)
class Leg:
    """One planned leg. kg, NM, kt, min, ft, m, °C; times are timezone-aware."""

    index: int
    origin: str
    destination: str
    dist_nm: float
    course_deg: float
    tas_kt: float
    gs_kt: float
    headwind_kt: float
    air_nm: float
    flight_time_min: float
    block_time_min: float
    etd_utc: datetime
    takeoff_utc: datetime
    landing_utc: datetime
    eta_utc: datetime
    etd_local: datetime
    eta_local: datetime
    load: Load
    payload_kg: float
    zfw_kg: float
    uplift_kg: float
    ramp_fuel_kg: float
    taxi_fuel_kg: float
    trip_fuel_kg: float
    reserve_fuel_kg: float
    landing_fuel_kg: float
    tankered_kg: float
    tow_kg: float
    lw_kg: float
    origin_oat_c: float
    origin_density_alt_ft: float
    destination_oat_c: float
    destination_density_alt_ft: float
    weather_source: str
    takeoff_runway: str
    landing_runway: str
    alternate: str
    alternate_nm: float
    alternate_reason: str
    cruise_fl: int
    speed_schedule: str
    isa_dev_c: float
    climb_fuel_kg: float
    cruise_fuel_kg: float
    descent_fuel_kg: float
    climb_min: float
    cruise_min: float
    descent_min: float
    final_reserve_kg: float
    alternate_fuel_kg: float
    contingency_fuel_kg: float
    endurance_h: float
    takeoff_distance_m: float
    takeoff_basis: str
    landing_distance_m: float
    landing_basis: str
    detour_nm: float
    """Extra distance flown around active zones (0: the great circle)."""
    zones_avoided: tuple[str, ...]
    """Zones the great circle would have crossed, routed around."""
    countries: tuple[str, ...]
    """ISO 3166-1 alpha-3 codes of the countries under the path, in order flown."""
    country_passages: tuple[CountryPassage, ...]
    """The same countries with the distance (NM) flown over each."""
    route: tuple[tuple[float, float], ...]
    """The path flown, (lat, lon) points from origin to destination (geodesics between)."""
    limits: tuple[Limit, ...]
    binding_limit: LimitName
    margin: float
    margin_unit: str

    def limit(self, name: str) -> Limit:
        for lim in self.limits:
            if lim.name == name:
                return lim
        raise KeyError(f"leg {self.origin}-{self.destination} has no limit {name!r}")


@dataclass(frozen=True, slots=True)
class MissionPlan:
    aircraft: str
    tail: str | None
    policy: FuelPolicy
    departure_utc: datetime
    legs: tuple[Leg, ...]
    violations: tuple[Violation, ...]
    warnings: tuple[str, ...]
    duty_start_utc: datetime
    duty_end_utc: datetime
    clearances: tuple[ClearanceNeed, ...] = ()
    """The diplomatic clearances the mission needs (``mission.airspace``)."""
    zones: tuple[Zone, ...] = ()
    """The zones the mission was routed around (all given, active or not)."""

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def total_dist_nm(self) -> float:
        return sum(leg.dist_nm for leg in self.legs)

    @property
    def total_flight_time_min(self) -> float:
        return sum(leg.flight_time_min for leg in self.legs)

    @property
    def total_uplift_kg(self) -> float:
        return sum(leg.uplift_kg for leg in self.legs)

    @property
    def duty_min(self) -> float:
        return (self.duty_end_utc - self.duty_start_utc).total_seconds() / 60.0


@dataclass(frozen=True, slots=True)
class MaxLoad:
    """The most payload (kg) on the first leg of a mission and what stops more."""

    payload_kg: float
    binding_limit: LimitName
    by_limit: dict[LimitName, float]
    """Max payload (kg) each weight limit alone allows."""
    plan: MissionPlan
