"""Exports of a flying programme: JSON document, legs CSV, requests CSV, GeoJSON and KML
(two programmes compared by their figures: :mod:`airlift.export.programme_compare`).

Built on the mission-plan exports: each mission's plan is :func:`plan_document` (same
rounding, same units, same ISO times), the legs CSV takes its cells from
:func:`~airlift.export.csv_table.csv_rows`, and the map uses the densified geodesic tracks
of :mod:`airlift.export.geojson`. Mission days are 1-based in every export (day 1 is the
scenario's first day); dates are UTC.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from airlift import __version__
from airlift.airfields import Airfield, lookup
from airlift.export.csv_table import _cell
from airlift.export.document import dumps, iso_utc, number, plan_document
from airlift.export.geojson import LEG_PROPERTIES, _geometry, _pos, _stop_features, leg_track
from airlift.export.kml import KML_NS, _el, _extended_data, _hm, _q, _styles
from airlift.export.kml import _geometry as _kml_geometry
from airlift.scheduling.programme import Kpis, LiftOnBoard, Mission, Programme, RequestStatus

PROGRAMME_UNITS: dict[str, str] = {
    # programme
    "days": "days (length of the scenario)",
    "day": "1-based scenario day (day 1 starts at start_utc)",
    "solve_seconds": "s (wall-clock time of the scheduler)",
    "cut_short": "true when the time limit stopped a step early (no unit)",
    "objective": "scheduler objective (no unit; lower is better)",
    # KPIs
    "tonnes_delivered": "t (tonnes, 1,000 kg of cargo delivered)",
    "pax_delivered": "passengers delivered (count)",
    "requests": "movement requests (count)",
    "delivered": "requests fully delivered (count)",
    "partial": "requests partly delivered (count)",
    "unmet": "requests not delivered at all (count)",
    "required_unmet": "non-optional requests not delivered at all (count)",
    "on_time_pct": "% of delivered requests delivered by their latest time",
    "flying_hours": "h (take-off to landing, all missions)",
    "missions": "missions flown (count; one per tail per day)",
    "tails_used": "tails flying at least one mission (count)",
    "utilisation_h_per_day": "h of flight per available day, by tail",
    "legs_checked": "legs checked by the mission planner (count)",
    "legs_passing": "legs passing every limit (count)",
    # objective figures, in the scheduler's order (:data:`OBJECTIVE_FIGURES`)
    "required": "non-optional movement requests (count)",
    "required_served": "non-optional requests delivered in full (count)",
    "priority_weighted_t": "t (payload delivered, passengers at 100 kg each, times the "
    "priority weight: 8, 4, 2, 1 for priority 1 to 4)",
    # requests
    "priority": "1 (most urgent) to 4 (least)",
    "lifts": "lifts the request was split into (count)",
    "lifts_delivered": "lifts delivered (count)",
    # missions and lifts
    "flight_time_min": "min (take-off to landing)",
    "cargo_kg": "kg",
    "pallets": "463L pallet positions (count)",
    "pax": "passengers (count)",
    "pickup_leg": "0-based leg index where the lift is loaded (at the leg's origin)",
    "delivery_leg": "0-based leg index where the lift is unloaded (at the leg's destination)",
    "pickup_leg_number": "1-based leg number where the lift is loaded",
    "delivery_leg_number": "1-based leg number where the lift is unloaded",
}
"""The unit (or meaning) of every numeric field of the programme document outside the
mission plans; each plan document carries its own ``units``."""

# Decimals of the KPI numbers: tonnes to the kg, hours to the minute or so, % to 0.1.
_KPI_DECIMALS = {"tonnes_delivered": 3, "flying_hours": 2, "utilisation_h_per_day": 2}

LEG_COLUMNS = (
    "tail",
    "aircraft",
    "nation",
    "day",
    "date",
    "leg",
    "origin",
    "destination",
    "etd_utc",
    "eta_utc",
    "etd_local",
    "eta_local",
    "dist_nm",
    "flight_time_min",
    "cargo_kg",
    "pallets",
    "pax",
    "lifts",
    "trip_fuel_kg",
    "uplift_kg",
    "tow_kg",
    "feasible",
    "binding_limit",
    "margin",
    "margin_unit",
    "dangerous_goods",
)
"""Columns of :func:`write_programme_csv`; ``leg`` is the 1-based leg number within the
mission, ``lifts`` the ids of the lifts on board joined by spaces, ``dangerous_goods`` each
hazardous lift on board as :func:`dangerous_goods_text` writes it, joined by ``"; "``."""


def mission_date(p: Programme, m: Mission) -> date:
    """The UTC date of a mission's scenario day."""
    return (p.start_utc.astimezone(UTC) + timedelta(days=m.day)).date()


