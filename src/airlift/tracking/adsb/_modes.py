"""Raw Mode S messages -> state vectors, decoded by pyModeS (3.x: ``PipeDecoder``).

pyModeS resolves airborne CPR positions from even/odd pairs and then locally from the last
position; a surface position (BDS 0,6) needs a reference within 45 NM, and we give it the
theatre airfield nearest to the aircraft's last known position (where it is taxiing), else
the receiver's position if the caller knows it. Velocity (BDS 0,9) and identification
(BDS 0,8) messages carry their values to the aircraft's next position.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa
import pyModeS

from airlift.airfields import theatre
from airlift.tracking.adsb import vectors

SURFACE_TC = range(5, 9)
AIRBORNE_TC = (*range(9, 19), *range(20, 23))
MAX_SURFACE_REF_NM = 40.0
"""A surface CPR reference must lie within 45 NM of the aircraft; keep a margin."""


def _nearest_airfield(lat: float, lon: float) -> tuple[float, float] | None:
    best, best_d = None, MAX_SURFACE_REF_NM
    for a in theatre().values():
        # Equirectangular distance: ample to pick an airfield within 40 NM.
        dx = math.radians(a.lon - lon) * math.cos(math.radians(lat))
        d = math.hypot(dx, math.radians(a.lat - lat)) * 3440.065
        if d < best_d:
            best, best_d = (a.lat, a.lon), d
    return best


def decode(
    messages: Iterable[tuple[float, str]], receiver: tuple[float, float] | None = None
) -> tuple[pa.Table, int]:
    """State vectors from (time s, hex) pairs in time order; also how many messages failed
    their CRC or did not parse (a noisy receiver has some: they are skipped)."""
    pipe = pyModeS.PipeDecoder()
    # The pipe holds an aircraft's first positions until three agree, then fills them in
    # the dicts it returned; flush() releases what is still held at the end of the file.
    decoded = [(t, hexmsg, pipe.decode(hexmsg, timestamp=t)) for t, hexmsg in messages]
    pipe.flush()
    last: dict[str, dict[str, Any]] = {}
    rows: list[tuple[float, str, float, float, float, float, float, float, str | None]] = []
    failed = 0
    for t, hexmsg, d in decoded:
        if "error" in d or not d.get("crc_valid", False):
            failed += 1
            continue
        icao = str(d.get("icao", "")).lower()
        if not icao or d.get("df") not in (17, 18):
            continue
        state = last.setdefault(icao, {})
        tc = d.get("typecode")
        if "groundspeed" in d:
            state["gs"] = d["groundspeed"]
        if d.get("track") is not None:
            state["track"] = d["track"]
        if d.get("callsign"):
            state["callsign"] = str(d["callsign"]).strip("_ ")
        if tc in SURFACE_TC and d.get("latitude") is None:
            near = state.get("pos") or receiver
            ref = _nearest_airfield(*near) if near else None
            ref = ref or receiver
            if ref is not None:
                d = pyModeS.decode(hexmsg, surface_ref=ref)
        lat, lon = d.get("latitude"), d.get("longitude")
        if lat is None or lon is None or tc not in (*SURFACE_TC, *AIRBORNE_TC):
            continue
        state["pos"] = (lat, lon)
        surface = tc in SURFACE_TC
        if surface:
            state["gs"] = d.get("groundspeed", state.get("gs"))
        alt = d.get("altitude") if not surface else None
        rows.append(
            (
                t,
                icao,
                lat,
                lon,
                np.nan if alt is None else float(alt),
                np.nan if state.get("gs") is None else float(state["gs"]),
                np.nan if state.get("track") is None else float(state["track"]),
                1.0 if surface else 0.0,
                state.get("callsign"),
            )
        )
    if not rows:
        return vectors.empty(), failed
    cols = list(zip(*rows, strict=True))
    return (
        vectors.table(
            cols[0],
            np.array(cols[1], dtype=object),
            cols[2],
            cols[3],
            cols[4],
            cols[5],
            cols[6],
            cols[7],
            np.array(cols[8], dtype=object),
        ),
        failed,
    )
