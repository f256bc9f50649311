"""The country borders: Natural Earth admin-0 at 1:50m, decoded from the TopoJSON the npm
package ``world-atlas`` ships (``countries-50m.json`` under node_modules, installed by
``npm ci``; nothing is fetched at run time) into shapely polygons, once per process.

Each geometry's ``id`` is the ISO 3166-1 numeric code (mapped to alpha-3 with pycountry); the
few without one are mapped by name (:data:`NO_ID_CODES`). Several geometries with one code
(Australia and its islands) are one country. world-atlas is drawn for the sphere: the rings
of Russia, Fiji and Antarctica jump across 180 deg, and are cut there for the plane.
``airspace/countries.py`` samples paths against them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pycountry
import shapely

from airlift.assets import node_asset
from airlift.errors import DataFileError

FloatArray = npt.NDArray[np.float64]

TOPOJSON = "world-atlas/countries-50m.json"
"""The borders, under node_modules."""

NO_ID_CODES: dict[str, str] = {
    # "XKX" is the user-assigned code the European Commission and IMF use for Kosovo (ISO 3166
    # has none); the clearance rules fall back to their [default] table for it.
    "Kosovo": "XKX",
    # Internationally recognised as part of Somalia / Cyprus: clearances are asked of those.
    "Somaliland": "SOM",
    "N. Cyprus": "CYP",
    # Christmas Island and the Cocos (Keeling) Islands, drawn as one geometry: Australian.
    "Indian Ocean Ter.": "AUS",
}
"""Natural Earth geometries without an ISO numeric id, by name -> the alpha-3 code used.
"Siachen Glacier" (disputed between India and Pakistan) is left out: no country."""

MAX_COUNTRIES = 255
"""Country indices + 1 fit a byte of the countries raster (255 marks a border cell there)."""


@dataclass(frozen=True)
class Borders:
    """The countries: index i + 1 in rasters and results is ``iso3[i]`` (0: no country)."""

    iso3: tuple[str, ...]
    names: tuple[str, ...]
    geoms: Any  # numpy object array of prepared shapely (Multi)Polygons
    polygons: tuple[tuple[tuple[FloatArray, tuple[FloatArray, ...]], ...], ...]
    """Per country, its polygons as (exterior, holes) rings of (lon, lat) for rasterising."""
    bounds: tuple[FloatArray, ...]
    """Per country, the (minx, miny, maxx, maxy) of each of its polygons."""
    tree: Any  # shapely STRtree over geoms


def _decode_arcs(topo: dict[str, Any]) -> list[FloatArray]:
    """Every arc as an (n, 2) array of (lon, lat): quantised deltas summed, then scaled."""
    scale = np.asarray(topo["transform"]["scale"], dtype=float)
    translate = np.asarray(topo["transform"]["translate"], dtype=float)
    return [
        np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + translate for arc in topo["arcs"]
    ]


def _ring(arcs: list[FloatArray], refs: list[int]) -> FloatArray:
    """A closed ring from arc indices (negative: arc ~i reversed); shared ends kept once."""
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in refs]
    return np.concatenate([parts[0], *(p[1:] for p in parts[1:])])


def _polygons(
    geometry: dict[str, Any], arcs: list[FloatArray]
) -> list[tuple[FloatArray, tuple[FloatArray, ...]]]:
    if geometry["type"] == "Polygon":
        polys = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polys = geometry["arcs"]
    else:  # world-atlas has no other kind for countries
        return []
    out: list[tuple[FloatArray, tuple[FloatArray, ...]]] = []
    for rings in polys:
        decoded = [_ring(arcs, refs) for refs in rings]
        if len(decoded) == 2 and (np.abs(decoded[0][:, 1]) > 89.9).all():
            # A ring round the pole with the coast as its hole (Antarctica, drawn for the
            # sphere): on the plane, the polar cap inside the coast.
            decoded = decoded[1:]
        if (np.abs(np.diff(decoded[0][:, 0])) > 180.0).any():
            out.extend(_split_at_180(decoded[0], decoded[1:]))
        else:
            out.append((decoded[0], tuple(decoded[1:])))
    return out


def _unwrap(ring: FloatArray) -> FloatArray:
    """The ring with longitudes made continuous (a step over 180 deg is one across 180 E/W)."""
    steps = np.diff(ring[:, 0])
    turns = np.concatenate([[0.0], np.cumsum(-360.0 * np.round(steps / 360.0))])
    return np.column_stack([ring[:, 0] + turns, ring[:, 1]])


def _split_at_180(
    exterior: FloatArray, holes: Sequence[FloatArray]
) -> list[tuple[FloatArray, tuple[FloatArray, ...]]]:
    """A polygon whose ring crosses 180 deg (world-atlas is drawn for the sphere: Russia's,
    Fiji's and Antarctica's edges jump from 180 E to 180 W) as polygons within -180..180: made
    continuous, cut at 180 deg, the far part moved by 360 deg. A ring that goes round a pole
    (Antarctica) is closed along the pole's parallel."""
    ext = _unwrap(exterior)
    if abs(ext[-1, 0] - ext[0, 0]) > 180.0:  # round the pole: close it over the pole
        pole = -90.0 if ext[:, 1].mean() < 0 else 90.0
        ext = np.vstack([ext, [[ext[-1, 0], pole], [ext[0, 0], pole], ext[0]]])
    lo = ext[:, 0].min()
    inner = []
    for hole in holes:
        h = _unwrap(hole)
        shift = np.array([360.0 * np.ceil((lo - h[:, 0].min()) / 360.0), 0.0])
        inner.append(h + shift)
    whole = shapely.make_valid(shapely.Polygon(ext, inner))
    out: list[tuple[FloatArray, tuple[FloatArray, ...]]] = []
    for turn in (-360.0, 0.0, 360.0):
        part = shapely.intersection(whole, shapely.box(-180.0 + turn, -90.0, 180.0 + turn, 90.0))
        for poly in shapely.get_parts(part):
            if isinstance(poly, shapely.Polygon) and not poly.is_empty and poly.area > 0:
                moved = shapely.transform(poly, lambda xy, t=turn: xy - [t, 0.0])
                out.append(
                    (
                        np.asarray(moved.exterior.coords),
                        tuple(np.asarray(r.coords) for r in moved.interiors),
                    )
                )
    return out


