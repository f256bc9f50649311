"""``airlift track``: execution tracking, what was flown against the plan.

``track detect``: take-offs and landings in ADS-B files (readsb traces and aircraft.json,
OpenSky CSV/Parquet, Beast, AVR), no database needed. Warnings (an aircraft address the
fleet does not know) go to stderr, one line each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from airlift.cli.common import STDOUT, out, output_file, print_json, write_json

track_app = typer.Typer(no_args_is_help=True, help="Execution tracking: what was actually flown.")


def _receiver(text: str | None) -> tuple[float, float] | None:
    from airlift.errors import FieldError

    if text is None:
        return None
    try:
        lat, lon = (float(x) for x in text.split(","))
    except ValueError:
        raise FieldError(
            "--receiver", f"--receiver must be LAT,LON in degrees, got {text!r}"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise FieldError("--receiver", f"--receiver {text} is not a position (LAT,LON degrees)")
    return lat, lon


@track_app.command("detect")
def track_detect(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...", help="ADS-B files, or folders of them (aircraft.json series)."
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option("--format", help="auto (from the content), readsb, opensky, beast or avr."),
    ] = "auto",
    fleet: Annotated[
        Path | None,
        typer.Option(
            "--fleet",
            help="Fleet CSV/JSON mapping icao24 to registration (default: the demo fleet).",
        ),
    ] = None,
    start_utc: Annotated[
        str | None,
        typer.Option(
            "--start-utc", help="Beast or plain AVR: UTC time of the first message (ISO 8601)."
        ),
    ] = None,
    receiver: Annotated[
        str | None,
        typer.Option(
            "--receiver",
            metavar="LAT,LON",
            help="Receiver position, degrees (Mode S surface positions).",
        ),
    ] = None,
    json_: Annotated[
        str | None,
        typer.Option(
            "--json", metavar="-|FILE", help="Write the flights as JSON ('-': stdout only)."
        ),
    ] = None,
) -> None:
    """Take-offs and landings found in ADS-B files, matched to airfields."""
    from airlift.errors import FieldError
    from airlift.scheduling import values
    from airlift.scheduling.readers import demo_dir, read_fleet
    from airlift.tracking import adsb
    from airlift.tracking.detect import detect

    json_path = output_file("--json", json_, stdout=True)
    try:
        format_ = adsb.Format(fmt.strip().lower())
    except ValueError:
        choices = ", ".join(f.value for f in adsb.Format)
        raise FieldError("--format", f"--format must be one of {choices}, got {fmt!r}") from None
    start = values.utc("--start-utc", start_utc) if start_utc else None
    tails = read_fleet(fleet or demo_dir() / "fleet.csv")
    table = adsb.read(files, format_, start, _receiver(receiver))
    result = detect(table, tails, str(fleet) if fleet else "the demo fleet")
    for warning in result.warnings:
        _warn(warning)
    doc = {
        "files": [str(f) for f in files],
        "reports": table.num_rows,
        "flights": [f.as_dict() for f in result.flights],
        "warnings": list(result.warnings),
    }
    if json_path == STDOUT:
        print_json(doc)
        return
    out.print(_table(result.flights, table.num_rows))
    if json_path is not None:
        write_json(doc, json_path)


def _warn(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False).print(f"warning: {message}", markup=False, soft_wrap=True)


def _table(flights: object, reports: int) -> object:
    from rich.table import Table

    from airlift.tracking.detect import DetectedFlight

    table = Table(title=f"Flights detected in {reports:,} ADS-B reports (times UTC)")
    for col in (
        "icao24",
        "registration",
        "callsign",
        "from",
        "to",
        "off (UTC)",
        "on (UTC)",
        "flight (min)",
        "max alt (ft)",
        "seen",
    ):
        table.add_column(col)
    for f in flights:  # type: ignore[attr-defined]
        assert isinstance(f, DetectedFlight)
        minutes = (f.on_utc - f.off_utc).total_seconds() / 60 if f.off_utc and f.on_utc else None
        table.add_row(
            f.icao24,
            f.registration or "-",
            f.callsign or "-",
            f.origin or "?",
            f.destination or "?",
            f"{f.off_utc:%Y-%m-%d %H:%M}" if f.off_utc else "-",
            f"{f.on_utc:%Y-%m-%d %H:%M}" if f.on_utc else "-",
            f"{minutes:.0f}" if minutes is not None else "-",
            f"{f.max_altitude_ft:,.0f}" if f.max_altitude_ft is not None else "-",
            "partial" if f.partial else "whole",
        )
    return table
