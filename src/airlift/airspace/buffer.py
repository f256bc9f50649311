"""Geodesic buffers of zones: the area a route must keep out of, in metres, never degrees.

What: ``buffered_area(zone)`` is the zone grown by its threat stand-off plus a routing
clearance (``CLEARANCE_M``), as a lon/lat polygon of at most ``MAX_VERTICES`` vertices that
*contains* the exact geodesic buffer. Why: the router's cost grows with the vertex count,
and a buffer drawn in degrees would be 10 % narrower east-west than north-south at 20 N.

How: the zone is projected to an azimuthal equidistant projection centred on it (pyproj;
distances from the centre are true, others within ~0.1 % over a zone a few hundred km
across), its edges first densified along geodesics (a zone's edges are great-circle
segments, as an airspace boundary is drawn); shapely buffers it there; the result is
simplified and checked to contain the exact buffer, then projected back. Cached per zone.
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import pairwise

from pyproj import Geod, Proj
from shapely import Polygon

from airlift.airspace.zones import Zone
from airlift.units import M_PER_NM

CLEARANCE_M = 1.0 * M_PER_NM
"""Routing clearance added to every zone (and to a threat's stand-off): 1 NM, so that a
route that grazes a buffer boundary still passes 1 NM clear of the zone itself."""

MAX_VERTICES = 40
"""Most vertices of a buffered zone (the router's visibility graph grows with the square)."""

QUAD_SEGS = 8
"""Segments per quarter circle in shapely's round buffer joins."""

DENSIFY_M = 10_000.0
"""Zone edges longer than this are densified along the geodesic before buffering."""

_GEOD = Geod(ellps="WGS84")
# shapely puts buffer-arc vertices at the radius, so its chords cut inside the true circle
# by r(1 - cos(half-step)); buffering by r / cos(half-step) puts the chords outside it.
_CHORD_FACTOR = 1.0 / math.cos(math.pi / (4 * QUAD_SEGS))


def margin_m(zone: Zone) -> float:
    """How far a route keeps from ``zone`` (m): its stand-off plus the routing clearance."""
    return zone.standoff_m + CLEARANCE_M


@lru_cache(maxsize=8192)
def buffered_area(zone: Zone) -> Polygon:
    """The lon/lat polygon (<= MAX_VERTICES vertices) containing every point within
    ``margin_m(zone)`` of the zone (geodesic distance), the zone included."""
    centre = zone.area.centroid
    aeqd = Proj(f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +ellps=WGS84 +units=m")
    lons, lats = _densified_ring(zone.area)
    xs, ys = aeqd(lons, lats)
    local = Polygon(list(zip(xs, ys, strict=True)))
    radius_m = margin_m(zone) * _CHORD_FACTOR
    exact = local.buffer(radius_m, quad_segs=QUAD_SEGS)
    size_m = math.sqrt(exact.area / math.pi)
    tol_m = max(50.0, 0.002 * size_m)
    extra_m = tol_m
    for _ in range(24):
        simple = local.buffer(radius_m + extra_m, quad_segs=QUAD_SEGS).simplify(tol_m)
        if not isinstance(simple, Polygon) or not simple.contains(exact):
            extra_m *= 1.5  # simplification cut inside the exact buffer: grow, try again
        elif len(simple.exterior.coords) - 1 > MAX_VERTICES:
            tol_m *= 1.5
            extra_m = max(extra_m, tol_m)
        else:
            break
    else:  # pragma: no cover - only for pathological shapes; stay conservative
        simple = exact.convex_hull.buffer(extra_m, quad_segs=2)
    bx, by = simple.exterior.xy
    out_lon, out_lat = aeqd(list(bx), list(by), inverse=True)
    return Polygon(list(zip(out_lon, out_lat, strict=True)))


def _densified_ring(area: Polygon) -> tuple[list[float], list[float]]:
    """The exterior ring's (lons, lats) with intermediate geodesic points on long edges."""
    coords = list(area.exterior.coords)
    lons: list[float] = []
    lats: list[float] = []
    for (lon1, lat1), (lon2, lat2) in pairwise(coords):
        lons.append(lon1)
        lats.append(lat1)
        _, _, dist_m = _GEOD.inv(lon1, lat1, lon2, lat2)
        n = int(dist_m // DENSIFY_M)
        if n > 0:
            for lon, lat in _GEOD.npts(lon1, lat1, lon2, lat2, n):
                lons.append(lon)
                lats.append(lat)
    return lons, lats
