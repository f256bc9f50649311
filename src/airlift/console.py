"""Rich renderings of airlift results for the terminal. Presentation only: no planning here."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from airlift.aircraft import AircraftType
from airlift.airfields import Airfield
from airlift.mission import Leg, MaxLoad, MissionPlan
from airlift.performance.figures import check_figures
from airlift.scheduling.programme import Mission, Programme


def _when(utc: datetime, local: datetime) -> str:
    return f"{utc:%H:%MZ} {local:%H:%M}L"


def _margin(leg: Leg) -> Text:
    style = "red bold" if leg.margin < -0.5 else ("yellow" if leg.margin < 500 else "green")
    return Text(f"{leg.binding_limit}: {leg.margin:+,.0f} {leg.margin_unit}", style=style)


def plan_view(plan: MissionPlan) -> Group:
    """Header, route/time table, fuel/weight table, violations and warnings."""
    verdict = (
        Text("FEASIBLE", style="bold green")
        if plan.feasible
        else Text(f"INFEASIBLE: {len(plan.violations)} limit(s) broken", style="bold red")
    )
    header = Text.assemble(
        f"{plan.aircraft}" + (f" {plan.tail}" if plan.tail else ""),
        "  ",
        " -> ".join([plan.legs[0].origin, *(leg.destination for leg in plan.legs)]),
        "  ",
        f"fuel policy {plan.policy.name}  ",
        verdict,
    )
    route = Table(title="Route and times (UTC, local beside)", title_justify="left")
    for col, just in (
        ("leg", "right"),
        ("from-to", "left"),
        ("dist NM", "right"),
        ("course °T", "right"),
        ("GS kt", "right"),
        ("ETD", "left"),
        ("ETA", "left"),
        ("flight min", "right"),
        ("block min", "right"),
        ("cargo kg / pal / pax", "right"),
        ("dest OAT °C / DA ft", "right"),
    ):
        route.add_column(col, justify=just, no_wrap=col in ("ETD", "ETA"))  # type: ignore[arg-type]
    fuel = Table(title="Fuel and weights (kg)", title_justify="left")
    for col in (
        "leg",
        "uplift",
        "ramp fuel",
        "trip",
        "reserve",
        "landing fuel",
        "tankered",
        "ZFW",
        "TOW",
        "LW",
        "binding limit: margin",
    ):
        fuel.add_column(col, justify="left" if col.startswith("binding") else "right")
    for leg in plan.legs:
        route.add_row(
            str(leg.index + 1),
            f"{leg.origin}-{leg.destination}",
            f"{leg.dist_nm:,.0f}",
            f"{leg.course_deg:03.0f}",
            f"{leg.gs_kt:.0f}",
            _when(leg.etd_utc, leg.etd_local),
            _when(leg.eta_utc, leg.eta_local),
            f"{leg.flight_time_min:.0f}",
            f"{leg.block_time_min:.0f}",
            f"{leg.load.cargo_kg:,.0f} / {leg.load.pallets} / {leg.load.pax}",
            f"{leg.destination_oat_c:.0f} / {leg.destination_density_alt_ft:,.0f}",
        )
        fuel.add_row(
            str(leg.index + 1),
            f"{leg.uplift_kg:,.0f}",
            f"{leg.ramp_fuel_kg:,.0f}",
            f"{leg.trip_fuel_kg:,.0f}",
            f"{leg.reserve_fuel_kg:,.0f}",
            f"{leg.landing_fuel_kg:,.0f}",
            f"{leg.tankered_kg:,.0f}",
            f"{leg.zfw_kg:,.0f}",
            f"{leg.tow_kg:,.0f}",
            f"{leg.lw_kg:,.0f}",
            _margin(leg),
        )
    profile = _profile_table(plan)
    totals = Text(
        f"total {plan.total_dist_nm:,.0f} NM, {plan.total_flight_time_min / 60:.1f} h flight, "
        f"{plan.total_uplift_kg:,.0f} kg fuel uplift, crew duty {plan.duty_min / 60:.1f} h "
        f"({plan.duty_start_utc:%H:%MZ}-{plan.duty_end_utc:%H:%MZ})"
    )
    parts: list[object] = [header, route, fuel, profile, _airspace_table(plan), totals]
    if plan.clearances:
        parts.append(_clearance_table(plan))
    if plan.violations:
        parts.append(
            Panel(
                "\n".join(v.message for v in plan.violations),
                title="violations",
                border_style="red",
            )
        )
    if plan.warnings:
        parts.append(Panel("\n".join(plan.warnings), title="warnings", border_style="yellow"))
    return Group(*parts)  # type: ignore[arg-type]


def _airspace_table(plan: MissionPlan) -> Table:
    """Per leg: the countries under the path (NM over each) and the zones routed around."""
    table = Table(title="Airspace (NM over each country, in order flown)", title_justify="left")
    for col in ("leg", "countries", "detour NM", "zones avoided"):
        table.add_column(col, justify="right" if col in ("leg", "detour NM") else "left")
    for leg in plan.legs:
        table.add_row(
            str(leg.index + 1),
            ", ".join(f"{p.iso3} {p.distance_nm:,.0f}" for p in leg.country_passages) or "-",
            f"{leg.detour_nm:,.0f}",
            ", ".join(leg.zones_avoided) or "-",
        )
    return table


def _clearance_table(plan: MissionPlan) -> Table:
    """The diplomatic clearances the plan needs and the day to ask for each by."""
    table = Table(title="Diplomatic clearances needed", title_justify="left")
    for col in ("country", "kind", "first use (UTC)", "request by", "lead days", "in time"):
        table.add_column(col)
    for c in plan.clearances:
        table.add_row(
            c.country,
            c.kind + (" (hazardous cargo)" if c.hazardous else ""),
            f"{c.first_use_utc:%Y-%m-%d %H:%MZ}",
            c.latest_request_date.isoformat(),
            str(c.lead_days),
            Text("yes", style="green") if c.obtainable else Text("NO: too late", style="bold red"),
        )
    return table


_BASIS_SHORT = {
    "balanced_field": "BFL",
    "distance_50ft": "50 ft",
    "ground_roll": "roll",
    "landing_distance": "LDR",
}


def _profile_table(plan: MissionPlan) -> Table:
    """Per leg: level and speed, fuel by segment and reserve part, endurance, runway
    distances on the policy's basis, and the alternate."""
    table = Table(
        title="Profile, reserves and field lengths (kg, min, m; speed schedule "
        f"{plan.legs[0].speed_schedule})",
        title_justify="left",
    )
    for col in (
        "leg",
        "FL",
        "TAS kt",
        "climb kg/min",
        "cruise kg/min",
        "descent kg/min",
        "final / alt / cont kg",
        "endurance h",
        "TO m",
        "LDG m",
        "alternate",
    ):
        table.add_column(col, justify="left" if col == "alternate" else "right")
    for leg in plan.legs:
        table.add_row(
            str(leg.index + 1),
            f"{leg.cruise_fl:03d}",
            f"{leg.tas_kt:.0f}",
            f"{leg.climb_fuel_kg:,.0f} / {leg.climb_min:.0f}",
            f"{leg.cruise_fuel_kg:,.0f} / {leg.cruise_min:.0f}",
            f"{leg.descent_fuel_kg:,.0f} / {leg.descent_min:.0f}",
            f"{leg.final_reserve_kg:,.0f} / {leg.alternate_fuel_kg:,.0f} / "
            f"{leg.contingency_fuel_kg:,.0f}",
            f"{leg.endurance_h:.1f}",
            f"{leg.takeoff_distance_m:,.0f} {_BASIS_SHORT.get(leg.takeoff_basis, '')}"
            if leg.takeoff_runway
            else "no runway data",
            f"{leg.landing_distance_m:,.0f} {_BASIS_SHORT.get(leg.landing_basis, '')}"
            if leg.landing_runway
            else "no runway data",
            f"{leg.alternate} {leg.alternate_nm:,.0f} NM" if leg.alternate else "-",
        )
    return table


