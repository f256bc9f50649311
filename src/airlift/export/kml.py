"""The plan as KML 2.2 (OGC 07-147r2) for Google Earth and GIS tools.

A Document with the mission summary, three Styles, a Folder of stop Placemarks (Points) and
a Folder of leg Placemarks (tessellated LineStrings along the densified geodesic). Each leg
carries a TimeSpan (off-block to on-block), a plain-text description with every number and
its unit, and ExtendedData whose names carry the units (dist_nm, tow_kg ...). Children are
written in the order the KML 2.2 schema requires. Built with xml.etree.ElementTree only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from airlift.airfields import Airfield
from airlift.export.document import (
    check_stops,
    duty_limit_min,
    iso_utc,
    leg_dict,
    leg_violations,
    number,
    zone_dict,
)
from airlift.export.geojson import LEG_PROPERTIES, Position, leg_track
from airlift.mission import Leg, MissionPlan

KML_NS = "http://www.opengis.net/kml/2.2"

_AIRPORT_ICON = "http://maps.google.com/mapfiles/kml/shapes/airports.png"
# KML colours are aabbggrr.
_STYLES = {
    "stop": ("IconStyle", "ff00ffff"),
    "leg-ok": ("LineStyle", "ff00b400"),
    "leg-violated": ("LineStyle", "ff0000ff"),
    "zone": ("PolyStyle", "660000ff"),  # translucent red
}


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    child = ET.SubElement(parent, tag, attrib)
    if text is not None:
        child.text = text
    return child


def _q(value: float | None, unit: str, decimals: int = 1) -> str:
    """``12,000.0 kg``; ``n/a`` for a missing number."""
    v = number(value, decimals)
    if v is None:
        return "n/a"
    return f"{v:,.{decimals}f} {unit}"


def _hm(minutes: float) -> str:
    total = round(minutes)
    return f"{minutes:,.1f} min ({total // 60} h {total % 60:02d} min)"


def _coords(points: Sequence[Position]) -> str:
    return " ".join(f"{lon:.6f},{lat:.6f},0" for lon, lat in points)


def _styles(doc: ET.Element) -> None:
    for style_id, (kind, colour) in _STYLES.items():
        style = _el(doc, "Style", id=style_id)
        sub = _el(style, kind)
        _el(sub, "color", colour)
        if kind == "IconStyle":
            _el(sub, "scale", "1.2")
            icon = _el(sub, "Icon")
            _el(icon, "href", _AIRPORT_ICON)
        elif kind == "LineStyle":
            _el(sub, "width", "3" if style_id == "leg-ok" else "4")


def _mission_description(plan: MissionPlan) -> str:
    limit = duty_limit_min(plan)
    lines = [
        f"Aircraft {plan.aircraft}" + (f" ({plan.tail})" if plan.tail else ""),
        f"Fuel policy {plan.policy.name}: {plan.policy.description}",
        f"Departure {iso_utc(plan.departure_utc)}",
        f"Total distance {_q(plan.total_dist_nm, 'NM')}",
        f"Total flight time {_hm(plan.total_flight_time_min)}",
        f"Total fuel uplift {_q(plan.total_uplift_kg, 'kg')}",
        f"Crew duty {iso_utc(plan.duty_start_utc)} to {iso_utc(plan.duty_end_utc)}: "
        f"{_hm(plan.duty_min)}" + (f", limit {_q(limit, 'min')}" if limit is not None else ""),
        "Feasible: yes" if plan.feasible else f"NOT FEASIBLE: {len(plan.violations)} violation(s)",
    ]
    lines += [f"Violation: {v.message}" for v in plan.violations]
    lines += [f"Warning: {w}" for w in plan.warnings]
    return "\n".join(lines)


def _stop_description(stop: Airfield, visits: list[int]) -> str:
    fuel = {True: "yes", False: "no", None: "unknown (planned as none)"}
    return "\n".join(
        [
            stop.name,
            f"Elevation {_q(stop.elevation_ft, 'ft', 0)}",
            f"Fuel available: {fuel[stop.planning.fuel_available]}",
            f"Daylight only: {'yes' if stop.planning.daylight_only else 'no'} "
            f"({stop.planning.daylight_source})",
            f"Time zone {stop.tz}",
            "Stop number(s) " + ", ".join(str(i + 1) for i in visits),
        ]
    )


def _margin_text(leg: Leg) -> str:
    decimals = 0 if leg.margin_unit in ("positions", "seats") else 1
    return f"{leg.binding_limit} (margin {_q(leg.margin, leg.margin_unit, decimals)})"


def _leg_description(plan: MissionPlan, leg: Leg, data: dict[str, Any]) -> str:
    lines = [
        f"Leg {leg.index + 1}: {leg.origin} to {leg.destination}",
        f"ETD {data['etd_utc']} (local {data['etd_local']})",
        f"ETA {data['eta_utc']} (local {data['eta_local']})",
        f"Distance {_q(leg.dist_nm, 'NM')}, initial course {leg.course_deg:05.1f}° true",
        f"Ground speed {_q(leg.gs_kt, 'kt')}, headwind {_q(leg.headwind_kt, 'kt')}",
        f"Flight time {_hm(leg.flight_time_min)}; block time {_hm(leg.block_time_min)}",
        f"Load: cargo {_q(leg.load.cargo_kg, 'kg')}, {leg.load.pallets} pallet position(s), "
        f"{leg.load.pax} pax; payload {_q(leg.payload_kg, 'kg')}",
        f"Fuel: uplift {_q(leg.uplift_kg, 'kg')}, ramp {_q(leg.ramp_fuel_kg, 'kg')}, "
        f"trip {_q(leg.trip_fuel_kg, 'kg')}, reserve {_q(leg.reserve_fuel_kg, 'kg')}, "
        f"on landing {_q(leg.landing_fuel_kg, 'kg')}, tankered {_q(leg.tankered_kg, 'kg')}",
        f"Weights: ZFW {_q(leg.zfw_kg, 'kg')}, TOW {_q(leg.tow_kg, 'kg')}, "
        f"LW {_q(leg.lw_kg, 'kg')}",
        f"Binding limit: {_margin_text(leg)}",
    ]
    if leg.alternate:
        lines.append(f"Alternate {leg.alternate} at {_q(leg.alternate_nm, 'NM')}")
    messages = leg_violations(plan, leg.index)
    lines += [f"Violation: {m}" for m in messages] or ["All limits met"]
    return "\n".join(lines)


def _extended_data(placemark: ET.Element, values: dict[str, Any]) -> None:
    ext = _el(placemark, "ExtendedData")
    for key, value in values.items():
        data = _el(ext, "Data", name=key)
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, list):
            text = " ".join(str(v) for v in value)
        else:
            text = "" if value is None else str(value)
        _el(data, "value", text)


def _geometry(placemark: ET.Element, parts: list[list[Position]], fallback: Position) -> None:
    def line(parent: ET.Element, points: Sequence[Position]) -> None:
        ls = _el(parent, "LineString")
        _el(ls, "tessellate", "1")
        _el(ls, "coordinates", _coords(points))

    if not parts:  # both ends at one position: a line would be degenerate
        _el(_el(placemark, "Point"), "coordinates", _coords([fallback]))
    elif len(parts) == 1:
        line(placemark, parts[0])
    else:  # cut at the antimeridian
        multi = _el(placemark, "MultiGeometry")
        for part in parts:
            line(multi, part)


def kml_tree(plan: MissionPlan, stops: Sequence[Airfield]) -> ET.ElementTree[ET.Element]:
    """The KML document as an ElementTree. ``stops`` are the stops the plan was made from,
    in order (InputError otherwise).

    In memory the tags are unqualified and the root carries ``xmlns``; written out and
    parsed back, every element is in the KML 2.2 namespace.
    """
    check_stops(plan, stops)
    # Unqualified tags under a default xmlns: ElementTree cannot write a default namespace
    # together with unqualified attributes (id, name), which KML uses.
    root = ET.Element("kml", xmlns=KML_NS)
    doc = _el(root, "Document")
    route = "-".join([stops[0].icao, *(leg.destination for leg in plan.legs)])
    _el(doc, "name", f"{plan.aircraft} {route} {plan.departure_utc:%Y-%m-%d}")
    _el(doc, "open", "1")
    _el(doc, "description", _mission_description(plan))
    _styles(doc)

    folder = _el(doc, "Folder")
    _el(folder, "name", "Stops")
    visits: dict[str, list[int]] = {}
    for i, s in enumerate(stops):
        visits.setdefault(s.icao, []).append(i)
    for s in {s.icao: s for s in stops}.values():
        pm = _el(folder, "Placemark", id=f"stop-{s.icao}")
        _el(pm, "name", s.icao)
        _el(pm, "description", _stop_description(s, visits[s.icao]))
        _el(pm, "styleUrl", "#stop")
        _el(_el(pm, "Point"), "coordinates", f"{s.lon:.6f},{s.lat:.6f},0")

    folder = _el(doc, "Folder")
    _el(folder, "name", "Legs")
    for leg in plan.legs:
        a, b = stops[leg.index], stops[leg.index + 1]
        data = leg_dict(leg)
        pm = _el(folder, "Placemark", id=f"leg-{leg.index + 1}")
        _el(pm, "name", f"Leg {leg.index + 1}: {leg.origin}-{leg.destination}")
        _el(pm, "description", _leg_description(plan, leg, data))
        span = _el(pm, "TimeSpan")
        _el(span, "begin", data["etd_utc"])
        _el(span, "end", data["eta_utc"])
        _el(pm, "styleUrl", "#leg-ok" if data["feasible"] else "#leg-violated")
        _extended_data(pm, {key: data[key] for key in LEG_PROPERTIES})
        _geometry(pm, leg_track(a, b, via=leg.route), (a.lon, a.lat))
    if plan.zones:
        folder = _el(doc, "Folder")
        _el(folder, "name", "Zones")
        for i, z in enumerate(plan.zones):
            pm = _el(folder, "Placemark", id=f"zone-{i + 1}")
            _el(pm, "name", z.name)
            _el(pm, "description", f"{z.kind} zone. {z.note}".strip())
            _el(pm, "styleUrl", "#zone")
            _extended_data(pm, zone_dict(z))
            ring = _el(_el(_el(pm, "Polygon"), "outerBoundaryIs"), "LinearRing")
            _el(
                ring,
                "coordinates",
                " ".join(f"{x:.6f},{y:.6f},0" for x, y in z.area.exterior.coords),
            )
    ET.indent(root)
    return ET.ElementTree(root)


def write_kml(plan: MissionPlan, stops: Sequence[Airfield], path: str | Path) -> Path:
    """Write :func:`kml_tree` as UTF-8 KML 2.2; returns the path written."""
    out = Path(path)
    root = kml_tree(plan, stops).getroot()
    out.write_bytes(ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n")
    return out
