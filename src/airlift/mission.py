"""Mission planning: a multi-stop mission with loads becomes legs with fuel, weights and times.

``plan`` is a pure function of a :class:`MissionInput`. Fuel is planned backwards from the
last stop (each leg must land with its reserves, and where the next stop has no fuel, with
the next leg's whole fuel load: tankering), then flown forwards from the uplift actually
possible. Every leg is checked against every limit; the plan is returned even when a limit
is broken, with each violation named and quantified. Nothing is silently clipped.

Binding limit of a leg: the worst violated limit if any (margin = limit - actual, negative,
in the limit's unit); otherwise a full volume limit (pallets, seats; margin 0); otherwise
the weight limit that leaves the least extra payload, its margin being that extra payload
in kg. Time limits (daylight, opening hours, duty) bind only when violated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from airlift import geo
from airlift.aircraft import AircraftType, Tail
from airlift.airfields import Airfield, Runway
from airlift.alternates import Alternate, choose_alternate
from airlift.atmosphere import (
    Weather,
    Wind,
    density_alt_ft,
    density_ratio,
    isa_temp_c,
    pressure_alt_ft,
)
from airlift.errors import InputError
from airlift.fuel_plan import Required, required, with_floor
from airlift.fuel_policy import POLICIES, FuelPolicy
from airlift.performance import choose_level_ft, leg_forward, parse_speed, tables
from airlift.performance import field as field_lengths
from airlift.performance.profile import LegProfile, fuel_endurance_h
from airlift.units import check_finite, whole

# --- input --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Load:
    """What is on board for one leg: cargo kg (gross, pallets and nets included), 463L pallet
    positions used, passengers."""

    cargo_kg: float = 0.0
    pallets: int = 0
    pax: int = 0

    def __post_init__(self) -> None:
        check_finite("cargo_kg", self.cargo_kg)
        check_finite("pallets", self.pallets)
        check_finite("pax", self.pax)

    def __add__(self, other: Load) -> Load:
        return Load(
            self.cargo_kg + other.cargo_kg, self.pallets + other.pallets, self.pax + other.pax
        )


@dataclass(frozen=True, slots=True)
class ManifestItem:
    """A consignment carried from ``origin`` to ``destination`` (ICAO codes of two stops)."""

    id: str
    origin: str
    destination: str
    load: Load
    description: str = ""


@dataclass(frozen=True, slots=True)
class Options:
    """Planning options. Minutes, kg, hours as named."""

    policy: FuelPolicy = POLICIES["icao"]
    pax_mass_kg: float = 100.0
    """Assumption: a troop with personal kit and seat baggage."""
    duty_limit_h: float = 16.0
    pre_flight_min: float = 90.0
    """Crew show time before the first off-block (assumption, editable)."""
    post_flight_min: float = 30.0
    ground_time_min: float | None = None
    """Turnaround at intermediate stops; None = the type's default."""
    extra_fuel_kg: float = 0.0
    """Discretionary fuel kept on landing at every stop, on top of the reserves."""
    initial_fuel_kg: float = 0.0
    """Fuel already on board at the first stop (needed where it has no fuel)."""
    fl: float | None = None
    """Cruise flight level on every leg (hundreds of ft); None = the best level per leg."""
    speed: str | None = None
    """Speed schedule: mrc, lrc, mcr, max-endurance or a TAS in kt; None = the type's normal."""
    isa_dev_c: float = 0.0
    """Temperature deviation from ISA aloft (°C) on every leg unless ``leg_isa_dev_c`` says."""
    ground_mode: str = "normal"
    """Turnaround: normal, expedited or ero (engine-running offload), from the type's times."""
    payload_limit: str = "structural"
    """structural (max payload) or acl (the type's planning payload, for planning factors)."""

    def __post_init__(self) -> None:
        check_finite("pax_mass_kg", self.pax_mass_kg)
        check_finite("duty_limit_h", self.duty_limit_h, minimum=0.5)
        check_finite("pre_flight_min", self.pre_flight_min)
        check_finite("post_flight_min", self.post_flight_min)
        check_finite("extra_fuel_kg", self.extra_fuel_kg)
        check_finite("initial_fuel_kg", self.initial_fuel_kg)
        if self.ground_time_min is not None:
            check_finite("ground_time_min", self.ground_time_min)
        if self.fl is not None:
            check_finite("fl", self.fl)
            if self.fl > 600:
                raise InputError(f"fl must be a flight level up to 600, got {self.fl:g}")
        if self.speed is not None:
            parse_speed(self.speed)
        check_finite("isa_dev_c", self.isa_dev_c, minimum=-40.0)
        if self.isa_dev_c > 40:
            raise InputError(f"isa_dev_c must be <= 40 °C, got {self.isa_dev_c:g}")
        if self.ground_mode not in ("normal", "expedited", "ero"):
            raise InputError(
                f"ground_mode must be normal, expedited or ero, got {self.ground_mode!r}"
            )
        if self.payload_limit not in ("structural", "acl"):
            raise InputError(f"payload_limit must be structural or acl, got {self.payload_limit!r}")


