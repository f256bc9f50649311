"""ISA atmosphere, pressure and density altitude, and the weather a plan needs from a METAR.

The ISA formulas are a handful of closed-form lines (ICAO Doc 7488, troposphere only, which
covers every airfield on Earth); a dependency such as ``ambiance`` would add an import for
five lines, so they are written here. METAR decoding uses the ``metar`` package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from airlift.errors import FieldError, InputError

T0_K = 288.15  # ISA sea-level temperature
P0_HPA = 1013.25  # ISA sea-level pressure
LAPSE_K_PER_FT = 0.0019812  # 6.5 K/km
_EXP = 5.255876  # g / (R * L)
R_DRY = 287.05287  # J/(kg K)
RHO0 = 1.225  # kg/m^3

Num = TypeVar("Num", float, npt.NDArray[np.float64])


def isa_temp_c(pressure_alt_ft: float) -> float:
    """ISA temperature (°C) at a pressure altitude (ft)."""
    return T0_K - LAPSE_K_PER_FT * pressure_alt_ft - 273.15


def pressure_alt_ft(elevation_ft: float, qnh_hpa: float = P0_HPA) -> float:
    """Pressure altitude (ft) of an airfield at ``elevation_ft`` with altimeter setting QNH."""
    return elevation_ft + (T0_K / LAPSE_K_PER_FT) * (1.0 - math.pow(qnh_hpa / P0_HPA, 1.0 / _EXP))


def density_ratio(pressure_alt: float, oat_c: float) -> float:
    """sigma = rho / rho0 for a pressure altitude (ft) and outside air temperature (°C)."""
    p_ratio = math.pow(1.0 - LAPSE_K_PER_FT * pressure_alt / T0_K, _EXP)
    return p_ratio * T0_K / (oat_c + 273.15)


def density_alt_ft(pressure_alt: float, oat_c: float) -> float:
    """Density altitude (ft): the ISA altitude with the same air density."""
    sigma = density_ratio(pressure_alt, oat_c)
    return (T0_K / LAPSE_K_PER_FT) * (1.0 - math.pow(sigma, 1.0 / (_EXP - 1.0)))


@dataclass(frozen=True, slots=True)
class Weather:
    """Surface weather at an airfield: OAT °C, QNH hPa, wind from deg true at kt."""

    oat_c: float
    qnh_hpa: float = P0_HPA
    wind_dir_deg: float | None = None
    wind_kt: float | None = None
    source: str = "given"
    station: str = ""


QNH_HPA = (850.0, 1090.0)
"""QNH a METAR may report: the records are about 870 hPa (typhoon Tip) and 1084 hPa."""
MAX_WIND_KT = 250.0
"""Surface wind or gust beyond any record (a 220 kt gust, Barrow Island 1996): a garbled group."""


def check_oat(oat_c: float) -> float:
    if not math.isfinite(oat_c) or not -60.0 <= oat_c <= 60.0:
        raise FieldError(
            "oat_c", f"OAT must be a finite temperature between -60 and 60 °C, got {oat_c}"
        )
    return oat_c


def parse_metar(text: str) -> Weather:
    """Read temperature, QNH and wind from a METAR; a malformed one raises InputError."""
    from metar.Metar import Metar, ParserError

    try:
        report = Metar(text.strip(), strict=True)
    except ParserError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unparseable"
        raise InputError(f"malformed METAR {text!r}: {first}") from None
    if report.temp is None:
        raise InputError(f"METAR {text!r} has no temperature group (e.g. 44/M02)")
    if not report.station_id or len(report.station_id) != 4:
        raise InputError(f"METAR {text!r} does not start with a 4-letter station")
    qnh = report.press.value("HPA") if report.press is not None else P0_HPA
    if not QNH_HPA[0] <= qnh <= QNH_HPA[1]:
        raise InputError(
            f"METAR {text!r}: QNH {qnh:g} hPa is outside {QNH_HPA[0]:g}-{QNH_HPA[1]:g} hPa"
        )
    wind_kt = report.wind_speed.value("KT") if report.wind_speed is not None else None
    gust = report.wind_gust.value("KT") if report.wind_gust is not None else None
    for what, kt in (("wind", wind_kt), ("gust", gust)):
        if kt is not None and kt > MAX_WIND_KT:
            raise InputError(f"METAR {text!r}: {what} {kt:g} kt is over {MAX_WIND_KT:g} kt")
    wind_dir = report.wind_dir.value() if report.wind_dir is not None else None
    if wind_dir is not None and wind_dir % 10:
        # METARs give the direction in tens of degrees (ICAO Annex 3, WMO FM 15): 09999KT is
        # 099° at 99 kt to the parser, a garbled group (090° at 999 kt?) to a forecaster.
        raise InputError(
            f"METAR {text!r}: wind direction {wind_dir:03.0f}° is not in tens of degrees "
            "(a garbled wind group?)"
        )
    return Weather(
        oat_c=check_oat(report.temp.value("C")),
        qnh_hpa=qnh,
        wind_dir_deg=wind_dir,
        wind_kt=wind_kt,
        source="METAR",
        station=report.station_id,
    )


@dataclass(frozen=True, slots=True)
class Wind:
    """A wind from ``dir_deg`` (true) at ``speed_kt``."""

    dir_deg: float
    speed_kt: float

    @classmethod
    def parse(cls, text: str) -> Wind:
        """Parse ``"270/25"`` (from 270° true at 25 kt)."""
        try:
            d, s = text.split("/")
            wind = cls(float(d), float(s))
        except ValueError:
            raise InputError(f"wind must look like 270/25 (deg true/kt), got {text!r}") from None
        if not (0 <= wind.dir_deg <= 360 and 0 <= wind.speed_kt < MAX_WIND_KT):
            raise InputError(f"wind {text!r} out of range (0-360 deg, 0-250 kt)")
        return wind

    def components(self, course_deg: float) -> tuple[float, float]:
        """(headwind, crosswind) in kt on a true course; a tailwind is a negative headwind."""
        angle = math.radians(self.dir_deg - course_deg)
        return self.speed_kt * math.cos(angle), self.speed_kt * math.sin(angle)

    def ground_speed_kt(self, tas_kt: float, course_deg: float) -> float:
        """Ground speed from the wind triangle (the aircraft crabs to hold the course)."""
        head, cross = self.components(course_deg)
        if abs(cross) >= tas_kt:
            return 0.0
        return tas_kt * math.sqrt(1.0 - (cross / tas_kt) ** 2) - head


# --- the atmosphere aloft (cruise levels), vectorised ------------------------------------------

TROPOPAUSE_FT = 36_089.0
_T_TROPOPAUSE_K = 216.65
_DELTA_TROPOPAUSE = 0.223361
_STRATO_SCALE_FT = 20_805.7  # R T / g at the tropopause, in ft
KT_PER_SQRT_K = 38.967854  # speed of sound (kt) = 38.97 sqrt(T in K), gamma 1.4, dry air


def isa_aloft(alt_ft: Num, isa_dev_c: Num | float = 0.0) -> tuple[Num, Num, Num]:
    """(temperature K, pressure ratio delta, density ratio sigma) at a pressure altitude (ft)
    with a temperature deviation from ISA (°C); troposphere and lower stratosphere (to FL650).
    Works on floats and numpy arrays alike."""
    h = np.asarray(alt_ft, dtype=float)
    t_isa = np.where(h < TROPOPAUSE_FT, T0_K - LAPSE_K_PER_FT * h, _T_TROPOPAUSE_K)
    delta = np.where(
        h < TROPOPAUSE_FT,
        (np.minimum(t_isa, T0_K + 50.0) / T0_K) ** _EXP,
        _DELTA_TROPOPAUSE * np.exp(-(h - TROPOPAUSE_FT) / _STRATO_SCALE_FT),
    )
    temp = t_isa + isa_dev_c
    sigma = delta * T0_K / temp
    return temp, delta, sigma  # type: ignore[return-value]
