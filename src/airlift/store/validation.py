"""Validation of what is written through the store: raw values -> column values.

Writes are checked by the same code that reads the CSV/JSON/TOML files
(:mod:`airlift.scheduling.readers`, :func:`airlift.aircraft.parse_type_file`) and stored
normalised (ICAO codes, UTC times, type designators), then checked against the columns
(widths, 32-bit integers). A validator takes raw values keyed as ``naming`` says (the
database's names, as API bodies have them, or the files' names for imports) and raises
:class:`~airlift.errors.FieldError` naming the field as the input does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from airlift.aircraft import aircraft_type, parse_type_file
from airlift.airfields import lookup
from airlift.airspace.zones import Zone, zone_from_feature, zone_geometry
from airlift.errors import Conflict, DataFileError, FieldError, UnknownAircraft, UnknownAirfield
from airlift.mission.airspace import iso3
from airlift.scheduling import readers
from airlift.scheduling.fields import OVERRIDE, REQUEST, SCENARIO, TAIL, Fields, Naming
from airlift.scheduling.values import blank
from airlift.store.domain import (
    norm_type,
    override_values,
    request_values,
    stored_values,
    tail_values,
    type_resolver,
)
from airlift.store.models import (
    AircraftTypeRow,
    AirfieldOverrideRow,
    ClearanceRow,
    MovementRequestRow,
    ScenarioRow,
    Tail,
    ZoneRow,
)
from airlift.store.rows import check_columns, iso


def _names(fields: Fields, naming: Naming) -> dict[str, str]:
    """Column -> the input's name for it."""
    return fields.renamed("column", naming)


def validate_request(
    session: Session, data: Mapping[str, Any], naming: Naming = "column"
) -> dict[str, Any]:
    """A movement request's column values."""
    values = request_values(readers.request_from_row(data, naming))
    check_columns(MovementRequestRow, values, _names(REQUEST, naming))
    return values


def validate_tail(
    session: Session, data: Mapping[str, Any], naming: Naming = "column"
) -> dict[str, Any]:
    """A tail's column values; its type may be a shipped or a user-added one."""
    values = tail_values(readers.tail_from_row(data, naming, type_resolver(session)))
    check_columns(Tail, values, _names(TAIL, naming))
    return values


def validate_scenario(
    session: Session, data: Mapping[str, Any], naming: Naming = "column"
) -> dict[str, Any]:
    """A scenario's column values; ``overrides`` keeps only the fields given per airfield
    (named as in scenario files), so that the global overrides show through the rest."""
    if blank(data.get("name")):
        raise FieldError("name", "name is empty")
    overrides = data.get("overrides")
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise FieldError("overrides", "overrides must be an object: ICAO -> {mog: 1, ...}")
    tables: dict[str, dict[str, Any]] = {}
    for code, fields in overrides.items():
        if not isinstance(fields, dict):
            raise FieldError(f"overrides.{code}", f"overrides.{code} must be an object of fields")
        tables[str(code)] = {k: v for k, v in fields.items() if v is not None}
    raw: dict[str, Any] = {k: data[k] for k in SCENARIO.keys("column") if data.get(k) is not None}
    raw["overrides"] = tables
    scenario = readers.scenario_from_table(raw, "column")
    notes = OVERRIDE.key("notes", "file")
    stored: dict[str, dict[str, Any]] = {}
    for code, given in tables.items():
        icao = lookup(code).icao
        stored[icao] = override_values(scenario.overrides[icao], "file", only=given.keys())
        if notes in given:
            stored[icao][notes] = str(given[notes]).strip()
    values = {**stored_values(SCENARIO, scenario), "overrides": stored}
    check_columns(ScenarioRow, values)
    return values


def validate_airfield_override(
    session: Session, data: Mapping[str, Any], naming: Naming = "column"
) -> dict[str, Any]:
    """A global airfield override's column values."""
    code = data.get("icao")
    if blank(code):
        raise FieldError("icao", "icao is empty")
    try:
        icao = lookup(str(code).strip()).icao
    except UnknownAirfield as exc:
        raise FieldError("icao", f"icao: {exc}") from None
    raw = {k: data[k] for k in OVERRIDE.keys("column") if data.get(k) is not None}
    override = readers.override_from_table(raw, "column")
    note = OVERRIDE.key("notes", "column")
    values = {
        "icao": icao,
        **override_values(override),
        note: "" if data.get(note) is None else str(data[note]).strip(),
    }
    check_columns(AirfieldOverrideRow, values)
    return values


