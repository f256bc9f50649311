"""``airlift serve --workers 2``: two HTTP processes share one set of schedule-run workers.

A real server on a free loopback port with the demo data: both HTTP processes answer, a
schedule run queued through one of them is solved by the run worker the ``serve`` process
started, and Ctrl-C (SIGINT) stops every process of the tree. Linux only (``/proc``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from test_crash_safety import alive, children, free_port, make_admin_token

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
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "airlift", "serve", "--port", str(port), "--db", db]
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*command, "--workers", "2"], stdout=out, stderr=subprocess.STDOUT, env=env
        )
    headers = {"Authorization": f"Bearer {token}"}
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, f"server exited: {log.read_text()[-2000:]}"
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"server not up: {log.read_text()[-2000:]}"
            time.sleep(0.3)
        # uvicorn's two HTTP processes and the run worker, all below the serve process.
        tree = _descendants(server.pid)
        assert len(tree) >= 3, tree

        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
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
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    assert server.returncode == 0, log.read_text()[-2000:]
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in tree if alive(pid)], log.read_text()[-2000:]
