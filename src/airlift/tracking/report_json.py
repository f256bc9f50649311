"""Leg reports as JSON: the format of ``POST /api/actuals``, ``POST /api/actuals/import`` and
``airlift track import``. A file is a list of reports; each report is an object of the
:class:`~airlift.tracking.model.LegActual` fields::

    [{"tail": "5U-MBD", "origin": "GABS", "destination": "GAGO", "source": "crew",
      "out_utc": "2023-10-27T06:20Z", "off_utc": "2023-10-27T06:31Z",
      "fuel_out_kg": 14200, "loads": [{"request_ref": "R002", "cargo_kg": 1800, "pax": 120}],
      "remarks": "", "reported_by": "Capt. Issoufou"}]

Times are ISO 8601 with an offset (stored as UTC); airfields ICAO, IATA or a name (stored
as ICAO, "" in a partial report that did not see it); ``source`` one of crew, mvt, adsb,
sighting (default crew); fuel in kg. A report seen in the air only gives ``seen_from_utc``,
``seen_until_utc`` and ``seen_track_deg`` (true degrees); ``track`` is the path flown,
``[[lat deg, lon deg, altitude ft or null, epoch s], ...]``.
:func:`actual_to_json` writes the same format, so an exported report reads back equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from airlift.errors import FieldError, Where
from airlift.formats import json_loads
from airlift.scheduling import values
from airlift.tracking.checks import MAX_FUEL_KG, TIME_FIELDS, check_actual
from airlift.tracking.model import LegActual, LoadActual, Source, TrackPoint
from airlift.tracking.parsers import Parsed

FIELDS = (
    "tail",
    "origin",
    "destination",
    "source",
    *TIME_FIELDS,
    "fuel_out_kg",
    "fuel_in_kg",
    "loads",
    "remarks",
    "partial",
    "reported_by",
    "seen_from_utc",
    "seen_until_utc",
    "seen_track_deg",
    "track",
)
"""The keys of a report, in the order :func:`actual_to_json` writes them."""
LOAD_FIELDS = ("request_ref", "cargo_kg", "pallets", "pax")
MAX_LOADS = 200
"""Loads one leg may list (far more requests than an aircraft carries at once)."""
MAX_TRACK = 2000
"""Points one report's track may have (the ADS-B reader keeps at most 200)."""
MAX_TEXT = 2000
"""Characters of ``remarks``."""


def _load(index: int, raw: Any) -> LoadActual:
    field = f"loads[{index}]"
    if not isinstance(raw, Mapping):
        raise FieldError(field, f"{field} must be an object with request_ref, cargo_kg, ...")
    try:
        values.check_keys(raw, LOAD_FIELDS, ("request_ref",))
        ref = values.text("request_ref", raw.get("request_ref"))
        if not ref or len(ref) > 32:
            raise FieldError("request_ref", "request_ref must be 1 to 32 characters")
        return LoadActual(
            request_ref=ref,
            cargo_kg=values.number("cargo_kg", raw.get("cargo_kg"), 0.0, maximum=MAX_FUEL_KG),
            pallets=values.whole("pallets", raw.get("pallets")),
            pax=values.whole("pax", raw.get("pax")),
        )
    except FieldError as exc:
        raise exc.inside(field) from None


def _time(data: Mapping[str, Any], name: str) -> datetime | None:
    raw = data.get(name)
    return None if values.blank(raw) else values.utc(name, raw)


def _fuel(data: Mapping[str, Any], name: str) -> float | None:
    raw = data.get(name)
    if values.blank(raw):
        return None
    return values.number(name, raw, maximum=MAX_FUEL_KG, why=" kg (a unit slip?)")


def _airfield(data: Mapping[str, Any], name: str, partial: bool) -> str:
    """The ICAO code; "" in a partial report that did not see the airfield."""
    raw = data.get(name)
    if partial and values.blank(raw):
        return ""
    return values.airfield(name, raw)


def _number(raw: Any) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def _track(raw: Any) -> tuple[TrackPoint, ...]:
    """``[[lat deg, lon deg, altitude ft or null, epoch s], ...]``; ranges: checks.py."""
    if values.blank(raw):
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_TRACK:
        raise FieldError("track", f"track must be a list of at most {MAX_TRACK} points")
    points = []
    for i, p in enumerate(raw):
        if not (
            isinstance(p, list)
            and len(p) == 4
            and _number(p[0])
            and _number(p[1])
            and (p[2] is None or _number(p[2]))
            and _number(p[3])
        ):
            raise FieldError(
                "track", f"track[{i}] must be [lat deg, lon deg, altitude ft or null, epoch s]"
            )
        alt = None if p[2] is None else float(p[2])
        points.append((float(p[0]), float(p[1]), alt, float(p[3])))
    return tuple(points)


