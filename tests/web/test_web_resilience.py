"""The web server under the conditions issue 10 found it fragile in.

* Nothing that may block runs on the event loop (the rule of web/security.py): checked on the
  route table, so a new async route that touches the database fails here.
* A locked database (another writer holding SQLite's write lock) and a full disk give 503
  with ``Retry-After``, never a 500; reads go on meanwhile.
* A 500 that escapes (a bug) still answers JSON and closes the connection.
* The login rate limit counts the connection's peer: ``X-Forwarded-For`` from a client gets
  no fresh budget unless the peer is a proxy listed in ``AIRLIFT_TRUSTED_PROXIES``.
"""

from __future__ import annotations

import inspect
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from airlift.store import accounts
from airlift.store import db as store_db
from airlift.store.db import transaction
from airlift.web import security
from airlift.web.app import create_app
from airlift.web.settings import Settings
from servers import Server

PASSWORD = "resilience test password"
REQUEST = {
    "ref": "R-1",
    "origin": "GABS",
    "destination": "GAGO",
    "cargo_kg": 4000.0,
    "earliest_utc": "2023-10-27T06:00:00Z",
    "latest_utc": "2023-10-28T18:00:00Z",
}


def _sqlite_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> FastAPI:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    monkeypatch.setenv("AIRLIFT_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'airlift.sqlite'}"
    return create_app(Settings(db_url=url, secure_cookies=False, **settings), run_workers=False)


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(store_db, "SQLITE_BUSY_S", 0.5)  # a locked database answers fast
    app = _sqlite_app(tmp_path, monkeypatch)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as c:
        with transaction(app.state.sessions) as s:
            user = accounts.create_user(s, "planner", PASSWORD, "planner", None)
            token = accounts.create_token(s, user, "tests")
        c.headers["Authorization"] = f"Bearer {token}"
        yield c


def _dependencies(route: APIRoute) -> list[Any]:
    return [d.call for d in route.dependant.dependencies]


def test_no_async_route_or_dependency_touches_the_database() -> None:
    app = create_app(Settings(db_url="sqlite://"), run_workers=False)
    # The read view queries: a plain def (thread pool). The session is opened on the loop
    # (no I/O) and commits, rolls back and closes in threads of its own.
    assert not inspect.iscoroutinefunction(security.get_read_view)
    for route in app.routes:
        if isinstance(route, APIRoute) and inspect.iscoroutinefunction(route.endpoint):
            used = _dependencies(route)
            assert security.get_session not in used, f"async {route.path}: make it a plain def"
            if security.get_read_view in used:
                # Through the read cache's async side (ReadView.aget: a hit on the loop, a
                # miss built in the thread pool), or handed to a thread (/api/plan).
                source = inspect.getsource(route.endpoint)
                assert "view.get(" not in source, f"async {route.path}: use view.aget"
                assert "await " in source, f"async {route.path} uses the read view: a plain def"


def test_a_locked_database_gives_503_and_reads_go_on(client: TestClient, tmp_path: Path) -> None:
    holder = sqlite3.connect(tmp_path / "airlift.sqlite", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
        refused = client.post("/api/requests", json=REQUEST)
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == "1"
        assert "busy" in refused.json()["detail"]
        assert client.get("/api/requests").status_code == 200  # WAL: readers never wait
        assert client.get("/api/health").status_code == 200
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert client.post("/api/requests", json=REQUEST).status_code == 201
    assert [r["ref"] for r in client.get("/api/requests").json()] == ["R-1"]


def test_a_full_disk_gives_503_on_login_never_500(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _sqlite_app(tmp_path, monkeypatch)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as c:
        with transaction(app.state.sessions) as s:
            accounts.create_user(s, "planner", PASSWORD, "planner", None)

        # The database may not grow by one more page: SQLite's own "database or disk is full".
        def cap(dbapi_conn: Any, _: Any) -> None:
            dbapi_conn.execute("PRAGMA max_page_count = 1")  # clamps to the current size

        from sqlalchemy import event

        event.listen(app.state.engine, "connect", cap)
        app.state.engine.dispose()
        codes = []
        for _ in range(300):
            r = c.post("/api/auth/login", json={"username": "planner", "password": PASSWORD})
            codes.append(r.status_code)
            if r.status_code == 503:
                assert "storage is full" in r.json()["detail"], r.text
                assert r.headers["retry-after"]
                break
        assert set(codes) <= {200, 503}, codes
        assert codes[-1] == 503, "the database never filled up"


def test_an_unexpected_error_is_json_and_closes_the_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _sqlite_app(tmp_path, monkeypatch)

    @app.get("/api/_boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as c:
        r = c.get("/api/_boom")
    assert r.status_code == 500
    assert r.headers["connection"] == "close"
    assert r.json()["detail"] == "internal error (RuntimeError); it has been logged"


def _login_codes(base: str, forwarded: bool) -> list[int]:
    codes = []
    for n in range(8):
        headers = {"X-Forwarded-For": f"203.0.113.{n}"} if forwarded else {}
        r = httpx.post(
            f"{base}/api/auth/login",
            json={"username": "nobody", "password": "wrong"},
            headers=headers,
            timeout=30,
        )
        codes.append(r.status_code)
    return codes


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="starts a real server")
@pytest.mark.parametrize("trusted", [False, True])
def test_the_login_rate_limit_trusts_x_forwarded_for_only_from_listed_proxies(
    tmp_path: Path, trusted: bool
) -> None:
    db = f"sqlite:///{tmp_path / 'airlift.sqlite'}"
    env = {**os.environ, "AIRLIFT_DATA_DIR": str(tmp_path / "data"), "AIRLIFT_DB_URL": db}
    env["AIRLIFT_SECURE_COOKIES"] = "false"
    if trusted:
        env["AIRLIFT_TRUSTED_PROXIES"] = "127.0.0.1"
    server = Server(db, tmp_path / "server.log", env)
    try:
        server.start()
        codes = _login_codes(server.base, forwarded=True)
    finally:
        server.stop()
    if trusted:  # each forwarded client has its own budget: never limited
        assert codes == [401] * 8, codes
    else:  # one peer, one budget, whatever the header says (5 failures allowed)
        assert codes == [401] * 5 + [429] * 3, codes


def test_an_unknown_stop_names_its_field_and_the_closest_airfields(client: TestClient) -> None:
    body = {
        "aircraft": "C-130H",
        "stops": ["GABS", "GAGX"],
        "departure_utc": "2023-10-27T06:30:00Z",
        "loads": [{"cargo_kg": 1000}],
    }
    r = client.post("/api/plan", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "stops[1]"
    assert "GAGO (Gao)" in r.json()["suggestions"]
