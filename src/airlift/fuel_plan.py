"""Fuel a leg needs: trip (climb + cruise + descent) and the policy's reserves on landing.

The reserves follow ICAO Annex 6's components, each from the performance model:

- final reserve: ``policy.final_reserve_min`` of holding at max-endurance speed at
  ``policy.hold_ft``, ending at the zero-fuel weight;
- alternate: climb, cruise and descent to the alternate (when the policy asks for one); with
  no alternate within the policy's distance, the isolated-aerodrome rule instead: two hours at
  normal cruise consumption above the destination, final reserve included;
- contingency: ``policy.contingency_pct`` of the trip fuel, never less than
  ``policy.contingency_min_minutes`` of holding;
- a floor on the fuel kept on landing (tankering for a stop without fuel, wing-relief fuel).

Everything is vectorised over legs (numpy arrays); floats work too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from airlift.aircraft import AircraftType
from airlift.fuel_policy import FuelPolicy
from airlift.performance.pointmass import F64
from airlift.performance.profile import (
    LegProfile,
    choose_level_ft,
    holding_fuel_kg,
    leg_backward,
)
from airlift.performance.tables import tables

ISOLATED_MIN = 120.0
"""ICAO Annex 6 isolated aerodrome: 2 h at normal cruise consumption, final reserve included."""
ISOLATED_LEVEL_FT = 10_000.0


@dataclass(frozen=True, slots=True)
class Required:
    """Per leg (arrays): fuel required on landing and its parts, and the leg's profile flown
    to land with it. kg."""

    landing_kg: F64
    final_kg: F64
    alternate_kg: F64
    contingency_kg: F64
    profile: LegProfile

    @property
    def ramp_kg(self) -> F64:
        """Ramp fuel (kg) before taxi is added."""
        return self.landing_kg + self.profile.trip_kg


def _normal_flow_kg_h(t: AircraftType, speed: str, isa: float, weight: F64) -> F64:
    tab = tables(t, speed, isa)
    row = int(ISOLATED_LEVEL_FT / 1000.0)
    return np.interp(weight, tab.weights_kg, tab.fuel_flow_kg_h[row])  # type: ignore[no-any-return]


def required(
    t: AircraftType,
    policy: FuelPolicy,
    speed: str,
    isa_dev_c: float,
    zfw_kg: F64 | float,
    air_nm: F64 | float,
    level_ft: F64 | float,
    origin_ft: F64 | float,
    dest_ft: F64 | float,
    alt_air_nm: F64 | float,
    extra_kg: float = 0.0,
    min_landing_kg: F64 | float = 0.0,
) -> Required:
    """Fuel required on landing and the trip to get there, for legs carrying ``zfw_kg``.

    ``alt_air_nm`` is the distance to the alternate; ``inf`` where the policy wants one and
    none is within its distance (isolated-aerodrome fuel then applies).
    """
    zfw = np.asarray(zfw_kg, dtype=float)
    final = holding_fuel_kg(t, policy.final_reserve_min, zfw, policy.hold_ft, isa_dev_c)
    w = zfw + final
    alt_fuel = np.zeros(np.shape(w))
    if policy.alternate:
        alt = np.asarray(alt_air_nm, dtype=float)
        isolated = ~np.isfinite(alt)
        dist = np.where(isolated, 1.0, alt)
        lvl = choose_level_ft(t, speed, isa_dev_c, dist, w, dest_ft, dest_ft)
        to_alt = leg_backward(t, speed, isa_dev_c, dist, w, lvl, dest_ft, dest_ft)
        iso = np.maximum(
            _normal_flow_kg_h(t, speed, isa_dev_c, w) * ISOLATED_MIN / 60.0 - final, 0.0
        )
        alt_fuel = np.where(isolated, iso, np.where(alt > 0, to_alt.tow_kg - w, 0.0))
    w = w + alt_fuel
    trip0 = leg_backward(t, speed, isa_dev_c, air_nm, w, level_ft, origin_ft, dest_ft).trip_kg
    contingency = np.maximum(
        policy.contingency_pct / 100.0 * trip0,
        holding_fuel_kg(t, policy.contingency_min_minutes, w, policy.hold_ft, isa_dev_c),
    )
    landing = np.maximum(final + alt_fuel + contingency + extra_kg, min_landing_kg)
    prof = leg_backward(t, speed, isa_dev_c, air_nm, zfw + landing, level_ft, origin_ft, dest_ft)
    return Required(landing, final, alt_fuel, contingency, prof)


def with_floor(
    t: AircraftType,
    speed: str,
    isa_dev_c: float,
    r: Required,
    zfw_kg: F64 | float,
    air_nm: F64 | float,
    level_ft: F64 | float,
    origin_ft: F64 | float,
    dest_ft: F64 | float,
    min_landing_kg: F64 | float,
) -> Required:
    """``r`` with a higher floor on the fuel kept on landing (tankering): the reserves do
    not change, only the trip flown to land heavier."""
    landing = np.maximum(r.landing_kg, min_landing_kg)
    prof = leg_backward(
        t, speed, isa_dev_c, air_nm, np.asarray(zfw_kg) + landing, level_ft, origin_ft, dest_ft
    )
    return Required(landing, r.final_kg, r.alternate_kg, r.contingency_kg, prof)
