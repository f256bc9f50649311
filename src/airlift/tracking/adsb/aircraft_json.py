"""readsb / dump1090 ``aircraft.json`` snapshots; several files make a time series.

``{"now": t, "aircraft": [{"hex", "lat", "lon", "alt_baro", "gs", "track", "seen_pos",
"flight", ...}, ...]}`` (readsb's README-json.md): ``now`` seconds since 1970, ``alt_baro``
ft or ``"ground"``, ``gs`` kt, ``seen_pos`` seconds since the position was received. An
aircraft without a position in a snapshot gives no row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from airlift.tracking.adsb import vectors
from airlift.tracking.adsb._files import bad, json_object

KEYS = ("now", "aircraft")


def _num(value: Any) -> float:
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else np.nan
    )


def read(data: bytes, origin: str) -> pa.Table:
    """The positions of one snapshot, each at ``now - seen_pos``."""
    doc = json_object(data, origin, KEYS)
    now, aircraft = doc["now"], doc["aircraft"]
    if not isinstance(now, int | float) or not isinstance(aircraft, list):
        raise bad(origin, "now must be a number (seconds since 1970) and aircraft a list")
    # A snapshot holds one row per aircraft in view (hundreds at most): a plain loop is fine.
    rows = [a for a in aircraft if isinstance(a, dict) and "lat" in a and "lon" in a]
    for i, a in enumerate(rows):
        if not isinstance(a.get("hex"), str):
            raise bad(origin, "an aircraft has no hex address", i + 1, "aircraft")
    alt = [a.get("alt_baro") for a in rows]
    return vectors.table(
        [float(now) - (_num(a.get("seen_pos")) if "seen_pos" in a else 0.0) for a in rows],
        np.array([a["hex"].strip().lower() for a in rows], dtype=object),
        [_num(a["lat"]) for a in rows],
        [_num(a["lon"]) for a in rows],
        [np.nan if v == "ground" else _num(v) for v in alt],
        [_num(a.get("gs")) for a in rows],
        [_num(a.get("track")) for a in rows],
        [1.0 if v == "ground" else (np.nan if v is None else 0.0) for v in alt],
        np.array([(a.get("flight") or "").strip() or None for a in rows], dtype=object),
    )
