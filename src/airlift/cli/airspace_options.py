"""The airspace options of ``plan``, ``maxload`` and ``schedule``: ``--zones``, ``--operator``
and ``--planning-date``, read into a :class:`~airlift.mission.airspace.Airspace`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airlift.errors import FieldError

if TYPE_CHECKING:
    from airlift.mission.airspace import Airspace

ZonesOpt = Annotated[
    Path | None,
    typer.Option(
        "--zones",
        metavar="FILE",
        help="Zones to route around: GeoJSON, KML or OpenAIR (threat, prohibited, restricted).",
    ),
]
OperatorOpt = Annotated[
    str | None,
    typer.Option(
        "--operator",
        help="Nation flying, ISO code (NER, FRA): sets the clearances (default: the tail's).",
    ),
]
PlanningDateOpt = Annotated[
    str | None,
    typer.Option(
        "--planning-date",
        metavar="YYYY-MM-DD",
        help="Day clearances are requested from (default: today, UTC).",
    ),
]

EARLIEST, LATEST = date(1970, 1, 1), date(2100, 12, 31)
"""The planning horizon (as for every date airlift reads)."""


def planning_date(text: str | None) -> date | None:
    """``--planning-date`` as a date within the planning horizon (None: not given)."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise FieldError(
            "planning_date", f"--planning-date must be YYYY-MM-DD, got {text!r}"
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise FieldError(
            "planning_date",
            f"--planning-date {day} is outside the planning horizon {EARLIEST}-{LATEST}",
        )
    return day


def airspace(zones: Path | None, operator: str | None, day: str | None) -> Airspace | None:
    """The options as an Airspace (None when none is given: great circles, the tail's nation,
    today)."""
    if zones is None and operator is None and day is None:
        return None
    from airlift.airspace.zones import read_zones
    from airlift.mission.airspace import Airspace, iso3

    return Airspace(
        zones=read_zones(zones) if zones is not None else (),
        operator=iso3(operator, "operator") if operator is not None else None,
        planning_date=planning_date(day),
    )
