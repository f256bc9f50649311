"""What a photo says of a sighting: its EXIF time and GPS position (Pillow).

* Time: ``DateTimeOriginal`` (when the shutter fired), with ``OffsetTimeOriginal`` when the
  camera wrote it. Without the offset the time zone is **unknown**: a camera clock is set to
  anything (home time, UTC, the theatre's). The caller must name the zone (``tz``); it is
  never guessed from the position or the server.
* Position: the GPS IFD's latitude and longitude (degrees, minutes, seconds and N/S, E/W).
* ``sha256``: of the file as given, so the same photo reported twice is one sighting; the
  image itself is not kept.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from airlift.errors import FieldError
from airlift.tracking.sightings import Sighting, SightingSource

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4
MAX_PHOTO_BYTES = 30 * 1024 * 1024
"""A camera JPEG is a few MB; a file bigger than 30 MB is not one photo."""


@dataclass(frozen=True, slots=True)
class PhotoFacts:
    """What was read from a photo. ``local_time``: the EXIF time as written (naive, zone as
    ``offset`` says, or unknown); ``at_utc``: it in UTC when the zone is known."""

    sha256: str
    local_time: datetime | None
    offset: str
    """The EXIF offset (+01:00), or the zone the caller named; "" unknown."""
    at_utc: datetime | None
    lat: float | None
    lon: float | None


def parse_zone(text: str, field: str = "tz") -> timezone | ZoneInfo:
    """A time zone as the user names it: ``UTC``, ``Z``, an offset (``+01:00``) or an IANA
    name (``Africa/Bamako``)."""
    t = text.strip()
    if t.upper() in ("Z", "UTC"):
        return UTC
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", t)
    if m:
        sign = 1 if m[1] == "+" else -1
        delta = timedelta(hours=int(m[2]), minutes=int(m[3]))
        if delta > timedelta(hours=14):
            raise FieldError(field, f"{field} {t!r} is not a UTC offset (at most ±14:00)")
        return timezone(sign * delta)
    try:
        return ZoneInfo(t)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(
            field, f"{field} {t!r} is not a time zone (UTC, +01:00 or an IANA name)"
        ) from None


def _degrees(value: Any, ref: Any, field: str) -> float:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError):
        raise FieldError(
            "photo", f"photo: GPS {field} {value!r} is not degrees/minutes/seconds"
        ) from None
    deg = d + m / 60 + s / 3600
    return -deg if str(ref).strip().upper() in ("S", "W") else deg


def read_photo(data: bytes, tz: str = "") -> PhotoFacts:
    """The EXIF time and GPS position of a photo (JPEG, TIFF, anything Pillow reads with
    EXIF). ``tz`` names the camera clock's zone when the photo has no offset; it is ignored
    (the EXIF offset wins) when it has one. Not an image: a FieldError on ``photo``."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_PHOTO_BYTES:
        raise FieldError("photo", f"photo is {len(data) / 1e6:.0f} MB: at most 30 MB")
    try:
        with Image.open(io.BytesIO(data)) as img:
            exif = img.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FieldError("photo", "photo: not an image file (JPEG or TIFF with EXIF)") from None
    digest = hashlib.sha256(data).hexdigest()
    sub = exif.get_ifd(EXIF_IFD)
    local: datetime | None = None
    raw = sub.get(DATETIME_ORIGINAL)
    if raw:
        try:
            local = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
        except ValueError:
            raise FieldError(
                "photo", f"photo: EXIF DateTimeOriginal {raw!r} is not a time"
            ) from None
    offset = str(sub.get(OFFSET_TIME_ORIGINAL) or "").strip("\x00 ")
    at: datetime | None = None
    if local is not None:
        zone_text = offset or tz
        if zone_text:
            zone = parse_zone(zone_text, "photo" if offset else "tz")
            at = local.replace(tzinfo=zone).astimezone(UTC)
            offset = zone_text
    gps = exif.get_ifd(GPS_IFD)
    lat = lon = None
    if GPS_LAT in gps and GPS_LON in gps:
        lat = _degrees(gps[GPS_LAT], gps.get(GPS_LAT_REF, "N"), "latitude")
        lon = _degrees(gps[GPS_LON], gps.get(GPS_LON_REF, "E"), "longitude")
    return PhotoFacts(digest, local, offset, at, lat, lon)


def photo_time(facts: PhotoFacts) -> datetime:
    """The photo's UTC time, or a FieldError saying why it has none."""
    if facts.at_utc is not None:
        return facts.at_utc
    if facts.local_time is not None:
        raise FieldError(
            "tz",
            f"photo taken {facts.local_time:%Y-%m-%d %H:%M:%S} camera time, time zone unknown "
            "(no EXIF OffsetTimeOriginal): give tz (UTC, +01:00, Africa/Bamako) or the time",
        )
    raise FieldError("at_utc", "photo has no EXIF time (DateTimeOriginal): give the time seen")


def photo_sighting(
    data: bytes,
    *,
    tz: str = "",
    at_utc: datetime | None = None,
    airfield: str = "",
    **fields: Any,
) -> Sighting:
    """A sighting from a photo and what the reporter added (``fields``: tail, aircraft_type,
    confidence, note, reported_by). A time given wins over the photo's (a camera clock is
    often wrong); without one the photo's time is taken, and its zone must be known. The
    position is the photo's GPS fix; without one the airfield must be given."""
    facts = read_photo(data, tz)
    when = at_utc or photo_time(facts)
    if not airfield.strip() and facts.lat is None:
        raise FieldError("airfield", "the photo has no GPS position: give the airfield")
    return Sighting(
        at_utc=when,
        airfield=airfield,
        lat=facts.lat,
        lon=facts.lon,
        source=SightingSource.PHOTO,
        photo_sha256=facts.sha256,
        **fields,
    )


__all__ = ["PhotoFacts", "parse_zone", "photo_sighting", "photo_time", "read_photo"]
