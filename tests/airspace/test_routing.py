"""Routing around zones: direct when clear, a detour clear of a zone across the leg, ends
inside a zone flagged, an enclosed destination blocked; and two properties checked against
independent computations (geographiclib distances; a brute-force visibility graph)."""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import pairwise

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Proj
from shapely import Point, Polygon

from airlift.airspace import Route, Router, Zone, buffered_area, geodesic_circle
from airlift.airspace.routing import route_leg
from airlift.units import M_PER_NM

GABS = (12.53, -7.95)
GAGO = (16.25, -0.01)
GATS = (20.24, 0.98)
DRRN = (13.48, 2.18)
T0 = datetime(2026, 1, 1, 6, tzinfo=UTC)
T1 = datetime(2026, 1, 1, 8, tzinfo=UTC)
FL180 = 18_000.0
WGS84 = Geodesic.WGS84


def midpoint(a: tuple[float, float], b: tuple[float, float], f: float = 0.5) -> tuple[float, float]:
    line = WGS84.InverseLine(a[0], a[1], b[0], b[1])
    p = line.Position(line.s13 * f)
    return p["lat2"], p["lon2"]


def circle(
    name: str,
    at: tuple[float, float],
    radius_nm: float,
    lower_ft: float | None = None,
    from_utc: datetime | None = None,
) -> Zone:
    area = geodesic_circle(at[0], at[1], radius_nm * M_PER_NM)
    return Zone(name, "restricted", area, lower_ft=lower_ft, from_utc=from_utc)


def geodesic_points(route: Route, step_m: float = 10_000.0) -> list[tuple[float, float]]:
    """The route's points every ``step_m`` along each geodesic leg (geographiclib)."""
    out = []
    for (lat1, lon1), (lat2, lon2) in pairwise(route.points):
        line = WGS84.InverseLine(lat1, lon1, lat2, lon2)
        n = max(1, math.ceil(line.s13 / step_m))
        for k in range(n + 1):
            p = line.Position(line.s13 * k / n)
            out.append((p["lat2"], p["lon2"]))
    return out


@functools.cache
def dense_ring(zone: Zone) -> tuple[np.ndarray, np.ndarray]:
    """The zone's boundary (lons, lats) every 2 km along its geodesic edges."""
    lons, lats = [], []
    coords = list(zone.area.exterior.coords)
    for (lon1, lat1), (lon2, lat2) in pairwise(coords):
        line = WGS84.InverseLine(lat1, lon1, lat2, lon2)
        n = max(1, math.ceil(line.s13 / 2_000.0))
        for k in range(n):
            p = line.Position(line.s13 * k / n)
            lons.append(p["lon2"])
            lats.append(p["lat2"])
    return np.array(lons), np.array(lats)


