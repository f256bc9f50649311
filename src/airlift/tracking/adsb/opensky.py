"""OpenSky Network state vectors as CSV or Parquet.

Two spellings are read:

* the OpenSky historical database's (``state_vectors_data4``, as pyopensky returns it):
  ``time`` (s since 1970), ``icao24``, ``lat``, ``lon``, ``velocity`` (m/s over ground),
  ``heading`` (true track, deg), ``vertrate`` (m/s), ``callsign``, ``onground``,
  ``baroaltitude`` and ``geoaltitude`` (m), ``lastposupdate``, ``lastcontact``, ``hour``;
* traffic's (``Traffic.to_parquet``): ``timestamp``, ``icao24``, ``latitude``,
  ``longitude``, ``altitude`` (ft), ``groundspeed`` (kt), ``track`` (deg), ``onground``,
  ``callsign``.

OpenSky samples every 10 s and repeats the last position until a new one arrives; a row
whose ``lastposupdate`` equals the previous row's (same aircraft) is such a repeat and is
dropped, so a gap in coverage stays a gap.
"""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from airlift.tracking.adsb import vectors
from airlift.tracking.adsb._files import bad
from airlift.units import M_PER_FT, M_PER_NM

PARQUET_MAGIC = b"PAR1"
FT_PER_M = 1.0 / M_PER_FT
KT_PER_MPS = 3600.0 / M_PER_NM

# column -> (names in the OpenSky database, factor to our unit), (names in traffic, factor)
_SPELLINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "time": (("time", 1.0), ("timestamp", 1.0)),
    "lat": (("lat", 1.0), ("latitude", 1.0)),
    "lon": (("lon", 1.0), ("longitude", 1.0)),
    "altitude_ft": (("baroaltitude", FT_PER_M), ("altitude", 1.0)),
    "groundspeed_kt": (("velocity", KT_PER_MPS), ("groundspeed", 1.0)),
    "track_deg": (("heading", 1.0), ("track", 1.0)),
}
REQUIRED = ("time", "icao24", "lat", "lon")


def read_csv(data: bytes, origin: str) -> pa.Table:
    try:
        raw = pacsv.read_csv(
            io.BytesIO(data),
            convert_options=pacsv.ConvertOptions(
                column_types={"icao24": pa.string(), "callsign": pa.string()},
                true_values=["true", "True", "TRUE", "1", "t"],
                false_values=["false", "False", "FALSE", "0", "f"],
                strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise bad(origin, f"not a readable CSV file ({_arrow_line(exc)})") from None
    return _vectors(raw, origin)


def read_parquet(data: bytes, origin: str) -> pa.Table:
    if data[:4] != PARQUET_MAGIC or data[-4:] != PARQUET_MAGIC:
        reason = f"Parquet file is truncated or corrupt ({len(data):,} bytes, no PAR1 footer)"
        raise bad(origin, reason, len(data), "byte")
    try:
        raw = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as exc:
        raise bad(origin, f"Parquet file is corrupt ({_arrow_line(exc)})") from None
    return _vectors(raw, origin)


def _arrow_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def _pick(raw: pa.Table, name: str) -> tuple[str, float] | None:
    for column, factor in _SPELLINGS.get(name, ((name, 1.0),)):
        if column in raw.column_names:
            return column, factor
    return None


def _floats(raw: pa.Table, name: str, origin: str) -> np.ndarray:
    found = _pick(raw, name)
    if found is None:
        return np.full(raw.num_rows, np.nan)
    column, factor = found
    col = raw.column(column)
    if pa.types.is_timestamp(col.type):
        seconds = pc.cast(pc.cast(col, pa.timestamp("ns", "UTC")), pa.int64())
        return vectors.column(pa.table({"x": seconds}), "x") / 1e9
    try:
        values = pc.cast(col, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise bad(origin, f"column {column} must hold numbers, not {col.type}") from None
    return vectors.column(pa.table({"x": values}), "x") * factor


def _vectors(raw: pa.Table, origin: str) -> pa.Table:
    for name in REQUIRED:
        missing = name not in raw.column_names if name == "icao24" else _pick(raw, name) is None
        if missing:
            spellings = " or ".join(c for c, _ in _SPELLINGS.get(name, ((name, 1.0),)))
            raise bad(origin, f"no {spellings} column (OpenSky state vectors expected)")
    icao = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(raw.column("icao24"), pa.string())))
    t = _floats(raw, "time", origin)
    if "onground" in raw.column_names:
        og = pc.cast(raw.column("onground"), pa.bool_())
        ground = np.where(
            pc.is_null(og).to_numpy(zero_copy_only=False),
            np.nan,
            pc.fill_null(og, False).to_numpy(zero_copy_only=False).astype(np.float64),
        )
    else:
        ground = np.full(raw.num_rows, np.nan)
    callsign = (
        pc.utf8_trim_whitespace(pc.cast(raw.column("callsign"), pa.string()))
        if "callsign" in raw.column_names
        else pa.nulls(raw.num_rows, pa.string())
    )
    tab = vectors.table(
        t,
        np.asarray(icao.to_numpy(zero_copy_only=False), dtype=object),
        _floats(raw, "lat", origin),
        _floats(raw, "lon", origin),
        _floats(raw, "altitude_ft", origin),
        _floats(raw, "groundspeed_kt", origin),
        _floats(raw, "track_deg", origin),
        ground,
        np.asarray(callsign.to_numpy(zero_copy_only=False), dtype=object),
    )
    if "lastposupdate" in raw.column_names:
        tab = tab.filter(pa.array(~_repeated(raw, icao, t)))
    return tab


def _repeated(raw: pa.Table, icao: pa.ChunkedArray, t: np.ndarray) -> np.ndarray:
    """Rows whose position repeats the previous row's of the same aircraft."""
    last = _floats(raw, "lastposupdate", "")
    codes = pc.dictionary_encode(icao).combine_chunks().indices.to_numpy(zero_copy_only=False)
    order = np.lexsort((t, codes))
    same = np.zeros(len(order), dtype=bool)
    same[1:] = (codes[order][1:] == codes[order][:-1]) & (last[order][1:] == last[order][:-1])
    out = np.zeros(len(order), dtype=bool)
    out[order] = same
    return out
