"""PyVRP engine: a Problem becomes ``pyvrp.ProblemData`` (locations, depots, shipments,
vehicle types with one profile per travel matrix) and PyVRP's iterated local search solves it.

With ``SolveOptions.minimise_vehicles`` the time limit is split between reducing the fleet and
minimising the cost with the smallest fleet found (:func:`_minimise_vehicles`): the
hierarchical objective of the Li & Lim benchmark, fewest vehicles first, then distance."""

from __future__ import annotations

import math
import time
import warnings
from typing import Any

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.search import LocalSearch, PerturbationManager

from airlift.scheduling.engines.route_elimination import (
    Plan,
    RouteElimination,
    fleet_of,
    plan_of,
    solution_of,
    with_fleet,
)
from airlift.scheduling.problem import INF, Problem, Route, Solution, SolveOptions, Stop

_BIG = 2**62  # PyVRP's own "unbounded" is int64 max; our INF maps onto it


def _int(value: int) -> int:
    return _BIG if value >= INF else value


class _Watch:
    """A stopping criterion: stops at the time limit, reports each improvement.

    One watch spans every solve of a run: :meth:`phase` narrows the next solve to a share of
    the remaining time and, optionally, to the first feasible solution, while progress keeps
    reporting the overall best objective and the overall time limit always holds."""

    def __init__(self, options: SolveOptions) -> None:
        self._progress = options.progress
        self._best: float | None = None
        self._start = time.perf_counter()
        self._deadline = self._start + options.time_limit_s
        self._phase_end = self._deadline
        self._below = -math.inf
        self._phase_iterations: int | None = None
        self._iterations_left = options.iterations
        self.cut_short = False
        """The overall time limit stopped a search that had iterations left to run."""

    def remaining(self) -> float:
        return max(0.0, self._deadline - time.perf_counter())

    def left(self) -> float:
        """What is left of the run's budget in its own unit: iterations when the run counts
        them (``--iterations``: the same phases on every machine), else seconds."""
        if self._iterations_left is not None:
            return float(max(0, self._iterations_left))
        return self.remaining()

    def phase(
        self,
        budget: float | None = None,
        below: float | None = None,
        iterations: int | None = None,
    ) -> _Watch:
        """Set up the next solve: stop after ``budget`` (in the unit of :meth:`left`; default:
        all that is left), after ``iterations``, or as soon as the best feasible cost is
        below ``below``. The time limit holds in every case."""
        self._phase_end = self._deadline
        if budget is not None and self._iterations_left is not None:
            share = max(0, int(budget))
            iterations = share if iterations is None else min(iterations, share)
        elif budget is not None:
            self._phase_end = min(time.perf_counter() + budget, self._deadline)
        self._below = -math.inf if below is None else below
        self._phase_iterations = iterations
        return self

    def __call__(self, best_cost: float) -> bool:
        if self._progress and (self._best is None or best_cost < self._best):
            self._best = best_cost
            self._progress(time.perf_counter() - self._start, best_cost)
        if best_cost < self._below:
            return True
        if self._phase_iterations is not None:
            self._phase_iterations -= 1
            if self._phase_iterations < 0:
                return True
        if self._iterations_left is not None:
            self._iterations_left -= 1
            if self._iterations_left < 0:
                return True
        now = time.perf_counter()
        if now >= self._deadline and self._iterations_left is not None:
            self.cut_short = True
        return now >= self._phase_end


def to_pyvrp(problem: Problem) -> pyvrp.ProblemData:
    coords = problem.coords or tuple((0.0, 0.0) for _ in range(problem.num_locations))
    locations = [pyvrp.Location(round(x), round(y)) for x, y in coords]
    depot_locs = sorted(
        {v.start for v in problem.vehicle_types} | {v.end for v in problem.vehicle_types}
    )
    depot_index = {loc: i for i, loc in enumerate(depot_locs)}
    depots = [pyvrp.Depot(loc) for loc in depot_locs]
    vehicle_types = [
        pyvrp.VehicleType(
            num_available=v.count,
            capacity=list(v.capacity),
            start_depot=depot_index[v.start],
            end_depot=depot_index[v.end],
            fixed_cost=v.fixed_cost,
            tw_early=v.tw[0],
            tw_late=_int(v.tw[1]),
            shift_duration=_int(v.max_duration),
            unit_distance_cost=v.unit_distance_cost,
            profile=v.profile,
            name=v.name,
        )
        for v in problem.vehicle_types
    ]
    shipments = [
        pyvrp.Shipment(
            pickup_location=s.pickup,
            delivery_location=s.delivery,
            pickup_tw_early=s.pickup_tw[0],
            pickup_tw_late=_int(s.pickup_tw[1]),
            pickup_service_duration=s.pickup_service,
            delivery_tw_early=s.delivery_tw[0],
            delivery_tw_late=_int(s.delivery_tw[1]),
            delivery_service_duration=s.delivery_service,
            amount=list(s.amount),
            prize=s.prize,
            required=s.required,
            name=s.name,
        )
        for s in problem.shipments
    ]
    # PyVRP's stubs spell the matrix type oddly (ndarray[int]); the int64 matrices are right.
    distances: list[Any] = list(problem.distance)
    durations: list[Any] = list(problem.duration)
    return pyvrp.ProblemData(
        locations, [], depots, vehicle_types, distances, durations, shipments=shipments
    )


