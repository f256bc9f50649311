"""Re-planning in the database: disruption events declared against a programme, and the
versions of the programme (``schedule_runs`` rows, read and written through
:mod:`airlift.store.runs`' models).

The *current programme* is the newest approved run, else the newest done schedule run that
nobody approved or set aside. A re-plan starts from the current programme and is stored as a
proposal (a done run of kind ``replan``, ``approval = 'proposed'``, its ``parent_id`` the
programme it started from). Approving it makes it current and its parent ``superseded``;
only a proposal whose parent is still current can be approved (else :class:`Conflict`: the
planner re-bases on the new programme). Discarding sets it aside.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, defer

from airlift.errors import Conflict, FieldError, NotFound
from airlift.replan.events import Cancel, Change, Delay, DutyReset, Event, Unserviceable
from airlift.replan.events import event_text as _event_text
from airlift.replan.events import parse_event as _parse_event
from airlift.replan.reported import reported
from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
from airlift.store.actuals import around_days
from airlift.store.domain import domain_fleet, domain_requests, domain_scenario
from airlift.store.models import (
    DisruptionEvent,
    MovementRequestRow,
    ScheduleRun,
    Tail,
    utcnow,
)
from airlift.store.rows import audit, flush
from airlift.store.runs import get_run
from airlift.tracking.board import programme_days
from airlift.tracking.legs import MATCH_WINDOW

APPROVALS = ("proposed", "approved", "discarded", "superseded")
REFUSED_KINDS = frozenset({"add-request"})
"""Kinds the API does not take: ``add-request`` names a file on the server's disk (add the
requests on the Requests page instead)."""
MAX_TEXT = 1_000
"""The longest event line stored."""


# --- events -------------------------------------------------------------------------------------


def parse_text(text: str, field: str = "text") -> Event:
    """One event from its line, as :func:`airlift.replan.parse_event` reads it; a
    :class:`FieldError` on ``field`` if it is not one (or is a kind the API refuses)."""
    words = str(text).split()
    if len(str(text)) > MAX_TEXT:
        raise FieldError(field, f"an event is at most {MAX_TEXT:,} characters")
    if words and words[0].lower() in REFUSED_KINDS:
        raise FieldError(
            field,
            f"event {text!r}: {words[0]} reads a file on the server: add the requests on the "
            "Requests page instead",
        )
    try:
        return _parse_event(text)
    except FieldError as exc:
        raise FieldError(field, exc.reason, suggestions=exc.suggestions) from None


def check_known(session: Session, event: Event, field: str = "text") -> None:
    """The tail or request an event names is stored; a :class:`FieldError` if not."""
    if isinstance(event, Unserviceable | Delay | DutyReset):
        found = session.scalar(select(Tail.id).where(Tail.registration == event.tail))
        if found is None:
            raise FieldError(
                field, f"event {_event_text(event)!r}: no tail {event.tail!r} in the fleet"
            )
    elif isinstance(event, Cancel | Change):
        found = session.scalar(
            select(MovementRequestRow.id).where(MovementRequestRow.ref == event.ref)
        )
        if found is None:
            raise FieldError(field, f"event {_event_text(event)!r}: no request {event.ref!r}")


def kind_of(event: Event) -> str:
    return _event_text(event).split()[0]


def add_event(session: Session, run_id: int, text: str, username: str) -> DisruptionEvent:
    """Declare an event against run ``run_id`` (a done run); stored in its normal form."""
    run = get_run(session, run_id)
    if run.status != "done":
        raise Conflict(f"schedule run {run_id} is {run.status}: events go against a programme")
    event = parse_text(text)
    check_known(session, event)
    normal = _event_text(event)
    row = DisruptionEvent(
        run_id=run_id,
        kind=kind_of(event),
        text=normal,
        created_by=username[:64],
        created_at=utcnow(),
    )
    session.add(row)
    flush(session, "disruption event")
    audit(
        session, username, "create", "disruption_events", row.id, {"run_id": run_id, "text": normal}
    )
    return row


def list_events(session: Session, run_id: int) -> list[DisruptionEvent]:
    """The events declared against run ``run_id``, oldest first (404 if no such run)."""
    get_run(session, run_id)
    return list(
        session.scalars(
            select(DisruptionEvent)
            .where(DisruptionEvent.run_id == run_id)
            .order_by(DisruptionEvent.id)
        )
    )


def delete_event(session: Session, run_id: int, event_id: int, username: str) -> None:
    row = session.get(DisruptionEvent, event_id)
    if row is None or row.run_id != run_id:
        raise NotFound(f"schedule run {run_id} has no event {event_id}")
    session.delete(row)
    flush(session, "disruption event")
    audit(session, username, "delete", "disruption_events", event_id, {"text": row.text})


# --- programme versions -------------------------------------------------------------------------


def current_programme(session: Session) -> ScheduleRun | None:
    """The programme every page shows: the newest approved re-plan, unless a schedule run
    finished after it was approved (a new programme drawn from scratch), else the newest
    done schedule run; None if there is none (without its result)."""
    approved = session.scalar(
        select(ScheduleRun)
        .options(defer(ScheduleRun.result))
        .where(ScheduleRun.status == "done", ScheduleRun.approval == "approved")
        .order_by(ScheduleRun.approved_at.desc(), ScheduleRun.id.desc())
        .limit(1)
    )
    plain = session.scalar(
        select(ScheduleRun)
        .options(defer(ScheduleRun.result))
        .where(ScheduleRun.status == "done", ScheduleRun.approval.is_(None))
        .order_by(ScheduleRun.created_at.desc(), ScheduleRun.id.desc())
        .limit(1)
    )
    if approved is None or plain is None:
        return approved or plain
    drawn = plain.finished_at or plain.created_at
    return plain if approved.approved_at is None or drawn > approved.approved_at else approved


def check_current(session: Session, run_id: int) -> ScheduleRun:
    """Run ``run_id`` (done) is the current programme; :class:`Conflict` if not."""
    run = get_run(session, run_id)
    if run.status != "done":
        raise Conflict(f"schedule run {run_id} is {run.status}: only a programme is re-planned")
    current = current_programme(session)
    if current is None or current.id != run_id:
        raise Conflict(_rebase(current, run_id))
    return run


def _rebase(current: ScheduleRun | None, run_id: int) -> str:
    if current is None:
        return f"re-base: programme {run_id} is not current and no programme is"
    return (
        f"re-base: programme {current.id} is now current (not {run_id}): "
        "reload it and re-plan from it"
    )


@dataclass(frozen=True, slots=True)
class ReplanInputs:
    """What a re-plan of a programme reads, as the run worker reads a run's inputs."""

    run_id: int
    document: dict[str, Any]
    requests: tuple[MovementRequest, ...]
    fleet: tuple[FleetTail, ...]
    scenario: Scenario
    events: tuple[str, ...]
    """The texts of the events stored against the run."""
    flown_until: datetime | None
    """The latest time a stored report of a leg of this programme gives: "now" cannot
    precede it."""
    delays: tuple[Delay, ...] = ()
    """The legs of this programme reported late (``airlift.replan.reported``)."""


