"""The pooled fleet's tails. Admins add and import tails; planners edit and delete them,
a national planner only their own nation's tails (before and after the change)."""

from __future__ import annotations

from fastapi import APIRouter, Response, UploadFile, status
from fastapi.responses import JSONResponse

from airlift.store.collections import TAILS
from airlift.web.routes._common import (
    IMPORT_RESPONSES,
    GoodRowsOnly,
    RowId,
    VersionQuery,
    cached_rows,
    import_file,
    to_data,
)
from airlift.web.schemas import ImportReportPublic, TailCreate, TailPublic, TailUpdate
from airlift.web.security import (
    AdminUser,
    CurrentUser,
    PlannerUser,
    ReadViewDep,
    SessionDep,
    check_tail_nation,
)

router = APIRouter(prefix="/api/tails", tags=["tails"])


@router.get("", response_model=list[TailPublic])
async def list_tails(view: ReadViewDep, user: CurrentUser) -> Response:
    return await cached_rows(view, TAILS, TailPublic)


@router.get("/{row_id}")
def get_tail(row_id: RowId, session: SessionDep, user: CurrentUser) -> TailPublic:
    return TailPublic.model_validate(TAILS.get(session, row_id))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_tail(body: TailCreate, session: SessionDep, user: AdminUser) -> TailPublic:
    return TailPublic.model_validate(TAILS.create(session, to_data(body), user.username))


@router.put("/{row_id}")
def update_tail(
    row_id: RowId, body: TailUpdate, session: SessionDep, user: PlannerUser
) -> TailPublic:
    current = TAILS.get(session, row_id)
    check_tail_nation(user, current.nation, body.nation)
    row = TAILS.update(session, row_id, to_data(body), body.version, user.username)
    return TailPublic.model_validate(row)


@router.delete("/{row_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_tail(
    row_id: RowId, version: VersionQuery, session: SessionDep, user: PlannerUser
) -> None:
    current = TAILS.get(session, row_id)
    check_tail_nation(user, current.nation)
    TAILS.delete(session, row_id, version, user.username)


@router.post("/import", response_model=ImportReportPublic, responses=IMPORT_RESPONSES)
def import_tails(
    file: UploadFile, session: SessionDep, user: AdminUser, good_rows_only: GoodRowsOnly = False
) -> ImportReportPublic | JSONResponse:
    """Import tails from a CSV or JSON file (the ``airlift schedule --fleet`` format); rows
    whose registration exists update it."""
    return import_file(session, TAILS, file, user.username, good_rows_only)
