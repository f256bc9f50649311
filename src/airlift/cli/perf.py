"""``airlift perf``: range, endurance, cruise, take-off and landing of a type.

The documents are built by airlift.performance.answers, shared with the web API (/api/perf/*):
the same field names as the API's parameters and JSON keys. The CLI side: options as text (a
bad number is one line naming the field, not a usage error), a small table or the JSON document.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from airlift.cli.common import STDOUT, out, output_file, print_json, write_json

if TYPE_CHECKING:
    from rich.console import Group

    from airlift.aircraft import AircraftType

perf_app = typer.Typer(
    no_args_is_help=True,
    help="Aircraft performance: range, endurance, cruise, take-off and landing (planning "
    "estimates from public figures, not flight-manual data).",
)

TypeArg = Annotated[
    str, typer.Argument(metavar="TYPE", help="Aircraft type (C-130H, c130h) or a demo tail.")
]
PayloadOpt = Annotated[str, typer.Option("--payload", metavar="KG", help="Payload, kg.")]
FuelOpt = Annotated[
    str | None,
    typer.Option(
        "--fuel", metavar="KG", help="Fuel at brake release, kg (default: full, within MTOW)."
    ),
]
ReserveOpt = Annotated[
    str | None,
    typer.Option(
        "--reserve-min",
        metavar="MIN",
        help="Reserve left on landing, min of holding at 1,500 ft (default 30).",
    ),
]
FlOpt = Annotated[
    str | None,
    typer.Option("--fl", metavar="FL", help="Cruise flight level, e.g. 240 (default: the best)."),
]
SpeedOpt = Annotated[
    str | None,
    typer.Option(
        "--speed",
        metavar="SCHEDULE",
        help="mrc, lrc, mcr, max-endurance or a TAS in kt (default: the type's normal one).",
    ),
]
IsaOpt = Annotated[
    str, typer.Option("--isa-dev", metavar="C", help="Temperature deviation from ISA, °C.")
]
WeightOpt = Annotated[str, typer.Option("--weight", metavar="KG", help="Gross weight, kg.")]
ElevationOpt = Annotated[
    str,
    typer.Option(
        "--elevation-ft", metavar="FT", help="Field elevation, ft (taken as pressure altitude)."
    ),
]
FieldOatOpt = Annotated[
    str | None,
    typer.Option("--oat", metavar="C", help="Outside air temperature, °C (default: ISA)."),
]
SurfaceOpt = Annotated[
    str, typer.Option("--surface", metavar="paved|unpaved", help="Runway surface.")
]
WetOpt = Annotated[bool, typer.Option("--wet", help="Wet runway.")]
JsonOpt = Annotated[
    str | None,
    typer.Option(
        "--json", metavar="-|FILE", help="Write the answer as JSON ('-': to stdout only)."
    ),
]

_PERF_ROWS: tuple[tuple[str, str, str, int], ...] = (
    # (key, label, unit, decimals)
    ("range_nm", "range (still air)", "NM", 0),
    ("endurance_h", "endurance", "h", 2),
    ("time_h", "flight time", "h", 2),
    ("tas_kt", "true airspeed", "kt", 0),
    ("fuel_flow_kg_h", "fuel flow", "kg/h", 0),
    ("ground_roll_m", "ground roll", "m", 0),
    ("distance_50ft_m", "distance over 50 ft", "m", 0),
    ("balanced_field_m", "balanced field length", "m", 0),
    ("landing_distance_m", "landing distance (factored)", "m", 0),
    ("factor", "landing factor", "x", 3),
    ("payload_kg", "payload", "kg", 0),
    ("fuel_kg", "fuel at brake release", "kg", 0),
    ("tow_kg", "take-off weight", "kg", 0),
    ("weight_kg", "weight", "kg", 0),
    ("reserve_min", "reserve", "min", 0),
    ("reserve_kg", "reserve fuel", "kg", 0),
    ("cruise_fl", "cruise level", "FL", 0),
    ("cruise_tas_kt", "cruise true airspeed", "kt", 0),
    ("elevation_ft", "elevation (pressure altitude)", "ft", 0),
    ("oat_c", "outside air temperature", "°C", 0),
    ("isa_dev_c", "ISA deviation", "°C", 0),
)


def _perf_view(title: str, doc: dict[str, Any]) -> Group:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{doc['type']} {title} (planning estimate)", title_justify="left")
    for col in ("", "value", "unit"):
        table.add_column(col, justify="right" if col == "value" else "left")
    for key, label, unit, decimals in _PERF_ROWS:
        if key not in doc:
            continue
        value = doc[key]
        if value is None:
            shown = "not possible"
        elif key == "isa_dev_c":
            shown = f"{value:+.{decimals}f}"
        else:
            shown = f"{value:,.{decimals}f}"
        table.add_row(label, shown, unit)
    for key in ("speed", "surface"):
        if key in doc:
            table.add_row(key, str(doc[key]), "")
    if "wet" in doc:
        table.add_row("runway", "wet" if doc["wet"] else "dry", "")
    if "flyable" in doc:
        table.add_row("flyable", "yes" if doc["flyable"] else "no", "")
    warnings = [Text(f"warning: {w}", style="yellow") for w in doc["warnings"]]
    return Group(table, *warnings)


def _perf_out(title: str, doc: dict[str, Any], json_: Path | None) -> None:
    """The table (and ``json_``, a checked path), or only the JSON document on stdout."""
    if json_ == STDOUT:
        print_json(doc)
        return
    out.print(_perf_view(title, doc))
    if json_ is not None:
        write_json(doc, json_)


def _perf_type(name: str) -> AircraftType:
    from airlift.mission_file import shipped_aircraft

    return shipped_aircraft(name)[0]


@perf_app.command("range")
def perf_range(
    type_: TypeArg,
    payload: PayloadOpt,
    fuel: FuelOpt = None,
    reserve_min: ReserveOpt = None,
    fl: FlOpt = None,
    speed: SpeedOpt = None,
    isa_dev: IsaOpt = "0",
    json_: JsonOpt = None,
) -> None:
    """Still-air range and flight time at a payload, landing with the reserve."""
    from airlift.performance import answers

    json_path = output_file("--json", json_, stdout=True)
    t = _perf_type(type_)
    doc = answers.range_document(t, payload, fuel, reserve_min, fl, speed, isa_dev)
    _perf_out("range", doc, json_path)


@perf_app.command("endurance")
def perf_endurance(
    type_: TypeArg,
    payload: PayloadOpt,
    fuel: FuelOpt = None,
    reserve_min: ReserveOpt = None,
    fl: FlOpt = None,
    speed: SpeedOpt = None,
    isa_dev: IsaOpt = "0",
    json_: JsonOpt = None,
) -> None:
    """Time aloft at a payload, landing with the reserve (--speed max-endurance: the longest)."""
    from airlift.performance import answers

    json_path = output_file("--json", json_, stdout=True)
    t = _perf_type(type_)
    doc = answers.endurance_document(t, payload, fuel, reserve_min, fl, speed, isa_dev)
    _perf_out("endurance", doc, json_path)


@perf_app.command("cruise")
def perf_cruise(
    type_: TypeArg,
    weight: WeightOpt,
    fl: Annotated[str, typer.Option("--fl", metavar="FL", help="Flight level, e.g. 240.")],
    speed: SpeedOpt = None,
    isa_dev: IsaOpt = "0",
    json_: JsonOpt = None,
) -> None:
    """True airspeed and fuel flow at a weight and flight level."""
    from airlift.performance import answers

    json_path = output_file("--json", json_, stdout=True)
    t = _perf_type(type_)
    doc = answers.cruise_document(t, weight, fl, speed, isa_dev)
    _perf_out("cruise", doc, json_path)


@perf_app.command("takeoff")
def perf_takeoff(
    type_: TypeArg,
    weight: WeightOpt,
    elevation_ft: ElevationOpt = "0",
    oat: FieldOatOpt = None,
    surface: SurfaceOpt = "paved",
    wet: WetOpt = False,
    json_: JsonOpt = None,
) -> None:
    """Take-off ground roll, distance over 50 ft and balanced field length."""
    from airlift.performance import answers

    json_path = output_file("--json", json_, stdout=True)
    t = _perf_type(type_)
    doc = answers.takeoff_document(t, weight, elevation_ft, oat, surface, wet)
    _perf_out("take-off", doc, json_path)


@perf_app.command("landing")
def perf_landing(
    type_: TypeArg,
    weight: WeightOpt,
    elevation_ft: ElevationOpt = "0",
    oat: FieldOatOpt = None,
    surface: SurfaceOpt = "paved",
    wet: WetOpt = False,
    factor: Annotated[
        str | None,
        typer.Option(
            "--factor",
            metavar="F",
            help="Dry factor on the distance from 50 ft (default 1/0.6 = 1.67; x 1.15 wet).",
        ),
    ] = None,
    reverse: Annotated[
        bool, typer.Option("--reverse", help="Credit reverse thrust (military practice).")
    ] = False,
    json_: JsonOpt = None,
) -> None:
    """Landing ground roll, distance from 50 ft and factored landing distance."""
    from airlift.performance import answers

    json_path = output_file("--json", json_, stdout=True)
    t = _perf_type(type_)
    doc = answers.landing_document(t, weight, elevation_ft, oat, surface, wet, factor, reverse)
    _perf_out("landing", doc, json_path)
