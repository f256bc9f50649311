"""Take-offs and landings in ADS-B state vectors: one :class:`DetectedFlight` per flight.

Per aircraft, each report is *ground* or *air*: ground if slower than
:data:`GROUND_MAX_KT` or flagged on the ground (unless faster than :data:`GROUND_FLAG_MAX_KT`,
a flag glitch); air if flagged airborne or faster. One- or two-report blips of the other
state between reports close in time are noise and flipped back. A run of air reports is a
flight; a run of ground reports (taxi, parked) is none, whatever its length.

Gaps of several minutes are normal in the Sahel (few receivers): a take-off hidden in a gap
is placed by extrapolating the first airborne reports' climb back to the airfield's
elevation (clamped to the gap), a landing likewise forwards. An aircraft low near the same
airfield on both sides of a gap of :data:`HIDDEN_STOP_S` or more landed and took off
unseen. A go-around (low near a runway, then climbing away with no ground report) stays
inside one flight, so it makes no leg. A flight seen neither leaving nor arriving is
``partial`` with empty airfields, and carries its first and last position, times and mean
track for matching to a planned leg.

Airfields: the theatre file's first (within :data:`RUNWAY_KM` of the reference point), then
the OurAirports cache and airportsdata (the nearest within the same distance).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from airlift.airfields import cache_airports_in, theatre
from airlift.errors import Where
from airlift.scheduling.inputs import FleetTail
from airlift.tracking.adsb import vectors
from airlift.tracking.model import LegActual, Source, TrackPoint

GROUND_MAX_KT = 40.0
"""Slower than this is on the ground: no transport aircraft flies at 40 kt (C-130H stall
speed is about 100 kt), and military transponders often lack an air/ground switch."""
GROUND_FLAG_MAX_KT = 180.0
"""An on-ground flag at more than this speed is a glitch (C-130H lift-off is about 115 kt)."""
BLIP_MAX_REPORTS = 2
BLIP_MAX_S = 30.0
BLIP_NEIGHBOUR_S = 120.0
RUNWAY_KM = 6.0
"""Distance (km) from an airfield's reference point that still counts as on it: half the
longest theatre runway (3.5 km) plus taxiways and aprons."""
APPROACH_KM = 20.0
"""An airborne report this close (km) and low may be a take-off or landing just out of view."""
LOW_FT = 2500.0
"""Height above the airfield (ft) below which a report near it counts as low."""
HIDDEN_STOP_S = 900.0
"""A gap this long (s) with the aircraft low near the same airfield on both sides is a
stop: shorter than any turnaround, longer than a go-around's circuit."""
RATE_WINDOW_S = 180.0
DEFAULT_RATE_FT_S = 25.0
"""Climb or descent rate (ft/s, 1,500 ft/min) when the reports do not give one."""
EARTH_KM = 6371.0088
TRACK_POINTS = 200
"""Most points of a stored track: a leg drawn on a theatre map needs no more (one point per
few km of a 1,000 km leg), and 200 points keep a report's row a few kB."""
TRACK_TOLERANCE_KM = 0.1
"""First tolerance (km off the simplified line) tried by :func:`simplify`; doubled until the
track has at most :data:`TRACK_POINTS` points."""


@dataclass(frozen=True, slots=True)
class DetectedFlight:
    """One flight of one aircraft as the track shows it. Times aware UTC; positions WGS84
    degrees. ``origin``/``destination`` "" when not seen; ``partial`` when either is."""

    icao24: str
    registration: str
    callsign: str
    origin: str
    destination: str
    off_utc: datetime | None
    on_utc: datetime | None
    partial: bool
    first_utc: datetime
    last_utc: datetime
    first_lat: float
    first_lon: float
    last_lat: float
    last_lon: float
    mean_track_deg: float | None
    """Circular mean of the airborne reports' tracks (true degrees)."""
    max_altitude_ft: float | None
    points: pa.Table = field(compare=False, repr=False)
    """The flight's state vectors (ground reports next to it included)."""

    def as_dict(self) -> dict[str, object]:
        """The flight as JSON values (the CLI's keys)."""

        def iso(t: datetime | None) -> str | None:
            return t.strftime("%Y-%m-%dT%H:%M:%SZ") if t else None

        def num(x: float | None, nd: int) -> float | None:
            return None if x is None else round(x, nd)

        return {
            "icao24": self.icao24,
            "registration": self.registration or None,
            "callsign": self.callsign or None,
            "origin": self.origin or None,
            "destination": self.destination or None,
            "off_utc": iso(self.off_utc),
            "on_utc": iso(self.on_utc),
            "partial": self.partial,
            "first_utc": iso(self.first_utc),
            "last_utc": iso(self.last_utc),
            "first_position_deg": [round(self.first_lat, 5), round(self.first_lon, 5)],
            "last_position_deg": [round(self.last_lat, 5), round(self.last_lon, 5)],
            "mean_track_deg": num(self.mean_track_deg, 1),
            "max_altitude_ft": num(self.max_altitude_ft, 0),
            "reports": self.points.num_rows,
        }


