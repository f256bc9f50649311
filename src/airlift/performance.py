"""Aircraft performance: fuel burn (Breguet), payload-range, take-off and landing distance.

Fuel burn
    Cruise follows the Breguet range equation for a propeller aircraft at constant speed:
    over an air distance ``d`` the weight falls by a factor ``exp(d / k)``, where the range
    factor ``k`` (NM) lumps propeller efficiency, L/D and specific fuel consumption. Climb
    and descent add ``climb_fuel_fraction`` of the take-off weight and
    ``climb_descent_extra_min`` minutes. ``k`` is calibrated per type to its published
    payload-range points (:func:`calibrate`); the residual of each point is kept.

Runway distances
    Generic model calibrated to the type's published distance at a reference weight, ISA sea
    level: take-off distance scales with (W/W_ref)^2 / sigma^2, landing with (W/W_ref) / sigma,
    where sigma is the density ratio (ICAO's design correction, +7 % per 300 m and +1 % per
    °C, gives the same order). A published ground run is turned into a distance over 50 ft
    by ``AIR_DISTANCE_FACTOR``; unpaved surfaces multiply by ``UNPAVED_*_FACTOR``.
    Flight-manual tables in the type file take precedence when present.

All of these are planning estimates, not flight-manual performance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from airlift.aircraft import AircraftType, PayloadRangePoint, RunwayTable

# Generic factors, each an assumption a flight-manual table would replace.
AIR_DISTANCE_FACTOR = 1.35
"""Distance to 50 ft / ground run (take-off) and from 50 ft / ground roll (landing).
Assumption: typical ratio for turboprop transports (e.g. DHC-6: 366 m over 50 ft)."""
UNPAVED_TAKEOFF_FACTOR = 1.2
"""Assumption: rolling friction on dry laterite/gravel lengthens the take-off run by 20 %."""
UNPAVED_LANDING_FACTOR = 1.3
"""Assumption: lower braking friction on dry laterite/gravel lengthens the landing by 30 %."""
CALIBRATION_RESERVE_MIN = 30.0
"""Assumption: a published range leaves 30 min of holding fuel in the tanks, unless the
point states its own reserve (``reserve_min``)."""

Num = TypeVar("Num", float, npt.NDArray[np.float64])


# --- fuel ---------------------------------------------------------------------------------------


def trip_fuel_kg(t: AircraftType, k_nm: float, air_nm: Num, landing_weight_kg: Num) -> Num:
    """Trip fuel (kg) from take-off to landing for an air distance, given the landing weight.

    Working back from the landing weight makes the Breguet equation closed-form:
    TOW = LW * exp(d/k) / (1 - climb_fuel_fraction).
    """
    tow = landing_weight_kg * np.exp(air_nm / k_nm) / (1.0 - t.climb_fuel_fraction)
    return tow - landing_weight_kg  # type: ignore[no-any-return]


def fuel_flow_kg_h(t: AircraftType, k_nm: float, weight_kg: float) -> float:
    """Cruise fuel flow (kg/h) at a weight: the Breguet rate W * TAS / k."""
    return weight_kg * t.cruise_tas_kt / k_nm


def holding_fuel_kg(t: AircraftType, k_nm: float, weight_kg: float, minutes: float) -> float:
    """Fuel (kg) to hold ``minutes`` at max-endurance speed at a weight."""
    return t.holding_fuel_factor * fuel_flow_kg_h(t, k_nm, weight_kg) * minutes / 60.0


def flight_time_min(t: AircraftType, ground_nm: Num, ground_speed_kt: Num) -> Num:
    """Airborne time (min): cruise at ground speed plus the climb/descent allowance."""
    return ground_nm / ground_speed_kt * 60.0 + t.climb_descent_extra_min


# --- calibration --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalibrationPoint:
    point: PayloadRangePoint
    predicted_nm: float

    @property
    def residual_pct(self) -> float:
        return (self.predicted_nm / self.point.range_nm - 1.0) * 100.0


@dataclass(frozen=True, slots=True)
class FuelModel:
    """The calibrated fuel model of a type: the range factor and how well it fits."""

    type: AircraftType
    k_nm: float
    fitted: tuple[CalibrationPoint, ...]
    held_out: tuple[CalibrationPoint, ...]
    excluded: tuple[CalibrationPoint, ...]


def point_takeoff_weight(t: AircraftType, p: PayloadRangePoint) -> float:
    """Take-off weight (kg) behind a published point: MTOW-limited with full tanks."""
    fuel = p.fuel_kg if p.fuel_kg is not None else t.max_fuel_kg
    return min(p.tow_kg or t.mtow_kg, t.oew_kg + p.payload_kg + fuel)


def predicted_range_nm(t: AircraftType, k_nm: float, p: PayloadRangePoint) -> float:
    """Still-air range (NM) the model gives for a published point's payload and fuel."""
    tow = point_takeoff_weight(t, p)
    # Landing weight W keeps the calibration reserve: W = ZFW + hold(W), linear in W.
    reserve_min = CALIBRATION_RESERVE_MIN if p.reserve_min is None else p.reserve_min
    hold_per_kg = t.holding_fuel_factor * t.cruise_tas_kt / k_nm * reserve_min / 60
    landing = (t.oew_kg + p.payload_kg) / (1.0 - hold_per_kg)
    if landing >= tow * (1.0 - t.climb_fuel_fraction):
        return 0.0
    return k_nm * math.log(tow * (1.0 - t.climb_fuel_fraction) / landing)


