"""Destination alternates from the theatre file, the OurAirports cache and airportsdata."""

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import airlift.airfields as airfields
from airlift.airfields import Airfield, lookup, theatre
from airlift.alternates import Alternate, choose_alternate
from airlift.errors import InputError
from airlift.ourairports import import_ourairports

# A C-130H-like rule set: a 1,500 m paved runway with fuel within 600 NM.
C130 = {"min_runway_m": 1500.0, "unpaved_ok": False, "need_fuel": True, "max_nm": 600.0}

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

# Made-up airfields in the empty South Atlantic (no real airport within 1,100 NM), due north of
# the destination ZZD0 at 45 S 25 W; a degree of latitude there is 60.0 NM, so the NM column
# is the distance to ZZD0 within 0.2 NM. Then a pair astride the antimeridian, 12.7 NM apart.
# (code, type, scheduled service, NM north of ZZD0, runway length ft, surface, closed)
OCEAN = (
    ("ZZD0", "small_airport", "no", 0.0, 6562, "ASP", 0),  # the destination
    ("ZZD9", "medium_airport", "yes", 0.3, 9843, "ASP", 0),  # the destination, second code
    ("ZZC1", "medium_airport", "yes", 20.0, 9843, "ASP", 1),  # runway closed
    ("ZZC2", "closed", "no", 25.0, 9843, "ASP", 0),  # airfield closed
    ("ZZW1", "seaplane_base", "no", 30.0, 9843, "WATER", 0),  # seaplane lane
    ("ZZU1", "small_airport", "no", 40.0, 6562, "GRV", 0),  # 2,000 m gravel, no fuel
    ("ZZS1", "medium_airport", "yes", 50.0, 3281, "ASP", 0),  # 1,000 m paved, fuel assumed
    ("ZZP1", "small_airport", "no", 60.0, 6562, "ASP", 0),  # 2,000 m paved, no fuel
    ("ZZF1", "medium_airport", "yes", 80.0, 8202, "CON", 0),  # 2,500 m paved, fuel assumed
    ("ZZA0", "small_airport", "no", None, 6562, "ASP", 0),  # 45 S 179.9 E
    ("ZZA1", "small_airport", "no", None, 6562, "ASP", 0),  # 45 S 179.8 W
)
ANTIMERIDIAN = {"ZZA0": 179.9, "ZZA1": -179.8}


def _ocean_csv() -> tuple[str, str]:
    airports, runways = [AIRPORTS_HEADER], [RUNWAYS_HEADER]
    for n, (code, kind, scheduled, north_nm, length_ft, surface, closed) in enumerate(OCEAN):
        lat = -45.0 + (north_nm or 0.0) / 60.0
        lon = ANTIMERIDIAN.get(code, -25.0)
        airports.append(
            f'{900100 + n},"{code}","{kind}","Test {code}",{lat},{lon},0,"AN","XX","XX-1",,'
            f'"{scheduled}","{code}",,"{code}",,,,\n'
        )
        runways.append(
            f'{910100 + n},{900100 + n},"{code}",{length_ft},98,"{surface}",0,{closed},'
            '"09",,,,,,"27",,,,,\n'
        )
    return "".join(airports), "".join(runways)


@pytest.fixture
def ocean(tmp_path: Path, data_dir: Path) -> Path:
    """The made-up airfields above, imported as the OurAirports cache."""
    folder = tmp_path / "ocean"
    folder.mkdir()
    airports, runways = _ocean_csv()
    (folder / "airports.csv").write_text(airports, encoding="utf-8")
    (folder / "runways.csv").write_text(runways, encoding="utf-8")
    return import_ourairports(str(folder)).path


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory, ourairports: Path) -> Path:
    """A data folder holding the full OurAirports import (~2 s, so once per module)."""
    folder = tmp_path_factory.mktemp("world-data")
    import_ourairports(str(ourairports), folder / "ourairports.sqlite")
    return folder


