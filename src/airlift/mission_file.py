"""Mission files (TOML) and manifests (CSV) read into a :class:`MissionInput`.

A mission file names the aircraft (type or tail), the stops, the UTC departure, the fuel
policy and either per-leg ``loads`` or manifest ``item``s. A bad value of a file is a
:class:`~airlift.errors.FieldError` naming the file, the line or item and the field.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from airlift.aircraft import AircraftType, Tail, resolve
from airlift.airfields import Airfield
from airlift.atmosphere import Weather, Wind, check_oat, parse_metar
from airlift.errors import FieldError, InputError, UnknownAircraft, Where
from airlift.formats import csv_rows, toml_loads
from airlift.fuel_policy import policy as fuel_policy
from airlift.mission import Load, ManifestItem, MissionInput, Options, loads_from_manifest
from airlift.scheduling import values
from airlift.scheduling.readers import demo_tails

MAX_LOAD_KG = values.MAX_REQUEST_KG
"""The most cargo one load or manifest item may name: a movement request's bound (beyond it
is a unit slip); what one aircraft can carry is checked against its type by the planner."""


def shipped_aircraft(name: str) -> tuple[AircraftType, Tail | None]:
    """A shipped type by name, or a tail of the shipped demo fleet (with its type)."""
    return resolve(name, demo_tails())


def parse_utc(text: str, field: str = "departure_utc") -> datetime:
    """An ISO 8601 time with an explicit offset (``Z`` or ``+00:00``), in UTC, within the
    planning horizon (:data:`airlift.scheduling.values.HORIZON`); naive times refused."""
    return values.utc(field, text, "departure time")


def load_from_fields(fields: dict[str, Any], where: str | Where) -> Load:
    """A Load from cargo_kg / pallets / pax fields; errors say ``where`` (a place, or the
    text that names the source, such as ``--load 3000,x``)."""
    place = where if isinstance(where, Where) else Where(where)
    slip = " (a unit slip?)"
    try:
        return Load(
            values.number("cargo_kg", fields.get("cargo_kg"), 0.0, maximum=MAX_LOAD_KG, why=slip),
            values.whole("pallets", fields.get("pallets"), why=slip),
            values.whole("pax", fields.get("pax"), why=slip),
        )
    except FieldError as exc:
        raise FieldError(exc.field, exc.reason, place) from None


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
        try:
            start = values.airfield("origin", row.get("origin"))
            end = values.airfield("destination", row.get("destination"))
            dg_class, un_number = values.dangerous_goods(row)
        except FieldError as exc:
            raise FieldError(exc.field, exc.reason, where) from None
        items.append(
            ManifestItem(
                id=item_id,
                origin=start,
                destination=end,
                load=load_from_fields(row, where),
                description=str(row.get("description") or ""),
                dg_class=dg_class,
                un_number=un_number,
                where=where,
            )
        )
    return tuple(items)


def read_manifest_csv(path: Path) -> tuple[ManifestItem, ...]:
    """Columns: id, origin, destination, cargo_kg, pallets, pax[, description, dg_class,
    un_number]."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FieldError(None, f"cannot read as a UTF-8 CSV ({exc})", Where(str(path))) from None
    return parse_manifest_csv(text, str(path))


def parse_manifest_csv(text: str, origin: str) -> tuple[ManifestItem, ...]:
    """A manifest CSV's text (``origin`` names it in errors: a path or an upload's name)."""
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


def _stop(field: str, code: str, route: Sequence[Airfield], what: str) -> Airfield:
    """The stop of ``route`` that ``code`` names, for the option ``what`` (``oat 'GATS=44'``)
    of ``field``: an airfield that is not a stop is an error, as an unknown one."""
    airfield = values.known_airfield(field, code)
    for stop in route:
        if stop.icao == airfield.icao:
            return stop
    path = " -> ".join(a.icao for a in route)
    raise FieldError(field, f"{what}: {airfield.icao} is not on the route ({path})")


def _weather(
    oats: Iterable[str], metars: Iterable[str], route: list[Airfield]
) -> dict[str, Weather]:
    """``--oat 45`` applies to every stop, ``--oat GAGO=44`` to one; METARs by station. Errors
    name the field as the API body spells it (``oat[1]``, ``metar[0]``)."""
    weather: dict[str, Weather] = {}
    for n, spec in enumerate(oats):
        field = f"oat[{n}]"
        code, sep, value = spec.rpartition("=")
        try:
            number = float(value)
        except ValueError:
            reason = f"OAT must be a number of °C (45 or GAGO=45), got {spec!r}"
            raise FieldError(field, reason) from None
        try:
            oat = check_oat(number)
        except InputError as exc:
            raise FieldError(field, str(exc)) from None
        targets = [_stop(field, code, route, f"oat {spec!r}")] if sep else route
        for stop in targets:
            weather[stop.icao] = Weather(oat_c=oat, source="given")
    for n, text in enumerate(metars):
        field = f"metar[{n}]"
        try:
            wx = parse_metar(text)
        except InputError as exc:
            raise FieldError(field, str(exc)) from None
        weather[_stop(field, wx.station, route, f"METAR for {wx.station}").icao] = wx
    return weather


