"""``airlift track sighting``: an aircraft seen at a place and time, matched against a plan.

The sighting (``--tail`` or ``--type``, ``--at`` or ``--position``, ``--time``, or a
``--photo`` whose EXIF gives time and position) is checked and matched against a programme
document (``--programme FILE``: no database) or a stored run (``--run N``, ``--db``) by
:func:`airlift.tracking.sightings.match_sighting`: confirmed, or an unplanned presence with
the candidate tails and where the plan has them. Nothing is stored. The ``track`` group
registers :func:`track_sighting`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from airlift.cli.common import STDOUT, out, output_file, print_json, write_json
from airlift.cli.database import DbOpt, database_error
from airlift.errors import FieldError, InputError


def _position(text: str | None) -> tuple[float | None, float | None]:
    if text is None:
        return None, None
    try:
        lat, lon = (float(x) for x in text.split(","))
    except ValueError:
        raise FieldError(
            "--position", f"--position must be LAT,LON in degrees, got {text!r}"
        ) from None
    return lat, lon


def _stored_plan(db: str | None, run: int) -> dict[str, Any]:
    from sqlalchemy.exc import SQLAlchemyError

    from airlift.store import runs
    from airlift.store.db import make_engine, session_factory

    engine = make_engine(db)
    try:
        with session_factory(engine)() as session:
            found = runs.get_run(session, run, with_result=True)
            if found.status != "done" or found.result is None:
                raise InputError(f"--run: schedule run {run} is {found.status}, not finished")
            return found.result
    except SQLAlchemyError as exc:
        raise database_error(db, exc) from None
    finally:
        engine.dispose()


def track_sighting(
    tail: Annotated[str, typer.Option("--tail", help="Registration seen (5U-MBD).")] = "",
    aircraft_type: Annotated[
        str, typer.Option("--type", help="Aircraft type seen, when the tail was not read.")
    ] = "",
    at: Annotated[str, typer.Option("--at", help="Airfield: ICAO, IATA code or name.")] = "",
    position: Annotated[
        str | None, typer.Option("--position", metavar="LAT,LON", help="Degrees (WGS84).")
    ] = None,
    time: Annotated[
        str | None,
        typer.Option("--time", help="When seen, ISO 8601 with a zone (2023-10-27T10:05Z)."),
    ] = None,
    photo: Annotated[
        Path | None, typer.Option("--photo", help="A photo: its EXIF time and GPS are read.")
    ] = None,
    tz: Annotated[
        str,
        typer.Option("--tz", help="The camera clock's zone when the photo has no EXIF offset."),
    ] = "",
    source: Annotated[
        str, typer.Option("--source", help="photo, observer, press or 'social media'.")
    ] = "observer",
    confidence: Annotated[
        str, typer.Option("--confidence", help="low, medium or high.")
    ] = "medium",
    note: Annotated[str, typer.Option("--note")] = "",
    programme: Annotated[
        Path | None,
        typer.Option("--programme", help="Programme document (airlift schedule --json)."),
    ] = None,
    run: Annotated[
        int | None, typer.Option("--run", min=1, help="A finished run in the database instead.")
    ] = None,
    db: DbOpt = None,
    json_: Annotated[
        str | None,
        typer.Option("--json", metavar="-|FILE", help="Write the match as JSON ('-': stdout)."),
    ] = None,
) -> None:
    """Is a sighting where the plan has that aircraft? Confirmed, or unplanned with candidates."""
    from airlift.cli.track import read_programme
    from airlift.scheduling import values
    from airlift.tracking.photo import photo_sighting
    from airlift.tracking.sightings import (
        Confidence,
        Sighting,
        SightingSource,
        check_sighting,
        match_sighting,
        sighting_to_json,
    )

    json_path = output_file("--json", json_, stdout=True)
    if programme is None and run is None:
        raise InputError("give --programme FILE (no database) or --run N: the plan to match")
    try:
        how = SightingSource(source.strip().lower())
        sure = Confidence(confidence.strip().lower())
    except ValueError as exc:
        raise InputError(f"--source or --confidence: {exc}") from None
    when = values.utc("--time", time) if time else None
    lat, lon = _position(position)
    fields: dict[str, Any] = {
        "tail": tail,
        "aircraft_type": aircraft_type,
        "confidence": sure,
        "note": note,
        "reported_by": "cli",
    }
    if photo is not None:
        try:
            data = photo.read_bytes()
        except OSError as exc:
            raise InputError(f"--photo {photo}: cannot read ({exc.strerror or exc})") from None
        sighting = photo_sighting(data, tz=tz, at_utc=when, airfield=at, **fields)
    else:
        if when is None:
            raise FieldError("--time", "--time is needed (or a --photo with an EXIF time)")
        sighting = Sighting(at_utc=when, airfield=at, lat=lat, lon=lon, source=how, **fields)
    checked = check_sighting(sighting)
    plan = read_programme(programme) if programme else _stored_plan(db, run or 0)
    result = match_sighting(plan, checked)
    doc = {"sighting": sighting_to_json(checked), "match": result.as_dict()}
    if json_path == STDOUT:
        print_json(doc)
        return
    seen = checked.tail or checked.aircraft_type
    place = checked.airfield or f"{checked.lat:.4f},{checked.lon:.4f} (degrees)"
    out.print(
        f"{seen} seen at {place} at {checked.at_utc:%Y-%m-%d %H:%M}Z: {result.outcome.value}",
        markup=False,
        highlight=False,
    )
    label = "planned there" if result.confirming else "candidates"
    for p in result.confirming or result.candidates:
        out.print(f"  {label}: {p.describe()}", markup=False, highlight=False)
    if not result.confirming and not result.candidates:
        out.print("  no tail of that type or nation planned within 12 h", markup=False)
    if json_path is not None:
        write_json(doc, json_path)


__all__ = ["track_sighting"]
