"""Route a leg around the zones active at its level and time: the shortest clear path.

What: ``route_leg`` (or ``Router(zones).route`` for many legs over one zone set) returns a
:class:`Route`: the turning points from origin to destination, its geodesic length, the
detour over the direct leg and which zones were avoided, flagged or block the way.

How: each active zone is grown by its stand-off and the routing clearance
(``buffer.buffered_area``); overlapping buffers are united (shapely ``unary_union``) so
each obstacle is one polygon. The work is done in a gnomonic projection centred on the
leg's midpoint (pyproj ``+proj=gnom``, spherical): great circles are straight lines there,
so "does this segment enter that polygon" is a planar test. A shortest path among polygons
bends only at obstacle corners that are convex (seen from the obstacle), and leaves each
along a tangent, so only those corners are graph nodes and only tangent pairs are tested
(the brief suggested convex-*hull* vertices: wrong for a corner inside a concavity, which a
destination in a U-shaped obstacle's pocket needs). Edges are weighted by their WGS84
geodesic length; Dijkstra (scipy) finds the path.

Obstacles enter the graph lazily: first those the direct line hits, then any the current
best path hits, until the path is clear of all. The final path is optimal for the full set
too (it is optimal among paths avoiding a subset, and avoids them all), so far-off zones
never cost anything.

Stated simplifications:

* A zone counts when its altitude band contains ``level_ft`` (the cruise level) and its
  window overlaps [start, end]; climb and descent through a band are not judged.
* "Inside" for an end means inside the zone or its stand-off + clearance: that zone is
  flagged in ``endpoint_zones`` and ignored for this leg (the aircraft must fly there).
* Segments are tested against each obstacle shrunk by ``GRAZE_M`` (5 m), so a path may
  run along a buffer boundary; the buffer itself is the margin, so the zone is never entered.
* Zones more than 60 degrees of arc from the leg midpoint are ignored (the gnomonic plane
  ends at 90 degrees; no leg an airlifter flies detours that far).
* Blocked (no clear path): ``blocked_by`` names the zones of the obstacle enclosing an end
  (or every obstacle met, when several together cut the way) and ``points`` is the direct line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod, Proj
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from shapely import LineString, MultiPolygon, Point, Polygon, STRtree

from airlift.airspace.buffer import buffered_area
from airlift.airspace.zones import Zone
from airlift.units import M_PER_NM

GRAZE_M = 5.0
"""Obstacles are shrunk by this much for segment tests: a path may graze a buffer edge."""

MAX_ARC_DEG = 60.0
"""Zones farther than this (degrees of arc) from the leg midpoint are ignored."""

_GEOD = Geod(ellps="WGS84")
_EARTH_R_M = 6_371_008.8
_MAX_ROUNDS = 100

LatLon = tuple[float, float]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Route:
    """A leg routed around zones.

    ``points``: (lat, lon) turning points from origin to destination (two when direct or
    blocked); ``distance_nm``: geodesic length along them; ``direct_nm``: the direct
    geodesic; ``avoided``: zones whose buffer (stand-off + clearance) the direct line
    enters; ``endpoint_zones``: ("origin" | "destination", zone) for an end inside a zone
    or its buffer (flagged, ignored for routing); ``blocked_by``: zones that leave no clear
    path (then ``points`` is the direct line)."""

    points: tuple[LatLon, ...]
    distance_nm: float
    direct_nm: float
    avoided: tuple[str, ...] = ()
    endpoint_zones: tuple[tuple[str, str], ...] = ()
    blocked_by: tuple[str, ...] = ()

    @property
    def detour_nm(self) -> float:
        """Extra distance over the direct geodesic (NM)."""
        return self.distance_nm - self.direct_nm


@dataclass(frozen=True)
class _Obstacle:
    """United buffered zones (lon/lat) and the names of the zones in it."""

    area: Polygon
    names: tuple[str, ...]
    centre: LatLon = field(default=(0.0, 0.0))


@dataclass
class _Plane:
    """One leg's gnomonic plane: obstacles projected lazily, shrunk for segment tests."""

    proj: Proj
    obstacles: Sequence[_Obstacle]
    projected: dict[int, Polygon] = field(default_factory=dict)
    shrunk: dict[int, Polygon | MultiPolygon] = field(default_factory=dict)

    def polygon(self, i: int) -> Polygon:
        if i not in self.projected:
            poly = self.obstacles[i].area
            rings = [_project_ring(self.proj, poly.exterior.coords)]
            holes = [_project_ring(self.proj, r.coords) for r in poly.interiors]
            self.projected[i] = shapely.orient_polygons(Polygon(rings[0], holes))
        return self.projected[i]

    def shrunk_of(self, i: int) -> Polygon | MultiPolygon:
        if i not in self.shrunk:
            s = self.polygon(i).buffer(-GRAZE_M, join_style="mitre")
            shapely.prepare(s)
            self.shrunk[i] = s
        return self.shrunk[i]

    def hit(self, i: int, lines: Sequence[LineString] | NDArray[np.object_]) -> bool:
        """Whether any of ``lines`` enters obstacle i (deeper than GRAZE_M)."""
        near = shapely.intersects(self.polygon(i), lines)  # most obstacles are far: cheap no
        return bool(np.any(near)) and bool(np.any(shapely.intersects(self.shrunk_of(i), lines)))


