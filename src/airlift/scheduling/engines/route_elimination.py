"""Fleet minimisation for pickup-and-delivery problems: guided ejection search (GES) built on
PyVRP's local search.

Follows the route-elimination heuristic of

* Y. Nagata and O. Bräysy, "A powerful route minimization heuristic for the vehicle routing
  problem with time windows", Operations Research Letters 37(5), 333-338, 2009: take a
  route away, put its requests in an *ejection pool*, and reinsert them one at a time; a
  request that cannot be inserted gains a *penalty counter* and ejects requests with the
  smallest summed counters to make room;
* Y. Nagata and S. Kobayashi, "Guided ejection search for the pickup and delivery problem
  with time windows", EvoCOP 2010, LNCS 6022, 202-213: the same search for the PDPTW (a
  pickup and its delivery move together);
* T. Curtois, D. Landa-Silva, Y. Qu and W. Laesanklang, "Large neighbourhood search with
  adaptive guided ejection search for the pickup and delivery problem with time windows",
  EURO Journal on Transportation and Logistics 7(2), 151-192, 2018: random perturbation of
  the guiding weights, so the search does not cycle between the same ejections.

Where this differs: those papers insert and eject one request at a time with hand-written
feasibility checks. Here each round is one short run of PyVRP's iterated local search (its
C++ operators, penalties and perturbation: the "improvement step") on the fleet with one
route fewer. The request popped from the pool (last in, first out, as in GES) is *required*:
it must be inserted. Every other request is *optional*, with a prize of its penalty counter
times a base prize larger than any solution's distance. To make room the search leaves out
the requests whose prizes sum least, which is GES's ejection rule (the least summed penalty
counter), searched over all routes and with the search's own moves rather than by
enumerating ejection sets. A pickup and its delivery always move together (PyVRP's
shipments). The requests left out join the pool. After a round that did not empty the pool,
the popped request's counter grows by one, as in GES. Each round multiplies every weight by
a random factor in ``[1, 1 + WEIGHT_NOISE)``, the perturbation of the weights. The round's
result (feasible, possibly with requests pooled) is where the next round starts.

On a fleet of at most ``FRESH_FLEET`` vehicles, a *fresh start* comes first: PyVRP from its
own random start, on the fleet with one route fewer and every request required, for
``FRESH_ITERATIONS`` iterations or until feasible (the one-vehicle-fewer solve of PyVRP's
``minimise_fleet``). Only if it finds nothing do the ejection rounds begin. On few, long
routes the ejection rounds can circle for a long time with two or three requests left in the
pool, where a search from scratch finds a different route structure; on many routes the
fresh start rarely succeeds and costs more (see ``FRESH_FLEET``).

A round stops early once every request is served: then the best feasible cost falls below
the base prize. Rounds are counted in PyVRP iterations, not seconds, so with
``--iterations`` the outcome does not depend on the machine; the time limit still caps them.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pyvrp

ROUND_ITERATIONS = 30
"""PyVRP iterations per ejection round. Shorter rounds move the penalty counters more often
but search less between moves: on the Li & Lim 200 set at 20 s, run side by side, rounds of
10 reached the best-known fleet on 44 instances and rounds of 30 on 50 (on the 100 set, 10
helped lr211 in some runs only; at 5, lc109 and lc1_2_3 lost their best-known fleet)."""
FRESH_ITERATIONS = 400
"""PyVRP iterations of the fresh start. From scratch on lr211 (best known 2 vehicles; the first
solve gives 3), PyVRP found a 2-vehicle solution in 15 to 430 iterations, median about 150,
over 16 seeds. With the fresh start, lr211 reached 2 vehicles inside the route elimination's
share of a 10 s limit in 19 of 20 seeds (100-119), against 14 of 20 without it; a fresh start
after every 10 stalled ejection rounds, 150 iterations each, reached 15 of 20."""
FRESH_FLEET = 3
"""Largest fleet (after taking a route away) that gets a fresh start. From scratch, PyVRP
found a feasible solution at the best-known fleet within 300 iterations in 0 of 4 seeds on
lc109 (9 vehicles), lr109 (11), lrc1_2_9 (13) and lr2_2_6 (3), 1 of 4 on lrc2_2_4 (3), and
within 430 in 16 of 16 on lr211 (2); and a fresh start costs more the more requests there
are. On the Li & Lim 200 set at 20 s, fresh starts on every fleet (150 iterations after every
10 stalled rounds) lost 3 instances' best-known fleets (lc1_2_3, lrc1_2_2, lrc1_2_9: 17, 15
and 13 vehicles) to the time they took from the ejection rounds."""
WEIGHT_NOISE = 0.3
"""Relative random spread of the guiding weights each round (the weight perturbation)."""

Plan = list[tuple[int, list[pyvrp.Activity]]]
Search = Callable[[pyvrp.ProblemData, pyvrp.Solution | None, int, float], pyvrp.Solution]
"""Runs PyVRP's search on data from an initial solution (None: PyVRP's own random start), for
at most so many iterations, stopping early once the best feasible cost is below the given
threshold."""
ANY_FEASIBLE = float(2**62)
"""A threshold every feasible cost here is below: PyVRP costs an infeasible solution at the
largest int64."""


def base_prize(data: pyvrp.ProblemData) -> int:
    """More than the distance of any complete solution: every route's arcs at the longest
    distance in any matrix."""
    longest = max(int(np.max(m)) for m in data.distance_matrices())
    arcs = data.num_clients + data.num_vehicles
    return arcs * max(longest, 1) + 1


def plan_of(solution: pyvrp.Solution, kept: list[int]) -> Plan:
    """The routes of ``solution`` as (original vehicle type, activities), empty ones left out."""
    return [
        (
            kept[r.vehicle_type()],
            [pyvrp.Activity(a.type, a.idx) for a in r.schedule() if a.is_shipment()],
        )
        for r in solution.routes()
        if r.num_shipments() > 0
    ]


def solution_of(data: pyvrp.ProblemData, kept: list[int], plan: Plan) -> pyvrp.Solution:
    index = {t: i for i, t in enumerate(kept)}
    return pyvrp.Solution(data, [pyvrp.Route(data, acts, index[t]) for t, acts in plan])


def fleet_of(plan: Plan, num_types: int) -> list[int]:
    counts = [0] * num_types
    for t, _ in plan:
        counts[t] += 1
    return counts


def with_fleet(data: pyvrp.ProblemData, counts: list[int]) -> tuple[pyvrp.ProblemData, list[int]]:
    """``data`` with ``counts[t]`` vehicles of type ``t`` (types with none left out), and the
    original index of each remaining type."""
    kept = [t for t, n in enumerate(counts) if n > 0]
    types = [data.vehicle_type(t).replace(num_available=counts[t]) for t in kept]
    return data.replace(vehicle_types=types), kept


def _with_prize(s: pyvrp.Shipment, prize: int, required: bool) -> pyvrp.Shipment:
    p, d = s.pickup, s.delivery
    return pyvrp.Shipment(
        p.location,
        d.location,
        p.tw_early,
        p.tw_late,
        p.service_duration,
        d.tw_early,
        d.tw_late,
        d.service_duration,
        amount=list(s.amount),
        prize=prize,
        required=required,
        name=s.name,
    )


class RouteElimination:
    """Guided ejection search over one problem: :meth:`remove_route` takes one route away.

    The penalty counters live as long as the object, across fleet sizes, as in GES."""

    def __init__(self, data: pyvrp.ProblemData, seed: int) -> None:
        self._data = data
        self._rng = random.Random(seed)
        self._base = base_prize(data)
        self._counters = np.ones(data.num_shipments, dtype=np.int64)
        self._cap = (2**62 // max(1, data.num_shipments)) // self._base
        """Largest counter times noise that keeps the summed prizes within int64."""
        self.rounds = 0

    def _guided(self, fleet: pyvrp.ProblemData, forced: int) -> pyvrp.ProblemData:
        noise = 1.0 + WEIGHT_NOISE * np.array([self._rng.random() for _ in self._counters])
        weights = np.minimum(self._counters * noise, self._cap)
        shipments = [
            _with_prize(s, int(self._base * w), required=i == forced)
            for i, (s, w) in enumerate(zip(self._data.shipments(), weights, strict=True))
        ]
        types = [
            fleet.vehicle_type(t).replace(fixed_cost=0) for t in range(fleet.num_vehicle_types)
        ]
        return fleet.replace(shipments=shipments, vehicle_types=types)

    def remove_route(
        self, plan: Plan, drop: int, search: Search, go_on: Callable[[], bool]
    ) -> Plan | None:
        """``plan`` served with at least one route fewer (``plan[drop]``'s vehicle taken away), or
        None when ``go_on`` says stop before every request found a place."""
        counts = fleet_of(plan, self._data.num_vehicle_types)
        counts[plan[drop][0]] -= 1
        fleet, kept = with_fleet(self._data, counts)
        current = plan[:drop] + plan[drop + 1 :]
        pool = [a.idx for a in plan[drop][1] if a.type == pyvrp.ActivityType.PICKUP]
        if fleet.num_vehicles <= FRESH_FLEET and go_on():
            fresh = search(fleet, None, FRESH_ITERATIONS, ANY_FEASIBLE)
            if fresh.is_feasible():
                return plan_of(fresh, kept)
        while go_on():
            forced = pool[-1]
            guided = self._guided(fleet, forced)
            found = search(guided, solution_of(guided, kept, current), ROUND_ITERATIONS, self._base)
            self.rounds += 1
            if found.is_feasible():
                current = plan_of(found, kept)
                served = {a.idx for _, acts in current for a in acts}
                pool = [s for s in pool if s not in served] + [
                    s for s in range(self._data.num_shipments) if s not in served and s not in pool
                ]
            if not pool:
                return current
            self._counters[forced] += 1
            if pool[-1] == forced:  # not placed: try the others first
                pool.insert(0, pool.pop())
        return None

    def emptiest(self, plan: Plan) -> int:
        """The route to take away: the one with the fewest requests to place elsewhere, ties
        broken at random."""
        fewest = min(len(acts) for _, acts in plan)
        return self._rng.choice([i for i, (_, acts) in enumerate(plan) if len(acts) == fewest])
