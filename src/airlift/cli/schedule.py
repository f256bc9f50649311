"""``airlift schedule``: movement requests and a fleet become a multi-day flying programme."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airlift.cli.airspace_options import PlanningDateOpt, ZonesOpt, airspace
from airlift.cli.common import out, output_file, write_outputs
from airlift.errors import InputError

if TYPE_CHECKING:
    from airlift.mission.airspace import Airspace
    from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
    from airlift.scheduling.programme import Programme


def seconds(text: str) -> float:
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


def read_inputs(
    requests_path: Path | None, fleet_path: Path | None, scenario_path: Path | None
) -> tuple[tuple[MovementRequest, ...], tuple[FleetTail, ...], Scenario]:
    """Requests, fleet and scenario from their files; the demo week's where a path is None
    (a scenario without a file: the demo's with the demo requests, else one that covers
    the requests)."""
    from importlib import resources

    from airlift.scheduling import readers

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
    return requests, fleet, scenario


def run_schedule(
    requests_path: Path | None,
    fleet_path: Path | None,
    scenario_path: Path | None,
    limit_s: float,
    seed: int,
    engine: str,
    iterations: int | None = None,
    airspace: Airspace | None = None,
) -> Programme:
    """Read the inputs (demo files where a path is None), schedule with a progress bar."""
    import threading
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from airlift.scheduling.scheduler import schedule

    requests, fleet, scenario = read_inputs(requests_path, fleet_path, scenario_path)
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
            return schedule(
                requests, fleet, scenario, limit_s, seed, engine, improved, iterations, airspace
            )
        finally:
            done.set()


def write_programme(
    p: Programme,
    json_: Path | None,
    csv_: Path | None,
    requests_csv: Path | None,
    geojson: Path | None,
    gantt: Path | None,
) -> None:
    """Write the programme files asked for, each followed by a "wrote" line."""
    from airlift.export import programme as export

    def gantt_png(path: Path) -> Path:
        from airlift.plots import gantt_png

        return gantt_png(p, path)

    write_outputs(
        [
            ("--json", json_, lambda path: export.write_programme_json(p, path)),
            ("--csv", csv_, lambda path: export.write_programme_csv(p, path)),
            ("--requests-csv", requests_csv, lambda path: export.write_requests_csv(p, path)),
            ("--geojson", geojson, lambda path: export.write_programme_geojson(p, path)),
            ("--gantt", gantt, gantt_png),
        ]
    )


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
    seed: Annotated[
        int, typer.Option(help="Random seed, 0 to 2147483647: the same seed, the same search.")
    ] = 0,
    iterations: Annotated[
        int | None,
        typer.Option(
            help="Stop the search after N iterations: with --seed, the same programme on any "
            "machine (the time limit still caps)."
        ),
    ] = None,
    engine: Annotated[str, typer.Option(help="pyvrp (default) or ortools.")] = "pyvrp",
    json_: Annotated[
        str | None, typer.Option("--json", metavar="FILE", help="Write the programme JSON.")
    ] = None,
    csv_: Annotated[
        str | None, typer.Option("--csv", metavar="FILE", help="Write one CSV row per leg.")
    ] = None,
    requests_csv: Annotated[
        str | None,
        typer.Option(
            "--requests-csv", metavar="FILE", help="Write one CSV row per request status."
        ),
    ] = None,
    geojson: Annotated[
        str | None, typer.Option("--geojson", metavar="FILE", help="Write GeoJSON.")
    ] = None,
    gantt: Annotated[
        str | None,
        typer.Option("--gantt", metavar="FILE.png", help="Write a Gantt chart PNG."),
    ] = None,
    zones: ZonesOpt = None,
    planning_date: PlanningDateOpt = None,
) -> None:
    """Turn movement requests and a fleet into a multi-day flying programme."""
    from airlift.console import programme_view
    from airlift.scheduling.engines import ENGINES
    from airlift.scheduling.problem import check_iterations, check_seed

    # Everything the command line says is checked before the files are read and the solve.
    paths = (
        output_file("--json", json_),
        output_file("--csv", csv_),
        output_file("--requests-csv", requests_csv),
        output_file("--geojson", geojson),
        output_file("--gantt", gantt, suffix=".png"),
    )
    check_seed(seed, "--seed")
    check_iterations(iterations, "--iterations")
    limit_s = seconds(time_limit)
    if engine not in ENGINES:
        raise InputError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if fleet is None and requests is not None:
        raise InputError("--fleet is required with your own requests file")
    space = airspace(zones, None, planning_date)
    p = run_schedule(requests, fleet, scenario, limit_s, seed, engine, iterations, space)
    out.print(programme_view(p))
    write_programme(p, *paths)
