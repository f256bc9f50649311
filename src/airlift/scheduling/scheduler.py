"""Scheduling end to end: build the model, solve, decode missions, re-check, repair, explain.

The engine solves the generic problem; what it cannot see (exact fuel and weights per leg,
tankering, runway limits at the day's OAT, daylight at each strip, MOG) is checked here by
running the mission planner on every decoded mission. A mission that breaks any limit loses
lifts (lowest priority first) until it passes; dropped lifts are offered to other missions
and unused tail-days, each offer checked the same way. Nothing is reported feasible that the
mission planner would reject.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from airlift.errors import AirliftError
from airlift.mission import Load, MissionInput, MissionPlan, Options, plan
from airlift.scheduling import engines
from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
from airlift.scheduling.model import (
    PAX_MASS_KG,
    PRE_POST_FLIGHT_MIN,
    AirliftModel,
    Lift,
    TailDay,
    build,
    compatible,
    restriction_keys,
)
from airlift.scheduling.problem import Solution, SolveOptions
from airlift.scheduling.programme import (
    Kpis,
    LiftOnBoard,
    Mission,
    Programme,
    RequestStatus,
)

Visit = tuple[int, bool]
"""(lift index, is pickup): one activity of a route, in order."""


@dataclass(frozen=True, slots=True)
class _Checked:
    visits: tuple[Visit, ...]
    plan: MissionPlan | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.problems


def schedule(
    requests: tuple[MovementRequest, ...],
    fleet: tuple[FleetTail, ...],
    scenario: Scenario,
    time_limit_s: float = 30.0,
    seed: int = 0,
    engine: str = "pyvrp",
    progress: Callable[[float, float], None] | None = None,
    iterations: int | None = None,
) -> Programme:
    """Turn movement requests and a fleet into a checked flying programme.

    With ``iterations`` the engine stops after that many search iterations (or at the time
    limit, if first) and every later step is bounded by counts, not clocks, so a seed fixes
    the programme on any machine that finishes the iterations within the limit."""
    started = time.perf_counter()
    options = SolveOptions(time_limit_s, seed, progress, iterations=iterations)  # checks them
    model = build(requests, fleet, scenario)
    solution = Solution((), True, engine, 0.0, 0.0)
    if model.lifts and model.tail_days:
        solution = engines.solve(model.problem, options, engine)
    routes: dict[int, tuple[Visit, ...]] = {
        r.vehicle_type: tuple((s.shipment, s.pickup) for s in r.stops) for r in solution.routes
    }
    checker = _Checker(model)
    dropped: dict[int, str] = {}
    checked: dict[int, _Checked] = {}
    for v, visits in routes.items():
        result, removed = checker.repair(v, visits)
        dropped.update(removed)
        if result.visits:
            checked[v] = result
    _settle_mog(model, checker, checked, dropped)
    _reinsert(model, checker, checked, dropped, budget=max(2_000, int(time_limit_s * 300)))
    _settle_mog(model, checker, checked, dropped)  # re-insertion does not see other tails
    missions = tuple(
        _mission(model, v, c)
        for v, c in sorted(
            checked.items(),
            key=lambda kv: (model.tail_days[kv[0]].tail.registration, model.tail_days[kv[0]].day),
        )
        if c.plan is not None and c.visits
    )
    statuses = _statuses(model, missions, dropped, checker)
    return Programme(
        scenario=scenario.name,
        start_utc=scenario.start_utc,
        days=scenario.days,
        missions=missions,
        requests=statuses,
        kpis=_kpis(model, missions, statuses),
        engine=solution.engine,
        solve_seconds=time.perf_counter() - started,
        objective=solution.objective,
        notes=tuple(f"{u.request.ref}: {u.reason}" for u in model.unservable),
    )


def _without(visits: Sequence[Visit], lift: int) -> tuple[Visit, ...]:
    return tuple(v for v in visits if v[0] != lift)


class _Checker:
    """Decodes visit sequences into missions and checks them with the mission planner."""

    def __init__(self, model: AirliftModel) -> None:
        self.model = model
        self.loc = {name: i for i, name in enumerate(model.problem.names)}
        self.evaluations = 0
        self.cache: dict[tuple[int, tuple[Visit, ...]], _Checked] = {}

    def check(self, v: int, visits: tuple[Visit, ...]) -> _Checked:
        key = (v, visits)
        if key not in self.cache:
            self.evaluations += 1
            self.cache[key] = self._check(v, visits)
        return self.cache[key]

    def _check(self, v: int, visits: tuple[Visit, ...]) -> _Checked:
        # Start late (short duty day) if that works, else as early as the window allows.
        late = self._check_start(v, visits, late_start=True)
        if late.ok or late.plan is None:
            return late
        early = self._check_start(v, visits, late_start=False)
        return early if early.ok or len(early.problems) < len(late.problems) else late

    def _check_start(self, v: int, visits: tuple[Visit, ...], late_start: bool) -> _Checked:
        model, td = self.model, self.model.tail_days[v]
        if not visits:
            return _Checked(visits, None, ())
        stops, legs_on_board, pickup_leg, delivery_leg = _stops(model, td, visits)
        loads = []
        for on_board in legs_on_board:
            lifts = [model.lifts[i] for i in on_board]
            loads.append(
                Load(
                    sum(x.cargo_kg for x in lifts),
                    sum(x.pallets for x in lifts),
                    sum(x.pax for x in lifts),
                )
            )
        t = td.tail.type
        problems = [
            f"leg {k + 1}: {x.pallets} pallets, {t.pallet_positions} positions"
            for k, x in enumerate(loads)
            if x.pallets > t.pallet_positions
        ]
        problems += [
            f"leg {k + 1}: payload above max"
            for k, x in enumerate(loads)
            if x.cargo_kg + x.pax * PAX_MASS_KG > t.max_payload_kg + 0.5
        ]
        problems += [
            f"{model.lifts[i].id}: {td.tail.registration} does not meet restriction {key}"
            for i in {i for i, _ in visits}
            for key in restriction_keys(model.lifts[i].request)
            if not compatible(td.tail, key)
        ]
        if problems:
            return _Checked(visits, None, tuple(problems))
        not_before = self._slots(td, stops, pickup_leg, late_start)
        quick = self._screen(td, stops, not_before, delivery_leg)
        if quick:
            return _Checked(visits, None, (quick,))
        airfields = {a.icao: a for a in model.airfields}
        mission = MissionInput(
            aircraft=t,
            stops=tuple(airfields[s] for s in stops),
            departure_utc=not_before[0] or td.window[0],
            loads=tuple(loads),
            weather=model.weather,
            options=Options(
                policy=model.policy,
                duty_limit_h=td.tail.duty_limit_h,
                pre_flight_min=PRE_POST_FLIGHT_MIN * 0.75,
                post_flight_min=PRE_POST_FLIGHT_MIN * 0.25,
                pax_mass_kg=PAX_MASS_KG,
                ground_mode=model.scenario.ground_mode,
            ),
            not_before_utc=tuple(not_before),
        )
        try:
            p = plan(mission)
        except AirliftError as exc:
            return _Checked(visits, None, (str(exc),))
        problems = [v_.message for v_ in p.violations]
        for lift_idx, leg in pickup_leg.items():
            r = model.lifts[lift_idx].request
            if p.legs[leg].etd_utc < r.earliest_utc:
                problems.append(f"{r.ref}: departs {r.origin} before the load is ready")
        for lift_idx, leg in delivery_leg.items():
            r = model.lifts[lift_idx].request
            if p.legs[leg].eta_utc > r.latest_utc:
                late = (p.legs[leg].eta_utc - r.latest_utc).total_seconds() / 60
                problems.append(f"{r.ref}: delivered {late:.0f} min after its window closes")
        if p.legs[0].etd_utc < td.window[0] or p.legs[-1].eta_utc > td.window[1] + timedelta(
            minutes=td.tail.type.ground_time(self.model.scenario.ground_mode)
        ):
            problems.append("outside the tail's flying window for the day")
        if p.total_flight_time_min > td.tail.max_flying_h_per_day * 60 + 0.5:
            problems.append(
                f"{p.total_flight_time_min / 60:.1f} h flying > "
                f"{td.tail.max_flying_h_per_day:g} h per day"
            )
        return _Checked(visits, p, tuple(problems))

    def _slots(
        self, td: TailDay, stops: list[str], pickup_leg: dict[int, int], late_start: bool
    ) -> list[datetime | None]:
        """Earliest off-block per leg: each pickup waits for its load. With ``late_start`` the
        first leg leaves as late as reaches every load without waiting (shortest duty day);
        otherwise at the start of the flying window."""
        model, loc = self.model, self.loc
        dur = model.problem.duration[model.profile_of[td.tail.type.designator]]
        offset = [0.0]
        for a, b in itertools.pairwise(stops):
            offset.append(offset[-1] + float(dur[loc[a], loc[b]]))
        ready: list[datetime | None] = [None] * (len(stops) - 1)
        first = td.window[0]
        for lift_idx, leg in pickup_leg.items():
            r = model.lifts[lift_idx].request
            current = ready[leg]
            ready[leg] = r.earliest_utc if current is None else max(current, r.earliest_utc)
            if late_start:
                first = max(first, r.earliest_utc - timedelta(minutes=offset[leg]))
        ready[0] = first if ready[0] is None else max(first, ready[0])
        return ready

    def _screen(
        self,
        td: TailDay,
        stops: list[str],
        not_before: list[datetime | None],
        delivery_leg: dict[int, int],
    ) -> str:
        """A cheap timing screen before the mission planner runs: the engine's own travel
        matrix gives each leg's block and turnaround; 5 min of slack absorbs rounding."""
        model, loc = self.model, self.loc
        dur = model.problem.duration[model.profile_of[td.tail.type.designator]]
        ground = td.tail.type.ground_time(model.scenario.ground_mode)
        slack = timedelta(minutes=5)
        t = not_before[0] or td.window[0]
        start, arrive = t, []
        for k, (a, b) in enumerate(itertools.pairwise(stops)):
            t = max(t, not_before[k] or t) + timedelta(minutes=float(dur[loc[a], loc[b]]))
            arrive.append(t - timedelta(minutes=ground))
        for lift_idx, leg in delivery_leg.items():
            if arrive[leg] > model.lifts[lift_idx].request.latest_utc + slack:
                return f"{model.lifts[lift_idx].id}: too late at {stops[leg + 1]} (estimate)"
        if arrive[-1] > td.window[1] + timedelta(minutes=ground) + slack:
            return "outside the tail's flying window for the day (estimate)"
        limit = timedelta(hours=td.tail.duty_limit_h, minutes=-PRE_POST_FLIGHT_MIN)
        if arrive[-1] - start > limit + slack:
            return "crew duty day exceeded (estimate)"
        return ""

    def repair(
        self, v: int, visits: tuple[Visit, ...], extra: str = ""
    ) -> tuple[_Checked, dict[int, str]]:
        """Drop lifts until the mission passes; returns it and why each lift was dropped.

        The lift to drop is chosen without trial plans (one re-check per drop): among the
        lifts on board the first leg that breaks a weight or fuel limit (all lifts for time
        limits), the optional and lowest-priority first, then the heaviest for weight limits,
        the last visited for time limits."""
        dropped: dict[int, str] = {}
        current = self.check(v, visits)
        td = self.model.tail_days[v]
        while current.visits and not current.ok:
            reason = extra or (current.problems[0] if current.problems else "infeasible")
            lift = self._culprit(v, current)
            dropped[lift] = f"removed from {td.tail.registration} on day {td.day + 1}: {reason}"
            current = self.check(v, _without(current.visits, lift))
            extra = ""
        return current, dropped

    def _culprit(self, v: int, c: _Checked) -> int:
        model = self.model
        _, on_board, _, _ = _stops(model, model.tail_days[v], c.visits)
        order = {i: n for n, (i, _) in enumerate(c.visits)}  # last visit wins
        weight_leg = next(
            (
                viol.leg
                for viol in (c.plan.violations if c.plan else ())
                if viol.unit in ("kg", "NM", "positions", "seats")
            ),
            None,
        )
        if weight_leg is not None and on_board[weight_leg]:
            candidates, weight = on_board[weight_leg], True
        else:
            candidates, weight = set(order), False

        def key(i: int) -> tuple[bool, int, float]:
            r = model.lifts[i].request
            size = model.lifts[i].payload_kg if weight else order[i]
            return (not r.optional, -r.priority, -size)

        return min(candidates, key=key)

    def best_insertion(
        self, lift: int, checked: dict[int, _Checked], bump: bool = False
    ) -> tuple[int, _Checked, int | None] | None:
        """The cheapest feasible place for a lift in any tail-day (flight minutes added):
        (vehicle, checked mission, lift bumped out or None). With ``bump``, a less
        important lift may be taken off a mission to make room."""
        model = self.model
        r = model.lifts[lift].request
        best: tuple[float, int, _Checked, int | None] | None = None
        for v, td in enumerate(model.tail_days):
            if td.window[1] < r.earliest_utc or td.window[0] > r.latest_utc:
                continue
            current = checked.get(v)
            visits0 = current.visits if current else ()
            base_min = current.plan.total_flight_time_min if current and current.plan else 0.0
            bases: list[tuple[tuple[Visit, ...], int | None]] = [(visits0, None)]
            if bump:
                bases = [
                    (_without(visits0, b), b)
                    for b in sorted({i for i, _ in visits0})
                    if _rank(model.lifts[b]) < _rank(model.lifts[lift])
                ]
            for base, bumped in bases:
                for i in range(len(base) + 1):
                    for j in range(i, len(base) + 1):
                        visits = (*base[:i], (lift, True), *base[i:j], (lift, False), *base[j:])
                        result = self.check(v, visits)
                        if result.ok and result.plan is not None:
                            cost = result.plan.total_flight_time_min - base_min
                            if best is None or cost < best[0]:
                                best = (cost, v, result, bumped)
        return best[1:] if best else None


