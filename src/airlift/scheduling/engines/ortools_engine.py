"""OR-Tools engine: the side-by-side baseline, written the way the OR-Tools routing guides
solve a pickup-and-delivery problem with time windows.

One routing node per depot location and one per pickup and per delivery (two shipments at the
same place get separate nodes). Each pair is tied with ``AddPickupAndDelivery`` plus "same
vehicle" and "pickup no later than delivery" constraints on the time dimension; one capacity
dimension per load dimension; a time dimension whose transit is the service at the origin plus
the travel time, with waiting (slack), node windows and vehicle shifts; per-vehicle arc costs
from the vehicle type's distance matrix and fixed costs per vehicle used. Optional shipments are
disjunctions whose penalty is the prize; required ones have none. The search is
``PARALLEL_CHEAPEST_INSERTION`` then ``GUIDED_LOCAL_SEARCH`` until the time limit. OR-Tools'
routing search has no seed: ``options.seed`` is ignored.
"""

from __future__ import annotations

import importlib
import math
import time
from itertools import pairwise
from typing import Any

import numpy as np

from airlift.scheduling.problem import INF, Problem, Route, Solution, SolveOptions, Stop

# OR-Tools ships no py.typed marker (and untyped stubs): import it as Any, in one place, so
# mypy --strict stays clean whatever the project's mypy overrides say.
pywrapcp: Any = importlib.import_module("ortools.constraint_solver.pywrapcp")
routing_enums_pb2: Any = importlib.import_module("ortools.constraint_solver.routing_enums_pb2")


