"""Take-off and landing field lengths (airlift.performance.field): physics, invariants, inverses.

The aircraft are built here, not read from the catalogue, so that the tests pin the physics and
not the (changing) type files. Their parameters are public figures or plausible assumptions:

* ``C130H``: Lockheed C-130H-like. MTOW 70,307 kg, MLW 58,967 kg (aircraft-facts.md [1][4]);
  wing 162.1 m², span 40.4 m; 4 x T56-A-15 at 3,430 kW (4,591 shp); CD0 0.025, e 0.8 and
  CLmax 1.5 / 2.2 / 2.6 (clean / take-off / landing, power-on) are assumptions. Published
  take-off ground run 1,093 m at MTOW, ISA sea level ([2] in aircraft-facts.md).
* ``DHC6``: DHC-6-300-like. MTOW 5,670 kg, MLW 5,579 kg ([28]); wing 39.0 m², span 19.8 m;
  2 x PT6A-27 at 462 kW (620 shp); CD0 0.04 (fixed gear, struts); CLmax 1.6 / 2.0 / 2.6 from
  the flaps-up, take-off-flap and full-flap stall speeds (74, 66, 58 kt at MTOW). Published
  take-off over 50 ft 366 m ([30]).
* ``C17``: Boeing C-17A-like turbofan. MTOW 265,350 kg; wing 353 m², span 51.75 m;
  4 x F117-PW-100 at 180 kN; CD0 0.02; CLmax 1.5 / 2.4 / 3.0 (blown flaps) are assumptions.
* ``C208``: Cessna 208B-like single turboprop, MTOW 3,970 kg, wing 26 m², 1 x PT6A-114A 503 kW.
"""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlift.aircraft import Aero, AircraftType, Calibration, Engine
from airlift.errors import InputError
from airlift.performance.field import (
    LandingDistances,
    TakeoffDistances,
    landing,
    max_landing_weight_kg,
    max_takeoff_weight_kg,
    takeoff,
)


def make_type(
    designator: str,
    *,
    propulsion: str,
    mtow_kg: float,
    mlw_kg: float,
    wing_area_m2: float,
    span_m: float,
    cd0: float,
    cl_max: tuple[float, float, float],
    engines: int,
    power_kw: float | None = None,
    thrust_kn: float | None = None,
    military: bool = False,
    unpaved: bool = True,
    calibration: Calibration | None = None,
) -> AircraftType:
    """An AircraftType with the figures the field model reads; the rest plausible filler."""
    return AircraftType(
        designator=designator,
        name=f"{designator}-like test type",
        aliases=(),
        military=military,
        propulsion=propulsion,
        normal_speed="lrc",
        mtow_kg=mtow_kg,
        mlw_kg=mlw_kg,
        assault_landing_weight_kg=None,
        mzfw_kg=0.8 * mtow_kg,
        oew_kg=0.55 * mtow_kg,
        max_payload_kg=0.25 * mtow_kg,
        acl_kg=None,
        max_fuel_kg=0.3 * mtow_kg,
        ballast_cargo_threshold_kg=None,
        ballast_min_fuel_kg=None,
        cruise_tas_kt=300.0,
        ceiling_ft=25_000.0,
        pallet_positions=0,
        seats=0,
        unpaved_approved=unpaved,
        ground_time_min=60.0,
        ground_time_expedited_min=30.0,
        ground_time_ero_min=15.0,
        taxi_fuel_kg=0.005 * mtow_kg,
        taxi_time_min=15.0,
        aero=Aero(
            wing_area_m2=wing_area_m2,
            span_m=span_m,
            oswald=0.8,
            cd0=cd0,
            cl_max_clean=cl_max[0],
            cl_max_takeoff=cl_max[1],
            cl_max_landing=cl_max[2],
            mmo=None,
            vmo_kt=None,
        ),
        engine=Engine(
            kind=propulsion,
            count=engines,
            takeoff_power_kw=power_kw,
            psfc_kg_kwh=0.3 if power_kw else None,
            prop_efficiency=0.82 if power_kw else None,
            takeoff_thrust_kn=thrust_kn,
            tsfc_kg_kn_h=60.0 if thrust_kn else None,
        ),
        published=(),
        calibration=calibration or Calibration(),
        sources=(),
        references=(),
    )


