"""Airspace zones (threat areas, prohibited and restricted airspace) and their file readers.

What: a :class:`Zone` is a lon/lat polygon with an optional altitude band, an optional UTC
activity window and, for threats, a stand-off distance. ``read_zones`` reads GeoJSON, KML
or OpenAIR files into zones. Why: the mission planner routes legs around the zones active
at the leg's cruise level and time (``airlift.airspace.routing``).

Simplification (stated once, relied on everywhere): a zone counts for a leg when its band
contains the leg's *cruise level*; climb and descent through a band are not judged.

Readers, choices made:

* GeoJSON: FeatureCollection or a single Feature. Polygon; MultiPolygon gives one zone
  per part, named ``"<name> (i/n)"`` (a Zone holds one Polygon, so the router sees each
  part as its own obstacle, then unions overlapping ones); Point with ``radius_nm`` or
  ``radius_m`` is a circle. Properties: ``name`` and ``kind`` required; ``lower_ft``,
  ``upper_ft``, ``from_utc``, ``until_utc`` (ISO 8601 with a zone offset), ``standoff_nm``
  or ``standoff_m``, ``note`` optional.
* KML: every Placemark with a Polygon (outer boundary only; inner boundaries are refused,
  not silently dropped). ``kind`` from ExtendedData ``<Data name="kind">`` or a description
  line ``kind: threat``; without either the zone is ``restricted`` (the cautious choice
  for an unlabelled area a planner drew: avoided, but with no threat stand-off).
  ``lower_ft``, ``upper_ft``, ``standoff_nm``, ``from_utc``, ``until_utc`` from
  ExtendedData when present.
* OpenAIR (aerofiles.openair.Reader): AC P -> prohibited; R, Q (danger), D -> restricted
  (avoided like a restricted area: a planner cannot judge a danger area's activity from
  the file). Other classes (A-G controlled, CTR, TMZ, RMZ, W, GP...) are errors naming the
  line: this package only routes around areas to avoid. OpenAIR cannot say "threat".
  AL/AH: ``FL95``, ``5000ft`` / ``5000 ft MSL`` / ``5000`` (ft MSL), ``SFC``/``GND``
  (= 0), ``UNL``/``UNLIM`` (no upper limit); AGL heights are refused (no terrain model).
  Elements: DP polygons, V X= + DC circles (radius NM), DA/DB arcs (densified along
  geodesics); DY airways and terrain records are refused. One AA activation window
  (``start/end``, ISO 8601 or NONE) becomes from_utc/until_utc; several are refused.
  Display-only records (AY, AF, AG, AI, AT, SP, SB, V Z=) are read and not used.

Every bad input raises one :class:`~airlift.errors.FieldError` naming the file, the
feature (GeoJSON feature number, KML line, OpenAIR line) and the zone name when known.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pyproj import Geod
from shapely import Polygon
from shapely.validation import explain_validity

from airlift.errors import FieldError, Where
from airlift.formats import json_loads
from airlift.units import M_PER_FT, M_PER_NM

Kind = Literal["threat", "prohibited", "restricted"]
KINDS: tuple[Kind, ...] = ("threat", "prohibited", "restricted")

CIRCLE_POINTS = 72
"""Vertices of a circle zone (every 5 degrees of azimuth, on the geodesic circle)."""

ARC_STEP_DEG = 5.0
"""Angular step when an OpenAIR arc is densified along the geodesic circle."""

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Zone:
    """One zone to avoid. ``area`` is a valid shapely Polygon in lon/lat (EPSG:4326).

    ``lower_ft``/``upper_ft``: the altitude band (ft MSL; None = unbounded below/above).
    ``from_utc``/``until_utc``: the activity window (tz-aware UTC; None = always).
    ``standoff_m``: how far a route must stay from a threat (0 for other kinds).
    """

    name: str
    kind: Kind
    area: Polygon
    lower_ft: float | None = None
    upper_ft: float | None = None
    from_utc: datetime | None = None
    until_utc: datetime | None = None
    standoff_m: float = 0.0
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FieldError("kind", f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if not (math.isfinite(self.standoff_m) and self.standoff_m >= 0):
            raise FieldError("standoff_m", f"standoff_m must be >= 0, got {self.standoff_m!r}")
        lower, upper = self.lower_ft, self.upper_ft
        if lower is not None and upper is not None and lower > upper:
            raise FieldError("lower_ft", f"lower_ft {lower:g} is above upper_ft {upper:g}")
        for name in ("from_utc", "until_utc"):
            t = getattr(self, name)
            if t is not None and t.utcoffset() is None:
                raise FieldError(name, f"{name} must be timezone-aware (UTC)")
        start, until = self.from_utc, self.until_utc
        if start is not None and until is not None and start > until:
            raise FieldError("from_utc", "from_utc is after until_utc")

    def active(self, level_ft: float, start: datetime, end: datetime) -> bool:
        """True when the band contains ``level_ft`` and the window overlaps [start, end]."""
        if self.lower_ft is not None and level_ft < self.lower_ft:
            return False
        if self.upper_ft is not None and level_ft > self.upper_ft:
            return False
        if self.from_utc is not None and end < self.from_utc:
            return False
        return not (self.until_utc is not None and start > self.until_utc)


# --------------------------------------------------------------------------- geometry


def geodesic_circle(lat: float, lon: float, radius_m: float, n: int = CIRCLE_POINTS) -> Polygon:
    """A circle of ``radius_m`` (geodesic) about (lat, lon), as an n-vertex lon/lat polygon."""
    azimuths = [360.0 * i / n for i in range(n)]
    lons, lats, _ = _GEOD.fwd([lon] * n, [lat] * n, azimuths, [radius_m] * n)
    return Polygon(list(zip(lons, lats, strict=True)))


def geodesic_arc(
    lat: float, lon: float, radius_m: float, start_deg: float, end_deg: float, clockwise: bool
) -> list[tuple[float, float]]:
    """(lon, lat) points on the geodesic circle from bearing ``start_deg`` to ``end_deg``."""
    sweep = (end_deg - start_deg) % 360.0 if clockwise else -((start_deg - end_deg) % 360.0)
    if sweep == 0.0:
        sweep = 360.0 if clockwise else -360.0
    n = max(2, math.ceil(abs(sweep) / ARC_STEP_DEG))
    azimuths = [start_deg + sweep * i / n for i in range(n + 1)]
    lons, lats, _ = _GEOD.fwd([lon] * (n + 1), [lat] * (n + 1), azimuths, [radius_m] * (n + 1))
    return list(zip(lons, lats, strict=True))


def _bearing_distance(lat: float, lon: float, to: tuple[float, float]) -> tuple[float, float]:
    """(bearing deg, distance m) from (lat, lon) to ``to`` = (lat, lon)."""
    az, _, dist = _GEOD.inv(lon, lat, to[1], to[0])
    return float(az), float(dist)


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class _Place:
    file: str
    row: int | None
    unit: str
    record: str = ""

    def error(self, field_name: str | None, reason: str) -> FieldError:
        return FieldError(field_name, reason, Where(self.file, self.row, self.unit, self.record))

    def named(self, record: str) -> _Place:
        return _Place(self.file, self.row, self.unit, record)


def _polygon(coords: Sequence[Any], place: _Place, field_name: str) -> Polygon:
    """A valid polygon from (lon, lat) pairs, or the FieldError saying what is wrong."""
    points: list[tuple[float, float]] = []
    for c in coords:
        if not isinstance(c, (list, tuple)) or len(c) < 2:
            raise place.error(field_name, f"{field_name}: a position must be [lon, lat], got {c!r}")
        lon, lat = _number(c[0], place, field_name), _number(c[1], place, field_name)
        points.append(_lon_lat(lon, lat, place, field_name))
    if len(points) >= 2 and points[0] == points[-1]:
        points = points[:-1]
    if len(set(points)) < 3:
        raise place.error(field_name, f"{field_name}: a polygon needs 3 distinct points")
    poly = Polygon(points)
    if not poly.is_valid:
        raise place.error(field_name, f"{field_name}: invalid polygon ({explain_validity(poly)})")
    return poly


def _number(value: Any, place: _Place, field_name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise place.error(field_name, f"{field_name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (ValueError, OverflowError):  # OverflowError: an integer beyond any float
        shown = value if not isinstance(value, int) else f"{str(value)[:12]}... (too large)"
        raise place.error(field_name, f"{field_name} must be a number, got {shown!r}") from None
    if not math.isfinite(number):
        raise place.error(field_name, f"{field_name} must be finite, got {value!r}")
    return number


def _lon_lat(lon: float, lat: float, place: _Place, field_name: str) -> tuple[float, float]:
    if not -90.0 <= lat <= 90.0:
        raise place.error(field_name, f"{field_name}: latitude {lat:g} is outside -90..90")
    if not -180.0 <= lon <= 180.0:
        raise place.error(field_name, f"{field_name}: longitude {lon:g} is outside -180..180")
    return lon, lat


def _time(value: Any, place: _Place, field_name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise place.error(field_name, f"{field_name} must be an ISO 8601 time, got {value!r}")
    try:
        t = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise place.error(
            field_name, f"{field_name} must be an ISO 8601 time, got {value!r}"
        ) from None
    if t.tzinfo is None:
        raise place.error(field_name, f"{field_name} needs a zone (Z or +hh:mm), got {value!r}")
    return t.astimezone(UTC)


def _optional_number(value: Any, place: _Place, field_name: str) -> float | None:
    return None if value is None or value == "" else _number(value, place, field_name)


def _kind(value: Any, place: _Place) -> Kind:
    text = str(value).strip().lower() if value is not None else ""
    if text not in KINDS:
        raise place.error("kind", f"kind must be one of {', '.join(KINDS)}, got {value!r}")
    return text  # narrowed to Kind by `in KINDS`


def _make_zone(
    place: _Place,
    name: str,
    kind: Kind,
    area: Polygon,
    props: Mapping[str, Any],
) -> Zone:
    """A Zone from already-parsed geometry and raw optional properties, all checked."""
    lower = _optional_number(props.get("lower_ft"), place, "lower_ft")
    upper = _optional_number(props.get("upper_ft"), place, "upper_ft")
    if lower is not None and upper is not None and lower > upper:
        raise place.error("lower_ft", f"lower_ft {lower:g} is above upper_ft {upper:g}")
    start = _time(props.get("from_utc"), place, "from_utc")
    until = _time(props.get("until_utc"), place, "until_utc")
    if start is not None and until is not None and start > until:
        raise place.error("from_utc", f"from_utc {start:%Y-%m-%dT%H:%MZ} is after until_utc")
    standoff_m = 0.0
    if props.get("standoff_nm") not in (None, ""):
        standoff_m = _number(props["standoff_nm"], place, "standoff_nm") * M_PER_NM
    elif props.get("standoff_m") not in (None, ""):
        standoff_m = _number(props["standoff_m"], place, "standoff_m")
    if standoff_m < 0:
        raise place.error("standoff_nm", "standoff_nm must be >= 0")
    if standoff_m > 0 and kind != "threat":
        raise place.error("standoff_nm", f"a stand-off is for threats only, not {kind} zones")
    note = props.get("note")
    return Zone(name, kind, area, lower, upper, start, until, standoff_m, str(note or ""))


# --------------------------------------------------------------------------- the reader


def read_zones(path: Path) -> tuple[Zone, ...]:
    """Zones from a GeoJSON, KML or OpenAIR file (chosen by suffix, else by content)."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FieldError(None, f"cannot read the zone file: {e.strerror}", Where(name)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FieldError(None, f"not UTF-8 (byte {e.start})", Where(name)) from None
    if not text.strip():
        raise FieldError(None, "the zone file is empty", Where(name))
    fmt = _format(path, text)
    if fmt == "geojson":
        zones = _read_geojson(text, name)
    elif fmt == "kml":
        zones = _read_kml(raw, name)
    else:
        zones = _read_openair(text, name)
    if not zones:
        raise FieldError(None, f"no zone in the {fmt} file", Where(name))
    return zones


