"""Read scheduling inputs: movement requests and the fleet (CSV or JSON), the scenario (TOML).

Requests and fleet files are CSV or JSON, chosen by the file suffix (``.csv`` / ``.json``).
A CSV has a header line; a JSON file holds a list of objects with the same keys, or an
object ``{"requests": [...]}`` (``{"fleet": [...]}`` for a fleet). Lists inside a CSV cell
are separated by ``;`` (``NE;ML``); JSON may also give them as arrays.

Every error is one :class:`~airlift.errors.InputError` line that names the file, the row
(CSV: the line number, the header being line 1; JSON: ``item N`` counting from 1; TOML:
the line of the key where it can be found) and the field::

    requests.csv line 5 (R005): cargo_kg must be >= 0, got -3

A request heavier than any aircraft is not an error: the scheduler splits it into lifts.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from airlift.aircraft import aircraft_type
from airlift.airfields import lookup
from airlift.atmosphere import check_oat
from airlift.errors import InputError, UnknownAircraft, UnknownAirfield
from airlift.fuel_policy import policy as fuel_policy
from airlift.scheduling.inputs import AirfieldOverride, FleetTail, MovementRequest, Scenario

Source = str | os.PathLike[str] | Traversable
"""A file path, or a packaged resource such as ``demo_dir() / "requests.csv"``."""
Row = Mapping[str, Any]
NumberedRow = tuple[str, Row]
"""A row and where it came from (``"line 5"``, ``"item 3"``), for error messages."""

REQUEST_COLUMNS = (
    "id",
    "origin",
    "destination",
    "cargo_kg",
    "pallets",
    "pax",
    "earliest_utc",
    "latest_utc",
)
REQUEST_OPTIONAL = (
    "priority",
    "optional",
    "allowed_nations",
    "allowed_types",
    "hazardous",
    "description",
)
_REQUEST_ROW_REQUIRED = ("id", "origin", "destination", "earliest_utc", "latest_utc")
"""Keys every request must have; a JSON object may leave out load keys it does not use."""

FLEET_COLUMNS = ("registration", "type", "nation", "home_base")
FLEET_OPTIONAL = ("military", "unavailable", "duty_limit_h", "max_flying_h_per_day", "operator")

SCENARIO_KEYS = (
    "name",
    "description",
    "start_utc",
    "days",
    "fuel_policy",
    "night_ops",
    "ground_mode",
    "airfield",
)
OVERRIDE_KEYS = ("fuel_available", "daylight_only", "mog", "oat_c", "closed", "hours_utc", "notes")
MAX_DAYS = 366

_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}
_NATION = re.compile(r"^[A-Z]{2,3}$")
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


class _Bad(Exception):
    """A field-level problem; the row loop adds file, row and id in front."""


def _error(message: str) -> InputError:
    """One line, whatever the user's values held."""
    return InputError(re.sub(r"\s*[\r\n]+\s*", " ", message))


def demo_dir() -> Traversable:
    """The shipped demo scenario: ``fleet.csv``, ``requests.csv``, ``scenario.toml``."""
    return resources.files("airlift") / "data" / "demo"


# --- files --------------------------------------------------------------------------------------