@dataclass(frozen=True, slots=True)
class MissionInput:
    aircraft: AircraftType
    stops: tuple[Airfield, ...]
    departure_utc: datetime
    loads: tuple[Load, ...]
    """One per leg."""
    weather: dict[str, Weather] = field(default_factory=dict)
    """Surface weather by ICAO; missing stops use the theatre's planning OAT or ISA."""
    wind: Wind | None = None
    """Cruise wind, the same on every leg unless ``leg_winds`` says otherwise."""
    leg_winds: tuple[Wind | None, ...] = ()
    options: Options = Options()
    tail: Tail | None = None
    manifest: tuple[ManifestItem, ...] = ()
    not_before_utc: tuple[datetime | None, ...] = ()
    """Per leg, the earliest off-block (a schedule's slot); the turnaround still applies."""
    leg_isa_dev_c: tuple[float | None, ...] = ()
    """Per leg, the ISA deviation aloft (°C); None or missing = ``options.isa_dev_c``."""


def loads_from_manifest(
    stops: Sequence[Airfield], items: Sequence[ManifestItem]
) -> tuple[Load, ...]:
    """Per-leg loads: each item rides from its origin's first visit to the next visit of its
    destination after that."""
    codes = [s.icao for s in stops]
    loads = [Load() for _ in range(len(stops) - 1)]
    for item in items:
        try:
            i = codes.index(item.origin.upper())
            j = codes.index(item.destination.upper(), i + 1)
        except ValueError:
            raise InputError(
                f"manifest item {item.id}: {item.origin} -> {item.destination} is not a pair "
                f"of stops in order ({' -> '.join(codes)})"
            ) from None
        for leg in range(i, j):
            loads[leg] = loads[leg] + item.load
    return tuple(loads)


# --- output -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limit:
    """One limit on one leg: ``margin = limit - actual`` in ``unit`` (negative = broken)."""

    name: str
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
    limit: str
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
    limits: tuple[Limit, ...]
    binding_limit: str
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


# --- helpers ------------------------------------------------------------------------------------


def surface_weather(a: Airfield, given: dict[str, Weather]) -> Weather:
    """Weather given for the airfield, else its planning OAT, else ISA at its elevation."""
    if a.icao in given:
        return given[a.icao]
    if a.planning.planning_oat_c is not None:
        return Weather(oat_c=a.planning.planning_oat_c, source="theatre planning OAT")
    return Weather(oat_c=round(isa_temp_c(a.elevation_ft), 1), source="ISA")


def density_at(a: Airfield, wx: Weather) -> tuple[float, float]:
    """(sigma, density altitude ft) at an airfield."""
    pa = pressure_alt_ft(a.elevation_ft, wx.qnh_hpa)
    return density_ratio(pa, wx.oat_c), density_alt_ft(pa, wx.oat_c)


def _best_runway(
    runways: Sequence[Runway], weight_for: Callable[[Runway], float]
) -> tuple[Runway | None, float]:
    best: tuple[Runway | None, float] = (None, math.inf)
    for r in runways:
        if r.closed or not r.length_m:
            continue
        w = weight_for(r)
        if best[0] is None or w > best[1]:
            best = (r, w)
    return best


def _fuel_available(a: Airfield) -> bool:
    # Unknown counts as none: the safe side. The theatre file says where fuel really is.
    return bool(a.planning.fuel_available)


@lru_cache(maxsize=4096)
def _civil_twilight(lat: float, lon: float, day: date) -> tuple[datetime, datetime]:
    from astral import Observer
    from astral.sun import sun

    s = sun(Observer(lat, lon), date=day, dawn_dusk_depression=6.0, tzinfo=UTC)
    return s["dawn"], s["dusk"]


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60.0


def _daylight_limit(a: Airfield, when: datetime, what: str) -> Limit:
    local_day = when.astimezone(_zone(a.tz)).date()
    dawn, dusk = _civil_twilight(a.lat, a.lon, local_day)
    # Expressed as minutes before dusk (limit) vs. event; or after dawn when early.
    if when < dawn:
        return Limit(
            "daylight",
            0.0,
            _minutes(dawn - when),
            "min",
            f"{what} at {a.icao} {when:%H:%MZ} is before civil dawn {dawn:%H:%MZ}",
        )
    return Limit(
        "daylight",
        _minutes(dusk - dawn),
        _minutes(when - dawn),
        "min",
        f"{what} at {a.icao} {when:%H:%MZ}; civil twilight {dawn:%H:%M}-{dusk:%H:%MZ}",
    )


def _hours_limit(a: Airfield, when: datetime, what: str) -> Limit | None:
    if a.planning.hours_utc is None:
        return None
    opens, closes = (time.fromisoformat(h) for h in a.planning.hours_utc)
    start = datetime.combine(when.date(), opens, UTC)
    end = datetime.combine(when.date(), closes, UTC)
    if end <= start:  # open across midnight, e.g. 18:00-06:00
        if when < end:
            start -= timedelta(days=1)
        else:
            end += timedelta(days=1)
    detail = f"{what} at {a.icao} {when:%H:%MZ}; open {opens:%H:%M}-{closes:%H:%MZ}"
    if when < start:
        return Limit("hours", 0.0, _minutes(start - when), "min", detail)
    return Limit("hours", _minutes(end - start), _minutes(when - start), "min", detail)


