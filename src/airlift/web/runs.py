"""Schedule runs: a worker process that solves them, and the ``/api/runs`` endpoints.

A run is a row of ``schedule_runs`` (status ``queued | running | done | failed |
cancelled``). ``POST /api/runs`` queues one; the worker, a separate process (``spawn``; one
by default, ``Settings.worker_processes``; started once per server by
:func:`start_workers`), polls the table, takes the oldest queued run with
``UPDATE ... WHERE status = 'queued'`` (two workers never take the same run), reads the
requests, fleet and scenario through the store repositories and calls
:func:`~airlift.scheduling.scheduler.schedule`. While it solves, a watch thread writes the
best objective and the elapsed time to the row (2 writes/s at most) and reads
``cancel_requested``; the engine only calls back on an improvement, so when a cancel (or a
server shutdown) is seen the watch raises a private exception in the solving thread itself
(``PyThreadState_SetAsyncExc``): a cancel takes effect within about a second even while the
search finds nothing better. A finished run stores the programme document
(:func:`~airlift.export.programme.programme_document`) in ``result`` and its KPIs in
``kpis``; any error marks it ``failed`` with a one-line message. Every worker write names
``status = 'running'``, so a run marked failed meanwhile (restart recovery) stays failed.

At start-up :func:`start_workers` first marks runs left ``running`` by a previous server
(killed, crashed, power cut) as failed, so no run is lost silently; a worker whose server
died stops by itself (it watches its parent).

Exports of a finished run are built from the stored document (so they match the JSON
exactly): legs CSV, requests CSV, JSON, GeoJSON, one KML with a folder per mission, and a
printable HTML brief per mission.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing.synchronize import Event as MpEvent
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session, defer, sessionmaker
from starlette.concurrency import run_in_threadpool

from airlift.airfields import Airfield, lookup
from airlift.export.document import number
from airlift.export.programme import (
    PROGRAMME_UNITS,
    legs_csv,
    programme_feature_collection,
    programme_kml,
    requests_csv,
    route_codes,
)
from airlift.scheduling.inputs import Scenario
from airlift.store import repositories as repo
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import ScheduleRun, utcnow
from airlift.web.brief import mission_brief_html
from airlift.web.security import CurrentUser, PlannerUser, SessionDep

log = logging.getLogger(__name__)

TERMINAL = frozenset({"done", "failed", "cancelled"})
"""Statuses a run never leaves."""
POLL_S = 0.5
"""How often an idle worker looks for a queued run."""
WRITE_EVERY_S = 0.5
"""Progress writes to the run row: at most one per this many seconds (2 writes/s)."""
EVENT_EVERY_S = 0.5
"""Server-sent events: one state per this many seconds."""
STOP_TIMEOUT_S = 10.0
"""How long :func:`stop_workers` waits for a worker to stop before terminating it."""
ENGINE = "pyvrp"
"""The scheduling engine the worker uses."""
SHUTDOWN_ERROR = "interrupted: the server shut down while this run was solving; start it again"

# --- the worker ---------------------------------------------------------------------------


class _Abort(BaseException):
    """Raised inside the solving thread to stop a run (cancel or shutdown). A BaseException
    so that no ``except Exception`` on the way swallows it."""


def one_line(exc: BaseException) -> str:
    """``ValueError: bad thing`` on one line (at most 500 characters)."""
    text = " ".join(str(exc).split())
    line = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return line if len(line) <= 500 else line[:499] + "…"


def claim(sessions: sessionmaker[Session]) -> int | None:
    """Take the oldest queued run (status ``running``) and return its id; None if none is
    queued. Atomic: the UPDATE names ``status = 'queued'``, so of two workers racing for a
    run exactly one updates a row."""
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
                .values(status="running", started_at=utcnow(), progress_s=0.0)
                .execution_options(synchronize_session=False)
            )
            if _rowcount(taken) == 1:
                return int(run_id)
        # Another worker took it (or it was cancelled) between the SELECT and the UPDATE.


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _set_running(sessions: sessionmaker[Session], run_id: int, **values: Any) -> bool:
    """Update a run the worker holds; False (nothing written) if it is no longer running."""
    with transaction(sessions) as s:
        result = s.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == run_id, ScheduleRun.status == "running")
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1


def _parent_alive() -> bool:
    parent = multiprocessing.parent_process()
    return parent is None or parent.is_alive()


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


class _Watch:
    """Reports a solving run's progress and stops it on cancel or shutdown.

    :meth:`progress` is the engine's callback (elapsed s, best objective): it only records.
    A thread writes ``best_objective`` and ``progress_s`` every :data:`WRITE_EVERY_S` and
    reads ``cancel_requested``; on a cancel, a stop request or a dead parent it raises
    :class:`_Abort` in the solving thread, once, and only while :meth:`finish` has not been
    called (which also clears an exception not yet delivered)."""

    def __init__(
        self, sessions: sessionmaker[Session], run_id: int, stop: MpEvent | threading.Event
    ) -> None:
        self.sessions = sessions
        self.run_id = run_id
        self.stop = stop
        self.reason: Literal["", "cancel", "shutdown"] = ""
        self.best: float | None = None
        self.started = time.monotonic()
        self._target = threading.get_ident()
        self._lock = threading.Lock()
        self._solving = True
        self._injected = False
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"airlift-run-{run_id}-watch", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def progress(self, elapsed_s: float, objective: float) -> None:
        self.best = float(objective)
        if self.reason:
            raise _Abort

    def _write(self) -> bool:
        """One progress write; returns ``cancel_requested``."""
        values: dict[str, Any] = {"progress_s": round(self.elapsed(), 2)}
        if self.best is not None:
            values["best_objective"] = self.best
        with transaction(self.sessions) as s:
            s.execute(
                update(ScheduleRun)
                .where(ScheduleRun.id == self.run_id, ScheduleRun.status == "running")
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            flag = s.scalar(
                select(ScheduleRun.cancel_requested).where(ScheduleRun.id == self.run_id)
            )
        return bool(flag)

    def _loop(self) -> None:
        while not self._done.wait(WRITE_EVERY_S):
            try:
                cancel = self._write()
            except Exception as exc:  # the database may be busy or restarting: try again
                log.warning("run %s: progress write failed: %s", self.run_id, one_line(exc))
                cancel = False
            if cancel:
                self._interrupt("cancel")
            elif self.stop.is_set() or not _parent_alive():
                self._interrupt("shutdown")

    def _interrupt(self, reason: Literal["cancel", "shutdown"]) -> None:
        with self._lock:
            if self._solving and not self._injected:
                self.reason = reason
                self._injected = True
                _set_async_exc(self._target, _Abort)

    def finish(self) -> None:
        """The solve is over (returned or raised): no abort after this. Idempotent."""
        with self._lock:
            self._solving = False
            if self._injected:
                _set_async_exc(self._target, None)  # drop it if not delivered yet
        self._done.set()

    def join(self) -> None:
        self._thread.join(timeout=5.0)


def execute(
    sessions: sessionmaker[Session],
    run_id: int,
    stop: MpEvent | threading.Event,
    engine: str = ENGINE,
) -> None:
    """Solve the run ``run_id`` (already claimed: status ``running``) and store the outcome."""
    from airlift.export.programme import programme_document
    from airlift.scheduling.scheduler import schedule

    watch: _Watch | None = None
    try:
        with transaction(sessions) as s:
            run = s.get(ScheduleRun, run_id, options=[defer(ScheduleRun.result)])
            if run is None:
                return
            cancelled = run.cancel_requested
            if not cancelled:
                requests = repo.domain_requests(s)
                fleet = repo.domain_fleet(s)
                if run.scenario_id is None:
                    raise repo.NotFound("the run's scenario was deleted")
                scenario = repo.domain_scenario(s, run.scenario_id)
                time_limit_s, seed = float(run.time_limit_s), int(run.seed)
        if cancelled:  # between the claim and now
            _set_running(sessions, run_id, status="cancelled", finished_at=utcnow())
            return
        watch = _Watch(sessions, run_id, stop)
        watch.start()
        try:
            try:
                programme = schedule(
                    requests,
                    fleet,
                    scenario,
                    time_limit_s=time_limit_s,
                    seed=seed,
                    engine=engine,
                    progress=watch.progress,
                )
            finally:
                watch.finish()
        except _Abort:
            watch.finish()
            if watch.reason == "cancel":
                _set_running(
                    sessions,
                    run_id,
                    status="cancelled",
                    progress_s=round(watch.elapsed(), 2),
                    finished_at=utcnow(),
                )
                log.info("run %s cancelled", run_id)
            else:
                _set_running(
                    sessions, run_id, status="failed", error=SHUTDOWN_ERROR, finished_at=utcnow()
                )
                log.warning("run %s interrupted by shutdown", run_id)
            return
        document = programme_document(programme)
        written = _set_running(
            sessions,
            run_id,
            status="done",
            result=document,
            kpis=document["kpis"],
            best_objective=number(programme.objective),
            progress_s=round(watch.elapsed(), 2),
            finished_at=utcnow(),
        )
        if not written:
            log.warning("run %s finished but was no longer running: result dropped", run_id)
    except Exception as exc:
        log.exception("run %s failed", run_id)
        try:
            _set_running(
                sessions, run_id, status="failed", error=one_line(exc), finished_at=utcnow()
            )
        except Exception:
            log.exception("run %s: could not record the failure", run_id)
    finally:
        if watch is not None:
            watch.finish()
            watch.join()


def worker_main(url: str, stop: MpEvent, poll_s: float = POLL_S, engine: str = ENGINE) -> None:
    """The worker process: solve queued runs, one at a time, until ``stop`` is set or the
    server process is gone."""
    # Ctrl-C in a terminal reaches the whole process group: the server stops the worker
    # (``stop``), the worker does not die half-way through a database write.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    db = make_engine(url)
    sessions = session_factory(db)
    log.info("schedule-run worker %s started", os.getpid())
    try:
        while not stop.is_set() and _parent_alive():
            try:
                run_id = claim(sessions)
            except Exception as exc:  # database unavailable for a moment: wait and retry
                log.warning("worker: cannot poll for runs: %s", one_line(exc))
                run_id = None
            if run_id is None:
                stop.wait(poll_s)
                continue
            log.info("run %s started", run_id)
            execute(sessions, run_id, stop, engine)
    finally:
        db.dispose()


@dataclass
class Workers:
    """The run worker processes and the event that tells them to stop."""

    stop: MpEvent
    processes: list[multiprocessing.process.BaseProcess]


def start_workers(url: str, count: int = 1) -> Workers:
    """Recover runs a previous server left running (marked failed), then start ``count``
    worker processes solving the queued runs of the database at ``url``.

    Called once per server: by the app's start-up, or, when ``airlift serve --workers N``
    runs several HTTP processes, by the ``serve`` process itself before it starts them."""
    db = make_engine(url)
    try:
        with transaction(session_factory(db)) as s:
            interrupted = repo.mark_interrupted_runs(s)
    finally:
        db.dispose()
    if interrupted:
        log.warning("marked %s interrupted run(s) as failed", interrupted)
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    processes: list[multiprocessing.process.BaseProcess] = []
    for i in range(count):
        process = context.Process(
            target=worker_main,
            args=(url, stop),
            name=f"airlift-run-worker-{i + 1}",
            daemon=True,
        )
        process.start()
        processes.append(process)
    return Workers(stop, processes)


def stop_workers(workers: Workers) -> None:
    """Stop the workers: a run being solved is interrupted and marked failed. Waits up to
    :data:`STOP_TIMEOUT_S`, then terminates (and at last kills) a worker that hangs."""
    workers.stop.set()
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for process in workers.processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in workers.processes:
        if process.is_alive():
            log.warning("worker %s did not stop: terminating it", process.pid)
            process.terminate()
            process.join(timeout=2.0)
        if process.is_alive():
            process.kill()
            process.join(timeout=2.0)


# --- API models -------------------------------------------------------------------------------


class RunCreate(BaseModel):
    """Start a schedule run of a scenario."""

    model_config = ConfigDict(extra="forbid")
    scenario_id: int = Field(ge=1, le=2_147_483_647)
    time_limit_s: float = Field(
        default=30.0, ge=1, le=600, allow_inf_nan=False, description="s (solver time limit)"
    )
    seed: int = Field(default=0, ge=0, le=2_147_483_647)


class RunPublic(BaseModel):
    """A run's state without its (large) result: GET /api/runs/{id}/result for that."""

    id: int
    scenario_id: int | None
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    time_limit_s: float = Field(description="s")
    seed: int
    best_objective: float | None = Field(description="scheduler objective, lower is better")
    progress_s: float = Field(description="s solved so far")
    progress_pct: float = Field(description="% of the time limit used (100 when finished)")
    cancel_requested: bool
    error: str
    kpis: dict[str, Any]


