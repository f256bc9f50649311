"""Raw values (CSV text, JSON and TOML values) to checked field values, one field at a time.

Every function takes the field's name, as the input spells it, and raises
:class:`~airlift.errors.FieldError` with that name and a reason that names it; the readers
add the file and row.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from airlift.aircraft import AircraftType, aircraft_type
from airlift.airfields import Airfield, lookup
from airlift.errors import FieldError, UnknownAircraft, UnknownAirfield

_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}
_NATION = re.compile(r"^[A-Z]{2,3}$")
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
_UN_NUMBER = re.compile(r"^(?:UN)?\s*(\d{4})$")
_ICAO24 = re.compile(r"^[0-9a-f]{6}$")

DG_CLASSES: frozenset[str] = frozenset(
    {"2.1", "2.2", "2.3", "3", "4.1", "4.2", "4.3", "5.1", "5.2", "6.1", "6.2", "7", "8", "9"}
    | {f"1.1{g}" for g in "ABCDEFGJL"}
    | {f"1.2{g}" for g in "BCDEFGHJKL"}
    | {f"1.3{g}" for g in "CFGHJKL"}
    | {f"1.4{g}" for g in "BCDEFGS"}
    | {"1.5D", "1.6N"}
)
"""The dangerous-goods classes and divisions of the UN Model Regulations (ST/SG/AC.10/1,
part 2), as the ICAO Technical Instructions and the IATA DGR list them on a NOTOC. Class 1
(explosives) names its division and compatibility group (``1.4S``: small-arms cartridges),
only in the combinations of the Model Regulations' classification codes (2.1.2.4); classes
2, 4, 5 and 6 name their division (``2.1``, ``6.1``)."""

TypeResolver = Callable[[str], AircraftType]
"""An aircraft type by name: the shipped ones (:func:`airlift.aircraft.aircraft_type`), or
the store's, which knows user-added types too."""


