"""Airfields as a scenario plans them: its overrides applied (fuel, hours, MOG, OAT,
closures) and its night rule (``night_ops = false``: daylight only, like an unlit strip).
The scheduler's model, the mission checker, re-planning and tracking all read airfields
through here, so that they judge a mission by the same airfield."""

from __future__ import annotations

from dataclasses import replace

from airlift.airfields import Airfield, Planning, lookup
from airlift.scheduling.inputs import AirfieldOverride, FleetTail, MovementRequest, Scenario


def apply_override(a: Airfield, o: AirfieldOverride) -> Airfield:
    p = a.planning
    planning = Planning(
        fuel_available=p.fuel_available if o.fuel_available is None else o.fuel_available,
        daylight_only=p.daylight_only if o.daylight_only is None else o.daylight_only,
        hours_utc=o.hours_utc or p.hours_utc,
        mog=p.mog if o.mog is None else o.mog,
        planning_oat_c=p.planning_oat_c if o.oat_c is None else o.oat_c,
        notes=p.notes,
        source=p.source + " (scenario override)",
        daylight_source=p.daylight_source
        if o.daylight_only is None
        else f"override daylight_only = {str(o.daylight_only).lower()}",
    )
    a = replace(a, planning=planning)
    return a.with_closed({"*"}) if o.closed else a


def scenario_airfield(a: Airfield, scenario: Scenario) -> Airfield:
    """``a`` as ``scenario`` plans it: its override applied, and without night flying
    (``night_ops = false``) restricted to daylight like an unlit strip. The planner then
    checks civil twilight at every take-off and landing, airfield by airfield; the
    restriction's ``daylight_source`` names the rule, so that a 24 h airport is not
    mistaken for one without lights."""
    if a.icao in scenario.overrides:
        a = apply_override(a, scenario.overrides[a.icao])
    if not scenario.night_ops and not a.planning.daylight_only:
        why = (
            "scenario rule night_ops = false, no night flying "
            f"(airfield: {a.planning.daylight_source})"
        )
        a = replace(a, planning=replace(a.planning, daylight_only=True, daylight_source=why))
    return a


def scenario_airfields(
    scenario: Scenario, requests: tuple[MovementRequest, ...], fleet: tuple[FleetTail, ...]
) -> tuple[Airfield, ...]:
    codes = sorted(
        {r.origin for r in requests}
        | {r.destination for r in requests}
        | {t.home_base for t in fleet}
    )
    result = []
    for code in codes:
        result.append(scenario_airfield(lookup(code), scenario))
    return tuple(result)


__all__ = ["apply_override", "scenario_airfield", "scenario_airfields"]
