"""How often each watched table changed: the counters of ``table_revisions``.

Database triggers (migration 0002) bump a table's counter in the same transaction as any
insert, update or delete of its rows, so the counters move with every committed change,
whoever made it. Equal counters mean unchanged tables: a reader may keep what it built from
them (``web/read_cache.py``).
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from airlift.store.models import TableRevision

Revisions = dict[str, int]
"""Table name -> its change counter."""

_QUERY = select(TableRevision.name, TableRevision.revision)


def read(connection: Connection) -> Revisions:
    """The counters of every watched table, now (one small query)."""
    return {name: revision for name, revision in connection.execute(_QUERY)}


__all__ = ["Revisions", "read"]
