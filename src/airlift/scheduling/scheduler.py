"""Scheduling end to end: build the model, solve, decode missions, re-check, repair, explain.

The engine solves the generic problem; what it cannot see (exact fuel and weights per leg,
tankering, runway limits at the day's OAT, daylight at each strip, MOG) is checked here by
running the mission planner on every decoded mission. A mission that breaks any limit loses
lifts (lowest priority first) until it passes; dropped lifts are offered to other missions
and unused tail-days, each offer checked the same way. Nothing is reported feasible that the
mission planner would reject.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from airlift.mission.airspace import Airspace
from airlift.scheduling import engines
from airlift.scheduling.checker import Checked, Checker, Visit, reinsert, resplit, settle_mog
from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
from airlift.scheduling.model import build
from airlift.scheduling.outcome import mission_of, programme_kpis, request_statuses
from airlift.scheduling.problem import Solution, SolveOptions
from airlift.scheduling.programme import Programme

AFTER_ENGINE_SHARE = 0.2
"""Share of the time limit kept from the engine for what follows it: repairing its routes
with the mission planner, re-inserting unserved lifts, re-splitting, settling MOG clashes.
The improving steps among them stop just before the limit (``Checker.deadline``); the repairs that
make the programme feasible always finish."""
FINAL_SHARE = 0.05
"""Share of the limit left after the improving steps for the last checks and the answer."""


def schedule(
    requests: tuple[MovementRequest, ...],
    fleet: tuple[FleetTail, ...],
    scenario: Scenario,
    time_limit_s: float = 30.0,
    seed: int = 0,
    engine: str = "pyvrp",
    progress: Callable[[float, float], None] | None = None,
    iterations: int | None = None,
    airspace: Airspace | None = None,
) -> Programme:
    """Turn movement requests and a fleet into a checked flying programme.

    With ``iterations`` the engine stops after that many search iterations (or at the time
    limit, if first) and every later step is bounded by counts, not clocks, so a seed fixes
    the programme on any machine that finishes the iterations within the limit. The limit is
    wall-clock for the whole call: model, engine, mission checks; ``cut_short`` says when it
    stopped a step early."""
    started = time.perf_counter()
    deadline = started + time_limit_s
    SolveOptions(time_limit_s, seed, progress, iterations=iterations)  # checks them
    model = build(requests, fleet, scenario, airspace=airspace)
    solution = Solution((), True, engine, 0.0, 0.0)
    if model.lifts and model.tail_days:
        # The engine gets what the model left of the limit, less the share the mission
        # checks after it need (measured on the demo week: 15 % of a 10 s limit).
        engine_s = max(0.1, deadline - time.perf_counter() - AFTER_ENGINE_SHARE * time_limit_s)
        options = SolveOptions(engine_s, seed, progress, iterations=iterations)
        solution = engines.solve(model.problem, options, engine)
    routes: dict[int, tuple[Visit, ...]] = {
        r.vehicle_type: tuple((s.shipment, s.pickup) for s in r.stops) for r in solution.routes
    }
    # The improving steps stop a little before the limit: what follows them (MOG, the
    # missions and the request statuses) must still fit.
    checker = Checker(model, deadline - FINAL_SHARE * time_limit_s)
    dropped: dict[int, str] = {}
    checked: dict[int, Checked] = {}
    for v, visits in routes.items():
        result, removed = checker.repair(v, visits)
        dropped.update(removed)
        if result.visits:
            checked[v] = result
    settle_mog(model, checker, checked, dropped)
    budget = max(2_000, int(time_limit_s * 300))
    reinsert(model, checker, checked, dropped, budget)
    # A required request left on the ground, split again for smaller types where missions
    # take all of it (R009: 12 t for Tessalit, sized for a busy C-130H, in C295-sized lifts).
    model = resplit(model, checker, checked, budget)
    settle_mog(model, checker, checked, dropped)  # re-insertion does not see other tails
    missions = tuple(
        mission_of(model, v, c)
        for v, c in sorted(
            checked.items(),
            key=lambda kv: (model.tail_days[kv[0]].tail.registration, model.tail_days[kv[0]].day),
        )
        if c.plan is not None and c.visits
    )
    statuses = request_statuses(model, missions, dropped, checker)
    return Programme(
        scenario=scenario.name,
        start_utc=scenario.start_utc,
        days=scenario.days,
        missions=missions,
        requests=statuses,
        kpis=programme_kpis(model, missions, statuses),
        engine=solution.engine,
        solve_seconds=time.perf_counter() - started,
        objective=solution.objective,
        notes=tuple(f"{u.request.ref}: {u.reason}" for u in model.unservable),
        cut_short=solution.cut_short or checker.cut_short,
    )
