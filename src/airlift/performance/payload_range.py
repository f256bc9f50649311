"""Range, endurance and block time of a type under stated conditions (the `airlift perf` answers).

Range is the still-air distance (NM) from brake release to landing with the stated reserve
(minutes of holding at max-endurance speed at 1,500 ft) still in the tanks; endurance is the
time (h) from brake release to that landing. Take-off weight is empty + payload + fuel, fuel
defaulting to full tanks limited by MTOW (a payload-range diagram's convention). Speed: the
type's normal schedule unless given. Level: without one, the flight climbs to the best level
it can reach and steps up as the weight falls (the best for range, or for time); with one,
the whole cruise is flown at it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from airlift.aircraft import AircraftType
from airlift.errors import FieldError
from airlift.performance.profile import (
    _climb,
    _descent,
    choose_level_ft,
    holding_fuel_kg,
    leg_backward,
    leg_forward,
)
from airlift.performance.tables import LEVEL_STEP_FT, parse_speed, tables
from airlift.units import check_finite, whole

DEFAULT_RESERVE_MIN = 30.0
"""Assumption: a published range leaves 30 min of holding fuel unless it states its reserve."""
DEFAULT_HOLD_FT = 1500.0
"""ICAO final reserve: holding 1,500 ft above the aerodrome."""


@dataclass(frozen=True, slots=True)
class Conditions:
    """Validated inputs of a range or endurance question (kg, min, ft, °C)."""

    payload_kg: float
    fuel_kg: float
    tow_kg: float
    reserve_min: float
    level_ft: float | None
    """Cruise level (ft); None until chosen (the level giving the most range or time)."""
    speed: str
    isa_dev_c: float
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RangeAnswer:
    range_nm: float
    time_h: float
    """Brake release to landing (h): the endurance when flown for time."""
    conditions: Conditions
    climb_min: float
    cruise_tas_kt: float
    reserve_kg: float


def conditions(
    t: AircraftType,
    payload_kg: float,
    fuel_kg: float | None = None,
    reserve_min: float | None = None,
    fl: float | None = None,
    speed: str | None = None,
    isa_dev_c: float = 0.0,
    tow_kg: float | None = None,
) -> Conditions:
    """Check the inputs against the type's limits; one InputError naming the field."""
    check_finite("payload_kg", payload_kg)
    check_finite("isa_dev_c", isa_dev_c, minimum=-40.0)
    if fuel_kg is not None and not fuel_kg > 0:
        raise FieldError("fuel_kg", f"fuel_kg must be > 0, got {fuel_kg:g}")
    if isa_dev_c > 40:
        raise FieldError("isa_dev_c", f"isa_dev_c must be <= 40 °C, got {isa_dev_c:g}")
    if payload_kg > t.max_payload_kg:
        raise FieldError(
            "payload_kg",
            f"payload_kg {whole(payload_kg)} kg exceeds the {t.designator}'s max payload "
            f"{whole(t.max_payload_kg)} kg",
        )
    warnings: list[str] = []
    room = t.mtow_kg - t.oew_kg - payload_kg
    if fuel_kg is not None and tow_kg is not None:
        raise FieldError("tow_kg", "tow_kg: give fuel_kg or tow_kg, not both")
    if tow_kg is not None:
        check_finite("tow_kg", tow_kg, minimum=1.0)
        if tow_kg > 1.2 * t.mtow_kg:
            raise FieldError(
                "tow_kg",
                f"tow_kg {whole(tow_kg)} kg is far above the {t.designator}'s MTOW "
                f"{whole(t.mtow_kg)} kg",
            )
    if fuel_kg is None:
        fuel = min(t.max_fuel_kg, room if tow_kg is None else tow_kg - t.oew_kg - payload_kg)
    else:
        fuel = check_finite("fuel_kg", fuel_kg)
        if fuel > t.max_fuel_kg:
            raise FieldError(
                "fuel_kg",
                f"fuel_kg {whole(fuel)} kg exceeds the {t.designator}'s capacity "
                f"{whole(t.max_fuel_kg)} kg",
            )
    tow = t.oew_kg + payload_kg + fuel
    if tow > t.mtow_kg + 0.5 and tow_kg is None:
        raise FieldError(
            "fuel_kg",
            f"fuel_kg: take-off weight {whole(tow)} kg exceeds MTOW {whole(t.mtow_kg)} kg by "
            f"{tow - t.mtow_kg:,.0f} kg",
        )
    if fuel <= 0:
        raise FieldError(
            "fuel_kg", f"fuel_kg: no fuel left under MTOW with {whole(payload_kg)} kg payload"
        )
    reserve = DEFAULT_RESERVE_MIN if reserve_min is None else reserve_min
    check_finite("reserve_min", reserve)
    if reserve > 600:
        raise FieldError("reserve_min", f"reserve_min must be <= 600 min, got {reserve:g}")
    sched = parse_speed(speed or t.normal_speed)
    level: float | None = None
    if fl is not None:
        check_finite("fl", fl)
        if fl * 100 > t.ceiling_ft:
            raise FieldError(
                "fl",
                f"fl: FL{fl:03.0f} is above the {t.designator}'s ceiling of {t.ceiling_ft:,.0f} ft",
            )
        level = round(fl * 100 / LEVEL_STEP_FT) * LEVEL_STEP_FT
    return Conditions(payload_kg, fuel, tow, reserve, level, sched, isa_dev_c, tuple(warnings))


