"""Aircraft movement messages (IATA AHM 780 MVT) read into ``LegActual``.

A file holds one or more messages, each starting with a line ``MVT`` (or ``MVA``, the
aircraft-initiated form); address lines before it (``QU ...``, ``.BKOKOXH 270640``) are
skipped. The lines read::

    MVT
    5U-MBD/27.GABS                 flight (or registration) / day of month . station
    AD0623/0635 EA0848 GAGO        off-block / airborne, estimated arrival at GAGO
    DL72/0012                      delay code(s) / duration(s) hhmm: kept in remarks
    PX64                           passengers on board: kept in remarks
    SI CARGO LOADED LATE           free text (to the end of the message): kept in remarks

    MVT
    XY123/27.5UMBD.GAGO            flight / day . registration . station
    AA0845/0851                    touchdown / on-block

The second line is ``FLIGHT/DD.REGISTRATION.STATION`` or, for a flight known by its
registration (most military tails), ``REGISTRATION/DD.STATION``. The station is the
departure airfield of an AD message and the arrival airfield of an AA message (ICAO or
IATA). Times are UTC ``hhmm`` on the day given (``ddhhmm`` names another day); a time
earlier than the one before it in the flight is after midnight (the next day). The day of
month and a reference ``month`` (a date in it) give the date.

An AD message and the AA message of the same aircraft that follows it are one leg: origin
from the AD, destination from the AA (a diversion lands where the AA says, whatever the EA
expected). An AD without an arrival yet is a leg in the air, its destination the EA's
station ("" without EA); an AA without its departure is a leg whose origin is "" (not known).

Every error is one :class:`~airlift.errors.FieldError` naming the file, message and line
and the element: ``ops.mvt line 7 (message 2): AD0623/0635: minute 75 is not a minute``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from airlift.errors import FieldError, Where
from airlift.scheduling import values as v
from airlift.scheduling.readers import decode_text
from airlift.tracking.checks import CLOCK_SKEW
from airlift.tracking.model import LegActual, Source
from airlift.tracking.parsers import Parsed
from airlift.tracking.reports import drop_duplicates

SUPPORTED = ("AD", "AA", "EA", "DL", "PX", "SI")
_HEADER = re.compile(r"^(MVT|MVA)$")
_ADDRESS = re.compile(r"^(Q[A-Z]\s|\.[A-Z0-9]{7}\b|=|NNNN$)")
_IDENT = re.compile(r"^(?P<flight>[A-Z0-9-]{2,16})/(?P<day>\d{2})\.(?P<rest>[A-Z0-9.-]+)$")
_TIME = r"\d{4}(?:\d{2})?"
_AD = re.compile(rf"^AD(?P<t1>{_TIME})(?:/(?P<t2>{_TIME}))?(?:\s+(?P<ea>EA.*))?$")
_AA = re.compile(rf"^AA(?P<t1>{_TIME})(?:/(?P<t2>{_TIME}))?$")
_EA = re.compile(rf"^EA(?P<t>{_TIME})\s+(?P<station>[A-Z0-9]{{3,4}})$")
_DL = re.compile(r"^DL(?P<codes>[0-9A-Z]{2,4})(?P<times>(?:/\d{4}){1,2})?$")
_PX = re.compile(r"^PX(?P<pax>\d{1,4})$")
MAX_MESSAGES = 10_000


@dataclass
class _Message:
    """One message as read, before departures and arrivals are paired."""

    number: int
    origin: str
    line: int
    """The file line of the message's ``MVT`` line."""
    registration: str
    flight: str
    station: str
    out_utc: datetime | None = None
    off_utc: datetime | None = None
    on_utc: datetime | None = None
    in_utc: datetime | None = None
    ea_station: str = ""
    remarks: list[str] = field(default_factory=list)

    @property
    def where(self) -> Where:
        return Where(self.origin, self.line, record=f"message {self.number}, {self.registration}")

    @property
    def departure(self) -> bool:
        return self.out_utc is not None or self.off_utc is not None

    @property
    def arrival(self) -> bool:
        return self.on_utc is not None or self.in_utc is not None


@dataclass
class _Chunk:
    """The lines of one message after its ``MVT`` line, each with its file line."""

    line: int
    """The file line of the ``MVT`` line."""
    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    def where(self, origin: str, number: int, line: int | None = None) -> Where:
        return Where(origin, line or self.line, record=f"message {number}")


class _Line:
    """Raise errors located at one line of one message: ``ops.mvt line 7 (message 2)``."""

    def __init__(self, where: Where, text: str) -> None:
        self.where = where
        self.text = text

    def fail(self, element: str, reason: str) -> FieldError:
        return FieldError(element, f"{self.text}: {reason}", self.where)


