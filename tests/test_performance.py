"""Performance model: Breguet trip fuel, runway distances, their inverses and manual tables."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from airlift.aircraft import AircraftType, RunwayTable, aircraft_type, catalogue
from airlift.performance import (
    AIR_DISTANCE_FACTOR,
    UNPAVED_LANDING_FACTOR,
    UNPAVED_TAKEOFF_FACTOR,
    calibrate,
    holding_fuel_kg,
    landing_distance_m,
    payload_range_curve,
    runway_limited_landing_kg,
    runway_limited_takeoff_kg,
    takeoff_distance_m,
    trip_fuel_kg,
)

types = st.sampled_from(sorted(catalogue())).map(lambda d: catalogue()[d])
sigmas = st.floats(min_value=0.6, max_value=1.15)
"""Density ratio: 0.6 is ~17,000 ft density altitude, 1.15 a cold day at sea level."""


@pytest.fixture(scope="module")
def c130h() -> AircraftType:
    return aircraft_type("C-130H")


@pytest.fixture(scope="module")
def tabled(c130h: AircraftType) -> AircraftType:
    """A C-130H with a synthetic 2 x 2 flight-manual take-off table (m over 50 ft).

                  DA 0 ft   DA 4,000 ft
    40,000 kg       800        1,000
    60,000 kg     1,200        1,600

    Chosen so every interpolated value is a round number by hand.
    """
    table = RunwayTable(
        weights_kg=[40_000.0, 60_000.0],
        density_alt_ft=[0.0, 4_000.0],
        distance_m=[[800.0, 1_000.0], [1_200.0, 1_600.0]],
        source="synthetic: test table",
    )
    return replace(c130h, takeoff_table=table, landing_table=table)


# --- golden values --------------------------------------------------------------------------------


def test_c130h_takeoff_at_mtow_isa_sea_level(c130h: AircraftType) -> None:
    # Ground run 1,093 m [2] x 1.35 (ground run -> 50 ft) = 1,475.55 m at MTOW, sigma 1; ±0.01 m.
    assert takeoff_distance_m(c130h, c130h.mtow_kg, 1.0, 0.0, True) == pytest.approx(
        1475.55, abs=0.01
    )
    # Unpaved: x 1.2 = 1,770.66 m.
    assert takeoff_distance_m(c130h, c130h.mtow_kg, 1.0, 0.0, False) == pytest.approx(
        1770.66, abs=0.01
    )


def test_c130h_landing_at_mlw_isa_sea_level(c130h: AircraftType) -> None:
    # Ground roll 518 m [5] x 1.35 = 699.3 m at MLW; unpaved x 1.3 = 909.09 m; ±0.01 m.
    assert landing_distance_m(c130h, c130h.mlw_kg, 1.0, 0.0, True) == pytest.approx(699.3, abs=0.01)
    assert landing_distance_m(c130h, c130h.mlw_kg, 1.0, 0.0, False) == pytest.approx(
        909.09, abs=0.01
    )


def test_over_50ft_basis_is_not_scaled() -> None:
    # DHC-6: 366 m / 320 m already over 50 ft [30]: no 1.35 factor; ±0.01 m.
    t = aircraft_type("DHC-6")
    assert takeoff_distance_m(t, t.mtow_kg, 1.0, 0.0, True) == pytest.approx(366.0, abs=0.01)
    assert landing_distance_m(t, t.mlw_kg, 1.0, 0.0, True) == pytest.approx(320.0, abs=0.01)


def test_hot_and_high_takeoff_scales_with_one_over_sigma_squared(c130h: AircraftType) -> None:
    # sigma 0.8: 1,475.55 / 0.64 = 2,305.55 m (±0.01 m).
    assert takeoff_distance_m(c130h, c130h.mtow_kg, 0.8, 7_000.0, True) == pytest.approx(
        2305.55, abs=0.01
    )


def test_trip_fuel_golden(c130h: AircraftType) -> None:
    # k = 5,000 NM, 500 NM, LW 50,000 kg, climb 0.6 %: TOW = 50,000 e^0.1 / 0.994
    # = 55,258.55 / 0.994 = 55,592.10 kg, so trip fuel = 5,592.10 kg (±0.01 kg).
    assert trip_fuel_kg(c130h, 5_000.0, 500.0, 50_000.0) == pytest.approx(5592.10, abs=0.01)


def test_holding_fuel_golden(c130h: AircraftType) -> None:
    # 0.8 x 50,000 kg x 290 kt / 5,000 NM = 2,320 kg/h; 30 min = 1,160 kg (±1e-6).
    assert holding_fuel_kg(c130h, 5_000.0, 50_000.0, 30.0) == pytest.approx(1160.0, abs=1e-6)


def test_trip_fuel_works_on_arrays(c130h: AircraftType) -> None:
    k = calibrate(c130h).k_nm
    fuel = trip_fuel_kg(c130h, k, np.array([0.0, 500.0, 1000.0]), np.full(3, 50_000.0))
    assert fuel.shape == (3,)
    assert np.all(np.diff(fuel) > 0)
    # At zero distance only the climb allowance is left: LW x c / (1 - c).
    assert fuel[0] == pytest.approx(50_000.0 * 0.006 / 0.994)


# --- Hypothesis: monotonicity ---------------------------------------------------------------------


@given(t=types, d1=st.floats(0.0, 3_000.0), d2=st.floats(0.0, 3_000.0), frac=st.floats(0, 1))
def test_trip_fuel_grows_with_distance(t: AircraftType, d1: float, d2: float, frac: float) -> None:
    k = calibrate(t).k_nm
    lw = t.oew_kg + frac * (t.mlw_kg - t.oew_kg)
    lo, hi = sorted((d1, d2))
    f_lo, f_hi = trip_fuel_kg(t, k, lo, lw), trip_fuel_kg(t, k, hi, lw)
    assert f_lo > 0
    if hi - lo > 1e-3:
        assert f_lo < f_hi
    else:
        assert f_lo <= f_hi + 1e-6


@given(t=types, d=st.floats(1.0, 3_000.0), f1=st.floats(0, 1), f2=st.floats(0, 1))
def test_trip_fuel_grows_with_landing_weight(
    t: AircraftType, d: float, f1: float, f2: float
) -> None:
    k = calibrate(t).k_nm
    lo, hi = sorted((f1, f2))
    w_lo = t.oew_kg + lo * (t.mlw_kg - t.oew_kg)
    w_hi = t.oew_kg + hi * (t.mlw_kg - t.oew_kg)
    if w_hi - w_lo > 1.0:
        assert trip_fuel_kg(t, k, d, w_lo) < trip_fuel_kg(t, k, d, w_hi)


@given(t=types, sigma=sigmas, f1=st.floats(0.3, 1.2), f2=st.floats(0.3, 1.2), paved=st.booleans())
def test_takeoff_distance_grows_with_weight(
    t: AircraftType, sigma: float, f1: float, f2: float, paved: bool
) -> None:
    lo, hi = sorted((f1, f2))
    d_lo = takeoff_distance_m(t, lo * t.mtow_kg, sigma, 0.0, paved)
    d_hi = takeoff_distance_m(t, hi * t.mtow_kg, sigma, 0.0, paved)
    assert d_lo <= d_hi
    if hi - lo > 1e-6:
        assert d_lo < d_hi


@given(t=types, s1=sigmas, s2=sigmas, frac=st.floats(0.3, 1.2), paved=st.booleans())
def test_takeoff_distance_grows_as_air_thins(
    t: AircraftType, s1: float, s2: float, frac: float, paved: bool
) -> None:
    thin, dense = sorted((s1, s2))  # hotter or higher = lower density ratio
    w = frac * t.mtow_kg
    d_thin = takeoff_distance_m(t, w, thin, 0.0, paved)
    d_dense = takeoff_distance_m(t, w, dense, 0.0, paved)
    assert d_thin >= d_dense
    if dense - thin > 1e-6:
        assert d_thin > d_dense


@given(t=types, sigma=sigmas, frac=st.floats(0.3, 1.2))
def test_unpaved_is_longer(t: AircraftType, sigma: float, frac: float) -> None:
    w = frac * t.mtow_kg
    paved_to = takeoff_distance_m(t, w, sigma, 0.0, True)
    assert takeoff_distance_m(t, w, sigma, 0.0, False) == pytest.approx(
        paved_to * UNPAVED_TAKEOFF_FACTOR
    )
    paved_ld = landing_distance_m(t, w, sigma, 0.0, True)
    assert landing_distance_m(t, w, sigma, 0.0, False) == pytest.approx(
        paved_ld * UNPAVED_LANDING_FACTOR
    )
    assert UNPAVED_TAKEOFF_FACTOR > 1.0 and UNPAVED_LANDING_FACTOR > 1.0


# --- the runway-limited inverse -------------------------------------------------------------------


@given(t=types, length=st.floats(200.0, 4_500.0), sigma=sigmas, paved=st.booleans())
def test_runway_limited_takeoff_is_the_inverse(
    t: AircraftType, length: float, sigma: float, paved: bool
) -> None:
    """Generic model: the distance at the runway-limited weight is the runway length."""
    assert t.takeoff_table is None
    w = runway_limited_takeoff_kg(t, length, sigma, 0.0, paved)
    assert w > 0
    assert takeoff_distance_m(t, w, sigma, 0.0, paved) == pytest.approx(length, rel=1e-6)


@given(t=types, length=st.floats(200.0, 4_500.0), sigma=sigmas, paved=st.booleans())
def test_runway_limited_landing_is_the_inverse(
    t: AircraftType, length: float, sigma: float, paved: bool
) -> None:
    assert t.landing_table is None
    w = runway_limited_landing_kg(t, length, sigma, 0.0, paved)
    assert landing_distance_m(t, w, sigma, 0.0, paved) == pytest.approx(length, rel=1e-6)


def test_every_shipped_type_is_approved_unpaved() -> None:
    # So the not-approved case below needs a synthetic type; if this changes, use a real one.
    assert all(t.unpaved_approved for t in catalogue().values())


def test_unpaved_runway_gives_zero_for_a_type_not_approved(c130h: AircraftType) -> None:
    paved_only = replace(c130h, unpaved_approved=False)
    assert runway_limited_takeoff_kg(paved_only, 3_000.0, 1.0, 0.0, paved=False) == 0.0
    assert runway_limited_landing_kg(paved_only, 3_000.0, 1.0, 0.0, paved=False) == 0.0
    # The same runway paved is fine, and an approved type may use it unpaved.
    assert runway_limited_takeoff_kg(paved_only, 3_000.0, 1.0, 0.0, paved=True) > c130h.mtow_kg
    assert runway_limited_takeoff_kg(c130h, 3_000.0, 1.0, 0.0, paved=False) > 0.0


# --- flight-manual tables -------------------------------------------------------------------------


def test_table_takes_precedence_over_the_generic_model(
    c130h: AircraftType, tabled: AircraftType
) -> None:
    # At a grid point the table value is returned as is: 60,000 kg, DA 0 -> 1,200 m;
    # the generic model would say 1,475.55 x (60,000/70,307)^2 = 1,074.6 m.
    assert takeoff_distance_m(tabled, 60_000.0, 1.0, 0.0, True) == pytest.approx(1_200.0)
    assert takeoff_distance_m(c130h, 60_000.0, 1.0, 0.0, True) == pytest.approx(1_074.6, abs=0.1)
    assert landing_distance_m(tabled, 40_000.0, 0.9, 4_000.0, True) == pytest.approx(1_000.0)


# (weight kg, density altitude ft) -> m, hand-computed bilinear on the 2 x 2 table above; ±1e-9.
BILINEAR = [
    (50_000.0, 2_000.0, 1_150.0),  # centre: mean of the four corners (800+1000+1200+1600)/4
    (45_000.0, 1_000.0, 962.5),  # quarter: 850 + 0.25 x (1300 - 850)
    (40_000.0, 2_000.0, 900.0),  # on the light edge: (800 + 1000) / 2
    (60_000.0, 3_000.0, 1_500.0),  # on the heavy edge: 1200 + 0.75 x 400
    (50_000.0, 0.0, 1_000.0),  # sea-level edge: (800 + 1200) / 2
]


@pytest.mark.parametrize(("weight", "da", "expected"), BILINEAR)
def test_table_interpolates_bilinearly(
    tabled: AircraftType, weight: float, da: float, expected: float
) -> None:
    # sigma is ignored with a table: the table is indexed by density altitude.
    assert takeoff_distance_m(tabled, weight, 0.5, da, True) == pytest.approx(expected, abs=1e-9)
    assert takeoff_distance_m(tabled, weight, 0.5, da, False) == pytest.approx(
        expected * UNPAVED_TAKEOFF_FACTOR, abs=1e-9
    )


def test_table_is_clamped_not_extrapolated(tabled: AircraftType) -> None:
    # Beyond the grid the edge value holds: 80,000 kg at DA 9,000 ft -> the 60,000 kg/4,000 ft
    # corner, 1,600 m.
    assert takeoff_distance_m(tabled, 80_000.0, 0.7, 9_000.0, True) == pytest.approx(1_600.0)
    assert takeoff_distance_m(tabled, 10_000.0, 1.1, -2_000.0, True) == pytest.approx(800.0)


def test_runway_limited_weight_with_a_table(tabled: AircraftType) -> None:
    # 1,150 m at DA 2,000 ft is the centre of the table: 50,000 kg, found by bisection to 1 kg.
    w = runway_limited_takeoff_kg(tabled, 1_150.0, 0.9, 2_000.0, True)
    assert w == pytest.approx(50_000.0, abs=1.0)
    assert takeoff_distance_m(tabled, w, 0.9, 2_000.0, True) <= 1_150.0
    # A not-approved type still gets nothing from an unpaved runway with a table.
    paved_only = replace(tabled, unpaved_approved=False)
    assert runway_limited_takeoff_kg(paved_only, 1_150.0, 0.9, 2_000.0, False) == 0.0


# --- payload-range --------------------------------------------------------------------------------


@pytest.mark.parametrize("designator", sorted(catalogue()))
def test_payload_range_curve_trades_payload_for_range(designator: str) -> None:
    t = catalogue()[designator]
    ranges, payloads = payload_range_curve(t, n=20)
    assert ranges.shape == payloads.shape == (22,)
    assert payloads[0] == t.max_payload_kg and payloads[-1] == 0.0
    assert np.all(np.diff(payloads) <= 0)
    assert np.all(np.diff(ranges) >= -1e-9)
    assert math.isfinite(ranges[-1]) and ranges[-1] > 0


def test_air_distance_factor_is_documented() -> None:
    # The module docstring promises 1.35 (DHC-6 ratio); a change must be deliberate.
    assert AIR_DISTANCE_FACTOR == 1.35
