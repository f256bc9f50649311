"""The countries a flight path crosses, in the order flown, with the distance flown in each.

Why: a leg over (or into) a foreign country needs that country's diplomatic clearance
(``airspace/clearances.py``), and the request names the countries in order.

Borders: Natural Earth admin-0 at 1:50m, as shipped by the npm package ``world-atlas``
(``countries-50m.json``, TopoJSON, installed by ``npm ci``; nothing is fetched at run time).
Its coordinates are quantised to 0.0036 deg of longitude and 0.0017 deg of latitude (about
400 m and 190 m), and the 1:50m generalisation smooths borders further (by how much varies
and is not measured here): that, not the arithmetic below, limits the accuracy. They are
decoded into shapely polygons, with ISO alpha-3 codes, by ``airspace/borders.py``.

A path is straight WGS84 geodesics between its points. It is sampled at most
:data:`SAMPLE_STEP_M` apart (anchors every :data:`ANCHOR_STEP_M` exactly on the geodesic, pyproj,
vectorised; samples between anchors interpolated in lon/lat, which leaves them within
L^2 tan(lat) / 8R of the geodesic: under 25 m below 25 deg of latitude). Each sample's country
comes from a raster of 5 x 5 deg tiles at 0.01 deg (about 1.1 km), built once per tile and
kept: a cell wholly inside one country (or the sea) holds its index, a cell within two cells
of a border holds :data:`_BORDER`, and samples there are tested exactly against
the polygons (``shapely.contains_xy`` on prepared geometries). So every sample's country is
the polygons' exact answer, at raster speed. The batch (``countries_of_legs``) and
``countries_along`` classify the very same samples, so they agree on the codes by
construction; ``countries_along`` then places each change of country by bisection along the
true geodesic to within :data:`CROSSING_TOLERANCE_M`. A country crossed for less than one
sample step (a sliver, a tiny island) can be missed by both.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from geographiclib.geodesic import Geodesic
from PIL import Image, ImageDraw
from pyproj import Geod

from airlift.airspace.borders import MAX_COUNTRIES, Borders, borders
from airlift.errors import InputError
from airlift.units import M_PER_NM

SAMPLE_STEP_M = 2_000.0
"""Distance between samples along a path (a country crossed for less can be missed)."""

ANCHOR_STEP_M = 50_000.0
"""Distance between points computed exactly on the geodesic; samples are interpolated."""

CROSSING_TOLERANCE_M = 10.0
"""A border crossing is located along the geodesic to within this (then the data limit)."""

TILE_DEG = 5
"""Raster tiles are TILE_DEG x TILE_DEG degrees..."""

CELLS = 500
"""...of CELLS x CELLS cells (0.01 deg, about 1.1 km)."""

_PER_SEGMENT = math.ceil(ANCHOR_STEP_M / SAMPLE_STEP_M)
_RES_DEG = TILE_DEG / CELLS
_BORDER = MAX_COUNTRIES
_GROW_CELLS = 2
_GEOD = Geod(ellps="WGS84")
_WGS84 = Geodesic.WGS84

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class CountryPassage:
    """A stretch of a path over one country: ISO 3166-1 alpha-3 code (``""``: sea or no
    country), its name, and the geodesic distance flown over it in NM."""

    iso3: str
    name: str
    distance_nm: float


# --- the raster of country indices, one tile at a time ------------------------------------------


def _rasterise(b: Borders, ty: int, tx: int) -> npt.NDArray[np.uint8]:
    """Tile (ty from the north, tx from 180 W): per cell the country index + 1, 0 for none,
    _BORDER where a drawn ring edge passes within _GROW_CELLS cells (checked exactly instead).

    Drawn lines and fills are Pillow's (its pixel convention may be half a cell off ours, and
    a line may skip a cell it clips at a corner): a drawn edge is within one cell of the true
    one. Two cells of margin leave every non-border cell, and its neighbours, free of any true
    edge, so a sample whose cell is computed a hair off (rounding) still gets the right
    country."""
    lat_top = 90.0 - ty * TILE_DEG
    lon_left = -180.0 + tx * TILE_DEG
    pad = _GROW_CELLS + 1  # a margin, so that an edge just outside still marks the rim
    size = CELLS + 2 * pad
    edges = Image.new("1", (size, size), 0)
    draw_edges = ImageDraw.Draw(edges)
    box = (
        lon_left - pad * _RES_DEG,
        lat_top - TILE_DEG - pad * _RES_DEG,
        lon_left + TILE_DEG + pad * _RES_DEG,
        lat_top + pad * _RES_DEG,
    )

    def pixels(ring: FloatArray) -> list[float]:
        x = (ring[:, 0] - lon_left) / _RES_DEG + pad
        y = (lat_top - ring[:, 1]) / _RES_DEG + pad
        return list(np.column_stack([x, y]).ravel())

    # Largest polygon first, each with its holes: an enclave (Lesotho) is drawn after the
    # hole it fills (South Africa's), so every interior cell ends with its own country.
    drawn: list[tuple[float, int, int]] = []
    for g in (int(i) for i in b.tree.query(shapely.box(*box))):
        bb = b.bounds[g]
        near = (
            (bb[:, 0] <= box[2])
            & (bb[:, 2] >= box[0])
            & (bb[:, 1] <= box[3])
            & (bb[:, 3] >= box[1])
        )
        area = (bb[:, 2] - bb[:, 0]) * (bb[:, 3] - bb[:, 1])
        drawn.extend((-float(area[k]), g, int(k)) for k in np.flatnonzero(near))
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    for _, g, k in sorted(drawn):
        exterior, holes = b.polygons[g][k]
        draw.polygon(pixels(exterior), fill=g + 1)
        for hole in holes:
            draw.polygon(pixels(hole), fill=0)
        for ring in (exterior, *holes):
            draw_edges.line(pixels(ring), fill=1)
    tile = np.array(image, dtype=np.uint8)
    near_edge = np.asarray(edges, dtype=bool).copy()
    for _ in range(_GROW_CELLS):  # grow by one cell each way, diagonals included
        grown = near_edge.copy()
        grown[1:] |= near_edge[:-1]
        grown[:-1] |= near_edge[1:]
        near_edge = grown.copy()
        near_edge[:, 1:] |= grown[:, :-1]
        near_edge[:, :-1] |= grown[:, 1:]
    tile[near_edge] = _BORDER
    return tile[pad:-pad, pad:-pad].copy()


class _Raster:
    """Tiles built on first use and kept for the process (a cache, hence mutable; a lock
    keeps two threads from building at once). Tile 0 is the empty sea."""

    def __init__(self, borders: Borders) -> None:
        self.borders = borders
        self.grid = np.full((180 // TILE_DEG, 360 // TILE_DEG), -1, dtype=np.int64)
        self.stack = np.zeros((1, CELLS, CELLS), dtype=np.uint8)
        self.lock = threading.Lock()

    def ensure(self, ty: IntArray, tx: IntArray) -> None:
        with self.lock:
            rows, cols = self.grid.shape
            key = ty * cols + tx
            wanted = np.bincount(key[self.grid[ty, tx] < 0], minlength=rows * cols)
            missing = np.flatnonzero(wanted)  # a count, not np.unique: no sort of the samples
            if len(missing) == 0:
                return
            grid = self.grid.copy()
            tiles = [self.stack]
            n = len(self.stack)
            for y, x in zip(*np.divmod(missing, cols), strict=True):
                tile = _rasterise(self.borders, int(y), int(x))
                if tile.any():
                    tiles.append(tile[None])
                    grid[y, x] = n
                    n += 1
                else:
                    grid[y, x] = 0
            # the stack first, then the grid that points into it: a reader without the lock
            # that sees a new tile index also sees the stack that holds it
            self.stack = np.concatenate(tiles)
            self.grid = grid

    def classify(self, lat: FloatArray, lon: FloatArray) -> IntArray:
        """Country index + 1 (0: none) of each point; exact (see the module's docstring)."""
        # int32 and in-place arithmetic: this runs on millions of samples per call
        gy = np.multiply(np.subtract(90.0, lat), 1.0 / _RES_DEG).astype(np.int32)
        np.clip(gy, 0, self.grid.shape[0] * CELLS - 1, out=gy)
        gx = np.multiply(np.add(lon, 180.0), 1.0 / _RES_DEG).astype(np.int32)
        np.clip(gx, 0, self.grid.shape[1] * CELLS - 1, out=gx)
        ty, cy = np.divmod(gy, CELLS)
        tx, cx = np.divmod(gx, CELLS)
        t = self.grid[ty, tx]
        if (t < 0).any():
            self.ensure(ty, tx)
            t = self.grid[ty, tx]
        stack = self.stack  # read after the grid (see ensure)
        out = stack[t, cy, cx].astype(np.int64)
        border = np.flatnonzero(out == _BORDER)
        if len(border):
            out[border] = _exact(self.borders, lon[border], lat[border])
        return out


def _exact(b: Borders, x: FloatArray, y: FloatArray) -> IntArray:
    """Country index + 1 of each point by the polygons themselves (0: none). Candidates by
    bounding box (STRtree), tested in index order; a point found inside one is not tested
    against the rest (countries do not overlap; if two did, the lower index would win)."""
    out = np.zeros(len(x), dtype=np.int64)
    points, candidates = b.tree.query(shapely.points(x, y))
    order = np.argsort(candidates, kind="stable")
    points, candidates = points[order], candidates[order]
    firsts = np.flatnonzero(np.diff(candidates, prepend=-1))
    for g, sel in zip(candidates[firsts], np.split(points, firsts[1:]), strict=True):
        sel = sel[out[sel] == 0]
        if len(sel):
            out[sel[shapely.contains_xy(b.geoms[g], x[sel], y[sel])]] = g + 1
    return out


@cache
def _raster() -> _Raster:
    return _Raster(borders())


# --- sampling a path ---------------------------------------------------------------------------


_T = np.arange(_PER_SEGMENT + 1) / _PER_SEGMENT
"""Fractions of a segment where it is sampled (both ends: a segment's end repeats the next
one's start, which changes nothing and keeps the arithmetic rectangular)."""


@dataclass(frozen=True)
class _Segments:
    """Every leg cut into equal segments between anchors exactly on its geodesic, each
    segment straight in lon/lat: its leg (ascending), start, change (the short way across
    180 deg), distance of its start along the leg and its length; each leg's length."""

    leg: IntArray
    lat0: FloatArray
    lon0: FloatArray
    dlat: FloatArray
    dlon: FloatArray
    s0_m: FloatArray
    len_m: FloatArray
    length_m: FloatArray

    def points(self, rows: IntArray, cols: IntArray) -> tuple[FloatArray, FloatArray]:
        """(lat, lon) of sample ``cols`` of segments ``rows``."""
        lat = self.lat0[rows] + _T[cols] * self.dlat[rows]
        lon = (self.lon0[rows] + _T[cols] * self.dlon[rows] + 180.0) % 360.0 - 180.0
        return lat, lon


def _check(lat: FloatArray, lon: FloatArray) -> None:
    if not (np.isfinite(lat).all() and np.isfinite(lon).all()):
        raise InputError("a latitude or longitude is not a finite number")
    if (np.abs(lat) > 90).any():
        raise InputError("a latitude is outside -90..90 degrees")


def _segments(legs: FloatArray) -> _Segments:
    """Legs (lat1, lon1, lat2, lon2) cut into equal segments of at most ANCHOR_STEP_M."""
    lat1, lon1, lat2, lon2 = legs.T
    _check(np.concatenate([lat1, lat2]), np.concatenate([lon1, lon2]))
    az, _, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
    az, dist = np.asarray(az, dtype=float), np.asarray(dist, dtype=float)
    n_seg = np.maximum(1, np.ceil(dist / ANCHOR_STEP_M)).astype(np.int64)
    seg_m = dist / n_seg
    # anchors: n_seg + 1 points per leg, exactly on the geodesic (pyproj, vectorised)
    a_leg = np.repeat(np.arange(len(legs)), n_seg + 1)
    a_first = np.concatenate([[0], np.cumsum(n_seg + 1)[:-1]]).astype(np.int64)
    a_k = np.arange(len(a_leg)) - a_first[a_leg]
    a_lon, a_lat, _ = _GEOD.fwd(lon1[a_leg], lat1[a_leg], az[a_leg], a_k * seg_m[a_leg])
    a_lon, a_lat = np.asarray(a_lon, dtype=float), np.asarray(a_lat, dtype=float)
    start = np.flatnonzero(a_k < n_seg[a_leg])  # every anchor but a leg's last starts one
    leg = a_leg[start]
    return _Segments(
        leg=leg,
        lat0=a_lat[start],
        lon0=a_lon[start],
        dlat=a_lat[start + 1] - a_lat[start],
        dlon=(a_lon[start + 1] - a_lon[start] + 180.0) % 360.0 - 180.0,
        s0_m=a_k[start] * seg_m[leg],
        len_m=seg_m[leg],
        length_m=dist,
    )


def _classify_segments(raster: _Raster, seg: _Segments) -> npt.NDArray[np.int16]:
    """Country index + 1 (0: none) of every sample, shape (segments, len(_T)).

    The hot path of the batch: a segment inside one raster tile (nearly all: 50 km against
    5 deg) is looked up in cell units straight from its start and change, without
    materialising latitudes and longitudes; samples in border cells, and segments that
    straddle tiles or 180 deg, go through the point path (``_Raster.classify``)."""
    inv = 1.0 / _RES_DEG
    rows_max, cols_max = raster.grid.shape[0] * CELLS - 1, raster.grid.shape[1] * CELLS
    y0, dy = (90.0 - seg.lat0) * inv, -seg.dlat * inv  # cells from 90 N
    x0, dx = (seg.lon0 + 180.0) * inv, seg.dlon * inv  # cells from 180 W
    ty = np.minimum(y0, rows_max).astype(np.int64) // CELLS
    tx = np.minimum(x0, cols_max - 1).astype(np.int64) // CELLS
    ye, xe = y0 + dy, x0 + dx
    simple = (
        (np.minimum(ye, rows_max).astype(np.int64) // CELLS == ty)
        & (xe >= 0.0)
        & (xe < cols_max)
        & (xe.astype(np.int64) // CELLS == tx)
    )
    out = np.empty((len(seg.leg), len(_T)), dtype=np.int16)
    rows = np.flatnonzero(simple)
    if len(rows):
        t = raster.grid[ty[rows], tx[rows]]
        if (t < 0).any():
            raster.ensure(ty[rows], tx[rows])
            t = raster.grid[ty[rows], tx[rows]]
        stack = raster.stack.reshape(-1)  # read after the grid (see _Raster.ensure)
        # float32 within a tile (500 cells: error ~1e-4 cell, and a cell off by that is
        # still right: every cell next to a border is a border cell)
        t32 = _T.astype(np.float32)
        cy = (
            (y0[rows] - ty[rows] * CELLS).astype(np.float32)[:, None]
            + t32 * dy[rows].astype(np.float32)[:, None]
        ).astype(np.int32)
        np.clip(cy, 0, CELLS - 1, out=cy)
        cx = (
            (x0[rows] - tx[rows] * CELLS).astype(np.float32)[:, None]
            + t32 * dx[rows].astype(np.float32)[:, None]
        ).astype(np.int32)
        np.clip(cx, 0, CELLS - 1, out=cx)
        cy *= CELLS
        cy += cx
        cy += (t * (CELLS * CELLS)).astype(np.int32)[:, None]
        out[rows] = stack[cy]
        r, c = np.nonzero(out[rows] == _BORDER)
        if len(r):
            lat, lon = seg.points(rows[r], c)
            out[rows[r], c] = _exact(raster.borders, lon, lat)
    others = np.flatnonzero(~simple)
    if len(others):
        r = np.repeat(others, len(_T))
        c = np.tile(np.arange(len(_T)), len(others))
        lat, lon = seg.points(r, c)
        out[r, c] = raster.classify(lat, lon)
    return out


def _legs_array(legs: Sequence[tuple[float, float, float, float]]) -> FloatArray:
    arr = np.asarray(legs, dtype=float).reshape(-1, 4)
    return arr


# --- public functions --------------------------------------------------------------------------


def warm(points: Sequence[tuple[float, float]]) -> None:
    """Load the borders and build the raster tiles around ``points`` ((lat, lon); a theatre's
    airfields) now, so that the first plans a server answers do not pay for them (it takes a
    few tenths of a second, holding the interpreter)."""
    if not points:
        return
    lat = np.array([p[0] for p in points], dtype=float)
    lon = np.array([p[1] for p in points], dtype=float)
    _check(lat, lon)
    lat_box = np.arange(lat.min() - TILE_DEG, lat.max() + TILE_DEG + 1e-9, TILE_DEG / 2)
    lon_box = np.arange(lon.min() - TILE_DEG, lon.max() + TILE_DEG + 1e-9, TILE_DEG / 2)
    grid_lat, grid_lon = np.meshgrid(np.clip(lat_box, -89.9, 89.9), np.clip(lon_box, -179.9, 179.9))
    _raster().classify(grid_lat.ravel(), grid_lon.ravel())


def country_at(lat: float, lon: float) -> str | None:
    """ISO 3166-1 alpha-3 code of the country at (lat, lon) in degrees; None over the sea."""
    lat_a, lon_a = np.array([lat], dtype=float), np.array([lon], dtype=float)
    _check(lat_a, lon_a)
    index = int(_raster().classify(lat_a, (lon_a + 180.0) % 360.0 - 180.0)[0])
    return borders().iso3[index - 1] if index else None


def countries_of_legs(legs: Sequence[tuple[float, float, float, float]]) -> list[tuple[str, ...]]:
    """Per leg (lat1, lon1, lat2, lon2 in degrees, a straight geodesic), the ISO alpha-3 codes
    of the countries it crosses in the order flown (sea left out; a country entered again
    after only sea is listed once). Vectorised, for screening many legs: the target is 10,000
    Sahel legs in under a second (``benchmarks/bench_airspace_countries.py``: about 0.5 s of
    CPU warm). The same codes as :func:`countries_along`, which classifies the same samples."""
    arr = _legs_array(legs)
    iso3 = borders().iso3
    raster = _raster()
    out: list[tuple[str, ...]] = []
    for start in range(0, len(arr), 1_000):  # chunks keep the sample arrays in cache
        chunk = arr[start : start + 1_000]
        seg = _segments(chunk)
        cls = _classify_segments(raster, seg).ravel()
        keep = cls != 0
        leg, c = np.repeat(seg.leg, len(_T))[keep], cls[keep]
        new = np.ones(len(c), dtype=bool)
        new[1:] = (c[1:] != c[:-1]) | (leg[1:] != leg[:-1])
        leg_r, codes = leg[new], [iso3[i - 1] for i in c[new].tolist()]
        cuts = np.searchsorted(leg_r, np.arange(len(chunk) + 1)).tolist()
        out.extend(tuple(codes[cuts[i] : cuts[i + 1]]) for i in range(len(chunk)))
    return out


def countries_along(
    points: Sequence[tuple[float, float]], include_sea: bool = False
) -> tuple[CountryPassage, ...]:
    """The countries under a path of (lat, lon) points in degrees (straight geodesics between
    them), in the order flown, each with the geodesic distance flown over it (NM).

    Consecutive stretches over one country are merged. Stretches over the sea (or land of no
    country) are left out, so a country entered again after only sea is one passage; with
    ``include_sea`` they are kept as passages with ``iso3 == ""`` and the distances add up to
    the path's length. Crossings are placed within CROSSING_TOLERANCE_M along the geodesic."""
    if len(points) < 2:
        return ()
    b = borders()
    raster = _raster()
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    seg = _segments(np.column_stack([pts[:-1], pts[1:]]))
    cls = _classify_segments(raster, seg).ravel().tolist()
    s_m = ((seg.s0_m[:, None] + _T * seg.len_m[:, None]).ravel()).tolist()
    sample_leg = np.repeat(seg.leg, len(_T))
    stretches: list[tuple[int, float]] = []  # (country index + 1, metres)
    for leg in range(len(pts) - 1):
        lo, hi = np.searchsorted(sample_leg, [leg, leg + 1]).tolist()
        (lat1, lon1), (lat2, lon2) = pts[leg], pts[leg + 1]
        line = _WGS84.InverseLine(lat1, lon1, lat2, lon2)
        start_m = 0.0
        for j in range(lo, hi - 1):
            if cls[j] != cls[j + 1]:
                cross = _crossing(line, raster, cls[j], s_m[j], s_m[j + 1])
                stretches.append((cls[j], cross - start_m))
                start_m = cross
        stretches.append((cls[hi - 1], float(seg.length_m[leg]) - start_m))
    merged: list[list[float]] = []
    for index, metres in stretches:
        if index == 0 and not include_sea:
            continue
        if merged and merged[-1][0] == index:
            merged[-1][1] += metres
        else:
            merged.append([index, metres])
    return tuple(
        CountryPassage(
            b.iso3[int(i) - 1] if i else "", b.names[int(i) - 1] if i else "", m / M_PER_NM
        )
        for i, m in merged
    )


def _crossing(line: Any, raster: _Raster, before: int, lo_m: float, hi_m: float) -> float:
    """Distance along ``line`` where the country ``before`` ends, between lo_m and hi_m."""
    while hi_m - lo_m > CROSSING_TOLERANCE_M:
        mid = 0.5 * (lo_m + hi_m)
        p = line.Position(mid, Geodesic.LATITUDE | Geodesic.LONGITUDE)
        here = raster.classify(np.array([p["lat2"]]), np.array([p["lon2"]]))
        if int(here[0]) == before:
            lo_m = mid
        else:
            hi_m = mid
    return 0.5 * (lo_m + hi_m)


def geodesic_length_nm(points: Sequence[tuple[float, float]]) -> float:
    """Length of a path of (lat, lon) points along WGS84 geodesics, in NM."""
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        total += _WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]
    return total / M_PER_NM


__all__ = [
    "CROSSING_TOLERANCE_M",
    "SAMPLE_STEP_M",
    "CountryPassage",
    "countries_along",
    "countries_of_legs",
    "country_at",
    "geodesic_length_nm",
]