@pytest.fixture
def world(world_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point this test at the full import."""
    monkeypatch.setenv("AIRLIFT_DATA_DIR", str(world_dir))
    airfields.forget_cache()
    yield world_dir
    airfields.forget_cache()


def _alt(code: str, **rules: float | bool) -> Alternate | None:
    return choose_alternate(lookup(code), **{**C130, **rules})


# --- the world: OurAirports cache + theatre file + airportsdata ----------------------------------


def test_juba_alternate_is_in_east_africa_not_the_sahel(world: Path) -> None:
    """HKJK -> HSSJ used to get Agadez (1,566 NM). Gulu: 3,144 m asphalt, 130 NM south-east."""
    alt = _alt("HSSJ")
    assert alt is not None
    assert (alt.airfield.icao, alt.runway) == ("HUGU", "17/35")
    assert alt.dist_nm == pytest.approx(130, abs=2)  # NM
    assert alt.airfield.icao not in theatre()
    assert alt.airfield.tz == "Africa/Kampala"
    assert alt.reason == (
        "nearest with a 3,144 m paved runway, fuel assumed "
        "(medium airport, scheduled service; OurAirports), 130 NM"
    )


def test_juba_is_not_its_own_alternate_under_its_new_code(world: Path) -> None:
    """OurAirports lists Juba as HJJJ, airportsdata as HSSJ: same runway, so never chosen."""
    for need_fuel in (True, False):
        alt = _alt("HSSJ", need_fuel=need_fuel, min_runway_m=0.0, unpaved_ok=True)
        assert alt is not None and alt.airfield.icao != "HJJJ" and alt.dist_nm > 1.0


def test_sahel_destination_picks_a_theatre_airfield(world: Path) -> None:
    """Gao: Timbuktu (GATB) has fuel in the theatre file, 2,110 m asphalt, 175 NM west."""
    alt = _alt("GAGO")
    assert alt is not None
    assert (alt.airfield.icao, alt.runway) == ("GATB", "07/25")
    assert alt.airfield is theatre()["GATB"]
    assert alt.reason == "nearest with fuel and a 2,110 m paved runway (theatre file), 175 NM"


def test_fuel_proxy_needs_scheduled_service(world: Path) -> None:
    """Juba, 1,000 m unpaved allowed: Moyo (1,298 m dirt, 74 NM) has no scheduled service, so
    with fuel needed Arua (1,707 m unpaved, scheduled, 116 NM) it is."""
    rules: dict[str, float | bool] = {"min_runway_m": 1000.0, "unpaved_ok": True}
    no_fuel = _alt("HSSJ", need_fuel=False, **rules)
    fuel = _alt("HSSJ", need_fuel=True, **rules)
    assert no_fuel is not None and fuel is not None
    assert no_fuel.airfield.icao == "HUMY" and "fuel" not in no_fuel.reason
    assert fuel.airfield.icao == "HUAR"
    assert fuel.reason == (
        "nearest with a 1,707 m unpaved runway, fuel assumed "
        "(medium airport, scheduled service; OurAirports), 116 NM"
    )


def test_world_max_nm_is_respected(world: Path) -> None:
    assert _alt("HSSJ", max_nm=100.0) is None  # Gulu is 130 NM; nothing verified nearer
    alt = _alt("HSSJ", max_nm=131.0)
    assert alt is not None and alt.airfield.icao == "HUGU" and alt.dist_nm <= 131.0


# --- no OurAirports cache: theatre file + airportsdata -------------------------------------------


def test_juba_without_cache_is_position_only(data_dir: Path) -> None:
    """Only airportsdata knows East Africa: Arua (IATA RUA, 116 NM), runway not verified."""
    alt = _alt("HSSJ")
    assert alt is not None
    assert (alt.airfield.icao, alt.runway) == ("HUAR", "")
    assert alt.dist_nm == pytest.approx(116, abs=2)  # NM
    assert "runway and fuel not verified" in alt.reason
    assert "airportsdata" in alt.reason and "airlift airfields import" in alt.reason


def test_sahel_without_cache_picks_the_theatre_airfield(data_dir: Path) -> None:
    """A verified theatre airfield beats nearer airportsdata-only ones."""
    alt = _alt("GAGO")
    assert alt is not None and alt.airfield.icao == "GATB" and "(theatre file)" in alt.reason


def test_without_cache_max_nm_is_respected(data_dir: Path) -> None:
    assert _alt("HSSJ", max_nm=100.0) is None  # Arua is 116 NM
    # Gao: inside 175 NM (Timbuktu, verified) only Tambao (87 NM), position only; then nothing.
    tambao = _alt("GAGO", max_nm=170.0)
    assert tambao is not None and tambao.airfield.icao == "DFEM" and tambao.runway == ""
    assert _alt("GAGO", max_nm=86.0) is None


def test_theatre_need_fuel(data_dir: Path) -> None:
    """Kidal (GAKL): Tessalit is nearer (111 NM) but has no fuel; Gao has (154 NM)."""
    assert _alt("GAKL", need_fuel=False).airfield.icao == "GATS"
    assert _alt("GAKL", need_fuel=True).airfield.icao == "GAGO"


def test_theatre_unpaved_ok(data_dir: Path) -> None:
    """Gao: Kidal's 1,900 m turf (154 NM) only when unpaved is allowed, else Timbuktu (175)."""
    rules: dict[str, float | bool] = {"need_fuel": False}
    unpaved = _alt("GAGO", unpaved_ok=True, **rules)
    assert unpaved is not None and unpaved.airfield.icao == "GAKL"
    assert unpaved.reason == "nearest with a 1,900 m unpaved (TURF) runway (theatre file), 154 NM"
    assert _alt("GAGO", unpaved_ok=False, **rules).airfield.icao == "GATB"


# --- the rules, one by one, on made-up airfields -------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "icao"),
    [
        # Everything: ZZD9 is the destination, ZZC1 closed runway, ZZC2 closed, ZZW1 water.
        ({"min_runway_m": 1000.0, "unpaved_ok": True, "need_fuel": False}, "ZZU1"),
        ({"min_runway_m": 1000.0, "unpaved_ok": False, "need_fuel": False}, "ZZS1"),
        ({"min_runway_m": 1500.0, "unpaved_ok": False, "need_fuel": False}, "ZZP1"),
        ({"min_runway_m": 1000.0, "unpaved_ok": True, "need_fuel": True}, "ZZS1"),
        ({"min_runway_m": 1500.0, "unpaved_ok": True, "need_fuel": True}, "ZZF1"),
        ({"min_runway_m": 2500.0, "unpaved_ok": True, "need_fuel": True}, "ZZF1"),  # 2,500.0 m
        ({"min_runway_m": 2501.0, "unpaved_ok": True, "need_fuel": True}, None),
    ],
)
def test_rules(ocean: Path, rules: dict[str, float | bool], icao: str | None) -> None:
    alt = choose_alternate(lookup("ZZD0"), max_nm=600.0, **rules)
    assert (alt.airfield.icao if alt else None) == icao


