"""The ``airlift`` command: a thin Typer layer over the library.

Every :class:`~airlift.errors.AirliftError` becomes one line on stderr and exit status 2.
Heavy modules are imported inside the commands so that ``airlift --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from airlift.errors import AirliftError, InputError

if TYPE_CHECKING:
    from rich.console import Group

    from airlift.aircraft import AircraftType
    from airlift.airfields import Airfield
    from airlift.mission import Load, MissionPlan
    from airlift.scheduling.programme import Programme

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Plan and schedule airlift in austere theatres.",
)
aircraft_app = typer.Typer(no_args_is_help=True, help="Aircraft types: figures and sources.")
airfields_app = typer.Typer(no_args_is_help=True, help="Airfields, runways, theatre data.")
app.add_typer(aircraft_app, name="aircraft")
app.add_typer(airfields_app, name="airfields")

# Piped output (CI logs, files) gets room for the wide tables instead of Rich's 80 columns.
out = Console() if sys.stdout.isatty() else Console(width=160)

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

    written = [
        json_ and export.write_json(plan, json_),
        csv_ and export.write_csv(plan, csv_),
        geojson and export.write_geojson(plan, stops, geojson),
        kml and export.write_kml(plan, stops, kml),
    ]
    for path in written:
        if path:
            out.print(f"wrote {path}")


@app.command()
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
        Path | None, typer.Option("--json", help="Write the plan as JSON ('-': to stdout only).")
    ] = None,
    csv_: Annotated[Path | None, typer.Option("--csv", help="Write one CSV row per leg.")] = None,
    geojson: Annotated[Path | None, typer.Option("--geojson", help="Write GeoJSON.")] = None,
    kml: Annotated[Path | None, typer.Option("--kml", help="Write KML for Google Earth.")] = None,
) -> None:
    """Plan a multi-stop mission: fuel, weights, runway, daylight and duty on every leg."""
    from airlift.console import plan_view
    from airlift.mission import plan as plan_mission
    from airlift.mission_file import build, read_manifest_csv

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
    result = plan_mission(mission)
    if json_ == Path("-"):
        import json

        from airlift.export import plan_document

        sys.stdout.write(json.dumps(plan_document(result), indent=2, allow_nan=False) + "\n")
        json_ = None
    else:
        out.print(plan_view(result))
    _write_outputs(result, mission.stops, json_, csv_, geojson, kml)
    if not result.feasible:
        raise typer.Exit(1)


@app.command()
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
) -> None:
    """The most payload that can be carried on one leg, and which limit stops more."""
    from airlift.airfields import lookup
    from airlift.console import maxload_view
    from airlift.mission import max_load
    from airlift.mission_file import build

    stops = [origin, destination]
    if not lookup(destination).planning.fuel_available:
        stops.append(then or origin)
    mission = build(aircraft, stops, depart, policy=policy, oats=oat, metars=metar, wind=wind)
    out.print(maxload_view(max_load(mission)))


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the exports.")] = Path("out"),
    schedule_week: Annotated[
        bool, typer.Option("--schedule/--no-schedule", help="Also schedule the demo week.")
    ] = True,
    time_limit: Annotated[str, typer.Option("--time-limit", help="Scheduler time.")] = "20s",
) -> None:
    """Plan the reference circuit GABS-GAGO-GATS-DRRN-GABS, write every export format, then
    schedule the coalition's demo week."""
    from importlib import resources

    from airlift import export
    from airlift.console import maxload_view, plan_view
    from airlift.mission import max_load
    from airlift.mission import plan as plan_mission
    from airlift.mission_file import build, mission_from_file

    src = resources.files("airlift") / "data" / "demo" / "reference_circuit.toml"
    mission = mission_from_file("demo/reference_circuit.toml", src.read_text("utf-8"))
    out.rule("Reference circuit: Niger Air Force C-130H for Mali, 27 October 2023")
    for item in mission.manifest:
        out.print(
            f"  {item.id} {item.origin}->{item.destination} {item.load.cargo_kg:,.0f} kg, "
            f"{item.load.pallets} pallets, {item.load.pax} pax: {item.description}"
        )
    result = plan_mission(mission)
    out.print(plan_view(result))
    paths = export.write_all(result, mission.stops, out_dir, "reference_circuit")
    out.print("wrote " + ", ".join(str(p) for p in paths))
    out.rule("How much can we carry Gao -> Tessalit on a 45 °C afternoon?")
    question = build("C-130H", ["GAGO", "GATS", "GAGO"], "2023-10-27T13:00Z", oats=["45"])
    out.print(maxload_view(max_load(question)))
    if schedule_week:
        from airlift.console import programme_view

        out.rule("The coalition's week: demo requests on the pooled Niger/Mali/Burkina fleet")
        programme = _run_schedule(None, None, None, _seconds(time_limit), 0, "pyvrp")
        out.print(programme_view(programme))
        stem = out_dir / "programme"
        _write_programme(
            programme,
            stem.with_suffix(".json"),
            stem.with_suffix(".csv"),
            out_dir / "requests_status.csv",
            stem.with_suffix(".geojson"),
            out_dir / "gantt.png",
        )