def _project_ring(proj: Proj, coords: object) -> list[tuple[float, float]]:
    arr = np.asarray(coords, dtype=float)
    xs, ys = proj(arr[:, 0], arr[:, 1])
    return list(zip(xs.tolist(), ys.tolist(), strict=True))


class Router:
    """Routes many legs over one zone set; united obstacles are cached per active set."""

    def __init__(self, zones: Sequence[Zone]) -> None:
        self.zones = tuple(zones)
        self._buffers = [buffered_area(z) for z in self.zones]
        self._tree = STRtree(self._buffers)
        self._obstacles: dict[tuple[int, ...], tuple[_Obstacle, ...]] = {}

    def route(
        self, origin: LatLon, dest: LatLon, level_ft: float, start: datetime, end: datetime
    ) -> Route:
        """The shortest path from ``origin`` to ``dest`` ((lat, lon) degrees) clear of every
        zone active at ``level_ft`` between ``start`` and ``end``."""
        direct_nm = _length_nm([origin, dest])
        active = [i for i, z in enumerate(self.zones) if z.active(level_ft, start, end)]
        flagged = self._endpoint_zones(active, origin, dest)
        ignored = {i for _, i in flagged}
        key = tuple(i for i in active if i not in ignored)
        endpoint_zones = tuple((end_, self.zones[i].name) for end_, i in flagged)
        obstacles = self._united(key)
        if not obstacles:
            return Route((origin, dest), direct_nm, direct_nm, (), endpoint_zones)
        mid_lat, mid_lon = _midpoint(origin, dest)
        plane = _Plane(
            Proj(f"+proj=gnom +lat_0={mid_lat} +lon_0={mid_lon} +R={_EARTH_R_M}"),
            [o for o in obstacles if _arc_deg(o.centre, (mid_lat, mid_lon)) <= MAX_ARC_DEG],
        )
        a = np.array(plane.proj(origin[1], origin[0]), dtype=float)
        b = np.array(plane.proj(dest[1], dest[0]), dtype=float)
        direct = LineString([a, b])
        first = [i for i in range(len(plane.obstacles)) if plane.hit(i, [direct])]
        if not first:
            return Route((origin, dest), direct_nm, direct_nm, (), endpoint_zones)
        avoided = self._avoided(plane, first, key, direct)
        path, used = _shortest(plane, first, origin, dest, a, b)
        if path is None:
            blocked = _blockers(plane, used, a, b)
            return Route((origin, dest), direct_nm, direct_nm, avoided, endpoint_zones, blocked)
        return Route(tuple(path), _length_nm(path), direct_nm, avoided, endpoint_zones)

    def _endpoint_zones(
        self, active: Sequence[int], origin: LatLon, dest: LatLon
    ) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        wanted = set(active)
        for end_, (lat, lon) in (("origin", origin), ("destination", dest)):
            for i in self._tree.query(Point(lon, lat), predicate="intersects"):
                if int(i) in wanted:
                    out.append((end_, int(i)))
        return sorted(out, key=lambda t: (t[0] != "origin", t[1]))

    def _united(self, key: tuple[int, ...]) -> tuple[_Obstacle, ...]:
        if key not in self._obstacles:
            if len(self._obstacles) > 256:
                self._obstacles.clear()
            self._obstacles[key] = _unite(
                [self._buffers[i] for i in key], [self.zones[i].name for i in key]
            )
        return self._obstacles[key]

    def _avoided(
        self, plane: _Plane, hit: Sequence[int], key: Sequence[int], direct: LineString
    ) -> tuple[str, ...]:
        """Zones (in the obstacles the direct line hits) whose own buffer it enters."""
        names = {n for i in hit for n in plane.obstacles[i].names}
        out = []
        for i in key:
            zone = self.zones[i]
            if zone.name in names and zone.name not in out:
                poly = Polygon(_project_ring(plane.proj, self._buffers[i].exterior.coords))
                if poly.buffer(-GRAZE_M).intersects(direct):
                    out.append(zone.name)
        return tuple(out)


