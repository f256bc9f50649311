"""Start and stop a server's schedule-run worker processes (the server's side of ``worker``).

:func:`start_workers` first fails the runs whose worker is dead (their lease expired,
``store/runs.py``; a live server's runs are left alone), then starts the worker processes
(``spawn``), each with the read end of a stop pipe of its own. :func:`stop_workers` closes
the write ends, waits :data:`STOP_TIMEOUT_S`, then terminates and kills. The server shares
no lock or semaphore with a worker, so a worker killed at any moment (the SIGTERM that
reaches the whole process group, the OOM killer) cannot make the server hang in its stop;
the server's death closes the pipes too.

The processes are started from a thread of their own that lives until they are stopped: a
Linux worker asks the kernel to kill it when its parent ends, and for the kernel the parent
is the thread that started it, which must therefore not be a short-lived one (a thread
pool's, or a test client's).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from airlift.runs.worker import POLL_S, STOP_SIGNALS, worker_main
from airlift.store import runs as store
from airlift.store.db import make_engine, session_factory, transaction

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 5.0
"""How long :func:`stop_workers` waits for the workers to stop before terminating them."""


class _Launcher(threading.Thread):
    """Starts the worker processes, then waits until :func:`stop_workers` has stopped them."""

    def __init__(self, processes: list[BaseProcess]) -> None:
        super().__init__(name="airlift-run-workers", daemon=True)
        self.processes = processes
        self.started: list[BaseProcess] = []
        self.error: BaseException | None = None
        self.ready = threading.Event()
        self.released = threading.Event()

    def run(self) -> None:
        try:
            # A child inherits the blocked signals: a SIGINT or SIGTERM that reaches a worker
            # while it imports waits until it has its handlers (no KeyboardInterrupt
            # traceback, no death before it can record anything); the server's main thread
            # still gets them. As multiprocessing does for its resource tracker (bpo-33613),
            # which is started first: starting it unblocks them.
            if hasattr(signal, "pthread_sigmask"):
                resource_tracker.ensure_running()
                signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
            for process in self.processes:
                process.start()
                self.started.append(process)
        except BaseException as exc:  # handed to start_workers
            self.error = exc
        finally:
            self.ready.set()
        self.released.wait()


@dataclass
class Workers:
    """A server's run worker processes and the write ends of their stop pipes."""

    processes: list[BaseProcess]
    pipes: list[Connection]
    launcher: _Launcher


def recover(url: str, lease_s: float = store.LEASE_S) -> int:
    """Fail the runs left running by a dead worker (lease expired); how many."""
    db = make_engine(url)
    try:
        with transaction(session_factory(db)) as s:
            failed = store.mark_interrupted_runs(s, lease_s)
    finally:
        db.dispose()
    if failed:
        log.warning("marked %s interrupted run(s) as failed", failed)
    return failed


def start_workers(
    url: str, count: int = 1, lease_s: float = store.LEASE_S, poll_s: float = POLL_S
) -> Workers:
    """Fail runs whose worker is dead (:func:`recover`), then start ``count`` worker
    processes solving the queued runs of the database at ``url``.

    Called once per server: by the app's start-up, or, when ``airlift serve --workers N``
    runs several HTTP processes, by the ``serve`` process itself before it starts them."""
    recover(url, lease_s)
    context = multiprocessing.get_context("spawn")
    processes: list[BaseProcess] = []
    pipes: list[Connection] = []
    ends: list[Connection] = []
    for i in range(count):
        theirs, ours = context.Pipe(duplex=False)
        processes.append(
            context.Process(
                target=worker_main,
                args=(url, theirs, os.getpid(), lease_s, poll_s),
                name=f"airlift-run-worker-{i + 1}",
                daemon=True,
            )
        )
        pipes.append(ours)
        ends.append(theirs)
    launcher = _Launcher(processes)
    launcher.start()
    launcher.ready.wait()
    for end in ends:
        end.close()  # each worker holds its own copy
    workers = Workers(launcher.started, pipes, launcher)
    if launcher.error is not None:
        stop_workers(workers)
        raise launcher.error
    return workers


def stop_workers(workers: Workers, timeout_s: float = STOP_TIMEOUT_S) -> None:
    """Stop the workers: a run being solved is interrupted and failed. Waits up to
    ``timeout_s``, then terminates (and at last kills) a worker that hangs. Idempotent."""
    for pipe in workers.pipes:
        pipe.close()
    deadline = time.monotonic() + timeout_s
    for process in workers.processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in workers.processes:
        if process.is_alive():
            log.warning("worker %s did not stop: terminating it", process.pid)
            process.terminate()
            process.join(timeout=1.0)
        if process.is_alive():
            process.kill()
            process.join(timeout=1.0)
    workers.launcher.released.set()


__all__ = ["STOP_TIMEOUT_S", "Workers", "recover", "start_workers", "stop_workers"]
