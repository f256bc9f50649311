"""The generic pickup-and-delivery problem with time windows that every engine solves.

Nothing here knows about aircraft: the airlift model (:mod:`airlift.scheduling.model`) and the
Li & Lim reader (:mod:`airlift.scheduling.lilim`) both build a :class:`Problem`, and every
engine (:mod:`airlift.scheduling.engines`) turns one into a :class:`Solution`. Integers
throughout, as the engines want them: the builders choose the scale (minutes, or distance
x 10,000) and say so in ``Problem.scale``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from airlift.errors import FieldError

INF = 2**53
"""Stands for "no limit" / "forbidden" in integer fields; kept below int64 overflow when summed."""

IntMatrix = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Shipment:
    """Carry ``amount`` (one int per capacity dimension) from ``pickup`` to ``delivery``
    (location indices), picked up within ``pickup_tw`` and delivered within ``delivery_tw``.

    Optional shipments (``required=False``) earn ``prize`` when served."""

    pickup: int
    delivery: int
    amount: tuple[int, ...]
    pickup_tw: tuple[int, int] = (0, INF)
    delivery_tw: tuple[int, int] = (0, INF)
    pickup_service: int = 0
    delivery_service: int = 0
    prize: int = 0
    required: bool = True
    name: str = ""


@dataclass(frozen=True, slots=True)
class VehicleType:
    """``count`` identical vehicles starting at ``start`` and ending at ``end`` (locations),
    working within ``tw`` for at most ``max_duration`` time units, travelling on matrix
    ``profile``; ``fixed_cost`` is paid per vehicle used."""

    count: int
    capacity: tuple[int, ...]
    start: int
    end: int
    tw: tuple[int, int] = (0, INF)
    max_duration: int = INF
    fixed_cost: int = 0
    profile: int = 0
    unit_distance_cost: int = 1
    name: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """Locations, travel matrices per profile (distance and duration, ints), vehicle types and
    shipments. ``scale`` converts matrix units back to the caller's (e.g. 10,000 per unit)."""

    num_locations: int
    distance: tuple[IntMatrix, ...]
    duration: tuple[IntMatrix, ...]
    vehicle_types: tuple[VehicleType, ...]
    shipments: tuple[Shipment, ...]
    coords: tuple[tuple[float, float], ...] = ()
    scale: float = 1.0
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.distance) != len(self.duration) or not self.distance:
            raise ValueError("Expected one distance and one duration matrix per profile.")
        n = self.num_locations
        for m in (*self.distance, *self.duration):
            if m.shape != (n, n):
                raise ValueError(f"Expected {n}x{n} matrices, got {m.shape}.")
        dims = {len(s.amount) for s in self.shipments} | {
            len(v.capacity) for v in self.vehicle_types
        }
        if len(dims) > 1:
            raise ValueError("Expected the same number of capacity dimensions everywhere.")
        for v in self.vehicle_types:
            if not 0 <= v.profile < len(self.distance):
                raise ValueError(f"Vehicle type {v.name!r}: no profile {v.profile}.")

    @property
    def num_dimensions(self) -> int:
        if self.vehicle_types:
            return len(self.vehicle_types[0].capacity)
        return len(self.shipments[0].amount) if self.shipments else 0


@dataclass(frozen=True, slots=True)
class Stop:
    """One activity on a route: the pickup or delivery of shipment ``shipment`` at
    ``location``, starting service at ``start`` (time units)."""

    shipment: int
    pickup: bool
    location: int
    start: int


@dataclass(frozen=True, slots=True)
class Route:
    vehicle_type: int
    stops: tuple[Stop, ...]
    start_time: int
    end_time: int
    distance: int


@dataclass(frozen=True, slots=True)
class Solution:
    """Routes (only vehicles that are used) and what the engine reports about them."""

    routes: tuple[Route, ...]
    feasible: bool
    engine: str
    seconds: float
    objective: float
    unserved: tuple[int, ...] = ()
    cut_short: bool = False
    """The time limit stopped the search before the iterations asked for."""

    @property
    def served(self) -> set[int]:
        return {s.shipment for r in self.routes for s in r.stops}


Progress = Callable[[float, float], None]
"""Called with (elapsed seconds, best objective so far) when the engine improves."""


SEED_MAX = 2**31 - 1
"""Seeds are 0 to 2**31-1 everywhere (CLI, API, stored runs): PyVRP's generator takes an
unsigned 32-bit seed, the database a signed 32-bit integer."""
ITERATIONS_MAX = 2**31 - 1
"""More iterations than any time limit lets an engine run."""


def check_seed(seed: object, label: str = "seed") -> int:
    """``seed`` if it is a whole number 0 to :data:`SEED_MAX`; else a FieldError naming the
    field ``seed`` (``label``: how the caller's user knows it, such as ``--seed``)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise FieldError("seed", f"{label} must be a whole number 0 to {SEED_MAX}, got {seed!r}")
    return seed


def check_iterations(iterations: object, label: str = "iterations") -> int | None:
    """``iterations`` if None (no limit) or a whole number 1 to :data:`ITERATIONS_MAX`."""
    if iterations is None:
        return None
    if (
        isinstance(iterations, bool)
        or not isinstance(iterations, int)
        or not 1 <= iterations <= ITERATIONS_MAX
    ):
        raise FieldError(
            "iterations",
            f"{label} must be a whole number 1 to {ITERATIONS_MAX}, got {iterations!r}",
        )
    return iterations


@dataclass(frozen=True, slots=True)
class SolveOptions:
    """How an engine solves; the seed, the iteration count and the time limit are checked
    here, the one place every caller (CLI, API runs, benchmarks) goes through."""

    time_limit_s: float = 10.0
    seed: int = 0
    progress: Progress | None = None
    iterations: int | None = None
    """Stop after this many search iterations (the time limit still caps the run): with a
    fixed seed the result is then the same on any machine, however fast or busy."""
    minimise_vehicles: bool = False
    """Hierarchical objective: spend part of the time limit on using as few vehicles as
    possible, the rest on the cost with that fleet (engines may ignore it)."""
    initial: tuple[tuple[int, tuple[tuple[int, bool], ...]], ...] | None = None
    """A solution to start the search from (a warm start): routes as (vehicle type, its
    (shipment, is pickup) activities in order). Engines may ignore it (OR-Tools does)."""

    def __post_init__(self) -> None:
        check_seed(self.seed)
        check_iterations(self.iterations)
        if not (math.isfinite(self.time_limit_s) and self.time_limit_s > 0):
            raise FieldError(
                "time_limit_s", f"time_limit_s must be a positive number, got {self.time_limit_s}"
            )
