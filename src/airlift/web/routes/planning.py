"""Mission planning over HTTP: the same input as ``airlift plan`` / ``airlift maxload``, the
same library calls, the same numbers (the ``plan_document`` of the export layer).

The admin's global airfield overrides (``/api/airfield_overrides``) apply to the stops; the
aircraft is a shipped type, a stored tail's registration or a user-added type.
An infeasible plan is still a 200 answer: ``feasible`` is false and every broken limit is
named in ``violations``.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date
from enum import StrEnum
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request, Response, UploadFile
from fastapi.responses import HTMLResponse
from pydantic_core import to_json
from sqlalchemy.orm import Session

from airlift.aircraft import AircraftType, Tail
from airlift.errors import FieldError, Where
from airlift.export.csv_table import csv_rows
from airlift.export.document import dumps, plan_document
from airlift.export.geojson import feature_collection
from airlift.export.kml import kml_tree
from airlift.mission import MissionInput, MissionPlan, max_load, plan
from airlift.mission.airspace import Airspace, iso3
from airlift.mission_file import (
    build,
    load_from_fields,
    manifest_items,
    maxload_mission,
    parse_manifest_csv,
)
from airlift.store import domain
from airlift.store.airspace import clearance_records, stored_zones
from airlift.store.collections import CLEARANCES, ZONES
from airlift.web.brief import mission_brief_html
from airlift.web.read_cache import ReadView
from airlift.web.routes._common import read_upload
from airlift.web.routes.airfields import cached_overrides, with_overrides
from airlift.web.schemas import ManifestItemIn, MaxLoadPublic, MaxLoadRequest, PlanRequest
from airlift.web.security import PlannerUser, ReadViewDep

router = APIRouter(prefix="/api", tags=["planning"])


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    geojson = "geojson"
    kml = "kml"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.json: "application/json",
    ExportFormat.geojson: "application/geo+json",
    ExportFormat.kml: "application/vnd.google-earth.kml+xml",
}


def _with_overrides(view: ReadView, mission: MissionInput) -> MissionInput:
    overrides = cached_overrides(view)
    if not overrides:
        return mission
    return replace(mission, stops=tuple(with_overrides(a, overrides) for a in mission.stops))


def stored_airspace(view: ReadView, operator: str | None, day: date | None) -> Airspace | None:
    """The stored zones with the body's operator and planning date, built once per change of
    the zones table (the Airspace keeps its router and routes between requests); None when
    there is nothing to add (no zone, operator or date: great circles, the tail's nation)."""
    nation = iso3(operator, "operator") if operator else None

    def build(session: Session) -> Airspace | None:
        zones = stored_zones(session)
        if not zones and nation is None and day is None:
            return None
        return Airspace(zones=zones, operator=nation, planning_date=day)

    return view.get(("airspace", nation, day), (ZONES.table,), build)


def _with_airspace(
    view: ReadView, mission: MissionInput, operator: str | None, day: date | None
) -> MissionInput:
    airspace = stored_airspace(view, operator, day)
    return mission if airspace is None else replace(mission, airspace=airspace)


def stored_clearances(view: ReadView) -> list[dict[str, Any]]:
    """The clearance records, as the brief matches them to a plan's needs."""
    return view.get("clearances:records", (CLEARANCES.table,), clearance_records)


def _aircraft(view: ReadView) -> Callable[[str], tuple[AircraftType, Tail | None]]:
    """``domain.resolve_aircraft`` through the read cache (unknown names are not kept)."""

    def resolve(name: str) -> tuple[AircraftType, Tail | None]:
        return view.get(
            ("aircraft", name),
            domain.AIRCRAFT_TABLES,
            lambda session: domain.resolve_aircraft(session, name),
        )

    return resolve


def _in_body(exc: FieldError) -> FieldError:
    """An error about an item of the body's ``loads`` or ``items`` with the body's path to
    its field (``items[0].cargo_kg``); others as they are."""
    if exc.file in ("loads", "items"):
        return exc.inside(f"{exc.file}[{(exc.row or 1) - 1}]")
    return exc


def mission_input(body: PlanRequest, view: ReadView) -> MissionInput:
    """The MissionInput ``airlift plan`` would build from the same arguments."""
    try:
        mission = _with_overrides(view, _mission_input(body, view))
        return _with_airspace(view, mission, body.operator, body.planning_date)
    except FieldError as exc:
        raise _in_body(exc) from None


def _mission_input(body: PlanRequest, view: ReadView) -> MissionInput:
    loads = [
        load_from_fields(x.model_dump(), Where("loads", n, "item"))
        for n, x in enumerate(body.loads, 1)
    ]
    return build(
        body.aircraft,
        list(body.stops),
        body.departure_utc,
        loads=loads or None,
        items=manifest_items([item.model_dump() for item in body.items], "items"),
        policy=body.policy,
        oats=body.oat,
        metars=body.metar,
        wind=body.wind,
        closed=body.closed,
        resolve_aircraft=_aircraft(view),
        options={
            "duty_limit_h": body.duty_limit_h,
            "extra_fuel_kg": body.extra_fuel_kg,
            "fl": body.fl,
            "speed": body.speed,
            "isa_dev_c": body.isa_dev_c,
            "ground_mode": body.ground_mode,
            "payload_limit": body.payload_limit,
            **(
                {"ground_time_min": body.ground_time_min}
                if body.ground_time_min is not None
                else {}
            ),
        },
    )


@router.post("/plan", response_model=dict[str, Any])
async def plan_mission(
    body: PlanRequest, view: ReadViewDep, user: PlannerUser, request: Request
) -> Response:
    """Plan a multi-stop mission: fuel, weights, runways, daylight and duty on every leg.

    Returns the plan document (units of every numeric field in its ``units``)."""
    limiter = request.app.state.compute_limiter
    answer = await to_thread.run_sync(_plan_json, body, view, limiter=limiter)
    return Response(answer, media_type="application/json")


def _plan_json(body: PlanRequest, view: ReadView) -> bytes:
    # Serialised here: FastAPI would first walk the whole document to validate it as a dict.
    return to_json(plan_document(plan(mission_input(body, view))))


def _lifts(mission: MissionInput) -> list[dict[str, Any]]:
    """The manifest items as the brief's lifts (the legs each is on board)."""
    codes = [a.icao for a in mission.stops]
    lifts = []
    for item in mission.manifest:
        start = codes.index(item.origin.upper())
        end = codes.index(item.destination.upper(), start + 1) - 1
        lifts.append(
            {
                "lift_id": item.id,
                "request_id": item.id,
                "origin": item.origin,
                "destination": item.destination,
                "cargo_kg": item.load.cargo_kg,
                "pallets": item.load.pallets,
                "pax": item.load.pax,
                "description": item.description,
                "hazardous": bool(item.dg_class),
                "dg_class": item.dg_class,
                "un_number": item.un_number,
                "pickup_leg": start,
                "delivery_leg": end,
                "pickup_leg_number": start + 1,
                "delivery_leg_number": end + 1,
            }
        )
    return lifts


@router.post("/plan/brief", response_class=HTMLResponse)
def brief_plan(body: PlanRequest, view: ReadViewDep, user: PlannerUser) -> HTMLResponse:
    """Plan the mission and return its printable brief (HTML), as a run's mission has."""
    mission = mission_input(body, view)
    document = {
        "plan": plan_document(plan(mission)),
        "route": [a.icao for a in mission.stops],
        "tail": mission.tail.registration if mission.tail else None,
        "aircraft": mission.aircraft.designator,
        "nation": mission.tail.nation if mission.tail else None,
        "date": f"{mission.departure_utc.astimezone(UTC):%Y-%m-%d}",
        "lifts": _lifts(mission),
    }
    airfields = {a.icao: a for a in mission.stops}
    return HTMLResponse(mission_brief_html(document, airfields, stored_clearances(view)))


@router.post("/plan/manifest", response_model=list[ManifestItemIn])
def read_manifest(file: UploadFile, user: PlannerUser) -> list[ManifestItemIn]:
    """A manifest CSV (id, origin, destination, cargo_kg, pallets, pax[, description,
    dg_class, un_number]) read
    and checked as ``airlift plan --manifest`` reads it: the items, to send as ``items``."""
    name = file.filename or "manifest.csv"
    try:
        text = read_upload(file).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FieldError("file", f"{name}: not UTF-8 text ({exc.reason})") from None
    return [
        ManifestItemIn(
            id=item.id,
            origin=item.origin,
            destination=item.destination,
            cargo_kg=item.load.cargo_kg,
            pallets=item.load.pallets,
            pax=item.load.pax,
            description=item.description,
            dg_class=item.dg_class,
            un_number=item.un_number,
        )
        for item in parse_manifest_csv(text, name)
    ]


@router.post("/maxload")
def max_payload(body: MaxLoadRequest, view: ReadViewDep, user: PlannerUser) -> MaxLoadPublic:
    """The most payload one leg can carry, and which limit stops more."""
    overrides = cached_overrides(view)
    mission = maxload_mission(
        body.aircraft,
        body.origin,
        body.destination,
        body.departure_utc,
        then=body.then,
        policy=body.policy,
        oats=body.oat,
        metars=body.metar,
        wind=body.wind,
        resolve_aircraft=_aircraft(view),
        has_fuel=lambda airfield: with_overrides(airfield, overrides).planning.fuel_available,
    )
    mission = _with_airspace(
        view, _with_overrides(view, mission), body.operator, body.planning_date
    )
    result = max_load(mission)
    return MaxLoadPublic(
        payload_kg=result.payload_kg,
        binding_limit=result.binding_limit,
        by_limit={k: (None if v == float("inf") else v) for k, v in result.by_limit.items()},
        plan=plan_document(result.plan),
    )


def export_bytes(fmt: ExportFormat, result: MissionPlan, mission: MissionInput) -> bytes:
    """The plan in one export format, exactly as ``airlift plan --json/--csv/...`` writes it."""
    if fmt is ExportFormat.json:
        return dumps(plan_document(result)).encode()
    if fmt is ExportFormat.geojson:
        return dumps(feature_collection(result, mission.stops), indent=None).encode()
    if fmt is ExportFormat.kml:
        root = kml_tree(result, mission.stops).getroot()
        return bytes(ET.tostring(root, encoding="UTF-8", xml_declaration=True)) + b"\n"
    rows = csv_rows(result)
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(rows[0]) if rows else [])
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode()


@router.post(
    "/plan/export/{fmt}",
    response_class=Response,
    responses={
        200: {
            "description": "the plan as a file",
            "content": {media: {} for media in MEDIA_TYPES.values()},
        }
    },
)
def export_plan(
    fmt: ExportFormat, body: PlanRequest, view: ReadViewDep, user: PlannerUser
) -> Response:
    """Plan the mission and return it as a CSV, JSON, GeoJSON or KML file."""
    mission = mission_input(body, view)
    result = plan(mission)
    route = "-".join(a.icao for a in mission.stops)
    name = f"plan-{route}-{mission.departure_utc.astimezone(UTC):%Y%m%dT%H%MZ}.{fmt.value}"
    return Response(
        export_bytes(fmt, result, mission),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
