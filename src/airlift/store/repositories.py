"""The only way the web layer reads and writes the database.

Every function takes the caller's :class:`~sqlalchemy.orm.Session` and never commits: run it
inside :func:`airlift.store.db.transaction`, so that a failure (an :class:`InputError`, a
:class:`Conflict`, anything) rolls the whole unit of work back and nothing is half-written.
After a :class:`Conflict` raised by the database itself (a concurrent writer), the session
must be rolled back before it is used again; ``transaction`` does that.

Editable collections (``kind``, see :data:`MODELS`): ``requests``, ``tails``, ``scenarios``,
``airfield_overrides``, ``aircraft_types``. Writes are validated by the same code that reads
the CSV/JSON/TOML files (:mod:`airlift.scheduling.readers`, :func:`airlift.aircraft.
parse_type_file`) and stored normalised (ICAO codes, UTC times, type designators). A bad
value raises :class:`FieldError` (an :class:`~airlift.errors.InputError`) naming the field.
Field names are the column names of :mod:`airlift.store.models`; files keep their own
column names (``id`` of a request is the ``ref`` column, ``type`` of a tail is
``aircraft_type``). Every write adds an :class:`~airlift.store.models.AuditEntry`.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import math
import re
import secrets
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol, overload

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Integer, String, delete, func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from airlift.aircraft import AircraftType, aircraft_type, catalogue, parse_type_file
from airlift.aircraft import Tail as AircraftTail
from airlift.aircraft import resolve as resolve_shipped
from airlift.airfields import lookup
from airlift.errors import AirliftError, DataFileError, InputError, UnknownAircraft
from airlift.scheduling import readers
from airlift.scheduling.inputs import AirfieldOverride, FleetTail, MovementRequest, Scenario
from airlift.store.models import (
    AircraftTypeRow,
    AirfieldOverrideRow,
    ApiToken,
    AuditEntry,
    Base,
    LoginAttempt,
    MovementRequestRow,
    ScenarioRow,
    ScheduleRun,
    Tail,
    User,
    WebSession,
    utcnow,
)

# --- errors and reports -------------------------------------------------------------------------


class NotFound(AirliftError, LookupError):
    """No row with that id (or no such collection)."""


class Conflict(AirliftError):
    """The write clashes with the database: a stale ``version`` (someone else changed the
    row first), a natural key that exists already, or a row still in use."""


class FieldError(InputError):
    """A value of one field is wrong; ``field`` names it, ``reason`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        named = re.match(rf"{re.escape(field)}\b", reason) or f"'{field}'" in reason
        super().__init__(reason if named or not field else f"{field}: {reason}")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of an imported row: ``row`` is the CSV line (header = line 1) or the
    JSON item number, ``field`` the column as written in the file."""

    row: int
    field: str
    reason: str


@dataclass(slots=True)
class ImportReport:
    """``created`` / ``updated`` count the rows written (an unchanged row counts in neither);
    ``stored`` is False when nothing was written."""

    created: int
    updated: int
    errors: list[RowError] = field(default_factory=list)
    stored: bool = False


# --- collections --------------------------------------------------------------------------------

MODELS: dict[str, type[Base]] = {
    "requests": MovementRequestRow,
    "tails": Tail,
    "scenarios": ScenarioRow,
    "airfield_overrides": AirfieldOverrideRow,
    "aircraft_types": AircraftTypeRow,
}
IMPORT_KINDS = ("requests", "tails")
ROLES = ("viewer", "planner", "admin")
MIN_PASSWORD_LENGTH = 10
INTERRUPTED = "interrupted by a server restart"

_IGNORED_KEYS = frozenset({"id", "version"})
"""Keys a client may echo back from :func:`row_dict`; never written."""
_SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "csrf_token"})
_INT_MAX = 2**31 - 1
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
_NATION = re.compile(r"^[A-Z]{2,3}$")

Validator = Callable[[Session, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class _Kind:
    name: str
    model: type[Base]
    key: str
    """The natural key column (unique)."""
    fields: tuple[str, ...]
    """The editable columns."""
    validate: Validator
    """File-named raw row -> column values; raises FieldError with the file's field name."""
    file_names: Mapping[str, str]
    """Column name -> the name the files (and the readers) use, where they differ."""
    fold_case: bool = False
    """The natural key is compared ignoring case."""

    def to_file(self, name: str) -> str:
        return self.file_names.get(name, name)

    def to_column(self, name: str) -> str:
        for column, file_name in self.file_names.items():
            if file_name == name:
                return column
        return name

    def key_of(self, value: Any) -> str:
        text = str(value).strip()
        return text.upper() if self.fold_case else text


def _kind(kind: str) -> _Kind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise NotFound(f"no collection {kind!r}; one of {', '.join(MODELS)}") from None


# --- value helpers ------------------------------------------------------------------------------


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _reason_of(message: str, prefix: str, ident: Any) -> str:
    """The reason of a readers message ``PREFIX (IDENT): reason``."""
    rest = message.removeprefix(prefix)
    if rest == message:
        return message
    if not _blank(ident) and not isinstance(ident, dict | list | bool):
        tagged = f" ({str(ident).strip()}): "
        if rest.startswith(tagged):
            return rest[len(tagged) :]
    if rest.startswith(": "):
        return rest[2:]
    return rest.partition(": ")[2] or message


_NAMED_FIELD = re.compile(r"^(?:missing|unknown) field '([^']+)'")


def _field_of(reason: str, known: tuple[str, ...], default: str = "") -> str:
    named = _NAMED_FIELD.match(reason)
    if named:
        return named.group(1)
    token = re.match(r"[A-Za-z_]+", reason)
    if token and token.group(0) in known:
        return token.group(0)
    return default


def _rename_in(reason: str, old: str, new: str) -> str:
    reason = re.sub(rf"^{re.escape(old)}\b", new, reason)
    return reason.replace(f"'{old}'", f"'{new}'")


def _check_columns(model: type[Base], values: Mapping[str, Any]) -> None:
    """What the readers do not know: column widths and 32-bit integers (PostgreSQL)."""
    for column in sa_inspect(model).columns:
        value = values.get(column.key)
        length = getattr(column.type, "length", None) if isinstance(column.type, String) else None
        if length and isinstance(value, str) and len(value) > length:
            raise FieldError(
                column.key,
                f"{column.key} must be at most {length} characters, got {len(value)}",
            )
        if (
            isinstance(column.type, Integer)
            and isinstance(value, int)
            and not -_INT_MAX <= value <= _INT_MAX
        ):
            raise FieldError(column.key, f"{column.key} {value} is out of range")


# --- validators: one raw row (file names) -> column values --------------------------------------

_REQUEST_FILE_FIELDS = (*readers.REQUEST_COLUMNS, *readers.REQUEST_OPTIONAL)
_FLEET_FILE_FIELDS = (*readers.FLEET_COLUMNS, *readers.FLEET_OPTIONAL)


def _request_values(r: MovementRequest) -> dict[str, Any]:
    return {
        "ref": r.id,
        "origin": r.origin,
        "destination": r.destination,
        "cargo_kg": r.cargo_kg,
        "pallets": r.pallets,
        "pax": r.pax,
        "earliest_utc": r.earliest_utc,
        "latest_utc": r.latest_utc,
        "priority": r.priority,
        "optional": r.optional,
        "allowed_nations": sorted(r.allowed_nations),
        "allowed_types": sorted(r.allowed_types),
        "hazardous": r.hazardous,
        "description": r.description,
    }


def _validate_request(session: Session, row: dict[str, Any]) -> dict[str, Any]:
    try:
        (request,) = readers.requests_from_rows([("row", row)], "request")
    except InputError as exc:
        reason = _reason_of(str(exc), "request row", row.get("id"))
        raise FieldError(_field_of(reason, _REQUEST_FILE_FIELDS), reason) from None
    values = _request_values(request)
    _check_columns(MovementRequestRow, values)
    return values


def _tail_values(t: FleetTail, type_designator: str | None = None) -> dict[str, Any]:
    return {
        "registration": t.registration,
        "aircraft_type": type_designator or t.type.designator,
        "nation": t.nation,
        "home_base": t.home_base,
        "military": t.military,
        "unavailable": [[_iso(a), _iso(b)] for a, b in t.unavailable],
        "duty_limit_h": t.duty_limit_h,
        "max_flying_h_per_day": t.max_flying_h_per_day,
        "operator": t.operator,
    }


def _norm_type(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def _custom_type(session: Session, name: str) -> AircraftTypeRow | None:
    """A user-added aircraft type by designator (ignoring case and punctuation)."""
    wanted = _norm_type(name)
    for row in session.scalars(select(AircraftTypeRow)):
        if _norm_type(row.designator) == wanted:
            return row
    return None


def _validate_tail(session: Session, row: dict[str, Any]) -> dict[str, Any]:
    custom: AircraftTypeRow | None = None
    type_name = row.get("type")
    if isinstance(type_name, str) and type_name.strip():
        try:
            aircraft_type(type_name)
        except UnknownAircraft:
            custom = _custom_type(session, type_name)
            if custom is not None:
                # The readers know the shipped types only: check the rest of the row with a
                # stand-in, keep the user's type.
                row = {**row, "type": next(iter(catalogue()))}
    try:
        (tail,) = readers.fleet_from_rows([("row", row)], "tail")
    except InputError as exc:
        reason = _reason_of(str(exc), "tail row", row.get("registration"))
        raise FieldError(_field_of(reason, _FLEET_FILE_FIELDS), reason) from None
    values = _tail_values(tail, custom.designator if custom else None)
    _check_columns(Tail, values)
    return values


_SCENARIO_FIELDS = ("name", "start_utc", "days", "fuel_policy", "night_ops", "overrides")
_OVERRIDE_FIELDS = ("fuel_available", "daylight_only", "mog", "oat_c", "closed", "hours_utc")


def _override_dict(override: AirfieldOverride, given: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``override`` the user gave (keys of ``given``), normalised."""
    out: dict[str, Any] = {}
    for key in readers.OVERRIDE_KEYS:
        if key not in given:
            continue
        if key == "notes":
            out[key] = str(given[key]).strip()
        elif key == "hours_utc":
            out[key] = "-".join(override.hours_utc) if override.hours_utc else None
        else:
            out[key] = getattr(override, key)
    return out


def _scenario_error(exc: InputError, origin: str) -> FieldError:
    """A readers scenario message ``ORIGIN [airfield.CODE]: reason`` as a FieldError."""
    message = str(exc)
    table = re.match(rf"^{re.escape(origin)}(?: \[airfield\.([^\]]+)\])?: (.*)$", message)
    if not table:
        return FieldError("", message)
    code, reason = table.groups()
    if code is None:
        return FieldError(_field_of(reason, _SCENARIO_FIELDS), reason)
    key = _field_of(reason, readers.OVERRIDE_KEYS)
    return FieldError(f"overrides.{code}" + (f".{key}" if key else ""), reason)


def _validate_scenario(session: Session, row: dict[str, Any]) -> dict[str, Any]:
    name = row.get("name")
    if _blank(name):
        raise FieldError("name", "name is empty")
    overrides = row.get("overrides")
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise FieldError("overrides", "overrides must be an object: ICAO -> {mog: 1, ...}")
    tables: dict[str, dict[str, Any]] = {}
    for code, fields in overrides.items():
        if not isinstance(fields, dict):
            raise FieldError(f"overrides.{code}", f"overrides.{code} must be an object of fields")
        tables[str(code)] = {k: v for k, v in fields.items() if v is not None}
    raw = {k: row[k] for k in _SCENARIO_FIELDS[:-1] if k in row and row[k] is not None}
    raw["airfield"] = tables
    try:
        scenario = readers._ScenarioReader("", "scenario").scenario(raw, str(name))
    except InputError as exc:
        raise _scenario_error(exc, "scenario") from None
    stored = {
        lookup(code).icao: _override_dict(scenario.overrides[lookup(code).icao], fields)
        for code, fields in tables.items()
    }
    values = {
        "name": scenario.name,
        "start_utc": scenario.start_utc,
        "days": scenario.days,
        "fuel_policy": scenario.fuel_policy,
        "night_ops": scenario.night_ops,
        "overrides": stored,
    }
    _check_columns(ScenarioRow, values)
    return values


def _validate_airfield_override(session: Session, row: dict[str, Any]) -> dict[str, Any]:
    code = row.get("icao")
    if _blank(code):
        raise FieldError("icao", "icao is empty")
    raw = {k: row[k] for k in _OVERRIDE_FIELDS if row.get(k) is not None}
    if row.get("note") is not None:
        raw["notes"] = row["note"]
    origin = "airfield override"
    try:
        icao, override = readers._ScenarioReader("", origin).override(str(code).strip(), raw)
    except InputError as exc:
        error = _scenario_error(exc, origin)
        reason = error.reason.removeprefix("airfield: ")
        name = error.field.rpartition(".")[2] if error.field.count(".") == 2 else "icao"
        raise FieldError({"notes": "note"}.get(name, name), reason) from None
    values = {
        "icao": icao,
        "fuel_available": override.fuel_available,
        "daylight_only": override.daylight_only,
        "mog": override.mog,
        "oat_c": override.oat_c,
        "closed": override.closed,
        "hours_utc": "-".join(override.hours_utc) if override.hours_utc else None,
        "note": "" if row.get("note") is None else str(row["note"]).strip(),
    }
    _check_columns(AirfieldOverrideRow, values)
    return values


def _validate_aircraft_type(session: Session, row: dict[str, Any]) -> dict[str, Any]:
    text = row.get("toml")
    if not isinstance(text, str) or not text.strip():
        raise FieldError("toml", "toml is empty: give the TOML text of a type file")
    try:
        parsed = parse_type_file(text, "toml")
    except DataFileError as exc:
        raise FieldError("toml", str(exc)) from None
    given = row.get("designator")
    if not _blank(given) and _norm_type(str(given)) != _norm_type(parsed.designator):
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
    _check_columns(AircraftTypeRow, values)
    return values


def _editable(model: type[Base]) -> tuple[str, ...]:
    return tuple(c.key for c in sa_inspect(model).columns if c.key not in _IGNORED_KEYS)


_KINDS: dict[str, _Kind] = {
    "requests": _Kind(
        "requests",
        MovementRequestRow,
        "ref",
        _editable(MovementRequestRow),
        _validate_request,
        {"ref": "id"},
    ),
    "tails": _Kind(
        "tails",
        Tail,
        "registration",
        _editable(Tail),
        _validate_tail,
        {"aircraft_type": "type"},
        fold_case=True,
    ),
    "scenarios": _Kind(
        "scenarios", ScenarioRow, "name", _editable(ScenarioRow), _validate_scenario, {}
    ),
    "airfield_overrides": _Kind(
        "airfield_overrides",
        AirfieldOverrideRow,
        "icao",
        _editable(AirfieldOverrideRow),
        _validate_airfield_override,
        {},
        fold_case=True,
    ),
    "aircraft_types": _Kind(
        "aircraft_types",
        AircraftTypeRow,
        "designator",
        _editable(AircraftTypeRow),
        _validate_aircraft_type,
        {},
        fold_case=True,
    ),
}


def _validate_api(session: Session, spec: _Kind, data: Mapping[str, Any]) -> dict[str, Any]:
    """Column-named ``data`` (every editable field) -> validated column values; errors name
    the column."""
    for key in data:
        if key not in spec.fields:
            raise FieldError(
                str(key), f"unknown field {key!r}; {spec.name} fields: {', '.join(spec.fields)}"
            )
    row = {spec.to_file(k): v for k, v in data.items()}
    try:
        return spec.validate(session, row)
    except FieldError as exc:
        column = spec.to_column(exc.field)
        reason = exc.reason
        for name, file_name in spec.file_names.items():
            reason = _rename_in(reason, file_name, name)
        raise FieldError(column, reason) from None


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise InputError(f"expected an object of fields, got {type(data).__name__}")
    return {str(k): v for k, v in data.items() if k not in _IGNORED_KEYS}


def _key_column(spec: _Kind) -> Any:
    column = getattr(spec.model, spec.key)
    return func.upper(column) if spec.fold_case else column


def _refuse_clash(
    session: Session, spec: _Kind, values: Mapping[str, Any], row_id: int | None
) -> None:
    wanted = spec.key_of(values[spec.key])
    query = select(spec.model).where(_key_column(spec) == wanted)
    if row_id is not None:
        query = query.where(getattr(spec.model, "id") != row_id)  # noqa: B009
    other = session.scalars(query.limit(1)).first()
    if other is not None:
        raise Conflict(
            f"{spec.name}: {spec.key} {values[spec.key]!r} already exists "
            f"(id {getattr(other, 'id')}); choose another {spec.key} or edit that row"  # noqa: B009
        )


def _flush(session: Session, what: str) -> None:
    """Flush, turning the database's refusals into :class:`Conflict`."""
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"{what} was changed or deleted by someone else meanwhile; reload it and try again"
        ) from None
    except IntegrityError as exc:
        detail = str(exc.orig).lower()
        if "unique" in detail or "duplicate" in detail:
            raise Conflict(f"{what}: a row with the same key exists already") from None
        if "foreign key" in detail:
            raise Conflict(f"{what}: other rows still refer to it") from None
        raise Conflict(f"{what}: refused by the database ({exc.orig})") from None


def _audit(
    session: Session,
    username: str,
    action: str,
    entity: str,
    entity_id: Any,
    detail: Mapping[str, Any],
) -> None:
    session.add(
        AuditEntry(
            at=utcnow(),
            username=username[:64],
            action=action[:32],
            entity=entity[:32],
            entity_id=str(entity_id if entity_id is not None else "")[:64],
            detail=_jsonable(dict(detail)),
        )
    )


def _check_version(spec: _Kind, row: Base, version: int) -> None:
    current = getattr(row, "version")  # noqa: B009
    if isinstance(version, bool) or not isinstance(version, int):
        raise FieldError("version", f"version must be a whole number, got {version!r}")
    if current != version:
        raise Conflict(
            f"{spec.name} {getattr(row, 'id')} is at version {current}, not {version}: "  # noqa: B009
            "someone else changed it; reload it and try again"
        )


# --- CRUD ---------------------------------------------------------------------------------------


@overload
def list_rows(
    session: Session, kind: Literal["requests"], **filters: Any
) -> list[MovementRequestRow]: ...


@overload
def list_rows(session: Session, kind: Literal["tails"], **filters: Any) -> list[Tail]: ...


@overload
def list_rows(
    session: Session, kind: Literal["scenarios"], **filters: Any
) -> list[ScenarioRow]: ...


@overload
def list_rows(
    session: Session, kind: Literal["airfield_overrides"], **filters: Any
) -> list[AirfieldOverrideRow]: ...


@overload
def list_rows(
    session: Session, kind: Literal["aircraft_types"], **filters: Any
) -> list[AircraftTypeRow]: ...


@overload
def list_rows(session: Session, kind: str, **filters: Any) -> list[Base]: ...


def list_rows(session: Session, kind: str, **filters: Any) -> list[Any]:
    """Every row of a collection, by id; ``filters`` are column == value (None: IS NULL)."""
    spec = _kind(kind)
    columns = sa_inspect(spec.model).columns
    query = select(spec.model)
    for name, value in filters.items():
        if name not in columns:
            raise FieldError(
                name, f"cannot filter {kind} by {name!r}; fields: {', '.join(columns.keys())}"
            )
        column = columns[name]
        query = query.where(column.is_(None) if value is None else column == value)
    return list(session.scalars(query.order_by(getattr(spec.model, "id"))))  # noqa: B009


@overload
def get_row(session: Session, kind: Literal["requests"], row_id: int) -> MovementRequestRow: ...


@overload
def get_row(session: Session, kind: Literal["tails"], row_id: int) -> Tail: ...


@overload
def get_row(session: Session, kind: Literal["scenarios"], row_id: int) -> ScenarioRow: ...


@overload
def get_row(
    session: Session, kind: Literal["airfield_overrides"], row_id: int
) -> AirfieldOverrideRow: ...


@overload
def get_row(session: Session, kind: Literal["aircraft_types"], row_id: int) -> AircraftTypeRow: ...


@overload
def get_row(session: Session, kind: str, row_id: int) -> Base: ...


def get_row(session: Session, kind: str, row_id: int) -> Base:
    """The row with that id; :class:`NotFound` when there is none."""
    spec = _kind(kind)
    row = session.get(spec.model, row_id)
    if row is None:
        raise NotFound(f"{kind} {row_id} not found")
    return row


@overload
def create_row(
    session: Session, kind: Literal["requests"], data: dict[str, Any], username: str
) -> MovementRequestRow: ...


@overload
def create_row(
    session: Session, kind: Literal["tails"], data: dict[str, Any], username: str
) -> Tail: ...


@overload
def create_row(
    session: Session, kind: Literal["scenarios"], data: dict[str, Any], username: str
) -> ScenarioRow: ...


@overload
def create_row(
    session: Session, kind: Literal["airfield_overrides"], data: dict[str, Any], username: str
) -> AirfieldOverrideRow: ...


@overload
def create_row(
    session: Session, kind: Literal["aircraft_types"], data: dict[str, Any], username: str
) -> AircraftTypeRow: ...


@overload
def create_row(session: Session, kind: str, data: dict[str, Any], username: str) -> Base: ...


def create_row(session: Session, kind: str, data: dict[str, Any], username: str) -> Base:
    """Validate and add a row (``id`` and ``version`` keys in ``data`` are ignored)."""
    spec = _kind(kind)
    values = _validate_api(session, spec, _clean(data))
    _refuse_clash(session, spec, values, None)
    row = spec.model(**values)
    session.add(row)
    _flush(session, f"{kind} {values[spec.key]!r}")
    _audit(
        session,
        username,
        "create",
        kind,
        getattr(row, "id"),  # noqa: B009
        {"key": values[spec.key], "fields": values},
    )
    return row


@overload
def update_row(
    session: Session,
    kind: Literal["requests"],
    row_id: int,
    data: dict[str, Any],
    version: int,
    username: str,
) -> MovementRequestRow: ...


@overload
def update_row(
    session: Session,
    kind: Literal["tails"],
    row_id: int,
    data: dict[str, Any],
    version: int,
    username: str,
) -> Tail: ...


@overload
def update_row(
    session: Session,
    kind: Literal["scenarios"],
    row_id: int,
    data: dict[str, Any],
    version: int,
    username: str,
) -> ScenarioRow: ...


@overload
def update_row(
    session: Session,
    kind: Literal["airfield_overrides"],
    row_id: int,
    data: dict[str, Any],
    version: int,
    username: str,
) -> AirfieldOverrideRow: ...


@overload
def update_row(
    session: Session,
    kind: Literal["aircraft_types"],
    row_id: int,
    data: dict[str, Any],
    version: int,
    username: str,
) -> AircraftTypeRow: ...


@overload
def update_row(
    session: Session, kind: str, row_id: int, data: dict[str, Any], version: int, username: str
) -> Base: ...


def update_row(
    session: Session, kind: str, row_id: int, data: dict[str, Any], version: int, username: str
) -> Base:
    """Change the fields given in ``data`` (the others keep their values) of the row at
    ``version``; :class:`Conflict` when the row is at another version. A change that
    changes nothing writes nothing."""
    spec = _kind(kind)
    row = get_row(session, kind, row_id)
    _check_version(spec, row, version)
    current = {name: getattr(row, name) for name in spec.fields}
    values = _validate_api(session, spec, {**current, **_clean(data)})
    changed = {name: value for name, value in values.items() if current.get(name) != value}
    if not changed:
        return row
    if spec.key in changed:
        _refuse_clash(session, spec, values, row_id)
    for name, value in changed.items():
        setattr(row, name, value)
    _flush(session, f"{kind} {row_id}")
    _audit(
        session,
        username,
        "update",
        kind,
        row_id,
        {
            "key": values[spec.key],
            "changed": {n: {"old": current.get(n), "new": v} for n, v in changed.items()},
            "version": getattr(row, "version"),  # noqa: B009
        },
    )
    return row


def delete_row(session: Session, kind: str, row_id: int, version: int, username: str) -> None:
    """Delete the row at ``version``. An aircraft type a tail still uses, and a scenario
    with a queued or running schedule run, are refused (:class:`Conflict`); finished runs
    of a deleted scenario are kept, detached from it."""
    spec = _kind(kind)
    row = get_row(session, kind, row_id)
    _check_version(spec, row, version)
    if isinstance(row, AircraftTypeRow):
        users = [
            t.registration
            for t in session.scalars(select(Tail))
            if _norm_type(t.aircraft_type) == _norm_type(row.designator)
        ]
        if users:
            raise Conflict(
                f"aircraft type {row.designator!r} is used by tails {', '.join(users)}: "
                "change or delete them first"
            )
    if isinstance(row, ScenarioRow):
        active = session.scalars(
            select(ScheduleRun.id).where(
                ScheduleRun.scenario_id == row.id,
                ScheduleRun.status.in_(("queued", "running")),
            )
        ).all()
        if active:
            raise Conflict(
                f"scenario {row.name!r} has schedule runs in progress "
                f"({', '.join(map(str, active))}): cancel them first"
            )
        session.execute(
            update(ScheduleRun)
            .where(ScheduleRun.scenario_id == row.id)
            .values(scenario_id=None)
            .execution_options(synchronize_session="fetch")
        )
    snapshot = {name: getattr(row, name) for name in spec.fields}
    session.delete(row)
    _flush(session, f"{kind} {row_id}")
    _audit(
        session,
        username,
        "delete",
        kind,
        row_id,
        {"key": snapshot[spec.key], "fields": snapshot, "version": version},
    )


# --- imports ------------------------------------------------------------------------------------


def _file_row(spec: _Kind, raw: Mapping[str, Any]) -> dict[str, Any]:
    """An imported row with the file's names. A row exported from the API is read too: its
    column names (``ref``, ``aircraft_type``) are mapped, its database ``id`` and
    ``version`` dropped."""
    row = {str(k).strip().lower(): v for k, v in raw.items() if k != "_line"}
    exported = spec.key in row and spec.to_file(spec.key) != spec.key
    for key in _IGNORED_KEYS:
        if exported or key not in spec.file_names.values():
            row.pop(key, None)
    for column, file_name in spec.file_names.items():
        if column in row and file_name not in row:
            row[file_name] = row.pop(column)
    return row


def _line_of(raw: Mapping[str, Any], index: int) -> int:
    line = raw.get("_line", index)
    return line if isinstance(line, int) and not isinstance(line, bool) else index


def import_rows(
    session: Session,
    kind: str,
    rows: list[dict[str, Any]],
    username: str,
    good_rows_only: bool = False,
) -> ImportReport:
    """Validate every row of an uploaded file (requests or tails), then upsert by natural
    key (request ``id``/ref, tail registration).

    Every problem is reported (row, field, reason), duplicate keys within the file too. With
    any problem nothing is stored, unless ``good_rows_only``: then the good rows are."""
    spec = _kind(kind)
    if kind not in IMPORT_KINDS:
        raise InputError(f"cannot import {kind}; importable: {', '.join(IMPORT_KINDS)}")
    if not rows:
        raise InputError(f"no {kind} rows to import")
    key_field = spec.to_file(spec.key)
    errors: list[RowError] = []
    good: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows, start=1):
        if not isinstance(raw, Mapping):
            errors.append(RowError(index, "", f"expected an object, got {type(raw).__name__}"))
            continue
        line = _line_of(raw, index)
        row = _file_row(spec, raw)
        key = row.get(key_field)
        duplicate = None
        if not _blank(key) and not isinstance(key, dict | list | bool):
            folded = spec.key_of(key)
            if folded in seen:
                duplicate = RowError(
                    line,
                    key_field,
                    f"{key_field} {str(key).strip()!r} is a duplicate of line {seen[folded]}",
                )
            else:
                seen[folded] = line
        try:
            values = spec.validate(session, row)
        except FieldError as exc:
            errors.append(RowError(line, exc.field, exc.reason))
            if duplicate:
                errors.append(duplicate)
            continue
        if duplicate:
            errors.append(duplicate)
            continue
        good.append((line, values))
    report = ImportReport(created=0, updated=0, errors=errors, stored=False)
    if (errors and not good_rows_only) or not good:
        return report
    existing = {spec.key_of(getattr(r, spec.key)): r for r in session.scalars(select(spec.model))}
    created: list[str] = []
    updated: list[str] = []
    for _, values in good:
        target = existing.get(spec.key_of(values[spec.key]))
        if target is None:
            session.add(spec.model(**values))
            created.append(values[spec.key])
            continue
        changed = {n: v for n, v in values.items() if getattr(target, n) != v}
        for name, value in changed.items():
            setattr(target, name, value)
        if changed:
            updated.append(values[spec.key])
    _flush(session, f"import of {kind}")
    _audit(
        session,
        username,
        "import",
        kind,
        "",
        {
            "rows": len(rows),
            "created": created,
            "updated": updated,
            "errors": len(errors),
            "skipped_lines": sorted({e.row for e in errors}),
        },
    )
    report.created, report.updated, report.stored = len(created), len(updated), True
    return report


def parse_upload(kind: str, filename: str, content: bytes) -> list[dict[str, Any]]:
    """The rows of an uploaded CSV or JSON file (chosen by the name's suffix), each with its
    ``"_line"``: the CSV line (header = line 1) or the JSON item number. A file that cannot
    be read as such (encoding, syntax, header) raises :class:`InputError`."""
    _kind(kind)
    if kind not in IMPORT_KINDS:
        raise InputError(f"cannot import {kind}; importable: {', '.join(IMPORT_KINDS)}")
    name = Path(filename.replace("\\", "/")).name or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".json"):
        raise InputError(
            f"{name}: unsupported file type {suffix or '(no suffix)'!r}; use .csv or .json"
        )
    text = readers.decode_text(content, name, suffix)
    required: tuple[str, ...] = readers.REQUEST_COLUMNS
    optional: tuple[str, ...] = readers.REQUEST_OPTIONAL
    what = key = "requests"
    if kind == "tails":
        required, optional = readers.FLEET_COLUMNS, readers.FLEET_OPTIONAL
        what = key = "fleet"
    if suffix == ".csv":
        numbered = readers._csv_rows(text, name, required, optional, what)
    else:
        numbered = readers._json_rows(text, name, key)
    rows = [{**dict(row), "_line": int(where.split()[-1])} for where, row in numbered]
    if not rows:
        raise InputError(f"{name}: no rows")
    return rows


# --- domain objects -----------------------------------------------------------------------------


def domain_requests(session: Session) -> tuple[MovementRequest, ...]:
    """Every stored request as the scheduler's :class:`MovementRequest`, by id."""
    return tuple(
        MovementRequest(
            id=r.ref,
            origin=r.origin,
            destination=r.destination,
            cargo_kg=r.cargo_kg,
            pallets=r.pallets,
            pax=r.pax,
            earliest_utc=r.earliest_utc,
            latest_utc=r.latest_utc,
            priority=r.priority,
            optional=r.optional,
            allowed_nations=frozenset(r.allowed_nations),
            allowed_types=frozenset(r.allowed_types),
            hazardous=r.hazardous,
            description=r.description,
        )
        for r in session.scalars(select(MovementRequestRow).order_by(MovementRequestRow.id))
    )


def _aircraft_types(session: Session) -> Callable[[str], AircraftType]:
    custom = {_norm_type(r.designator): r for r in session.scalars(select(AircraftTypeRow))}
    parsed: dict[str, AircraftType] = {}

    def resolve(designator: str) -> AircraftType:
        key = _norm_type(designator)
        if key in custom:
            if key not in parsed:
                row = custom[key]
                parsed[key] = parse_type_file(row.toml, f"aircraft type {row.designator}")
            return parsed[key]
        return aircraft_type(designator)

    return resolve


def resolve_aircraft(session: Session, name: str) -> tuple[AircraftType, AircraftTail | None]:
    """What the web app's planner means by ``name``, first match wins: a shipped type, a
    stored tail's registration (with its type, shipped or user-added), a user-added type, a
    tail of the shipped demo fleet (as ``airlift plan`` reads it); else UnknownAircraft
    naming the closest types and registrations."""
    with contextlib.suppress(UnknownAircraft):
        return aircraft_type(name), None
    resolve = _aircraft_types(session)
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
        return resolve_shipped(name)
    names = [*catalogue(), *session.scalars(select(AircraftTypeRow.designator))]
    names += session.scalars(select(Tail.registration))
    close = set(difflib.get_close_matches(name.upper(), [n.upper() for n in names], n=3))
    raise UnknownAircraft(name, [n for n in names if n.upper() in close] or list(catalogue()))


def domain_fleet(session: Session) -> tuple[FleetTail, ...]:
    """Every stored tail as a :class:`FleetTail` (shipped or user-added type), by id."""
    resolve = _aircraft_types(session)
    return tuple(
        FleetTail(
            registration=t.registration,
            type=resolve(t.aircraft_type),
            nation=t.nation,
            home_base=t.home_base,
            military=t.military,
            unavailable=tuple(
                (datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in t.unavailable
            ),
            duty_limit_h=t.duty_limit_h,
            max_flying_h_per_day=t.max_flying_h_per_day,
            operator=t.operator,
        )
        for t in session.scalars(select(Tail).order_by(Tail.id))
    )


def _override(fields: Mapping[str, Any]) -> AirfieldOverride:
    hours = fields.get("hours_utc")
    opens, _, closes = str(hours).partition("-") if hours else ("", "", "")
    return AirfieldOverride(
        fuel_available=fields.get("fuel_available"),
        daylight_only=fields.get("daylight_only"),
        mog=fields.get("mog"),
        oat_c=fields.get("oat_c"),
        closed=bool(fields.get("closed", False)),
        hours_utc=(opens, closes) if hours else None,
    )


def domain_scenario(session: Session, scenario_id: int) -> Scenario:
    """The stored scenario; its airfield overrides are the global ones
    (``airfield_overrides``) with the scenario's own fields on top."""
    row = get_row(session, "scenarios", scenario_id)
    assert isinstance(row, ScenarioRow)
    merged: dict[str, dict[str, Any]] = {}
    for g in session.scalars(select(AirfieldOverrideRow).order_by(AirfieldOverrideRow.icao)):
        fields = {k: getattr(g, k) for k in _OVERRIDE_FIELDS if getattr(g, k) is not None}
        if not g.closed:
            fields.pop("closed", None)
        merged[g.icao] = fields
    for icao, own in row.overrides.items():
        merged.setdefault(icao, {}).update(own)
    return Scenario(
        name=row.name,
        start_utc=row.start_utc,
        days=row.days,
        fuel_policy=row.fuel_policy,
        overrides={icao: _override(fields) for icao, fields in merged.items()},
        night_ops=row.night_ops,
    )


def row_dict(row: Base) -> dict[str, Any]:
    """A row as JSON-ready data: every column (``id``, ``version`` included, secrets such as
    password and token hashes left out), times as ISO 8601 UTC with ``Z``."""
    return {
        attr.key: _jsonable(getattr(row, attr.key))
        for attr in sa_inspect(type(row)).column_attrs
        if attr.key not in _SECRET_COLUMNS
    }


# --- users, API tokens, web sessions, logins ----------------------------------------------------


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def token_digest(token: str) -> str:
    """What is stored of an API or session token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Account(Protocol):
    """Who acts: a stored :class:`User`, or the web app's snapshot of one."""

    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> str: ...


def check_password(password: str) -> None:
    """Refuse a password too short to be a password (InputError)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise FieldError("password", f"password must be at least {MIN_PASSWORD_LENGTH} characters")


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    nation: str | None = None,
    *,
    actor: str = "system",
) -> User:
    """Add a user: role viewer, planner or admin; ``nation`` (2-3 letters) limits a
    planner to that nation's tails, None means coalition staff. The password is stored as
    an argon2 hash. :class:`Conflict` when the username exists."""
    username = username.strip() if isinstance(username, str) else ""
    if not _USERNAME.match(username):
        raise FieldError(
            "username",
            "username must be 1-64 letters, digits or . _ @ -, starting with a letter or digit",
        )
    check_password(password)
    if role not in ROLES:
        raise FieldError("role", f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if nation is not None:
        nation = nation.strip().upper()
        if not _NATION.match(nation):
            raise FieldError("nation", f"nation {nation!r} is not a 2- or 3-letter country code")
    clash = session.scalars(
        select(User).where(func.lower(User.username) == username.lower())
    ).first()
    if clash is not None:
        raise Conflict(f"user {clash.username!r} already exists")
    user = User(
        username=username,
        password_hash=_hasher().hash(password),
        role=role,
        nation=nation,
        active=True,
        created_at=utcnow(),
    )
    session.add(user)
    _flush(session, f"user {username!r}")
    _audit(
        session,
        actor,
        "create",
        "users",
        user.id,
        {"username": username, "role": role, "nation": nation},
    )
    return user


def verify_password(user: User, password: str) -> bool:
    """True when ``password`` is the user's; upgrades an outdated hash in place (the
    caller's transaction stores it)."""
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    return True


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with that username and password, else None; takes as long for an
    unknown username as for a wrong password."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher().verify(_dummy_hash(), password)
        return None
    return user if verify_password(user, password) else None


def create_token(session: Session, user: Account, name: str) -> str:
    """A new API token for ``user``: returned once in plain, stored as its SHA-256."""
    name = name.strip() if isinstance(name, str) else ""
    if not 1 <= len(name) <= 64:
        raise FieldError("name", "token name must be 1-64 characters")
    token = "airlift_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=token_digest(token), created_at=utcnow())
    session.add(row)
    _flush(session, f"API token {name!r}")
    _audit(session, user.username, "create", "api_tokens", row.id, {"name": name})
    return token


def list_tokens(session: Session, user: Account) -> list[ApiToken]:
    """The user's API tokens (revoked ones too), newest first."""
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a valid (unrevoked) API token belongs to, else None."""
    if not token:
        return None
    return session.scalars(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == token_digest(token),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).first()


def revoke_token(session: Session, token_id: int, user: Account) -> None:
    """Revoke one of the user's tokens (an admin may revoke anyone's); NotFound otherwise."""
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != user.id and user.role != "admin"):
        raise NotFound(f"API token {token_id} not found")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        _audit(
            session,
            user.username,
            "revoke",
            "api_tokens",
            token.id,
            {"name": token.name, "owner_id": token.user_id},
        )
        _flush(session, f"API token {token_id}")


def create_web_session(session: Session, user: User, hours: float = 12) -> tuple[str, str]:
    """A browser session: (session token for the cookie, CSRF token). Stores the session
    token's SHA-256 only; expired sessions of everyone are cleared on the way."""
    if not 0 < hours <= 24 * 31:
        raise FieldError("hours", f"session length must be 0-744 hours, got {hours}")
    now = utcnow()
    session.execute(
        delete(WebSession)
        .where(WebSession.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        WebSession(
            user_id=user.id,
            token_hash=token_digest(token),
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    _flush(session, "web session")
    return token, csrf


def user_for_session(session: Session, token: str) -> tuple[User, WebSession] | None:
    """The active user and the session of an unexpired session token, else None."""
    if not token:
        return None
    found = session.execute(
        select(User, WebSession)
        .join(WebSession, WebSession.user_id == User.id)
        .where(
            WebSession.token_hash == token_digest(token),
            WebSession.expires_at > utcnow(),
            User.active.is_(True),
        )
    ).first()
    return None if found is None else (found[0], found[1])


def delete_web_session(session: Session, token: str) -> None:
    """Log out: forget the session of that token (no error when there is none)."""
    session.execute(
        delete(WebSession)
        .where(WebSession.token_hash == token_digest(token))
        .execution_options(synchronize_session="fetch")
    )


def record_login(session: Session, username: str, client: str, success: bool) -> None:
    """Remember a login attempt (``client``: the address); a success is also audited."""
    session.add(
        LoginAttempt(username=username[:64], client=client[:64], at=utcnow(), success=success)
    )
    if success:
        _audit(session, username, "login", "users", "", {"client": client[:64]})


def recent_failures(session: Session, username: str, client: str, minutes: float = 15) -> int:
    """Failed logins of ``username`` from ``client`` in the last ``minutes``, not counting
    those before a later successful login."""
    since = utcnow() - timedelta(minutes=minutes)
    same = (LoginAttempt.username == username[:64], LoginAttempt.client == client[:64])
    last_ok = session.scalar(
        select(func.max(LoginAttempt.at)).where(*same, LoginAttempt.success.is_(True))
    )
    if isinstance(last_ok, datetime):
        last_ok = last_ok if last_ok.tzinfo else last_ok.replace(tzinfo=UTC)
        since = max(since, last_ok)
    count = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(*same, LoginAttempt.success.is_(False), LoginAttempt.at > since)
    )
    return int(count or 0)


# --- demo data, schedule runs -------------------------------------------------------------------


def load_demo(session: Session, username: str = "system") -> None:
    """Fill an empty database with the shipped demo: fleet, requests and scenario. Does
    nothing when any tail exists (the database is in use)."""
    if session.scalar(select(func.count()).select_from(Tail)):
        return
    demo = readers.demo_dir()
    tails = [_tail_values(t) for t in readers.read_fleet(demo / "fleet.csv")]
    session.add_all(Tail(**values) for values in tails)
    created = {"tails": [t["registration"] for t in tails]}
    if not session.scalar(select(func.count()).select_from(MovementRequestRow)):
        requests = [_request_values(r) for r in readers.read_requests(demo / "requests.csv")]
        session.add_all(MovementRequestRow(**values) for values in requests)
        created["requests"] = [r["ref"] for r in requests]
    readers.read_scenario(demo / "scenario.toml")  # the file's own checks and messages
    raw = tomllib.loads((demo / "scenario.toml").read_text("utf-8"))
    scenario = _validate_scenario(
        session,
        {
            "name": raw.get("name"),
            "start_utc": raw.get("start_utc"),
            "days": raw.get("days"),
            "fuel_policy": raw.get("fuel_policy"),
            "night_ops": raw.get("night_ops"),
            "overrides": raw.get("airfield", {}),
        },
    )
    if (
        session.scalars(select(ScenarioRow).where(ScenarioRow.name == scenario["name"])).first()
        is None
    ):
        session.add(ScenarioRow(**scenario))
        created["scenarios"] = [scenario["name"]]
    _flush(session, "demo data")
    for kind, keys in created.items():
        _audit(session, username, "import", kind, "", {"source": "demo", "created": keys})


def create_run(
    session: Session, scenario_id: int, username: str, time_limit_s: float, seed: int
) -> ScheduleRun:
    """Queue a schedule run of the scenario for the worker."""
    get_row(session, "scenarios", scenario_id)
    if (
        isinstance(time_limit_s, bool)
        or not isinstance(time_limit_s, int | float)
        or not math.isfinite(time_limit_s)
        or not 0 < time_limit_s <= 86_400
    ):
        raise FieldError(
            "time_limit_s", f"time_limit_s must be 0-86400 seconds, got {time_limit_s!r}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= _INT_MAX:
        raise FieldError("seed", f"seed must be a whole number 0-{_INT_MAX}, got {seed!r}")
    run = ScheduleRun(
        scenario_id=scenario_id,
        status="queued",
        created_by=username[:64],
        created_at=utcnow(),
        time_limit_s=float(time_limit_s),
        seed=seed,
    )
    session.add(run)
    _flush(session, "schedule run")
    _audit(
        session,
        username,
        "run",
        "schedule_runs",
        run.id,
        {"scenario_id": scenario_id, "time_limit_s": float(time_limit_s), "seed": seed},
    )
    return run


def mark_interrupted_runs(session: Session) -> int:
    """At start-up: every queued or running run fails with "interrupted by a server
    restart". Returns how many."""
    runs = session.scalars(
        select(ScheduleRun).where(ScheduleRun.status.in_(("queued", "running")))
    ).all()
    now = utcnow()
    for run in runs:
        run.status = "failed"
        run.error = INTERRUPTED
        run.finished_at = now
    if runs:
        _flush(session, "schedule runs")
        _audit(
            session,
            "system",
            "fail",
            "schedule_runs",
            "",
            {"ids": [r.id for r in runs], "error": INTERRUPTED},
        )
    return len(runs)


__all__ = [
    "IMPORT_KINDS",
    "MODELS",
    "ROLES",
    "Account",
    "Conflict",
    "FieldError",
    "ImportReport",
    "NotFound",
    "RowError",
    "authenticate",
    "check_password",
    "create_row",
    "create_run",
    "create_token",
    "create_user",
    "create_web_session",
    "delete_row",
    "delete_web_session",
    "domain_fleet",
    "domain_requests",
    "domain_scenario",
    "get_row",
    "import_rows",
    "list_rows",
    "list_tokens",
    "load_demo",
    "mark_interrupted_runs",
    "parse_upload",
    "recent_failures",
    "record_login",
    "revoke_token",
    "row_dict",
    "token_digest",
    "update_row",
    "user_for_session",
    "user_for_token",
    "verify_password",
]