def _golden_min(f: object, lo: float, hi: float, tol: float = 0.01) -> float:
    # scipy.optimize would do this, but importing it costs ~0.6 s, more than half the CLI's
    # 1 s cold-start budget, for a one-dimensional smooth fit: golden-section is 10 lines.
    assert callable(f)
    g = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = lo, hi
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol:
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = f(d)
    return (a + b) / 2.0


@cache
def calibrate(t: AircraftType) -> FuelModel:
    """Fit the range factor k (NM) to the type's published points, holdouts excluded.

    Least squares on relative range error, so a 4,500 NM ferry point does not outweigh a
    600 NM one.
    """
    fit = [p for p in t.payload_range if not p.holdout and not p.excluded]

    def sse(k: float) -> float:
        return sum((predicted_range_nm(t, k, p) / p.range_nm - 1.0) ** 2 for p in fit)

    k = _golden_min(sse, 100.0, 200_000.0)

    def points(ps: list[PayloadRangePoint]) -> tuple[CalibrationPoint, ...]:
        return tuple(CalibrationPoint(p, predicted_range_nm(t, k, p)) for p in ps)

    held = [p for p in t.payload_range if p.holdout and not p.excluded]
    excluded = [p for p in t.payload_range if p.excluded]
    return FuelModel(t, k, points(fit), points(held), points(excluded))