def test_reason_names_the_runway_and_source(ocean: Path) -> None:
    dest = lookup("ZZD0")
    gravel = choose_alternate(
        dest, min_runway_m=1500.0, unpaved_ok=True, need_fuel=False, max_nm=600.0
    )
    assert gravel is not None and gravel.runway == "09/27"
    assert gravel.dist_nm == pytest.approx(40.0, abs=0.2)  # NM
    assert gravel.reason == "nearest with a 2,000 m unpaved (GRV) runway (OurAirports), 40 NM"
    fuel = choose_alternate(dest, **C130)
    assert fuel is not None
    assert fuel.reason == (
        "nearest with a 2,500 m paved runway, fuel assumed "
        "(medium airport, scheduled service; OurAirports), 80 NM"
    )


def test_ocean_max_nm(ocean: Path) -> None:
    dest = lookup("ZZD0")
    rules: dict[str, float | bool] = {"min_runway_m": 1500.0, "unpaved_ok": False}
    assert choose_alternate(dest, need_fuel=True, max_nm=79.0, **rules) is None
    alt = choose_alternate(dest, need_fuel=False, max_nm=61.0, **rules)
    assert alt is not None and alt.airfield.icao == "ZZP1" and alt.dist_nm <= 61.0


def test_across_the_antimeridian(ocean: Path) -> None:
    """179.9 E to 179.8 W is 0.3 degrees of longitude: 12.7 NM at 45 S."""
    alt = choose_alternate(
        lookup("ZZA0"), min_runway_m=1500.0, unpaved_ok=False, need_fuel=False, max_nm=100.0
    )
    assert alt is not None and alt.airfield.icao == "ZZA1"
    assert alt.dist_nm == pytest.approx(0.3 * 60.0 * math.cos(math.radians(45.0)), abs=0.2)


def test_cache_from_before_types(ocean: Path) -> None:
    """A cache imported before types were kept: no fuel proxy, closed airfields not known."""
    con = sqlite3.connect(ocean)
    con.execute("DROP TABLE airport_class")
    con.commit()
    con.close()
    airfields.forget_cache()
    dest = lookup("ZZD0")
    alt = choose_alternate(dest, min_runway_m=1500.0, unpaved_ok=False, need_fuel=False, max_nm=99)
    assert alt is not None and alt.airfield.icao == "ZZC2"  # "closed" is in the lost type
    assert choose_alternate(dest, **C130) is None


def test_a_new_import_is_seen(ocean: Path, tmp_path: Path) -> None:
    dest = lookup("ZZD0")
    assert choose_alternate(dest, **C130) is not None
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "airports.csv").write_text(AIRPORTS_HEADER, encoding="utf-8")
    (empty / "runways.csv").write_text(RUNWAYS_HEADER, encoding="utf-8")
    import_ourairports(str(empty))
    assert choose_alternate(dest, **C130) is None


# --- inputs and speed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("min_runway_m", "max_nm"),
    [
        (-1.0, 600.0),  # negative runway length
        (math.nan, 600.0),  # NaN runway length
        (1500.0, 0.0),  # empty radius
        (1500.0, math.nan),  # NaN radius
    ],
)
def test_bad_rules(min_runway_m: float, max_nm: float, data_dir: Path) -> None:
    with pytest.raises(InputError, match="min_runway_m >= 0 and max_nm > 0"):
        choose_alternate(
            lookup("GAGO"),
            min_runway_m=min_runway_m,
            unpaved_ok=False,
            need_fuel=True,
            max_nm=max_nm,
        )


def test_repeat_calls_are_cached(world: Path) -> None:
    """A 4-leg plan asks for 4 alternates per plan: under 2 ms once warm (measured ~10 us)."""
    dests: list[Airfield] = [lookup(c) for c in ("HSSJ", "HKJK", "GAGO", "EGLL")]
    first = [choose_alternate(d, **C130) for d in dests]
    start = time.perf_counter()
    for _ in range(100):
        again = [choose_alternate(d, **C130) for d in dests]
    per_plan_s = (time.perf_counter() - start) / 100
    assert all(a is b for a, b in zip(first, again, strict=True))
    assert per_plan_s < 0.002
