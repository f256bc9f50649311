"""Zone readers (GeoJSON, KML, OpenAIR) on tiny files written in tmp_path, every bad input
as one FieldError naming file, place and field, and when a zone is active."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from airlift.airspace import Zone, geodesic_circle, read_zones
from airlift.errors import FieldError
from airlift.units import M_PER_NM

GEOD = Geod(ellps="WGS84")
SQUARE = [[-4.0, 14.0], [-3.0, 14.0], [-3.0, 15.0], [-4.0, 15.0], [-4.0, 14.0]]


def feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def polygon(ring: list[list[float]] = SQUARE) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring]}


def write_geojson(tmp_path: Path, *features: dict[str, Any]) -> Path:
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


# ------------------------------------------------------------------------ GeoJSON


def test_geojson_polygon_with_every_property(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path,
        feature(
            polygon(),
            name="Ménaka",
            kind="threat",
            lower_ft=0,
            upper_ft=15000,
            from_utc="2026-01-01T06:00Z",
            until_utc="2026-01-01T18:00+00:00",
            standoff_nm=10,
            note="MANPADS reported",
        ),
    )
    (zone,) = read_zones(path)
    assert zone.name == "Ménaka" and zone.kind == "threat"
    assert (zone.lower_ft, zone.upper_ft) == (0.0, 15000.0)
    assert zone.from_utc == datetime(2026, 1, 1, 6, tzinfo=UTC)
    assert zone.until_utc == datetime(2026, 1, 1, 18, tzinfo=UTC)
    assert zone.standoff_m == pytest.approx(10 * M_PER_NM)
    assert zone.note == "MANPADS reported"
    assert zone.area.bounds == (-4.0, 14.0, -3.0, 15.0)


def test_geojson_circle_is_geodesic(tmp_path: Path) -> None:
    """A Point with radius_nm: 72 vertices, each 20 NM (geodesic) from the centre."""
    path = write_geojson(
        tmp_path,
        feature(
            {"type": "Point", "coordinates": [-1.0, 15.0]},
            name="C",
            kind="prohibited",
            radius_nm=20,
        ),
        feature(
            {"type": "Point", "coordinates": [-1.0, 17.0]},
            name="M",
            kind="restricted",
            radius_m=5000,
        ),
    )
    c, m = read_zones(path)
    ring = list(c.area.exterior.coords)[:-1]
    assert len(ring) == 72
    for lon, lat in ring:
        _, _, dist_m = GEOD.inv(-1.0, 15.0, lon, lat)
        assert dist_m == pytest.approx(20 * M_PER_NM, abs=0.01)
    _, _, dist_m = GEOD.inv(-1.0, 17.0, *m.area.exterior.coords[0])
    assert dist_m == pytest.approx(5000, abs=0.01)


def test_geojson_multipolygon_is_one_zone_per_part(tmp_path: Path) -> None:
    other = [[x + 2, y] for x, y in SQUARE]
    path = write_geojson(
        tmp_path,
        feature(
            {"type": "MultiPolygon", "coordinates": [[SQUARE], [other]]},
            name="Pair",
            kind="restricted",
        ),
    )
    assert [z.name for z in read_zones(path)] == ["Pair (1/2)", "Pair (2/2)"]


# ------------------------------------------------------------------------ KML

KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Threat A</name>
  <ExtendedData><Data name="kind"><value>threat</value></Data>
    <Data name="standoff_nm"><value>5</value></Data>
    <Data name="lower_ft"><value>0</value></Data>
    <Data name="upper_ft"><value>12000</value></Data></ExtendedData>
  <Polygon><outerBoundaryIs><LinearRing><coordinates>
    -4,14,0 -3,14,0 -3,15,0 -4,15,0 -4,14,0
  </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Desc P</name><description>seen 2026-01-02
kind: prohibited</description>
  <Polygon><outerBoundaryIs><LinearRing><coordinates>
    0,14 1,14 1,15 0,14
  </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Plain</name>
  <Polygon><outerBoundaryIs><LinearRing><coordinates>
    2,14 3,14 3,15 2,14
  </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>
"""