def lifts_on_leg(m: Mission, index: int) -> list[LiftOnBoard]:
    """The lifts on board during leg ``index`` (0-based) of the mission."""
    return [lift for lift in m.lifts if lift.pickup_leg <= index <= lift.delivery_leg]


def _kpi_value(name: str, value: Any) -> Any:
    decimals = _KPI_DECIMALS.get(name, 1)
    if isinstance(value, int):  # bool included
        return value
    if isinstance(value, float):
        return number(value, decimals)
    if isinstance(value, dict):
        return {str(k): _kpi_value(name, v) for k, v in value.items()}
    raise TypeError(f"Kpis.{name}: cannot export a {type(value).__name__}")


def kpis_dict(k: Kpis) -> dict[str, Any]:
    """Every KPI field; units in :data:`PROGRAMME_UNITS`."""
    return {f.name: _kpi_value(f.name, getattr(k, f.name)) for f in fields(Kpis)}


_DOCUMENT_KEYS = {"request_ref": "request_id"}
"""Field -> key in the documents, where they differ (documents keep their published keys)."""


def _key(name: str) -> str:
    return _DOCUMENT_KEYS.get(name, name)


def request_dict(r: RequestStatus) -> dict[str, Any]:
    """Every field of a request status; datetimes ISO UTC with ``Z``, tuples as lists."""
    out: dict[str, Any] = {}
    for f in fields(RequestStatus):
        value = getattr(r, f.name)
        key = _key(f.name)
        if isinstance(value, datetime):
            out[key] = iso_utc(value)
        elif isinstance(value, tuple):
            out[key] = list(value)
        elif isinstance(value, bool | int | str) or value is None:
            out[key] = value
        elif isinstance(value, float):
            out[key] = number(value)
        else:  # a new RequestStatus field of a type this exporter does not know
            raise TypeError(f"RequestStatus.{f.name}: cannot export a {type(value).__name__}")
    return out


def lift_dict(m: Mission, lift: LiftOnBoard) -> dict[str, Any]:
    route = m.route
    return {
        "lift_id": lift.lift_id,
        "request_id": lift.request_ref,
        "origin": route[lift.pickup_leg],
        "destination": route[lift.delivery_leg + 1],
        "cargo_kg": number(lift.cargo_kg),
        "pallets": int(lift.pallets),
        "pax": int(lift.pax),
        "pickup_leg": lift.pickup_leg,
        "delivery_leg": lift.delivery_leg,
        "pickup_leg_number": lift.pickup_leg + 1,
        "delivery_leg_number": lift.delivery_leg + 1,
        "description": lift.description,
        "hazardous": lift.hazardous,
        "dg_class": lift.dg_class,
        "un_number": lift.un_number,
    }


def mission_dict(p: Programme, m: Mission) -> dict[str, Any]:
    return {
        "tail": m.tail,
        "aircraft": m.aircraft,
        "nation": m.nation,
        "day": m.day + 1,
        "date": mission_date(p, m).isoformat(),
        "route": m.route,
        "flight_time_min": number(m.flight_time_min),
        "lifts": [lift_dict(m, lift) for lift in m.lifts],
        "plan": plan_document(m.plan),
    }


