"""``airlift aircraft``: the aircraft types, their figures and sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from airlift.cli.common import out, output_file, write_outputs

aircraft_app = typer.Typer(no_args_is_help=True, help="Aircraft types: figures and sources.")


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
        str | None,
        typer.Option(
            "--plot", metavar="FILE.png", help="Write the payload-range diagram to this PNG."
        ),
    ] = None,
) -> None:
    """Every figure with its source, and the fuel-model calibration residuals."""
    from airlift.aircraft import aircraft_type
    from airlift.console import aircraft_view

    path = output_file("--plot", plot, suffix=".png")
    t = aircraft_type(name)
    out.print(aircraft_view(t))

    def payload_range_png(path: Path) -> Path:
        from airlift.plots import payload_range_png

        return payload_range_png(t, path)

    write_outputs([("--plot", path, payload_range_png)])