@dataclass(frozen=True, slots=True)
class Detection:
    flights: tuple[DetectedFlight, ...]
    warnings: tuple[str, ...] = ()


# --- airfields ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AirfieldIndex:
    """Airfields as arrays: the theatre's (tier 0) before the others (tier 1)."""

    codes: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray
    elevation_ft: np.ndarray
    tier: np.ndarray

    def match(self, lat: float, lon: float, radius_km: float) -> tuple[str, float, float]:
        """(ICAO, elevation ft, distance km) of the airfield for a position: the nearest
        theatre one within ``radius_km``, else the nearest other; ("", NaN, NaN) if none."""
        if not (math.isfinite(lat) and math.isfinite(lon)) or not self.codes:
            return "", math.nan, math.nan
        d = _km(lat, lon, self.lat, self.lon)
        for tier in (0, 1):
            near = np.flatnonzero((self.tier == tier) & (d <= radius_km))
            if len(near):
                i = int(near[np.argmin(d[near])])
                return self.codes[i], float(self.elevation_ft[i]), float(d[i])
        return "", math.nan, math.nan


def _km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Haversine distance (km): ample for "within a few km" (geodesic lengths: airlift.geo)."""
    p1, p2 = math.radians(lat), np.radians(lats)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    )
    km: np.ndarray = 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return km


@cache
def _world() -> tuple[tuple[str, float, float, float], ...]:
    import airportsdata

    return tuple(
        (code, float(e["lat"]), float(e["lon"]), float(e["elevation"] or 0.0))
        for code, e in airportsdata.load("ICAO").items()
    )


NOT_RUNWAYS = frozenset({"heliport", "balloonport", "seaplane_base", "closed"})


def airfield_index(south: float, north: float, west: float, east: float) -> AirfieldIndex:
    """The theatre airfields, then the OurAirports cache's and airportsdata's inside the box
    (degrees, padded by 1 degree)."""
    s, n, w, e = south - 1, north + 1, west - 1, east + 1
    rows: dict[str, tuple[float, float, float, int]] = {
        a.icao: (a.lat, a.lon, a.elevation_ft, 0) for a in theatre().values()
    }
    for c in cache_airports_in(s, n, w, e):
        if c.kind not in NOT_RUNWAYS and c.code not in rows:
            rows[c.code] = (c.lat, c.lon, c.elevation_ft, 1)
    for code, lat, lon, elev in _world():
        if s <= lat <= n and w <= lon <= e and code not in rows:
            rows[code] = (lat, lon, elev, 1)
    codes = tuple(rows)
    arr = np.array([rows[c] for c in codes], dtype=np.float64).reshape(-1, 4)
    return AirfieldIndex(codes, arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3].astype(np.int64))


# --- detection ----------------------------------------------------------------------------------


def detect(
    table: pa.Table, fleet: Iterable[FleetTail] | None = None, fleet_name: str = "the fleet"
) -> Detection:
    """The flights in a state-vector table (:mod:`airlift.tracking.adsb.vectors`), by
    aircraft then time. With ``fleet``, each address is mapped to its registration and an
    address not in the fleet is a warning naming it."""
    table = table.filter(
        pc.and_(pc.is_valid(table.column("lat")), pc.is_valid(table.column("lon")))
    )
    if table.num_rows == 0:
        return Detection(())
    table = table.sort_by([("icao24", "ascending"), ("time", "ascending")])
    lat_all, lon_all = vectors.column(table, "lat"), vectors.column(table, "lon")
    index = airfield_index(
        float(lat_all.min()), float(lat_all.max()), float(lon_all.min()), float(lon_all.max())
    )
    registrations: Mapping[str, str] = (
        {t.icao24: t.registration for t in fleet if t.icao24} if fleet is not None else {}
    )
    codes = table.column("icao24").combine_chunks()
    starts = np.flatnonzero(
        np.r_[True, pc.not_equal(codes[1:], codes[:-1]).to_numpy(zero_copy_only=False)]
    )
    ends = np.r_[starts[1:], table.num_rows]
    flights: list[DetectedFlight] = []
    warnings: list[str] = []
    for a, b in zip(starts, ends, strict=True):
        icao = str(codes[int(a)])
        found = _aircraft_flights(table.slice(int(a), int(b - a)), icao, index, registrations)
        if fleet is not None and icao not in registrations:
            warnings.append(
                f"icao24 {icao} is not in {fleet_name}: its {len(found)} flight(s) "
                "have no registration"
            )
        flights.extend(found)
    return Detection(tuple(flights), tuple(warnings))


def _states(t: np.ndarray, gs: np.ndarray, og: np.ndarray) -> np.ndarray:
    """1 ground, 0 air, -1 unknown per report, blips flipped back."""
    with np.errstate(invalid="ignore"):
        ground = (gs < GROUND_MAX_KT) | ((og == 1) & ~(gs >= GROUND_FLAG_MAX_KT))
        air = ~ground & ((og == 0) | (gs >= GROUND_MAX_KT))
    states: np.ndarray = np.where(ground, 1, np.where(air, 0, -1))
    return states


def _runs(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    change = np.flatnonzero(s[1:] != s[:-1]) + 1
    return np.r_[0, change], np.r_[change, len(s)]


def _deblip(t: np.ndarray, s: np.ndarray) -> np.ndarray:
    if len(s) < 3:
        return s
    a, b = _runs(s)
    lens = b - a
    inner = np.zeros(len(a), dtype=bool)
    inner[1:-1] = True
    prev_gap = np.r_[np.inf, t[a[1:]] - t[a[1:] - 1]]
    next_gap = np.r_[t[b[:-1]] - t[b[:-1] - 1], np.inf]
    blip = (
        inner
        & (lens <= BLIP_MAX_REPORTS)
        & (t[b - 1] - t[a] <= BLIP_MAX_S)
        & (prev_gap <= BLIP_NEIGHBOUR_S)
        & (next_gap <= BLIP_NEIGHBOUR_S)
    )
    out = s.copy()
    flip = np.repeat(blip, lens)
    out[flip] = 1 - out[flip]
    return out


def _aircraft_flights(
    tab: pa.Table, icao: str, index: AirfieldIndex, registrations: Mapping[str, str]
) -> list[DetectedFlight]:
    t = vectors.column(tab, "time")
    lat, lon = vectors.column(tab, "lat"), vectors.column(tab, "lon")
    alt, gs = vectors.column(tab, "altitude_ft"), vectors.column(tab, "groundspeed_kt")
    trk = vectors.column(tab, "track_deg")
    state = _states(t, gs, vectors.on_ground(tab))
    known = np.flatnonzero(state >= 0)
    if len(known) == 0:
        return []
    rows = known  # positions in tab of the reports with a state
    s = _deblip(t[rows], state[rows])
    tt, la, lo, al = t[rows], lat[rows], lon[rows], alt[rows]
    a, b = _runs(s)
    segments: list[tuple[int, int]] = []
    for i0, i1 in zip(a, b - 1, strict=True):
        if s[i0] == 0:
            segments.extend(_split_hidden_stops(int(i0), int(i1), tt, la, lo, al, index))
    callsigns = tab.column("callsign")
    out = []
    for i0, i1 in segments:
        prev_ground = i0 > 0 and s[i0 - 1] == 1
        next_ground = i1 + 1 < len(s) and s[i1 + 1] == 1
        origin, off = _end(i0, -1, prev_ground, tt, la, lo, al, index)
        dest, on = _end(i1, +1, next_ground, tt, la, lo, al, index)
        if not origin and not dest and i1 - i0 < 2:
            continue  # a stray airborne report or two: nothing to place
        lo_row = int(rows[i0 - 1]) if prev_ground else int(rows[i0])
        hi_row = int(rows[i1 + 1]) if next_ground else int(rows[i1])
        air = rows[i0 : i1 + 1]
        tracks = trk[air][np.isfinite(trk[air])]
        mean_track = (
            float(
                np.degrees(
                    np.arctan2(np.sin(np.radians(tracks)).mean(), np.cos(np.radians(tracks)).mean())
                )
                % 360
            )
            if len(tracks)
            else None
        )
        alts = alt[air][np.isfinite(alt[air])]
        calls = callsigns.slice(int(air[0]), int(air[-1] - air[0] + 1)).drop_null()
        out.append(
            DetectedFlight(
                icao24=icao,
                registration=registrations.get(icao, ""),
                callsign=str(calls[0]) if len(calls) else "",
                origin=origin,
                destination=dest,
                off_utc=_utc(off),
                on_utc=_utc(on),
                partial=not (origin and dest),
                first_utc=_utc(tt[i0]) or datetime.min.replace(tzinfo=UTC),
                last_utc=_utc(tt[i1]) or datetime.min.replace(tzinfo=UTC),
                first_lat=float(la[i0]),
                first_lon=float(lo[i0]),
                last_lat=float(la[i1]),
                last_lon=float(lo[i1]),
                mean_track_deg=mean_track,
                max_altitude_ft=float(alts.max()) if len(alts) else None,
                points=tab.slice(lo_row, hi_row - lo_row + 1),
            )
        )
    return out


def _utc(seconds: float | None) -> datetime | None:
    if seconds is None or not math.isfinite(seconds):
        return None
    return datetime.fromtimestamp(round(float(seconds), 1), UTC)


def _low_at(
    i: int, la: np.ndarray, lo: np.ndarray, al: np.ndarray, index: AirfieldIndex
) -> tuple[str, float]:
    """(airfield, height ft) if report ``i`` is low near an airfield, else ("", NaN)."""
    code, elev, _ = index.match(float(la[i]), float(lo[i]), APPROACH_KM)
    if not code or not math.isfinite(al[i]) or al[i] - elev > LOW_FT:
        return "", math.nan
    return code, float(al[i] - elev)


def _split_hidden_stops(
    i0: int,
    i1: int,
    tt: np.ndarray,
    la: np.ndarray,
    lo: np.ndarray,
    al: np.ndarray,
    index: AirfieldIndex,
) -> list[tuple[int, int]]:
    gaps = np.flatnonzero(np.diff(tt[i0 : i1 + 1]) >= HIDDEN_STOP_S) + i0
    cuts = []
    for g in gaps:
        before, _ = _low_at(int(g), la, lo, al, index)
        after, _ = _low_at(int(g) + 1, la, lo, al, index)
        if before and before == after:
            cuts.append(int(g))
    bounds = [i0, *(c + 1 for c in cuts)]
    stops = [*cuts, i1]
    return list(zip(bounds, stops, strict=True))


def _end(
    i: int,
    direction: int,
    ground_next: bool,
    tt: np.ndarray,
    la: np.ndarray,
    lo: np.ndarray,
    al: np.ndarray,
    index: AirfieldIndex,
) -> tuple[str, float | None]:
    """The airfield and time (s) of a flight's take-off (``direction`` -1: the report before
    ``i``) or landing (+1: the report after ``i``); ("", None) when not seen."""
    if ground_next:
        j = i + direction
        code, elev, _ = index.match(float(la[j]), float(lo[j]), RUNWAY_KM)
        height = al[i] - elev if code else math.nan
    else:
        code, height = _low_at(i, la, lo, al, index)
        if not code:
            return "", None
        j = -1
    bound = tt[j] if ground_next else -math.inf * direction
    rate = _rate(i, direction, tt, al)
    # Time from the runway to report i: its height over the climb (or descent) rate.
    dt = max(height, 0.0) / rate if math.isfinite(height) else math.nan
    if not math.isfinite(dt):
        dt = abs(tt[i] - bound) / 2 if ground_next else 0.0
    moment = tt[i] + direction * dt
    moment = max(moment, bound) if direction < 0 else min(moment, bound)
    return code, float(moment)


def _rate(i: int, direction: int, tt: np.ndarray, al: np.ndarray) -> float:
    """Climb rate after report i (direction -1) or descent rate before it (+1), ft/s."""
    if direction < 0:
        window = np.flatnonzero((tt > tt[i]) & (tt <= tt[i] + RATE_WINDOW_S))
    else:
        window = np.flatnonzero((tt < tt[i]) & (tt >= tt[i] - RATE_WINDOW_S))
    window = window[np.isfinite(al[window])]
    if not len(window) or not math.isfinite(al[i]):
        return DEFAULT_RATE_FT_S
    j = int(window[-1] if direction < 0 else window[0])
    rate = -direction * (al[j] - al[i]) / abs(tt[j] - tt[i])
    return float(rate) if rate > 3.0 else DEFAULT_RATE_FT_S


# --- the path flown ------------------------------------------------------------------------------


def _rdp_keep(x: np.ndarray, y: np.ndarray, tolerance: float) -> np.ndarray:
    """Ramer-Douglas-Peucker: which points to keep so that none is farther than
    ``tolerance`` (units of x and y) from the kept polyline. An explicit stack, not
    recursion: a long track would pass Python's recursion limit."""
    keep = np.zeros(len(x), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(x) - 1)]
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        dx, dy = x[j] - x[i], y[j] - y[i]
        px, py = x[i + 1 : j] - x[i], y[i + 1 : j] - y[i]
        norm = math.hypot(dx, dy)
        # Distance to the chord, or to its start when both ends coincide (a circuit).
        d = np.abs(dx * py - dy * px) / norm if norm > 0 else np.hypot(px, py)
        k = int(np.argmax(d))
        if d[k] > tolerance:
            m = i + 1 + k
            keep[m] = True
            stack.extend(((i, m), (m, j)))
    return keep