class KpiDifference(BaseModel):
    name: str
    unit: str
    a: float | None
    b: float | None
    difference: float | None = Field(description="b - a")
    better: Literal["a", "b", "same"] | None = Field(
        description="which run is better on this KPI; null where more is not better or worse"
    )


class TailDifference(BaseModel):
    tail: str
    a: float | None = Field(description="h of flight per available day")
    b: float | None
    difference: float | None = Field(description="b - a, h per day")


class RunComparison(BaseModel):
    a: RunPublic
    b: RunPublic
    kpis: list[KpiDifference]
    utilisation_h_per_day: list[TailDifference]


def public(run: ScheduleRun) -> RunPublic:
    if run.status in TERMINAL:
        pct = (
            100.0 if run.status == "done" else min(100.0, 100.0 * run.progress_s / run.time_limit_s)
        )
    elif run.status == "running" and run.time_limit_s > 0:
        pct = min(99.0, 100.0 * run.progress_s / run.time_limit_s)
    else:
        pct = 0.0
    return RunPublic(
        id=run.id,
        scenario_id=run.scenario_id,
        status=run.status,  # type: ignore[arg-type]
        created_by=run.created_by,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        time_limit_s=run.time_limit_s,
        seed=run.seed,
        best_objective=run.best_objective,
        progress_s=run.progress_s,
        progress_pct=round(pct, 1),
        cancel_requested=run.cancel_requested,
        error=run.error,
        kpis=dict(run.kpis or {}),
    )


