"""Database engine and sessions. One place decides the URL:

``--db`` / ``AIRLIFT_DB_URL``, else ``sqlite:///<data dir>/airlift.sqlite`` (WAL mode).

Concurrency, so that writers queue instead of failing:

* SQLite: a transaction begins ``IMMEDIATE`` (it takes the write lock at its start, waiting
  up to ``SQLITE_BUSY_S`` for it) unless it comes from :func:`read_session_factory`. A
  deferred transaction that reads and then writes can fail at once with "database is
  locked" when another writer committed in between (SQLite cannot upgrade a stale snapshot,
  and its busy timeout does not apply); an immediate one waits its turn.
* Pools: ``POOL_SIZE`` connections and as many again in overflow per process, at least the
  web server's thread pool (``THREADS``), so a request thread rarely waits for a connection;
  one that waits ``POOL_TIMEOUT_S`` gets ``sqlalchemy.exc.TimeoutError`` (HTTP 503).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from airlift.airfields import data_dir


def default_url() -> str:
    env = os.environ.get("AIRLIFT_DB_URL")
    if env:
        return env
    path = data_dir() / "airlift.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (the driver we ship)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


THREADS = 16
"""Worker threads of the web server's thread pool (set at start-up; anyio's default is 40)."""
POOL_SIZE = THREADS
POOL_TIMEOUT_S = 10.0
SQLITE_BUSY_S = 10.0
"""How long a SQLite writer waits for the write lock before "database is locked" (HTTP 503)."""
_BEGIN = "sqlite_begin"


def make_engine(url: str | None = None) -> Engine:
    url = normalise_url(url or default_url())
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")  # a connection per thread
        pool: dict[str, Any] = {
            "pool_size": POOL_SIZE,
            "max_overflow": POOL_SIZE,
            "pool_timeout": POOL_TIMEOUT_S,
        }
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_S},
            **({} if memory else pool),
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
            # The driver's own transaction handling off: "begin" below emits BEGIN (the
            # SQLAlchemy recipe for choosing SQLite's transaction mode).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            mode = connection.get_execution_options().get(_BEGIN, "IMMEDIATE")
            connection.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=POOL_SIZE // 2,
        max_overflow=POOL_SIZE,
        pool_timeout=POOL_TIMEOUT_S,
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that may write (on SQLite, each transaction takes the write lock first)."""
    return sessionmaker(engine, expire_on_commit=False)


def read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for reading only: on SQLite a deferred transaction, which never waits for or
    blocks a writer (WAL). A write through one may fail with "database is locked"."""
    return sessionmaker(engine.execution_options(**{_BEGIN: "DEFERRED"}), expire_on_commit=False)


@contextmanager
def scratch_schema(server_url: str, prefix: str = "airlift_scratch") -> Iterator[str]:
    """A new, empty schema on the PostgreSQL server at ``server_url``, dropped with all it
    holds at the end (for tests and benchmarks). Yields a URL that selects it through
    ``search_path`` and names it as the connections' ``application_name``."""
    import uuid

    from sqlalchemy import text

    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = make_engine(server_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        joiner = "&" if "?" in server_url else "?"
        yield f"{server_url}{joiner}options=-csearch_path%3D{schema}&application_name={schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    with factory() as session, session.begin():
        yield session
