"""An upper bound on the required requests any programme can serve: how far from the best?

A linear relaxation of the scheduling problem, solved with HiGHS (``scipy.optimize.linprog``):

* Each required request may be served in fractions, by any allowed type, on any day its
  window touches. On type *t* a request needs ``max(kg / payload on its direct leg,
  pallets / positions, seats share) x flying minutes of the direct leg`` aircraft-minutes:
  loads share aircraft perfectly (consolidation is free) and aircraft are always where the
  next load waits (positioning is free), so no programme needs less.
* Each type has, per day, the flying time of its tail-days: per tail at most its flying
  hours per day and the length of its flying window (daylight at home unless night flying is
  allowed; maintenance days have none).

Requests the model cannot serve at all (:class:`~airlift.scheduling.model.Unservable`: no
allowed type reaches, window outside the horizon) are out. MOG, crew duty, the airfields'
daylight and opening hours, and the time of day within the window are relaxed away, so the
bound is loose where those bind; it is a bound, not an estimate. Optional requests are left
out (serving them never helps the required count).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
from airlift.scheduling.model import AirliftModel, build, compatible, restriction_keys


@dataclass(frozen=True, slots=True)
class Bound:
    required: int
    """Required requests."""
    servable: int
    """Of them, those the model can serve at all (each alone, ignoring the others)."""
    bound: float
    """The relaxation's optimum: no programme serves more required requests."""
    hours_available: float
    """Flying hours of all tail-days, h."""
    hours_needed: float
    """Aircraft-hours the servable required requests need at the least, h."""


def _share(r: MovementRequest, tail: FleetTail, kg_cap: float) -> float:
    """Aircraft-loads of ``r`` on the direct leg for this tail's type."""
    t = tail.type
    payload = r.cargo_kg + r.pax * 100.0
    parts = [payload / kg_cap]
    if r.pallets:
        parts.append(r.pallets / t.pallet_positions if t.pallet_positions else np.inf)
    if r.pax:
        parts.append(r.pax / t.seats if t.seats else np.inf)
    return max(parts)


def upper_bound(
    requests: tuple[MovementRequest, ...],
    fleet: tuple[FleetTail, ...],
    scenario: Scenario,
    model: AirliftModel | None = None,
) -> Bound:
    """The bound of the module docstring (``model``: the inputs' model if built already)."""
    from scipy.optimize import linprog

    model = model or build(requests, fleet, scenario)
    unservable = {u.request.ref for u in model.unservable}
    required = [r for r in requests if not r.optional]
    capacity: dict[tuple[str, int], float] = defaultdict(float)  # (type, day) -> minutes
    for td in model.tail_days:
        window = (td.window[1] - td.window[0]).total_seconds() / 60.0
        capacity[(td.tail.type.designator, td.day)] += min(
            window, td.tail.max_flying_h_per_day * 60.0
        )
    rows = {key: i for i, key in enumerate(sorted(capacity))}
    loc = model.location_of
    columns: list[tuple[int, int, float]] = []  # (request row, capacity row, minutes)
    servable = 0
    for k, r in enumerate(x for x in required if x.ref not in unservable):
        found = False
        for designator, profile in model.profile_of.items():
            tails = [
                t
                for t in fleet
                if t.type.designator == designator
                and all(compatible(t, key) for key in restriction_keys(r))
            ]
            kg = model.pair_capacity_kg.get((designator, r.origin, r.destination), 0.0)
            if not tails or kg <= 0:
                continue
            minutes = float(model.problem.distance[profile][loc[r.origin], loc[r.destination]])
            need = _share(r, tails[0], kg) * minutes
            if not np.isfinite(need):
                continue
            for day in range(scenario.days):
                start = scenario.start_utc + timedelta(days=day)
                if r.latest_utc <= start or r.earliest_utc >= start + timedelta(days=1):
                    continue
                if (designator, day) in rows:
                    columns.append((k, rows[(designator, day)], need))
                    found = True
        servable += found
    n_req = max((c[0] for c in columns), default=-1) + 1
    if not columns:
        return Bound(len(required), servable, 0.0, sum(capacity.values()) / 60.0, 0.0)
    from scipy.sparse import coo_matrix

    n = len(columns)
    req_idx = np.array([c[0] for c in columns])
    cap_idx = np.array([c[1] for c in columns])
    minutes_of = np.array([c[2] for c in columns])
    # Rows 0..n_req-1: each request served at most once; then each (type, day) capacity.
    a = coo_matrix(
        (
            np.concatenate([np.ones(n), minutes_of]),
            (np.concatenate([req_idx, n_req + cap_idx]), np.tile(np.arange(n), 2)),
        ),
        shape=(n_req + len(rows), n),
    )
    caps = np.array([capacity[key] for key in sorted(capacity)])
    b = np.concatenate([np.ones(n_req), caps])
    result = linprog(-np.ones(n), A_ub=a.tocsr(), b_ub=b, bounds=(0, None), method="highs")
    least: dict[int, float] = {}
    for k, _, minutes in columns:
        least[k] = min(least.get(k, minutes), minutes)
    return Bound(
        required=len(required),
        servable=servable,
        bound=float(-result.fun) if result.success else float(servable),
        hours_available=float(caps.sum()) / 60.0,
        hours_needed=float(sum(least.values())) / 60.0,
    )
