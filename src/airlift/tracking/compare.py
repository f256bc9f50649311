"""Plan against actual: each reported leg held against its planned leg, delays carried down
each tail's day and the re-timed missions re-checked by the mission planner.

The plan is the programme document (:func:`airlift.export.programme.programme_document`,
what ``airlift schedule --json`` writes and what a stored run keeps), so the CLI and the
web app compare the same thing; a :class:`~airlift.scheduling.programme.Programme` is turned
into its document first.

Matching reports to planned legs (nearest in time, same tail and origin; several sources of
one flight merged; the rest *unplanned*): :mod:`airlift.tracking.legs`.

Delays propagate: a leg not yet reported leaves at its planned off-block, or when the
previous leg is in (actual or projected) plus the turnaround, whichever is later: a leg
is never moved earlier, and a reported time is never changed. A mission with a leg moved
later is planned again (:func:`airlift.mission.plan`, the projected off-blocks as slots,
the crew's duty still starting at its planned show time) and each limit a leg not yet
landed now breaks is named with its amount: ``leg 3 GATS-DRRN now lands at DRRN after
civil twilight by 22 min``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from airlift.aircraft import AircraftType, aircraft_type
from airlift.airfields import Airfield, lookup
from airlift.atmosphere import Weather
from airlift.errors import AirliftError
from airlift.fuel_policy import POLICIES, FuelPolicy
from airlift.mission import Limit, LimitName, Load, MissionInput, Options
from airlift.mission.retime import PlanCache
from airlift.scheduling.inputs import Scenario
from airlift.scheduling.lifts import PAX_MASS_KG
from airlift.scheduling.scenario_airfields import scenario_airfield
from airlift.tracking.legs import PlannedLeg, match, planned_legs, time_field
from airlift.tracking.model import LegActual

ON_TIME_MIN = 15.0
"""A departure within this many minutes of its planned off-block is on time (the usual
airline measure, D15)."""

LEG_STATUSES = ("planned", "delayed", "departed", "airborne", "landed", "diverted", "not flown")
REQUEST_STATUSES = (
    "planned",
    "in transit",
    "delivered",
    "late",
    "partial",
    "not flown",
    "not planned",
)


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LegTimes:
    """OUT, OFF, ON, IN (UTC)."""

    out_utc: datetime
    off_utc: datetime
    on_utc: datetime
    in_utc: datetime


@dataclass(frozen=True, slots=True)
class LegResult:
    """One planned leg against what was reported. Minutes, kg, % as named."""

    planned: PlannedLeg
    actual: LegActual | None
    projected: LegTimes
    """Reported times where given; otherwise as delays carry down the tail's day."""
    status: str
    departure_delay_min: float | None
    """Actual OUT (else OFF) against plan; None until it departs."""
    arrival_delay_min: float | None
    """Actual IN (else ON) against plan; None until it lands."""
    projected_delay_min: float
    """Projected OUT against planned OUT (the actual one once departed)."""
    actual_burn_kg: float | None
    burn_vs_plan_pct: float | None
    actual_cargo_kg: float | None
    cargo_vs_plan_kg: float | None
    problems: tuple[str, ...] = ()
    """Each limit the re-timed leg now breaks, with its amount."""

    @property
    def destination(self) -> str:
        """Where it landed (or is expected): the planned destination unless diverted."""
        if self.actual and self.actual.destination:
            return self.actual.destination
        return self.planned.destination


@dataclass(frozen=True, slots=True)
class RequestResult:
    request_ref: str
    status: str
    lifts: int
    lifts_delivered: int
    planned_kg: float
    delivered_kg: float
    delivered_utc: datetime | None
    latest_utc: datetime | None
    late_min: float | None
    """Minutes after its latest time; None when on time, not (wholly) delivered or no window is
    known."""


