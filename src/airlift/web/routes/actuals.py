"""``/api/actuals``: reports of flown legs. Everyone logged in reads the merged legs and the
day board; planners and admins add, import and delete reports.

Reports are kept as they came (``store/actuals.py``): never edited, so a delete names no
version; storing a report again adds nothing. An import reads the file with the reader of
its format (``tracking/parsers.py``: ``format=`` or the file's suffix) and stores all of it
or nothing (``good_rows_only`` stores the good reports).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, UploadFile, status
from fastapi.responses import JSONResponse

from airlift.errors import Conflict, FieldError
from airlift.store import actuals as store
from airlift.store import runs
from airlift.store.domain import domain_fleet
from airlift.tracking.board import day_board, planned_legs, programme_days
from airlift.tracking.legs import MATCH_WINDOW
from airlift.tracking.parsers import read_file
from airlift.tracking.report_json import actual_from_json
from airlift.tracking.status import TOLERANCE
from airlift.web.actual_schemas import (
    ActualCreate,
    ActualImportProblem,
    ActualImportPublic,
    BoardLegPublic,
    BoardPublic,
    MergedLegPublic,
    ReportCreated,
    ReportErrorPublic,
    ReportPublic,
    TrackCollection,
    TrackFeature,
)
from airlift.web.routes._common import GoodRowsOnly, RowId, read_upload, to_data
from airlift.web.schemas import INT32
from airlift.web.security import CurrentUser, PlannerUser, SessionDep

router = APIRouter(prefix="/api/actuals", tags=["actuals"])

RunQuery = Annotated[
    int | None, Query(ge=1, le=INT32, description="only reports stored with this schedule run")
]
DayQuery = Annotated[date | None, Query(description="UTC date of the leg's first time")]
TailQuery = Annotated[str | None, Query(max_length=16, description="registration")]
FormatQuery = Annotated[
    str | None,
    Query(
        max_length=16,
        description="reader: json, csv, mvt or adsb (default: an ADS-B file by its content, "
        "else by the file's suffix)",
    ),
]
RunIdQuery = Annotated[
    int | None, Query(ge=1, le=INT32, description="the schedule run the reports are about")
]

UNITS = {
    "fuel_out_kg": "kg",
    "fuel_in_kg": "kg",
    "cargo_kg": "kg",
    "pallets": "463L pallet positions (count)",
    "pax": "passengers (count)",
    "late_min": "min",
    "tolerance_min": "min",
}


@router.get("", response_model=list[MergedLegPublic], summary="Merged legs and their reports")
def list_actuals(
    session: SessionDep,
    user: CurrentUser,
    run: RunQuery = None,
    day: DayQuery = None,
    tail: TailQuery = None,
) -> list[MergedLegPublic]:
    """Each leg (tail, origin, UTC date) with the most trusted source's value of each field,
    and every report of it, newest first."""
    legs = store.merged_legs(session, run_id=run, day=day, tail=tail)
    return [MergedLegPublic.of(m) for m in legs]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Report a leg (201; 200 when the same report was stored before)",
)
def create_actual(
    body: ActualCreate, response: Response, session: SessionDep, user: PlannerUser
) -> ReportCreated:
    data = to_data(body)
    run_id = data.pop("run_id", None)
    if not data.get("reported_by"):
        data["reported_by"] = user.username
    actual = actual_from_json(data)
    report, new = store.add_report(session, actual, user.username, run_id=run_id)
    if not new:
        response.status_code = status.HTTP_200_OK
    return ReportCreated(**ReportPublic.of_stored(report).model_dump(), new=new)


@router.post(
    "/import",
    response_model=ActualImportPublic,
    responses={
        status.HTTP_422_UNPROCESSABLE_CONTENT: {
            "model": ActualImportProblem,
            "description": "nothing stored: every report error is listed",
        }
    },
    summary="Import a file of leg reports",
)
def import_actuals(
    file: UploadFile,
    session: SessionDep,
    user: PlannerUser,
    format: FormatQuery = None,
    run_id: RunIdQuery = None,
    good_rows_only: GoodRowsOnly = False,
) -> ActualImportPublic | JSONResponse:
    """Reports already stored are skipped; with any bad report nothing is stored unless
    ``good_rows_only``. An ADS-B file's flights are mapped to tails through the stored
    fleet's ``icao24``; flights of other addresses are listed in ``warnings`` and not
    stored. A flight whose take-off or landing was not seen is stored as ``partial`` with
    that airfield "" (seen in cruise only: neither airfield, its seen times instead)."""
    name = file.filename or "upload"
    fmt, parsed = read_file(read_upload(file), name, format, fleet=lambda: domain_fleet(session))
    outcome = store.import_reports(
        session,
        parsed,
        user.username,
        run_id=run_id,
        good_rows_only=good_rows_only,
        source_name=name,
    )
    report = ActualImportPublic(
        format=fmt,
        created=outcome.created,
        duplicates=outcome.duplicates,
        errors=[
            ReportErrorPublic(row=e.row, field=e.field, reason=e.reason) for e in outcome.errors
        ],
        stored=outcome.stored,
        warnings=parsed.warnings,
    )
    if report.stored:
        return report
    detail = (
        f"{len(report.errors)} report error(s); nothing stored"
        + ("" if good_rows_only else " (good_rows_only=true stores the valid reports)")
        if report.errors
        else f"no reports to store; {len(report.warnings)} warning(s)"
        if report.warnings
        else "no reports in the file"
    )
    problem = ActualImportProblem(
        **report.model_dump(),
        detail=detail,
        field=report.errors[0].field if report.errors else None,
    )
    return JSONResponse(
        problem.model_dump(mode="json"), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
    )


def _run_days(session: SessionDep, run: int, day: date | None) -> tuple[dict[str, Any], list[str]]:
    """A finished run's programme document and its UTC days (ISO); ``day`` must be one."""
    found = runs.get_run(session, run, with_result=True)
    if found.status != "done" or found.result is None:
        raise Conflict(f"schedule run {run} is {found.status}: only a finished run has legs")
    days = programme_days(found.result)
    if day is None and not days:
        raise FieldError("day", f"run {run} has no missions")
    if day is not None and day.isoformat() not in days:
        raise FieldError(
            "day", f"day {day.isoformat()} has no missions in run {run}; days: {', '.join(days)}"
        )
    return found.result, days