def replan_inputs(session: Session, run_id: int) -> ReplanInputs:
    """The current programme ``run_id`` with the stored requests, fleet and its scenario;
    :class:`Conflict` if it is not the current programme (or its scenario was deleted)."""
    check_current(session, run_id)
    run = get_run(session, run_id, with_result=True)
    if run.result is None:
        raise Conflict(f"schedule run {run_id} has no programme document")
    if run.scenario_id is None:
        raise Conflict(f"schedule run {run_id}: its scenario was deleted")
    days = programme_days(run.result)
    merged = (
        around_days(
            session, date.fromisoformat(days[0]), date.fromisoformat(days[-1]), MATCH_WINDOW
        )
        if days
        else []
    )
    delays, flown_until = reported(run.result, [m.leg for m in merged])
    return ReplanInputs(
        run_id=run_id,
        document=run.result,
        requests=domain_requests(session),
        fleet=domain_fleet(session),
        scenario=domain_scenario(session, run.scenario_id),
        events=tuple(e.text for e in list_events(session, run_id)),
        flown_until=flown_until,
        delays=tuple(delays),
    )


def replan_summary(document: dict[str, Any]) -> dict[str, Any]:
    """A re-plan document's ``replan`` block with its ``diff`` (kept at the document's top
    level) and ``solve_seconds`` in it: what the API answers and the page shows."""
    block = dict(document.get("replan") or {})
    block["diff"] = document.get("diff", block.get("diff", {}))
    block["solve_seconds"] = document.get("solve_seconds", block.get("solve_seconds"))
    return block


