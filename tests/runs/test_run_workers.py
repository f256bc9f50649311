"""Run worker processes (``airlift.runs``) as the operating system sees them: a worker dies
with its server, and a signal to the whole process group of ``airlift serve`` (``make run``:
SIGTERM, or Ctrl-C's SIGINT) stops every process within 10 s, idle or solving, with a browser
following the run. Real servers on free loopback ports; Linux only (``/proc``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from airlift.runs import worker
from airlift.store import demo
from airlift.store import runs as store_runs
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import ScenarioRow, ScheduleRun
from servers import Server, alive, children, make_admin_token

pytestmark = [
    pytest.mark.serial,  # timing bounds: run alone, after the parallel suite
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="watches the processes through /proc"
    ),
]

STOP_LIMIT_S = 10.0
"""Every process of the group gone within this after the signal (issue 10)."""
ORPHAN_LIMIT_S = 3.0
"""A worker whose server was killed is gone within this."""


def _descendants(pid: int) -> list[int]:
    found = children(pid)
    return found + [d for c in found for d in _descendants(c)]


def _gone_within(pids: list[int], limit_s: float) -> float:
    """Seconds until every pid has exited (zombies count as exited); fails past ``limit_s``."""
    start = time.monotonic()
    while any(alive(p) for p in pids):
        waited = time.monotonic() - start
        assert waited < limit_s, (
            f"still alive after {waited:.1f} s: {[p for p in pids if alive(p)]}"
        )
        time.sleep(0.02)
    return time.monotonic() - start


def _row(db: str, run_id: int) -> ScheduleRun:
    engine = make_engine(db)
    try:
        with session_factory(engine)() as s:
            row = s.get(ScheduleRun, run_id)
            assert row is not None
            return row
    finally:
        engine.dispose()


def _env(tmp_path: Path, db: str) -> dict[str, str]:
    env = {**os.environ, "AIRLIFT_DATA_DIR": str(tmp_path / "data"), "AIRLIFT_DB_URL": db}
    env["AIRLIFT_SECURE_COOKIES"] = "false"
    env.pop("AIRLIFT_TEST_PG_URL", None)
    return env


class Following:
    """A browser following a run's server-sent events in a thread."""

    def __init__(self, base: str, headers: dict[str, str], run_id: int) -> None:
        self.events: list[str] = []
        self.opened = threading.Event()
        self._thread = threading.Thread(
            target=self._follow, args=(base, headers, run_id), daemon=True
        )
        self._thread.start()
        assert self.opened.wait(30), "the event stream did not open"

    def _follow(self, base: str, headers: dict[str, str], run_id: int) -> None:
        try:
            url = f"{base}/api/runs/{run_id}/events"
            with httpx.stream("GET", url, headers=headers, timeout=60) as response:
                self.opened.set()
                for line in response.iter_lines():
                    self.events.append(line)
        except httpx.HTTPError as exc:
            self.events.append(type(exc).__name__)
        finally:
            self.opened.set()


def _serve_with_a_run(
    tmp_path: Path, options: tuple[str, ...] = (), solving: bool = True
) -> tuple[Server, str, dict[str, str], int | None]:
    """A server with the demo data and, if ``solving``, a long run it is solving."""
    db = f"sqlite:///{tmp_path / 'airlift.sqlite'}"
    env = _env(tmp_path, db)
    token = make_admin_token(db, env)
    server = Server(db, tmp_path / "server.log", env, options=("--demo", *options))
    server.start()
    headers = {"Authorization": f"Bearer {token}"}
    if not solving:
        return server, db, headers, None
    with httpx.Client(base_url=server.base, headers=headers, timeout=30) as client:
        scenario = client.get("/api/scenarios").json()[0]
        queued = client.post(
            "/api/runs", json={"scenario_id": scenario["id"], "time_limit_s": 300, "seed": 2}
        )
        assert queued.status_code == 202, queued.text
        run_id = int(queued.json()["id"])
        deadline = time.monotonic() + 60
        while client.get(f"/api/runs/{run_id}").json()["status"] != "running":
            assert time.monotonic() < deadline, "the run never started"
            time.sleep(0.1)
    time.sleep(1.0)  # well into the solve
    return server, db, headers, run_id


