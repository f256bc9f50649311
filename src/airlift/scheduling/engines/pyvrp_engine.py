"""PyVRP engine: a Problem becomes ``pyvrp.ProblemData`` (locations, depots, shipments,
vehicle types with one profile per travel matrix) and PyVRP's iterated local search solves it."""

from __future__ import annotations

import math
import time
from typing import Any

import pyvrp

from airlift.scheduling.problem import INF, Problem, Route, Solution, SolveOptions, Stop

_BIG = 2**62  # PyVRP's own "unbounded" is int64 max; our INF maps onto it
_INFEASIBLE = 2**63 - 1  # what PyVRP's CostEvaluator.cost returns for an infeasible solution


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
        self._first_feasible = False

    def remaining(self) -> float:
        return max(0.0, self._deadline - time.perf_counter())

    def phase(self, seconds: float | None = None, first_feasible: bool = False) -> _Watch:
        """Set up the next solve: stop after ``seconds`` (default: at the time limit) or, when
        ``first_feasible``, as soon as a feasible solution is found."""
        end = self._deadline if seconds is None else time.perf_counter() + seconds
        self._phase_end = min(end, self._deadline)
        self._first_feasible = first_feasible
        return self

    def __call__(self, best_cost: float) -> bool:
        if self._progress and (self._best is None or best_cost < self._best):
            self._best = best_cost
            self._progress(time.perf_counter() - self._start, best_cost)
        if self._first_feasible and best_cost < _INFEASIBLE:
            return True
        return time.perf_counter() >= self._phase_end


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


Plan = list[tuple[int, list[pyvrp.Activity]]]
"""Routes as (vehicle type index in the Problem, shipment activities in visiting order)."""


def _cost(solution: pyvrp.Solution) -> float:
    """The objective PyVRP minimises (fixed, distance and duration costs, uncollected prizes);
    infinite when the solution is infeasible."""
    if not solution.is_feasible():
        return math.inf
    dims = len(solution.excess_load())
    return float(pyvrp.CostEvaluator([0] * dims, 0, 0).cost(solution))


def _with_fleet(data: pyvrp.ProblemData, counts: list[int]) -> tuple[pyvrp.ProblemData, list[int]]:
    """``data`` with ``counts[t]`` vehicles of type ``t`` (types with none left out), and the
    original index of each remaining type."""
    kept = [t for t, n in enumerate(counts) if n > 0]
    types = [data.vehicle_type(t).replace(num_available=counts[t]) for t in kept]
    return data.replace(vehicle_types=types), kept


def _plan(solution: pyvrp.Solution, kept: list[int]) -> Plan:
    return [
        (
            kept[r.vehicle_type()],
            [pyvrp.Activity(a.type, a.idx) for a in r.schedule() if a.is_shipment()],
        )
        for r in solution.routes()
        if r.num_shipments() > 0
    ]


def _from_plan(data: pyvrp.ProblemData, kept: list[int], plan: Plan) -> pyvrp.Solution:
    index = {t: i for i, t in enumerate(kept)}
    return pyvrp.Solution(data, [pyvrp.Route(data, acts, index[t]) for t, acts in plan])


def _minimise_vehicles(
    data: pyvrp.ProblemData, watch: _Watch, seed: int
) -> tuple[pyvrp.Solution, list[int]]:
    """Fleet first, then cost: returns the best solution and its types' original indices.

    1. The first feasible solution with the whole fleet.
    2. Until ``_REDUCE_SHARE`` of the time is spent: take away the vehicle of the route with
       fewest shipments, restart from the other routes (the removed shipments are missing and
       the search reinserts them) and stop at the first feasible solution; a failure ends the
       reduction.
    3. The rest of the time minimises the objective with the smallest fleet found, warm-started
       from the solution that proved it feasible.
    """
    total = watch.remaining()
    kept = list(range(data.num_vehicle_types))
    optional = any(not s.required for s in data.shipments())
    result = pyvrp.solve(
        data,
        watch.phase(total * _INIT_SHARE, first_feasible=_INIT_FF),
        seed=seed,
        collect_stats=False,
        display=False,
    )
    best = result.best
    reduce_until = total * (1 - _REDUCE_SHARE)
    while best.is_feasible() and best.num_routes() > 1 and watch.remaining() > reduce_until:
        plan = _plan(best, kept)
        drop = min(range(len(plan)), key=lambda i: len(plan[i][1]))
        counts = [0] * len(data.vehicle_types())
        for t, _ in plan:
            counts[t] += 1
        counts[plan[drop][0]] -= 1
        smaller, smaller_kept = _with_fleet(data, counts)
        start = _from_plan(smaller, smaller_kept, plan[:drop] + plan[drop + 1 :])
        result = pyvrp.solve(
            smaller,
            watch.phase(watch.remaining() - reduce_until, first_feasible=True),
            seed=seed,
            collect_stats=False,
            display=False,
            initial_solution=start,
        )
        found = result.best
        if not found.is_feasible() or (optional and _cost(found) > _cost(best)):
            break
        best, kept = found, smaller_kept

    if best.is_feasible() and watch.remaining() > 0:
        counts = [0] * len(data.vehicle_types())
        plan = _plan(best, kept)
        for t, _ in plan:
            counts[t] += 1
        final, final_kept = _with_fleet(data, counts)
        result = pyvrp.solve(
            final,
            watch.phase(),
            seed=seed,
            collect_stats=False,
            display=False,
            initial_solution=_from_plan(final, final_kept, plan),
        )
        if _cost(result.best) <= _cost(best):
            best, kept = result.best, final_kept
    elif watch.remaining() > 0:
        # No feasible solution in the first phase: keep searching with the whole fleet.
        result = pyvrp.solve(
            data,
            watch.phase(),
            seed=seed,
            collect_stats=False,
            display=False,
            initial_solution=best,
        )
        best = result.best
    return best, kept


_INIT_SHARE = 0.3
_INIT_FF = True
_REDUCE_SHARE = 0.5


def solve(problem: Problem, options: SolveOptions) -> Solution:
    started = time.perf_counter()
    watch = _Watch(options)
    data = to_pyvrp(problem)
    kept = list(range(data.num_vehicle_types))
    if options.minimise_vehicles:
        best, kept = _minimise_vehicles(data, watch, options.seed)
    else:
        best = pyvrp.solve(
            data, watch.phase(), seed=options.seed, collect_stats=False, display=False
        ).best
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
    )