def simplify(points: pa.Table, max_points: int = TRACK_POINTS) -> tuple[TrackPoint, ...]:
    """A flight's state vectors as at most ``max_points`` points (lat deg, lon deg, altitude
    ft or None, epoch s), simplified by Ramer-Douglas-Peucker in a local plane (km): the
    tolerance starts at :data:`TRACK_TOLERANCE_KM` and doubles until few enough remain.

    numpy, not shapely: shapely is only a development dependency, and its ``simplify``
    takes a tolerance, not a point budget, so the doubling loop would be the same."""
    t = vectors.column(points, "time")
    lat, lon = vectors.column(points, "lat"), vectors.column(points, "lon")
    alt = vectors.column(points, "altitude_ft")
    ok = np.isfinite(t) & np.isfinite(lat) & np.isfinite(lon)
    t, lat, lon, alt = t[ok], lat[ok], lon[ok], alt[ok]
    if len(t) == 0:
        return ()
    # Equirectangular about the mean latitude: ample within a theatre for a drawing tolerance.
    x = np.radians(lon) * math.cos(math.radians(float(lat.mean()))) * EARTH_KM
    y = np.radians(lat) * EARTH_KM
    keep = np.ones(len(t), dtype=bool)
    tolerance = TRACK_TOLERANCE_KM
    while len(t) > 1:
        keep = _rdp_keep(x, y, tolerance)
        if keep.sum() <= max_points:
            break
        tolerance *= 2
    return tuple(
        (
            round(float(la), 5),
            round(float(lo), 5),
            round(float(al)) if math.isfinite(al) else None,
            round(float(tm), 1),
        )
        for la, lo, al, tm in zip(lat[keep], lon[keep], alt[keep], t[keep], strict=True)
    )