@dataclass(frozen=True, slots=True)
class Figures:
    legs: int
    departed: int
    on_time_departures: int
    on_time_pct: float | None
    """% of departed legs within :data:`ON_TIME_MIN` of plan; None before any departs."""
    tonnes_planned: float
    tonnes_delivered: float
    delivered_pct: float | None
    unplanned: int
    newly_infeasible: int
    """Legs not yet landed that the re-timed mission makes break a limit."""
    by_status: dict[str, int]


@dataclass(frozen=True, slots=True)
class TrackingReport:
    scenario: str
    as_of_utc: datetime
    legs: tuple[LegResult, ...]
    requests: tuple[RequestResult, ...]
    unplanned: tuple[LegActual, ...]
    figures: Figures
    notes: tuple[str, ...] = field(default=())


# --- matching -------------------------------------------------------------------------------


# --- propagation ----------------------------------------------------------------------------


def _landed(a: LegActual | None) -> bool:
    return a is not None and (a.on_utc is not None or a.in_utc is not None)


def _departed(a: LegActual | None) -> bool:
    return a is not None and (a.out_utc is not None or a.off_utc is not None or _landed(a))


def _leg_times(p: PlannedLeg, a: LegActual | None, ready: datetime | None) -> LegTimes:
    taxi_out, flight, taxi_in = p.off_utc - p.out_utc, p.on_utc - p.off_utc, p.in_utc - p.on_utc
    if a is not None and (a.out_utc or a.off_utc):
        out = a.out_utc or (a.off_utc - taxi_out if a.off_utc else p.out_utc)
        off = a.off_utc or out + taxi_out
        on = a.on_utc or (a.in_utc - taxi_in if a.in_utc else off + flight)
    elif a is not None and (a.on_utc or a.in_utc):  # only the arrival is known
        on = a.on_utc or (a.in_utc - taxi_in if a.in_utc else p.on_utc)
        off = on - flight
        out = off - taxi_out
    else:
        out = max(p.out_utc, ready) if ready is not None else p.out_utc
        off, on = out + taxi_out, out + taxi_out + flight
    in_ = a.in_utc if a is not None and a.in_utc else on + taxi_in
    return LegTimes(out, off, on, in_)


def propagate(
    legs: Sequence[PlannedLeg], actuals: Sequence[LegActual | None], turnaround_min: float
) -> list[LegTimes]:
    """Times of one tail's day, legs in order: reported times as reported; a leg not yet
    reported leaves at its planned OUT or when the previous leg is in plus the turnaround
    (``turnaround_min``, never more than the plan's own gap), whichever is later."""
    out: list[LegTimes] = []
    for i, (p, a) in enumerate(zip(legs, actuals, strict=True)):
        ready = None
        if i:
            gap = p.out_utc - legs[i - 1].in_utc
            turn = min(timedelta(minutes=turnaround_min), max(gap, timedelta(0)))
            ready = out[-1].in_utc + turn
        out.append(_leg_times(p, a, ready))
    return out


# --- re-check with the mission planner ------------------------------------------------------


@dataclass
class PlanningContext:
    """What re-checking a document's missions needs: its scenario's airfields and the
    aircraft types, each read once."""

    document: Mapping[str, Any]
    scenario: Scenario
    airfields: dict[str, Airfield] = field(default_factory=dict)
    types: dict[str, AircraftType] = field(default_factory=dict)

    def airfield(self, code: str) -> Airfield:
        if code not in self.airfields:
            self.airfields[code] = scenario_airfield(lookup(code), self.scenario)
        return self.airfields[code]

    def aircraft(self, name: str) -> AircraftType:
        if name not in self.types:
            self.types[name] = aircraft_type(name)
        return self.types[name]


def _policy(doc: Mapping[str, Any]) -> FuelPolicy:
    name = str(doc.get("name", "icao"))
    if name in POLICIES:
        return POLICIES[name]
    return replace(
        POLICIES["icao"],
        name=name,
        contingency_pct=float(doc["contingency_pct"]),
        contingency_min_minutes=float(doc["contingency_min_minutes"]),
        final_reserve_min=float(doc["final_reserve_min"]),
        alternate=bool(doc["alternate"]),
        description=str(doc.get("description", "")),
    )