# --- helpers ----------------------------------------------------------------------------------


def _load(session: Session, run_id: int, with_result: bool = False) -> ScheduleRun:
    query = select(ScheduleRun).where(ScheduleRun.id == run_id)
    if not with_result:
        query = query.options(defer(ScheduleRun.result))
    run = session.scalar(query)
    if run is None:
        raise repo.NotFound(f"no schedule run {run_id}")
    return run


def _conflict(detail: str) -> repo.Conflict:
    return repo.Conflict(detail)


def _document(session: Session, run_id: int) -> tuple[ScheduleRun, dict[str, Any]]:
    """A finished run and its programme document; 409 unless the run is done."""
    run = _load(session, run_id, with_result=True)
    if run.status != "done" or run.result is None:
        raise _conflict(
            f"schedule run {run_id} is {run.status}: results exist only for a run that is done"
        )
    return run, run.result


def airfields_by_code(
    document: Mapping[str, Any], scenario: Scenario | None = None, codes: list[str] | None = None
) -> dict[str, Airfield]:
    """The airfields of ``codes`` (default: every stop of the document's missions) as the
    ``scenario`` plans them: the theatre or airportsdata entry with the scenario's overrides
    (fuel, daylight, MOG, hours, closure) and its no-night-flying rule applied."""
    from airlift.scheduling.model import apply_override

    out: dict[str, Airfield] = {}
    for code in dict.fromkeys(codes if codes is not None else route_codes(document)):
        a = lookup(code)
        if scenario is not None:
            if a.icao in scenario.overrides:
                a = apply_override(a, scenario.overrides[a.icao])
            if not scenario.night_ops and not a.planning.daylight_only:
                a = replace(a, planning=replace(a.planning, daylight_only=True))
        out[code] = a
    return out


