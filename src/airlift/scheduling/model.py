"""The airlift model: requests, fleet and scenario become a generic :class:`Problem`.

Modelling choices (each one a place where the engine's problem is stricter than, or blind
to, the real one; :mod:`airlift.scheduling.scheduler` re-checks every mission and repairs):

* Time is whole minutes from the scenario start; one location per airfield.
* Each tail flies one duty period per day: one vehicle per (tail, day), leaving and
  returning to its home base, inside the day's flying window (civil dawn to dusk at home
  unless night operations are allowed; the mission planner checks every other airfield's
  own twilight), at most the crew duty day
  less show and close-down time, and at most the tail's flying hours per day
  (``max_distance``, since the distance matrix is flying minutes). Maintenance takes its
  hours out of the flying window (the longest part left is flown; less than an hour: no
  vehicle that day).
* One travel profile per aircraft type: duration = block time + the type's turnaround at
  the arrival airfield; distance = flying minutes (the objective). Airfields a type cannot
  use (runway, surface, closed) are made unreachable in its profile.
* Capacity dimensions: kg (cargo + passengers at the standard mass), 463L pallets, seats,
  floor share (pallets and seats trade floor space), and one dimension per restriction
  (nations, types, hazardous cargo on military tails only) that only compatible tails carry.
* A request larger than the best compatible aircraft can lift on its leg is split into
  equal aircraft-sized lifts (:mod:`airlift.scheduling.lifts`); each lift is one shipment.
* Prizes encode the objective order: required requests first, then priority-weighted load.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property

import numpy as np
import numpy.typing as npt

from airlift import geo, leg_batch
from airlift.aircraft import AircraftType
from airlift.airfields import Airfield
from airlift.atmosphere import Weather
from airlift.fuel_policy import FuelPolicy
from airlift.fuel_policy import policy as fuel_policy
from airlift.mission.airspace import NO_AIRSPACE, Airspace, late_clearance
from airlift.mission.conditions import civil_twilight
from airlift.scheduling.inputs import AirfieldOverride, FleetTail, MovementRequest, Scenario
from airlift.scheduling.lifts import PAX_MASS_KG, Lift, split_for
from airlift.scheduling.problem import INF, Problem, Shipment, VehicleType
from airlift.scheduling.scenario_airfields import scenario_airfields

PRE_POST_FLIGHT_MIN = 120
"""Show time before the first off-block plus close-down after the last: 90 + 30 min."""
UNREACHABLE = 10**7
"""Minutes on a forbidden edge: longer than any horizon, so no feasible route uses it."""
REQUIRED_PRIZE = 20_000
"""In flying minutes, like every cost: more than any day's flying and any optional prize, so
required lifts go first; kept moderate so that the engine's penalties for broken time
windows and capacities still dominate (huge prizes make it accept infeasible routes)."""
PRIORITY_WEIGHT = {1: 8, 2: 4, 3: 2, 4: 1}
FLOOR_UNITS = 1000
"""Floor share of one 463L pallet position; a seat takes FLOOR_UNITS * positions / seats."""


@dataclass(frozen=True, slots=True)
class TailDay:
    tail: FleetTail
    day: int
    window: tuple[datetime, datetime]
    closed: frozenset[str] = frozenset()
    """Airfields closed at some time inside the window (:class:`Closure`): this tail-day
    does not use them at all."""
    overrides: tuple[tuple[str, AirfieldOverride], ...] = ()
    """Airfield changes for a while (:class:`AirfieldWindow`) that touch the window: this
    tail-day's missions are planned with them."""


@dataclass(frozen=True, slots=True)
class Closure:
    """An airfield closed from ``from_utc`` until ``until_utc`` (a re-planning event).

    The model works in tail-days: a tail-day whose flying window overlaps the closure does
    not use the airfield at all (its travel profile makes it unreachable and the checker
    refuses a stop there), which is stricter than the closure by up to a day."""

    icao: str
    from_utc: datetime
    until_utc: datetime

    def overlaps(self, window: tuple[datetime, datetime]) -> bool:
        return self.from_utc < window[1] and window[0] < self.until_utc