def _limit_text(number: int, origin: str, destination: str, lim: Limit) -> str:
    excess = -lim.margin
    leg = f"leg {number} {origin}-{destination}"
    if lim.name == LimitName.DAYLIGHT:
        what = "lands at" if "landing" in lim.detail else "takes off from"
        where = destination if what == "lands at" else origin
        side = "before civil dawn" if lim.limit == 0.0 else "after civil twilight"
        return f"{leg} now {what} {where} {side} by {excess:,.0f} min ({lim.detail})"
    if lim.name == LimitName.DUTY:
        return f"{leg} now ends the crew duty day {excess:,.0f} min past its limit ({lim.detail})"
    if lim.name == LimitName.HOURS:
        return f"{leg} now falls outside opening hours by {excess:,.0f} min ({lim.detail})"
    return f"{leg} now breaks {lim.name} by {excess:,.0f} {lim.unit} ({lim.detail})"


PLANS = PlanCache(size=1024)
"""The re-checked missions by all but their times: a mission re-checked before (an earlier
comparison, the board's last refresh) is re-timed (:func:`airlift.mission.retime`), not
planned again. 1,024 missions is about six programmes of 500 legs, about 20 MB (a
three-leg plan and its input hold about 20 kB)."""


def mission_input(
    ctx: PlanningContext,
    mission: Mapping[str, Any],
    legs: Sequence[PlannedLeg],
    times: Sequence[LegTimes],
) -> MissionInput:
    """The mission of the document at its projected times, as the mission planner takes it:
    the projected off-blocks as slots, the crew's duty still starting at its planned show
    time, the document's surface temperatures."""
    doc_plan = mission["plan"]
    t = ctx.aircraft(str(mission["aircraft"]))
    stops = tuple(ctx.airfield(c) for c in [legs[0].origin, *(p.destination for p in legs)])
    weather: dict[str, Weather] = {}
    for leg in doc_plan["legs"]:
        for code, key in (
            (leg["origin"], "origin_oat_c"),
            (leg["destination"], "destination_oat_c"),
        ):
            if leg.get(key) is not None:
                weather.setdefault(code, Weather(float(leg[key]), source="programme document"))
    duty = doc_plan["duty"]
    duty_start = time_field(duty["start_utc"], "duty.start_utc")
    planned_pre = (legs[0].out_utc - duty_start).total_seconds() / 60.0
    post = (time_field(duty["end_utc"], "duty.end_utc") - legs[-1].in_utc).total_seconds() / 60.0
    limit_min = duty.get("limit_min")
    options = Options(
        policy=_policy(doc_plan.get("fuel_policy", {})),
        pax_mass_kg=PAX_MASS_KG,
        duty_limit_h=float(limit_min) / 60.0 if limit_min else Options().duty_limit_h,
        # The crew showed at the planned time: a late first departure eats into the duty day.
        pre_flight_min=max(planned_pre, (times[0].out_utc - duty_start).total_seconds() / 60.0),
        post_flight_min=max(post, 0.0),
        ground_time_min=0.0,  # the turnarounds are in the slots
        ground_mode=ctx.scenario.ground_mode,
    )
    return MissionInput(
        aircraft=t,
        stops=stops,
        departure_utc=times[0].out_utc,
        loads=tuple(Load(p.cargo_kg, p.pallets, p.pax) for p in legs),
        weather=weather,
        options=options,
        not_before_utc=tuple(x.out_utc for x in times),
    )


def recheck(
    ctx: PlanningContext,
    mission: Mapping[str, Any],
    legs: Sequence[PlannedLeg],
    times: Sequence[LegTimes],
) -> list[list[str]]:
    """Plan the mission again at its projected times; per leg, each limit it newly breaks.
    The mission planner re-checks every limit; a mission re-checked before at other times is
    re-timed from that plan (:data:`PLANS`), which gives the same plan."""
    replanned = PLANS.plan(mission_input(ctx, mission, legs, times))
    return [
        [
            _limit_text(p.number, p.origin, p.destination, lim)
            for lim in leg.limits
            if lim.violated and lim.name not in p.violated
        ]
        for p, leg in zip(legs, replanned.legs, strict=True)
    ]


