"""ADS-B in: state vectors from receiver and network files, one module per format.

``read(paths, fmt)`` gives one pyarrow Table of state vectors (:mod:`.vectors`: time UTC s,
icao24, lat, lon, altitude_ft, groundspeed_kt, track_deg, on_ground, callsign) whatever
the files hold:

* ``readsb``: readsb/tar1090 ``trace_full_<hex>.json`` traces, plain or gzip
  (:mod:`.readsb_trace`), and ``aircraft.json`` snapshots, several making a time series
  (:mod:`.aircraft_json`);
* ``opensky``: OpenSky state vectors as CSV or Parquet (:mod:`.opensky`);
* ``avr`` and ``beast``: raw Mode S messages, hex text or Beast binary (:mod:`.avr`,
  :mod:`.beast`), decoded by pyModeS.

``auto`` tells them apart by their content (:func:`sniff`). A file that cannot be read is
one :class:`~airlift.errors.FieldError` naming the file and the line or byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import pyarrow as pa

from airlift.errors import FieldError, Where
from airlift.tracking.adsb import aircraft_json, avr, beast, opensky, readsb_trace, vectors
from airlift.tracking.adsb._files import GZIP_MAGIC, bad, gunzip

MAX_FILE_BYTES = 2_000_000_000
"""A larger file is not read whole into memory (split it, or read it as Parquet)."""


class Format(StrEnum):
    AUTO = "auto"
    READSB = "readsb"
    OPENSKY = "opensky"
    BEAST = "beast"
    AVR = "avr"


class Kind(StrEnum):
    """What a file holds, as :func:`sniff` tells it."""

    TRACE = "readsb trace"
    SNAPSHOT = "aircraft.json"
    OPENSKY_CSV = "OpenSky CSV"
    OPENSKY_PARQUET = "OpenSky Parquet"
    BEAST = "Beast binary"
    AVR = "AVR hex"


_OF_FORMAT: dict[Format, tuple[Kind, ...]] = {
    Format.READSB: (Kind.TRACE, Kind.SNAPSHOT),
    Format.OPENSKY: (Kind.OPENSKY_CSV, Kind.OPENSKY_PARQUET),
    Format.BEAST: (Kind.BEAST,),
    Format.AVR: (Kind.AVR,),
}


def sniff(data: bytes, origin: str) -> Kind:
    """The kind of a file from its first bytes: gzip magic (a trace), ``PAR1`` (Parquet),
    0x1a and a frame type (Beast), a JSON object's keys, a CSV header naming ``icao24``,
    hex lines (AVR)."""
    if data[:4] == opensky.PARQUET_MAGIC:
        return Kind.OPENSKY_PARQUET
    if data[:2] == GZIP_MAGIC:
        return sniff(gunzip(data, origin), origin)
    if len(data) >= 2 and data[0] == beast.ESC and data[1] in (*beast.BODY, beast.STATUS):
        return Kind.BEAST
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        start = head[:4096]
        if '"trace"' in start or '"icao"' in start:
            return Kind.TRACE
        if '"aircraft"' in start or '"now"' in start:
            return Kind.SNAPSHOT
        raise bad(origin, "a JSON object with neither trace nor aircraft: not a readsb file")
    first = head.split("\n", 1)[0].lower()
    if "icao24" in first.replace('"', "").split(","):
        return Kind.OPENSKY_CSV
    if avr.looks_like(head):
        return Kind.AVR
    raise bad(
        origin,
        "cannot tell the format (readsb trace or aircraft.json, OpenSky CSV or Parquet, "
        "Beast, AVR): give --format",
    )


def read_one(
    path: Path,
    fmt: Format = Format.AUTO,
    start_utc: datetime | None = None,
    receiver: tuple[float, float] | None = None,
) -> tuple[pa.Table, Kind]:
    """One file's state vectors and what it held."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise bad(origin, f"file is {size / 1e9:.1f} GB: split it (at most 2 GB a file)")
        data = path.read_bytes()
    except OSError as exc:
        raise bad(origin, f"cannot read the file ({exc.strerror or exc})") from None
    return read_bytes(data, origin, fmt, start_utc, receiver)


def read_bytes(
    data: bytes,
    origin: str,
    fmt: Format = Format.AUTO,
    start_utc: datetime | None = None,
    receiver: tuple[float, float] | None = None,
) -> tuple[pa.Table, Kind]:
    """The state vectors of a file's content (an upload) and what it held; ``origin`` names
    it in errors."""
    if not data:
        raise bad(origin, "the file is empty")
    kind = sniff(data, origin)
    if fmt != Format.AUTO and kind not in _OF_FORMAT[fmt]:
        raise bad(origin, f"--format {fmt} given, but the file holds {kind}")
    if kind == Kind.TRACE:
        table = readsb_trace.read(data, origin)
    elif kind == Kind.SNAPSHOT:
        table = aircraft_json.read(data, origin)
    elif kind == Kind.OPENSKY_CSV:
        table = opensky.read_csv(data, origin)
    elif kind == Kind.OPENSKY_PARQUET:
        table = opensky.read_parquet(data, origin)
    elif kind == Kind.BEAST:
        table = beast.read(data, origin, start_utc, receiver)
    else:
        table = avr.read(data, origin, start_utc, receiver)
    return table, kind


def read(
    paths: Iterable[Path],
    fmt: Format = Format.AUTO,
    start_utc: datetime | None = None,
    receiver: tuple[float, float] | None = None,
    now_s: float | None = None,
) -> pa.Table:
    """The state vectors of every file (a folder: every file in it, by name), in one table
    sorted by aircraft and time. A report dated in the future or before 1990 is refused."""
    tables = []
    for path in _expand(paths):
        table, _ = read_one(path, fmt, start_utc, receiver)
        vectors.check_times(table, Where(str(path)), now_s)
        tables.append(table)
    if not tables:
        raise FieldError(None, "no files to read")
    merged = pa.concat_tables(tables)
    return merged.sort_by([("icao24", "ascending"), ("time", "ascending")])


def _expand(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith(".")))
        else:
            out.append(p)
    return out


__all__ = ["Format", "Kind", "read", "read_bytes", "read_one", "sniff", "vectors"]
