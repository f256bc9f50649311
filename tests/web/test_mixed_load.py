"""A real ``airlift serve`` under mixed load: 32 clients, 60 % reads, 20 % plans, 20 % writes.

The server once froze under this: the event loop waited on the connection pool (in an async
dependency) while the connections were held by thread-pool requests that needed the loop to
finish. These tests fail while anything like that exists: any 5xx or lost connection, any
request slower than 5 s, or a health check slower than 1 s right after the load. One HTTP
process and ``--workers 2``, on SQLite and PostgreSQL (where configured).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg import base_url_or_skip

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import mixed_load
from servers import Server, make_admin_token

CLIENTS = 32
SECONDS = 20.0
SLOWEST_S = 5.0
HEALTH_S = 1.0

pytestmark = [
    pytest.mark.serial,  # timing bounds: run alone, after the parallel suite
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="starts real servers (Linux process model)"
    ),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'airlift.sqlite'}"
        return
    url = base_url_or_skip("the mixed-load test")
    from airlift.store.db import scratch_schema

    with scratch_schema(url, "airlift_load") as scoped:
        yield scoped


@pytest.mark.parametrize("workers", ["1", "2"])
def test_mixed_load_never_freezes_or_fails(tmp_path: Path, database: str, workers: str) -> None:
    env = {**os.environ, "AIRLIFT_DATA_DIR": str(tmp_path / "data"), "AIRLIFT_DB_URL": database}
    env["AIRLIFT_SECURE_COOKIES"] = "false"
    token = make_admin_token(database, env)
    server = Server(database, tmp_path / "server.log", env, options=("--workers", workers))
    try:
        server.start()
        result = asyncio.run(mixed_load.run(server.base, token, CLIENTS, SECONDS))
        health_s = mixed_load.health_after(server.base)
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text()[-3000:]
    routes = result.by_route()
    writes = [c for r, a in routes.items() if not r.startswith("GET") for c, _ in a]
    assert sum(200 <= c < 300 for c in writes) > 50, (routes.keys(), log)
    assert not result.server_errors, (result.server_errors[:10], result.failures[:5], log)
    assert result.slowest_s <= SLOWEST_S, (
        sorted(result.answers, key=lambda a: -a[2])[:5],
        log,
    )
    assert health_s <= HEALTH_S, health_s
    # Every answer was a success: clients touch only their own rows, with fresh versions.
    unexpected = [a for a in result.answers if not 200 <= a[1] < 300]
    assert not unexpected, unexpected[:10]