def alternate_for(t: AircraftType, dest: Airfield, policy: FuelPolicy) -> Alternate | None:
    """The policy's destination alternate: the nearest known airfield with fuel and a runway
    that holds the type's landing at its maximum landing weight (ISA, the policy's basis)."""
    need = _landing_need_m(t, policy)
    return choose_alternate(
        dest,
        min_runway_m=need,
        unpaved_ok=t.unpaved_approved,
        need_fuel=True,
        max_nm=policy.max_alternate_nm,
    )


@lru_cache(maxsize=256)
def _landing_need_m(t: AircraftType, policy: FuelPolicy) -> float:
    ld = field_lengths.landing(
        t, t.mlw_kg, factor=policy.landing_factor, reverse=policy.reverse_credit
    )
    return float(getattr(ld, _LANDING_ATTR[policy.landing_basis]))


_TAKEOFF_ATTR = {
    "balanced_field": "balanced_field_m",
    "distance_50ft": "distance_50ft_m",
    "ground_roll": "ground_roll_m",
}
_LANDING_ATTR = {
    "landing_distance": "landing_distance_m",
    "distance_50ft": "distance_50ft_m",
    "ground_roll": "ground_roll_m",
}
_BASIS_WORDS = {
    "balanced_field": "balanced field",
    "distance_50ft": "distance over 50 ft",
    "ground_roll": "ground roll",
    "landing_distance": "factored landing distance",
}


@lru_cache(maxsize=8192)
def _runway_weight_kg(
    t: AircraftType,
    takeoff: bool,
    length_m: float,
    pressure_alt: float,
    oat_c: float,
    paved: bool,
    basis: str,
    factor: float,
    reverse: bool = False,
) -> float:
    """Highest weight (kg) whose distance on the policy's basis fits the runway (cached)."""
    surface = "paved" if paved else "unpaved"
    if not paved and not t.unpaved_approved:
        return 0.0
    if takeoff:
        return field_lengths.max_takeoff_weight_kg(
            t,
            length_m,
            basis=basis,
            pressure_alt_ft=pressure_alt,
            oat_c=oat_c,
            surface=surface,
            wet=False,
        )
    return field_lengths.max_landing_weight_kg(
        t,
        length_m,
        basis=basis,
        pressure_alt_ft=pressure_alt,
        oat_c=oat_c,
        surface=surface,
        wet=False,
        factor=factor,
    )


# --- fuel -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Leg:
    """Geometry, level and loads of one leg, before fuel."""

    origin: Airfield
    dest: Airfield
    dist_nm: float
    course_deg: float
    tas_kt: float
    gs_kt: float
    headwind_kt: float
    air_nm: float
    zfw_kg: float
    cargo_kg: float
    level_ft: float
    isa_dev_c: float
    alternate: Alternate | None
    alt_air_nm: float


@dataclass(frozen=True, slots=True)
class _Need:
    """Backward pass result per leg: kg."""

    landing: list[float]
    ramp: list[float]
    final: list[float]
    alternate: list[float]
    contingency: list[float]
    profiles: list[LegProfile]


def _floor_kg(t: AircraftType, leg: _Leg) -> float:
    """Fuel that must stay on board on landing whatever the reserves: wing-relief fuel."""
    threshold = t.ballast_cargo_threshold_kg
    if threshold is not None and leg.cargo_kg > threshold:
        return t.ballast_min_fuel_kg or 0.0
    return 0.0


def _required_fuel(
    t: AircraftType, speed: str, legs: Sequence[_Leg], policy: FuelPolicy, extra_kg: float
) -> _Need:
    """Backward pass: fuel required on landing and at the ramp, per leg (kg).

    Each leg must land with its reserves, with its wing-relief floor, and where the next stop
    has no fuel with the next leg's whole ramp fuel (tankering). All legs are computed at
    once; legs that tanker are then recomputed, last first."""
    n = len(legs)
    floors = [_floor_kg(t, leg) for leg in legs]

    def solve(idx: list[int], floor: list[float]) -> Required:
        sel = [legs[k] for k in idx]
        return required(
            t,
            policy,
            speed,
            sel[0].isa_dev_c,
            np.array([leg.zfw_kg for leg in sel]),
            np.array([leg.air_nm for leg in sel]),
            np.array([leg.level_ft for leg in sel]),
            np.array([leg.origin.elevation_ft for leg in sel]),
            np.array([leg.dest.elevation_ft for leg in sel]),
            np.array([leg.alt_air_nm for leg in sel]),
            extra_kg,
            np.array(floor),
        )

    groups: dict[float, list[int]] = {}
    for k, leg in enumerate(legs):
        groups.setdefault(leg.isa_dev_c, []).append(k)
    land, ramp, final, alt, cont = ([0.0] * n for _ in range(5))
    profiles: list[LegProfile] = [None] * n  # type: ignore[list-item]

    def store(idx: list[int], r: Required) -> None:
        for pos, k in enumerate(idx):
            land[k] = float(r.landing_kg[pos])
            final[k] = float(r.final_kg[pos])
            alt[k] = float(np.broadcast_to(r.alternate_kg, r.landing_kg.shape)[pos])
            cont[k] = float(r.contingency_kg[pos])
            profiles[k] = _pick(r.profile, pos)
            ramp[k] = land[k] + float(profiles[k].trip_kg) + t.taxi_fuel_kg

    for idx in groups.values():
        store(idx, solve(idx, [floors[k] for k in idx]))
    for i in reversed(range(n - 1)):
        if not _fuel_available(legs[i].dest) and ramp[i + 1] > land[i] + 0.5:
            leg = legs[i]
            base = Required(
                np.array([land[i]]),
                np.array([final[i]]),
                np.array([alt[i]]),
                np.array([cont[i]]),
                profiles[i],
            )
            store(
                [i],
                with_floor(
                    t,
                    speed,
                    leg.isa_dev_c,
                    base,
                    np.array([leg.zfw_kg]),
                    np.array([leg.air_nm]),
                    np.array([leg.level_ft]),
                    np.array([leg.origin.elevation_ft]),
                    np.array([leg.dest.elevation_ft]),
                    np.array([max(floors[i], ramp[i + 1])]),
                ),
            )
    return _Need(land, ramp, final, alt, cont, profiles)


