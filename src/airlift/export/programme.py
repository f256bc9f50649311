"""Exports of a flying programme: JSON document, legs CSV, requests CSV and GeoJSON map.

Built on the mission-plan exports: each mission's plan is :func:`plan_document` (same
rounding, same units, same ISO times), the legs CSV takes its cells from
:func:`~airlift.export.csv_table.csv_rows`, and the map uses the densified geodesic tracks
of :mod:`airlift.export.geojson`. Mission days are 1-based in every export (day 1 is the
scenario's first day); dates are UTC.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from airlift import __version__
from airlift.airfields import Airfield, lookup
from airlift.export.csv_table import _cell, csv_rows
from airlift.export.document import dumps, iso_utc, leg_dict, leg_violations, number, plan_document
from airlift.export.geojson import LEG_PROPERTIES, _geometry, _pos, _stop_features, leg_track
from airlift.scheduling.programme import Kpis, LiftOnBoard, Mission, Programme, RequestStatus

PROGRAMME_UNITS: dict[str, str] = {
    # programme
    "days": "days (length of the scenario)",
    "day": "1-based scenario day (day 1 starts at start_utc)",
    "solve_seconds": "s (wall-clock time of the scheduler)",
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
)
"""Columns of :func:`write_programme_csv`; ``leg`` is the 1-based leg number within the
mission, ``lifts`` the ids of the lifts on board joined by spaces."""


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


def request_dict(r: RequestStatus) -> dict[str, Any]:
    """Every field of a request status; datetimes ISO UTC with ``Z``, tuples as lists."""
    out: dict[str, Any] = {}
    for f in fields(RequestStatus):
        value = getattr(r, f.name)
        if isinstance(value, datetime):
            out[f.name] = iso_utc(value)
        elif isinstance(value, tuple):
            out[f.name] = list(value)
        elif isinstance(value, bool | int | str) or value is None:
            out[f.name] = value
        elif isinstance(value, float):
            out[f.name] = number(value)
        else:  # a new RequestStatus field of a type this exporter does not know
            raise TypeError(f"RequestStatus.{f.name}: cannot export a {type(value).__name__}")
    return out


def lift_dict(m: Mission, lift: LiftOnBoard) -> dict[str, Any]:
    route = m.route
    return {
        "lift_id": lift.lift_id,
        "request_id": lift.request_id,
        "origin": route[lift.pickup_leg],
        "destination": route[lift.delivery_leg + 1],
        "cargo_kg": number(lift.cargo_kg),
        "pallets": int(lift.pallets),
        "pax": int(lift.pax),
        "pickup_leg": lift.pickup_leg,
        "delivery_leg": lift.delivery_leg,
        "pickup_leg_number": lift.pickup_leg + 1,
        "delivery_leg_number": lift.delivery_leg + 1,
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
    return {
        "generator": f"airlift {__version__}",
        "scenario": p.scenario,
        "start_utc": iso_utc(p.start_utc),
        "days": p.days,
        "engine": p.engine,
        "solve_seconds": number(p.solve_seconds, 2),
        "objective": number(p.objective),
        "feasible": p.feasible,
        "kpis": kpis_dict(p.kpis),
        "requests": [request_dict(r) for r in p.requests],
        "missions": [mission_dict(p, m) for m in p.missions],
        "notes": list(p.notes),
        "units": dict(PROGRAMME_UNITS),
    }


def write_programme_json(p: Programme, path: str | Path) -> Path:
    """Write :func:`programme_document` as UTF-8 JSON (indent 2); returns the path written."""
    out = Path(path)
    out.write_text(dumps(programme_document(p)), encoding="utf-8")
    return out


def _write_rows(path: str | Path, columns: Sequence[str], rows: list[dict[str, str]]) -> Path:
    out = Path(path)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return out


def programme_csv_rows(p: Programme) -> list[dict[str, str]]:
    """The rows :func:`write_programme_csv` writes: one per leg of every mission."""
    rows = []
    for m in p.missions:
        head = {
            "tail": m.tail,
            "aircraft": m.aircraft,
            "nation": m.nation,
            "day": str(m.day + 1),
            "date": mission_date(p, m).isoformat(),
        }
        for leg, cells in zip(m.plan.legs, csv_rows(m.plan), strict=True):
            row = {**cells, **head}
            row["leg"] = cells["number"]
            row["lifts"] = " ".join(lift.lift_id for lift in lifts_on_leg(m, leg.index))
            rows.append({key: row[key] for key in LEG_COLUMNS})
    return rows


def write_programme_csv(p: Programme, path: str | Path) -> Path:
    """Write every leg of every mission as UTF-8 CSV (columns :data:`LEG_COLUMNS`)."""
    return _write_rows(path, LEG_COLUMNS, programme_csv_rows(p))


def requests_csv_rows(p: Programme) -> list[dict[str, str]]:
    """The rows :func:`write_requests_csv` writes: one per request status; ``tails`` joined
    by spaces."""
    rows = []
    for r in p.requests:
        data = request_dict(r)
        data["tails"] = " ".join(data["tails"])
        rows.append({key: _cell(value) for key, value in data.items()})
    return rows


def write_requests_csv(p: Programme, path: str | Path) -> Path:
    """Write the status of every request as UTF-8 CSV, one row per request."""
    columns = [f.name for f in fields(RequestStatus)]
    return _write_rows(path, columns, requests_csv_rows(p))


def programme_airfields(p: Programme) -> dict[str, Airfield]:
    """Every airfield the missions visit, by ICAO, in order of first visit."""
    codes = dict.fromkeys(code for m in p.missions for code in m.route)
    return {code: lookup(code) for code in codes}


def programme_feature_collection(
    p: Programme, airfields: dict[str, Airfield] | None = None
) -> dict[str, Any]:
    """The programme as a GeoJSON FeatureCollection dict: one Point per airfield visited and
    one densified geodesic LineString per leg (a MultiLineString if it crosses ±180°).

    ``airfields`` by ICAO; None looks up every stop with :func:`airlift.airfields.lookup`.
    """
    fields_by_icao = airfields if airfields is not None else programme_airfields(p)
    stops = [fields_by_icao[code] for code in dict.fromkeys(c for m in p.missions for c in m.route)]
    features = _stop_features(stops)
    for feature in features:
        stop = feature["properties"]
        del stop["visits"]  # stop indices within one mission; meaningless across missions
        visiting = [m for m in p.missions if stop["icao"] in m.route]
        stop["tails"] = sorted({m.tail for m in visiting})
        stop["missions"] = len(visiting)
    for m in p.missions:
        day = m.day + 1
        for leg in m.plan.legs:
            a, b = fields_by_icao[leg.origin], fields_by_icao[leg.destination]
            data = leg_dict(leg)
            props: dict[str, Any] = {
                "kind": "leg",
                "tail": m.tail,
                "aircraft": m.aircraft,
                "nation": m.nation,
                "day": day,
                "date": mission_date(p, m).isoformat(),
                "legs": len(m.plan.legs),
            }
            props.update({key: data[key] for key in LEG_PROPERTIES})
            props["lifts"] = [lift.lift_id for lift in lifts_on_leg(m, leg.index)]
            props["violations"] = leg_violations(m.plan, leg.index)
            features.append(
                {
                    "type": "Feature",
                    "id": f"{m.tail}-day-{day}-leg-{leg.index + 1}",
                    "geometry": _geometry(leg_track(a, b), _pos(a.lon, a.lat)),
                    "properties": props,
                }
            )
    return {"type": "FeatureCollection", "features": features}


def write_programme_geojson(
    p: Programme, path: str | Path, airfields: dict[str, Airfield] | None = None
) -> Path:
    """Write :func:`programme_feature_collection` as UTF-8 GeoJSON; returns the path."""
    out = Path(path)
    out.write_text(dumps(programme_feature_collection(p, airfields), indent=None), encoding="utf-8")
    return out