def route_leg(
    origin: LatLon,
    dest: LatLon,
    zones: Sequence[Zone],
    level_ft: float,
    start: datetime,
    end: datetime,
) -> Route:
    """One leg routed around ``zones`` (see :class:`Router` to route many legs)."""
    return Router(zones).route(origin, dest, level_ft, start, end)


# ------------------------------------------------------------------------- the graph


def _shortest(
    plane: _Plane,
    first: Sequence[int],
    origin: LatLon,
    dest: LatLon,
    a: FloatArray,
    b: FloatArray,
) -> tuple[list[LatLon] | None, list[int]]:
    """(path or None when blocked, obstacles used), adding obstacles the path hits."""
    used = list(first)
    for _ in range(_MAX_ROUNDS):
        path_xy, path_ll = _dijkstra(plane, used, origin, dest, a, b)
        if path_xy is None:
            return None, used
        lines = [LineString([p, q]) for p, q in pairwise(path_xy)]
        more = [i for i in range(len(plane.obstacles)) if i not in used and plane.hit(i, lines)]
        if not more:
            return path_ll, used
        used.extend(more)
    return None, used  # pragma: no cover - every round adds an obstacle; bounded by count


def _dijkstra(
    plane: _Plane,
    used: Sequence[int],
    origin: LatLon,
    dest: LatLon,
    a: FloatArray,
    b: FloatArray,
) -> tuple[list[FloatArray] | None, list[LatLon]]:
    xy, prev, nxt, lonlat = _corners(plane, used)
    xy = np.vstack([a, b, xy])
    lonlat = np.vstack([[origin[1], origin[0]], [dest[1], dest[0]], lonlat])
    n = len(xy)
    i, j = np.triu_indices(n, k=1)
    keep = _tangent(xy, prev, nxt, i, j) & _tangent(xy, prev, nxt, j, i)
    i, j = i[keep], j[keep]
    lines = shapely.linestrings(np.stack([xy[i], xy[j]], axis=1))
    clear = np.ones(len(lines), dtype=bool)
    for k in used:
        clear &= ~shapely.intersects(plane.shrunk_of(k), lines)
    i, j = i[clear], j[clear]
    _, _, dist_m = _GEOD.inv(lonlat[i, 0], lonlat[i, 1], lonlat[j, 0], lonlat[j, 1])
    graph = csr_matrix((np.maximum(np.asarray(dist_m), 1e-3), (i, j)), shape=(n, n))
    dist, pred = dijkstra(graph, directed=False, indices=0, return_predecessors=True)
    if not math.isfinite(dist[1]):
        return None, []
    order = [1]
    while order[-1] != 0:
        order.append(int(pred[order[-1]]))
    order.reverse()
    return [xy[k] for k in order], [(float(lonlat[k, 1]), float(lonlat[k, 0])) for k in order]


