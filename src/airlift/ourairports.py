"""OurAirports ``airports.csv`` and ``runways.csv`` (public domain) imported into the local
SQLite cache that :func:`airlift.airfields.lookup` and the alternates search read: from a
folder or a base URL, written to a temporary file and moved into place only when complete,
so a failed import leaves the previous cache untouched. Rows with non-finite numbers are
skipped and counted (:class:`ImportSummary`)."""

from __future__ import annotations

import math
import os
import sqlite3
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from airlift.airfields import cache_path, forget_cache
from airlift.errors import DataFileError, FieldError
from airlift.formats import csv_rows

_AIRPORT_COLS = ("id", "ident", "name", "latitude_deg", "longitude_deg", "elevation_ft")
_RUNWAY_COLS = ("airport_ref", "length_ft", "width_ft", "surface", "lighted", "closed", "le_ident")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    airports: int
    runways: int
    path: Path
    skipped: tuple[str, ...] = ()
    """Rows left out, one line each (``airports.csv line 12: latitude_deg is nan``)."""

    def describe(self) -> str:
        """One line for the user: what was imported and how many rows were skipped."""
        text = f"imported {self.airports:,} airports and {self.runways:,} runways into {self.path}"
        if self.skipped:
            text += f"; skipped {len(self.skipped):,} rows with unusable numbers"
            text += f" (first: {self.skipped[0]})"
        return text


class _SkipRow(Exception):
    """A row whose numbers cannot be used (non-finite, off the globe): left out, counted."""


def _read_source(source: str, name: str) -> str:
    if source.startswith(("http://", "https://")):
        url = source.rstrip("/") + "/" + name
        try:
            with urllib.request.urlopen(url, timeout=60) as resp:
                data: bytes = resp.read()
        except OSError as exc:
            raise DataFileError(f"{url}: download failed ({exc})") from None
    else:
        path = Path(source) / name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataFileError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(f"{source}/{name}: not UTF-8 text, not an OurAirports CSV") from None


def _rows(
    text: str, origin: str, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        lines = list(csv_rows(text, origin))
    except FieldError as exc:
        raise DataFileError(str(exc)) from None
    header = lines[0][1] if lines else []
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFileError(f"{origin}: not an OurAirports file, missing column {missing[0]!r}")
    for line_no, cells in lines[1:]:
        if len(cells) != len(header):
            raise DataFileError(f"{origin} line {line_no}: wrong number of fields")
        yield line_no, dict(zip(header, cells, strict=True))


def _int(row: dict[str, str], col: str, origin: str, line: int) -> int:
    try:
        return int(row[col])
    except ValueError:
        raise DataFileError(
            f"{origin} line {line}: {col} is not an integer: {row[col]!r}"
        ) from None


def _num(row: dict[str, str], col: str, origin: str, line: int) -> float | None:
    value = row[col].strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise DataFileError(f"{origin} line {line}: {col} is not a number: {value!r}") from None
    if not math.isfinite(number):
        raise _SkipRow(f"{origin} line {line}: {col} is {value}")
    # OurAirports marks some unknown widths as -1: treat non-positive sizes as unknown.
    return number if number > 0 or col.startswith(("latitude", "longitude", "elev")) else None


def import_ourairports(source: str, target: Path | None = None) -> ImportSummary:
    """Import OurAirports ``airports.csv`` + ``runways.csv`` from a folder or a base URL.

    The cache is written to a temporary file and moved into place only when complete, so a
    failed import leaves the previous cache untouched.
    """
    target = target or cache_path()
    airports_text = _read_source(source, "airports.csv")
    runways_text = _read_source(source, "runways.csv")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".ourairports-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        n_air, n_rwy, skipped = _write_cache(tmp, source, airports_text, runways_text)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    forget_cache()
    return ImportSummary(n_air, n_rwy, target, tuple(skipped))


def _write_cache(
    path: Path, source: str, airports_text: str, runways_text: str
) -> tuple[int, int, list[str]]:
    con = sqlite3.connect(path)
    try:
        con.executescript(
            """
            CREATE TABLE airport (id INTEGER PRIMARY KEY, ident TEXT, icao TEXT, gps TEXT,
                iata TEXT, name TEXT, city TEXT, country TEXT, lat REAL, lon REAL, elev_ft REAL);
            CREATE TABLE runway (airport_id INTEGER, ident TEXT, length_ft REAL, width_ft REAL,
                surface TEXT, lighted INTEGER, closed INTEGER, row_id TEXT);
            CREATE TABLE airport_class (airport_id INTEGER PRIMARY KEY, type TEXT,
                scheduled INTEGER);
            """
        )
        origin = f"{source}/airports.csv"
        airports, classes, skipped = [], [], []
        for line, r in _rows(airports_text, origin, _AIRPORT_COLS):
            try:
                lat = _num(r, "latitude_deg", origin, line)
                lon = _num(r, "longitude_deg", origin, line)
                elevation = _num(r, "elevation_ft", origin, line)
                if lat is not None and lon is not None and (abs(lat) > 90 or abs(lon) > 180):
                    raise _SkipRow(f"{origin} line {line}: position {lat}, {lon} is off the globe")
            except _SkipRow as skip:
                skipped.append(str(skip))
                continue
            if lat is None or lon is None:
                raise DataFileError(f"{origin} line {line}: missing latitude_deg/longitude_deg")
            airports.append(
                (
                    _int(r, "id", origin, line),
                    r["ident"].upper(),
                    r.get("icao_code", "").upper(),
                    r.get("gps_code", "").upper(),
                    r.get("iata_code", "").upper(),
                    r["name"],
                    r.get("municipality", ""),
                    r.get("iso_country", ""),
                    lat,
                    lon,
                    elevation,
                )
            )
            # Type and scheduled service: the alternate search's closure and fuel proxy.
            scheduled = {"yes": 1, "no": 0}.get(r.get("scheduled_service", ""))
            classes.append((airports[-1][0], r.get("type", ""), scheduled))
        con.executemany("INSERT INTO airport VALUES (?,?,?,?,?,?,?,?,?,?,?)", airports)
        con.executemany("INSERT INTO airport_class VALUES (?,?,?)", classes)
        origin = f"{source}/runways.csv"
        runways = []
        for line, r in _rows(runways_text, origin, _RUNWAY_COLS):
            ident = "/".join(x for x in (r["le_ident"], r.get("he_ident", "")) if x)
            try:
                length = _num(r, "length_ft", origin, line)
                width = _num(r, "width_ft", origin, line)
            except _SkipRow as skip:
                skipped.append(str(skip))
                continue
            runways.append(
                (
                    _int(r, "airport_ref", origin, line),
                    ident,
                    length,
                    width,
                    r["surface"] or "UNK",
                    r["lighted"] == "1",
                    r["closed"] == "1",
                    r.get("id", ""),
                )
            )
        con.executemany("INSERT INTO runway VALUES (?,?,?,?,?,?,?,?)", runways)
        con.executescript(
            """
            CREATE INDEX airport_ident ON airport(ident);
            CREATE INDEX airport_icao ON airport(icao);
            CREATE INDEX airport_gps ON airport(gps);
            CREATE INDEX airport_iata ON airport(iata);
            CREATE INDEX runway_airport ON runway(airport_id);
            CREATE INDEX airport_pos ON airport(lat, lon);
            """
        )
        con.commit()
        return len(airports), len(runways), skipped
    finally:
        con.close()
