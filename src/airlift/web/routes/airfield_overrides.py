"""Global airfield overrides (fuel, hours, MOG, planning OAT, closure): edited by admins,
applied to every scenario, to ``/api/airfields`` and to ``/api/plan``."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from airlift.store.collections import AIRFIELD_OVERRIDES
from airlift.web.routes._common import RowId, VersionQuery, cached_rows, to_data
from airlift.web.schemas import (
    AirfieldOverrideCreate,
    AirfieldOverridePublic,
    AirfieldOverrideUpdate,
)
from airlift.web.security import AdminUser, CurrentUser, ReadViewDep, SessionDep

router = APIRouter(prefix="/api/airfield_overrides", tags=["airfield_overrides"])


@router.get("", response_model=list[AirfieldOverridePublic])
async def list_airfield_overrides(view: ReadViewDep, user: CurrentUser) -> Response:
    return await cached_rows(view, AIRFIELD_OVERRIDES, AirfieldOverridePublic)


@router.get("/{row_id}")
def get_airfield_override(
    row_id: RowId, session: SessionDep, user: CurrentUser
) -> AirfieldOverridePublic:
    return AirfieldOverridePublic.model_validate(AIRFIELD_OVERRIDES.get(session, row_id))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_airfield_override(
    body: AirfieldOverrideCreate, session: SessionDep, user: AdminUser
) -> AirfieldOverridePublic:
    row = AIRFIELD_OVERRIDES.create(session, to_data(body), user.username)
    return AirfieldOverridePublic.model_validate(row)


@router.put("/{row_id}")
def update_airfield_override(
    row_id: RowId, body: AirfieldOverrideUpdate, session: SessionDep, user: AdminUser
) -> AirfieldOverridePublic:
    row = AIRFIELD_OVERRIDES.update(session, row_id, to_data(body), body.version, user.username)
    return AirfieldOverridePublic.model_validate(row)


@router.delete("/{row_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_airfield_override(
    row_id: RowId, version: VersionQuery, session: SessionDep, user: AdminUser
) -> None:
    AIRFIELD_OVERRIDES.delete(session, row_id, version, user.username)
