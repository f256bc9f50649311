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

import asyncio
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from airlift.store import revisions
from airlift.store.revisions import Revisions

T = TypeVar("T")

MISSING: Any = object()
"""What ``peek`` answers when the cache holds no current value for the key."""
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
        self._flights: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[tuple[Hashable, tuple[int, ...]], asyncio.Future[Any]]
        ] = weakref.WeakKeyDictionary()

    def revisions(self) -> Revisions:
        return self._counters.read()

    def close(self) -> None:
        self._counters.close()
        with self._lock:
            self._entries.clear()

    def peek(self, key: Hashable, tables: tuple[str, ...], current: Revisions) -> Any:
        """The value under ``key`` if built at the ``current`` counters of ``tables``, else
        ``MISSING``. No I/O: the event loop calls it, and goes to a thread only on a miss."""
        stamp = tuple(current.get(t, -1) for t in tables)
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == stamp:
                self._entries.move_to_end(key)
                return found[1]
        return MISSING

    async def build_once(
        self,
        key: Hashable,
        tables: tuple[str, ...],
        current: Revisions,
        build: Callable[[Session], Any],
    ) -> Any:
        """``get`` in the thread pool, once for every request of this event loop that wants the
        same key at the same counters: they wait for the one build. After a write, every
        request for a list missed at once and each rebuilt it (a list of hundreds of rows
        takes milliseconds): rebuilding the same lists took a third of the server's busy
        time under the mixed load of ``bench_api`` (py-spy). A build started at other
        counters is not shared (it may be older than this request's counters)."""
        loop = asyncio.get_running_loop()
        flights = self._flights.setdefault(loop, {})
        flight = (key, tuple(current.get(t, -1) for t in tables))
        pending = flights.get(flight)
        if pending is None:
            pending = asyncio.ensure_future(
                run_in_threadpool(self.get, key, tables, current, build)
            )
            flights[flight] = pending

            def landed(done: asyncio.Future[Any]) -> None:
                flights.pop(flight, None)
                if not done.cancelled():
                    done.exception()  # seen, even when every waiter gave up

            pending.add_done_callback(landed)
        # Shielded: a request that gives up does not cancel the build the others wait for.
        return await asyncio.shield(pending)

    def get(
        self,
        key: Hashable,
        tables: tuple[str, ...],
        current: Revisions,
        build: Callable[[Session], T],
    ) -> T:
        """The value under ``key`` if built at the ``current`` counters of ``tables``; else
        ``build`` it in a read-only session (its errors propagate; nothing is kept)."""
        found = self.peek(key, tables, current)
        if found is not MISSING:
            return cast(T, found)
        stamp = tuple(current.get(t, -1) for t in tables)
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

    def peek(self, key: Hashable, tables: tuple[str, ...]) -> Any:
        """``ReadCache.peek`` at this request's counters: the value, or ``MISSING``."""
        return self.cache.peek(key, tables, self.revisions)

    async def aget(
        self, key: Hashable, tables: tuple[str, ...], build: Callable[[Session], T]
    ) -> T:
        """``get`` for the event loop: a hit is answered on the loop (no I/O), a miss is built
        in the thread pool (``ReadCache.build_once``). Under load every trip to the pool waits
        for a free thread and for the GIL behind the CPU-bound requests (mission plans): a
        cached list made three trips (counters, caller, list), now it makes one."""
        found = self.peek(key, tables)
        if found is not MISSING:
            return cast(T, found)
        return cast(T, await self.cache.build_once(key, tables, self.revisions, build))


__all__ = ["MAX_ENTRIES", "MISSING", "ReadCache", "ReadView"]