def _closures(closed: Iterable[str], route: list[Airfield]) -> dict[str, set[str]]:
    """Runways to close by stop: ``ICAO`` (every runway) or ``ICAO:05L/23R`` (one runway, as
    the airfield names it). Errors name ``closed[n]``, and list the airfield's runways."""
    closures: dict[str, set[str]] = {}
    for n, spec in enumerate(closed):
        field = f"closed[{n}]"
        code, colon, ident = spec.partition(":")
        stop = _stop(field, code, route, f"closed {spec!r}")
        ident = ident.strip().upper()
        if colon:
            idents = [r.ident for r in stop.runways]
            known = ", ".join(idents) if idents else "none known"
            if not ident:
                reason = f"closed {spec!r}: no runway after ':' ({stop.icao} alone closes all)"
                raise FieldError(field, reason)
            if ident not in (i.upper() for i in idents):
                reason = (
                    f"closed {spec!r}: {stop.icao} has no runway {ident!r}; its runways: {known}"
                )
                raise FieldError(field, reason)
        closures.setdefault(stop.icao, set()).add(ident if colon else "*")
    return closures


def _aircraft(
    name: str, resolve_aircraft: Callable[[str], tuple[AircraftType, Tail | None]]
) -> tuple[AircraftType, Tail | None]:
    try:
        return resolve_aircraft(name)
    except UnknownAircraft as exc:
        raise FieldError("aircraft", f"aircraft: {exc}") from None


def _winds(wind: str | list[str] | None, legs: int) -> tuple[Wind | None, tuple[Wind, ...]]:
    """(one wind for every leg, or one per leg); ``wind`` is a text or a list of them."""
    texts = [wind] if isinstance(wind, str) else list(wind or [])
    if len(texts) not in (0, 1, legs):
        raise FieldError("wind", f"{legs} legs but {len(texts)} winds: give one or one per leg")
    winds = []
    for n, text in enumerate(texts):
        try:
            winds.append(Wind.parse(text))
        except InputError as exc:
            raise FieldError("wind" if isinstance(wind, str) else f"wind[{n}]", str(exc)) from None
    if len(winds) == 1:
        return winds[0], ()
    return None, tuple(winds)


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
    stop_fields: Sequence[str] = (),
) -> MissionInput:
    """A MissionInput from the text a user typed or a file held.

    ``wind`` is one cruise wind for every leg or a list with one per leg (``"270/25"``);
    ``closed`` entries are ``ICAO`` (all runways) or ``ICAO:05L/23R``; ``resolve_aircraft``
    turns ``aircraft`` into a type and maybe a tail (default: shipped types and the demo
    fleet; the web app also looks in its database). Each error is a
    :class:`~airlift.errors.FieldError` naming the field as the API body spells it
    (``departure_utc``, ``stops[1]``, ``oat[0]``, ``closed[0]``...); ``stop_fields`` names
    the stops otherwise (``origin``, ``destination``, ``then`` for ``maxload``).
    """
    atype, tail = _aircraft(aircraft, resolve_aircraft or shipped_aircraft)
    airfields = [
        values.known_airfield(stop_fields[i] if i < len(stop_fields) else f"stops[{i}]", code)
        for i, code in enumerate(stops)
    ]
    if len(airfields) < 2:
        raise FieldError("stops", "a mission needs at least two stops (origin and destination)")
    departure = parse_utc(departure_utc)
    closures = _closures(closed, airfields)
    airfields = [a.with_closed(closures[a.icao]) if a.icao in closures else a for a in airfields]
    if items and loads:
        raise FieldError("items", "give loads per leg or a manifest, not both")
    leg_loads = loads_from_manifest(airfields, items) if items else tuple(loads or ())
    if not leg_loads:
        leg_loads = tuple(Load() for _ in airfields[1:])
    if len(leg_loads) == 1 and len(airfields) > 2:
        leg_loads = leg_loads * (len(airfields) - 1)
    try:
        fuel = fuel_policy(policy)
    except InputError as exc:
        raise FieldError("policy", f"policy: {exc}") from None
    cruise_wind, leg_winds = _winds(wind, len(leg_loads))
    return MissionInput(
        aircraft=atype,
        stops=tuple(airfields),
        departure_utc=departure,
        loads=leg_loads,
        weather=_weather(oats, metars, airfields),
        wind=cruise_wind,
        leg_winds=leg_winds,
        options=Options(policy=fuel, **(options or {})),
        tail=tail,
        manifest=items,
    )


def maxload_mission(
    aircraft: str,
    origin: str,
    destination: str,
    departure_utc: str,
    then: str | None = None,
    policy: str = "icao",
    oats: Iterable[str] = (),
    metars: Iterable[str] = (),
    wind: str | list[str] | None = None,
    resolve_aircraft: Callable[[str], tuple[AircraftType, Tail | None]] | None = None,
    has_fuel: Callable[[Airfield], bool | None] | None = None,
) -> MissionInput:
    """The mission ``airlift maxload`` asks about: ``origin`` to ``destination`` and, where
    the destination has no fuel (``has_fuel``, default: its planning data), on to ``then``
    (default: back to the origin), which is the fuel the first leg must carry. ``then``
    given empty is an error, not the default."""
    if then is not None and not then.strip():
        reason = "then is empty: name where the aircraft goes next, or leave it out (the origin)"
        raise FieldError("then", reason)
    end = values.known_airfield("destination", destination)
    refuels = has_fuel(end) if has_fuel else end.planning.fuel_available
    nxt = values.known_airfield("then", then).icao if then else None
    stops, fields = [origin, destination], ["origin", "destination"]
    if not refuels:
        stops.append(nxt or origin)
        fields.append("then" if nxt else "origin")
    return build(
        aircraft,
        stops,
        departure_utc,
        policy=policy,
        oats=oats,
        metars=metars,
        wind=wind,
        resolve_aircraft=resolve_aircraft,
        stop_fields=fields,
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
