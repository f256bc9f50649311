"""Per-row errors of the CSV and MVT readers: every good report of a file read, one error
per bad row or message (its line and field), so an import with ``good_rows_only`` stores
the good ones and one without stores nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from airlift.errors import FieldError
from airlift.store import actuals
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import LegActualRow
from airlift.tracking.mvt import mvt_from_text, parse_mvt
from airlift.tracking.parsers import Parsed, read_file
from airlift.tracking.reports import parse_reports, reports_from_text

NOW = datetime(2023, 11, 3, tzinfo=UTC)
OCT = date(2023, 10, 1)
CSV = """tail,origin,destination,off_utc,on_utc
5U-MBD,GABS,GAGO,2023-10-27T06:45Z,2023-10-27T08:40Z
TZ-03C,GAGO,DRRN,2023-10-27T09:15Z,2023-10-27T09:00Z
5U-MBE,GABS,GAGO,2023-10-27T07:45Z,2023-10-27T09:40Z
5U-MBF,GABS,GAGO,2023-10-27T08:45Z,not a time
5U-MBG,GABS,GAGO,2023-10-27T09:45Z,2023-10-27T11:40Z
"""
"""Lines 2, 4 and 6 good; line 3 lands before it takes off, line 5's on_utc is no time."""

MVT = """MVT
5U-MBD/27.GABS
AD0623/0635 EA0848 GAGO
MVT
TZ-03C/27.GAGO
AD2599/0635
MVT
5U-MBE/27.GABS
AD0723/0735 EA0948 GAGO
"""
"""Three departures of three aircraft; message 2's hour 25 is no hour."""


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def _stored(factory: sessionmaker[Session]) -> list[str]:
    with factory() as s:
        return sorted(s.scalars(select(LegActualRow.tail)))


def _import_twice(
    factory: sessionmaker[Session], parsed: Parsed
) -> tuple[list[tuple[int, str]], list[str], list[str]]:
    """(row, field) of each error, the tails stored without and then with good_rows_only."""
    with transaction(factory) as s:
        outcome = actuals.import_reports(s, parsed, "ops1", now=NOW)
    assert not outcome.stored
    errors = [(e.row, e.field) for e in outcome.errors]
    before = _stored(factory)
    with transaction(factory) as s:
        partial = actuals.import_reports(s, parsed, "ops1", good_rows_only=True, now=NOW)
    assert partial.stored
    return errors, before, _stored(factory)


def test_a_csv_with_bad_rows_stores_nothing_unless_good_rows_only(
    factory: sessionmaker[Session],
) -> None:
    fmt, parsed = read_file(CSV.encode(), "reports.csv")
    assert fmt == "csv"
    errors, before, after = _import_twice(factory, parsed)
    assert errors == [(3, "on_utc"), (5, "on_utc")]
    assert before == []
    assert after == ["5U-MBD", "5U-MBE", "5U-MBG"]


def test_an_mvt_file_with_a_bad_message_stores_nothing_unless_good_rows_only(
    factory: sessionmaker[Session],
) -> None:
    errors, before, after = _import_twice(factory, parse_mvt(MVT, "ops.mvt", OCT, NOW))
    assert errors == [(6, "AD")]  # message 2, its line 3 (line 6 of the file)
    assert before == []
    assert after == ["5U-MBD", "5U-MBE"]
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(LegActualRow)) == 2


def test_the_strict_readers_still_raise_the_first_error() -> None:
    with pytest.raises(FieldError, match=r"a.csv line 3 \(TZ-03C\): on_utc .* before off_utc"):
        reports_from_text(CSV, "a.csv", NOW)
    with pytest.raises(FieldError, match=r"ops.mvt line 6 \(message 2\): AD2599/0635: hour 25"):
        mvt_from_text(MVT, "ops.mvt", OCT, NOW)


def test_a_duplicate_refuses_both_rows_each_error_naming_both_lines() -> None:
    lines = CSV.splitlines()
    text = "\n".join([lines[0], lines[1], lines[3], lines[1].replace("06:45", "06:50")]) + "\n"
    parsed = parse_reports(text, "a.csv", NOW)
    assert [leg.tail for leg in parsed.reports] == ["5U-MBE"]
    assert [(e.where.row, e.field) for e in parsed.errors] == [(4, "tail"), (2, "tail")]
    assert all("reported on line 2 and line 4" in e.reason for e in parsed.errors)


def test_a_bad_message_refuses_its_aircrafts_unpaired_messages() -> None:
    """Without its bad arrival, 5U-MBD's departure would read as a leg still in the air."""
    bad_arrival = "MVT\nXY123/27.5UMBD.GAGO\nAA0899/0851\n"
    parsed = parse_mvt(MVT.replace("AD2599", "AD0559") + bad_arrival, "ops.mvt", OCT, NOW)
    assert sorted(leg.tail for leg in parsed.reports) == ["5U-MBE", "TZ-03C"]
    assert [(str(e.where), e.field) for e in parsed.errors] == [
        ("ops.mvt line 12 (message 4)", "AA"),
        ("ops.mvt line 1 (message 1, 5U-MBD)", "AD"),
    ]
    assert "message 4 has an error" in parsed.errors[1].reason


def test_a_file_that_cannot_be_read_at_all_is_one_error() -> None:
    _, empty = read_file(b"", "reports.csv")
    _, none = read_file(b"QU BKOKOXH\n", "ops.mvt")
    _, binary = read_file(b"\xff\xfe\x00", "reports.csv")
    assert [len(p.errors) for p in (empty, none, binary)] == [1, 1, 1]
    assert not (empty.reports or none.reports or binary.reports)
    with pytest.raises(FieldError, match="no MVT message"):
        parse_mvt("\n\n", "ops.mvt", OCT, NOW)
