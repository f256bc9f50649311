"""Airfields and runways: lookup and search by ICAO, IATA or name.

Where each fact comes from, in order of precedence:

* the curated theatre file ``data/theatres/sahel.toml``: runways checked by hand (each with
  its source) and the planning attributes OurAirports lacks (fuel, hours, daylight-only,
  MOG, planning OAT), which are editable scenario assumptions;
* the local OurAirports cache written by ``airlift airfields import`` (runways worldwide;
  :mod:`airlift.ourairports` writes it);
* the ``airportsdata`` package: position, elevation and time zone of ~28,000 airports.

Nothing is downloaded unless :func:`airlift.ourairports.import_ourairports` is given a URL.
"""

from __future__ import annotations

import difflib
import os
import sqlite3
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from airlift.errors import DataFileError, RunwayClosed, UnknownAirfield
from airlift.units import ft_to_m, m_to_ft

_PAVED_PREFIXES = ("ASP", "BIT", "CON", "PEM", "PAV", "TAR", "MAC")


def is_paved(surface: str) -> bool:
    """OurAirports surfaces are free text (ASP, BITUM, CONC, LAT, GVL, TURF, UNK...).

    Only surfaces that clearly name asphalt, bitumen, concrete or tarmac count as paved;
    unknown surfaces count as unpaved, which is the safe side for a performance check.
    """
    return surface.strip().upper().startswith(_PAVED_PREFIXES)


@dataclass(frozen=True, slots=True)
class Runway:
    """A runway; lengths and widths in metres (None when the source does not say)."""

    ident: str
    length_m: float | None
    width_m: float | None
    surface: str
    lighted: bool
    closed: bool
    source: str

    @property
    def paved(self) -> bool:
        return is_paved(self.surface)


@dataclass(frozen=True, slots=True)
class Planning:
    """Planning attributes (scenario assumptions, editable in the theatre file).

    ``None`` means unknown: the planner then warns instead of assuming.
    """

    fuel_available: bool | None = None
    daylight_only: bool = False
    hours_utc: tuple[str, str] | None = None
    """Opening hours as ("HH:MM", "HH:MM") UTC; None = 24 h or unknown."""
    mog: int | None = None
    planning_oat_c: float | None = None
    assault_landing: bool = False
    """Landings here are assault (short-field) landings: the type's assault landing weight
    applies instead of its normal maximum landing weight."""
    notes: str = ""
    source: str = ""
    daylight_source: str = "no planning data: day and night assumed"
    """Where ``daylight_only`` comes from: the theatre file's flag, an override, or the
    scenario's no-night-flying rule (which restricts every airfield, lit or not)."""


@dataclass(frozen=True, slots=True)
class Airfield:
    """An airfield. Position WGS84 degrees, elevation ft, tz an IANA name."""

    icao: str
    name: str
    lat: float
    lon: float
    elevation_ft: float
    tz: str
    iata: str = ""
    country: str = ""
    city: str = ""
    aliases: tuple[str, ...] = ()
    runways: tuple[Runway, ...] = ()
    planning: Planning = field(default_factory=Planning)
    runway_source: str = ""

    def open_runways(self) -> tuple[Runway, ...]:
        return tuple(r for r in self.runways if not r.closed)

    def longest_runway(self) -> Runway | None:
        """The longest open runway with a known length; raises RunwayClosed if all are closed."""
        if self.runways and not self.open_runways():
            raise RunwayClosed(
                f"{self.icao}: every runway is closed "
                f"({', '.join(r.ident for r in self.runways)}); remove it from the stops"
            )
        usable = [r for r in self.open_runways() if r.length_m]
        return max(usable, key=lambda r: r.length_m or 0.0) if usable else None

    def with_closed(self, idents: set[str]) -> Airfield:
        """A copy with the named runways (or all, for ``"*"``) closed: a scenario override."""
        runways = tuple(
            replace(r, closed=True) if "*" in idents or r.ident.upper() in idents else r
            for r in self.runways
        )
        return replace(self, runways=runways)


# --- data locations -------------------------------------------------------------------------


