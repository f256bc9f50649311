"""Alembic environment of the airlift database.

The URL comes from ``config.attributes["url"]`` (set by :mod:`airlift.store.migrate`), else
``AIRLIFT_DB_URL``, else the default SQLite file (:func:`airlift.store.db.default_url`).
A caller may also hand over an open connection as ``config.attributes["connection"]``.
SQLite gets batch mode ("move and copy") so later migrations can alter its tables.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, text

from airlift.store.db import default_url, make_engine, normalise_url
from airlift.store.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata

_PG_LOCK = 0x41_49_52_4C  # "AIRL": one migrator at a time on a shared PostgreSQL database


def _url() -> str:
    url = config.attributes.get("url")
    return normalise_url(str(url) if url else default_url())


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """New revisions spell the UTC column type as plain SQLAlchemy, not as our decorator:
    a migration must not import the models it migrates from."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _options(is_sqlite: bool) -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        "render_as_batch": is_sqlite,
        "compare_type": True,
        "render_item": _render_item,
    }


def run_migrations_offline() -> None:
    """``alembic upgrade head --sql``: print the SQL instead of running it."""
    url = _url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **_options(url.startswith("sqlite")),
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(connection=connection, **_options(connection.dialect.name == "sqlite"))
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes (web server and worker) may start at once: the second waits,
            # then finds the schema at head. Released when the transaction ends.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
