"""Read scheduling inputs: movement requests and the fleet (CSV or JSON), the scenario (TOML).

Requests and fleet files are CSV or JSON, chosen by the file suffix (``.csv`` / ``.json``).
A CSV has a header line; a JSON file holds a list of objects with the same keys, or an
object ``{"requests": [...]}`` (``{"fleet": [...]}`` for a fleet). Lists inside a CSV cell
are separated by ``;`` (``NE;ML``); JSON may also give them as arrays. The columns are those
of :mod:`airlift.scheduling.fields`.

Every error is a :class:`~airlift.errors.FieldError`: one line that names the file, the row
(CSV: the line number, the header being line 1; JSON: ``item N`` counting from 1; TOML: the
line of the key where it can be found) and the field::

    requests.csv line 5 (R005): cargo_kg must be >= 0, got -3

The one-row functions (:func:`request_from_row`, :func:`tail_from_row`,
:func:`scenario_from_table`, :func:`override_from_table`) also read rows named as the
database names them (``naming="column"``: API bodies); the store validates with them.

A request heavier than any aircraft is not an error: the scheduler splits it into lifts.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from airlift.aircraft import Tail, aircraft_type
from airlift.airfields import lookup
from airlift.atmosphere import check_oat
from airlift.errors import FieldError, InputError, UnknownAirfield, Where
from airlift.formats import csv_rows, json_loads, toml_loads
from airlift.fuel_policy import policy as fuel_policy
from airlift.scheduling import values as v
from airlift.scheduling.fields import OVERRIDE, REQUEST, SCENARIO, TAIL, Fields, Naming
from airlift.scheduling.inputs import AirfieldOverride, FleetTail, MovementRequest, Scenario

Source = str | os.PathLike[str] | Traversable
"""A file path, or a packaged resource such as ``demo_dir() / "requests.csv"``."""
Row = Mapping[str, Any]
NumberedRow = tuple[int, Row]
"""A row and its number in the file (a line, or a JSON item), for error messages."""
Entity = Literal["requests", "fleet"]

REQUEST_COLUMNS = REQUEST.header()
REQUEST_OPTIONAL = REQUEST.optional_columns()
FLEET_COLUMNS = TAIL.header()
FLEET_OPTIONAL = TAIL.optional_columns()
SCENARIO_KEYS = SCENARIO.keys("file")
OVERRIDE_KEYS = OVERRIDE.keys("file")
MAX_DAYS = 366
GROUND_MODES = ("normal", "expedited", "ero")

_FILE_FIELDS: dict[Entity, Fields] = {"requests": REQUEST, "fleet": TAIL}


def demo_dir() -> Traversable:
    """The shipped demo scenario: ``fleet.csv``, ``requests.csv``, ``scenario.toml``."""
    return resources.files("airlift") / "data" / "demo"


def _fail(reason: str, file: str, row: int | None = None, field: str | None = None) -> FieldError:
    return FieldError(field, reason, Where(file, row))


# --- files --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of a requests or fleet file, each with its number: CSV line (``unit``
    "line") or JSON item (``unit`` "item")."""

    origin: str
    unit: str
    rows: list[NumberedRow]


def _open(source: Source, kinds: Sequence[str]) -> tuple[str, str, str]:
    """(text, origin for messages, suffix) of a UTF-8 file whose suffix is one of ``kinds``."""
    path: Traversable = Path(source) if isinstance(source, str | os.PathLike) else source
    origin = str(path)
    suffix = _suffix(origin, path.name, kinds)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read ({exc.strerror or exc})", origin) from None
    return decode_text(data, origin, suffix), origin, suffix


def _suffix(origin: str, name: str, kinds: Sequence[str]) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in kinds:
        raise _fail(
            f"unsupported file type {suffix or '(no suffix)'!r}; use {' or '.join(kinds)}", origin
        )
    return suffix


