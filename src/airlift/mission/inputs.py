"""What a mission is planned from: aircraft, stops, loads, weather, options; and their checks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from airlift.aircraft import AircraftType, Tail
from airlift.airfields import Airfield
from airlift.atmosphere import Weather, Wind
from airlift.errors import FieldError, InputError, Where
from airlift.fuel_policy import POLICIES, FuelPolicy
from airlift.mission.airspace import Airspace
from airlift.performance import parse_speed
from airlift.scheduling.values import in_horizon
from airlift.units import check_finite, whole

MAX_DUTY_H = 48.0
"""The longest crew duty day a plan may ask for: two augmented-crew duty periods back to back
(the longest in use are about 24 h); beyond it is a typo or a unit slip."""
MAX_GROUND_TIME_MIN = 1440.0
"""The longest turnaround a plan may ask for: a day; a longer stop is two missions."""


def _option(field: str, value: float, low: float, high: float, unit: str, why: str = "") -> float:
    """``value`` as a float if it is a number from ``low`` to ``high``, else a FieldError
    naming ``field`` (and ``why`` the bound is there)."""
    number = check_finite(field, value, minimum=None)
    if not low <= number <= high:
        bounds = f"{low:,g} to {high:,g}" if math.isfinite(high) else f">= {low:,g}"
        raise FieldError(field, f"{field} must be {bounds} {unit}{why}, got {number:,g} {unit}")
    return number


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
    dg_class: str = ""
    """Dangerous-goods class or division (``3``, ``1.4S``); "" when the item is not DG."""
    un_number: str = ""
    """``UN1863``; "" when not given."""
    where: Where = field(default=Where(), compare=False)
    """Where the item was read (file and line or item number): errors about it say so."""


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
        _option(
            "duty_limit_h",
            self.duty_limit_h,
            0.5,
            MAX_DUTY_H,
            "h",
            " (two augmented-crew duty periods at most)",
        )
        check_finite("pre_flight_min", self.pre_flight_min)
        check_finite("post_flight_min", self.post_flight_min)
        # At most the type's fuel capacity: checked with the aircraft, by check_input.
        _option("extra_fuel_kg", self.extra_fuel_kg, 0.0, math.inf, "kg")
        _option("initial_fuel_kg", self.initial_fuel_kg, 0.0, math.inf, "kg")
        if self.ground_time_min is not None:
            _option(
                "ground_time_min",
                self.ground_time_min,
                0.0,
                MAX_GROUND_TIME_MIN,
                "min",
                " (a day; a longer stop is two missions)",
            )
        if self.fl is not None:
            check_finite("fl", self.fl)
            if self.fl > 600:
                raise FieldError("fl", f"fl must be a flight level up to 600, got {self.fl:g}")
        if self.speed is not None:
            try:
                parse_speed(self.speed)
            except InputError as exc:
                raise FieldError("speed", str(exc)) from None
        check_finite("isa_dev_c", self.isa_dev_c, minimum=-40.0)
        if self.isa_dev_c > 40:
            raise FieldError("isa_dev_c", f"isa_dev_c must be <= 40 °C, got {self.isa_dev_c:g}")
        if self.ground_mode not in ("normal", "expedited", "ero"):
            raise FieldError(
                "ground_mode",
                f"ground_mode must be normal, expedited or ero, got {self.ground_mode!r}",
            )
        if self.payload_limit not in ("structural", "acl"):
            raise FieldError(
                "payload_limit",
                f"payload_limit must be structural or acl, got {self.payload_limit!r}",
            )


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
    airspace: Airspace | None = None
    """Zones to route around and the clearance context; None = great circles, the tail's
    nation as operator, today as the planning date, the shipped clearance rules."""


def loads_from_manifest(
    stops: Sequence[Airfield], items: Sequence[ManifestItem]
) -> tuple[Load, ...]:
    """Per-leg loads: each item rides from its origin's first visit to the next visit of its
    destination after that."""
    codes = [s.icao for s in stops]
    route = " -> ".join(codes)
    loads = [Load() for _ in range(len(stops) - 1)]
    for item in items:
        origin, destination = item.origin.upper(), item.destination.upper()
        where = item.where if item.where != Where() else Where(record=item.id)
        if origin not in codes[:-1]:
            where_on = "the last stop of" if origin == codes[-1] else "not on"
            raise FieldError("origin", f"origin {origin} is {where_on} the route ({route})", where)
        i = codes.index(origin)
        if destination not in codes[i + 1 :]:
            reason = f"destination {destination} is not on the route ({route}) after {origin}"
            raise FieldError("destination", reason, where)
        j = codes.index(destination, i + 1)
        for leg in range(i, j):
            loads[leg] = loads[leg] + item.load
    return tuple(loads)


def _check_per_leg_counts(m: MissionInput) -> None:
    """One load per leg, and one wind, slot, ISA deviation per leg where given."""
    legs = len(m.stops) - 1
    if len(m.loads) != legs:
        raise InputError(f"{legs} legs but {len(m.loads)} loads: give one per leg")
    for given, what in (
        (m.leg_winds, "winds"),
        (m.not_before_utc, "departure slots"),
        (m.leg_isa_dev_c, "ISA deviations"),
    ):
        if given and len(given) != legs:
            raise InputError(f"{legs} legs but {len(given)} {what}")


def _check_options_for_type(opts: Options, t: AircraftType) -> None:
    """The options that depend on the aircraft: fuel it can hold, levels it can fly."""
    for name, kg in (
        ("extra_fuel_kg", opts.extra_fuel_kg),
        ("initial_fuel_kg", opts.initial_fuel_kg),
    ):
        if kg > t.max_fuel_kg:
            raise FieldError(
                name,
                f"{name}: {whole(kg)} kg is more than the {t.designator} can hold "
                f"(fuel capacity {whole(t.max_fuel_kg)} kg)",
            )
    if opts.fl is not None and opts.fl * 100 > t.ceiling_ft:
        raise FieldError(
            "fl",
            f"fl: FL{opts.fl:03.0f} is above the {t.designator}'s ceiling of "
            f"{t.ceiling_ft:,.0f} ft",
        )


def check_input(m: MissionInput) -> None:
    """Raise InputError for a mission that cannot be planned at all (as opposed to one that
    breaks a limit: that is planned, and the violation reported)."""
    if len(m.stops) < 2:
        raise FieldError("stops", "a mission needs at least two stops (origin and destination)")
    if m.departure_utc.tzinfo is None or m.departure_utc.utcoffset() is None:
        raise FieldError(
            "departure_utc",
            "departure time has no timezone: give it in UTC, e.g. 2023-10-27T06:30Z",
        )
    # The planner adds hours to it, and looks up sun times and time zones on its dates.
    in_horizon("departure_utc", m.departure_utc, "departure time")
    _check_per_leg_counts(m)
    for a, b in zip(m.stops, m.stops[1:], strict=False):
        if a.icao == b.icao:
            raise FieldError("stops", f"consecutive stops are the same airfield {a.icao}")
    for a in m.stops:
        a.longest_runway()  # raises RunwayClosed if every runway is closed
    _check_options_for_type(m.options, m.aircraft)
    t = m.aircraft
    for i, load in enumerate(m.loads):
        leg = f"leg {i + 1} {m.stops[i].icao}-{m.stops[i + 1].icao}"
        payload = load.cargo_kg + load.pax * m.options.pax_mass_kg
        if payload > t.max_payload_kg:
            raise FieldError(
                f"loads[{i}].cargo_kg",
                f"{leg}: payload {whole(payload)} kg exceeds the {t.designator}'s max payload "
                f"{whole(t.max_payload_kg)} kg by {whole(payload - t.max_payload_kg)} kg; "
                "split the load",
            )
        if load.pallets > t.pallet_positions:
            raise FieldError(
                f"loads[{i}].pallets",
                f"{leg}: {load.pallets} pallets but the {t.designator} has "
                f"{t.pallet_positions} 463L positions",
            )
