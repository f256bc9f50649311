"""Validation of what is written through the store: raw values -> column values.

Writes are checked by the same code that reads the CSV/JSON/TOML files
(:mod:`airlift.scheduling.readers`, :func:`airlift.aircraft.parse_type_file`) and stored
normalised (ICAO codes, UTC times, type designators), then checked against the columns
(widths, 32-bit integers). A validator takes raw values keyed as ``naming`` says (the
database's names, as API bodies have them, or the files' names for imports) and raises
:class:`~airlift.errors.FieldError` naming the field as the input does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from airlift.aircraft import aircraft_type, parse_type_file
from airlift.airfields import lookup
from airlift.errors import Conflict, DataFileError, FieldError, UnknownAircraft, UnknownAirfield
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
    MovementRequestRow,
    ScenarioRow,
    Tail,
)
from airlift.store.rows import check_columns


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
