"""Disruption re-planning: events declared against the current programme, a re-plan stored
as a proposal, its approval or discard, and which programme is current.

``/api/runs/{id}/disruptions`` (``/api/runs/{id}/events`` is the run's server-sent event
stream) holds the events; ``POST /api/runs/{id}/replan`` re-plans (``airlift.replan``) in a
thread and stores the proposal; ``/approve`` and ``/discard`` decide it. Rows through
``store/replans.py``. Two planners re-planning the same programme: the second one to
approve, or to re-plan after the first approved, gets 409 and re-bases.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response, status
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from airlift.errors import NotFound
from airlift.store import replans as store
from airlift.store.db import transaction
from airlift.store.models import DisruptionEvent
from airlift.web.run_schemas import (
    DisruptionEventCreate,
    DisruptionEventPublic,
    ReplanCreate,
    ReplanPublic,
    RunPublic,
    public,
)
from airlift.web.security import CurrentUser, PlannerUser, SessionDep

router = APIRouter(tags=["re-planning"])

RunId = Annotated[int, Path(ge=1, le=2_147_483_647, description="run id")]
EventId = Annotated[int, Path(ge=1, le=2_147_483_647, description="event id")]


def _event(row: DisruptionEvent) -> DisruptionEventPublic:
    return DisruptionEventPublic.model_validate(row, from_attributes=True)


@router.get(
    "/api/runs/{run_id}/disruptions",
    response_model=list[DisruptionEventPublic],
    summary="The disruption events declared against a programme",
)
def list_events(
    run_id: RunId, session: SessionDep, user: CurrentUser
) -> list[DisruptionEventPublic]:
    return [_event(row) for row in store.list_events(session, run_id)]


@router.post(
    "/api/runs/{run_id}/disruptions",
    response_model=DisruptionEventPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Declare a disruption event against a programme",
)
def add_event(
    run_id: RunId, body: DisruptionEventCreate, session: SessionDep, user: PlannerUser
) -> DisruptionEventPublic:
    """One event line (``unserviceable 5U-MBH 2023-10-28T08:00Z/2023-10-29T00:00Z``, ``closed
    GATS FROM/UNTIL``, ``mog GATS 1``, ``fuel GAGO none``, ``hours GATS 06:00-18:00``,
    ``cancel R012``, ``change R012 cargo_kg=9000``, ``delay 5U-MBD:3 45min``, ``duty-reset
    5U-MBD TIME``), stored in its normal form; 422 naming ``text`` if it is not one or names
    an unknown tail or request."""
    return _event(store.add_event(session, run_id, body.text, user.username))


@router.delete(
    "/api/runs/{run_id}/disruptions/{event_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw a disruption event",
)
def delete_event(
    run_id: RunId, event_id: EventId, session: SessionDep, user: PlannerUser
) -> Response:
    store.delete_event(session, run_id, event_id, user.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _read(
    sessions: sessionmaker[Session], run_id: int, body: ReplanCreate
) -> tuple[store.ReplanInputs, list[Any]]:
    with sessions() as s:
        inputs = store.replan_inputs(s, run_id)
        texts = list(inputs.events) if body.events is None else body.events
        events = []
        for n, text in enumerate(texts):
            event = store.parse_text(text, f"events[{n}]")
            store.check_known(s, event, f"events[{n}]")
            events.append(event)
        return inputs, events


def _solve(inputs: store.ReplanInputs, events: list[Any], body: ReplanCreate) -> dict[str, Any]:
    from airlift.replan import replan
    from airlift.replan.reported import with_reported_delays

    now = body.now_utc or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    result = replan(
        inputs.document,
        inputs.requests,
        inputs.fleet,
        inputs.scenario,
        with_reported_delays(events, inputs.delays),
        now=now.astimezone(UTC),
        horizon=timedelta(minutes=body.horizon_min),
        time_limit_s=body.time_limit_s,
        seed=0,
        flown_until=inputs.flown_until,
    )
    document: dict[str, Any] = result.document()
    return document


def _store(
    sessions: sessionmaker[Session],
    run_id: int,
    document: dict[str, Any],
    username: str,
    time_limit_s: float,
) -> RunPublic:
    with transaction(sessions) as s:
        return public(store.create_proposal(s, run_id, document, username, time_limit_s))


@router.post(
    "/api/runs/{run_id}/replan",
    response_model=ReplanPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Re-plan the current programme after disruptions: a proposal",
)
async def replan_run(
    run_id: RunId, body: ReplanCreate, request: Request, user: PlannerUser
) -> ReplanPublic:
    """Re-plans programme ``run_id`` (it must be the current programme, else 409: re-base)
    with ``events`` (default: those stored against it) from ``now_utc`` (default: the clock;
    what has flown or is within ``horizon_min`` of it is frozen), and stores the result as a
    proposal to approve or discard. Nothing is stored when the re-plan fails (422 naming
    the event or field at fault). The solve runs in a thread, outside any transaction."""
    state = request.app.state
    inputs, events = await run_in_threadpool(_read, state.read_sessions, run_id, body)
    document = await run_in_threadpool(_solve, inputs, events, body)
    gate = state.write_gate
    if gate is not None:
        await gate.acquire()
    try:
        run = await run_in_threadpool(
            _store, state.sessions, run_id, document, user.username, body.time_limit_s
        )
    finally:
        if gate is not None:
            gate.release()
    return ReplanPublic(run=run, replan=store.replan_summary(document))


@router.post(
    "/api/runs/{run_id}/approve",
    response_model=RunPublic,
    summary="Approve a proposed re-plan: it becomes the current programme",
)
def approve(run_id: RunId, session: SessionDep, user: PlannerUser) -> RunPublic:
    """409 unless the run is a proposal whose base is still the current programme."""
    return public(store.approve(session, run_id, user.username))


@router.post(
    "/api/runs/{run_id}/discard", response_model=RunPublic, summary="Discard a proposed re-plan"
)
def discard(run_id: RunId, session: SessionDep, user: PlannerUser) -> RunPublic:
    return public(store.discard(session, run_id, user.username))


@router.get(
    "/api/programme/current",
    response_model=RunPublic,
    summary="The current programme: the newest approved run, else the newest done run",
)
def current(session: SessionDep, user: CurrentUser) -> RunPublic:
    run = store.current_programme(session)
    if run is None:
        raise NotFound("no programme yet: no schedule run is done")
    return public(run)


__all__ = ["router"]