def read_mvt(
    path: str | os.PathLike[str], month: date | None = None, now: datetime | None = None
) -> tuple[LegActual, ...]:
    """The legs of a file of MVT messages; ``month`` (any date in it) dates the day of
    month of each message (default: the latest past date with that day); ``now`` (default
    the clock) is the latest time a message may give."""
    origin = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FieldError(None, f"cannot read ({exc.strerror or exc})", Where(origin)) from None
    return mvt_from_text(decode_text(data, origin, ".mvt"), origin, month, now)


def mvt_from_text(
    text: str, origin: str, month: date | None = None, now: datetime | None = None
) -> tuple[LegActual, ...]:
    """The legs of MVT text (see :func:`read_mvt`); ``origin`` names it in errors. Raises
    the first error: see :func:`parse_mvt`."""
    parsed = parse_mvt(text, origin, month, now)
    if parsed.errors:
        raise parsed.errors[0]
    return tuple(parsed.reports)


def parse_mvt(
    text: str, origin: str, month: date | None = None, now: datetime | None = None
) -> Parsed:
    """Every leg of the good messages of MVT text and one :class:`FieldError` per bad line
    outside a message or bad message (its line and element). A departure or arrival is
    paired only with its aircraft's other messages, so when one of an aircraft's messages
    is bad its messages that need a partner are refused too (each with an error naming the
    bad one): paired without it, they could make a leg that was never flown. A file with
    no MVT message raises."""
    clock = now or datetime.now(UTC)
    ref = month  # None: each message's day of month is its latest past date (see _day)
    chunks, errors = _split(text, origin)
    if not chunks:
        raise FieldError(None, "no MVT message (a message starts with a line MVT)", Where(origin))
    messages: list[_Message] = []
    bad: dict[str, int] = {}  # aircraft (tail key, "" unknown) -> its first bad message
    for n, chunk in enumerate(chunks, 1):
        try:
            messages.append(_parse(origin, n, chunk, ref, clock))
        except FieldError as exc:
            errors.append(exc)
            bad.setdefault(_aircraft(chunk.lines), n)
    kept = []
    for msg in messages:
        culprit = bad.get(_tail_key(msg.registration), bad.get(""))
        if culprit is None or (msg.departure and msg.arrival):
            kept.append(msg)
            continue
        half = "departure" if msg.departure else "arrival"
        errors.append(
            FieldError(
                "AD" if msg.departure else "AA",
                f"not read: message {culprit} has an error and may be this {half}'s "
                "partner; correct it and import the file again",
                msg.where,
            )
        )
    return drop_duplicates(Parsed(reports=_pair(kept), errors=errors))


def _split(text: str, origin: str) -> tuple[list[_Chunk], list[FieldError]]:
    """The lines of each message after its ``MVT`` line (address lines dropped), and an
    error per line before the first message."""
    messages: list[_Chunk] = []
    errors: list[FieldError] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().upper()
        if _HEADER.match(line):
            messages.append(_Chunk(n))
            if len(messages) > MAX_MESSAGES:
                reason = f"more than {MAX_MESSAGES:,} messages in one file; split it"
                raise FieldError(None, reason, Where(origin, n))
        elif not line or (_ADDRESS.match(line) and (not messages or len(messages[-1].lines) >= 2)):
            continue
        elif not messages:
            reason = f"{raw.strip()[:40]!r} before the first MVT line (a message starts with MVT)"
            errors.append(FieldError(None, reason, Where(origin, n)))
        else:
            messages[-1].lines.append(line)
            messages[-1].numbers.append(n)
    return messages, errors


def _aircraft(lines: list[str]) -> str:
    """The tail key of a message's identity line; "" when it cannot be read."""
    found = _IDENT.match(lines[0].replace(" ", "")) if lines else None
    if not found:
        return ""
    parts = found["rest"].split(".")
    return _tail_key(parts[0] if len(parts) == 2 else found["flight"])


def _parse(origin: str, number: int, chunk: _Chunk, ref: date | None, now: datetime) -> _Message:
    lines = chunk.lines
    if not lines:
        raise FieldError("flight", "the message is empty after MVT", chunk.where(origin, number))
    ident = _Line(chunk.where(origin, number, chunk.numbers[0]), lines[0])
    msg, base = _identity(origin, number, chunk.line, ident, ref, now)
    last = base
    for k, text in enumerate(lines[1:], start=1):
        ln = _Line(chunk.where(origin, number, chunk.numbers[k]), text)
        if text.startswith("SI"):  # free text to the end of the message
            rest = " ".join([text[2:].strip(), *lines[k + 1 :]]).strip()
            msg.remarks.append(f"SI {rest}" if rest else "SI")
            break
        last = _element(ln, msg, base, last, now)
    if not (msg.departure or msg.arrival):
        raise FieldError(
            "AD",
            "the message has no AD (departure) or AA (arrival) line",
            chunk.where(origin, number),
        )
    return msg


