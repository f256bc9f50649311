"""``airlift track import FILE``: store a file of leg reports in the shared database.

The same formats and rules as ``POST /api/actuals/import`` (ADS-B files: flights mapped to
tails through the stored fleet) (``tracking/parsers.py``,
``store/actuals.py``): every report checked, nothing stored when one is bad (unless
``--good-rows-only``), reports already stored skipped. The ``track`` group registers
:func:`track_import` (``track_app.command("import")(track_import)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airlift.cli.common import out
from airlift.cli.database import DbOpt, database_error, shown_url, upgrade_schema
from airlift.errors import FieldError, InputError

if TYPE_CHECKING:
    from airlift.scheduling.inputs import FleetTail


def track_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="Leg reports: JSON list, CSV (one row per leg), MVT messages, or an ADS-B "
            "file (readsb, OpenSky, AVR, Beast)."
        ),
    ],
    db: DbOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="json, csv, mvt or adsb; default: an ADS-B file by its content, else by the "
            "suffix (.json, .csv, .mvt).",
        ),
    ] = None,
    run: Annotated[
        int | None, typer.Option("--run", min=1, help="The schedule run the reports are about.")
    ] = None,
    good_rows_only: Annotated[
        bool,
        typer.Option("--good-rows-only", help="Store the good reports even if others are bad."),
    ] = False,
    user: Annotated[
        str, typer.Option("--user", help="Who stored them, as the audit log names it.")
    ] = "cli",
) -> None:
    """Store leg reports from FILE: all of them or nothing; reports stored before are skipped."""
    from sqlalchemy.exc import SQLAlchemyError

    from airlift.store.actuals import import_reports
    from airlift.store.db import (
        make_engine,
        read_session_factory,
        session_factory,
        transaction,
    )
    from airlift.store.domain import domain_fleet
    from airlift.tracking.parsers import read_file

    try:
        content = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror or exc})") from None
    upgrade_schema(db)
    engine = make_engine(db)
    try:

        def fleet() -> tuple[FleetTail, ...]:
            with transaction(read_session_factory(engine)) as session:
                return domain_fleet(session)

        try:
            name, parsed = read_file(content, str(file), fmt, fleet=fleet)
        except FieldError as exc:
            raise InputError(f"--format: {exc.reason}") from None
        with transaction(session_factory(engine)) as session:
            outcome = import_reports(
                session,
                parsed,
                user,
                run_id=run,
                good_rows_only=good_rows_only,
                source_name=str(file),
            )
    except SQLAlchemyError as exc:
        raise database_error(db, exc) from None
    finally:
        engine.dispose()
    for warning in parsed.warnings:
        out.print(f"warning: {warning}", markup=False, highlight=False)
    unit = "item" if name == "json" else "line"
    lines = [f"{file} {unit} {e.row} ({e.field or 'file'}): {e.reason}" for e in outcome.errors]
    for line in lines[1:]:
        out.print(line, markup=False, highlight=False)
    if not outcome.stored:
        raise InputError(
            f"{lines[0]}; {len(lines)} bad report(s), nothing stored "
            "(--good-rows-only stores the good ones)"
            if lines
            else f"{file}: no reports to store"
        )
    if lines:
        out.print(lines[0], markup=False, highlight=False)
    out.print(
        f"stored {len(outcome.created)} {name} report(s) from {file} in {shown_url(db)}; "
        f"{outcome.duplicates} already stored, {len(outcome.errors)} bad",
        markup=False,
        highlight=False,
    )


__all__ = ["track_import"]