def _pick(p: LegProfile, k: int) -> LegProfile:
    """Leg ``k`` of a profile computed for several legs at once."""
    return LegProfile(*(np.asarray(getattr(p, f))[k] for f in LegProfile.__dataclass_fields__))


# --- the planner ----------------------------------------------------------------------------


def _check_input(m: MissionInput) -> None:
    if len(m.stops) < 2:
        raise InputError("a mission needs at least two stops (origin and destination)")
    if m.departure_utc.tzinfo is None or m.departure_utc.utcoffset() is None:
        raise InputError("departure time has no timezone: give it in UTC, e.g. 2023-10-27T06:30Z")
    if len(m.loads) != len(m.stops) - 1:
        raise InputError(f"{len(m.stops) - 1} legs but {len(m.loads)} loads: give one per leg")
    if m.leg_winds and len(m.leg_winds) != len(m.stops) - 1:
        raise InputError(f"{len(m.stops) - 1} legs but {len(m.leg_winds)} winds")
    if m.not_before_utc and len(m.not_before_utc) != len(m.stops) - 1:
        raise InputError(f"{len(m.stops) - 1} legs but {len(m.not_before_utc)} departure slots")
    for a, b in zip(m.stops, m.stops[1:], strict=False):
        if a.icao == b.icao:
            raise InputError(f"consecutive stops are the same airfield {a.icao}")
    for a in m.stops:
        a.longest_runway()  # raises RunwayClosed if every runway is closed
    t = m.aircraft
    if m.options.fl is not None and m.options.fl * 100 > t.ceiling_ft:
        raise InputError(
            f"fl: FL{m.options.fl:03.0f} is above the {t.designator}'s ceiling of "
            f"{t.ceiling_ft:,.0f} ft"
        )
    if m.leg_isa_dev_c and len(m.leg_isa_dev_c) != len(m.stops) - 1:
        raise InputError(f"{len(m.stops) - 1} legs but {len(m.leg_isa_dev_c)} ISA deviations")
    for i, load in enumerate(m.loads):
        leg = f"leg {i + 1} {m.stops[i].icao}-{m.stops[i + 1].icao}"
        payload = load.cargo_kg + load.pax * m.options.pax_mass_kg
        if payload > t.max_payload_kg:
            raise InputError(
                f"{leg}: payload {whole(payload)} kg exceeds the {t.designator}'s max payload "
                f"{whole(t.max_payload_kg)} kg by {whole(payload - t.max_payload_kg)} kg; "
                "split the load"
            )
        if load.pallets > t.pallet_positions:
            raise InputError(
                f"{leg}: {load.pallets} pallets but the {t.designator} has "
                f"{t.pallet_positions} 463L positions"
            )


@lru_cache(maxsize=4096)
def _level(
    t: AircraftType,
    speed: str,
    isa: float,
    dist_nm: float,
    w_kg: float,
    o_ft: float,
    d_ft: float,
) -> float:
    """Cruise level (ft) of a leg, cached: the same legs are planned again and again."""
    return float(choose_level_ft(t, speed, isa, dist_nm, w_kg, o_ft, d_ft))


