"""The exception hierarchy. Every message names what was wrong and, where it can, how to fix it.

The CLI maps any :class:`AirliftError` to one line on stderr and exit status 2; the web app
maps them to 4xx answers (:class:`FieldError`: 422 with its ``field``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class AirliftError(Exception):
    """Base of every error airlift raises on purpose (bad input or bad data)."""


class InputError(AirliftError, ValueError):
    """A value given by the user is malformed or out of range (negative, NaN, bad format)."""


@dataclass(frozen=True, slots=True)
class Where:
    """Where a value came from: ``file`` (or another source, such as a CLI option), its
    ``row`` (a line, the header being line 1, or a JSON item number, as ``unit`` says), the
    row's own key ``record`` (a request's ref, a tail's registration) and a TOML table
    ``section`` (``airfield.GATS``). Every part is optional."""

    file: str = ""
    row: int | None = None
    unit: str = "line"
    record: str = ""
    section: str = ""

    def __str__(self) -> str:
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(f"{self.unit} {self.row}")
        if self.section:
            parts.append(f"[{self.section}]" if parts else self.section)
        if self.record:
            parts.append(f"({self.record})")
        return " ".join(parts)


class FieldError(InputError):
    """One value is wrong: ``field`` names it (a dotted path into nested values, such as
    ``overrides.GATS.mog``; None when the problem is the file's as a whole, such as bad
    UTF-8), ``reason`` says why in one line that names the field, ``where`` says where it
    came from. Readers and validators raise it; the CLI prints ``str()`` (``requests.csv
    line 5 (R005): cargo_kg must be >= 0, got -3``), the API answers 422 with ``detail`` =
    ``str()`` and ``field``, an import report lists (row, field, reason). ``suggestions``:
    the closest known values, for a name that matched none (an airfield: the API's 422
    lists them, a form offers them)."""

    def __init__(
        self,
        field: str | None,
        reason: str,
        where: Where | None = None,
        suggestions: tuple[str, ...] = (),
    ) -> None:
        self.field = field or None
        self.reason = _one_line(reason)
        self.where = where or Where()
        self.suggestions = tuple(suggestions)
        place = str(self.where)
        super().__init__(f"{place}: {self.reason}" if place else self.reason)

    def __reduce__(
        self,
    ) -> tuple[type[FieldError], tuple[str | None, str, Where, tuple[str, ...]]]:
        return FieldError, (self.field, self.reason, self.where, self.suggestions)

    @property
    def file(self) -> str:
        return self.where.file

    @property
    def row(self) -> int | None:
        return self.where.row

    def at(
        self,
        file: str | None = None,
        row: int | None = None,
        unit: str | None = None,
        record: str | None = None,
        section: str | None = None,
    ) -> FieldError:
        """The same error with the given parts of its place filled in (the others kept)."""
        w = self.where
        where = Where(
            w.file if file is None else file,
            w.row if row is None else row,
            w.unit if unit is None else unit,
            w.record if record is None else record,
            w.section if section is None else section,
        )
        return FieldError(self.field, self.reason, where, self.suggestions)

    def inside(self, path: str) -> FieldError:
        """The same error about a field nested under ``path`` (``overrides.GATS``)."""
        field = f"{path}.{self.field}" if self.field else path
        return FieldError(field, self.reason, self.where, self.suggestions)


def _one_line(text: str) -> str:
    """One line, whatever the user's values held."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text)


class NotFound(AirliftError, LookupError):
    """No stored row with that id (HTTP 404)."""


class Conflict(AirliftError):
    """The write clashes with stored data: a stale ``version`` (someone else changed the
    row first), a natural key that exists already, or a row still in use (HTTP 409).

    For a stale version, ``changed_by`` and ``changed_at`` (ISO 8601 UTC) name the newest
    change the audit log holds for the row, when it holds one."""

    def __init__(
        self, message: str, *, changed_by: str | None = None, changed_at: str | None = None
    ) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


class UnknownAirfield(AirliftError, LookupError):
    """No airfield matches the code or name; the message lists the closest suggestions."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown airfield {query!r}{hint}")


class UnknownAircraft(AirliftError, LookupError):
    """No aircraft type or tail matches the name."""

    def __init__(self, query: str, known: list[str]) -> None:
        self.query = query
        super().__init__(
            f"unknown aircraft type or tail {query!r}; closest: {', '.join(known)} "
            "(all types: airlift aircraft list)"
        )


class DataFileError(AirliftError):
    """A shipped or user-supplied data file is unreadable or is not what it claims to be."""


class RunwayClosed(AirliftError):
    """Every runway at an airfield the plan uses is closed."""
