"""The legs of a mission before fuel: the path flown (around active zones), distance, course,
wind, cruise level, TAS, the countries under the path, and the alternate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, timedelta
from functools import lru_cache

import numpy as np

from airlift import geo
from airlift.aircraft import AircraftType
from airlift.airfields import Airfield
from airlift.airspace.countries import CountryPassage
from airlift.airspace.routing import Route
from airlift.alternates import Alternate, choose_alternate
from airlift.errors import InputError
from airlift.fuel_policy import FuelPolicy
from airlift.mission.airspace import NO_AIRSPACE, direct_route, leg_window, passages
from airlift.mission.clock import ground_min
from airlift.mission.inputs import MissionInput
from airlift.mission.runways import landing_need_m
from airlift.performance import choose_level_ft, tables


@dataclass(frozen=True, slots=True)
class RouteLeg:
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
    path: Route
    """The path flown: the great circle, or around the zones active on the leg."""
    countries: tuple[CountryPassage, ...] | None
    """The countries under the path in order; None: the borders file is not installed."""


def alternate_for(t: AircraftType, dest: Airfield, policy: FuelPolicy) -> Alternate | None:
    """The policy's destination alternate: the nearest known airfield with fuel and a runway
    that holds the type's landing at its maximum landing weight (ISA, the policy's basis)."""
    need = landing_need_m(t, policy)
    return choose_alternate(
        dest,
        min_runway_m=need,
        unpaved_ok=t.unpaved_approved,
        need_fuel=True,
        max_nm=policy.max_alternate_nm,
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


def route_legs(m: MissionInput, speed: str) -> list[RouteLeg]:
    """Every leg of ``m`` on the ``speed`` schedule: the path (around the zones of
    ``m.airspace`` active at the leg's level and estimated time), WGS84 distance and course,
    the wind triangle, the cruise level (``--fl`` or the best), the TAS, the countries under
    the path and the destination alternate.

    A routed leg is longer than the great circle: its level is chosen for the routed distance
    and the wind is taken along the direct course (a detour's doglegs see the same wind)."""
    t, opts = m.aircraft, m.options
    airspace = m.airspace or NO_AIRSPACE
    start = m.departure_utc.astimezone(UTC)
    turnaround = ground_min(m)
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
        level, tas = _level_tas(m, speed, isa, dist, w_mid, a, b)
        gs = wind.ground_speed_kt(tas, course) if wind else tas
        head = wind.components(course)[0] if wind else 0.0
        if gs <= 1.0:
            raise InputError(f"leg {a.icao}-{b.icao}: wind leaves no ground speed")
        path = direct_route(a, b)
        if airspace.zones:
            path = airspace.route(a, b, level, leg_window(start, 60.0 * dist / gs))
            if path.distance_nm > dist + 0.5:
                dist = path.distance_nm
                level, tas = _level_tas(m, speed, isa, dist, w_mid, a, b)
                gs = wind.ground_speed_kt(tas, course) if wind else tas
        alt = alternate_for(t, b, opts.policy) if opts.policy.alternate else None
        alt_nm = alt.dist_nm if alt else (math.inf if opts.policy.alternate else 0.0)
        legs.append(
            RouteLeg(
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
                path,
                passages(path.points),
            )
        )
        start += timedelta(minutes=60.0 * dist / gs + t.taxi_time_min + turnaround)
    return legs


def _level_tas(
    m: MissionInput, speed: str, isa: float, dist: float, w_mid: float, a: Airfield, b: Airfield
) -> tuple[float, float]:
    """(cruise level ft, TAS kt) of a leg of ``dist`` NM."""
    t, opts = m.aircraft, m.options
    if opts.fl is not None:
        level = round(opts.fl) * 100.0
    else:
        level = _level(t, speed, isa, round(dist), round(w_mid, -1), a.elevation_ft, b.elevation_ft)
    tab = tables(t, speed, isa)
    return level, float(np.interp(w_mid, tab.weights_kg, tab.tas_kt[int(level // 1000)]))