def data_dir() -> Path:
    """The user data directory: ``$AIRLIFT_DATA_DIR`` or the platform's user data dir."""
    env = os.environ.get("AIRLIFT_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("airlift", appauthor=False))


def cache_path() -> Path:
    return data_dir() / "ourairports.sqlite"


# --- theatre file -----------------------------------------------------------------------------


def _theatre_entries() -> list[dict[str, Any]]:
    text = (resources.files("airlift") / "data" / "theatres" / "sahel.toml").read_text("utf-8")
    try:
        entries: list[dict[str, Any]] = tomllib.loads(text)["airfield"]
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise DataFileError(f"theatres/sahel.toml: {exc}") from None
    return entries


def _planning(raw: dict[str, Any]) -> Planning:
    hours = raw.get("hours_utc")
    return Planning(
        fuel_available=raw.get("fuel_available"),
        daylight_only=bool(raw.get("daylight_only", False)),
        hours_utc=(hours.split("-", 1)[0], hours.split("-", 1)[-1]) if hours else None,
        mog=raw.get("mog"),
        planning_oat_c=raw.get("planning_oat_c"),
        assault_landing=bool(raw.get("assault_landing", False)),
        notes=raw.get("notes", ""),
        source=raw.get("source", ""),
        daylight_source=(
            f"theatre file daylight_only = {str(bool(raw['daylight_only'])).lower()}"
            if "daylight_only" in raw
            else "theatre file: no daylight_only (day and night assumed)"
        ),
    )


def _runway_from_toml(raw: dict[str, Any]) -> Runway:
    return Runway(
        ident=raw["ident"],
        length_m=raw.get("length_m"),
        width_m=raw.get("width_m"),
        surface=raw.get("surface", "UNK"),
        lighted=bool(raw.get("lighted", False)),
        closed=bool(raw.get("closed", False)),
        source=raw["source"],
    )


# --- OurAirports cache --------------------------------------------------------------------------


def forget_cache() -> None:
    """Reopen the OurAirports cache at the next lookup (after an import replaced it)."""
    _cache_conn.cache_clear()


@cache
def _cache_conn() -> sqlite3.Connection | None:
    path = cache_path()
    if not path.exists():
        return None
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def _cache_lookup(code: str) -> tuple[tuple[Any, ...], tuple[Runway, ...]] | None:
    con = _cache_conn()
    if con is None:
        return None
    row = None
    for col in ("icao", "gps", "ident", "iata"):
        row = con.execute(
            f"SELECT * FROM airport WHERE {col} = ? ORDER BY id LIMIT 1",
            (code,),
        ).fetchone()
        if row:
            break
    if row is None:
        return None
    runways = tuple(
        _cache_runway(r)
        for r in con.execute("SELECT * FROM runway WHERE airport_id = ?", (row[0],))
    )
    return row, runways


def _cache_runway(r: tuple[Any, ...]) -> Runway:
    """A ``runway`` table row (airport_id, ident, length_ft, width_ft, ...) as a Runway."""
    return Runway(
        ident=r[1],
        length_m=round(ft_to_m(r[2]), 1) if r[2] else None,
        width_m=round(ft_to_m(r[3]), 1) if r[3] else None,
        surface=r[4],
        lighted=bool(r[5]),
        closed=bool(r[6]),
        source=f"OurAirports #{r[7]}",
    )


@dataclass(frozen=True, slots=True)
class CacheAirport:
    """An airport of the OurAirports cache with its runways and class (no time zone).

    Position WGS84 degrees, elevation ft. ``kind`` is the OurAirports type (large_airport,
    medium_airport, small_airport, heliport, seaplane_base, balloonport, closed), "" when the
    cache was imported before types were kept; ``scheduled`` is its scheduled_service flag.
    """

    code: str
    """The code ``lookup`` names it by: ICAO, else GPS code, else the OurAirports ident."""
    codes: frozenset[str]
    """Every code it may be known by: ident, ICAO, GPS and IATA codes."""
    name: str
    iata: str
    city: str
    country: str
    lat: float
    lon: float
    elevation_ft: float
    kind: str
    scheduled: bool | None
    runways: tuple[Runway, ...]


def cache_airports_in(
    south: float, north: float, west: float, east: float, *, min_runway_m: float | None = None
) -> list[CacheAirport]:
    """Cache airports inside a latitude/longitude box (degrees), from the position index.

    ``west > east`` means the box crosses the antimeridian. With ``min_runway_m`` (metres) only
    airports with an open runway of at least that known length; with None, every airport in
    the box, runways or not. Empty when there is no cache.
    """
    con = _cache_conn()
    if con is None:
        return []
    where, args = _box_where(south, north, west, east, min_runway_m)
    classes = con.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'airport_class'"
    ).fetchone()
    # A cache imported before the class table existed still answers, without types.
    kind_cols, kind_join = (
        ("c.type, c.scheduled", "LEFT JOIN airport_class c ON c.airport_id = a.id")
        if classes
        else ("'', NULL", "")
    )
    # One pass: an airport's columns repeat on each of its runways (LEFT JOIN: none is None).
    rows = con.execute(
        f"SELECT a.*, {kind_cols}, r.* FROM airport a {kind_join} "
        f"LEFT JOIN runway r ON r.airport_id = a.id WHERE {where}",
        args,
    )
    airports: dict[int, tuple[Any, ...]] = {}
    runways: dict[int, list[Runway]] = {}
    for row in rows:
        airports.setdefault(row[0], row[:13])
        if row[13] is not None:
            runways.setdefault(row[0], []).append(_cache_runway(row[13:]))
    return [_cache_airport(row, tuple(runways.get(id_, ()))) for id_, row in airports.items()]