HORIZON = (datetime(1970, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
"""Times a plan may name: a year outside is a typo (year 1, 9999), and would overflow the
date arithmetic of windows, duty days and sunrise tables downstream."""
MAX_REQUEST_KG = 10_000_000.0
"""The largest load one movement request may name (10,000 t, 130 C-17 loads): beyond it is a
unit slip or a typo, not a demand an airlift cell plans as one request."""
MAX_HEADS = 100_000
"""The most pallets or passengers one request may name (a division's worth)."""
MAX_REGISTRATION = 16
"""The longest tail registration (the API's and the database's bound; real ones are under 10)."""


def bad(field: str, reason: str) -> FieldError:
    """A problem of one field, not yet located."""
    return FieldError(field, reason)


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else repr(value)


def unknown_key_hint(key: str, known: Sequence[str]) -> str | None:
    """A "did you mean" for a key that looks like a misspelt known one, else None."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return close[0] if close else None


def check_keys(row: Mapping[str, Any], known: Sequence[str], required: Sequence[str]) -> None:
    """A key that looks like a misspelt known one, or a missing required key, is an error
    naming it (other unknown keys are left alone: files may carry notes)."""
    for key in row:
        hint = None if key in known else unknown_key_hint(key, known)
        if hint:
            raise bad(key, f"unknown field {key!r}; did you mean {hint!r}?")
    for key in required:
        if key not in row:
            raise bad(key, f"missing field {key!r}")


def text(field: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list | bool):
        raise bad(field, f"{field} must be text, got {value!r}")
    return str(value).strip()


def number(
    field: str,
    value: Any,
    default: float | None = None,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    why: str = "",
) -> float:
    """A finite number from ``minimum`` to ``maximum``; ``why`` (`` (a unit slip?)``) says
    why the maximum is there."""
    if blank(value):
        if default is None:
            raise bad(field, f"{field} is empty")
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise bad(field, f"{field} must be a number, got {value!r}")
    try:
        result = float(value)
    except ValueError:
        raise bad(field, f"{field} must be a number, got {shown(value)!r}") from None
    if not math.isfinite(result):
        raise bad(field, f"{field} must be a finite number, got {shown(value)}")
    if minimum is not None and result < minimum:
        raise bad(field, f"{field} must be >= {minimum:g}, got {shown(value)}")
    if maximum is not None and result > maximum:
        raise bad(field, f"{field} must be <= {maximum:g}{why}, got {shown(value)}")
    return result


def whole(
    field: str,
    value: Any,
    default: int | None = 0,
    minimum: int | None = 0,
    maximum: int | None = MAX_HEADS,
    why: str = "",
) -> int:
    result = number(
        field, value, None if default is None else float(default), minimum, maximum, why
    )
    if result != int(result):
        raise bad(field, f"{field} must be a whole number, got {shown(value)}")
    return int(result)


def boolean(field: str, value: Any, default: bool) -> bool:
    if blank(value):
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if isinstance(value, int | float | str) and word in _TRUE | _FALSE:
        return word in _TRUE
    raise bad(field, f"{field} must be true/false, yes/no or 1/0, got {shown(value)!r}")


def utc(field: str, value: Any, label: str = "") -> datetime:
    """An aware time in UTC; ``label`` (default: the field) is what the reason calls it."""
    said = label or field
    if blank(value):
        raise bad(field, f"{said} is empty")
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, date):
        raise bad(field, f"{said} {value.isoformat()} has no time and timezone (e.g. ...T06:00Z)")
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            raise bad(
                field, f"{said} {value.strip()!r} is not an ISO 8601 time (e.g. 2023-10-27T06:30Z)"
            ) from None
    else:
        raise bad(field, f"{said} must be an ISO 8601 time text, got {value!r}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise bad(field, f"{said} {shown(value)!r} has no timezone: add Z for UTC")
    try:
        when = when.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00
        when = HORIZON[0].replace(year=1)
    return in_horizon(field, when, said, shown(value))


def in_horizon(field: str, when: datetime, label: str = "", given: str = "") -> datetime:
    """``when`` (aware) if it lies within :data:`HORIZON`; ``label`` (default: the field) is
    what the reason calls it, ``given`` how the user wrote it (default: ISO 8601)."""
    if not HORIZON[0] <= when < HORIZON[1]:
        raise bad(
            field,
            f"{label or field} {given or when.isoformat()!r} is outside the planning horizon "
            f"{HORIZON[0]:%Y}-{HORIZON[1].year - 1}",
        )
    return when


def items(field: str, value: Any) -> list[str]:
    """A ';'-separated text (CSV) or a list (JSON) of non-empty strings."""
    if blank(value):
        return []
    if isinstance(value, list):
        parts = [text(field, v) for v in value]
    elif isinstance(value, str):
        parts = [p.strip() for p in value.split(";")]
    else:
        raise bad(field, f"{field} must be a ';'-separated text or a list, got {value!r}")
    return [p for p in parts if p]


def registration(field: str, value: Any) -> str:
    """A tail registration: not empty, at most :data:`MAX_REGISTRATION` characters."""
    reg = text(field, value)
    if not reg:
        raise bad(field, f"{field} is empty")
    if len(reg) > MAX_REGISTRATION:
        raise bad(field, f"{field} must be at most {MAX_REGISTRATION} characters, got {len(reg)}")
    return reg


def nation(field: str, value: Any) -> str:
    code = text(field, value).upper()
    if not code:
        raise bad(field, f"{field} is empty")
    if not _NATION.match(code):
        hint = "; separate codes with ';'" if "," in code else ""
        raise bad(
            field, f"{field} {code!r} is not a 2- or 3-letter country code (NE, ML, BF){hint}"
        )
    return code


def airfield(field: str, value: Any) -> str:
    """The ICAO code of a known airfield (ICAO, IATA or name)."""
    return known_airfield(field, value).icao


def known_airfield(field: str, value: Any) -> Airfield:
    """A known airfield by ICAO, IATA or name."""
    query = text(field, value)
    if not query:
        raise bad(field, f"{field} is empty: name an airfield (ICAO, IATA or name)")
    try:
        return lookup(query)
    except UnknownAirfield as exc:
        raise FieldError(field, f"{field}: {exc}", suggestions=tuple(exc.suggestions)) from None


def aircraft(field: str, value: Any, resolve: TypeResolver = aircraft_type) -> AircraftType:
    """A known aircraft type by name."""
    name = text(field, value)
    if not name:
        raise bad(field, f"{field} is empty")
    try:
        return resolve(name)
    except UnknownAircraft as exc:
        raise bad(field, f"{field}: {exc}") from None


def windows(field: str, value: Any) -> tuple[tuple[datetime, datetime], ...]:
    """``START/END;START/END`` (or a JSON list of such texts or of [start, end] pairs)."""
    found = []
    example = "e.g. 2023-10-29T00:00Z/2023-10-31T00:00Z"
    entries: list[Any] = value if isinstance(value, list) else items(field, value)
    for entry in entries:
        if isinstance(entry, list) and len(entry) == 2:
            start_text, end_text = entry
        elif isinstance(entry, str) and entry.count("/") == 1:
            start_text, end_text = entry.split("/")
        else:
            raise bad(field, f"{field} window {shown(entry)!r} is not START/END ({example})")
        try:
            start = utc(field, start_text, f"{field} start")
            end = utc(field, end_text, f"{field} end")
        except FieldError as exc:
            raise bad(field, f"{exc.reason} ({example})") from None
        if end <= start:
            raise bad(field, f"{field} window {shown(entry)!r} ends before it starts")
        found.append((start, end))
    return tuple(sorted(found))


def hours(field: str, value: Any) -> tuple[str, str]:
    """Opening hours ``"HH:MM-HH:MM"`` (UTC) as (opens, closes)."""
    spec = re.sub(r"\s", "", text(field, value))
    if not _HOURS.match(spec):
        raise bad(field, f'{field} must be "HH:MM-HH:MM" (UTC, e.g. 06:00-18:00), got {spec!r}')
    opens, closes = spec.split("-")
    if opens == closes:
        raise bad(field, f"{field} {spec!r} opens and closes at the same time (closed = true?)")
    return opens, closes


def dg_class(field: str, value: Any) -> str:
    """A dangerous-goods class or division (:data:`DG_CLASSES`), upper case; "" if blank."""
    code = re.sub(r"\s", "", text(field, value)).upper()
    if not code:
        return ""
    if code in DG_CLASSES:
        return code
    if code in {"1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6"}:
        hint = "class 1 needs its division and compatibility group, e.g. 1.4S"
    elif code in {"2", "4", "5", "6"}:
        hint = f"class {code} needs its division, e.g. {code}.1"
    else:
        hint = "e.g. 3 (flammable liquids), 1.4S (small-arms cartridges), 2.1, 8, 9"
    raise bad(field, f"{field} {shown(value)!r} is not a UN dangerous-goods class ({hint})")


def un_number(field: str, value: Any) -> str:
    """A UN number as ``UN`` + 4 digits (``UN1863``; ``1863`` is accepted); "" if blank."""
    code = text(field, value).upper()
    if not code:
        return ""
    found = _UN_NUMBER.match(code)
    if not found or found.group(1) == "0000":
        reason = f"{field} {shown(value)!r} is not a UN number (UN and 4 digits, e.g. UN1863)"
        raise bad(field, reason)
    return f"UN{found.group(1)}"


def icao24(field: str, value: Any) -> str:
    """An ICAO 24-bit aircraft address as 6 hex digits, lower case (``062a01``); "" if blank.
    All zeros and all ones are not addresses (Annex 10 Vol III, Part I, 9.1.1)."""
    code = text(field, value).lower()
    code = code.removeprefix("0x")
    if not code:
        return ""
    if not _ICAO24.match(code):
        example = "6 hex digits, e.g. 062a01"
        raise bad(field, f"{field} {shown(value)!r} is not an ICAO 24-bit address ({example})")
    if code in {"000000", "ffffff"}:
        raise bad(field, f"{field} {code} is reserved, not an aircraft address")
    return code


def dangerous_goods(row: Mapping[str, Any]) -> tuple[str, str]:
    """A row's ``dg_class`` and ``un_number`` (each "" if blank); a UN number needs its class."""
    dg = dg_class("dg_class", row.get("dg_class"))
    un = un_number("un_number", row.get("un_number"))
    if un and not dg:
        raise bad("un_number", f"un_number {un} needs its dg_class (e.g. 3 for UN1863)")
    return dg, un