def zone_from_feature(feature: Mapping[str, Any], where: Where | None = None) -> Zone:
    """One zone from one GeoJSON Feature of a Polygon (or a Point with ``radius_nm``), with
    every check ``read_zones`` makes (valid polygon, kind, band, window, stand-off): how a
    stored zone row becomes a :class:`Zone` again. ``where`` names the source in errors."""
    w = where or Where()
    place = _Place(w.file, w.row, w.unit or "feature", w.record)
    geom = feature.get("geometry") if isinstance(feature, Mapping) else None
    if isinstance(geom, Mapping) and geom.get("type") == "MultiPolygon":
        raise place.error("geometry", "one zone is one Polygon, not a MultiPolygon")
    given = dict(feature) if isinstance(feature, Mapping) else feature
    return next(iter(_geojson_feature(given, place)))


def zone_geometry(zone: Zone) -> dict[str, Any]:
    """The zone's area as a GeoJSON Polygon (lon/lat, the ring closed)."""
    ring = [[float(x), float(y)] for x, y in zone.area.exterior.coords]
    return {"type": "Polygon", "coordinates": [ring]}


def _format(path: Path, text: str) -> Literal["geojson", "kml", "openair"]:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return "geojson"
    if suffix == ".kml":
        return "kml"
    if suffix in (".txt", ".air", ".openair"):
        return "openair"
    head = text.lstrip()[:1]
    return "geojson" if head in "{[" else "kml" if head == "<" else "openair"


