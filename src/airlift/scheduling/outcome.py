"""A checked solution read back as a programme: missions, the status of every request with
the reason it is not delivered, and the programme's figures."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta

from airlift.scheduling.checker import UNCHECKED, Checked, Checker, route_stops
from airlift.scheduling.inputs import MovementRequest
from airlift.scheduling.model import AirliftModel, TailDay
from airlift.scheduling.programme import Kpis, LiftOnBoard, Mission, RequestStatus


def mission_of(model: AirliftModel, v: int, c: Checked) -> Mission:
    td = model.tail_days[v]
    assert c.plan is not None
    _, _, pickup_leg, delivery_leg = route_stops(model, td, c.visits)
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


def request_statuses(
    model: AirliftModel,
    missions: tuple[Mission, ...],
    dropped: dict[int, str],
    checker: Checker,
    until: float | None = None,
) -> tuple[RequestStatus, ...]:
    """Every request's status and, when not delivered, why. A request no mission made room
    for is tried alone on an idle tail-day (a mission-planner check), to tell "the fleet is
    full" from "no tail can fly it"; after ``until`` (``time.perf_counter()``), the time
    limit's end, that check is left out and the reason says so."""
    delivered: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for m in missions:
        for carried in m.lifts:
            delivered[carried.request_ref].append(
                (m.plan.legs[carried.delivery_leg].eta_utc, m.tail)
            )
    lifts_of: dict[str, list[int]] = defaultdict(list)
    for i, lift in enumerate(model.lifts):
        if i not in model.superseded:
            lifts_of[lift.request.ref].append(i)
    busy = _busy_days(model, missions)
    out = []
    for lift_ids in lifts_of.values():
        r = model.lifts[lift_ids[0]].request
        done = delivered.get(r.ref, [])
        n = len(lift_ids)
        when = max((d for d, _ in done), default=None)
        status = "delivered" if len(done) == n else ("partial" if done else "unmet")
        in_time = until is None or time.perf_counter() < until
        reason = (
            ""
            if status == "delivered"
            else _reason(model, r, lift_ids, dropped, busy, checker if in_time else None)
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
    checker: Checker | None,
) -> str:
    """Why request ``r`` is not delivered; without ``checker`` (out of time), without trying
    it alone on an idle tail-day."""
    for i in lift_ids:
        if dropped.get(i) == UNCHECKED:
            return UNCHECKED
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
    unreachable = (
        f"window closes before any tail can reach {r.origin} and fly to "
        f"{r.destination} (home bases too far or flying window too short)"
    )
    if checker is None:
        if not any(_can_reach(model, td, r) for td in days):
            return unreachable
        return (
            "no mission had room for it; whether a tail could fly it alone was not checked: "
            "the time limit ran out (a longer limit says more)"
        )
    reach = [td for td in days if _can_reach(model, td, r)]
    if not reach:
        return unreachable
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


def programme_kpis(
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
