"""Published figures run through the public performance functions under their conditions.

Each :class:`~airlift.aircraft.PublishedFigure` of a type file is answered by the function a
user would call (`airlift perf range`, `... endurance`, `... cruise`, `... takeoff`,
`... landing`, block time), with the conditions the source states and the model's documented
defaults for what it leaves out. Used by ``benchmarks/bench_fidelity.py``, the tests and the
payload-range plot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from airlift.aircraft import AircraftType, PublishedFigure
from airlift.errors import InputError
from airlift.performance import field
from airlift.performance.payload_range import block_time_min, endurance_at, range_at
from airlift.performance.profile import cruise_point
from airlift.performance.tables import LEVEL_STEP_FT, parse_speed, tables

FIELD_KINDS = {
    "takeoff_ground_roll": ("takeoff", "ground_roll_m"),
    "takeoff_50ft": ("takeoff", "distance_50ft_m"),
    "balanced_field": ("takeoff", "balanced_field_m"),
    "landing_ground_roll": ("landing", "ground_roll_m"),
    "landing_50ft": ("landing", "distance_50ft_m"),
    "landing_distance": ("landing", "landing_distance_m"),
}


@dataclass(frozen=True, slots=True)
class FigureCheck:
    """A published figure against the model, in the figure's unit."""

    figure: PublishedFigure
    model: float
    note: str = ""
    """Why the model gives no number (the figure's conditions break a limit of the type)."""

    @property
    def error_pct(self) -> float:
        return (self.model / self.figure.value - 1.0) * 100.0

    @property
    def within(self) -> bool:
        return abs(self.error_pct) <= self.figure.tolerance_pct

    @property
    def role(self) -> str:
        if self.figure.excluded:
            return "excluded"
        return "held out" if self.figure.holdout else "fitted"


def _cruise_weight(t: AircraftType, f: PublishedFigure) -> float:
    # Not stated: a mid-mission weight, empty plus half the fuel a full payload leaves.
    return f.weight_kg or t.oew_kg + 0.5 * (t.mtow_kg - t.oew_kg)


def model_value(t: AircraftType, f: PublishedFigure) -> float:
    """The model's answer to a published figure's question, in the figure's unit."""
    isa = f.isa_dev_c or 0.0
    if f.kind in ("range", "endurance"):
        payload, tow = f.payload_kg, f.tow_kg
        if tow is not None and f.fuel_kg is not None:
            # Take-off weight and fuel stated: the payload is what is left of the weight.
            payload = max(tow - t.oew_kg - f.fuel_kg, 0.0) if payload is None else payload
            tow = None
        ask = range_at if f.kind == "range" else endurance_at
        ans = ask(t, payload or 0.0, f.fuel_kg, f.reserve_min, f.fl, f.speed, isa, tow)
        return ans.range_nm if f.kind == "range" else ans.time_h
    if f.kind in ("fuel_flow", "cruise_speed"):
        speed = parse_speed(f.speed or t.normal_speed)
        w = _cruise_weight(t, f)
        if f.fl is not None:
            level = f.fl * 100.0
        else:
            tab = tables(t, speed, isa)
            level = float(np.interp(w, tab.weights_kg, tab.best_level_ft))
            level = round(level / LEVEL_STEP_FT) * LEVEL_STEP_FT
        tas, ff, _ = cruise_point(t, w, level, speed, isa)
        return ff if f.kind == "fuel_flow" else tas
    if f.kind == "block_time":
        return block_time_min(t, f.distance_nm or 0.0, f.payload_kg or 0.0, f.fl, f.speed, isa)[0]
    which, attr = FIELD_KINDS[f.kind]
    surface = f.surface or "paved"
    alt = f.elevation_ft or 0.0
    if which == "takeoff":
        to = field.takeoff(
            t,
            f.weight_kg or t.mtow_kg,
            pressure_alt_ft=alt,
            oat_c=f.oat_c,
            surface=surface,
            wet=f.wet,
        )
        return float(getattr(to, attr))
    ld = field.landing(
        t,
        f.weight_kg or t.mlw_kg,
        pressure_alt_ft=alt,
        oat_c=f.oat_c,
        surface=surface,
        wet=f.wet,
        factor=f.factor,
        reverse=f.reverse,
    )
    return float(getattr(ld, attr))


def check_figures(t: AircraftType) -> list[FigureCheck]:
    """Every published figure of a type against the model, in file order."""
    out = []
    for f in t.published:
        try:
            out.append(FigureCheck(f, model_value(t, f)))
        except InputError as exc:
            out.append(FigureCheck(f, math.nan, str(exc)))
    return out
