"""``airlift track``: execution tracking, what was flown against the plan.

``track report``: a programme against what was flown (crew/ops report CSVs and MVT movement
messages), as a table, JSON and CSV. ``track import``: store leg reports (JSON, CSV, MVT)
in the database. ``track detect``: take-offs and landings in ADS-B files
(readsb traces and aircraft.json, OpenSky CSV/Parquet, Beast, AVR), no database needed.
Warnings (an aircraft address the fleet does not know) go to stderr, one line each.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from airlift.cli.common import (
    STDOUT,
    out,
    output_file,
    print_json,
    write_json,
    write_outputs,
)
from airlift.cli.track_sighting import track_sighting
from airlift.cli.track_store import track_import
from airlift.errors import FieldError, InputError, Where

if TYPE_CHECKING:
    from rich.table import Table

    from airlift.tracking.compare import TrackingReport

track_app = typer.Typer(
    no_args_is_help=True,
    help="Execution tracking: what was flown against the programme.",
)
track_app.command("import")(track_import)
track_app.command("sighting")(track_sighting)


def _month(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise InputError(f"--month must be YYYY-MM (e.g. 2023-10), got {text!r}") from None


def _as_of(text: str | None) -> datetime | None:
    if text is None:
        return None
    from airlift.scheduling import values

    try:
        return values.utc("--as-of", text)
    except FieldError as exc:
        raise InputError(exc.reason) from None


def read_programme(path: Path) -> dict[str, Any]:
    """A programme document (``airlift schedule --json``) from a file."""
    from airlift.formats import json_loads

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FieldError(None, f"cannot read ({exc.strerror or exc})", Where(str(path))) from None
    except UnicodeDecodeError:
        raise FieldError(None, "not UTF-8 text", Where(str(path))) from None
    doc = json_loads(text, str(path))
    if not isinstance(doc, dict) or not isinstance(doc.get("missions"), list):
        raise FieldError(
            "missions",
            "not a programme document (write one with airlift schedule --json FILE)",
            Where(str(path)),
        )
    return doc


def _fmt(value: float | None, unit: str, decimals: int = 0) -> str:
    return "-" if value is None else f"{value:,.{decimals}f} {unit}"


def _hm(when: datetime | None) -> str:
    return "-" if when is None else f"{when:%d %H:%MZ}"


def report_view(report: TrackingReport) -> Table:
    """Plan against actual, one row per leg; the figures in the caption."""
    from rich.table import Table

    f = report.figures
    on_time = "-" if f.on_time_pct is None else f"{f.on_time_pct:.1f} %"
    delivered = "-" if f.delivered_pct is None else f"{f.delivered_pct:.1f} %"
    table = Table(
        title=f"Plan against actual: {report.scenario} (as of {report.as_of_utc:%Y-%m-%d %H:%MZ})",
        caption=(
            f"On-time departures (within 15 min): {f.on_time_departures} of {f.departed} "
            f"({on_time}); delivered {f.tonnes_delivered:,.1f} t of {f.tonnes_planned:,.1f} t "
            f"planned ({delivered}); unplanned legs {f.unplanned}; legs now breaking a limit "
            f"{f.newly_infeasible}; * projected delay (not yet departed)"
        ),
    )
    for name, justify in (
        ("Tail", "left"),
        ("Day", "right"),
        ("Leg", "left"),
        ("Status", "left"),
        ("Plan OUT", "right"),
        ("Actual OUT", "right"),
        ("Delay", "right"),
        ("Arr. delay", "right"),
        ("Burn vs plan", "right"),
        ("Cargo vs plan", "right"),
        ("Problems", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in report.legs:
        p, a = r.planned, r.actual
        route = f"{p.number} {p.origin}-{p.destination}"
        if r.status == "diverted" and a is not None:
            route += f" (to {a.destination.upper()})"
        delay = r.departure_delay_min
        shown = _fmt(delay, "min") if delay is not None else _fmt(r.projected_delay_min, "min*")
        table.add_row(
            p.tail,
            str(p.day),
            route,
            r.status,
            _hm(p.out_utc),
            _hm(a.out_utc or a.off_utc if a else None),
            shown,
            _fmt(r.arrival_delay_min, "min"),
            _fmt(r.burn_vs_plan_pct, "%", 1),
            _fmt(r.cargo_vs_plan_kg, "kg"),
            "; ".join(r.problems),
        )
    return table


@track_app.command("report")
def report_cmd(
    programme: Annotated[
        Path, typer.Argument(help="Programme JSON, as written by airlift schedule --json.")
    ],
    actuals: Annotated[
        list[Path] | None,
        typer.Option("--actuals", metavar="FILE", help="Leg reports CSV (repeatable)."),
    ] = None,
    mvt: Annotated[
        list[Path] | None,
        typer.Option("--mvt", metavar="FILE", help="MVT movement messages (repeatable)."),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="The scenario TOML the programme was scheduled with (airfield overrides, "
            "night flying) for re-checking delayed missions.",
        ),
    ] = None,
    requests: Annotated[
        Path | None,
        typer.Option(
            "--requests", help="The movement requests (CSV/JSON): their latest times say late."
        ),
    ] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month", help="YYYY-MM of the MVT day-of-month dates (default: the programme's)."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="UTC time of the report (default now): unreported legs by then."
        ),
    ] = None,
    json_: Annotated[
        str | None,
        typer.Option("--json", metavar="FILE", help="Write the report JSON (- for stdout)."),
    ] = None,
    csv_: Annotated[
        str | None, typer.Option("--csv", metavar="FILE", help="Write one CSV row per leg.")
    ] = None,
) -> None:
    """Hold a programme against the legs actually flown: delays, fuel, loads, deliveries."""
    from airlift.export.tracking import legs_csv, tracking_document
    from airlift.scheduling import readers
    from airlift.tracking.compare import compare
    from airlift.tracking.mvt import read_mvt
    from airlift.tracking.reports import read_reports

    json_path = output_file("--json", json_, stdout=True)
    csv_path = output_file("--csv", csv_)
    ref_month = _month(month)
    when = _as_of(as_of)
    if not actuals and not mvt:
        raise InputError("give at least one --actuals FILE or --mvt FILE")
    doc = read_programme(programme)
    if ref_month is None and doc.get("start_utc"):
        ref_month = datetime.fromisoformat(str(doc["start_utc"])).astimezone(UTC).date()
    legs = [leg for path in actuals or [] for leg in read_reports(path, when)]
    legs += [leg for path in mvt or [] for leg in read_mvt(path, ref_month, when)]
    sc = readers.read_scenario(scenario) if scenario is not None else None
    windows = {r.ref: r.latest_utc for r in readers.read_requests(requests)} if requests else None
    report = compare(doc, legs, scenario=sc, windows=windows, as_of=when)
    document = tracking_document(report)
    if json_path == STDOUT:
        print_json(document)
    else:
        out.print(report_view(report))
        for note in report.notes:
            out.print(f"note: {note}", markup=False, highlight=False)
    write_outputs(
        [
            ("--json", json_path if json_path != STDOUT else None, _writer_json(document)),
            ("--csv", csv_path, lambda path: path.write_text(legs_csv(report), encoding="utf-8")),
        ]
    )


def _writer_json(document: dict[str, Any]) -> Any:
    from airlift.cli.common import json_text

    return lambda path: path.write_text(json_text(document), encoding="utf-8")


__all__ = ["report_view", "track_app"]


def _receiver(text: str | None) -> tuple[float, float] | None:
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