def _cost(solution: pyvrp.Solution) -> float:
    """The objective PyVRP minimises (fixed, distance and duration costs, uncollected prizes);
    infinite when the solution is infeasible."""
    if not solution.is_feasible():
        return math.inf
    dims = len(solution.excess_load())
    return float(pyvrp.CostEvaluator([0] * dims, 0, 0).cost(solution))


_FIRST_SHARE = 0.05
"""Share of the time limit for the first solve with the whole fleet: a feasible start for the
route elimination, which removes routes faster than PyVRP's fixed costs do (on lc1_2_3 at
20 s, a 1 s start left it the time to reach the best-known 17 vehicles; a 4 s one did not)."""
_REDUCE_UNTIL = 0.6
"""Fleet reduction stops this far into the time limit; the rest goes to the final solves."""
_FINAL_SOLVES = 2
"""Solves the final phase is split into when the smallest fleet came from route elimination:
the first from the solution that proved the fleet feasible, each other from a new one."""
_SAMPLE_UNTIL = 0.5
"""Share of a later final solve's budget its new solution may take to find."""


def _minimise_vehicles(
    data: pyvrp.ProblemData, watch: _Watch, seed: int
) -> tuple[pyvrp.Solution, list[int]]:
    """Fleet first, then cost: returns the best solution and its types' original indices.

    The shares below are of the run's budget: seconds, or iterations when the run counts
    them (then the phases, and so the answer, are the same on every machine).

    1. ``_FIRST_SHARE`` of the budget: PyVRP with the whole fleet (its fixed costs already push
       the fleet down).
    2. Until ``_REDUCE_UNTIL`` of the budget: route elimination by guided ejection search
       (:mod:`.route_elimination`), one route at a time, each success the new best. Skipped
       when some shipments are optional: leaving them out is then the objective's own trade.
    3. The rest: PyVRP with the smallest fleet found, in ``_FINAL_SOLVES`` equal parts. The
       first is warm-started from the solution that proved the fleet feasible; each other
       from a new one, found by taking a route away again from the plan one route larger
       with a fresh guided ejection search. Where the distance ends at the smallest fleet
       depends mostly on that starting solution, not on the time spent polishing it: on
       lc109 (best known 9 vehicles, 1,000.6), eight route eliminations from the same
       10-route plan, each followed by a 2.5 s solve, ended between 1,000.6 and 1,060.8;
       the solve after one of them moved 0.1 % in 4 s. The best result is kept, and a
       result replaces the best only if it costs less, so no step leaves the answer worse
       than the best found before it.
    """
    total = watch.left()
    num_types = data.num_vehicle_types
    kept = list(range(num_types))
    best = pyvrp.solve(
        data, watch.phase(total * _FIRST_SHARE), seed=seed, collect_stats=False, display=False
    ).best
    if not best.is_feasible():
        # Nothing feasible yet: keep searching with the whole fleet.
        return pyvrp.solve(
            data,
            watch.phase(),
            seed=seed,
            collect_stats=False,
            display=False,
            initial_solution=best,
        ).best, kept
    stop_at = total * (1 - _REDUCE_UNTIL)  # route elimination stops when this much is left
    plan = plan_of(best, kept)
    larger: Plan | None = None  # the plan before the last route taken away
    rounds = 0

    def search(
        guided: pyvrp.ProblemData, start: pyvrp.Solution | None, iterations: int, below: float
    ) -> pyvrp.Solution:
        nonlocal rounds
        rounds += 1
        return pyvrp.solve(
            guided,
            watch.phase(watch.left() - stop_at, below=below, iterations=iterations),
            seed=seed + rounds,
            collect_stats=False,
            display=False,
            initial_solution=start,
        ).best

    def go_on() -> bool:
        return watch.left() > stop_at and watch.remaining() > 0

    if all(s.required for s in data.shipments()):
        ges = RouteElimination(data, seed)
        while len(plan) > 1 and go_on():
            smaller = ges.remove_route(plan, ges.emptiest(plan), search, go_on)
            if smaller is None:
                break
            plan, larger = smaller, plan
    if larger is None:  # no route taken away: nothing to draw new starts from
        return _polish(data, plan, watch, watch.left(), seed)
    result = _polish(data, plan, watch, watch.left() / _FINAL_SOLVES, seed)
    for k in range(1, _FINAL_SOLVES):
        later = _FINAL_SOLVES - k - 1  # final solves after this one
        budget = watch.left() / (later + 1)  # this solve's, its new start included
        stop_at = watch.left() - budget * _SAMPLE_UNTIL
        sampler = RouteElimination(data, seed + k)
        sample = sampler.remove_route(larger, sampler.emptiest(larger), search, go_on)
        if sample is None:  # no new start in time: the best so far searched on instead
            sample = plan_of(*result)
        found = _polish(data, sample, watch, watch.left() - budget * later, seed)
        if _cost(found[0]) < _cost(result[0]):
            result = found
    return result


