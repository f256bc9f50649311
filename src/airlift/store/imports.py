"""Imports of uploaded request and fleet files (CSV or JSON, the ``airlift schedule``
formats) into their collections: every row validated, every problem reported as (row,
field, reason), then an all-or-nothing upsert by natural key (request ref, tail
registration)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airlift.errors import FieldError, InputError, Where
from airlift.scheduling import readers
from airlift.scheduling.fields import Fields
from airlift.scheduling.values import blank
from airlift.store.collections import IGNORED_KEYS, REQUESTS, TAILS, Collection
from airlift.store.rows import audit, flush

_ENTITIES: dict[str, readers.Entity] = {REQUESTS.name: "requests", TAILS.name: "fleet"}
IMPORTABLE = tuple(_ENTITIES)
"""The collections files are imported into."""


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


def _fields(collection: Collection[Any]) -> Fields:
    if collection.name not in _ENTITIES or collection.fields is None:
        raise InputError(f"cannot import {collection.name}; importable: {', '.join(IMPORTABLE)}")
    return collection.fields


def parse_upload(
    collection: Collection[Any], filename: str, content: bytes
) -> list[dict[str, Any]]:
    """The rows of an uploaded CSV or JSON file (chosen by the name's suffix), each with its
    ``"_line"``: the CSV line (header = line 1) or the JSON item number. A file that cannot
    be read as such (encoding, syntax, header) raises :class:`~airlift.errors.FieldError`."""
    _fields(collection)
    name = Path(filename.replace("\\", "/")).name or "upload"
    table = readers.table_of_bytes(content, name, _ENTITIES[collection.name])
    rows = [{**dict(row), "_line": n} for n, row in table.rows]
    if not rows:
        raise FieldError(None, "no rows", Where(name))
    return rows


def _file_row(fields: Fields, key: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """An imported row with the file's names. A row exported from the API is read too: its
    column names (``ref``, ``aircraft_type``) are mapped, its database ``id`` and
    ``version`` dropped."""
    to_file = fields.renamed("column", "file")
    row = {str(k).strip().lower(): v for k, v in raw.items() if k != "_line"}
    exported = key in row and key in to_file
    for ignored in IGNORED_KEYS:
        if exported or ignored not in to_file.values():
            row.pop(ignored, None)
    for column, file_name in to_file.items():
        if column in row and file_name not in row:
            row[file_name] = row.pop(column)
    return row


def _line_of(raw: Mapping[str, Any], index: int) -> int:
    line = raw.get("_line", index)
    return line if isinstance(line, int) and not isinstance(line, bool) else index


KEYS_PER_QUERY = 500
"""Natural keys looked up per query (well under every database's bound-parameter limit)."""


def _existing(session: Session, collection: Collection[Any], keys: list[str]) -> dict[str, Any]:
    """The stored rows among ``keys`` (as compared: ``key_of``), by key: only those rows are
    loaded, so an import costs its own size, not the table's."""
    found: dict[str, Any] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        query = select(collection.model).where(collection.key_column().in_(chunk))
        for row in session.scalars(query):
            found[collection.key_of(getattr(row, collection.key))] = row
    return found


def import_rows(
    session: Session,
    collection: Collection[Any],
    rows: list[dict[str, Any]],
    username: str,
    good_rows_only: bool = False,
) -> ImportReport:
    """Validate every row of an uploaded file, then upsert by natural key.

    Every problem is reported (row, field, reason), duplicate keys within the file too. With
    any problem nothing is stored, unless ``good_rows_only``: then the good rows are."""
    fields = _fields(collection)
    if not rows:
        raise InputError(f"no {collection.name} rows to import")
    key_field = fields.renamed("column", "file").get(collection.key, collection.key)
    errors: list[RowError] = []
    good: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows, start=1):
        if not isinstance(raw, Mapping):
            errors.append(RowError(index, "", f"expected an object, got {type(raw).__name__}"))
            continue
        line = _line_of(raw, index)
        row = _file_row(fields, collection.key, raw)
        key = row.get(key_field)
        duplicate = None
        if not blank(key) and not isinstance(key, dict | list | bool):
            folded = collection.key_of(key)
            if folded in seen:
                duplicate = RowError(
                    line,
                    key_field,
                    f"{key_field} {str(key).strip()!r} is a duplicate of line {seen[folded]}",
                )
            else:
                seen[folded] = line
        try:
            values = collection.validate(session, row, "file")
        except FieldError as exc:
            errors.append(RowError(line, exc.field or "", exc.reason))
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
    key = collection.key
    existing = _existing(session, collection, [collection.key_of(v[key]) for _, v in good])
    created: list[str] = []
    updated: list[str] = []
    for _, values in good:
        target = existing.get(collection.key_of(values[key]))
        if target is None:
            session.add(collection.model(**values))
            created.append(values[key])
            continue
        changed = {n: v for n, v in values.items() if getattr(target, n) != v}
        for name, value in changed.items():
            setattr(target, name, value)
        if changed:
            updated.append(values[key])
    flush(session, f"import of {collection.name}")
    audit(
        session,
        username,
        "import",
        collection.name,
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