def test_kml_kinds_from_extended_data_description_and_default(tmp_path: Path) -> None:
    path = tmp_path / "zones.kml"
    path.write_text(KML)
    a, p, plain = read_zones(path)
    assert (a.name, a.kind, a.standoff_m, a.upper_ft) == (
        "Threat A",
        "threat",
        5 * M_PER_NM,
        12000.0,
    )
    assert p.kind == "prohibited"
    assert plain.kind == "restricted"  # the documented default
    assert a.area.bounds == (-4.0, 14.0, -3.0, 15.0)


# ------------------------------------------------------------------------ OpenAIR

OPENAIR = """* test file
AC P
AN GAP1 Gao
AL SFC
AH FL195
DP 16:00:00 N 000:30:00 W
DP 16:00:00 N 000:00:00 E
DP 16:30:00 N 000:00:00 E
AC R
AN GAR2 Circle
AL 2000ft
AH UNL
V X=15:00:00 N 001:00:00 W
DC 10
AC Q
AN GAD3 Arc
AL GND
AH 10000 ft MSL
AA 2026-01-01T06:00Z/2026-01-01T18:00Z
V X=14:00:00 N 002:00:00 E
DP 14:10:00 N 002:00:00 E
DA 10,0,180
"""


def test_openair_polygon_circle_and_arc(tmp_path: Path) -> None:
    path = tmp_path / "zones.txt"
    path.write_text(OPENAIR)
    p, r, d = read_zones(path)
    assert (p.name, p.kind, p.lower_ft, p.upper_ft) == ("GAP1 Gao", "prohibited", 0.0, 19500.0)
    assert p.area.bounds == pytest.approx((-0.5, 16.0, 0.0, 16.5))
    assert (r.kind, r.lower_ft, r.upper_ft) == ("restricted", 2000.0, None)
    lon, lat = r.area.exterior.coords[0]
    assert GEOD.inv(-1.0, 15.0, lon, lat)[2] == pytest.approx(10 * M_PER_NM, abs=0.01)
    assert (d.kind, d.upper_ft) == ("restricted", 10000.0)
    window = (datetime(2026, 1, 1, 6, tzinfo=UTC), datetime(2026, 1, 1, 18, tzinfo=UTC))
    assert (d.from_utc, d.until_utc) == window
    assert p.from_utc is None and r.until_utc is None
    # the arc is densified (every 5 degrees of a 180-degree sweep) on the 10 NM circle
    assert len(d.area.exterior.coords) >= 36
    east = max(d.area.exterior.coords)
    assert GEOD.inv(2.0, 14.0, *east)[2] == pytest.approx(10 * M_PER_NM, rel=1e-3)


# ------------------------------------------------------------------------ bad input

BOWTIE = [[0, 14], [1, 15], [1, 14], [0, 15], [0, 14]]
POINT = {"type": "Point", "coordinates": [-1.0, 15.0]}