def run_airfields(
    session: Session, run: ScheduleRun, document: Mapping[str, Any], codes: list[str] | None = None
) -> dict[str, Airfield]:
    """:func:`airfields_by_code` with the run's scenario, if it still exists."""
    scenario = None
    if run.scenario_id is not None:
        try:
            scenario = repo.domain_scenario(session, run.scenario_id)
        except Exception as exc:  # deleted, or edited into an invalid state since
            log.info("run %s: scenario not applied to airfields: %s", run.id, one_line(exc))
    return airfields_by_code(document, scenario, codes)


# Direction of the KPIs compared: True = more is better, False = less is better, None = neither.
_KPI_BETTER: dict[str, bool | None] = {
    "tonnes_delivered": True,
    "pax_delivered": True,
    "requests": None,
    "delivered": True,
    "partial": False,
    "unmet": False,
    "required_unmet": False,
    "on_time_pct": True,
    "flying_hours": None,
    "missions": None,
    "tails_used": None,
    "legs_checked": None,
    "legs_passing": None,
}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 3) + 0.0


def compare_kpis(
    a: Mapping[str, Any], b: Mapping[str, Any]
) -> tuple[list[KpiDifference], list[TailDifference]]:
    """Both runs' KPIs side by side: b - a per KPI, and per tail for the utilisation."""
    rows = []
    names = [k for k in dict.fromkeys([*a, *b]) if k != "utilisation_h_per_day"]
    for name in names:
        va, vb = _num(a.get(name)), _num(b.get(name))
        diff = _diff(va, vb)
        direction = _KPI_BETTER.get(name)
        better: Literal["a", "b", "same"] | None = None
        if direction is not None and diff is not None:
            better = "same" if diff == 0 else ("b" if (diff > 0) == direction else "a")
        unit = PROGRAMME_UNITS.get(name, "")
        rows.append(KpiDifference(name=name, unit=unit, a=va, b=vb, difference=diff, better=better))
    ua = a.get("utilisation_h_per_day") or {}
    ub = b.get("utilisation_h_per_day") or {}
    tails = [
        TailDifference(
            tail=t,
            a=_num(ua.get(t)),
            b=_num(ub.get(t)),
            difference=_diff(_num(ua.get(t)), _num(ub.get(t))),
        )
        for t in sorted({*ua, *ub})
    ]
    return rows, tails