def solve(problem: Problem, options: SolveOptions) -> Solution:  # noqa: C901 (one routing model built step by step)
    started = time.perf_counter()
    types = problem.vehicle_types
    depot_locs = sorted({v.start for v in types} | {v.end for v in types})
    depot_node = {loc: i for i, loc in enumerate(depot_locs)}
    first = len(depot_locs)  # shipment k: pickup node first + 2k, delivery node first + 2k + 1
    location = list(depot_locs)
    service = [0] * first
    for s in problem.shipments:
        location += [s.pickup, s.delivery]
        service += [s.pickup_service, s.delivery_service]
    num_nodes = len(location)

    vehicle_type = [t for t, v in enumerate(types) for _ in range(v.count)]
    starts = [depot_node[types[t].start] for t in vehicle_type]
    ends = [depot_node[types[t].end] for t in vehicle_type]
    if not vehicle_type or num_nodes == first:
        return _empty(problem, started, feasible=not any(s.required for s in problem.shipments))
    manager = pywrapcp.RoutingIndexManager(num_nodes, len(vehicle_type), starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()

    # Arc costs: the type's distance matrix times its unit cost; one callback per combination.
    arc_callbacks: dict[tuple[int, int], int] = {}
    time_callbacks: dict[int, int] = {}
    cells = np.ix_(location, location)  # node x node view of a location matrix
    for t in vehicle_type:
        v = types[t]
        key = (v.profile, v.unit_distance_cost)
        if key not in arc_callbacks:
            arc = problem.distance[v.profile][cells] * v.unit_distance_cost
            arc_callbacks[key] = routing.RegisterTransitMatrix(arc.tolist())
        if v.profile not in time_callbacks:
            transit = problem.duration[v.profile][cells] + np.asarray(service)[:, None]
            time_callbacks[v.profile] = routing.RegisterTransitMatrix(transit.tolist())
    for vehicle, t in enumerate(vehicle_type):
        v = types[t]
        routing.SetArcCostEvaluatorOfVehicle(
            arc_callbacks[(v.profile, v.unit_distance_cost)], vehicle
        )
        routing.SetFixedCostOfVehicle(v.fixed_cost, vehicle)

    # Capacity, one dimension per load dimension: + at the pickup, - at the delivery.
    for d in range(problem.num_dimensions):
        change = [0] * first
        for s in problem.shipments:
            change += [s.amount[d], -s.amount[d]]
        callback = routing.RegisterUnaryTransitVector(change)
        routing.AddDimensionWithVehicleCapacity(
            callback, 0, [types[t].capacity[d] for t in vehicle_type], True, f"load{d}"
        )

    # Time: service at the origin + travel; waiting allowed anywhere within the horizon.
    horizon = min(INF, max(v.tw[1] for v in types))
    routing.AddDimensionWithVehicleTransits(
        [time_callbacks[types[t].profile] for t in vehicle_type], horizon, horizon, False, "time"
    )
    time_dim = routing.GetDimensionOrDie("time")
    for vehicle, t in enumerate(vehicle_type):
        v = types[t]
        for index in (routing.Start(vehicle), routing.End(vehicle)):
            time_dim.CumulVar(index).SetRange(v.tw[0], min(v.tw[1], horizon))
        if v.max_duration < INF:
            time_dim.SetSpanUpperBoundForVehicle(v.max_duration, vehicle)
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.Start(vehicle)))
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.End(vehicle)))

    for k, s in enumerate(problem.shipments):
        pickup = manager.NodeToIndex(first + 2 * k)
        delivery = manager.NodeToIndex(first + 2 * k + 1)
        time_dim.CumulVar(pickup).SetRange(s.pickup_tw[0], min(s.pickup_tw[1], horizon))
        time_dim.CumulVar(delivery).SetRange(s.delivery_tw[0], min(s.delivery_tw[1], horizon))
        routing.AddPickupAndDelivery(pickup, delivery)
        solver.Add(routing.VehicleVar(pickup) == routing.VehicleVar(delivery))
        solver.Add(time_dim.CumulVar(pickup) <= time_dim.CumulVar(delivery))
        if not s.required:
            # The prize is lost when the pair is dropped; the pair moves as one.
            routing.AddDisjunction([pickup], s.prize)
            routing.AddDisjunction([delivery], 0)

    if options.progress is not None:
        progress = options.progress
        best = [math.inf]

        def report() -> None:
            cost = float(routing.CostVar().Max())
            if cost < best[0]:
                best[0] = cost
                progress(time.perf_counter() - started, cost)

        routing.AddAtSolutionCallback(report)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    remaining = max(0.001, options.time_limit_s - (time.perf_counter() - started))
    params.time_limit.FromMilliseconds(max(1, int(remaining * 1000)))
    assignment = routing.SolveWithParameters(params)
    if assignment is None:
        return _empty(problem, started, feasible=False)

    routes = []
    for vehicle, t in enumerate(vehicle_type):
        index = assignment.Value(routing.NextVar(routing.Start(vehicle)))
        stops = []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            k, delivered = divmod(node - first, 2)
            stops.append(
                Stop(k, not delivered, location[node], assignment.Min(time_dim.CumulVar(index)))
            )
            index = assignment.Value(routing.NextVar(index))
        if not stops:
            continue
        dist = problem.distance[types[t].profile]
        path = [types[t].start, *(s.location for s in stops), types[t].end]
        routes.append(
            Route(
                vehicle_type=t,
                stops=tuple(stops),
                start_time=assignment.Min(time_dim.CumulVar(routing.Start(vehicle))),
                end_time=assignment.Min(time_dim.CumulVar(routing.End(vehicle))),
                distance=sum(int(dist[a, b]) for a, b in pairwise(path)),
            )
        )
    served = {s.shipment for r in routes for s in r.stops}
    unserved = tuple(k for k in range(len(problem.shipments)) if k not in served)
    return Solution(
        routes=tuple(routes),
        feasible=not any(problem.shipments[k].required for k in unserved),
        engine="ortools",
        seconds=time.perf_counter() - started,
        objective=float(assignment.ObjectiveValue()),
        unserved=unserved,
    )


def _empty(problem: Problem, started: float, feasible: bool) -> Solution:
    """No routes: nothing to serve, no vehicle, or no solution found in time."""
    return Solution(
        routes=(),
        feasible=feasible,
        engine="ortools",
        seconds=time.perf_counter() - started,
        objective=float(sum(s.prize for s in problem.shipments)) if feasible else math.inf,
        unserved=tuple(range(len(problem.shipments))),
    )
