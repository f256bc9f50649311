"""Vectorised single-leg screening: fuel, weights and runway for many candidate legs at once.

The scheduler asks "can this type fly this payload from A to B, and at what fuel and time?"
for a great many (A, B, payload) triples. :func:`evaluate` answers with numpy arrays, using
the same fuel equations as the mission planner (:func:`airlift.mission.landing_reserve_kg`,
:func:`airlift.performance.trip_fuel_kg`). It assumes fuel is available at the destination
(no tankering) and still air; the full planner re-checks every leg it keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from airlift import geo
from airlift.aircraft import AircraftType
from airlift.airfields import Airfield
from airlift.atmosphere import Weather
from airlift.fuel_policy import FuelPolicy
from airlift.mission import density_at, landing_reserve_kg, nearest_alternate, surface_weather
from airlift.performance import (
    calibrate,
    runway_limited_landing_kg,
    runway_limited_takeoff_kg,
    trip_fuel_kg,
)

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Network:
    """Per-airfield and per-pair quantities for one type, computed once."""

    airfields: tuple[Airfield, ...]
    dist_nm: F64
    """dist_nm[i, j]: geodesic distance from airfield i to j."""
    alt_nm: F64
    """Distance from each airfield to its nearest alternate with fuel."""
    rtow_kg: F64
    """Runway-limited take-off weight at each airfield (best open runway, its OAT)."""
    rlw_kg: F64


def network(
    t: AircraftType, airfields: Sequence[Airfield], weather: dict[str, Weather] | None = None
) -> Network:
    n = len(airfields)
    dist = np.zeros((n, n))
    for i, a in enumerate(airfields):
        for j, b in enumerate(airfields):
            if i != j:
                dist[i, j] = geo.inverse(a.lat, a.lon, b.lat, b.lon)[0]
    alt = np.array([nearest_alternate(t, a)[1] for a in airfields])
    alt[np.isinf(alt)] = 0.0  # no alternate in the theatre: none planned
    rtow, rlw = np.zeros(n), np.zeros(n)
    for i, a in enumerate(airfields):
        sigma, da = density_at(a, surface_weather(a, weather or {}))
        usable = [r for r in a.open_runways() if r.length_m]
        rtow[i] = max(
            (runway_limited_takeoff_kg(t, r.length_m or 0.0, sigma, da, r.paved) for r in usable),
            default=0.0,
        )
        rlw[i] = max(
            (runway_limited_landing_kg(t, r.length_m or 0.0, sigma, da, r.paved) for r in usable),
            default=0.0,
        )
    return Network(tuple(airfields), dist, alt, rtow, rlw)


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
    """Evaluate legs ``origin[i] -> dest[i]`` carrying ``payload_kg[i]`` (indices into net).

    ``min_landing_fuel_kg`` raises the fuel kept on landing (tankering for the next leg)."""
    k = calibrate(t).k_nm
    air = net.dist_nm[origin, dest]
    zfw = t.oew_kg + payload_kg
    reserve = landing_reserve_kg(t, k, policy, zfw, air, net.alt_nm[dest])
    if min_landing_fuel_kg is not None:
        reserve = np.maximum(reserve, min_landing_fuel_kg)
    lw = zfw + reserve
    trip = trip_fuel_kg(t, k, air, lw)
    ramp = reserve + trip + t.taxi_fuel_kg
    tow = lw + trip
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
    flight = np.ceil(air / t.cruise_tas_kt * 60.0 + t.climb_descent_extra_min)
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
