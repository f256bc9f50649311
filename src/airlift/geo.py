"""Geodesics on the WGS84 ellipsoid (geographiclib): leg distance, course, densified tracks."""

from __future__ import annotations

from functools import lru_cache

from geographiclib.geodesic import Geodesic

from airlift.units import M_PER_NM

_WGS84 = Geodesic.WGS84


@lru_cache(maxsize=65_536)
def inverse(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """(distance NM, initial true course deg in [0, 360)) from point 1 to point 2."""
    g = _WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE | Geodesic.AZIMUTH)
    return g["s12"] / M_PER_NM, g["azi1"] % 360.0


def point_along(
    lat1: float, lon1: float, lat2: float, lon2: float, fraction: float
) -> tuple[float, float]:
    """(lat, lon) of the point ``fraction`` (0..1) of the way along the geodesic from 1 to 2."""
    line = _WGS84.InverseLine(lat1, lon1, lat2, lon2)
    p = line.Position(line.s13 * fraction, Geodesic.LATITUDE | Geodesic.LONGITUDE)
    return p["lat2"], p["lon2"]


def densify(
    lat1: float, lon1: float, lat2: float, lon2: float, step_nm: float = 25.0
) -> list[tuple[float, float]]:
    """Points (lon, lat) along the geodesic every ``step_nm`` NM, both ends included.

    Drawn as straight segments on a map, the track then follows the true great-circle path.
    """
    line = _WGS84.InverseLine(lat1, lon1, lat2, lon2)
    n = max(1, int(line.s13 / (step_nm * M_PER_NM)) + 1)
    points = []
    for i in range(n + 1):
        p = line.Position(line.s13 * i / n, Geodesic.LATITUDE | Geodesic.LONGITUDE)
        points.append((p["lon2"], p["lat2"]))
    return points
