"""A mission plan as a JSON-ready document: plain dicts, lists, str, int, float, bool, None.

Every numeric field name is listed in :data:`UNITS` with its unit. Floats are rounded for
reading (kg, NM, kt, min, deg, °C to 0.1; ft to 1); infinities and NaN become ``None``
(JSON has neither). Times are ISO 8601: UTC with a ``Z`` suffix, local with its offset,
both to the second. The CSV, GeoJSON and KML exports are built from this document, so
every format shows the same numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from airlift import __version__
from airlift.airfields import Airfield
from airlift.airspace.clearances import ClearanceNeed
from airlift.airspace.zones import Zone
from airlift.errors import InputError
from airlift.mission import Leg, Limit, Load, MissionPlan, Violation

_SEE_UNIT = "unit given by the sibling field `unit`"

UNITS: dict[str, str] = {
    # identifiers and counts
    "index": "0-based leg index (no unit)",
    "number": "1-based leg number (no unit)",
    "leg": "0-based leg index, as legs[].index (no unit)",
    "leg_number": "1-based leg number (no unit)",
    "pallets": "463L pallet positions (count)",
    "pax": "passengers (count)",
    # distances, angles, speeds
    "dist_nm": "NM (nautical miles, WGS84 geodesic ground distance)",
    "air_nm": "NM (nautical miles, air distance after wind)",
    "alternate_nm": "NM (nautical miles, destination to alternate)",
    "course_deg": "degrees true (initial great-circle course, 0-360)",
    "tas_kt": "kt (knots, true airspeed)",
    "gs_kt": "kt (knots, ground speed)",
    "headwind_kt": "kt (knots, positive = headwind)",
    "detour_nm": "NM (extra distance flown around active zones; dist_nm includes it)",
    "distance_nm": "NM (flown over that country, WGS84 geodesic)",
    "route": "[lat, lon] degrees WGS84, the path flown (geodesics between the points)",
    "lead_days": "days (before first use a clearance must be requested)",
    "lower_ft": "ft (bottom of a zone's band, MSL; null = surface)",
    "upper_ft": "ft (top of a zone's band, MSL; null = unlimited)",
    "standoff_nm": "NM (distance a route keeps from a threat zone)",
    # times
    "flight_time_min": "min (take-off to landing)",
    "block_time_min": "min (off-block to on-block)",
    "minutes": "min",
    "limit_min": "min",
    "margin_min": "min",
    "contingency_min_minutes": "min (of holding)",
    "final_reserve_min": "min (of holding)",
    "contingency_pct": "% of trip fuel",
    # masses
    "cargo_kg": "kg",
    "payload_kg": "kg (cargo + passengers)",
    "zfw_kg": "kg (zero-fuel weight)",
    "uplift_kg": "kg (fuel taken on at the origin)",
    "ramp_fuel_kg": "kg (fuel on board at off-block)",
    "taxi_fuel_kg": "kg",
    "trip_fuel_kg": "kg (take-off to landing)",
    "reserve_fuel_kg": "kg (required on landing by the fuel policy)",
    "landing_fuel_kg": "kg (planned on landing)",
    "tankered_kg": "kg (carried beyond the reserve for a stop without fuel)",
    "tow_kg": "kg (take-off weight)",
    "lw_kg": "kg (landing weight)",
    "payload_headroom_kg": "kg (extra payload this limit still allows; null for time/volume)",
    # performance profile (see airlift.performance)
    "cruise_fl": "flight level (hundreds of ft, pressure altitude)",
    "isa_dev_c": "°C (temperature aloft, deviation from ISA)",
    "climb_fuel_kg": "kg (take-off to top of climb)",
    "cruise_fuel_kg": "kg (top of climb to top of descent)",
    "descent_fuel_kg": "kg (top of descent to landing)",
    "climb_min": "min",
    "cruise_min": "min",
    "descent_min": "min",
    "final_reserve_kg": "kg (final reserve: holding at max-endurance speed)",
    "alternate_fuel_kg": "kg (to the alternate, or isolated-aerodrome fuel)",
    "contingency_fuel_kg": "kg",
    "endurance_h": "h (fuel on board at take-off, to dry tanks, at the leg's level and speed)",
    "takeoff_distance_m": "m (take-off distance on the policy's basis, see takeoff_basis)",
    "landing_distance_m": "m (landing distance on the policy's basis, see landing_basis)",
    "hold_ft": "ft (final-reserve holding height)",
    "max_alternate_nm": "NM (farthest alternate the policy accepts)",
    "landing_factor": "factor on the landing distance over 50 ft (no unit)",
    # weather and airfields
    "origin_oat_c": "°C (outside air temperature)",
    "destination_oat_c": "°C (outside air temperature)",
    "origin_density_alt_ft": "ft (density altitude)",
    "destination_density_alt_ft": "ft (density altitude)",
    "elevation_ft": "ft (above mean sea level)",
    # limits
    "margin": "unit given by margin_unit (limit - actual; negative = broken)",
    "limit": _SEE_UNIT,
    "actual": _SEE_UNIT,
    "excess": _SEE_UNIT + " (amount by which the limit is broken)",
}
"""The unit of every numeric field name used by the document and the other exports."""

# Decimal places by field-name suffix; anything not listed gets one decimal.
_DECIMALS = {"_ft": 0}
_INT_FIELDS = frozenset({"index", "number", "leg", "leg_number", "pallets", "pax", "cruise_fl"})
# Placed first in every leg, in this order; the other Leg fields follow in declaration order.
_LEG_HEAD = (
    "index",
    "number",
    "origin",
    "destination",
    "feasible",
    "binding_limit",
    "margin",
    "margin_unit",
)


def number(value: float | None, decimals: int = 1) -> float | None:
    """``value`` rounded for display, as a plain float; ``None`` for None, inf and NaN."""
    if value is None:
        return None
    v = float(value)
    if not math.isfinite(v):
        return None
    return round(v, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


@cache
def _decimals(name: str) -> int:
    return next((d for suffix, d in _DECIMALS.items() if name.endswith(suffix)), 1)


def _field_value(name: str, value: float) -> float | int | None:
    if name in _INT_FIELDS:
        return int(value)
    return number(value, _decimals(name))


def _round_second(t: datetime) -> datetime:
    return (t + timedelta(microseconds=500_000)).replace(microsecond=0)


def iso_utc(t: datetime) -> str:
    """``2023-10-27T06:30:00Z``: UTC, to the second."""
    # isoformat, not strftime: a quarter of the time, and a plan document has dozens of times.
    return _round_second(t.astimezone(UTC)).replace(tzinfo=None).isoformat() + "Z"


def iso_local(t: datetime) -> str:
    """``2023-10-27T07:30:00+01:00``: local time with its UTC offset, to the second."""
    return _round_second(t).isoformat(timespec="seconds")


def _zone_name(t: datetime) -> str | None:
    return t.tzinfo.key if isinstance(t.tzinfo, ZoneInfo) else None


def leg_feasible(leg: Leg) -> bool:
    """True when no limit of the leg is broken."""
    return not any(lim.violated for lim in leg.limits)


def leg_violations(plan: MissionPlan, index: int) -> list[str]:
    """Messages of the violations on leg ``index`` (0-based)."""
    return [v.message for v in plan.violations if v.leg == index]


def limit_dict(lim: Limit) -> dict[str, Any]:
    return {
        "name": lim.name,
        "limit": number(lim.limit),
        "actual": number(lim.actual),
        "margin": number(lim.margin),
        "unit": lim.unit,
        "violated": lim.violated,
        "detail": lim.detail,
        "payload_headroom_kg": number(lim.payload_headroom_kg),
    }


def violation_dict(v: Violation) -> dict[str, Any]:
    return {
        "leg": v.leg,
        "leg_number": v.leg + 1,
        "limit": v.limit,
        "excess": number(v.excess),
        "unit": v.unit,
        "message": v.message,
    }


def clearance_dict(c: ClearanceNeed) -> dict[str, Any]:
    """One diplomatic clearance the plan needs."""
    return {
        "country": c.country,
        "kind": c.kind,
        "first_use_utc": iso_utc(c.first_use_utc),
        "latest_request_date": c.latest_request_date.isoformat(),
        "lead_days": c.lead_days,
        "hazardous": c.hazardous,
        "obtainable": c.obtainable,
        "source": c.source,
    }


def zone_dict(z: Zone) -> dict[str, Any]:
    """A zone the plan was routed around (its geometry is in the GeoJSON and KML exports)."""
    return {
        "name": z.name,
        "kind": z.kind,
        "lower_ft": number(z.lower_ft, 0),
        "upper_ft": number(z.upper_ft, 0),
        "from_utc": iso_utc(z.from_utc) if z.from_utc else None,
        "until_utc": iso_utc(z.until_utc) if z.until_utc else None,
        "standoff_nm": number(z.standoff_m / 1852.0),
        "note": z.note,
    }


def _load_dict(load: Load) -> dict[str, Any]:
    return {"cargo_kg": number(load.cargo_kg), "pallets": int(load.pallets), "pax": int(load.pax)}


_LEG_FIELDS = tuple(f.name for f in fields(Leg) if f.name != "limits")
"""Leg fields in declaration order; ``limits`` goes last, as a list of dicts."""


def leg_dict(leg: Leg) -> dict[str, Any]:
    """Every field of ``leg``; the load flattened to cargo_kg/pallets/pax, limits as dicts."""
    out: dict[str, Any] = dict.fromkeys(_LEG_HEAD)
    out["number"] = leg.index + 1
    out["feasible"] = leg_feasible(leg)
    for name in _LEG_FIELDS:
        value = getattr(leg, name)
        if isinstance(value, Load):
            out.update(_load_dict(value))
        elif isinstance(value, datetime):
            out[name] = iso_utc(value) if name.endswith("_utc") else iso_local(value)
        elif name == "route":
            out[name] = [[round(lat, 5), round(lon, 5)] for lat, lon in value]
        elif name == "country_passages":
            out[name] = [
                {"iso3": p.iso3, "name": p.name, "distance_nm": number(p.distance_nm)}
                for p in value
            ]
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            out[name] = list(value)
        elif isinstance(value, bool | str) or value is None:
            out[name] = value
        elif isinstance(value, int | float):
            out[name] = _field_value(name, value)
        else:  # a new Leg field of a type this exporter does not know
            raise TypeError(f"Leg.{name}: cannot export a {type(value).__name__}")
    out["origin_tz"] = _zone_name(leg.etd_local)
    out["destination_tz"] = _zone_name(leg.eta_local)
    out["limits"] = [limit_dict(lim) for lim in leg.limits]
    return out


def duty_limit_min(plan: MissionPlan) -> float | None:
    """The crew duty limit (min) the plan was checked against; None if no leg has one."""
    for leg in reversed(plan.legs):
        for lim in leg.limits:
            if lim.name == "duty":
                return lim.limit
    return None


def plan_document(plan: MissionPlan) -> dict[str, Any]:
    """The plan as a JSON-ready dict (see the module docstring for rounding and units)."""
    route = [leg.origin for leg in plan.legs[:1]] + [leg.destination for leg in plan.legs]
    duty_limit = duty_limit_min(plan)
    policy = plan.policy
    return {
        "feasible": plan.feasible,
        "generator": f"airlift {__version__}",
        "aircraft": plan.aircraft,
        "tail": plan.tail,
        "fuel_policy": {
            "name": policy.name,
            "description": policy.description,
            "contingency_pct": number(policy.contingency_pct),
            "contingency_min_minutes": number(policy.contingency_min_minutes),
            "final_reserve_min": number(policy.final_reserve_min),
            "alternate": policy.alternate,
        },
        "departure_utc": iso_utc(plan.departure_utc),
        "route": route,
        "duty": {
            "start_utc": iso_utc(plan.duty_start_utc),
            "end_utc": iso_utc(plan.duty_end_utc),
            "minutes": number(plan.duty_min),
            "limit_min": number(duty_limit),
            "margin_min": number(None if duty_limit is None else duty_limit - plan.duty_min),
        },
        "totals": {
            "dist_nm": number(plan.total_dist_nm),
            "flight_time_min": number(plan.total_flight_time_min),
            "block_time_min": number(sum(leg.block_time_min for leg in plan.legs)),
            "uplift_kg": number(plan.total_uplift_kg),
            "trip_fuel_kg": number(sum(leg.trip_fuel_kg for leg in plan.legs)),
        },
        "violations": [violation_dict(v) for v in plan.violations],
        "warnings": list(plan.warnings),
        "clearances": [clearance_dict(c) for c in plan.clearances],
        "zones": [zone_dict(z) for z in plan.zones],
        "legs": [leg_dict(leg) for leg in plan.legs],
        "units": dict(UNITS),
    }


def check_stops(plan: MissionPlan, stops: Sequence[Airfield]) -> None:
    """Raise InputError unless ``stops`` are the plan's stops, in order."""
    codes = [s.icao for s in stops]
    route = [leg.origin for leg in plan.legs[:1]] + [leg.destination for leg in plan.legs]
    if codes != route:
        raise InputError(
            f"stops {' -> '.join(codes) or '(none)'} are not the plan's stops "
            f"{' -> '.join(route)}: pass the stops the plan was made from"
        )


def dumps(doc: Any, *, indent: int | None = 2) -> str:
    """JSON text; refuses inf/NaN (``number`` has already replaced them by null)."""
    separators = None if indent is not None else (",", ":")
    return (
        json.dumps(doc, indent=indent, ensure_ascii=False, allow_nan=False, separators=separators)
        + "\n"
    )


def write_json(plan: MissionPlan, path: str | Path) -> Path:
    """Write :func:`plan_document` as UTF-8 JSON (indent 2); returns the path written."""
    out = Path(path)
    out.write_text(dumps(plan_document(plan)), encoding="utf-8")
    return out
