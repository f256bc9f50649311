"""The printable mission brief: one mission of a programme document as a self-contained page.

:func:`mission_brief_html` renders ``templates/brief.html``: A4, a print stylesheet, no
script, no font, no image, no link to anything outside the page, so it prints and archives
as it is. Every number carries its unit; times are UTC with the local time beside them.
The numbers are the programme document's (already rounded by the export layer), so the
brief shows exactly what the JSON, CSV, GeoJSON and KML exports show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from airlift import __version__
from airlift.airfields import Airfield
from airlift.export.programme import dangerous_goods_on_leg, dangerous_goods_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
LEGS_PER_TABLE = 6
"""Legs side by side in one table of leg details (an A4 page's width at 8 pt)."""


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def qty(value: Any, unit: str, decimals: int = 1) -> str:
    """``12,000.0 kg``; ``n/a`` for a missing number."""
    if value is None or isinstance(value, bool):
        return "n/a"
    return f"{float(value):,.{decimals}f} {unit}".strip()


def count(value: Any, unit: str) -> str:
    """``4 pallet positions``: a whole number with its unit."""
    if value is None:
        return "n/a"
    return f"{int(value):,d} {unit}"


def minutes(value: Any) -> str:
    """``342.0 min (5 h 42 min)``."""
    if value is None:
        return "n/a"
    total = round(float(value))
    return f"{float(value):,.1f} min ({total // 60} h {total % 60:02d} min)"


def utc_time(text: str | None) -> str:
    """``2023-10-27 06:00Z`` from an ISO UTC time."""
    if not text:
        return "n/a"
    return f"{datetime.fromisoformat(text):%Y-%m-%d %H:%M}Z"


def local_time(text: str | None, zone: str | None = None) -> str:
    """``07:00 local (UTC+01:00, Africa/Niamey)`` from an ISO local time with its offset."""
    if not text:
        return "n/a"
    t = datetime.fromisoformat(text)
    offset = t.strftime("%z")
    sign_hm = f"{offset[:3]}:{offset[3:]}" if offset else ""
    where = f"UTC{sign_hm}" + (f", {zone}" if zone else "")
    return f"{t:%H:%M} local ({where})"


def hhmm_z(text: str | None) -> str:
    """``06:30Z`` from an ISO UTC time (the nav log's date is the mission's)."""
    return "n/a" if not text else f"{datetime.fromisoformat(text):%H:%M}Z"


def hhmm_local(text: str | None) -> str:
    """``07:30 L (UTC+1)`` from an ISO local time with its offset (``UTC+5:30`` where the
    offset has minutes)."""
    if not text:
        return "n/a"
    t = datetime.fromisoformat(text)
    delta = t.utcoffset()
    if delta is None:
        return f"{t:%H:%M}"
    minutes_east = round(delta.total_seconds() / 60)
    sign, whole = ("+" if minutes_east >= 0 else "-"), abs(minutes_east)
    offset = f"{sign}{whole // 60}" + (f":{whole % 60:02d}" if whole % 60 else "")
    return f"{t:%H:%M} L (UTC{offset})"


def hours_minutes(value: Any) -> str:
    """``1 h 42 min`` from minutes."""
    if value is None:
        return "n/a"
    total = round(float(value))
    return f"{total // 60} h {total % 60:02d} min"


def kg(value: Any) -> str:
    """``12,345`` (kg, stated in the column head)."""
    return "n/a" if value is None or isinstance(value, bool) else f"{float(value):,.0f}"


def _degrees(value: Any) -> str:
    return "n/a" if value is None else f"{float(value):05.1f}° true"


def yes_no(value: bool | None, unknown: str = "unknown") -> str:
    return unknown if value is None else ("yes" if value else "no")


def _lift_ids(mission: Mapping[str, Any], index: int) -> list[str]:
    return [
        str(lift["lift_id"])
        for lift in mission.get("lifts", [])
        if lift["pickup_leg"] <= index <= lift["delivery_leg"]
    ]


def _dangerous_goods(mission: Mapping[str, Any], index: int) -> list[dict[str, str]]:
    """The hazardous lifts on board during leg ``index`` (0-based), as the brief lists them."""
    return [_notoc_row(lift) for lift in dangerous_goods_on_leg(mission, index)]


def _notoc_row(lift: Mapping[str, Any]) -> dict[str, str]:
    legs = (
        f"legs {lift['pickup_leg_number']}-{lift['delivery_leg_number']}"
        if lift["pickup_leg_number"] != lift["delivery_leg_number"]
        else f"leg {lift['pickup_leg_number']}"
    )
    return {
        "un_number": str(lift.get("un_number") or ""),
        "dg_class": str(lift.get("dg_class") or ""),
        "description": str(lift.get("description") or ""),
        "quantity": qty(lift.get("cargo_kg"), "kg", 0),
        "loaded_at": str(lift["origin"]),
        "offloaded_at": str(lift["destination"]),
        "legs": legs,
        "lift": f"{lift['lift_id']} ({lift['request_id']})",
        "text": dangerous_goods_text(lift),
    }


def _margin(leg: Mapping[str, Any], decimals: int | None = None) -> str:
    unit = str(leg.get("margin_unit") or "")
    if decimals is None:
        decimals = 0 if unit in ("positions", "seats") else 1
    return qty(leg.get("margin"), unit, decimals)


def _leg_view(mission: Mapping[str, Any], leg: Mapping[str, Any], plan: Mapping[str, Any]) -> Any:
    index = int(leg["index"])
    violations = [
        str(v["message"]) for v in plan.get("violations", []) if int(v.get("leg", -1)) == index
    ]
    return {
        "number": leg["number"],
        "origin": leg["origin"],
        "destination": leg["destination"],
        "etd_utc": utc_time(leg.get("etd_utc")),
        "eta_utc": utc_time(leg.get("eta_utc")),
        "etd_local": local_time(leg.get("etd_local"), leg.get("origin_tz")),
        "eta_local": local_time(leg.get("eta_local"), leg.get("destination_tz")),
        "takeoff_utc": utc_time(leg.get("takeoff_utc")),
        "landing_utc": utc_time(leg.get("landing_utc")),
        "dist_nm": qty(leg.get("dist_nm"), "NM"),
        "course_deg": _degrees(leg.get("course_deg")),
        "gs_kt": qty(leg.get("gs_kt"), "kt", 0),
        "headwind_kt": qty(leg.get("headwind_kt"), "kt headwind", 0),
        "flight_time_min": minutes(leg.get("flight_time_min")),
        "block_time_min": hours_minutes(leg.get("block_time_min")),
        "uplift_kg": qty(leg.get("uplift_kg"), "kg"),
        "ramp_fuel_kg": qty(leg.get("ramp_fuel_kg"), "kg"),
        "taxi_fuel_kg": qty(leg.get("taxi_fuel_kg"), "kg"),
        "trip_fuel_kg": qty(leg.get("trip_fuel_kg"), "kg"),
        "reserve_fuel_kg": qty(leg.get("reserve_fuel_kg"), "kg"),
        "landing_fuel_kg": qty(leg.get("landing_fuel_kg"), "kg"),
        "tankered_kg": qty(leg.get("tankered_kg"), "kg"),
        "cargo_kg": qty(leg.get("cargo_kg"), "kg", 0),
        "pallets": count(leg.get("pallets"), "pallet positions"),
        "pax": count(leg.get("pax"), "pax"),
        "payload_kg": qty(leg.get("payload_kg"), "kg"),
        "lifts": ", ".join(_lift_ids(mission, index)) or "none (positioning)",
        "zfw_kg": qty(leg.get("zfw_kg"), "kg"),
        "tow_kg": qty(leg.get("tow_kg"), "kg"),
        "lw_kg": qty(leg.get("lw_kg"), "kg"),
        "binding_limit": leg.get("binding_limit") or "n/a",
        "margin": _margin(leg),
        "takeoff_runway": leg.get("takeoff_runway") or "n/a",
        "landing_runway": leg.get("landing_runway") or "n/a",
        "origin_oat_c": qty(leg.get("origin_oat_c"), "°C", 0),
        "destination_oat_c": qty(leg.get("destination_oat_c"), "°C", 0),
        "origin_density_alt_ft": qty(leg.get("origin_density_alt_ft"), "ft", 0),
        "destination_density_alt_ft": qty(leg.get("destination_density_alt_ft"), "ft", 0),
        "alternate": leg.get("alternate") or "none",
        "alternate_nm": qty(leg.get("alternate_nm"), "NM", 0),
        "feasible": bool(leg.get("feasible", True)),
        "violations": violations,
        "dangerous_goods": _dangerous_goods(mission, index),
        "countries": _countries(leg),
        "detour_nm": qty(leg.get("detour_nm"), "NM"),
        "zones_avoided": ", ".join(str(z) for z in leg.get("zones_avoided") or []) or "none",
        # the navigation log: the unit is in the column head
        "etd_z": hhmm_z(leg.get("etd_utc")),
        "takeoff_z": hhmm_z(leg.get("takeoff_utc")),
        "landing_z": hhmm_z(leg.get("landing_utc")),
        "eta_z": hhmm_z(leg.get("eta_utc")),
        "etd_l": hhmm_local(leg.get("etd_local")),
        "eta_l": hhmm_local(leg.get("eta_local")),
        "dist": kg(leg.get("dist_nm")),
        "margin_short": _margin(leg, 0),
        "flight": hours_minutes(leg.get("flight_time_min")),
        "trip": kg(leg.get("trip_fuel_kg")),
        "reserve": kg(leg.get("reserve_fuel_kg")),
        "landing": kg(leg.get("landing_fuel_kg")),
        "tow": kg(leg.get("tow_kg")),
        "payload": kg(leg.get("payload_kg")),
        "fuel_line": " / ".join(
            kg(leg.get(k)) for k in ("uplift_kg", "ramp_fuel_kg", "taxi_fuel_kg", "tankered_kg")
        )
        + " kg",
        "zfw_lw": f"{kg(leg.get('zfw_kg'))} / {kg(leg.get('lw_kg'))} kg",
    }


def _countries(leg: Mapping[str, Any]) -> str:
    """``MLI 312.4 NM, NER 120.0 NM`` in the order flown (``n/a``: not known)."""
    passages = leg.get("country_passages")
    if passages:
        return ", ".join(
            f"{p.get('iso3') or 'sea'} {qty(p.get('distance_nm'), 'NM')}" for p in passages
        )
    codes = leg.get("countries")
    return ", ".join(str(c) for c in codes) if codes else "n/a"


STATUS_ORDER = ("granted", "requested", "needed", "refused")
"""Which of several records of one country and kind the brief shows: the best news first."""


def _record_for(
    need: Mapping[str, Any], records: Sequence[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The stored record of the clearance ``need`` (same country and kind): a granted one
    valid on the first use before any other, then by status, then the newest."""
    day = str(need.get("first_use_utc") or "")[:10]

    def valid(r: Mapping[str, Any]) -> bool:
        start, end = r.get("valid_from"), r.get("valid_until")
        return (not start or str(start) <= day) and (not end or day <= str(end))

    found = [
        r
        for r in records
        if r.get("country") == need.get("country") and r.get("kind") == need.get("kind")
    ]
    if not found:
        return None
    status = {name: i for i, name in enumerate(STATUS_ORDER)}
    return min(
        found,
        key=lambda r: (
            status.get(str(r.get("status")), len(STATUS_ORDER)),
            not valid(r),
            -int(r.get("id") or 0),
        ),
    )


def _record_text(record: Mapping[str, Any] | None, first_use: str) -> str:
    if record is None:
        return "not recorded"
    state = str(record.get("status"))
    if state != "granted":
        return state
    text = f"granted, no. {record.get('number')}"
    start, end = record.get("valid_from"), record.get("valid_until")
    if start or end:
        text += f" (valid {start or '…'} to {end or '…'})"
        day = first_use[:10]
        if (start and day < str(start)) or (end and day > str(end)):
            text += f": NOT VALID on {day}"
    return text


def clearance_rows(
    plan: Mapping[str, Any], records: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Each clearance the plan needs with the stored record that answers it."""
    rows = []
    for need in plan.get("clearances", []):
        record = _record_for(need, records)
        first_use = str(need.get("first_use_utc") or "")
        rows.append(
            {
                "country": need.get("country"),
                "kind": need.get("kind"),
                "first_use": utc_time(first_use or None),
                "request_by": str(need.get("latest_request_date") or "n/a"),
                "lead_days": need.get("lead_days"),
                "in_time": bool(need.get("obtainable")),
                "hazardous": bool(need.get("hazardous")),
                "record": _record_text(record, first_use),
                "granted": record is not None and record.get("status") == "granted",
            }
        )
    return rows


def _hazard_label(lift: Mapping[str, Any]) -> str:
    """``UN1863 class 3`` / ``hazardous, class not given`` / "" for a lift."""
    if not lift.get("hazardous"):
        return ""
    if lift.get("dg_class"):
        return f"{lift.get('un_number') or 'UN number not given'} class {lift['dg_class']}"
    return "hazardous, class not given"


def _runways(legs: list[Mapping[str, Any]], stop: int) -> str:
    """Runways used at stop ``stop`` (0-based position in the route)."""
    used = []
    if stop > 0:
        used.append(f"landing {legs[stop - 1].get('landing_runway') or 'n/a'}")
    if stop < len(legs):
        used.append(f"take-off {legs[stop].get('takeoff_runway') or 'n/a'}")
    return "; ".join(used)


def _stop_view(
    icao: str, stop: int, legs: list[Mapping[str, Any]], airfields: Mapping[str, Airfield]
) -> dict[str, Any]:
    a = airfields.get(icao)
    if a is None:
        return {
            "icao": icao,
            "name": "(not in the airfield data)",
            "runways": _runways(legs, stop),
            "elevation": "n/a",
            "fuel": "unknown",
            "daylight": "unknown",
            "daylight_source": "",
            "mog": "unknown",
            "hours": "unknown",
            "tz": "n/a",
            "notes": "",
            "source": "",
        }
    p = a.planning
    hours = f"{p.hours_utc[0]}-{p.hours_utc[1]}" if p.hours_utc else "none known"
    return {
        "icao": a.icao,
        "name": a.name,
        "runways": _runways(legs, stop),
        "elevation": qty(a.elevation_ft, "ft", 0),
        "fuel": yes_no(p.fuel_available, "unknown (planned as none)"),
        "daylight": yes_no(p.daylight_only),
        "daylight_source": p.daylight_source,
        "mog": count(p.mog, "aircraft") if p.mog is not None else "not known",
        "hours": hours,
        "tz": a.tz,
        "notes": p.notes,
        "source": p.source,
    }


def mission_brief_html(
    mission: Mapping[str, Any],
    airfields: Mapping[str, Airfield],
    clearances: Sequence[Mapping[str, Any]] = (),
) -> str:
    """The printable brief of ``mission`` (one entry of a programme document's
    ``missions``). ``airfields`` by ICAO supply the stop notes (runways, fuel, daylight,
    MOG, notes); a stop missing from it is shown as unknown, never guessed. ``clearances``:
    the stored clearance records (``store.airspace.clearance_records``), whose status and
    number are shown against each clearance the plan needs."""
    plan: Mapping[str, Any] = mission["plan"]
    legs: list[Mapping[str, Any]] = list(plan.get("legs", []))
    route: list[str] = [str(c) for c in mission.get("route") or plan.get("route") or []]
    duty = plan.get("duty", {})
    totals = plan.get("totals", {})
    policy = plan.get("fuel_policy", {})
    lifts = [
        {
            "lift_id": lift["lift_id"],
            "request_id": lift["request_id"],
            "origin": lift["origin"],
            "destination": lift["destination"],
            "cargo_kg": qty(lift.get("cargo_kg"), "kg", 0),
            "pallets": count(lift.get("pallets"), "pallets"),
            "pax": count(lift.get("pax"), "pax"),
            "legs": f"legs {lift['pickup_leg_number']}-{lift['delivery_leg_number']}"
            if lift["pickup_leg_number"] != lift["delivery_leg_number"]
            else f"leg {lift['pickup_leg_number']}",
            "description": str(lift.get("description") or ""),
            "hazard": _hazard_label(lift),
        }
        for lift in mission.get("lifts", [])
    ]
    notoc = [_notoc_row(lift) for lift in mission.get("lifts", []) if lift.get("hazardous")]
    # A run stored before lifts carried their cargo: say so rather than "no dangerous goods".
    cargo_unknown = any("hazardous" not in lift for lift in mission.get("lifts", []))
    leg_views = [_leg_view(mission, leg, plan) for leg in legs]
    stops = [_stop_view(icao, i, legs, airfields) for i, icao in enumerate(route)]
    airfield_rows: dict[str, dict[str, Any]] = {}
    for i, view in enumerate(stops, start=1):
        row = airfield_rows.setdefault(view["icao"], {**view, "numbers": [], "used": []})
        row["numbers"].append(str(i))
        row["used"].append(view["runways"])
    for row in airfield_rows.values():
        row["stop_numbers"] = ", ".join(row["numbers"])
        row["runways"] = "; ".join(row["used"])
    context = {
        "generator": f"airlift {__version__}",
        "tail": mission.get("tail") or plan.get("tail") or "n/a",
        "aircraft": mission.get("aircraft") or plan.get("aircraft") or "n/a",
        "nation": mission.get("nation") or "n/a",
        "day": mission.get("day"),
        "date": mission.get("date") or "n/a",
        "route": route,
        "route_text": " → ".join(route),
        "feasible": bool(plan.get("feasible", True)),
        "departure_utc": utc_time(plan.get("departure_utc")),
        "policy": policy,
        "contingency_pct": qty(policy.get("contingency_pct"), "% of trip fuel"),
        "final_reserve_min": qty(policy.get("final_reserve_min"), "min"),
        "duty_start": utc_time(duty.get("start_utc")),
        "duty_end": utc_time(duty.get("end_utc")),
        "duty_min": hours_minutes(duty.get("minutes")),
        "duty_limit": hours_minutes(duty.get("limit_min")),
        "duty_margin": qty(duty.get("margin_min"), "min"),
        "total_dist": qty(totals.get("dist_nm"), "NM"),
        "total_flight": hours_minutes(totals.get("flight_time_min")),
        "total_block": hours_minutes(totals.get("block_time_min")),
        "total_uplift": qty(totals.get("uplift_kg"), "kg"),
        "total_trip_fuel": qty(totals.get("trip_fuel_kg"), "kg"),
        "lifts": lifts,
        "legs": leg_views,
        "leg_groups": [
            leg_views[i : i + LEGS_PER_TABLE] for i in range(0, len(leg_views), LEGS_PER_TABLE)
        ],
        "notoc": notoc,
        "notoc_incomplete": any(not (r["dg_class"] and r["un_number"]) for r in notoc),
        "cargo_unknown": cargo_unknown,
        "zones": sorted(
            {f"{s['icao']} {s['tz']}" for s in stops if s["tz"] != "n/a"},
        ),
        "violations": [str(v.get("message", "")) for v in plan.get("violations", [])],
        "warnings": [str(w) for w in plan.get("warnings", [])],
        "stops": stops,
        "airfield_rows": list(airfield_rows.values()),
        "clearances": clearance_rows(plan, clearances),
        "has_airspace": any("country_passages" in leg for leg in legs),
    }
    return _environment().get_template("brief.html").render(**context)