# GeoJSON ------------------------------------------------------------------------------


def _read_geojson(text: str, file: str) -> tuple[Zone, ...]:
    doc = json_loads(text, file)  # one FieldError for bad, too deep or too long JSON
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        raise FieldError(
            "type", "not GeoJSON: expected a FeatureCollection or Feature", Where(file)
        )
    features = doc.get("features") if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise FieldError("features", "features must be a list", Where(file))
    zones: list[Zone] = []
    for i, feature in enumerate(features, start=1):
        zones.extend(_geojson_feature(feature, _Place(file, i, "feature")))
    return tuple(zones)


def _geojson_feature(feature: Any, place: _Place) -> Iterator[Zone]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise place.error("type", "each item must be a GeoJSON Feature")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise place.error("properties", "properties must be an object")
    name = props.get("name")
    if not isinstance(name, str) or not name.strip():
        raise place.error("name", "name is required")
    place = place.named(name.strip())
    kind = _kind(props.get("kind"), place)
    geom = feature.get("geometry")
    if not isinstance(geom, dict):
        raise place.error("geometry", "geometry is required")
    gtype, coords = geom.get("type"), geom.get("coordinates")
    if not isinstance(coords, list):
        raise place.error("geometry", "geometry.coordinates must be a list")
    if gtype == "Polygon":
        yield _make_zone(place, place.record, kind, _geojson_polygon(coords, place), props)
    elif gtype == "MultiPolygon":
        for j, part in enumerate(coords, start=1):
            if not isinstance(part, list):
                raise place.error("geometry", "a MultiPolygon part must be a list of rings")
            label = f"{place.record} ({j}/{len(coords)})" if len(coords) > 1 else place.record
            yield _make_zone(place, label, kind, _geojson_polygon(part, place), props)
    elif gtype == "Point":
        yield _make_zone(place, place.record, kind, _geojson_circle(coords, props, place), props)
    else:
        raise place.error(
            "geometry",
            f"geometry type {gtype!r} is not a zone (Polygon, "
            "MultiPolygon or Point with radius_nm)",
        )


