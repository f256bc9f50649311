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
from airlift.airfields import Airfield, Runway, theatre
from airlift.atmosphere import (
    Weather,
    Wind,
    density_alt_ft,
    density_ratio,
    isa_temp_c,
    pressure_alt_ft,
)
from airlift.errors import InputError
from airlift.fuel_policy import POLICIES, FuelPolicy
from airlift.performance import (
    Num,
    calibrate,
    holding_fuel_kg,
    landing_distance_m,
    runway_limited_landing_kg,
    runway_limited_takeoff_kg,
    takeoff_distance_m,
    trip_fuel_kg,
)
from airlift.units import check_finite

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

    def __post_init__(self) -> None:
        check_finite("pax_mass_kg", self.pax_mass_kg)
        check_finite("duty_limit_h", self.duty_limit_h, minimum=0.5)
        check_finite("pre_flight_min", self.pre_flight_min)
        check_finite("post_flight_min", self.post_flight_min)
        check_finite("extra_fuel_kg", self.extra_fuel_kg)
        check_finite("initial_fuel_kg", self.initial_fuel_kg)
        if self.ground_time_min is not None:
            check_finite("ground_time_min", self.ground_time_min)


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


def nearest_alternate(t: AircraftType, dest: Airfield) -> tuple[Airfield | None, float]:
    """The nearest theatre airfield with fuel and a runway the type may use, and its NM."""
    return _nearest_alternate(t.unpaved_approved, dest.icao, dest.lat, dest.lon)


@lru_cache(maxsize=4096)
def _nearest_alternate(
    unpaved_ok: bool, icao: str, lat: float, lon: float
) -> tuple[Airfield | None, float]:
    best: tuple[Airfield | None, float] = (None, math.inf)
    for a in theatre().values():
        if a.icao == icao or not _fuel_available(a):
            continue
        if not any(r.paved or unpaved_ok for r in a.open_runways()):
            continue
        d, _ = geo.inverse(lat, lon, a.lat, a.lon)
        if d < best[1]:
            best = (a, d)
    return best


# --- fuel -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Leg:
    """Geometry and loads of one leg, before fuel."""

    origin: Airfield
    dest: Airfield
    dist_nm: float
    course_deg: float
    gs_kt: float
    headwind_kt: float
    air_nm: float
    zfw_kg: float
    alt_air_nm: float


def landing_reserve_kg(
    t: AircraftType,
    k_nm: float,
    policy: FuelPolicy,
    zfw_kg: Num,
    air_nm: Num,
    alt_air_nm: Num,
) -> Num:
    """Fuel (kg) the policy requires on landing: final reserve + alternate + contingency.

    Each part is linear in the landing weight, so each is solved in closed form. Works on
    floats and on numpy arrays alike (see :mod:`airlift.leg_batch`).
    """
    hold_per_kg_min = holding_fuel_kg(t, k_nm, 1.0, 1.0)
    hr = hold_per_kg_min * policy.final_reserve_min
    weight = zfw_kg / (1.0 - hr)
    if policy.alternate:
        weight = weight + trip_fuel_kg(t, k_nm, alt_air_nm, weight)
    trip_per_kg = np.exp(air_nm / k_nm) / (1.0 - t.climb_fuel_fraction) - 1.0
    share = np.maximum(
        policy.contingency_pct / 100.0 * trip_per_kg,
        hold_per_kg_min * policy.contingency_min_minutes,
    )
    return weight / (1.0 - share) - zfw_kg  # type: ignore[no-any-return]


def _required_fuel(
    t: AircraftType,
    k: float,
    legs: Sequence[_Leg],
    policy: FuelPolicy,
    extra_kg: float,
    zfw_delta: float = 0.0,
    only: int | None = None,
) -> tuple[list[float], list[float]]:
    """Backward pass: (landing fuel required, ramp fuel required) per leg, kg."""
    n = len(legs)
    land = [0.0] * n
    ramp = [0.0] * n
    for i in reversed(range(n)):
        leg = legs[i]
        zfw = leg.zfw_kg + (zfw_delta if only in (None, i) else 0.0)
        need = float(landing_reserve_kg(t, k, policy, zfw, leg.air_nm, leg.alt_air_nm)) + extra_kg
        if i < n - 1 and not _fuel_available(leg.dest):
            need = max(need, ramp[i + 1])
        land[i] = need
        ramp[i] = need + float(trip_fuel_kg(t, k, leg.air_nm, zfw + need)) + t.taxi_fuel_kg
    return land, ramp


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
    for i, load in enumerate(m.loads):
        leg = f"leg {i + 1} {m.stops[i].icao}-{m.stops[i + 1].icao}"
        payload = load.cargo_kg + load.pax * m.options.pax_mass_kg
        if payload > t.max_payload_kg:
            raise InputError(
                f"{leg}: payload {payload:,.0f} kg exceeds the {t.designator}'s max payload "
                f"{t.max_payload_kg:,.0f} kg by {payload - t.max_payload_kg:,.0f} kg; "
                "split the load"
            )
        if load.pallets > t.pallet_positions:
            raise InputError(
                f"{leg}: {load.pallets} pallets but the {t.designator} has "
                f"{t.pallet_positions} 463L positions"
            )


