"""Vectorised single-leg screening: fuel, weights and runway for many candidate legs at once.

The scheduler asks "can this type fly this payload from A to B, and at what fuel and time?"
for a great many (A, B, payload) triples. :func:`evaluate` answers with numpy arrays, using
the same fuel plan as the mission planner (:func:`airlift.fuel_plan.required` on the
performance model's tables). It assumes fuel is available at the destination (no tankering),
still air and ISA; the full planner re-checks every leg it keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from airlift import geo
from airlift.aircraft import AircraftType
from airlift.airfields import Airfield
from airlift.atmosphere import Weather, pressure_alt_ft
from airlift.fuel_plan import required
from airlift.fuel_policy import FuelPolicy
from airlift.mission import alternate_for, surface_weather
from airlift.mission.runways import runway_weight_kg
from airlift.performance import choose_level_ft, parse_speed

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Network:
    """Per-airfield and per-pair quantities for one type and policy, computed once."""

    airfields: tuple[Airfield, ...]
    dist_nm: F64
    """dist_nm[i, j]: geodesic distance from airfield i to j."""
    alt_nm: F64
    """Distance from each airfield to its alternate; inf where the policy wants one and none
    is near enough (isolated-aerodrome fuel), 0 where the policy wants none."""
    rtow_kg: F64
    """Runway-limited take-off weight at each airfield (best open runway, its OAT)."""
    rlw_kg: F64
    elevation_ft: F64


def network(
    t: AircraftType,
    airfields: Sequence[Airfield],
    weather: dict[str, Weather] | None = None,
    policy: FuelPolicy | None = None,
    dist_nm: npt.NDArray[np.float64] | None = None,
) -> Network:
    """The pairwise data of ``airfields`` for ``t``; ``dist_nm``: the distances to fly
    between them (routed around zones) instead of the great circles."""
    from airlift.fuel_policy import POLICIES

    pol = policy or POLICIES["icao"]
    n = len(airfields)
    dist = np.zeros((n, n))
    for i, a in enumerate(airfields):
        for j, b in enumerate(airfields):
            if i != j:
                dist[i, j] = geo.inverse(a.lat, a.lon, b.lat, b.lon)[0]
    if dist_nm is not None:
        dist = np.maximum(dist, dist_nm)
    alt = np.zeros(n)
    if pol.alternate:
        for i, a in enumerate(airfields):
            found = alternate_for(t, a, pol)
            alt[i] = found.dist_nm if found else np.inf
    rtow, rlw = np.zeros(n), np.zeros(n)
    for i, a in enumerate(airfields):
        wx = surface_weather(a, weather or {})
        pa = round(pressure_alt_ft(a.elevation_ft, wx.qnh_hpa))
        usable = [r for r in a.open_runways() if r.length_m]
        rtow[i] = max(
            (
                runway_weight_kg(
                    t,
                    True,
                    r.length_m or 0.0,
                    pa,
                    round(wx.oat_c),
                    r.paved,
                    pol.takeoff_basis,
                    1.0,
                )
                for r in usable
            ),
            default=0.0,
        )
        rlw[i] = max(
            (
                runway_weight_kg(
                    t,
                    False,
                    r.length_m or 0.0,
                    pa,
                    round(wx.oat_c),
                    r.paved,
                    pol.landing_basis,
                    pol.landing_factor,
                    pol.reverse_credit,
                )
                for r in usable
            ),
            default=0.0,
        )
    elev = np.array([a.elevation_ft for a in airfields], dtype=float)
    return Network(tuple(airfields), dist, alt, rtow, rlw, elev)


@dataclass(frozen=True, slots=True)
class LegResults:
    """Arrays, one entry per leg: kg, min; ``feasible`` when no weight limit is broken."""

    trip_fuel_kg: F64
    reserve_kg: F64
    ramp_fuel_kg: F64
    tow_kg: F64
    lw_kg: F64
    flight_time_min: F64
    feasible: npt.NDArray[np.bool_]


def evaluate(
    t: AircraftType,
    net: Network,
    policy: FuelPolicy,
    origin: npt.NDArray[np.intp],
    dest: npt.NDArray[np.intp],
    payload_kg: F64,
    min_landing_fuel_kg: F64 | None = None,
) -> LegResults:
    """Evaluate legs ``origin[i] -> dest[i]`` carrying ``payload_kg[i]`` (indices into net),
    at the type's normal speed schedule, the best level for each leg, ISA.

    ``min_landing_fuel_kg`` raises the fuel kept on landing (tankering for the next leg)."""
    speed = parse_speed(t.normal_speed)
    air = np.maximum(net.dist_nm[origin, dest], 1.0)
    zfw = t.oew_kg + payload_kg
    o_ft, d_ft = net.elevation_ft[origin], net.elevation_ft[dest]
    w_mid = np.minimum(t.mtow_kg, zfw + 0.25 * t.max_fuel_kg)
    level = choose_level_ft(t, speed, 0.0, air, w_mid, o_ft, d_ft)
    floor = 0.0 if min_landing_fuel_kg is None else min_landing_fuel_kg
    r = required(t, policy, speed, 0.0, zfw, air, level, o_ft, d_ft, net.alt_nm[dest], 0.0, floor)
    reserve = np.asarray(r.landing_kg)
    trip = np.asarray(r.profile.trip_kg)
    tow = np.asarray(r.profile.tow_kg)
    lw = np.asarray(r.profile.lw_kg)
    ramp = reserve + trip + t.taxi_fuel_kg
    feasible = (
        (payload_kg <= t.max_payload_kg)
        & (zfw <= t.mzfw_kg)
        & (tow <= t.mtow_kg)
        & (lw <= t.mlw_kg)
        & (ramp <= t.max_fuel_kg)
        & (tow <= net.rtow_kg[origin])
        & (lw <= net.rlw_kg[dest])
        & (origin != dest)
    )
    flight = np.ceil(np.asarray(r.profile.time_min))
    return LegResults(trip, reserve, ramp, tow, lw, flight, feasible)


def max_payload_kg(
    t: AircraftType,
    net: Network,
    policy: FuelPolicy,
    origin: npt.NDArray[np.intp],
    dest: npt.NDArray[np.intp],
) -> F64:
    """The most payload (kg, to 5 kg) each direct leg can carry within every weight limit;
    0 where even an empty aircraft cannot fly it. Where the destination has no fuel, the
    aircraft must land with the fuel to fly back to the origin empty (tankering)."""
    no_fuel = np.array([not a.planning.fuel_available for a in net.airfields])[dest]
    back = evaluate(t, net, policy, dest, origin, np.zeros(len(dest)))
    tanker = np.where(no_fuel, back.ramp_fuel_kg, 0.0)
    lo = np.zeros(len(dest))
    hi = np.full(len(dest), t.max_payload_kg)
    ok_hi = evaluate(t, net, policy, origin, dest, hi, tanker).feasible
    for _ in range(12):
        mid = (lo + hi) / 2.0
        ok = evaluate(t, net, policy, origin, dest, mid, tanker).feasible
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
    empty_ok = evaluate(t, net, policy, origin, dest, np.zeros(len(dest)), tanker).feasible
    result: F64 = np.where(ok_hi, t.max_payload_kg, np.where(empty_ok, lo, 0.0))
    return result