# --- the comparison -------------------------------------------------------------------------


def _minutes(a: datetime | None, b: datetime | None) -> float | None:
    return None if a is None or b is None else round((a - b).total_seconds() / 60.0, 1)


def _status(
    p: PlannedLeg, a: LegActual | None, times: LegTimes, later_reported: bool, as_of: datetime
) -> str:
    if a is not None:
        if _landed(a):
            diverted = a.destination and a.destination.upper() != p.destination
            return "diverted" if diverted else "landed"
        if a.off_utc is not None or a.seen_in_cruise_only:
            return "airborne"  # seen in cruise only: partial, its times unknown
        return "departed"
    if later_reported or as_of >= times.in_utc:
        return "not flown"
    late = timedelta(minutes=ON_TIME_MIN)
    if times.out_utc - p.out_utc > late or as_of > times.out_utc + late:
        return "delayed"
    return "planned"


def _leg_result(
    p: PlannedLeg, a: LegActual | None, times: LegTimes, status: str, problems: list[str]
) -> LegResult:
    dep = None
    arr = None
    burn = pct = cargo = cargo_diff = None
    if a is not None:
        dep = _minutes(a.out_utc, p.out_utc) if a.out_utc else _minutes(a.off_utc, p.off_utc)
        arr = _minutes(a.in_utc, p.in_utc) if a.in_utc else _minutes(a.on_utc, p.on_utc)
        if a.fuel_out_kg is not None and a.fuel_in_kg is not None:
            burn = a.fuel_out_kg - a.fuel_in_kg
            pct = round((burn - p.burn_kg) / p.burn_kg * 100.0, 1) if p.burn_kg > 0 else None
        if a.loads:
            cargo = sum(x.cargo_kg for x in a.loads)
            cargo_diff = round(cargo - p.cargo_kg, 1)
    return LegResult(
        planned=p,
        actual=a,
        projected=times,
        status=status,
        departure_delay_min=dep,
        arrival_delay_min=arr,
        projected_delay_min=_minutes(times.out_utc, p.out_utc) or 0.0,
        actual_burn_kg=burn,
        burn_vs_plan_pct=pct,
        actual_cargo_kg=cargo,
        cargo_vs_plan_kg=cargo_diff,
        problems=tuple(problems),
    )


def _mission_results(
    ctx: PlanningContext,
    mission: Mapping[str, Any],
    legs: list[PlannedLeg],
    actual: list[LegActual | None],
    as_of: datetime,
    do_recheck: bool,
) -> list[LegResult]:
    t = ctx.aircraft(legs[0].aircraft)
    times = propagate(legs, actual, t.ground_time(ctx.scenario.ground_mode))
    problems: list[list[str]] = [[] for _ in legs]
    diverted = next(
        (
            i
            for i, a in enumerate(actual)
            if _landed(a) and a and a.destination and a.destination.upper() != legs[i].destination
        ),
        None,
    )
    if diverted is not None:
        a = actual[diverted]
        assert a is not None
        for i in range(diverted + 1, len(legs)):
            if actual[i] is None:
                problems[i].append(
                    f"leg {legs[i].number} {legs[i].origin}-{legs[i].destination} cannot leave "
                    f"{legs[i].origin} as planned: leg {legs[diverted].number} diverted to "
                    f"{a.destination.upper()} (re-plan the mission)"
                )
    moved = any(
        not _landed(a) and x.out_utc != p.out_utc
        for p, a, x in zip(legs, actual, times, strict=True)
    )
    if do_recheck and moved and diverted is None:
        try:
            found = recheck(ctx, mission, legs, times)
        except AirliftError as exc:
            found = [[f"cannot re-check the re-timed mission: {exc}"]] + [[] for _ in legs[1:]]
        for i, a in enumerate(actual):
            if not _landed(a):
                problems[i] += found[i]
    results = []
    for i, (p, a, x) in enumerate(zip(legs, actual, times, strict=True)):
        later = any(b is not None for b in actual[i + 1 :])
        results.append(_leg_result(p, a, x, _status(p, a, x, later, as_of), problems[i]))
    return results


