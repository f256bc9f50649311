"""Destination alternates from every known airfield, anywhere in the world.

Candidates come from three sources, judged in two tiers:

1. **Verified**: the theatre file (runways checked by hand; its ``fuel_available`` is the only
   authoritative word on fuel) and the local OurAirports cache (``airlift airfields import``;
   runway length, surface and closure, crowd-maintained). A verified candidate needs

   * an open runway of known length >= ``min_runway_m``, paved, or unpaved (not water) when
     ``unpaved_ok``; unknown surfaces count as unpaved, as in :func:`airlift.airfields.is_paved`;
   * where ``need_fuel``: ``fuel_available = true`` in the theatre file (unknown counts as
     none, as in the mission planner). OurAirports says nothing about fuel, so its proxy is a
     ``large_airport`` or ``medium_airport`` with ``scheduled_service = yes``: airline
     service needs fuel on the field. The reason then says "fuel assumed (...)";
   * an airfield that is not closed, not a heliport, seaplane or balloon base.

   The theatre file wins over OurAirports for the airfields it lists.
2. **Position only** (``airportsdata``: ~28,000 airports, no runways): only when no verified
   candidate lies within ``max_nm``. Such a candidate needs an IATA code, as a sign of airline
   traffic and so of a real runway (and, where ``need_fuel``, of fuel), and must not be judged
   unsuitable by the cache (it has runway rows there, or is closed, a heliport...). Its
   ``runway`` is "" and its reason says "runway not verified" ("runway and fuel not verified"
   where fuel is needed): treat it as a warning. So without an OurAirports import, a verified
   theatre airfield inside ``max_nm`` beats a nearer position-only one; ``max_nm`` bounds that.

A cache imported before types were kept (no ``airport_class`` table) still answers, but has no
fuel proxy and cannot tell closed airfields: ``airlift airfields import`` again.

Never the destination itself: matched by code and by position (within 1 NM), since one field
can carry two codes (Juba is HSSJ in airportsdata and HJJJ in OurAirports). Distances are WGS84
geodesics in NM (:func:`airlift.geo.inverse`); the nearest suitable candidate wins.

Results are cached per (destination, rules, OurAirports cache): a repeated call costs a dict
look-up. A fresh ``airlift airfields import`` opens a new cache connection, so it is seen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

from airlift import geo
from airlift.airfields import (
    Airfield,
    CacheAirport,
    Runway,
    _airportsdata,
    _cache_conn,
    _from_airportsdata,
    cache_airports_in,
    theatre,
)
from airlift.errors import InputError

_SPHERE_RADIUS_NM = 6_371_008.8 / 1852.0
"""Mean Earth radius (NM), for the cheap spherical pre-filter."""
_SPHERE_ERR = 0.006
"""Spherical and WGS84 geodesic distances differ by under 0.56 % (checked on 20,000 pairs)."""
_SAME_FIELD_NM = 1.0
"""Two entries closer than this (NM) are one airfield under two codes."""
_FUEL_KINDS = {"large_airport": "large airport", "medium_airport": "medium airport"}
_NOT_AIRFIELDS = frozenset({"closed", "heliport", "seaplane_base", "balloonport"})
_IMPORT_HINT = "run `airlift airfields import` for runways"

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Alternate:
    """A destination alternate, its distance from the destination (NM) and why it was chosen.

    ``runway`` is the ident of the runway judged suitable, "" when the runway is not verified
    (a position-only candidate from airportsdata).
    """

    airfield: Airfield
    dist_nm: float
    runway: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Rules:
    """The suitability rules: runway length m, surface, fuel, radius NM."""

    min_runway_m: float
    unpaved_ok: bool
    need_fuel: bool
    max_nm: float


@dataclass(frozen=True, slots=True)
class _Dest:
    """What identifies the destination: every code it goes by and its position (deg)."""

    codes: frozenset[str]
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A suitable airfield before distances are compared, with the words for the reason."""

    airfield: Airfield
    runway: Runway | None
    why: str
    """The reason without the distance, e.g. "nearest with a 2,400 m paved runway (...)"."""


