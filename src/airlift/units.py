"""Unit conversions, named so that a reader sees both units at the call site."""

from __future__ import annotations

import math

from airlift.errors import FieldError

M_PER_FT = 0.3048
M_PER_NM = 1852.0
KG_PER_LB = 0.45359237
LITRES_PER_USG = 3.785411784


def ft_to_m(ft: float) -> float:
    return ft * M_PER_FT


def m_to_ft(m: float) -> float:
    return m / M_PER_FT


def m_to_nm(m: float) -> float:
    return m / M_PER_NM


def check_finite(name: str, value: float, *, minimum: float | None = 0.0) -> float:
    """Return ``value`` if it is a finite number not below ``minimum``, else raise InputError.

    ``name`` is the user-facing field name, e.g. ``"cargo_kg"``.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise FieldError(name, f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise FieldError(name, f"{name} must be a finite number, got {value!r}")
    if minimum is not None and number < minimum:
        raise FieldError(name, f"{name} must be >= {minimum:g}, got {number:g}")
    return number


def whole(value: float) -> str:
    """A quantity for a message: thousands separated, no decimals; 1e300 stays short."""
    return f"{value:,.0f}" if abs(value) < 1e12 else f"{value:.3g}"