def _corners(
    plane: _Plane, used: Sequence[int]
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Convex corners of the used obstacles: (xy, previous xy, next xy, lon/lat). The
    neighbour arrays have two leading NaN rows, for the origin and destination nodes."""
    rows: list[FloatArray] = [np.full((2, 6), np.nan)]
    for k in used:
        poly = plane.polygon(k)
        for ring in (poly.exterior, *poly.interiors):
            pts = np.asarray(ring.coords, dtype=float)[:-1]
            prev, nxt = np.roll(pts, 1, axis=0), np.roll(pts, -1, axis=0)
            # oriented: the obstacle lies left of every ring, so a left turn is a corner
            convex = _cross(pts - prev, nxt - pts) > 0
            rows.append(np.hstack([pts, prev, nxt])[convex])
    table = np.vstack(rows)
    xy = table[2:, 0:2]
    lons, lats = plane.proj(xy[:, 0], xy[:, 1], inverse=True)
    lonlat = np.column_stack([np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)])
    return xy, table[:, 2:4], table[:, 4:6], lonlat


def _cross(u: FloatArray, v: FloatArray) -> FloatArray:
    return np.asarray(u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0], dtype=float)


def _tangent(
    xy: FloatArray, prev: FloatArray, nxt: FloatArray, i: NDArray[np.intp], j: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Whether the line from corner i towards node j leaves i along a tangent (the two
    neighbours of i on one side): only such lines can be on a shortest path. True for the
    origin and destination (NaN neighbours)."""
    d = xy[j] - xy[i]
    s1 = _cross(d, prev[i] - xy[i])
    s2 = _cross(d, nxt[i] - xy[i])
    with np.errstate(invalid="ignore"):
        ok = s1 * s2 >= -1e-9 * (np.abs(s1) + np.abs(s2) + 1.0)
    return np.asarray(ok | np.isnan(s1), dtype=bool)


def _blockers(plane: _Plane, used: Sequence[int], a: FloatArray, b: FloatArray) -> tuple[str, ...]:
    enclosing = []
    for k in used:
        filled = Polygon(plane.polygon(k).exterior)
        holes = [Polygon(r) for r in plane.polygon(k).interiors]
        for p in (Point(a), Point(b)):
            inside_hole = any(h.contains(p) for h in holes)
            if filled.contains(p) and (inside_hole or not holes):
                enclosing.append(k)
    chosen = enclosing or list(used)
    names: list[str] = []
    for k in chosen:
        names.extend(n for n in plane.obstacles[k].names if n not in names)
    return tuple(names)


# ------------------------------------------------------------------------- helpers


def _unite(buffers: Sequence[Polygon], names: Sequence[str]) -> tuple[_Obstacle, ...]:
    if not buffers:
        return ()
    union = shapely.unary_union(list(buffers))
    parts = list(union.geoms) if isinstance(union, MultiPolygon) else [union]
    tree = STRtree(list(buffers))
    out = []
    for part in parts:
        part = Polygon(part.exterior, part.interiors)
        members = sorted(int(i) for i in tree.query(part, predicate="intersects"))
        c = part.centroid
        out.append(_Obstacle(part, tuple(dict.fromkeys(names[i] for i in members)), (c.y, c.x)))
    return tuple(out)


def _midpoint(origin: LatLon, dest: LatLon) -> LatLon:
    az, _, dist_m = _GEOD.inv(origin[1], origin[0], dest[1], dest[0])
    lon, lat, _ = _GEOD.fwd(origin[1], origin[0], az, dist_m / 2.0)
    return float(lat), float(lon)


def _arc_deg(p: LatLon, q: LatLon) -> float:
    _, _, dist_m = _GEOD.inv(p[1], p[0], q[1], q[0])
    return math.degrees(float(dist_m) / _EARTH_R_M)


def _length_nm(points: Sequence[LatLon]) -> float:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return float(_GEOD.line_length(lons, lats)) / M_PER_NM
