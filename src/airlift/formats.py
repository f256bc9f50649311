"""JSON, TOML and CSV text parsed strictly, with one-line errors naming the file and line.

The standard library's parsers are used (they are correct and fast); this module only makes
their failure modes into :class:`~airlift.errors.FieldError`: deep nesting (``RecursionError``),
integers beyond Python's 4,300-digit limit (``ValueError``), a CSV field over the size limit,
and an unclosed CSV quote, which the csv module in its default mode silently closes at the
end of the file, swallowing every following row into one field.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any

from airlift.errors import FieldError, Where

_TOML_AT = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$")


def json_loads(text: str, origin: str) -> Any:
    """The JSON value of ``text``; any failure is one FieldError naming ``origin``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON ({exc.msg}, column {exc.colno})"
        raise FieldError(None, reason, Where(origin, exc.lineno)) from None
    except RecursionError:
        raise FieldError(None, "not usable JSON: nested too deeply", Where(origin)) from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise FieldError(None, f"not usable JSON ({exc})", Where(origin)) from None


def toml_loads(text: str, origin: str) -> dict[str, Any]:
    """The TOML table of ``text``; any failure is one FieldError naming ``origin`` (and the
    line, where tomllib gives one)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_AT.search(str(exc))
        if found:
            what, line, column = found.groups()
            reason = f"not valid TOML ({what}, column {column})"
            raise FieldError(None, reason, Where(origin, int(line))) from None
        raise FieldError(None, f"not valid TOML ({exc})", Where(origin)) from None
    except RecursionError:
        raise FieldError(None, "not usable TOML: nested too deeply", Where(origin)) from None
    except ValueError as exc:
        raise FieldError(None, f"not usable TOML ({exc})", Where(origin)) from None


def csv_rows(text: str, origin: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of CSV ``text`` with the line each starts on (the header is line 1).

    Strict: a quote left open is an error naming the line where its field began, as is a
    field over the csv module's size limit (128 KiB) or a NUL character."""
    if "\x00" in text:  # the csv module takes it as text since Python 3.11
        line = text[: text.index("\x00")].count("\n") + 1
        raise FieldError(None, "binary data (NUL byte), not a CSV text file", Where(origin, line))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "unexpected end of data" in message:
                message = "a quote opened here is never closed"
            elif "field larger than field limit" in message:
                message = f"a field is longer than {csv.field_size_limit():,} characters"
            raise FieldError(None, f"not valid CSV: {message}", Where(origin, start)) from None
        yield start, cells


__all__ = ["csv_rows", "json_loads", "toml_loads"]
