"""What the resource routes share: path and query parameters, bodies to repository data,
file uploads and import reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import HTTPException, Path, Query, UploadFile, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from airlift.store import repositories as repo
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


def to_data(body: BaseModel) -> dict[str, Any]:
    """The fields of a Create/Update body for the repositories, as JSON values (the form the
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
    session: Session, kind: str, file: UploadFile, username: str, good_rows_only: bool
) -> ImportReportPublic | JSONResponse:
    """Parse and import an uploaded CSV or JSON file; 422 listing every row error when
    nothing was stored."""
    rows = repo.parse_upload(kind, file.filename or "upload", read_upload(file))
    report = ImportReportPublic.model_validate(
        repo.import_rows(session, kind, rows, username, good_rows_only=good_rows_only)
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
