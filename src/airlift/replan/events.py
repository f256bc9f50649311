"""Disruption events: what changed since the programme was drawn, as data.

Each event is written as one line of text (the CLI's ``--event``, the API's ``text``, the
stored form) and read back by :func:`parse_event`:

    unserviceable 5U-MBH 2023-10-28T08:00Z/2023-10-29T00:00Z   tail out of service (FROM/UNTIL;
                                                               FROM/ alone: to the horizon's end)
    closed GATS 2023-10-29T00:00Z/2023-10-30T00:00Z            airfield closed (FROM/UNTIL)
    mog GATS 1 [FROM/UNTIL]                                    airfield's MOG changed
    fuel GAGO none | fuel GAGO available [FROM/UNTIL]          fuel withdrawn or restored
    hours GATS 06:00-18:00 [FROM/UNTIL]                        opening hours changed (UTC)
    add-request requests.csv                                   new movement requests (a file)
    cancel R012                                                request cancelled
    change R012 cargo_kg=9000 latest_utc=2023-10-30T12:00Z     request changed (request columns)
    delay 5U-MBD:3 45min                                       leg 3 of the tail's mission
                                                               (5U-MBD/2:3: of its day 2)
    duty-reset 5U-MBD 2023-10-28T12:00Z                        a fresh crew from that time

A MOG, fuel or hours change without a window holds for the whole horizon; with one, for
the tail-days whose flying window it touches (and for MOG, the arrivals inside it). Events
name tails, airfields and requests as the inputs do; :mod:`airlift.replan.apply` checks them
against the inputs. Every error is a :class:`~airlift.errors.FieldError` on field ``event``
that quotes the event and says what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from airlift.errors import FieldError
from airlift.scheduling import values as v
from airlift.scheduling.inputs import MovementRequest

MAX_DELAY_MIN = 48 * 60
"""A leg later than two days is not a delay but a cancellation."""


@dataclass(frozen=True, slots=True)
class Unserviceable:
    tail: str
    from_utc: datetime
    until_utc: datetime | None
    """None: to the end of the horizon."""


@dataclass(frozen=True, slots=True)
class Closed:
    icao: str
    from_utc: datetime
    until_utc: datetime


@dataclass(frozen=True, slots=True)
class AirfieldChange:
    """One planning attribute of an airfield changed, for a window or (None) the horizon."""

    icao: str
    mog: int | None = None
    fuel_available: bool | None = None
    hours_utc: tuple[str, str] | None = None
    from_utc: datetime | None = None
    until_utc: datetime | None = None


@dataclass(frozen=True, slots=True)
class AddRequests:
    requests: tuple[MovementRequest, ...]
    source: str
    """The file they came from, as given."""


@dataclass(frozen=True, slots=True)
class Cancel:
    ref: str


@dataclass(frozen=True, slots=True)
class Change:
    ref: str
    values: tuple[tuple[str, str], ...]
    """(request column, new value as written), in order."""


@dataclass(frozen=True, slots=True)
class Delay:
    tail: str
    leg: int
    """1-based leg number in the mission."""
    minutes: float
    day: int | None = None
    """1-based programme day; None: the tail's first mission not yet landed at "now"."""


@dataclass(frozen=True, slots=True)
class DutyReset:
    tail: str
    at_utc: datetime


Event = Unserviceable | Closed | AirfieldChange | AddRequests | Cancel | Change | Delay | DutyReset


def _fail(text: str, reason: str) -> FieldError:
    return FieldError("event", f"event {text!r}: {reason}")


def _window(text: str, spec: str, open_end: bool) -> tuple[datetime, datetime | None]:
    start_text, slash, end_text = spec.partition("/")
    if not slash and not open_end:
        raise _fail(text, f"{spec!r} is not FROM/UNTIL (e.g. 2023-10-29T00:00Z/2023-10-30T00:00Z)")
    try:
        start = v.utc("event", start_text, "from")
        end = v.utc("event", end_text, "until") if end_text.strip() else None
    except FieldError as exc:
        raise _fail(text, exc.reason) from None
    if end is None and not open_end:
        raise _fail(text, "the window has no end (FROM/UNTIL)")
    if end is not None and end <= start:
        raise _fail(text, f"the window ends ({end:%Y-%m-%dT%H:%MZ}) before it starts")
    return start, end


