"""The editable collections, one typed object each: :data:`REQUESTS`, :data:`TAILS`,
:data:`SCENARIOS`, :data:`AIRFIELD_OVERRIDES`, :data:`AIRCRAFT_TYPES`, :data:`ZONES`,
:data:`CLEARANCES`.

A :class:`Collection` lists, gets, creates, updates and deletes rows of one table. Writes are
validated (:mod:`airlift.store.validation`) and name a bad field as the caller named it;
updates and deletes name the ``version`` the caller read, and a stale one is a
:class:`~airlift.errors.Conflict` (so is a natural key that exists already). Every write adds
an audit entry. Field names are the column names of :mod:`airlift.store.models`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func, or_, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from airlift.errors import Conflict, FieldError, InputError, NotFound
from airlift.scheduling.fields import REQUEST, TAIL, Fields, Naming
from airlift.store import validation
from airlift.store.domain import norm_type
from airlift.store.models import (
    AircraftTypeRow,
    AirfieldOverrideRow,
    AuditEntry,
    Base,
    ClearanceRow,
    MovementRequestRow,
    ScenarioRow,
    ScheduleRun,
    Tail,
    ZoneRow,
)
from airlift.store.rows import audit, flush, iso

RowT = TypeVar("RowT", bound=Base)
Validator = Callable[[Session, Mapping[str, Any], Naming], dict[str, Any]]

LAST_CHANGE_SCAN = 200
"""Audit entries read, newest first, to find who last wrote a row (imports of the same
collection in between are skipped over)."""

IGNORED_KEYS = frozenset({"id", "version"})
"""Keys a client may echo back from a row it read; never written."""


def id_of(row: Base) -> int:
    """The ``id`` column of an editable row."""
    value: int = getattr(row, "id")  # noqa: B009 (every editable model has one)
    return value


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise InputError(f"expected an object of fields, got {type(data).__name__}")
    return {str(k): v for k, v in data.items() if k not in IGNORED_KEYS}


@dataclass(frozen=True, slots=True)
class DriverRows:
    """Rows as the database driver returned them (``Collection.driver_rows``)."""

    names: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    processors: tuple[Callable[[Any], Any] | None, ...]

    def convert(self, row: tuple[Any, ...]) -> dict[str, Any]:
        """One row as column name -> value, as the ORM would have read it."""
        return {
            name: value if convert is None else convert(value)
            for name, convert, value in zip(self.names, self.processors, row, strict=True)
        }


@dataclass(frozen=True, eq=False)
class Collection(Generic[RowT]):
    """One editable table."""

    name: str
    """As the API paths and the audit log name it."""
    model: type[RowT]
    key: str
    """The natural key column (unique, unless ``unique_key`` is false: then only the label
    of a row in the audit log)."""
    validate: Validator
    """Raw values (named as the naming says) -> column values."""
    fields: Fields | None = None
    """The entity's field list, for the collections that files are imported into."""
    fold_case: bool = False
    """The natural key is compared ignoring case."""
    before_delete: Callable[[Session, RowT], None] | None = None
    """Refuses a delete (:class:`Conflict`) or detaches what refers to the row."""
    unique_key: bool = True
    """False: several rows may share ``key`` (a country's clearance records)."""

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)

    @property
    def editable(self) -> tuple[str, ...]:
        """The columns a write may give."""
        return tuple(c.key for c in sa_inspect(self.model).columns if c.key not in IGNORED_KEYS)

    def key_of(self, value: Any) -> str:
        """A natural key as compared (stripped; upper case when ``fold_case``)."""
        text = str(value).strip()
        return text.upper() if self.fold_case else text

    def rows(self, session: Session, **filters: Any) -> list[RowT]:
        """Every row, by id; ``filters`` are column == value (None: IS NULL)."""
        columns = sa_inspect(self.model).columns
        query = select(self.model)
        for name, value in filters.items():
            if name not in columns:
                raise FieldError(
                    name,
                    f"cannot filter {self.name} by {name!r}; fields: {', '.join(columns.keys())}",
                )
            column = columns[name]
            query = query.where(column.is_(None) if value is None else column == value)
        return list(session.scalars(query.order_by(columns["id"])))

    def plain_rows(self, session: Session) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """Every row by id as plain column values, with the column names: much cheaper than
        ORM objects for read-only lists."""
        columns = sa_inspect(self.model).columns
        found = session.execute(select(*columns).order_by(columns["id"])).all()
        return tuple(columns.keys()), [tuple(row) for row in found]

    def driver_rows(self, session: Session) -> DriverRows:
        """Every row by id as the database driver returns it, before SQLAlchemy's type
        conversions (datetimes, JSON, booleans), which took two thirds of the time of a
        list of 1,000 requests; ``DriverRows.convert`` applies them to the rows that need
        it. Two equal driver rows convert to equal values, so a cache keyed by the
        driver's row converts only the rows it has not seen."""
        connection = session.connection()
        dialect = connection.dialect
        columns = sa_inspect(self.model).columns
        statement = select(*columns).order_by(columns["id"]).compile(dialect=dialect)
        result = connection.exec_driver_sql(str(statement))
        processors = tuple(
            c.type.dialect_impl(dialect).result_processor(dialect, described[1])
            for c, described in zip(columns, result.cursor.description, strict=True)
        )
        found = [tuple(row) for row in result.fetchall()]
        return DriverRows(tuple(columns.keys()), found, processors)

    def get(self, session: Session, row_id: int) -> RowT:
        """The row with that id; :class:`NotFound` when there is none."""
        row = session.get(self.model, row_id)
        if row is None:
            raise NotFound(f"{self.name} {row_id} not found")
        return row

    def check(self, session: Session, data: Mapping[str, Any]) -> dict[str, Any]:
        """Column-named ``data`` (every editable field) -> validated column values."""
        for key in data:
            if key not in self.editable:
                raise FieldError(
                    str(key),
                    f"unknown field {key!r}; {self.name} fields: {', '.join(self.editable)}",
                )
        return self.validate(session, data, "column")

    def create(self, session: Session, data: Mapping[str, Any], username: str) -> RowT:
        """Validate and add a row (``id`` and ``version`` keys in ``data`` are ignored)."""
        values = self.check(session, _clean(data))
        self._refuse_clash(session, values, None)
        row = self.model(**values)
        session.add(row)
        flush(session, f"{self.name} {values[self.key]!r}")
        audit(
            session,
            username,
            "create",
            self.name,
            id_of(row),
            {"key": values[self.key], "fields": values},
        )
        return row

    def update(
        self,
        session: Session,
        row_id: int,
        data: Mapping[str, Any],
        version: int,
        username: str,
    ) -> RowT:
        """Change the fields given in ``data`` (the others keep their values) of the row at
        ``version``; :class:`Conflict` when the row is at another version. A change that
        changes nothing writes nothing."""
        row = self.get(session, row_id)
        self._check_version(session, row, version)
        current = {name: getattr(row, name) for name in self.editable}
        values = self.check(session, {**current, **_clean(data)})
        changed = {name: value for name, value in values.items() if current.get(name) != value}
        if not changed:
            return row
        if self.key in changed:
            self._refuse_clash(session, values, row_id)
        for name, value in changed.items():
            setattr(row, name, value)
        flush(session, f"{self.name} {row_id}")
        audit(
            session,
            username,
            "update",
            self.name,
            row_id,
            {
                "key": values[self.key],
                "changed": {n: {"old": current.get(n), "new": v} for n, v in changed.items()},
                "version": getattr(row, "version"),  # noqa: B009
            },
        )
        return row

    def delete(self, session: Session, row_id: int, version: int, username: str) -> None:
        """Delete the row at ``version`` (see ``before_delete``)."""
        row = self.get(session, row_id)
        self._check_version(session, row, version)
        if self.before_delete is not None:
            self.before_delete(session, row)
        snapshot = {name: getattr(row, name) for name in self.editable}
        session.delete(row)
        flush(session, f"{self.name} {row_id}")
        audit(
            session,
            username,
            "delete",
            self.name,
            row_id,
            {"key": snapshot[self.key], "fields": snapshot, "version": version},
        )

    def key_column(self) -> Any:
        column = getattr(self.model, self.key)
        return func.upper(column) if self.fold_case else column

    def _refuse_clash(
        self, session: Session, values: Mapping[str, Any], row_id: int | None
    ) -> None:
        if not self.unique_key:
            return
        wanted = self.key_of(values[self.key])
        query = select(self.model).where(self.key_column() == wanted)
        if row_id is not None:
            query = query.where(sa_inspect(self.model).columns["id"] != row_id)
        other = session.scalars(query.limit(1)).first()
        if other is not None:
            raise Conflict(
                f"{self.name}: {self.key} {values[self.key]!r} already exists "
                f"(id {id_of(other)}); choose another {self.key} or edit that row"
            )

    def _check_version(self, session: Session, row: RowT, version: int) -> None:
        current = getattr(row, "version")  # noqa: B009
        if isinstance(version, bool) or not isinstance(version, int):
            raise FieldError("version", f"version must be a whole number, got {version!r}")
        if current != version:
            change = self.last_change(session, row)
            by = "someone else changed it"
            if change:
                by = f"changed by {change.username} at {iso(change.at)}"
            raise Conflict(
                f"{self.name} {id_of(row)} is at version {current}, not {version}: "
                f"{by}; reload it and try again",
                changed_by=change.username if change else None,
                changed_at=iso(change.at) if change else None,
            )

    def last_change(self, session: Session, row: RowT) -> AuditEntry | None:
        """The newest audit entry that wrote ``row``: its own create or update, or an import
        that updated it (imports are logged once per file, listing the keys they updated).
        None when the log holds none (a row written by plain SQL)."""
        entries = session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.entity == self.name,
                or_(AuditEntry.entity_id == str(id_of(row)), AuditEntry.action == "import"),
            )
            .order_by(AuditEntry.id.desc())
            .limit(LAST_CHANGE_SCAN)
        )
        key = self.key_of(getattr(row, self.key))
        for entry in entries:
            if entry.action != "import":
                return entry
            detail = entry.detail if isinstance(entry.detail, dict) else {}
            written = [*detail.get("created", []), *detail.get("updated", [])]
            if key in {self.key_of(k) for k in written}:
                return entry
        return None