def _open(source: Source, kinds: Sequence[str]) -> tuple[str, str, str]:
    """(text, origin for messages, suffix) of a UTF-8 file whose suffix is one of ``kinds``."""
    path: Traversable = Path(source) if isinstance(source, str | os.PathLike) else source
    origin = str(path)
    suffix = Path(path.name).suffix.lower()
    if suffix not in kinds:
        raise _error(
            f"{origin}: unsupported file type {suffix or '(no suffix)'!r}; use {' or '.join(kinds)}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _error(f"{origin}: cannot read ({exc.strerror or exc})") from None
    return decode_text(data, origin, suffix), origin, suffix


def decode_text(data: bytes, origin: str, suffix: str) -> str:
    """The UTF-8 text of a file's bytes; a non-UTF-8 or binary file raises InputError naming
    the line (used for files on disk and for uploads alike)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _error(
            f"{origin} line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            f"save the file as UTF-8 {suffix.lstrip('.').upper()}"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _error(f"{origin} line {line}: binary data (NUL byte), not a {suffix} text file")
    return text


def _unknown_key_hint(key: str, known: Sequence[str]) -> str | None:
    """A "did you mean" for a key that looks like a misspelt known one, else None."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return close[0] if close else None


def _check_header(
    names: list[str], origin: str, required: Sequence[str], optional: Sequence[str], what: str
) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen and name:
            raise _error(f"{origin} line 1: column {name!r} appears twice")
        seen.add(name)
    for col in required:
        if col not in seen:
            raise _error(
                f"{origin} line 1: missing column {col!r}; a {what} CSV needs "
                f"{', '.join(required)} (optional: {', '.join(optional)})"
            )
    known = (*required, *optional)
    for name in names:
        hint = None if name in known else _unknown_key_hint(name, known)
        if hint:
            raise _error(f"{origin} line 1: unknown column {name!r}; did you mean {hint!r}?")


def _csv_rows(
    text: str, origin: str, required: Sequence[str], optional: Sequence[str], what: str
) -> list[NumberedRow]:
    if text.lstrip().startswith(("{", "[")):
        raise _error(f"{origin}: looks like JSON, not CSV; rename it to .json")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[NumberedRow] = []
    try:
        header = next(reader, None)
        if header is None:
            raise _error(f"{origin}: empty file; the first line must name the columns")
        names = [h.strip().lower() for h in header]
        _check_header(names, origin, required, optional, what)
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            line = reader.line_num
            if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
                raise _error(
                    f"{origin} line {line}: {len(cells)} fields but the header has "
                    f"{len(names)} (an unquoted comma in a text?)"
                )
            cells = cells + [""] * (len(names) - len(cells))
            rows.append((f"line {line}", dict(zip(names, cells, strict=False))))
    except csv.Error as exc:
        raise _error(f"{origin} line {reader.line_num}: not valid CSV ({exc})") from None
    return rows


def _json_rows(text: str, origin: str, key: str) -> list[NumberedRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(
            f"{origin} line {exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})"
        ) from None
    if isinstance(data, dict):
        if key not in data:
            raise _error(f"{origin}: expected a list of objects or {{{key!r}: [...]}}")
        data = data[key]
    if not isinstance(data, list):
        raise _error(f"{origin}: expected a list of objects, got {type(data).__name__}")
    rows: list[NumberedRow] = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise _error(f"{origin} item {n}: expected an object, got {type(item).__name__}")
        rows.append((f"item {n}", item))
    return rows


def _rows(
    source: Source, key: str, required: Sequence[str], optional: Sequence[str], what: str
) -> tuple[list[NumberedRow], str]:
    text, origin, suffix = _open(source, (".csv", ".json"))
    if suffix == ".csv":
        return _csv_rows(text, origin, required, optional, what), origin
    return _json_rows(text, origin, key), origin


def _numbered(rows: Iterable[Row | NumberedRow]) -> Iterator[NumberedRow]:
    for n, entry in enumerate(rows, start=1):
        if isinstance(entry, tuple):
            yield entry
        else:
            yield f"item {n}", entry


def _lower_keys(row: Row) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in row.items()}


def _check_keys(row: Mapping[str, Any], known: Sequence[str], required: Sequence[str]) -> None:
    for key in row:
        hint = None if key in known else _unknown_key_hint(key, known)
        if hint:
            raise _Bad(f"unknown field {key!r}; did you mean {hint!r}?")
    for key in required:
        if key not in row:
            raise _Bad(f"missing field {key!r}")


# --- fields -------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(field: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list | bool):
        raise _Bad(f"{field} must be text, got {value!r}")
    return str(value).strip()


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else repr(value)


def _number(
    field: str,
    value: Any,
    default: float | None = None,
    minimum: float | None = 0.0,
    maximum: float | None = None,
) -> float:
    if _blank(value):
        if default is None:
            raise _Bad(f"{field} is empty")
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Bad(f"{field} must be a number, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise _Bad(f"{field} must be a number, got {_shown(value)!r}") from None
    if not math.isfinite(number):
        raise _Bad(f"{field} must be a finite number, got {_shown(value)}")
    if minimum is not None and number < minimum:
        raise _Bad(f"{field} must be >= {minimum:g}, got {_shown(value)}")
    if maximum is not None and number > maximum:
        raise _Bad(f"{field} must be <= {maximum:g}, got {_shown(value)}")
    return number


def _whole(field: str, value: Any, default: int | None = 0, minimum: int | None = 0) -> int:
    number = _number(field, value, None if default is None else float(default), minimum)
    if number != int(number):
        raise _Bad(f"{field} must be a whole number, got {_shown(value)}")
    return int(number)


def _bool(field: str, value: Any, default: bool) -> bool:
    if _blank(value):
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if isinstance(value, int | float | str) and word in _TRUE | _FALSE:
        return word in _TRUE
    raise _Bad(f"{field} must be true/false, yes/no or 1/0, got {_shown(value)!r}")


def _utc(field: str, value: Any) -> datetime:
    if _blank(value):
        raise _Bad(f"{field} is empty")
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, date):
        raise _Bad(f"{field} {value.isoformat()} has no time and timezone (e.g. ...T06:00Z)")
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Bad(
                f"{field} {value.strip()!r} is not an ISO 8601 time (e.g. 2023-10-27T06:30Z)"
            ) from None
    else:
        raise _Bad(f"{field} must be an ISO 8601 time text, got {value!r}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise _Bad(f"{field} {_shown(value)!r} has no timezone: add Z for UTC")
    return when.astimezone(UTC)


def _items(field: str, value: Any) -> list[str]:
    """A ';'-separated text (CSV) or a list (JSON) of non-empty strings."""
    if _blank(value):
        return []
    if isinstance(value, list):
        parts = [_text(field, v) for v in value]
    elif isinstance(value, str):
        parts = [p.strip() for p in value.split(";")]
    else:
        raise _Bad(f"{field} must be a ';'-separated text or a list, got {value!r}")
    return [p for p in parts if p]


def _nation(field: str, value: Any) -> str:
    code = _text(field, value).upper()
    if not code:
        raise _Bad(f"{field} is empty")
    if not _NATION.match(code):
        hint = "; separate codes with ';'" if "," in code else ""
        raise _Bad(f"{field} {code!r} is not a 2- or 3-letter country code (NE, ML, BF){hint}")
    return code


def _airfield(field: str, value: Any) -> str:
    query = _text(field, value)
    if not query:
        raise _Bad(f"{field} is empty")
    try:
        return lookup(query).icao
    except UnknownAirfield as exc:
        raise _Bad(f"{field}: {exc}") from None


def _type(field: str, value: Any) -> str:
    name = _text(field, value)
    if not name:
        raise _Bad(f"{field} is empty")
    try:
        return aircraft_type(name).designator
    except UnknownAircraft as exc:
        raise _Bad(f"{field}: {exc}") from None


# --- requests -----------------------------------------------------------------------------------


def requests_from_rows(
    rows: Iterable[Row | NumberedRow], origin: str
) -> tuple[MovementRequest, ...]:
    """Validated requests from rows of raw values (text from a CSV, JSON values).

    Each row is a mapping, or a pair ``(where, mapping)`` where ``where`` (``"line 5"``)
    says where the row came from; bare mappings are numbered ``item 1``, ``item 2``...
    ``origin`` names the source (usually the file) in error messages. Airfields are
    normalised to the ICAO code :func:`airlift.airfields.lookup` returns (``BKO`` -> ``GABS``),
    times to UTC, aircraft types to their designators, nations to upper case.
    """
    known = (*REQUEST_COLUMNS, *REQUEST_OPTIONAL)
    result: list[MovementRequest] = []
    seen: dict[str, str] = {}
    for where, raw in _numbered(rows):
        here = f"{origin} {where}"
        row = _lower_keys(raw)
        try:
            rid = _text("id", row.get("id"))
            if rid:
                here += f" ({rid})"
            result.append(_request(row, known, rid, seen, where))
        except _Bad as exc:
            raise _error(f"{here}: {exc}") from None
    return tuple(result)


def _request(
    row: Row, known: Sequence[str], rid: str, seen: dict[str, str], where: str
) -> MovementRequest:
    _check_keys(row, known, _REQUEST_ROW_REQUIRED)
    if not rid:
        raise _Bad("id is empty")
    if rid in seen:
        raise _Bad(f"id {rid!r} is a duplicate of {seen[rid]}")
    seen[rid] = where
    origin = _airfield("origin", row["origin"])
    destination = _airfield("destination", row["destination"])
    if origin == destination:
        raise _Bad(f"destination {destination} is the same airfield as origin")
    cargo_kg = _number("cargo_kg", row.get("cargo_kg"), default=0.0)
    pallets = _whole("pallets", row.get("pallets"))
    pax = _whole("pax", row.get("pax"))
    if cargo_kg == 0 and pallets == 0 and pax == 0:
        raise _Bad("cargo_kg, pallets and pax are all 0: the request moves nothing")
    earliest = _utc("earliest_utc", row["earliest_utc"])
    latest = _utc("latest_utc", row["latest_utc"])
    if latest <= earliest:
        raise _Bad(
            f"latest_utc {latest:%Y-%m-%dT%H:%MZ} must be after "
            f"earliest_utc {earliest:%Y-%m-%dT%H:%MZ}"
        )
    priority = _whole("priority", row.get("priority"), default=3, minimum=None)
    if not 1 <= priority <= 4:
        raise _Bad(f"priority must be 1 (most urgent) to 4, got {_shown(row.get('priority'))}")
    return MovementRequest(
        id=rid,
        origin=origin,
        destination=destination,
        cargo_kg=cargo_kg,
        pallets=pallets,
        pax=pax,
        earliest_utc=earliest,
        latest_utc=latest,
        priority=priority,
        optional=_bool("optional", row.get("optional"), False),
        allowed_nations=frozenset(
            _nation("allowed_nations", n)
            for n in _items("allowed_nations", row.get("allowed_nations"))
        ),
        allowed_types=frozenset(
            _type("allowed_types", t) for t in _items("allowed_types", row.get("allowed_types"))
        ),
        hazardous=_bool("hazardous", row.get("hazardous"), False),
        description=_text("description", row.get("description")),
    )


def read_requests(path: Source) -> tuple[MovementRequest, ...]:
    """Movement requests from a ``.csv`` or ``.json`` file (see the module docstring).

    Columns: id, origin, destination, cargo_kg, pallets, pax, earliest_utc, latest_utc and
    optionally priority (1-4, default 3), optional (default false), allowed_nations and
    allowed_types (';'-separated, default any), hazardous (default false), description.
    """
    rows, origin = _rows(path, "requests", REQUEST_COLUMNS, REQUEST_OPTIONAL, "requests")
    requests = requests_from_rows(rows, origin)
    if not requests:
        raise _error(f"{origin}: no requests")
    return requests


# --- fleet --------------------------------------------------------------------------------------


def fleet_from_rows(rows: Iterable[Row | NumberedRow], origin: str) -> tuple[FleetTail, ...]:
    """Validated tails from rows of raw values; rows as for :func:`requests_from_rows`."""
    known = (*FLEET_COLUMNS, *FLEET_OPTIONAL)
    result: list[FleetTail] = []
    seen: dict[str, str] = {}
    for where, raw in _numbered(rows):
        here = f"{origin} {where}"
        row = _lower_keys(raw)
        try:
            reg = _text("registration", row.get("registration"))
            if reg:
                here += f" ({reg})"
            result.append(_tail(row, known, reg, seen, where))
        except _Bad as exc:
            raise _error(f"{here}: {exc}") from None
    return tuple(result)


def _tail(row: Row, known: Sequence[str], reg: str, seen: dict[str, str], where: str) -> FleetTail:
    _check_keys(row, known, FLEET_COLUMNS)
    if not reg:
        raise _Bad("registration is empty")
    if reg.upper() in seen:
        raise _Bad(f"registration {reg!r} is a duplicate of {seen[reg.upper()]}")
    seen[reg.upper()] = where
    type_name = _text("type", row["type"])
    if not type_name:
        raise _Bad("type is empty")
    try:
        atype = aircraft_type(type_name)
    except UnknownAircraft as exc:
        raise _Bad(f"type: {exc}") from None
    duty = _number("duty_limit_h", row.get("duty_limit_h"), 16.0, 0.0, 24.0)
    flying = _number("max_flying_h_per_day", row.get("max_flying_h_per_day"), 10.0, 0.0, 24.0)
    if duty == 0:
        raise _Bad("duty_limit_h must be > 0, got 0")
    if flying == 0:
        raise _Bad("max_flying_h_per_day must be > 0, got 0")
    if flying > duty:
        raise _Bad(f"max_flying_h_per_day {flying:g} exceeds duty_limit_h {duty:g}")
    return FleetTail(
        registration=reg,
        type=atype,
        nation=_nation("nation", row["nation"]),
        home_base=_airfield("home_base", row["home_base"]),
        military=_bool("military", row.get("military"), True),
        unavailable=_windows("unavailable", row.get("unavailable")),
        duty_limit_h=duty,
        max_flying_h_per_day=flying,
        operator=_text("operator", row.get("operator")),
    )


def _windows(field: str, value: Any) -> tuple[tuple[datetime, datetime], ...]:
    """``START/END;START/END`` (or a JSON list of such texts or of [start, end] pairs)."""
    windows = []
    example = "e.g. 2023-10-29T00:00Z/2023-10-31T00:00Z"
    entries: list[Any] = value if isinstance(value, list) else _items(field, value)
    for entry in entries:
        if isinstance(entry, list) and len(entry) == 2:
            start_text, end_text = entry
        elif isinstance(entry, str) and entry.count("/") == 1:
            start_text, end_text = entry.split("/")
        else:
            raise _Bad(f"{field} window {_shown(entry)!r} is not START/END ({example})")
        try:
            start = _utc(f"{field} start", start_text)
            end = _utc(f"{field} end", end_text)
        except _Bad as exc:
            raise _Bad(f"{exc} ({example})") from None
        if end <= start:
            raise _Bad(f"{field} window {_shown(entry)!r} ends before it starts")
        windows.append((start, end))
    return tuple(sorted(windows))


def read_fleet(path: Source) -> tuple[FleetTail, ...]:
    """Fleet tails from a ``.csv`` or ``.json`` file.

    Columns: registration, type, nation, home_base and optionally military (default true),
    unavailable (';'-separated ``START/END`` maintenance windows with timezone),
    duty_limit_h (default 16), max_flying_h_per_day (default 10), operator.
    """
    rows, origin = _rows(path, "fleet", FLEET_COLUMNS, FLEET_OPTIONAL, "fleet")
    tails = fleet_from_rows(rows, origin)
    if not tails:
        raise _error(f"{origin}: the fleet has no tails")
    return tails


# --- scenario -----------------------------------------------------------------------------------


def _toml_line(text: str, table: str, key: str) -> int | None:
    """The line of ``key = ...`` inside ``[table]`` ("" for the top level), or of the
    ``[table]`` header when ``key`` is empty; None when not written that way."""
    current = ""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for n, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[([^\[\]]+)\]", line)
        if header:
            current = re.sub(r"[\s\"']", "", header.group(1))
            if current == table and not key:
                return n
        elif key and current == table and pattern.match(line):
            return n
    return None


class _ScenarioReader:
    def __init__(self, text: str, origin: str) -> None:
        self.text = text
        self.origin = origin

    def fail(self, table: str, key: str, message: str) -> InputError:
        line = (_toml_line(self.text, table, key) if key else None) or (
            _toml_line(self.text, table, "") if table else None
        )
        where = f" line {line}" if line else ""
        if table:
            where += f" [{table}]"
        return _error(f"{self.origin}{where}: {message}")

    def field(self, table: str, raw: Mapping[str, Any], keys: Sequence[str]) -> None:
        for key in raw:
            if key not in keys:
                hint = _unknown_key_hint(key, keys)
                tip = f"did you mean {hint!r}?" if hint else f"known: {', '.join(keys)}"
                raise self.fail(table, key, f"unknown field {key!r}; {tip}")

    def override(self, code: str, raw: Any) -> tuple[str, AirfieldOverride]:
        table = f"airfield.{code}"
        if not isinstance(raw, dict):
            raise self.fail("airfield", code, f"{table} must be a table of overrides")
        try:
            icao = lookup(code).icao
        except UnknownAirfield as exc:
            raise self.fail(table, "", f"airfield: {exc}") from None
        self.field(table, raw, OVERRIDE_KEYS)
        key = ""
        try:
            key = "fuel_available"
            fuel = None if "fuel_available" not in raw else _bool(key, raw[key], False)
            key = "daylight_only"
            daylight = None if key not in raw else _bool(key, raw[key], False)
            key = "mog"
            mog = None if key not in raw else _whole(key, raw[key], None, minimum=0)
            if mog == 0:
                raise _Bad("mog must be >= 1, got 0 (to close the airfield: closed = true)")
            key = "oat_c"
            oat = None if key not in raw else _number(key, raw[key], None, minimum=None)
            if oat is not None:
                try:
                    check_oat(oat)
                except InputError as exc:
                    raise _Bad(f"oat_c: {exc}") from None
            key = "closed"
            closed = _bool(key, raw.get(key), False)
            key = "hours_utc"
            hours = None if key not in raw else _hours(raw[key])
            key = "notes"
            _text(key, raw.get(key))
        except _Bad as exc:
            raise self.fail(table, key, str(exc)) from None
        return icao, AirfieldOverride(
            fuel_available=fuel,
            daylight_only=daylight,
            mog=mog,
            oat_c=oat,
            closed=closed,
            hours_utc=hours,
        )

    def scenario(self, raw: dict[str, Any], default_name: str) -> Scenario:
        self.field("", raw, SCENARIO_KEYS)
        key = ""
        try:
            key = "name"
            name = _text(key, raw.get(key)) or default_name
            key = "start_utc"
            if key not in raw:
                raise _Bad("missing field 'start_utc' (e.g. \"2023-10-27T00:00:00Z\")")
            start = _utc(key, raw[key])
            key = "days"
            if key not in raw:
                raise _Bad("missing field 'days' (the length of the horizon)")
            days = _whole(key, raw[key], None, minimum=1)
            if days > MAX_DAYS:
                raise _Bad(f"days must be <= {MAX_DAYS}, got {days}")
            key = "fuel_policy"
            policy = _text(key, raw.get(key)) or "icao"
            try:
                fuel_policy(policy)
            except InputError as exc:
                raise _Bad(f"fuel_policy: {exc}") from None
            key = "night_ops"
            night = _bool(key, raw.get(key), False)
            key = "ground_mode"
            ground = _text(key, raw.get(key)) or "normal"
            if ground not in ("normal", "expedited", "ero"):
                raise _Bad(f"ground_mode must be normal, expedited or ero, got {ground!r}")
            key = "description"
            _text(key, raw.get(key))
        except _Bad as exc:
            raise self.fail("", key, str(exc)) from None
        tables = raw.get("airfield", {})
        if not isinstance(tables, dict):
            raise self.fail("", "airfield", "airfield must be tables such as [airfield.GATS]")
        overrides: dict[str, AirfieldOverride] = {}
        written: dict[str, str] = {}
        for code, table in tables.items():
            icao, override = self.override(code, table)
            if icao in overrides:
                raise self.fail(
                    f"airfield.{code}",
                    "",
                    f"{code} is {icao}, already given as [airfield.{written[icao]}]",
                )
            overrides[icao] = override
            written[icao] = code
        return Scenario(
            name=name,
            start_utc=start,
            days=days,
            fuel_policy=policy,
            overrides=overrides,
            night_ops=night,
            ground_mode=ground,
        )


def _hours(value: Any) -> tuple[str, str]:
    text = re.sub(r"\s", "", _text("hours_utc", value))
    match = _HOURS.match(text)
    if not match:
        raise _Bad(f'hours_utc must be "HH:MM-HH:MM" (UTC, e.g. 06:00-18:00), got {text!r}')
    opens, closes = text.split("-")
    if opens == closes:
        raise _Bad(f"hours_utc {text!r} opens and closes at the same time (closed = true?)")
    return opens, closes


def read_scenario(path: Source) -> Scenario:
    """The scenario from a TOML file: name, start_utc, days, fuel_policy (default "icao"),
    night_ops (default false), ground_mode (normal, expedited or ero; default normal) and
    ``[airfield.ICAO]`` override tables (fuel_available,
    daylight_only, mog, oat_c, closed, hours_utc as "HH:MM-HH:MM", notes)."""
    text, origin, _ = _open(path, (".toml",))
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib ends its messages with "(at line N, column M)": lead with the line instead.
        found = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", str(exc))
        if found:
            what, line, column = found.groups()
            raise _error(
                f"{origin} line {line}: not valid TOML ({what}, column {column})"
            ) from None
        raise _error(f"{origin}: not valid TOML ({exc})") from None
    stem = Path(Path(origin).name).stem
    return _ScenarioReader(text, origin).scenario(raw, stem)


def default_scenario(requests: Sequence[MovementRequest]) -> Scenario:
    """A horizon for requests given without a scenario: from midnight UTC of the earliest
    request's day, whole days until the latest delivery."""
    if not requests:
        raise InputError("no requests: cannot choose a planning horizon")
    first = min(r.earliest_utc for r in requests).astimezone(UTC)
    last = max(r.latest_utc for r in requests)
    start = datetime.combine(first.date(), time(0), UTC)
    days = max(1, math.ceil((last - start) / timedelta(days=1)))
    return Scenario(name=f"requests from {start:%Y-%m-%d}, {days} d", start_utc=start, days=days)


def check_horizon(
    scenario: Scenario, requests: Sequence[MovementRequest]
) -> tuple[MovementRequest, ...]:
    """The requests whose window lies wholly outside the horizon [start, end).

    Raises InputError when that is every request: the horizon is surely wrong."""
    start, end = scenario.start_utc, scenario.end_utc
    outside = tuple(r for r in requests if not (r.earliest_utc < end and r.latest_utc > start))
    if requests and len(outside) == len(requests):
        first = min(r.earliest_utc for r in requests)
        last = max(r.latest_utc for r in requests)
        raise _error(
            f"scenario {scenario.name!r} runs {start:%Y-%m-%dT%H:%MZ} to {end:%Y-%m-%dT%H:%MZ} "
            f"({scenario.days} d) but every request lies outside it (requests run "
            f"{first:%Y-%m-%dT%H:%MZ} to {last:%Y-%m-%dT%H:%MZ}): change start_utc or days"
        )
    return outside


__all__ = [
    "FLEET_COLUMNS",
    "REQUEST_COLUMNS",
    "check_horizon",
    "default_scenario",
    "demo_dir",
    "fleet_from_rows",
    "read_fleet",
    "read_requests",
    "read_scenario",
    "requests_from_rows",
]
