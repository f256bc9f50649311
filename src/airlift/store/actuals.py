"""Reports of flown legs (``tracking.model.LegActual``): stored one row each, merged per leg.

* **Every report is kept.** A correction is a new report, never an edit; the merged leg
  (:func:`merged_legs`) takes each field from the most trusted source
  (``tracking.model.merge``), and among reports of one source from the newest.
* **Storing a report again adds nothing.** A report is identified by a hash of what it says
  (:func:`content_hash`: tail, airfields, source, times, fuel, loads, remarks, partial,
  reporter, seen times; not the track), not by who stored it, when, from which file or for
  which run: a file imported twice, or a feed that repeats itself, stores each report once.
  A natural key such as (source, tail, origin, first time) would instead have to choose
  between refusing a corrected report and overwriting the one it corrects; both lose what
  was reported.
* **Nothing half-written.** :func:`import_reports` checks every report first; with any
  problem it stores nothing (unless ``good_rows_only``: then the good ones), as
  ``store/imports.py`` does for request files. One audit entry per import, per single
  report and per delete.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airlift.errors import FieldError, NotFound
from airlift.store.models import LegActualRow, ScheduleRun
from airlift.store.rows import audit, check_columns, flush
from airlift.tracking.checks import check_actual
from airlift.tracking.model import LegActual, LoadActual, Source, merge
from airlift.tracking.parsers import Parsed
from airlift.tracking.report_json import actual_to_json

ENTITY = "leg_actuals"
"""The audit log's name for these rows."""
HASHES_PER_QUERY = 500
"""Hashes looked up per query (well under every database's bound-parameter limit)."""


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A stored report and who stored it, when, for which run."""

    id: int
    actual: LegActual
    run_id: int | None
    created_at: datetime
    created_by: str
    received_from: str


@dataclass(frozen=True, slots=True)
class MergedLeg:
    """One leg: its key (tail, origin, UTC date), the merge of its reports, the reports
    (newest first)."""

    key: tuple[str, str, str]
    leg: LegActual
    reports: list[StoredReport]


@dataclass(frozen=True, slots=True)
class ReportError:
    """One report that was not stored: ``row`` its line or item in the file."""

    row: int
    field: str
    reason: str


@dataclass(slots=True)
class ImportOutcome:
    """``created``: ids of the reports stored; ``duplicates``: reports already stored (or
    twice in the file); ``stored`` False when nothing was written."""

    created: list[int] = field(default_factory=list)
    duplicates: int = 0
    errors: list[ReportError] = field(default_factory=list)
    stored: bool = False


UNHASHED = ("track", "seen_from_utc", "seen_until_utc", "seen_track_deg")
"""Keys hashed only when given (the seen times of a report seen in cruise only: two such
flights of one tail differ in nothing else), or never (the track)."""


def content_hash(actual: LegActual) -> str:
    """SHA-256 of the report's content (see the module docstring).

    The track is not hashed: it is evidence of the times and places the report gives, not a
    report of its own, so the same flight read twice is one row whatever its points; and the
    hashes of reports stored before tracks were kept (migration 0008) stay what they were, so
    re-importing an old file adds nothing. Unset seen times are left out for the same reason.
    """
    doc = actual_to_json(actual)
    for name in UNHASHED:
        if name == "track" or doc[name] is None:
            del doc[name]
    doc["tail"] = actual.tail.upper()
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def _values(actual: LegActual) -> dict[str, Any]:
    first = actual.placed_utc
    assert first is not None  # check_actual refuses a report without a time or seen times
    return {
        "content_hash": content_hash(actual),
        "tail": actual.tail.upper(),
        "origin": actual.origin.upper(),
        "destination": actual.destination.upper(),
        "source": actual.source.value,
        "first_utc": first,
        "out_utc": actual.out_utc,
        "off_utc": actual.off_utc,
        "on_utc": actual.on_utc,
        "in_utc": actual.in_utc,
        "fuel_out_kg": actual.fuel_out_kg,
        "fuel_in_kg": actual.fuel_in_kg,
        "loads": actual_to_json(actual)["loads"],
        "remarks": actual.remarks,
        "partial": actual.partial,
        "reported_by": actual.reported_by,
        "received_from": str(actual.where)[:255],
        "seen_from_utc": actual.seen_from_utc,
        "seen_until_utc": actual.seen_until_utc,
        "seen_track_deg": actual.seen_track_deg,
        "track": [list(p) for p in actual.track],
    }


def to_actual(row: LegActualRow) -> LegActual:
    return LegActual(
        tail=row.tail,
        origin=row.origin,
        destination=row.destination,
        source=Source(row.source),
        out_utc=row.out_utc,
        off_utc=row.off_utc,
        on_utc=row.on_utc,
        in_utc=row.in_utc,
        fuel_out_kg=row.fuel_out_kg,
        fuel_in_kg=row.fuel_in_kg,
        loads=tuple(LoadActual(**load) for load in row.loads),
        remarks=row.remarks,
        partial=row.partial,
        reported_by=row.reported_by,
        seen_from_utc=row.seen_from_utc,
        seen_until_utc=row.seen_until_utc,
        seen_track_deg=row.seen_track_deg,
        track=tuple(
            (float(lat), float(lon), None if alt is None else float(alt), float(t))
            for lat, lon, alt, t in row.track or ()
        ),
    )


def stored(row: LegActualRow) -> StoredReport:
    return StoredReport(
        row.id, to_actual(row), row.run_id, row.created_at, row.created_by, row.received_from
    )


def _check_run(session: Session, run_id: int | None) -> None:
    if run_id is not None and session.get(ScheduleRun, run_id) is None:
        raise FieldError("run_id", f"run_id: there is no schedule run {run_id}")


def _existing_hashes(session: Session, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hashes), HASHES_PER_QUERY):
        chunk = hashes[start : start + HASHES_PER_QUERY]
        query = select(LegActualRow.content_hash).where(LegActualRow.content_hash.in_(chunk))
        found.update(session.scalars(query))
    return found


def _row_of(error: FieldError, index: int) -> int:
    return error.where.row if error.where.row is not None else index


def import_reports(
    session: Session,
    parsed: Parsed,
    username: str,
    *,
    run_id: int | None = None,
    good_rows_only: bool = False,
    source_name: str = "",
    now: datetime | None = None,
) -> ImportOutcome:
    """Check every report read from a file (and the reader's own errors), then store the new
    ones: all or nothing, unless ``good_rows_only``. One audit entry for the import."""
    _check_run(session, run_id)
    outcome = ImportOutcome()
    outcome.errors = [ReportError(_row_of(e, 0), e.field or "", e.reason) for e in parsed.errors]
    good: list[tuple[str, dict[str, Any]]] = []
    for index, actual in enumerate(parsed.reports, start=1):
        try:
            values = _values(check_actual(actual, now))
            check_columns(LegActualRow, values)
        except FieldError as exc:
            outcome.errors.append(ReportError(_row_of(exc, index), exc.field or "", exc.reason))
            continue
        good.append((values["content_hash"], values))
    if (outcome.errors and not good_rows_only) or not good:
        return outcome
    known = _existing_hashes(session, [h for h, _ in good])
    rows = []
    for digest, values in good:
        if digest in known:
            outcome.duplicates += 1
            continue
        known.add(digest)
        rows.append(LegActualRow(**values, run_id=run_id, created_by=username[:64]))
    session.add_all(rows)
    flush(session, "leg reports")
    outcome.created = [row.id for row in rows]
    outcome.stored = True
    audit(
        session,
        username,
        "import",
        ENTITY,
        "",
        {
            "file": source_name,
            "run_id": run_id,
            "reports": len(parsed.reports) + len(parsed.errors),
            "created": outcome.created,
            "duplicates": outcome.duplicates,
            "errors": len(outcome.errors),
            "skipped_rows": sorted({e.row for e in outcome.errors}),
        },
    )
    return outcome


def add_report(
    session: Session,
    actual: LegActual,
    username: str,
    *,
    run_id: int | None = None,
    now: datetime | None = None,
) -> tuple[StoredReport, bool]:
    """Store one report (checked: a :class:`FieldError` names the bad field). Returns the
    stored report and whether it is new (False: the same report was stored before, and is
    returned as it was)."""
    _check_run(session, run_id)
    values = _values(check_actual(actual, now))
    check_columns(LegActualRow, values)
    existing = session.scalar(
        select(LegActualRow).where(LegActualRow.content_hash == values["content_hash"])
    )
    if existing is not None:
        return stored(existing), False
    row = LegActualRow(**values, run_id=run_id, created_by=username[:64])
    session.add(row)
    flush(session, f"leg report of {values['tail']} from {values['origin']}")
    audit(
        session,
        username,
        "create",
        ENTITY,
        row.id,
        {"key": list(actual.key), "run_id": run_id, "fields": actual_to_json(actual)},
    )
    return stored(row), True


def delete_report(session: Session, report_id: int, username: str) -> None:
    """Delete one report (:class:`NotFound` when there is none). Reports are never edited,
    so no version is asked for: the report deleted is the one the caller read."""
    row = session.get(LegActualRow, report_id)
    if row is None:
        raise NotFound(f"leg report {report_id} not found")
    snapshot = stored(row)
    session.delete(row)
    flush(session, f"leg report {report_id}")
    audit(
        session,
        username,
        "delete",
        ENTITY,
        report_id,
        {
            "key": list(snapshot.actual.key),
            "run_id": snapshot.run_id,
            "created_by": snapshot.created_by,
            "fields": actual_to_json(snapshot.actual),
        },
    )


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def reports(
    session: Session,
    *,
    run_id: int | None = None,
    tail: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[StoredReport]:
    """The stored reports, newest first; ``since``/``until`` bound the first time reported
    ([since, until))."""
    query = select(LegActualRow)
    if run_id is not None:
        query = query.where(LegActualRow.run_id == run_id)
    if tail:
        query = query.where(LegActualRow.tail == tail.strip().upper())
    if since is not None:
        query = query.where(LegActualRow.first_utc >= since)
    if until is not None:
        query = query.where(LegActualRow.first_utc < until)
    query = query.order_by(LegActualRow.created_at.desc(), LegActualRow.id.desc())
    return [stored(row) for row in session.scalars(query)]


def merge_reports(found: Iterable[StoredReport]) -> list[MergedLeg]:
    """Group reports (newest first) by key and merge each group: the most trusted source
    wins each field, and among equals the newest report (``merge`` keeps the order of equals).
    Legs ordered by their first time, then tail."""
    groups: dict[tuple[str, str, str], list[StoredReport]] = {}
    for report in found:
        groups.setdefault(report.actual.key, []).append(report)
    legs = [MergedLeg(key, merge(r.actual for r in group), group) for key, group in groups.items()]
    return sorted(legs, key=lambda m: (m.leg.placed_utc or datetime.min.replace(tzinfo=UTC), m.key))


def merged_legs(
    session: Session,
    *,
    run_id: int | None = None,
    day: date | None = None,
    tail: str | None = None,
) -> list[MergedLeg]:
    """The merged legs of the stored reports (of one run, UTC date of the first time, tail)."""
    since = _day_start(day) if day else None
    until = since + timedelta(days=1) if since else None
    return merge_reports(reports(session, run_id=run_id, tail=tail, since=since, until=until))


def around_day(session: Session, day: date, margin: timedelta) -> list[MergedLeg]:
    """Merged legs whose first time lies within ``margin`` of UTC date ``day``: what a day
    board matches its planned legs against."""
    return around_days(session, day, day, margin)


def around_days(session: Session, first: date, last: date, margin: timedelta) -> list[MergedLeg]:
    """Merged legs whose first time lies within ``margin`` of UTC dates ``first`` to
    ``last``: what a programme's plan against actual matches its planned legs against."""
    return merge_reports(
        reports(
            session,
            since=_day_start(first) - margin,
            until=_day_start(last) + timedelta(days=1) + margin,
        )
    )


__all__ = [
    "ENTITY",
    "ImportOutcome",
    "MergedLeg",
    "ReportError",
    "StoredReport",
    "add_report",
    "around_day",
    "around_days",
    "content_hash",
    "delete_report",
    "import_reports",
    "merge_reports",
    "merged_legs",
    "reports",
]