@pytest.mark.parametrize(
    ("feat", "field"),
    [
        (feature(polygon(BOWTIE), name="X", kind="threat"), "geometry"),  # self-intersecting
        (feature(polygon(), name="X", kind="danger"), "kind"),  # unknown kind
        (feature(polygon(), kind="threat"), "name"),  # no name
        (feature(POINT, name="X", kind="threat", radius_nm=-2), "radius_nm"),  # negative radius
        (feature(POINT, name="X", kind="threat"), "radius_nm"),  # a Point without radius
        (feature(polygon(), name="X", kind="threat", lower_ft=9000, upper_ft=5000), "lower_ft"),
        (
            feature(
                polygon(),
                name="X",
                kind="threat",
                from_utc="2026-01-02T00:00Z",
                until_utc="2026-01-01T00:00Z",
            ),
            "from_utc",
        ),
        (feature(polygon(), name="X", kind="threat", from_utc="2026-01-02T00:00"), "from_utc"),
        (feature(polygon(), name="X", kind="threat", standoff_nm=-1), "standoff_nm"),
        (
            feature(polygon([[0, 14], [1, math.nan], [1, 15], [0, 14]]), name="X", kind="threat"),
            "geometry",
        ),  # non-finite coordinate (JSON NaN)
        (
            feature(polygon([[0, 14], [1, 95], [1, 15], [0, 14]]), name="X", kind="threat"),
            "geometry",
        ),  # latitude out of range
        (
            feature({"type": "LineString", "coordinates": SQUARE}, name="X", kind="threat"),
            "geometry",
        ),  # not an area
    ],
)
def test_bad_geojson_feature(tmp_path: Path, feat: dict[str, Any], field: str) -> None:
    good = feature(polygon(), name="Good", kind="restricted")
    path = write_geojson(tmp_path, good, feat)
    with pytest.raises(FieldError) as info:
        read_zones(path)
    err = info.value
    assert (err.field, err.file, err.row, err.where.unit) == (field, "zones.geojson", 2, "feature")
    assert "zones.geojson feature 2" in str(err)


