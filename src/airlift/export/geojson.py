"""The plan as an RFC 7946 GeoJSON FeatureCollection.

One Point per distinct stop, one LineString per leg along the path flown (the WGS84 geodesic,
or geodesics around active zones), densified every ~25 NM so that straight segments on a map
follow the great circle, and one Polygon per zone the plan was routed around. Positions are
[lon, lat] rounded to 6 decimals (about 0.1 m); there is no ``crs`` member (RFC 7946 is
WGS84 only). A track crossing the antimeridian is cut there into a MultiLineString, as
RFC 7946 section 3.1.9 asks. Property names carry their units (dist_nm, tow_kg ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import shapely.geometry

from airlift import geo
from airlift.airfields import Airfield
from airlift.export.document import (
    check_stops,
    dumps,
    leg_dict,
    leg_violations,
    number,
    zone_dict,
)
from airlift.mission import MissionPlan

STEP_NM = 25.0
"""Spacing (NM) of the points along a leg's track."""

Position = tuple[float, float]
"""(lon, lat) in degrees, WGS84."""

# Leg fields carried as properties of each leg's LineString feature.
LEG_PROPERTIES = (
    "index",
    "number",
    "origin",
    "destination",
    "feasible",
    "dist_nm",
    "course_deg",
    "air_nm",
    "gs_kt",
    "flight_time_min",
    "block_time_min",
    "etd_utc",
    "eta_utc",
    "etd_local",
    "eta_local",
    "cargo_kg",
    "pallets",
    "pax",
    "payload_kg",
    "uplift_kg",
    "ramp_fuel_kg",
    "trip_fuel_kg",
    "reserve_fuel_kg",
    "landing_fuel_kg",
    "tankered_kg",
    "tow_kg",
    "lw_kg",
    "binding_limit",
    "margin",
    "margin_unit",
    "alternate",
    "alternate_nm",
    "detour_nm",
    "zones_avoided",
    "countries",
)


def _pos(lon: float, lat: float) -> Position:
    return (number(lon, 6) or 0.0, number(lat, 6) or 0.0)


def split_antimeridian(points: Sequence[Position]) -> list[list[Position]]:
    """Cut a polyline of (lon, lat) with longitudes in [-180, 180] where it crosses ±180.

    A step of more than 180° in longitude is taken as a crossing; the crossing latitude is
    interpolated linearly (the steps are short). Parts of fewer than two distinct points
    are dropped.
    """
    parts: list[list[Position]] = [[points[0]]] if points else []
    for (lon1, lat1), (lon2, lat2) in pairwise(points):
        if abs(lon2 - lon1) > 180.0:
            edge = 180.0 if lon1 > 0 else -180.0
            lon2_unwrapped = lon2 + 2 * edge
            frac = (edge - lon1) / (lon2_unwrapped - lon1)
            lat_x = lat1 + frac * (lat2 - lat1)
            parts[-1].append((edge, lat_x))
            parts.append([(-edge, lat_x)])
        parts[-1].append((lon2, lat2))
    return [p for p in parts if len(set(p)) >= 2]


def leg_track(
    origin: Airfield,
    destination: Airfield,
    step_nm: float = STEP_NM,
    via: Sequence[tuple[float, float]] = (),
) -> list[list[Position]]:
    """The path from ``origin`` to ``destination`` as parts of (lon, lat), 6 decimals: the
    geodesic, or geodesics through the (lat, lon) points ``via`` (a leg's ``route`` around
    zones), each densified every ``step_nm``.

    The first and last positions are exactly the airfields' (rounded) positions. One part
    unless the track crosses the antimeridian; none if both ends are the same position.
    """
    corners = [(origin.lat, origin.lon), *via[1:-1], (destination.lat, destination.lon)]
    pts: list[tuple[float, float]] = []
    for (lat1, lon1), (lat2, lon2) in pairwise(corners):
        part = geo.densify(lat1, lon1, lat2, lon2, step_nm)
        pts += part if not pts else part[1:]
    pts[0] = (origin.lon, origin.lat)
    pts[-1] = (destination.lon, destination.lat)
    rounded = [_pos(lon, lat) for lon, lat in pts]
    deduped = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
    return split_antimeridian(deduped)


def zone_features(plan: MissionPlan) -> list[dict[str, Any]]:
    """The zones the plan was routed around, as Polygon features (kind "zone")."""
    return [
        {
            "type": "Feature",
            "id": f"zone-{i + 1}",
            "geometry": shapely.geometry.mapping(z.area),
            "properties": {"kind": "zone", "zone_kind": z.kind, **zone_dict(z)},
        }
        for i, z in enumerate(plan.zones)
    ]


def _stop_features(stops: Sequence[Airfield]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for i, s in enumerate(stops):
        if s.icao in seen:
            seen[s.icao]["properties"]["visits"].append(i)
            continue
        seen[s.icao] = {
            "type": "Feature",
            "id": f"stop-{s.icao}",
            "geometry": {"type": "Point", "coordinates": list(_pos(s.lon, s.lat))},
            "properties": {
                "kind": "stop",
                "icao": s.icao,
                "name": s.name,
                "elevation_ft": number(s.elevation_ft, 0),
                "fuel_available": s.planning.fuel_available,
                "daylight_only": s.planning.daylight_only,
                "daylight_source": s.planning.daylight_source,
                "tz": s.tz,
                "visits": [i],
            },
        }
    return list(seen.values())


def _geometry(parts: list[list[Position]], fallback: Position) -> dict[str, Any]:
    if not parts:  # both ends at one position: a line would be invalid
        return {"type": "Point", "coordinates": list(fallback)}
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": [list(p) for p in parts[0]]}
    return {"type": "MultiLineString", "coordinates": [[list(p) for p in part] for part in parts]}


def feature_collection(plan: MissionPlan, stops: Sequence[Airfield]) -> dict[str, Any]:
    """The GeoJSON FeatureCollection as a dict. ``stops`` are the stops the plan was made
    from, in order (InputError otherwise)."""
    check_stops(plan, stops)
    features = _stop_features(stops)
    for leg in plan.legs:
        a, b = stops[leg.index], stops[leg.index + 1]
        data = leg_dict(leg)
        props: dict[str, Any] = {"kind": "leg"}
        props.update({key: data[key] for key in LEG_PROPERTIES})
        props["violations"] = leg_violations(plan, leg.index)
        features.append(
            {
                "type": "Feature",
                "id": f"leg-{leg.index + 1}",
                "geometry": _geometry(leg_track(a, b, via=leg.route), _pos(a.lon, a.lat)),
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features + zone_features(plan)}


def write_geojson(plan: MissionPlan, stops: Sequence[Airfield], path: str | Path) -> Path:
    """Write :func:`feature_collection` as UTF-8 GeoJSON; returns the path written."""
    out = Path(path)
    out.write_text(dumps(feature_collection(plan, stops), indent=None), encoding="utf-8")
    return out
