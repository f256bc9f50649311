"""Two programmes compared by their figures, as their documents hold them: every KPI with
its direction (:func:`compare_kpis`), and the figures behind the scheduler's objective in
its order, required requests served, priority-weighted tonnes, flying hours
(:func:`objective_figures`, :func:`compare_objective`): the first that differs decides,
never a unitless objective number."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from airlift.export.programme import PROGRAMME_UNITS
from airlift.scheduling.lifts import PAX_MASS_KG
from airlift.scheduling.model import PRIORITY_WEIGHT

KPI_BETTER: dict[str, bool | None] = {
    "tonnes_delivered": True,
    "pax_delivered": True,
    "requests": None,
    "delivered": True,
    "partial": False,
    "unmet": False,
    "required_unmet": False,
    "on_time_pct": True,
    "flying_hours": None,
    "missions": None,
    "tails_used": None,
    "legs_checked": None,
    "legs_passing": None,
}
"""Direction of each KPI: True = more is better, False = less is better, None = neither."""


@dataclass(frozen=True, slots=True)
class KpiDifference:
    """One KPI of two programmes: ``difference = b - a``; ``better`` names the better one
    (None where more is neither better nor worse)."""

    name: str
    unit: str
    a: float | None
    b: float | None
    difference: float | None
    better: Literal["a", "b", "same"] | None


@dataclass(frozen=True, slots=True)
class TailDifference:
    """One tail's utilisation in two programmes, h of flight per available day."""

    tail: str
    a: float | None
    b: float | None
    difference: float | None


def _kpi_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _kpi_difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 3) + 0.0


def compare_kpis(
    a: Mapping[str, Any], b: Mapping[str, Any]
) -> tuple[list[KpiDifference], list[TailDifference]]:
    """Two programmes' KPIs (:func:`kpis_dict`, as stored) side by side: b - a per KPI, and
    per tail for the utilisation. A KPI only one of them has compares with None."""
    rows = []
    names = [k for k in dict.fromkeys([*a, *b]) if k != "utilisation_h_per_day"]
    for name in names:
        va, vb = _kpi_number(a.get(name)), _kpi_number(b.get(name))
        diff = _kpi_difference(va, vb)
        direction = KPI_BETTER.get(name)
        better: Literal["a", "b", "same"] | None = None
        if direction is not None and diff is not None:
            better = "same" if diff == 0 else ("b" if (diff > 0) == direction else "a")
        unit = PROGRAMME_UNITS.get(name, "")
        rows.append(KpiDifference(name, unit, va, vb, diff, better))
    ua = a.get("utilisation_h_per_day") or {}
    ub = b.get("utilisation_h_per_day") or {}
    tails = [
        TailDifference(
            t,
            _kpi_number(ua.get(t)),
            _kpi_number(ub.get(t)),
            _kpi_difference(_kpi_number(ua.get(t)), _kpi_number(ub.get(t))),
        )
        for t in sorted({*ua, *ub})
    ]
    return rows, tails


OBJECTIVE_FIGURES: tuple[tuple[str, str, bool, int], ...] = (
    ("required_served", "requests", True, 0),
    ("priority_weighted_t", "t", True, 1),
    ("flying_hours", "h", False, 1),
)
"""The figures behind the scheduler's objective, in its order (required requests first, then
priority-weighted load, then flying time): (name, unit, more is better, decimals). Two
programmes compare on them lexicographically, each at its decimals: a difference too small
to show does not decide."""


@dataclass(frozen=True, slots=True)
class ObjectiveFigures:
    """What the scheduler optimised, as figures with units (not its unitless objective)."""

    required_served: int
    """Non-optional requests delivered in full."""
    required: int
    """Non-optional requests."""
    priority_weighted_t: float
    """t: payload delivered (passengers at ``PAX_MASS_KG``) times its priority weight."""
    flying_hours: float
    """h, take-off to landing, all missions."""


def objective_figures(document: Mapping[str, Any]) -> ObjectiveFigures:
    """The objective figures of a programme document (:func:`programme_document`, as stored).

    Priority weights are the scheduler's (:data:`airlift.scheduling.model.PRIORITY_WEIGHT`);
    a lift whose request is not listed weighs 1."""
    requests = list(document.get("requests", []))
    priority = {str(r["request_id"]): int(r["priority"]) for r in requests}
    required = [r for r in requests if not r.get("optional")]
    weighted_kg = 0.0
    minutes = 0.0
    for m in document.get("missions", []):
        minutes += float(m.get("flight_time_min") or 0.0)
        for lift in m.get("lifts", []):
            payload_kg = float(lift["cargo_kg"]) + int(lift["pax"]) * PAX_MASS_KG
            weight = PRIORITY_WEIGHT.get(priority.get(str(lift["request_id"]), 0), 1)
            weighted_kg += weight * payload_kg
    return ObjectiveFigures(
        required_served=sum(r["status"] == "delivered" for r in required),
        required=len(required),
        priority_weighted_t=round(weighted_kg / 1000.0, 3) + 0.0,
        flying_hours=round(minutes / 60.0, 2) + 0.0,
    )


def objective_figures_dict(f: ObjectiveFigures) -> dict[str, Any]:
    """The figures as the programme document's ``objective_figures``; units in
    :data:`PROGRAMME_UNITS`."""
    return {field.name: getattr(f, field.name) for field in fields(ObjectiveFigures)}


@dataclass(frozen=True, slots=True)
class FigureDifference:
    """One objective figure of two programmes: ``difference = b - a`` at the figure's
    decimals; ``better`` names the better one; ``decides`` marks the first figure that
    differs (the lexicographic order stops there)."""

    name: str
    unit: str
    a: float
    b: float
    difference: float
    better: Literal["a", "b", "same"]
    decides: bool


@dataclass(frozen=True, slots=True)
class ObjectiveComparison:
    figures: list[FigureDifference]
    better: Literal["a", "b", "same"]
    """The better programme: the better one on the first figure that differs."""
    a: ObjectiveFigures
    b: ObjectiveFigures


def compare_objective(a: ObjectiveFigures, b: ObjectiveFigures) -> ObjectiveComparison:
    """Compare two programmes on :data:`OBJECTIVE_FIGURES`, lexicographically in that order.

    >>> x = ObjectiveFigures(5, 6, 100.0, 30.0)
    >>> compare_objective(x, ObjectiveFigures(6, 6, 40.0, 50.0)).better
    'b'
    >>> compare_objective(x, ObjectiveFigures(5, 6, 100.04, 20.0)).better  # 0.04 t: same
    'b'
    """
    rows: list[FigureDifference] = []
    verdict: Literal["a", "b", "same"] = "same"
    for name, unit, more_is_better, decimals in OBJECTIVE_FIGURES:
        va, vb = round(float(getattr(a, name)), decimals), round(float(getattr(b, name)), decimals)
        diff = round(vb - va, decimals) + 0.0
        better: Literal["a", "b", "same"] = (
            "same" if diff == 0 else ("b" if (diff > 0) == more_is_better else "a")
        )
        decides = verdict == "same" and better != "same"
        if decides:
            verdict = better
        rows.append(FigureDifference(name, unit, va, vb, diff, better, decides))
    return ObjectiveComparison(rows, verdict, a, b)


def with_objective_figures(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with its ``objective_figures`` (a copy; documents stored before the
    figures existed get them here, computed the same way)."""
    figures = objective_figures_dict(objective_figures(document))
    return {**document, "objective_figures": figures}
