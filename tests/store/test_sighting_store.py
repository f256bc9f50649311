"""Stored sightings (``store/sightings.py``), SQLite and PostgreSQL: checked, kept once,
audited, counted by the change counter (migration 0007)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from airlift.errors import FieldError, NotFound
from airlift.store import revisions, sightings
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import AuditEntry, SightingRow
from airlift.tracking.sightings import Confidence, Sighting, SightingSource

NOW = datetime(2024, 1, 1, tzinfo=UTC)
SEEN = Sighting(
    at_utc=datetime(2023, 10, 27, 10, 5, tzinfo=UTC),
    aircraft_type="C-130H",
    airfield="bamako",  # a name: stored as its ICAO code
    source=SightingSource.PHOTO,
    confidence=Confidence.HIGH,
    note="Niger AF C-130H on the apron",
    reported_by="spotter",
)


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_sighting_is_stored_once_resolved_and_audited(factory: sessionmaker[Session]) -> None:
    with factory() as s:
        before = revisions.read(s.connection())["sightings"]
    with transaction(factory) as s:
        first, new = sightings.add_sighting(s, SEEN, "ops1", now=NOW)
    assert new and first.sighting.airfield == "GABS" and first.created_by == "ops1"
    with transaction(factory) as s:
        again, new_again = sightings.add_sighting(s, SEEN, "ops2", now=NOW)
    assert not new_again and again.id == first.id
    assert _count(factory, SightingRow) == 1
    with factory() as s:
        assert revisions.read(s.connection())["sightings"] > before
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "sightings")).all()
        assert [(e.action, e.username, e.entity_id) for e in entries] == [
            ("create", "ops1", str(first.id))
        ]
        day = sightings.of_day(s, datetime(2023, 10, 27, tzinfo=UTC))
        assert [x.sighting for x in day] == [first.sighting]
        assert sightings.of_day(s, datetime(2023, 10, 28, tzinfo=UTC)) == []


def test_a_bad_sighting_stores_nothing(factory: sessionmaker[Session]) -> None:
    bad = Sighting(at_utc=SEEN.at_utc, tail="5U-MBD", lat=91.0, lon=0.0)
    with pytest.raises(FieldError) as exc, transaction(factory) as s:
        sightings.add_sighting(s, bad, "ops1", now=NOW)
    assert exc.value.field == "lat"
    with pytest.raises(FieldError) as exc, transaction(factory) as s:
        sightings.add_sighting(s, SEEN, "ops1", run_id=999, now=NOW)
    assert exc.value.field == "run_id"
    assert _count(factory, SightingRow) == 0


def test_delete_is_audited(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        stored, _ = sightings.add_sighting(s, SEEN, "ops1", now=NOW)
    with transaction(factory) as s:
        sightings.delete_sighting(s, stored.id, "admin")
    assert _count(factory, SightingRow) == 0
    with pytest.raises(NotFound), transaction(factory) as s:
        sightings.delete_sighting(s, stored.id, "admin")