def _polish(
    data: pyvrp.ProblemData, plan: Plan, watch: _Watch, budget: float, seed: int
) -> tuple[pyvrp.Solution, list[int]]:
    """PyVRP for ``budget`` on ``plan``'s fleet, warm-started from ``plan``: its result, or
    ``plan`` itself when that costs less; with the types' original indices."""
    final, final_kept = with_fleet(data, fleet_of(plan, data.num_vehicle_types))
    start = solution_of(final, final_kept, plan)
    if watch.left() <= 0 or watch.remaining() <= 0:
        return start, final_kept
    result = pyvrp.solve(
        final,
        watch.phase(budget),
        seed=seed,
        collect_stats=False,
        display=False,
        initial_solution=start,
    ).best
    return (result, final_kept) if _cost(result) <= _cost(start) else (start, final_kept)


_LARGE = 1_000
"""Shipments above which the search starts from the empty solution, with our neighbours."""
_NEIGHBOURS = 50
"""Neighbours per shipment (PyVRP's default granularity)."""
_ROWS = 2_000
"""Shipments per block of the neighbourhood computation (bounds its memory)."""


def _starts_empty(problem: Problem) -> bool:
    return len(problem.shipments) > _LARGE and not any(s.required for s in problem.shipments)


def neighbours(
    problem: Problem, k: int = _NEIGHBOURS
) -> dict[pyvrp.Activity, list[pyvrp.Activity]]:
    """PyVRP's granular neighbourhood of a shipments-only problem, computed with numpy: for
    each shipment (its pickup activity) the ``k`` shipments nearest to it, nearness being the
    travel time between the pickups plus between the deliveries (fastest profile) plus the
    time between their windows when those do not overlap.

    Why not ``pyvrp.search.compute_neighbours``: it weighs every pair against every vehicle
    type, and the airlift model has one vehicle type per tail-day: on 3,000 requests, 40
    tails and 14 days it took 4.9 s, the whole of a quick time limit, where this takes well
    under a second."""
    n = len(problem.shipments)
    k = min(k, n - 1)
    if k <= 0:
        return {pyvrp.Activity(pyvrp.ActivityType.PICKUP, i): [] for i in range(n)}
    travel = np.minimum.reduce([np.minimum(m, INF) for m in problem.duration]).astype(np.float64)
    pickup = np.array([s.pickup for s in problem.shipments])
    delivery = np.array([s.delivery for s in problem.shipments])
    opens = np.array([s.pickup_tw[0] for s in problem.shipments], dtype=np.float64)
    closes = np.array([min(s.delivery_tw[1], INF) for s in problem.shipments], dtype=np.float64)
    nearest = np.empty((n, k), dtype=np.int64)
    for lo in range(0, n, _ROWS):
        rows = slice(lo, min(n, lo + _ROWS))
        gap = np.maximum(opens[None, :] - closes[rows, None], opens[rows, None] - closes[None, :])
        cost = (
            travel[pickup[rows, None], pickup[None, :]]
            + travel[delivery[rows, None], delivery[None, :]]
            + np.maximum(gap, 0.0)
        )
        cost[np.arange(cost.shape[0]), np.arange(lo, rows.stop)] = np.inf  # not itself
        nearest[rows] = np.argpartition(cost, k - 1, axis=1)[:, :k]
    acts = [pyvrp.Activity(pyvrp.ActivityType.PICKUP, i) for i in range(n)]
    return {acts[i]: [acts[j] for j in nearest[i]] for i in range(n)}


