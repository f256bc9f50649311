"""The ADS-B readers: real Mode S messages, every file format sniffed, bad files refused in
one line naming the file and the line or byte."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from circuit import Flown

from airlift.errors import FieldError
from airlift.tracking import adsb, synthetic
from airlift.tracking.adsb import Format, Kind, beast, vectors

# Real messages from "The 1090 MHz Riddle" (Junzi Sun, TU Delft, 2021), also in pyModeS's
# own tests: an even/odd airborne position pair of 40621D (FL380, 52.2572 N 3.9194 E),
# the identification of 4840D6 (KLM1023) and an airborne velocity of 485020 (159 kt).
EVEN = "8D40621D58C382D690C8AC2863A7"  # received at 1457996402
ODD = "8D40621D58C386435CC412692AD6"  # received at 1457996400
IDENT = "8D4840D6202CC371C32CE0576098"
VELOCITY = "8D485020994409940838175B284F"
RIDDLE_T = 1457996400.0
NOW = datetime(2024, 1, 1, tzinfo=UTC).timestamp()


def _check_riddle_position(table: pa.Table) -> None:
    rows = table.to_pylist()
    assert rows and all(r["icao24"] == "40621d" for r in rows)
    assert rows[0]["lat"] == pytest.approx(52.2572, abs=1e-4)
    assert rows[0]["lon"] == pytest.approx(3.9194, abs=1e-4)
    assert rows[0]["altitude_ft"] == 38000 and rows[0]["on_ground"] is False


def test_avr_with_times_decodes_the_riddles_position(tmp_path: Path) -> None:
    path = tmp_path / "riddle.txt"
    path.write_text(
        f"# timestamp,hex as pyModeS reads them\n{RIDDLE_T},{ODD}\n{RIDDLE_T + 2} *{EVEN};\n"
        f"{RIDDLE_T + 3},{IDENT}\n{RIDDLE_T + 4},*{VELOCITY};\n"
    )
    assert adsb.sniff(path.read_bytes(), "riddle.txt") is Kind.AVR
    _check_riddle_position(adsb.read([path], now_s=NOW))


def test_plain_avr_needs_a_start_time(tmp_path: Path) -> None:
    path = tmp_path / "plain.avr"
    path.write_text(f"*{ODD};\n*{EVEN};\n")
    with pytest.raises(FieldError, match=r"plain.avr line 1: AVR lines carry no date"):
        adsb.read([path], now_s=NOW)
    start = datetime.fromtimestamp(RIDDLE_T, UTC)
    _check_riddle_position(adsb.read([path], Format.AVR, start_utc=start, now_s=NOW))


def _beast_frame(kind: bytes, ticks: int, message: str) -> bytes:
    body = ticks.to_bytes(6, "big") + b"\x50" + bytes.fromhex(message)
    return b"\x1a" + kind + body.replace(b"\x1a", b"\x1a\x1a")


def test_beast_frames_decode_with_escapes(tmp_path: Path) -> None:
    # Framing (not encoding): real messages wrapped in Beast frames; 0x1a ticks test the escape.
    data = (
        _beast_frame(b"3", 0x1A1A, ODD)
        + _beast_frame(b"1", 0x1A1A + 6_000_000, "1234")  # Mode A/C: skipped
        + _beast_frame(b"3", 0x1A1A + 24_000_000, EVEN)  # 2 s later at 12 MHz
        + _beast_frame(b"3", 0x1A1A + 36_000_000, IDENT)
    )
    path = tmp_path / "capture.bin"
    path.write_bytes(data)
    assert adsb.sniff(data, "capture.bin") is Kind.BEAST
    frames = beast.frames(data, "capture.bin")
    assert [m for _, m in frames] == [ODD, EVEN, IDENT] and frames[0][0] == 0x1A1A
    table = adsb.read([path], start_utc=datetime.fromtimestamp(RIDDLE_T, UTC), now_s=NOW)
    _check_riddle_position(table)
    assert vectors.column(table, "time")[-1] == pytest.approx(RIDDLE_T + 2)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # cut inside the second frame
        (_beast_frame(b"3", 1, ODD) + _beast_frame(b"3", 2, EVEN)[:10],
         "byte 23: the file ends inside a Beast frame"),
        # an unknown frame type
        (_beast_frame(b"3", 1, ODD) + b"\x1a\x39" + bytes(20),
         "byte 24: unknown Beast frame type 0x39"),
        # a frame cut short by the next marker
        (_beast_frame(b"3", 1, ODD)[:12] + _beast_frame(b"3", 2, EVEN),
         "byte 0: a Beast frame is cut short"),
    ],
)  # fmt: skip
def test_a_corrupt_beast_file_names_the_byte(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "bad.bin"
    path.write_bytes(data)
    with pytest.raises(FieldError) as info:
        adsb.read([path], start_utc=datetime.fromtimestamp(RIDDLE_T, UTC), now_s=NOW)
    assert str(info.value) == f"{path} {expected}" or expected in str(info.value)
    assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("kind", "write"),
    [
        (Kind.TRACE, lambda t, d: synthetic.write_readsb_traces(t, d)),
        (Kind.TRACE, lambda t, d: synthetic.write_readsb_traces(t, d, gzipped=True)),
        (Kind.SNAPSHOT, lambda t, d: synthetic.write_aircraft_json(t, d)),
        (Kind.OPENSKY_CSV, lambda t, d: [synthetic.write_opensky_csv(t, d / "s.csv")]),
        (Kind.OPENSKY_PARQUET, lambda t, d: [synthetic.write_opensky_parquet(t, d / "s.pq")]),
    ],
)
def test_every_format_is_sniffed_and_read_back(
    flown: Flown, tmp_path: Path, kind: Kind, write: object
) -> None:
    paths = write(flown.table, tmp_path)  # type: ignore[operator]
    assert {adsb.sniff(p.read_bytes(), p.name) for p in paths} == {kind}
    table = adsb.read(paths)
    assert table.schema == vectors.SCHEMA
    assert set(table.column("icao24").to_pylist()) == set(flown.table.column("icao24").to_pylist())
    if kind is not Kind.SNAPSHOT:  # snapshots keep one report per aircraft and interval
        assert table.num_rows == flown.table.num_rows
    ground = vectors.on_ground(table)
    assert ((ground == 1) | (ground == 0)).all()


def _trace(tmp_path: Path, points: object, name: str = "trace_full_062a01.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"icao": "062a01", "timestamp": 1698645600, "trace": points}))
    return path


def test_a_truncated_or_corrupt_file_names_the_file_and_place(flown: Flown, tmp_path: Path) -> None:
    (trace,) = synthetic.write_readsb_traces(flown.table.slice(0, 50), tmp_path, gzipped=True)
    data = trace.read_bytes()
    trace.write_bytes(data[: len(data) // 2])
    with pytest.raises(FieldError, match=r"trace_full_062a01.json: gzip data is truncated"):
        adsb.read([trace])
    plain = _trace(tmp_path, [[0, 16.5, -8.0, 1200, 10, 90, 0]], "plain.json")
    plain.write_text(plain.read_text()[:-20])
    with pytest.raises(FieldError, match=r"plain.json line 1: not valid JSON .*truncated"):
        adsb.read([plain])
    parquet = synthetic.write_opensky_parquet(flown.table, tmp_path / "s.parquet")
    parquet.write_bytes(parquet.read_bytes()[:-100])
    with pytest.raises(FieldError, match=r"s.parquet byte \d+: Parquet file is truncated"):
        adsb.read([parquet])
    csv = tmp_path / "s.csv"
    csv.write_text("time,icao24,latitude\n1698645600,062a01,16.5\n")
    with pytest.raises(FieldError, match=r"s.csv: no lon or longitude column"):
        adsb.read([csv])
    bad_point = _trace(tmp_path, [[0, 16.5, -8.0, 1200, 10, 90, 0], [5, 16.5]], "short.json")
    with pytest.raises(FieldError, match=r"short.json point 2: a trace point must be a list"):
        adsb.read([bad_point])
    avr = tmp_path / "x.avr"
    avr.write_text(f"{RIDDLE_T},{ODD}\n{RIDDLE_T},8D40621D58C382D6\n")
    with pytest.raises(FieldError, match=r"x.avr line 2: a Mode S message has 14 or 28 hex"):
        adsb.read([avr], now_s=NOW)
    unknown = tmp_path / "notes.txt"
    unknown.write_text("hello\n")
    with pytest.raises(FieldError, match=r"notes.txt: cannot tell the format .*--format"):
        adsb.read([unknown])


def test_a_date_in_the_future_is_refused(tmp_path: Path) -> None:
    path = _trace(tmp_path, [[0, 16.5, -8.0, "ground", 5, 90, 0]])
    with pytest.raises(FieldError, match=r"time 2023-10-30T06:00:00Z is in the future") as info:
        adsb.read([path], now_s=datetime(2023, 10, 29, tzinfo=UTC).timestamp())
    assert info.value.field == "time"
    assert len(adsb.read([path])) == 1  # today it is in the past


def test_a_format_that_disagrees_with_the_content_is_refused(tmp_path: Path) -> None:
    path = _trace(tmp_path, [[0, 16.5, -8.0, "ground", 5, 90, 0]])
    with pytest.raises(
        FieldError, match=r"--format opensky given, but the file holds readsb trace"
    ):
        adsb.read([path], Format.OPENSKY)


def test_a_readsb_trace_reads_ground_altitude_and_callsign(tmp_path: Path) -> None:
    points = [
        [0, 16.5, -8.0, "ground", 5.0, 90.0, 0, None, {"flight": "NGR101  "}],
        [10, 16.51, -7.99, 1800, 130.0, 91.0, 0, 900],
        [20, 16.52, -7.98, None, 140.0, 91.0, 1, 900],  # stale: a repeat, dropped
    ]
    rows = adsb.read([_trace(tmp_path, points)]).to_pylist()
    assert [(r["time"], r["altitude_ft"], r["on_ground"], r["callsign"]) for r in rows] == [
        (1698645600.0, None, True, "NGR101"),
        (1698645610.0, 1800.0, False, None),
    ]
    with gzip.open(tmp_path / "g.json", "wt") as f:
        json.dump({"icao": "062A01", "timestamp": 1698645600, "trace": points}, f)
    assert adsb.read([tmp_path / "g.json"]).num_rows == 2