def _box_where(
    south: float, north: float, west: float, east: float, min_runway_m: float | None
) -> tuple[str, list[float]]:
    """The SQL condition on ``airport a`` for the box (and runway length) and its arguments."""
    where, args = "a.lat BETWEEN ? AND ?", [south, north]
    if west <= east:
        where += " AND a.lon BETWEEN ? AND ?"
        args += [west, east]
    else:
        where += " AND (a.lon >= ? OR a.lon <= ?)"
        args += [west, east]
    if min_runway_m is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM runway r WHERE r.airport_id = a.id AND r.closed = 0"
            " AND r.length_ft >= ?)"
        )
        # Stored in feet, judged in metres rounded to 0.1 m: half a foot under, so the SQL
        # never drops a runway that the exact check in metres accepts.
        args.append(m_to_ft(min_runway_m) - 0.5)
    return where, args


def _cache_airport(row: tuple[Any, ...], runways: tuple[Runway, ...]) -> CacheAirport:
    _, ident, icao, gps, iata, name, city, country, lat, lon, elev, kind, scheduled = row
    return CacheAirport(
        code=icao or gps or ident,
        codes=frozenset(c for c in (ident, icao, gps, iata) if c),
        name=name,
        iata=iata,
        city=city,
        country=country,
        lat=lat,
        lon=lon,
        elevation_ft=elev or 0.0,
        kind=kind or "",
        scheduled=None if scheduled is None else bool(scheduled),
        runways=runways,
    )


# --- lookup -------------------------------------------------------------------------------------


@cache
def _airportsdata(key: str) -> dict[str, dict[str, Any]]:
    import airportsdata

    table: dict[str, dict[str, Any]] = airportsdata.load(key)  # type: ignore[arg-type,assignment]
    return table


@cache
def theatre() -> dict[str, Airfield]:
    """The curated theatre airfields by ICAO, with position data merged in."""
    result: dict[str, Airfield] = {}
    for raw in _theatre_entries():
        icao = raw["icao"].upper()
        aliases = tuple(a.upper() for a in raw.get("aliases", []))
        base = next(
            (_airportsdata("ICAO")[c] for c in (icao, *aliases) if c in _airportsdata("ICAO")),
            None,
        )
        pos = raw.get("position", {})
        if base is None and not pos:
            raise DataFileError(
                f"theatres/sahel.toml: {icao} has no position and is not in airportsdata"
            )
        result[icao] = Airfield(
            icao=icao,
            name=raw.get("name") or (base or {})["name"],
            lat=pos.get("lat", base["lat"] if base else 0.0),
            lon=pos.get("lon", base["lon"] if base else 0.0),
            elevation_ft=pos.get("elevation_ft", base["elevation"] if base else 0.0),
            tz=pos.get("tz", base["tz"] if base else "UTC"),
            iata=(base or {}).get("iata", ""),
            country=(base or {}).get("country", ""),
            city=(base or {}).get("city", ""),
            aliases=aliases,
            runways=tuple(_runway_from_toml(r) for r in raw.get("runway", [])),
            planning=_planning(raw.get("planning", {})),
            runway_source="theatre file",
        )
    return result


def _from_airportsdata(entry: dict[str, Any], with_runways: bool = True) -> Airfield:
    """An airportsdata entry as an Airfield, with its runways from the OurAirports cache
    unless ``with_runways`` is False (position only)."""
    icao = entry["icao"]
    found = _cache_lookup(icao) if with_runways else None
    return Airfield(
        icao=icao,
        name=entry["name"],
        lat=entry["lat"],
        lon=entry["lon"],
        elevation_ft=entry["elevation"],
        tz=entry["tz"],
        iata=entry["iata"],
        country=entry["country"],
        city=entry["city"],
        runways=found[1] if found else (),
        runway_source="OurAirports cache" if found else "",
    )