def decode_text(data: bytes, origin: str, suffix: str) -> str:
    """The UTF-8 text of a file's bytes; a non-UTF-8 or binary file raises FieldError naming
    the line (used for files on disk and for uploads alike)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            f"save the file as UTF-8 {suffix.lstrip('.').upper()}",
            origin,
            line,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _fail(f"binary data (NUL byte), not a {suffix} text file", origin, line)
    return text


def _check_header(names: list[str], origin: str, fields: Fields, what: str) -> None:
    required, optional = fields.header(), fields.optional_columns()
    seen: set[str] = set()
    for name in names:
        if name in seen and name:
            raise _fail(f"column {name!r} appears twice", origin, 1, name)
        seen.add(name)
    for col in required:
        if col not in seen:
            raise _fail(
                f"missing column {col!r}; a {what} CSV needs "
                f"{', '.join(required)} (optional: {', '.join(optional)})",
                origin,
                1,
                col,
            )
    known = (*required, *optional)
    for name in names:
        hint = None if name in known else v.unknown_key_hint(name, known)
        if hint:
            raise _fail(f"unknown column {name!r}; did you mean {hint!r}?", origin, 1, name)


def _csv_rows(text: str, origin: str, fields: Fields, what: str) -> list[NumberedRow]:
    if text.lstrip().startswith(("{", "[")):
        raise _fail("looks like JSON, not CSV; rename it to .json", origin)
    lines = csv_rows(text, origin)
    first = next(lines, None)
    if first is None:
        raise _fail("empty file; the first line must name the columns", origin)
    names = [h.strip().lower() for h in first[1]]
    _check_header(names, origin, fields, what)
    rows: list[NumberedRow] = []
    for line, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            raise _fail(
                f"{len(cells)} fields but the header has {len(names)} "
                "(an unquoted comma in a text?)",
                origin,
                line,
            )
        cells = cells + [""] * (len(names) - len(cells))
        rows.append((line, dict(zip(names, cells, strict=False))))
    return rows


def _json_rows(text: str, origin: str, key: str) -> list[NumberedRow]:
    data = json_loads(text, origin)
    if isinstance(data, dict):
        if key not in data:
            raise _fail(f"expected a list of objects or {{{key!r}: [...]}}", origin)
        data = data[key]
    if not isinstance(data, list):
        raise _fail(f"expected a list of objects, got {type(data).__name__}", origin)
    rows: list[NumberedRow] = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise FieldError(
                None, f"expected an object, got {type(item).__name__}", Where(origin, n, "item")
            )
        rows.append((n, item))
    return rows


def table_of_text(text: str, origin: str, suffix: str, entity: Entity) -> Table:
    """The rows of a requests or fleet file's text, CSV or JSON as ``suffix`` says."""
    if suffix == ".csv":
        return Table(origin, "line", _csv_rows(text, origin, _FILE_FIELDS[entity], entity))
    return Table(origin, "item", _json_rows(text, origin, entity))


def table_of_bytes(data: bytes, name: str, entity: Entity) -> Table:
    """The rows of an uploaded requests or fleet file (CSV or JSON by the name's suffix)."""
    suffix = _suffix(name, name, (".csv", ".json"))
    return table_of_text(decode_text(data, name, suffix), name, suffix, entity)


def _table(source: Source, entity: Entity) -> Table:
    text, origin, suffix = _open(source, (".csv", ".json"))
    return table_of_text(text, origin, suffix, entity)


def _numbered(rows: Iterable[Row | NumberedRow]) -> Iterable[NumberedRow]:
    for n, entry in enumerate(rows, start=1):
        yield entry if isinstance(entry, tuple) else (n, entry)


def _lower_keys(row: Row) -> dict[str, Any]:
    return {str(k).strip().lower(): value for k, value in row.items()}


def _unique(row: dict[str, Any], key: str, seen: dict[str, str], here: str, fold: bool) -> str:
    """The row's key (checked non-empty and not seen before in the file) as text."""
    text = v.text(key, row.get(key))
    if not text:
        raise v.bad(key, f"{key} is empty")
    folded = text.upper() if fold else text
    if folded in seen:
        raise v.bad(key, f"{key} {text!r} is a duplicate of {seen[folded]}")
    seen[folded] = here
    return text


