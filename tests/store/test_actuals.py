"""Leg reports in the store (SQLite and PostgreSQL): every report kept, merged per leg,
a re-import adds nothing, a bad file writes nothing, every write audited and counted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from airlift.errors import Conflict, FieldError, NotFound
from airlift.store import actuals, revisions
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import AuditEntry, LegActualRow, LoginAttempt
from airlift.store.rows import flush
from airlift.tracking.model import LegActual, Source
from airlift.tracking.parsers import Parsed
from airlift.tracking.report_json import read_json_reports

CREW: dict[str, Any] = {
    "tail": "5u-mbd",  # stored upper case
    "origin": "BKO",  # IATA: stored as GABS
    "destination": "GAGO",
    "out_utc": "2023-10-27T06:20Z",
    "off_utc": "2023-10-27T06:31Z",
    "fuel_out_kg": 14200,
    "loads": [{"request_ref": "R002", "cargo_kg": 1800, "pax": 120}],
    "reported_by": "Capt. Issoufou",
}
"""The crew's report: OUT and OFF, fuel, what was on board."""
ADSB: dict[str, Any] = {
    "tail": "5U-MBD",
    "origin": "GABS",
    "destination": "GAGO",
    "source": "adsb",
    "off_utc": "2023-10-27T06:33Z",  # the crew's 06:31 is trusted more
    "on_utc": "2023-10-27T08:41Z",  # only ADS-B saw the landing
    "partial": True,
    "reported_by": "receiver GAGO-1",
}
OTHER_LEG: dict[str, Any] = {
    "tail": "TZ-03C",
    "origin": "GAGO",
    "destination": "DRRN",
    "off_utc": "2023-10-28T09:15Z",
}