C130H = make_type(
    "C-130H",
    propulsion="turboprop",
    mtow_kg=70_307.0,
    mlw_kg=58_967.0,
    wing_area_m2=162.1,
    span_m=40.41,
    cd0=0.025,
    cl_max=(1.5, 2.2, 2.6),
    engines=4,
    power_kw=3430.0,
    military=True,
)
DHC6 = make_type(
    "DHC-6",
    propulsion="turboprop",
    mtow_kg=5670.0,
    mlw_kg=5579.0,
    wing_area_m2=39.0,
    span_m=19.8,
    cd0=0.04,
    cl_max=(1.6, 2.0, 2.6),
    engines=2,
    power_kw=462.0,
)
C17 = make_type(
    "C-17",
    propulsion="turbofan",
    mtow_kg=265_350.0,
    mlw_kg=199_580.0,
    wing_area_m2=353.0,
    span_m=51.75,
    cd0=0.02,
    cl_max=(1.5, 2.4, 3.0),
    engines=4,
    thrust_kn=180.0,
    military=True,
)
C208 = make_type(
    "C208B",
    propulsion="turboprop",
    mtow_kg=3970.0,
    mlw_kg=3856.0,
    wing_area_m2=25.96,
    span_m=15.88,
    cd0=0.035,
    cl_max=(1.5, 1.9, 2.3),
    engines=1,
    power_kw=503.0,
    unpaved=False,
)
TYPES = {"C-130H": C130H, "DHC-6": DHC6, "C-17": C17, "C208B": C208}

type_names = st.sampled_from(sorted(TYPES))
weight_shares = st.floats(0.4, 1.2)  # of MTOW
altitudes = st.floats(-1000.0, 10_000.0)
temperatures = st.floats(-40.0, 55.0)
surfaces = st.sampled_from(["paved", "unpaved"])

RELATIVE = 1e-9  # numerical noise allowed in a monotonicity comparison (Newton tolerances)


def at_least(later: float, earlier: float) -> bool:
    return later >= earlier * (1.0 - RELATIVE)


# --- order of magnitude against published figures ------------------------------------------


def test_c130h_ground_roll_at_mtow_isa_sea_level() -> None:
    # Published 1,093 m at 70,307 kg (Air Force Magazine almanac); the uncalibrated model must
    # land within about a quarter of it.
    d = takeoff(C130H, 70_000.0)
    assert 900.0 <= d.ground_roll_m <= 1400.0
    assert d.warnings == ()


def test_dhc6_distance_over_50ft_at_mtow() -> None:
    # Published 366 m over 50 ft at 5,670 kg (Plane & Pilot); STOL technique is not modelled.
    d = takeoff(DHC6, 5670.0)
    assert 300.0 <= d.distance_50ft_m <= 600.0


def test_c17_balanced_field_at_mtow() -> None:
    # Published take-off field length 7,740 ft (2,359 m) at 265,350 kg, ISA sea level.
    d = takeoff(C17, 265_350.0)
    assert 2000.0 <= d.balanced_field_m <= 2800.0


def test_isa_default_is_the_isa_temperature() -> None:
    # 5,000 ft ISA is 5.1 °C.
    assert takeoff(C130H, 60_000.0, pressure_alt_ft=5000.0) == takeoff(
        C130H, 60_000.0, pressure_alt_ft=5000.0, oat_c=15.0 - 0.0019812 * 5000.0
    )


# --- invariants ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(type_names, weight_shares, altitudes, temperatures, surfaces, st.booleans())
def test_takeoff_distances_are_ordered(
    name: str, share: float, alt: float, oat: float, surface: str, wet: bool
) -> None:
    t = TYPES[name]
    d = takeoff(t, share * t.mtow_kg, pressure_alt_ft=alt, oat_c=oat, surface=surface, wet=wet)
    assert d.balanced_field_m >= d.distance_50ft_m >= d.ground_roll_m > 0.0


@settings(max_examples=300, deadline=None)
@given(type_names, weight_shares, altitudes, temperatures, surfaces, st.booleans())
def test_landing_distances_are_ordered(
    name: str, share: float, alt: float, oat: float, surface: str, wet: bool
) -> None:
    t = TYPES[name]
    d = landing(t, share * t.mtow_kg, pressure_alt_ft=alt, oat_c=oat, surface=surface, wet=wet)
    assert d.landing_distance_m == pytest.approx(d.factor * d.distance_50ft_m, rel=1e-12)
    assert d.landing_distance_m >= d.distance_50ft_m > d.ground_roll_m > 0.0