def choose_alternate(
    dest: Airfield, *, min_runway_m: float, unpaved_ok: bool, need_fuel: bool, max_nm: float
) -> Alternate | None:
    """The nearest suitable alternate for ``dest`` within ``max_nm`` NM, or None.

    ``min_runway_m`` is the shortest acceptable runway (m); ``unpaved_ok`` admits unpaved
    surfaces; ``need_fuel`` demands fuel on the field. See the module docstring for the rules.
    """
    if not min_runway_m >= 0 or not max_nm > 0:  # written so that NaN fails too
        raise InputError(
            f"alternate search needs min_runway_m >= 0 and max_nm > 0, "
            f"got {min_runway_m} m and {max_nm} NM"
        )
    codes = frozenset(c for c in (dest.icao, dest.iata, *dest.aliases) if c)
    rules = _Rules(float(min_runway_m), unpaved_ok, need_fuel, float(max_nm))
    return _choose(_Dest(codes, dest.lat, dest.lon), rules, _cache_conn())


@lru_cache(maxsize=4096)
def _choose(dest: _Dest, rules: _Rules, cache_key: object) -> Alternate | None:
    # cache_key is the open OurAirports connection (or None): a new import means a new key.
    best = _verified_nearest(dest, rules) or _position_only_nearest(dest, rules)
    if best is None:
        return None
    cand, dist_nm = best
    airfield = cand.airfield if cand.airfield.tz else replace(cand.airfield, tz=_tz_at(cand))
    runway = cand.runway.ident if cand.runway else ""
    return Alternate(airfield, dist_nm, runway, f"{cand.why}, {dist_nm:,.0f} NM")


# --- the tiers ------------------------------------------------------------------------------


def _verified_nearest(dest: _Dest, rules: _Rules) -> tuple[_Candidate, float] | None:
    verified = [*_theatre_candidates(dest, rules), *_cache_candidates(dest, rules)]
    lats = np.array([c.airfield.lat for c in verified], dtype=np.float64)
    lons = np.array([c.airfield.lon for c in verified], dtype=np.float64)
    return _nearest(dest, lats, lons, rules.max_nm, verified.__getitem__)


def _theatre_candidates(dest: _Dest, rules: _Rules) -> Iterable[_Candidate]:
    for a in theatre().values():
        if _is_dest(dest, {a.icao, a.iata, *a.aliases}, a.lat, a.lon):
            continue
        if rules.need_fuel and not a.planning.fuel_available:
            continue
        runway = _best_runway(a.runways, rules)
        if runway is not None:
            fuel = "fuel and " if rules.need_fuel else ""
            yield _Candidate(
                a, runway, f"nearest with {fuel}{_runway_words(runway)} (theatre file)"
            )


def _cache_candidates(dest: _Dest, rules: _Rules) -> Iterable[_Candidate]:
    theatre_fields = _theatre_within(dest, rules)
    for c in cache_airports_in(*_box(dest, rules.max_nm), min_runway_m=rules.min_runway_m):
        if c.kind in _NOT_AIRFIELDS or _is_dest(dest, c.codes, c.lat, c.lon):
            continue
        if any(_same_field(c.codes, c.lat, c.lon, t) for t in theatre_fields):
            continue  # judged from the theatre file instead
        fuel = _fuel_proxy(c)
        if rules.need_fuel and not fuel:
            continue
        runway = _best_runway(c.runways, rules)
        if runway is not None:
            fuel_words = f", fuel assumed ({fuel}; OurAirports)" if rules.need_fuel else ""
            source = "" if rules.need_fuel else " (OurAirports)"
            why = f"nearest with {_runway_words(runway)}{fuel_words}{source}"
            yield _Candidate(_from_cache(c), runway, why)


def _position_only_nearest(dest: _Dest, rules: _Rules) -> tuple[_Candidate, float] | None:
    world = _world()
    near = np.flatnonzero(_sphere_nm(dest.lat, dest.lon, world.lat, world.lon) <= _reach(rules))
    near = near[world.has_iata[near]]
    theatre_fields = _theatre_within(dest, rules)
    unknown = "runway and fuel not verified" if rules.need_fuel else "runway not verified"

    def make(i: int) -> _Candidate | None:
        entry = _airportsdata("ICAO")[world.icao[near[i]]]
        codes = {entry["icao"], entry["iata"]}
        lat, lon = entry["lat"], entry["lon"]
        if _is_dest(dest, codes, lat, lon) or _judged_by_cache(codes, lat, lon):
            return None
        if any(_same_field(codes, lat, lon, t) for t in theatre_fields):
            return None
        why = (
            f"nearest airport with an IATA code ({entry['iata']}), {unknown} "
            f"(airportsdata only; {_IMPORT_HINT})"
        )
        # Position only: the cache judged this airfield's runways unsuitable or lacks them.
        return _Candidate(_from_airportsdata(entry, with_runways=False), None, why)

    return _nearest(dest, world.lat[near], world.lon[near], rules.max_nm, make)


