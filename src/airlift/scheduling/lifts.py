"""Lifts: a movement request cut into aircraft-sized parts, the unit the engine moves.

A request larger than the best compatible aircraft can lift on its leg is split into equal
lifts (``split_for``); re-planning and the checker split a request again for a smaller type
(``split_in``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from airlift.aircraft import AircraftType
from airlift.scheduling.inputs import MovementRequest

PAX_MASS_KG = 100.0
"""Same standard passenger mass as the mission planner's default (troop with kit)."""


@dataclass(frozen=True, slots=True)
class Lift:
    """One aircraft-sized part of a request: the unit the engine moves."""

    request: MovementRequest
    index: int
    count: int
    cargo_kg: float
    pallets: int
    pax: int

    @property
    def id(self) -> str:
        return (
            self.request.ref if self.count == 1 else f"{self.request.ref}#{self.index}/{self.count}"
        )

    @property
    def payload_kg(self) -> float:
        return self.cargo_kg + self.pax * PAX_MASS_KG


def split_for(r: MovementRequest, t: AircraftType, kg_cap: float) -> list[Lift]:
    """``r`` in equal lifts that type ``t`` carries on its direct leg (``kg_cap`` kg)."""
    payload = r.cargo_kg + r.pax * PAX_MASS_KG
    n = max(
        1,
        math.ceil(payload / kg_cap - 1e-9),
        math.ceil(r.pallets / t.pallet_positions) if t.pallet_positions else 1,
        math.ceil(r.pax / t.seats) if t.seats else 1,
    )
    # Mixed pallets and passengers share the floor: never more than it holds.
    while (
        t.pallet_positions
        and t.seats
        and (math.ceil(r.pallets / n) / t.pallet_positions + math.ceil(r.pax / n) / t.seats > 1.0)
    ):
        n += 1
    return split_in(r, n)


def split_in(r: MovementRequest, n: int) -> list[Lift]:
    """``r`` in ``n`` equal lifts (pallets and passengers as even as whole units allow)."""
    lifts = []
    for i in range(n):
        pallets = r.pallets // n + (1 if i < r.pallets % n else 0)
        pax = r.pax // n + (1 if i < r.pax % n else 0)
        lifts.append(Lift(r, i + 1, n, r.cargo_kg / n, pallets, pax))
    return lifts


__all__ = ["PAX_MASS_KG", "Lift", "split_for", "split_in"]