def _takeoff_triple(d: TakeoffDistances) -> tuple[float, float, float]:
    return d.ground_roll_m, d.distance_50ft_m, d.balanced_field_m


def _landing_triple(d: LandingDistances) -> tuple[float, float, float]:
    return d.ground_roll_m, d.distance_50ft_m, d.landing_distance_m


@settings(max_examples=200, deadline=None)
@given(type_names, weight_shares, weight_shares, altitudes, temperatures, surfaces)
def test_heavier_is_longer(
    name: str, s1: float, s2: float, alt: float, oat: float, surface: str
) -> None:
    t = TYPES[name]
    light, heavy = sorted((s1 * t.mtow_kg, s2 * t.mtow_kg))
    kw: dict[str, Any] = {"pressure_alt_ft": alt, "oat_c": oat, "surface": surface}
    pairs = zip(
        _takeoff_triple(takeoff(t, heavy, **kw)) + _landing_triple(landing(t, heavy, **kw)),
        _takeoff_triple(takeoff(t, light, **kw)) + _landing_triple(landing(t, light, **kw)),
        strict=True,
    )
    assert all(at_least(h, lo) for h, lo in pairs)


@settings(max_examples=200, deadline=None)
@given(type_names, weight_shares, altitudes, altitudes, temperatures)
def test_higher_is_longer(name: str, share: float, a1: float, a2: float, oat: float) -> None:
    t = TYPES[name]
    w = share * t.mtow_kg
    low, high = sorted((a1, a2))
    pairs = zip(
        _takeoff_triple(takeoff(t, w, pressure_alt_ft=high, oat_c=oat))
        + _landing_triple(landing(t, w, pressure_alt_ft=high, oat_c=oat)),
        _takeoff_triple(takeoff(t, w, pressure_alt_ft=low, oat_c=oat))
        + _landing_triple(landing(t, w, pressure_alt_ft=low, oat_c=oat)),
        strict=True,
    )
    assert all(at_least(h, lo) for h, lo in pairs)


@settings(max_examples=200, deadline=None)
@given(type_names, weight_shares, altitudes, temperatures, temperatures)
def test_hotter_is_longer(name: str, share: float, alt: float, t1: float, t2: float) -> None:
    t = TYPES[name]
    w = share * t.mtow_kg
    cold, hot = sorted((t1, t2))
    pairs = zip(
        _takeoff_triple(takeoff(t, w, pressure_alt_ft=alt, oat_c=hot))
        + _landing_triple(landing(t, w, pressure_alt_ft=alt, oat_c=hot)),
        _takeoff_triple(takeoff(t, w, pressure_alt_ft=alt, oat_c=cold))
        + _landing_triple(landing(t, w, pressure_alt_ft=alt, oat_c=cold)),
        strict=True,
    )
    assert all(at_least(h, c) for h, c in pairs)


@pytest.mark.parametrize("name", sorted(TYPES))
@pytest.mark.parametrize(
    ("surface", "wet"),
    [("paved", True), ("unpaved", False), ("unpaved", True)],
)
def test_unpaved_and_wet_are_longer_than_paved_dry(name: str, surface: str, wet: bool) -> None:
    t = TYPES[name]
    w = 0.9 * t.mtow_kg  # every test type takes off and lands at 90 % MTOW, ISA sea level
    dry_to, dry_ld = takeoff(t, w), landing(t, w)
    to = takeoff(t, w, surface=surface, wet=wet)
    ld = landing(t, w, surface=surface, wet=wet)
    assert to.ground_roll_m > dry_to.ground_roll_m
    assert to.distance_50ft_m > dry_to.distance_50ft_m
    assert to.balanced_field_m > dry_to.balanced_field_m
    assert ld.ground_roll_m > dry_ld.ground_roll_m
    assert ld.landing_distance_m > dry_ld.landing_distance_m


def test_wet_is_longer_on_unpaved_too() -> None:
    dry, wet = (
        landing(C130H, 50_000.0, surface="unpaved"),
        landing(C130H, 50_000.0, surface="unpaved", wet=True),
    )
    assert wet.ground_roll_m > dry.ground_roll_m


# --- landing factor ----------------------------------------------------------------------


def test_landing_factor_default_policy_and_wet() -> None:
    assert landing(C130H, 50_000.0).factor == pytest.approx(1.0 / 0.6)
    assert landing(C130H, 50_000.0, factor=1.43).factor == pytest.approx(1.43)
    # Wet: 1.15 on top of whichever dry factor is asked for.
    assert landing(C130H, 50_000.0, wet=True).factor == pytest.approx(1.15 / 0.6)
    assert landing(C130H, 50_000.0, wet=True, factor=1.0).factor == pytest.approx(1.15)