def _file(*reports: Any, name: str = "reports.json") -> Parsed:
    return read_json_reports(json.dumps(list(reports)).encode(), name)


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def _count(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return int(s.scalar(select(func.count()).select_from(LegActualRow)) or 0)


def test_every_report_is_kept_and_the_leg_merged_by_trust(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        outcome = actuals.import_reports(s, _file(CREW, ADSB, OTHER_LEG), "ops1")
    assert outcome.stored and len(outcome.created) == 3 and outcome.duplicates == 0
    with factory() as s:
        legs = actuals.merged_legs(s)
    assert [m.key for m in legs] == [
        ("5U-MBD", "GABS", "2023-10-27"),
        ("TZ-03C", "GAGO", "2023-10-28"),
    ]
    leg = legs[0]
    assert [r.actual.source for r in leg.reports] == [Source.ADSB, Source.CREW]  # newest first
    assert leg.leg.off_utc == datetime(2023, 10, 27, 6, 31, tzinfo=UTC)  # crew over ADS-B
    assert leg.leg.on_utc == datetime(2023, 10, 27, 8, 41, tzinfo=UTC)  # ADS-B fills the gap
    assert leg.leg.fuel_out_kg == 14200
    assert leg.leg.loads[0].pax == 120
    assert not leg.leg.partial  # the crew saw the whole leg
    report = next(r for r in leg.reports if r.actual.source == Source.CREW)
    assert report.created_by == "ops1"
    assert report.received_from == "reports.json item 1"
    assert report.actual.reported_by == "Capt. Issoufou"


def test_the_same_reports_imported_again_add_nothing(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        actuals.import_reports(s, _file(CREW, ADSB), "ops1")
    # Another file name, another user, the reports in another order, one twice: same content.
    with transaction(factory) as s:
        again = actuals.import_reports(s, _file(ADSB, CREW, CREW, name="copy.json"), "ops2")
    assert again.created == [] and again.duplicates == 3
    assert _count(factory) == 2
    # A corrected report is a new report, and (same source, newer) wins.
    corrected = {**CREW, "off_utc": "2023-10-27T06:29Z"}
    with transaction(factory) as s:
        fixed = actuals.import_reports(s, _file(corrected), "ops1")
    assert len(fixed.created) == 1 and _count(factory) == 3
    with factory() as s:
        (leg,) = actuals.merged_legs(s)
    assert leg.leg.off_utc == datetime(2023, 10, 27, 6, 29, tzinfo=UTC)
    assert len(leg.reports) == 3


def test_a_bad_report_stores_nothing_unless_good_rows_only(
    factory: sessionmaker[Session],
) -> None:
    landing_first = {**OTHER_LEG, "on_utc": "2023-10-28T09:00Z"}  # before its OFF 09:15
    parsed = _file(CREW, landing_first, {**ADSB, "off_utc": "9999-10-27T06:33Z"})
    with transaction(factory) as s:
        outcome = actuals.import_reports(s, parsed, "ops1")
    assert not outcome.stored and outcome.created == []
    assert [(e.row, e.field) for e in outcome.errors] == [(2, "on_utc"), (3, "off_utc")]
    assert "before off_utc" in outcome.errors[0].reason
    assert _count(factory) == 0
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
    with transaction(factory) as s:
        partial = actuals.import_reports(s, parsed, "ops1", good_rows_only=True)
    assert partial.stored and len(partial.created) == 1 and len(partial.errors) == 2
    assert _count(factory) == 1


def test_a_failure_after_the_rows_are_added_rolls_everything_back(
    factory: sessionmaker[Session],
) -> None:
    """Half-written never: the import's rows go with the transaction they were added in."""
    with pytest.raises(RuntimeError), transaction(factory) as s:
        actuals.import_reports(s, _file(CREW, ADSB), "ops1")
        s.add(LoginAttempt(username="x", client="y", success=False))
        raise RuntimeError("the disk filled up")
    assert _count(factory) == 0


def test_a_race_between_two_imports_of_one_report_is_a_conflict(
    factory: sessionmaker[Session],
) -> None:
    """The unique content hash, not only the look-up before the insert, keeps one copy."""
    with transaction(factory) as s:
        actuals.import_reports(s, _file(CREW), "ops1")
    with factory() as s, s.begin():
        row = s.scalars(select(LegActualRow)).one()
        twin = LegActualRow(
            **{c: getattr(row, c) for c in ("content_hash", "tail", "origin", "destination")},
            source="crew",
            first_utc=row.first_utc,
            loads=[],
            remarks="",
            partial=False,
            reported_by="",
            received_from="",
            created_by="racer",
        )
        s.add(twin)
        with pytest.raises(Conflict):
            flush(s, "leg reports")


def test_single_reports_delete_and_audit(factory: sessionmaker[Session]) -> None:
    crew = read_json_reports(json.dumps([CREW]).encode(), "x").reports[0]
    with transaction(factory) as s:
        first, new = actuals.add_report(s, crew, "ops1")
    assert new
    with transaction(factory) as s:
        again, new = actuals.add_report(s, crew, "ops2")
    assert not new and again.id == first.id and again.created_by == "ops1"
    with transaction(factory) as s:
        actuals.delete_report(s, first.id, "admin1")
    assert _count(factory) == 0
    with pytest.raises(NotFound), transaction(factory) as s:
        actuals.delete_report(s, first.id, "admin1")
    with factory() as s:
        log = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.action, e.entity, e.username) for e in log] == [
        ("create", "leg_actuals", "ops1"),
        ("delete", "leg_actuals", "admin1"),
    ]
    assert log[1].detail["fields"]["off_utc"] == "2023-10-27T06:31:00Z"


def test_a_report_names_an_existing_run_and_bad_values_their_field(
    factory: sessionmaker[Session],
) -> None:
    crew = read_json_reports(json.dumps([CREW]).encode(), "x").reports[0]
    with pytest.raises(FieldError) as exc, transaction(factory) as s:
        actuals.add_report(s, crew, "ops1", run_id=4711)
    assert exc.value.field == "run_id"
    future = LegActual(
        "5U-MBD", "GABS", "GAGO", Source.CREW, off_utc=datetime(2099, 1, 1, tzinfo=UTC)
    )
    with pytest.raises(FieldError) as exc, transaction(factory) as s:
        actuals.add_report(s, future, "ops1")
    assert exc.value.field == "off_utc" and "future" in exc.value.reason
    assert _count(factory) == 0


def test_filters_by_day_tail_and_run(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        actuals.import_reports(s, _file(CREW, ADSB, OTHER_LEG), "ops1")
    with factory() as s:
        assert [m.key[0] for m in actuals.merged_legs(s, day=date(2023, 10, 28))] == ["TZ-03C"]
        assert [m.key[0] for m in actuals.merged_legs(s, tail="5u-mbd")] == ["5U-MBD"]
        assert actuals.merged_legs(s, day=date(2023, 10, 29)) == []


def test_reports_bump_the_change_counter(factory: sessionmaker[Session]) -> None:
    """Migration 0006 gave the table 0002's triggers: the read cache sees every change."""
    with factory() as s:
        before = revisions.read(s.connection())["leg_actuals"]
    with transaction(factory) as s:
        actuals.import_reports(s, _file(CREW), "ops1")
    with factory() as s:
        assert revisions.read(s.connection())["leg_actuals"] > before