# --- to LegActual -------------------------------------------------------------------------------


def leg_actuals(flights: Iterable[DetectedFlight], reported_by: str = "") -> list[LegActual]:
    """Each flight as a ``LegActual(source=Source.ADSB)``: take-off and landing times only
    (ADS-B does not see the blocks); the tail is the registration, else the ICAO address. A
    partial flight also keeps when it was seen and its mean track (``seen_*``), so that one
    seen in cruise only can still be matched to its planned leg. Every flight keeps its path
    (``track``, :func:`simplify`)."""
    out = []
    for f in flights:
        remarks = (
            "seen in cruise only"
            if not (f.origin or f.destination)
            else (
                "take-off not seen"
                if not f.origin
                else "landing not seen"
                if not f.destination
                else ""
            )
        )
        out.append(
            LegActual(
                tail=f.registration or f.icao24,
                origin=f.origin,
                destination=f.destination,
                source=Source.ADSB,
                off_utc=f.off_utc,
                on_utc=f.on_utc,
                remarks=remarks,
                partial=f.partial,
                reported_by=reported_by,
                where=Where(reported_by, record=f.icao24),
                seen_from_utc=f.first_utc if f.partial else None,
                seen_until_utc=f.last_utc if f.partial else None,
                seen_track_deg=f.mean_track_deg if f.partial else None,
                track=simplify(f.points),
            )
        )
    return out


__all__ = [
    "AirfieldIndex",
    "DetectedFlight",
    "Detection",
    "airfield_index",
    "detect",
    "leg_actuals",
    "simplify",
]
