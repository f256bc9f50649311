"""``airlift demo``: the reference circuit planned and exported, then the demo week scheduled."""

from __future__ import annotations

from typing import Annotated

import typer

from airlift.cli.common import out, output_dir, writing
from airlift.cli.schedule import run_schedule, seconds, write_programme


def demo(
    out_folder: Annotated[
        str,
        typer.Option(
            "--out", metavar="FOLDER", help="Folder for the exports (created if missing)."
        ),
    ] = "out",
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

    out_dir = output_dir("--out", out_folder)  # checked before any work
    limit_s = seconds(time_limit)
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
    with writing("--out", out_dir):
        paths = export.write_all(result, mission.stops, out_dir, "reference_circuit")
    out.print("wrote " + ", ".join(str(p) for p in paths))
    out.rule("How much can we carry Gao -> Tessalit on a 45 °C afternoon?")
    question = build("C-130H", ["GAGO", "GATS", "GAGO"], "2023-10-27T13:00Z", oats=["45"])
    out.print(maxload_view(max_load(question)))
    if schedule_week:
        from airlift.console import programme_view

        out.rule("The coalition's week: demo requests on the pooled Niger/Mali/Burkina fleet")
        programme = run_schedule(None, None, None, limit_s, 0, "pyvrp")
        out.print(programme_view(programme))
        stem = out_dir / "programme"
        write_programme(
            programme,
            stem.with_suffix(".json"),
            stem.with_suffix(".csv"),
            out_dir / "requests_status.csv",
            stem.with_suffix(".geojson"),
            out_dir / "gantt.png",
        )