def payload_range_curve(
    t: AircraftType, n: int = 60
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(range_nm, payload_kg) along the payload-range diagram's boundary, for plotting."""
    k = calibrate(t).k_nm
    payload = np.linspace(t.max_payload_kg, 0.0, n)
    ranges = np.array(
        [
            predicted_range_nm(t, k, PayloadRangePoint(range_nm=1, payload_kg=p, source="model"))
            for p in payload
        ]
    )
    ferry = predicted_range_nm(
        t,
        k,
        PayloadRangePoint(
            range_nm=1,
            payload_kg=0,
            fuel_kg=min(t.max_fuel_kg, t.mtow_kg - t.oew_kg),
            source="model",
        ),
    )
    return np.concatenate([[0.0], ranges, [ferry]]), np.concatenate(
        [[t.max_payload_kg], payload, [0.0]]
    )


# --- runway distances -----------------------------------------------------------------------------


def _bilinear(table: RunwayTable, weight_kg: float, da_ft: float) -> float:
    # Bilinear interpolation on the manual's grid, clamped to it (never extrapolated);
    # scipy's RegularGridInterpolator would cost a 0.6 s import for four lines of numpy.
    w = np.clip(weight_kg, table.weights_kg[0], table.weights_kg[-1])
    a = np.clip(da_ft, table.density_alt_ft[0], table.density_alt_ft[-1])
    per_weight = [np.interp(a, table.density_alt_ft, row) for row in table.distance_m]
    return float(np.interp(w, table.weights_kg, per_weight))


def takeoff_distance_m(
    t: AircraftType, weight_kg: float, sigma: float, density_alt: float, paved: bool
) -> float:
    """Take-off distance required to 50 ft (m) at a weight, density ratio and surface."""
    surface = 1.0 if paved else UNPAVED_TAKEOFF_FACTOR
    if t.takeoff_table is not None:
        return _bilinear(t.takeoff_table, weight_kg, density_alt) * surface
    air = 1.0 if t.takeoff_distance_basis == "over_50ft" else AIR_DISTANCE_FACTOR
    ratio = weight_kg / t.takeoff_ref_weight_kg
    return t.takeoff_distance_m * air * surface * ratio * ratio / (sigma * sigma)


def landing_distance_m(
    t: AircraftType, weight_kg: float, sigma: float, density_alt: float, paved: bool
) -> float:
    """Landing distance required from 50 ft (m) at a weight, density ratio and surface."""
    surface = 1.0 if paved else UNPAVED_LANDING_FACTOR
    if t.landing_table is not None:
        return _bilinear(t.landing_table, weight_kg, density_alt) * surface
    air = 1.0 if t.landing_distance_basis == "over_50ft" else AIR_DISTANCE_FACTOR
    return t.landing_distance_m * air * surface * (weight_kg / t.landing_ref_weight_kg) / sigma


def _max_weight_for(distance: object, available_m: float, hi: float) -> float:
    # Distances grow monotonically with weight: bisection to 1 kg.
    assert callable(distance)
    lo = 0.0
    if distance(hi) <= available_m:
        return hi
    while hi - lo > 1.0:
        mid = (lo + hi) / 2.0
        if distance(mid) <= available_m:
            lo = mid
        else:
            hi = mid
    return lo


def runway_limited_takeoff_kg(
    t: AircraftType, available_m: float, sigma: float, density_alt: float, paved: bool
) -> float:
    """The highest take-off weight (kg) whose distance fits the runway (may exceed MTOW)."""
    if not paved and not t.unpaved_approved:
        return 0.0
    if t.takeoff_table is None:
        air = 1.0 if t.takeoff_distance_basis == "over_50ft" else AIR_DISTANCE_FACTOR
        surface = 1.0 if paved else UNPAVED_TAKEOFF_FACTOR
        return (
            t.takeoff_ref_weight_kg
            * sigma
            * math.sqrt(available_m / (t.takeoff_distance_m * air * surface))
        )
    return _max_weight_for(
        lambda w: takeoff_distance_m(t, w, sigma, density_alt, paved), available_m, 2 * t.mtow_kg
    )


def runway_limited_landing_kg(
    t: AircraftType, available_m: float, sigma: float, density_alt: float, paved: bool
) -> float:
    """The highest landing weight (kg) whose distance fits the runway (may exceed MLW)."""
    if not paved and not t.unpaved_approved:
        return 0.0
    if t.landing_table is None:
        air = 1.0 if t.landing_distance_basis == "over_50ft" else AIR_DISTANCE_FACTOR
        surface = 1.0 if paved else UNPAVED_LANDING_FACTOR
        return (
            t.landing_ref_weight_kg * sigma * available_m / (t.landing_distance_m * air * surface)
        )
    return _max_weight_for(
        lambda w: landing_distance_m(t, w, sigma, density_alt, paved), available_m, 2 * t.mtow_kg
    )
