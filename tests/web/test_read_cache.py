"""The web processes' read cache never serves what the database no longer holds.

Each HTTP process keeps tokens, lists and fleet lookups (``web/read_cache.py``), checked
against table change counters that database triggers bump (``store/revisions.py``). Here
two apps on one database stand for two processes: a change made through one, or by plain
SQL behind both, must show in the other's very next answer. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from airlift.store import accounts, domain, revisions
from airlift.store.collections import COLLECTIONS
from airlift.store.db import make_engine, transaction
from airlift.web import read_cache
from airlift.web.app import create_app
from airlift.web.read_cache import ReadCache, ReadView
from airlift.web.settings import Settings

PASSWORD = "correct horse battery staple"
BASE_URL = "https://testserver"
TAIL = {"registration": "5U-XAB", "aircraft_type": "C-130H", "nation": "NE", "home_base": "DRRN"}
CIRCUIT = {
    "aircraft": "5U-XAB",  # not a tail of the shipped demo fleet
    "stops": ["GABS", "GAGO", "GABS"],
    "departure_utc": "2023-10-27T06:00:00Z",
}

WATCHED = (
    "users",
    "api_tokens",
    "web_sessions",
    "tails",
    "aircraft_types",
    "airfield_overrides",
    "movement_requests",
    "scenarios",
    "leg_actuals",
    "sightings",
    "zones",
    "clearances",
)


@pytest.fixture
def apps(
    db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps (two processes' caches) on one database."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    first = create_app(Settings(db_url=db_url), run_workers=False)
    second = create_app(Settings(db_url=db_url), run_workers=False)
    with (
        TestClient(first, base_url=BASE_URL) as a,
        TestClient(second, base_url=BASE_URL) as b,
    ):
        yield a, b


def _app(client: TestClient) -> FastAPI:
    app = client.app
    assert isinstance(app, FastAPI)
    return app


def _user(client: TestClient, name: str, role: str) -> dict[str, str]:
    with transaction(_app(client).state.sessions) as session:
        user = accounts.create_user(session, name, PASSWORD, role)
        return {"Authorization": f"Bearer {accounts.create_token(session, user, 'tests')}"}


def _counters(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            return revisions.read(connection)
    finally:
        engine.dispose()


def test_every_watched_table_has_a_counter(db_url: str) -> None:
    assert set(_counters(db_url)) == set(WATCHED)


def test_every_table_the_web_app_caches_from_has_a_counter(db_url: str) -> None:
    # A table without one is never cached: correct, but every request would rebuild.
    from airlift.web import security

    cached = {
        *security._TOKEN_TABLES,
        *security._SESSION_TABLES,
        *domain.AIRCRAFT_TABLES,
        *domain.OVERRIDE_TABLES,
        *(rows.table for rows in COLLECTIONS.values()),
    }
    assert cached <= set(_counters(db_url))


def test_changes_bump_the_counter_and_rolled_back_ones_do_not(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        before = _counters(db_url)
        with engine.begin() as connection:
            connection.execute(text("UPDATE tails SET home_base = 'GAGO'"))  # no rows: no bump
        with engine.connect() as connection, connection.begin() as tx:
            connection.execute(
                text(
                    "INSERT INTO airfield_overrides (icao, closed, note, version) "
                    "VALUES ('GATS', true, 'rolled back', 1)"
                )
            )
            tx.rollback()
        assert _counters(db_url)["airfield_overrides"] == before["airfield_overrides"]
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO airfield_overrides (icao, closed, note, version) "
                    "VALUES ('GATS', true, 'kept', 1)"
                )
            )
        after_insert = _counters(db_url)
        assert after_insert["airfield_overrides"] > before["airfield_overrides"]
        with engine.begin() as connection:
            connection.execute(text("UPDATE airfield_overrides SET note = 'changed'"))
        after_update = _counters(db_url)
        assert after_update["airfield_overrides"] > after_insert["airfield_overrides"]
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM airfield_overrides"))
        after_delete = _counters(db_url)
        assert after_delete["airfield_overrides"] > after_update["airfield_overrides"]
        untouched = set(WATCHED) - {"airfield_overrides", "tails"}
        assert {t: after_delete[t] for t in untouched} == {t: before[t] for t in untouched}
    finally:
        engine.dispose()


def test_a_deleted_counter_row_comes_back_with_the_next_change(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM table_revisions WHERE name = 'scenarios'"))
        assert "scenarios" not in _counters(db_url)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO scenarios (name, start_utc, days, fuel_policy, night_ops, "
                    "overrides, version) "
                    "VALUES ('x', '2023-10-27 00:00:00+00:00', 1, 'icao', false, '{}', 1)"
                )
            )
        assert _counters(db_url)["scenarios"] >= 1
    finally:
        engine.dispose()


def test_a_write_in_one_process_shows_in_the_others_lists(
    apps: tuple[TestClient, TestClient],
) -> None:
    a, b = apps
    admin_a = _user(a, "admin", "admin")
    assert b.get("/api/tails", headers=admin_a).json() == []  # now cached in b
    created = a.post("/api/tails", json=TAIL, headers=admin_a)
    assert created.status_code == 201, created.text
    assert [t["registration"] for t in b.get("/api/tails", headers=admin_a).json()] == ["5U-XAB"]
    moved = {**TAIL, "home_base": "GABS", "version": created.json()["version"]}
    assert a.put(f"/api/tails/{created.json()['id']}", json=moved, headers=admin_a).is_success
    assert b.get("/api/tails", headers=admin_a).json()[0]["home_base"] == "GABS"

    gats = next(x for x in b.get("/api/airfields", headers=admin_a).json() if x["icao"] == "GATS")
    override = {"icao": "GATS", "fuel_available": False, "mog": 1}
    assert a.post("/api/airfield_overrides", json=override, headers=admin_a).status_code == 201
    again = next(x for x in b.get("/api/airfields", headers=admin_a).json() if x["icao"] == "GATS")
    assert gats["planning"]["mog"] != 1
    assert (again["planning"]["mog"], again["planning"]["fuel_available"]) == (1, False)
    assert b.get("/api/airfields/GATS", headers=admin_a).json()["planning"]["mog"] == 1
    assert len(b.get("/api/airfield_overrides", headers=admin_a).json()) == 1


def test_a_change_by_plain_sql_shows_at_once(
    apps: tuple[TestClient, TestClient], db_url: str
) -> None:
    a, _ = apps
    admin = _user(a, "admin", "admin")
    assert a.post("/api/tails", json=TAIL, headers=admin).status_code == 201
    assert a.get("/api/tails", headers=admin).json()[0]["home_base"] == "DRRN"
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE tails SET home_base = 'GAGO', version = version + 1"))
    finally:
        engine.dispose()
    assert a.get("/api/tails", headers=admin).json()[0]["home_base"] == "GAGO"


def test_planning_sees_a_tail_change_made_elsewhere(apps: tuple[TestClient, TestClient]) -> None:
    a, b = apps
    admin = _user(a, "admin", "admin")
    tail = a.post("/api/tails", json=TAIL, headers=admin).json()
    first = b.post("/api/plan", json=CIRCUIT, headers=admin)
    assert first.status_code == 200, first.text
    assert first.json()["aircraft"] == "C-130H"
    changed = {**TAIL, "aircraft_type": "C295", "version": tail["version"]}
    assert a.put(f"/api/tails/{tail['id']}", json=changed, headers=admin).is_success
    assert b.post("/api/plan", json=CIRCUIT, headers=admin).json()["aircraft"] == "C295"
    assert a.delete(f"/api/tails/{tail['id']}?version=2", headers=admin).status_code == 204
    gone = b.post("/api/plan", json=CIRCUIT, headers=admin)
    assert gone.status_code == 422
    assert "5U-XAB" in gone.json()["detail"]


def test_revoking_a_token_or_a_user_takes_effect_everywhere_at_once(
    apps: tuple[TestClient, TestClient],
) -> None:
    a, b = apps
    admin = _user(a, "admin", "admin")
    planner = _user(a, "planner", "planner")
    assert b.get("/api/requests", headers=planner).status_code == 200  # cached in b
    created = a.post("/api/tokens", json={"name": "script"}, headers=planner).json()
    script = {"Authorization": f"Bearer {created['token']}"}
    assert b.get("/api/auth/me", headers=script).status_code == 200
    assert a.delete(f"/api/tokens/{created['id']}", headers=planner).status_code == 204
    assert b.get("/api/auth/me", headers=script).status_code == 401

    users = {u["username"]: u["id"] for u in a.get("/api/users", headers=admin).json()}
    planner_id = users["planner"]
    shipped = {**CIRCUIT, "aircraft": "C-130H"}
    assert b.post("/api/plan", json=shipped, headers=planner).status_code == 200
    demoted = a.patch(f"/api/users/{planner_id}", json={"role": "viewer"}, headers=admin)
    assert demoted.json()["role"] == "viewer"
    assert b.post("/api/plan", json=shipped, headers=planner).status_code == 403
    assert a.delete(f"/api/users/{planner_id}", headers=admin).json()["active"] is False
    assert b.get("/api/requests", headers=planner).status_code == 401


def test_logging_out_in_one_process_ends_the_session_in_the_other(
    apps: tuple[TestClient, TestClient],
) -> None:
    a, b = apps
    _user(a, "viewer", "viewer")
    login = a.post("/api/auth/login", json={"username": "viewer", "password": PASSWORD})
    assert login.status_code == 200, login.text
    csrf = login.json()["csrf_token"]
    b.cookies.update(a.cookies)
    assert b.get("/api/auth/me").json()["csrf_token"] == csrf
    assert a.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert b.get("/api/auth/me").status_code == 401


# --- ReadCache on its own -----------------------------------------------------------------------


@pytest.fixture
def cache(app_db: str) -> Iterator[ReadCache]:
    from airlift.store.db import session_factory

    engine = make_engine(app_db)
    yield ReadCache(engine, session_factory(engine))
    engine.dispose()


@pytest.fixture
def app_db(tmp_path: Path) -> str:
    from airlift.store import migrate

    url = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    migrate.upgrade(url)
    return url


def test_a_value_is_rebuilt_only_when_its_tables_change(cache: ReadCache) -> None:
    builds: list[int] = []

    def build(session: Session) -> int:
        builds.append(1)
        return len(builds)

    now = cache.revisions()
    assert cache.get("k", ("tails",), now, build) == 1
    assert cache.get("k", ("tails",), now, build) == 1
    other = {**now, "movement_requests": now["movement_requests"] + 1}
    assert cache.get("k", ("tails",), other, build) == 1  # another table changed
    assert cache.get("k", ("tails",), {**now, "tails": now["tails"] + 1}, build) == 2


def test_failed_builds_and_uncounted_tables_are_not_kept(cache: ReadCache) -> None:
    calls: list[int] = []

    def failing(session: Session) -> int:
        calls.append(1)
        raise LookupError("no such row")

    now = cache.revisions()
    for _ in range(2):
        with pytest.raises(LookupError):
            cache.get("k", ("tails",), now, failing)
    assert len(calls) == 2
    counted: list[int] = []

    def build(session: Session) -> int:
        counted.append(1)
        return 7

    for _ in range(2):
        assert cache.get("k", ("no_such_table",), now, build) == 7
    assert len(counted) == 2


def test_requests_that_miss_together_share_one_build(cache: ReadCache) -> None:
    """On the event loop (``ReadView.aget``): a hit needs no thread; the requests that miss the
    same key at the same counters wait for one build; other counters build their own."""
    builds: list[int] = []
    gate = threading.Event()

    def build(session: Session) -> int:
        gate.wait(5)
        builds.append(1)
        return len(builds)

    async def scenario() -> tuple[list[int], int, int]:
        now = cache.revisions()
        view = ReadView(cache, now)
        waiting = [asyncio.ensure_future(view.aget("k", ("tails",), build)) for _ in range(5)]
        await asyncio.sleep(0.05)
        gate.set()
        together = list(await asyncio.gather(*waiting))
        hit = await view.aget("k", ("tails",), build)
        newer = ReadView(cache, {**now, "tails": now["tails"] + 1})
        return together, hit, await newer.aget("k", ("tails",), build)

    together, hit, newer = asyncio.run(scenario())
    assert together == [1] * 5
    assert hit == 1
    assert newer == 2
    assert len(builds) == 2


def test_the_cache_keeps_at_most_max_entries(
    cache: ReadCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read_cache, "MAX_ENTRIES", 3)
    now = cache.revisions()
    built: list[int] = []

    def build_for(n: int):  # type: ignore[no-untyped-def]
        def build(session: Session) -> int:
            built.append(n)
            return n

        return build

    for n in range(5):
        cache.get(n, ("tails",), now, build_for(n))
    cache.get(4, ("tails",), now, build_for(4))
    cache.get(0, ("tails",), now, build_for(0))
    assert built == [0, 1, 2, 3, 4, 0]  # 4 was kept; 0, the oldest, was dropped


def test_the_counter_reader_sees_every_commit_and_survives_a_lost_connection(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    other = make_engine(db_url)
    reader = revisions.CounterReader(engine)
    try:
        before = reader.read()["airfield_overrides"]
        with other.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO airfield_overrides (icao, closed, note, version) "
                    "VALUES ('GAGO', false, '', 1)"
                )
            )
        assert reader.read()["airfield_overrides"] > before  # no stale snapshot held
        held = reader._connection
        assert held is not None and held.dbapi_connection is not None
        held.dbapi_connection.close()  # as when the database server restarts
        assert reader.read() == _counters(db_url)
    finally:
        reader.close()
        engine.dispose()
        other.dispose()


def test_a_list_never_shows_an_old_row_under_a_reused_id_or_unchanged_version(
    apps: tuple[TestClient, TestClient], db_url: str
) -> None:
    """Rows' JSON is memoised by content: SQLite hands the largest id out again after a
    delete, and plain SQL can change a row without bumping its version."""
    a, _ = apps
    admin = _user(a, "admin", "admin")
    first = a.post("/api/tails", json=TAIL, headers=admin).json()
    assert a.get("/api/tails", headers=admin).json()[0]["home_base"] == "DRRN"
    gone = a.delete(
        f"/api/tails/{first['id']}", params={"version": first["version"]}, headers=admin
    )
    assert gone.is_success, gone.text
    again = a.post("/api/tails", json={**TAIL, "home_base": "GAGO"}, headers=admin).json()
    assert a.get("/api/tails", headers=admin).json()[0]["home_base"] == "GAGO"
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE tails SET home_base = 'GATS'"))  # version unchanged
    finally:
        engine.dispose()
    listed = a.get("/api/tails", headers=admin).json()
    assert [(t["id"], t["version"], t["home_base"]) for t in listed] == [
        (again["id"], again["version"], "GATS")
    ]