# --- inverses --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    type_names,
    st.floats(0.4, 1.15),
    st.sampled_from(["ground_roll", "distance_50ft", "balanced_field"]),
    st.floats(0.0, 6000.0),
    surfaces,
)
def test_max_takeoff_weight_inverts_takeoff(
    name: str, share: float, basis: str, alt: float, surface: str
) -> None:
    t = TYPES[name]
    weight = share * t.mtow_kg
    kw: dict[str, Any] = {"pressure_alt_ft": alt, "oat_c": 30.0, "surface": surface, "wet": False}
    distance = getattr(takeoff(t, weight, **kw), f"{basis}_m")
    if math.isinf(distance):
        return  # no field is long enough at this weight: nothing to invert
    found = max_takeoff_weight_kg(t, distance, basis=basis, **kw)
    assert found == pytest.approx(weight, abs=1.0)


@settings(max_examples=60, deadline=None)
@given(
    type_names,
    st.floats(0.4, 1.15),
    st.sampled_from(["ground_roll", "distance_50ft", "landing_distance"]),
    st.floats(0.0, 6000.0),
    st.booleans(),
)
def test_max_landing_weight_inverts_landing(
    name: str, share: float, basis: str, alt: float, wet: bool
) -> None:
    t = TYPES[name]
    weight = share * t.mtow_kg
    kw: dict[str, Any] = {
        "pressure_alt_ft": alt,
        "oat_c": 30.0,
        "surface": "paved",
        "wet": wet,
        "factor": 1.43,
    }
    distance = getattr(landing(t, weight, **kw), f"{basis}_m")
    found = max_landing_weight_kg(t, distance, basis=basis, **kw)
    assert found == pytest.approx(weight, abs=1.0)


def test_max_weight_bounds() -> None:
    # A 10 km runway fits anything up to the model's limit, 1.2 x MTOW; no runway fits nothing.
    assert max_takeoff_weight_kg(C130H, 10_000.0, basis="ground_roll") == 1.2 * C130H.mtow_kg
    assert max_takeoff_weight_kg(C130H, 0.0, basis="balanced_field") == 0.0
    assert max_landing_weight_kg(C130H, 0.0, basis="landing_distance") == 0.0


def test_max_takeoff_weight_is_below_the_engine_out_limit() -> None:
    # Hot and high the twin cannot climb on one engine at MTOW: the balanced-field limit is
    # a lighter weight at which it can, and there the distance is finite and fits.
    kw: dict[str, Any] = {"pressure_alt_ft": 5000.0, "oat_c": 35.0}
    assert math.isinf(takeoff(DHC6, 5670.0, **kw).balanced_field_m)
    limit = max_takeoff_weight_kg(DHC6, 3000.0, basis="balanced_field", **kw)
    assert 0.0 < limit < 5670.0
    assert takeoff(DHC6, limit, **kw).balanced_field_m <= 3000.0


# --- engine kinds, calibration ------------------------------------------------------------


def test_single_engine_balanced_field_is_accelerate_stop_from_vr() -> None:
    d = takeoff(C208, 3970.0)
    assert d.balanced_field_m >= d.distance_50ft_m
    assert not any("engine inoperative" in w for w in d.warnings)


def test_calibration_multiplies_the_distances() -> None:
    tuned = make_type(
        "C-130H",
        propulsion="turboprop",
        mtow_kg=70_307.0,
        mlw_kg=58_967.0,
        wing_area_m2=162.1,
        span_m=40.41,
        cd0=0.025,
        cl_max=(1.5, 2.2, 2.6),
        engines=4,
        power_kw=3430.0,
        military=True,
        calibration=Calibration(takeoff=1.1, landing=0.9),
    )
    base_to, base_ld = takeoff(C130H, 65_000.0), landing(C130H, 55_000.0)
    to, ld = takeoff(tuned, 65_000.0), landing(tuned, 55_000.0)
    for got, want in zip(_takeoff_triple(to), _takeoff_triple(base_to), strict=True):
        assert got == pytest.approx(1.1 * want)
    for got, want in zip(_landing_triple(ld), _landing_triple(base_ld), strict=True):
        assert got == pytest.approx(0.9 * want)