@dataclass(frozen=True, slots=True)
class AirfieldWindow:
    """An airfield's planning attributes changed from ``from_utc`` until ``until_utc`` (a
    re-planning event: fuel withdrawn, MOG or opening hours changed for a while).

    Missions of a tail-day whose flying window overlaps it are planned with the change;
    a MOG change counts for the arrivals inside it."""

    icao: str
    override: AirfieldOverride
    from_utc: datetime
    until_utc: datetime

    def overlaps(self, window: tuple[datetime, datetime]) -> bool:
        return self.from_utc < window[1] and window[0] < self.until_utc


@dataclass(frozen=True, slots=True)
class Unservable:
    request: MovementRequest
    reason: str


@dataclass(frozen=True)
class AirliftModel:
    """The generic problem plus everything needed to read its solution back."""

    problem: Problem
    scenario: Scenario
    airfields: tuple[Airfield, ...]
    lifts: tuple[Lift, ...]
    tail_days: tuple[TailDay, ...]
    unservable: tuple[Unservable, ...]
    policy: FuelPolicy
    weather: dict[str, Weather]
    pair_capacity_kg: dict[tuple[str, str, str], float]
    """(type, origin, destination) -> most payload on the direct leg, kg."""
    profile_of: dict[str, int]
    """Aircraft type -> index of its travel profile."""
    restriction_dims: tuple[str, ...] = ()
    """The restriction keys that have a capacity dimension, in order."""
    seat_floor: float = FLOOR_UNITS / 10
    """Floor share of one seat (:data:`FLOOR_UNITS` per pallet position)."""
    min_ground_min: float = 0.0
    """The shortest turnaround of any type, min: the slack of a delivery window."""
    superseded: frozenset[int] = frozenset()
    """Lifts replaced by a split for another type (:meth:`with_lifts`): never flown."""
    windows: tuple[AirfieldWindow, ...] = ()
    """Airfield changes for a while (each tail-day holds those touching it)."""
    airspace: Airspace | None = None
    """Zones the legs are routed around, and the clearance planning date."""

    def mog_at(self, icao: str, when: datetime) -> int | None:
        """The airfield's MOG at ``when`` (None: not limited)."""
        mog = next((a.planning.mog for a in self.airfields if a.icao == icao), None)
        for w in self.windows:
            if w.icao == icao and w.override.mog is not None and w.from_utc <= when < w.until_utc:
                mog = w.override.mog
        return mog

    def with_lifts(self, lifts: Sequence[Lift], superseding: Sequence[int]) -> AirliftModel:
        """This model with ``lifts`` added (shipments too) in place of lifts ``superseding``
        (a request split again, for another type); every other lift keeps its index."""
        return replace(
            self,
            lifts=(*self.lifts, *lifts),
            problem=replace(
                self.problem,
                shipments=(
                    *self.problem.shipments,
                    *(
                        _shipment(
                            x,
                            self.scenario,
                            self.location_of,
                            self.restriction_dims,
                            self.seat_floor,
                            self.min_ground_min,
                        )
                        for x in lifts
                    ),
                ),
            ),
            superseded=self.superseded | set(superseding),
        )

    @cached_property
    def location_of(self) -> dict[str, int]:
        return {a.icao: i for i, a in enumerate(self.airfields)}

    @cached_property
    def vehicle_of(self) -> dict[TailDay, int]:
        return {td: v for v, td in enumerate(self.tail_days)}

    def minutes(self, when: datetime) -> int:
        return int((when - self.scenario.start_utc).total_seconds() // 60)

    def time(self, minutes: float) -> datetime:
        return self.scenario.start_utc + timedelta(minutes=minutes)


def _usable(t: AircraftType, a: Airfield) -> bool:
    return any(r.length_m and (r.paved or t.unpaved_approved) for r in a.open_runways())


def _flying_window(scenario: Scenario, home: Airfield, day: int) -> tuple[datetime, datetime]:
    start = scenario.start_utc + timedelta(days=day)
    if scenario.night_ops:
        return start, start + timedelta(days=1)
    # Routes start and end at home: civil dawn to dusk there, in whole minutes inside it.
    # Take-offs and landings elsewhere are checked against their own airfield's twilight.
    dawn, dusk = civil_twilight(home.lat, home.lon, start.date())
    minute = timedelta(minutes=1)
    return dawn.replace(second=0, microsecond=0) + minute, dusk.replace(second=0, microsecond=0)


MIN_FLYING_WINDOW = timedelta(hours=1)
"""A tail-day with less of its flying window outside maintenance is not flown."""


def _free_window(
    tail: FleetTail, window: tuple[datetime, datetime]
) -> tuple[datetime, datetime] | None:
    """The longest part of a flying window outside the tail's maintenance windows (a tail
    back from maintenance at 10:00 flies from then; one going in at 14:00 flies until
    then); None when less than :data:`MIN_FLYING_WINDOW` is left."""
    parts = [window]
    for a, b in tail.unavailable:
        parts = [
            piece
            for start, end in parts
            for piece in ((start, min(end, a)), (max(start, b), end))
            if piece[1] > piece[0]
        ]
    best = max(parts, key=lambda p: p[1] - p[0], default=None)
    return best if best is not None and best[1] - best[0] >= MIN_FLYING_WINDOW else None


def restriction_keys(r: MovementRequest) -> list[str]:
    keys = []
    if r.allowed_nations:
        keys.append("nation:" + ",".join(sorted(r.allowed_nations)))
    if r.allowed_types:
        keys.append("type:" + ",".join(sorted(r.allowed_types)))
    if r.hazardous:
        keys.append("hazardous")
    return keys


def compatible(tail: FleetTail, key: str) -> bool:
    kind, _, values = key.partition(":")
    if kind == "nation":
        return tail.nation in values.split(",")
    if kind == "type":
        return tail.type.designator in values.split(",")
    return tail.military  # hazardous


def build(
    requests: tuple[MovementRequest, ...],
    fleet: tuple[FleetTail, ...],
    scenario: Scenario,
    closures: tuple[Closure, ...] = (),
    windows: tuple[AirfieldWindow, ...] = (),
    airspace: Airspace | None = None,
) -> AirliftModel:
    """Build the generic problem for a scenario (see the module docstring for the choices).
    ``closures``: airfields closed for a while; each tail-day they touch avoids them.
    ``windows``: airfield changes for a while; each tail-day they touch is planned with them.
    ``airspace``: zones the legs are routed around (the engine's matrices take the routed
    distances; each mission is then planned with them) and the clearance planning date."""
    policy = fuel_policy(scenario.fuel_policy)
    airfields = scenario_airfields(scenario, requests, fleet)
    index = {a.icao: i for i, a in enumerate(airfields)}
    weather = {
        a.icao: Weather(a.planning.planning_oat_c, source="scenario planning OAT")
        for a in airfields
        if a.planning.planning_oat_c is not None
    }
    types = {t.type.designator: t.type for t in fleet}
    n = len(airfields)

    # Per type: direct-leg payload limits and travel matrices.
    capacity: dict[tuple[str, str, str], float] = {}
    profiles: dict[str, int] = {}
    distance: list[npt.NDArray[np.int64]] = []
    duration: list[npt.NDArray[np.int64]] = []
    origin_idx, dest_idx = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    routed = (
        airspace.distance_matrix_nm(airfields, scenario.start_utc, scenario.end_utc)
        if airspace is not None and airspace.zones
        else None
    )
    for name, t in types.items():
        net = leg_batch.network(t, airfields, weather, policy, routed)
        cap = leg_batch.max_payload_kg(t, net, policy, origin_idx.ravel(), dest_idx.ravel())
        cap = cap.reshape(n, n)
        usable = np.array([_usable(t, a) for a in airfields])
        # Flight time of each pair from the performance model (climb, cruise at the best
        # level on the normal schedule, descent). It depends a little on the load (level,
        # speed): the longest of empty and full, so that a route the engine times never
        # takes longer when the mission planner checks it with its real loads.
        o, d = origin_idx.ravel(), dest_idx.ravel()
        block = np.maximum(
            *(
                leg_batch.evaluate(t, net, policy, o, d, np.full(n * n, kg)).flight_time_min
                for kg in (0.0, t.max_payload_kg)
            )
        ).reshape(n, n)
        fly = np.where(np.eye(n, dtype=bool), 0, block).astype(np.int64)
        ground = t.ground_time(scenario.ground_mode)
        dur = np.where(np.eye(n, dtype=bool), 0, block + t.taxi_time_min + ground)
        reachable = usable[:, None] & usable[None, :] & ((cap > 0) | np.eye(n, dtype=bool))
        same = np.eye(n, dtype=bool)
        fly = np.where(reachable | same, fly, UNREACHABLE)
        dur = np.where(reachable | same, dur, UNREACHABLE).astype(np.int64)
        for i, a in enumerate(airfields):
            for j, b in enumerate(airfields):
                capacity[(name, a.icao, b.icao)] = float(cap[i, j]) if reachable[i, j] else 0.0
        profiles[name] = len(distance)
        distance.append(fly)
        duration.append(dur)

    all_keys = tuple(sorted({k for r in requests for k in restriction_keys(r)}))
    seat_floor = max(
        (
            FLOOR_UNITS * t.pallet_positions / t.seats
            for t in types.values()
            if t.pallet_positions and t.seats
        ),
        default=FLOOR_UNITS / 10,
    )

    lifts: list[Lift] = []
    unservable: list[Unservable] = []
    for r in requests:
        cause = _unservable_reason(r, fleet, capacity, scenario) or _clearance_reason(
            r, fleet, airspace, airfields[index[r.origin]], airfields[index[r.destination]]
        )
        if cause:
            unservable.append(Unservable(r, cause))
            continue
        lifts.extend(_split(r, fleet, capacity))

    min_ground = min(t.ground_time(scenario.ground_mode) + t.taxi_time_min for t in types.values())
    shipments = [
        _shipment(lift, scenario, index, all_keys, seat_floor, min_ground) for lift in lifts
    ]

    # The engine has one kg capacity per type, but fuel weight makes the real limit depend on
    # the leg: use the median direct-leg limit over the scenario's request pairs, so that
    # few routes need repair on long legs and short legs are not wasted much.
    kg_capacity = {}
    pairs = {(r.origin, r.destination) for r in requests}
    for name, t in types.items():
        caps = sorted(
            c for (ty, o, d), c in capacity.items() if ty == name and c > 0 and (o, d) in pairs
        )
        kg_capacity[name] = int(caps[len(caps) // 2]) if caps else int(t.max_payload_kg)
    tail_days, vehicle_types = [], []
    big = max(1, len(lifts))
    variants: dict[tuple[str, frozenset[str]], int] = {}

    def profile(designator: str, closed: frozenset[str]) -> int:
        """The type's travel profile, or a copy in which ``closed`` is unreachable."""
        base = profiles[designator]
        if not closed:
            return base
        if (designator, closed) not in variants:
            shut = np.zeros(n, dtype=bool)
            shut[[index[c] for c in closed if c in index]] = True
            cut = (shut[:, None] | shut[None, :]) & ~np.eye(n, dtype=bool)
            variants[(designator, closed)] = len(distance)
            distance.append(np.where(cut, UNREACHABLE, distance[base]))
            duration.append(np.where(cut, UNREACHABLE, duration[base]))
        return variants[(designator, closed)]

    for tail in fleet:
        t = tail.type
        for day in range(scenario.days):
            free = _free_window(
                tail, _flying_window(scenario, airfields[index[tail.home_base]], day)
            )
            if free is None:
                continue
            window = free
            closed = frozenset(c.icao for c in closures if c.overlaps(window))
            if tail.home_base in closed:
                continue  # cannot leave or come back
            changes = tuple((w.icao, w.override) for w in windows if w.overlaps(window))
            tail_days.append(TailDay(tail, day, window, closed, changes))
            vehicle_types.append(
                VehicleType(
                    count=1,
                    capacity=(
                        kg_capacity[t.designator],
                        t.pallet_positions,
                        t.seats,
                        t.pallet_positions * FLOOR_UNITS
                        + (0 if t.pallet_positions else math.ceil(t.seats * seat_floor)),
                        *(big if compatible(tail, k) else 0 for k in all_keys),
                    ),
                    start=index[tail.home_base],
                    end=index[tail.home_base],
                    tw=(_minutes(scenario, window[0]), _minutes(scenario, window[1])),
                    max_duration=int(tail.duty_limit_h * 60 - PRE_POST_FLIGHT_MIN),
                    fixed_cost=60,
                    profile=profile(t.designator, closed),
                    name=f"{tail.registration} day {day + 1}",
                )
            )
    coords = tuple((a.lon * 1000, a.lat * 1000) for a in airfields)
    problem = Problem(
        n,
        tuple(distance),
        tuple(duration),
        tuple(vehicle_types),
        tuple(shipments),
        coords,
        1.0,
        tuple(a.icao for a in airfields),
    )
    return AirliftModel(
        problem,
        scenario,
        airfields,
        tuple(lifts),
        tuple(tail_days),
        tuple(unservable),
        policy,
        weather,
        capacity,
        profiles,
        all_keys,
        seat_floor,
        min_ground,
        windows=windows,
        airspace=airspace,
    )


def _shipment(
    lift: Lift,
    scenario: Scenario,
    location: dict[str, int],
    dims: tuple[str, ...],
    seat_floor: float,
    min_ground: float,
) -> Shipment:
    """The engine's shipment for a lift: its load in every capacity dimension (``dims``:
    the restriction keys with one), its windows and its prize."""
    r = lift.request
    early = max(0, _minutes(scenario, r.earliest_utc))
    late = _minutes(scenario, r.latest_utc)
    floor = lift.pallets * FLOOR_UNITS + math.ceil(lift.pax * seat_floor)
    keys = restriction_keys(r)
    amount = (
        math.ceil(lift.payload_kg),
        lift.pallets,
        lift.pax,
        floor,
        *(1 if k in keys else 0 for k in dims),
    )
    # Priority-weighted load: worth 100 flying minutes plus 1 per 20 kg at priority 4.
    prize = PRIORITY_WEIGHT.get(r.priority, 1) * (100 + int(lift.payload_kg / 20))
    return Shipment(
        pickup=location[r.origin],
        delivery=location[r.destination],
        amount=amount,
        pickup_tw=(early, late),
        delivery_tw=(early, late + int(min_ground)),
        prize=prize + (0 if r.optional else REQUIRED_PRIZE),
        required=False,
        name=lift.id,
    )


def _minutes(scenario: Scenario, when: datetime) -> int:
    return int((when.astimezone(UTC) - scenario.start_utc).total_seconds() // 60)


def _allowed_tails(r: MovementRequest, fleet: tuple[FleetTail, ...]) -> list[FleetTail]:
    return [t for t in fleet if all(compatible(t, k) for k in restriction_keys(r))]


def best_lift_kg(
    r: MovementRequest, fleet: tuple[FleetTail, ...], capacity: dict[tuple[str, str, str], float]
) -> tuple[float, FleetTail | None]:
    """The most payload any allowed tail can carry on the request's direct leg."""
    best: tuple[float, FleetTail | None] = (0.0, None)
    for tail in _allowed_tails(r, fleet):
        kg = capacity.get((tail.type.designator, r.origin, r.destination), 0.0)
        if kg > best[0]:
            best = (kg, tail)
    return best


def _unservable_reason(
    r: MovementRequest,
    fleet: tuple[FleetTail, ...],
    capacity: dict[tuple[str, str, str], float],
    scenario: Scenario,
) -> str:
    allowed = _allowed_tails(r, fleet)
    if not allowed:
        what = ", ".join(restriction_keys(r))
        return f"no tail in the fleet meets the restrictions ({what})"
    if r.latest_utc <= scenario.start_utc or r.earliest_utc >= scenario.end_utc:
        return "window lies outside the planning horizon"
    kg, _ = best_lift_kg(r, fleet, capacity)
    if kg <= 0:
        fields = scenario_airfields(scenario, (r,), ())
        for a in fields:
            if not a.open_runways():
                what = "all its runways are closed" if a.runways else "it has no runway data"
                return (
                    f"{a.icao} cannot be planned: {what} (add runways to the theatre "
                    "file or run `airlift airfields import`)"
                )
        oat = {a.icao: a.planning.planning_oat_c for a in fields}
        types = ", ".join(sorted({t.type.designator for t in allowed}))
        return (
            f"no type in the fleet ({types}) can fly {r.origin}->{r.destination} at "
            f"{oat.get(r.destination) or 'ISA'} °C: runway length, surface, fuel or range "
            "rules it out"
        )
    if r.pallets and not any(t.type.pallet_positions for t in allowed):
        return "palletised load but no allowed type takes 463L pallets"
    payload = r.cargo_kg + r.pax * PAX_MASS_KG
    most = _fleet_sorties(r, fleet, scenario.ground_mode)
    if payload / kg > most:
        # Never split into more lifts than the whole fleet could fly (1e9 kg once became
        # millions of engine nodes); the input bound (scheduling.values) refuses absurd ones.
        return (
            f"{payload:,.0f} kg is more than the whole fleet can lift between its earliest "
            f"and latest times (at most {most:,} sorties of up to {kg:,.0f} kg)"
        )
    return ""


def _clearance_reason(
    r: MovementRequest,
    fleet: tuple[FleetTail, ...],
    airspace: Airspace | None,
    origin: Airfield,
    dest: Airfield,
) -> str:
    """Why no allowed tail may fly the request's leg: each would need a diplomatic clearance
    that can no longer be requested in time, even for the request's latest delivery ("" when
    some tail can, or needs none). Positioning legs are judged when missions are planned."""
    space = airspace or NO_AIRSPACE
    late = []
    for tail in _allowed_tails(r, fleet):
        need = late_clearance(
            space, tail.nation, tail.military, r.hazardous, origin, dest, r.latest_utc
        )
        if need is None:
            return ""
        late.append(need)
    if not late:
        return ""
    n = min(late, key=lambda c: c.latest_request_date)
    return (
        f"clearance: every allowed tail needs a {n.kind} clearance from {n.country} to be "
        f"requested by {n.latest_request_date} ({n.lead_days} days ahead), after the "
        f"planning date {space.day()}"
    )


def _fleet_sorties(r: MovementRequest, fleet: tuple[FleetTail, ...], ground_mode: str) -> int:
    """More sorties than the fleet could fly for ``r`` in its window: every allowed tail
    loading at the origin at once and again after each round trip, counted as ground and
    taxi time alone at both ends (no flying time: a bound no real programme reaches)."""
    window_min = (r.latest_utc - r.earliest_utc).total_seconds() / 60.0
    total = 0
    for tail in _allowed_tails(r, fleet):
        cycle = 2.0 * (tail.type.ground_time(ground_mode) + tail.type.taxi_time_min)
        total += 1 + int(window_min / max(cycle, 1.0))
    return total


def _split(
    r: MovementRequest, fleet: tuple[FleetTail, ...], capacity: dict[tuple[str, str, str], float]
) -> list[Lift]:
    kg_cap, tail = best_lift_kg(r, fleet, capacity)
    assert tail is not None
    return split_for(r, tail.type, kg_cap)


def direct_nm(a: Airfield, b: Airfield) -> float:
    return geo.inverse(a.lat, a.lon, b.lat, b.lon)[0]


__all__ = [
    "INF",
    "AirfieldWindow",
    "AirliftModel",
    "Closure",
    "TailDay",
    "Unservable",
    "build",
]