def _airfield(text: str, code: str) -> str:
    try:
        return v.airfield("event", code)
    except FieldError as exc:
        raise FieldError(
            "event", f"event {text!r}: {exc.reason}", suggestions=exc.suggestions
        ) from None


_DELAY_LEG = re.compile(r"^(?P<tail>[^:/\s]+)(?:/(?P<day>\d{1,3}))?:(?P<leg>\d{1,2})$")
_MINUTES = re.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>min|m|h)?$")


def _minutes(text: str, spec: str) -> float:
    found = _MINUTES.match(spec.strip().lower())
    if not found:
        raise _fail(text, f"{spec!r} is not a delay (e.g. 45min or 1.5h)")
    minutes = float(found["n"]) * (60.0 if found["unit"] == "h" else 1.0)
    if not 0 < minutes <= MAX_DELAY_MIN:
        raise _fail(text, f"a delay must be over 0 and at most {MAX_DELAY_MIN:,} min")
    return minutes


def _need(shown: str, args: list[str], n: int, usage: str) -> None:
    if len(args) != n:
        raise _fail(shown, f"{shown.split()[0]} takes {usage}")


def _unserviceable(shown: str, args: list[str], base: Path | None) -> Event:
    _need(shown, args, 2, "TAIL FROM/UNTIL")
    start, end = _window(shown, args[1], open_end=True)
    return Unserviceable(v.registration("event", args[0]), start, end)


def _closed(shown: str, args: list[str], base: Path | None) -> Event:
    _need(shown, args, 2, "AIRFIELD FROM/UNTIL")
    start, until = _window(shown, args[1], open_end=False)
    assert until is not None
    return Closed(_airfield(shown, args[0]), start, until)


def _changed_window(
    shown: str, args: list[str], usage: str
) -> tuple[datetime | None, datetime | None]:
    """The optional FROM/UNTIL after an airfield change's value."""
    if len(args) not in (2, 3):
        raise _fail(shown, f"{shown.split()[0]} takes {usage} [FROM/UNTIL]")
    if len(args) == 2:
        return None, None
    return _window(shown, args[2], open_end=False)


def _mog(shown: str, args: list[str], base: Path | None) -> Event:
    window = _changed_window(shown, args, "AIRFIELD N (aircraft on the ground at once)")
    try:
        mog = v.whole("event", args[1], default=None, minimum=1, maximum=99)
    except FieldError as exc:
        raise _fail(shown, exc.reason) from None
    return AirfieldChange(
        _airfield(shown, args[0]), mog=mog, from_utc=window[0], until_utc=window[1]
    )


def _fuel(shown: str, args: list[str], base: Path | None) -> Event:
    window = _changed_window(shown, args, "AIRFIELD none|available")
    state = args[1].lower()
    if state not in ("none", "available"):
        raise _fail(shown, f"fuel is 'none' or 'available', got {args[1]!r}")
    available = state == "available"
    return AirfieldChange(
        _airfield(shown, args[0]), fuel_available=available, from_utc=window[0], until_utc=window[1]
    )


def _hours(shown: str, args: list[str], base: Path | None) -> Event:
    window = _changed_window(shown, args, "AIRFIELD HH:MM-HH:MM (UTC)")
    try:
        hours = v.hours("event", args[1])
    except FieldError as exc:
        raise _fail(shown, exc.reason) from None
    return AirfieldChange(
        _airfield(shown, args[0]), hours_utc=hours, from_utc=window[0], until_utc=window[1]
    )


def _add_request(shown: str, args: list[str], base: Path | None) -> Event:
    _need(shown, args, 1, "FILE (requests CSV or JSON)")
    from airlift.scheduling.readers import read_requests

    path = Path(args[0])
    if base is not None and not path.is_absolute():
        path = base / path
    try:
        return AddRequests(read_requests(path), args[0])
    except FieldError as exc:
        raise _fail(shown, str(exc)) from None


def _cancel(shown: str, args: list[str], base: Path | None) -> Event:
    _need(shown, args, 1, "REQUEST")
    return Cancel(v.text("event", args[0]))