# --- validity and input errors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"pressure_alt_ft": 12_000.0}, "12,000 ft is above"),  # above the 10,000 ft limit
        ({"oat_c": 58.0}, "OAT 58 °C"),  # hotter than the +55 °C limit
        ({"oat_c": -50.0}, "OAT -50 °C"),  # colder than the -40 °C limit
        ({"weight_kg": 90_000.0}, "1.2 x MTOW"),  # 1.28 x MTOW
    ],
)
def test_outside_validity_warns(kwargs: dict[str, Any], needle: str) -> None:
    kwargs = dict(kwargs)  # parametrize shares the dict between runs
    weight = kwargs.pop("weight_kg", 60_000.0)
    for d in (takeoff(C130H, weight, **kwargs), landing(C130H, weight, **kwargs)):
        assert any(needle in w for w in d.warnings), d.warnings


def test_unpaved_on_a_type_not_approved_warns() -> None:
    assert any("unpaved" in w for w in takeoff(C208, 3500.0, surface="unpaved").warnings)


def test_cannot_accelerate_gives_inf_and_a_warning() -> None:
    weak = make_type(
        "WEAK",
        propulsion="turbofan",
        mtow_kg=100_000.0,
        mlw_kg=90_000.0,
        wing_area_m2=200.0,
        span_m=40.0,
        cd0=0.02,
        cl_max=(1.4, 2.0, 2.4),
        engines=2,
        thrust_kn=15.0,  # T/W 0.03: less than rolling friction plus drag
    )
    d = takeoff(weak, 100_000.0)
    assert math.isinf(d.ground_roll_m) and math.isinf(d.balanced_field_m)
    assert any("thrust too low" in w for w in d.warnings)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"weight_kg": math.nan}, "weight_kg"),  # NaN weight
        ({"weight_kg": -1.0}, "weight_kg"),  # negative weight
        ({"weight_kg": 0.0}, "weight_kg"),  # no aircraft weighs nothing
        ({"pressure_alt_ft": math.inf}, "pressure_alt_ft"),  # infinite altitude
        ({"pressure_alt_ft": -5000.0}, "pressure_alt_ft"),  # below any airfield on Earth
        ({"oat_c": math.nan}, "oat_c"),  # NaN temperature
        ({"oat_c": 80.0}, "oat_c"),  # hotter than any weather
        ({"surface": "grass"}, "surface"),  # only paved or unpaved
    ],
)
def test_bad_inputs_raise(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"weight_kg": 60_000.0, **kwargs}
    weight = args.pop("weight_kg")
    for fn in (takeoff, landing):
        with pytest.raises(InputError, match=field):
            fn(C130H, weight, **args)  # type: ignore[arg-type]


def test_bad_factor_basis_and_runway_raise() -> None:
    with pytest.raises(InputError, match="factor"):
        landing(C130H, 50_000.0, factor=0.5)  # a factor below 1 would shorten the distance
    with pytest.raises(InputError, match="basis"):
        max_takeoff_weight_kg(C130H, 1500.0, basis="landing_distance")
    with pytest.raises(InputError, match="basis"):
        max_landing_weight_kg(C130H, 1500.0, basis="balanced_field")
    with pytest.raises(InputError, match="available_m"):
        max_takeoff_weight_kg(C130H, math.nan, basis="ground_roll")


def test_a_call_is_cheap() -> None:
    # Budget ~20 µs per call; the bound is loose (10x) so a loaded CI machine does not flake,
    # but it catches an accidental numpy array or an unbounded solver loop.
    n = 2000
    start = time.perf_counter()
    for i in range(n):
        takeoff(C130H, 50_000.0 + i, pressure_alt_ft=3000.0, oat_c=35.0)
        landing(C130H, 50_000.0 + i)
    per_call_us = (time.perf_counter() - start) / (2 * n) * 1e6
    assert per_call_us < 200.0


def test_reverse_thrust_shortens_the_landing_roll() -> None:
    # Military landing data credit reverse: the roll shortens, the air part does not change.
    plain = landing(C130H, 55_000.0)
    rev = landing(C130H, 55_000.0, reverse=True)
    assert rev.ground_roll_m < 0.9 * plain.ground_roll_m
    assert rev.distance_50ft_m - rev.ground_roll_m == pytest.approx(
        plain.distance_50ft_m - plain.ground_roll_m
    )
    assert max_landing_weight_kg(
        C130H, 700.0, basis="ground_roll", reverse=True
    ) > max_landing_weight_kg(C130H, 700.0, basis="ground_roll")
