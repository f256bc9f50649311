"""Countries under a path (airspace/countries.py): hand-checked Sahel legs, border accuracy,
the batch against the one-path function, distances that add up.

Airfields (lat, lon in degrees): Bamako GABS, Gao GAGO, Tessalit GATS (Mali), Niamey DRRN
(Niger); Dakar GOOY (Senegal), Praia GVNP (Cape Verde).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlift import assets
from airlift.airspace import borders, countries
from airlift.airspace.countries import (
    countries_along,
    countries_of_legs,
    country_at,
    geodesic_length_nm,
)
from airlift.errors import DataFileError

GABS = (12.533, -7.950)
GAGO = (16.248, -0.005)
GATS = (20.243, 0.981)
DRRN = (13.482, 2.184)
GOOY = (14.74, -17.49)
GVNP = (14.92, -23.49)

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
sahel_lat = st.floats(5.0, 25.0)
sahel_lon = st.floats(-18.0, 16.0)


@pytest.fixture(autouse=True, scope="module")
def _borders_installed() -> None:
    if not (assets.NODE_MODULES / borders.TOPOJSON).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"world-atlas missing under {assets.NODE_MODULES}: make install")
        pytest.skip(f"world-atlas not installed under {assets.NODE_MODULES} (npm ci)")


def codes(path: list[tuple[float, float]]) -> tuple[str, ...]:
    return tuple(p.iso3 for p in countries_along(path))


def exact_country(lat: float, lon: float) -> str:
    """The polygons' own answer, without the raster ("" for none)."""
    b = borders.borders()
    inside = [b.iso3[g] for g in range(len(b.iso3)) if shapely.contains_xy(b.geoms[g], lon, lat)]
    return inside[0] if inside else ""


def test_reference_airfields_lie_in_their_countries() -> None:
    assert [country_at(*p) for p in (GABS, GAGO, GATS, DRRN)] == ["MLI", "MLI", "MLI", "NER"]
    assert country_at(0.0, -20.0) is None  # Gulf of Guinea


def test_bamako_gao_is_mali_only() -> None:
    (passage,) = countries_along([GABS, GAGO])
    assert passage.iso3 == "MLI" and passage.name == "Mali"
    assert passage.distance_nm == pytest.approx(geodesic_length_nm([GABS, GAGO]), rel=1e-6)


def test_niamey_bamako_crosses_niger_burkina_faso_mali() -> None:
    """Computed: Niger for 61 NM (the border at 13.40 N 1.14 E), Burkina Faso for 316 NM
    (leaving at 12.93 N 4.24 W), Mali for the last 219 NM; 596 NM in all. Independently: the
    geodesic sampled every 5 km, each sample tested against the polygons without the raster,
    gives the same three. Geography agrees: the line stays between 12.5 and 13.5 N, south of
    the Mali-Burkina border (near 15 N at 1 W), through northern Burkina Faso (Ouahigouya,
    13.6 N 2.4 W, is just north of it), into Mali near 4 W where the border turns south."""
    passages = countries_along([DRRN, GABS])
    assert [p.iso3 for p in passages] == ["NER", "BFA", "MLI"]
    assert [round(p.distance_nm) for p in passages] == [61, 316, 219]
    line = Geodesic.WGS84.InverseLine(*DRRN, *GABS)
    samples = [line.Position(line.s13 * i / 240) for i in range(241)]
    seen: list[str] = []
    for p in samples:
        c = exact_country(p["lat2"], p["lon2"])
        if c and (not seen or seen[-1] != c):
            seen.append(c)
    assert seen == ["NER", "BFA", "MLI"]


def test_crossings_are_placed_within_one_km() -> None:
    """1 km before each computed crossing the polygons say the country left, 1 km after the
    one entered (the polygons themselves are only as good as 1:50m)."""
    passages = countries_along([DRRN, GABS])
    line = Geodesic.WGS84.InverseLine(*DRRN, *GABS)
    s_m = 0.0
    for here, there in itertools.pairwise(passages):
        s_m += here.distance_nm * 1852.0
        before, after = line.Position(s_m - 1_000.0), line.Position(s_m + 1_000.0)
        assert exact_country(before["lat2"], before["lon2"]) == here.iso3
        assert exact_country(after["lat2"], after["lon2"]) == there.iso3


def test_gao_niamey_is_mali_then_niger() -> None:
    assert codes([GAGO, DRRN]) == ("MLI", "NER")


