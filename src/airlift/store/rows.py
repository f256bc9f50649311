"""What every store part shares: flushing with the database's refusals as
:class:`~airlift.errors.Conflict`, the audit log, column limits, rows as JSON-ready data.

Every store function takes the caller's :class:`~sqlalchemy.orm.Session` and never commits:
run it inside :func:`airlift.store.db.transaction`, so that a failure (a
:class:`~airlift.errors.FieldError`, a :class:`~airlift.errors.Conflict`, anything) rolls the
whole unit of work back and nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from airlift.errors import Conflict, FieldError
from airlift.store.models import AuditEntry, Base, utcnow

INT_MAX = 2**31 - 1
"""The largest value every supported database stores in an INTEGER column."""
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "csrf_token"})
"""Never shown by :func:`row_dict`."""


def iso(value: datetime) -> str:
    """ISO 8601 UTC with ``Z``."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def jsonable(value: Any) -> Any:
    """``value`` with datetimes as ISO texts and tuples as lists, for JSON columns."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def row_dict(row: Base) -> dict[str, Any]:
    """A row as JSON-ready data: every column (``id``, ``version`` included, secrets such as
    password and token hashes left out), times as ISO 8601 UTC with ``Z``."""
    return {
        attr.key: jsonable(getattr(row, attr.key))
        for attr in sa_inspect(type(row)).column_attrs
        if attr.key not in SECRET_COLUMNS
    }


def check_columns(
    model: type[Base], values: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> None:
    """What the readers do not know: column widths and 32-bit integers (PostgreSQL). A field
    is named as ``names`` (column -> the input's name) says, else by its column."""
    for column in sa_inspect(model).columns:
        value = values.get(column.key)
        name = (names or {}).get(column.key, column.key)
        length = getattr(column.type, "length", None) if isinstance(column.type, String) else None
        if length and isinstance(value, str) and len(value) > length:
            raise FieldError(name, f"{name} must be at most {length} characters, got {len(value)}")
        if (
            isinstance(column.type, Integer)
            and isinstance(value, int)
            and not -INT_MAX <= value <= INT_MAX
        ):
            raise FieldError(name, f"{name} {value} is out of range")


def flush(session: Session, what: str) -> None:
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


def audit(
    session: Session,
    username: str,
    action: str,
    entity: str,
    entity_id: Any,
    detail: Mapping[str, Any],
) -> None:
    """Add an entry to the audit log (written with the caller's transaction)."""
    session.add(
        AuditEntry(
            at=utcnow(),
            username=username[:64],
            action=action[:32],
            entity=entity[:32],
            entity_id=str(entity_id if entity_id is not None else "")[:64],
            detail=jsonable(dict(detail)),
        )
    )