def _seconds(text: str) -> float:
    """``30``, ``30s``, ``2m`` -> seconds."""
    factor = {"s": 1.0, "m": 60.0, "h": 3600.0}.get(text[-1:].lower(), 1.0)
    number = text[:-1] if text[-1:].lower() in "smh" else text
    try:
        value = float(number) * factor
    except ValueError:
        raise InputError(f"--time-limit must look like 30s or 2m, got {text!r}") from None
    if not 0 < value < 86_400:
        raise InputError(f"--time-limit must be positive and under a day, got {text!r}")
    return value


def _run_schedule(
    requests_path: Path | None,
    fleet_path: Path | None,
    scenario_path: Path | None,
    limit_s: float,
    seed: int,
    engine: str,
    iterations: int | None = None,
) -> Programme:
    """Read the inputs (demo files where a path is None), schedule with a progress bar."""
    import threading
    import time
    from importlib import resources

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from airlift.scheduling import readers
    from airlift.scheduling.scheduler import schedule

    demo = resources.files("airlift") / "data" / "demo"
    with resources.as_file(demo) as demo_dir:
        requests = readers.read_requests(requests_path or demo_dir / "requests.csv")
        fleet = readers.read_fleet(fleet_path or demo_dir / "fleet.csv")
        if scenario_path is not None:
            scenario = readers.read_scenario(scenario_path)
        elif requests_path is None:
            scenario = readers.read_scenario(demo_dir / "scenario.toml")
        else:
            scenario = readers.default_scenario(requests)
    readers.check_horizon(scenario, requests)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=out,
        transient=True,
    ) as bar:
        task = bar.add_task(
            f"scheduling {len(requests)} requests, {len(fleet)} tails", total=limit_s
        )
        start = time.perf_counter()
        done = threading.Event()

        def tick() -> None:
            while not done.wait(0.2):
                bar.update(task, completed=min(limit_s, time.perf_counter() - start))

        def improved(elapsed: float, objective: float) -> None:
            bar.update(task, description=f"best objective {objective:,.0f}")

        threading.Thread(target=tick, daemon=True).start()
        try:
            return schedule(requests, fleet, scenario, limit_s, seed, engine, improved, iterations)
        finally:
            done.set()


def _write_programme(
    p: Programme,
    json_: Path | None,
    csv_: Path | None,
    requests_csv: Path | None,
    geojson: Path | None,
    gantt: Path | None,
) -> None:
    from airlift.export import programme as export

    written = [
        json_ and export.write_programme_json(p, json_),
        csv_ and export.write_programme_csv(p, csv_),
        requests_csv and export.write_requests_csv(p, requests_csv),
        geojson and export.write_programme_geojson(p, geojson),
    ]
    if gantt:
        from airlift.plots import gantt_png

        written.append(gantt_png(p, gantt))
    for path in written:
        if path:
            out.print(f"wrote {path}")


