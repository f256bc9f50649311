"""readsb / tar1090 traces: ``trace_full_<hex>.json`` (plain or gzip, as readsb writes them).

``{"icao": "062a01", "timestamp": base, "trace": [[dt, lat, lon, alt, gs, track, flags,
vrate, details, ...], ...]}`` (readsb's README-json.md and tar1090's globe_history format):
``dt`` seconds after ``timestamp``; ``alt`` barometric ft or ``"ground"`` or null; ``gs`` kt;
``track`` degrees; ``details`` an object (with ``flight``, the callsign) on some points.
"""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa

from airlift.tracking.adsb import vectors
from airlift.tracking.adsb._files import bad, json_object

KEYS = ("icao", "timestamp", "trace")
STALE = 1
"""flags bit 0: the position is stale (no new one for 20 s): a repeat, not a report."""


def _is_none(values: np.ndarray) -> np.ndarray:
    """Elementwise ``is None`` over an object array, in C (numpy's stubs do not allow None)."""
    mask: np.ndarray = np.equal(values, None)  # type: ignore[call-overload]
    return mask


def read(data: bytes, origin: str) -> pa.Table:
    """The state vectors of one trace file."""
    doc = json_object(data, origin, KEYS)
    icao, base, trace = doc["icao"], doc["timestamp"], doc["trace"]
    if not isinstance(icao, str) or not isinstance(base, int | float) or isinstance(base, bool):
        raise bad(origin, "icao must be a text and timestamp a number (seconds since 1970)")
    if not isinstance(trace, list):
        raise bad(origin, "trace must be a list of points")
    if not trace:
        return vectors.empty()
    if not all(isinstance(p, list) and len(p) >= 7 for p in trace):
        i = next(i for i, p in enumerate(trace) if not (isinstance(p, list) and len(p) >= 7))
        raise bad(origin, "a trace point must be a list of at least 7 values", i + 1, "point")
    # Columns by zip (C speed), not by a Python loop over the points.
    cols = list(itertools.zip_longest(*trace))
    try:
        dt = np.array(cols[0], dtype=np.float64)
        lat = np.array(cols[1], dtype=np.float64)
        lon = np.array(cols[2], dtype=np.float64)
        gs = np.array(cols[4], dtype=np.float64)
        track = np.array(cols[5], dtype=np.float64)
        flags_raw = np.array(cols[6], dtype=object)
        flags_raw[_is_none(flags_raw)] = 0
        flags = flags_raw.astype(np.int64)
    except (TypeError, ValueError) as exc:
        raise bad(origin, f"a trace point holds a value that is not a number ({exc})") from None
    alt_raw = np.array(cols[3], dtype=object)
    ground = alt_raw == "ground"
    unknown = _is_none(alt_raw)
    alt_raw[ground | unknown] = np.nan
    try:
        alt = alt_raw.astype(np.float64)
    except (TypeError, ValueError):
        raise bad(origin, 'a trace altitude must be feet, "ground" or null') from None
    on_ground = np.where(unknown, np.nan, ground.astype(np.float64))
    callsign = np.full(len(dt), None, dtype=object)
    if len(cols) > 8:
        details = np.array(cols[8], dtype=object)
        for k in np.flatnonzero(~_is_none(details)):  # the few points with details
            if isinstance(details[k], dict) and details[k].get("flight"):
                callsign[k] = str(details[k]["flight"]).strip()
    keep = (flags & STALE) == 0
    return vectors.table(
        float(base) + dt[keep],
        icao.strip().lower(),
        lat[keep],
        lon[keep],
        alt[keep],
        gs[keep],
        track[keep],
        on_ground[keep],
        callsign[keep],
    )