def _geometry(m: MissionInput, speed: str) -> list[_Leg]:
    t, opts = m.aircraft, m.options
    legs = []
    for i, (a, b) in enumerate(zip(m.stops, m.stops[1:], strict=False)):
        dist, course = geo.inverse(a.lat, a.lon, b.lat, b.lon)
        wind = m.leg_winds[i] if m.leg_winds else m.wind
        given = m.leg_isa_dev_c[i] if i < len(m.leg_isa_dev_c) else None
        isa = opts.isa_dev_c if given is None else given
        load = m.loads[i]
        payload = load.cargo_kg + load.pax * opts.pax_mass_kg
        zfw = t.oew_kg + payload
        # A mid-cruise weight for the level and TAS: zero-fuel plus a quarter of the tanks.
        w_mid = min(t.mtow_kg, zfw + 0.25 * t.max_fuel_kg)
        if opts.fl is not None:
            level = round(opts.fl) * 100.0
        else:
            level = _level(
                t, speed, isa, round(dist), round(w_mid, -1), a.elevation_ft, b.elevation_ft
            )
        tab = tables(t, speed, isa)
        tas = float(np.interp(w_mid, tab.weights_kg, tab.tas_kt[int(level // 1000)]))
        gs = wind.ground_speed_kt(tas, course) if wind else tas
        head = wind.components(course)[0] if wind else 0.0
        if gs <= 1.0:
            raise InputError(f"leg {a.icao}-{b.icao}: wind leaves no ground speed")
        alt = alternate_for(t, b, opts.policy) if opts.policy.alternate else None
        alt_nm = alt.dist_nm if alt else (math.inf if opts.policy.alternate else 0.0)
        legs.append(
            _Leg(
                a,
                b,
                dist,
                course,
                tas,
                gs,
                head,
                dist * tas / gs,
                zfw,
                load.cargo_kg,
                level,
                isa,
                alt,
                alt_nm,
            )
        )
    return legs


def plan(m: MissionInput) -> MissionPlan:
    """Plan a mission. Always returns a plan; broken limits are listed in ``violations``."""
    _check_input(m)
    t, opts = m.aircraft, m.options
    speed = parse_speed(opts.speed or t.normal_speed)
    legs = _geometry(m, speed)
    need = _required_fuel(t, speed, legs, opts.policy, opts.extra_fuel_kg)
    warnings: list[str] = []
    if not _fuel_available(m.stops[0]) and not opts.initial_fuel_kg:
        warnings.append(
            f"{m.stops[0].icao}: no fuel known there; the plan assumes the aircraft "
            "arrives with the first leg's ramp fuel (set initial fuel to check)"
        )
    for a in m.stops:
        if a.planning.fuel_available is None:
            warnings.append(f"{a.icao}: fuel availability unknown, planned as none")
        if not a.runways:
            warnings.append(
                f"{a.icao}: no runway data, runway limits not checked "
                "(run `airlift airfields import`)"
            )
    for leg in legs:
        if opts.policy.alternate and leg.alternate is None:
            warnings.append(
                f"{leg.dest.icao}: no alternate within {opts.policy.max_alternate_nm:,.0f} NM; "
                "isolated-aerodrome fuel (2 h at normal cruise) planned instead"
            )
    ground_min = (
        opts.ground_time_min
        if opts.ground_time_min is not None
        else t.ground_time(opts.ground_mode)
    )
    taxi_out = float(round(t.taxi_time_min * 2.0 / 3.0))
    duty_start = m.departure_utc.astimezone(UTC) - timedelta(minutes=opts.pre_flight_min)
    etd = m.departure_utc.astimezone(UTC)
    fob = opts.initial_fuel_kg
    out: list[Leg] = []
    for i, leg in enumerate(legs):
        uplift = 0.0
        if _fuel_available(leg.origin) or (i == 0 and not opts.initial_fuel_kg):
            uplift = max(0.0, min(need.ramp[i], t.max_fuel_kg) - fob)
        ramp = fob + uplift
        tow = leg.zfw_kg + ramp - t.taxi_fuel_kg
        prof = need.profiles[i]
        if abs(tow - float(prof.tow_kg)) > 1.0:
            prof = leg_forward(
                t,
                speed,
                leg.isa_dev_c,
                leg.air_nm,
                tow,
                leg.level_ft,
                leg.origin.elevation_ft,
                leg.dest.elevation_ft,
            )
        if not bool(prof.ok):
            warnings.append(
                f"leg {i + 1} {leg.origin.icao}-{leg.dest.icao}: FL{leg.level_ft / 100:03.0f} "
                f"cannot be flown at {whole(tow)} kg on the {speed} schedule (ISA"
                f"{leg.isa_dev_c:+.0f}); figures extrapolated, choose a lower level"
            )
        # Whole minutes, rounded up: schedules are written to the minute.
        flight_min = float(math.ceil(float(prof.time_min)))
        takeoff = etd + timedelta(minutes=taxi_out)
        landing = takeoff + timedelta(minutes=flight_min)
        eta = landing + timedelta(minutes=t.taxi_time_min - taxi_out)
        out.append(
            _finish_leg(
                m,
                speed,
                need,
                i,
                leg,
                prof,
                uplift,
                ramp,
                etd,
                takeoff,
                landing,
                eta,
                duty_start,
                flight_min,
                warnings,
            )
        )
        fob = float(prof.lw_kg) - leg.zfw_kg
        etd = eta + timedelta(minutes=ground_min)
        if i + 1 < len(m.not_before_utc) and (slot := m.not_before_utc[i + 1]) is not None:
            etd = max(etd, slot.astimezone(UTC))
    violations = tuple(
        Violation(
            leg.index,
            lim.name,
            -lim.margin,
            lim.unit,
            f"leg {leg.index + 1} "
            f"{leg.origin}-{leg.destination}: {lim.name} exceeded by "
            f"{-lim.margin:,.0f} {lim.unit} ({lim.detail})",
        )
        for leg in out
        for lim in leg.limits
        if lim.violated
    )
    duty_end = out[-1].eta_utc + timedelta(minutes=opts.post_flight_min)
    return MissionPlan(
        t.designator,
        m.tail.registration if m.tail else None,
        opts.policy,
        m.departure_utc.astimezone(UTC),
        tuple(out),
        violations,
        tuple(warnings),
        duty_start,
        duty_end,
    )


def _runway_limits(
    m: MissionInput,
    leg: _Leg,
    tow: float,
    lw: float,
    d_ramp: float,
    d_land: float,
    warnings: list[str],
) -> tuple[list[Limit], float, tuple[float, str, float, str], tuple[str, str]]:
    """Take-off and landing runway limits on the policy's distance bases; the field-length
    model's validity warnings are added to ``warnings``.

    Returns (limits, runway-limited TOW, (TO distance m, basis, landing distance m, basis),
    (take-off runway ident, landing runway ident))."""
    t, policy = m.aircraft, m.options.policy
    wx_o, wx_d = surface_weather(leg.origin, m.weather), surface_weather(leg.dest, m.weather)
    pa_o = pressure_alt_ft(leg.origin.elevation_ft, wx_o.qnh_hpa)
    pa_d = pressure_alt_ft(leg.dest.elevation_ft, wx_d.qnh_hpa)
    to_b, ld_b = policy.takeoff_basis, policy.landing_basis
    rwy_to, rtow = _best_runway(
        leg.origin.runways,
        lambda r: _runway_weight_kg(
            t, True, r.length_m or 0.0, round(pa_o), round(wx_o.oat_c), r.paved, to_b, 1.0
        ),
    )
    rwy_ld, rlw = _best_runway(
        leg.dest.runways,
        lambda r: _runway_weight_kg(
            t,
            False,
            r.length_m or 0.0,
            round(pa_d),
            round(wx_d.oat_c),
            r.paved,
            ld_b,
            policy.landing_factor,
            policy.reverse_credit,
        ),
    )
    limits: list[Limit] = []
    to_m = ld_m = 0.0
    if rwy_to is not None:
        to = field_lengths.takeoff(
            t,
            tow,
            pressure_alt_ft=pa_o,
            oat_c=wx_o.oat_c,
            surface="paved" if rwy_to.paved else "unpaved",
        )
        to_m = float(getattr(to, _TAKEOFF_ATTR[to_b]))
        warnings += [f"take-off at {leg.origin.icao}: {w}" for w in to.warnings]
        limits.append(
            Limit(
                "runway takeoff",
                rtow,
                tow,
                "kg",
                f"{leg.origin.icao} {rwy_to.ident} {rwy_to.length_m:,.0f} m "
                f"{rwy_to.surface}, {_BASIS_WORDS[to_b]} {to_m:,.0f} m at "
                f"{wx_o.oat_c:.0f} °C",
                (rtow - tow) / (1.0 + d_ramp),
            )
        )
    if rwy_ld is not None:
        ld = field_lengths.landing(
            t,
            lw,
            pressure_alt_ft=pa_d,
            oat_c=wx_d.oat_c,
            surface="paved" if rwy_ld.paved else "unpaved",
            factor=policy.landing_factor,
            reverse=policy.reverse_credit,
        )
        ld_m = float(getattr(ld, _LANDING_ATTR[ld_b]))
        warnings += [f"landing at {leg.dest.icao}: {w}" for w in ld.warnings]
        limits.append(
            Limit(
                "runway landing",
                rlw,
                lw,
                "kg",
                f"{leg.dest.icao} {rwy_ld.ident} {rwy_ld.length_m:,.0f} m "
                f"{rwy_ld.surface}, {_BASIS_WORDS[ld_b]} {ld_m:,.0f} m at "
                f"{wx_d.oat_c:.0f} °C",
                (rlw - lw) / (1.0 + d_land),
            )
        )
    idents = (rwy_to.ident if rwy_to else "", rwy_ld.ident if rwy_ld else "")
    return limits, rtow, (to_m, to_b, ld_m, ld_b), idents


def _finish_leg(
    m: MissionInput,
    speed: str,
    need: _Need,
    i: int,
    leg: _Leg,
    prof: LegProfile,
    uplift: float,
    ramp: float,
    etd: datetime,
    takeoff: datetime,
    landing: datetime,
    eta: datetime,
    duty_start: datetime,
    flight_min: float,
    warnings: list[str],
) -> Leg:
    t, opts = m.aircraft, m.options
    load = m.loads[i]
    tow, lw = float(prof.tow_kg), float(prof.lw_kg)
    wx_o, wx_d = surface_weather(leg.origin, m.weather), surface_weather(leg.dest, m.weather)
    _, da_o = density_at(leg.origin, wx_o)
    _, da_d = density_at(leg.dest, wx_d)
    # Linearised sensitivity of fuel to payload (kg fuel per kg payload): reserves and trip
    # fuel grow about in proportion to weight. Used only to express margins as payload.
    reserve = need.final[i] + need.alternate[i] + need.contingency[i] + opts.extra_fuel_kg
    d_land = reserve / leg.zfw_kg
    d_ramp = (need.ramp[i] - t.taxi_fuel_kg) / leg.zfw_kg
    payload = leg.zfw_kg - t.oew_kg
    landing_fuel = lw - leg.zfw_kg
    seats_avail = (
        t.seats
        if not t.pallet_positions
        else math.floor(
            t.seats * (1.0 - min(load.pallets, t.pallet_positions) / t.pallet_positions)
        )
    )
    assault = leg.dest.planning.assault_landing and t.assault_landing_weight_kg is not None
    mlw = t.assault_landing_weight_kg if assault else t.mlw_kg
    mlw_detail = (
        f"assault landing weight ({leg.dest.icao} is an assault strip)"
        if assault
        else "max landing weight, normal landing"
    )
    runway, rtow, dists, idents = _runway_limits(m, leg, tow, lw, d_ramp, d_land, warnings)
    limits = [
        Limit(
            "payload", t.max_payload_kg, payload, "kg", "max payload", t.max_payload_kg - payload
        ),
        Limit("MZFW", t.mzfw_kg, leg.zfw_kg, "kg", "max zero-fuel weight", t.mzfw_kg - leg.zfw_kg),
        Limit(
            "MTOW", t.mtow_kg, tow, "kg", "max take-off weight", (t.mtow_kg - tow) / (1.0 + d_ramp)
        ),
        Limit("MLW", mlw or t.mlw_kg, lw, "kg", mlw_detail, ((mlw or 0) - lw) / (1.0 + d_land)),
        Limit(
            "fuel capacity",
            t.max_fuel_kg,
            need.ramp[i],
            "kg",
            f"ramp fuel required {need.ramp[i]:,.0f} kg",
            (t.max_fuel_kg - need.ramp[i]) / d_ramp if d_ramp > 0 else None,
        ),
        Limit(
            "fuel reserve",
            landing_fuel,
            reserve,
            "kg",
            f"lands with {landing_fuel:,.0f} kg, {opts.policy.name} reserves need "
            f"{reserve:,.0f} kg",
        ),
        _range_limit(t, leg, prof, min(t.mtow_kg, rtow) if runway else t.mtow_kg, reserve),
        Limit("pallets", t.pallet_positions, load.pallets, "positions", "463L positions"),
        Limit(
            "seats",
            seats_avail,
            load.pax,
            "seats",
            f"{seats_avail} seats beside {load.pallets} pallets",
        ),
        *runway,
    ]
    floor = _floor_kg(t, leg)
    if floor:
        limits.append(
            Limit(
                "wing-relief fuel",
                landing_fuel,
                floor,
                "kg",
                f"cargo {whole(leg.cargo_kg)} kg above "
                f"{whole(t.ballast_cargo_threshold_kg or 0.0)} kg: "
                f"at least {floor:,.0f} kg of fuel must stay in the wings",
            )
        )
    if opts.payload_limit == "acl" and t.acl_kg is not None:
        limits.append(
            Limit("ACL", t.acl_kg, payload, "kg", "planning payload (ACL)", t.acl_kg - payload)
        )
    for a, when, what in ((leg.origin, takeoff, "take-off"), (leg.dest, landing, "landing")):
        if a.planning.daylight_only:
            limits.append(_daylight_limit(a, when, what))
        hours = _hours_limit(a, when, what)
        if hours:
            limits.append(hours)
    limits.append(
        Limit(
            "duty",
            opts.duty_limit_h * 60.0,
            _minutes(eta - duty_start) + opts.post_flight_min,
            "min",
            f"crew duty day {opts.duty_limit_h:g} h",
        )
    )
    binding = _binding(limits)
    alt = leg.alternate
    sources = {wx_o.source, wx_d.source}
    return Leg(
        index=i,
        origin=leg.origin.icao,
        destination=leg.dest.icao,
        dist_nm=leg.dist_nm,
        course_deg=leg.course_deg,
        tas_kt=leg.tas_kt,
        gs_kt=leg.gs_kt,
        headwind_kt=leg.headwind_kt,
        air_nm=leg.air_nm,
        flight_time_min=flight_min,
        block_time_min=_minutes(eta - etd),
        etd_utc=etd,
        takeoff_utc=takeoff,
        landing_utc=landing,
        eta_utc=eta,
        etd_local=etd.astimezone(_zone(leg.origin.tz)),
        eta_local=eta.astimezone(_zone(leg.dest.tz)),
        load=load,
        payload_kg=payload,
        zfw_kg=leg.zfw_kg,
        uplift_kg=uplift,
        ramp_fuel_kg=ramp,
        taxi_fuel_kg=t.taxi_fuel_kg,
        trip_fuel_kg=tow - lw,
        reserve_fuel_kg=reserve,
        landing_fuel_kg=landing_fuel,
        tankered_kg=max(0.0, landing_fuel - reserve) if not _fuel_available(leg.dest) else 0.0,
        tow_kg=tow,
        lw_kg=lw,
        origin_oat_c=wx_o.oat_c,
        origin_density_alt_ft=da_o,
        destination_oat_c=wx_d.oat_c,
        destination_density_alt_ft=da_d,
        weather_source=" / ".join(sorted(sources)),
        takeoff_runway=idents[0],
        landing_runway=idents[1],
        alternate=alt.airfield.icao if alt else "",
        alternate_nm=alt.dist_nm if alt else 0.0,
        alternate_reason=alt.reason
        if alt
        else (
            "none within the policy's distance: isolated-aerodrome fuel"
            if opts.policy.alternate
            else f"{opts.policy.name} policy: no alternate"
        ),
        cruise_fl=round(leg.level_ft / 100.0),
        speed_schedule=speed,
        isa_dev_c=leg.isa_dev_c,
        climb_fuel_kg=float(prof.climb_kg),
        cruise_fuel_kg=float(prof.cruise_kg),
        descent_fuel_kg=float(prof.descent_kg),
        climb_min=float(prof.climb_min),
        cruise_min=float(prof.cruise_min),
        descent_min=float(prof.descent_min),
        final_reserve_kg=need.final[i],
        alternate_fuel_kg=need.alternate[i],
        contingency_fuel_kg=need.contingency[i],
        endurance_h=fuel_endurance_h(t, speed, leg.isa_dev_c, prof, leg.zfw_kg),
        takeoff_distance_m=dists[0],
        takeoff_basis=dists[1],
        landing_distance_m=dists[2],
        landing_basis=dists[3],
        limits=tuple(limits),
        binding_limit=binding.name,
        margin=binding.margin,
        margin_unit=binding.unit,
    )


def _range_limit(
    t: AircraftType, leg: _Leg, prof: LegProfile, max_tow: float, reserve: float
) -> Limit:
    """Air distance (NM) reachable with the most fuel the tanks and MTOW allow: the planned
    distance scaled by the trip fuel available over the trip fuel planned (linear in fuel)."""
    tow = min(max_tow, leg.zfw_kg + t.max_fuel_kg - t.taxi_fuel_kg)
    available = tow - leg.zfw_kg - reserve
    trip = float(prof.tow_kg - prof.lw_kg)
    reach = leg.air_nm * available / trip if trip > 0 and available > 0 else 0.0
    return Limit(
        "range",
        reach,
        leg.air_nm,
        "NM",
        f"reach {reach:,.0f} NM air distance with full tanks at this payload",
    )


def _binding(limits: list[Limit]) -> Limit:
    violated = [lim for lim in limits if lim.violated]
    if violated:
        return min(violated, key=lambda lim: lim.margin / max(abs(lim.limit), 1.0))
    full = [
        lim
        for lim in limits
        if lim.unit in ("positions", "seats") and lim.margin < 1.0 and lim.actual > 0
    ]
    if full:
        return full[0]
    weights = [lim for lim in limits if lim.payload_headroom_kg is not None]
    best = min(weights, key=lambda lim: lim.payload_headroom_kg or 0.0)
    return replace(best, limit=best.actual + (best.payload_headroom_kg or 0.0))


# --- max load -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MaxLoad:
    """The most payload (kg) on the first leg of a mission and what stops more."""

    payload_kg: float
    binding_limit: str
    by_limit: dict[str, float]
    """Max payload (kg) each weight limit alone allows."""
    plan: MissionPlan


_WEIGHT_LIMITS = (
    "payload",
    "MZFW",
    "MTOW",
    "MLW",
    "runway takeoff",
    "runway landing",
    "fuel capacity",
    "fuel reserve",
    "range",
)


def max_load(m: MissionInput) -> MaxLoad:
    """Max cargo (kg) on leg 1 of ``m`` (other legs as given) within every weight limit.

    Each limit's margin shrinks monotonically as payload grows, so each limit's own maximum
    is found by bisection to 1 kg; the answer is the smallest of them.
    """

    def limits_at(kg: float) -> dict[str, Limit]:
        loads = (replace(m.loads[0], cargo_kg=kg), *m.loads[1:])
        leg = plan(replace(m, loads=loads)).legs[0]
        return {lim.name: lim for lim in leg.limits if lim.name in _WEIGHT_LIMITS}

    # Passengers on leg 1 count against the structural max payload too.
    top = m.aircraft.max_payload_kg - m.loads[0].pax * m.options.pax_mass_kg
    at_zero = limits_at(0.0)
    by_limit: dict[str, float] = {"payload": top}
    for name in at_zero:
        if name == "payload":
            continue
        if at_zero[name].violated:
            by_limit[name] = 0.0
            continue
        lo, hi = 0.0, top
        if not limits_at(hi)[name].violated:
            by_limit[name] = math.inf
            continue
        while hi - lo > 1.0:
            mid = (lo + hi) / 2.0
            lo, hi = (mid, hi) if not limits_at(mid)[name].violated else (lo, mid)
        by_limit[name] = math.floor(lo)
    binding = min(by_limit, key=lambda n: by_limit[n])
    best = by_limit[binding]
    final = plan(replace(m, loads=(replace(m.loads[0], cargo_kg=best), *m.loads[1:])))
    return MaxLoad(best, binding, by_limit, final)
