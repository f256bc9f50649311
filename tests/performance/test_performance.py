"""Performance model (airlift.performance): input checks, invariants, the mission's fuel
bookkeeping, and every published figure against the model.

Fixtures, small enough to check by hand:

* ``c130h``: the shipped C-130H. MTOW 70,307 kg, OEW 36,741 kg, max payload 19,051 kg,
  max fuel 28,900 kg, ceiling 33,000 ft, normal schedule ``lrc`` (C-130H.toml).
* ``gabs_gago(t)``: a two-stop mission, Bamako (GABS) - Gao (GAGO), 513 NM, with 1,000 kg
  of cargo and 5 passengers (1,500 kg of payload, which every type tested here can lift),
  the airfields from the theatre file.

Property tests run over all 14 shipped types. Their domains stay where the model is meant
to answer; where a known bug narrows a domain, the bug has its own ``xfail(strict=True)``
test below with a minimal reproduction, so the narrowing is visible and goes when it is fixed.

The published-figure tests carry the ``fidelity`` marker: one test per figure that is not
excluded, each with the tolerance its type file gives. The model does not reproduce every
figure yet: the ones it misses today are listed in ``KNOWN_MISSES`` and expected to fail
(strictly: a figure that comes within tolerance must leave the list, and a figure not on it
that goes out of tolerance fails the suite). ``benchmarks/bench_fidelity.py`` shows them all.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import cache

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from airlift.aircraft import AircraftType, aircraft_type, catalogue
from airlift.airfields import lookup
from airlift.errors import InputError
from airlift.fuel_policy import POLICIES
from airlift.mission import Load, MissionInput, Options, plan
from airlift.performance import (
    SCHEDULES,
    choose_level_ft,
    cruise_point,
    endurance_at,
    holding_fuel_kg,
    leg_backward,
    leg_forward,
    parse_speed,
    range_at,
)
from airlift.performance import field as field_lengths
from airlift.performance.figures import FigureCheck, check_figures

TYPES = sorted(catalogue())
types = st.sampled_from(TYPES).map(lambda d: catalogue()[d])
schedules = st.sampled_from(SCHEDULES)
fractions = st.floats(0.0, 1.0)
PROPERTY = settings(max_examples=40, deadline=None)

MIN_FUEL_SHARE = 0.35
"""Range properties use at least 35 % of the tanks. With less, ``range_at`` can answer a
negative range (see test_range_with_little_fuel_is_not_negative): the level it picks is
chosen for a long flight, and the climb to it eats the whole fuel."""

ROUND_TRIP_SHARE = 0.003
"""leg_forward from leg_backward's take-off weight lands within 0.3 % of the trip fuel of the
landing weight asked for. Measured over 10,000 random legs of all 14 types (four schedules,
ISA -20..+29, field elevations 0-4,000 ft): median 0.01 %, worst 0.17 % (Il-76MD, 74 kg
on a 29 t trip). Not 1 kg: leg_backward runs exactly two passes of its fixed point on the
climb (the climb's fuel and distance depend on the take-off weight it is solving for), so
its climb segment is that of the previous pass's weight; a third pass brings the worst to
about 0.01 %."""


@pytest.fixture(scope="module")
def c130h() -> AircraftType:
    return aircraft_type("C-130H")


DEPARTURE = datetime(2023, 10, 27, 6, 30, tzinfo=UTC)
LOAD = Load(cargo_kg=1_000, pallets=0, pax=5)


def gabs_gago(t: AircraftType, options: Options | None = None) -> MissionInput:
    """One leg Bamako - Gao with 1,500 kg payload (1,000 kg cargo + 5 x 100 kg)."""
    stops = (lookup("GABS"), lookup("GAGO"))
    return MissionInput(t, stops, DEPARTURE, (LOAD,), options=options or Options())


def _lo_hi(a: float, b: float) -> tuple[float, float]:
    lo, hi = sorted((a, b))
    return lo, hi


# --- speed schedules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("mrc", "mrc"),
        ("MRC", "mrc"),  # case
        (" lrc ", "lrc"),  # blanks
        ("max-endurance", "max-endurance"),
        ("290", "290"),  # a TAS in kt
        ("290.0", "290"),  # normalised
        ("290.5", "290.5"),
    ],
)
def test_parse_speed_normalises(spec: str, expected: str) -> None:
    assert parse_speed(spec) == expected


@pytest.mark.parametrize(
    "spec",
    [
        "fast",  # not a schedule
        "-5",  # negative TAS
        "nan",  # not a number a user means
        "1e300",  # exponent notation, absurd
        "inf",
        "",  # empty
        "39",  # below 40 kt
        "601",  # above 600 kt
    ],
)
def test_parse_speed_rejects(spec: str) -> None:
    with pytest.raises(InputError, match=r"^speed: unknown speed schedule"):
        parse_speed(spec)


@PROPERTY
@given(t=types, w=fractions, h=st.floats(0.0, 1.0), isa=st.sampled_from([-15.0, 0.0, 20.0]))
def test_speed_schedules_are_ordered(t: AircraftType, w: float, h: float, isa: float) -> None:
    """Same weight, level and temperature: TAS max-endurance <= MRC <= LRC <= max cruise, and
    max-endurance burns the least per hour (where all four can be flown)."""
    weight = t.oew_kg + w * (t.mtow_kg - t.oew_kg)
    level = math.floor(h * t.ceiling_ft / 1000.0) * 1000.0
    points = [cruise_point(t, weight, level, s, isa) for s in SCHEDULES]
    assume(all(ok for _, _, ok in points))
    by_name = dict(zip(SCHEDULES, points, strict=True))
    tas = [by_name[s][0] for s in ("max-endurance", "mrc", "lrc", "mcr")]
    assert tas == sorted(tas)
    flows = [ff for _, ff, _ in points]
    assert by_name["max-endurance"][1] == pytest.approx(min(flows), rel=1e-9)


@pytest.mark.parametrize("designator", TYPES)
def test_cruise_point_refuses_a_level_above_the_ceiling(designator: str) -> None:
    t = catalogue()[designator]
    light = t.oew_kg * 1.1
    for speed in SCHEDULES:
        cruise_point(t, light, t.ceiling_ft, speed)  # at the ceiling: an answer
        with pytest.raises(InputError, match=r"^fl: FL\d+ is above .* ceiling"):
            cruise_point(t, light, t.ceiling_ft + 1000.0, speed)


@pytest.mark.parametrize("designator", TYPES)
def test_a_leg_above_the_ceiling_is_not_ok(designator: str) -> None:
    t = catalogue()[designator]
    above = math.ceil(t.ceiling_ft / 1000.0) * 1000.0 + 1000.0
    prof = leg_forward(t, t.normal_speed, 0.0, 500.0, t.oew_kg * 1.1, above)
    assert not bool(prof.ok)


# --- range and endurance: inputs ------------------------------------------------------------------

NAN = float("nan")

BAD_RANGE_INPUTS = [
    # (keyword arguments beyond the type, the field the message must start with)
    pytest.param({"payload_kg": 19_052.0}, "payload_kg", id="payload-above-max"),  # max 19,051
    pytest.param({"payload_kg": -1.0}, "payload_kg", id="negative-payload"),
    pytest.param({"payload_kg": NAN}, "payload_kg", id="nan-payload"),
    pytest.param({"payload_kg": 0.0, "fuel_kg": 28_901.0}, "fuel_kg", id="fuel-above-capacity"),
    pytest.param({"payload_kg": 0.0, "fuel_kg": NAN}, "fuel_kg", id="nan-fuel"),
    pytest.param({"payload_kg": 0.0, "fuel_kg": 0.0}, "fuel_kg", id="no-fuel"),
    # full payload and full tanks: 84,692 kg, above the 70,307 kg MTOW
    pytest.param({"payload_kg": 19_051.0, "fuel_kg": 28_900.0}, "fuel_kg", id="above-mtow"),
    pytest.param({"payload_kg": 0.0, "fl": 340.0}, "fl", id="fl-above-ceiling"),  # 33,000 ft
    pytest.param({"payload_kg": 0.0, "fl": NAN}, "fl", id="nan-fl"),
    pytest.param({"payload_kg": 0.0, "fl": -10.0}, "fl", id="negative-fl"),
    pytest.param({"payload_kg": 0.0, "reserve_min": NAN}, "reserve_min", id="nan-reserve"),
    pytest.param({"payload_kg": 0.0, "reserve_min": 601.0}, "reserve_min", id="reserve-10h"),
    pytest.param({"payload_kg": 0.0, "isa_dev_c": NAN}, "isa_dev_c", id="nan-isa"),
    pytest.param({"payload_kg": 0.0, "isa_dev_c": 41.0}, "isa_dev_c", id="isa-above-40"),
    pytest.param({"payload_kg": 0.0, "speed": "fast"}, "speed", id="unknown-speed"),
    pytest.param({"payload_kg": 0.0, "tow_kg": NAN}, "tow_kg", id="nan-tow"),
    pytest.param({"payload_kg": 0.0, "tow_kg": math.inf}, "tow_kg", id="inf-tow"),
    pytest.param({"payload_kg": 0.0, "fuel_kg": 5000.0, "tow_kg": 60000.0}, "tow_kg", id="both"),
]


@pytest.mark.parametrize(("kwargs", "field"), BAD_RANGE_INPUTS)
def test_range_at_rejects_bad_input_naming_the_field(
    c130h: AircraftType, kwargs: dict[str, float | str], field: str
) -> None:
    with pytest.raises(InputError) as info:
        range_at(c130h, **kwargs)  # type: ignore[arg-type]
    assert str(info.value).startswith(field), str(info.value)


def test_endurance_at_checks_its_inputs_too(c130h: AircraftType) -> None:
    with pytest.raises(InputError, match=r"^payload_kg"):
        endurance_at(c130h, 19_052.0)


# --- range and endurance: properties --------------------------------------------------------------


def _most_payload_kg(t: AircraftType) -> float:
    """Payload that still leaves MIN_FUEL_SHARE of the tanks under MTOW (or max payload)."""
    return min(t.max_payload_kg, t.mtow_kg - t.oew_kg - MIN_FUEL_SHARE * t.max_fuel_kg)


@PROPERTY
@given(t=types, a=fractions, b=fractions)
def test_more_payload_less_range(t: AircraftType, a: float, b: float) -> None:
    """Fuel as a payload-range diagram has it: full tanks, limited by MTOW."""
    lo, hi = (f * _most_payload_kg(t) for f in _lo_hi(a, b))
    r_lo, r_hi = range_at(t, lo).range_nm, range_at(t, hi).range_nm
    assert 0 < r_hi <= r_lo + 1e-6
    if hi - lo > 0.01 * t.max_payload_kg:
        assert r_hi < r_lo


def _level_for_mtow_fl(t: AircraftType) -> float:
    """The best level at MTOW (a flight level): every lighter weight can fly it too."""
    return float(choose_level_ft(t, t.normal_speed, 0.0, 1e4, t.mtow_kg)) / 100.0


@PROPERTY
@given(t=types, p=st.floats(0.0, 0.5), a=fractions, b=fractions)
def test_more_fuel_more_range_at_a_given_level(
    t: AircraftType, p: float, a: float, b: float
) -> None:
    payload = p * t.max_payload_kg
    most = min(t.max_fuel_kg, t.mtow_kg - t.oew_kg - payload)  # up to MTOW
    least = MIN_FUEL_SHARE * t.max_fuel_kg
    lo, hi = (least + f * (most - least) for f in _lo_hi(a, b))
    fl = _level_for_mtow_fl(t)
    r_lo = range_at(t, payload, fuel_kg=lo, fl=fl).range_nm
    r_hi = range_at(t, payload, fuel_kg=hi, fl=fl).range_nm
    assert 0 < r_lo <= r_hi + 1e-6
    if hi - lo > 0.01 * t.max_fuel_kg:
        assert r_lo < r_hi


def test_more_fuel_more_range_when_the_level_is_free() -> None:
    # With no level given the flight steps up as it gets lighter: a heavier start can no
    # longer cost range (the Il-76MD once lost 0.8 % here by starting one level lower).
    t = aircraft_type("Il-76MD")
    assert range_at(t, 0.0, fuel_kg=72_900.0).range_nm < range_at(t, 0.0, fuel_kg=73_900.0).range_nm


@PROPERTY
@given(t=types, lo=st.floats(0.05, 0.95), hi=st.floats(0.05, 0.95))
def test_more_fuel_more_range_at_the_best_levels(t: AircraftType, lo: float, hi: float) -> None:
    lo, hi = sorted((lo, hi))
    payload = max(0.0, min(0.3 * t.max_payload_kg, t.mtow_kg - t.oew_kg - t.max_fuel_kg))
    r_lo = range_at(t, payload, fuel_kg=lo * t.max_fuel_kg).range_nm
    r_hi = range_at(t, payload, fuel_kg=hi * t.max_fuel_kg).range_nm
    assert 0.0 <= r_lo <= r_hi + 0.5


def test_range_with_little_fuel_is_not_negative() -> None:
    t = aircraft_type("C208B")
    assert 0.0 <= range_at(t, t.max_payload_kg).range_nm < 200.0


# --- take-off -------------------------------------------------------------------------------------

surfaces = st.sampled_from(["paved", "unpaved"])


def _takeoff(
    t: AircraftType, w: float, pa: float, oat: float | None, surface: str, wet: bool
) -> tuple[float, float, float]:
    to = field_lengths.takeoff(
        t, w * t.mtow_kg, pressure_alt_ft=pa, oat_c=oat, surface=surface, wet=wet
    )
    return to.ground_roll_m, to.distance_50ft_m, to.balanced_field_m


@PROPERTY
@given(
    t=types,
    w=st.floats(0.5, 1.0),
    pa=st.floats(0.0, 10_000.0),
    a=st.floats(-30.0, 50.0),
    b=st.floats(-30.0, 50.0),
    surface=surfaces,
    wet=st.booleans(),
)
def test_hotter_means_longer_takeoff(
    t: AircraftType, w: float, pa: float, a: float, b: float, surface: str, wet: bool
) -> None:
    cool, hot = _lo_hi(a, b)
    for d_cool, d_hot in zip(
        _takeoff(t, w, pa, cool, surface, wet), _takeoff(t, w, pa, hot, surface, wet), strict=True
    ):
        assert d_cool <= d_hot  # ground roll, over 50 ft, balanced field


@PROPERTY
@given(
    t=types,
    w=st.floats(0.5, 1.0),
    a=st.floats(0.0, 10_000.0),
    b=st.floats(0.0, 10_000.0),
    oat=st.none() | st.floats(-10.0, 45.0),
    surface=surfaces,
    wet=st.booleans(),
)
def test_higher_means_longer_takeoff(
    t: AircraftType, w: float, a: float, b: float, oat: float | None, surface: str, wet: bool
) -> None:
    """At ISA (``oat`` None: colder higher up, still thinner) or at the same OAT."""
    low, high = _lo_hi(a, b)
    for d_low, d_high in zip(
        _takeoff(t, w, low, oat, surface, wet), _takeoff(t, w, high, oat, surface, wet), strict=True
    ):
        assert d_low <= d_high


@PROPERTY
@given(
    t=types,
    w=st.floats(0.3, 1.1),
    pa=st.floats(0.0, 10_000.0),
    oat=st.none() | st.floats(-30.0, 50.0),
    surface=surfaces,
    wet=st.booleans(),
)
def test_takeoff_distances_are_ordered(
    t: AircraftType, w: float, pa: float, oat: float | None, surface: str, wet: bool
) -> None:
    roll, d50, bfl = _takeoff(t, w, pa, oat, surface, wet)
    assert 0 < roll <= d50 <= bfl  # inf where the aircraft cannot go: still ordered


# --- leg profiles ---------------------------------------------------------------------------------


@PROPERTY
@given(
    t=types,
    speed=schedules,
    lw=fractions,
    dist=st.floats(20.0, 3_000.0),
    origin=st.floats(0.0, 4_000.0),
    dest=st.floats(0.0, 4_000.0),
    isa=st.integers(-20, 29),
)
def test_leg_backward_and_forward_agree(
    t: AircraftType,
    speed: str,
    lw: float,
    dist: float,
    origin: float,
    dest: float,
    isa: int,
) -> None:
    """Fly forward from the take-off weight leg_backward found: land at the weight asked for
    (within ROUND_TRIP_SHARE of the trip fuel)."""
    land = t.oew_kg + lw * (t.mlw_kg - t.oew_kg)
    level = float(choose_level_ft(t, speed, isa, dist, land * 1.1, origin, dest))
    back = leg_backward(t, speed, isa, dist, land, level, origin, dest)
    assume(bool(back.ok) and float(back.tow_kg) <= t.mtow_kg)
    fwd = leg_forward(t, speed, isa, dist, float(back.tow_kg), level, origin, dest)
    trip = float(back.trip_kg)
    assert trip > 0
    assert float(fwd.lw_kg) == pytest.approx(land, abs=max(1.0, ROUND_TRIP_SHARE * trip))
    assert float(fwd.trip_kg) == pytest.approx(trip, rel=ROUND_TRIP_SHARE)
    assert float(fwd.level_ft) == float(back.level_ft) == level


@PROPERTY
@given(t=types, speed=schedules, lw=fractions, a=st.floats(1.0, 3_000.0), b=st.floats(1.0, 3_000.0))
def test_trip_fuel_grows_with_distance(
    t: AircraftType, speed: str, lw: float, a: float, b: float
) -> None:
    land = t.oew_kg + lw * (t.mlw_kg - t.oew_kg)
    near, far = _lo_hi(a, b)
    level = float(choose_level_ft(t, speed, 0.0, far, land * 1.1))
    p_near = leg_backward(t, speed, 0.0, near, land, level)
    p_far = leg_backward(t, speed, 0.0, far, land, level)
    assume(bool(p_far.ok) and float(p_far.tow_kg) <= t.mtow_kg)
    assert 0 < float(p_near.trip_kg) <= float(p_far.trip_kg) + 1e-6
    # Strictly once there is some cruise (below it, the leg is climb and descent only).
    if float(p_near.cruise_nm) > 0 and far - near > 1.0:
        assert float(p_near.trip_kg) < float(p_far.trip_kg)


@PROPERTY
@given(t=types, speed=schedules, dist=st.floats(50.0, 3_000.0), a=fractions, b=fractions)
def test_trip_fuel_grows_with_landing_weight(
    t: AircraftType, speed: str, dist: float, a: float, b: float
) -> None:
    light, heavy = (t.oew_kg + f * (t.mlw_kg - t.oew_kg) for f in _lo_hi(a, b))
    level = float(choose_level_ft(t, speed, 0.0, dist, heavy * 1.1))
    p_light = leg_backward(t, speed, 0.0, dist, light, level)
    p_heavy = leg_backward(t, speed, 0.0, dist, heavy, level)
    assume(bool(p_heavy.ok) and float(p_heavy.tow_kg) <= t.mtow_kg)
    assert 0 < float(p_light.trip_kg) <= float(p_heavy.trip_kg) + 1e-6
    if heavy - light > 1.0:
        assert float(p_light.trip_kg) < float(p_heavy.trip_kg)


@pytest.mark.parametrize("designator", TYPES)
def test_trip_fuel_at_the_chosen_level_never_falls_with_distance(designator: str) -> None:
    """As the planner flies legs: the level chosen per leg; 600 legs of 5-3,000 NM at once."""
    t = catalogue()[designator]
    land = t.oew_kg + 0.6 * (t.mlw_kg - t.oew_kg)
    dist = np.linspace(5.0, 3_000.0, 600)
    level = choose_level_ft(t, t.normal_speed, 0.0, dist, land * 1.1)
    prof = leg_backward(t, t.normal_speed, 0.0, dist, land, level)
    trip, ok = np.asarray(prof.trip_kg), np.asarray(prof.ok) & (prof.tow_kg <= t.mtow_kg)
    assert ok[:100].all()  # the shorter legs are all flyable
    both = ok[1:] & ok[:-1]
    assert (np.diff(trip)[both] >= -1e-6).all()
    assert np.all(np.asarray(level) <= t.ceiling_ft)


@PROPERTY
@given(
    t=types,
    speed=schedules,
    w=fractions,
    dist=st.floats(0.0, 5_000.0),
    h=fractions,
    origin=st.floats(0.0, 10_000.0),
    dest=st.floats(0.0, 10_000.0),
    isa=st.integers(-40, 40),
)
def test_leg_profiles_never_raise(
    t: AircraftType,
    speed: str,
    w: float,
    dist: float,
    h: float,
    origin: float,
    dest: float,
    isa: int,
) -> None:
    """Any weight, distance, level up to the ceiling and field elevation: an answer, not an
    exception (a NaN weight once became an array index: IndexError), and finite where ok."""
    level = math.floor(h * t.ceiling_ft / 1000.0) * 1000.0
    weight = t.oew_kg + w * (t.mtow_kg - t.oew_kg)
    for fly in (leg_backward, leg_forward):
        prof = fly(t, speed, isa, dist, weight, level, origin, dest)
        if bool(prof.ok):
            assert math.isfinite(float(prof.tow_kg)) and math.isfinite(float(prof.lw_kg))
            assert math.isfinite(float(prof.time_min))


def test_a_leg_that_runs_dry_is_not_ok(c130h: AircraftType) -> None:
    prof = leg_forward(c130h, "lrc", 0.0, 4_000.0, 45_000.0, 20_000.0)
    assert float(prof.lw_kg) < c130h.oew_kg  # the leg is far beyond the fuel on board
    assert not bool(prof.ok)


# --- holding --------------------------------------------------------------------------------------


@PROPERTY
@given(
    t=types,
    w=fractions,
    a=st.floats(0.0, 180.0),
    b=st.floats(0.0, 180.0),
    level=st.sampled_from([1_500.0, 5_000.0, 10_000.0]),
)
def test_holding_fuel_grows_with_minutes(
    t: AircraftType, w: float, a: float, b: float, level: float
) -> None:
    end = t.oew_kg + w * (t.mlw_kg - t.oew_kg)
    short, long = _lo_hi(a, b)
    f_short = float(holding_fuel_kg(t, short, end, level))
    f_long = float(holding_fuel_kg(t, long, end, level))
    assert 0 <= f_short <= f_long + 1e-9
    if long - short > 0.5:
        assert f_short < f_long


def test_no_holding_no_fuel(c130h: AircraftType) -> None:
    assert float(holding_fuel_kg(c130h, 0.0, 50_000.0, 1_500.0)) == pytest.approx(0.0, abs=1e-6)


# --- the planned leg's fuel adds up ---------------------------------------------------------------


@pytest.mark.parametrize("designator", ["C-130H", "C295", "C-17A", "L-410"])
@pytest.mark.parametrize(
    "options",
    [
        pytest.param(Options(), id="icao"),
        pytest.param(Options(policy=POLICIES["usaf-c130"]), id="usaf-c130"),
        pytest.param(Options(policy=POLICIES["usn"], extra_fuel_kg=300.0), id="usn-extra-300"),
        pytest.param(Options(fl=200.0, speed="mrc"), id="fl200-mrc"),
    ],
)
def test_planned_leg_fuel_adds_up(designator: str, options: Options) -> None:
    """GABS -> GAGO: the leg's fuel figures are one account, to the kg. (The L-410 breaks
    MTOW and range on this leg: the bookkeeping must hold on an infeasible plan too.)"""
    t = aircraft_type(designator)
    (leg,) = plan(gabs_gago(t, options)).legs
    segments = leg.climb_fuel_kg + leg.cruise_fuel_kg + leg.descent_fuel_kg
    assert leg.trip_fuel_kg == pytest.approx(segments, abs=1.0)
    assert leg.trip_fuel_kg == pytest.approx(leg.tow_kg - leg.lw_kg, abs=1.0)
    assert leg.ramp_fuel_kg == pytest.approx(
        leg.taxi_fuel_kg + leg.trip_fuel_kg + leg.landing_fuel_kg, abs=1.0
    )
    parts = leg.final_reserve_kg + leg.alternate_fuel_kg + leg.contingency_fuel_kg
    assert leg.reserve_fuel_kg == pytest.approx(parts + options.extra_fuel_kg, abs=1.0)
    # The USN policy has no final reserve, only 10 % (at least 20 min) of contingency.
    assert (leg.final_reserve_kg > 0) == (options.policy.final_reserve_min > 0)
    assert leg.contingency_fuel_kg > 0
    assert leg.alternate_fuel_kg >= 0 and leg.alternate_reason
    # Whole minutes, rounded up, of the flown profile.
    assert leg.flight_time_min == math.ceil(leg.climb_min + leg.cruise_min + leg.descent_min)
    assert leg.cruise_fl * 100 <= t.ceiling_ft
    if options.fl is not None:
        assert leg.cruise_fl == options.fl
    assert leg.speed_schedule == parse_speed(options.speed or t.normal_speed)


def test_a_feasible_leg_lands_with_its_reserves(c130h: AircraftType) -> None:
    p = plan(gabs_gago(c130h))
    (leg,) = p.legs
    assert p.feasible, p.violations
    assert leg.landing_fuel_kg >= leg.reserve_fuel_kg - 1.0
    assert leg.endurance_h > leg.flight_time_min / 60.0  # fuel for more than the trip


# --- published figures (fidelity) -----------------------------------------------------------------


@cache
def _checks(designator: str) -> tuple[FigureCheck, ...]:
    return tuple(check_figures(catalogue()[designator]))


KNOWN_MISSES = frozenset(
    {
        "A400M-4-range",  # -14 %
        "A400M-6-cruise_speed",  # -16 %
        "A400M-7-cruise_speed",  # -11 %
        "An-26-0-range",  # +22 %
        "An-26-3-range",  # -12 %
        "An-32-0-range",  # -16 %
        "An-32-1-range",  # -34 %
        "An-32-2-range",  # -13 %
        "An-32-3-range",  # +16 %
        "An-32-4-range",  # +11 %
        "An-32-5-cruise_speed",  # +22 %
        "An-32-6-cruise_speed",  # +25 %
        "An-32-11-block_time",  # -18 %
        "C-130H-0-range",  # -15 %
        "C-130H-1-range",  # -25 %
        "C-130H-2-range",  # -15 %
        "C-130H-3-range",  # +57 %
        "C-130H-11-takeoff_ground_roll",  # +15 %
        "C-130H-12-landing_ground_roll",  # +26 %
        "C-130H-13-balanced_field",  # -13 %
        "C-130H-14-balanced_field",  # -15 %
        "C-130J-30-0-range",  # +33 %
        "C-130J-30-1-range",  # unanswerable
        "C-130J-30-4-landing_ground_roll",  # +52 %
        "C-130J-30-5-cruise_speed",  # -14 %
        "C-130J-30-8-block_time",  # -23 %
        "C-130J-30-10-fuel_flow",  # +21 %
        "C-17A-1-range",  # +18 %
        "C-17A-8-landing_50ft",  # -22 %
        "C208B-6-endurance",  # +17 %
        "C208B-9-takeoff_50ft",  # -17 %
        "C208B-10-landing_ground_roll",  # -18 %
        "C295-0-range",  # +69 %
        "C295-1-range",  # +44 %
        "C295-2-range",  # -26 %
        "C295-4-range",  # unanswerable
        "C295-5-range",  # unanswerable
        "C295-12-takeoff_50ft",  # +29 %
        "C295-13-landing_50ft",  # +36 %
        "C295-14-takeoff_50ft",  # +170 %
        "C295-15-landing_50ft",  # -35 %
        "CN-235-0-range",  # +21 %
        "CN-235-1-range",  # unanswerable
        "CN-235-6-endurance",  # -11 %
        "CN-235-7-endurance",  # +36 %
        "DHC-6-4-cruise_speed",  # -12 %
        "DHC-6-8-landing_distance",  # -18 %
        "DHC-8-100-2-cruise_speed",  # +13 %
        "DHC-8-100-4-range",  # +33 %
        "Il-76MD-0-range",  # +78 %
        "Il-76MD-1-range",  # +62 %
        "Il-76MD-3-range",  # -15 %
        "L-410-0-fuel_flow",  # +21 %
        "L-410-2-cruise_speed",  # +28 %
        "L-410-5-endurance",  # -20 %
    }
)
"""Published figures the model misses today (error at the last calibration), by test id."""


def _figure(d: str, i: int, kind: str) -> object:
    case = f"{d}-{i}-{kind}"
    if case in KNOWN_MISSES:
        reason = "known miss: the model does not reproduce this figure (bench_fidelity.py)"
        return pytest.param(d, i, id=case, marks=pytest.mark.xfail(strict=True, reason=reason))
    return pytest.param(d, i, id=case)


FIGURES = [
    _figure(d, i, p.kind)
    for d in TYPES
    for i, p in enumerate(catalogue()[d].published)
    if not p.excluded
]


@pytest.mark.fidelity
@pytest.mark.parametrize(("designator", "index"), FIGURES)
def test_published_figure_within_its_tolerance(designator: str, index: int) -> None:
    """Each published figure (fitted or held out) through the public functions under its
    stated conditions, against the tolerance its type file gives (10 % by default)."""
    check = _checks(designator)[index]
    f = check.figure
    where = f"{designator} {f.kind} {f.value:g} {f.unit} ({check.role}; {f.conditions[:120]})"
    assert math.isfinite(check.model), f"{where}: no model answer: {check.note}"
    assert abs(check.error_pct) <= f.tolerance_pct, (
        f"{where}: model {check.model:,.1f}, error {check.error_pct:+.1f} % > {f.tolerance_pct:g} %"
    )
