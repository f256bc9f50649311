"""Airfield lookup (theatre file, airportsdata, OurAirports cache) and the OurAirports importer."""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import airlift.airfields as airfields
from airlift.airfields import cache_path, is_paved, lookup, theatre
from airlift.errors import DataFileError, RunwayClosed, UnknownAirfield
from airlift.ourairports import import_ourairports

# Header lines copied from the OurAirports files (../shared/data/ourairports, commit fb35186).
AIRPORTS_HEADER = (
    '"id","ident","type","name","latitude_deg","longitude_deg","elevation_ft","continent",'
    '"iso_country","iso_region","municipality","scheduled_service","icao_code","iata_code",'
    '"gps_code","local_code","home_link","wikipedia_link","keywords"\n'
)
RUNWAYS_HEADER = (
    '"id","airport_ref","airport_ident","length_ft","width_ft","surface","lighted","closed",'
    '"le_ident","le_latitude_deg","le_longitude_deg","le_elevation_ft","le_heading_degT",'
    '"le_displaced_threshold_ft","he_ident","he_latitude_deg","he_longitude_deg",'
    '"he_elevation_ft","he_heading_degT","he_displaced_threshold_ft"\n'
)
# Two made-up Malian strips, codes that exist nowhere else (so they come from the cache):
# ZZAA by ICAO code, a 6,562 ft (2,000.1 m) x 98 ft (29.9 m) laterite runway;
# ML-9999 known only by its GPS code ZZGP, one closed runway of unknown width and surface.
AIRPORT_ROWS = (
    '900001,"ZZAA","small_airport","Test Strip",12.5,-8.0,1200,"AF","ML","ML-2","Testville",'
    '"no","ZZAA","ZZA","ZZAA",,,,\n'
    '900002,"ML-9999","small_airport","Gps Strip",14.0,-4.0,900,"AF","ML","ML-5",,"no",,,'
    '"ZZGP",,,,\n'
)
RUNWAY_ROWS = (
    '910001,900001,"ZZAA",6562,98,"LAT",0,0,"09",,,,,,"27",,,,,\n'
    '910002,900002,"ML-9999",3000,-1,,0,1,"18",,,,,,"36",,,,,\n'
)


def _folder(root: Path, name: str, airports: str | bytes | None, runways: str | None) -> Path:
    """Write an OurAirports-style folder; ``None`` leaves that file out."""
    folder = root / name
    folder.mkdir()
    if airports is not None:
        data = airports if isinstance(airports, bytes) else airports.encode("utf-8")
        (folder / "airports.csv").write_bytes(data)
    if runways is not None:
        (folder / "runways.csv").write_text(runways, encoding="utf-8")
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """The two made-up strips above as a valid OurAirports folder."""
    return _folder(tmp_path, "tiny", AIRPORTS_HEADER + AIRPORT_ROWS, RUNWAYS_HEADER + RUNWAY_ROWS)


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory, ourairports: Path) -> Iterator[Path]:
    """A data folder holding the full OurAirports import (~2 s, so once per module)."""
    folder = tmp_path_factory.mktemp("world-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AIRLIFT_DATA_DIR", str(folder))
        airfields.forget_cache()
        summary = import_ourairports(str(ourairports))
        assert summary.path == folder / "ourairports.sqlite"
        # README: 85,836 airports and 48,144 runways at commit fb35186.
        assert (summary.airports, summary.runways) == (85_836, 48_144)
        yield folder
    airfields.forget_cache()


