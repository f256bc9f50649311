"""Readers of leg reports by format name: what ``POST /api/actuals/import`` and
``airlift track import`` choose from.

A reader takes the file's bytes and name and returns :class:`Parsed`: the reports it read
(each a checked :class:`~airlift.tracking.model.LegActual` whose ``where`` names its line or
item) and a :class:`~airlift.errors.FieldError` per report it could not read. A file it
cannot read at all (not UTF-8, not JSON) raises the FieldError. A new format is one entry of
:data:`PARSERS` and, if its files have their own suffix, of :data:`SUFFIXES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from airlift.errors import FieldError
from airlift.tracking.model import LegActual


@dataclass(slots=True)
class Parsed:
    reports: list[LegActual] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)


ReportParser = Callable[[bytes, str], Parsed]


def _json(content: bytes, filename: str) -> Parsed:
    from airlift.tracking.report_json import read_json_reports

    return read_json_reports(content, filename)


def _csv(content: bytes, filename: str) -> Parsed:
    from airlift.scheduling.readers import decode_text
    from airlift.tracking.reports import reports_from_text

    return _whole(lambda: reports_from_text(decode_text(content, filename, ".csv"), filename))


def _mvt(content: bytes, filename: str) -> Parsed:
    from airlift.scheduling.readers import decode_text
    from airlift.tracking.mvt import mvt_from_text

    return _whole(lambda: mvt_from_text(decode_text(content, filename, ".mvt"), filename))


def _whole(read: Callable[[], tuple[LegActual, ...]]) -> Parsed:
    """A reader that stops at its first error (CSV, MVT: one error names file, line, field)."""
    try:
        return Parsed(reports=list(read()))
    except FieldError as exc:
        return Parsed(errors=[exc])


PARSERS: dict[str, ReportParser] = {"json": _json, "csv": _csv, "mvt": _mvt}
"""Format name -> reader."""
SUFFIXES: dict[str, str] = {".json": "json", ".csv": "csv", ".mvt": "mvt"}
"""File name suffix -> format name, when the caller names no format."""


def parser_for(format_name: str | None, filename: str) -> tuple[str, ReportParser]:
    """The reader of ``format_name``, else of the file's suffix; a FieldError naming
    ``format`` when there is none."""
    known = ", ".join(sorted(PARSERS))
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


__all__ = ["PARSERS", "SUFFIXES", "Parsed", "ReportParser", "parser_for"]
