"""Schema migrations, run from Python: ``upgrade()`` is ``alembic upgrade head``.

The Alembic configuration ships inside the package (``store/alembic.ini``,
``store/migrations/``), so this works from an installed wheel as well as from a checkout.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from airlift.store.db import default_url, make_engine, normalise_url


@contextmanager
def _config(url: str | None) -> Iterator[Config]:
    ini = resources.files("airlift.store") / "alembic.ini"
    with resources.as_file(ini) as path:
        config = Config(str(path))
        config.attributes["url"] = normalise_url(url or default_url())
        yield config


def upgrade(url: str | None = None) -> None:
    """Bring the database at ``url`` (default: ``AIRLIFT_DB_URL`` or the SQLite file in the
    user data folder) to the newest schema; creates every table in an empty database."""
    with _config(url) as config:
        command.upgrade(config, "head")


def head() -> str:
    """The newest revision the package ships."""
    with _config("sqlite://") as config:
        revision = ScriptDirectory.from_config(config).get_current_head()
    if revision is None:  # pragma: no cover - the package always ships a revision
        raise RuntimeError("no migration revisions shipped")
    return revision


def current(url: str | None = None) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


__all__ = ["current", "head", "upgrade"]