def _iso3(geometry: dict[str, Any]) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    if "id" not in geometry:
        return NO_ID_CODES.get(name)
    country = pycountry.countries.get(numeric=str(geometry["id"]))
    return None if country is None else str(country.alpha_3)


@cache
def borders() -> Borders:
    """The countries, decoded once per process (about 0.2 s).

    No maintained, light Python TopoJSON reader exists: the PyPI ``topojson`` package is an
    encoder (geometries -> TopoJSON, its README says), GDAL's TopoJSON driver (fiona, pyogrio)
    would bring GDAL for one file. The format is small: arcs of delta-encoded quantised
    points, rings as lists of arc indices (negative: arc ~i reversed)."""
    path = node_asset(TOPOJSON)
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
        geometries = topo["objects"]["countries"]["geometries"]
        arcs = _decode_arcs(topo)
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(f"{path}: not world-atlas TopoJSON ({exc})") from exc
    by_code: dict[str, tuple[str, list[tuple[FloatArray, tuple[FloatArray, ...]]]]] = {}
    for geometry in geometries:
        code = _iso3(geometry)
        if code is None:
            continue
        name = str(geometry.get("properties", {}).get("name", code))
        _, polys = by_code.setdefault(code, (name, []))
        polys.extend(_polygons(geometry, arcs))
    codes = sorted(by_code)
    if len(codes) >= MAX_COUNTRIES:
        raise DataFileError(
            f"{path}: {len(codes)} countries, the raster holds at most {MAX_COUNTRIES - 1}"
        )
    polygons = tuple(tuple(by_code[c][1]) for c in codes)
    geoms = np.array(
        [
            shapely.MultiPolygon([shapely.Polygon(ext, list(holes)) for ext, holes in p])
            for p in polygons
        ],
        dtype=object,
    )
    shapely.prepare(geoms)
    bounds = tuple(np.array([[*r[0].min(axis=0), *r[0].max(axis=0)] for r in p]) for p in polygons)
    return Borders(
        iso3=tuple(codes),
        names=tuple(by_code[c][0] for c in codes),
        geoms=geoms,
        polygons=polygons,
        bounds=bounds,
        tree=shapely.STRtree(geoms),
    )
