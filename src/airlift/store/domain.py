"""Stored rows <-> the domain objects the library plans with: :class:`MovementRequest`,
:class:`FleetTail`, :class:`Scenario`, :class:`AirfieldOverride`, aircraft types.

The mapping of every entity is derived from its field list in
:mod:`airlift.scheduling.fields`; only the values whose stored form differs from the
domain's have a codec here (sets stored as sorted lists, times in JSON as ISO texts, an
aircraft type as its designator, opening hours as ``"HH:MM-HH:MM"``).
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from airlift.aircraft import AircraftType, aircraft_type, catalogue, parse_type_file
from airlift.aircraft import Tail as AircraftTail
from airlift.errors import NotFound, UnknownAircraft
from airlift.mission_file import shipped_aircraft
from airlift.scheduling.fields import OVERRIDE, REQUEST, SCENARIO, TAIL, Fields, Naming
from airlift.scheduling.inputs import AirfieldOverride, FleetTail, MovementRequest, Scenario
from airlift.store.models import (
    AircraftTypeRow,
    AirfieldOverrideRow,
    Base,
    MovementRequestRow,
    ScenarioRow,
    Tail,
)
from airlift.store.rows import iso

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]
"""(domain value -> stored value, stored value -> domain value)."""

TypeResolver = Callable[[str], AircraftType]

AIRCRAFT_TABLES = (Tail.__tablename__, AircraftTypeRow.__tablename__)
"""The tables :func:`resolve_aircraft` reads (for the web app's read cache)."""
OVERRIDE_TABLES = (AirfieldOverrideRow.__tablename__,)
"""The table :func:`global_overrides` reads."""


def _hours_text(hours: tuple[str, str] | None) -> str | None:
    return "-".join(hours) if hours else None


def _hours_pair(text: str | None) -> tuple[str, str] | None:
    if not text:
        return None
    opens, _, closes = text.partition("-")
    return (opens.strip(), closes.strip()) if closes else None


def _windows_text(windows: tuple[tuple[datetime, datetime], ...]) -> list[list[str]]:
    return [[iso(a), iso(b)] for a, b in windows]


def _windows_pairs(stored: list[Any]) -> tuple[tuple[datetime, datetime], ...]:
    return tuple((datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in stored)


_CODECS: dict[str, dict[str, Codec]] = {
    REQUEST.entity: {
        "allowed_nations": (sorted, frozenset),
        "allowed_types": (sorted, frozenset),
    },
    TAIL.entity: {
        "type": (lambda t: t.designator, aircraft_type),
        "unavailable": (_windows_text, _windows_pairs),
    },
    SCENARIO.entity: {},
    OVERRIDE.entity: {"hours_utc": (_hours_text, _hours_pair)},
}


def stored_values(
    fields: Fields, obj: Any, naming: Naming = "column", only: Collection[str] | None = None
) -> dict[str, Any]:
    """The stored form of a domain object's fields, keyed as ``naming`` says (``only``:
    just these keys)."""
    codecs = _CODECS[fields.entity]
    out: dict[str, Any] = {}
    for f in fields.in_domain():
        key = f.key(naming)
        if f.stored and (only is None or key in only):
            encode = codecs[f.name][0] if f.name in codecs else None
            value = getattr(obj, f.name)
            out[key] = encode(value) if encode else value
    return out


def domain_values(
    fields: Fields, stored: Mapping[str, Any], naming: Naming = "column", **given: Any
) -> dict[str, Any]:
    """Domain keyword arguments from stored values keyed as ``naming`` says; absent keys
    are left out (the dataclass default), ``given`` ones are taken as they are."""
    codecs = _CODECS[fields.entity]
    out: dict[str, Any] = dict(given)
    for f in fields.in_domain():
        key = f.key(naming)
        if f.stored and f.name not in given and key in stored:
            decode = codecs[f.name][1] if f.name in codecs else None
            out[f.name] = decode(stored[key]) if decode else stored[key]
    return out


def _columns_of(row: Base, fields: Fields) -> dict[str, Any]:
    return {f.key("column"): getattr(row, f.key("column")) for f in fields.stored()}


# --- requests, tails ----------------------------------------------------------------------------


def request_values(request: MovementRequest) -> dict[str, Any]:
    """A request's column values."""
    return stored_values(REQUEST, request)


def domain_request(row: MovementRequestRow) -> MovementRequest:
    return MovementRequest(**domain_values(REQUEST, _columns_of(row, REQUEST)))


def domain_requests(session: Session) -> tuple[MovementRequest, ...]:
    """Every stored request as the scheduler's :class:`MovementRequest`, by id."""
    rows = session.scalars(select(MovementRequestRow).order_by(MovementRequestRow.id))
    return tuple(domain_request(r) for r in rows)


def tail_values(tail: FleetTail) -> dict[str, Any]:
    """A tail's column values (its type as the designator)."""
    return stored_values(TAIL, tail)


def domain_fleet(session: Session) -> tuple[FleetTail, ...]:
    """Every stored tail as a :class:`FleetTail` (shipped or user-added type), by id."""
    resolve = type_resolver(session)
    return tuple(
        FleetTail(**domain_values(TAIL, _columns_of(t, TAIL), type=resolve(t.aircraft_type)))
        for t in session.scalars(select(Tail).order_by(Tail.id))
    )


# --- aircraft types -----------------------------------------------------------------------------


def norm_type(name: str) -> str:
    """A type designator compared ignoring case and punctuation."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def custom_type(session: Session, name: str) -> AircraftTypeRow | None:
    """A user-added aircraft type by designator (ignoring case and punctuation)."""
    wanted = norm_type(name)
    for row in session.scalars(select(AircraftTypeRow)):
        if norm_type(row.designator) == wanted:
            return row
    return None


def type_resolver(session: Session) -> TypeResolver:
    """An aircraft type by name: a shipped one, else a user-added one (each parsed once);
    UnknownAircraft names the closest shipped types."""
    parsed: dict[int, AircraftType] = {}

    def resolve(name: str) -> AircraftType:
        try:
            return aircraft_type(name)
        except UnknownAircraft:
            row = custom_type(session, name)
            if row is None:
                raise
        if row.id not in parsed:
            parsed[row.id] = parse_type_file(row.toml, f"aircraft type {row.designator}")
        return parsed[row.id]

    return resolve


def resolve_aircraft(session: Session, name: str) -> tuple[AircraftType, AircraftTail | None]:
    """What the web app's planner means by ``name``, first match wins: a shipped type, a
    stored tail's registration (with its type, shipped or user-added), a user-added type, a
    tail of the shipped demo fleet (as ``airlift plan`` reads it); else UnknownAircraft
    naming the closest types and registrations."""
    with contextlib.suppress(UnknownAircraft):
        return aircraft_type(name), None
    resolve = type_resolver(session)
    tail = session.scalars(
        select(Tail).where(func.upper(Tail.registration) == name.strip().upper())
    ).first()
    if tail is not None:
        atype = resolve(tail.aircraft_type)
        return atype, AircraftTail(
            tail.registration, atype, tail.nation, tail.home_base, tail.operator
        )
    with contextlib.suppress(UnknownAircraft):
        return resolve(name), None
    with contextlib.suppress(UnknownAircraft):
        return shipped_aircraft(name)
    names = [*catalogue(), *session.scalars(select(AircraftTypeRow.designator))]
    names += session.scalars(select(Tail.registration))
    close = set(difflib.get_close_matches(name.upper(), [n.upper() for n in names], n=3))
    raise UnknownAircraft(name, [n for n in names if n.upper() in close] or list(catalogue()))


# --- airfield overrides, scenarios --------------------------------------------------------------


def override_values(
    override: AirfieldOverride, naming: Naming = "column", only: Collection[str] | None = None
) -> dict[str, Any]:
    """An override's stored form (hours as ``"HH:MM-HH:MM"``)."""
    return stored_values(OVERRIDE, override, naming, only)


def domain_override(fields: Mapping[str, Any]) -> AirfieldOverride:
    """An override from stored fields named as in files (a scenario's ``overrides`` value);
    absent fields keep the theatre's values."""
    return AirfieldOverride(**domain_values(OVERRIDE, fields, "file"))


def _global_fields(row: AirfieldOverrideRow) -> dict[str, Any]:
    """A global override row's fields that are set, named as in files."""
    columns = _columns_of(row, OVERRIDE)
    return {
        f.key("file"): columns[f.key("column")]
        for f in OVERRIDE.in_domain()
        if columns[f.key("column")] is not None
    }


def _global_rows(session: Session) -> list[AirfieldOverrideRow]:
    return list(session.scalars(select(AirfieldOverrideRow).order_by(AirfieldOverrideRow.icao)))


def global_overrides(session: Session) -> dict[str, AirfieldOverride]:
    """ICAO -> the admin's override of that airfield's planning attributes."""
    return {r.icao.upper(): domain_override(_global_fields(r)) for r in _global_rows(session)}


def domain_scenario(session: Session, scenario_id: int) -> Scenario:
    """The stored scenario; its airfield overrides are the global ones
    (``airfield_overrides``) with the scenario's own fields on top."""
    row = session.get(ScenarioRow, scenario_id)
    if row is None:
        raise NotFound(f"scenarios {scenario_id} not found")
    merged = {r.icao: _global_fields(r) for r in _global_rows(session)}
    for icao, own in row.overrides.items():
        merged.setdefault(icao, {}).update(own)
    overrides = {icao: domain_override(fields) for icao, fields in merged.items()}
    return Scenario(**domain_values(SCENARIO, _columns_of(row, SCENARIO), overrides=overrides))