# --- requests -----------------------------------------------------------------------------------


def request_from_row(row: Row, naming: Naming = "file") -> MovementRequest:
    """One validated request from raw values (text from a CSV, JSON values), keys named as
    ``naming`` says (``ref`` is ``id`` in files). Airfields are normalised to the ICAO code
    :func:`airlift.airfields.lookup` returns (``BKO`` -> ``GABS``), times to UTC, aircraft
    types to their designators, nations to upper case. Raises FieldError (not located)."""
    row = _lower_keys(row)
    ref_key = REQUEST.key("ref", naming)
    v.check_keys(row, REQUEST.keys(naming), REQUEST.required(naming))
    ref = v.text(ref_key, row[ref_key])
    if not ref:
        raise v.bad(ref_key, f"{ref_key} is empty")
    origin = v.airfield("origin", row["origin"])
    destination = v.airfield("destination", row["destination"])
    if origin == destination:
        raise v.bad("destination", f"destination {destination} is the same airfield as origin")
    cargo_kg = v.number("cargo_kg", row.get("cargo_kg"), default=0.0, maximum=v.MAX_REQUEST_KG)
    pallets = v.whole("pallets", row.get("pallets"))
    pax = v.whole("pax", row.get("pax"))
    if cargo_kg == 0 and pallets == 0 and pax == 0:
        raise v.bad("cargo_kg", "cargo_kg, pallets and pax are all 0: the request moves nothing")
    earliest = v.utc("earliest_utc", row["earliest_utc"])
    latest = v.utc("latest_utc", row["latest_utc"])
    if latest <= earliest:
        raise v.bad(
            "latest_utc",
            f"latest_utc {latest:%Y-%m-%dT%H:%MZ} must be after "
            f"earliest_utc {earliest:%Y-%m-%dT%H:%MZ}",
        )
    priority = v.whole("priority", row.get("priority"), default=3, minimum=None)
    if not 1 <= priority <= 4:
        raise v.bad(
            "priority", f"priority must be 1 (most urgent) to 4, got {v.shown(row.get('priority'))}"
        )
    dg_class, un_number = v.dangerous_goods(row)
    return MovementRequest(
        ref=ref,
        origin=origin,
        destination=destination,
        cargo_kg=cargo_kg,
        pallets=pallets,
        pax=pax,
        earliest_utc=earliest,
        latest_utc=latest,
        priority=priority,
        optional=v.boolean("optional", row.get("optional"), False),
        allowed_nations=frozenset(
            v.nation("allowed_nations", n)
            for n in v.items("allowed_nations", row.get("allowed_nations"))
        ),
        allowed_types=frozenset(
            v.aircraft("allowed_types", t).designator
            for t in v.items("allowed_types", row.get("allowed_types"))
        ),
        # Dangerous goods are hazardous whatever the flag says: the class is the more
        # specific statement, and the stricter rule (military tails only) follows from it.
        hazardous=v.boolean("hazardous", row.get("hazardous"), False) or bool(dg_class),
        description=v.text("description", row.get("description")),
        dg_class=dg_class,
        un_number=un_number,
    )


def requests_from_rows(
    rows: Iterable[Row | NumberedRow], origin: str, unit: str = "item"
) -> tuple[MovementRequest, ...]:
    """Validated requests from rows of raw values, file-named; refs must be unique.

    Each row is a mapping, or a pair ``(number, mapping)`` where ``number`` (with ``unit``,
    "line" or "item") says where the row came from; bare mappings are numbered 1, 2...
    ``origin`` names the source (usually the file) in error messages."""
    result: list[MovementRequest] = []
    seen: dict[str, str] = {}
    key = REQUEST.key("ref", "file")
    for n, raw in _numbered(rows):
        row = _lower_keys(raw)
        record = ""
        try:
            record = v.text(key, row.get(key))
            v.check_keys(row, REQUEST.keys("file"), REQUEST.required("file"))
            _unique(row, key, seen, f"{unit} {n}", fold=False)
            result.append(request_from_row(row))
        except FieldError as exc:
            raise exc.at(origin, n, unit, record) from None
    return tuple(result)