def maxload_view(result: MaxLoad) -> Group:
    leg = result.plan.legs[0]
    head = Text.assemble(
        (f"Max load {leg.origin}-{leg.destination}: {result.payload_kg:,.0f} kg", "bold"),
        f" ({result.plan.aircraft}, OAT {leg.origin_oat_c:.0f} °C / DA "
        f"{leg.origin_density_alt_ft:,.0f} ft at {leg.origin}, "
        f"{leg.destination_oat_c:.0f} °C at {leg.destination}); limited by ",
        (result.binding_limit, "bold yellow"),
    )
    table = Table(title="Max payload each limit allows (kg)", title_justify="left")
    table.add_column("limit")
    table.add_column("max payload kg", justify="right")
    table.add_column("at the answer", justify="left")
    for name, kg in sorted(result.by_limit.items(), key=lambda kv: kv[1]):
        lim = leg.limit(name)
        table.add_row(name, "not limiting" if math.isinf(kg) else f"{kg:,.0f}", lim.detail)
    notes = []
    if len(result.plan.legs) > 1:
        nxt = result.plan.legs[1]
        notes.append(
            Text(
                f"Fuel on landing at {leg.destination}: {leg.landing_fuel_kg:,.0f} kg "
                f"(tankered {leg.tankered_kg:,.0f} kg for {nxt.origin}-{nxt.destination})"
            )
        )
    return Group(head, table, *notes)


