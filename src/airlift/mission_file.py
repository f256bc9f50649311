"""Mission files (TOML) and manifests (CSV) read into a :class:`MissionInput`.

A mission file names the aircraft (type or tail), the stops, the UTC departure, the fuel
policy and either per-leg ``loads`` or manifest ``item``s. A bad value of a file is a
:class:`~airlift.errors.FieldError` naming the file, the line or item and the field.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from airlift.aircraft import AircraftType, Tail, resolve
from airlift.airfields import lookup
from airlift.atmosphere import Weather, Wind, check_oat, parse_metar
from airlift.errors import AirliftError, FieldError, InputError, Where
from airlift.formats import csv_rows, toml_loads
from airlift.fuel_policy import policy as fuel_policy
from airlift.mission import Load, ManifestItem, MissionInput, Options, loads_from_manifest
from airlift.scheduling.readers import demo_tails
from airlift.units import check_finite


def shipped_aircraft(name: str) -> tuple[AircraftType, Tail | None]:
    """A shipped type by name, or a tail of the shipped demo fleet (with its type)."""
    return resolve(name, demo_tails())


def parse_utc(text: str) -> datetime:
    """An ISO 8601 time with an explicit offset (``Z`` or ``+00:00``); naive times refused."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"departure time {text!r} is not ISO 8601 (e.g. 2023-10-27T06:30Z)"
        ) from None
    if when.tzinfo is None:
        raise InputError(f"departure time {text!r} has no timezone: add Z for UTC")
    return when


def _count(name: str, value: Any) -> int:
    number = check_finite(name, value)
    if number != int(number):
        raise InputError(f"{name} must be a whole number, got {value!r}")
    return int(number)


def load_from_fields(fields: dict[str, Any], where: str | Where) -> Load:
    """A Load from cargo_kg / pallets / pax fields; errors say ``where`` (a place, or the
    text that names the source, such as ``--load 3000,x``)."""
    place = where if isinstance(where, Where) else Where(where)
    values: dict[str, Any] = {}
    for name, parse in (("cargo_kg", check_finite), ("pallets", _count), ("pax", _count)):
        try:
            values[name] = parse(name, fields.get(name) or 0)
        except AirliftError as exc:
            raise FieldError(name, str(exc), place) from None
    return Load(**values)


def manifest_items(
    rows: Iterable[dict[str, Any]],
    origin: str,
    unit: str = "item",
    first: int = 1,
    numbers: Iterable[int] | None = None,
) -> tuple[ManifestItem, ...]:
    """Validated manifest items; errors read ``"<origin> <unit> <n> (<id>): ..."``, ``n``
    counting from ``first`` unless ``numbers`` gives each row's (a CSV row's first line)."""
    items = []
    seen: set[str] = set()
    counted = numbers if numbers is not None else itertools.count(first)
    for n, row in zip(counted, rows, strict=False):
        where = Where(origin, n, unit)
        item_id = str(row.get("id") or "").strip()
        if not item_id:
            raise FieldError("id", "id is empty", where)
        if item_id in seen:
            raise FieldError("id", f"duplicate id {item_id!r}", where)
        seen.add(item_id)
        where = Where(origin, n, unit, record=item_id)
        for key in ("origin", "destination"):
            if not str(row.get(key) or "").strip():
                raise FieldError(key, f"{key} is empty", where)
        items.append(
            ManifestItem(
                id=item_id,
                origin=str(row["origin"]).strip().upper(),
                destination=str(row["destination"]).strip().upper(),
                load=load_from_fields(row, where),
                description=str(row.get("description") or ""),
            )
        )
    return tuple(items)


