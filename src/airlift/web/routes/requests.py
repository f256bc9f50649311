"""Movement requests: read by everyone logged in, edited by planners (import: CSV or JSON)."""

from __future__ import annotations

from fastapi import APIRouter, Response, UploadFile, status
from fastapi.responses import JSONResponse

from airlift.store.collections import REQUESTS
from airlift.web.routes._common import (
    IMPORT_RESPONSES,
    GoodRowsOnly,
    RowId,
    VersionQuery,
    cached_rows,
    import_file,
    to_data,
)
from airlift.web.schemas import ImportReportPublic, RequestCreate, RequestPublic, RequestUpdate
from airlift.web.security import CurrentUser, PlannerUser, ReadViewDep, SessionDep

router = APIRouter(prefix="/api/requests", tags=["requests"])


@router.get("", response_model=list[RequestPublic])
async def list_requests(view: ReadViewDep, user: CurrentUser) -> Response:
    return await cached_rows(view, REQUESTS, RequestPublic)


@router.get("/{row_id}")
def get_request(row_id: RowId, session: SessionDep, user: CurrentUser) -> RequestPublic:
    return RequestPublic.model_validate(REQUESTS.get(session, row_id))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_request(body: RequestCreate, session: SessionDep, user: PlannerUser) -> RequestPublic:
    row = REQUESTS.create(session, to_data(body), user.username)
    return RequestPublic.model_validate(row)


@router.put("/{row_id}")
def update_request(
    row_id: RowId, body: RequestUpdate, session: SessionDep, user: PlannerUser
) -> RequestPublic:
    row = REQUESTS.update(session, row_id, to_data(body), body.version, user.username)
    return RequestPublic.model_validate(row)


@router.delete("/{row_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_request(
    row_id: RowId, version: VersionQuery, session: SessionDep, user: PlannerUser
) -> None:
    REQUESTS.delete(session, row_id, version, user.username)


@router.post("/import", response_model=ImportReportPublic, responses=IMPORT_RESPONSES)
def import_requests(
    file: UploadFile, session: SessionDep, user: PlannerUser, good_rows_only: GoodRowsOnly = False
) -> ImportReportPublic | JSONResponse:
    """Import movement requests from a CSV or JSON file (the ``airlift schedule`` format);
    rows whose ``ref`` exists update it."""
    return import_file(session, REQUESTS, file, user.username, good_rows_only)