def _request_results(
    document: Mapping[str, Any],
    by_leg: Mapping[tuple[int, int], LegResult],
    windows: Mapping[str, datetime],
) -> list[RequestResult]:
    lifts: dict[str, list[tuple[int, Mapping[str, Any]]]] = defaultdict(list)
    for i, m in enumerate(document.get("missions", [])):
        for lift in m.get("lifts", []):
            lifts[str(lift["request_id"])].append((i, lift))
    out = []
    for r in document.get("requests", []):
        ref = str(r["request_id"])
        latest = windows.get(ref)
        if latest is None and r.get("latest_utc"):
            latest = time_field(r["latest_utc"], f"requests.{ref}.latest_utc")
        out.append(_request_result(ref, lifts.get(ref, []), by_leg, latest))
    return out


def _request_result(
    ref: str,
    lifts: list[tuple[int, Mapping[str, Any]]],
    by_leg: Mapping[tuple[int, int], LegResult],
    latest: datetime | None,
) -> RequestResult:
    planned_kg = sum(float(x["cargo_kg"]) for _, x in lifts)
    if not lifts:
        return RequestResult(ref, "not planned", 0, 0, 0.0, 0.0, None, latest, None)
    delivered, delivered_kg, when, picked, lost = 0, 0.0, None, 0, 0
    for mission, lift in lifts:
        pickup = by_leg[(mission, int(lift["pickup_leg"]))]
        drop = by_leg[(mission, int(lift["delivery_leg"]))]
        if drop.status == "landed":
            delivered += 1
            delivered_kg += _delivered_kg(ref, lift, drop)
            t = drop.actual.in_utc or drop.actual.on_utc if drop.actual else None
            when = t if when is None or (t and t > when) else when
        elif pickup.status in ("departed", "airborne", "landed", "diverted") or drop.status in (
            "departed",
            "airborne",
            "diverted",
        ):
            picked += 1
        elif pickup.status == "not flown" or drop.status == "not flown":
            lost += 1
    late = _minutes(when, latest) if when and latest and delivered == len(lifts) else None
    if late is not None and late <= 0:
        late = None  # on time
    if delivered == len(lifts):
        status = "late" if late is not None else "delivered"
    elif picked:
        status = "in transit"
    elif delivered:
        status = "partial" if lost else "in transit"
    else:
        status = "not flown" if lost else "planned"
    return RequestResult(
        ref,
        status,
        len(lifts),
        delivered,
        planned_kg,
        delivered_kg,
        when,
        latest,
        late,
    )


def _delivered_kg(ref: str, lift: Mapping[str, Any], drop: LegResult) -> float:
    """The lift's planned kg, unless the delivery leg's report gives the request's load (then
    its share of it)."""
    planned = float(lift["cargo_kg"])
    if drop.actual is None:
        return planned
    reported = next((x for x in drop.actual.loads if x.request_ref == ref), None)
    return planned if reported is None else min(planned, reported.cargo_kg)


def _scenario_of(document: Mapping[str, Any]) -> Scenario:
    start = time_field(document.get("start_utc", "1970-01-01T00:00Z"), "start_utc")
    return Scenario(str(document.get("scenario", "")), start, int(document.get("days", 1)))