def validate_aircraft_type(
    session: Session, data: Mapping[str, Any], naming: Naming = "column"
) -> dict[str, Any]:
    """A user-added aircraft type: the TOML of a type file, whose designator must not be a
    shipped type's (:class:`Conflict`)."""
    text = data.get("toml")
    if not isinstance(text, str) or not text.strip():
        raise FieldError("toml", "toml is empty: give the TOML text of a type file")
    try:
        parsed = parse_type_file(text, "toml")
    except DataFileError as exc:
        raise FieldError("toml", str(exc)) from None  # "toml: ..." (the origin given)
    given = data.get("designator")
    if not blank(given) and norm_type(str(given)) != norm_type(parsed.designator):
        raise FieldError(
            "designator",
            f"designator {str(given).strip()!r} differs from the TOML's {parsed.designator!r}",
        )
    try:
        shipped = aircraft_type(parsed.designator)
    except UnknownAircraft:
        pass
    else:
        raise Conflict(
            f"aircraft type {parsed.designator!r} is shipped with airlift as "
            f"{shipped.designator}: choose another designator"
        )
    values = {"designator": parsed.designator, "toml": text}
    check_columns(AircraftTypeRow, values)
    return values


ZONE_PROPERTIES = ("name", "kind", "lower_ft", "upper_ft", "from_utc", "until_utc", "note")


def zone_from_values(data: Mapping[str, Any]) -> Zone:
    """A zone row's values (stored, or as a client sends them: ``geometry`` a GeoJSON Polygon
    as an object or its JSON text) as a :class:`Zone`, checked as ``read_zones`` checks a
    file's feature (valid polygon, kind, band, window, stand-off for threats only)."""
    geometry = data.get("geometry")
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except (ValueError, RecursionError):
            raise FieldError("geometry", "geometry must be a GeoJSON Polygon") from None
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        raise FieldError("geometry", 'geometry must be a GeoJSON Polygon: {"type": "Polygon", ...}')
    props: dict[str, Any] = {}
    for name in ZONE_PROPERTIES:
        value = data.get(name)
        props[name] = iso(value) if isinstance(value, datetime) else value
    props["standoff_m"] = data.get("standoff_m")
    try:
        return zone_from_feature({"type": "Feature", "properties": props, "geometry": geometry})
    except FieldError as exc:
        if exc.field == "standoff_nm":  # the reader's name; a row names it standoff_m
            reason = exc.reason.replace("standoff_nm", "standoff_m")
            raise FieldError("standoff_m", reason) from None
        raise


def zone_values(zone: Zone) -> dict[str, Any]:
    """A zone's column values (``geometry``: compact GeoJSON text)."""
    return {
        "name": zone.name,
        "kind": zone.kind,
        "geometry": json.dumps(zone_geometry(zone), separators=(",", ":")),
        "lower_ft": zone.lower_ft,
        "upper_ft": zone.upper_ft,
        "from_utc": zone.from_utc,
        "until_utc": zone.until_utc,
        "standoff_m": zone.standoff_m,
        "note": zone.note,
    }


def validate_zone(
    session: Session, data: Mapping[str, Any], naming: Naming = "column"
) -> dict[str, Any]:
    """A zone's column values: the row must make a valid :class:`Zone`."""
    values = zone_values(zone_from_values(data))
    check_columns(ZoneRow, values)
    return values


CLEARANCE_KINDS = ("overflight", "landing")
CLEARANCE_STATUSES = ("needed", "requested", "granted", "refused")


def _choice(data: Mapping[str, Any], name: str, choices: tuple[str, ...], default: str) -> str:
    value = data.get(name)
    text = default if blank(value) else str(value).strip().lower()
    if text not in choices:
        raise FieldError(name, f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return text


def _day(data: Mapping[str, Any], name: str) -> date | None:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldError(name, f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


def validate_clearance(
    session: Session, data: Mapping[str, Any], naming: Naming = "column"
) -> dict[str, Any]:
    """A clearance record's column values: a real ISO 3166 country (alpha-3 stored), kind
    overflight or landing, a status, the number the country gave (required once granted)."""
    country = data.get("country")
    if blank(country):
        raise FieldError("country", "country is empty: give its ISO 3166 code (MLI, NER)")
    values: dict[str, Any] = {
        "country": iso3(str(country), "country"),
        "kind": _choice(data, "kind", CLEARANCE_KINDS, ""),
        "status": _choice(data, "status", CLEARANCE_STATUSES, "needed"),
        "number": "" if data.get("number") is None else str(data["number"]).strip(),
        "valid_from": _day(data, "valid_from"),
        "valid_until": _day(data, "valid_until"),
        "note": "" if data.get("note") is None else str(data["note"]).strip(),
    }
    if values["status"] == "granted" and not values["number"]:
        raise FieldError("number", "number is required when the status is granted")
    start, end = values["valid_from"], values["valid_until"]
    if start is not None and end is not None and start > end:
        raise FieldError("valid_until", f"valid_until {end} is before valid_from {start}")
    check_columns(ClearanceRow, values)
    return values