def _day(day: int, ref: date | None, today: date) -> date | None:
    """The date of day-of-month ``day``: in ``ref``'s month when given, else the latest such
    date up to ``today`` (a movement message reports what just happened: on the 2nd, a
    message of the 30th is of last month). None: no such day."""
    if ref is not None:
        try:
            return date(ref.year, ref.month, day)
        except ValueError:
            return None
    year, month = today.year, today.month
    for _ in range(12):
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found <= today:
            return found
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _identity(
    origin: str, number: int, line: int, ln: _Line, ref: date | None, now: datetime
) -> tuple[_Message, datetime]:
    text = ln.text
    found = _IDENT.match(text.replace(" ", ""))
    if not found:
        raise ln.fail(
            "flight",
            "not FLIGHT/DD.REGISTRATION.STATION or REGISTRATION/DD.STATION (e.g. 5U-MBD/27.GABS)",
        )
    parts = found["rest"].split(".")
    if len(parts) > 2 or not all(parts):
        raise ln.fail("flight", "after the day: .STATION or .REGISTRATION.STATION")
    flight = found["flight"]
    registration = parts[0] if len(parts) == 2 else flight
    day = _day(int(found["day"]), ref, now.date())
    if day is None:
        month = f"{ref:%Y-%m} (the reference month)" if ref else "any of the last 12 months"
        raise ln.fail("flight", f"day {found['day']} is not a day of {month}")
    try:
        station = v.airfield("station", parts[-1])
    except FieldError as exc:
        raise ln.fail("station", exc.reason) from None
    base = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return _Message(number, origin, line, registration, flight, station), base


def _element(ln: _Line, msg: _Message, base: datetime, last: datetime, now: datetime) -> datetime:
    """Read one AD/AA/EA/DL/PX line into ``msg``; returns the latest time read so far."""
    if m := _AD.match(ln.text):
        msg.out_utc = last = _time(ln, "AD", m["t1"], base, last, now)
        if m["t2"]:
            msg.off_utc = last = _time(ln, "AD", m["t2"], base, last, now)
        if m["ea"]:
            _estimate(ln, msg, m["ea"], base, last)
        return last
    if m := _AA.match(ln.text):
        msg.on_utc = last = _time(ln, "AA", m["t1"], base, last, now)
        if m["t2"]:
            msg.in_utc = last = _time(ln, "AA", m["t2"], base, last, now)
        return last
    if ln.text.startswith("EA"):
        _estimate(ln, msg, ln.text, base, last)
        return last
    if m := _DL.match(ln.text):
        msg.remarks.append(_delay(ln, m["codes"], m["times"] or ""))
        return last
    if m := _PX.match(ln.text):
        msg.remarks.append(f"{int(m['pax'])} pax on board (PX)")
        return last
    kind = ln.text[:2]
    if kind in SUPPORTED:
        raise ln.fail(kind, f"not a valid {kind} line (see the MVT format in airlift.tracking.mvt)")
    raise ln.fail(kind, f"line type {kind!r} is not supported (supported: {', '.join(SUPPORTED)})")


def _estimate(ln: _Line, msg: _Message, text: str, base: datetime, last: datetime) -> None:
    m = _EA.match(text.strip())
    if not m:
        raise ln.fail("EA", "EA must be EAhhmm STATION (e.g. EA0848 GAGO)")
    _time(ln, "EA", m["t"], base, last, None)  # checked, not kept: an estimate is no actual
    try:
        msg.ea_station = v.airfield("EA", m["station"])
    except FieldError as exc:
        raise ln.fail("EA", exc.reason) from None


