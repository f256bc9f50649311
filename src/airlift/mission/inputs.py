"""What a mission is planned from: aircraft, stops, loads, weather, options; and their checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from airlift.aircraft import AircraftType, Tail
from airlift.airfields import Airfield
from airlift.atmosphere import Weather, Wind
from airlift.errors import InputError
from airlift.fuel_policy import POLICIES, FuelPolicy
from airlift.performance import parse_speed
from airlift.units import check_finite, whole


@dataclass(frozen=True, slots=True)
class Load:
    """What is on board for one leg: cargo kg (gross, pallets and nets included), 463L pallet
    positions used, passengers."""

    cargo_kg: float = 0.0
    pallets: int = 0
    pax: int = 0

    def __post_init__(self) -> None:
        check_finite("cargo_kg", self.cargo_kg)
        check_finite("pallets", self.pallets)
        check_finite("pax", self.pax)

    def __add__(self, other: Load) -> Load:
        return Load(
            self.cargo_kg + other.cargo_kg, self.pallets + other.pallets, self.pax + other.pax
        )


@dataclass(frozen=True, slots=True)
class ManifestItem:
    """A consignment carried from ``origin`` to ``destination`` (ICAO codes of two stops)."""

    id: str
    origin: str
    destination: str
    load: Load
    description: str = ""


@dataclass(frozen=True, slots=True)
class Options:
    """Planning options. Minutes, kg, hours as named."""

    policy: FuelPolicy = POLICIES["icao"]
    pax_mass_kg: float = 100.0
    """Assumption: a troop with personal kit and seat baggage."""
    duty_limit_h: float = 16.0
    pre_flight_min: float = 90.0
    """Crew show time before the first off-block (assumption, editable)."""
    post_flight_min: float = 30.0
    ground_time_min: float | None = None
    """Turnaround at intermediate stops; None = the type's default."""
    extra_fuel_kg: float = 0.0
    """Discretionary fuel kept on landing at every stop, on top of the reserves."""
    initial_fuel_kg: float = 0.0
    """Fuel already on board at the first stop (needed where it has no fuel)."""
    fl: float | None = None
    """Cruise flight level on every leg (hundreds of ft); None = the best level per leg."""
    speed: str | None = None
    """Speed schedule: mrc, lrc, mcr, max-endurance or a TAS in kt; None = the type's normal."""
    isa_dev_c: float = 0.0
    """Temperature deviation from ISA aloft (°C) on every leg unless ``leg_isa_dev_c`` says."""
    ground_mode: str = "normal"
    """Turnaround: normal, expedited or ero (engine-running offload), from the type's times."""
    payload_limit: str = "structural"
    """structural (max payload) or acl (the type's planning payload, for planning factors)."""

    def __post_init__(self) -> None:
        check_finite("pax_mass_kg", self.pax_mass_kg)
        check_finite("duty_limit_h", self.duty_limit_h, minimum=0.5)
        check_finite("pre_flight_min", self.pre_flight_min)
        check_finite("post_flight_min", self.post_flight_min)
        check_finite("extra_fuel_kg", self.extra_fuel_kg)
        check_finite("initial_fuel_kg", self.initial_fuel_kg)
        if self.ground_time_min is not None:
            check_finite("ground_time_min", self.ground_time_min)
        if self.fl is not None:
            check_finite("fl", self.fl)
            if self.fl > 600:
                raise InputError(f"fl must be a flight level up to 600, got {self.fl:g}")
        if self.speed is not None:
            parse_speed(self.speed)
        check_finite("isa_dev_c", self.isa_dev_c, minimum=-40.0)
        if self.isa_dev_c > 40:
            raise InputError(f"isa_dev_c must be <= 40 °C, got {self.isa_dev_c:g}")
        if self.ground_mode not in ("normal", "expedited", "ero"):
            raise InputError(
                f"ground_mode must be normal, expedited or ero, got {self.ground_mode!r}"
            )
        if self.payload_limit not in ("structural", "acl"):
            raise InputError(f"payload_limit must be structural or acl, got {self.payload_limit!r}")