def _geojson_polygon(rings: list[Any], place: _Place) -> Polygon:
    if len(rings) != 1:
        raise place.error("geometry", "a zone polygon must have exactly one ring (no holes)")
    if not isinstance(rings[0], list):
        raise place.error("geometry", "a polygon ring must be a list of positions")
    return _polygon(rings[0], place, "geometry")


def _geojson_circle(coords: list[Any], props: Mapping[str, Any], place: _Place) -> Polygon:
    if len(coords) < 2:
        raise place.error("geometry", "a Point must be [lon, lat]")
    lon, lat = _lon_lat(
        _number(coords[0], place, "geometry"),
        _number(coords[1], place, "geometry"),
        place,
        "geometry",
    )
    if props.get("radius_nm") is not None:
        field_name, radius_m = (
            "radius_nm",
            _number(props["radius_nm"], place, "radius_nm") * M_PER_NM,
        )
    elif props.get("radius_m") is not None:
        field_name, radius_m = "radius_m", _number(props["radius_m"], place, "radius_m")
    else:
        raise place.error("radius_nm", "a Point zone needs radius_nm (or radius_m)")
    if radius_m <= 0:
        raise place.error(field_name, f"{field_name} must be > 0")
    if abs(lat) > 80:
        raise place.error("geometry", "circle zones are supported up to 80 degrees latitude")
    return geodesic_circle(lat, lon, radius_m)


