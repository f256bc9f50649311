"""The answers of `airlift perf` and `/api/perf/*`: JSON-ready documents with units.

The CLI and the web API both build their answers here, so the keys and numbers are the same
in both (a contract other tools script against). Every numeric input is checked against
:data:`PERF_LIMITS` and the type's own limits; a bad one raises :class:`PerfInputError`
naming the parameter, and a failure of the model itself is one line too, never a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from airlift.aircraft import AircraftType
from airlift.errors import FieldError, InputError

PERF_LIMITS: dict[str, tuple[float, float, str]] = {
    "payload_kg": (0.0, 1_000_000.0, "kg"),
    "fuel_kg": (0.0, 1_000_000.0, "kg"),
    "weight_kg": (0.0, 1_000_000.0, "kg"),
    "reserve_min": (0.0, 600.0, "min"),
    "fl": (0.0, 600.0, ""),
    "isa_dev_c": (-40.0, 40.0, "°C"),
    "elevation_ft": (-2_000.0, 15_000.0, "ft"),
    "oat_c": (-60.0, 60.0, "°C"),
    "factor": (1.0, 3.0, ""),
}
"""Type-independent bounds of every numeric input (min, max, unit): the API declares them as
its parameters' limits. The type's own limits (max payload, MTOW, ceiling) come on top."""

PERF_UNITS: dict[str, str] = {
    "range_nm": "NM (still air, brake release to landing)",
    "time_h": "h (brake release to landing)",
    "endurance_h": "h (brake release to landing with the reserve left)",
    "payload_kg": "kg",
    "fuel_kg": "kg (on board at brake release)",
    "tow_kg": "kg (take-off weight)",
    "weight_kg": "kg",
    "reserve_min": "min (of holding at 1,500 ft, max-endurance speed)",
    "reserve_kg": "kg (fuel of the reserve)",
    "cruise_fl": "flight level (hundreds of ft, pressure altitude)",
    "isa_dev_c": "°C (deviation from ISA)",
    "cruise_tas_kt": "kt (true airspeed)",
    "tas_kt": "kt (true airspeed)",
    "fuel_flow_kg_h": "kg/h (all engines)",
    "elevation_ft": "ft (taken as the pressure altitude)",
    "oat_c": "°C (outside air temperature; ISA at the elevation unless given)",
    "ground_roll_m": "m",
    "distance_50ft_m": "m (to or from a 50 ft screen)",
    "balanced_field_m": "m (accelerate-stop = accelerate-go, one engine out)",
    "landing_distance_m": "m (distance from 50 ft x factor)",
    "factor": "multiplier on the landing distance from 50 ft (x 1.15 when wet)",
}
"""The unit of every numeric key of the `perf` documents (sent as their ``units``)."""

_PERF_NAMES = {"pressure_alt_ft": "elevation_ft", "tow_kg": "fuel_kg"}
"""Library field names that the `perf` interface spells otherwise (its options and keys)."""


class PerfInputError(InputError):
    """Bad input to a `perf` question; ``field`` is the parameter's name (API and JSON)."""

    def __init__(self, field: str | None, message: str) -> None:
        self.field = field
        super().__init__(message)


@contextmanager
def _named_fields() -> Iterator[None]:
    """Re-raise the library's InputError as a PerfInputError naming the parameter, and a
    failure of the model itself (an arithmetic or indexing error on inputs it should have
    refused or answered) as one line too: an interface that scripts use never ends in a
    traceback or a server error. NumPy's floating-point warnings stay quiet (one line)."""
    import numpy as np

    try:
        with np.errstate(all="ignore"):
            yield
    except PerfInputError:
        raise
    except FieldError as exc:
        field = _PERF_NAMES.get(exc.field or "", exc.field)
        raise PerfInputError(field, str(exc)) from None
    except InputError as exc:
        raise PerfInputError(None, str(exc)) from None
    except (ArithmeticError, IndexError, ValueError) as exc:
        raise _model_failure(f"{type(exc).__name__}: {exc}") from exc


def _model_failure(what: str) -> PerfInputError:
    text = " ".join(what.split())[:200]
    return PerfInputError(
        None,
        f"the performance model cannot answer with these inputs ({text}); try another "
        "level, speed or weight, and report it",
    )