@app.command("schedule")
def schedule_cmd(
    requests: Annotated[
        Path | None, typer.Argument(help="Movement requests, CSV or JSON (default: the demo week).")
    ] = None,
    fleet: Annotated[
        Path | None,
        typer.Option(
            "--fleet", help="Fleet tails, CSV or JSON (default: the demo coalition fleet)."
        ),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option("--scenario", help="Scenario TOML: horizon, overrides, fuel policy."),
    ] = None,
    time_limit: Annotated[str, typer.Option("--time-limit", help="Solver time, e.g. 30s.")] = "30s",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    iterations: Annotated[
        int | None,
        typer.Option(
            help="Stop the search after N iterations: with --seed, the same programme on any "
            "machine (the time limit still caps)."
        ),
    ] = None,
    engine: Annotated[str, typer.Option(help="pyvrp (default) or ortools.")] = "pyvrp",
    json_: Annotated[Path | None, typer.Option("--json", help="Write the programme JSON.")] = None,
    csv_: Annotated[Path | None, typer.Option("--csv", help="Write one CSV row per leg.")] = None,
    requests_csv: Annotated[
        Path | None, typer.Option("--requests-csv", help="Write one CSV row per request status.")
    ] = None,
    geojson: Annotated[Path | None, typer.Option("--geojson", help="Write GeoJSON.")] = None,
    gantt: Annotated[Path | None, typer.Option("--gantt", help="Write a Gantt chart PNG.")] = None,
) -> None:
    """Turn movement requests and a fleet into a multi-day flying programme."""
    from airlift.console import programme_view
    from airlift.scheduling.engines import ENGINES

    if engine not in ENGINES:
        raise InputError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if fleet is None and requests is not None:
        raise InputError("--fleet is required with your own requests file")
    if iterations is not None and iterations < 1:
        raise InputError(f"--iterations must be >= 1, got {iterations}")
    p = _run_schedule(requests, fleet, scenario, _seconds(time_limit), seed, engine, iterations)
    out.print(programme_view(p))
    _write_programme(p, json_, csv_, requests_csv, geojson, gantt)


@aircraft_app.command("list")
def aircraft_list() -> None:
    """All aircraft types with headline figures."""
    from rich.table import Table

    from airlift.aircraft import catalogue

    table = Table(title="Aircraft types (planning figures; see `airlift aircraft show TYPE`)")
    for col in (
        "type",
        "name",
        "MTOW kg",
        "max payload kg",
        "max fuel kg",
        "cruise kt TAS",
        "pallets",
        "seats",
        "unpaved",
    ):
        table.add_column(col, justify="left" if col in ("type", "name") else "right")
    for t in catalogue().values():
        table.add_row(
            t.designator,
            t.name,
            f"{t.mtow_kg:,.0f}",
            f"{t.max_payload_kg:,.0f}",
            f"{t.max_fuel_kg:,.0f}",
            f"{t.cruise_tas_kt:.0f}",
            str(t.pallet_positions),
            str(t.seats),
            "yes" if t.unpaved_approved else "no",
        )
    out.print(table)


@aircraft_app.command("show")
def aircraft_show(
    name: Annotated[str, typer.Argument(help="Type designator or alias.")],
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the payload-range diagram to this PNG.")
    ] = None,
) -> None:
    """Every figure with its source, and the fuel-model calibration residuals."""
    from airlift.aircraft import aircraft_type
    from airlift.console import aircraft_view

    t = aircraft_type(name)
    out.print(aircraft_view(t))
    if plot is not None:
        from airlift.plots import payload_range_png

        out.print(f"wrote {payload_range_png(t, plot)}")


@airfields_app.command("show")
def airfields_show(code: Annotated[str, typer.Argument(help="ICAO, IATA or name.")]) -> None:
    """Position, elevation, runways and planning attributes of an airfield."""
    from airlift.airfields import lookup
    from airlift.console import airfield_view

    out.print(airfield_view(lookup(code)))


@airfields_app.command("list")
def airfields_list() -> None:
    """The curated theatre airfields."""
    from rich.table import Table

    from airlift.airfields import theatre

    table = Table(title="Theatre airfields (planning attributes are scenario assumptions)")
    for col in ("ICAO", "name", "elev ft", "longest open runway", "fuel", "daylight only", "MOG"):
        table.add_column(col)
    for a in theatre().values():
        r = a.longest_runway()
        table.add_row(
            a.icao,
            a.name,
            f"{a.elevation_ft:,.0f}",
            f"{r.ident} {r.length_m:,.0f} m {r.surface}" if r and r.length_m else "-",
            {True: "yes", False: "no", None: "?"}[a.planning.fuel_available],
            "yes" if a.planning.daylight_only else "no",
            str(a.planning.mog or "?"),
        )
    out.print(table)


