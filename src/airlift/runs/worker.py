"""The schedule-run worker process: takes queued runs, solves them, beats, stops when told.

A worker polls ``schedule_runs`` for the oldest queued run and claims it
(:func:`airlift.store.runs.claim`: two workers never take the same run), reads the requests,
fleet and scenario and calls :func:`~airlift.scheduling.scheduler.schedule`. From the claim
to the last write a watch thread beats every :data:`BEAT_S`: it stamps the run's heartbeat
(its lease, see ``store/runs.py``) with the best objective and the elapsed time, and reads
``cancel_requested``. The engine only calls back on an improvement, so when the watch sees a
cancel, a stop, or that the run is no longer the worker's (failed by recovery), it raises a
private exception in the solving thread itself (``PyThreadState_SetAsyncExc``): a run stops
within about a second even while the search finds nothing better. A finished run stores its
programme document (:func:`~airlift.export.programme.programme_document`) and KPIs; any error
fails it with a one-line message. An idle worker also fails, every :data:`SWEEP_S`, the runs
whose worker is dead (their lease expired).

When a worker stops (:class:`Stop`):

* the server closes the worker's stop pipe (``supervisor.stop_workers``), or the worker gets
  SIGTERM or SIGINT (a signal to the whole process group: ``make run`` and Ctrl-C): the solve
  is interrupted, the run failed with :data:`SHUTDOWN_ERROR`, and the process exits;
* the server dies: on Linux the kernel kills the worker at once (``PR_SET_PDEATHSIG``), and
  its run, left ``running`` without a heartbeat, is failed when its lease expires. Elsewhere
  (or should the kernel not), the worker sees its stop pipe close and its parent change,
  stops the same way, and exits at the latest :data:`ORPHAN_EXIT_S` later (a C-level timer,
  even if the solve holds the GIL).
"""

from __future__ import annotations

import ctypes
import faulthandler
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from types import FrameType
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from airlift.export.document import number
from airlift.store import runs as store
from airlift.store.db import make_engine, read_session_factory, session_factory, transaction

log = logging.getLogger(__name__)

POLL_S = 0.5
"""How often an idle worker looks for a queued run."""
BEAT_S = 0.5
"""The watch writes heartbeat and progress to the run row once per this many seconds."""
SWEEP_S = 5.0
"""How often an idle worker fails runs whose lease expired."""
ORPHAN_EXIT_S = 2.0
"""A worker whose server died exits at the latest this long after it noticed."""
ENGINE = "pyvrp"
"""The scheduling engine the worker uses."""
SHUTDOWN_ERROR = "interrupted: the server shut down while this run was solving; start it again"
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})
"""Signals that stop a worker gracefully (started blocked, unblocked once handled)."""
PR_SET_PDEATHSIG = 1
"""``prctl`` option (linux/prctl.h): the signal the kernel sends when the parent ends."""

Reason = Literal["", "cancel", "shutdown", "orphaned", "lost"]


def one_line(exc: BaseException) -> str:
    """``ValueError: bad thing`` on one line (at most 500 characters)."""
    text = " ".join(str(exc).split())
    line = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return line if len(line) <= 500 else line[:499] + "…"


# --- stopping ---------------------------------------------------------------------------------