def _rank(lift: Lift) -> tuple[bool, int]:
    """Importance: required before optional, then priority 1 before 4 (larger = first)."""
    return (not lift.request.optional, -lift.request.priority)


def _reinsert(
    model: AirliftModel,
    checker: _Checker,
    checked: dict[int, _Checked],
    dropped: dict[int, str],
    budget: int,
) -> None:
    """Offer every unserved lift, most important first, to every tail-day; if none has room,
    let it bump a less important lift (which is then offered in turn). Stops after ``budget``
    mission checks, a count rather than a clock so that a seed fixes the programme."""
    served = {i for c in checked.values() for i, _ in c.visits}
    queue = sorted(
        (i for i in range(len(model.lifts)) if i not in served),
        key=lambda i: _rank(model.lifts[i]),
        reverse=True,
    )
    start = checker.evaluations
    while queue and checker.evaluations - start < budget:
        lift = queue.pop(0)
        found = checker.best_insertion(lift, checked)
        if found is None and _rank(model.lifts[lift]) > (False, -4):
            found = checker.best_insertion(lift, checked, bump=True)
        if found is None:
            continue
        v, result, bumped = found
        checked[v] = result
        dropped.pop(lift, None)
        if bumped is not None:
            td = model.tail_days[v]
            dropped[bumped] = (
                f"bumped from {td.tail.registration} on day {td.day + 1} by "
                f"{model.lifts[lift].id} (more urgent)"
            )
            queue.append(bumped)
            queue.sort(key=lambda i: _rank(model.lifts[i]), reverse=True)