@dataclass(frozen=True, slots=True)
class MissionInput:
    """A mission to plan: the aircraft, its stops in order, the departure and a load per leg."""

    aircraft: AircraftType
    stops: tuple[Airfield, ...]
    departure_utc: datetime
    loads: tuple[Load, ...]
    """One per leg."""
    weather: dict[str, Weather] = field(default_factory=dict)
    """Surface weather by ICAO; missing stops use the theatre's planning OAT or ISA."""
    wind: Wind | None = None
    """Cruise wind, the same on every leg unless ``leg_winds`` says otherwise."""
    leg_winds: tuple[Wind | None, ...] = ()
    options: Options = Options()
    tail: Tail | None = None
    manifest: tuple[ManifestItem, ...] = ()
    not_before_utc: tuple[datetime | None, ...] = ()
    """Per leg, the earliest off-block (a schedule's slot); the turnaround still applies."""
    leg_isa_dev_c: tuple[float | None, ...] = ()
    """Per leg, the ISA deviation aloft (°C); None or missing = ``options.isa_dev_c``."""


def loads_from_manifest(
    stops: Sequence[Airfield], items: Sequence[ManifestItem]
) -> tuple[Load, ...]:
    """Per-leg loads: each item rides from its origin's first visit to the next visit of its
    destination after that."""
    codes = [s.icao for s in stops]
    loads = [Load() for _ in range(len(stops) - 1)]
    for item in items:
        try:
            i = codes.index(item.origin.upper())
            j = codes.index(item.destination.upper(), i + 1)
        except ValueError:
            raise InputError(
                f"manifest item {item.id}: {item.origin} -> {item.destination} is not a pair "
                f"of stops in order ({' -> '.join(codes)})"
            ) from None
        for leg in range(i, j):
            loads[leg] = loads[leg] + item.load
    return tuple(loads)


def check_input(m: MissionInput) -> None:
    """Raise InputError for a mission that cannot be planned at all (as opposed to one that
    breaks a limit: that is planned, and the violation reported)."""
    if len(m.stops) < 2:
        raise InputError("a mission needs at least two stops (origin and destination)")
    if m.departure_utc.tzinfo is None or m.departure_utc.utcoffset() is None:
        raise InputError("departure time has no timezone: give it in UTC, e.g. 2023-10-27T06:30Z")
    if len(m.loads) != len(m.stops) - 1:
        raise InputError(f"{len(m.stops) - 1} legs but {len(m.loads)} loads: give one per leg")
    if m.leg_winds and len(m.leg_winds) != len(m.stops) - 1:
        raise InputError(f"{len(m.stops) - 1} legs but {len(m.leg_winds)} winds")
    if m.not_before_utc and len(m.not_before_utc) != len(m.stops) - 1:
        raise InputError(f"{len(m.stops) - 1} legs but {len(m.not_before_utc)} departure slots")
    for a, b in zip(m.stops, m.stops[1:], strict=False):
        if a.icao == b.icao:
            raise InputError(f"consecutive stops are the same airfield {a.icao}")
    for a in m.stops:
        a.longest_runway()  # raises RunwayClosed if every runway is closed
    t = m.aircraft
    if m.options.fl is not None and m.options.fl * 100 > t.ceiling_ft:
        raise InputError(
            f"fl: FL{m.options.fl:03.0f} is above the {t.designator}'s ceiling of "
            f"{t.ceiling_ft:,.0f} ft"
        )
    if m.leg_isa_dev_c and len(m.leg_isa_dev_c) != len(m.stops) - 1:
        raise InputError(f"{len(m.stops) - 1} legs but {len(m.leg_isa_dev_c)} ISA deviations")
    for i, load in enumerate(m.loads):
        leg = f"leg {i + 1} {m.stops[i].icao}-{m.stops[i + 1].icao}"
        payload = load.cargo_kg + load.pax * m.options.pax_mass_kg
        if payload > t.max_payload_kg:
            raise InputError(
                f"{leg}: payload {whole(payload)} kg exceeds the {t.designator}'s max payload "
                f"{whole(t.max_payload_kg)} kg by {whole(payload - t.max_payload_kg)} kg; "
                "split the load"
            )
        if load.pallets > t.pallet_positions:
            raise InputError(
                f"{leg}: {load.pallets} pallets but the {t.designator} has "
                f"{t.pallet_positions} 463L positions"
            )
