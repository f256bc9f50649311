"""Schedule runs in the database: every read and write of ``schedule_runs``.

A run is queued (:func:`create_run`), taken by a worker (:func:`claim`: ``running``, with a
heartbeat), kept alive by the worker (:func:`beat`: progress and heartbeat; it answers
whether the run was cancelled or is no longer the worker's), and ends ``done``, ``failed`` or
``cancelled`` (:func:`record_done`, :func:`record_failed`, :func:`record_cancelled`, or
:func:`cancel_run` for a queued run). Every worker write names ``status = 'running'``, so a
run that recovery failed meanwhile stays failed.

The lease: a running run whose heartbeat is older than :data:`LEASE_S` has a dead worker
(its server was killed, crashed or lost power), and :func:`mark_interrupted_runs` fails it.
A live worker beats every half second, so another server's start-up on the same database
never touches its runs. Heartbeats are stamped with the database server's clock on
PostgreSQL (workers on several machines share it, and their clocks may differ) and with this
machine's clock on SQLite (one machine).

Functions take the caller's session and never commit (run them inside
:func:`airlift.store.db.transaction`), except :func:`claim`, which retries in transactions of
its own when another worker takes the run first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session, defer, sessionmaker

from airlift.airspace.zones import Zone
from airlift.errors import Conflict, FieldError, NotFound
from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
from airlift.store.airspace import stored_zones
from airlift.store.collections import SCENARIOS
from airlift.store.db import transaction
from airlift.store.domain import domain_fleet, domain_requests, domain_scenario
from airlift.store.models import ScheduleRun, StudyRow, utcnow
from airlift.store.rows import INT_MAX, audit, flush

INTERRUPTED = "interrupted by a server restart"
STATUSES = ("queued", "running", "done", "failed", "cancelled")
TERMINAL = frozenset({"done", "failed", "cancelled"})
"""Statuses a run never leaves."""
LEASE_S = 30.0
"""A running run whose heartbeat is older than this has a dead worker. The worker beats every
0.5 s: the lease outlasts 60 missed beats, or beats that each waited out a busy database
(a SQLite writer waits up to ``store.db.SQLITE_BUSY_S``, 10 s, for the lock)."""


# --- queue, read, cancel (the API) ------------------------------------------------------------


def create_run(
    session: Session, scenario_id: int, username: str, time_limit_s: float, seed: int
) -> ScheduleRun:
    """Queue a schedule run of the scenario for the worker."""
    SCENARIOS.get(session, scenario_id)
    if (
        isinstance(time_limit_s, bool)
        or not isinstance(time_limit_s, int | float)
        or not math.isfinite(time_limit_s)
        or not 0 < time_limit_s <= 86_400
    ):
        raise FieldError(
            "time_limit_s", f"time_limit_s must be 0-86400 seconds, got {time_limit_s!r}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= INT_MAX:
        raise FieldError("seed", f"seed must be a whole number 0-{INT_MAX}, got {seed!r}")
    run = ScheduleRun(
        scenario_id=scenario_id,
        status="queued",
        created_by=username[:64],
        created_at=utcnow(),
        time_limit_s=float(time_limit_s),
        seed=seed,
    )
    session.add(run)
    flush(session, "schedule run")
    audit(
        session,
        username,
        "run",
        "schedule_runs",
        run.id,
        {"scenario_id": scenario_id, "time_limit_s": float(time_limit_s), "seed": seed},
    )
    return run


def get_run(session: Session, run_id: int, with_result: bool = False) -> ScheduleRun:
    """The run (its large ``result`` only when asked for); :class:`NotFound` if none."""
    query = select(ScheduleRun).where(ScheduleRun.id == run_id)
    if not with_result:
        query = query.options(defer(ScheduleRun.result))
    run = session.scalar(query)
    if run is None:
        raise NotFound(f"no schedule run {run_id}")
    return run


def find_run(session: Session, run_id: int) -> ScheduleRun | None:
    """The run without its result, or None (deleted meanwhile)."""
    return session.scalar(
        select(ScheduleRun).where(ScheduleRun.id == run_id).options(defer(ScheduleRun.result))
    )


def list_runs(session: Session, status: str | None = None, limit: int = 50) -> list[ScheduleRun]:
    """Runs newest first (without their results), optionally of one status."""
    query = select(ScheduleRun).options(defer(ScheduleRun.result))
    if status is not None:
        query = query.where(ScheduleRun.status == status)
    query = query.order_by(ScheduleRun.created_at.desc(), ScheduleRun.id.desc()).limit(limit)
    return list(session.scalars(query))


def cancel_run(session: Session, run_id: int) -> ScheduleRun:
    """A queued run is cancelled at once; a running one gets ``cancel_requested`` (its worker
    stops and records ``cancelled``). A cancelled run is returned as it is; a done or failed
    run is a :class:`Conflict`."""
    run = get_run(session, run_id)
    if run.status == "cancelled":
        return run
    if run.status in TERMINAL:
        raise Conflict(f"schedule run {run_id} is {run.status}: nothing to cancel")
    request_cancel(session, ScheduleRun, run_id)
    session.expire(run)
    return get_run(session, run_id)


# --- the worker's side ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunInputs:
    """What a worker needs to solve a run it has claimed."""

    requests: tuple[MovementRequest, ...]
    fleet: tuple[FleetTail, ...]
    scenario: Scenario
    time_limit_s: float
    seed: int
    zones: tuple[Zone, ...] = ()
    """The stored zones: the programme's legs are routed around them."""