def aircraft_view(t: AircraftType) -> Group:
    figures = Table(title=f"{t.name} ({t.designator})", title_justify="left")
    figures.add_column("figure")
    figures.add_column("value", justify="right")
    figures.add_column("source")
    values = {
        **{f"aero.{k}": getattr(t.aero, k) for k in t.aero.__slots__},
        **{f"engine.{k}": getattr(t.engine, k) for k in t.engine.__slots__},
    }
    for name, source in t.sources:
        value = (
            getattr(t, name)
            if hasattr(t, name)
            else values.get(f"aero.{name}", values.get(f"engine.{name}"))
        )
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif value is None:
            shown = "-"
        else:
            shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.4g}"
        figures.add_row(name, shown, source)
    c = t.calibration
    published = Table(
        title=(
            f"Published figures against the model ({t.propulsion}, normal speed "
            f"{t.normal_speed}; calibration: drag x{c.drag:g}, induced x{c.induced:g}, "
            f"fuel x{c.fuel:g}, power x{c.power:g}, take-off x{c.takeoff:g}, "
            f"landing x{c.landing:g})"
        ),
        title_justify="left",
    )
    for col in ("kind", "published", "model", "error", "role", "conditions / source"):
        published.add_column(
            col, justify="right" if col in ("published", "model", "error") else "left"
        )
    for chk in check_figures(t):
        f = chk.figure
        published.add_row(
            f.kind,
            f"{f.value:,.4g} {f.unit}",
            "-" if math.isnan(chk.model) else f"{chk.model:,.4g} {f.unit}",
            "-" if math.isnan(chk.model) else f"{chk.error_pct:+.1f} %",
            chk.role,
            f"{f.conditions} {f.source}".strip()
            + (f" — excluded: {f.excluded}" if f.excluded else "")
            + (f" — {chk.note}" if chk.note else ""),
        )
    refs = Text("\n".join(f"[{k}] {v}" for k, v in t.references), style="dim")
    return Group(figures, published, refs)


