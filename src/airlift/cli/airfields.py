"""``airlift airfields``: look up an airfield, list the theatre, import OurAirports runways."""

from __future__ import annotations

from typing import Annotated

import typer

from airlift.cli.common import out

airfields_app = typer.Typer(no_args_is_help=True, help="Airfields, runways, theatre data.")


@airfields_app.command("show")
def airfields_show(code: Annotated[str, typer.Argument(help="ICAO, IATA or name.")]) -> None:
    """Position, elevation, runways and planning attributes of an airfield."""
    from airlift.airfields import lookup
    from airlift.console import airfield_view

    out.print(airfield_view(lookup(code)))


@airfields_app.command("search")
def airfields_search(
    query: Annotated[str, typer.Argument(help="Start of an ICAO or IATA code, or part of a name.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=200, help="Most matches shown.")] = 20,
) -> None:
    """Airfields by code or name: theatre airfields first, then the world (airportsdata)."""
    from rich.table import Table

    from airlift.airfields import search
    from airlift.errors import InputError

    if not query.strip():
        raise InputError("query is empty: give the start of a code or part of a name")
    found = search(query, limit)
    if not found:
        out.print(f"no airfield matches {query!r}")
        return
    table = Table(title=f"Airfields matching {query!r}")
    for col in ("ICAO", "IATA", "name", "city", "country", "source"):
        table.add_column(col)
    for m in found:
        table.add_row(m.icao, m.iata or "-", m.name, m.city or "-", m.country or "-", m.source)
    out.print(table)


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
    from airlift.ourairports import import_ourairports

    summary = import_ourairports(source)
    out.print(summary.describe())
