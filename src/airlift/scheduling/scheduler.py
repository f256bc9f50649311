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
from airlift.scheduling.model import build
from airlift.scheduling.outcome import mission_of, programme_kpis, request_statuses
from airlift.scheduling.problem import Solution, SolveOptions
from airlift.scheduling.programme import Programme

AFTER_ENGINE_SHARE = 0.35
"""Least share of the time limit kept from the engine for what follows it: repairing its
routes with the mission planner, settling MOG clashes, re-inserting unserved lifts,
re-splitting, the unmet requests' reasons. The improving steps among them (re-insertion,
re-splitting) stop just before the limit (``Checker.deadline``). On the demo week they
deliver more than the engine's last seconds: with 20 % (and 300 checks a second of limit),
a 3 s schedule left 5 to 11 requests undelivered and a 10 s one 5; with 35 % (and
:data:`CHECKS_PER_S`), 3 and 1, as many as at 30 s; on a 500-request week, 312 and 304
unmet against 313 and 309."""
CHECKS_PER_S = 1_000
"""Mission checks each improving step may make per second of the time limit: a count, not a
clock, so that with ``iterations`` a seed fixes the programme. Re-inserting the demo week's
dropped lifts took 4,200 checks."""
FINAL_SHARE = 0.05
"""Share of the limit left after the improving steps for the last checks and the answer."""
CHECKS_PER_TAIL_DAY = 3
"""Mission-planner checks the steps after the engine need per tail-day, whatever the limit:
checking and repairing each route, settling MOG clashes, the unmet requests' reasons. On a
3,000-request fortnight (40 tails, 560 tail-days, 30 s limit) they took 5.5 s: 2.9 checks a
tail-day at the 3.4 ms a check measured before the engine."""
MAX_AFTER_ENGINE_SHARE = 0.6
"""The most of the limit kept from the engine, however slow the checks."""


def after_engine_s(
    checker: Checker,
    time_limit_s: float,
    least_share: float = AFTER_ENGINE_SHARE,
    per_check: float | None = None,
) -> float:
    """Seconds of the limit kept from the engine for the checks after it: at least
    ``least_share`` of it; more when the checks, timed on this machine now, need it
    (large theatres, short limits, a busy machine), up to ``MAX_AFTER_ENGINE_SHARE``.
    ``per_check``: seconds a check took, when measured already (else timed here)."""
    least = least_share * time_limit_s
    per_check = per_check or checker.seconds_per_check()
    if per_check is None:
        return least
    need = per_check * CHECKS_PER_TAIL_DAY * len(checker.model.tail_days)
    return min(MAX_AFTER_ENGINE_SHARE * time_limit_s, max(least, need))


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
    # The improving steps stop a little before the limit: what follows them (MOG, the
    # missions and the request statuses) must still fit.
    checker = Checker(model, deadline - FINAL_SHARE * time_limit_s)
    if model.lifts and model.tail_days:
        # The engine gets what the model left of the limit, less what the checks need.
        after = after_engine_s(checker, time_limit_s)
        engine_s = max(0.1, deadline - time.perf_counter() - after)
        options = SolveOptions(engine_s, seed, progress, iterations=iterations)
        solution = engines.solve(model.problem, options, engine)
    routes: dict[int, tuple[Visit, ...]] = {
        r.vehicle_type: tuple((s.shipment, s.pickup) for s in r.stops) for r in solution.routes
    }
    dropped: dict[int, str] = {}
    checked: dict[int, Checked] = {}
    check_routes(checker, routes, checked, dropped)
    settle_mog(model, checker, checked, dropped)
    budget = max(2_000, int(time_limit_s * CHECKS_PER_S))
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
    statuses = request_statuses(model, missions, dropped, checker, until=deadline)
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