def programme_document(p: Programme) -> dict[str, Any]:
    """The programme as a JSON-ready dict: plain dicts, lists, str, int, float, bool, None."""
    doc = {
        "generator": f"airlift {__version__}",
        "scenario": p.scenario,
        "start_utc": iso_utc(p.start_utc),
        "days": p.days,
        "engine": p.engine,
        "solve_seconds": number(p.solve_seconds, 2),
        "cut_short": p.cut_short,
        "objective": number(p.objective),
        "feasible": p.feasible,
        "kpis": kpis_dict(p.kpis),
        "requests": [request_dict(r) for r in p.requests],
        "missions": [mission_dict(p, m) for m in p.missions],
        "notes": list(p.notes),
        "units": dict(PROGRAMME_UNITS),
    }
    # Imported here: programme_compare reads this module's PROGRAMME_UNITS.
    from airlift.export.programme_compare import with_objective_figures

    return with_objective_figures(doc)


def write_programme_json(p: Programme, path: str | Path) -> Path:
    """Write :func:`programme_document` as UTF-8 JSON (indent 2); returns the path written."""
    out = Path(path)
    out.write_text(dumps(programme_document(p)), encoding="utf-8")
    return out


# Files are made from the programme document, the one serialised form: the library writes
# them for a Programme, the web app for a stored run, with the same code.


def document_airfields(document: Mapping[str, Any]) -> dict[str, Airfield]:
    """Every airfield the missions visit, by ICAO, in order of first visit (theatre data)."""
    return {code: lookup(code) for code in route_codes(document)}


def route_codes(document: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(c for m in document.get("missions", []) for c in m["route"]))


def _lift_ids(mission: Mapping[str, Any], index: int) -> list[str]:
    return [
        str(lift["lift_id"])
        for lift in mission.get("lifts", [])
        if lift["pickup_leg"] <= index <= lift["delivery_leg"]
    ]


def dangerous_goods_on_leg(mission: Mapping[str, Any], index: int) -> list[Mapping[str, Any]]:
    """The hazardous lifts (document form) on board during leg ``index`` (0-based). A run
    stored before lifts carried their cargo has none to show (no ``hazardous`` key)."""
    return [
        lift
        for lift in mission.get("lifts", [])
        if lift.get("hazardous") and lift["pickup_leg"] <= index <= lift["delivery_leg"]
    ]


def dangerous_goods_text(lift: Mapping[str, Any]) -> str:
    """``UN1863 class 3, 10,800.0 kg (lift R007-1 of R007)``; a hazardous lift without a
    class says so."""
    cls = f"class {lift['dg_class']}" if lift.get("dg_class") else "class not given"
    what = f"{lift['un_number']} {cls}" if lift.get("un_number") else f"UN number not given, {cls}"
    return (
        f"{what}, {_q(lift.get('cargo_kg'), 'kg')} (lift {lift['lift_id']} of "
        f"{lift['request_id']}, {lift['origin']} to {lift['destination']})"
    )


def _leg_violations(mission: Mapping[str, Any], index: int) -> list[str]:
    return [str(v["message"]) for v in mission["plan"].get("violations", []) if v["leg"] == index]