def _change(shown: str, args: list[str], base: Path | None) -> Event:
    if len(args) < 2:
        raise _fail(shown, "change takes REQUEST COLUMN=VALUE ...")
    pairs = []
    for arg in args[1:]:
        column, eq, value = arg.partition("=")
        if not eq or not column:
            raise _fail(shown, f"{arg!r} is not COLUMN=VALUE")
        pairs.append((column.lower(), value))
    return Change(v.text("event", args[0]), tuple(pairs))


def _delay(shown: str, args: list[str], base: Path | None) -> Event:
    _need(shown, args, 2, "TAIL:LEG MINUTES (e.g. 5U-MBD:3 45min; TAIL/DAY:LEG for a given day)")
    found = _DELAY_LEG.match(args[0])
    if not found or int(found["leg"]) < 1:
        raise _fail(shown, f"{args[0]!r} is not TAIL:LEG or TAIL/DAY:LEG (e.g. 5U-MBD:3)")
    day = int(found["day"]) if found["day"] else None
    if day is not None and day < 1:
        raise _fail(shown, "days are numbered from 1")
    return Delay(found["tail"], int(found["leg"]), _minutes(shown, args[1]), day)


def _duty_reset(shown: str, args: list[str], base: Path | None) -> Event:
    _need(shown, args, 2, "TAIL TIME")
    try:
        at = v.utc("event", args[1], "time")
    except FieldError as exc:
        raise _fail(shown, exc.reason) from None
    return DutyReset(v.registration("event", args[0]), at)


_PARSERS = {
    "unserviceable": _unserviceable,
    "closed": _closed,
    "mog": _mog,
    "fuel": _fuel,
    "hours": _hours,
    "add-request": _add_request,
    "cancel": _cancel,
    "change": _change,
    "delay": _delay,
    "duty-reset": _duty_reset,
}


KINDS = tuple(_PARSERS)
"""Every event kind, as the first word of its text."""


def parse_event(text: str, base: Path | None = None) -> Event:
    """One event from its text (see the module docstring). ``base``: the folder that a
    relative ``add-request`` file is read from (default: the working folder)."""
    words = str(text).split()
    if not words:
        raise FieldError("event", "an event is empty (e.g. 'unserviceable 5U-MBH FROM/UNTIL')")
    shown = " ".join(words)[:200]
    parse = _PARSERS.get(words[0].lower())
    if parse is None:
        raise _fail(shown, f"unknown kind {words[0]!r} (one of: {', '.join(KINDS)})")
    return parse(shown, words[1:], base)


def _iso(when: datetime) -> str:
    return f"{when:%Y-%m-%dT%H:%MZ}"


def event_text(event: Event) -> str:
    """The event as :func:`parse_event` reads it (``add-request``: its file as given)."""
    match event:
        case Unserviceable(tail, start, end):
            return f"unserviceable {tail} {_iso(start)}/{_iso(end) if end else ''}"
        case Closed(icao, start, end):
            return f"closed {icao} {_iso(start)}/{_iso(end)}"
        case AirfieldChange(icao, mog, fuel, hours, start, end):
            window = f" {_iso(start)}/{_iso(end)}" if start and end else ""
            if mog is not None:
                return f"mog {icao} {mog}{window}"
            if fuel is not None:
                return f"fuel {icao} {'available' if fuel else 'none'}{window}"
            assert hours is not None
            return f"hours {icao} {hours[0]}-{hours[1]}{window}"
        case AddRequests(_, source):
            return f"add-request {source}"
        case Cancel(ref):
            return f"cancel {ref}"
        case Change(ref, pairs):
            return f"change {ref} " + " ".join(f"{k}={val}" for k, val in pairs)
        case Delay(tail, leg, minutes, day):
            where = f"{tail}/{day}" if day is not None else tail
            return f"delay {where}:{leg} {minutes:g}min"
        case DutyReset(tail, at):
            return f"duty-reset {tail} {_iso(at)}"
    raise TypeError(f"not an event: {event!r}")


def event_dict(event: Event) -> dict[str, Any]:
    """JSON-ready: ``kind`` and ``text`` (what :func:`parse_event` reads)."""
    return {"kind": event_text(event).split()[0], "text": event_text(event)}


__all__ = [
    "KINDS",
    "AddRequests",
    "AirfieldChange",
    "Cancel",
    "Change",
    "Closed",
    "Delay",
    "DutyReset",
    "Event",
    "Unserviceable",
    "event_dict",
    "event_text",
    "parse_event",
]