def _judged_by_cache(codes: set[str], lat: float, lon: float) -> bool:
    """Whether the cache knows this airport (by code, or within 1 NM) and found it unsuitable:
    it has runway rows (none passed) or is closed, a heliport..."""
    # A few NM around: the same airport's two positions rarely differ by more.
    box = _box(_Dest(frozenset(), lat, lon), _SAME_FIELD_NM * 5)
    return any(
        (bool(c.runways) or c.kind in _NOT_AIRFIELDS)
        and (not c.codes.isdisjoint(codes) or _close(lat, lon, c.lat, c.lon))
        for c in cache_airports_in(*box)
    )


def _theatre_within(dest: _Dest, rules: _Rules) -> list[Airfield]:
    """Theatre airfields that may lie within ``max_nm`` (1 NM more, for same-field checks)."""
    fields = list(theatre().values())
    lats = np.array([a.lat for a in fields], dtype=np.float64)
    lons = np.array([a.lon for a in fields], dtype=np.float64)
    within = _sphere_nm(dest.lat, dest.lon, lats, lons) <= _reach(rules) + _SAME_FIELD_NM
    return [a for a, ok in zip(fields, within, strict=True) if ok]


# --- rules ----------------------------------------------------------------------------------


def _best_runway(runways: Sequence[Runway], rules: _Rules) -> Runway | None:
    """The best suitable runway: paved before unpaved, then the longest."""
    ok = [
        r
        for r in runways
        if not r.closed
        and r.length_m is not None
        and r.length_m >= rules.min_runway_m
        and (r.paved or (rules.unpaved_ok and not _water(r.surface)))
    ]
    # A paved runway is the better alternate even where the type may use dirt.
    return max(ok, key=lambda r: (r.paved, r.length_m or 0.0), default=None)


def _water(surface: str) -> bool:
    # Seaplane lanes are "runways" in OurAirports, with surface WATER (or W).
    s = surface.strip().upper()
    return s.startswith("WAT") or s == "W"


def _fuel_proxy(c: CacheAirport) -> str:
    """Why fuel is assumed at a cache airport ("" when it is not): scheduled airline service."""
    if c.kind in _FUEL_KINDS and c.scheduled:
        return f"{_FUEL_KINDS[c.kind]}, scheduled service"
    return ""


def _runway_words(r: Runway) -> str:
    # OurAirports surfaces are free text: name it unless it only says "unpaved".
    plain = r.surface.strip().lower() in {"", "unpaved"}
    surface = "paved" if r.paved else "unpaved" if plain else f"unpaved ({r.surface})"
    return f"a {r.length_m or 0.0:,.0f} m {surface} runway"


def _is_dest(dest: _Dest, codes: Iterable[str], lat: float, lon: float) -> bool:
    return not dest.codes.isdisjoint(codes) or _close(dest.lat, dest.lon, lat, lon)


def _same_field(codes: Iterable[str], lat: float, lon: float, other: Airfield) -> bool:
    other_codes = {other.icao, other.iata, *other.aliases} - {""}
    return not other_codes.isdisjoint(codes) or _close(lat, lon, other.lat, other.lon)


def _close(lat1: float, lon1: float, lat2: float, lon2: float) -> bool:
    # A cheap box test first: almost every pair is far apart.
    if abs(lat1 - lat2) > 0.1 or abs((lon1 - lon2 + 180.0) % 360.0 - 180.0) > 0.1 / max(
        math.cos(math.radians(lat1)), 0.01
    ):
        return False
    return geo.inverse(lat1, lon1, lat2, lon2)[0] < _SAME_FIELD_NM


# --- distances ------------------------------------------------------------------------------


