"""Shared fixtures.

* ``data_dir``: an empty, private user data folder (``$AIRLIFT_DATA_DIR``) so no test reads or
  writes the developer's real OurAirports cache.
* ``OURAIRPORTS`` / ``ourairports``: the OurAirports CSV snapshot kept beside the repository
  (``../shared/data/ourairports``, see its README); it is test data and never copied here.
* ``demo_programme``: the demo week scheduled for 3 s (``airlift.scheduling`` readers on
  ``src/airlift/data/demo/``), and ``demo_document``, its programme document (what
  ``airlift schedule --json`` writes); ``demo_scenario``: the scenario it was scheduled under
  (night flying off, GATB without fuel). Shared by the tracking and re-planning tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import airlift.airfields
from airlift.export.programme import programme_document
from airlift.scheduling.inputs import Scenario
from airlift.scheduling.programme import Programme
from airlift.scheduling.readers import demo_dir, read_fleet, read_requests, read_scenario
from airlift.scheduling.scheduler import schedule

OURAIRPORTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ourairports"
"""The repository is /work/main and the shared data /work/shared: two levels up from tests/."""

"""Where the aircraft figures come from (the [n] references of the type files)."""


def skip_unless_ourairports() -> Path:
    """Return the OurAirports folder, or skip the calling test with the reason."""
    if not (OURAIRPORTS / "airports.csv").is_file() or not (OURAIRPORTS / "runways.csv").is_file():
        pytest.skip(
            f"OurAirports test data not found at {OURAIRPORTS}: "
            "tests that import it need ../shared/data/ourairports"
        )
    return OURAIRPORTS


@pytest.fixture(scope="session")
def ourairports() -> Path:
    """The shared OurAirports folder (airports.csv, runways.csv); skips when it is missing."""
    return skip_unless_ourairports()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user data folder: ``$AIRLIFT_DATA_DIR`` points at it and no cache is open."""
    folder = tmp_path / "airlift-data"
    folder.mkdir()
    monkeypatch.setenv("AIRLIFT_DATA_DIR", str(folder))
    airlift.airfields.forget_cache()
    yield folder
    # The cached connection points into this folder: forget it before the folder goes.
    airlift.airfields.forget_cache()


# --- databases (airlift.store) ------------------------------------------------------------------
#
# ``db_url``: a URL of a migrated, empty database, once on SQLite and once on PostgreSQL
# (``$AIRLIFT_TEST_PG_URL``; skipped when unset, except on CI where that is a failure).
# SQLite: a private copy of a file migrated once per session. PostgreSQL: one schema per test
# session and xdist worker (``airlift_test_<worker>_<random>``, selected through the URL's
# ``search_path`` option, dropped at the end), emptied before every test.

PG_URL_ENV = "AIRLIFT_TEST_PG_URL"


class _PgSchema:
    """The test session's PostgreSQL schema: server URL, schema name, URL selecting it."""

    def __init__(self, base_url: str, schema: str, url: str) -> None:
        self.base_url, self.schema, self.url = base_url, schema, url


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from airlift.store import migrate

    path = tmp_path_factory.mktemp("db-template") / "airlift.sqlite"
    migrate.upgrade(f"sqlite:///{path}")
    return path


def _pg_create_schema(pg: _PgSchema) -> None:
    from sqlalchemy import text

    from airlift.store import migrate
    from airlift.store.db import make_engine

    engine = make_engine(pg.base_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{pg.schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{pg.schema}"'))
    finally:
        engine.dispose()
    migrate.upgrade(pg.url)


@pytest.fixture(scope="session")
def _pg_schema() -> Iterator[_PgSchema]:
    import os
    import re
    import uuid

    base = os.environ.get(PG_URL_ENV)
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_URL_ENV} is not set: CI must run the storage tests on PostgreSQL")
        pytest.skip(
            f"PostgreSQL not configured: set {PG_URL_ENV}, e.g. "
            "postgresql://airlift:airlift@127.0.0.1:5432/airlift_test"
        )
    from sqlalchemy import text

    from airlift.store.db import make_engine

    worker = re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main")).lower()
    schema = f"airlift_test_{worker}_{uuid.uuid4().hex[:8]}"
    joiner = "&" if "?" in base else "?"
    pg = _PgSchema(base, schema, f"{base}{joiner}options=-csearch_path%3D{schema}")
    _pg_create_schema(pg)
    yield pg
    engine = make_engine(base)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


def _pg_reset(pg: _PgSchema) -> None:
    """Empty every table but the change counters (ids restart at 1); rebuild the schema if a
    test migrated it away."""
    from sqlalchemy import text

    from airlift.store import migrate
    from airlift.store.db import make_engine
    from airlift.store.models import Base

    if migrate.current(pg.url) != migrate.head():
        _pg_create_schema(pg)
        return
    # The change counters keep counting, as in production: a counter that went back could
    # match a value some cache built before.
    tables = ", ".join(
        f'"{t.name}"' for t in Base.metadata.sorted_tables if t.name != "table_revisions"
    )
    engine = make_engine(pg.url)
    try:
        with engine.begin() as conn:
            # A test that leaked an open transaction must not hang the suite.
            conn.execute(text("SET LOCAL lock_timeout = '20s'"))
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a migrated, empty database: SQLite, then PostgreSQL."""
    import shutil

    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "airlift.sqlite"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    pg: _PgSchema = request.getfixturevalue("_pg_schema")
    _pg_reset(pg)
    return pg.url


@pytest.fixture(scope="session")
def demo_scenario() -> Scenario:
    return read_scenario(demo_dir() / "scenario.toml")


@pytest.fixture(scope="session")
def demo_programme(demo_scenario: Scenario) -> Programme:
    """The demo week's programme, the same on every machine: a count of search iterations (about
    3 s here), not a clock, ends the search, so tests do not depend on the machine's speed."""
    d = demo_dir()
    requests, fleet = read_requests(d / "requests.csv"), read_fleet(d / "fleet.csv")
    return schedule(requests, fleet, demo_scenario, 60.0, iterations=1000)


@pytest.fixture(scope="session")
def demo_document(demo_programme: Programme) -> dict[str, Any]:
    return programme_document(demo_programme)
