"""Every limit on a leg, and the binding one.

Weights (payload, MZFW, MTOW, MLW normal or assault, runway take-off and landing on the
policy's distance basis, fuel capacity, fuel reserve, wing-relief fuel, ACL, range), volume
(pallets, seats) and time (daylight, opening hours, crew duty). Each is a
:class:`~airlift.mission.result.Limit`; violations are collected by the planner, never
clipped. To add a limit: a :class:`~airlift.mission.result.LimitName` and a ``Limit`` in
:func:`check_leg`.

Binding limit of a leg: the worst violated limit if any (margin = limit - actual, negative,
in the limit's unit); otherwise a full volume limit (pallets, seats; margin 0); otherwise
the weight limit that leaves the least extra payload, its margin being that extra payload
in kg. Time limits (daylight, opening hours, duty) bind only when violated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from airlift.aircraft import AircraftType
from airlift.airfields import Airfield
from airlift.airspace.clearances import ClearanceNeed
from airlift.atmosphere import pressure_alt_ft
from airlift.mission.airspace import NO_AIRSPACE, Airspace
from airlift.mission.conditions import civil_twilight, minutes, zone
from airlift.mission.draft import LegDraft, PlanContext
from airlift.mission.inputs import Options
from airlift.mission.result import Limit, LimitName
from airlift.mission.route import RouteLeg
from airlift.mission.runways import (
    BASIS_WORDS,
    LANDING_ATTR,
    TAKEOFF_ATTR,
    best_runway,
    runway_weight_kg,
)
from airlift.performance import field as field_lengths
from airlift.performance.profile import LegProfile
from airlift.units import whole


@dataclass(frozen=True, slots=True)
class RunwayUse:
    """The runways a leg uses and the distances it needs there (m, on the policy's basis)."""

    takeoff_runway: str
    landing_runway: str
    takeoff_m: float
    takeoff_basis: str
    landing_m: float
    landing_basis: str


def check_leg(ctx: PlanContext, d: LegDraft) -> tuple[list[Limit], RunwayUse]:
    """Every limit on the leg in hand, in the order the plan reports them, and its runways.
    The field-length model's validity warnings are added to ``ctx.warnings``."""
    m, need, i, leg = ctx.mission, ctx.need, d.index, d.route
    t, opts = m.aircraft, m.options
    load = m.loads[i]
    # Linearised sensitivity of fuel to payload (kg fuel per kg payload): reserves and trip
    # fuel grow about in proportion to weight. Used only to express margins as payload.
    d_land = d.reserve_kg / leg.zfw_kg
    d_ramp = (need.ramp[i] - t.taxi_fuel_kg) / leg.zfw_kg
    payload, landing_fuel, tow, lw = d.payload_kg, d.landing_fuel_kg, d.tow_kg, d.lw_kg
    seats_avail = (
        t.seats
        if not t.pallet_positions
        else math.floor(
            t.seats * (1.0 - min(load.pallets, t.pallet_positions) / t.pallet_positions)
        )
    )
    assault = leg.dest.planning.assault_landing and t.assault_landing_weight_kg is not None
    mlw = t.assault_landing_weight_kg if assault else t.mlw_kg
    mlw_detail = (
        f"assault landing weight ({leg.dest.icao} is an assault strip)"
        if assault
        else "max landing weight, normal landing"
    )
    runway, rtow, use = _runway_limits(ctx, d, d_ramp, d_land)
    max_tow = min(t.mtow_kg, rtow) if runway else t.mtow_kg
    limits = [
        Limit(
            LimitName.PAYLOAD,
            t.max_payload_kg,
            payload,
            "kg",
            "max payload",
            t.max_payload_kg - payload,
        ),
        Limit(
            LimitName.MZFW,
            t.mzfw_kg,
            leg.zfw_kg,
            "kg",
            "max zero-fuel weight",
            t.mzfw_kg - leg.zfw_kg,
        ),
        Limit(
            LimitName.MTOW,
            t.mtow_kg,
            tow,
            "kg",
            "max take-off weight",
            (t.mtow_kg - tow) / (1.0 + d_ramp),
        ),
        Limit(
            LimitName.MLW, mlw or t.mlw_kg, lw, "kg", mlw_detail, ((mlw or 0) - lw) / (1.0 + d_land)
        ),
        Limit(
            LimitName.FUEL_CAPACITY,
            t.max_fuel_kg,
            need.ramp[i],
            "kg",
            f"ramp fuel required {need.ramp[i]:,.0f} kg",
            (t.max_fuel_kg - need.ramp[i]) / d_ramp if d_ramp > 0 else None,
        ),
        Limit(
            LimitName.FUEL_RESERVE,
            landing_fuel,
            d.reserve_kg,
            "kg",
            f"lands with {landing_fuel:,.0f} kg, {opts.policy.name} reserves need "
            f"{d.reserve_kg:,.0f} kg",
        ),
        _range_limit(t, leg, d.profile, max_tow, d.reserve_kg),
        Limit(LimitName.PALLETS, t.pallet_positions, load.pallets, "positions", "463L positions"),
        Limit(
            LimitName.SEATS,
            seats_avail,
            load.pax,
            "seats",
            f"{seats_avail} seats beside {load.pallets} pallets",
        ),
        *runway,
    ]
    floor = need.floor[i]
    if floor:
        limits.append(
            Limit(
                LimitName.WING_RELIEF_FUEL,
                landing_fuel,
                floor,
                "kg",
                f"cargo {whole(leg.cargo_kg)} kg above "
                f"{whole(t.ballast_cargo_threshold_kg or 0.0)} kg: "
                f"at least {floor:,.0f} kg of fuel must stay in the wings",
            )
        )
    if opts.payload_limit == "acl" and t.acl_kg is not None:
        limits.append(
            Limit(
                LimitName.ACL, t.acl_kg, payload, "kg", "planning payload (ACL)", t.acl_kg - payload
            )
        )
    if leg.path.blocked_by:
        limits.append(_airspace_limit(m.airspace or NO_AIRSPACE, leg))
    limits += time_limits(opts, leg.origin, leg.dest, d.takeoff, d.landing, d.eta, ctx.duty_start)
    return limits, use


def _airspace_limit(airspace: Airspace, leg: RouteLeg) -> Limit:
    """No path clear of the active zones: broken by the great circle's distance inside them."""
    inside = airspace.inside_nm(leg.origin, leg.dest, leg.path.blocked_by)
    names = ", ".join(leg.path.blocked_by)
    return Limit(
        LimitName.AIRSPACE,
        0.0,
        max(inside, 1.0),
        "NM",
        f"no path clear of zone(s) {names}: the great circle flies {inside:,.0f} NM inside them",
    )


def clearance_limits(late: Sequence[ClearanceNeed], planning_date: date) -> list[Limit]:
    """A ``clearance`` limit per clearance that can no longer be requested in time: broken by
    the days between its latest request date and the planning date."""
    return [
        Limit(
            LimitName.CLEARANCE,
            0.0,
            float((planning_date - n.latest_request_date).days),
            "days",
            f"{n.kind} clearance from {n.country}: request by {n.latest_request_date} "
            f"({n.lead_days} days ahead), planning date {planning_date}",
        )
        for n in late
    ]


def time_limits(
    opts: Options,
    origin: Airfield,
    dest: Airfield,
    takeoff: datetime,
    landing: datetime,
    eta: datetime,
    duty_start: datetime,
) -> list[Limit]:
    """The limits of a leg that depend on its times (UTC): daylight and opening hours at the
    take-off and the landing, and the crew's duty day up to on-block plus post-flight. They
    come last in a leg's limits; :data:`~airlift.mission.result.TIME_LIMITS` names them.
    Nothing else on a leg reads a time (``mission.retime`` relies on it)."""
    limits: list[Limit] = []
    for a, when, what in ((origin, takeoff, "take-off"), (dest, landing, "landing")):
        if a.planning.daylight_only:
            limits.append(_daylight_limit(a, when, what))
        hours = _hours_limit(a, when, what)
        if hours:
            limits.append(hours)
    limits.append(
        Limit(
            LimitName.DUTY,
            opts.duty_limit_h * 60.0,
            minutes(eta - duty_start) + opts.post_flight_min,
            "min",
            f"crew duty day {opts.duty_limit_h:g} h",
        )
    )
    return limits


def binding(limits: list[Limit]) -> Limit:
    """The binding limit (see the module docstring); a weight limit comes back with its
    limit moved so that its margin is the extra payload it allows."""
    violated = [lim for lim in limits if lim.violated]
    if violated:
        return min(violated, key=lambda lim: lim.margin / max(abs(lim.limit), 1.0))
    full = [
        lim
        for lim in limits
        if lim.unit in ("positions", "seats") and lim.margin < 1.0 and lim.actual > 0
    ]
    if full:
        return full[0]
    weights = [lim for lim in limits if lim.payload_headroom_kg is not None]
    best = min(weights, key=lambda lim: lim.payload_headroom_kg or 0.0)
    return replace(best, limit=best.actual + (best.payload_headroom_kg or 0.0))


def _runway_limits(
    ctx: PlanContext, d: LegDraft, d_ramp: float, d_land: float
) -> tuple[list[Limit], float, RunwayUse]:
    """Take-off and landing runway limits on the policy's distance bases, the runway-limited
    TOW (inf without runway data) and the runways used."""
    m, leg, tow, lw = ctx.mission, d.route, d.tow_kg, d.lw_kg
    t, policy = m.aircraft, m.options.policy
    wx_o, wx_d = d.origin_wx, d.dest_wx
    pa_o = pressure_alt_ft(leg.origin.elevation_ft, wx_o.qnh_hpa)
    pa_d = pressure_alt_ft(leg.dest.elevation_ft, wx_d.qnh_hpa)
    to_b, ld_b = policy.takeoff_basis, policy.landing_basis
    rwy_to, rtow = best_runway(
        leg.origin.runways,
        lambda r: runway_weight_kg(
            t, True, r.length_m or 0.0, round(pa_o), round(wx_o.oat_c), r.paved, to_b, 1.0
        ),
    )
    rwy_ld, rlw = best_runway(
        leg.dest.runways,
        lambda r: runway_weight_kg(
            t,
            False,
            r.length_m or 0.0,
            round(pa_d),
            round(wx_d.oat_c),
            r.paved,
            ld_b,
            policy.landing_factor,
            policy.reverse_credit,
        ),
    )
    limits: list[Limit] = []
    to_m = ld_m = 0.0
    if rwy_to is not None:
        to = field_lengths.takeoff(
            t,
            tow,
            pressure_alt_ft=pa_o,
            oat_c=wx_o.oat_c,
            surface="paved" if rwy_to.paved else "unpaved",
        )
        to_m = float(getattr(to, TAKEOFF_ATTR[to_b]))
        ctx.warnings.extend(f"take-off at {leg.origin.icao}: {w}" for w in to.warnings)
        limits.append(
            Limit(
                LimitName.RUNWAY_TAKEOFF,
                rtow,
                tow,
                "kg",
                f"{leg.origin.icao} {rwy_to.ident} {rwy_to.length_m:,.0f} m "
                f"{rwy_to.surface}, {BASIS_WORDS[to_b]} {to_m:,.0f} m at "
                f"{wx_o.oat_c:.0f} °C",
                (rtow - tow) / (1.0 + d_ramp),
            )
        )
    if rwy_ld is not None:
        ld = field_lengths.landing(
            t,
            lw,
            pressure_alt_ft=pa_d,
            oat_c=wx_d.oat_c,
            surface="paved" if rwy_ld.paved else "unpaved",
            factor=policy.landing_factor,
            reverse=policy.reverse_credit,
        )
        ld_m = float(getattr(ld, LANDING_ATTR[ld_b]))
        ctx.warnings.extend(f"landing at {leg.dest.icao}: {w}" for w in ld.warnings)
        limits.append(
            Limit(
                LimitName.RUNWAY_LANDING,
                rlw,
                lw,
                "kg",
                f"{leg.dest.icao} {rwy_ld.ident} {rwy_ld.length_m:,.0f} m "
                f"{rwy_ld.surface}, {BASIS_WORDS[ld_b]} {ld_m:,.0f} m at "
                f"{wx_d.oat_c:.0f} °C",
                (rlw - lw) / (1.0 + d_land),
            )
        )
    use = RunwayUse(
        rwy_to.ident if rwy_to else "", rwy_ld.ident if rwy_ld else "", to_m, to_b, ld_m, ld_b
    )
    return limits, rtow, use


def _range_limit(
    t: AircraftType, leg: RouteLeg, prof: LegProfile, max_tow: float, reserve: float
) -> Limit:
    """Air distance (NM) reachable with the most fuel the tanks and MTOW allow: the planned
    distance scaled by the trip fuel available over the trip fuel planned (linear in fuel)."""
    tow = min(max_tow, leg.zfw_kg + t.max_fuel_kg - t.taxi_fuel_kg)
    available = tow - leg.zfw_kg - reserve
    trip = float(prof.tow_kg - prof.lw_kg)
    reach = leg.air_nm * available / trip if trip > 0 and available > 0 else 0.0
    return Limit(
        LimitName.RANGE,
        reach,
        leg.air_nm,
        "NM",
        f"reach {reach:,.0f} NM air distance with full tanks at this payload",
    )


def _daylight_limit(a: Airfield, when: datetime, what: str) -> Limit:
    local_day = when.astimezone(zone(a.tz)).date()
    dawn, dusk = civil_twilight(a.lat, a.lon, local_day)
    # Expressed as minutes before dusk (limit) vs. event; or after dawn when early.
    if when < dawn:
        return Limit(
            LimitName.DAYLIGHT,
            0.0,
            minutes(dawn - when),
            "min",
            f"{what} at {a.icao} {when:%H:%MZ} is before civil dawn {dawn:%H:%MZ}",
        )
    return Limit(
        LimitName.DAYLIGHT,
        minutes(dusk - dawn),
        minutes(when - dawn),
        "min",
        f"{what} at {a.icao} {when:%H:%MZ}; civil twilight {dawn:%H:%M}-{dusk:%H:%MZ}",
    )


def _hours_limit(a: Airfield, when: datetime, what: str) -> Limit | None:
    if a.planning.hours_utc is None:
        return None
    opens, closes = (time.fromisoformat(h) for h in a.planning.hours_utc)
    start = datetime.combine(when.date(), opens, UTC)
    end = datetime.combine(when.date(), closes, UTC)
    if end <= start:  # open across midnight, e.g. 18:00-06:00
        if when < end:
            start -= timedelta(days=1)
        else:
            end += timedelta(days=1)
    detail = f"{what} at {a.icao} {when:%H:%MZ}; open {opens:%H:%M}-{closes:%H:%MZ}"
    if when < start:
        return Limit(LimitName.HOURS, 0.0, minutes(start - when), "min", detail)
    return Limit(LimitName.HOURS, minutes(end - start), minutes(when - start), "min", detail)
