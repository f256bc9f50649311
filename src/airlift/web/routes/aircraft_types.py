"""User-added aircraft types (the TOML of a type file): edited by admins."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from airlift.store.collections import AIRCRAFT_TYPES
from airlift.web.routes._common import RowId, VersionQuery, cached_rows, to_data
from airlift.web.schemas import AircraftTypeCreate, AircraftTypePublic, AircraftTypeUpdate
from airlift.web.security import AdminUser, CurrentUser, ReadViewDep, SessionDep

router = APIRouter(prefix="/api/aircraft_types", tags=["aircraft_types"])


@router.get("", response_model=list[AircraftTypePublic])
async def list_aircraft_types(view: ReadViewDep, user: CurrentUser) -> Response:
    return await cached_rows(view, AIRCRAFT_TYPES, AircraftTypePublic)


@router.get("/{row_id}")
def get_aircraft_type(row_id: RowId, session: SessionDep, user: CurrentUser) -> AircraftTypePublic:
    return AircraftTypePublic.model_validate(AIRCRAFT_TYPES.get(session, row_id))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_aircraft_type(
    body: AircraftTypeCreate, session: SessionDep, user: AdminUser
) -> AircraftTypePublic:
    row = AIRCRAFT_TYPES.create(session, to_data(body), user.username)
    return AircraftTypePublic.model_validate(row)


@router.put("/{row_id}")
def update_aircraft_type(
    row_id: RowId, body: AircraftTypeUpdate, session: SessionDep, user: AdminUser
) -> AircraftTypePublic:
    row = AIRCRAFT_TYPES.update(session, row_id, to_data(body), body.version, user.username)
    return AircraftTypePublic.model_validate(row)


@router.delete("/{row_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_aircraft_type(
    row_id: RowId, version: VersionQuery, session: SessionDep, user: AdminUser
) -> None:
    AIRCRAFT_TYPES.delete(session, row_id, version, user.username)
