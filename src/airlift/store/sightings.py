"""Sightings (``tracking.sightings.Sighting``): stored one row each, never edited.

As ``store/actuals.py`` does for leg reports: a sighting is identified by a hash of what it
says (:func:`content_hash`: what and where was seen, when, how, by whom, the photo's SHA-256),
so reporting it again adds nothing; each new sighting and each delete is audited.
Matching against a plan is the library's (:func:`airlift.tracking.sightings.match_sighting`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from airlift.errors import FieldError, NotFound
from airlift.store.models import ScheduleRun, SightingRow
from airlift.store.rows import audit, check_columns, flush
from airlift.tracking.sightings import (
    Confidence,
    Sighting,
    SightingSource,
    check_sighting,
    sighting_to_json,
)

ENTITY = "sightings"
"""The audit log's name for these rows."""


@dataclass(frozen=True, slots=True)
class StoredSighting:
    id: int
    sighting: Sighting
    run_id: int | None
    created_at: datetime
    created_by: str


def content_hash(s: Sighting) -> str:
    """SHA-256 of the sighting's content (not of who stored it, when, or for which run)."""
    return hashlib.sha256(json.dumps(sighting_to_json(s), sort_keys=True).encode()).hexdigest()


def to_sighting(row: SightingRow) -> Sighting:
    return Sighting(
        at_utc=row.at_utc,
        tail=row.tail,
        aircraft_type=row.aircraft_type,
        airfield=row.airfield,
        lat=row.lat,
        lon=row.lon,
        source=SightingSource(row.source),
        confidence=Confidence(row.confidence),
        note=row.note,
        reported_by=row.reported_by,
        photo_sha256=row.photo_sha256,
    )


def _stored(row: SightingRow) -> StoredSighting:
    return StoredSighting(row.id, to_sighting(row), row.run_id, row.created_at, row.created_by)


def add_sighting(
    session: Session,
    sighting: Sighting,
    username: str,
    *,
    run_id: int | None = None,
    now: datetime | None = None,
) -> tuple[StoredSighting, bool]:
    """Store one sighting (checked: a :class:`FieldError` names the bad field). Returns it
    and whether it is new (False: the same sighting was stored before, returned as it was)."""
    if run_id is not None and session.get(ScheduleRun, run_id) is None:
        raise FieldError("run_id", f"run_id: there is no schedule run {run_id}")
    s = check_sighting(sighting, now)
    digest = content_hash(s)
    existing = session.scalar(select(SightingRow).where(SightingRow.content_hash == digest))
    if existing is not None:
        return _stored(existing), False
    values = {
        **sighting_to_json(s),
        "at_utc": s.at_utc,
        "content_hash": digest,
        "source": s.source.value,
        "confidence": s.confidence.value,
    }
    check_columns(SightingRow, values)
    row = SightingRow(**values, run_id=run_id, created_by=username[:64])
    session.add(row)
    flush(session, f"sighting of {s.tail or s.aircraft_type}")
    audit(session, username, "create", ENTITY, row.id, {"run_id": run_id, **sighting_to_json(s)})
    return _stored(row), True


def delete_sighting(session: Session, sighting_id: int, username: str) -> None:
    """Delete one sighting (:class:`NotFound` when there is none)."""
    row = session.get(SightingRow, sighting_id)
    if row is None:
        raise NotFound(f"sighting {sighting_id} not found")
    detail = {
        "run_id": row.run_id,
        "created_by": row.created_by,
        **sighting_to_json(to_sighting(row)),
    }
    session.delete(row)
    flush(session, f"sighting {sighting_id}")
    audit(session, username, "delete", ENTITY, sighting_id, detail)


def sightings(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[StoredSighting]:
    """Stored sightings seen in [since, until), by time seen."""
    query = select(SightingRow)
    if since is not None:
        query = query.where(SightingRow.at_utc >= since)
    if until is not None:
        query = query.where(SightingRow.at_utc < until)
    query = query.order_by(SightingRow.at_utc, SightingRow.id)
    return [_stored(row) for row in session.scalars(query)]


def of_day(session: Session, start: datetime) -> list[StoredSighting]:
    """The sightings of the UTC day starting at ``start``."""
    return sightings(session, since=start, until=start + timedelta(days=1))


__all__ = [
    "ENTITY",
    "StoredSighting",
    "add_sighting",
    "content_hash",
    "delete_sighting",
    "of_day",
    "sightings",
]
