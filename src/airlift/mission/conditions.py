"""Conditions at a stop: surface weather, density altitude, fuel, civil twilight, time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from airlift.airfields import Airfield
from airlift.atmosphere import Weather, density_alt_ft, density_ratio, isa_temp_c, pressure_alt_ft


def surface_weather(a: Airfield, given: dict[str, Weather]) -> Weather:
    """Weather given for the airfield, else its planning OAT, else ISA at its elevation."""
    if a.icao in given:
        return given[a.icao]
    if a.planning.planning_oat_c is not None:
        return Weather(oat_c=a.planning.planning_oat_c, source="theatre planning OAT")
    return Weather(oat_c=round(isa_temp_c(a.elevation_ft), 1), source="ISA")


def density_at(a: Airfield, wx: Weather) -> tuple[float, float]:
    """(sigma, density altitude ft) at an airfield."""
    pa = pressure_alt_ft(a.elevation_ft, wx.qnh_hpa)
    return density_ratio(pa, wx.oat_c), density_alt_ft(pa, wx.oat_c)


def fuel_available(a: Airfield) -> bool:
    """Whether fuel can be bought there. Unknown counts as none: the safe side (the theatre
    file says where fuel really is)."""
    return bool(a.planning.fuel_available)


@lru_cache(maxsize=4096)
def civil_twilight(lat: float, lon: float, day: date) -> tuple[datetime, datetime]:
    """(civil dawn, civil dusk) in UTC on a day, cached."""
    from astral import Observer
    from astral.sun import sun

    s = sun(Observer(lat, lon), date=day, dawn_dusk_depression=6.0, tzinfo=UTC)
    return s["dawn"], s["dusk"]


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The time zone of that name, cached."""
    return ZoneInfo(name)


def minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60.0