def airfield_view(a: Airfield) -> Group:
    p = a.planning
    head = Text.assemble(
        (f"{a.icao}", "bold"),
        f"{' / ' + a.iata if a.iata else ''}  {a.name}",
        f"{', ' + a.city if a.city else ''} {a.country}\n",
        f"position {a.lat:.4f}°, {a.lon:.4f}°  elevation {a.elevation_ft:,.0f} ft  "
        f"time zone {a.tz}",
    )
    runways = Table(title=f"Runways ({a.runway_source or 'no runway data'})", title_justify="left")
    for col in ("runway", "length m", "width m", "surface", "paved", "lighted", "closed", "source"):
        runways.add_column(col, justify="right" if col.endswith(" m") else "left")
    for r in a.runways:
        runways.add_row(
            r.ident,
            f"{r.length_m:,.0f}" if r.length_m else "?",
            f"{r.width_m:,.0f}" if r.width_m else "?",
            r.surface,
            "yes" if r.paved else "no",
            "yes" if r.lighted else "no",
            "CLOSED" if r.closed else "no",
            r.source,
        )
    fuel = {True: "yes", False: "NO", None: "unknown"}[p.fuel_available]
    attrs = Text(
        f"Planning attributes (scenario assumptions, editable): fuel {fuel}; "
        f"{'daylight only' if p.daylight_only else 'day and night'}; "
        f"hours {'-'.join(p.hours_utc) + ' UTC' if p.hours_utc else 'H24 / unknown'}; "
        f"MOG {p.mog if p.mog is not None else 'unknown'}; planning OAT "
        f"{f'{p.planning_oat_c:g} °C' if p.planning_oat_c is not None else 'unknown (ISA used)'}"
        + (f"\n{p.notes}" if p.notes else "")
    )
    return Group(head, runways, attrs)


def programme_view(p: Programme) -> Group:
    """Per tail per day the legs with times and loads; per request its status; the KPIs."""
    k = p.kpis
    verdict = (
        Text("every leg passes the mission planner", style="green")
        if p.feasible
        else Text("SOME LEGS FAIL THE MISSION PLANNER", style="bold red")
    )
    head = Text.assemble(
        (f"Programme {p.scenario}", "bold"),
        f"  {p.start_utc:%Y-%m-%d} + {p.days} days, engine {p.engine}, {p.solve_seconds:.1f} s  ",
        verdict,
        Text("  (the time limit cut the search short)", style="yellow") if p.cut_short else "",
    )
    legs = Table(title="Missions per tail per day (times UTC, local beside)", title_justify="left")
    for col in (
        "tail",
        "date",
        "leg",
        "ETD",
        "ETA",
        "cargo kg / pal / pax",
        "lifts on board",
        "fuel uplift kg",
        "binding limit: margin",
    ):
        legs.add_column(col, no_wrap=col in ("ETD", "ETA", "date"))
    for m in p.missions:
        on_board = _lifts_per_leg(m)
        for leg in m.plan.legs:
            first = leg.index == 0
            legs.add_row(
                f"{m.tail} {m.aircraft}" if first else "",
                f"{leg.etd_utc:%a %d %b}" if first else "",
                f"{leg.origin}-{leg.destination}",
                _when(leg.etd_utc, leg.etd_local),
                _when(leg.eta_utc, leg.eta_local),
                f"{leg.load.cargo_kg:,.0f} / {leg.load.pallets} / {leg.load.pax}",
                " ".join(on_board[leg.index]) or "-",
                f"{leg.uplift_kg:,.0f}",
                _margin(leg),
                end_section=leg.index == len(m.plan.legs) - 1,
            )
    reqs = Table(title="Requests", title_justify="left")
    for col in ("id", "prio", "status", "delivered (UTC)", "tails", "reason"):
        reqs.add_column(col, overflow="fold")
    style = {"delivered": "green", "partial": "yellow", "unmet": "red"}
    for s in p.requests:
        reqs.add_row(
            s.request_ref,
            f"{s.priority}{' opt' if s.optional else ''}",
            Text(
                s.status + (f" {s.lifts_delivered}/{s.lifts}" if s.lifts > 1 else ""),
                style=style[s.status],
            ),
            f"{s.delivered_utc:%d %b %H:%MZ}" if s.delivered_utc else "-",
            " ".join(s.tails) or "-",
            s.reason,
        )
    util = ", ".join(f"{t} {h:.1f}" for t, h in sorted(k.utilisation_h_per_day.items()))
    kpis = Text(
        f"KPIs: {k.tonnes_delivered:,.1f} t and {k.pax_delivered:,} pax delivered; requests "
        f"{k.delivered} delivered, {k.partial} partial, {k.unmet} unmet ({k.required_unmet} "
        f"required); on time {k.on_time_pct:.0f} %; {k.flying_hours:,.1f} flying h in "
        f"{k.missions} missions by {k.tails_used} tails; legs passing the mission planner "
        f"{k.legs_passing}/{k.legs_checked}\nutilisation, flying h per available day: {util}"
    )
    return Group(head, legs, reqs, kpis)


