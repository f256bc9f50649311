"""Performance tables built from the point-mass model, as a flight manual tabulates them.

For a type, a speed schedule and an ISA deviation, :func:`tables` computes once (cached):

- cruise, per flight level (every 1,000 ft) and weight (a uniform grid): the schedule's TAS,
  fuel flow, specific air range, and the running integrals of air distance and time over
  weight, so that cruise fuel for any distance is an interpolation, not an integration;
- climb from sea level to each level at the climb rating and the speed of best climb rate,
  per take-off weight: time, air distance and fuel;
- descent from each level to sea level at flight idle: time, air distance and fuel;
- the best level for each weight (the most air miles per kg).

Speed schedules, solved on a grid of speeds between 1.3 V_stall and the fastest the power
(max cruise rating) or MMO/VMO allow:

``max-endurance``  least fuel per hour;
``mrc``            maximum-range cruise, most air miles per kg;
``lrc``            long-range cruise, the fastest speed that keeps 99 % of the MRC miles per kg;
``mcr``            maximum cruise, the fastest speed at max cruise power/thrust;
a number           that TAS (kt), where the aircraft can fly it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from airlift.aircraft import AircraftType
from airlift.errors import FieldError
from airlift.performance.pointmass import (
    F64,
    STALL_MARGIN,
    atmosphere,
    available,
    demand_for,
    drag_n,
    fuel_flow_for,
    max_operating_tas_kt,
    rate_of_climb_fpm,
    stall_tas_kt,
)

SCHEDULES = ("mrc", "lrc", "mcr", "max-endurance")
LEVEL_STEP_FT = 1000.0
N_WEIGHTS = 40
N_SPEEDS = 120
LRC_SHARE = 0.99
ENERGY_SHARE = 0.85
"""Share of the excess power that goes into climbing; the rest accelerates the aircraft as
TAS grows with altitude at constant IAS (assumption, the usual 0.85-0.9 of climb tables)."""
MIN_CLIMB_FPM = 100.0
"""Service ceiling definition: where the rate of climb falls to 100 ft/min."""
DESCENT_FPM = {"turboprop": 1500.0, "turbofan": 2500.0}
"""Planning rates of descent (assumption: typical transport descents)."""
_TAS = re.compile(r"^\d+(\.\d+)?$")


def parse_speed(spec: str) -> str:
    """Validate a speed schedule name or a TAS in kt; returns it normalised."""
    text = str(spec).strip().lower()
    if text in SCHEDULES:
        return text
    if _TAS.match(text) and 40.0 <= float(text) <= 600.0:
        return f"{float(text):g}"
    raise FieldError(
        "speed",
        f"speed: unknown speed schedule {spec!r}; use mrc, lrc, mcr, max-endurance or a TAS "
        "in kt between 40 and 600",
    )


@dataclass(frozen=True, slots=True)
class Tables:
    """Arrays over levels (rows, ``levels_ft``) and weights (columns, ``weights_kg``)."""

    type: AircraftType
    speed: str
    isa_dev_c: float
    levels_ft: F64
    weights_kg: F64
    tas_kt: F64
    fuel_flow_kg_h: F64
    cruise_ok: np.ndarray
    """False where the schedule cannot be flown (too heavy for the level, above the ceiling)."""
    sar_nm_kg: F64
    """Specific air range: air NM per kg of fuel."""
    ok_f: F64
    """cruise_ok as 0.0/1.0, for interpolation."""
    x_nm: F64
    """Air NM flown in cruise while the weight falls from weights_kg[j] to weights_kg[0]."""
    t_h: F64
    climb_min: F64
    climb_nm: F64
    climb_kg: F64
    descent_min: F64
    descent_nm: F64
    descent_kg: F64
    best_level_ft: F64
    """Per weight: the level with the most air miles per kg among those the type can reach."""
    climb3: F64
    """climb_min, climb_nm, climb_kg stacked on a last axis: one gather reads all three."""
    cruise2: F64
    """x_nm and sar_nm_kg stacked on a last axis."""
    span_nm: F64
    """Climb from sea level plus descent to sea level (air NM) per level and weight, made
    non-decreasing in level; inf where the level cannot be reached at that weight."""
    step_x_nm: F64
    """Per weight: air NM of a cruise that steps up to the best reachable level as the weight
    falls (running integral over weight of the best specific air range, step-climb fuel
    neglected), from weights_kg[0]."""
    step_t_h: F64
    """Per weight: hours along that same step-climb cruise."""
    loiter_t_h: F64
    """Per weight: hours of a cruise that steps to the level of least fuel flow."""
    loiter_x_nm: F64
    """Per weight: air NM along that same cruise."""
    loiter_level_ft: F64
    """Per weight: the level of least fuel flow the type can reach."""

    w0: float
    """First weight of the grid (kg)."""
    inv_dw: float
    """1 / the weight step of the grid (1/kg)."""
    jmax: float
    """Largest fractional column index (just under the last column)."""


def _speed_grid(t: AircraftType, w: F64, sigma: F64, sound: F64) -> F64:
    """(levels, weights, speeds) grid of TAS from 1.3 V_stall to the fastest allowed."""
    lo = STALL_MARGIN * stall_tas_kt(t, w, sigma)
    hi = np.maximum(max_operating_tas_kt(t, sigma, sound), lo * 1.01)
    u = np.linspace(0.0, 1.0, N_SPEEDS)
    return lo[..., None] + (hi - lo)[..., None] * u


def _schedule(
    t: AircraftType, speed: str, w: F64, alt: F64, isa: float
) -> tuple[F64, F64, np.ndarray]:
    """(TAS kt, fuel flow kg/h, feasible) of a schedule at weights ``w`` and altitudes ``alt``
    (broadcastable arrays)."""
    sigma, sound = atmosphere(alt, isa)
    w, sigma, sound = np.broadcast_arrays(w, sigma, sound)
    if _TAS.match(speed):
        v = np.full(w.shape, float(speed))
        mach = v / sound
        dem = demand_for(t, drag_n(t, w, v, sigma, mach), v)
        ok = (
            (dem <= available(t, "cruise", sigma, mach))
            & (v >= STALL_MARGIN * stall_tas_kt(t, w, sigma))
            & (v <= max_operating_tas_kt(t, sigma, sound) * 1.001)
        )
        return v, fuel_flow_for(t, dem, sigma, mach), ok
    v = _speed_grid(t, w, sigma, sound)
    sig3, snd3, w3 = sigma[..., None], sound[..., None], w[..., None]
    mach = v / snd3
    dem = demand_for(t, drag_n(t, w3, v, sig3, mach), v)
    ff = fuel_flow_for(t, dem, sig3, mach)
    feasible = dem <= available(t, "cruise", sig3, mach)
    ok = np.asarray(feasible.any(axis=-1))
    sar = np.where(feasible, v / ff, 0.0)
    if speed == "max-endurance":
        idx = np.argmin(np.where(feasible, ff, np.inf), axis=-1)
    elif speed == "mrc":
        idx = np.argmax(sar, axis=-1)
    else:
        best = sar.max(axis=-1, keepdims=True)
        good = sar >= (LRC_SHARE * best if speed == "lrc" else 0.0) + 1e-12
        if speed == "mcr":
            good = feasible
        # The fastest qualifying speed; where none qualifies, the slowest grid speed.
        idx = np.where(good.any(axis=-1), N_SPEEDS - 1 - np.argmax(good[..., ::-1], axis=-1), 0)
    take = idx[..., None]
    tas = np.take_along_axis(v, take, -1)[..., 0]
    flow = np.take_along_axis(ff, take, -1)[..., 0]
    return tas, flow, ok


def _cumulative(y: F64, dw: float) -> F64:
    """Running trapezoid integral of y over the weight axis (last axis), 0 at the first."""
    steps = 0.5 * (y[..., 1:] + y[..., :-1]) * dw
    return np.concatenate([np.zeros((*y.shape[:-1], 1)), np.cumsum(steps, axis=-1)], axis=-1)


def _climb(t: AircraftType, levels: F64, w0: F64, isa: float) -> tuple[F64, F64, F64, np.ndarray]:
    """Cumulative (min, NM, kg) from sea level to each level, per take-off weight, and
    whether the level is reachable (rate of climb above 100 ft/min all the way). Beyond the
    ceiling the climb goes on at 100 ft/min so that the tables stay finite and monotonic;
    those entries are flagged unreachable."""
    n = len(levels)
    out_t, out_x, out_f = (np.zeros((n, len(w0))) for _ in range(3))
    reach = np.ones((n, len(w0)), dtype=bool)
    w = w0.copy()
    for k in range(1, n):
        mid = 0.5 * (levels[k] + levels[k - 1])
        sigma, sound = atmosphere(mid, isa)
        v = _speed_grid(t, w, np.full_like(w, sigma), np.full_like(w, sound))
        roc = rate_of_climb_fpm(t, w[:, None], v, sigma, v / sound)
        best = np.argmax(roc, axis=-1)
        r = np.take_along_axis(roc, best[:, None], -1)[:, 0] * ENERGY_SHARE
        tas = np.take_along_axis(v, best[:, None], -1)[:, 0]
        reach[k] = reach[k - 1] & (r >= MIN_CLIMB_FPM)
        minutes = LEVEL_STEP_FT / np.maximum(r, MIN_CLIMB_FPM)
        ff = fuel_flow_for(t, available(t, "climb", sigma, tas / sound), sigma, tas / sound)
        fuel = ff * minutes / 60.0
        out_t[k] = out_t[k - 1] + minutes
        out_x[k] = out_x[k - 1] + tas * minutes / 60.0
        out_f[k] = out_f[k - 1] + fuel
        w = np.maximum(w - fuel, 0.5 * w0)
    return out_t, out_x, out_f, reach


def _descent(t: AircraftType, levels: F64, isa: float) -> tuple[F64, F64, F64]:
    """Cumulative (min, NM, kg) from each level down to sea level at flight idle."""
    rate = DESCENT_FPM[t.propulsion]
    mids = 0.5 * (levels[1:] + levels[:-1])
    sigma, sound = atmosphere(mids, isa)
    # Descent at the normal cruise TAS flown as an equivalent airspeed from ~FL200.
    eas = t.cruise_tas_kt * np.sqrt(atmosphere(20_000.0, 0.0)[0])
    tas = np.minimum(eas / np.sqrt(sigma), max_operating_tas_kt(t, sigma, sound) * 0.98)
    minutes = np.full(len(mids), LEVEL_STEP_FT / rate)
    ff = fuel_flow_for(t, available(t, "idle", sigma, tas / sound), sigma, tas / sound)
    zero = np.zeros(1)
    return (
        np.concatenate([zero, np.cumsum(minutes)]),
        np.concatenate([zero, np.cumsum(tas * minutes / 60.0)]),
        np.concatenate([zero, np.cumsum(ff * minutes / 60.0)]),
    )


def tables(t: AircraftType, speed: str, isa_dev_c: float) -> Tables:
    """The performance tables of a type at a schedule and an ISA deviation, rounded to the
    whole degree (so that 12.3 and 12.4 °C share one cached table)."""
    with _BUILDING:
        return _tables(t, parse_speed(speed), float(round(isa_dev_c)))


_BUILDING = threading.Lock()
"""One thread builds a missing table while the others wait for it (a cache hit holds the lock
for microseconds). Without it every thread that asked for the table built it too, tens of
milliseconds each and all holding the GIL in turn: a web server's first plans for a type
stalled every other request for a few hundred milliseconds."""


@lru_cache(maxsize=64)
def _tables(t: AircraftType, speed: str, isa: float) -> Tables:
    with np.errstate(all="ignore"):
        return _build(t, speed, isa)


def _build(t: AircraftType, speed: str, isa: float) -> Tables:
    top = t.ceiling_ft + 2 * LEVEL_STEP_FT
    levels = np.arange(0.0, top + 1.0, LEVEL_STEP_FT)
    weights = np.linspace(0.6 * t.oew_kg, 1.25 * t.mtow_kg, N_WEIGHTS)
    tas, ff, ok = _schedule(t, speed, weights[None, :], levels[:, None], isa)
    ok = ok & (levels[:, None] <= t.ceiling_ft)
    dw = float(weights[1] - weights[0])
    x = _cumulative(tas / ff, dw)
    th = _cumulative(1.0 / ff, dw)
    c_t, c_x, c_f, reach = _climb(t, levels, weights, isa)
    ok &= reach
    d_t, d_x, d_f = _descent(t, levels, isa)
    sar = np.where(ok, tas / ff, -np.inf)
    best_row = np.argmax(sar, axis=0)
    best = levels[best_row]
    cols = np.arange(len(weights))
    step_x = _cumulative(sar[best_row, cols], dw)
    step_t = _cumulative(1.0 / ff[best_row, cols], dw)
    loiter_row = np.argmin(np.where(ok, ff, np.inf), axis=0)
    loiter_t = _cumulative(1.0 / ff[loiter_row, cols], dw)
    loiter_x = _cumulative(tas[loiter_row, cols] / ff[loiter_row, cols], dw)
    return Tables(
        t,
        speed,
        isa,
        levels,
        weights,
        tas,
        ff,
        ok,
        tas / ff,
        ok.astype(float),
        x,
        th,
        c_t,
        c_x,
        c_f,
        d_t,
        d_x,
        d_f,
        best,
        np.stack([c_t, c_x, c_f], axis=-1),
        np.stack([x, tas / ff], axis=-1),
        np.maximum.accumulate(np.where(ok, c_x + d_x[:, None], np.inf), axis=0),
        step_x,
        step_t,
        loiter_t,
        loiter_x,
        levels[loiter_row],
        float(weights[0]),
        1.0 / dw,
        len(weights) - 1.000001,
    )