def read_requests(path: Source) -> tuple[MovementRequest, ...]:
    """Movement requests from a ``.csv`` or ``.json`` file (see the module docstring).

    Columns: id, origin, destination, cargo_kg, pallets, pax, earliest_utc, latest_utc and
    optionally priority (1-4, default 3), optional (default false), allowed_nations and
    allowed_types (';'-separated, default any), hazardous (default false), description,
    dg_class (a UN dangerous-goods class or division: 3, 1.4S; implies hazardous) and
    un_number (UN1863; needs dg_class).
    """
    table = _table(path, "requests")
    requests = requests_from_rows(table.rows, table.origin, table.unit)
    if not requests:
        raise _fail("no requests", table.origin)
    return requests


# --- fleet --------------------------------------------------------------------------------------


def tail_from_row(
    row: Row, naming: Naming = "file", resolve: v.TypeResolver = aircraft_type
) -> FleetTail:
    """One validated tail from raw values, keys named as ``naming`` says (``type`` is
    ``aircraft_type`` in the database); ``resolve`` finds the aircraft type (the store's
    knows user-added types). Raises FieldError (not located)."""
    row = _lower_keys(row)
    v.check_keys(row, TAIL.keys(naming), TAIL.required(naming))
    registration = v.registration("registration", row["registration"])
    atype = v.aircraft(TAIL.key("type", naming), row[TAIL.key("type", naming)], resolve)
    duty = v.number("duty_limit_h", row.get("duty_limit_h"), 16.0, 0.0, 24.0)
    flying = v.number("max_flying_h_per_day", row.get("max_flying_h_per_day"), 10.0, 0.0, 24.0)
    if duty == 0:
        raise v.bad("duty_limit_h", "duty_limit_h must be > 0, got 0")
    if flying == 0:
        raise v.bad("max_flying_h_per_day", "max_flying_h_per_day must be > 0, got 0")
    if flying > duty:
        raise v.bad(
            "max_flying_h_per_day", f"max_flying_h_per_day {flying:g} exceeds duty_limit_h {duty:g}"
        )
    return FleetTail(
        registration=registration,
        type=atype,
        nation=v.nation("nation", row["nation"]),
        home_base=v.airfield("home_base", row["home_base"]),
        military=v.boolean("military", row.get("military"), True),
        unavailable=v.windows("unavailable", row.get("unavailable")),
        duty_limit_h=duty,
        max_flying_h_per_day=flying,
        operator=v.text("operator", row.get("operator")),
        icao24=v.icao24("icao24", row.get("icao24")),
    )


def fleet_from_rows(
    rows: Iterable[Row | NumberedRow], origin: str, unit: str = "item"
) -> tuple[FleetTail, ...]:
    """Validated tails from rows of raw values, file-named; rows as for
    :func:`requests_from_rows`. Registrations must be unique, ignoring case, and so must
    the ICAO 24-bit addresses given."""
    result: list[FleetTail] = []
    seen: dict[str, str] = {}
    addresses: dict[str, str] = {}
    for n, raw in _numbered(rows):
        row = _lower_keys(raw)
        record = ""
        try:
            record = v.text("registration", row.get("registration"))
            v.check_keys(row, TAIL.keys("file"), TAIL.required("file"))
            _unique(row, "registration", seen, f"{unit} {n}", fold=True)
            tail = tail_from_row(row)
            if tail.icao24:  # one transponder address names one airframe
                if tail.icao24 in addresses:
                    reason = f"icao24 {tail.icao24} is a duplicate of {addresses[tail.icao24]}"
                    raise v.bad("icao24", reason)
                addresses[tail.icao24] = f"{unit} {n}"
            result.append(tail)
        except FieldError as exc:
            raise exc.at(origin, n, unit, record) from None
    return tuple(result)


