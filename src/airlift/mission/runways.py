"""Runways on the fuel policy's distance basis: the heaviest weight a runway allows, the best
runway of an airfield, the landing distance an alternate must offer (all cached)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from airlift.aircraft import AircraftType
from airlift.airfields import Runway
from airlift.fuel_policy import FuelPolicy
from airlift.performance import field as field_lengths

TAKEOFF_ATTR = {
    "balanced_field": "balanced_field_m",
    "distance_50ft": "distance_50ft_m",
    "ground_roll": "ground_roll_m",
}
"""Take-off basis of a policy -> the field of ``performance.field.takeoff``'s answer."""
LANDING_ATTR = {
    "landing_distance": "landing_distance_m",
    "distance_50ft": "distance_50ft_m",
    "ground_roll": "ground_roll_m",
}
"""Landing basis of a policy -> the field of ``performance.field.landing``'s answer."""
BASIS_WORDS = {
    "balanced_field": "balanced field",
    "distance_50ft": "distance over 50 ft",
    "ground_roll": "ground roll",
    "landing_distance": "factored landing distance",
}


def best_runway(
    runways: Sequence[Runway], weight_for: Callable[[Runway], float]
) -> tuple[Runway | None, float]:
    """The open runway with a length that allows the most weight, and that weight (kg)."""
    best: tuple[Runway | None, float] = (None, math.inf)
    for r in runways:
        if r.closed or not r.length_m:
            continue
        w = weight_for(r)
        if best[0] is None or w > best[1]:
            best = (r, w)
    return best


@lru_cache(maxsize=8192)
def runway_weight_kg(
    t: AircraftType,
    takeoff: bool,
    length_m: float,
    pressure_alt: float,
    oat_c: float,
    paved: bool,
    basis: str,
    factor: float,
    reverse: bool = False,
) -> float:
    """Highest weight (kg) whose distance on the policy's basis fits the runway (cached)."""
    surface = "paved" if paved else "unpaved"
    if not paved and not t.unpaved_approved:
        return 0.0
    if takeoff:
        return field_lengths.max_takeoff_weight_kg(
            t,
            length_m,
            basis=basis,
            pressure_alt_ft=pressure_alt,
            oat_c=oat_c,
            surface=surface,
            wet=False,
        )
    return field_lengths.max_landing_weight_kg(
        t,
        length_m,
        basis=basis,
        pressure_alt_ft=pressure_alt,
        oat_c=oat_c,
        surface=surface,
        wet=False,
        factor=factor,
    )


@lru_cache(maxsize=256)
def landing_need_m(t: AircraftType, policy: FuelPolicy) -> float:
    """Landing distance (m) at MLW, ISA sea level, on the policy's basis."""
    ld = field_lengths.landing(
        t, t.mlw_kg, factor=policy.landing_factor, reverse=policy.reverse_credit
    )
    return float(getattr(ld, LANDING_ATTR[policy.landing_basis]))
