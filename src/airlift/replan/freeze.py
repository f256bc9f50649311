"""The freeze step of a re-plan: missions under way or about to leave keep their times.

A mission that has started, or starts within the freeze horizon, or has a delayed leg, is
planned again whole by the mission planner at its times, under the conditions it was
planned in (a delay moves its leg and those after it; a duty reset lets the day run longer
by the first crew's hours), and checked under the conditions after the events (what it now
breaks is a warning). An event cuts it: from the first leg not yet off the blocks at "now"
that an unserviceable tail or a closed airfield forbids, its legs are cancelled, and the
lifts then on board are stranded where it stops. See :mod:`airlift.replan.replanner`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from airlift.errors import AirliftError, FieldError
from airlift.mission import Load, MissionPlan, plan
from airlift.replan.apply import Applied, unserviceable_at
from airlift.replan.baseline import BaseMission
from airlift.replan.diff import MissionChange
from airlift.replan.events import Delay
from airlift.scheduling.checker import mission_input
from airlift.scheduling.inputs import FleetTail
from airlift.scheduling.model import PRE_POST_FLIGHT_MIN, AirfieldWindow, AirliftModel
from airlift.scheduling.programme import LiftOnBoard, Mission


@dataclass
class State:
    """What the freeze and keep steps decide, for the pool step and the answer."""

    forced: set[str]
    missions: list[tuple[Mission, MissionChange]] = field(default_factory=list)
    busy: dict[tuple[str, int], datetime | None] = field(default_factory=dict)
    """(tail, day) of each frozen mission -> when a fresh crew may fly again (None: no)."""
    carried: set[int] = field(default_factory=set)
    """Lifts on frozen missions."""
    stranded: set[int] = field(default_factory=set)
    dropped: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def delayed(
    missions: Sequence[BaseMission], delays: Sequence[Delay], now: datetime
) -> dict[int, dict[int, float]]:
    """Base mission index -> {0-based leg: minutes late}."""
    out: dict[int, dict[int, float]] = {}
    for d in delays:
        own = sorted((m for m in missions if m.tail == d.tail), key=lambda m: m.starts)
        if d.day is not None:
            pick = next((m for m in own if m.day == d.day - 1), None)
            where = f"on day {d.day}"
        else:
            pick = next((m for m in own if m.ends > now), None)
            where = "not yet landed at now"
        if pick is None:
            raise FieldError(
                "event", f"event 'delay {d.tail}:{d.leg}': {d.tail} has no mission {where}"
            )
        if d.leg > len(pick.legs):
            raise FieldError(
                "event",
                f"event 'delay {d.tail}:{d.leg}': the mission of {d.tail} on day {pick.day + 1} "
                f"has {len(pick.legs)} legs",
            )
        legs = out.setdefault(pick.index, {})
        legs[d.leg - 1] = legs.get(d.leg - 1, 0.0) + d.minutes
    return out


def _cut(m: BaseMission, applied: Applied, now: datetime) -> tuple[int, str]:
    """How many legs of a frozen mission still fly, and why the rest do not ("")."""
    for k, leg in enumerate(m.legs):
        if leg.out_utc < now:
            continue  # off the blocks already: it flies
        if unserviceable_at(applied, m.tail, leg.out_utc, leg.in_utc):
            return k, f"{m.tail} unserviceable"
        for c in applied.closures:
            if c.icao == leg.origin and c.from_utc <= leg.off_utc < c.until_utc:
                return k, f"{c.icao} closed"
            if c.icao == leg.destination and c.from_utc <= leg.on_utc < c.until_utc:
                return k, f"{c.icao} closed"
    return len(m.legs), ""


def _on_board(lifts: Sequence[LiftOnBoard], legs: int) -> list[Load]:
    return [
        Load(
            sum(x.cargo_kg for x in lifts if x.pickup_leg <= k <= x.delivery_leg),
            sum(x.pallets for x in lifts if x.pickup_leg <= k <= x.delivery_leg),
            sum(x.pax for x in lifts if x.pickup_leg <= k <= x.delivery_leg),
        )
        for k in range(legs)
    ]


def _frozen_plan(
    model: AirliftModel,
    tail: FleetTail,
    m: BaseMission,
    legs: int,
    late: Mapping[int, float],
    duty_from: datetime | None,
    windows: Sequence[AirfieldWindow] = (),
) -> MissionPlan:
    """A frozen mission planned again at its times, as a whole (fuel for all of it was on
    board), then cut to its first ``legs`` legs; a late leg leaves that much later (and
    those after it when they must)."""
    slots: list[datetime | None] = [
        leg.out_utc + timedelta(minutes=late.get(k, 0.0)) for k, leg in enumerate(m.legs)
    ]
    first = slots[0]
    assert first is not None
    pre = PRE_POST_FLIGHT_MIN * 0.75
    limit = tail.duty_limit_h
    if duty_from is not None:
        # A fresh crew from then: the duty limit holds from the reset, so the day may run
        # longer by the hours the first crew was on duty.
        limit += max(0.0, (duty_from - first).total_seconds() / 3600.0 + pre / 60.0)
    loads = _on_board(m.lifts, len(m.legs))
    span = (m.starts, m.ends)
    changes = [(w.icao, w.override) for w in windows if w.overlaps(span)]
    p = plan(mission_input(model, tail, m.route, loads, slots, pre, limit, changes))
    if legs == len(p.legs):
        return p
    kept = p.legs[:legs]
    return replace(
        p,
        legs=kept,
        violations=tuple(v for v in p.violations if v.leg < legs),
        duty_end_utc=kept[-1].eta_utc + (p.duty_end_utc - p.legs[-1].eta_utc),
    )


def _frozen_mission(
    m: BaseMission, tail: FleetTail, plan_: MissionPlan, legs: int
) -> tuple[Mission, list[LiftOnBoard]]:
    """The frozen mission, and its lifts stranded on board where it was cut."""
    carried = tuple(x for x in m.lifts if x.delivery_leg < legs)
    stranded = [x for x in m.lifts if x.pickup_leg < legs <= x.delivery_leg]
    mission = Mission(
        tail.registration,
        tail.type.designator,
        tail.nation,
        m.day,
        replace(plan_, tail=tail.registration),
        carried,
    )
    return mission, stranded


def shift_min(m: BaseMission, p: MissionPlan) -> float:
    if [leg.origin for leg in p.legs] != [leg.origin for leg in m.legs]:
        return 0.0
    return max(
        abs((new.etd_utc - old.out_utc).total_seconds()) / 60.0
        for new, old in zip(p.legs, m.legs, strict=True)
    )


def freeze(
    state: State,
    base: Sequence[BaseMission],
    applied: Applied,
    planned: AirliftModel,
    model: AirliftModel,
    index: Mapping[str, int],
    late: Mapping[int, Mapping[int, float]],
    now: datetime,
    freeze_until: datetime,
) -> list[BaseMission]:
    """Plan the frozen missions again at their times (cut where an event forbids their
    legs) under the conditions they were planned in (``planned``): a leg flies as its crew
    planned it. Each is also checked under the conditions after the events (``model``: fuel
    withdrawn, hours changed), and what it now breaks is a warning. Returns the missions
    that are not frozen."""
    tails = {t.registration: t for t in applied.fleet}
    free: list[BaseMission] = []
    for m in base:
        if m.starts >= freeze_until and m.index not in late:
            free.append(m)
            continue
        legs, why = _cut(m, applied, now)
        resets = sorted(r.at_utc for r in applied.duty_resets if r.tail == m.tail)
        duty_from = next((r for r in resets if m.starts <= r < m.ends), None)
        # After a duty reset that day, a fresh crew may fly the tail again once it is back.
        fresh = next((r for r in resets if m.starts <= r < m.starts + timedelta(days=1)), None)
        state.busy[(m.tail, m.day)] = max(fresh, m.ends) if fresh is not None else None
        state.forced.update(x.request_ref for x in m.lifts if x.pickup_leg >= legs)
        name = f"mission of {m.tail} on day {m.day + 1}"
        if legs == 0:
            state.warnings.append(f"{name} cancelled: {why}")
            continue
        delays = late.get(m.index, {})
        try:
            p = _frozen_plan(planned, tails[m.tail], m, legs, delays, duty_from)
        except AirliftError as exc:  # a delay past the horizon: the mission as planned
            state.warnings.append(f"frozen {name}: delay or duty reset not applied ({exc})")
            delays, duty_from = {}, None
            p = _frozen_plan(planned, tails[m.tail], m, legs, delays, duty_from)
        now_plan = p
        if model is not planned:
            try:
                now_plan = _frozen_plan(
                    model, tails[m.tail], m, legs, delays, duty_from, applied.windows
                )
            except AirliftError as exc:
                state.warnings.append(f"frozen {name} cannot be planned now: {exc}")
        mission, stranded = _frozen_mission(m, tails[m.tail], p, legs)
        state.carried.update(
            index[x.lift_id] for x in m.lifts if x.pickup_leg < legs and x.lift_id in index
        )
        for x in stranded:
            state.forced.add(x.request_ref)
            if x.lift_id in index:
                state.stranded.add(index[x.lift_id])
                state.dropped[index[x.lift_id]] = (
                    f"stranded at {m.route[legs]}: the {name} stops there ({why})"
                )
        if legs < len(m.legs):
            state.warnings.append(f"{name} stops at {m.route[legs]} after leg {legs}: {why}")
        state.warnings += [f"frozen {name} now breaks: {v.message}" for v in now_plan.violations]
        state.missions.append((mission, MissionChange("frozen", m.index, shift_min(m, p))))
    return free