def _type_in_use(session: Session, row: AircraftTypeRow) -> None:
    """An aircraft type a tail still uses cannot go."""
    users = [
        t.registration
        for t in session.scalars(select(Tail))
        if norm_type(t.aircraft_type) == norm_type(row.designator)
    ]
    if users:
        raise Conflict(
            f"aircraft type {row.designator!r} is used by tails {', '.join(users)}: "
            "change or delete them first"
        )


def _detach_runs(session: Session, row: ScenarioRow) -> None:
    """A scenario with a queued or running schedule run cannot go; its finished runs are
    kept, detached from it."""
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


REQUESTS: Collection[MovementRequestRow] = Collection(
    "requests", MovementRequestRow, "ref", validation.validate_request, REQUEST
)
TAILS: Collection[Tail] = Collection(
    "tails", Tail, "registration", validation.validate_tail, TAIL, fold_case=True
)
SCENARIOS: Collection[ScenarioRow] = Collection(
    "scenarios", ScenarioRow, "name", validation.validate_scenario, before_delete=_detach_runs
)
AIRFIELD_OVERRIDES: Collection[AirfieldOverrideRow] = Collection(
    "airfield_overrides",
    AirfieldOverrideRow,
    "icao",
    validation.validate_airfield_override,
    fold_case=True,
)
AIRCRAFT_TYPES: Collection[AircraftTypeRow] = Collection(
    "aircraft_types",
    AircraftTypeRow,
    "designator",
    validation.validate_aircraft_type,
    fold_case=True,
    before_delete=_type_in_use,
)

ZONES: Collection[ZoneRow] = Collection("zones", ZoneRow, "name", validation.validate_zone)
CLEARANCES: Collection[ClearanceRow] = Collection(
    "clearances", ClearanceRow, "country", validation.validate_clearance, unique_key=False
)

COLLECTIONS: dict[str, Collection[Any]] = {
    c.name: c
    for c in (REQUESTS, TAILS, SCENARIOS, AIRFIELD_OVERRIDES, AIRCRAFT_TYPES, ZONES, CLEARANCES)
}
"""Every collection by name."""


__all__ = [
    "AIRCRAFT_TYPES",
    "AIRFIELD_OVERRIDES",
    "CLEARANCES",
    "COLLECTIONS",
    "REQUESTS",
    "SCENARIOS",
    "TAILS",
    "ZONES",
    "Collection",
    "id_of",
]