def _search(
    data: pyvrp.ProblemData,
    problem: Problem,
    stop: _Watch,
    seed: int,
    initial: pyvrp.Solution,
) -> pyvrp.Solution:
    """``pyvrp.solve`` (the same operators, penalties and iterated local search, PyVRP's
    default parameters) with :func:`neighbours` in place of PyVRP's own."""
    params = pyvrp.SolveParams()
    rng = pyvrp.RandomNumberGenerator(seed=seed)
    ls = LocalSearch(data, rng, neighbours(problem), PerturbationManager(params.perturbation))
    for op in params.operators:
        if op.supports(data):
            ls.add_operator(op(data))
    pm = pyvrp.PenaltyManager(params.penalty.midpoint_penalties(data), params.penalty)
    algo = pyvrp.IteratedLocalSearch(data, pm, ls, initial, params.ils)
    return algo.run(stop, collect_stats=False, display=False).best


def _search_all(
    problem: Problem, options: SolveOptions, data: pyvrp.ProblemData, watch: _Watch
) -> tuple[pyvrp.Solution, list[int]]:
    """The search the options ask for: fleet minimisation, a warm start, or a plain solve
    (from the empty solution on large problems)."""
    kept = list(range(data.num_vehicle_types))
    if options.minimise_vehicles:
        return _minimise_vehicles(data, watch, options.seed)
    if options.initial is not None:
        pickup, delivery = pyvrp.ActivityType.PICKUP, pyvrp.ActivityType.DELIVERY
        warm: Plan = [
            (v, [pyvrp.Activity(pickup if is_pickup else delivery, s) for s, is_pickup in acts])
            for v, acts in options.initial
        ]
        initial = solution_of(data, kept, warm)
        return _search(data, problem, watch.phase(), options.seed, initial), kept
    if _starts_empty(problem):
        # Large problems start from the empty solution (every shipment here is optional):
        # PyVRP's default start, a random solution improved by an exhaustive local search,
        # takes longer than the whole time budget at a few thousand shipments; and they use
        # our neighbourhood (see :func:`neighbours`).
        empty = pyvrp.Solution(data, [])
        return _search(data, problem, watch.phase(), options.seed, empty), kept
    solved = pyvrp.solve(data, watch.phase(), seed=options.seed, collect_stats=False, display=False)
    return solved.best, kept


def solve(problem: Problem, options: SolveOptions) -> Solution:
    started = time.perf_counter()
    watch = _Watch(options)
    data = to_pyvrp(problem)
    with warnings.catch_warnings():
        # PyVRP's "struggles to find a feasible solution" warning is noise to a planner:
        # tight fleets are the point of fleet minimisation, and a warm start from routes
        # the engine's penalties dislike (its median kg capacity is not the mission
        # planner's limit) hits the penalty bound early. An infeasible result still says
        # feasible=False.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        best, kept = _search_all(problem, options, data, watch)
    routes = []
    for route in best.routes():
        if route.num_shipments() == 0:
            continue
        stops = tuple(
            Stop(
                act.idx,
                act.is_pickup(),
                problem.shipments[act.idx].pickup
                if act.is_pickup()
                else problem.shipments[act.idx].delivery,
                act.start_time,
            )
            for act in route.schedule()
            if act.is_shipment()
        )
        routes.append(
            Route(
                kept[route.vehicle_type()],
                stops,
                route.start_time(),
                route.end_time(),
                route.distance(),
            )
        )
    served = {s.shipment for r in routes for s in r.stops}
    return Solution(
        routes=tuple(routes),
        feasible=best.is_feasible(),
        engine="pyvrp",
        seconds=time.perf_counter() - started,
        objective=_cost(best),
        unserved=tuple(i for i in range(len(problem.shipments)) if i not in served),
        cut_short=watch.cut_short,
    )