def _geometry(m: MissionInput) -> list[_Leg]:
    t = m.aircraft
    legs = []
    for i, (a, b) in enumerate(zip(m.stops, m.stops[1:], strict=False)):
        dist, course = geo.inverse(a.lat, a.lon, b.lat, b.lon)
        wind = m.leg_winds[i] if m.leg_winds else m.wind
        gs = wind.ground_speed_kt(t.cruise_tas_kt, course) if wind else t.cruise_tas_kt
        head = wind.components(course)[0] if wind else 0.0
        if gs <= 1.0:
            raise InputError(f"leg {a.icao}-{b.icao}: wind leaves no ground speed")
        load = m.loads[i]
        payload = load.cargo_kg + load.pax * m.options.pax_mass_kg
        alt_nm = 0.0
        if m.options.policy.alternate:
            alt_nm = nearest_alternate(t, b)[1]
            alt_nm = 0.0 if math.isinf(alt_nm) else alt_nm
        legs.append(
            _Leg(
                a,
                b,
                dist,
                course,
                gs,
                head,
                dist * t.cruise_tas_kt / gs,
                t.oew_kg + payload,
                alt_nm,
            )
        )
    return legs


def plan(m: MissionInput) -> MissionPlan:
    """Plan a mission. Always returns a plan; broken limits are listed in ``violations``."""
    _check_input(m)
    t, opts = m.aircraft, m.options
    k = calibrate(t).k_nm
    legs = _geometry(m)
    land_need, ramp_need = _required_fuel(t, k, legs, opts.policy, opts.extra_fuel_kg)
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
    ground_min = opts.ground_time_min if opts.ground_time_min is not None else t.ground_time_min
    taxi_out = float(round(t.taxi_time_min * 2.0 / 3.0))
    duty_start = m.departure_utc.astimezone(UTC) - timedelta(minutes=opts.pre_flight_min)
    etd = m.departure_utc.astimezone(UTC)
    fob = opts.initial_fuel_kg
    out: list[Leg] = []
    for i, leg in enumerate(legs):
        uplift = 0.0
        if _fuel_available(leg.origin) or (i == 0 and not opts.initial_fuel_kg):
            uplift = max(0.0, min(ramp_need[i], t.max_fuel_kg) - fob)
        ramp = fob + uplift
        tow = leg.zfw_kg + ramp - t.taxi_fuel_kg
        lw = tow * (1.0 - t.climb_fuel_fraction) * math.exp(-leg.air_nm / k)
        reserve = (
            land_need[i]
            if i == len(legs) - 1 or _fuel_available(leg.dest)
            else (
                float(landing_reserve_kg(t, k, opts.policy, leg.zfw_kg, leg.air_nm, leg.alt_air_nm))
                + opts.extra_fuel_kg
            )
        )
        # Whole minutes, rounded up: schedules are written to the minute.
        flight_min = float(math.ceil(leg.dist_nm / leg.gs_kt * 60.0 + t.climb_descent_extra_min))
        takeoff = etd + timedelta(minutes=taxi_out)
        landing = takeoff + timedelta(minutes=flight_min)
        eta = landing + timedelta(minutes=t.taxi_time_min - taxi_out)
        out.append(
            _finish_leg(
                m,
                k,
                legs,
                i,
                leg,
                uplift,
                ramp,
                tow,
                lw,
                reserve,
                etd,
                takeoff,
                landing,
                eta,
                duty_start,
                flight_min,
                (land_need, ramp_need),
            )
        )
        fob = lw - leg.zfw_kg
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


