"""A real ``airlift serve`` in a subprocess for the tests that need one (crash safety, load,
lifecycles): a free port, an admin API token, the server's process tree through /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    """The child processes of ``pid``, whichever of its threads started them (the run
    workers are started by a thread of their own)."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    for task in tasks:
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Server:
    db: str
    log: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    base: str = ""
    spawned: list[int] = field(default_factory=list)
    options: tuple[str, ...] = ("--no-demo",)
    """More ``airlift serve`` options."""

    def start(self) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "airlift", "serve", "--port", str(port), "--db", self.db]
        cmd += self.options
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, f"server exited: {self.log.read_text()[-2000:]}"
            try:
                if httpx.get(f"{self.base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"server not up: {self.log.read_text()[-2000:]}"
            time.sleep(0.2)
        self.spawned = children(self.process.pid)

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def make_admin_token(db: str, env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "airlift", "users", "create-admin", "admin"]
    done = subprocess.run(
        [*command, "--password-stdin", "--db", db],
        input=f"{PASSWORD}\n".encode(),
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode() + done.stdout.decode()
    from sqlalchemy import select

    from airlift.store import accounts
    from airlift.store.db import make_engine, session_factory, transaction
    from airlift.store.models import User

    engine = make_engine(db)
    try:
        with transaction(session_factory(engine)) as s:
            user = s.scalars(select(User).where(User.username == "admin")).one()
            return accounts.create_token(s, user, "crash-test")
    finally:
        engine.dispose()
