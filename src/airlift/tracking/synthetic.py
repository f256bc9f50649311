"""Synthetic ADS-B tracks of flown legs, and writers for each file format the readers take.

For tests and benchmarks only: a leg is flown as taxi, take-off roll, a linear climb,
cruise along the great circle, a linear descent, landing roll and taxi; reports every
``step_s`` seconds, with noise, gaps and optional go-around. No physics beyond that: it
exercises the readers and the detector, it does not predict a track.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from airlift.airfields import Airfield
from airlift.tracking.adsb import vectors
from airlift.tracking.adsb.opensky import FT_PER_M, KT_PER_MPS

ROLL_S = 40.0
TAXI_KT = 15.0
GO_AROUND_S = 600.0
"""A go-around's circuit, from the missed approach to the landing (s)."""


@dataclass(frozen=True, slots=True)
class FlownLeg:
    """A leg as flown: ``off_s`` and ``on_s`` UTC seconds since 1970."""

    origin: Airfield
    destination: Airfield
    off_s: float
    on_s: float
    cruise_ft: float
    climb_s: float
    descent_s: float
    go_around: bool = False


def _great_circle(a: Airfield, b: Airfield, f: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Points at fractions ``f`` of the great circle a -> b (degrees) and the initial course."""
    p1, l1, p2, l2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    d = 2 * math.asin(
        math.sqrt(
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
        )
    )
    if d == 0:
        return np.full_like(f, a.lat), np.full_like(f, a.lon), 0.0
    s1, s2 = np.sin((1 - f) * d) / math.sin(d), np.sin(f * d) / math.sin(d)
    x = s1 * math.cos(p1) * math.cos(l1) + s2 * math.cos(p2) * math.cos(l2)
    y = s1 * math.cos(p1) * math.sin(l1) + s2 * math.cos(p2) * math.sin(l2)
    z = s1 * math.sin(p1) + s2 * math.sin(p2)
    lat, lon = np.degrees(np.arctan2(z, np.hypot(x, y))), np.degrees(np.arctan2(y, x))
    course = math.degrees(
        math.atan2(
            math.sin(l2 - l1) * math.cos(p2),
            math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(l2 - l1),
        )
    )
    return lat, lon, course % 360


def _cols(*columns: npt.ArrayLike) -> list[np.ndarray]:
    """(time, lat, lon, altitude_ft, groundspeed_kt, track_deg, on_ground) as float arrays."""
    return [np.asarray(x, dtype=np.float64) for x in columns]


def ground(
    airfield: Airfield, t0: float, t1: float, step_s: float, moving: bool = True
) -> list[np.ndarray]:
    """Reports on the ground at an airfield from t0 to t1: parked, or taxiing at 15 kt."""
    t = np.arange(t0, t1, step_s)
    phase = (t - t0) / max(t1 - t0, 1.0)
    radius = 0.008  # degrees, about 900 m from the reference point
    lat = airfield.lat + radius * np.sin(2 * np.pi * phase)
    lon = airfield.lon + radius * np.cos(2 * np.pi * phase)
    gs = np.full(len(t), TAXI_KT if moving else 0.0)
    return _cols(t, lat, lon, np.full(len(t), np.nan), gs, np.full(len(t), 90.0), np.ones(len(t)))


def fly(leg: FlownLeg, step_s: float) -> list[np.ndarray]:
    """Take-off roll, flight, landing roll of one leg (the go-around's circuit included)."""
    o, d = leg.origin, leg.destination
    approach_end = leg.on_s - GO_AROUND_S if leg.go_around else leg.on_s
    t = np.arange(leg.off_s, approach_end, step_s)
    f = (t - leg.off_s) / (approach_end - leg.off_s)
    # The missed approach begins 1.5 km short of the runway.
    f_end = 1.0 - (1.5 / max(_dist_km(o, d), 2.0) if leg.go_around else 0.0)
    lat, lon, course = _great_circle(o, d, f * f_end)
    floor_d = d.elevation_ft + (200.0 if leg.go_around else 0.0)
    climb = o.elevation_ft + (leg.cruise_ft - o.elevation_ft) * np.clip(
        (t - leg.off_s) / leg.climb_s, 0, 1
    )
    descent = floor_d + (leg.cruise_ft - floor_d) * np.clip(
        (approach_end - t) / leg.descent_s, 0, 1
    )
    alt = np.minimum(climb, descent)
    gs = np.full(len(t), _dist_km(o, d) / 1.852 / ((leg.on_s - leg.off_s) / 3600.0))
    parts = [_cols(t, lat, lon, alt, gs, np.full(len(t), course), np.zeros(len(t)))]
    if leg.go_around:
        tc = np.arange(approach_end, leg.on_s, step_s)
        phase = (tc - approach_end) / GO_AROUND_S
        # A circuit of 5 km radius ending over the runway; up to 1,500 ft and back down.
        ang = np.radians(course) + 2 * np.pi * phase
        r = 5.0 / 111.0
        clat = d.lat - r * np.cos(ang) + r * math.cos(math.radians(course))
        clon = d.lon - r * np.sin(ang) + r * math.sin(math.radians(course))
        calt = d.elevation_ft + 1500.0 * np.sin(np.pi * phase) ** 0.5 + 200.0 * (1 - phase)
        parts.append(
            _cols(
                tc,
                clat,
                clon,
                calt,
                np.full(len(tc), 140.0),
                np.degrees(ang) % 360,
                np.zeros(len(tc)),
            )
        )
    roll_to = np.arange(leg.off_s - ROLL_S, leg.off_s, step_s / 4)
    roll_on = np.arange(leg.on_s, leg.on_s + ROLL_S, step_s / 4)
    n1, n2 = len(roll_to), len(roll_on)
    before = _cols(roll_to, np.full(n1, o.lat), np.full(n1, o.lon), np.full(n1, np.nan),
                   np.linspace(20, 115, n1), np.full(n1, course), np.ones(n1))  # fmt: skip
    after = _cols(roll_on, np.full(n2, d.lat), np.full(n2, d.lon), np.full(n2, np.nan),
                  np.linspace(110, 20, n2), np.full(n2, course), np.ones(n2))  # fmt: skip
    return [np.concatenate(c) for c in zip(before, *parts, after, strict=True)]


def _dist_km(a: Airfield, b: Airfield) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def programme(
    legs: list[FlownLeg],
    icao24: str,
    step_s: float = 5.0,
    turn_step_s: float = 30.0,
    callsign: str = "",
) -> pa.Table:
    """One aircraft flying ``legs`` in turn: 20 min on the ground before the first, the
    turnarounds between, 20 min after the last."""
    pieces = []
    first = legs[0]
    pieces.append(
        ground(first.origin, first.off_s - ROLL_S - 1200, first.off_s - ROLL_S, turn_step_s)
    )
    for k, leg in enumerate(legs):
        pieces.append(fly(leg, step_s))
        end = legs[k + 1].off_s - ROLL_S if k + 1 < len(legs) else leg.on_s + ROLL_S + 1200
        pieces.append(ground(leg.destination, leg.on_s + ROLL_S, end, turn_step_s))
    cols = [np.concatenate(c) for c in zip(*pieces, strict=True)]
    calls = np.full(len(cols[0]), callsign or None, dtype=object)
    t, lat, lon, alt, gs, trk, og = cols
    return vectors.table(t, icao24, lat, lon, alt, gs, trk, og, calls)


def noisy(
    table: pa.Table,
    rng: np.random.Generator,
    gaps: Sequence[tuple[float, float]] = (),
    blips: int = 0,
) -> pa.Table:
    """Position, altitude and speed noise; reports inside ``gaps`` (UTC s) removed; ``blips``
    airborne reports given a false on-ground flag and a zero ground speed."""
    n = table.num_rows
    t = vectors.column(table, "time")
    og = vectors.on_ground(table)
    gs = vectors.column(table, "groundspeed_kt") + rng.normal(0, 2.0, n)
    if blips:
        air = np.flatnonzero(og == 0)
        pick = rng.choice(air[10:-10], size=blips, replace=False)
        og, gs = og.copy(), gs.copy()
        og[pick], gs[pick] = 1.0, 0.0
    keep = np.ones(n, dtype=bool)
    for a, b in gaps:
        keep &= ~((t >= a) & (t < b))
    out = vectors.table(
        t,
        np.asarray(table.column("icao24").to_numpy(zero_copy_only=False), dtype=object),
        vectors.column(table, "lat") + rng.normal(0, 0.0002, n),
        vectors.column(table, "lon") + rng.normal(0, 0.0002, n),
        vectors.column(table, "altitude_ft") + rng.normal(0, 25.0, n),
        np.maximum(gs, 0.0),
        vectors.column(table, "track_deg"),
        og,
        np.asarray(table.column("callsign").to_numpy(zero_copy_only=False), dtype=object),
    )
    return out.filter(pa.array(keep))


# --- writers ------------------------------------------------------------------------------------


def _rows(table: pa.Table) -> dict[str, list[object]]:
    return {name: table.column(name).to_pylist() for name in table.column_names}


def write_readsb_traces(table: pa.Table, folder: Path, gzipped: bool = False) -> list[Path]:
    """One ``trace_full_<hex>.json`` per aircraft, as readsb writes them."""
    paths = []
    for icao in sorted(set(table.column("icao24").to_pylist())):
        tab = table.filter(pa.compute.equal(table.column("icao24"), icao))
        c = _rows(tab)
        base = float(tab.column("time")[0].as_py())
        trace = [
            [round(t - base, 2), la, lo, "ground" if og else (None if al is None else round(al)),
             gs, trk, 0, None, {"flight": cs} if cs and i == 0 else None, "adsb_icao"]
            for i, (t, la, lo, al, gs, trk, og, cs) in enumerate(
                zip(c["time"], c["lat"], c["lon"], c["altitude_ft"], c["groundspeed_kt"],
                    c["track_deg"], c["on_ground"], c["callsign"], strict=True)
            )
        ]  # fmt: skip
        data = json.dumps({"icao": icao, "timestamp": base, "trace": trace}).encode()
        path = folder / f"trace_full_{icao}.json"
        path.write_bytes(gzip.compress(data) if gzipped else data)
        paths.append(path)
    return paths


def write_aircraft_json(table: pa.Table, folder: Path, every_s: float = 30.0) -> list[Path]:
    """``aircraft.json`` snapshots every ``every_s``: each aircraft's latest report in the
    interval, with ``seen_pos``."""
    c = _rows(table)
    t = np.asarray(c["time"], dtype=np.float64)
    slot = np.floor(t / every_s).astype(np.int64)
    snapshots: dict[int, dict[str, dict[str, object]]] = {}
    for i in np.argsort(t, kind="stable"):
        icao = str(c["icao24"][i])
        og, alt = c["on_ground"][i], c["altitude_ft"][i]
        snapshots.setdefault(int(slot[i]), {})[icao] = {
            "hex": icao, "lat": c["lat"][i], "lon": c["lon"][i],
            "alt_baro": "ground" if og else (None if alt is None else round(alt)),
            "gs": c["groundspeed_kt"][i], "track": c["track_deg"][i],
            "flight": c["callsign"][i], "seen_pos": float((slot[i] + 1) * every_s - t[i]),
        }  # fmt: skip
    paths = []
    for s, aircraft in sorted(snapshots.items()):
        path = folder / f"aircraft_{s}.json"
        doc = {"now": (s + 1) * every_s, "messages": 0, "aircraft": list(aircraft.values())}
        path.write_text(json.dumps(doc))
        paths.append(path)
    return paths


def opensky_table(table: pa.Table) -> pa.Table:
    """The state vectors in the OpenSky database's columns and units (m, m/s)."""
    t = vectors.column(table, "time")
    return pa.table(
        {
            "time": pa.array(np.round(t).astype(np.int64)),
            "icao24": table.column("icao24"),
            "lat": table.column("lat"),
            "lon": table.column("lon"),
            "velocity": pa.array(
                vectors.column(table, "groundspeed_kt") / KT_PER_MPS, from_pandas=True
            ),
            "heading": table.column("track_deg"),
            "vertrate": pa.nulls(table.num_rows, pa.float64()),
            "callsign": table.column("callsign"),
            "onground": table.column("on_ground"),
            "baroaltitude": pa.array(
                vectors.column(table, "altitude_ft") / FT_PER_M, from_pandas=True
            ),
            "geoaltitude": pa.nulls(table.num_rows, pa.float64()),
            "lastposupdate": pa.array(t),
            "lastcontact": pa.array(t),
            "hour": pa.array((np.floor(t / 3600) * 3600).astype(np.int64)),
        }
    )


def write_opensky_parquet(table: pa.Table, path: Path) -> Path:
    pq.write_table(opensky_table(table), path)
    return path


def write_opensky_csv(table: pa.Table, path: Path) -> Path:
    pacsv.write_csv(opensky_table(table), path)
    return path