@airfields_app.command("import")
def airfields_import(
    source: Annotated[
        str,
        typer.Argument(help="Folder or base URL holding OurAirports airports.csv and runways.csv."),
    ],
) -> None:
    """Import OurAirports runways into the local cache ($AIRLIFT_DATA_DIR)."""
    from airlift.airfields import import_ourairports

    summary = import_ourairports(source)
    out.print(summary.describe())


# --- performance: `airlift perf` ----------------------------------------------------------------
#
# The documents are built by airlift.performance.answers, shared with the web API (/api/perf/*):
# the same field names as the API's parameters and JSON keys.

perf_app = typer.Typer(
    no_args_is_help=True,
    help="Aircraft performance: range, endurance, cruise, take-off and landing (planning "
    "estimates from public figures, not flight-manual data).",
)
app.add_typer(perf_app, name="perf")

# The CLI side: options as text (a bad number is one line naming the field, not a usage
# error), a small table or the JSON document.

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
    Path | None,
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
    import json

    text = json.dumps(doc, indent=2, allow_nan=False, ensure_ascii=False) + "\n"
    if json_ == Path("-"):
        sys.stdout.write(text)
        return
    out.print(_perf_view(title, doc))
    if json_ is not None:
        try:
            json_.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"--json {json_}: cannot write ({exc.strerror or exc})") from None
        out.print(f"wrote {json_}")


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

    t = _perf_type(type_)
    doc = answers.range_document(t, payload, fuel, reserve_min, fl, speed, isa_dev)
    _perf_out("range", doc, json_)


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

    t = _perf_type(type_)
    doc = answers.endurance_document(t, payload, fuel, reserve_min, fl, speed, isa_dev)
    _perf_out("endurance", doc, json_)


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

    t = _perf_type(type_)
    doc = answers.cruise_document(t, weight, fl, speed, isa_dev)
    _perf_out("cruise", doc, json_)


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

    t = _perf_type(type_)
    doc = answers.takeoff_document(t, weight, elevation_ft, oat, surface, wet)
    _perf_out("take-off", doc, json_)


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

    t = _perf_type(type_)
    doc = answers.landing_document(t, weight, elevation_ft, oat, surface, wet, factor, reverse)
    _perf_out("landing", doc, json_)


# --- database and users (the web server's shared store) -----------------------------------------

db_app = typer.Typer(no_args_is_help=True, help="The shared database: schema migrations.")
users_app = typer.Typer(no_args_is_help=True, help="Web users: admins, planners, viewers.")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL, e.g. postgresql://user:pass@host/airlift "
        "(default: $AIRLIFT_DB_URL, else the SQLite file in the user data folder).",
    ),
]
PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input (for scripts).",
    ),
]


def _shown_url(url: str | None) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    from airlift.store.db import default_url

    try:
        return make_url(url or default_url()).render_as_string(hide_password=True)
    except Exception:  # a malformed URL: say so where it is used
        return "(unreadable URL)"


def _database_error(url: str | None, exc: Exception) -> AirliftError:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return AirliftError(f"database {_shown_url(url)}: {text}")


def _upgrade(url: str | None) -> str | None:
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from airlift.store import migrate

    try:
        migrate.upgrade(url)
        return migrate.current(url)
    except (SQLAlchemyError, ArgumentError) as exc:
        raise _database_error(url, exc) from None


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None) -> None:
    """Create the tables of an empty database, or migrate it to this version's schema."""
    revision = _upgrade(db)
    out.print(f"database {_shown_url(db)} is at revision {revision}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
        if not line:
            raise InputError("--password-stdin: standard input holds no password")
        return line
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _create_user(
    username: str, role: str, nation: str | None, password_stdin: bool, db: str | None
) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from airlift.store.accounts import ROLES, check_password, create_user
    from airlift.store.db import make_engine, session_factory, transaction

    if role not in ROLES:
        raise InputError(f"--role must be one of {', '.join(ROLES)}, got {role!r}")
    password = _read_password(password_stdin)
    check_password(password)
    _upgrade(db)
    engine = make_engine(db)
    try:
        with transaction(session_factory(engine)) as session:
            user = create_user(session, username, password, role, nation, actor="cli")
            name, nation = user.username, user.nation
    except SQLAlchemyError as exc:
        raise _database_error(db, exc) from None
    finally:
        engine.dispose()
    scope = f"nation {nation}" if nation else "coalition staff"
    out.print(f"created {role} {name} ({scope}) in {_shown_url(db)}")


@users_app.command("create-admin")
def users_create_admin(
    username: Annotated[str, typer.Argument(help="Login name of the new administrator.")],
    password_stdin: PasswordStdinOpt = False,
    db: DbOpt = None,
) -> None:
    """Add an administrator (asks for the password twice unless --password-stdin)."""
    _create_user(username, "admin", None, password_stdin, db)


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="Login name of the new user.")],
    role: Annotated[str, typer.Option("--role", help="viewer, planner or admin.")] = "viewer",
    nation: Annotated[
        str | None,
        typer.Option(
            "--nation", help="2-3 letter country code: the user edits that nation's tails only."
        ),
    ] = None,
    password_stdin: PasswordStdinOpt = False,
    db: DbOpt = None,
) -> None:
    """Add a user (asks for the password twice unless --password-stdin)."""
    _create_user(username, role, nation, password_stdin, db)


