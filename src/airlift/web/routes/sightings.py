"""``/api/sightings``: aircraft seen at a place and time. Everyone logged in reads them, each
matched against a run's plan (``tracking/sightings.py``: confirmed, or an unplanned presence
with candidates; never assigned to a tail silently); planners and admins report them, as JSON
or as a photo whose EXIF time and GPS position are read (the image is not kept, only its
SHA-256)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Response, UploadFile, status

from airlift.errors import Conflict, FieldError
from airlift.store import runs
from airlift.store import sightings as store
from airlift.store.sightings import StoredSighting
from airlift.tracking.photo import photo_sighting
from airlift.tracking.sightings import Confidence, match_sighting
from airlift.web.routes._common import RowId, read_upload
from airlift.web.schemas import INT32
from airlift.web.security import CurrentUser, PlannerUser, SessionDep
from airlift.web.sighting_schemas import SightingCreate, SightingCreated, SightingPublic

router = APIRouter(prefix="/api/sightings", tags=["sightings"])

RunQuery = Annotated[
    int | None, Query(ge=1, le=INT32, description="match against this finished run's plan")
]
DayQuery = Annotated[date | None, Query(description="only sightings of this UTC date")]


def _plan(session: Any, run: int) -> dict[str, Any]:
    found = runs.get_run(session, run, with_result=True)
    if found.status != "done" or found.result is None:
        raise Conflict(f"schedule run {run} is {found.status}: only a finished run has a plan")
    return found.result


def _created(
    session: Any, stored: StoredSighting, new: bool, response: Response
) -> SightingCreated:
    if not new:
        response.status_code = status.HTTP_200_OK
    match = None
    if stored.run_id is not None:
        match = match_sighting(_plan(session, stored.run_id), stored.sighting).as_dict()
    return SightingCreated(**SightingPublic.of(stored, match).model_dump(), new=new)


@router.get("", response_model=list[SightingPublic], summary="Sightings and their match")
def list_sightings(
    session: SessionDep, user: CurrentUser, run: RunQuery = None, day: DayQuery = None
) -> list[SightingPublic]:
    """By time seen; with ``run``, each matched against its plan."""
    since = datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
    found = store.of_day(session, since) if since else store.sightings(session)
    plan = _plan(session, run) if run is not None else None
    return [
        SightingPublic.of(s, match_sighting(plan, s.sighting).as_dict() if plan else None)
        for s in found
    ]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Report a sighting (201; 200 when the same sighting was stored before)",
)
def create_sighting(
    body: SightingCreate, response: Response, session: SessionDep, user: PlannerUser
) -> SightingCreated:
    stored, new = store.add_sighting(
        session, body.sighting(user.username), user.username, run_id=body.run_id
    )
    return _created(session, stored, new, response)


def _form_time(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise FieldError("at_utc", f"at_utc {value!r} is not an ISO 8601 time") from None
    if when.tzinfo is None:
        raise FieldError("at_utc", f"at_utc {value!r} has no timezone: add Z for UTC")
    return when


@router.post(
    "/photo",
    status_code=status.HTTP_201_CREATED,
    summary="Report a sighting from a photo (its EXIF time and GPS position)",
)
def create_photo_sighting(
    photo: UploadFile,
    response: Response,
    session: SessionDep,
    user: PlannerUser,
    tail: Annotated[str, Form(max_length=16)] = "",
    aircraft_type: Annotated[str, Form(max_length=32)] = "",
    airfield: Annotated[
        str, Form(max_length=64, description="needed when the photo has no GPS")
    ] = "",
    at_utc: Annotated[
        str, Form(max_length=40, description="wins over the photo's time (ISO 8601)")
    ] = "",
    tz: Annotated[
        str, Form(max_length=64, description="camera clock zone when EXIF has no offset")
    ] = "",
    confidence: Annotated[Confidence, Form()] = Confidence.MEDIUM,
    note: Annotated[str, Form(max_length=500)] = "",
    reported_by: Annotated[str, Form(max_length=64)] = "",
    run_id: Annotated[int | None, Form(ge=1, le=INT32)] = None,
) -> SightingCreated:
    """The image is read, never stored: only its time, position and SHA-256."""
    sighting = photo_sighting(
        read_upload(photo),
        tz=tz,
        at_utc=_form_time(at_utc),
        airfield=airfield,
        tail=tail,
        aircraft_type=aircraft_type,
        confidence=confidence,
        note=note,
        reported_by=reported_by or user.username,
    )
    stored, new = store.add_sighting(session, sighting, user.username, run_id=run_id)
    return _created(session, stored, new, response)


@router.delete("/{row_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a sighting")
def delete_sighting(row_id: RowId, session: SessionDep, user: PlannerUser) -> None:
    store.delete_sighting(session, row_id, user.username)
