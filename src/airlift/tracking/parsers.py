"""Readers of leg reports by format name: what ``POST /api/actuals/import`` and
``airlift track import`` choose from.

A reader takes the file's bytes and name and returns :class:`Parsed`: the reports it read
(each a checked :class:`~airlift.tracking.model.LegActual` whose ``where`` names its line or
item) and a :class:`~airlift.errors.FieldError` per report it could not read. A file it
cannot read at all (not UTF-8, not JSON) raises the FieldError. A new format is one entry of
:data:`PARSERS` and, if its files have their own suffix, of :data:`SUFFIXES`.

ADS-B files (``adsb``) are the exception: their flights name ICAO addresses, not tails, so
:func:`read_file` reads them with the fleet that maps one to the other
(:func:`adsb_reports`). Without a format, a file whose content is an ADS-B file
(:func:`airlift.tracking.adsb.sniff`) is read as one whatever its suffix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from airlift.errors import FieldError, Where
from airlift.tracking.model import LegActual

if TYPE_CHECKING:
    from airlift.scheduling.inputs import FleetTail

ADSB = "adsb"


@dataclass(slots=True)
class Parsed:
    reports: list[LegActual] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What was read but is not a report to store (an ADS-B flight of an address not in the
    fleet)."""


ReportParser = Callable[[bytes, str], Parsed]


def _json(content: bytes, filename: str) -> Parsed:
    from airlift.tracking.report_json import read_json_reports

    return read_json_reports(content, filename)


def _csv(content: bytes, filename: str) -> Parsed:
    from airlift.scheduling.readers import decode_text
    from airlift.tracking.reports import parse_reports

    return _file(lambda: parse_reports(decode_text(content, filename, ".csv"), filename))


def _mvt(content: bytes, filename: str) -> Parsed:
    from airlift.scheduling.readers import decode_text
    from airlift.tracking.mvt import parse_mvt

    return _file(lambda: parse_mvt(decode_text(content, filename, ".mvt"), filename))


def _file(read: Callable[[], Parsed]) -> Parsed:
    """A reader's reports and per-row errors; a file it cannot read at all (not UTF-8, no
    header, no message) is one error."""
    try:
        return read()
    except FieldError as exc:
        return Parsed(errors=[exc])


PARSERS: dict[str, ReportParser] = {"json": _json, "csv": _csv, "mvt": _mvt}
"""Format name -> reader."""
SUFFIXES: dict[str, str] = {".json": "json", ".csv": "csv", ".mvt": "mvt"}
"""File name suffix -> format name, when the caller names no format."""


def adsb_reports(
    content: bytes, filename: str, fleet: Iterable[FleetTail], fleet_name: str = "the fleet"
) -> Parsed:
    """The flights of an ADS-B file (any format :mod:`airlift.tracking.adsb` reads) as
    ``LegActual(source=adsb)`` reports: take-off and landing times and the path flown, the
    tail from the fleet's ``icao24``. A flight of an address not in the fleet is a warning,
    not a report. A flight whose take-off or landing was out of view is a ``partial`` report
    with that airfield "" (not known); one seen in cruise only has neither airfield nor time,
    only its seen times and mean track, by which ``tracking/legs.py`` places it."""
    from airlift.tracking import adsb
    from airlift.tracking.detect import detect, leg_actuals

    try:
        table, _ = adsb.read_bytes(content, filename)
        adsb.vectors.check_times(table, Where(filename))
    except FieldError as exc:
        return Parsed(errors=[exc])
    found = detect(table, fleet, fleet_name)
    parsed = Parsed(warnings=list(found.warnings))
    # detect's warning names each address not in the fleet; its flights name no tail.
    placed = [f for f in found.flights if f.registration]
    # The feed that reported them: the file's name (a path may pass the column's 64 chars).
    parsed.reports = leg_actuals(placed, reported_by=PurePath(filename).name[:64])
    return parsed


def _is_adsb(content: bytes, filename: str) -> bool:
    from airlift.tracking.adsb import sniff

    try:
        sniff(content, filename)
    except FieldError:
        return False
    return True


def read_file(
    content: bytes,
    filename: str,
    format_name: str | None = None,
    fleet: Callable[[], Iterable[FleetTail]] | None = None,
) -> tuple[str, Parsed]:
    """The format's name and the reports of a file: ``format_name`` (``auto`` or None: an
    ADS-B file by its content, else by the suffix). ``fleet`` gives the tails an ADS-B
    file's addresses are mapped to; a FieldError naming ``format`` for an ADS-B file without
    one, or an unknown format."""
    name = (format_name or "").strip().lower()
    if name in ("", "auto"):
        name = ADSB if _is_adsb(content, filename) else ""
    if name == ADSB:
        if fleet is None:
            raise FieldError("format", "an ADS-B file needs the fleet to name its tails")
        return ADSB, adsb_reports(content, filename, fleet(), "the stored fleet")
    fmt, parse = parser_for(name or None, filename)
    return fmt, parse(content, filename)


def parser_for(format_name: str | None, filename: str) -> tuple[str, ReportParser]:
    """The reader of ``format_name``, else of the file's suffix; a FieldError naming
    ``format`` when there is none."""
    known = ", ".join([*sorted(PARSERS), ADSB])
    if format_name:
        name = format_name.strip().lower()
        if name not in PARSERS:
            raise FieldError("format", f"format {format_name!r} is not one of {known}")
        return name, PARSERS[name]
    suffix = PurePath(filename.replace("\\", "/")).suffix.lower()
    if suffix not in SUFFIXES:
        raise FieldError(
            "format", f"cannot tell the format of {filename!r}: name one of {known} (format=)"
        )
    name = SUFFIXES[suffix]
    return name, PARSERS[name]


__all__ = [
    "ADSB",
    "PARSERS",
    "SUFFIXES",
    "Parsed",
    "ReportParser",
    "adsb_reports",
    "parser_for",
    "read_file",
]