def claim(
    sessions: sessionmaker[Session], reads: sessionmaker[Session] | None = None
) -> int | None:
    """Take the oldest queued run (status ``running``, heartbeat now) and return its id; None
    if none is queued. Atomic: the UPDATE names ``status = 'queued'``, so of two workers
    racing for a run exactly one updates a row. With ``reads`` (read-only sessions), an idle
    worker's poll looks first without taking SQLite's write lock."""
    if reads is not None:
        with reads() as s:
            queued = select(ScheduleRun.id).where(ScheduleRun.status == "queued").limit(1)
            if s.scalar(queued) is None:
                return None
    while True:
        with transaction(sessions) as s:
            run_id = s.scalar(
                select(ScheduleRun.id)
                .where(ScheduleRun.status == "queued")
                .order_by(ScheduleRun.created_at, ScheduleRun.id)
                .limit(1)
            )
            if run_id is None:
                return None
            taken = s.execute(
                update(ScheduleRun)
                .where(ScheduleRun.id == run_id, ScheduleRun.status == "queued")
                .values(
                    status="running",
                    started_at=utcnow(),
                    progress_s=0.0,
                    heartbeat_at=db_clock(s),
                )
                .execution_options(synchronize_session=False)
            )
            if rowcount(taken) == 1:
                return int(run_id)
        # Another worker took it (or it was cancelled) between the SELECT and the UPDATE.


def run_inputs(session: Session, run_id: int) -> RunInputs | Literal["cancelled"] | None:
    """The requests, fleet and scenario a claimed run solves, as domain objects; None if the
    run is gone, ``"cancelled"`` if a cancel came first. :class:`NotFound` if its scenario
    was deleted."""
    run = find_run(session, run_id)
    if run is None:
        return None
    if run.cancel_requested:
        return "cancelled"
    if run.scenario_id is None:
        raise NotFound("the run's scenario was deleted")
    return RunInputs(
        requests=domain_requests(session),
        fleet=domain_fleet(session),
        scenario=domain_scenario(session, run.scenario_id),
        time_limit_s=float(run.time_limit_s),
        seed=int(run.seed),
        zones=stored_zones(session),
    )