def _reserve_kg(t: AircraftType, c: Conditions) -> float:
    zfw = t.oew_kg + c.payload_kg
    return float(holding_fuel_kg(t, c.reserve_min, zfw, DEFAULT_HOLD_FT, c.isa_dev_c))


def _flown_to_reserve(
    t: AircraftType, c: Conditions, land_kg: float, most: str
) -> tuple[float, float]:
    """(level ft, air NM) of the flight from ``c.tow_kg`` down to ``land_kg``: at the given
    level, or at the level that gives the most range (``most="range"``) or time."""
    tab = tables(t, c.speed, c.isa_dev_c)
    if c.level_ft is not None:
        rows = np.array([round(c.level_ft / LEVEL_STEP_FT)])
    else:
        # Levels the aircraft can climb to and cruise at from this take-off weight.
        rows = np.arange(1, len(tab.levels_ft))
        flyable = np.array([np.interp(c.tow_kg, tab.weights_kg, tab.ok_f[r]) > 0.999 for r in rows])
        rows = rows[flyable] if flyable.any() else rows[:1]
    levels = tab.levels_ft[rows][:, None]
    hi = 400.0
    while True:
        # Landing weight falls with distance: a fine grid per level, then interpolation.
        dist = np.linspace(0.0, hi, 161)[None, :]
        lw = np.asarray(leg_forward(t, c.speed, c.isa_dev_c, dist, c.tow_kg, levels).lw_kg)
        if (lw[:, -1] < land_kg).all() or hi > 20_000:
            break
        hi *= 2.0
    below = lw < land_kg
    k = np.where(below.any(axis=1), np.argmax(below, axis=1), lw.shape[1] - 1)
    k = np.maximum(k, 1)
    rows_i = np.arange(len(rows))
    before, after = lw[rows_i, k - 1], lw[rows_i, k]
    frac = np.clip((before - land_kg) / np.maximum(before - after, 1e-9), 0.0, 1.0)
    d = dist[0]
    reach = np.where(before < land_kg, 0.0, d[k - 1] + frac * (d[k] - d[k - 1]))
    if most == "range" or len(rows) == 1:
        best = int(np.argmax(reach))
    else:
        times = [
            float(leg_backward(t, c.speed, c.isa_dev_c, r, land_kg, lv).time_min) if r > 0 else 0.0
            for r, lv in zip(reach, levels[:, 0], strict=True)
        ]
        best = int(np.argmax(times))
    return float(levels[best, 0]), float(reach[best])


def _stepped(
    t: AircraftType, c: Conditions, land_kg: float, most: str
) -> tuple[float, float, float, float] | None:
    """(initial level ft, air NM, hours, cruise TAS kt) of a flight from ``c.tow_kg`` down to
    ``land_kg`` that climbs to the best level it can reach and steps up as the weight falls
    (for the most range: most air miles per kg; for the most time: least fuel per hour), as
    long flights are planned. None when the flight is too short for a cruise."""
    tab = tables(t, c.speed, c.isa_dev_c)
    if most == "range":
        level_of, x_of, t_of = tab.best_level_ft, tab.step_x_nm, tab.step_t_h
    else:
        level_of, x_of, t_of = tab.loiter_level_ft, tab.loiter_x_nm, tab.loiter_t_h

    def row_at(w: float) -> np.ndarray:
        col = int(np.clip(round((w - tab.w0) * tab.inv_dw), 0, len(tab.weights_kg) - 1))
        return np.asarray(round(level_of[col] / LEVEL_STEP_FT), dtype=np.intp)

    first, last = row_at(c.tow_kg), row_at(land_kg)
    tow = np.asarray(c.tow_kg)
    cl_min, cl_nm, cl_kg = _climb(tab, first, np.asarray(0.0), tow)
    de_min, de_nm, de_kg = _descent(tab, last, np.asarray(0.0))
    w_toc, w_tod = float(c.tow_kg - cl_kg), land_kg + float(de_kg)
    if w_toc <= w_tod:
        return None
    nm = float(np.interp(w_toc, tab.weights_kg, x_of) - np.interp(w_tod, tab.weights_kg, x_of))
    hours = float(np.interp(w_toc, tab.weights_kg, t_of) - np.interp(w_tod, tab.weights_kg, t_of))
    tas = float(np.interp(w_toc, tab.weights_kg, tab.tas_kt[int(first)]))
    return (
        float(tab.levels_ft[first]),
        float(cl_nm) + nm + float(de_nm),
        (float(cl_min) + float(de_min)) / 60.0 + hours,
        tas,
    )