def _csv_text(columns: list[str] | tuple[str, ...], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def legs_csv(document: Mapping[str, Any]) -> str:
    """Every leg of every mission as CSV text, columns :data:`LEG_COLUMNS`."""
    rows = []
    for m in document.get("missions", []):
        head = {
            "tail": m["tail"],
            "aircraft": m["aircraft"],
            "nation": m["nation"],
            "day": str(m["day"]),
            "date": m["date"],
        }
        for leg in m["plan"]["legs"]:
            cells = {key: _cell(value) for key, value in leg.items() if key != "limits"}
            row = {**cells, **head}
            row["leg"] = cells["number"]
            row["lifts"] = " ".join(_lift_ids(m, leg["index"]))
            row["dangerous_goods"] = "; ".join(
                dangerous_goods_text(x) for x in dangerous_goods_on_leg(m, leg["index"])
            )
            rows.append({key: row.get(key, "") for key in LEG_COLUMNS})
    return _csv_text(LEG_COLUMNS, rows)


def requests_csv(document: Mapping[str, Any]) -> str:
    """The status of every request as CSV text, one row each; ``tails`` joined by spaces."""
    columns = [_key(f.name) for f in fields(RequestStatus)]
    rows = []
    for r in document.get("requests", []):
        data = dict(r)
        data["tails"] = " ".join(data.get("tails") or [])
        rows.append({key: _cell(data.get(key)) for key in columns})
    return _csv_text(columns, rows)


def programme_feature_collection(
    document: Mapping[str, Any], airfields: Mapping[str, Airfield] | None = None
) -> dict[str, Any]:
    """The programme as GeoJSON (RFC 7946): a Point per airfield visited, a densified
    geodesic LineString per leg of every mission (a MultiLineString across ±180°).

    ``airfields`` by ICAO; None looks every stop up with :func:`airlift.airfields.lookup`."""
    airfields = airfields if airfields is not None else document_airfields(document)
    missions = list(document.get("missions", []))
    stops = [airfields[code] for code in route_codes(document)]
    features = _stop_features(stops)
    for feature in features:
        props = feature["properties"]
        del props["visits"]
        visiting = [m for m in missions if props["icao"] in m["route"]]
        props["tails"] = sorted({m["tail"] for m in visiting})
        props["missions"] = len(visiting)
    for m in missions:
        legs = m["plan"]["legs"]
        for leg in legs:
            a, b = airfields[leg["origin"]], airfields[leg["destination"]]
            props = {
                "kind": "leg",
                "tail": m["tail"],
                "aircraft": m["aircraft"],
                "nation": m["nation"],
                "day": m["day"],
                "date": m["date"],
                "legs": len(legs),
            }
            props.update({key: leg.get(key) for key in LEG_PROPERTIES})
            props["lifts"] = _lift_ids(m, leg["index"])
            props["dangerous_goods"] = [
                {key: x.get(key) for key in _DG_KEYS}
                for x in dangerous_goods_on_leg(m, leg["index"])
            ]
            props["violations"] = _leg_violations(m, leg["index"])
            features.append(
                {
                    "type": "Feature",
                    "id": f"{m['tail']}-day-{m['day']}-leg-{leg['number']}",
                    "geometry": _geometry(leg_track(a, b), _pos(a.lon, a.lat)),
                    "properties": props,
                }
            )
    return {"type": "FeatureCollection", "features": features}


_DG_KEYS = ("lift_id", "request_id", "description", "dg_class", "un_number", "cargo_kg")
"""What a GeoJSON leg says of each hazardous lift on board (``cargo_kg`` in kg)."""


def _kml_stop_text(a: Airfield, missions: list[Mapping[str, Any]]) -> str:
    fuel = {True: "yes", False: "no", None: "unknown (planned as none)"}
    p = a.planning
    lines = [
        a.name,
        f"Elevation {_q(a.elevation_ft, 'ft', 0)}",
        f"Fuel available: {fuel[p.fuel_available]}",
        f"Daylight only: {'yes' if p.daylight_only else 'no'} ({p.daylight_source})",
        f"MOG: {p.mog} aircraft" if p.mog is not None else "MOG: not known",
        f"Time zone {a.tz}",
        f"Missions visiting: {len(missions)} "
        f"({', '.join(sorted({str(m['tail']) for m in missions}))})",
    ]
    if p.notes:
        lines.append(p.notes)
    return "\n".join(lines)


def _kml_mission_text(m: Mapping[str, Any]) -> str:
    plan = m["plan"]
    totals = plan.get("totals", {})
    lines = [
        f"Tail {m['tail']} ({m['aircraft']}, {m['nation']}), day {m['day']} ({m['date']} UTC)",
        f"Route {' - '.join(m['route'])}",
        f"Departure {plan.get('departure_utc')}",
        f"Total distance {_q(totals.get('dist_nm'), 'NM')}",
        f"Total flight time {_hm(float(m.get('flight_time_min') or 0.0))}",
        f"Total fuel uplift {_q(totals.get('uplift_kg'), 'kg')}",
        "Feasible: yes" if plan.get("feasible", True) else "NOT FEASIBLE",
    ]
    lines += [
        f"Lift {x['lift_id']}: {x['origin']} to {x['destination']}, cargo "
        f"{_q(x['cargo_kg'], 'kg')}, {x['pallets']} pallet position(s), {x['pax']} pax"
        + (f": {x['description']}" if x.get("description") else "")
        for x in m.get("lifts", [])
    ]
    return "\n".join(lines)


def _kml_leg_text(m: Mapping[str, Any], leg: Mapping[str, Any]) -> str:
    unit = str(leg.get("margin_unit") or "")
    decimals = 0 if unit in ("positions", "seats") else 1
    lines = [
        f"{m['tail']} leg {leg['number']}: {leg['origin']} to {leg['destination']}",
        f"ETD {leg['etd_utc']} (local {leg['etd_local']})",
        f"ETA {leg['eta_utc']} (local {leg['eta_local']})",
        f"Distance {_q(leg['dist_nm'], 'NM')}, initial course "
        f"{float(leg.get('course_deg') or 0.0):05.1f}° true",
        f"Ground speed {_q(leg.get('gs_kt'), 'kt')}, headwind {_q(leg.get('headwind_kt'), 'kt')}",
        f"Flight time {_hm(float(leg['flight_time_min']))}; "
        f"block time {_hm(float(leg['block_time_min']))}",
        f"Load: cargo {_q(leg['cargo_kg'], 'kg')}, {leg['pallets']} pallet position(s), "
        f"{leg['pax']} pax; payload {_q(leg.get('payload_kg'), 'kg')}",
        f"Lifts on board: {' '.join(_lift_ids(m, leg['index'])) or 'none'}",
        *(
            f"Dangerous goods: {dangerous_goods_text(x)}"
            for x in dangerous_goods_on_leg(m, leg["index"])
        ),
        f"Fuel: uplift {_q(leg['uplift_kg'], 'kg')}, ramp {_q(leg['ramp_fuel_kg'], 'kg')}, "
        f"trip {_q(leg['trip_fuel_kg'], 'kg')}, reserve {_q(leg['reserve_fuel_kg'], 'kg')}, "
        f"on landing {_q(leg['landing_fuel_kg'], 'kg')}, "
        f"tankered {_q(leg.get('tankered_kg'), 'kg')}",
        f"Weights: ZFW {_q(leg.get('zfw_kg'), 'kg')}, TOW {_q(leg['tow_kg'], 'kg')}, "
        f"LW {_q(leg['lw_kg'], 'kg')}",
        f"Binding limit: {leg.get('binding_limit')} "
        f"(margin {_q(leg.get('margin'), unit, decimals)})",
    ]
    if leg.get("alternate"):
        lines.append(f"Alternate {leg['alternate']} at {_q(leg.get('alternate_nm'), 'NM')}")
    messages = _leg_violations(m, leg["index"])
    lines += [f"Violation: {text}" for text in messages] or ["All limits met"]
    return "\n".join(lines)


def programme_kml(
    document: Mapping[str, Any], airfields: Mapping[str, Airfield] | None = None
) -> bytes:
    """The whole programme as one KML 2.2 document: the shared styles, a folder of the
    airfields visited, then one folder per mission with its legs (TimeSpan, description
    with units, ExtendedData, geodesic track) as ``airlift.export.kml`` writes a plan."""
    airfields = airfields if airfields is not None else document_airfields(document)
    missions = list(document.get("missions", []))
    root = ET.Element("kml", xmlns=KML_NS)
    doc = _el(root, "Document")
    _el(doc, "name", f"Programme: {document.get('scenario', '')}")
    _el(doc, "open", "1")
    kpis = document.get("kpis", {})
    _el(
        doc,
        "description",
        "\n".join(
            [
                f"Scenario {document.get('scenario', '')}, from {document.get('start_utc')} "
                f"for {document.get('days')} days",
                f"Missions {kpis.get('missions')}, tails used {kpis.get('tails_used')}",
                f"Delivered {_q(kpis.get('tonnes_delivered'), 't', 3)} and "
                f"{kpis.get('pax_delivered')} pax; flying {_q(kpis.get('flying_hours'), 'h', 2)}",
                f"Requests: {kpis.get('delivered')} delivered, {kpis.get('partial')} partial, "
                f"{kpis.get('unmet')} unmet of {kpis.get('requests')}",
            ]
        ),
    )
    _styles(doc)
    folder = _el(doc, "Folder")
    _el(folder, "name", "Airfields")
    for code in route_codes(document):
        a = airfields[code]
        pm = _el(folder, "Placemark", id=f"stop-{a.icao}")
        _el(pm, "name", a.icao)
        _el(pm, "description", _kml_stop_text(a, [m for m in missions if code in m["route"]]))
        _el(pm, "styleUrl", "#stop")
        _el(_el(pm, "Point"), "coordinates", f"{a.lon:.6f},{a.lat:.6f},0")
    for n, m in enumerate(missions, start=1):
        folder = _el(doc, "Folder", id=f"mission-{n}")
        _el(folder, "name", f"{m['tail']} day {m['day']} ({m['date']}): {'-'.join(m['route'])}")
        _el(folder, "description", _kml_mission_text(m))
        for leg in m["plan"]["legs"]:
            a, b = airfields[leg["origin"]], airfields[leg["destination"]]
            pm = _el(folder, "Placemark", id=f"mission-{n}-leg-{leg['number']}")
            _el(
                pm, "name", f"{m['tail']} leg {leg['number']}: {leg['origin']}-{leg['destination']}"
            )
            _el(pm, "description", _kml_leg_text(m, leg))
            span = _el(pm, "TimeSpan")
            _el(span, "begin", str(leg["etd_utc"]))
            _el(span, "end", str(leg["eta_utc"]))
            _el(pm, "styleUrl", "#leg-ok" if leg.get("feasible", True) else "#leg-violated")
            data = {"tail": m["tail"], "day": m["day"], "date": m["date"]}
            data.update({key: leg.get(key) for key in LEG_PROPERTIES})
            _extended_data(pm, data)
            _kml_geometry(pm, leg_track(a, b), (a.lon, a.lat))
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return text + b"\n"


def _write(path: str | Path, text: str | bytes) -> Path:
    out = Path(path)
    if isinstance(text, bytes):
        out.write_bytes(text)
    else:
        with out.open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    return out


def write_programme_csv(p: Programme, path: str | Path) -> Path:
    """Write every leg of every mission as UTF-8 CSV (columns :data:`LEG_COLUMNS`)."""
    return _write(path, legs_csv(programme_document(p)))


def write_requests_csv(p: Programme, path: str | Path) -> Path:
    """Write the status of every request as UTF-8 CSV, one row per request."""
    return _write(path, requests_csv(programme_document(p)))


def write_programme_geojson(
    p: Programme, path: str | Path, airfields: dict[str, Airfield] | None = None
) -> Path:
    """Write :func:`programme_feature_collection` as UTF-8 GeoJSON; returns the path."""
    collection = programme_feature_collection(programme_document(p), airfields)
    return _write(path, dumps(collection, indent=None))


def write_programme_kml(
    p: Programme, path: str | Path, airfields: dict[str, Airfield] | None = None
) -> Path:
    """Write :func:`programme_kml` (KML 2.2, one folder per mission); returns the path."""
    return _write(path, programme_kml(programme_document(p), airfields))