# --- routes -----------------------------------------------------------------------------------

router = APIRouter(prefix="/api/runs", tags=["schedule runs"])

RunId = Annotated[int, Path(ge=1, le=2_147_483_647, description="run id")]

EXPORTS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "legs.csv"),
    "requests.csv": ("text/csv; charset=utf-8", "requests.csv"),
    "json": ("application/json", "json"),
    "geojson": ("application/geo+json", "geojson"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
}
"""Export format -> (media type, file name suffix)."""


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RunPublic,
    summary="Queue a schedule run",
)
def create_run(
    body: RunCreate, session: SessionDep, user: PlannerUser, response: Response
) -> RunPublic:
    """Queue a run of the scenario on the current requests and fleet (planner). The worker
    starts it within a second when idle; follow it with GET /api/runs/{id} or /events."""
    run = repo.create_run(session, body.scenario_id, user.username, body.time_limit_s, body.seed)
    session.flush()
    response.headers["Location"] = f"/api/runs/{run.id}"
    return public(run)


@router.get("", response_model=list[RunPublic], summary="List schedule runs, newest first")
def list_runs(
    session: SessionDep,
    user: CurrentUser,
    status_: Annotated[
        Literal["queued", "running", "done", "failed", "cancelled"] | None,
        Query(alias="status"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[RunPublic]:
    query = select(ScheduleRun).options(defer(ScheduleRun.result))
    if status_ is not None:
        query = query.where(ScheduleRun.status == status_)
    query = query.order_by(ScheduleRun.created_at.desc(), ScheduleRun.id.desc()).limit(limit)
    return [public(run) for run in session.scalars(query)]


@router.get("/compare", response_model=RunComparison, summary="Compare two runs' KPIs")
def compare_runs(
    session: SessionDep,
    user: CurrentUser,
    a: Annotated[int, Query(ge=1, le=2_147_483_647, description="first run id")],
    b: Annotated[int, Query(ge=1, le=2_147_483_647, description="second run id")],
) -> RunComparison:
    """Both runs' KPIs side by side with ``difference = b - a`` (both must be done)."""
    run_a, run_b = _load(session, a), _load(session, b)
    for run in (run_a, run_b):
        if run.status != "done":
            raise _conflict(f"schedule run {run.id} is {run.status}: compare finished runs")
    kpis, tails = compare_kpis(run_a.kpis or {}, run_b.kpis or {})
    return RunComparison(a=public(run_a), b=public(run_b), kpis=kpis, utilisation_h_per_day=tails)


@router.get("/{run_id}", response_model=RunPublic, summary="A run's status, progress and KPIs")
def get_run(run_id: RunId, session: SessionDep, user: CurrentUser) -> RunPublic:
    return public(_load(session, run_id))


@router.get("/{run_id}/result", summary="The programme document of a finished run")
def get_result(run_id: RunId, session: SessionDep, user: CurrentUser) -> JSONResponse:
    """The programme document (missions, request statuses, KPIs, units); 409 unless done."""
    _, document = _document(session, run_id)
    return JSONResponse(document)


def _snapshot(sessions: sessionmaker[Session], run_id: int) -> dict[str, Any] | None:
    with sessions() as s:
        run = s.scalar(
            select(ScheduleRun).where(ScheduleRun.id == run_id).options(defer(ScheduleRun.result))
        )
        return None if run is None else public(run).model_dump(mode="json")


@router.get(
    "/{run_id}/events",
    summary="Server-sent events: the run's state every 0.5 s until it ends",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def run_events(
    run_id: RunId, request: Request, session: SessionDep, user: CurrentUser
) -> StreamingResponse:
    """``text/event-stream``: an ``event: progress`` with the run as JSON (as GET
    /api/runs/{id}) every 0.5 s while it is queued or running, then one ``event: end``
    with its final state, and the stream closes (an EventSource should close on ``end``)."""
    _load(session, run_id)
    sessions: sessionmaker[Session] = request.app.state.read_sessions

    async def stream() -> AsyncIterator[str]:
        yield "retry: 2000\n\n"
        n = 0
        while True:
            state = await run_in_threadpool(_snapshot, sessions, run_id)
            n += 1
            if state is None:
                gone = json.dumps({"id": run_id, "status": "deleted"})
                yield f"id: {n}\nevent: end\ndata: {gone}\n\n"
                return
            kind = "end" if state["status"] in TERMINAL else "progress"
            yield f"id: {n}\nevent: {kind}\ndata: {json.dumps(state)}\n\n"
            if kind == "end" or await request.is_disconnected():
                return
            await asyncio.sleep(EVENT_EVERY_S)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/{run_id}/cancel", response_model=RunPublic, summary="Cancel a run")
def cancel_run(run_id: RunId, session: SessionDep, user: PlannerUser) -> RunPublic:
    """A queued run is cancelled at once; a running one stops within about a second
    (``cancel_requested`` is set, the status becomes ``cancelled`` when the worker has
    stopped). Cancelling a cancelled run changes nothing; a done or failed run is 409."""
    run = _load(session, run_id)
    if run.status == "cancelled":
        return public(run)
    if run.status in TERMINAL:
        raise _conflict(f"schedule run {run_id} is {run.status}: nothing to cancel")
    now = utcnow()
    queued = session.execute(
        update(ScheduleRun)
        .where(ScheduleRun.id == run_id, ScheduleRun.status == "queued")
        .values(status="cancelled", cancel_requested=True, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    if _rowcount(queued) == 0:
        session.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == run_id)
            .values(cancel_requested=True)
            .execution_options(synchronize_session=False)
        )
    session.expire(run)
    return public(_load(session, run_id))


@router.get("/{run_id}/export/{fmt}", summary="Export a finished run")
def export_run(
    run_id: RunId,
    fmt: Literal["csv", "requests.csv", "json", "geojson", "kml"],
    session: SessionDep,
    user: CurrentUser,
) -> Response:
    """``csv``: every leg of every mission; ``requests.csv``: every request's status;
    ``json``: the programme document; ``geojson``: airfields and geodesic leg tracks;
    ``kml``: one KML document with a folder per mission. 409 unless the run is done."""
    run, document = _document(session, run_id)
    media_type, suffix = EXPORTS[fmt]
    content: str | bytes
    if fmt == "csv":
        content = legs_csv(document)
    elif fmt == "requests.csv":
        content = requests_csv(document)
    elif fmt == "json":
        content = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    else:
        airfields = run_airfields(session, run, document)
        if fmt == "geojson":
            collection = programme_feature_collection(document, airfields)
            content = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
        else:
            content = programme_kml(document, airfields)
    filename = (
        f"airlift-run-{run_id}.{suffix}" if "." not in suffix else f"airlift-run-{run_id}-{suffix}"
    )
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/{run_id}/missions/{n}/brief",
    response_class=HTMLResponse,
    summary="The printable brief of mission n (1-based) of a finished run",
)
def mission_brief(
    run_id: RunId,
    n: Annotated[int, Path(ge=1, le=100_000, description="1-based mission number")],
    session: SessionDep,
    user: CurrentUser,
) -> HTMLResponse:
    run, document = _document(session, run_id)
    missions = document.get("missions", [])
    if not 1 <= n <= len(missions):
        raise repo.NotFound(f"schedule run {run_id} has {len(missions)} mission(s): no mission {n}")
    mission = missions[n - 1]
    airfields = run_airfields(session, run, document, list(mission["route"]))
    return HTMLResponse(
        mission_brief_html(mission, airfields),
        headers={
            # The page is self-contained: nothing to load, nothing to run.
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
        },
    )