@router.get(
    "/tracks",
    response_model=TrackCollection,
    response_model_exclude_none=False,
    summary="Tracks as flown (GeoJSON) on a run's days",
)
def tracks(
    session: SessionDep,
    user: CurrentUser,
    run: Annotated[int, Query(ge=1, le=INT32, description="a finished schedule run")],
    day: DayQuery = None,
) -> TrackCollection:
    """One LineString per stored report with a track (ADS-B) whose first time, or first
    sighting in cruise, falls on the UTC day (default: every day of the run), whichever run
    it was stored with."""
    _, days = _run_days(session, run, day)
    wanted = [day.isoformat()] if day else days
    first, last = date.fromisoformat(wanted[0]), date.fromisoformat(wanted[-1])
    found = store.reports(
        session,
        since=datetime(first.year, first.month, first.day, tzinfo=UTC),
        until=datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1),
    )
    shown = set(wanted)
    features = [
        TrackFeature.of(r)
        for r in sorted(found, key=lambda r: r.id)
        if len(r.actual.track) >= 2
        and (placed := r.actual.placed_utc) is not None
        and f"{placed:%Y-%m-%d}" in shown
    ]
    return TrackCollection(features=features)


@router.get("/board", summary="The day board: planned legs of a run's day against reports")
def board(
    session: SessionDep,
    user: CurrentUser,
    run: Annotated[int, Query(ge=1, le=INT32, description="a finished schedule run")],
    day: DayQuery = None,
    now: Annotated[
        datetime | None, Query(description="compute statuses at this time (default: now)")
    ] = None,
) -> BoardPublic:
    """Each planned leg of the UTC day with its merged reports, status (planned, not
    reported yet, delayed, airborne, landed, diverted) and next action; and the reported
    legs of the day that match no planned leg."""
    document, days = _run_days(session, run, day)
    shown = day or date.fromisoformat(days[0])
    if now is not None and (now.tzinfo is None or now.utcoffset() is None):
        raise FieldError("now", "now has no timezone: add Z for UTC")
    at = (now or datetime.now(UTC)).astimezone(UTC)
    merged = store.around_day(session, shown, MATCH_WINDOW)
    of_leg = {id(m.leg): m for m in merged}  # day_board hands back the same objects
    planned = planned_legs(document, shown)
    legs, unplanned = day_board(shown, planned, [m.leg for m in merged], at)
    return BoardPublic(
        run_id=run,
        day=shown.isoformat(),
        days=days,
        now=at,
        tolerance_min=TOLERANCE.total_seconds() / 60,
        legs=[BoardLegPublic.of(b, of_leg[id(b.actual)].reports if b.actual else []) for b in legs],
        unplanned=[MergedLegPublic.of(of_leg[id(a)]) for a in unplanned],
        units=UNITS,
    )


@router.delete("/{row_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a report")
def delete_actual(row_id: RowId, session: SessionDep, user: PlannerUser) -> None:
    """Reports are never edited, so no version is asked for."""
    store.delete_report(session, row_id, user.username)
