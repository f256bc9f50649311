"""Airspace: the zones plans route around (``/api/zones``, a file import, a GeoJSON view for
maps) and the diplomatic clearance records (``/api/clearances``) the brief shows against
the clearances a plan needs. Any user reads; planners write; writes name the ``version``
read (409 when stale)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Response, UploadFile, status
from pydantic_core import to_json

from airlift.airspace.zones import read_zones
from airlift.store.airspace import zone_features
from airlift.store.collections import CLEARANCES, ZONES
from airlift.store.validation import zone_values
from airlift.web.routes._common import (
    RowId,
    VersionQuery,
    cached_json,
    cached_rows,
    read_upload,
    to_data,
)
from airlift.web.schemas import (
    ClearanceCreate,
    ClearancePublic,
    ClearanceUpdate,
    ZoneCreate,
    ZonePublic,
    ZoneUpdate,
)
from airlift.web.security import CurrentUser, PlannerUser, ReadViewDep, SessionDep

router = APIRouter(prefix="/api", tags=["airspace"])

UPLOAD_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def upload_name(filename: str | None) -> str:
    """The upload's file name, safe as a name in a temporary folder (its suffix tells the
    reader the format; errors name the file as the user knows it)."""
    name = UPLOAD_NAME.sub("_", Path(filename or "").name)[:120].strip(" .")
    return name or "zones"


# --- zones --------------------------------------------------------------------------------------


@router.get("/zones", response_model=list[ZonePublic])
async def list_zones(view: ReadViewDep, user: CurrentUser) -> Response:
    return await cached_rows(view, ZONES, ZonePublic)


@router.get("/zones.geojson", response_model=dict[str, Any])
async def zones_geojson(view: ReadViewDep, user: CurrentUser) -> Response:
    """Every stored zone as a GeoJSON FeatureCollection (the properties are the row's)."""
    return await cached_json(
        view, "zones:geojson", (ZONES.table,), lambda session: to_json(zone_features(session))
    )


@router.get("/zones/{row_id}")
def get_zone(row_id: RowId, session: SessionDep, user: CurrentUser) -> ZonePublic:
    return ZonePublic.model_validate(ZONES.get(session, row_id))


@router.post("/zones", status_code=status.HTTP_201_CREATED)
def create_zone(body: ZoneCreate, session: SessionDep, user: PlannerUser) -> ZonePublic:
    return ZonePublic.model_validate(ZONES.create(session, to_data(body), user.username))


@router.post("/zones/import", status_code=status.HTTP_201_CREATED)
def import_zones(file: UploadFile, session: SessionDep, user: PlannerUser) -> list[ZonePublic]:
    """A GeoJSON, KML or OpenAIR file read as ``airlift plan --zones`` reads it; every zone
    stored, or none (422 naming the file, feature and field; 409 for a name already used)."""
    content = read_upload(file)
    with tempfile.TemporaryDirectory(prefix="airlift-zones-") as folder:
        path = Path(folder) / upload_name(file.filename)
        path.write_bytes(content)
        zones = read_zones(path)
    rows = [ZONES.create(session, zone_values(zone), user.username) for zone in zones]
    return [ZonePublic.model_validate(row) for row in rows]


@router.put("/zones/{row_id}")
def update_zone(
    row_id: RowId, body: ZoneUpdate, session: SessionDep, user: PlannerUser
) -> ZonePublic:
    row = ZONES.update(session, row_id, to_data(body), body.version, user.username)
    return ZonePublic.model_validate(row)


@router.delete("/zones/{row_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_zone(
    row_id: RowId, version: VersionQuery, session: SessionDep, user: PlannerUser
) -> None:
    ZONES.delete(session, row_id, version, user.username)


# --- clearances ---------------------------------------------------------------------------------


@router.get("/clearances", response_model=list[ClearancePublic])
async def list_clearances(view: ReadViewDep, user: CurrentUser) -> Response:
    return await cached_rows(view, CLEARANCES, ClearancePublic)


@router.get("/clearances/{row_id}")
def get_clearance(row_id: RowId, session: SessionDep, user: CurrentUser) -> ClearancePublic:
    return ClearancePublic.model_validate(CLEARANCES.get(session, row_id))


@router.post("/clearances", status_code=status.HTTP_201_CREATED)
def create_clearance(
    body: ClearanceCreate, session: SessionDep, user: PlannerUser
) -> ClearancePublic:
    return ClearancePublic.model_validate(CLEARANCES.create(session, to_data(body), user.username))


@router.put("/clearances/{row_id}")
def update_clearance(
    row_id: RowId, body: ClearanceUpdate, session: SessionDep, user: PlannerUser
) -> ClearancePublic:
    row = CLEARANCES.update(session, row_id, to_data(body), body.version, user.username)
    return ClearancePublic.model_validate(row)


@router.delete("/clearances/{row_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_clearance(
    row_id: RowId, version: VersionQuery, session: SessionDep, user: PlannerUser
) -> None:
    CLEARANCES.delete(session, row_id, version, user.username)