def test_a_worker_dies_with_its_server(tmp_path: Path) -> None:
    server, db, _, run_id = _serve_with_a_run(tmp_path)
    assert server.process is not None and run_id is not None
    workers = _descendants(server.process.pid)
    try:
        assert workers, "no worker process"
        server.kill()  # SIGKILL: nothing of the server runs any more
        took = _gone_within(workers, ORPHAN_LIMIT_S)
        print(f"the worker was gone {took:.2f} s after its server was killed")
    finally:
        server.stop()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    # Killed, it could not write: the run is left running, without heartbeats, for recovery.
    row = _row(db, run_id)
    assert row.status == "running"
    time.sleep(1.1)
    engine = make_engine(db)
    try:
        with transaction(session_factory(engine)) as s:
            assert store_runs.mark_interrupted_runs(s, lease_s=1.0) == 1
    finally:
        engine.dispose()
    assert _row(db, run_id).status == "failed"


_ORPHAN_SCRIPT = """
import os, sys, time
import multiprocessing

from airlift.runs import worker


def without_the_kernel(*args):
    worker.die_with_parent = lambda: False  # as where prctl is not available
    worker.worker_main(*args)


if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    theirs, ours = context.Pipe(duplex=False)
    process = context.Process(
        target=without_the_kernel, args=(sys.argv[1], theirs, os.getpid(), 30.0, 0.2)
    )
    process.start()
    print(process.pid, flush=True)
    time.sleep(600)
"""


def _seed(db: str) -> int:
    engine = make_engine(db)
    try:
        with transaction(session_factory(engine)) as s:
            demo.load_demo(s)
            scenario_id = s.scalar(select(ScenarioRow.id))
            assert scenario_id is not None
            return store_runs.create_run(s, scenario_id, "planner1", 300, 6).id
    finally:
        engine.dispose()


def test_a_worker_without_the_kernels_help_still_stops_when_orphaned(tmp_path: Path) -> None:
    """Where the kernel does not kill it, the worker sees its parent gone (stop pipe at end
    of file, another parent pid), interrupts the solve and records it as interrupted."""
    from airlift.store import migrate

    db = f"sqlite:///{tmp_path / 'airlift.sqlite'}"
    migrate.upgrade(db)
    run_id = _seed(db)
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(_ORPHAN_SCRIPT))
    parent = subprocess.Popen(
        [sys.executable, str(script), db],
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "worker.log").open("wb"),
        env=_env(tmp_path, db),
    )
    pid = 0
    try:
        assert parent.stdout is not None
        pid = int(parent.stdout.readline())
        deadline = time.monotonic() + 60
        while _row(db, run_id).status != "running":
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-2000:]
            time.sleep(0.1)
        time.sleep(1.0)
        parent.kill()
        parent.wait(timeout=10)
        took = _gone_within([pid], ORPHAN_LIMIT_S)
        print(f"the orphaned worker was gone {took:.2f} s after its parent was killed")
    finally:
        if parent.poll() is None:
            parent.kill()
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)
    row = _row(db, run_id)
    assert (row.status, row.error) == ("failed", worker.SHUTDOWN_ERROR)


@pytest.mark.parametrize(
    ("sig", "target", "solving", "options"),
    [
        (signal.SIGTERM, "group", False, ()),
        (signal.SIGINT, "group", False, ()),
        (signal.SIGTERM, "group", True, ()),
        (signal.SIGINT, "group", True, ()),
        (signal.SIGTERM, "server", True, ()),
        (signal.SIGTERM, "group", True, ("--workers", "2")),
    ],
    ids=[
        "sigterm-idle",
        "sigint-idle",
        "sigterm-solving",
        "sigint-solving",
        "sigterm-server-only-solving",
        "sigterm-solving-2-http",
    ],
)
def test_a_signal_stops_every_process_within_10_s(
    tmp_path: Path, sig: signal.Signals, target: str, solving: bool, options: tuple[str, ...]
) -> None:
    server, db, headers, run_id = _serve_with_a_run(tmp_path, options, solving)
    assert server.process is not None
    process = server.process
    following: Following | None = None
    tree = [process.pid, *_descendants(process.pid)]
    try:
        assert len(tree) >= 3, tree  # serve, its run worker, multiprocessing's tracker
        if run_id is not None:
            following = Following(server.base, headers, run_id)
        # The server runs in a session of its own: its pid is the process group id.
        if target == "group":
            os.killpg(process.pid, sig)
        else:
            os.kill(process.pid, sig)
        took = _gone_within(tree, STOP_LIMIT_S)
        process.wait(timeout=1)
        print(f"{sig.name} to the {target}: every process gone in {took:.2f} s")
    finally:
        server.stop()
        for pid in tree[1:]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    log = server.log.read_text()
    assert "Traceback" not in log, log[-3000:]
    if run_id is not None:
        row = _row(db, run_id)
        assert (row.status, row.error) == ("failed", worker.SHUTDOWN_ERROR), log[-3000:]
        assert following is not None
