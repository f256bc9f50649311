"""State vectors: the one table every ADS-B reader yields and the detector reads.

A pyarrow Table with :data:`SCHEMA`, one row per position report, whatever the file format.
Units are in the names; a value the source did not give is null (never 0).
"""

from __future__ import annotations

import time as _time
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from airlift.errors import FieldError, Where

SCHEMA = pa.schema(
    [
        pa.field("time", pa.float64(), nullable=False),  # UTC, seconds since 1970-01-01
        pa.field("icao24", pa.string(), nullable=False),  # 6 hex digits, lower case
        pa.field("lat", pa.float64()),  # WGS84 degrees
        pa.field("lon", pa.float64()),  # WGS84 degrees
        pa.field("altitude_ft", pa.float64()),  # barometric, ft (1013.25 hPa)
        pa.field("groundspeed_kt", pa.float64()),  # kt
        pa.field("track_deg", pa.float64()),  # true track, degrees clockwise from north
        pa.field("on_ground", pa.bool_()),  # null: the source does not say
        pa.field("callsign", pa.string()),
    ]
)
"""The state-vector columns, in order."""

FloatArray = npt.NDArray[np.float64]

EARLIEST_S = datetime(1990, 1, 1, tzinfo=UTC).timestamp()
"""No ADS-B receiver logged before 1990 (Mode S squitters came in the 1990s): an earlier time
is a unit slip (milliseconds read as seconds the other way) or a zero."""
FUTURE_SLACK_S = 3600.0
"""How far past the clock of this machine a report may be (clock drift, time zones written as
UTC by mistake are larger: those are refused)."""


def empty() -> pa.Table:
    return SCHEMA.empty_table()


def _floats(values: npt.ArrayLike) -> pa.Array:
    arr = np.asarray(values, dtype=np.float64)
    return pa.array(arr, mask=~np.isfinite(arr))


def table(
    time: npt.ArrayLike,
    icao24: npt.ArrayLike | str,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    altitude_ft: npt.ArrayLike,
    groundspeed_kt: npt.ArrayLike,
    track_deg: npt.ArrayLike,
    on_ground: npt.ArrayLike,
    callsign: npt.ArrayLike | None = None,
) -> pa.Table:
    """A state-vector table from arrays (NaN: null). ``on_ground`` is 1 (ground), 0 (air) or
    NaN/negative (not said); ``icao24`` one address for every row or one per row."""
    t = np.asarray(time, dtype=np.float64)
    n = len(t)
    if isinstance(icao24, str):
        icao = pa.repeat(pa.scalar(icao24.lower(), pa.string()), n)
    else:
        icao = pc.utf8_lower(pa.array(np.asarray(icao24, dtype=object), pa.string()))
    ground = np.asarray(on_ground, dtype=np.float64)
    known = np.isfinite(ground) & (ground >= 0)
    calls = (
        pa.nulls(n, pa.string())
        if callsign is None
        else pa.array(np.asarray(callsign, dtype=object), pa.string())
    )
    columns = [
        pa.array(t),
        icao,
        _floats(lat),
        _floats(lon),
        _floats(altitude_ft),
        _floats(groundspeed_kt),
        _floats(track_deg),
        pa.array(ground > 0.5, mask=~known),
        calls,
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def column(tab: pa.Table, name: str) -> FloatArray:
    """A float column as numpy, null as NaN."""
    return np.asarray(tab.column(name).to_numpy(zero_copy_only=False), dtype=np.float64)


def on_ground(tab: pa.Table) -> FloatArray:
    """The on_ground column as 1.0 (ground), 0.0 (air), NaN (not said)."""
    col = tab.column("on_ground")
    values = pc.cast(pc.fill_null(col, False), pa.float64()).to_numpy(zero_copy_only=False)
    return np.where(pc.is_null(col).to_numpy(zero_copy_only=False), np.nan, values)


def check_times(tab: pa.Table, where: Where, now_s: float | None = None) -> None:
    """Refuse a report dated before 1990 or in the future (past this machine's clock by more
    than :data:`FUTURE_SLACK_S`): a wrong clock or a unit slip, not a flight to track."""
    if tab.num_rows == 0:
        return
    t = column(tab, "time")
    now = _time.time() if now_s is None else now_s
    bad = ~np.isfinite(t) | (t < EARLIEST_S) | (t > now + FUTURE_SLACK_S)
    if not bad.any():
        return
    i = int(np.argmax(bad))
    value = t[i]
    if not np.isfinite(value):
        reason = "time is not a number"
    else:
        when = datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        late = value > now + FUTURE_SLACK_S
        reason = (
            f"time {when} is in the future (the receiver's clock or the file is wrong)"
            if late
            else f"time {when} is before 1990 (seconds since 1970 expected)"
        )
    raise FieldError(
        "time", reason, where if where.row is not None else Where(where.file, i + 1, "report")
    )


__all__ = ["SCHEMA", "check_times", "column", "empty", "on_ground", "table"]