def perf_value(field: str, value: object) -> float:
    """``value`` (a number or the text of one) as a float within :data:`PERF_LIMITS`."""
    lo, hi, unit = PERF_LIMITS[field]
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PerfInputError(field, f"{field} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise PerfInputError(field, f"{field} must be a finite number, got {value!r}")
    if not lo <= number <= hi:
        raise PerfInputError(
            field,
            f"{field} must be between {_plain(lo)} and {_plain(hi)}{' ' + unit if unit else ''}"
            f", got {number:g}",
        )
    return number


def _speed(speed: str | None) -> str | None:
    """A speed schedule as given, checked; None is the type's normal one (an empty text is
    not: it is refused, as any other schedule that is not one)."""
    from airlift.performance import parse_speed

    if speed is None:
        return None
    with _named_fields():
        return parse_speed(speed)


def _plain(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:g}"


def _optional(field: str, value: object | None) -> float | None:
    return None if value is None else perf_value(field, value)


def _num(value: float | None, decimals: int = 1) -> float | None:
    """Rounded for reading; None for None, inf and NaN (JSON has neither)."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


def _units(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "units": {k: PERF_UNITS[k] for k in doc if k in PERF_UNITS}}


def _aircraft_weight(t: AircraftType, weight_kg: float) -> float:
    """A gross weight of the type: between its empty weight and its MTOW."""
    if weight_kg > t.mtow_kg + 0.5:
        raise PerfInputError(
            "weight_kg",
            f"weight_kg {weight_kg:,.0f} kg exceeds the {t.designator}'s MTOW {t.mtow_kg:,.0f} kg",
        )
    if weight_kg < t.oew_kg - 0.5:
        raise PerfInputError(
            "weight_kg",
            f"weight_kg {weight_kg:,.0f} kg is below the {t.designator}'s operating empty "
            f"weight {t.oew_kg:,.0f} kg",
        )
    return weight_kg


def _range_like(
    t: AircraftType,
    endurance: bool,
    payload_kg: object,
    fuel_kg: object | None,
    reserve_min: object | None,
    fl: object | None,
    speed: str | None,
    isa_dev_c: object,
) -> dict[str, Any]:
    from airlift.performance import endurance_at, range_at

    payload = perf_value("payload_kg", payload_kg)
    fuel = _optional("fuel_kg", fuel_kg)
    reserve = _optional("reserve_min", reserve_min)
    level = _optional("fl", fl)
    isa = perf_value("isa_dev_c", isa_dev_c)
    schedule = _speed(speed)
    with _named_fields():
        ask = endurance_at if endurance else range_at
        ans = ask(t, payload, fuel, reserve, level, schedule, isa)
    c = ans.conditions
    if not all(map(math.isfinite, (ans.range_nm, ans.time_h, ans.cruise_tas_kt, ans.reserve_kg))):
        raise _model_failure(f"range {ans.range_nm} NM, time {ans.time_h} h")
    warnings = list(c.warnings)
    if ans.range_nm <= 0.0:
        warnings.append(
            f"the {c.fuel_kg:,.0f} kg of fuel do not cover the {c.reserve_min:g} min reserve "
            f"({ans.reserve_kg:,.0f} kg): no {'endurance' if endurance else 'range'}"
        )
    answer = (
        {"endurance_h": _num(ans.time_h, 2)}
        if endurance
        else {
            "range_nm": _num(ans.range_nm),
            "time_h": _num(ans.time_h, 2),
        }
    )
    return _units(
        {
            "type": t.designator,
            **answer,
            "payload_kg": _num(c.payload_kg),
            "fuel_kg": _num(c.fuel_kg),
            "tow_kg": _num(c.tow_kg),
            "reserve_min": _num(c.reserve_min),
            "reserve_kg": _num(ans.reserve_kg),
            "cruise_fl": _num((c.level_ft or 0.0) / 100.0),
            "speed": c.speed,
            "cruise_tas_kt": _num(ans.cruise_tas_kt),
            "isa_dev_c": _num(c.isa_dev_c),
            "warnings": warnings,
        }
    )


def range_document(
    t: AircraftType,
    payload_kg: object,
    fuel_kg: object | None = None,
    reserve_min: object | None = None,
    fl: object | None = None,
    speed: str | None = None,
    isa_dev_c: object = 0.0,
) -> dict[str, Any]:
    """Still-air range (NM) and flight time (h) with the reserve left on landing."""
    return _range_like(t, False, payload_kg, fuel_kg, reserve_min, fl, speed, isa_dev_c)


def endurance_document(
    t: AircraftType,
    payload_kg: object,
    fuel_kg: object | None = None,
    reserve_min: object | None = None,
    fl: object | None = None,
    speed: str | None = None,
    isa_dev_c: object = 0.0,
) -> dict[str, Any]:
    """Hours from brake release to landing with the reserve left (default: the type's
    normal speed schedule; ``max-endurance`` gives the longest)."""
    return _range_like(t, True, payload_kg, fuel_kg, reserve_min, fl, speed, isa_dev_c)


def cruise_document(
    t: AircraftType,
    weight_kg: object,
    fl: object,
    speed: str | None = None,
    isa_dev_c: object = 0.0,
) -> dict[str, Any]:
    """True airspeed and fuel flow at one weight and flight level on a speed schedule."""
    from airlift.performance import cruise_point, parse_speed

    weight = _aircraft_weight(t, perf_value("weight_kg", weight_kg))
    level = perf_value("fl", fl)
    isa = perf_value("isa_dev_c", isa_dev_c)
    schedule = _speed(speed)
    if level * 100.0 > t.ceiling_ft:
        raise PerfInputError(
            "fl",
            f"fl: FL{level:03.0f} is above the {t.designator}'s ceiling of {t.ceiling_ft:,.0f} ft",
        )
    with _named_fields():
        sched = schedule or parse_speed(t.normal_speed)
        tas, flow, flyable = cruise_point(t, weight, level * 100.0, sched, isa)
    warnings = []
    if not flyable or not (math.isfinite(tas) and math.isfinite(flow)):
        flyable = False
        warnings.append(
            f"{sched} cannot be flown at FL{level:03.0f} at {weight:,.0f} kg (ISA{isa:+.0f}): "
            "outside the model's validity, figures extrapolated"
        )
    return _units(
        {
            "type": t.designator,
            "tas_kt": _num(tas),
            "fuel_flow_kg_h": _num(flow),
            "flyable": flyable,
            "weight_kg": _num(weight),
            "cruise_fl": _num(level),
            "speed": sched,
            "isa_dev_c": _num(isa),
            "warnings": warnings,
        }
    )


def _field_inputs(
    elevation_ft: object, oat_c: object | None, surface: str
) -> tuple[float, float | None, str]:
    elevation = perf_value("elevation_ft", elevation_ft)
    oat = _optional("oat_c", oat_c)
    if surface not in ("paved", "unpaved"):
        raise PerfInputError("surface", f"surface {surface!r}: use paved or unpaved")
    return elevation, oat, surface


def takeoff_document(
    t: AircraftType,
    weight_kg: object,
    elevation_ft: object = 0.0,
    oat_c: object | None = None,
    surface: str = "paved",
    wet: bool = False,
) -> dict[str, Any]:
    """Take-off ground roll, distance to 50 ft and balanced field length (m)."""
    from airlift.atmosphere import isa_temp_c
    from airlift.performance import field

    weight = _aircraft_weight(t, perf_value("weight_kg", weight_kg))
    elevation, oat, surface = _field_inputs(elevation_ft, oat_c, surface)
    with _named_fields():
        d = field.takeoff(t, weight, pressure_alt_ft=elevation, oat_c=oat, surface=surface, wet=wet)
    return _units(
        {
            "type": t.designator,
            "ground_roll_m": _num(d.ground_roll_m),
            "distance_50ft_m": _num(d.distance_50ft_m),
            "balanced_field_m": _num(d.balanced_field_m),
            "weight_kg": _num(weight),
            "elevation_ft": _num(elevation, 0),
            "oat_c": _num(isa_temp_c(elevation) if oat is None else oat),
            "surface": surface,
            "wet": wet,
            "warnings": list(d.warnings),
        }
    )


def landing_document(
    t: AircraftType,
    weight_kg: object,
    elevation_ft: object = 0.0,
    oat_c: object | None = None,
    surface: str = "paved",
    wet: bool = False,
    factor: object | None = None,
    reverse: bool = False,
) -> dict[str, Any]:
    """Landing ground roll, distance from 50 ft and factored landing distance (m);
    ``reverse`` credits reverse thrust (military practice)."""
    from airlift.atmosphere import isa_temp_c
    from airlift.performance import field

    weight = _aircraft_weight(t, perf_value("weight_kg", weight_kg))
    elevation, oat, surface = _field_inputs(elevation_ft, oat_c, surface)
    dry_factor = _optional("factor", factor)
    with _named_fields():
        d = field.landing(
            t,
            weight,
            pressure_alt_ft=elevation,
            oat_c=oat,
            surface=surface,
            wet=wet,
            factor=dry_factor,
            reverse=reverse,
        )
    warnings = list(d.warnings)
    if weight > t.mlw_kg + 0.5:
        warnings.insert(
            0,
            f"weight {weight:,.0f} kg is above the {t.designator}'s MLW {t.mlw_kg:,.0f} kg: "
            "an overweight landing",
        )
    return _units(
        {
            "type": t.designator,
            "ground_roll_m": _num(d.ground_roll_m),
            "distance_50ft_m": _num(d.distance_50ft_m),
            "landing_distance_m": _num(d.landing_distance_m),
            "factor": _num(d.factor, 4),
            "weight_kg": _num(weight),
            "elevation_ft": _num(elevation, 0),
            "oat_c": _num(isa_temp_c(elevation) if oat is None else oat),
            "surface": surface,
            "wet": wet,
            "reverse": reverse,
            "warnings": warnings,
        }
    )