def test_reference_rotation_in_order() -> None:
    path = [GABS, GAGO, GATS, DRRN, GABS]
    assert codes(path) == ("MLI", "NER", "BFA", "MLI")  # Mali's stretches merged
    assert countries_of_legs([(*a, *b) for a, b in itertools.pairwise(path)]) == [
        ("MLI",),
        ("MLI",),
        ("MLI", "NER"),
        ("NER", "BFA", "MLI"),
    ]


def test_dakar_praia_is_sea_in_the_middle() -> None:
    """Only the Senegal coast at the start; the 5% to 95% stretch is over no country."""
    passages = countries_along([GOOY, GVNP], include_sea=True)
    assert passages[0].iso3 == "SEN" and passages[0].distance_nm < 5.0
    assert passages[1].iso3 == "" and passages[1].name == ""
    line = Geodesic.WGS84.InverseLine(*GOOY, *GVNP)
    a, b = line.Position(0.05 * line.s13), line.Position(0.95 * line.s13)
    assert countries_of_legs([(a["lat2"], a["lon2"], b["lat2"], b["lon2"])]) == [()]


def test_raster_answers_as_the_polygons_do() -> None:
    """10,000 random Sahel points, and 10,000 within ~3 km of the coalition's borders
    (where the raster hands over to the polygons): raster + exact = the polygons alone."""
    rng = np.random.default_rng(7)
    b = borders.borders()
    edges = shapely.boundary(
        shapely.union_all([b.geoms[b.iso3.index(c)] for c in ("MLI", "NER", "BFA")])
    )
    on_edge = shapely.get_coordinates(
        shapely.line_interpolate_point(edges, rng.uniform(0, 1, 10_000), normalized=True)
    )
    lat = np.concatenate([rng.uniform(5, 25, 10_000), on_edge[:, 1] + rng.normal(0, 0.02, 10_000)])
    lon = np.concatenate(
        [rng.uniform(-18, 16, 10_000), on_edge[:, 0] + rng.normal(0, 0.02, 10_000)]
    )
    assert (countries._raster().classify(lat, lon) == countries._exact(b, lon, lat)).all()


@PROPERTY
@given(sahel_lat, sahel_lon, sahel_lat, sahel_lon)
def test_batch_agrees_with_countries_along(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    along = codes([(lat1, lon1), (lat2, lon2)])
    assert countries_of_legs([(lat1, lon1, lat2, lon2)]) == [along]


@PROPERTY
@given(sahel_lat, sahel_lon, sahel_lat, sahel_lon)
def test_passages_add_up_to_the_leg(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    path = [(lat1, lon1), (lat2, lon2)]
    total = geodesic_length_nm(path)
    every = countries_along(path, include_sea=True)
    land = countries_along(path)
    sea_nm = sum(p.distance_nm for p in every if p.iso3 == "")
    assert sum(p.distance_nm for p in every) == pytest.approx(total, rel=1e-6, abs=1e-6)
    assert sum(p.distance_nm for p in land) == pytest.approx(total - sea_nm, rel=5e-3, abs=1e-6)


def test_countries_across_180_degrees() -> None:
    """world-atlas draws Russia, Fiji and Antarctica for the sphere (rings jumping from 180 E
    to 180 W; Antarctica a ring round the pole with its coast as a hole): cut for the plane,
    they hold their land on both sides of 180 deg, and a leg is sampled the short way."""
    for lon in (175.0, 179.99, -179.99, -175.0):
        assert country_at(65.5, lon) == "RUS"  # Chukotka
    assert country_at(-17.8, 178.0) == country_at(-16.5, -179.99) == "FJI"
    assert country_at(-85.0, 0.0) == country_at(-89.5, 179.0) == "ATA"
    assert country_at(-60.0, 0.0) is None
    assert countries_of_legs([(65.5, 175.0, 65.5, -175.0)]) == [("RUS",)]
    assert codes([(60.0, 170.0), (60.0, -160.0)]) == ("RUS", "USA")  # Bering Sea islands


def test_batch_of_nothing_and_of_a_point() -> None:
    assert countries_of_legs([]) == []
    assert countries_of_legs([(*GAGO, *GAGO)]) == [("MLI",)]
    assert countries_along([GAGO]) == ()


def test_missing_borders_say_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(assets, "NODE_MODULES", tmp_path)
    with pytest.raises(DataFileError, match="npm install"):
        assets.node_asset(borders.TOPOJSON)