def _answer(t: AircraftType, c: Conditions, most: str) -> RangeAnswer:
    reserve = _reserve_kg(t, c)
    land = t.oew_kg + c.payload_kg + reserve
    if c.tow_kg <= land:
        level = c.level_ft if c.level_ft is not None else 0.0
        return RangeAnswer(0.0, 0.0, replace(c, level_ft=level), 0.0, 0.0, reserve)
    stepped = _stepped(t, c, land, most) if c.level_ft is None else None
    if stepped is not None:
        level, reach, hours, tas = stepped
        c = replace(c, level_ft=level)
        climb = leg_backward(t, c.speed, c.isa_dev_c, reach, land, level)
        return RangeAnswer(reach, hours, c, float(climb.climb_min), tas, reserve)
    level, reach = _flown_to_reserve(t, c, land, most)
    c = replace(c, level_ft=level)
    tab = tables(t, c.speed, c.isa_dev_c)
    row = round(level / LEVEL_STEP_FT)
    if not np.interp(c.tow_kg, tab.weights_kg, tab.ok_f[row]) > 0.999:
        c = replace(
            c,
            warnings=(
                *c.warnings,
                f"{c.speed} cannot be flown at FL{level / 100:03.0f} at {whole(c.tow_kg)} kg "
                f"(ISA{c.isa_dev_c:+.0f}): outside the model's validity, figures extrapolated",
            ),
        )
    if reach <= 0.0:
        return RangeAnswer(0.0, 0.0, c, 0.0, 0.0, reserve)
    one = leg_backward(t, c.speed, c.isa_dev_c, reach, land, level)
    hours = float(one.time_min) / 60.0
    return RangeAnswer(
        range_nm=reach,
        time_h=hours,
        conditions=c,
        climb_min=float(one.climb_min),
        cruise_tas_kt=float(one.cruise_tas_kt),
        reserve_kg=reserve,
    )


def range_at(
    t: AircraftType,
    payload_kg: float,
    fuel_kg: float | None = None,
    reserve_min: float | None = None,
    fl: float | None = None,
    speed: str | None = None,
    isa_dev_c: float = 0.0,
    tow_kg: float | None = None,
) -> RangeAnswer:
    """Still-air range (NM) and flight time (h) at a payload, fuel and schedule; without a
    level, at the level that gives the most range (the flight's optimum altitude)."""
    c = conditions(t, payload_kg, fuel_kg, reserve_min, fl, speed, isa_dev_c, tow_kg)
    return _answer(t, c, "range")


def endurance_at(
    t: AircraftType,
    payload_kg: float,
    fuel_kg: float | None = None,
    reserve_min: float | None = None,
    fl: float | None = None,
    speed: str | None = None,
    isa_dev_c: float = 0.0,
    tow_kg: float | None = None,
) -> RangeAnswer:
    """Time (h) from brake release to landing with the reserve left, at a schedule and level
    (the default schedule is the type's normal cruise; ``max-endurance`` gives the longest);
    without a level, at the level that gives the most time."""
    c = conditions(t, payload_kg, fuel_kg, reserve_min, fl, speed, isa_dev_c, tow_kg)
    return _answer(t, c, "time")


def block_time_min(
    t: AircraftType,
    distance_nm: float,
    payload_kg: float = 0.0,
    fl: float | None = None,
    speed: str | None = None,
    isa_dev_c: float = 0.0,
) -> tuple[float, float]:
    """(block minutes, cruise level ft) for a still-air leg: taxi + climb + cruise + descent,
    landing with 30 min of holding fuel."""
    check_finite("distance_nm", distance_nm)
    sched = parse_speed(speed or t.normal_speed)
    zfw = t.oew_kg + payload_kg
    land = zfw + float(holding_fuel_kg(t, DEFAULT_RESERVE_MIN, zfw, DEFAULT_HOLD_FT, isa_dev_c))
    level = (
        float(choose_level_ft(t, sched, isa_dev_c, distance_nm, land * 1.1))
        if fl is None
        else fl * 100.0
    )
    prof = leg_backward(t, sched, isa_dev_c, distance_nm, land, level)
    return float(prof.time_min) + t.taxi_time_min, level
