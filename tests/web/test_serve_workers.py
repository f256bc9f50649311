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

from servers import Server, alive, children, make_admin_token

pytestmark = [
    pytest.mark.serial,  # timing bounds: run alone, after the parallel suite
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="counts the server's processes through /proc"
    ),
]


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


def _connections_on(port: int) -> set[str]:
    """Socket inodes of established TCP connections whose local port is ``port``."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if int(local.rsplit(":", 1)[1], 16) == port and state == "01":
            found.add(inode)
    return found


def _sockets_of(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def test_connections_are_dealt_to_the_http_processes_in_turn(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'airlift.sqlite'}"
    env = {**os.environ, "AIRLIFT_DATA_DIR": str(tmp_path / "data"), "AIRLIFT_DB_URL": db}
    server = Server(db, tmp_path / "server.log", env, options=("--no-demo", "--workers", "2"))
    clients: list[socket.socket] = []
    try:
        server.start()
        assert server.process is not None
        port = int(server.base.rsplit(":", 1)[1])
        for _ in range(6):
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            client.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert client.recv(65536).startswith(b"HTTP/1.1 200")
            clients.append(client)  # kept open: keep-alive
        served = _connections_on(port)
        per_process = sorted(len(_sockets_of(pid) & served) for pid in children(server.process.pid))
        # The serve process keeps none; each HTTP process has every other connection.
        assert len(_sockets_of(server.process.pid) & served) == 0
        assert [n for n in per_process if n] == [3, 3], per_process
    finally:
        for client in clients:
            client.close()
        server.stop()