@pytest.mark.parametrize(
    ("name", "text", "row"),
    [
        ("bad.geojson", '{"type": "FeatureCollection", "features": [', 1),  # bad JSON
        ("bad.kml", "<gpx><trk/></gpx>", None),  # XML, not KML
        ("bad.kml", "<kml><Placemark>", 1),  # broken XML
        ("empty.geojson", "  \n", None),  # empty file
        ("empty.txt", "", None),
        ("list.geojson", "[1, 2]", None),  # JSON but not GeoJSON
    ],
)
def test_file_that_is_not_what_it_claims(
    tmp_path: Path, name: str, text: str, row: int | None
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(FieldError) as info:
        read_zones(path)
    assert info.value.file == name
    assert info.value.row == row


def test_kml_bad_placemark_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "zones.kml"
    path.write_text(KML.replace("<value>threat</value>", "<value>hostile</value>"))
    with pytest.raises(FieldError) as info:
        read_zones(path)
    assert (info.value.field, info.value.row, info.value.where.record) == ("kind", 3, "Threat A")


@pytest.mark.parametrize(
    ("text", "field", "row"),
    [
        ("AC C\nAN Ctl\nAL SFC\nAH FL100\nDP 16:00:00 N 000:30:00 W\n", "AC", 5),  # class C
        ("AC R\nAN Air\nAL SFC\nAH FL100\nDY 16:00:00 N 000:30:00 W\n", None, 5),  # airway
        ("AC R\nAN A\nAL SFC\nAH FL100\nXX nonsense\n", None, 5),  # unknown record
        ("AC R\nAN A\nAL 1000 AGL\nAH FL100\nDP 16:00:00 N 000:30:00 W\n", "AL", 5),
        ("AC R\nAN A\nAL FL150\nAH FL100\nV X=15:00:00 N 001:00:00 W\nDC 5\n", "lower_ft", 6),
        ("AC R\nAN A\nAL SFC\nAH FL100\nV X=15:00:00 N 001:00:00 W\nDC -5\n", "DC", 6),
        (
            "AC R\nAN A\nAL SFC\nAH FL100\nDP 16:00:00 N 000:30:00 W\nDP 16:30:00 N 000:30:00 W\n",
            "DP",
            5,
        ),  # 2 points: no area
        # an activation it cannot read: refused, not dropped
        ("AC R\nAN A\nAL SFC\nAH FL100\nAA weekdays\nDP 16:00:00 N 000:30:00 W\n", "AA", 5),
    ],
)
def test_bad_openair_record_names_its_line(
    tmp_path: Path, text: str, field: str | None, row: int
) -> None:
    path = tmp_path / "zones.air"
    path.write_text(OPENAIR + text)
    offset = OPENAIR.count("\n")
    with pytest.raises(FieldError) as info:
        read_zones(path)
    assert (info.value.field, info.value.file, info.value.row) == (field, "zones.air", offset + row)


# ------------------------------------------------------------------------ activity

T = datetime(2026, 1, 1, 12, tzinfo=UTC)


def hours(h: float) -> datetime:
    from datetime import timedelta

    return T + timedelta(hours=h)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "hostile"}, "kind"),
        ({"standoff_m": -1.0}, "standoff_m"),
        ({"lower_ft": 9000.0, "upper_ft": 100.0}, "lower_ft"),
        ({"from_utc": datetime(2026, 1, 1)}, "from_utc"),  # naive
        ({"from_utc": hours(1), "until_utc": hours(0)}, "from_utc"),
    ],
)
def test_zone_checks_itself(kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {"name": "Z", "kind": "threat", "area": geodesic_circle(15, 0, 9e3)}
    with pytest.raises(FieldError) as info:
        Zone(**(args | kwargs))
    assert info.value.field == field


def test_zone_without_band_or_window_is_always_active() -> None:
    z = Zone("Z", "restricted", geodesic_circle(15, 0, 10_000))
    assert z.active(0, hours(-100), hours(-99)) and z.active(45_000, hours(99), hours(100))


@pytest.mark.parametrize(
    ("level_ft", "start_h", "end_h", "active"),
    [
        (10_000, 0, 1, True),  # inside band and window
        (4_000, 0, 1, False),  # below the band
        (25_000, 0, 1, False),  # above the band
        (5_000, 0, 1, True),  # band limits are inclusive
        (20_000, 0, 1, True),
        (10_000, -3, -2.5, False),  # leg before the window
        (10_000, -3, -1.5, True),  # overlaps the window's start
        (10_000, 5.5, 7, True),  # overlaps its end
        (10_000, 7, 8, False),  # after the window
    ],
)
def test_band_and_window(level_ft: float, start_h: float, end_h: float, active: bool) -> None:
    z = Zone("Z", "threat", geodesic_circle(15, 0, 10_000), 5_000, 20_000, hours(-2), hours(6), 0.0)
    assert z.active(level_ft, hours(start_h), hours(end_h)) is active


# ------------------------------------------------------------------------ never a traceback

_FRAGMENTS = [
    '{"type": "FeatureCollection", "features": [',
    '{"type": "Feature", "properties": {"name": "X", "kind": "threat"}, "geometry": ',
    '{"type": "Point", "coordinates": [1, 2]}',
    '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}',
    "null",
    "[]",
    "}",
    "]",
    ",",
    '"radius_nm": -1',
    "1e999",
    "NaN",
    '<kml xmlns="http://www.opengis.net/kml/2.2">',
    "<Placemark><name>P</name>",
    "<Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0",
    "</coordinates></LinearRing></outerBoundaryIs></Polygon>",
    "</Placemark>",
    "</kml>",
    "AC R\n",
    "AC P\n",
    "AN Z\n",
    "AL SFC\n",
    "AH FL100\n",
    "AH UNL\n",
    "V X=15:00 N 001:00 W\n",
    "DC 5\n",
    "DA 5,0,90\n",
    "DB 15:00 N 001:00 W, 15:05 N 001:00 W\n",
    "DP 16:00 N 000:30 W\n",
    "V D=-\n",
    "AA NONE\n",
    "TO T\n",
    "\n",
]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["z.geojson", "z.kml", "z.txt", "z.dat"]),
    st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=8), max_size=12),
)
def test_any_input_gives_zones_or_one_field_error(suffix: str, parts: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / suffix
        path.write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
        try:
            zones = read_zones(path)
        except FieldError as err:
            assert err.file == suffix
        else:
            assert zones and all(z.area.is_valid for z in zones)