def create_proposal(
    session: Session,
    parent_id: int,
    document: dict[str, Any],
    username: str,
    time_limit_s: float,
) -> ScheduleRun:
    """Store a re-plan of programme ``parent_id`` as a proposal (a done run); the parent
    must still be the current programme (:class:`Conflict`)."""
    parent = check_current(session, parent_id)
    summary = replan_summary(document)
    now = utcnow()
    run = ScheduleRun(
        scenario_id=parent.scenario_id,
        status="done",
        created_by=username[:64],
        created_at=now,
        started_at=now,
        finished_at=now,
        time_limit_s=float(time_limit_s),
        seed=0,
        progress_s=float(summary.get("solve_seconds") or 0.0),
        kpis=dict(document.get("kpis", {})),
        result=document,
        kind="replan",
        parent_id=parent_id,
        approval="proposed",
    )
    session.add(run)
    flush(session, "re-plan")
    diff = summary["diff"]
    audit(
        session,
        username,
        "replan",
        "schedule_runs",
        run.id,
        {
            "parent_id": parent_id,
            "events": [e.get("text") for e in summary.get("events", [])],
            "moved": diff.get("moved"),
            "retimed": diff.get("retimed"),
        },
    )
    return run


def _proposal(session: Session, run_id: int) -> ScheduleRun:
    run = get_run(session, run_id)
    if run.kind != "replan" or run.approval != "proposed":
        state = run.approval or run.status
        raise Conflict(f"schedule run {run_id} is not a proposed re-plan (it is {state})")
    return run


def approve(session: Session, run_id: int, username: str) -> ScheduleRun:
    """Make proposal ``run_id`` the current programme; its parent is ``superseded``.
    :class:`Conflict` if it is no proposal or its parent is no longer current."""
    run = _proposal(session, run_id)
    current = current_programme(session)
    if run.parent_id is None or current is None or current.id != run.parent_id:
        raise Conflict(_rebase(current, run.parent_id or run_id))
    now = utcnow()
    taken = session.execute(
        update(ScheduleRun)
        .where(ScheduleRun.id == run_id, ScheduleRun.approval == "proposed")
        .values(approval="approved", approved_by=username[:64], approved_at=now)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(taken, "rowcount", 0) or 0) != 1:
        raise Conflict(f"schedule run {run_id} was approved or discarded meanwhile")
    session.execute(
        update(ScheduleRun)
        .where(
            ScheduleRun.id == run.parent_id,
            or_(ScheduleRun.approval.is_(None), ScheduleRun.approval == "approved"),
        )
        .values(approval="superseded")
        .execution_options(synchronize_session=False)
    )
    audit(session, username, "approve", "schedule_runs", run_id, {"parent_id": run.parent_id})
    session.expire(run)
    return get_run(session, run_id)


def discard(session: Session, run_id: int, username: str) -> ScheduleRun:
    """Set proposal ``run_id`` aside (:class:`Conflict` if it is no proposal)."""
    _proposal(session, run_id)
    done = session.execute(
        update(ScheduleRun)
        .where(ScheduleRun.id == run_id, ScheduleRun.approval == "proposed")
        .values(approval="discarded")
        .execution_options(synchronize_session=False)
    )
    if int(getattr(done, "rowcount", 0) or 0) != 1:
        raise Conflict(f"schedule run {run_id} was approved or discarded meanwhile")
    audit(session, username, "discard", "schedule_runs", run_id, {})
    run = get_run(session, run_id)
    session.refresh(run)
    return run


__all__ = [
    "APPROVALS",
    "REFUSED_KINDS",
    "ReplanInputs",
    "add_event",
    "approve",
    "check_current",
    "check_known",
    "create_proposal",
    "current_programme",
    "delete_event",
    "discard",
    "kind_of",
    "list_events",
    "parse_text",
    "replan_inputs",
    "replan_summary",
]
