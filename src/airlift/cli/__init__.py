"""The ``airlift`` command: a thin Typer layer over the library, one module per command group.

``planning`` (plan, maxload), ``schedule``, ``replan``, ``study``, ``demo``, ``serve``,
``aircraft``, ``airfields``, ``perf``, ``database`` (db, users); ``common`` holds the console,
JSON output and the error handling: every :class:`~airlift.errors.AirliftError` becomes one line
on stderr and exit status 2. Heavy modules are imported inside the commands so that
``airlift --help`` starts fast.
"""

from __future__ import annotations

import typer

from airlift.cli import common
from airlift.cli.aircraft import aircraft_app
from airlift.cli.airfields import airfields_app
from airlift.cli.database import db_app, users_app
from airlift.cli.demo import demo
from airlift.cli.perf import perf_app
from airlift.cli.planning import maxload, plan
from airlift.cli.replan import replan_cmd
from airlift.cli.schedule import schedule_cmd
from airlift.cli.serve import serve
from airlift.cli.study import study_cmd
from airlift.cli.track import track_app

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Plan and schedule airlift in austere theatres.",
)
# Help lists the commands, then the groups, each in this order.
app.command("plan")(plan)
app.command("maxload")(maxload)
app.command("demo")(demo)
app.command("schedule")(schedule_cmd)
app.command("replan")(replan_cmd)
app.command("study")(study_cmd)
app.command("serve")(serve)
app.add_typer(aircraft_app, name="aircraft")
app.add_typer(airfields_app, name="airfields")
app.add_typer(perf_app, name="perf")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(track_app, name="track")


def main() -> None:
    """Entry point (``airlift``, ``python -m airlift``): errors are one line and exit 2."""
    common.run(app)


__all__ = ["app", "main"]
