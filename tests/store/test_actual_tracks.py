"""Tracks and cruise-only reports in the store (SQLite and PostgreSQL, migration 0008): an
ADS-B report keeps its path; a flight seen in cruise only (no airfield, no time) is stored
under the date it was seen; the same file imported twice adds nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from airlift.airfields import theatre
from airlift.errors import FieldError
from airlift.scheduling.inputs import FleetTail
from airlift.scheduling.readers import demo_dir, read_fleet
from airlift.store import actuals
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import LegActualRow
from airlift.tracking import synthetic
from airlift.tracking.adsb import vectors
from airlift.tracking.checks import check_actual
from airlift.tracking.detect import TRACK_POINTS
from airlift.tracking.model import LegActual, Source
from airlift.tracking.parsers import adsb_reports
from airlift.tracking.report_json import actual_from_json, actual_to_json

OFF = datetime(2023, 10, 27, 7, 5, tzinfo=UTC)


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def _fleet() -> list[FleetTail]:
    return list(read_fleet(demo_dir() / "fleet.csv"))


def _csv() -> bytes:
    """5U-MBD (062a01) Bamako -> Gao from 07:05Z, 2 h; TZ-02C (05c102) seen in cruise only
    on the same route from 07:38Z to 07:58Z."""
    af = theatre()
    t0 = OFF.timestamp()
    mbd = synthetic.programme(
        [synthetic.FlownLeg(af["GABS"], af["GAGO"], t0, t0 + 7200, 22000.0, 1200.0, 1200.0)],
        "062a01",
    )
    cruise = synthetic.fly(
        synthetic.FlownLeg(af["GABS"], af["GAGO"], t0, t0 + 7000, 20000.0, 1200.0, 1200.0), 10.0
    )
    seen = (cruise[0] > t0 + 2000) & (cruise[0] < t0 + 3200)
    tz = vectors.table(cruise[0][seen], "05c102", *[c[seen] for c in cruise[1:]])
    buffer = io.BytesIO()
    pacsv.write_csv(synthetic.opensky_table(pa.concat_tables([mbd, tz])), buffer)
    return buffer.getvalue()


def _count(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return int(s.scalar(select(func.count()).select_from(LegActualRow)) or 0)


def test_an_adsb_file_stores_tracks_and_the_cruise_only_flight_once(
    factory: sessionmaker[Session],
) -> None:
    parsed = adsb_reports(_csv(), "states.csv", _fleet())
    assert parsed.errors == [] and parsed.warnings == []
    by_tail = {a.tail: a for a in parsed.reports}
    mbd, tz = by_tail["5U-MBD"], by_tail["TZ-02C"]
    assert 2 <= len(mbd.track) <= TRACK_POINTS and 2 <= len(tz.track) <= TRACK_POINTS
    with transaction(factory) as s:
        outcome = actuals.import_reports(s, parsed, "planner", source_name="states.csv")
    assert outcome.stored and len(outcome.created) == 2 and outcome.errors == []

    with factory() as s:
        stored = {r.actual.tail: r.actual for r in actuals.reports(s)}
        assert stored["5U-MBD"].track == mbd.track  # lat, lon, ft, epoch s: exactly as read
        assert stored["5U-MBD"].origin == "GABS" and stored["5U-MBD"].destination == "GAGO"
        cruise = stored["TZ-02C"]
        assert cruise.track == tz.track and cruise.seen_in_cruise_only and cruise.partial
        assert (cruise.origin, cruise.destination, cruise.first_utc) == ("", "", None)
        assert cruise.seen_from_utc == tz.seen_from_utc and cruise.seen_until_utc is not None
        assert cruise.seen_track_deg == pytest.approx(tz.seen_track_deg)
        assert cruise.key == ("TZ-02C", "", "2023-10-27")
        # Seen from 07:38Z: placed in the day's filter by its first sighting.
        assert [m.key for m in actuals.merged_legs(s, day=OFF.date(), tail="TZ-02C")] == [
            ("TZ-02C", "", "2023-10-27")
        ]

    with transaction(factory) as s:
        again = actuals.import_reports(s, parsed, "planner", source_name="states.csv")
    assert again.created == [] and again.duplicates == 2
    assert _count(factory) == 2


def test_a_track_and_seen_times_round_trip_through_json(factory: sessionmaker[Session]) -> None:
    parsed = adsb_reports(_csv(), "states.csv", _fleet())
    for actual in parsed.reports:
        back = actual_from_json(actual_to_json(actual))
        assert back == actual  # every field, track points included
    # The track is not hashed: the same report without its points is the same report.
    mbd = next(a for a in parsed.reports if a.tail == "5U-MBD")
    bare = LegActual(
        tail=mbd.tail,
        origin=mbd.origin,
        destination=mbd.destination,
        source=Source.ADSB,
        off_utc=mbd.off_utc,
        on_utc=mbd.on_utc,
        remarks=mbd.remarks,
        partial=mbd.partial,
        reported_by=mbd.reported_by,
    )
    assert actuals.content_hash(bare) == actuals.content_hash(mbd)
    # Two cruise-only flights of one tail differ only in their seen times: two reports.
    tz = next(a for a in parsed.reports if a.tail == "TZ-02C")
    later = actual_from_json({**actual_to_json(tz), "seen_from_utc": "2023-10-27T12:00Z",
                              "seen_until_utc": "2023-10-27T12:20Z"})  # fmt: skip
    assert actuals.content_hash(later) != actuals.content_hash(tz)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # Not partial: an airfield and a time are required, seen times or not.
        ({"partial": False}, "origin"),
        ({"partial": False, "origin": "GABS", "destination": "GAGO"}, "off_utc"),
        # Partial but neither a time nor the seen times.
        ({"seen_from_utc": None, "seen_until_utc": None}, "off_utc"),
        # Seen until before seen from.
        ({"seen_until_utc": "2023-10-27T07:00Z"}, "seen_until_utc"),
        # A track point off the Earth, or going back in time.
        ({"track": [[95.0, 1.0, None, 1698390000.0], [15.0, 1.0, None, 1698390060.0]]}, "track"),
        ({"track": [[15.0, 1.0, 9000, 1698390060.0], [15.1, 1.1, 9000, 1698390000.0]]}, "track"),
        ({"track": [[15.0, 1.0, "high", 1698390060.0]]}, "track"),
    ],
)
def test_cruise_only_reports_that_cannot_be_right_are_refused(
    change: dict[str, object], field: str
) -> None:
    cruise = {
        "tail": "TZ-02C",
        "origin": "",
        "destination": "",
        "source": "adsb",
        "partial": True,
        "seen_from_utc": "2023-10-27T07:38Z",
        "seen_until_utc": "2023-10-27T07:58Z",
        "seen_track_deg": 75.0,
    }
    assert check_actual(actual_from_json(cruise)).seen_in_cruise_only
    with pytest.raises(FieldError) as exc:
        actual_from_json({**cruise, **change})
    assert exc.value.field == field