def _stops(
    model: AirliftModel, td: TailDay, visits: tuple[Visit, ...]
) -> tuple[list[str], list[set[int]], dict[int, int], dict[int, int]]:
    """Stops (home first and last, consecutive duplicates merged), lifts on board per leg,
    and the leg on which each lift is picked up / delivered."""
    home = td.tail.home_base
    stops = [home]
    on_board: set[int] = set()
    legs: list[set[int]] = []
    pickup_leg: dict[int, int] = {}
    delivery_leg: dict[int, int] = {}
    for lift_idx, is_pickup in visits:
        lift = model.lifts[lift_idx]
        where = lift.request.origin if is_pickup else lift.request.destination
        if where != stops[-1]:
            legs.append(set(on_board))
            stops.append(where)
        if is_pickup:
            on_board.add(lift_idx)
            pickup_leg[lift_idx] = len(stops) - 1
        else:
            on_board.discard(lift_idx)
            delivery_leg[lift_idx] = len(stops) - 2
    if stops[-1] != home:
        legs.append(set(on_board))
        stops.append(home)
    return stops, legs, pickup_leg, delivery_leg


def _mog_conflict(
    model: AirliftModel, checked: dict[int, _Checked]
) -> tuple[int, set[int], str] | None:
    """The first arrival that would exceed an airfield's MOG: (vehicle, every lift it loads
    or unloads there, reason). Dropping them all takes the stop out of that route."""
    mog = {a.icao: a.planning.mog for a in model.airfields if a.planning.mog}
    events: dict[str, list[tuple[datetime, datetime, int, int]]] = defaultdict(list)
    for v, c in checked.items():
        if c.plan is None:
            continue
        legs = c.plan.legs
        for k in range(len(legs) - 1):
            events[legs[k].destination].append((legs[k].eta_utc, legs[k + 1].etd_utc, v, k))
    for icao, stays in sorted(events.items()):
        if icao not in mog:
            continue
        stays.sort()
        for n, (arrive, _, v, k) in enumerate(stays):
            on_ground = sum(1 for a, d, w, _ in stays[:n] if a <= arrive < d and w != v)
            if on_ground >= mog[icao]:
                _, _, pickup_leg, delivery_leg = _stops(
                    model, model.tail_days[v], checked[v].visits
                )
                at_stop = {i for i, leg in pickup_leg.items() if leg == k + 1} | {
                    i for i, leg in delivery_leg.items() if leg == k
                }
                return v, at_stop, f"MOG {mog[icao]} at {icao} reached at {arrive:%Y-%m-%d %H:%MZ}"
    return None


