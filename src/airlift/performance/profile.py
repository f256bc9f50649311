"""Flight profiles: climb, cruise and descent of a leg, the cruise level, and holding.

A leg is flown as climb from the origin's elevation to the cruise level (climb rating, best
rate of climb), cruise at the level on a speed schedule, and an idle descent to the
destination's elevation. All functions are vectorised over legs (numpy arrays of any shape;
floats work too) and read the tables of :mod:`airlift.performance.tables`, so a leg costs a
few interpolations.

Cruise level: the best level for the weight (most air miles per kg), capped so that climb and
descent fit in the leg, and never above the type's ceiling; or the level the user gives.
Distances are air distances (NM); the mission planner turns ground into air distance with
the wind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from airlift.aircraft import AircraftType
from airlift.errors import FieldError
from airlift.performance.pointmass import F64
from airlift.performance.tables import LEVEL_STEP_FT, Tables, tables
from airlift.units import check_finite, whole

Idx = npt.NDArray[Any]
"""Integer row indices (levels) into the tables, or a single one."""

CLIMB_DESCENT_SHARE = 0.67
"""A level is too high for a leg when climb and descent would take more than two thirds of
it (planning practice: cruise at least a third of the leg)."""


def _arr(x: F64 | float) -> F64:
    return np.asarray(x, dtype=float)


def _wpos(tab: Tables, w: F64) -> tuple[Idx, F64]:
    """(index, fraction) of weights on the uniform weight grid, clamped at its ends."""
    pos = np.minimum(np.maximum((w - tab.w0) * tab.inv_dw, 0.0), tab.jmax)
    j = pos.astype(np.intp)
    return j, pos - j


def _at(table: F64, row: Idx, jf: tuple[np.ndarray, F64]) -> F64:
    j, f = jf
    return table[row, j] * (1.0 - f) + table[row, j + 1] * f  # type: ignore[no-any-return]


def _at3(table: F64, row: Idx, jf: tuple[np.ndarray, F64]) -> F64:
    """As _at for a table with a stacked last axis: returns (..., k)."""
    j, f = jf
    g = f[..., None]
    return table[row, j] * (1.0 - g) + table[row, j + 1] * g  # type: ignore[no-any-return]


def _on_weights(tab: Tables, table: F64, row: Idx, w: F64) -> F64:
    """table[row, w]: linear in weight on the uniform grid, clamped at its ends."""
    return _at(table, row, _wpos(tab, w))


def _on_levels(values: F64, alt_ft: F64) -> F64:
    """A per-level column interpolated at an altitude between grid levels."""
    pos = np.minimum(np.maximum(alt_ft * (1.0 / LEVEL_STEP_FT), 0.0), len(values) - 1.000001)
    i = pos.astype(np.intp)
    f = pos - i
    return values[i] * (1.0 - f) + values[i + 1] * f


def _climb(tab: Tables, row: Idx, from_ft: F64, w: F64) -> tuple[F64, F64, F64]:
    """(min, NM, kg) to climb from ``from_ft`` to level ``row`` at take-off weight ``w``."""
    pos = np.minimum(
        np.maximum(from_ft * (1.0 / LEVEL_STEP_FT), 0.0), len(tab.levels_ft) - 1.000001
    )
    i = pos.astype(np.intp)
    f = pos - i
    jf = _wpos(tab, w)
    g = f[..., None]
    below = _at3(tab.climb3, i, jf) * (1.0 - g) + _at3(tab.climb3, i + 1, jf) * g
    got = np.maximum(_at3(tab.climb3, row, jf) - below, 0.0)
    return got[..., 0], got[..., 1], got[..., 2]


def _descent(tab: Tables, row: Idx, to_ft: F64) -> tuple[F64, F64, F64]:
    """(min, NM, kg) to descend from level ``row`` to ``to_ft``."""

    def part(col: F64) -> F64:
        return np.maximum(col[row] - _on_levels(col, to_ft), 0.0)

    return part(tab.descent_min), part(tab.descent_nm), part(tab.descent_kg)


def _cruise_from(tab: Tables, row: Idx, w_end: F64, dist: F64) -> F64:
    """Weight (kg) at the start of a cruise of ``dist`` air NM that ends at ``w_end``."""
    xs = _at3(tab.cruise2, row, _wpos(tab, w_end))
    target = xs[..., 0] + dist
    w = w_end + dist / xs[..., 1]
    # Newton on x(W) = target (dx/dW is the specific air range): two steps leave < 0.5 kg.
    for _ in range(2):
        xs = _at3(tab.cruise2, row, _wpos(tab, w))
        w = w + (target - xs[..., 0]) / xs[..., 1]
    return w


def _cruise_to(tab: Tables, row: Idx, w_start: F64, dist: F64) -> F64:
    """Weight (kg) at the end of a cruise of ``dist`` air NM that starts at ``w_start``."""
    xs = _at3(tab.cruise2, row, _wpos(tab, w_start))
    target = xs[..., 0] - dist
    w = w_start - dist / xs[..., 1]
    for _ in range(2):
        xs = _at3(tab.cruise2, row, _wpos(tab, w))
        w = w - (xs[..., 0] - target) / xs[..., 1]
    return w


def _cruise_time_h(tab: Tables, row: Idx, w_start: F64, w_end: F64) -> F64:
    return _on_weights(tab, tab.t_h, row, w_start) - _on_weights(tab, tab.t_h, row, w_end)


@dataclass(frozen=True, slots=True)
class LegProfile:
    """Segments of legs (arrays): levels ft, kg, min, air NM, kt. ``ok`` is False where the
    level cannot be flown at that weight (above the ceiling for the weight)."""

    level_ft: F64
    tow_kg: F64
    lw_kg: F64
    climb_kg: F64
    climb_min: F64
    climb_nm: F64
    cruise_kg: F64
    cruise_min: F64
    cruise_nm: F64
    descent_kg: F64
    descent_min: F64
    descent_nm: F64
    cruise_tas_kt: F64
    ok: np.ndarray

    @property
    def trip_kg(self) -> F64:
        return self.climb_kg + self.cruise_kg + self.descent_kg

    @property
    def time_min(self) -> F64:
        return self.climb_min + self.cruise_min + self.descent_min


def choose_level_ft(
    t: AircraftType,
    speed: str,
    isa_dev_c: float,
    air_nm: F64 | float,
    weight_kg: F64 | float,
    origin_ft: F64 | float = 0.0,
    dest_ft: F64 | float = 0.0,
) -> F64:
    """Cruise level (ft, a multiple of 1,000): the best for the weight, capped so that the
    climb and descent fit in the leg, never above the ceiling nor below 1,000 ft above the
    higher end."""
    tab = tables(t, speed, isa_dev_c)
    d, w, lo_ft, hi_ft = np.broadcast_arrays(
        _arr(air_nm), _arr(weight_kg), _arr(origin_ft), _arr(dest_ft)
    )
    jf = _wpos(tab, w)
    # Climb and descent below the ends' elevations are not flown: they lengthen the budget.
    saved = _at(tab.climb_nm, _row_below(tab, lo_ft), jf) + tab.descent_nm[_row_below(tab, hi_ft)]
    budget = CLIMB_DESCENT_SHARE * d + saved
    # The highest level whose climb + descent fits: bisection on the non-decreasing span.
    lo = np.zeros(d.shape, dtype=np.intp)
    hi = np.full(d.shape, len(tab.levels_ft) - 1, dtype=np.intp)
    for _ in range(int(np.ceil(np.log2(len(tab.levels_ft)))) + 1):
        mid = (lo + hi + 1) // 2
        fits = _at(tab.span_nm, mid, jf) <= budget
        lo = np.where(fits, mid, lo)
        hi = np.where(fits, hi, mid - 1)
    cap = tab.levels_ft[lo]
    best = np.floor(np.interp(w, tab.weights_kg, tab.best_level_ft) / LEVEL_STEP_FT)
    level = np.minimum(best * LEVEL_STEP_FT, cap)
    # Short legs: the lowest level clear of both ends.
    floor_ft = np.maximum(lo_ft, hi_ft) + LEVEL_STEP_FT
    lowest = np.minimum(np.ceil(floor_ft / LEVEL_STEP_FT) * LEVEL_STEP_FT, tab.levels_ft[-1])
    return np.asarray(np.maximum(level, lowest), dtype=float)


def _row_below(tab: Tables, alt_ft: F64) -> Idx:
    """The grid level at or below an altitude (clamped to the grid)."""
    rows = np.floor(np.asarray(alt_ft) / LEVEL_STEP_FT).astype(np.intp)
    return np.clip(rows, 0, len(tab.levels_ft) - 1)


def leg_backward(
    t: AircraftType,
    speed: str,
    isa_dev_c: float,
    air_nm: F64 | float,
    lw_kg: F64 | float,
    level_ft: F64 | float,
    origin_ft: F64 | float = 0.0,
    dest_ft: F64 | float = 0.0,
) -> LegProfile:
    """The profile of legs that must land at ``lw_kg``: works back to the take-off weight."""
    tab = tables(t, speed, isa_dev_c)
    lw, d, lvl = _arr(lw_kg), _arr(air_nm), _arr(level_ft)
    lw, d, lvl, o_ft, d_ft = np.broadcast_arrays(lw, d, lvl, _arr(origin_ft), _arr(dest_ft))
    row = np.clip(np.round(lvl / LEVEL_STEP_FT), 0, len(tab.levels_ft) - 1).astype(np.intp)
    des_min, des_nm, des_kg = _descent(tab, row, d_ft)
    w_tod = lw + des_kg
    tow = w_tod * 1.02 + d * 2.0  # a first guess; two passes settle the climb
    for _ in range(2):
        cl_min, cl_nm, cl_kg = _climb(tab, row, o_ft, tow)
        cruise_nm = np.maximum(d - cl_nm - des_nm, 0.0)
        w_toc = _cruise_from(tab, row, w_tod, cruise_nm)
        tow = w_toc + cl_kg
    return _profile(
        tab, row, tow, lw, w_toc, w_tod, cl_min, cl_nm, cl_kg, cruise_nm, des_min, des_nm, des_kg
    )


def leg_forward(
    t: AircraftType,
    speed: str,
    isa_dev_c: float,
    air_nm: F64 | float,
    tow_kg: F64 | float,
    level_ft: F64 | float,
    origin_ft: F64 | float = 0.0,
    dest_ft: F64 | float = 0.0,
) -> LegProfile:
    """The profile of legs taking off at ``tow_kg``: works forward to the landing weight."""
    tab = tables(t, speed, isa_dev_c)
    tow, d, lvl = _arr(tow_kg), _arr(air_nm), _arr(level_ft)
    tow, d, lvl, o_ft, d_ft = np.broadcast_arrays(tow, d, lvl, _arr(origin_ft), _arr(dest_ft))
    row = np.clip(np.round(lvl / LEVEL_STEP_FT), 0, len(tab.levels_ft) - 1).astype(np.intp)
    cl_min, cl_nm, cl_kg = _climb(tab, row, o_ft, tow)
    des_min, des_nm, des_kg = _descent(tab, row, d_ft)
    cruise_nm = np.maximum(d - cl_nm - des_nm, 0.0)
    w_toc = tow - cl_kg
    w_tod = _cruise_to(tab, row, w_toc, cruise_nm)
    lw = w_tod - des_kg
    return _profile(
        tab, row, tow, lw, w_toc, w_tod, cl_min, cl_nm, cl_kg, cruise_nm, des_min, des_nm, des_kg
    )


def _profile(
    tab: Tables,
    row: Idx,
    tow: F64,
    lw: F64,
    w_toc: F64,
    w_tod: F64,
    cl_min: F64,
    cl_nm: F64,
    cl_kg: F64,
    cruise_nm: F64,
    des_min: F64,
    des_nm: F64,
    des_kg: F64,
) -> LegProfile:
    ok = _on_weights(tab, tab.ok_f, row, w_toc) > 0.999
    return LegProfile(
        level_ft=tab.levels_ft[row],
        tow_kg=tow,
        lw_kg=lw,
        climb_kg=cl_kg,
        climb_min=cl_min,
        climb_nm=cl_nm,
        cruise_kg=w_toc - w_tod,
        cruise_min=_cruise_time_h(tab, row, w_toc, w_tod) * 60.0,
        cruise_nm=cruise_nm,
        descent_kg=des_kg,
        descent_min=des_min,
        descent_nm=des_nm,
        cruise_tas_kt=_on_weights(tab, tab.tas_kt, row, 0.5 * (w_toc + w_tod)),
        # Off the weight grid at either end (heavier than 1.25 MTOW, or run dry below
        # 0.6 OEW) the tables are extrapolated: not a profile the type can fly.
        ok=ok
        & np.isfinite(tow)
        & np.isfinite(cl_kg)
        & (lw > tab.weights_kg[0])
        & (tow < tab.weights_kg[-1]),
    )


def holding_fuel_kg(
    t: AircraftType,
    minutes: F64 | float,
    end_weight_kg: F64 | float,
    level_ft: float,
    isa_dev_c: float = 0.0,
) -> F64:
    """Fuel (kg) to hold ``minutes`` at the type's max-endurance speed at ``level_ft``,
    ending at ``end_weight_kg``."""
    tab = tables(t, "max-endurance", isa_dev_c)
    row = np.full(np.shape(end_weight_kg), round(level_ft / LEVEL_STEP_FT), dtype=np.intp)
    w_end = _arr(end_weight_kg)
    t_end = _on_weights(tab, tab.t_h, row, w_end)
    target = t_end + _arr(minutes) / 60.0
    w = w_end.copy()
    for _ in range(3):  # Newton on t(W) = target; dt/dW = 1 / fuel flow
        ff = _on_weights(tab, tab.fuel_flow_kg_h, row, w)
        w = w + (target - _on_weights(tab, tab.t_h, row, w)) * ff
    return w - w_end


def cruise_point(
    t: AircraftType, weight_kg: float, level_ft: float, speed: str, isa_dev_c: float = 0.0
) -> tuple[float, float, bool]:
    """(TAS kt, fuel flow kg/h, flyable) at one weight and level on a schedule.

    Not flyable: the schedule needs more than max cruise power at that weight and level,
    or the level is above the type's ceiling."""
    from airlift.performance.tables import _schedule, parse_speed

    check_finite("weight_kg", weight_kg, minimum=1.0)
    check_finite("level_ft", level_ft, minimum=-2000.0)
    check_finite("isa_dev_c", isa_dev_c, minimum=-40.0)
    if weight_kg > 1.5 * t.mtow_kg:
        raise FieldError(
            "weight_kg",
            f"weight_kg {whole(weight_kg)} kg is far above the {t.designator}'s MTOW "
            f"{whole(t.mtow_kg)} kg",
        )
    if level_ft > t.ceiling_ft + 0.5:
        raise FieldError(
            "fl",
            f"fl: FL{level_ft / 100:03.0f} is above the {t.designator}'s ceiling of "
            f"{t.ceiling_ft:,.0f} ft",
        )
    if isa_dev_c > 40:
        raise FieldError("isa_dev_c", f"isa_dev_c must be <= 40 °C, got {isa_dev_c:g}")
    with np.errstate(all="ignore"):
        tas, ff, ok = _schedule(
            t, parse_speed(speed), np.array([weight_kg]), np.array([level_ft]), float(isa_dev_c)
        )
    return float(tas[0]), float(ff[0]), bool(ok[0])


def fuel_endurance_h(
    t: AircraftType, speed: str, isa_dev_c: float, p: LegProfile, zfw_kg: float
) -> float:
    """Hours the fuel on board at take-off lasts (to dry tanks) on a leg's profile: its climb,
    then cruise at its level and schedule. The "endurance" of an ICAO flight plan."""
    tab = tables(t, speed, isa_dev_c)
    row = np.asarray(round(float(p.level_ft) / LEVEL_STEP_FT), dtype=np.intp)
    w_toc = _arr(max(float(p.tow_kg - p.climb_kg), zfw_kg))
    hours = _on_weights(tab, tab.t_h, row, w_toc) - _on_weights(tab, tab.t_h, row, _arr(zfw_kg))
    return float(p.climb_min) / 60.0 + float(hours)