# KML ------------------------------------------------------------------------------------

_KML_NS = "{http://www.opengis.net/kml/2.2}"


def _read_kml(raw: bytes, file: str) -> tuple[Zone, ...]:
    # lxml rather than fastkml: the reader must name the line of a bad Placemark
    # (lxml's sourceline) and refuse what it does not handle; fastkml skips unknown
    # elements silently and keeps no line numbers.
    from lxml import etree  # type: ignore[import-untyped]  # no stubs in the venv

    try:
        root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        raise FieldError(None, f"not valid XML ({e.msg})", Where(file, e.lineno)) from None
    if root.tag not in (f"{_KML_NS}kml", "kml"):
        raise FieldError(None, f"XML but not KML (root element {root.tag!r})", Where(file))
    ns = _KML_NS if root.tag.startswith("{") else ""
    zones: list[Zone] = []
    for pm in root.iter(f"{ns}Placemark"):
        place = _Place(file, pm.sourceline, "line")
        name = (pm.findtext(f"{ns}name") or "").strip()
        if not name:
            raise place.error("name", "a Placemark needs a name")
        place = place.named(name)
        props = _kml_properties(pm, ns)
        polygons = list(pm.iter(f"{ns}Polygon"))
        if len(polygons) != 1:
            raise place.error("geometry", "a zone Placemark needs exactly one Polygon")
        if polygons[0].find(f"{ns}innerBoundaryIs") is not None:
            raise place.error("geometry", "polygon holes are not supported")
        text = polygons[0].findtext(f"{ns}outerBoundaryIs/{ns}LinearRing/{ns}coordinates")
        if text is None:
            raise place.error("geometry", "the Polygon has no outerBoundaryIs coordinates")
        coords = [c.split(",") for c in text.split()]
        kind = _kind(props.get("kind", "restricted"), place)
        zones.append(_make_zone(place, name, kind, _polygon(coords, place, "geometry"), props))
    return tuple(zones)