def _settle_mog(
    model: AirliftModel, checker: _Checker, checked: dict[int, _Checked], dropped: dict[int, str]
) -> None:
    """Drop the later arrival's business at any airfield over its MOG, until none is."""
    while (conflict := _mog_conflict(model, checked)) is not None:
        v, lifts, reason = conflict
        visits = tuple(x for x in checked[v].visits if x[0] not in lifts)
        result, removed = checker.repair(v, visits)
        dropped.update(dict.fromkeys(lifts, reason))
        dropped.update(removed)
        if result.visits:
            checked[v] = result
        else:
            del checked[v]


def _mission(model: AirliftModel, v: int, c: _Checked) -> Mission:
    td = model.tail_days[v]
    assert c.plan is not None
    _, _, pickup_leg, delivery_leg = _stops(model, td, c.visits)
    lifts = tuple(
        LiftOnBoard(
            model.lifts[i].id,
            model.lifts[i].request.ref,
            model.lifts[i].cargo_kg,
            model.lifts[i].pallets,
            model.lifts[i].pax,
            pickup_leg[i],
            delivery_leg[i],
            model.lifts[i].request.description,
            model.lifts[i].request.hazardous,
            model.lifts[i].request.dg_class,
            model.lifts[i].request.un_number,
        )
        for i in sorted(pickup_leg)
    )
    plan_ = replace(c.plan, tail=td.tail.registration)
    return Mission(
        td.tail.registration, td.tail.type.designator, td.tail.nation, td.day, plan_, lifts
    )


