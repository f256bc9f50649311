"""The planners: ``plan`` a mission leg by leg, and ``max_load`` on its first leg.

``plan`` is a pure function of a :class:`~airlift.mission.inputs.MissionInput`: the route
(``route``), fuel backwards from the last stop (``fuel.required_fuel``), then leg by leg
forwards from the uplift actually possible (``fuel.fuel_forward``), times, and every limit
(``limits.check_leg``). The plan is returned even when a limit is broken, with each
violation named and quantified. Nothing is silently clipped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, timedelta

from airlift.airspace.clearances import ClearanceNeed
from airlift.mission.airspace import NO_AIRSPACE, LegClearance, mission_clearances
from airlift.mission.clock import duty_start, ground_min, leg_clock, next_off_block, taxi_out_min
from airlift.mission.conditions import density_at, fuel_available, minutes, surface_weather, zone
from airlift.mission.draft import LegDraft, PlanContext
from airlift.mission.fuel import fuel_forward, required_fuel
from airlift.mission.inputs import MissionInput, check_input
from airlift.mission.limits import binding, check_leg, clearance_limits
from airlift.mission.result import (
    WEIGHT_LIMITS,
    Leg,
    Limit,
    LimitName,
    MaxLoad,
    MissionPlan,
    Violation,
)
from airlift.mission.route import RouteLeg, route_legs
from airlift.performance import parse_speed
from airlift.performance.profile import fuel_endurance_h
from airlift.units import whole


def plan(m: MissionInput) -> MissionPlan:
    """Plan a mission. Always returns a plan; broken limits are listed in ``violations``."""
    check_input(m)
    t, opts = m.aircraft, m.options
    speed = parse_speed(opts.speed or t.normal_speed)
    legs = route_legs(m, speed)
    need = required_fuel(t, speed, legs, opts.policy, opts.extra_fuel_kg)
    warnings: list[str] = []
    if not fuel_available(m.stops[0]) and not opts.initial_fuel_kg:
        warnings.append(
            f"{m.stops[0].icao}: no fuel known there; the plan assumes the aircraft "
            "arrives with the first leg's ramp fuel (set initial fuel to check)"
        )
    for a in m.stops:
        if a.planning.fuel_available is None:
            warnings.append(f"{a.icao}: fuel availability unknown, planned as none")
        if not a.runways:
            warnings.append(
                f"{a.icao}: no runway data, runway limits not checked "
                "(run `airlift airfields import`)"
            )
    warnings += airspace_warnings(legs)
    for leg in legs:
        if opts.policy.alternate and leg.alternate is None:
            warnings.append(
                f"{leg.dest.icao}: no alternate within {opts.policy.max_alternate_nm:,.0f} NM; "
                "isolated-aerodrome fuel (2 h at normal cruise) planned instead"
            )
    turnaround = ground_min(m)
    taxi_out = taxi_out_min(m)
    ctx = PlanContext(m, speed, need, duty_start(m), warnings)
    etd = m.departure_utc.astimezone(UTC)
    fob = opts.initial_fuel_kg
    out: list[Leg] = []
    for i, leg in enumerate(legs):
        may_uplift = fuel_available(leg.origin) or (i == 0 and not opts.initial_fuel_kg)
        uplift, ramp, prof = fuel_forward(t, speed, need, i, leg, fob, may_uplift)
        if not bool(prof.ok):
            tow = leg.zfw_kg + ramp - t.taxi_fuel_kg
            warnings.append(
                f"leg {i + 1} {leg.origin.icao}-{leg.dest.icao}: FL{leg.level_ft / 100:03.0f} "
                f"cannot be flown at {whole(tow)} kg on the {speed} schedule (ISA"
                f"{leg.isa_dev_c:+.0f}); figures extrapolated, choose a lower level"
            )
        # Whole minutes, rounded up: schedules are written to the minute.
        flight_min = float(math.ceil(float(prof.time_min)))
        takeoff, landing, eta = leg_clock(m, etd, taxi_out, flight_min)
        draft = LegDraft(
            index=i,
            route=leg,
            profile=prof,
            payload_kg=leg.zfw_kg - t.oew_kg,
            uplift_kg=uplift,
            ramp_kg=ramp,
            tow_kg=float(prof.tow_kg),
            lw_kg=float(prof.lw_kg),
            reserve_kg=need.final[i] + need.alternate[i] + need.contingency[i] + opts.extra_fuel_kg,
            etd=etd,
            takeoff=takeoff,
            landing=landing,
            eta=eta,
            flight_min=flight_min,
            origin_wx=surface_weather(leg.origin, m.weather),
            dest_wx=surface_weather(leg.dest, m.weather),
        )
        out.append(_finish_leg(ctx, draft))
        fob = draft.lw_kg - leg.zfw_kg
        etd = next_off_block(m, i, eta, turnaround)
    out, clearances = with_clearances(m, out)
    return MissionPlan(
        t.designator,
        m.tail.registration if m.tail else None,
        opts.policy,
        m.departure_utc.astimezone(UTC),
        tuple(out),
        violations(out),
        tuple(warnings),
        ctx.duty_start,
        out[-1].eta_utc + timedelta(minutes=opts.post_flight_min),
        clearances,
        (m.airspace or NO_AIRSPACE).zones,
    )


def airspace_warnings(legs: Iterable[RouteLeg]) -> list[str]:
    """What the plan says of the legs' airspace: an end inside a zone (flagged, not routed
    around: a tactical arrival or departure), borders not installed."""
    out = []
    unknown = False
    for leg in legs:
        for end, name in leg.path.endpoint_zones:
            icao = leg.origin.icao if end == "origin" else leg.dest.icao
            move = "departure" if end == "origin" else "arrival"
            out.append(
                f"{icao} ({end} of leg {leg.origin.icao}-{leg.dest.icao}) lies inside zone "
                f"{name}: not routed around, plan a tactical {move}"
            )
        unknown |= leg.countries is None
    if unknown:
        out.append(
            "countries overflown not known: the Natural Earth borders (npm package world-atlas) "
            "are not installed; run `npm install`"
        )
    return out


def with_clearances(
    m: MissionInput, legs: list[Leg]
) -> tuple[list[Leg], tuple[ClearanceNeed, ...]]:
    """The clearances the mission needs, and the legs with a ``clearance`` limit where one
    can no longer be requested in time (first use on that leg)."""
    airspace = m.airspace or NO_AIRSPACE
    operator = airspace.operator or (m.tail.nation if m.tail else None)
    hazardous = any(item.dg_class for item in m.manifest)
    stops = m.stops
    needs = mission_clearances(
        airspace,
        operator,
        m.aircraft.military,
        hazardous,
        [
            LegClearance(leg.takeoff_utc, leg.landing_utc, stops[i], stops[i + 1], leg.countries)
            for i, leg in enumerate(legs)
        ],
    )
    late = [n for n in needs if not n.obtainable]
    if not late:
        return legs, needs
    out = []
    for leg in legs:
        extra = clearance_limits(
            [n for n in late if leg.takeoff_utc <= n.first_use_utc <= leg.landing_utc],
            airspace.day(),
        )
        if extra:
            limits = [*leg.limits, *extra]
            bind = binding(limits)
            leg = replace(
                leg,
                limits=tuple(limits),
                binding_limit=bind.name,
                margin=bind.margin,
                margin_unit=bind.unit,
            )
        out.append(leg)
    return out, needs


def violations(legs: Iterable[Leg]) -> tuple[Violation, ...]:
    """Every broken limit of the legs, named and quantified, legs in order."""
    return tuple(
        Violation(
            leg.index,
            lim.name,
            -lim.margin,
            lim.unit,
            f"leg {leg.index + 1} "
            f"{leg.origin}-{leg.destination}: {lim.name} exceeded by "
            f"{-lim.margin:,.0f} {lim.unit} ({lim.detail})",
        )
        for leg in legs
        for lim in leg.limits
        if lim.violated
    )


def _finish_leg(ctx: PlanContext, d: LegDraft) -> Leg:
    """The leg in hand, checked against every limit, as a :class:`Leg`."""
    m, need, i, leg, prof = ctx.mission, ctx.need, d.index, d.route, d.profile
    t, opts = m.aircraft, m.options
    limits, use = check_leg(ctx, d)
    bind = binding(limits)
    wx_o, wx_d = d.origin_wx, d.dest_wx
    _, da_o = density_at(leg.origin, wx_o)
    _, da_d = density_at(leg.dest, wx_d)
    landing_fuel = d.landing_fuel_kg
    alt = leg.alternate
    return Leg(
        index=i,
        origin=leg.origin.icao,
        destination=leg.dest.icao,
        dist_nm=leg.dist_nm,
        course_deg=leg.course_deg,
        tas_kt=leg.tas_kt,
        gs_kt=leg.gs_kt,
        headwind_kt=leg.headwind_kt,
        air_nm=leg.air_nm,
        flight_time_min=d.flight_min,
        block_time_min=minutes(d.eta - d.etd),
        etd_utc=d.etd,
        takeoff_utc=d.takeoff,
        landing_utc=d.landing,
        eta_utc=d.eta,
        etd_local=d.etd.astimezone(zone(leg.origin.tz)),
        eta_local=d.eta.astimezone(zone(leg.dest.tz)),
        load=m.loads[i],
        payload_kg=d.payload_kg,
        zfw_kg=leg.zfw_kg,
        uplift_kg=d.uplift_kg,
        ramp_fuel_kg=d.ramp_kg,
        taxi_fuel_kg=t.taxi_fuel_kg,
        trip_fuel_kg=d.tow_kg - d.lw_kg,
        reserve_fuel_kg=d.reserve_kg,
        landing_fuel_kg=landing_fuel,
        tankered_kg=(
            max(0.0, landing_fuel - d.reserve_kg) if not fuel_available(leg.dest) else 0.0
        ),
        tow_kg=d.tow_kg,
        lw_kg=d.lw_kg,
        origin_oat_c=wx_o.oat_c,
        origin_density_alt_ft=da_o,
        destination_oat_c=wx_d.oat_c,
        destination_density_alt_ft=da_d,
        weather_source=" / ".join(sorted({wx_o.source, wx_d.source})),
        takeoff_runway=use.takeoff_runway,
        landing_runway=use.landing_runway,
        alternate=alt.airfield.icao if alt else "",
        alternate_nm=alt.dist_nm if alt else 0.0,
        alternate_reason=alt.reason
        if alt
        else (
            "none within the policy's distance: isolated-aerodrome fuel"
            if opts.policy.alternate
            else f"{opts.policy.name} policy: no alternate"
        ),
        cruise_fl=round(leg.level_ft / 100.0),
        speed_schedule=ctx.speed,
        isa_dev_c=leg.isa_dev_c,
        climb_fuel_kg=float(prof.climb_kg),
        cruise_fuel_kg=float(prof.cruise_kg),
        descent_fuel_kg=float(prof.descent_kg),
        climb_min=float(prof.climb_min),
        cruise_min=float(prof.cruise_min),
        descent_min=float(prof.descent_min),
        final_reserve_kg=need.final[i],
        alternate_fuel_kg=need.alternate[i],
        contingency_fuel_kg=need.contingency[i],
        endurance_h=fuel_endurance_h(t, ctx.speed, leg.isa_dev_c, prof, leg.zfw_kg),
        takeoff_distance_m=use.takeoff_m,
        takeoff_basis=use.takeoff_basis,
        landing_distance_m=use.landing_m,
        landing_basis=use.landing_basis,
        detour_nm=leg.path.detour_nm,
        zones_avoided=leg.path.avoided,
        countries=tuple(p.iso3 for p in leg.countries or ()),
        country_passages=leg.countries or (),
        route=leg.path.points,
        limits=tuple(limits),
        binding_limit=bind.name,
        margin=bind.margin,
        margin_unit=bind.unit,
    )


def max_load(m: MissionInput) -> MaxLoad:
    """Max cargo (kg) on leg 1 of ``m`` (other legs as given) within every weight limit.

    Each limit's margin shrinks monotonically as payload grows, so each limit's own maximum
    is found by bisection to 1 kg; the answer is the smallest of them.
    """

    def limits_at(kg: float) -> dict[LimitName, Limit]:
        loads = (replace(m.loads[0], cargo_kg=kg), *m.loads[1:])
        leg = plan(replace(m, loads=loads)).legs[0]
        return {lim.name: lim for lim in leg.limits if lim.name in WEIGHT_LIMITS}

    # Passengers on leg 1 count against the structural max payload too.
    top = m.aircraft.max_payload_kg - m.loads[0].pax * m.options.pax_mass_kg
    at_zero = limits_at(0.0)
    by_limit: dict[LimitName, float] = {LimitName.PAYLOAD: top}
    for name in at_zero:
        if name == LimitName.PAYLOAD:
            continue
        if at_zero[name].violated:
            by_limit[name] = 0.0
            continue
        lo, hi = 0.0, top
        if not limits_at(hi)[name].violated:
            by_limit[name] = math.inf
            continue
        while hi - lo > 1.0:
            mid = (lo + hi) / 2.0
            lo, hi = (mid, hi) if not limits_at(mid)[name].violated else (lo, mid)
        by_limit[name] = math.floor(lo)
    binding_name = min(by_limit, key=lambda n: by_limit[n])
    best = by_limit[binding_name]
    final = plan(replace(m, loads=(replace(m.loads[0], cargo_kg=best), *m.loads[1:])))
    return MaxLoad(best, binding_name, by_limit, final)
