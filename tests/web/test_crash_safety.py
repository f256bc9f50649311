"""Crash safety: a server killed (SIGKILL) in the middle of a bulk import leaves the database
with either the state before the import or the whole import, never a part of it.

A real server process (``python -m airlift serve``) on a free loopback port; an admin made
with ``airlift users create-admin --password-stdin``; a baseline CSV imported; then a
20,000-row CSV uploaded from a thread while the test watches for the import's writes to
begin (SQLite: the WAL file grows; PostgreSQL: the server's transaction holds a
transaction id) and kills the server there, before it can commit. The server is started
again on the same database and the requests are counted and checksummed. The run worker,
a child of the killed server, must notice and exit by itself. Linux only (``/proc``).
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from pg import base_url_or_skip
from servers import Server, alive, make_admin_token

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="watches the server through /proc"
)

BULK_ROWS = 20_000
BASELINE_ROWS = 40
CODES = ("GABS", "GAGO", "GATS", "DRRN", "DFFD", "GAKL", "GAMB", "GATB")
HEADER = (
    "id,origin,destination,cargo_kg,pallets,pax,earliest_utc,latest_utc,priority,optional,"
    "allowed_nations,allowed_types,hazardous,description"
)


def requests_csv(prefix: str, n: int) -> bytes:
    lines = [HEADER]
    for i in range(n):
        origin = CODES[i % len(CODES)]
        destination = CODES[(i * 3 + 1) % len(CODES)]
        if destination == origin:
            destination = CODES[(i + 1) % len(CODES)]
        lines.append(
            f"{prefix}{i:05d},{origin},{destination},{500 + i % 4000},{i % 3},{i % 20},"
            f"2023-10-27T06:00Z,2023-10-29T18:00Z,{1 + i % 4},false,,,false,generated {i}"
        )
    return ("\n".join(lines) + "\n").encode()


def state(db: str) -> tuple[int, str]:
    """(number of requests, SHA-256 of their sorted refs)."""
    from sqlalchemy import select

    from airlift.store.db import make_engine
    from airlift.store.models import MovementRequestRow

    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            refs = sorted(conn.scalars(select(MovementRequestRow.ref)))
    finally:
        engine.dispose()
    return len(refs), hashlib.sha256("\n".join(refs).encode()).hexdigest()


def expected_after(before: tuple[int, str], db: str, bulk: bytes) -> tuple[int, str]:
    refs = [line.split(",", 1)[0] for line in bulk.decode().splitlines()[1:]]
    from sqlalchemy import select

    from airlift.store.db import make_engine
    from airlift.store.models import MovementRequestRow

    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            existing = list(conn.scalars(select(MovementRequestRow.ref)))
    finally:
        engine.dispose()
    assert len(existing) == before[0]
    every = sorted({*existing, *refs})
    return len(every), hashlib.sha256("\n".join(every).encode()).hexdigest()


def sqlite_writing(path: Path) -> Callable[[], bool]:
    """True once the WAL file has grown: the import's transaction is writing pages."""
    wal = Path(f"{path}-wal")
    start = wal.stat().st_size if wal.exists() else 0

    def check() -> bool:
        return (wal.stat().st_size if wal.exists() else 0) > start

    return check


def pg_writing(db: str, application: str) -> Callable[[], bool]:
    """True once a transaction of the server (its connections carry ``application_name``)
    holds a transaction id: it has written."""
    from sqlalchemy import text

    from airlift.store.db import make_engine

    engine = make_engine(db)
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = :app "
        "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
    )

    def check() -> bool:
        with engine.connect() as conn:
            return bool(conn.scalar(query, {"app": application}))

    return check


@dataclass
class Upload:
    status: int | None = None
    error: str = ""
    began: threading.Event = field(default_factory=threading.Event)


def crash_during_import(tmp_path: Path, db: str, writing: Callable[[], Callable[[], bool]]) -> None:
    env = {**os.environ, "AIRLIFT_DATA_DIR": str(tmp_path / "data"), "AIRLIFT_DB_URL": db}
    env["AIRLIFT_SECURE_COOKIES"] = "false"
    env.pop("AIRLIFT_TEST_PG_URL", None)
    token = make_admin_token(db, env)
    headers = {"Authorization": f"Bearer {token}"}
    server = Server(db, tmp_path / "server.log", env)
    server.start()
    try:
        baseline = httpx.post(
            f"{server.base}/api/requests/import",
            files={"file": ("baseline.csv", requests_csv("B", BASELINE_ROWS), "text/csv")},
            headers=headers,
            timeout=60,
        )
        assert baseline.status_code == 200, baseline.text
        before = state(db)
        assert before[0] == BASELINE_ROWS
        bulk = requests_csv("X", BULK_ROWS)
        whole = expected_after(before, db, bulk)

        upload = Upload()
        is_writing = writing()

        def send() -> None:
            upload.began.set()
            try:
                response = httpx.post(
                    f"{server.base}/api/requests/import",
                    files={"file": ("bulk.csv", bulk, "text/csv")},
                    headers=headers,
                    timeout=120,
                )
                upload.status = response.status_code
            except httpx.HTTPError as exc:
                upload.error = type(exc).__name__

        thread = threading.Thread(target=send, daemon=True)
        started = time.monotonic()
        thread.start()
        assert upload.began.wait(10)
        deadline = time.monotonic() + 90
        while not is_writing() and upload.status is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert upload.status is None, "the import finished before the kill: make it bigger"
        assert time.monotonic() < deadline, "the import never started writing"
        workers = list(server.spawned)
        killed_after = time.monotonic() - started
        server.kill()
        thread.join(timeout=60)
        assert upload.status is None, f"the upload got an answer: {upload.status}"
        assert upload.error, "the upload neither failed nor answered"

        # The worker (and multiprocessing's helper) see their server gone and exit.
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers), "a worker outlived its server"

        server.start()  # the same database, after the crash
        after = state(db)
        assert after in (before, whole), (
            f"partial import: {after[0]} requests, expected {before[0]} (nothing) or "
            f"{whole[0]} (everything)"
        )
        outcome = "nothing (rolled back)" if after == before else "everything (committed)"
        print(f"killed {killed_after:.2f} s into the upload; the database holds {outcome}")
        listed = httpx.get(f"{server.base}/api/requests", headers=headers, timeout=60)
        assert listed.status_code == 200
        assert len(listed.json()) == after[0]
        # The database still takes writes: the same import now completes.
        again = httpx.post(
            f"{server.base}/api/requests/import",
            files={"file": ("bulk.csv", bulk, "text/csv")},
            headers=headers,
            timeout=120,
        )
        assert again.status_code == 200, again.text
        assert state(db) == whole
    finally:
        server.stop()


def test_sigkill_during_import_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    crash_during_import(tmp_path, f"sqlite:///{path}", lambda: sqlite_writing(path))


@pytest.fixture
def pg_db() -> Iterator[str]:
    """A fresh schema on ``$AIRLIFT_TEST_PG_URL`` (dropped afterwards); skips when unset.
    The URL names the schema (``search_path``) and an ``application_name`` equal to it."""
    base = base_url_or_skip("the crash test")
    from airlift.store.db import scratch_schema

    with scratch_schema(base, "airlift_crash") as url:
        yield url


def test_sigkill_during_import_postgresql(tmp_path: Path, pg_db: str) -> None:
    application = pg_db.rpartition("application_name=")[2]
    crash_during_import(tmp_path, pg_db, lambda: pg_writing(pg_db, application))
