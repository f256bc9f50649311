"""ISA atmosphere, pressure and density altitude, METAR decoding and the wind triangle."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airlift.atmosphere import (
    P0_HPA,
    Weather,
    Wind,
    check_oat,
    density_alt_ft,
    density_ratio,
    isa_temp_c,
    parse_metar,
    pressure_alt_ft,
)
from airlift.errors import InputError

GAO_ELEVATION_FT = 870.0
"""Gao (GAGO), 265 m / 870 ft in airportsdata; the facts sheet rounds it to 270 m."""

# --- ISA golden values --------------------------------------------------------------------------


def test_isa_sea_level_is_15_c() -> None:
    assert isa_temp_c(0.0) == pytest.approx(15.0, abs=1e-9)


def test_isa_at_10000_ft() -> None:
    # 15 °C - 6.5 K/km x 3.048 km = -4.81 °C (ICAO Doc 7488 table: -4.8 °C); ±0.1 °C.
    assert isa_temp_c(10_000.0) == pytest.approx(-4.8, abs=0.1)


@pytest.mark.parametrize("elevation_ft", [-1_000.0, 0.0, 870.0, 7_000.0])
def test_pressure_altitude_at_standard_qnh_is_elevation(elevation_ft: float) -> None:
    assert pressure_alt_ft(elevation_ft, P0_HPA) == pytest.approx(elevation_ft, abs=1e-6)


def test_low_qnh_raises_pressure_altitude() -> None:
    # 10.25 hPa below standard x ~27.3 ft/hPa near sea level = ~+280 ft; ±10 ft.
    assert pressure_alt_ft(0.0, 1003.0) == pytest.approx(280.0, abs=10.0)
    # And a high QNH lowers it by about as much (27 ft/hPa x 9.75 hPa = ~-265 ft).
    assert pressure_alt_ft(0.0, 1023.0) == pytest.approx(-265.0, abs=10.0)


@pytest.mark.parametrize("pressure_alt", [0.0, 870.0, 5_000.0, 10_000.0])
def test_density_altitude_at_isa_is_pressure_altitude(pressure_alt: float) -> None:
    # At ISA temperature the air has ISA density: DA = PA (±0.5 ft), sigma = ISA sigma.
    oat = isa_temp_c(pressure_alt)
    assert density_alt_ft(pressure_alt, oat) == pytest.approx(pressure_alt, abs=0.5)


def test_density_ratio_sea_level_isa_is_one() -> None:
    assert density_ratio(0.0, 15.0) == pytest.approx(1.0, abs=1e-12)


def test_density_altitude_about_120_ft_per_degree_near_isa() -> None:
    # Rule of thumb (aircraft-facts.md): ~120 ft of DA per °C above ISA. The exact slope at
    # sea level is (T0/L) x 0.235 / T0 = 118.6 ft/K; ±5 ft/°C.
    per_degree = (density_alt_ft(0.0, 25.0) - density_alt_ft(0.0, 15.0)) / 10.0
    assert per_degree == pytest.approx(120.0, abs=5.0)


def _isa_density_altitude(pressure_alt: float, oat_c: float) -> float:
    """Independent route: density from the gas law, then the ISA altitude with that density.

    ISA: T = 288.15 - 0.0065 h (m), p = 101325 (T/288.15)^5.25588, rho = p / (287.05287 T).
    """

    def isa_rho(h_ft: float) -> float:
        temp = 288.15 - 0.0065 * h_ft * 0.3048
        return 101_325.0 * (temp / 288.15) ** 5.25588 / (287.05287 * temp)

    temp = 288.15 - 0.0065 * pressure_alt * 0.3048
    p = 101_325.0 * (temp / 288.15) ** 5.25588
    rho = p / (287.05287 * (oat_c + 273.15))
    lo, hi = -5_000.0, 40_000.0
    for _ in range(80):  # bisection: ISA density falls with height
        mid = (lo + hi) / 2.0
        lo, hi = (mid, hi) if isa_rho(mid) > rho else (lo, mid)
    return (lo + hi) / 2.0


def test_gao_at_45_c_density_altitude() -> None:
    """Gao 870 ft, QNH 1013.25, 45 °C (ISA + 31.7 °C).

    Exact ISA density altitude: 4,394 ft (±30 ft), which the NWS dry-air formula confirms
    (DA = 145,442 (1 - (17.326 P_inHg / T_R)^0.235) = 4,412 ft with P = 28.99 inHg).
    The linear rule of thumb, 870 + 120 ft/°C x 31.7 = 4,676 ft ("about 4,700 ft" in
    aircraft-facts.md), overestimates: the slope falls to ~104 ft/°C at 45 °C. So the
    rule-of-thumb estimate is only checked to 7 %.
    """
    pa = pressure_alt_ft(GAO_ELEVATION_FT, P0_HPA)
    da = density_alt_ft(pa, 45.0)
    assert da == pytest.approx(4_394.0, abs=30.0)
    assert da == pytest.approx(_isa_density_altitude(pa, 45.0), abs=5.0)
    p_inhg = 29.92126 * (1.0 - 6.8756e-6 * GAO_ELEVATION_FT) ** 5.2559
    nws = 145_442.16 * (1.0 - (17.326 * p_inhg / (459.67 + 45.0 * 9 / 5 + 32)) ** 0.235)
    assert da == pytest.approx(nws, abs=30.0)
    rule_of_thumb = GAO_ELEVATION_FT + 120.0 * (45.0 - isa_temp_c(GAO_ELEVATION_FT))
    assert da == pytest.approx(rule_of_thumb, rel=0.07)


def test_gao_elevation_comes_from_airportsdata() -> None:
    from airlift.airfields import lookup

    assert lookup("GAGO").elevation_ft == pytest.approx(GAO_ELEVATION_FT, abs=15.0)


# --- Hypothesis: monotonicity ---------------------------------------------------------------------

temps = st.floats(min_value=-60.0, max_value=60.0, allow_nan=False)
altitudes = st.floats(min_value=-1_500.0, max_value=15_000.0, allow_nan=False)


@given(pa=altitudes, t1=temps, t2=temps)
def test_density_altitude_grows_with_temperature(pa: float, t1: float, t2: float) -> None:
    lo, hi = sorted((t1, t2))
    if hi - lo < 0.01:
        assert density_alt_ft(pa, lo) <= density_alt_ft(pa, hi) + 1e-6
    else:
        assert density_alt_ft(pa, lo) < density_alt_ft(pa, hi)


@given(e1=altitudes, e2=altitudes, oat=temps, qnh=st.floats(min_value=950.0, max_value=1050.0))
def test_density_altitude_grows_with_elevation(
    e1: float, e2: float, oat: float, qnh: float
) -> None:
    lo, hi = sorted((e1, e2))
    da_lo = density_alt_ft(pressure_alt_ft(lo, qnh), oat)
    da_hi = density_alt_ft(pressure_alt_ft(hi, qnh), oat)
    if hi - lo < 1.0:
        assert da_lo <= da_hi + 1e-6
    else:
        assert da_lo < da_hi


@given(e=altitudes, q1=st.floats(950.0, 1050.0), q2=st.floats(950.0, 1050.0))
def test_lower_qnh_means_higher_pressure_altitude(e: float, q1: float, q2: float) -> None:
    lo, hi = sorted((q1, q2))
    assert pressure_alt_ft(e, lo) >= pressure_alt_ft(e, hi)


# --- METAR ----------------------------------------------------------------------------------------


def test_metar_golden() -> None:
    wx = parse_metar("GAGO 271200Z 09012KT 9999 44/M02 Q1008")
    assert wx.oat_c == 44.0
    assert wx.qnh_hpa == 1008.0
    assert (wx.wind_dir_deg, wx.wind_kt) == (90.0, 12.0)
    assert wx.station == "GAGO"
    assert wx.source == "METAR"


def test_metar_in_inches_of_mercury() -> None:
    # A2992 = 29.92 inHg = 1013.2 hPa (±0.1).
    wx = parse_metar("KJFK 271200Z 27025G35KT 10SM 22/10 A2992")
    assert wx.qnh_hpa == pytest.approx(1013.2, abs=0.1)
    assert (wx.oat_c, wx.wind_dir_deg, wx.wind_kt) == (22.0, 270.0, 25.0)


def test_metar_without_qnh_assumes_standard_pressure() -> None:
    assert parse_metar("GAGO 271200Z 09012KT 9999 44/M02").qnh_hpa == P0_HPA


def test_metar_variable_wind_has_no_direction() -> None:
    wx = parse_metar("GAGO 271200Z VRB03KT 9999 44/M02 Q1008")
    assert wx.wind_dir_deg is None
    assert wx.wind_kt == 3.0


BAD_METARS = [
    "",  # nothing at all
    "hello world",  # not a METAR
    "GAGO",  # a station and nothing else
    "GAGO 271200Z 09012KT 9999 Q1008",  # no temperature group
    "GAG 271200Z 09012KT 9999 44/M02 Q1008",  # three-letter station
    "271200Z 09012KT 9999 44/M02 Q1008",  # no station at all
    "GAGO 321200Z 09012KT 9999 44/M02 Q1008",  # day 32
    "GAGO 271200Z 09012KT 9999 44/M02 Q1008 XYZZY",  # trailing garbage group
    "GAGO 271200Z 09012KT 9999 99/M02 Q1008",  # 99 °C: outside -60..60
    "GAGO 271200Z 09012KT 9999 M65/M70 Q1008",  # -65 °C: outside -60..60
]


@pytest.mark.parametrize("text", BAD_METARS)
def test_malformed_metar_raises_input_error(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_metar(text)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("oat", [math.nan, math.inf, -61.0, 60.5])
def test_check_oat_rejects(oat: float) -> None:
    with pytest.raises(InputError):
        check_oat(oat)


def test_weather_defaults_to_standard_pressure() -> None:
    assert Weather(40.0).qnh_hpa == 1013.25


# --- wind -----------------------------------------------------------------------------------------


def test_wind_parse() -> None:
    assert Wind.parse("270/25") == Wind(270.0, 25.0)
    assert Wind.parse(" 090 / 12 ") == Wind(90.0, 12.0)


BAD_WINDS = [
    "",  # empty
    "abc",  # not numbers
    "270",  # no speed
    "270/25/3",  # three parts
    "27025KT",  # METAR style, not deg/kt
    "400/25",  # direction above 360
    "-10/5",  # negative direction
    "270/-5",  # negative speed
    "270/300",  # 300 kt: out of range
    "nan/10",  # NaN direction
    "270/inf",  # infinite speed
]


@pytest.mark.parametrize("text", BAD_WINDS)
def test_wind_parse_rejects(text: str) -> None:
    with pytest.raises(InputError):
        Wind.parse(text)


# (wind dir, speed, course) -> (headwind, crosswind) kt, hand-computed: head = V cos(dir -
# course), cross = V sin(dir - course), crosswind from the right positive; ±1e-9 kt.
COMPONENTS = [
    (270.0, 20.0, 270.0, 20.0, 0.0),  # straight on the nose
    (270.0, 20.0, 90.0, -20.0, 0.0),  # straight from behind: tailwind is a negative headwind
    (270.0, 20.0, 180.0, 0.0, 20.0),  # from the right of a southbound course
    (270.0, 20.0, 0.0, 0.0, -20.0),  # from the left of a northbound course
    (300.0, 20.0, 270.0, 17.320508075688775, 10.0),  # 30° off the nose: 20 cos 30, 20 sin 30
    (10.0, 10.0, 350.0, 9.396926207859085, 3.420201433256687),  # across north: 20° off
]


@pytest.mark.parametrize(("wdir", "speed", "course", "head", "cross"), COMPONENTS)
def test_wind_components(
    wdir: float, speed: float, course: float, head: float, cross: float
) -> None:
    h, c = Wind(wdir, speed).components(course)
    assert h == pytest.approx(head, abs=1e-9)
    assert c == pytest.approx(cross, abs=1e-9)


# (wind, TAS, course) -> ground speed kt = sqrt(TAS² - cross²) - head; ±1e-6 kt.
GROUND_SPEEDS = [
    (Wind(270.0, 20.0), 290.0, 270.0, 270.0),  # 20 kt headwind: 290 - 20
    (Wind(270.0, 20.0), 290.0, 90.0, 310.0),  # 20 kt tailwind: 290 + 20
    (Wind(0.0, 30.0), 100.0, 90.0, 95.39392014169457),  # pure crosswind: sqrt(100² - 30²)
    (Wind(300.0, 20.0), 290.0, 270.0, 272.50702684807),  # sqrt(84,000) = 289.82753 - 17.32051
    (Wind(0.0, 120.0), 100.0, 90.0, 0.0),  # crosswind above TAS: no ground speed
    (Wind(0.0, 0.0), 290.0, 123.0, 290.0),  # calm
]


@pytest.mark.parametrize(("wind", "tas", "course", "gs"), GROUND_SPEEDS)
def test_ground_speed(wind: Wind, tas: float, course: float, gs: float) -> None:
    assert wind.ground_speed_kt(tas, course) == pytest.approx(gs, abs=1e-6)


@given(
    wdir=st.floats(0.0, 360.0),
    speed=st.floats(0.0, 80.0),
    course=st.floats(0.0, 360.0),
    tas=st.floats(150.0, 350.0),
)
def test_wind_triangle_closes(wdir: float, speed: float, course: float, tas: float) -> None:
    """Air vector = ground vector - wind vector: (GS + head)² + cross² = TAS²."""
    wind = Wind(wdir, speed)
    head, cross = wind.components(course)
    assert math.hypot(head, cross) == pytest.approx(speed, abs=1e-9)
    gs = wind.ground_speed_kt(tas, course)
    assert (gs + head) ** 2 + cross**2 == pytest.approx(tas**2, rel=1e-9)
    assert tas - speed - 1e-9 <= gs <= tas + speed + 1e-9
