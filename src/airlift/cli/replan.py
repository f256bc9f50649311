"""``airlift replan``: a programme re-planned after disruption events, and what changed."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from airlift.cli.common import STDOUT, out, output_file, print_json, write_json, writing
from airlift.cli.schedule import read_inputs, seconds
from airlift.errors import FieldError, InputError

EVENT_HELP = (
    'A disruption, e.g. "unserviceable 5U-MBH 2023-10-28T08:00Z/2023-10-29T00:00Z", '
    '"closed GATS FROM/UNTIL", "mog GAGO 1", "fuel GAGO none", "hours GATS 06:00-18:00", '
    '"add-request requests.csv", "cancel R012", "change R012 cargo_kg=9000", '
    '"delay 5U-MBD:3 45min", "duty-reset 5U-MBD TIME". Repeat for several.'
)


def _now(text: str | None) -> datetime:
    from datetime import UTC

    from airlift.scheduling import values

    if text is None:
        return datetime.now(UTC)
    try:
        return values.utc("--now", text)
    except FieldError as exc:
        raise InputError(exc.reason) from None


def _horizon(text: str) -> timedelta:
    """``2h``, ``90m``, ``0`` -> the freeze horizon."""
    factor = {"s": 1.0, "m": 60.0, "h": 3600.0}.get(text[-1:].lower(), 3600.0)
    number = text[:-1] if text[-1:].lower() in "smh" else text
    try:
        value = float(number) * factor
    except ValueError:
        raise InputError(f"--horizon must look like 2h or 90m, got {text!r}") from None
    if not 0 <= value <= 48 * 3600:
        raise InputError(f"--horizon must be 0 to 48h, got {text!r}")
    return timedelta(seconds=value)


def replan_cmd(
    programme: Annotated[
        Path, typer.Argument(help="The current programme (airlift schedule --json FILE).")
    ],
    event: Annotated[
        list[str] | None, typer.Option("--event", metavar="EVENT", help=EVENT_HELP)
    ] = None,
    now: Annotated[
        str | None,
        typer.Option(help="The time of the re-plan, ISO 8601 UTC (default: the clock)."),
    ] = None,
    horizon: Annotated[
        str,
        typer.Option(
            help="Missions starting sooner than this after --now are frozen, e.g. 2h, 90m, 0."
        ),
    ] = "2h",
    requests: Annotated[
        Path | None,
        typer.Option(help="The requests the programme was drawn from (default: the demo)."),
    ] = None,
    fleet: Annotated[
        Path | None, typer.Option(help="The fleet it was drawn with (default: the demo).")
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option(help="Its scenario TOML (default: the demo's).")
    ] = None,
    time_limit: Annotated[
        str, typer.Option("--time-limit", help="Time for the whole re-plan, e.g. 1s.")
    ] = "1s",
    seed: Annotated[int, typer.Option(help="Random seed, 0 to 2147483647.")] = 0,
    from_scratch: Annotated[
        bool,
        typer.Option(
            "--from-scratch",
            help="Solve every mission not frozen again from nothing (a full re-solve, to "
            "compare with: it moves far more).",
        ),
    ] = False,
    json_: Annotated[
        str | None,
        typer.Option(
            "--json",
            metavar="FILE",
            help="Write the new programme JSON (with its diff), - for standard output.",
        ),
    ] = None,
    diff: Annotated[
        str | None,
        typer.Option("--diff", metavar="FILE", help="Write one CSV row per changed request."),
    ] = None,
) -> None:
    """Re-plan a programme after disruption events, changing as little as possible."""
    from airlift.cli.track import read_programme
    from airlift.console import replan_view
    from airlift.replan import diff_csv, parse_event, replan
    from airlift.scheduling.problem import check_seed

    json_path = output_file("--json", json_, stdout=True)
    diff_path = output_file("--diff", diff)
    check_seed(seed, "--seed")
    limit_s = seconds(time_limit)
    freeze = _horizon(horizon)
    when = _now(now)
    events = [parse_event(text, Path.cwd()) for text in event or []]
    doc = read_programme(programme)
    inputs = read_inputs(requests, fleet, scenario)
    result = replan(
        doc,
        *inputs,
        events,
        when,
        horizon=freeze,
        time_limit_s=limit_s,
        seed=seed,
        from_scratch=from_scratch,
    )
    document = result.document()
    if json_path == STDOUT:
        print_json(document)
    else:
        out.print(replan_view(document))
    if json_path is not None and json_path != STDOUT:
        write_json(document, json_path)
    if diff_path is not None:
        with writing("--diff", diff_path):
            diff_path.write_text(diff_csv(document["diff"]), encoding="utf-8")
        out.print(f"wrote {diff_path}")