def _lifts_per_leg(m: Mission) -> list[list[str]]:
    per_leg: list[list[str]] = [[] for _ in m.plan.legs]
    for lift in m.lifts:
        for i in range(lift.pickup_leg, lift.delivery_leg + 1):
            per_leg[i].append(lift.lift_id)
    return per_leg


def replan_view(doc: dict[str, Any]) -> Group:
    """A re-plan: its events, the diff counts, the changed requests and missions, the
    programme's figures before and after, and the warnings."""
    r, d = doc["replan"], doc["diff"]
    head = Text.assemble(
        ("Re-plan", "bold"),
        f" at {r['now_utc']}, missions starting within {r['horizon_min']:g} min frozen "
        f"({r['frozen_missions']}); {doc['solve_seconds']:.2f} s "
        f"(engine {r['engine_seconds']:.2f} s)",
        Text("  (the time limit cut the search short)", style="yellow")
        if doc.get("cut_short")
        else "",
    )
    events = Text("\n".join(f"  event: {e['text']}" for e in r["events"]) or "  no events")
    counts = Table(title="Requests", title_justify="left")
    names = ("kept", "moved", "retimed", "served_new", "unmet_new", "still_unmet", "cancelled")
    for name in names:
        counts.add_column(name.replace("_", " "), justify="right")
    counts.add_row(*(str(d[n]) for n in names))
    changed = Table(title="Changed requests", title_justify="left")
    for col in ("request", "change", "tails before", "tails after", "shift", "reason"):
        changed.add_column(col)
    for row in d["requests"]:
        if row["change"] == "still_unmet":
            continue
        shift = "" if row["shift_min"] is None else f"{row['shift_min']:+,.0f} min"
        changed.add_row(
            row["request_id"],
            row["change"].replace("_", " "),
            ", ".join(row["tails_before"]),
            ", ".join(row["tails_after"]),
            shift,
            row["reason"],
        )
    tails = Table(title="Missions per tail (programme days)", title_justify="left")
    for col in ("tail", "added", "changed", "cancelled"):
        tails.add_column(col)
    for t in d["tails"]:
        tails.add_row(
            t["tail"],
            *(", ".join(map(str, t[k])) or "-" for k in ("added", "changed", "cancelled")),
        )
    figures = Table(
        title=f"Figures ({d['legs_retimed']} legs re-timed > 30 min)", title_justify="left"
    )
    for col in ("figure", "before", "after", "change"):
        figures.add_column(col, justify="right" if col != "figure" else "left")
    for name, f in d["figures"].items():
        figures.add_row(
            name.replace("_", " "),
            f"{f['before']} {f['unit']}",
            f"{f['after']} {f['unit']}",
            "" if f["change"] is None else f"{f['change']:+g} {f['unit']}",
        )
    warnings = Text("\n".join(f"warning: {w}" for w in r["warnings"]), style="yellow")
    return Group(head, events, counts, changed, tails, figures, warnings)
