"""``/api/studies``: launch a what-if study, follow it, cancel it, and fetch its report and
results.

A study is a row of ``studies`` (``store/studies.py``); the server's study worker runs it on
the Dask cluster (``airlift.runs.studies``) and writes ``results.parquet`` and
``report.html`` into the study's folder under the data directory. The files are served from
that folder only: the path is the server's, never one the client chose.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response, status
from fastapi.responses import FileResponse, HTMLResponse

from airlift.errors import Conflict
from airlift.store import studies as store
from airlift.store.models import StudyRow
from airlift.web.security import CurrentUser, PlannerUser, SessionDep
from airlift.web.study_schemas import StudyCreate, StudyPublic, public

router = APIRouter(prefix="/api/studies", tags=["studies"])

StudyId = Annotated[int, Path(ge=1, le=2_147_483_647, description="study id")]

REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)
"""The report is self-contained (inline styles, PNG charts as data URIs): nothing to load or
run."""


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=StudyPublic,
    summary="Launch a what-if study",
)
def create_study(
    session: SessionDep,
    user: PlannerUser,
    response: Response,
    body: Annotated[StudyCreate | None, Body()] = None,
) -> StudyPublic:
    """Queue the study (planner); no body: the shipped demo study. The TOML is checked as
    ``airlift study`` checks a file: a bad key is 422 naming it (``field``:
    ``study_toml.<key>``). Follow it with GET /api/studies/{id}."""
    from airlift.studies import demo_study_path

    text = body.study_toml if body else demo_study_path().read_text(encoding="utf-8")
    row = store.create_study(session, text, user.username, body.name if body else None)
    session.flush()
    response.headers["Location"] = f"/api/studies/{row.id}"
    return public(row)


@router.get("", response_model=list[StudyPublic], summary="List studies, newest first")
def list_studies(
    session: SessionDep, user: CurrentUser, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[StudyPublic]:
    return [public(row, _files(row)) for row in store.list_studies(session, limit)]


@router.get("/{study_id}", response_model=StudyPublic, summary="A study's status and summary")
def get_study(study_id: StudyId, session: SessionDep, user: CurrentUser) -> StudyPublic:
    row = store.get_study(session, study_id)
    return public(row, _files(row))


@router.post("/{study_id}/cancel", response_model=StudyPublic, summary="Cancel a study")
def cancel_study(study_id: StudyId, session: SessionDep, user: PlannerUser) -> StudyPublic:
    """A queued study is cancelled at once; a running one stops after the runs under way
    (``cancel_requested``; the finished runs stay in its results). Done or failed: 409."""
    row = store.cancel_study(session, study_id, user.username)
    return public(row, _files(row))


@router.get(
    "/{study_id}/report",
    response_class=HTMLResponse,
    summary="The study's HTML report (summaries and charts)",
)
def study_report(study_id: StudyId, session: SessionDep, user: CurrentUser) -> FileResponse:
    path = _file(session, study_id, "report.html")
    return FileResponse(
        path,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": REPORT_CSP},
    )


@router.get(
    "/{study_id}/results.parquet",
    response_class=FileResponse,
    summary="The study's results: one row per run (Parquet)",
    responses={200: {"content": {"application/vnd.apache.parquet": {}}}},
)
def study_results(study_id: StudyId, session: SessionDep, user: CurrentUser) -> FileResponse:
    path = _file(session, study_id, "results.parquet")
    return FileResponse(
        path,
        media_type="application/vnd.apache.parquet",
        filename=f"airlift-study-{study_id}-results.parquet",
    )


def _files(row: StudyRow) -> tuple[bool, bool]:
    if not row.out_dir:
        return False, False
    folder = FilePath(row.out_dir)
    return (folder / "report.html").is_file(), (folder / "results.parquet").is_file()


def _file(session: SessionDep, study_id: int, name: str) -> FilePath:
    row = store.get_study(session, study_id)
    path = FilePath(row.out_dir) / name if row.out_dir else None
    if path is None or not path.is_file():
        raise Conflict(f"study {study_id} is {row.status}: it has no {name} (yet)")
    return path


__all__ = ["router"]
