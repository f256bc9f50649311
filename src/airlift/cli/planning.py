"""``airlift plan`` and ``airlift maxload``: one mission, or the most one leg can carry."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airlift.cli.airspace_options import OperatorOpt, PlanningDateOpt, ZonesOpt, airspace
from airlift.cli.common import STDOUT, out, output_file, print_json, write_outputs
from airlift.errors import InputError

if TYPE_CHECKING:
    from airlift.airfields import Airfield
    from airlift.mission import Load, MissionPlan

AircraftOpt = Annotated[
    str, typer.Option("--aircraft", "-a", help="Type (C-130H) or tail (5U-MBD).")
]
OatOpt = Annotated[
    list[str],
    typer.Option("--oat", help="OAT °C at every stop (45) or one stop (GAGO=44); repeatable."),
]
MetarOpt = Annotated[
    list[str],
    typer.Option(
        "--metar", help='METAR for a stop, e.g. "GAGO 271200Z 09012KT 9999 44/M02 Q1008".'
    ),
]
WindOpt = Annotated[
    list[str],
    typer.Option(
        "--wind", help="Cruise wind deg true/kt, e.g. 270/25: once for all legs or once per leg."
    ),
]
PolicyOpt = Annotated[
    str,
    typer.Option(
        "--policy", help="Fuel policy: icao, usaf-c130, usn or custom:contingency=5,reserve=45,..."
    ),
]


def _parse_load(spec: str) -> Load:
    from airlift.mission_file import load_from_fields

    parts = spec.split(",")
    if not 1 <= len(parts) <= 3:
        raise InputError(f"--load must be KG[,PALLETS[,PAX]], got {spec!r}")
    fields: dict[str, object] = {}
    for key, value in zip(("cargo_kg", "pallets", "pax"), parts, strict=False):
        try:
            fields[key] = float(value)
        except ValueError:
            raise InputError(f"--load {spec!r}: {key} is not a number") from None
    return load_from_fields(fields, f"--load {spec}")


def _write_outputs(
    plan: MissionPlan,
    stops: tuple[Airfield, ...],
    json_: Path | None,
    csv_: Path | None,
    geojson: Path | None,
    kml: Path | None,
) -> None:
    from airlift import export

    write_outputs(
        [
            ("--json", json_, lambda path: export.write_json(plan, path)),
            ("--csv", csv_, lambda path: export.write_csv(plan, path)),
            ("--geojson", geojson, lambda path: export.write_geojson(plan, stops, path)),
            ("--kml", kml, lambda path: export.write_kml(plan, stops, path)),
        ]
    )


def plan(
    stops: Annotated[list[str], typer.Argument(help="Stops in order: ICAO, IATA or name.")],
    aircraft: AircraftOpt = "C-130H",
    depart: Annotated[
        str, typer.Option("--depart", help="Off-block time with timezone, e.g. 2023-10-27T06:30Z.")
    ] = "",
    load: Annotated[
        list[str],
        typer.Option(
            "--load", help="Per leg KG[,PALLETS[,PAX]]; once for all legs or once per leg."
        ),
    ] = [],  # noqa: B006
    manifest: Annotated[
        Path | None,
        typer.Option("--manifest", help="CSV: id,origin,destination,cargo_kg,pallets,pax."),
    ] = None,
    policy: PolicyOpt = "icao",
    oat: OatOpt = [],  # noqa: B006
    metar: MetarOpt = [],  # noqa: B006
    wind: WindOpt = [],  # noqa: B006
    closed: Annotated[
        list[str],
        typer.Option("--closed", help="Close runways: GATS (all) or GATS:05L/23R; repeatable."),
    ] = [],  # noqa: B006
    duty: Annotated[float, typer.Option("--duty", help="Crew duty day, h.")] = 16.0,
    ground_time: Annotated[
        float | None,
        typer.Option("--ground-time", help="Turnaround at each stop, min (default: the type's)."),
    ] = None,
    extra_fuel: Annotated[
        float, typer.Option("--extra-fuel", help="Discretionary fuel kept on every landing, kg.")
    ] = 0.0,
    fl: Annotated[
        float | None,
        typer.Option("--fl", help="Cruise flight level on every leg (default: best per leg)."),
    ] = None,
    speed: Annotated[
        str | None,
        typer.Option(
            "--speed", help="Speed schedule: mrc, lrc, mcr, max-endurance or a TAS in kt."
        ),
    ] = None,
    isa_dev: Annotated[
        float, typer.Option("--isa-dev", help="Temperature aloft, deviation from ISA, °C.")
    ] = 0.0,
    ground_mode: Annotated[
        str,
        typer.Option(
            "--ground-mode", help="Turnaround: normal, expedited or ero (engine-running offload)."
        ),
    ] = "normal",
    payload_limit: Annotated[
        str,
        typer.Option("--payload-limit", help="structural (max payload) or acl (planning payload)."),
    ] = "structural",
    json_: Annotated[
        str | None,
        typer.Option(
            "--json", metavar="-|FILE", help="Write the plan as JSON ('-': to stdout only)."
        ),
    ] = None,
    csv_: Annotated[
        str | None, typer.Option("--csv", metavar="FILE", help="Write one CSV row per leg.")
    ] = None,
    geojson: Annotated[
        str | None, typer.Option("--geojson", metavar="FILE", help="Write GeoJSON.")
    ] = None,
    kml: Annotated[
        str | None, typer.Option("--kml", metavar="FILE", help="Write KML for Google Earth.")
    ] = None,
    zones: ZonesOpt = None,
    operator: OperatorOpt = None,
    planning_date: PlanningDateOpt = None,
) -> None:
    """Plan a multi-stop mission: fuel, weights, runway, daylight and duty on every leg."""
    from airlift.console import plan_view
    from airlift.mission import plan as plan_mission
    from airlift.mission_file import build, read_manifest_csv

    # Output paths first: a typo in one costs a second, not the plan.
    json_path = output_file("--json", json_, stdout=True)
    csv_path = output_file("--csv", csv_)
    geojson_path = output_file("--geojson", geojson)
    kml_path = output_file("--kml", kml)
    if not depart:
        raise InputError("--depart is required, e.g. --depart 2023-10-27T06:30Z")
    mission = build(
        aircraft,
        stops,
        depart,
        loads=[_parse_load(s) for s in load] or None,
        items=read_manifest_csv(manifest) if manifest else (),
        policy=policy,
        oats=oat,
        metars=metar,
        wind=wind,
        closed=closed,
        options={
            "duty_limit_h": duty,
            "extra_fuel_kg": extra_fuel,
            "fl": fl,
            "speed": speed,
            "isa_dev_c": isa_dev,
            "ground_mode": ground_mode,
            "payload_limit": payload_limit,
            **({"ground_time_min": ground_time} if ground_time is not None else {}),
        },
    )
    mission = replace(mission, airspace=airspace(zones, operator, planning_date))
    result = plan_mission(mission)
    if json_path == STDOUT:
        from airlift.export import plan_document

        # ASCII-escaped, as ever: scripts read this output (a file gets UTF-8).
        print_json(plan_document(result), ensure_ascii=True)
        json_path = None
    else:
        out.print(plan_view(result))
    _write_outputs(result, mission.stops, json_path, csv_path, geojson_path, kml_path)
    if not result.feasible:
        raise typer.Exit(1)


def maxload(
    origin: Annotated[str, typer.Argument(help="Departure airfield.")],
    destination: Annotated[str, typer.Argument(help="Arrival airfield.")],
    aircraft: AircraftOpt = "C-130H",
    oat: OatOpt = [],  # noqa: B006
    metar: MetarOpt = [],  # noqa: B006
    wind: WindOpt = [],  # noqa: B006
    policy: PolicyOpt = "icao",
    then: Annotated[
        str | None,
        typer.Option(
            "--then",
            help="Where the aircraft goes next, if the destination has no fuel "
            "(default: back to the origin).",
        ),
    ] = None,
    depart: Annotated[str, typer.Option(help="Off-block time (UTC).")] = "2023-10-27T12:00Z",
    zones: ZonesOpt = None,
    operator: OperatorOpt = None,
    planning_date: PlanningDateOpt = None,
) -> None:
    """The most payload that can be carried on one leg, and which limit stops more."""
    from airlift.airfields import lookup
    from airlift.console import maxload_view
    from airlift.errors import UnknownAirfield
    from airlift.mission import max_load
    from airlift.mission_file import build

    if then is not None:  # checked even where it is not needed: a typo is a typo
        try:
            lookup(then)
        except UnknownAirfield as exc:
            raise InputError(f"--then: {exc}") from None
    stops = [origin, destination]
    if not lookup(destination).planning.fuel_available:
        stops.append(origin if then is None else then)
    mission = build(aircraft, stops, depart, policy=policy, oats=oat, metars=metar, wind=wind)
    mission = replace(mission, airspace=airspace(zones, operator, planning_date))
    out.print(maxload_view(max_load(mission)))
