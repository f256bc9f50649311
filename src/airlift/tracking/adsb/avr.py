"""AVR: raw Mode S messages as hex text, one per line (dump1090 / readsb port 30002).

Accepted line shapes:

* ``*8D4840D6202CC371C32CE0576098;`` (plain AVR: no time, so ``start_utc`` is the time of
  the first line and the lines are taken 0.5 s apart: enough to read a recording's
  positions, not its timing);
* ``@0000A1B2C3D48D4840D6202CC371C32CE0576098;`` (AVR with a 48-bit 12 MHz MLAT counter
  before the message: times from ``start_utc`` plus counter ticks);
* ``1446332400.123,8D4840D6202CC371C32CE0576098`` or ``1446332400.123 *8D...;`` (a UTC
  time in seconds since 1970 before the message, as pyModeS's ``modes decode --file`` reads).

Blank lines and lines starting with ``#`` are skipped.
"""

from __future__ import annotations

import re
from datetime import datetime

import pyarrow as pa

from airlift.tracking.adsb import _modes
from airlift.tracking.adsb._files import bad

MLAT_HZ = 12_000_000.0
"""The MLAT counter rate of dump1090 and readsb (12 MHz)."""
PLAIN_STEP_S = 0.5
_LINE = re.compile(
    r"^(?:(?P<epoch>\d{9,10}(?:\.\d+)?)\s*[, ]\s*)?"
    r"(?:\*(?P<plain>[0-9A-Fa-f]+);?|@(?P<mlat>[0-9A-Fa-f]{12})(?P<hex>[0-9A-Fa-f]+);?"
    r"|(?P<bare>[0-9A-Fa-f]{8,}))$"
)


def looks_like(text: str) -> bool:
    """True if the first non-blank, non-comment line is an AVR line."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return bool(_LINE.match(line))
    return False


def read(
    data: bytes,
    origin: str,
    start_utc: datetime | None = None,
    receiver: tuple[float, float] | None = None,
) -> pa.Table:
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise bad(origin, "not AVR text (a byte that is not ASCII)", exc.start, "byte") from None
    messages: list[tuple[float, str]] = []
    first_tick: int | None = None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if m is None:
            shown = line if len(line) <= 40 else line[:40] + "..."
            raise bad(origin, f"not an AVR line: {shown!r}", n)
        hexmsg = m["plain"] or m["hex"] or m["bare"]
        if len(hexmsg) not in (14, 28):
            reason = f"a Mode S message has 14 or 28 hex digits, got {len(hexmsg)} (truncated?)"
            raise bad(origin, reason, n)
        if m["epoch"]:
            t = float(m["epoch"])
        elif start_utc is None:
            raise bad(
                origin,
                "AVR lines carry no date: give the UTC time of the first line (--start-utc)",
                n,
            )
        elif m["mlat"]:
            tick = int(m["mlat"], 16)
            first_tick = tick if first_tick is None else first_tick
            t = start_utc.timestamp() + ((tick - first_tick) % (1 << 48)) / MLAT_HZ
        else:
            t = start_utc.timestamp() + PLAIN_STEP_S * len(messages)
        messages.append((t, hexmsg.upper()))
    messages.sort(key=lambda m: m[0])
    table, _ = _modes.decode(messages, receiver)
    return table