def read_fleet(path: Source) -> tuple[FleetTail, ...]:
    """Fleet tails from a ``.csv`` or ``.json`` file.

    Columns: registration, type, nation, home_base and optionally military (default true),
    unavailable (';'-separated ``START/END`` maintenance windows with timezone),
    duty_limit_h (default 16), max_flying_h_per_day (default 10), operator, icao24 (the
    transponder's ICAO 24-bit address, 6 hex digits).
    """
    table = _table(path, "fleet")
    tails = fleet_from_rows(table.rows, table.origin, table.unit)
    if not tails:
        raise _fail("the fleet has no tails", table.origin)
    return tails


@cache
def demo_tails() -> dict[str, Tail]:
    """The shipped demo fleet as airframes, registration (upper case) -> Tail: the tails
    ``airlift plan`` and ``airlift perf`` know besides the type names."""
    return {
        t.registration.upper(): Tail(t.registration, t.type, t.nation, t.home_base, t.operator)
        for t in read_fleet(demo_dir() / "fleet.csv")
    }


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


def _check_known(table: Mapping[str, Any], keys: Sequence[str]) -> None:
    for key in table:
        if key not in keys:
            hint = v.unknown_key_hint(key, keys)
            tip = f"did you mean {hint!r}?" if hint else f"known: {', '.join(keys)}"
            raise v.bad(key, f"unknown field {key!r}; {tip}")


def override_from_table(raw: Mapping[str, Any], naming: Naming = "file") -> AirfieldOverride:
    """An airfield's overrides from the keys of its ``[airfield.ICAO]`` table (absent keys
    keep the theatre's values), named as ``naming`` says (``notes`` is the database's
    ``note``). Raises FieldError naming the key (not located)."""
    _check_known(raw, OVERRIDE.keys(naming))
    fuel = None
    if "fuel_available" in raw:
        fuel = v.boolean("fuel_available", raw["fuel_available"], False)
    daylight = None
    if "daylight_only" in raw:
        daylight = v.boolean("daylight_only", raw["daylight_only"], False)
    mog = None if "mog" not in raw else v.whole("mog", raw["mog"], None, minimum=0)
    if mog == 0:
        raise v.bad("mog", "mog must be >= 1, got 0 (to close the airfield: closed = true)")
    oat = None if "oat_c" not in raw else v.number("oat_c", raw["oat_c"], None, minimum=None)
    if oat is not None:
        try:
            check_oat(oat)
        except InputError as exc:
            raise v.bad("oat_c", f"oat_c: {exc}") from None
    closed = v.boolean("closed", raw.get("closed"), False)
    hours = None if "hours_utc" not in raw else v.hours("hours_utc", raw["hours_utc"])
    notes = OVERRIDE.key("notes", naming)
    v.text(notes, raw.get(notes))
    return AirfieldOverride(
        fuel_available=fuel,
        daylight_only=daylight,
        mog=mog,
        oat_c=oat,
        closed=closed,
        hours_utc=hours,
    )