def _statuses(
    model: AirliftModel, missions: tuple[Mission, ...], dropped: dict[int, str], checker: _Checker
) -> tuple[RequestStatus, ...]:
    delivered: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for m in missions:
        for carried in m.lifts:
            delivered[carried.request_ref].append(
                (m.plan.legs[carried.delivery_leg].eta_utc, m.tail)
            )
    lifts_of: dict[str, list[int]] = defaultdict(list)
    for i, lift in enumerate(model.lifts):
        lifts_of[lift.request.ref].append(i)
    busy = _busy_days(model, missions)
    out = []
    for lift_ids in lifts_of.values():
        r = model.lifts[lift_ids[0]].request
        done = delivered.get(r.ref, [])
        n = len(lift_ids)
        when = max((d for d, _ in done), default=None)
        status = "delivered" if len(done) == n else ("partial" if done else "unmet")
        reason = (
            "" if status == "delivered" else _reason(model, r, lift_ids, dropped, busy, checker)
        )
        split = f"split into {n} lifts; " if n > 1 else ""
        out.append(
            RequestStatus(
                r.ref,
                status,
                r.priority,
                r.optional,
                n,
                len(done),
                when,
                when is not None and when <= r.latest_utc,
                (split + reason).rstrip("; "),
                tuple(sorted({t for _, t in done})),
            )
        )
    for u in model.unservable:
        out.append(
            RequestStatus(
                u.request.ref,
                "unmet",
                u.request.priority,
                u.request.optional,
                0,
                0,
                None,
                False,
                u.reason,
                (),
            )
        )
    return tuple(sorted(out, key=lambda s: s.request_ref))


def _busy_days(model: AirliftModel, missions: tuple[Mission, ...]) -> dict[int, float]:
    """Share of available tail-days flown, per day index."""
    flown: dict[int, int] = defaultdict(int)
    for m in missions:
        flown[m.day] += 1
    available: dict[int, int] = defaultdict(int)
    for td in model.tail_days:
        available[td.day] += 1
    return {d: flown[d] / available[d] for d in available}