def read_manifest_csv(path: Path) -> tuple[ManifestItem, ...]:
    """Columns: id, origin, destination, cargo_kg, pallets, pax[, description]."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FieldError(None, f"cannot read as a UTF-8 CSV ({exc})", Where(str(path))) from None
    origin = str(path)
    lines = csv_rows(text, origin)
    header = [h.strip() for h in next(lines, (1, []))[1]]
    missing = {"id", "origin", "destination"} - set(header)
    if missing:
        column = sorted(missing)[0]
        raise FieldError(column, f"not a manifest, missing column {column!r}", Where(origin))
    numbers, rows = [], []
    for line, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            reason = (
                f"{len(cells)} fields but the header has {len(header)} "
                "(an unquoted comma in a text?)"
            )
            raise FieldError(None, reason, Where(origin, line))
        numbers.append(line)
        rows.append(dict(zip(header, cells, strict=False)))
    return manifest_items(rows, origin, unit="line", numbers=numbers)


def read_mission_toml(path: Path | str, text: str | None = None) -> dict[str, Any]:
    """The raw fields of a mission file, checked for the keys the planner needs."""
    try:
        text = text if text is not None else Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FieldError(None, f"cannot read ({exc})", Where(str(path))) from None
    raw = toml_loads(text, str(path))
    for key in ("aircraft", "stops", "departure_utc"):
        if key not in raw:
            raise FieldError(key, f"missing field {key!r}", Where(str(path)))
    return raw


def _weather(oats: Iterable[str], metars: Iterable[str], stops: list[str]) -> dict[str, Weather]:
    """``--oat 45`` applies to every stop, ``--oat GAGO=44`` to one; METARs by station."""
    weather: dict[str, Weather] = {}
    for spec in oats:
        code, sep, value = spec.rpartition("=")
        try:
            oat = check_oat(float(value))
        except ValueError:
            raise InputError(f"OAT must be a number of °C (45 or GAGO=45), got {spec!r}") from None
        targets = [lookup(code).icao] if sep else stops
        for icao in targets:
            weather[icao] = Weather(oat_c=oat, source="given")
    for text in metars:
        wx = parse_metar(text)
        weather[lookup(wx.station).icao] = wx
    return weather


def build(
    aircraft: str,
    stops: list[str],
    departure_utc: str,
    loads: list[Load] | None = None,
    items: tuple[ManifestItem, ...] = (),
    policy: str = "icao",
    oats: Iterable[str] = (),
    metars: Iterable[str] = (),
    wind: str | list[str] | None = None,
    closed: Iterable[str] = (),
    options: dict[str, Any] | None = None,
    resolve_aircraft: Callable[[str], tuple[AircraftType, Tail | None]] | None = None,
) -> MissionInput:
    """A MissionInput from the text a user typed or a file held.

    ``wind`` is one cruise wind for every leg or a list with one per leg (``"270/25"``);
    ``closed`` entries are ``ICAO`` (all runways) or ``ICAO:05L/23R``; ``resolve_aircraft``
    turns ``aircraft`` into a type and maybe a tail (default: shipped types and the demo
    fleet; the web app also looks in its database).
    """
    atype, tail = (resolve_aircraft or shipped_aircraft)(aircraft)
    airfields = [lookup(code) for code in stops]
    closures: dict[str, set[str]] = {}
    for spec in closed:
        code, _, rwy = spec.partition(":")
        closures.setdefault(lookup(code).icao, set()).add(rwy.upper() or "*")
    airfields = [a.with_closed(closures[a.icao]) if a.icao in closures else a for a in airfields]
    if len(airfields) < 2:
        raise InputError("a mission needs at least two stops (origin and destination)")
    if items and loads:
        raise InputError("give loads per leg or a manifest, not both")
    leg_loads = loads_from_manifest(airfields, items) if items else tuple(loads or ())
    if not leg_loads:
        leg_loads = tuple(Load() for _ in airfields[1:])
    if len(leg_loads) == 1 and len(airfields) > 2:
        leg_loads = leg_loads * (len(airfields) - 1)
    opts = Options(policy=fuel_policy(policy), **(options or {}))
    codes = [a.icao for a in airfields]
    winds = [wind] if isinstance(wind, str) else list(wind or [])
    if len(winds) not in (0, 1, len(leg_loads)):
        raise InputError(f"{len(leg_loads)} legs but {len(winds)} winds: give one or one per leg")
    return MissionInput(
        aircraft=atype,
        stops=tuple(airfields),
        departure_utc=parse_utc(departure_utc),
        loads=leg_loads,
        weather=_weather(oats, metars, codes),
        wind=Wind.parse(winds[0]) if len(winds) == 1 else None,
        leg_winds=tuple(Wind.parse(w) for w in winds) if len(winds) > 1 else (),
        options=opts,
        tail=tail,
        manifest=items,
    )


def mission_from_file(path: Path | str, text: str | None = None) -> MissionInput:
    """Build the mission a TOML file describes (see ``data/demo/reference_circuit.toml``)."""
    raw = read_mission_toml(path, text)
    loads = [
        load_from_fields(x, Where(str(path), section=f"loads[{i}]"))
        for i, x in enumerate(raw.get("loads", []))
    ]
    items = manifest_items(raw.get("item", []), str(path))
    oat = raw.get("oat_c")
    return build(
        aircraft=str(raw["aircraft"]),
        stops=[str(s) for s in raw["stops"]],
        departure_utc=str(raw["departure_utc"]),
        loads=loads or None,
        items=items,
        policy=str(raw.get("fuel_policy", "icao")),
        oats=[str(oat)] if oat is not None else [],
        metars=[str(m) for m in raw.get("metar", [])],
        wind=raw.get("wind"),
        options={k: raw[k] for k in ("fl", "speed", "isa_dev_c", "ground_mode") if k in raw},
    )