class _ScenarioReader:
    """A scenario from TOML text (``origin`` names it) or from an API body (no text)."""

    def __init__(self, text: str, origin: str, naming: Naming = "file") -> None:
        self.text = text
        self.origin = origin
        self.naming = naming

    def located(self, exc: FieldError, table: str, key: str | None = None) -> FieldError:
        """``exc`` with the file, the line of its key in ``[table]`` (else of the table's
        header) and the table."""
        key = (exc.field or "") if key is None else key
        line = (_toml_line(self.text, table, key) if key else None) or (
            _toml_line(self.text, table, "") if table else None
        )
        return exc.at(file=self.origin, row=line, section=table)

    def scenario(self, raw: Mapping[str, Any], default_name: str) -> Scenario:
        try:
            _check_known(raw, SCENARIO.keys(self.naming))
            name = v.text("name", raw.get("name")) or default_name
            if "start_utc" not in raw:
                raise v.bad(
                    "start_utc", "missing field 'start_utc' (e.g. \"2023-10-27T00:00:00Z\")"
                )
            start = v.utc("start_utc", raw["start_utc"])
            if "days" not in raw:
                raise v.bad("days", "missing field 'days' (the length of the horizon)")
            days = v.whole("days", raw["days"], None, minimum=1)
            if days > MAX_DAYS:
                raise v.bad("days", f"days must be <= {MAX_DAYS}, got {days}")
            policy = v.text("fuel_policy", raw.get("fuel_policy")) or "icao"
            try:
                fuel_policy(policy)
            except InputError as exc:
                raise v.bad("fuel_policy", f"fuel_policy: {exc}") from None
            night = v.boolean("night_ops", raw.get("night_ops"), False)
            ground = v.text("ground_mode", raw.get("ground_mode")) or "normal"
            if ground not in GROUND_MODES:
                raise v.bad(
                    "ground_mode", f"ground_mode must be normal, expedited or ero, got {ground!r}"
                )
            v.text("description", raw.get("description"))
        except FieldError as exc:
            raise self.located(exc, "") from None
        return Scenario(
            name=name,
            start_utc=start,
            days=days,
            fuel_policy=policy,
            overrides=self.overrides(raw),
            night_ops=night,
            ground_mode=ground,
        )

    def overrides(self, raw: Mapping[str, Any]) -> dict[str, AirfieldOverride]:
        key = SCENARIO.key("overrides", self.naming)
        tables = raw.get(key, {})
        if not isinstance(tables, dict):
            error = v.bad(key, f"{key} must be tables such as [airfield.GATS]")
            raise self.located(error, "")
        overrides: dict[str, AirfieldOverride] = {}
        written: dict[str, str] = {}
        for code, table in tables.items():
            section = f"{key}.{code}"
            try:
                if not isinstance(table, dict):
                    error = v.bad("", f"{section} must be a table of overrides")
                    raise self.located(error, key, str(code))
                try:
                    icao = lookup(str(code)).icao
                except UnknownAirfield as exc:
                    raise self.located(v.bad("", f"airfield: {exc}"), section) from None
                try:
                    override = override_from_table(table)
                except FieldError as exc:
                    raise self.located(exc, section) from None
                if icao in overrides:
                    reason = f"{code} is {icao}, already given as [{key}.{written[icao]}]"
                    raise self.located(v.bad("", reason), section)
            except FieldError as exc:
                raise exc.inside(section) from None
            overrides[icao] = override
            written[icao] = str(code)
        return overrides


def scenario_from_table(raw: Mapping[str, Any], naming: Naming = "column") -> Scenario:
    """A scenario from the keys of a scenario file (``naming="file"``) or an API body
    (``"column"``: ``overrides`` for the file's ``airfield`` tables); raises FieldError
    (overrides: ``overrides.ICAO.key``)."""
    return _ScenarioReader("", "", naming).scenario(raw, "")


def read_scenario(path: Source) -> Scenario:
    """The scenario from a TOML file: name, start_utc, days, fuel_policy (default "icao"),
    night_ops (default false), ground_mode (normal, expedited or ero; default normal) and
    ``[airfield.ICAO]`` override tables (fuel_available,
    daylight_only, mog, oat_c, closed, hours_utc as "HH:MM-HH:MM", notes)."""
    text, origin, _ = _open(path, (".toml",))
    raw = toml_loads(text, origin)
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
        raise FieldError(
            "start_utc",
            f"scenario {scenario.name!r} runs {start:%Y-%m-%dT%H:%MZ} to {end:%Y-%m-%dT%H:%MZ} "
            f"({scenario.days} d) but every request lies outside it (requests run "
            f"{first:%Y-%m-%dT%H:%MZ} to {last:%Y-%m-%dT%H:%MZ}): change start_utc or days",
        )
    return outside


__all__ = [
    "FLEET_COLUMNS",
    "REQUEST_COLUMNS",
    "Table",
    "check_horizon",
    "default_scenario",
    "demo_dir",
    "demo_tails",
    "fleet_from_rows",
    "override_from_table",
    "read_fleet",
    "read_requests",
    "read_scenario",
    "request_from_row",
    "requests_from_rows",
    "scenario_from_table",
    "table_of_bytes",
    "table_of_text",
    "tail_from_row",
]
