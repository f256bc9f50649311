"""A run's factor levels applied to the base inputs -> (requests, fleet, scenario).

Fleet levels keep tails in a fixed order and add copies beyond the base fleet: a copy of
``TZ-02C`` is ``TZ-02C#2`` (same type, nation, base and limits, no maintenance, no ICAO
address). A whole-fleet ``fleet_size`` keeps tails round robin over the (type, nation) groups,
so a smaller fleet keeps the coalition's mix as long as it can.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from airlift.errors import FieldError, Where
from airlift.scheduling.inputs import AirfieldOverride, FleetTail, MovementRequest, Scenario

if TYPE_CHECKING:
    from airlift.studies.study import Factor, Level, Study

Inputs = tuple[tuple[MovementRequest, ...], tuple[FleetTail, ...], Scenario]


@lru_cache(maxsize=8)
def base_inputs(
    requests: Path | None,
    fleet: Path | None,
    scenario: Path | None,
    stamps: tuple[float, ...] = (),
) -> Inputs:
    """The base requests, fleet and scenario (the demo week's file where a path is None),
    read once per process and file version (``stamps``: their modification times): every
    run on a worker shares them, and a long-lived process sees an edited file."""
    from airlift.cli.schedule import read_inputs

    return read_inputs(requests, fleet, scenario)


def study_inputs(study: Study) -> Inputs:
    paths = (study.requests, study.fleet, study.scenario)
    stamps = tuple(p.stat().st_mtime if p is not None else 0.0 for p in paths)
    return base_inputs(*paths, stamps)


def group_of(t: FleetTail) -> str:
    return f"{t.type.designator}:{t.nation}"


def check_against_base(study: Study) -> None:
    """What only the base inputs can say is wrong (a fleet level with no tail to copy),
    as a FieldError naming the study file and factor, before any run."""
    _, fleet, _ = study_inputs(study)
    groups = {group_of(t) for t in fleet}
    for i, f in enumerate(study.factors):
        where = Where(file=study.source, section=f"factor.{i + 1}", record=f.name)
        narrowed = f.type or f.nation
        if narrowed and not _selected(fleet, f):
            what = " ".join(x for x in (f.type, f.nation) if x)
            raise FieldError(
                f"factor.{i + 1}.type" if f.type else f"factor.{i + 1}.nation",
                f"{'type' if f.type else 'nation'}: no {what} tail in the base fleet "
                f"(groups: {', '.join(sorted(groups))})",
                where,
            )
        if f.kind == "fleet_mix":
            for level in f.levels:
                for group, count in cast("dict[str, int]", level).items():
                    if count and group not in groups:
                        raise FieldError(
                            f"factor.{i + 1}.levels",
                            f"levels: fleet_mix group {group} has no tail in the base fleet "
                            f"to copy (groups: {', '.join(sorted(groups))})",
                            where,
                        )


def apply_levels(study: Study, levels: dict[str, Level]) -> tuple[Inputs, float]:
    """The inputs of a run and its engine time limit (s)."""
    requests, fleet, scenario = study_inputs(study)
    limit_s = study.time_limit_s
    for f in study.factors:
        level = levels[f.name]
        if f.kind == "fleet_size":
            fleet = _fleet_size(fleet, f, int(cast("int", level)))
        elif f.kind == "fleet_mix":
            fleet = _fleet_mix(fleet, cast("dict[str, int]", level))
        elif f.kind in ("mog", "fuel", "closure"):
            scenario = _override(scenario, f.airfield, f.kind, level)
        elif f.kind == "demand_scale":
            requests = tuple(_scaled(r, float(cast("float", level))) for r in requests)
        elif f.kind in ("duty_limit_h", "flying_h_per_day"):
            fleet = tuple(
                _hours(t, f.kind, float(cast("float", level))) if _matches(t, f) else t
                for t in fleet
            )
        elif f.kind == "fuel_policy":
            scenario = replace(scenario, fuel_policy=str(level))
        elif f.kind == "time_limit_s":
            limit_s = float(cast("float", level))
    return (requests, fleet, scenario), limit_s


def _matches(t: FleetTail, f: Factor) -> bool:
    return (not f.type or t.type.designator == f.type) and (not f.nation or t.nation == f.nation)


def _selected(fleet: tuple[FleetTail, ...], f: Factor) -> list[FleetTail]:
    return [t for t in fleet if _matches(t, f)]


def _take(tails: list[FleetTail], n: int) -> list[FleetTail]:
    """The first ``n`` of ``tails``, cycling through copies beyond them."""
    out = tails[:n]
    for k in range(len(tails), n):
        original = tails[k % len(tails)]
        out.append(
            replace(
                original,
                registration=f"{original.registration}#{k // len(tails) + 1}",
                unavailable=(),
                icao24="",
            )
        )
    return out


def _round_robin(fleet: tuple[FleetTail, ...]) -> list[FleetTail]:
    by_group: dict[str, list[FleetTail]] = defaultdict(list)
    for t in sorted(fleet, key=lambda t: t.registration):
        by_group[group_of(t)].append(t)
    queues = [by_group[g] for g in sorted(by_group)]
    return [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)]


def _fleet_size(fleet: tuple[FleetTail, ...], f: Factor, n: int) -> tuple[FleetTail, ...]:
    if not (f.type or f.nation):
        return tuple(_take(_round_robin(fleet), n))
    chosen = sorted(_selected(fleet, f), key=lambda t: t.registration)
    return tuple(t for t in fleet if not _matches(t, f)) + tuple(_take(chosen, n))


def _fleet_mix(fleet: tuple[FleetTail, ...], mix: dict[str, int]) -> tuple[FleetTail, ...]:
    kept = tuple(t for t in fleet if group_of(t) not in mix)
    for group, n in mix.items():
        tails = sorted((t for t in fleet if group_of(t) == group), key=lambda t: t.registration)
        kept += tuple(_take(tails, n)) if tails else ()
    return kept


def _override(scenario: Scenario, icao: str, kind: str, level: Level) -> Scenario:
    old = scenario.overrides.get(icao, AirfieldOverride())
    if kind == "mog":
        new = replace(old, mog=int(cast("int", level)))
    elif kind == "fuel":
        new = replace(old, fuel_available=level == "available")
    else:
        new = replace(old, closed=level == "closed")
    return replace(scenario, overrides={**scenario.overrides, icao: new})


def _scaled(r: MovementRequest, scale: float) -> MovementRequest:
    return replace(
        r,
        cargo_kg=r.cargo_kg * scale,
        pallets=math.ceil(r.pallets * scale),
        pax=round(r.pax * scale),
    )


def _hours(t: FleetTail, kind: str, hours: float) -> FleetTail:
    if kind == "duty_limit_h":
        return replace(
            t, duty_limit_h=hours, max_flying_h_per_day=min(t.max_flying_h_per_day, hours)
        )
    return replace(t, max_flying_h_per_day=min(hours, t.duty_limit_h))
