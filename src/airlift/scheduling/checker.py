"""Routes decoded into missions and checked by the mission planner; repair and re-insertion.

The engine solves the generic problem; what it cannot see (exact fuel and weights per leg,
tankering, runway limits at the day's OAT, daylight at each strip, MOG) is checked here by
running the mission planner on every decoded mission (:class:`Checker`). A mission that
breaks any limit loses lifts (lowest priority first) until it passes (:meth:`Checker.repair`);
dropped lifts are offered to other missions and unused tail-days, each offer checked the same
way (:func:`reinsert`). Used by the scheduler and the re-planner.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from airlift.airfields import lookup
from airlift.errors import AirliftError
from airlift.mission import Load, MissionInput, MissionPlan, Options, plan
from airlift.scheduling.inputs import AirfieldOverride, FleetTail
from airlift.scheduling.lifts import PAX_MASS_KG, Lift, split_for
from airlift.scheduling.model import (
    PRE_POST_FLIGHT_MIN,
    AirliftModel,
    TailDay,
    compatible,
    restriction_keys,
)
from airlift.scheduling.scenario_airfields import apply_override, scenario_airfield

Visit = tuple[int, bool]
"""(lift index, is pickup): one activity of a route, in order."""


@dataclass(frozen=True, slots=True)
class Checked:
    visits: tuple[Visit, ...]
    plan: MissionPlan | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.problems


def without(visits: Sequence[Visit], lift: int) -> tuple[Visit, ...]:
    return tuple(v for v in visits if v[0] != lift)


def mission_input(
    model: AirliftModel,
    tail: FleetTail,
    stops: Sequence[str],
    loads: Sequence[Load],
    not_before: Sequence[datetime | None],
    pre_flight_min: float = PRE_POST_FLIGHT_MIN * 0.75,
    duty_limit_h: float | None = None,
    overrides: Sequence[tuple[str, AirfieldOverride]] = (),
) -> MissionInput:
    """The mission planner's input for a tail flying ``stops`` with ``loads`` per leg, each
    leg off-block not before its slot (the first one's slot is the departure); the crew's
    duty limit is the tail's unless ``duty_limit_h`` says; ``overrides``: airfield changes
    for the day (:class:`~airlift.scheduling.model.AirfieldWindow`), in order."""
    airfields = {a.icao: a for a in model.airfields}
    for icao, change in overrides:
        if icao in airfields:
            airfields[icao] = apply_override(airfields[icao], change)
    first = not_before[0]
    assert first is not None
    return MissionInput(
        aircraft=tail.type,
        # An airfield outside the model (a re-planned programme's stop for a request since
        # cancelled) is taken as the scenario plans it.
        stops=tuple(
            airfields[s] if s in airfields else scenario_airfield(lookup(s), model.scenario)
            for s in stops
        ),
        departure_utc=first,
        loads=tuple(loads),
        weather=model.weather,
        options=Options(
            policy=model.policy,
            duty_limit_h=tail.duty_limit_h if duty_limit_h is None else duty_limit_h,
            pre_flight_min=pre_flight_min,
            post_flight_min=PRE_POST_FLIGHT_MIN * 0.25,
            pax_mass_kg=PAX_MASS_KG,
            ground_mode=model.scenario.ground_mode,
        ),
        not_before_utc=tuple(not_before),
        airspace=model.airspace,
    )


CLOCK_EVERY = 16
"""Mission checks between two looks at the clock inside a search (a check is milliseconds)."""


class Checker:
    """Decodes visit sequences into missions and checks them with the mission planner."""

    def __init__(self, model: AirliftModel, deadline: float | None = None) -> None:
        self.model = model
        self.loc = {name: i for i, name in enumerate(model.problem.names)}
        self.evaluations = 0
        self.deadline = deadline
        """``time.perf_counter()`` after which the improving phases (re-insertion,
        re-splitting) stop with what they have; None: only their budgets stop them."""
        self.cut_short = False
        """An improving phase stopped at the deadline before its budget ran out."""
        self.cache: dict[tuple[int, tuple[Visit, ...], datetime | None], Checked] = {}
        self.not_before: dict[int, datetime] = {}
        """Vehicle -> its first off-block no earlier than this (a mission re-timed out of a
        MOG clash, :func:`settle_mog`)."""

    def out_of_time(self) -> bool:
        """Past the deadline (and noted: the answer says the limit cut it short)."""
        if self.deadline is not None and time.perf_counter() >= self.deadline:
            self.cut_short = True
        return self.cut_short

    def seconds_per_check(self, samples: int = 16) -> float | None:
        """Mean wall time of one mission-planner check on this machine now (slower when it is
        busy): one-lift missions of evenly spaced lifts, each on a tail-day whose window meets
        its request's, per mission planned (one screened out costs next to nothing); None
        when none was."""
        model = self.model
        planned = 0
        start = time.perf_counter()
        for i in range(0, len(model.lifts), max(1, len(model.lifts) // samples)):
            r = model.lifts[i].request
            v = next(
                (
                    v
                    for v, td in enumerate(model.tail_days)
                    if td.window[0] < r.latest_utc and td.window[1] > r.earliest_utc
                ),
                None,
            )
            if v is not None and self._check(v, ((i, True), (i, False))).plan is not None:
                planned += 1  # ``_check``, not ``check``: a cached answer takes no time
        return (time.perf_counter() - start) / planned if planned else None

    def forget(self, first: int) -> None:
        """Drop the checks of visits to lifts ``first`` and above (lifts tried and taken
        back: their indices will name other lifts)."""
        self.cache = {key: c for key, c in self.cache.items() if all(i < first for i, _ in key[1])}

    def check(self, v: int, visits: tuple[Visit, ...]) -> Checked:
        key = (v, visits, self.not_before.get(v))
        if key not in self.cache:
            self.evaluations += 1
            if self.evaluations % CLOCK_EVERY == 0:
                self.out_of_time()  # long searches (best_insertion) stop on cut_short
            self.cache[key] = self._check(v, visits)
        return self.cache[key]

    def _check(self, v: int, visits: tuple[Visit, ...]) -> Checked:
        # Start late (short duty day) if that works, else as early as the window allows.
        late = self._check_start(v, visits, late_start=True)
        if late.ok or late.plan is None:
            return late
        early = self._check_start(v, visits, late_start=False)
        return early if early.ok or len(early.problems) < len(late.problems) else late

    def _check_start(self, v: int, visits: tuple[Visit, ...], late_start: bool) -> Checked:
        model, td = self.model, self.model.tail_days[v]
        if not visits:
            return Checked(visits, None, ())
        stops, legs_on_board, pickup_leg, delivery_leg = route_stops(model, td, visits)
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
        problems += [f"{icao} is closed on this day" for icao in td.closed.intersection(stops)]
        problems += [
            f"{model.lifts[i].id}: {td.tail.registration} does not meet restriction {key}"
            for i in {i for i, _ in visits}
            for key in restriction_keys(model.lifts[i].request)
            if not compatible(td.tail, key)
        ]
        if problems:
            return Checked(visits, None, tuple(problems))
        not_before = self._slots(td, stops, pickup_leg, late_start, self.not_before.get(v))
        quick = self._screen(td, stops, not_before, delivery_leg)
        if quick:
            return Checked(visits, None, (quick,))
        mission = mission_input(model, td.tail, stops, loads, not_before, overrides=td.overrides)
        try:
            p = plan(mission)
        except AirliftError as exc:
            return Checked(visits, None, (str(exc),))
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
        return Checked(visits, p, tuple(problems))

    def _slots(
        self,
        td: TailDay,
        stops: list[str],
        pickup_leg: dict[int, int],
        late_start: bool,
        start: datetime | None = None,
    ) -> list[datetime | None]:
        """Earliest off-block per leg: each pickup waits for its load. With ``late_start`` the
        first leg leaves as late as reaches every load without waiting (shortest duty day);
        otherwise at the start of the flying window, or at ``start`` if later."""
        model, loc = self.model, self.loc
        dur = model.problem.duration[model.profile_of[td.tail.type.designator]]
        offset = [0.0]
        for a, b in itertools.pairwise(stops):
            offset.append(offset[-1] + float(dur[loc[a], loc[b]]))
        ready: list[datetime | None] = [None] * (len(stops) - 1)
        first = td.window[0] if start is None else max(td.window[0], start)
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
    ) -> tuple[Checked, dict[int, str]]:
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
            current = self.check(v, without(current.visits, lift))
            extra = ""
        return current, dropped

    def _culprit(self, v: int, c: Checked) -> int:
        model = self.model
        _, on_board, _, _ = route_stops(model, model.tail_days[v], c.visits)
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
        self,
        lift: int,
        checked: dict[int, Checked],
        bump: bool = False,
        bump_required: bool = True,
    ) -> tuple[int, Checked, int | None] | None:
        """The cheapest feasible place for a lift in any tail-day (flight minutes added):
        (vehicle, checked mission, lift bumped out or None). With ``bump``, a less
        important lift may be taken off a mission to make room. Past the deadline, the
        cheapest found so far (one search over every tail-day of a large theatre is hundreds
        of checks)."""
        model = self.model
        r = model.lifts[lift].request
        best: tuple[float, int, Checked, int | None] | None = None
        for v, td in enumerate(model.tail_days):
            if self.cut_short:  # past the deadline: the best place found so far
                break
            if td.window[1] < r.earliest_utc or td.window[0] > r.latest_utc:
                continue
            current = checked.get(v)
            visits0 = current.visits if current else ()
            base_min = current.plan.total_flight_time_min if current and current.plan else 0.0
            bases: list[tuple[tuple[Visit, ...], int | None]] = [(visits0, None)]
            if bump:
                bases = [
                    (without(visits0, b), b)
                    for b in sorted({i for i, _ in visits0})
                    if rank(model.lifts[b]) < rank(model.lifts[lift])
                    and (bump_required or model.lifts[b].request.optional)
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


def rank(lift: Lift) -> tuple[bool, int]:
    """Importance: required before optional, then priority 1 before 4 (larger = first)."""
    return (not lift.request.optional, -lift.request.priority)


UNCHECKED = "not flown: the time limit ran out before the mission planner checked its mission"
"""Why a lift the engine placed is not flown when the limit cut the checks after it: every
mission reported has passed the mission planner."""


def check_routes(
    checker: Checker,
    routes: dict[int, tuple[Visit, ...]],
    checked: dict[int, Checked],
    dropped: dict[int, str],
) -> None:
    """Each engine route (vehicle -> visits) checked and repaired by the mission planner into
    ``checked``, its dropped lifts into ``dropped``. The routes with the most important lifts
    go first: past the checker's deadline the rest are not flown (:data:`UNCHECKED`) rather
    than checked late, so every mission reported has passed and the limit holds."""
    lifts = checker.model.lifts

    def importance(visits: tuple[Visit, ...]) -> tuple[bool, int]:
        return max(rank(lifts[i]) for i, _ in visits)

    for v, visits in sorted(routes.items(), key=lambda kv: importance(kv[1]), reverse=True):
        if checker.out_of_time():
            dropped.update(dict.fromkeys((i for i, _ in visits), UNCHECKED))
            continue
        result, removed = checker.repair(v, visits)
        dropped.update(removed)
        if result.visits:
            checked[v] = result


def reinsert(
    model: AirliftModel,
    checker: Checker,
    checked: dict[int, Checked],
    dropped: dict[int, str],
    budget: int,
    settled: frozenset[int] | set[int] = frozenset(),
    bump_required: bool = True,
) -> None:
    """Offer every unserved lift, most important first, to every tail-day; if none has room,
    let it bump a less important lift (which is then offered in turn). Stops after ``budget``
    mission checks, a count rather than a clock so that a seed fixes the programme, or at the
    checker's deadline, whichever comes first (the wall-clock limit holds).
    ``settled``: lifts carried or lost elsewhere (a re-plan's frozen missions), not offered.
    Without ``bump_required`` only optional lifts are bumped (a re-plan: trading one
    required lift for another serves no more and changes the programme)."""
    served = {i for c in checked.values() for i, _ in c.visits} | set(settled) | model.superseded
    queue = sorted(
        (i for i in range(len(model.lifts)) if i not in served),
        key=lambda i: rank(model.lifts[i]),
        reverse=True,
    )
    start = checker.evaluations
    while queue and checker.evaluations - start < budget and not checker.out_of_time():
        lift = queue.pop(0)
        found = checker.best_insertion(lift, checked)
        if found is None and rank(model.lifts[lift]) > (False, -4):
            found = checker.best_insertion(lift, checked, True, bump_required)
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
            queue.sort(key=lambda i: rank(model.lifts[i]), reverse=True)


def route_stops(
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


@dataclass(frozen=True, slots=True)
class MogClash:
    """An arrival that would exceed an airfield's MOG."""

    vehicle: int
    lifts: set[int]
    """Every lift the arriving mission loads or unloads there."""
    wait: timedelta
    """How much later it could arrive with room on the ground."""
    reason: str
    blockers: tuple[tuple[int, timedelta, set[int]], ...] = ()
    """The missions on the ground then, each with how much later it would have to arrive
    to land after this one has left, and its lifts loaded or unloaded there."""


MOG_RETIMES = 3
"""Re-timings tried per mission before its business at the airfield is dropped."""


def mog_conflict(model: AirliftModel, checked: dict[int, Checked]) -> MogClash | None:
    """The first arrival that would exceed an airfield's MOG (its mission's lifts there and
    how long it would have to wait). Dropping the lifts takes the stop out of that route."""
    limited = {a.icao for a in model.airfields if a.planning.mog}
    limited |= {w.icao for w in model.windows if w.override.mog is not None}
    events: dict[str, list[tuple[datetime, datetime, int, int]]] = defaultdict(list)
    for v, c in checked.items():
        if c.plan is None:
            continue
        legs = c.plan.legs
        for k in range(len(legs) - 1):
            events[legs[k].destination].append((legs[k].eta_utc, legs[k + 1].etd_utc, v, k))

    def at_stop(v: int, k: int) -> set[int]:
        """The lifts mission ``v`` loads or unloads where its leg ``k`` lands."""
        _, _, pickup_leg, delivery_leg = route_stops(model, model.tail_days[v], checked[v].visits)
        return {i for i, leg in pickup_leg.items() if leg == k + 1} | {
            i for i, leg in delivery_leg.items() if leg == k
        }

    for icao, stays in sorted(events.items()):
        if icao not in limited:
            continue
        stays.sort()
        # A sweep in arrival order: ``on_ground`` holds the earlier stays not yet left, so
        # each arrival looks at those alone (re-scanning every earlier stay was quadratic in
        # an airfield's stays, and this runs once per clash settled).
        on_ground: list[tuple[datetime, datetime, int, int]] = []
        for arrive, leave, v, k in stays:
            on_ground = [s for s in on_ground if s[1] > arrive]
            there = [s for s in on_ground if s[2] != v]
            on_ground.append((arrive, leave, v, k))
            mog = model.mog_at(icao, arrive)
            leaving = sorted(d for _, d, _, _ in there)
            if mog is not None and len(leaving) >= mog:
                wait = leaving[len(leaving) - mog] - arrive + timedelta(minutes=1)
                reason = f"MOG {mog} at {icao} reached at {arrive:%Y-%m-%d %H:%MZ}"
                after = tuple(
                    (w, leave - a + timedelta(minutes=1), at_stop(w, j)) for a, _, w, j in there
                )
                return MogClash(v, at_stop(v, k), wait, reason, after)
    return None


def _retime(checker: Checker, checked: dict[int, Checked], v: int, wait: timedelta) -> bool:
    """Mission ``v`` started ``wait`` later, if it still passes every check."""
    current = checked[v]
    if current.plan is None:
        return False
    before = checker.not_before.get(v)
    checker.not_before[v] = current.plan.legs[0].etd_utc + wait
    later = checker.check(v, current.visits)
    if later.ok:
        checked[v] = later
        return True
    if before is None:
        del checker.not_before[v]
    else:
        checker.not_before[v] = before
    return False


def settle_mog(
    model: AirliftModel,
    checker: Checker,
    checked: dict[int, Checked],
    dropped: dict[int, str],
    keep: Set[int] = frozenset(),
) -> None:
    """Settle every arrival over an airfield's MOG by re-timing before removing anything:
    the later mission arrives once there is room, or a mission on the ground arrives after
    it has left, if the re-timed mission still passes every check (at most
    :data:`MOG_RETIMES` times per mission). Else one mission's business there is dropped:
    the least important (:func:`rank` of its most important lift there), a mission
    carrying a lift in ``keep`` (a re-plan's promises) last, the later arrival on a tie."""
    retimed: dict[int, int] = defaultdict(int)

    def importance(lifts: set[int]) -> tuple[bool, tuple[bool, int]]:
        return not keep.isdisjoint(lifts), max(
            (rank(model.lifts[i]) for i in lifts), default=(False, 0)
        )

    while (clash := mog_conflict(model, checked)) is not None:
        moves = [(clash.vehicle, clash.wait), *((w, wait) for w, wait, _ in clash.blockers)]
        moved = False
        for w, wait in moves:
            if retimed[w] < MOG_RETIMES:
                retimed[w] += 1
                if _retime(checker, checked, w, wait):
                    moved = True
                    break
        if moved:
            continue
        parties = [(clash.vehicle, clash.lifts), *((w, lifts) for w, _, lifts in clash.blockers)]
        v, lifts = min(parties, key=lambda p: importance(p[1]))
        visits = tuple(x for x in checked[v].visits if x[0] not in lifts)
        result, removed = checker.repair(v, visits)
        dropped.update(dict.fromkeys(lifts, clash.reason))
        dropped.update(removed)
        if result.visits:
            checked[v] = result
        else:
            del checked[v]


MAX_PIECES = 6
"""A request is split again into at most this many lifts for a smaller type."""


def resplit(
    model: AirliftModel,
    checker: Checker,
    checked: dict[int, Checked],
    budget: int,
    settled: frozenset[int] | set[int] = frozenset(),
) -> AirliftModel:
    """Required requests none of whose lifts flies, split again for each other type that
    can carry part of them (largest first): the new lifts go where checked missions accept
    them, all or none. Lifts are sized for the best type, so when that type is busy a
    request it alone could lift stays on the ground while smaller types sit idle; split
    for them, it flies. Returns the model with the lifts that flew (the checker's too);
    stops after ``budget`` mission checks or at the checker's deadline."""
    start = checker.evaluations
    served = set(settled) | {i for c in checked.values() for i, _ in c.visits}
    by_request: dict[str, list[int]] = defaultdict(list)
    for i, lift in enumerate(model.lifts):
        if i not in model.superseded:
            by_request[lift.request.ref].append(i)
    for ids in by_request.values():
        r = model.lifts[ids[0]].request
        if r.optional or served.intersection(ids):
            continue
        tails = [
            t
            for t in {td.tail.type.designator: td.tail for td in model.tail_days}.values()
            if all(compatible(t, key) for key in restriction_keys(r))
        ]
        options = sorted(
            (
                (model.pair_capacity_kg.get((t.type.designator, r.origin, r.destination), 0.0), t)
                for t in tails
            ),
            key=lambda x: -x[0],
        )
        for kg, tail in options:
            pieces = split_for(r, tail.type, kg) if kg > 0 else []
            if not len(ids) < len(pieces) <= MAX_PIECES:
                continue
            if checker.evaluations - start >= budget or checker.out_of_time():
                return model
            trial_model = model.with_lifts(pieces, ids)
            checker.model = trial_model
            trial = dict(checked)
            first = len(model.lifts)
            for k in range(first, first + len(pieces)):
                found = checker.best_insertion(k, trial)
                if found is None:
                    break
                trial[found[0]] = found[1]
            else:
                checked.update(trial)
                model = trial_model
                break
            checker.model = model
            checker.forget(first)  # the next split reuses these lift indices
    checker.model = model
    return model