def compare(
    programme: Mapping[str, Any] | Any,
    actuals: Iterable[LegActual],
    *,
    scenario: Scenario | None = None,
    windows: Mapping[str, datetime] | None = None,
    as_of: datetime | None = None,
    recheck_missions: bool = True,
) -> TrackingReport:
    """Plan against actual (see the module docstring).

    ``programme``: a programme document or a ``Programme``. ``scenario``: the one it was
    scheduled under (airfield overrides, night flying) for the re-check; None: the theatre's
    airfields, daylight only (the default scenario rule), said in the notes. ``windows``:
    each request's latest delivery time (UTC), for lateness; a document whose requests carry
    ``latest_utc`` needs none. ``as_of`` (default: the clock): a leg with no report by its
    projected arrival is *not flown*."""
    document = _document(programme)
    notes: list[str] = []
    if scenario is None:
        scenario = _scenario_of(document)
        notes.append(
            "re-checked against the theatre's airfields, daylight flying only (no scenario "
            "given: its overrides and night-flying rule are not known)"
        )
    when = as_of or datetime.now(UTC)
    legs = planned_legs(document)
    matched, unplanned = match(legs, actuals)
    ctx = PlanningContext(document, scenario)
    missions: dict[int, list[int]] = defaultdict(list)
    for k, p in enumerate(legs):
        missions[p.mission].append(k)
    results: list[LegResult] = []
    for i, ks in missions.items():
        mission_legs = [legs[k] for k in ks]
        actual = [matched.get(k) for k in ks]
        results += _mission_results(
            ctx, document["missions"][i], mission_legs, actual, when, recheck_missions
        )
    by_leg = {(r.planned.mission, r.planned.number - 1): r for r in results}
    windows = dict(windows or {})
    requests = _request_results(document, by_leg, windows)
    if not windows and not any(r.latest_utc for r in requests):
        notes.append("no request windows given: lateness of deliveries not checked")
    for a in unplanned:
        at = a.first_utc or a.seen_from_utc
        seen = "" if a.first_utc else "seen in cruise "
        notes.append(
            f"unplanned: {a.tail} {a.origin or '?'}-{a.destination or '?'} {seen}at "
            f"{at:%Y-%m-%dT%H:%MZ} ({a.source}, {a.where}) matches no planned leg"
        )
    return TrackingReport(
        scenario=str(document.get("scenario", "")),
        as_of_utc=when,
        legs=tuple(results),
        requests=tuple(requests),
        unplanned=tuple(unplanned),
        figures=_figures(results, requests, unplanned),
        notes=tuple(notes),
    )


def _document(programme: Mapping[str, Any] | Any) -> Mapping[str, Any]:
    if isinstance(programme, Mapping):
        return programme
    from airlift.export.programme import programme_document

    return programme_document(programme)


def _figures(
    legs: Sequence[LegResult], requests: Sequence[RequestResult], unplanned: Sequence[LegActual]
) -> Figures:
    departed = [r for r in legs if r.departure_delay_min is not None]
    on_time = sum(1 for r in departed if (r.departure_delay_min or 0.0) <= ON_TIME_MIN)
    planned_t = sum(r.planned_kg for r in requests) / 1000.0
    delivered_t = sum(r.delivered_kg for r in requests) / 1000.0
    by_status = {s: sum(1 for r in legs if r.status == s) for s in LEG_STATUSES}
    return Figures(
        legs=len(legs),
        departed=len(departed),
        on_time_departures=on_time,
        on_time_pct=round(on_time / len(departed) * 100.0, 1) if departed else None,
        tonnes_planned=round(planned_t, 3),
        tonnes_delivered=round(delivered_t, 3),
        delivered_pct=round(delivered_t / planned_t * 100.0, 1) if planned_t else None,
        unplanned=len(unplanned),
        newly_infeasible=sum(1 for r in legs if r.problems),
        by_status=by_status,
    )


__all__ = [
    "LEG_STATUSES",
    "ON_TIME_MIN",
    "REQUEST_STATUSES",
    "Figures",
    "LegResult",
    "LegTimes",
    "RequestResult",
    "TrackingReport",
    "compare",
    "propagate",
]
