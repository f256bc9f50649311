"""Re-timing a planned mission (``mission.retime``) gives exactly what planning it again at
the new times gives: random re-timings of real planned missions, the demo week's (as the
plan-against-actual re-check builds them) and the reference circuit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from airlift import mission_file
from airlift.aircraft import aircraft_type
from airlift.airfields import lookup
from airlift.export.programme import programme_document
from airlift.mission import (
    LimitName,
    Load,
    MissionInput,
    MissionPlan,
    Options,
    PlanCache,
    plan,
    retime,
)
from airlift.mission.result import TIME_LIMITS
from airlift.mission.retime import time_free_key
from airlift.scheduling.readers import demo_dir, read_fleet, read_requests, read_scenario
from airlift.scheduling.scheduler import schedule
from airlift.tracking.compare import LegTimes, PlanningContext, mission_input
from airlift.tracking.legs import planned_legs

CIRCUIT = ("GABS", "GAGO", "GATS", "DRRN", "GABS")
"""Bamako - Gao - Tessalit (no fuel, daylight only) - Niamey - Bamako."""


@lru_cache(maxsize=1)
def real_missions() -> tuple[tuple[MissionInput, MissionPlan], ...]:
    """Every mission of the demo week (scheduled for 3 s) as the plan-against-actual
    re-check gives it to the planner at its planned times, and the reference circuit twice
    (C-130H with expedited turnarounds as in tests/mission; the 5U-MBD mission file), each
    with its full plan."""
    d = demo_dir()
    scenario = read_scenario(d / "scenario.toml")
    programme = schedule(
        read_requests(d / "requests.csv"), read_fleet(d / "fleet.csv"), scenario, 3.0
    )
    doc = programme_document(programme)
    ctx = PlanningContext(doc, scenario)
    legs = planned_legs(doc)
    inputs = []
    for i, m in enumerate(doc["missions"]):
        mine = [p for p in legs if p.mission == i]
        times = [LegTimes(p.out_utc, p.off_utc, p.on_utc, p.in_utc) for p in mine]
        inputs.append(mission_input(ctx, m, mine, times))
    c130h = aircraft_type("C-130H")
    inputs.append(
        MissionInput(
            c130h,
            tuple(lookup(c) for c in CIRCUIT),
            inputs[0].departure_utc,
            (Load(12_000, 4, 30), Load(8_000, 3, 20), Load(2_000, 1, 40), Load(6_000, 2, 20)),
            options=Options(ground_mode="expedited"),
        )
    )
    inputs.append(mission_file.build("5U-MBD", list(CIRCUIT), "2023-10-30T06:00Z"))
    # No demo airfield keeps opening hours: the circuit again with Niamey open 07:00-16:00Z
    # and Gao open across midnight (15:00-09:00Z), so that hours are re-checked too.
    hours = {"DRRN": ("07:00", "16:00"), "GAGO": ("15:00", "09:00")}
    inputs.append(
        replace(
            inputs[-2],
            stops=tuple(
                replace(a, planning=replace(a.planning, hours_utc=hours[a.icao]))
                if a.icao in hours
                else a
                for a in inputs[-2].stops
            ),
        )
    )
    return tuple((m, plan(m)) for m in inputs)


def test_the_missions_are_many_and_real() -> None:
    missions = real_missions()
    assert len(missions) > 20
    assert max(len(p.legs) for _, p in missions) >= 4


@st.composite
def retimings(draw: st.DrawFn) -> tuple[MissionInput, MissionPlan, MissionInput]:
    """A real planned mission and the same mission at random times: departure moved by up
    to -12 h / +30 h, any leg given a slot up to a day later (or none), other pre- and
    post-flight times, duty limit, turnaround."""
    missions = real_missions()
    base_input, base = missions[draw(st.integers(0, len(missions) - 1))]
    dep = base_input.departure_utc + timedelta(minutes=draw(st.integers(-12 * 60, 30 * 60)))
    legs = len(base.legs)
    slots = tuple(
        None
        if (k := draw(st.one_of(st.none(), st.integers(-180, 24 * 60)))) is None
        else dep + timedelta(minutes=k)
        for _ in range(legs)
    )
    opts = replace(
        base_input.options,
        pre_flight_min=float(draw(st.integers(0, 300))),
        post_flight_min=float(draw(st.integers(0, 120))),
        duty_limit_h=draw(st.sampled_from([0.5, 4.0, 8.0, 12.0, 16.0, 24.0, 48.0])),
        ground_time_min=draw(st.one_of(st.none(), st.integers(0, 1440).map(float))),
        ground_mode=draw(st.sampled_from(["normal", "expedited", "ero"])),
    )
    moved = replace(base_input, departure_utc=dep, not_before_utc=slots, options=opts)
    return base_input, base, moved


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(retimings())
def test_retime_equals_a_full_plan(case: tuple[MissionInput, MissionPlan, MissionInput]) -> None:
    base_input, base, moved = case
    fast, full = retime(base, base_input, moved), plan(moved)
    broken = {v.limit for v in full.violations}
    for name in sorted(TIME_LIMITS):
        event(f"{name} broken" if name in broken else f"{name} kept")
    assert fast.legs == full.legs  # times, every limit, binding limit and margin
    assert fast.violations == full.violations
    assert fast == full  # and the duty day, departure, warnings


def test_retime_moves_times_and_finds_what_breaks() -> None:
    """Not a copy of the base: the reference circuit 10 h later, the crew having shown at
    the planned time, lands after dark at Tessalit (daylight only) and overruns its duty
    day; a full plan says the same."""
    base_input, base = real_missions()[-3]
    assert base.feasible
    late = replace(
        base_input,
        departure_utc=base_input.departure_utc + timedelta(hours=10),
        options=replace(base_input.options, pre_flight_min=base_input.options.pre_flight_min + 600),
    )
    fast = retime(base, base_input, late)
    assert fast.legs[0].etd_utc == base.legs[0].etd_utc + timedelta(hours=10)
    assert {LimitName.DAYLIGHT, LimitName.DUTY} <= {v.limit for v in fast.violations}
    assert fast == plan(late)


def test_retime_of_another_mission_is_a_full_plan() -> None:
    """A change beyond times (a load) is not re-timed: the base says nothing about it."""
    base_input, base = real_missions()[-3]
    heavier = replace(base_input, loads=(Load(15_000, 4, 30), *base_input.loads[1:]))
    assert time_free_key(heavier) != time_free_key(base_input)
    assert retime(base, base_input, heavier) == plan(heavier)
    assert retime(base, base_input, heavier).legs[0].tow_kg > base.legs[0].tow_kg


def test_the_cache_retimes_what_it_has_seen_and_plans_the_rest() -> None:
    base_input, base = real_missions()[-3]
    cache = PlanCache(size=2)
    assert cache.plan(base_input) == base
    later = replace(base_input, departure_utc=base_input.departure_utc + timedelta(hours=2))
    assert cache.plan(later) == plan(later)
    other = replace(base_input, loads=(Load(), *base_input.loads[1:]))
    assert cache.plan(other) == plan(other)
    assert (cache.planned, cache.retimed) == (2, 1)


def test_the_cache_forgets_the_oldest_beyond_its_size() -> None:
    cache = PlanCache(size=1)
    (a, _), (b, _) = real_missions()[-3:-1]
    cache.plan(a)
    cache.plan(b)
    cache.plan(a)
    assert (cache.planned, cache.retimed) == (3, 0)


def test_a_cache_of_size_zero_plans_everything() -> None:
    base_input, base = real_missions()[-3]
    cache = PlanCache(size=0)
    assert cache.plan(base_input) == base
    assert cache.plan(base_input) == base
    assert (cache.planned, cache.retimed) == (2, 0)


@pytest.mark.parametrize("hours", [-1000 * 24 * 366])
def test_retime_refuses_what_plan_refuses(hours: int) -> None:
    """A departure outside the planning horizon is an input error either way."""
    base_input, base = real_missions()[-3]
    far = replace(base_input, departure_utc=base_input.departure_utc + timedelta(hours=hours))
    with pytest.raises(Exception) as full:
        plan(far)
    with pytest.raises(type(full.value)):
        retime(base, base_input, far)