def _nearest(
    dest: _Dest,
    lats: FloatArray,
    lons: FloatArray,
    max_nm: float,
    make: Callable[[int], _Candidate | None],
) -> tuple[_Candidate, float] | None:
    """The nearest candidate within ``max_nm`` (geodesic NM) of ``dest``, and its distance.

    ``make(i)`` gives the candidate at position i (degrees), or None if it is not suitable; it
    is called in order of distance, and only while a candidate could still beat the best so
    far, so costly checks run on few positions. Spherical distances give that order; only
    those candidates get the exact (slower) geodesic.
    """
    approx = _sphere_nm(dest.lat, dest.lon, lats, lons)
    best: tuple[_Candidate, float] | None = None
    limit = max_nm * (1.0 + _SPHERE_ERR)
    for i in np.argsort(approx, kind="stable"):
        if approx[i] > limit:
            break
        cand = make(int(i))
        if cand is None:
            continue
        d, _ = geo.inverse(dest.lat, dest.lon, cand.airfield.lat, cand.airfield.lon)
        if d <= max_nm and (best is None or d < best[1]):
            best = (cand, d)
            # A nearer candidate's spherical distance is under d * (1 + err).
            limit = min(limit, d * (1.0 + _SPHERE_ERR))
    return best


def _sphere_nm(lat: float, lon: float, lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Haversine distances (NM) from one point to many, on a sphere of mean Earth radius."""
    p1, p2 = math.radians(lat), np.radians(lats)
    a = (
        np.sin((p2 - p1) / 2.0) ** 2
        + math.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2.0) ** 2
    )
    result: FloatArray = 2.0 * _SPHERE_RADIUS_NM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return result


def _reach(rules: _Rules) -> float:
    """The pre-filter radius (spherical NM) that keeps every candidate within max_nm."""
    return rules.max_nm * (1.0 + _SPHERE_ERR)


def _box(dest: _Dest, max_nm: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) degrees around the circle of ``max_nm``; west > east crosses
    the antimeridian."""
    r = max_nm * (1.0 + _SPHERE_ERR) / _SPHERE_RADIUS_NM  # radians of arc
    south, north = dest.lat - math.degrees(r), dest.lat + math.degrees(r)
    if north >= 90.0 or south <= -90.0 or r >= math.pi / 2:  # a pole or a hemisphere inside
        return max(south, -90.0), min(north, 90.0), -180.0, 180.0
    dlon = math.degrees(math.asin(math.sin(r) / math.cos(math.radians(dest.lat))))
    west, east = dest.lon - dlon, dest.lon + dlon
    return south, north, (west + 540.0) % 360.0 - 180.0, (east + 540.0) % 360.0 - 180.0


# --- airfields from the sources -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _World:
    """airportsdata positions as arrays, for vectorised distances (degrees)."""

    icao: tuple[str, ...]
    lat: FloatArray
    lon: FloatArray
    has_iata: npt.NDArray[np.bool_]


@cache
def _world() -> _World:
    # Built once: 28,000 rows are too many to walk in Python on every search.
    table = _airportsdata("ICAO")
    entries = list(table.values())
    return _World(
        icao=tuple(table),
        lat=np.array([e["lat"] for e in entries], dtype=np.float64),
        lon=np.array([e["lon"] for e in entries], dtype=np.float64),
        has_iata=np.array([bool(e["iata"]) for e in entries]),
    )


def _tz_at(cand: _Candidate) -> str:
    """The time zone of a cache airport: its airportsdata entry's, else the nearest one's."""
    a = cand.airfield
    table = _airportsdata("ICAO")
    if a.icao in table:
        return str(table[a.icao]["tz"])
    world = _world()
    nearest = int(np.argmin(_sphere_nm(a.lat, a.lon, world.lat, world.lon)))
    return str(table[world.icao[nearest]]["tz"])


def _from_cache(c: CacheAirport) -> Airfield:
    # The time zone is filled in for the chosen one only (see _tz_at): it costs a search.
    return Airfield(
        icao=c.code,
        name=c.name,
        lat=c.lat,
        lon=c.lon,
        elevation_ft=c.elevation_ft,
        tz="",
        iata=c.iata,
        country=c.country,
        city=c.city,
        runways=c.runways,
        runway_source="OurAirports cache",
    )