def _finish_leg(
    m: MissionInput,
    k: float,
    legs: list[_Leg],
    i: int,
    leg: _Leg,
    uplift: float,
    ramp: float,
    tow: float,
    lw: float,
    reserve: float,
    etd: datetime,
    takeoff: datetime,
    landing: datetime,
    eta: datetime,
    duty_start: datetime,
    flight_min: float,
    base_need: tuple[list[float], list[float]],
) -> Leg:
    t, opts = m.aircraft, m.options
    load = m.loads[i]
    wx_o, wx_d = surface_weather(leg.origin, m.weather), surface_weather(leg.dest, m.weather)
    sig_o, da_o = density_at(leg.origin, wx_o)
    sig_d, da_d = density_at(leg.dest, wx_d)
    rwy_to, rtow = _best_runway(
        leg.origin.runways,
        lambda r: runway_limited_takeoff_kg(t, r.length_m or 0.0, sig_o, da_o, r.paved),
    )
    rwy_ld, rlw = _best_runway(
        leg.dest.runways,
        lambda r: runway_limited_landing_kg(t, r.length_m or 0.0, sig_d, da_d, r.paved),
    )
    # Sensitivity of fuel to payload on this leg (kg fuel per kg payload), for headroom.
    land_p, ramp_p = _required_fuel(t, k, legs, opts.policy, opts.extra_fuel_kg, 1000.0, i)
    land_0, ramp_0 = base_need
    d_ramp = (ramp_p[i] - ramp_0[i]) / 1000.0
    d_land = (land_p[i] - land_0[i]) / 1000.0
    payload = leg.zfw_kg - t.oew_kg
    landing_fuel = lw - leg.zfw_kg
    seats_avail = (
        t.seats
        if not t.pallet_positions
        else math.floor(
            t.seats * (1.0 - min(load.pallets, t.pallet_positions) / t.pallet_positions)
        )
    )
    limits = [
        Limit(
            "payload", t.max_payload_kg, payload, "kg", "max payload", t.max_payload_kg - payload
        ),
        Limit("MZFW", t.mzfw_kg, leg.zfw_kg, "kg", "max zero-fuel weight", t.mzfw_kg - leg.zfw_kg),
        Limit(
            "MTOW", t.mtow_kg, tow, "kg", "max take-off weight", (t.mtow_kg - tow) / (1.0 + d_ramp)
        ),
        Limit("MLW", t.mlw_kg, lw, "kg", "max landing weight", (t.mlw_kg - lw) / (1.0 + d_land)),
        Limit(
            "fuel capacity",
            t.max_fuel_kg,
            ramp_0[i],
            "kg",
            f"ramp fuel required {ramp_0[i]:,.0f} kg",
            (t.max_fuel_kg - ramp_0[i]) / d_ramp if d_ramp > 0 else None,
        ),
        Limit(
            "fuel reserve",
            landing_fuel,
            reserve,
            "kg",
            f"lands with {landing_fuel:,.0f} kg, {opts.policy.name} reserves need "
            f"{reserve:,.0f} kg",
        ),
        _range_limit(t, k, leg, min(t.mtow_kg, rtow), reserve),
        Limit("pallets", t.pallet_positions, load.pallets, "positions", "463L positions"),
        Limit(
            "seats",
            seats_avail,
            load.pax,
            "seats",
            f"{seats_avail} seats beside {load.pallets} pallets",
        ),
    ]
    if rwy_to is not None:
        todr = takeoff_distance_m(t, tow, sig_o, da_o, rwy_to.paved)
        limits.append(
            Limit(
                "runway takeoff",
                rtow,
                tow,
                "kg",
                f"{leg.origin.icao} {rwy_to.ident} {rwy_to.length_m:,.0f} m "
                f"{rwy_to.surface}, needs {todr:,.0f} m at DA {da_o:,.0f} ft",
                (rtow - tow) / (1.0 + d_ramp),
            )
        )
    if rwy_ld is not None:
        ldr = landing_distance_m(t, lw, sig_d, da_d, rwy_ld.paved)
        limits.append(
            Limit(
                "runway landing",
                rlw,
                lw,
                "kg",
                f"{leg.dest.icao} {rwy_ld.ident} {rwy_ld.length_m:,.0f} m "
                f"{rwy_ld.surface}, needs {ldr:,.0f} m at DA {da_d:,.0f} ft",
                (rlw - lw) / (1.0 + d_land),
            )
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
    alt, alt_nm = nearest_alternate(t, leg.dest) if opts.policy.alternate else (None, 0.0)
    sources = {wx_o.source, wx_d.source}
    return Leg(
        index=i,
        origin=leg.origin.icao,
        destination=leg.dest.icao,
        dist_nm=leg.dist_nm,
        course_deg=leg.course_deg,
        tas_kt=t.cruise_tas_kt,
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
        takeoff_runway=rwy_to.ident if rwy_to else "",
        landing_runway=rwy_ld.ident if rwy_ld else "",
        alternate=alt.icao if alt else "",
        alternate_nm=alt_nm if alt else 0.0,
        limits=tuple(limits),
        binding_limit=binding.name,
        margin=binding.margin,
        margin_unit=binding.unit,
    )


def _range_limit(t: AircraftType, k: float, leg: _Leg, max_tow: float, reserve: float) -> Limit:
    """Air distance (NM) reachable with the most fuel the tanks and MTOW allow."""
    tow = min(max_tow, leg.zfw_kg + t.max_fuel_kg - t.taxi_fuel_kg)
    landing = leg.zfw_kg + reserve
    ratio = tow * (1.0 - t.climb_fuel_fraction) / landing
    reach = k * math.log(ratio) if ratio > 1.0 else 0.0
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