class Stop:
    """Whether, and why, the worker should stop: ``shutdown`` (the stop pipe was closed, or a
    SIGTERM/SIGINT came) or ``orphaned`` (the parent process is gone). Only plain attribute
    writes happen in a signal handler; nothing here takes a lock."""

    def __init__(self, pipe: Connection | None = None, parent_pid: int | None = None) -> None:
        self.pipe = pipe
        """Read end of the stop pipe: readable (end of file) once the server closed its end
        or died."""
        self.parent_pid = parent_pid
        self.reason: Literal["", "shutdown", "orphaned"] = ""

    def request(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Stop (a signal handler, too)."""
        if not self.reason:
            self.reason = "shutdown"

    def check(self) -> str:
        """The reason to stop, or ``""``."""
        orphan = self.parent_pid is not None and os.getppid() != self.parent_pid
        if orphan and self.reason != "orphaned":
            self.reason = "orphaned"
            # The last resort: a C thread that exits the process, GIL or not.
            faulthandler.dump_traceback_later(ORPHAN_EXIT_S, exit=True)
        if not self.reason and self.pipe is not None and self.pipe.poll(0):
            self.reason = "shutdown"
        return self.reason

    def wait(self, timeout: float) -> str:
        """Wait up to ``timeout`` s for a reason to stop; the reason, or ``""``."""
        if self.pipe is not None and not self.reason:
            wait([self.pipe], timeout)
        elif not self.reason:
            time.sleep(timeout)
        return self.check()


def die_with_parent() -> bool:
    """Linux: ask the kernel to SIGKILL this process when its parent ends (for the kernel
    the parent is the thread that started it: ``supervisor`` starts workers from a thread
    that lives as long as they may). Nothing is lost: the database rolls back an unfinished
    write, and the run's lease expires. False where this is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


# --- one run ----------------------------------------------------------------------------------


class _Abort(BaseException):
    """Raised inside the solving thread to stop a run. A BaseException so that no
    ``except Exception`` on the way swallows it."""


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


class _Watch:
    """Beats for a claimed run and stops its solve on cancel, stop or loss of the run.

    Its thread writes the heartbeat every :data:`BEAT_S` from :meth:`start` to
    :meth:`close`, with ``progress_s`` and ``best_objective`` while solving.
    :meth:`progress` is the engine's callback (elapsed s, best objective): it only records.
    :class:`_Abort` is raised in the solving thread once, and only inside :meth:`solving`
    (leaving it also clears an exception not yet delivered)."""

    def __init__(self, sessions: sessionmaker[Session], run_id: int, stop: Stop) -> None:
        self.sessions = sessions
        self.run_id = run_id
        self.stop = stop
        self.reason: Reason = ""
        self.best: float | None = None
        self.started: float | None = None
        self._target = threading.get_ident()
        self._lock = threading.Lock()
        self._solving = False
        self._injected = False
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"airlift-run-{run_id}-watch", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def elapsed(self) -> float:
        """Seconds since the solve started (0 before)."""
        return 0.0 if self.started is None else time.monotonic() - self.started

    def progress(self, elapsed_s: float, objective: float) -> None:
        self.best = float(objective)
        if self.reason and self._solving:
            raise _Abort

    @contextmanager
    def solving(self) -> Iterator[None]:
        """The solve: :class:`_Abort` may be raised inside (at once if a reason to stop
        came before)."""
        with self._lock:
            if self.reason:
                raise _Abort
            self._solving = True
            self.started = time.monotonic()
        try:
            yield
        finally:
            self._finish()

    def _finish(self) -> None:
        with self._lock:
            self._solving = False
            if self._injected:
                _set_async_exc(self._target, None)  # drop it if not delivered yet

    def _beat(self) -> None:
        reason = self.stop.check()
        if reason:
            self._interrupt("orphaned" if reason == "orphaned" else "shutdown")
        solving = self._solving
        try:
            with transaction(self.sessions) as s:
                running, cancel = store.beat(
                    s,
                    self.run_id,
                    round(self.elapsed(), 2) if solving else None,
                    self.best if solving else None,
                )
        except Exception as exc:  # the database may be busy or restarting: try again
            log.warning("run %s: heartbeat failed: %s", self.run_id, one_line(exc))
            return
        if not running:
            self._interrupt("lost")
        elif cancel:
            self._interrupt("cancel")

    def _loop(self) -> None:
        while not self._done.wait(BEAT_S):
            self._beat()

    def _interrupt(self, reason: Reason) -> None:
        with self._lock:
            if not self.reason:
                self.reason = reason
            if self._solving and not self._injected:
                self._injected = True
                _set_async_exc(self._target, _Abort)

    def close(self) -> None:
        """No more beats (the run's last write is done). Idempotent."""
        self._finish()
        self._done.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5.0)


def execute(
    sessions: sessionmaker[Session],
    run_id: int,
    stop: Stop,
    engine: str = ENGINE,
    reads: sessionmaker[Session] | None = None,
) -> None:
    """Solve the run ``run_id`` (already claimed: status ``running``) and store the outcome.
    ``reads``: read-only sessions for its inputs (default ``sessions``)."""
    from airlift.export.programme import programme_document
    from airlift.mission.airspace import Airspace
    from airlift.scheduling.scheduler import schedule

    watch = _Watch(sessions, run_id, stop)
    watch.start()
    try:
        with transaction(reads or sessions) as s:
            inputs = store.run_inputs(s, run_id)
        if inputs is None:
            return
        if inputs == "cancelled":  # between the claim and now
            with transaction(sessions) as s:
                store.record_cancelled(s, run_id)
            return
        try:
            with watch.solving():
                programme = schedule(
                    inputs.requests,
                    inputs.fleet,
                    inputs.scenario,
                    time_limit_s=inputs.time_limit_s,
                    seed=inputs.seed,
                    engine=engine,
                    progress=watch.progress,
                    airspace=Airspace(inputs.zones) if inputs.zones else None,
                )
        except _Abort:
            _record_stop(sessions, run_id, watch)
            return
        document = programme_document(programme)
        with transaction(sessions) as s:
            written = store.record_done(
                s, run_id, document, number(programme.objective), round(watch.elapsed(), 2)
            )
        if not written:
            log.warning("run %s finished but was no longer running: result dropped", run_id)
    except Exception as exc:
        log.exception("run %s failed", run_id)
        try:
            with transaction(sessions) as s:
                store.record_failed(s, run_id, one_line(exc))
        except Exception:
            log.exception("run %s: could not record the failure", run_id)
    finally:
        watch.close()


