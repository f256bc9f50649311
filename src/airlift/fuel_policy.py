"""Named fuel-reserve policies (ICAO Annex 6 components) and how much each leaves on landing.

A policy fixes the reserve that must still be in the tanks at the destination: contingency
(a share of trip fuel, never less than some minutes of holding), fuel to an alternate, and a
final reserve of holding minutes. Taxi and trip fuel are added by the mission planner.
"""

from __future__ import annotations

from dataclasses import dataclass

from airlift.errors import InputError


@dataclass(frozen=True, slots=True)
class FuelPolicy:
    """Reserve rules. Percentages of trip fuel; minutes of holding at max endurance."""

    name: str
    contingency_pct: float
    contingency_min_minutes: float
    final_reserve_min: float
    alternate: bool
    description: str
    hold_ft: float = 1500.0
    """Level of the final-reserve holding (ft above the aerodrome, taken as pressure altitude)."""
    takeoff_basis: str = "balanced_field"
    """Take-off distance the runway must hold: balanced_field, distance_50ft or ground_roll."""
    landing_basis: str = "landing_distance"
    """Landing distance the runway must hold: landing_distance (factored), distance_50ft or
    ground_roll."""
    landing_factor: float = 1.0 / 0.6
    """Factor on the distance over 50 ft for landing_distance (civil dry: 1/0.6)."""
    reverse_credit: bool = False
    """Landing distances credit reverse thrust (military practice); civil dispatch does not."""
    max_alternate_nm: float = 400.0
    """The farthest alternate the policy accepts (NM); none nearer: isolated-aerodrome fuel."""

    def __post_init__(self) -> None:
        for field in ("contingency_pct", "contingency_min_minutes", "final_reserve_min"):
            value = getattr(self, field)
            if not value >= 0:  # also rejects NaN
                raise InputError(f"fuel policy {field} must be >= 0, got {value}")


POLICIES: dict[str, FuelPolicy] = {
    p.name: p
    for p in (
        FuelPolicy(
            "icao",
            5.0,
            0.0,
            30.0,
            True,
            "ICAO Annex 6 / EU civil: 5 % contingency + alternate + 30 min final reserve; "
            "balanced field for take-off, landing distance over 50 ft / 0.6",
        ),
        FuelPolicy(
            "usaf-c130",
            0.0,
            15.0,
            45.0,
            False,
            "USAF C-130 (AFI 11-2C-130V3): 45 min reserve + 15 min contingency at 10,000 ft, "
            "no alternate; critical (balanced) field for take-off, landing over 50 ft with reverse",
            hold_ft=10_000.0,
            landing_basis="distance_50ft",
            landing_factor=1.0,
            reverse_credit=True,
        ),
        FuelPolicy(
            "usn",
            10.0,
            20.0,
            0.0,
            False,
            "US Navy (OPNAVINST 3710.7): 10 % of planned fuel, never less than 20 min; "
            "balanced field for take-off, landing over 50 ft with reverse",
            hold_ft=10_000.0,
            landing_basis="distance_50ft",
            landing_factor=1.0,
            reverse_credit=True,
        ),
    )
}


CUSTOM_MAX = {"contingency": 50.0, "min": 120.0, "reserve": 240.0}
"""Upper bounds of a custom policy's parts (% of trip fuel, minutes): generous beyond any
published rule (ICAO 5 % and 30 min, USAF 10 %/20 min and 45 min hold-style extras); a
larger value is a typo that would make every leg infeasible."""


def policy(spec: str) -> FuelPolicy:
    """A named policy, or ``custom:contingency=5,min=0,reserve=45,alternate=no``."""
    if spec in POLICIES:
        return POLICIES[spec]
    if not spec.startswith("custom:"):
        raise InputError(
            f"unknown fuel policy {spec!r}; use one of {', '.join(POLICIES)} or custom:..."
        )
    values = {"contingency": "5", "min": "0", "reserve": "30", "alternate": "no"}
    parts = [p for p in spec.removeprefix("custom:").split(",") if p.strip()]
    if not parts:  # "custom:" alone is a slip, not a request for the defaults
        raise InputError(
            f"custom fuel policy {spec!r} sets nothing; give at least one of contingency=%, "
            "min=minutes, reserve=minutes, alternate=yes|no (e.g. custom:reserve=45)"
        )
    for part in parts:
        key, _, value = part.partition("=")
        if key not in values or not value:
            raise InputError(
                f"custom fuel policy: bad part {part!r}; keys are contingency=%, min=minutes, "
                "reserve=minutes, alternate=yes|no"
            )
        values[key] = value
    alternate = values["alternate"].lower()
    if alternate not in {"yes", "no", "true", "false", "1", "0"}:
        raise InputError(f"custom fuel policy: alternate must be yes or no, got {alternate!r}")
    try:
        contingency, minimum, reserve = (
            float(values[k]) for k in ("contingency", "min", "reserve")
        )
    except ValueError:
        raise InputError(f"custom fuel policy {spec!r}: values must be numbers") from None
    for key, number in (("contingency", contingency), ("min", minimum), ("reserve", reserve)):
        most = CUSTOM_MAX[key]
        if not 0.0 <= number <= most:  # NaN fails too
            unit = "%" if key == "contingency" else "min"
            raise InputError(
                f"custom fuel policy: {key} must be 0 to {most:g} {unit}, got {values[key]}"
            )
    return FuelPolicy(
        "custom",
        contingency,
        minimum,
        reserve,
        alternate in {"yes", "true", "1"},
        f"custom: {values['contingency']} % contingency (min {values['min']} min), "
        f"{values['reserve']} min final reserve, alternate {values['alternate']}",
    )