def _reason(
    model: AirliftModel,
    r: MovementRequest,
    lift_ids: list[int],
    dropped: dict[int, str],
    busy: dict[int, float],
    checker: _Checker,
) -> str:
    for i in lift_ids:
        if i in dropped:
            return dropped[i] + "; no other tail could take it"
    days = [
        td
        for td in model.tail_days
        if td.window[0] < r.latest_utc and td.window[1] > r.earliest_utc
    ]
    if not days:
        return (
            "no tail flies inside the request's window (flying window civil dawn to dusk, "
            "maintenance or planning horizon)"
        )
    reach = [td for td in days if _can_reach(model, td, r)]
    if not reach:
        return (
            f"window closes before any tail can reach {r.origin} and fly to "
            f"{r.destination} (home bases too far or flying window too short)"
        )
    # Would the lift fly on its own on an otherwise idle tail-day? If never, say why.
    lift = unmet[0] if (unmet := [i for i in lift_ids if i not in dropped]) else lift_ids[0]
    # One trial per (type, home base): the first reachable day of each, until one flies it
    # (a mission-planner check per trial: on a large programme with thousands of unmet
    # requests, trying every kind of tail took longer than the search itself).
    firsts: dict[tuple[str, str], TailDay] = {}
    for td in reach:
        firsts.setdefault((td.tail.type.designator, td.tail.home_base), td)
    tried = []
    for td in firsts.values():
        alone = checker.check(model.vehicle_of[td], ((lift, True), (lift, False)))
        if alone.ok:
            break
        tried.append(alone)
    else:
        worst = min(tried, key=lambda a: len(a.problems) or 99)
        first = worst.problems[0] if worst.problems else "no feasible mission"
        return f"no tail can fly it even alone: {first}"
    day_ids = sorted({d.day for d in reach if d.tail.type is td.tail.type})
    names = ", ".join(
        f"{(model.scenario.start_utc + timedelta(days=d)):%Y-%m-%d}" for d in day_ids[:3]
    )
    share = max(busy.get(d, 0.0) for d in day_ids)
    return (
        f"fleet capacity exhausted on {names} ({share:.0%} of tails flying); "
        f"{td.tail.registration} ({td.tail.type.designator}) could fly it alone on "
        f"{model.scenario.start_utc + timedelta(days=td.day):%Y-%m-%d}; lowest priority "
        f"first (this request: priority {r.priority}{', optional' if r.optional else ''})"
    )


def _can_reach(model: AirliftModel, td: TailDay, r: MovementRequest) -> bool:
    loc = model.location_of
    i, j, home = loc[r.origin], loc[r.destination], loc[td.tail.home_base]
    vt = model.problem.vehicle_types[model.vehicle_of[td]]
    dur = model.problem.duration[vt.profile]
    start = max(model.minutes(td.window[0]), model.minutes(r.earliest_utc) - int(dur[home, i]))
    arrive = start + dur[home, i] + dur[i, j]
    back = arrive + dur[j, home]
    return bool(
        arrive <= model.minutes(r.latest_utc) + 60
        and back <= vt.tw[1] + 60
        and back - start <= vt.max_duration
    )


def _kpis(
    model: AirliftModel, missions: tuple[Mission, ...], statuses: tuple[RequestStatus, ...]
) -> Kpis:
    tonnes = sum(x.cargo_kg for m in missions for x in m.lifts) / 1000.0
    pax = sum(x.pax for m in missions for x in m.lifts)
    flying: dict[str, float] = defaultdict(float)
    for m in missions:
        flying[m.tail] += m.flight_time_min / 60.0
    days_available: dict[str, int] = defaultdict(int)
    for td in model.tail_days:
        days_available[td.tail.registration] += 1
    served = [s for s in statuses if s.status == "delivered"]
    legs = [leg for m in missions for leg in m.plan.legs]
    return Kpis(
        tonnes_delivered=tonnes,
        pax_delivered=pax,
        requests=len(statuses),
        delivered=len(served),
        partial=sum(s.status == "partial" for s in statuses),
        unmet=sum(s.status == "unmet" for s in statuses),
        required_unmet=sum(s.status != "delivered" and not s.optional for s in statuses),
        on_time_pct=100.0 * sum(s.on_time for s in served) / len(served) if served else 0.0,
        flying_hours=sum(flying.values()),
        missions=len(missions),
        tails_used=len({m.tail for m in missions}),
        utilisation_h_per_day={t: flying[t] / max(1, n) for t, n in days_available.items()},
        legs_checked=len(legs),
        legs_passing=sum(not any(lim.violated for lim in leg.limits) for leg in legs),
    )
