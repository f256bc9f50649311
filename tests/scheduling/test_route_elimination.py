"""Guided ejection search (engines/route_elimination.py) on small pickup-and-delivery problems."""

from __future__ import annotations

import numpy as np
import pyvrp
from pyvrp.stop import MaxIterations

from airlift.scheduling.engines.pyvrp_engine import to_pyvrp
from airlift.scheduling.engines.route_elimination import (
    FRESH_FLEET,
    Plan,
    RouteElimination,
    base_prize,
    solution_of,
    with_fleet,
)
from airlift.scheduling.problem import Problem, Shipment, VehicleType


def _problem(capacity: int, amounts: list[int]) -> Problem:
    """A depot at 0 and one shipment per amount, each from 1 + 2k to 2 + 2k on a line, wide
    windows: one vehicle serves all of them in a row if its capacity allows."""
    n = 1 + 2 * len(amounts)
    xs = np.arange(n)
    dist = np.abs(xs[:, None] - xs[None, :]).astype(np.int64)
    return Problem(
        num_locations=n,
        distance=(dist,),
        duration=(dist,),
        vehicle_types=(VehicleType(count=len(amounts), capacity=(capacity,), start=0, end=0),),
        shipments=tuple(
            Shipment(pickup=1 + 2 * k, delivery=2 + 2 * k, amount=(a,), pickup_tw=(0, 1_000))
            for k, a in enumerate(amounts)
        ),
    )


def _one_route_each(data: pyvrp.ProblemData) -> Plan:
    pickup, delivery = pyvrp.ActivityType.PICKUP, pyvrp.ActivityType.DELIVERY
    return [
        (0, [pyvrp.Activity(pickup, s), pyvrp.Activity(delivery, s)])
        for s in range(data.num_shipments)
    ]


def _search(
    data: pyvrp.ProblemData, start: pyvrp.Solution | None, iterations: int, below: float
) -> pyvrp.Solution:
    return pyvrp.solve(
        data, MaxIterations(iterations), seed=1, initial_solution=start, display=False
    ).best


def _rounds(limit: int):
    left = [limit]

    def go_on() -> bool:
        left[0] -= 1
        return left[0] >= 0

    return go_on


def test_routes_are_taken_away_while_the_fleet_allows() -> None:
    data = to_pyvrp(_problem(capacity=10, amounts=[1, 1, 1, 1]))
    ges = RouteElimination(data, seed=0)
    plan = _one_route_each(data)
    while len(plan) > 1:
        smaller = ges.remove_route(plan, ges.emptiest(plan), _search, _rounds(50))
        assert smaller is not None
        assert len(smaller) <= len(plan) - 1  # the search may merge more routes
        plan = smaller
    served = sorted(a.idx for _, acts in plan for a in acts if a.type == pyvrp.ActivityType.PICKUP)
    assert served == [0, 1, 2, 3]
    fleet, kept = with_fleet(data, [1])
    assert solution_of(fleet, kept, plan).is_feasible()


def test_a_route_the_capacity_needs_is_not_taken_away() -> None:
    # Two loads of 6 t from place 1 to place 2, both to be picked up by time 1, vehicles of
    # 10 t: together they overload one vehicle, and after delivering one it is too late to go
    # back for the other. Two routes are needed; the search gives up when told to.
    dist = np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]], dtype=np.int64)
    problem = Problem(
        num_locations=3,
        distance=(dist,),
        duration=(dist,),
        vehicle_types=(VehicleType(count=2, capacity=(10,), start=0, end=0),),
        shipments=tuple(
            Shipment(pickup=1, delivery=2, amount=(6,), pickup_tw=(0, 1)) for _ in range(2)
        ),
    )
    data = to_pyvrp(problem)
    ges = RouteElimination(data, seed=0)
    plan = _one_route_each(data)
    assert solution_of(data, [0], plan).is_feasible()
    assert ges.remove_route(plan, 0, _search, _rounds(20)) is None
    assert ges.rounds == 19  # after the fresh start


def _stuck_rounds(calls: list[str]):
    """Ejection rounds that never move (they hand back their start); fresh starts by PyVRP."""

    def search(
        data: pyvrp.ProblemData, start: pyvrp.Solution | None, iterations: int, below: float
    ) -> pyvrp.Solution:
        if start is not None:
            calls.append("round")
            return start
        calls.append("fresh")
        assert all(s.required for s in data.shipments())
        return _search(data, None, iterations, below)

    return search


def test_a_fresh_start_finds_what_the_ejection_rounds_did_not() -> None:
    # Stuck ejection rounds could never place the taken-away route's requests; the fresh
    # start before them, PyVRP from its own start on the smaller fleet with every request
    # required, finds the plan with one route fewer.
    data = to_pyvrp(_problem(capacity=10, amounts=[1] * (FRESH_FLEET + 1)))
    calls: list[str] = []
    ges = RouteElimination(data, seed=0)
    smaller = ges.remove_route(_one_route_each(data), 0, _stuck_rounds(calls), _rounds(100))
    assert calls == ["fresh"]
    assert smaller is not None and len(smaller) <= FRESH_FLEET
    fleet, kept = with_fleet(data, [FRESH_FLEET])
    assert solution_of(fleet, kept, smaller).is_feasible()


def test_a_larger_fleet_gets_no_fresh_start() -> None:
    data = to_pyvrp(_problem(capacity=10, amounts=[1] * (FRESH_FLEET + 2)))
    calls: list[str] = []
    ges = RouteElimination(data, seed=0)
    stuck = ges.remove_route(_one_route_each(data), 0, _stuck_rounds(calls), _rounds(30))
    assert stuck is None
    assert calls == ["round"] * 30


def test_the_base_prize_exceeds_any_complete_solution() -> None:
    data = to_pyvrp(_problem(capacity=10, amounts=[1, 2, 3]))
    longest = int(np.max(data.distance_matrix(0)))
    assert base_prize(data) > (data.num_clients + data.num_vehicles) * longest