def _record_stop(sessions: sessionmaker[Session], run_id: int, watch: _Watch) -> None:
    """The solve was aborted: record why (a lost run is not the worker's to write)."""
    if watch.reason == "lost":
        log.warning("run %s is no longer running (its lease expired?): solve stopped", run_id)
        return
    try:
        with transaction(sessions) as s:
            if watch.reason == "cancel":
                store.record_cancelled(s, run_id, round(watch.elapsed(), 2))
            else:
                store.record_failed(s, run_id, SHUTDOWN_ERROR)
    except Exception:
        log.exception("run %s: could not record the stop", run_id)
        return
    if watch.reason == "cancel":
        log.info("run %s cancelled", run_id)
    else:
        log.warning("run %s interrupted by shutdown", run_id)


# --- the process ------------------------------------------------------------------------------


def work(
    sessions: sessionmaker[Session],
    stop: Stop,
    poll_s: float = POLL_S,
    engine: str = ENGINE,
    lease_s: float = store.LEASE_S,
    reads: sessionmaker[Session] | None = None,
) -> None:
    """Solve queued runs one at a time until ``stop``; fail runs whose lease expired.
    ``reads``: read-only sessions, so that an idle worker's looking takes no write lock."""
    reads = reads or sessions
    next_sweep = time.monotonic()
    while not stop.check():
        if time.monotonic() >= next_sweep:
            next_sweep = time.monotonic() + SWEEP_S
            try:
                with transaction(reads) as s:
                    dead = store.expired_runs(s, lease_s)
                if dead:
                    with transaction(sessions) as s:
                        failed = store.mark_interrupted_runs(s, lease_s)
                    log.warning("failed %s run(s) whose worker is dead", failed)
            except Exception as exc:
                log.warning("worker: cannot look for dead runs: %s", one_line(exc))
        try:
            run_id = store.claim(sessions, reads)
        except Exception as exc:  # database unavailable for a moment: wait and retry
            log.warning("worker: cannot poll for runs: %s", one_line(exc))
            run_id = None
        if run_id is None:
            stop.wait(poll_s)
            continue
        log.info("run %s started", run_id)
        execute(sessions, run_id, stop, engine, reads)


def worker_main(
    url: str,
    pipe: Connection,
    parent_pid: int,
    lease_s: float = store.LEASE_S,
    poll_s: float = POLL_S,
    engine: str = ENGINE,
) -> None:
    """The worker process (started by ``supervisor.start_workers``): solve queued runs until
    the server closes ``pipe``, a SIGTERM or SIGINT comes, or the server is gone."""
    stop = Stop(pipe, parent_pid)
    # A signal only sets the reason: the worker never dies half-way through a write, and
    # shares no lock with the server that a death could leave held.
    for signum in STOP_SIGNALS:
        signal.signal(signum, stop.request)
    if hasattr(signal, "pthread_sigmask"):  # blocked by the supervisor until now
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    die_with_parent()
    if stop.check():  # the server died before the kernel was told
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    db = make_engine(url)
    log.info("schedule-run worker %s started", os.getpid())
    try:
        work(session_factory(db), stop, poll_s, engine, lease_s, read_session_factory(db))
    finally:
        db.dispose()
        log.info("schedule-run worker %s stopped (%s)", os.getpid(), stop.reason)


__all__ = [
    "BEAT_S",
    "ENGINE",
    "ORPHAN_EXIT_S",
    "POLL_S",
    "SHUTDOWN_ERROR",
    "STOP_SIGNALS",
    "SWEEP_S",
    "Stop",
    "die_with_parent",
    "execute",
    "one_line",
    "work",
    "worker_main",
]