@pytest.fixture
def world(world_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point this test at the full import (another test may have switched the folder)."""
    monkeypatch.setenv("AIRLIFT_DATA_DIR", str(world_dir))
    airfields.forget_cache()
    return world_dir


# --- lookup in the theatre ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "icao"),
    [
        ("GATS", "GATS"),  # ICAO
        ("gats", "GATS"),  # ICAO, lower case
        (" GAGO ", "GAGO"),  # surrounding blanks
        ("GAKY", "GAKD"),  # OurAirports ident, an alias in the theatre file
        ("gaky", "GAKD"),  # alias, lower case
        ("BKO", "GABS"),  # IATA
        ("NIM", "DRRN"),  # IATA
        ("nim", "DRRN"),  # IATA, lower case
        ("Tessalit", "GATS"),  # name
        ("TESSALIT", "GATS"),  # name, upper case
        ("niamey", "DRRN"),  # part of the name
    ],
)
def test_lookup_theatre(query: str, icao: str, data_dir: Path) -> None:
    assert lookup(query).icao == icao


def test_unknown_code_suggests_the_nearest(data_dir: Path) -> None:
    with pytest.raises(UnknownAirfield) as info:
        lookup("GATX")
    assert "GATS" in str(info.value)
    assert info.value.query == "GATX"
    assert any(s.startswith("GATS") for s in info.value.suggestions)


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query_is_unknown(query: str, data_dir: Path) -> None:
    with pytest.raises(UnknownAirfield):
        lookup(query)


def test_tessalit_planning_attributes(data_dir: Path) -> None:
    gats = lookup("GATS")
    assert gats.planning.fuel_available is False
    assert gats.planning.daylight_only is True
    assert gats.planning.mog == 2
    assert gats.runway_source == "theatre file"
    # The gravel strip 05R/23L is closed; the longest open runway is 05L/23R, 2,500 m.
    closed = {r.ident for r in gats.runways if r.closed}
    assert closed == {"05R/23L"}
    longest = gats.longest_runway()
    assert longest is not None and (longest.ident, longest.length_m) == ("05L/23R", 2500)


def test_gao_has_fuel_and_position(data_dir: Path) -> None:
    gago = lookup("GAGO")
    assert gago.planning.fuel_available is True
    assert gago.planning.daylight_only is False
    # Position from airportsdata: 16.25 N, 0.00 W; ±0.05°.
    assert gago.lat == pytest.approx(16.25, abs=0.05)
    assert gago.lon == pytest.approx(0.0, abs=0.05)
    assert gago.tz == "Africa/Bamako"


def test_every_theatre_airfield_is_complete() -> None:
    fields = theatre()
    assert {"GABS", "GAGO", "GATS", "DRRN", "GAKD"} <= set(fields)
    for a in fields.values():
        assert -90 <= a.lat <= 90 and -180 <= a.lon <= 180
        assert a.tz.startswith("Africa/")
        assert a.planning.source.startswith("assumption:")
        for r in a.runways:
            assert r.length_m and r.length_m > 0
            assert r.source


def test_theatre_runways_match_ourairports(ourairports: Path) -> None:
    """Each curated runway names its OurAirports row: length (ft x 0.3048) agrees to 1 m."""
    with (ourairports / "runways.csv").open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    checked = 0
    for a in theatre().values():
        for r in a.runways:
            match = re.search(r"(?:runways\.csv id |#)(\d+)", r.source)
            assert match, f"{a.icao} {r.ident}: source names no OurAirports row"
            row = rows[match.group(1)]
            assert float(row["length_ft"]) * 0.3048 == pytest.approx(r.length_m, abs=1.0)
            if not r.closed:  # the theatre may close a runway; it may not reopen one
                assert row["closed"] == "0", f"{a.icao} {r.ident} is closed in OurAirports"
            checked += 1
    assert checked >= 15


def test_closing_every_runway_raises(data_dir: Path) -> None:
    gats = lookup("GATS").with_closed({"*"})
    assert all(r.closed for r in gats.runways)
    with pytest.raises(RunwayClosed, match="GATS"):
        gats.longest_runway()


def test_closing_one_runway_leaves_the_next_longest(data_dir: Path) -> None:
    gats = lookup("GATS").with_closed({"05L/23R"})
    longest = gats.longest_runway()
    assert longest is not None and (longest.ident, longest.length_m) == ("15/33", 1196)
    # The override is a copy: the theatre airfield is untouched.
    assert not lookup("GATS").runways[0].closed


def test_airfield_without_runway_data(data_dir: Path) -> None:
    gamk = lookup("GAMK")
    assert gamk.runways == ()
    assert gamk.longest_runway() is None


@pytest.mark.parametrize(
    ("surface", "paved"),
    [
        ("ASP", True),  # asphalt
        ("asph-g", True),  # asphalt in good condition, lower case
        ("BITUM", True),  # bitumen
        ("CON", True),  # concrete
        ("CONC", True),
        ("PEM", True),  # partially concrete, asphalt or bitumen
        ("LAT", False),  # laterite
        ("GVL", False),  # gravel
        ("TURF", False),
        ("GRASS", False),
        ("UNK", False),  # unknown counts as unpaved: the safe side
        ("", False),
    ],
)
def test_is_paved(surface: str, paved: bool) -> None:
    assert is_paved(surface) is paved


# --- world airports -------------------------------------------------------------------------------


def test_world_airport_without_cache(data_dir: Path) -> None:
    cdg = lookup("LFPG")
    assert cdg.tz == "Europe/Paris"
    assert cdg.runways == ()
    assert cdg.runway_source == ""
    assert cdg.iata == "CDG"
    assert lookup("cdg").icao == "LFPG"  # IATA of a world airport
    assert not (data_dir / "ourairports.sqlite").exists()


def test_world_airport_with_runways_after_import(world: Path) -> None:
    cdg = lookup("LFPG")
    assert cdg.tz == "Europe/Paris"
    assert cdg.runway_source == "OurAirports cache"
    longest = cdg.longest_runway()
    # 08L/26R: 13,829 ft x 0.3048 = 4,215.1 m (rounded to 0.1 m); ±0.1 m.
    assert longest is not None and longest.ident == "08L/26R"
    assert longest.length_m == pytest.approx(4_215.1, abs=0.1)
    assert longest.width_m == pytest.approx(45.1, abs=0.1)  # 148 ft
    assert longest.paved and longest.lighted and not longest.closed
    assert len(cdg.runways) == 5


def test_theatre_file_wins_over_the_cache(world: Path) -> None:
    gats = lookup("GATS")
    assert gats.runway_source == "theatre file"
    assert {r.ident for r in gats.runways} == {"05L/23R", "05R/23L", "15/33"}


def test_cache_only_airfield_by_gps_code(world: Path) -> None:
    # Manantali (ident ML-0001, gps_code GAMN) is not in airportsdata: position and runway come
    # from the cache, the time zone from the nearest airportsdata airport.
    gamn = lookup("GAMN")
    assert gamn.icao == "GAMN"
    assert gamn.tz == "Africa/Bamako"
    assert gamn.country == "ML"
    (rwy,) = gamn.runways
    # 4,946 ft x 0.3048 = 1,507.5 m laterite; ±0.1 m.
    assert rwy.length_m == pytest.approx(1_507.5, abs=0.1)
    assert rwy.surface == "LAT" and not rwy.paved


# --- the importer ---------------------------------------------------------------------------------


def test_import_tiny_folder(tiny: Path, data_dir: Path) -> None:
    summary = import_ourairports(str(tiny))
    assert (summary.airports, summary.runways) == (2, 2)
    assert summary.path == data_dir / "ourairports.sqlite" == cache_path()
    zzaa = lookup("ZZAA")
    assert (zzaa.name, zzaa.iata, zzaa.country, zzaa.city) == (
        "Test Strip",
        "ZZA",
        "ML",
        "Testville",
    )
    assert zzaa.elevation_ft == 1200
    (rwy,) = zzaa.runways
    # 6,562 ft = 2,000.1 m; 98 ft = 29.9 m (rounded to 0.1 m).
    assert (rwy.ident, rwy.length_m, rwy.width_m) == ("09/27", 2000.1, 29.9)
    assert rwy.surface == "LAT" and not rwy.paved and not rwy.closed
    assert "OurAirports" in rwy.source and "910001" in rwy.source  # names its row


def test_import_reads_gps_code_unknown_width_and_closure(tiny: Path, data_dir: Path) -> None:
    import_ourairports(str(tiny))
    strip = lookup("ZZGP")
    assert strip.icao == "ZZGP"
    (rwy,) = strip.runways
    assert rwy.width_m is None  # -1 in OurAirports means unknown
    assert rwy.surface == "UNK"  # empty surface
    assert rwy.closed
    with pytest.raises(RunwayClosed):
        strip.longest_runway()


def test_rows_with_non_finite_numbers_are_skipped_and_counted(
    tmp_path: Path, data_dir: Path
) -> None:
    # A NaN position, an infinite elevation, a latitude off the globe and a NaN runway
    # length: each row left out (later commands would crash on it), named in the summary.
    airports = AIRPORT_ROWS + (
        '900003,"ZZNA","small_airport","NaN Strip",nan,-4.0,900,"AF","ML","ML-5",,"no",,,,,,,\n'
        '900004,"ZZIN","small_airport","Inf Strip",14.0,-4.0,inf,"AF","ML","ML-5",,"no",,,,,,,\n'
        '900005,"ZZOF","small_airport","Off Strip",95.0,-4.0,900,"AF","ML","ML-5",,"no",,,,,,,\n'
    )
    runways = RUNWAY_ROWS + '910003,900001,"ZZAA",NaN,98,"ASP",1,0,"18",,,,,,"36",,,,,\n'
    folder = _folder(tmp_path, "nan", AIRPORTS_HEADER + airports, RUNWAYS_HEADER + runways)
    summary = import_ourairports(str(folder))
    assert (summary.airports, summary.runways) == (2, 2)
    assert len(summary.skipped) == 4
    assert summary.skipped[0].endswith("airports.csv line 4: latitude_deg is nan")
    assert "line 5: elevation_ft is inf" in summary.skipped[1]
    assert "off the globe" in summary.skipped[2]
    assert summary.skipped[3].endswith("runways.csv line 4: length_ft is NaN")
    assert "skipped 4 rows with unusable numbers" in summary.describe()
    with pytest.raises(UnknownAirfield):
        lookup("ZZNA")
    assert len(lookup("ZZAA").runways) == 1


def _bad_table() -> list[object]:
    good_a, good_r = AIRPORTS_HEADER + AIRPORT_ROWS, RUNWAYS_HEADER + RUNWAY_ROWS
    bad_line = '910003,900001,"ZZAA",long,98,"ASP",1,0,"18",,,,,,"36",,,,,\n'
    return [
        # folder without runways.csv
        pytest.param(good_a, None, "runways.csv: cannot read", id="no-runways-csv"),
        # runways.csv without the length_ft column
        pytest.param(
            good_a,
            good_r.replace('"length_ft",', "", 1).replace("6562,", "", 1).replace("3000,", "", 1),
            "missing column 'length_ft'",
            id="missing-column",
        ),
        # a third data row (file line 4) whose length_ft is a word
        pytest.param(
            good_a,
            good_r + bad_line,
            "runways.csv line 4: length_ft is not a number",
            id="non-numeric-length",
        ),
        # a gzip file renamed airports.csv (binary, not UTF-8)
        pytest.param(
            gzip.compress(good_a.encode()), good_r, "airports.csv: not UTF-8", id="binary-airports"
        ),
        # an empty airports.csv
        pytest.param("", good_r, "airports.csv: not an OurAirports file", id="empty-airports"),
        # a runway row cut short after four fields
        pytest.param(
            good_a,
            good_r + '910003,900001,"ZZAA",6562\n',
            "runways.csv line 4: wrong number of fields",
            id="short-row",
        ),
        # an airport without coordinates
        pytest.param(
            good_a.replace("12.5,-8.0", ",-8.0"),
            good_r,
            "airports.csv line 2: missing latitude",
            id="no-latitude",
        ),
        # runway airport_ref that is not a number
        pytest.param(
            good_a,
            good_r.replace("910001,900001", "910001,x900001"),
            "airport_ref",
            id="non-numeric-airport-ref",
        ),
        # airport id that is not a number
        pytest.param(
            good_a.replace("900001,", "one,", 1),
            good_r,
            "id",
            id="non-numeric-airport-id",
        ),
    ]


@pytest.mark.parametrize(("airports", "runways", "expected"), _bad_table())
def test_bad_import_keeps_the_previous_cache(
    airports: str | bytes | None,
    runways: str | None,
    expected: str,
    tiny: Path,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    import_ourairports(str(tiny))
    before = cache_path().read_bytes()
    bad = _folder(tmp_path, "bad", airports, runways)

    with pytest.raises(DataFileError) as info:
        import_ourairports(str(bad))

    message = str(info.value)
    assert expected in message, message
    assert "\n" not in message
    assert str(bad) in message  # names the file
    assert cache_path().read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["ourairports.sqlite"]  # no temp file
    airfields.forget_cache()
    assert lookup("ZZAA").runways[0].length_m == 2000.1


def test_import_from_a_missing_folder(tmp_path: Path, data_dir: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read"):
        import_ourairports(str(tmp_path / "nowhere"))
    assert not cache_path().exists()


def test_import_writes_where_asked(tiny: Path, data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "cache.sqlite"
    summary = import_ourairports(str(tiny), target)
    assert summary.path == target and target.is_file()
    assert not cache_path().exists()
