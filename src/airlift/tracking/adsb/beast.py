"""Mode-S Beast binary (dump1090 / readsb port 30005, or a file of it).

A frame is ``0x1a``, a type byte, a 6-byte MLAT counter, a signal byte and the message; a
0x1a inside the frame is doubled. Types: ``'1'`` Mode A/C (2 bytes, skipped), ``'2'`` Mode S
short (7 bytes), ``'3'`` Mode S long (14 bytes), ``'4'`` receiver status (skipped).

We frame the bytes ourselves: pyModeS has a Beast parser, but inside its command-line tool
(``pyModeS.cli._source``, private) and built for a live socket, where it skips a corrupt
frame silently; a file that is corrupt or truncated must be refused with the byte where
it went wrong. The messages themselves are decoded by pyModeS.

The counter has no date: ``start_utc`` is the time of the first frame, and ticks count at
12 MHz (dump1090, readsb) unless the caller says otherwise (1 GHz: Radarcape).
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from airlift.tracking.adsb import _modes
from airlift.tracking.adsb._files import bad

ESC = 0x1A
MLAT_HZ = 12_000_000.0
BODY = {0x31: 6 + 1 + 2, 0x32: 6 + 1 + 7, 0x33: 6 + 1 + 14}
STATUS = 0x34


def frames(data: bytes, origin: str) -> list[tuple[int, str]]:
    """(MLAT ticks, message hex) of every Mode S frame, in file order."""
    out: list[tuple[int, str]] = []
    i, n = 0, len(data)
    while i < n:
        if data[i] != ESC:
            raise bad(origin, f"expected a Beast frame (0x1a), got 0x{data[i]:02x}", i, "byte")
        if i + 1 >= n:
            raise bad(origin, "the file ends inside a Beast frame (truncated)", i, "byte")
        kind = data[i + 1]
        if kind == STATUS:  # receiver status: skip to the next frame
            j = i + 2
            while j < n and not (data[j] == ESC and (j + 1 >= n or data[j + 1] != ESC)):
                j += 2 if data[j] == ESC else 1
            i = j
            continue
        if kind not in BODY:
            raise bad(origin, f"unknown Beast frame type 0x{kind:02x}", i + 1, "byte")
        start, j, body = i, i + 2, bytearray()
        while len(body) < BODY[kind]:
            if j >= n:
                raise bad(origin, "the file ends inside a Beast frame (truncated)", start, "byte")
            b = data[j]
            if b == ESC:
                if j + 1 < n and data[j + 1] == ESC:
                    j += 1
                else:
                    reason = "a Beast frame is cut short by the next one (corrupt)"
                    raise bad(origin, reason, start, "byte")
            body.append(b)
            j += 1
        if kind != 0x31:
            out.append((int.from_bytes(body[:6], "big"), body[7:].hex().upper()))
        i = j
    return out


def read(
    data: bytes,
    origin: str,
    start_utc: datetime | None = None,
    receiver: tuple[float, float] | None = None,
    mlat_hz: float = MLAT_HZ,
) -> pa.Table:
    found = frames(data, origin)
    if not found:
        return _modes.decode([], receiver)[0]
    if start_utc is None:
        raise bad(
            origin, "Beast frames carry no date: give the UTC time of the first frame (--start-utc)"
        )
    t0, first = start_utc.timestamp(), found[0][0]
    messages = [(t0 + ((tick - first) % (1 << 48)) / mlat_hz, msg) for tick, msg in found]
    messages.sort(key=lambda m: m[0])
    return _modes.decode(messages, receiver)[0]