def _time(
    ln: _Line, element: str, text: str, base: datetime, last: datetime, now: datetime | None
) -> datetime:
    """``hhmm`` on the message's day, rolled past midnight if before ``last``; ``ddhhmm`` on
    day ``dd`` of the message's month."""
    day, hh, mm = (
        (int(text[:2]), int(text[2:4]), int(text[4:]))
        if len(text) == 6
        else (
            None,
            int(text[:2]),
            int(text[2:]),
        )
    )
    if hh > 23:
        raise ln.fail(element, f"hour {hh} in {text} is not an hour (00-23)")
    if mm > 59:
        raise ln.fail(element, f"minute {mm} in {text} is not a minute (00-59)")
    if day is not None:
        try:
            when = base.replace(day=day, hour=hh, minute=mm)
        except ValueError:
            raise ln.fail(
                element, f"day {day:02d} in {text} is not a day of {base:%Y-%m}"
            ) from None
    else:
        when = base.replace(hour=hh, minute=mm)
        while when < last:
            when += timedelta(days=1)
    if now is not None and when > now + CLOCK_SKEW:
        raise ln.fail(
            element,
            f"{when:%Y-%m-%dT%H:%MZ} is in the future (now {now:%Y-%m-%dT%H:%MZ}): "
            "check the day and the reference month",
        )
    return when


def _delay(ln: _Line, codes: str, times: str) -> str:
    """``DL72/0012`` or ``DL7281/0010/0005``: codes of two characters, a duration each."""
    if len(codes) % 2:
        raise ln.fail("DL", "delay codes are two characters each (DL72, DL7281)")
    pairs = [codes[i : i + 2] for i in range(0, len(codes), 2)]
    spans = [t for t in times.split("/") if t]
    if spans and len(spans) != len(pairs):
        raise ln.fail("DL", f"{len(pairs)} delay code(s) but {len(spans)} duration(s)")
    words = []
    for n, code in enumerate(pairs):
        if not spans:
            words.append(f"code {code}")
            continue
        hh, mm = int(spans[n][:2]), int(spans[n][2:])
        if mm > 59:
            raise ln.fail("DL", f"minute {mm} in {spans[n]} is not a minute (00-59)")
        words.append(f"code {code} {hh * 60 + mm} min")
    return "delay " + ", ".join(words) + " (DL)"


def _tail_key(registration: str) -> str:
    return registration.replace("-", "").upper()


def _pair(messages: list[_Message]) -> list[LegActual]:
    """Each AA with the latest earlier AD of the same aircraft still unpaired (within a day)."""
    departures = sorted((m for m in messages if m.departure), key=_first)
    legs: list[LegActual] = []
    paired: set[int] = set()
    for msg in messages:
        if msg.departure and msg.arrival:  # one message with both
            legs.append(_leg(msg, msg))
            paired.add(msg.number)
    arrivals = sorted(
        (m for m in messages if m.arrival and not m.departure),
        key=_first,
    )
    for arr in arrivals:
        landed = arr.on_utc or arr.in_utc
        assert landed is not None
        dep = next(
            (
                d
                for d in reversed(departures)
                if d.number not in paired
                and _tail_key(d.registration) == _tail_key(arr.registration)
                and _first(d) <= landed + timedelta(days=1)
                and landed - _first(d) <= timedelta(days=1)
            ),
            None,
        )
        if dep is not None:
            paired.add(dep.number)
            arr_shifted = _after(arr, _first(dep))
            legs.append(_leg(dep, arr_shifted))
        else:
            legs.append(_leg(None, arr))
    legs += [_leg(d, None) for d in departures if d.number not in paired]
    return sorted(legs, key=lambda leg: leg.where.row or 0)


def _first(m: _Message) -> datetime:
    t = m.out_utc or m.off_utc or m.on_utc or m.in_utc
    assert t is not None
    return t


def _after(arr: _Message, departed: datetime) -> _Message:
    """The arrival's times moved a day on while before the departure (AA of a flight that
    left before midnight, on the day after)."""
    shift = timedelta(0)
    while (arr.on_utc or arr.in_utc or departed) + shift < departed:
        shift += timedelta(days=1)
    if not shift:
        return arr
    return replace(
        arr,
        on_utc=arr.on_utc + shift if arr.on_utc else None,
        in_utc=arr.in_utc + shift if arr.in_utc else None,
    )


def _leg(dep: _Message | None, arr: _Message | None) -> LegActual:
    first = dep or arr
    assert first is not None
    remarks = [*(dep.remarks if dep else []), *(arr.remarks if arr and arr is not dep else [])]
    return LegActual(
        tail=first.registration,
        origin=dep.station if dep else "",
        destination=arr.station if arr else (dep.ea_station if dep else ""),
        source=Source.MVT,
        out_utc=dep.out_utc if dep else None,
        off_utc=dep.off_utc if dep else None,
        on_utc=arr.on_utc if arr else None,
        in_utc=arr.in_utc if arr else None,
        remarks="; ".join(remarks),
        reported_by=f"MVT {first.flight}",
        where=first.where,
    )


__all__ = ["SUPPORTED", "mvt_from_text", "parse_mvt", "read_mvt"]