def beat(
    session: Session,
    run_id: int,
    progress_s: float | None = None,
    best_objective: float | None = None,
) -> tuple[bool, bool]:
    """The worker's heartbeat, with its progress: ``(still running, cancel requested)``. Not
    running any more means the run is not the worker's to finish (failed by recovery, or
    deleted): it should stop."""
    values: dict[str, Any] = {"heartbeat_at": db_clock(session)}
    if progress_s is not None:
        values["progress_s"] = progress_s
    if best_objective is not None:
        values["best_objective"] = best_objective
    result = session.execute(
        update(ScheduleRun)
        .where(ScheduleRun.id == run_id, ScheduleRun.status == "running")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    cancel = session.scalar(select(ScheduleRun.cancel_requested).where(ScheduleRun.id == run_id))
    return rowcount(result) == 1, bool(cancel)


def record_done(
    session: Session,
    run_id: int,
    document: dict[str, Any],
    objective: float | None,
    progress_s: float,
) -> bool:
    """Store a finished run's programme document and KPIs; False (nothing written) if the
    run is no longer running."""
    return _set_running(
        session,
        run_id,
        status="done",
        result=document,
        kpis=document["kpis"],
        best_objective=objective,
        progress_s=progress_s,
        finished_at=utcnow(),
    )


def record_failed(session: Session, run_id: int, error: str) -> bool:
    """Fail a running run with a one-line message; False if it is no longer running."""
    return _set_running(session, run_id, status="failed", error=error, finished_at=utcnow())


def record_cancelled(session: Session, run_id: int, progress_s: float | None = None) -> bool:
    """A running run stopped on its cancel; False if it is no longer running."""
    values: dict[str, Any] = {"status": "cancelled", "finished_at": utcnow()}
    if progress_s is not None:
        values["progress_s"] = progress_s
    return _set_running(session, run_id, **values)


# --- recovery ---------------------------------------------------------------------------------


def mark_interrupted_runs(session: Session, lease_s: float = LEASE_S) -> int:
    """Fail every running run whose worker is dead: its heartbeat is older than ``lease_s``
    (or missing) by the database's clock. Returns how many. Queued runs wait for a worker;
    runs whose worker beats are left alone, whichever server it belongs to."""
    expired = _expired(session, lease_s)
    candidates = session.scalars(select(ScheduleRun.id).where(*expired)).all()
    now = utcnow()
    marked = []
    for run_id in candidates:
        # Checked again row by row: a worker that beat since the SELECT keeps its run.
        result = session.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == run_id, *expired)
            .values(status="failed", error=INTERRUPTED, finished_at=now)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) == 1:
            marked.append(run_id)
    if marked:
        audit(
            session,
            "system",
            "fail",
            "schedule_runs",
            "",
            {"ids": marked, "error": INTERRUPTED},
        )
    return len(marked)


def expired_runs(session: Session, lease_s: float = LEASE_S) -> list[int]:
    """The running runs whose lease expired (what :func:`mark_interrupted_runs` would fail);
    it only reads."""
    return list(session.scalars(select(ScheduleRun.id).where(*_expired(session, lease_s))))


# --- helpers ----------------------------------------------------------------------------------


def _expired(session: Session, lease_s: float) -> tuple[ColumnElement[bool], ...]:
    return (
        ScheduleRun.status == "running",
        or_(
            ScheduleRun.heartbeat_at.is_(None),
            ScheduleRun.heartbeat_at < db_clock(session) - timedelta(seconds=lease_s),
        ),
    )


def db_clock(session: Session) -> Any:
    """Now, for heartbeats and leases: the database server's clock where several machines may
    share the database, this machine's for SQLite."""
    if session.get_bind().dialect.name == "sqlite":
        return utcnow()
    now: ColumnElement[Any] = func.now()
    return now


def _set_running(session: Session, run_id: int, **values: Any) -> bool:
    """Update a run the worker holds; False (nothing written) if it is no longer running."""
    result = session.execute(
        update(ScheduleRun)
        .where(ScheduleRun.id == run_id, ScheduleRun.status == "running")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def request_cancel(
    session: Session, model: type[ScheduleRun] | type[StudyRow], row_id: int
) -> None:
    """Cancel a queued run or study at once (status ``cancelled``), or ask a running one's
    worker to stop (``cancel_requested``); one conditional UPDATE, so a worker claiming it
    at the same moment sees one or the other, never half of each."""
    queued = session.execute(
        update(model)
        .where(model.id == row_id, model.status == "queued")
        .values(status="cancelled", cancel_requested=True, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rowcount(queued) == 0:
        session.execute(
            update(model)
            .where(model.id == row_id)
            .values(cancel_requested=True)
            .execution_options(synchronize_session=False)
        )


def rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


__all__ = [
    "INTERRUPTED",
    "LEASE_S",
    "STATUSES",
    "TERMINAL",
    "RunInputs",
    "beat",
    "cancel_run",
    "claim",
    "create_run",
    "db_clock",
    "expired_runs",
    "find_run",
    "get_run",
    "list_runs",
    "mark_interrupted_runs",
    "record_cancelled",
    "record_done",
    "record_failed",
    "request_cancel",
    "rowcount",
    "run_inputs",
]