def _source(raw: Any) -> Source:
    if values.blank(raw):
        return Source.CREW
    text = values.text("source", raw).lower()
    try:
        return Source(text)
    except ValueError:
        known = ", ".join(s.value for s in Source)
        raise FieldError("source", f"source {text!r} is not one of {known}") from None


def actual_from_json(data: Any, where: Where | None = None) -> LegActual:
    """One report (an object of :data:`FIELDS`) as a checked :class:`LegActual`; a
    :class:`FieldError` names the field (and ``where``: file and item)."""
    where = where or Where()
    try:
        if not isinstance(data, Mapping):
            raise FieldError(None, f"a report must be an object, got {type(data).__name__}")
        values.check_keys(data, FIELDS, ("tail", "origin", "destination"))
        loads = data.get("loads") or []
        if not isinstance(loads, list) or len(loads) > MAX_LOADS:
            raise FieldError("loads", f"loads must be a list of at most {MAX_LOADS} objects")
        remarks = values.text("remarks", data.get("remarks"))
        if len(remarks) > MAX_TEXT:
            raise FieldError("remarks", f"remarks must be at most {MAX_TEXT} characters")
        reported_by = values.text("reported_by", data.get("reported_by"))
        if len(reported_by) > 64:
            raise FieldError("reported_by", "reported_by must be at most 64 characters")
        partial = values.boolean("partial", data.get("partial"), False)
        track_deg = data.get("seen_track_deg")
        actual = LegActual(
            tail=values.registration("tail", data.get("tail")).upper(),
            origin=_airfield(data, "origin", partial),
            destination=_airfield(data, "destination", partial),
            source=_source(data.get("source")),
            out_utc=_time(data, "out_utc"),
            off_utc=_time(data, "off_utc"),
            on_utc=_time(data, "on_utc"),
            in_utc=_time(data, "in_utc"),
            fuel_out_kg=_fuel(data, "fuel_out_kg"),
            fuel_in_kg=_fuel(data, "fuel_in_kg"),
            loads=tuple(_load(i, raw) for i, raw in enumerate(loads)),
            remarks=remarks,
            partial=partial,
            reported_by=reported_by,
            where=where,
            seen_from_utc=_time(data, "seen_from_utc"),
            seen_until_utc=_time(data, "seen_until_utc"),
            seen_track_deg=None
            if values.blank(track_deg)
            else values.number("seen_track_deg", track_deg, 0.0, maximum=360.0, why=" deg"),
            track=_track(data.get("track")),
        )
    except FieldError as exc:
        raise exc.at(where.file or None, where.row, where.unit, where.record or None) from None
    return check_actual(actual)


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat().replace("+00:00", "Z")


def actual_to_json(a: LegActual) -> dict[str, Any]:
    """A report in the format :func:`actual_from_json` reads."""
    return {
        "tail": a.tail,
        "origin": a.origin,
        "destination": a.destination,
        "source": a.source.value,
        **{name: _iso(getattr(a, name)) for name in TIME_FIELDS},
        "fuel_out_kg": a.fuel_out_kg,
        "fuel_in_kg": a.fuel_in_kg,
        "loads": [
            dict(request_ref=x.request_ref, cargo_kg=x.cargo_kg, pallets=x.pallets, pax=x.pax)
            for x in a.loads
        ],
        "remarks": a.remarks,
        "partial": a.partial,
        "reported_by": a.reported_by,
        "seen_from_utc": _iso(a.seen_from_utc),
        "seen_until_utc": _iso(a.seen_until_utc),
        "seen_track_deg": a.seen_track_deg,
        "track": [list(p) for p in a.track],
    }


def read_json_reports(content: bytes, filename: str) -> Parsed:
    """Every report of a JSON file (a list of report objects); each bad one is an error
    naming its item (1-based) and field, the others are read."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FieldError(None, f"not UTF-8 text (byte {exc.start})", Where(filename)) from None
    data = json_loads(text, filename)
    if not isinstance(data, list):
        raise FieldError(None, "expected a JSON list of leg reports", Where(filename))
    parsed = Parsed()
    for n, item in enumerate(data, start=1):
        try:
            parsed.reports.append(actual_from_json(item, Where(filename, n, "item")))
        except FieldError as exc:
            parsed.errors.append(exc)
    return parsed


__all__ = ["FIELDS", "actual_from_json", "actual_to_json", "read_json_reports"]
