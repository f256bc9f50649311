"""The point-mass model: drag polar, engine ratings and fuel flow at a weight, level and speed.

Everything here is vectorised with numpy and in SI units inside (N, W, m/s), kg, kt and ft at
the boundary. The shape follows BADA and OpenAP:

Drag
    ``D = q S (CD0 + k CL²) + wave drag``, with ``k = 1 / (pi AR e)`` from the type's wing area,
    span and Oswald factor; above the critical Mach a Lock/Korn wave-drag rise
    ``20 (M - Mcrit)^4`` with ``Mcrit = MMO - 0.08`` (types that state an MMO only).
Turboprops
    Shaft power available lapses with density (``sigma^0.75``, flat-rated: never above the
    take-off rating); power required is ``D V / eta``; fuel flow is the power-specific
    consumption times the power, with an idle floor (a turboprop at flight idle still burns
    about a fifth of its cruise flow).
Turbofans
    Thrust available ``T0 sigma^0.75 (1 - 0.25 M)``; fuel flow is the thrust-specific
    consumption times the thrust, with the same kind of idle floor.

The calibration factors of the type (:class:`airlift.aircraft.Calibration`) scale CD0, the
induced drag, the specific consumption and the power or thrust available.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from airlift.aircraft import AircraftType
from airlift.atmosphere import KT_PER_SQRT_K, RHO0, isa_aloft

F64 = npt.NDArray[np.float64]

G = 9.80665  # m/s²
MS_PER_KT = 1852.0 / 3600.0

Rating = Literal["takeoff", "climb", "cruise", "idle"]
RATING_SHARE: dict[str, float] = {
    "takeoff": 1.0,
    "climb": 0.95,  # assumption: max climb power or thrust, about 95 % of take-off
    "cruise": 0.90,  # assumption: max cruise = max continuous, about 90 % of take-off, where
    # the type file states no max_continuous rating
    "idle": 0.06,  # assumption: flight idle, a few per cent of take-off power
}
IDLE_FLOOR = 0.25
"""Fuel flow at zero power as a share of the max-cruise flow at the same level (assumption:
turboprop and turbofan cores burn 20-25 % of cruise flow at flight idle; BADA's descent flows
are of this order)."""
LAPSE_EXP = 0.75
"""Power or thrust lapse with density ratio (assumption: sigma^0.7-0.8 is the textbook range
for turboprops and high-bypass turbofans, e.g. Raymer, Gudmundsson)."""
FLAT_RATED_SIGMA = 288.15 / (288.15 + 15.0)
"""Density ratio at sea level and ISA+15 °C. Assumption: turboprops are flat-rated to about
ISA+15 and keep their full rating while the (ram) air is denser than this (as in
performance.field)."""
STALL_MARGIN = 1.3
"""Slowest schedule speed: 1.3 V_stall clean (the usual manoeuvre margin)."""
MCRIT_BELOW_MMO = 0.08


def atmosphere(alt_ft: F64 | float, isa_dev_c: F64 | float) -> tuple[F64, F64]:
    """(density ratio sigma, speed of sound kt) at pressure altitude ``alt_ft``."""
    temp, _, sigma = isa_aloft(np.asarray(alt_ft, dtype=float), isa_dev_c)
    return np.asarray(sigma), KT_PER_SQRT_K * np.sqrt(temp)


def drag_n(t: AircraftType, weight_kg: F64, tas_kt: F64, sigma: F64, mach: F64) -> F64:
    """Drag (N) in level flight at a weight (kg) and TAS (kt)."""
    a, cal = t.aero, t.calibration
    q = 0.5 * RHO0 * sigma * (tas_kt * MS_PER_KT) ** 2
    cl = weight_kg * G / (q * a.wing_area_m2)
    cd = a.cd0 * cal.drag + a.induced_k * cal.induced * cl * cl
    if a.mmo is not None:
        over = np.maximum(mach - (a.mmo - MCRIT_BELOW_MMO), 0.0)
        cd = cd + 20.0 * over**4
    return q * a.wing_area_m2 * cd


def available(t: AircraftType, rating: str, sigma: F64, mach: F64) -> F64:
    """Shaft power (W, turboprop) or thrust (N, turbofan), all engines, at a rating."""
    e = t.engine
    share = RATING_SHARE[rating] * t.calibration.power
    if rating == "cruise" and e.continuous_share is not None:
        share = e.continuous_share * t.calibration.power
    if t.propulsion == "turboprop":
        # The intake sees the total (ram) density, sigma (1 + 0.2 M²)^2.5, and the engine is
        # flat-rated: full rating until that falls below the flat-rating density.
        ram = sigma * (1.0 + 0.2 * mach * mach) ** 2.5
        lapse = np.minimum((ram / FLAT_RATED_SIGMA) ** LAPSE_EXP, 1.0)
        return e.count * (e.takeoff_power_kw or 0.0) * 1000.0 * share * lapse
    lapse = np.minimum(sigma**LAPSE_EXP, 1.0)
    return e.count * (e.takeoff_thrust_kn or 0.0) * 1000.0 * share * lapse * (1.0 - 0.25 * mach)


def fuel_flow_for(t: AircraftType, demand: F64, sigma: F64, mach: F64) -> F64:
    """Fuel flow (kg/h, all engines) to deliver ``demand``: shaft W (turboprop) or thrust N."""
    e, cal = t.engine, t.calibration
    cruise = available(t, "cruise", sigma, mach)
    use = (np.maximum(demand, 0.0) + IDLE_FLOOR * cruise) / (1.0 + IDLE_FLOOR)
    if t.propulsion == "turboprop":
        return (e.psfc_kg_kwh or 0.0) * cal.fuel * use / 1000.0
    return (e.tsfc_kg_kn_h or 0.0) * cal.fuel * use / 1000.0


def demand_for(t: AircraftType, drag: F64, tas_kt: F64) -> F64:
    """What the engines must give to overcome ``drag`` (N) at ``tas_kt``: W or N."""
    if t.propulsion == "turboprop":
        return drag * tas_kt * MS_PER_KT / (t.engine.prop_efficiency or 0.8)
    return drag


def stall_tas_kt(t: AircraftType, weight_kg: F64, sigma: F64) -> F64:
    """Clean stall TAS (kt) at a weight and density ratio."""
    v = np.sqrt(2.0 * weight_kg * G / (RHO0 * sigma * t.aero.wing_area_m2 * t.aero.cl_max_clean))
    return v / MS_PER_KT


def max_operating_tas_kt(t: AircraftType, sigma: F64, sound_kt: F64) -> F64:
    """The fastest TAS (kt) the type may fly: MMO and VMO (as EAS) where stated."""
    limit = np.full(np.shape(sigma), np.inf)
    if t.aero.mmo is not None:
        limit = np.minimum(limit, t.aero.mmo * sound_kt)
    if t.aero.vmo_kt is not None:
        limit = np.minimum(limit, t.aero.vmo_kt / np.sqrt(sigma))
    if not np.isfinite(limit).all():
        # No stated limit: the cruise-power speed bounds it; keep the grid finite.
        limit = np.where(np.isfinite(limit), limit, 2.5 * t.cruise_tas_kt)
    return limit


def rate_of_climb_fpm(
    t: AircraftType, weight_kg: F64, tas_kt: F64, sigma: F64, mach: F64, rating: str = "climb"
) -> F64:
    """Rate of climb (ft/min) at a rating: excess power over weight."""
    drag = drag_n(t, weight_kg, tas_kt, sigma, mach)
    avail = available(t, rating, sigma, mach)
    v = tas_kt * MS_PER_KT
    if t.propulsion == "turboprop":
        excess = avail * (t.engine.prop_efficiency or 0.8) - drag * v
    else:
        excess = (avail - drag) * v
    return excess / (weight_kg * G) * 196.850394