def _from_cache(row: tuple[Any, ...], runways: tuple[Runway, ...]) -> Airfield:
    # (id, ident, icao, gps, iata, name, city, country, lat, lon, elev_ft); OurAirports has no
    # time zone, so the nearest airportsdata airport lends its zone.
    _, ident, icao, gps, iata, name, city, country, lat, lon, elev = row
    near = min(
        _airportsdata("ICAO").values(), key=lambda a: (a["lat"] - lat) ** 2 + (a["lon"] - lon) ** 2
    )
    return Airfield(
        icao=icao or gps or ident,
        name=name,
        lat=lat,
        lon=lon,
        elevation_ft=elev or 0.0,
        tz=near["tz"],
        iata=iata,
        country=country,
        city=city,
        runways=runways,
        runway_source="OurAirports cache",
    )


def lookup(query: str) -> Airfield:
    """Find an airfield by ICAO (or alias), IATA or name; UnknownAirfield lists suggestions."""
    q = query.strip().upper()
    if not q:
        raise UnknownAirfield(query, [])
    for field_ in theatre().values():
        if q == field_.icao or q in field_.aliases or (field_.iata and q == field_.iata):
            return field_
    icao = _airportsdata("ICAO")
    if q in icao:
        return _from_airportsdata(icao[q])
    found = _cache_lookup(q)
    if found:
        return _from_cache(*found)
    if len(q) == 3:
        iata = _airportsdata("IATA")
        if q in iata:
            return _from_airportsdata(iata[q]) if iata[q]["icao"] else _from_iata_only(iata[q])
    by_name = [
        a for a in theatre().values() if q in a.name.upper() or (a.city and q in a.city.upper())
    ]
    if not by_name:
        matches = [e for e in icao.values() if q == e["name"].upper() or q == e["city"].upper()]
        by_name = [_from_airportsdata(e) for e in matches]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise UnknownAirfield(query, [f"{a.icao} ({a.name})" for a in by_name[:5]])
    raise UnknownAirfield(query, suggest(q))


@dataclass(frozen=True, slots=True)
class Match:
    """An airfield a search found: enough to pick it (plan with ``icao``)."""

    icao: str
    iata: str
    name: str
    city: str
    country: str
    source: str
    """theatre file | airportsdata"""


def search(query: str, limit: int = 10) -> list[Match]:
    """Airfields whose ICAO or IATA code starts with ``query``, or whose name or city holds
    it (any case): theatre airfields first, then the world (airportsdata), codes before names.

    A linear scan of airportsdata's ~28,000 entries (a few ms): an index would be a second
    copy of the package's own table for a form's type-ahead."""
    q = query.strip().upper()
    if not q:
        return []
    found: dict[str, tuple[int, Match]] = {}

    def rank(code: str, iata: str, name: str, city: str, base: int) -> int | None:
        if q in (code, iata):
            return base
        if code.startswith(q) or (iata and iata.startswith(q)):
            return base + 1
        if q in name.upper() or (city and q in city.upper()):
            return base + 2
        return None

    for a in theatre().values():
        r = rank(a.icao, a.iata, a.name, a.city, 0)
        if r is not None:
            found[a.icao] = (r, Match(a.icao, a.iata, a.name, a.city, a.country, "theatre file"))
    for code, e in _airportsdata("ICAO").items():
        if code in found:
            continue
        r = rank(code, e.get("iata") or "", e["name"], e.get("city") or "", 10)
        if r is not None:
            found[code] = (
                r,
                Match(
                    code,
                    e.get("iata") or "",
                    e["name"],
                    e.get("city") or "",
                    e.get("country") or "",
                    "airportsdata",
                ),
            )
    ordered = sorted(found.values(), key=lambda x: (x[0], x[1].icao))
    return [m for _, m in ordered[: max(0, limit)]]


def _from_iata_only(entry: dict[str, Any]) -> Airfield:
    return replace(_from_airportsdata({**entry, "icao": entry["iata"]}))


def suggest(query: str, n: int = 3) -> list[str]:
    """The closest theatre or world codes/names to a mistyped query."""
    q = query.upper()
    theatre_codes = {a.icao: a.name for a in theatre().values()}
    close = difflib.get_close_matches(q, list(theatre_codes), n=n, cutoff=0.5)
    if len(close) < n:
        world = _airportsdata("ICAO")
        close += [
            c for c in difflib.get_close_matches(q, list(world), n=n, cutoff=0.75) if c not in close
        ][: n - len(close)]
        if len(close) < n:  # names too, while there is room (difflib refuses n=0)
            names = {e["name"].upper(): c for c, e in world.items()}
            for name in difflib.get_close_matches(q, list(names), n=n - len(close), cutoff=0.8):
                close.append(names[name])
    labels = {**{c: e["name"] for c, e in _airportsdata("ICAO").items()}, **theatre_codes}
    return [f"{c} ({labels.get(c, '')})" for c in close[:n]]
