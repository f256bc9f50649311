"""Fuel per leg: backwards from the last stop (reserves, wing-relief floor, tankering), then
forwards from the uplift actually possible. The numbers come from ``fuel_plan`` on the
performance model's tables, the same as ``leg_batch`` and ``airlift perf``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from airlift.aircraft import AircraftType
from airlift.fuel_plan import Required, required, with_floor
from airlift.fuel_policy import FuelPolicy
from airlift.mission.conditions import fuel_available
from airlift.mission.route import RouteLeg
from airlift.performance import leg_forward
from airlift.performance.profile import LegProfile


@dataclass(frozen=True, slots=True)
class FuelNeed:
    """Backward pass result per leg: kg."""

    landing: list[float]
    ramp: list[float]
    final: list[float]
    alternate: list[float]
    contingency: list[float]
    floor: list[float]
    """Wing-relief fuel that must stay on board on landing (0 where none)."""
    profiles: list[LegProfile]


def floor_kg(t: AircraftType, leg: RouteLeg) -> float:
    """Fuel that must stay on board on landing whatever the reserves: wing-relief fuel."""
    threshold = t.ballast_cargo_threshold_kg
    if threshold is not None and leg.cargo_kg > threshold:
        return t.ballast_min_fuel_kg or 0.0
    return 0.0


def required_fuel(
    t: AircraftType, speed: str, legs: Sequence[RouteLeg], policy: FuelPolicy, extra_kg: float
) -> FuelNeed:
    """Backward pass: fuel required on landing and at the ramp, per leg (kg).

    Each leg must land with its reserves, with its wing-relief floor, and where the next stop
    has no fuel with the next leg's whole ramp fuel (tankering). All legs are computed at
    once; legs that tanker are then recomputed, last first."""
    n = len(legs)
    floors = [floor_kg(t, leg) for leg in legs]

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
        if not fuel_available(legs[i].dest) and ramp[i + 1] > land[i] + 0.5:
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
    return FuelNeed(land, ramp, final, alt, cont, floors, profiles)


def _pick(p: LegProfile, k: int) -> LegProfile:
    """Leg ``k`` of a profile computed for several legs at once."""
    return LegProfile(*(np.asarray(getattr(p, f))[k] for f in LegProfile.__dataclass_fields__))


def fuel_forward(
    t: AircraftType,
    speed: str,
    need: FuelNeed,
    i: int,
    leg: RouteLeg,
    fob_kg: float,
    may_uplift: bool,
) -> tuple[float, float, LegProfile]:
    """Forward pass on leg ``i`` with ``fob_kg`` on board: (uplift kg, ramp fuel kg, the leg
    as flown). The uplift tops up to the backward pass's ramp fuel within the tanks, where
    ``may_uplift``; a leg whose take-off weight then differs from the backward pass's is
    flown forwards from it (``leg_forward``)."""
    uplift = max(0.0, min(need.ramp[i], t.max_fuel_kg) - fob_kg) if may_uplift else 0.0
    ramp = fob_kg + uplift
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
    return uplift, ramp, prof
