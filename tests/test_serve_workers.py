"""``airlift serve --workers 2``: two HTTP processes share one set of schedule-run workers.

A real server on a free loopback port with the demo data: the ``serve`` process has the two
HTTP processes and a run worker below it, a schedule run queued over HTTP is solved by that
run worker, and Ctrl-C (SIGINT) stops every process of the tree. Linux only (``/proc``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from test_crash_safety import Server, alive, children, make_admin_token

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="counts the server's processes through /proc"
)


def _descendants(pid: int) -> list[int]:
    found = children(pid)
    return found + [d for c in found for d in _descendants(c)]


def test_two_http_processes_share_the_run_workers(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'airlift.sqlite'}"
    env = {**os.environ, "AIRLIFT_DATA_DIR": str(tmp_path / "data"), "AIRLIFT_DB_URL": db}
    env["AIRLIFT_SECURE_COOKIES"] = "false"
    token = make_admin_token(db, env)
    server = Server(db, tmp_path / "server.log", env, options=("--workers", "2"))
    try:
        server.start()
        assert server.process is not None
        pid = server.process.pid
        # uvicorn's two HTTP processes and the run worker, all below the serve process.
        tree = _descendants(pid)
        assert len(tree) >= 3, tree
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.base, headers=headers, timeout=30) as client:
            scenario = client.get("/api/scenarios").json()[0]
            queued = client.post(
                "/api/runs", json={"scenario_id": scenario["id"], "time_limit_s": 2, "seed": 1}
            )
            assert queued.status_code == 202, queued.text
            run_id = queued.json()["id"]
            deadline = time.monotonic() + 120
            while (run := client.get(f"/api/runs/{run_id}").json())["status"] in (
                "queued",
                "running",
            ):
                assert time.monotonic() < deadline, run
                time.sleep(0.5)
            assert run["status"] == "done", run
            assert run["kpis"]
        process = server.process
        server.stop()  # SIGINT, as Ctrl-C
    finally:
        server.stop()
    assert process.returncode == 0, server.log.read_text()[-2000:]
    deadline = time.monotonic() + 10
    while any(alive(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in tree if alive(p)], server.log.read_text()[-2000:]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_busy_port_stops_serve_before_it_touches_the_database(
    tmp_path: Path, workers: str
) -> None:
    db = tmp_path / "airlift.sqlite"
    env = {**os.environ, "AIRLIFT_DATA_DIR": str(tmp_path / "data")}
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        command = [sys.executable, "-m", "airlift", "serve", "--port", str(port)]
        done = subprocess.run(
            [*command, "--db", f"sqlite:///{db}", "--workers", workers],
            env=env,
            capture_output=True,
            timeout=60,
        )
    assert done.returncode == 2, done.stdout.decode() + done.stderr.decode()
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr.decode()
    assert not db.exists()