# --- web server ---------------------------------------------------------------------------------


def _load_demo(url: str) -> tuple[bool, str | None]:
    """Load the demo into a database without tails. On a database without users, also
    create the first admin ``admin`` with a random password, returned to be shown once:
    the two-command start on a fresh machine must end at a page one can log in to."""
    from sqlalchemy.exc import SQLAlchemyError

    from airlift.store.accounts import create_first_admin
    from airlift.store.db import make_engine, session_factory, transaction
    from airlift.store.demo import load_demo

    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as session:
            loaded = load_demo(session)
            password = create_first_admin(session)
    except SQLAlchemyError as exc:
        raise _database_error(url, exc) from None
    finally:
        engine.dispose()
    return loaded, password


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    db: DbOpt = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo/--no-demo",
            help="Load the demo fleet, requests and scenario into an empty database.",
        ),
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="HTTP server processes (about one per CPU core serves the most requests).",
        ),
    ] = 1,
    access_log: Annotated[
        bool | None,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log every HTTP request to the console (default: AIRLIFT_ACCESS_LOG, off).",
        ),
    ] = None,
) -> None:
    """Run the web app and REST API (OpenAPI at /docs) on the shared database.

    Settings: AIRLIFT_* variables (airlift.web.settings), e.g. AIRLIFT_SECURE_COOKIES=false.
    """
    import uvicorn

    from airlift.web import server
    from airlift.web.app import create_app
    from airlift.web.settings import Settings

    if access_log is not None:  # the HTTP processes read their settings from the environment
        os.environ["AIRLIFT_ACCESS_LOG"] = str(access_log).lower()
    settings = Settings(db_url=db) if db else Settings()
    url = settings.database_url()
    server.check_free(host, port)
    _upgrade(url)
    loaded, password = _load_demo(url) if demo else (False, None)
    if loaded:
        out.print("loaded the demo fleet, requests and scenario")
    if password:
        out.print(
            f"first run: created user [bold]admin[/] with password [bold]{password}[/] "
            "(shown once; add people with `airlift users create`)"
        )
    out.print(f"airlift on http://{host}:{port} (API docs: /docs), database {_shown_url(url)}")
    if settings.secure_cookies and host not in ("127.0.0.1", "localhost", "::1"):
        out.print(
            "session cookies are Secure: serve behind HTTPS, or set AIRLIFT_SECURE_COOKIES=false"
        )
    if workers == 1:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            access_log=settings.access_log,
            proxy_headers=False,  # the app trusts X-Forwarded-For itself (trusted_proxies)
            timeout_graceful_shutdown=server.GRACEFUL_SHUTDOWN_S,
        )
        return
    # Several HTTP processes (their app reads its settings from the environment) share this
    # process's schedule-run workers.
    from airlift.runs import supervisor

    os.environ["AIRLIFT_DB_URL"] = url
    run_workers = supervisor.start_workers(url, settings.worker_processes)
    try:
        status = server.serve_http(host, port, workers)
    finally:
        supervisor.stop_workers(run_workers)
    if status:
        raise typer.Exit(status)


def main() -> None:
    """Entry point: run the app, turning airlift errors into one line and exit status 2."""
    try:
        app()  # standalone: usage errors exit 2 with click's own message
    except AirliftError as exc:
        Console(stderr=True, highlight=False).print(f"error: {exc}", markup=False, soft_wrap=True)
        sys.exit(2)