def distance_to_zone_m(lat: float, lon: float, zone: Zone) -> float:
    """Geodesic distance (m) from a point to a zone, independently of the package: in an
    azimuthal equidistant projection centred on the point distances from it are true."""
    aeqd = Proj(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84")
    xs, ys = aeqd(*dense_ring(zone))
    return float(Polygon(np.column_stack([xs, ys])).distance(Point(0.0, 0.0)))


def assert_clear(route: Route, zones: Sequence[Zone], tolerance_m: float = 50.0) -> None:
    for lat, lon in geodesic_points(route):
        for zone in zones:
            d = distance_to_zone_m(lat, lon, zone)
            # the stated margin: stand-off + 1 NM clearance (not read from the package)
            assert d >= zone.standoff_m + M_PER_NM - tolerance_m, (zone.name, lat, lon, d)


# ------------------------------------------------------------------------ examples


def test_no_zones_is_the_direct_line() -> None:
    route = route_leg(GABS, GAGO, [], FL180, T0, T1)
    assert route.points == (GABS, GAGO)
    assert route.distance_nm == pytest.approx(route.direct_nm)
    assert route.direct_nm == pytest.approx(WGS84.Inverse(*GABS, *GAGO)["s12"] / M_PER_NM)
    assert route.detour_nm == pytest.approx(0.0)
    assert route.avoided == route.endpoint_zones == route.blocked_by == ()


def test_zone_across_the_leg_gives_a_clear_detour() -> None:
    zone = Zone(
        "Hombori",
        "threat",
        geodesic_circle(*midpoint(GABS, GAGO), 60_000),
        standoff_m=10 * M_PER_NM,
    )
    route = route_leg(GABS, GAGO, [zone], FL180, T0, T1)
    assert route.detour_nm > 0
    assert route.avoided == ("Hombori",)
    assert route.points[0] == GABS and route.points[-1] == GAGO
    assert route.blocked_by == () and route.endpoint_zones == ()
    assert_clear(route, [zone])
    # the detour is about going round a 60 km + 11 NM circle, not a wild excursion
    assert route.detour_nm < 25


def test_inactive_zone_is_ignored() -> None:
    zone = circle("High", midpoint(GABS, GAGO), 40, lower_ft=25_000.0)
    assert route_leg(GABS, GAGO, [zone], FL180, T0, T1).points == (GABS, GAGO)
    later = circle("Later", midpoint(GABS, GAGO), 40, from_utc=datetime(2026, 1, 2, tzinfo=UTC))
    assert route_leg(GABS, GAGO, [later], FL180, T0, T1).points == (GABS, GAGO)


def test_origin_inside_a_zone_is_flagged_not_routed() -> None:
    zone = circle("Bamako TMA", GABS, 30)
    route = route_leg(GABS, GAGO, [zone], FL180, T0, T1)
    assert route.endpoint_zones == (("origin", "Bamako TMA"),)
    assert route.points == (GABS, GAGO) and route.blocked_by == ()


def test_destination_enclosed_by_a_ring_is_blocked() -> None:
    """Twelve 15 NM circles on a 40 NM ring round GATS: their buffers overlap, so no way in."""
    ring = []
    for k in range(12):
        p = WGS84.Direct(GATS[0], GATS[1], 30.0 * k, 40 * M_PER_NM)
        ring.append(circle(f"R{k}", (p["lat2"], p["lon2"]), 15))
    route = route_leg(GAGO, GATS, ring, FL180, T0, T1)
    assert set(route.blocked_by) == {z.name for z in ring}
    assert route.points == (GAGO, GATS)
    assert route.endpoint_zones == ()


def test_destination_in_an_l_shaped_pocket_turns_at_an_inner_corner() -> None:
    """GAGO at the bottom of an L-shaped channel cut into a square zone (in from the east,
    then down): the path must turn at the channel's inner corner, a convex corner of the
    zone that is not on its convex hull (so a hull-only graph would call the leg blocked)."""
    lat, lon = GAGO
    s = 0.6  # degrees per unit of the sketch
    square = shapely.box(-1, -1, 1, 1)
    across = shapely.box(-0.5, 0.5, 1.5, 0.8)  # the channel in from the east...
    down = shapely.box(-0.5, -0.5, -0.2, 0.8)  # ...then down to GAGO at (-0.35, -0.3)
    sketch = square.difference(across).difference(down)
    area = shapely.affinity.affine_transform(sketch, [s, 0, 0, s, lon + 0.35 * s, lat + 0.3 * s])
    zone = Zone("L", "restricted", area)
    route = route_leg(GABS, GAGO, [zone], FL180, T0, T1)
    assert route.blocked_by == () and route.endpoint_zones == ()
    assert_clear(route, [zone])
    hull = buffered_area(zone).convex_hull.exterior
    inner = [p for p in route.points[1:-1] if hull.distance(Point(p[1], p[0])) > 0.05]
    assert inner, "a channel corner (off the convex hull) must be a turning point"


def test_router_reuse_matches_route_leg() -> None:
    zones = [
        circle("A", midpoint(GABS, GAGO, 0.3), 30),
        circle("B", midpoint(GAGO, DRRN), 25),
        Zone(
            "T", "threat", geodesic_circle(*midpoint(GAGO, GATS), 20_000), standoff_m=5 * M_PER_NM
        ),
    ]
    router = Router(zones)
    for a, b in [(GABS, GAGO), (GAGO, DRRN), (GAGO, GATS), (GATS, DRRN), (DRRN, GABS)]:
        assert router.route(a, b, FL180, T0, T1) == route_leg(a, b, zones, FL180, T0, T1)


# ------------------------------------------------------------------------ properties


def reference_nm(
    origin: tuple[float, float], dest: tuple[float, float], obstacles: Sequence[Polygon]
) -> float:
    """Brute force, written apart from the package: every vertex of every buffered zone is
    a node (no convexity or tangent pruning, no union, no lazy obstacles), an edge is any
    segment whose interior misses every obstacle's interior (exact DE-9IM test, gnomonic
    plane), weighted by geographiclib; Dijkstra with heapq."""
    mid = midpoint(origin, dest)
    gnom = Proj(f"+proj=gnom +lat_0={mid[0]} +lon_0={mid[1]} +R=6371008.8")
    nodes_ll = [origin, dest]
    for poly in obstacles:
        nodes_ll += [(lat, lon) for lon, lat in poly.exterior.coords[:-1]]
    xy = [gnom(lon, lat) for lat, lon in nodes_ll]
    planes = [Polygon([gnom(lon, lat) for lon, lat in p.exterior.coords]) for p in obstacles]
    for p in planes:
        shapely.prepare(p)
    n = len(xy)
    i, j = np.triu_indices(n, k=1)
    lines = shapely.linestrings(np.stack([np.array(xy)[i], np.array(xy)[j]], axis=1))
    ok = np.ones(len(lines), dtype=bool)
    for p in planes:
        near = shapely.intersects(p, lines)  # cheap prepared test first, exact DE-9IM after
        ok[near] &= ~shapely.relate_pattern(lines[near], p, "T********")
    adj: dict[int, list[tuple[int, float]]] = {k: [] for k in range(n)}
    for a, b in zip(i[ok], j[ok], strict=True):
        w = WGS84.Inverse(*nodes_ll[a], *nodes_ll[b])["s12"]
        adj[int(a)].append((int(b), w))
        adj[int(b)].append((int(a), w))
    best = {0: 0.0}
    heap = [(0.0, 0)]
    while heap:
        d, k = heapq.heappop(heap)
        if k == 1:
            return d / M_PER_NM
        if d > best.get(k, math.inf):
            continue
        for m, w in adj[k]:
            if d + w < best.get(m, math.inf):
                best[m] = d + w
                heapq.heappush(heap, (d + w, m))
    return math.inf


@st.composite
def zone_sets(draw: st.DrawFn) -> list[Zone]:
    """1-4 circles or star-shaped (often concave) polygons, 20-80 km, some threats with a
    stand-off, centred 20-80 % of the way along GABS-GAGO within 100 km of the line: the
    ends stay outside every buffer and there is always a way round."""
    zones = []
    for k in range(draw(st.integers(1, 4))):
        lat, lon = midpoint(GABS, GAGO, draw(st.floats(0.2, 0.8)))
        side = WGS84.Direct(lat, lon, 147.0, draw(st.floats(-100_000, 100_000)))
        lat, lon = side["lat2"], side["lon2"]
        radius_m = draw(st.floats(20_000, 80_000))
        if draw(st.booleans()):
            area = geodesic_circle(lat, lon, radius_m)
        else:
            m = draw(st.integers(4, 9))
            angles = sorted(set(draw(st.lists(st.floats(0, 359), min_size=m, max_size=m))))
            if len(angles) < 3:
                angles = [0.0, 120.0, 240.0]
            pts = []
            for a in angles:
                p = WGS84.Direct(lat, lon, a, radius_m * draw(st.floats(0.3, 1.0)))
                pts.append((p["lon2"], p["lat2"]))
            area = Polygon(pts)
            if not area.is_valid or area.area < 1e-4:
                area = geodesic_circle(lat, lon, radius_m)
        threat = draw(st.booleans())
        standoff_m = draw(st.floats(0, 20_000)) if threat else 0.0
        zones.append(
            Zone(f"Z{k}", "threat" if threat else "restricted", area, standoff_m=standoff_m)
        )
    return zones


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zone_sets())
def test_path_is_clear_and_shortest(zones: list[Zone]) -> None:
    route = route_leg(GABS, GAGO, zones, FL180, T0, T1)
    assert route.blocked_by == () and route.endpoint_zones == ()
    # (a) every 10 km along the geodesics, at least stand-off + clearance from each zone
    assert_clear(route, zones)
    # (b) within 1 % of the brute-force optimum around the same buffered polygons
    best_nm = reference_nm(GABS, GAGO, [buffered_area(z) for z in zones])
    assert route.distance_nm == pytest.approx(best_nm, rel=0.01)
