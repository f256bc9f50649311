"""What the web process read from the database, kept until one of its tables changes.

Most API traffic reads rows that rarely change: the caller's API token, the fleet, the
movement requests, airfield overrides. Each HTTP process keeps what it built from them
(``ReadCache``), labelled with the change counters of the tables it came from
(``store/revisions.py``; database triggers bump them with every committed change, whoever
the writer). A request reads the counters once, in one small query, and reuses an entry
only while its tables' counters are unchanged: a revoked token, a deactivated user or an
edited tail is seen by the very next request, in every process.

Why the counters are read before the rows they label: a change committed in between makes
the entry newer than its label, never older, so the next request rebuilds it; an entry
can be needlessly rebuilt but never stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from airlift.store import revisions
from airlift.store.revisions import Revisions

T = TypeVar("T")

MAX_ENTRIES = 2048
"""Entries kept per process (least recently used go first): lists, tokens, aircraft names."""


class ReadCache:
    """Per-process cache of values built from stored rows, keyed by the caller's key and
    checked against the counters of the tables the value came from. Thread-safe: routes on
    the event loop and in the thread pool share it."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self._counters = revisions.CounterReader(engine)
        self._sessions = sessions
        self._entries: OrderedDict[Hashable, tuple[tuple[int, ...], Any]] = OrderedDict()
        self._lock = threading.Lock()

    def revisions(self) -> Revisions:
        return self._counters.read()

    def close(self) -> None:
        self._counters.close()
        with self._lock:
            self._entries.clear()

    def get(
        self,
        key: Hashable,
        tables: tuple[str, ...],
        current: Revisions,
        build: Callable[[Session], T],
    ) -> T:
        """The value under ``key`` if built at the ``current`` counters of ``tables``; else
        ``build`` it in a read-only session (its errors propagate; nothing is kept)."""
        stamp = tuple(current.get(t, -1) for t in tables)
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == stamp:
                self._entries.move_to_end(key)
                value: T = found[1]
                return value
        with self._sessions() as session:
            value = build(session)
            session.rollback()
        if -1 not in stamp:  # a table without a counter row is never cached
            with self._lock:
                self._entries[key] = (stamp, value)
                self._entries.move_to_end(key)
                while len(self._entries) > MAX_ENTRIES:
                    self._entries.popitem(last=False)
        return value


@dataclass(frozen=True, slots=True)
class ReadView:
    """The cache as one request sees it: the counters read once at the request's start."""

    cache: ReadCache
    revisions: Revisions

    def get(self, key: Hashable, tables: tuple[str, ...], build: Callable[[Session], T]) -> T:
        return self.cache.get(key, tables, self.revisions, build)


__all__ = ["MAX_ENTRIES", "ReadCache", "ReadView"]
