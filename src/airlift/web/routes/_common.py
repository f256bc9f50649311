"""What the resource routes share: path and query parameters, bodies to collection data,
file uploads and import reports."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cache
from typing import Annotated, Any

from fastapi import HTTPException, Path, Query, Response, UploadFile, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, TypeAdapter
from sqlalchemy.orm import Session

from airlift.store.collections import Collection, DriverRows
from airlift.store.imports import import_rows, parse_upload
from airlift.web.read_cache import ReadView
from airlift.web.schemas import INT32, ImportProblem, ImportReportPublic

RowId = Annotated[int, Path(ge=1, le=INT32, description="row id")]
VersionQuery = Annotated[
    int, Query(ge=1, le=INT32, description="the version you read (409 if someone changed it)")
]
GoodRowsOnly = Annotated[
    bool,
    Query(description="store the valid rows even when others have errors (listed in the report)"),
]

MAX_UPLOAD_BYTES = 5_000_000
"""Largest accepted import file (a year of requests is well under 1 MB)."""

IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    status.HTTP_422_UNPROCESSABLE_CONTENT: {
        "model": ImportProblem,
        "description": "nothing stored: every row error is listed",
    }
}


async def cached_json(
    view: ReadView, key: str, tables: tuple[str, ...], build: Callable[[Session], bytes]
) -> Response:
    """A JSON answer built from stored rows once per change of their ``tables`` (the read
    cache) and sent as is: no query, validation or serialisation while they are unchanged
    (then answered on the event loop; a rebuild runs in the thread pool). The route declares
    its ``response_model`` for the OpenAPI schema."""
    return Response(await view.aget(key, tables, build), media_type="application/json")


@cache
def list_adapter(schema: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[schema])  # type: ignore[valid-type]


async def cached_rows(view: ReadView, rows: Collection[Any], schema: type[BaseModel]) -> Response:
    """Every stored row of a collection, as the JSON list of ``schema``.

    The list is rebuilt after every change to its table, and a busy table changes many
    times a second. So it is rebuilt from the rows as the database driver gives them, and
    each row's JSON is memoised by that row (``_row_json``): a rebuild after one write
    converts and serialises one row, not all of them."""

    def build(session: Session) -> bytes:
        found = rows.driver_rows(session)
        return b"[" + b",".join(_row_json(schema, found, row) for row in found.rows) + b"]"

    return await cached_json(view, f"rows:{rows.name}", (rows.table,), build)


ROW_JSON_MAX = 50_000
"""Rows kept in the per-process memo of row JSON (it is emptied when full)."""
_row_memo: dict[tuple[type[BaseModel], Hashable], bytes] = {}


def _row_json(schema: type[BaseModel], found: DriverRows, row: tuple[Any, ...]) -> bytes:
    """One row as ``schema`` JSON, memoised by the driver's row, which holds every column
    (so not by (id, version): SQLite reuses the largest id after a delete and an old row
    would then show). Equal rows give equal JSON: a driver gives one column's values as one
    type (1 and 1.0 are equal keys, but never come from one column). A driver that gives
    JSON columns as lists (psycopg) makes the row unhashable: its ``repr`` is the key then."""
    try:
        key: tuple[type[BaseModel], Hashable] = (schema, row)
        found_json = _row_memo.get(key)
    except TypeError:
        key = (schema, repr(row))
        found_json = _row_memo.get(key)
    if found_json is None:
        found_json = schema.model_validate(found.convert(row)).model_dump_json().encode()
        if len(_row_memo) >= ROW_JSON_MAX:
            _row_memo.clear()
        _row_memo[key] = found_json  # a race costs a duplicate build, never a wrong answer
    return found_json


def to_data(body: BaseModel) -> dict[str, Any]:
    """The fields of a Create/Update body for a collection, as JSON values (the form the
    file readers validate); ``version`` travels apart."""
    return body.model_dump(mode="json", exclude={"version"})


def read_upload(file: UploadFile) -> bytes:
    content = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"{file.filename}: larger than {MAX_UPLOAD_BYTES:,} bytes; split the file",
        )
    return content


def import_file(
    session: Session,
    into: Collection[Any],
    file: UploadFile,
    username: str,
    good_rows_only: bool,
) -> ImportReportPublic | JSONResponse:
    """Parse and import an uploaded CSV or JSON file; 422 listing every row error when
    nothing was stored."""
    rows = parse_upload(into, file.filename or "upload", read_upload(file))
    report = ImportReportPublic.model_validate(
        import_rows(session, into, rows, username, good_rows_only=good_rows_only)
    )
    if report.stored:
        return report
    problem = ImportProblem(
        **report.model_dump(),
        detail=f"{len(report.errors)} row error(s); nothing stored"
        + ("" if good_rows_only else " (good_rows_only=true stores the valid rows)"),
        field=report.errors[0].field if report.errors else None,
    )
    return JSONResponse(
        problem.model_dump(mode="json"), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
    )
