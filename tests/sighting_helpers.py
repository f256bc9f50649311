"""Sighting test helpers: a tiny plan, easy to check by hand (27 Oct 2023, UTC), and small
JPEGs with the EXIF a test asks for (built at test time: no binary fixtures).

The plan:

* 5U-MBD (C-130H, NE): on the ground at DRRN until 12:00, DRRN->GAGO 12:00-14:00,
  GAGO->DRRN 15:00-17:00.
* 5U-MBH (C-130H, NE): GABS->GAGO 07:00-09:00, GAGO->GABS 10:00-12:00.
* TZ-02C (C295, ML): GABS->GATS 08:00-10:00, GATS->GABS 11:00-13:00.

Times are take-off and landing; off-block is 15 min before take-off, on-block 10 min after
landing.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from PIL import Image

DAY = "2023-10-27"


def _leg(n: int, origin: str, dest: str, off: str, on: str) -> dict[str, Any]:
    t_off = datetime.fromisoformat(f"{DAY}T{off}+00:00")
    t_on = datetime.fromisoformat(f"{DAY}T{on}+00:00")
    return {
        "number": n,
        "origin": origin,
        "destination": dest,
        "etd_utc": (t_off - timedelta(minutes=15)).isoformat(),
        "takeoff_utc": t_off.isoformat(),
        "landing_utc": t_on.isoformat(),
        "eta_utc": (t_on + timedelta(minutes=10)).isoformat(),
        "trip_fuel_kg": 3000,
        "taxi_fuel_kg": 100,
        "cargo_kg": 5000,
        "pallets": 2,
        "pax": 0,
    }


def _mission(tail: str, aircraft: str, nation: str, legs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "tail": tail,
        "aircraft": aircraft,
        "nation": nation,
        "day": 1,
        "date": DAY,
        "plan": {"legs": legs},
    }


def sighting_plan() -> dict[str, Any]:
    return {
        "missions": [
            _mission(
                "5U-MBD",
                "C-130H",
                "NE",
                [
                    _leg(1, "DRRN", "GAGO", "12:00", "14:00"),
                    _leg(2, "GAGO", "DRRN", "15:00", "17:00"),
                ],
            ),
            _mission(
                "5U-MBH",
                "C-130H",
                "NE",
                [
                    _leg(1, "GABS", "GAGO", "07:00", "09:00"),
                    _leg(2, "GAGO", "GABS", "10:00", "12:00"),
                ],
            ),
            _mission(
                "TZ-02C",
                "C295",
                "ML",
                [
                    _leg(1, "GABS", "GATS", "08:00", "10:00"),
                    _leg(2, "GATS", "GABS", "11:00", "13:00"),
                ],
            ),
        ]
    }


def jpeg(
    when: str | None = None, offset: str | None = None, gps: tuple[float, float] | None = None
) -> bytes:
    """A 16 x 16 JPEG with the EXIF given (a few hundred bytes)."""
    img = Image.new("RGB", (16, 16), (90, 120, 150))
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    if when:
        sub[0x9003] = when
    if offset:
        sub[0x9011] = offset
    if gps:
        g = exif.get_ifd(0x8825)
        lat, lon = gps

        def dms(x: float) -> tuple[float, float, float]:
            x = abs(x)
            d, m = int(x), int((x % 1) * 60)
            return (float(d), float(m), round((x - d - m / 60) * 3600, 4))

        g[1], g[2] = ("N" if lat >= 0 else "S"), dms(lat)
        g[3], g[4] = ("E" if lon >= 0 else "W"), dms(lon)
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()