def _kml_properties(pm: Any, ns: str) -> dict[str, str]:
    props: dict[str, str] = {}
    for line in (pm.findtext(f"{ns}description") or "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "kind":
            props["kind"] = value.strip()
    for data in pm.iter(f"{ns}Data"):
        props[str(data.get("name"))] = (data.findtext(f"{ns}value") or "").strip()
    return props


# OpenAIR --------------------------------------------------------------------------------

OPENAIR_KINDS: dict[str, Kind] = {
    "P": "prohibited",
    "R": "restricted",
    "Q": "restricted",
    "D": "restricted",
}
"""OpenAIR AC class -> zone kind. Q is "danger" in OpenAIR; D is also used for danger."""


def _read_openair(text: str, file: str) -> tuple[Zone, ...]:
    from aerofiles.openair import Reader

    zones: list[Zone] = []
    for record, error in Reader(text.splitlines(keepends=True)):
        if error is not None:
            row = getattr(error, "lineno", None)
            raise FieldError(None, f"OpenAIR: {error}", Where(file, row)) from None
        zones.append(_openair_zone(record, file))
    return tuple(zones)


def _openair_zone(record: dict[str, Any], file: str) -> Zone:
    elements = record.get("elements") or []
    first = elements[0]["lineno"] if elements else None
    place = _Place(file, first, "line", str(record.get("name") or ""))
    if record.get("type") != "airspace":
        raise place.error(None, "OpenAIR terrain records (TO/TC) are not zones")
    if not place.record:
        raise place.error("AN", "the airspace has no name (AN)")
    cls = str(record.get("class") or "").strip().upper()
    if cls not in OPENAIR_KINDS:
        raise place.error(
            "AC",
            f"airspace class {cls!r} is not a zone to avoid (accepted: {', '.join(OPENAIR_KINDS)})",
        )
    props: dict[str, Any] = {
        "lower_ft": _openair_level(record.get("floor"), place, "AL"),
        "upper_ft": _openair_level(record.get("ceiling"), place, "AH"),
        **_openair_window(record.get("activation") or [], place),
    }
    area = _openair_area(elements, place)
    return _make_zone(place, place.record, OPENAIR_KINDS[cls], area, props)


def _openair_window(activations: list[dict[str, Any]], place: _Place) -> dict[str, Any]:
    """from_utc/until_utc from one AA line (``AA 2026-01-01T06:00Z/2026-01-01T18:00Z``,
    either end NONE); several windows do not fit a Zone's one window: an error."""
    if not activations:
        return {}
    if len(activations) > 1 or "value" in activations[0]:
        raise _at(place, activations[0]).error(
            "AA", "one AA activation window start/end (ISO 8601 or NONE) per zone is supported"
        )
    out: dict[str, Any] = {}
    for key, name in (("start", "from_utc"), ("end", "until_utc")):
        t = activations[0].get(key)
        if t is not None and t.tzinfo is None:
            raise _at(place, activations[0]).error("AA", "AA times need a zone (Z)")
        out[name] = None if t is None else t.isoformat()
    return out


def _openair_level(value: Any, place: _Place, field_name: str) -> float | None:
    if value is None:
        raise place.error(field_name, f"{field_name} (altitude) is missing")
    text = str(value).strip().upper().replace(" ", "")
    if text in ("SFC", "GND", "0"):
        return 0.0
    if text in ("UNL", "UNLIM", "UNLIMITED"):
        return None
    if "AGL" in text or "AGND" in text:
        raise place.error(
            field_name,
            f"{field_name} {value!r}: heights above ground are not "
            "supported (no terrain model); give ft MSL or FL",
        )
    if text.startswith("FL"):
        return _number(text[2:], place, field_name) * 100.0
    for suffix in ("FTMSL", "FTAMSL", "FT", "MSL", "AMSL"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    if text.endswith("M"):
        return _number(text[:-1], place, field_name) / M_PER_FT
    return _number(text, place, field_name)


def _openair_area(elements: list[dict[str, Any]], place: _Place) -> Polygon:
    if not elements:
        raise place.error("DP", "the airspace has no geometry (DP, DC, DA or DB)")
    if elements[0]["type"] == "circle":
        if len(elements) > 1:
            raise place.error("DC", "a DC circle must be the airspace's only element")
        (lat, lon), radius_nm = elements[0]["center"], float(elements[0]["radius"])
        if not math.isfinite(radius_nm) or radius_nm <= 0:
            raise _at(place, elements[0]).error("DC", "DC radius must be > 0 NM")
        _lon_lat(lon, lat, place, "V")
        return geodesic_circle(lat, lon, radius_nm * M_PER_NM)
    points: list[tuple[float, float]] = []
    for el in elements:
        at = _at(place, el)
        if el["type"] == "point":
            lat, lon = el["location"]
            points.append((lon, lat))
        elif el["type"] == "arc":
            points.extend(_openair_arc(el, at))
        else:
            raise at.error(None, f"OpenAIR element {el['type']!r} is not supported in a zone")
    return _polygon(points, place, "DP")


def _openair_arc(el: dict[str, Any], place: _Place) -> list[tuple[float, float]]:
    if el.get("center") is None:
        raise place.error("V", "an arc needs its centre (V X=) first")
    lat, lon = el["center"]
    _lon_lat(lon, lat, place, "V")
    if "radius" in el:  # DA radius NM, start and end bearings
        radius_m = float(el["radius"]) * M_PER_NM
        if radius_m <= 0:
            raise place.error("DA", "DA radius must be > 0 NM")
        return geodesic_arc(lat, lon, radius_m, el["start"], el["end"], el["clockwise"])
    start_az, radius_m = _bearing_distance(lat, lon, tuple(el["start"]))
    end_az, _ = _bearing_distance(lat, lon, tuple(el["end"]))
    return geodesic_arc(lat, lon, radius_m, start_az, end_az, el["clockwise"])


def _at(place: _Place, element: dict[str, Any]) -> _Place:
    return _Place(place.file, element.get("lineno", place.row), "line", place.record)
