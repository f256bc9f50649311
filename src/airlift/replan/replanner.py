"""Re-planning a programme after disruption events, changing as little as possible.

From the current programme (its document), the inputs it was drawn from, the events and the
time "now":

1. **Events applied** to the inputs (:mod:`airlift.replan.apply`) and the model built again
   with them (closures per tail-day).
2. **Freeze.** A mission that has started, or starts within the freeze horizon (default
   2 h), or has a delayed leg, keeps its route, loads and times: its crew is briefed, its
   loads are built up. The unit is the mission (one tail's duty day), so the legs of a
   mission under way stay as they are too. It is planned again whole by the mission
   planner at its times, under the conditions it was planned in (a delay moves its leg and
   those after it; a duty reset lets the day run longer by the first crew's hours), and
   checked under the new ones (what it now breaks is a warning). An event cuts it: from the
   first leg not yet off the blocks at "now" that an unserviceable tail or a closed airfield
   forbids, its legs are cancelled; a lift then on board is stranded where the aircraft
   stops (unmet, with the reason). A duty reset frees the tail-day again once it is back.
3. **Keep.** Every other mission of the programme is checked again as it is, by the
   mission planner (:class:`~airlift.scheduling.checker.Checker`), without the lifts of
   cancelled or changed requests, leaving no earlier than it was planned to (the programme
   may have re-timed it out of a MOG clash): it is kept when it passes, repaired by
   dropping lifts when not, and cancelled when its tail-day is gone (unserviceable tail,
   closed home base).
4. **Pool.** Lifts not carried (dropped, released, new, or unmet before) go first to the
   engine on the tail-days no mission uses (:data:`IDLE_SHARE` of the time limit), then to
   the cheapest feasible place in any mission not frozen (required and urgent first; only
   optional lifts are bumped: :func:`~airlift.scheduling.checker.reinsert`); a required
   request still on the ground is split again for smaller types
   (:func:`~airlift.scheduling.checker.resplit`); MOG clashes are re-timed, else settled.
   If required lifts are still left, the engine runs once more over every tail not frozen,
   warm-started from this programme, and its answer is taken only if it serves more
   required requests.

So the objective order is the issue's: required requests first (the pool is served most
important first, on idle tails before busy ones, and the warm pass may move anything to
serve more), then fewest changes (a mission that still passes is not touched unless a
pooled lift joins it), then the usual objective (the engine's and the insertion's flying
minutes). ``from_scratch`` keeps the frozen past and solves everything else from nothing:
the full re-solve to compare with.

Every mission is checked by the mission planner, frozen ones included.

The time limit is wall-clock for the whole call, as the scheduler's is: the engine passes
leave the checks after them the time the kept missions' checks say they need
(:data:`AFTER_ENGINE_SHARE` at least); an engine route still unchecked at the limit is not
flown, the unmet requests' reasons past it skip the check alone, and ``cut_short`` says so.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from airlift.errors import FieldError
from airlift.replan.apply import apply_events
from airlift.replan.baseline import BaseMission, read_baseline, replanned_at
from airlift.replan.diff import RETIME_MIN, MissionChange, programme_diff
from airlift.replan.events import Event, event_dict
from airlift.replan.freeze import State, delayed, freeze, shift_min
from airlift.scheduling import engines
from airlift.scheduling.checker import (
    Checked,
    Checker,
    Visit,
    check_routes,
    reinsert,
    resplit,
    settle_mog,
)
from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
from airlift.scheduling.lifts import split_in
from airlift.scheduling.model import AirliftModel, build
from airlift.scheduling.outcome import mission_of, programme_kpis, request_statuses
from airlift.scheduling.problem import Problem, Solution, SolveOptions
from airlift.scheduling.programme import Programme
from airlift.scheduling.scenario_airfields import scenario_airfields
from airlift.scheduling.scheduler import FINAL_SHARE, after_engine_s

DEFAULT_HORIZON = timedelta(hours=2)
"""Missions starting this soon after "now" are frozen."""
MIN_WINDOW = timedelta(minutes=30)
"""A tail-day with less of its flying window left after "now" + the horizon is not used."""
IDLE_SHARE = 0.5
"""Share of the time left for the engine on idle tails; the rest is for the engine over
every tail, warm from the programme, when required lifts are still left."""
AFTER_ENGINE_SHARE = 0.2
"""Least share of the limit the engine passes leave for the checks after them (their routes,
the placing, MOG, the unmet requests' reasons); more when those are measured to need it
(:func:`~airlift.scheduling.scheduler.after_engine_s`). Less than the scheduler's 35 %: a
re-plan's re-insertion has a small fixed budget (:data:`REINSERT_BUDGET`), so time kept for
it is time the engine does not use: with 35 %, 3 s re-plans of the 500-request week ended in
2.4 s. With 10 %, a 3 s re-plan of 25 requests on 4 tails cut its last re-splitting short."""
REINSERT_BUDGET = 400
"""Mission checks for placing pooled lifts into missions (a count, so a seed fixes the
answer on any machine); the engine has already placed what fits on idle tails."""


@dataclass(frozen=True)
class Replan:
    """A proposed programme and how it differs from the one it replaces."""

    programme: Programme
    changes: tuple[MissionChange, ...]
    """Per mission of ``programme``: frozen, kept, changed or new, and how far re-timed."""
    base_document: Mapping[str, Any]
    events: tuple[Event, ...]
    now_utc: datetime
    horizon: timedelta
    engine_seconds: float
    warnings: tuple[str, ...]
    forced_refs: frozenset[str]
    """Requests that had to move: on a mission an event cancelled or cut, or changed."""

    def document(self) -> dict[str, Any]:
        """The programme document (as ``airlift schedule --json`` writes it, with its
        ``solve_seconds``) with the ``diff`` against the old one (:mod:`airlift.replan.diff`),
        a ``replan`` block (now, horizon, events, engine time, warnings) and each mission's
        ``replan`` state."""
        from airlift.export.programme import programme_document

        doc = programme_document(self.programme)
        for m, change in zip(doc["missions"], self.changes, strict=True):
            m["replan"] = {"state": change.state, "retimed_min": round(change.retimed_min, 1)}
        doc["diff"] = programme_diff(self.base_document, doc, self.forced_refs)
        doc["replan"] = {
            "now_utc": f"{self.now_utc:%Y-%m-%dT%H:%M:%SZ}",
            "horizon_min": round(self.horizon.total_seconds() / 60.0, 1),
            "events": [event_dict(e) for e in self.events],
            "engine_seconds": round(self.engine_seconds, 3),
            "frozen_missions": sum(c.state == "frozen" for c in self.changes),
            "warnings": list(self.warnings),
        }
        return doc


def _check_now(document: Mapping[str, Any], now: datetime, flown_until: datetime | None) -> None:
    for when, what in (
        (replanned_at(document), "the programme was re-planned at"),
        (flown_until, "a leg was reported flown at"),
    ):
        if when is not None and now < when:
            raise FieldError(
                "now_utc",
                f"now ({now:%Y-%m-%dT%H:%MZ}) lies before an already flown leg: {what} "
                f"{when:%Y-%m-%dT%H:%MZ}",
            )


def _visits(m: BaseMission, index: Mapping[str, int]) -> tuple[tuple[Visit, ...], int]:
    """The mission's lifts as the checker's visit sequence (those still in the model), and
    how many of its lifts are not."""
    visits: list[Visit] = []
    missing = 0
    for k in range(len(m.legs) + 1):
        for x in m.lifts:
            if x.delivery_leg + 1 == k and x.lift_id in index:
                visits.append((index[x.lift_id], False))
        for x in m.lifts:
            if x.pickup_leg == k:
                if x.lift_id in index:
                    visits.append((index[x.lift_id], True))
                else:
                    missing += 1
    return tuple(visits), missing


def _restrict(
    model: AirliftModel, start: datetime, busy: Mapping[tuple[str, int], datetime | None]
) -> AirliftModel:
    """The model without tail-days taken by frozen missions (a ``busy`` value: free again
    from then, after a duty reset), each flying window starting no earlier than ``start``."""
    tail_days, vehicles = [], []
    for td, vt in zip(model.tail_days, model.problem.vehicle_types, strict=True):
        key = (td.tail.registration, td.day)
        opens = max(td.window[0], start)
        if key in busy:
            free = busy[key]
            if free is None:
                continue
            opens = max(opens, free)
        if opens >= td.window[1] - MIN_WINDOW:
            continue
        tail_days.append(replace(td, window=(opens, td.window[1])))
        vehicles.append(replace(vt, tw=(max(vt.tw[0], model.minutes(opens) + 1), vt.tw[1])))
    return replace(
        model,
        tail_days=tuple(tail_days),
        problem=replace(model.problem, vehicle_types=tuple(vehicles)),
    )


def _pool_on_idle_tails(
    model: AirliftModel,
    checker: Checker,
    checked: dict[int, Checked],
    dropped: dict[int, str],
    pool: list[int],
    options: SolveOptions,
    engine: str,
) -> Solution | None:
    """The engine routes the pooled lifts over the tail-days no mission uses; each route
    is checked and repaired. Returns the engine's answer (None: nothing to route)."""
    idle = [v for v in range(len(model.tail_days)) if v not in checked]
    if not pool or not idle:
        return None
    p = model.problem
    sub = Problem(
        p.num_locations,
        p.distance,
        p.duration,
        tuple(p.vehicle_types[v] for v in idle),
        tuple(p.shipments[i] for i in pool),
        p.coords,
        p.scale,
        p.names,
    )
    solution = engines.solve(sub, options, engine)
    routes = {
        idle[r.vehicle_type]: tuple((pool[s.shipment], s.pickup) for s in r.stops)
        for r in solution.routes
    }
    check_routes(checker, routes, checked, dropped)
    return solution


def _keep(
    state: State,
    model: AirliftModel,
    checker: Checker,
    free: Sequence[BaseMission],
    index: Mapping[str, int],
) -> tuple[dict[int, Checked], dict[int, tuple[BaseMission, tuple[Visit, ...]]]]:
    """Each mission not frozen checked again as it is (repaired by dropping lifts if it
    no longer passes); its vehicle -> the check, and -> (the old mission, its old visits)."""
    vehicle = {(td.tail.registration, td.day): v for v, td in enumerate(model.tail_days)}
    checked: dict[int, Checked] = {}
    origin: dict[int, tuple[BaseMission, tuple[Visit, ...]]] = {}
    for m in free:
        v = vehicle.get((m.tail, m.day))
        if v is None:
            state.forced.update(x.request_ref for x in m.lifts)
            state.warnings.append(
                f"mission of {m.tail} on day {m.day + 1} cancelled: the tail-day is gone "
                "(unserviceable tail, closed home base, or no flying window left)"
            )
            continue
        visits, missing = _visits(m, index)
        # No earlier than it was planned: the programme may have re-timed it out of a MOG
        # clash, which re-planning it from its loads' times alone would bring back.
        checker.not_before[v] = m.starts
        result, removed = checker.repair(v, visits)
        state.dropped.update(removed)
        state.forced.update(model.lifts[i].request.ref for i in removed)
        if result.visits:
            checked[v] = result
            origin[v] = (m, visits if not missing else ())
    return checked, origin


def _place(
    model: AirliftModel,
    checker: Checker,
    checked: dict[int, Checked],
    dropped: dict[int, str],
    settled: set[int],
) -> AirliftModel:
    """Pooled lifts into any mission that takes them (a required request left on the
    ground split again for smaller types), then MOG settled; returns the model with the
    lifts that flew. A MOG clash the placing causes costs the placed lifts, not those the
    missions carried before (the no-event re-plan once lost a required request that way)."""
    carried = {i for c in checked.values() for i, _ in c.visits}
    settle_mog(model, checker, checked, dropped, carried)
    reinsert(model, checker, checked, dropped, REINSERT_BUDGET, settled, bump_required=False)
    model = resplit(model, checker, checked, REINSERT_BUDGET, settled)
    settle_mog(model, checker, checked, dropped, carried)
    return model


def _as_split(
    model: AirliftModel, base: Sequence[BaseMission], changed: frozenset[str]
) -> AirliftModel:
    """The model with each unchanged request in as many lifts as the programme carries it
    (a request the scheduler split again for a smaller type: ``checker.resplit``)."""
    ids: dict[str, list[int]] = {}
    for i, lift in enumerate(model.lifts):
        ids.setdefault(lift.request.ref, []).append(i)
    count: dict[str, int] = {}
    for m in base:
        for x in m.lifts:
            found = re.search(r"#\d+/(\d+)$", x.lift_id)
            count[x.request_ref] = int(found[1]) if found else 1
    for ref, n in count.items():
        if ref in changed or ref not in ids or len(ids[ref]) == n or not 0 < n <= 99:
            continue
        model = model.with_lifts(split_in(model.lifts[ids[ref][0]].request, n), ids[ref])
    return model


def _required_served(
    model: AirliftModel, checked: Mapping[int, Checked], settled: set[int]
) -> set[str]:
    """Required requests every lift of which is carried."""
    on = settled | {i for c in checked.values() for i, _ in c.visits}
    short = set()
    for i, lift in enumerate(model.lifts):
        if i not in model.superseded and i not in on:
            short.add(lift.request.ref)
    return {x.request.ref for x in model.lifts if not x.request.optional} - short


def _required_left(model: AirliftModel, checked: Mapping[int, Checked], settled: set[int]) -> bool:
    """Some required lift is neither carried nor settled (stranded, frozen)."""
    on = settled | model.superseded | {i for c in checked.values() for i, _ in c.visits}
    return any(not x.request.optional and i not in on for i, x in enumerate(model.lifts))


def _warm_pass(
    model: AirliftModel,
    checker: Checker,
    checked: dict[int, Checked],
    settled: set[int],
    options: SolveOptions,
    engine: str,
) -> tuple[AirliftModel, dict[int, Checked], dict[int, str], Solution | None]:
    """The engine on every lift not settled over every tail-day left, started from the
    checked missions; each route checked and repaired, then the pool placed again."""
    p = model.problem
    lifts = [i for i in range(len(model.lifts)) if i not in settled | model.superseded]
    if not lifts or not model.tail_days:
        return model, checked, {}, None
    sub_of = {i: k for k, i in enumerate(lifts)}
    sub = replace(p, shipments=tuple(p.shipments[i] for i in lifts))
    initial = tuple(
        (v, tuple((sub_of[i], pickup) for i, pickup in c.visits)) for v, c in checked.items()
    )
    solution = engines.solve(sub, replace(options, initial=initial), engine)
    routes = {
        r.vehicle_type: tuple((lifts[s.shipment], s.pickup) for s in r.stops)
        for r in solution.routes
    }
    found: dict[int, Checked] = {}
    dropped: dict[int, str] = {}
    check_routes(checker, routes, found, dropped)
    model = _place(model, checker, found, dropped, settled)
    return model, found, dropped, solution


def replan(
    document: Mapping[str, Any],
    requests: tuple[MovementRequest, ...],
    fleet: tuple[FleetTail, ...],
    scenario: Scenario,
    events: Sequence[Event],
    now: datetime,
    horizon: timedelta = DEFAULT_HORIZON,
    time_limit_s: float = 1.0,
    seed: int = 0,
    engine: str = "pyvrp",
    flown_until: datetime | None = None,
    from_scratch: bool = False,
) -> Replan:
    """A new programme from ``document`` (the current one, drawn from ``requests``,
    ``fleet`` and ``scenario``) after ``events`` at time ``now`` (see the module docstring).
    ``flown_until``: the latest time a leg was reported flown (a "now" before it is
    refused). Raises FieldError for an event naming something unknown or a "now" before a
    flown leg."""
    started = time.perf_counter()
    deadline = started + time_limit_s
    options = SolveOptions(time_limit_s, seed)  # checks them
    if horizon < timedelta(0) or horizon > timedelta(days=2):
        raise FieldError("horizon", f"the freeze horizon must be 0 to 48 h, got {horizon}")
    _check_now(document, now, flown_until)
    base = read_baseline(document)
    applied = apply_events(events, requests, fleet, scenario)
    tails = {t.registration: t for t in applied.fleet}
    for m in base:
        if m.tail not in tails:
            raise FieldError("fleet", f"the programme's tail {m.tail} is not in the fleet")
    late = delayed(base, applied.delays, now)
    full = _as_split(
        build(applied.requests, applied.fleet, applied.scenario, applied.closures, applied.windows),
        base,
        applied.changed_refs,
    )
    index = {lift.id: i for i, lift in enumerate(full.lifts) if i not in full.superseded}
    freeze_until = now + horizon

    state = State(forced=set(applied.changed_refs))
    planned = full
    if applied.scenario.overrides != scenario.overrides or applied.windows:  # airfields changed
        airfields = scenario_airfields(scenario, requests, fleet)
        planned = replace(full, scenario=scenario, airfields=airfields)
    free = freeze(state, base, applied, planned, full, index, late, now, freeze_until)
    model = _restrict(full, freeze_until, state.busy)
    # The improving steps stop a little before the limit, as the scheduler's do.
    checker = Checker(model, deadline - FINAL_SHARE * time_limit_s)
    kept_from = time.perf_counter()
    checked, origin = _keep(state, model, checker, [] if from_scratch else free, index)
    # What the engine passes leave of the limit for the checks after them (their routes, the
    # placing, MOG, the unmet requests' reasons), measured as the scheduler measures it; the
    # missions kept were checks enough to time one.
    kept_checks = checker.evaluations
    per_check = (time.perf_counter() - kept_from) / kept_checks if kept_checks >= 16 else None
    reserve = after_engine_s(checker, time_limit_s, AFTER_ENGINE_SHARE, per_check)
    if from_scratch:
        state.forced.update(x.request_ref for m in free for x in m.lifts)

    # 4. The pool: idle tails first, then any mission not frozen; then MOG.
    settled = state.carried | state.stranded
    served = settled | {i for c in checked.values() for i, _ in c.visits}
    pool = [i for i in range(len(model.lifts)) if i not in served | model.superseded]
    left = deadline - reserve - time.perf_counter()
    engine_options = replace(options, time_limit_s=max(0.1, left * IDLE_SHARE))
    dropped = state.dropped
    solved = [_pool_on_idle_tails(model, checker, checked, dropped, pool, engine_options, engine)]
    model = _place(model, checker, checked, dropped, settled)
    # Required lifts still left: the engine over every tail not frozen, warm from this
    # programme; its answer replaces this one only if it carries more required lifts.
    left = deadline - reserve - time.perf_counter()
    if left > 0.05 and _required_left(model, checked, settled):
        # The engine may move any mission not frozen: "no earlier than planned" holds for the
        # kept missions' own re-checks, not for the warm pass's routes on their tail-days.
        held, checker.not_before = checker.not_before, {}
        warm_model, warm_checked, warm_dropped, warm = _warm_pass(
            model, checker, checked, settled, replace(options, time_limit_s=left), engine
        )
        solved.append(warm)
        # Taken only if it serves every required request this answer serves, and more: a
        # re-plan that trades a promised lift for two others breaks a promise (the no-event
        # re-plan lost R005 that way).
        if _required_served(warm_model, warm_checked, settled) > _required_served(
            model, checked, settled
        ):
            model, checked = warm_model, warm_checked
            dropped.update(warm_dropped)
        else:
            checker.not_before = held
        checker.model = model

    missions = state.missions
    for v, c in checked.items():
        if c.plan is None or not c.visits:
            continue
        mission = mission_of(model, v, c)
        if v in origin:
            m, visits = origin[v]
            shift = shift_min(m, c.plan)
            # Kept: the same lifts at the same times. The warm pass may re-time a mission
            # whose lifts it left alone (its answer wins only by serving more required
            # lifts): that mission changed.
            same = c.visits == visits and abs(shift) <= RETIME_MIN
            missions.append((mission, MissionChange("kept" if same else "changed", m.index, shift)))
        else:
            missions.append((mission, MissionChange("new", None, 0.0)))
    missions.sort(key=lambda mc: (mc[0].tail, mc[0].day, mc[0].plan.departure_utc))
    done = tuple(m for m, _ in missions)
    statuses = request_statuses(model, done, dropped, checker, until=deadline)
    programme = Programme(
        scenario=applied.scenario.name,
        start_utc=applied.scenario.start_utc,
        days=applied.scenario.days,
        missions=done,
        requests=statuses,
        kpis=programme_kpis(model, done, statuses),
        engine=engine,
        solve_seconds=time.perf_counter() - started,
        objective=math.nan,  # no one engine objective: kept missions were never solved
        notes=tuple(f"{u.request.ref}: {u.reason}" for u in model.unservable),
        cut_short=checker.cut_short or any(s.cut_short for s in solved if s),
    )
    return Replan(
        programme=programme,
        changes=tuple(c for _, c in missions),
        base_document=document,
        events=tuple(events),
        now_utc=now,
        horizon=horizon,
        engine_seconds=sum(s.seconds for s in solved if s),
        warnings=tuple(state.warnings),
        forced_refs=frozenset(state.forced),
    )
