"""The server's study worker: a thread that runs queued what-if studies one at a time.

:class:`StudyWorker` fails the studies a dead server left running (their lease expired,
``store/studies.py``), then polls ``studies`` for the oldest queued one, claims it and calls
:func:`airlift.studies.run_study` on the server's Dask cluster (``Settings.dask_scheduler``;
empty: a LocalCluster of ``study_workers`` processes; 0: serially in this thread). The runs
themselves are solved in the cluster's worker processes, so the thread mostly waits: the
event loop is never blocked, and one study at a time is the server's share of the cluster.

A beat thread stamps the heartbeat every :data:`BEAT_S` and reads ``cancel_requested``; the
progress callback writes runs done and failed. ``stop`` (asked by ``run_study`` after each
finished run) is true on a cancel or when the server stops: the runs under way are dropped,
and the study is ``cancelled``, or ``failed`` with :data:`SHUTDOWN_ERROR`. Results and the
report go to ``<data dir>/studies/<id>/``.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from airlift.runs.worker import one_line
from airlift.store import studies as store
from airlift.store.db import make_engine, read_session_factory, session_factory, transaction
from airlift.store.runs import LEASE_S

if TYPE_CHECKING:
    from airlift.studies import StudyProgress

log = logging.getLogger(__name__)

POLL_S = 1.0
"""How often an idle study worker looks for a queued study."""
BEAT_S = 2.0
"""Heartbeat of a running study (its lease is ``store.runs.LEASE_S``, 30 s)."""
SWEEP_S = 30.0
"""How often an idle study worker fails the studies whose worker is dead (another server's
that was killed)."""
STOP_TIMEOUT_S = 10.0
"""How long the server's shutdown waits for a running study to stop: the run under way ends
(the demo study's take 1-5 s), then its LocalCluster closes (1-2 s). Beyond, the server exits
anyway (a daemon thread), and the study is failed when its lease expires."""
SHUTDOWN_ERROR = "interrupted: the server shut down while this study ran; launch it again"


@dataclass(frozen=True, slots=True)
class StudyCluster:
    """Where studies run: ``scheduler`` (a Dask scheduler address) or a LocalCluster of
    ``workers`` processes (None: one per core; 0: serially in the study thread); threads of
    the server process instead without ``processes`` (tests)."""

    scheduler: str = ""
    workers: int | None = None
    processes: bool = True


class StudyWorker(threading.Thread):
    """Runs the queued studies of the database at ``url`` until :meth:`stop`."""

    def __init__(
        self,
        url: str,
        out_root: Path,
        cluster: StudyCluster,
        poll_s: float = POLL_S,
        lease_s: float = LEASE_S,
    ) -> None:
        super().__init__(name="airlift-study-worker", daemon=True)
        self.url, self.out_root, self.cluster = url, out_root, cluster
        self.poll_s, self.lease_s = poll_s, lease_s
        self._stop_event = threading.Event()

    def run(self) -> None:
        db = make_engine(self.url)
        sessions, reads = session_factory(db), read_session_factory(db)
        next_sweep = time.monotonic() + SWEEP_S  # start_study_worker has just swept
        try:
            while not self._stop_event.is_set():
                if time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + SWEEP_S
                    _sweep(sessions, self.lease_s)
                try:
                    claimed = store.claim(sessions, reads)
                except Exception as exc:  # database unavailable for a moment: retry
                    log.warning("study worker: cannot poll for studies: %s", one_line(exc))
                    claimed = None
                if claimed is None:
                    self._stop_event.wait(self.poll_s)
                    continue
                self.execute(sessions, *claimed)
        finally:
            db.dispose()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Stop after the runs under way (the running study fails with SHUTDOWN_ERROR)."""
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout_s)
        if self.is_alive():
            log.warning("study worker did not stop within %s s", timeout_s)

    def execute(self, sessions: sessionmaker[Session], study_id: int, text: str) -> None:
        """Run the claimed study ``study_id`` and record how it ended."""
        from airlift.studies import run_study
        from airlift.studies.design import runs

        out_dir = self.out_root / str(study_id)
        beat = _Beat(sessions, study_id, self._stop_event)
        beat.start()
        try:
            study = store.check_study_toml(text)
            beat.write(out_dir=str(out_dir))
            outcome = run_study(
                study,
                out_dir,
                scheduler=self.cluster.scheduler or None,
                workers=self.cluster.workers or None,
                processes=self.cluster.processes,
                serial=self.cluster.workers == 0 and not self.cluster.scheduler,
                progress=beat.progress,
                stop=beat.should_stop,
            )
            # A stop that came after the last run changes nothing: the study is done.
            complete = len(outcome.ran) + len(outcome.kept) == len(runs(study))
            end: dict[str, Any] = {"status": "done", "summary": outcome.summary}
            if not complete and beat.cancelled:
                end["status"] = "cancelled"
            elif not complete:
                end |= {"status": "failed", "error": SHUTDOWN_ERROR}
        except Exception as exc:
            log.exception("study %s failed", study_id)
            end = {"status": "failed", "error": one_line(exc)}
        finally:
            beat.close()
        try:
            with transaction(sessions) as s:
                store.record_end(s, study_id, **end)
        except Exception:
            log.exception("study %s: could not record its end", study_id)
        log.info("study %s %s", study_id, end["status"])


class _Beat:
    """The heartbeat and progress of one running study, and whether it should stop."""

    def __init__(
        self, sessions: sessionmaker[Session], study_id: int, server_stop: threading.Event
    ) -> None:
        self.sessions, self.study_id, self.server_stop = sessions, study_id, server_stop
        self.cancelled = False
        self.lost = False
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"airlift-study-{study_id}-beat", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def write(self, **values: object) -> None:
        try:
            with transaction(self.sessions) as s:
                running, cancel = store.beat(s, self.study_id, **values)
        except Exception as exc:  # busy or restarting database: the next beat tries again
            log.warning("study %s: heartbeat failed: %s", self.study_id, one_line(exc))
            return
        self.cancelled = self.cancelled or cancel
        self.lost = self.lost or not running

    def progress(self, p: StudyProgress) -> None:
        self.write(runs_done=p.done, runs_failed=p.failed, runs_total=p.total)

    def should_stop(self) -> bool:
        return self.cancelled or self.lost or self.server_stop.is_set()

    def _loop(self) -> None:
        while not self._done.wait(BEAT_S):
            self.write()

    def close(self) -> None:
        self._done.set()
        self._thread.join(timeout=5.0)


def _sweep(sessions: sessionmaker[Session], lease_s: float) -> None:
    """Fail the studies whose worker is dead (their lease expired)."""
    try:
        with transaction(sessions) as s:
            failed = store.mark_interrupted_studies(s, lease_s)
    except Exception as exc:
        log.warning("study worker: cannot look for dead studies: %s", one_line(exc))
        return
    if failed:
        log.warning("marked %s interrupted stud(y/ies) as failed", failed)


def start_study_worker(
    url: str, out_root: Path, cluster: StudyCluster, lease_s: float = LEASE_S
) -> StudyWorker:
    """Fail the studies whose worker is dead, then start this server's study worker."""
    db = make_engine(url)
    try:
        _sweep(session_factory(db), lease_s)
    finally:
        db.dispose()
    worker = StudyWorker(url, out_root, cluster, lease_s=lease_s)
    worker.start()
    return worker


__all__ = [
    "BEAT_S",
    "POLL_S",
    "SHUTDOWN_ERROR",
    "SWEEP_S",
    "StudyCluster",
    "StudyWorker",
    "start_study_worker",
]
