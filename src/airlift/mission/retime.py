"""Re-timing a planned mission: the same mission at other off-block times, checked again.

A delay moves a mission's times, not its route, loads, fuel or weights. :func:`retime`
takes a plan made by :func:`~airlift.mission.planner.plan` and the mission at its new
times, keeps every figure that does not read a time, and works out again everything that
does: each leg's off-block, take-off, landing and on-block (the same clock as the planner,
``mission.clock``), and the time limits (``limits.time_limits``: daylight and opening hours
at each take-off and landing, the crew's duty day), then each leg's binding limit and the
plan's violations and duty day. The answer equals ``plan`` of the re-timed mission
(``tests/mission/test_retime.py`` proves it on random re-timings of real missions).

Why this is sound: in ``plan`` only the clock and :data:`~airlift.mission.result.TIME_LIMITS`
read ``departure_utc``, ``not_before_utc`` or the options that only move times
(:data:`TIME_OPTIONS`); fuel availability is a yes or no per airfield, weather a value per
airfield, not a time window. A mission that differs in anything else is planned in full.
The clearances (``mission.airspace``) read the legs' times: they are worked out again. Zones
with an activity window make the route itself depend on the times: such a mission is planned
in full.

:class:`PlanCache` holds plans by everything but their times, so a mission seen before at
other times (the plan-against-actual re-check) is re-timed rather than planned again.
"""

from __future__ import annotations

import threading
from dataclasses import fields, replace
from datetime import UTC, timedelta
from typing import Any

from airlift.mission.clock import duty_start, ground_min, leg_clock, next_off_block, taxi_out_min
from airlift.mission.conditions import minutes, zone
from airlift.mission.inputs import MissionInput, Options, check_input
from airlift.mission.limits import binding, time_limits
from airlift.mission.planner import plan, violations, with_clearances
from airlift.mission.result import TIME_LIMITS, Leg, MissionPlan

TIME_INPUTS = frozenset({"departure_utc", "not_before_utc"})
"""The fields of a :class:`MissionInput` that only set times."""
TIME_OPTIONS: dict[str, Any] = {
    "pre_flight_min": 0.0,
    "post_flight_min": 0.0,
    "duty_limit_h": Options().duty_limit_h,
    "ground_time_min": None,
    "ground_mode": "normal",
}
"""The :class:`Options` that only move times or the duty limit, each with the neutral value
it takes in :func:`time_free_key`."""


def time_free_key(m: MissionInput) -> tuple[object, ...]:
    """Everything of ``m`` but its times, hashable: two missions with the same key have the
    same route, fuel, weights, runways and warnings. Every field of the input counts except
    :data:`TIME_INPUTS` and :data:`TIME_OPTIONS` (a field added later counts too)."""
    parts: list[object] = []
    for f in fields(MissionInput):
        if f.name in TIME_INPUTS:
            continue
        value = getattr(m, f.name)
        if f.name == "weather":
            value = tuple(sorted(value.items()))
        elif f.name == "options":
            value = replace(value, **TIME_OPTIONS)
        parts.append(value)
    return tuple(parts)


def retime(base: MissionPlan, base_input: MissionInput, m: MissionInput) -> MissionPlan:
    """``plan(m)``, from ``base = plan(base_input)``: the same mission at other times.

    When ``m`` differs from ``base_input`` in more than its times (:func:`time_free_key`)
    the base says nothing about it, and ``m`` is planned in full. Raises what ``plan(m)``
    raises (a departure outside the planning horizon, a slot count that does not fit)."""
    if time_free_key(m) != time_free_key(base_input) or len(base.legs) != len(m.stops) - 1:
        return plan(m)
    if m.airspace is not None and any(z.from_utc or z.until_utc for z in m.airspace.zones):
        return plan(m)  # zones open and close: other times may route the legs otherwise
    check_input(m)
    opts = m.options
    turnaround, taxi_out, show = ground_min(m), taxi_out_min(m), duty_start(m)
    etd = m.departure_utc.astimezone(UTC)
    out: list[Leg] = []
    for i, old in enumerate(base.legs):
        takeoff, landing, eta = leg_clock(m, etd, taxi_out, old.flight_time_min)
        origin, dest = m.stops[i], m.stops[i + 1]
        limits = [lim for lim in old.limits if lim.name not in TIME_LIMITS]
        limits += time_limits(opts, origin, dest, takeoff, landing, eta, show)
        bind = binding(limits)
        out.append(
            replace(
                old,
                block_time_min=minutes(eta - etd),
                etd_utc=etd,
                takeoff_utc=takeoff,
                landing_utc=landing,
                eta_utc=eta,
                etd_local=etd.astimezone(zone(origin.tz)),
                eta_local=eta.astimezone(zone(dest.tz)),
                limits=tuple(limits),
                binding_limit=bind.name,
                margin=bind.margin,
                margin_unit=bind.unit,
            )
        )
        etd = next_off_block(m, i, eta, turnaround)
    out, clearances = with_clearances(m, out)
    return replace(
        base,
        departure_utc=m.departure_utc.astimezone(UTC),
        legs=tuple(out),
        clearances=clearances,
        violations=violations(out),
        duty_start_utc=show,
        duty_end_utc=out[-1].eta_utc + timedelta(minutes=opts.post_flight_min),
    )


class PlanCache:
    """Plans of missions by :func:`time_free_key`: ``plan`` re-times a mission seen before
    at other times (:func:`retime`) and plans the others in full. Holds at most ``size``
    missions (the oldest go first); safe to share between threads."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self.retimed = 0
        """Missions answered by :func:`retime`."""
        self.planned = 0
        """Missions planned in full."""
        self._plans: dict[tuple[object, ...], tuple[MissionInput, MissionPlan]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every plan (the counts stay)."""
        with self._lock:
            self._plans.clear()

    def plan(self, m: MissionInput) -> MissionPlan:
        """``mission.plan(m)``, re-timed from a plan of the same mission when there is one."""
        try:
            key = time_free_key(m)
            hash(key)
        except TypeError:  # an unhashable value in the input: plan it, keep nothing
            self.planned += 1
            return plan(m)
        with self._lock:
            seen = self._plans.get(key)
        if seen is not None:
            self.retimed += 1
            return retime(seen[1], seen[0], m)
        result = plan(m)
        self.planned += 1
        if self.size <= 0:
            return result
        with self._lock:
            if len(self._plans) >= self.size:
                del self._plans[next(iter(self._plans))]
            self._plans[key] = (m, result)
        return result
