"""Scheduling inputs as data: movement requests, fleet tails, the scenario."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from airlift.aircraft import AircraftType


@dataclass(frozen=True, slots=True)
class MovementRequest:
    """Move a load from ``origin`` to ``destination`` (ICAO) between ``earliest_utc`` (ready
    for pickup) and ``latest_utc`` (delivered). Priority 1 is the most urgent, 4 the least.

    ``allowed_nations`` / ``allowed_types`` empty means any; ``hazardous`` loads fly only on
    military tails. ``ref`` is the request's key (unique; the ``id`` column of request files).

    ``dg_class`` (``"3"``, ``"1.4S"``) and ``un_number`` (``"UN1863"``) describe dangerous
    goods as a NOTOC lists them; "" is not given. A class makes the request ``hazardous``;
    a UN number needs its class."""

    ref: str
    origin: str
    destination: str
    cargo_kg: float
    pallets: int
    pax: int
    earliest_utc: datetime
    latest_utc: datetime
    priority: int = 3
    optional: bool = False
    allowed_nations: frozenset[str] = frozenset()
    allowed_types: frozenset[str] = frozenset()
    hazardous: bool = False
    description: str = ""
    dg_class: str = ""
    un_number: str = ""


@dataclass(frozen=True, slots=True)
class FleetTail:
    """A tail of the pooled fleet. ``unavailable`` lists maintenance windows (UTC)."""

    registration: str
    type: AircraftType
    nation: str
    home_base: str
    military: bool = True
    unavailable: tuple[tuple[datetime, datetime], ...] = ()
    duty_limit_h: float = 16.0
    max_flying_h_per_day: float = 10.0
    operator: str = ""
    icao24: str = ""
    """The transponder's ICAO 24-bit aircraft address, 6 hex digits in lower case ("" if not
    known): how an ADS-B track names the airframe."""

    def available(self, start: datetime, end: datetime) -> bool:
        """True when no maintenance window overlaps [start, end)."""
        return all(end <= a or start >= b for a, b in self.unavailable)


@dataclass(frozen=True, slots=True)
class AirfieldOverride:
    """Scenario changes to an airfield's planning attributes; None keeps the theatre value."""

    fuel_available: bool | None = None
    daylight_only: bool | None = None
    mog: int | None = None
    oat_c: float | None = None
    closed: bool = False
    hours_utc: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """The planning horizon (``days`` from ``start_utc``, normally 00:00Z) and assumptions."""

    name: str
    start_utc: datetime
    days: int
    fuel_policy: str = "icao"
    overrides: dict[str, AirfieldOverride] = field(default_factory=dict)
    night_ops: bool = False
    """False: tails fly only between civil dawn and dusk (the Sahel's usual practice and
    the only way into unlit strips); True: day and night where airfields allow."""
    ground_mode: str = "normal"
    """Turnarounds at every stop: each type's normal, expedited or ero (engine-running
    offload) ground time."""

    @property
    def end_utc(self) -> datetime:
        return self.start_utc + timedelta(days=self.days)
