"""Crew and ops reports of flown legs, one CSV row per leg, read strictly into ``LegActual``.

Columns (header on line 1, any order, names in lower case)::

    tail,origin,destination,out_utc,off_utc,on_utc,in_utc,fuel_out_kg,fuel_in_kg,loads,remarks,source

``tail``, ``origin`` and ``destination`` are required columns and values; the rest may be
left empty (not reported). Times are ISO 8601 with a timezone (``2023-10-27T06:35Z``):
OUT off-block, OFF take-off, ON landing, IN on-block. ``destination`` is where the aircraft
actually landed (a diversion names the diversion airfield). ``loads`` lists what each request
had on board, ``;``-separated, each ``REQUEST:KG/PALLETS/PAX``::

    R001:4000/2/0;R007:2000/1/0

``source`` is ``crew`` (default), ``mvt``, ``adsb`` or ``sighting``; an optional
``reported_by`` column names who reported it.

Every error is one :class:`~airlift.errors.FieldError` naming the file, the line and the
field: ``actuals.csv line 4 (5U-MBD): on_utc 2023-10-27T06:20Z is before off_utc
2023-10-27T06:40Z (a landing before take-off)``. A time after ``now`` is refused (a report
is of what happened), as is one outside the planning horizon (year 9999). Two rows reporting
the same flight (same tail, origin and UTC date, their times overlapping) are an error naming
both lines; two flights from one airfield on one day (a shuttle) are not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from importlib.resources.abc import Traversable
from pathlib import Path

from airlift.errors import FieldError, Where
from airlift.formats import csv_rows
from airlift.scheduling import values as v
from airlift.scheduling.readers import decode_text
from airlift.tracking.checks import check_actual
from airlift.tracking.model import LegActual, LoadActual, Source
from airlift.tracking.parsers import Parsed

COLUMNS = ("tail", "origin", "destination")
"""Required columns."""
OPTIONAL_COLUMNS = (
    "out_utc",
    "off_utc",
    "on_utc",
    "in_utc",
    "fuel_out_kg",
    "fuel_in_kg",
    "loads",
    "remarks",
    "source",
    "reported_by",
)
TIME_FIELDS = ("out_utc", "off_utc", "on_utc", "in_utc")
"""In the order they happen."""

_LOAD = re.compile(r"^([^:]+):([^/]*)/([^/]*)/([^/]*)$")

ReportSource = str | os.PathLike[str] | Traversable


def _fail(field: str | None, reason: str, origin: str, line: int, record: str = "") -> FieldError:
    return FieldError(field, reason, Where(origin, line, record=record))


def read_reports(path: ReportSource, now: datetime | None = None) -> tuple[LegActual, ...]:
    """The legs of a reports CSV file (see the module docstring); ``now`` (default the
    clock) is the latest time a report may give."""
    p: Traversable = Path(path) if isinstance(path, str | os.PathLike) else path
    origin = str(p)
    if Path(p.name).suffix.lower() != ".csv":
        raise FieldError(None, "a leg report file must be CSV (.csv)", Where(origin))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FieldError(None, f"cannot read ({exc.strerror or exc})", Where(origin)) from None
    return reports_from_text(decode_text(data, origin, ".csv"), origin, now)


def reports_from_text(text: str, origin: str, now: datetime | None = None) -> tuple[LegActual, ...]:
    """The legs of reports CSV text; ``origin`` names it in errors. Raises the first error
    (of the rows in file order, then of the duplicates): see :func:`parse_reports`."""
    parsed = parse_reports(text, origin, now)
    if parsed.errors:
        raise parsed.errors[0]
    return tuple(parsed.reports)


def parse_reports(text: str, origin: str, now: datetime | None = None) -> Parsed:
    """Every good leg of reports CSV text and one :class:`FieldError` per bad row (its line
    and field; a duplicate is refused on both its lines, each error naming both). A file
    that cannot be read at all (empty, a bad header) raises."""
    rows = csv_rows(text, origin)
    first = next(rows, None)
    if first is None:
        raise FieldError(None, "empty file; the first line must name the columns", Where(origin))
    names = [h.strip().lower() for h in first[1]]
    _check_header(names, origin)
    clock = now or datetime.now(UTC)
    parsed = Parsed()
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        try:
            parsed.reports.append(_row_leg(names, cells, clock, origin, line))
        except FieldError as exc:
            parsed.errors.append(exc)
    return drop_duplicates(parsed)


def _row_leg(
    names: Sequence[str], cells: Sequence[str], now: datetime, origin: str, line: int
) -> LegActual:
    if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
        reason = f"{len(cells)} fields but the header has {len(names)} (an unquoted comma?)"
        raise _fail(None, reason, origin, line)
    row = dict(zip(names, [*cells, *[""] * (len(names) - len(cells))], strict=False))
    try:
        leg = leg_from_row(row, now)
    except FieldError as exc:
        raise exc.at(origin, line, record=row.get("tail", "").strip()) from None
    return replace(leg, where=Where(origin, line, record=leg.tail))


def _check_header(names: Sequence[str], origin: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise _fail(name, f"column {name!r} appears twice", origin, 1)
        seen.add(name)
    for col in COLUMNS:
        if col not in seen:
            reason = (
                f"missing column {col!r}; a leg report CSV needs {', '.join(COLUMNS)} "
                f"(optional: {', '.join(OPTIONAL_COLUMNS)})"
            )
            raise _fail(col, reason, origin, 1)
    known = (*COLUMNS, *OPTIONAL_COLUMNS)
    for name in names:
        hint = None if name in known else v.unknown_key_hint(name, known)
        if hint:
            raise _fail(name, f"unknown column {name!r}; did you mean {hint!r}?", origin, 1)


def leg_from_row(row: Mapping[str, str], now: datetime) -> LegActual:
    """One leg from one row (values as text); FieldError naming the field, not yet located."""
    tail = v.registration("tail", row.get("tail"))
    origin = v.airfield("origin", row.get("origin"))
    destination = v.airfield("destination", row.get("destination"))
    times = {name: _time(name, row.get(name)) for name in TIME_FIELDS}
    fuel_out = _fuel("fuel_out_kg", row.get("fuel_out_kg"))
    fuel_in = _fuel("fuel_in_kg", row.get("fuel_in_kg"))
    leg = LegActual(
        tail=tail,
        origin=origin,
        destination=destination,
        source=_source(row.get("source")),
        out_utc=times["out_utc"],
        off_utc=times["off_utc"],
        on_utc=times["on_utc"],
        in_utc=times["in_utc"],
        fuel_out_kg=fuel_out,
        fuel_in_kg=fuel_in,
        loads=parse_loads("loads", row.get("loads")),
        remarks=v.text("remarks", row.get("remarks")),
        reported_by=v.text("reported_by", row.get("reported_by")),
    )
    return check_actual(leg, now)  # order, future, leg length, fuel: one rule set


def _time(field: str, value: str | None) -> datetime | None:
    return None if v.blank(value) else v.utc(field, value)


def _fuel(field: str, value: str | None) -> float | None:
    return None if v.blank(value) else v.number(field, value, why=" (a unit slip? give kg)")


def _source(value: str | None) -> Source:
    word = v.text("source", value).lower()
    if not word:
        return Source.CREW
    try:
        return Source(word)
    except ValueError:
        known = ", ".join(s.value for s in Source)
        raise v.bad("source", f"source {word!r} is not one of {known}") from None


def parse_loads(field: str, value: str | None) -> tuple[LoadActual, ...]:
    """``R001:4000/2/0;R007:2000/1/0`` (request:kg/pallets/pax) as loads; an error names the
    item. A request named twice is an error (one entry per request and leg)."""
    loads: list[LoadActual] = []
    for n, item in enumerate(v.items(field, value), start=1):
        found = _LOAD.match(item)
        if not found:
            raise v.bad(
                field,
                f"{field} item {n} {item!r} is not REQUEST:KG/PALLETS/PAX (e.g. R001:4000/2/0)",
            )
        ref, kg, pallets, pax = (g.strip() for g in found.groups())
        try:
            load = LoadActual(
                request_ref=v.text(f"{field}.request", ref),
                cargo_kg=v.number("kg", kg, default=0.0, maximum=v.MAX_REQUEST_KG),
                pallets=v.whole("pallets", pallets),
                pax=v.whole("pax", pax),
            )
        except FieldError as exc:
            raise v.bad(field, f"{field} item {n} {item!r}: {exc.reason}") from None
        if not load.request_ref:
            raise v.bad(field, f"{field} item {n} {item!r}: the request is empty")
        if any(x.request_ref == load.request_ref for x in loads):
            raise v.bad(field, f"{field}: request {load.request_ref} is listed twice")
        loads.append(load)
    return tuple(loads)


def _span(leg: LegActual) -> tuple[datetime, datetime]:
    times = [t for t in (leg.out_utc, leg.off_utc, leg.on_utc, leg.in_utc) if t is not None]
    return min(times), max(times)


def duplicate_errors(legs: Sequence[LegActual]) -> list[tuple[int, int, FieldError]]:
    """Two reports of one flight in one file (same :attr:`LegActual.key`, their reported
    times overlapping): ``(earlier index, later index, error)`` per pair, the error at the
    later report's place naming both lines."""
    found: list[tuple[int, int, FieldError]] = []
    seen: dict[tuple[str, str, str], list[int]] = {}
    for i, leg in enumerate(legs):
        for j in seen.get(leg.key, []):
            earlier = legs[j]
            a0, a1 = _span(earlier)
            b0, b1 = _span(leg)
            if a0 <= b1 and b0 <= a1:
                tail, origin, day = leg.key
                error = FieldError(
                    "tail",
                    f"duplicate report: {tail} from {origin} on {day} is reported on "
                    f"{earlier.where.unit} {earlier.where.row} and {leg.where.unit} "
                    f"{leg.where.row} (remove one, or correct its times)",
                    leg.where,
                )
                found.append((j, i, error))
        seen.setdefault(leg.key, []).append(i)
    return found


def check_duplicates(legs: Sequence[LegActual]) -> None:
    """Raise the first error of :func:`duplicate_errors`."""
    if found := duplicate_errors(legs):
        raise found[0][2]


def drop_duplicates(parsed: Parsed) -> Parsed:
    """``parsed`` without the reports of one flight given twice: neither can be trusted over
    the other, so both are refused, each with an error naming both places (the later
    report's first, so the first error is the one :func:`check_duplicates` raises)."""
    bad: dict[int, FieldError] = {}
    for j, i, error in duplicate_errors(parsed.reports):
        bad.setdefault(i, error)
        bad.setdefault(j, FieldError(error.field, error.reason, parsed.reports[j].where))
    if not bad:
        return parsed
    errors = [*parsed.errors, *bad.values()]
    kept = [leg for n, leg in enumerate(parsed.reports) if n not in bad]
    return Parsed(reports=kept, errors=errors, warnings=parsed.warnings)


__all__ = [
    "COLUMNS",
    "OPTIONAL_COLUMNS",
    "check_duplicates",
    "drop_duplicates",
    "duplicate_errors",
    "leg_from_row",
    "parse_loads",
    "parse_reports",
    "read_reports",
    "reports_from_text",
]
