"""An upper bound on the required requests any programme can serve: how far from the best?

A linear relaxation of the scheduling problem, per aircraft type and day, solved with HiGHS
(``scipy.optimize.linprog``). Variables: the share of each required request carried by a
type on a day (any day its window touches), and the number of flights of that type between
each pair of airfields that day (fractional). Constraints:

* each request is carried at most once;
* its aircraft-loads (kg against the type's maximum payload, pallets against positions,
  passengers against seats; loads share aircraft freely) board on flights leaving its
  origin and leave the aircraft from flights arriving at its destination: loads boarding at
  an airfield are at most the flights leaving it, loads unloaded at most those arriving;
* flights arriving at an airfield equal those leaving it (each tail-day's tour is closed:
  it starts and ends at home the same day), so an aircraft must fly to a load before
  carrying it: positioning costs flying time;
* every aircraft-minute carries at most one aircraft-load, and a load rides at least the
  flying minutes of its direct leg;
* the flights' minutes fit in the type's flying time that day: per tail at most its flying
  hours per day and the length of its flying window (daylight at home unless night flying
  is allowed; maintenance takes its share);
* at an airfield with a MOG, arrivals times the type's ground time fit in MOG x the minutes
  it is open (daylight only, opening hours).

Every real programme satisfies these, so no programme serves more required requests than
the optimum. Crew duty, the time of day within windows, runway limits per load and the
order of stops are relaxed away: the bound is loose where those bind. Requests the model
cannot serve at all (:class:`~airlift.scheduling.model.Unservable`) are out; optional ones
are left out (serving them never helps the required count).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from airlift.aircraft import AircraftType
from airlift.airfields import Airfield
from airlift.mission.conditions import civil_twilight
from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
from airlift.scheduling.lifts import PAX_MASS_KG
from airlift.scheduling.model import (
    UNREACHABLE,
    AirliftModel,
    build,
    compatible,
    restriction_keys,
)


@dataclass(frozen=True, slots=True)
class Bound:
    required: int
    """Required requests."""
    servable: int
    """Of them, those the model can serve at all (each alone, ignoring the others)."""
    bound: int
    """The relaxation's optimum, rounded down: no programme serves more required requests."""
    hours_available: float
    """Flying hours of all tail-days, h."""
    hours_needed: float
    """Aircraft-hours the servable required requests need at the least, h."""


def _loads(r: MovementRequest, t: AircraftType) -> float:
    """Aircraft-loads of ``r`` on type ``t`` (kg against its maximum payload: any leg)."""
    parts = [(r.cargo_kg + r.pax * PAX_MASS_KG) / t.max_payload_kg]
    if r.pallets:
        parts.append(r.pallets / t.pallet_positions if t.pallet_positions else np.inf)
    if r.pax:
        parts.append(r.pax / t.seats if t.seats else np.inf)
    return max(parts)


def _open_minutes(a: Airfield, day: date) -> float:
    """Minutes airfield ``a`` takes aircraft on ``day``: daylight only (civil twilight), its
    opening hours, or all day."""
    minutes = 1440.0
    if a.planning.daylight_only:
        dawn, dusk = civil_twilight(a.lat, a.lon, day)
        minutes = (dusk - dawn).total_seconds() / 60.0
    if a.planning.hours_utc:
        opens, closes = (int(x[:2]) * 60 + int(x[3:]) for x in a.planning.hours_utc)
        minutes = min(minutes, (closes - opens) % 1440)
    return minutes


class _Lp:
    """A sparse LP under construction: named rows, columns added one by one."""

    def __init__(self) -> None:
        self.entries: list[tuple[tuple[Any, ...], int, float]] = []
        self.upper: dict[tuple[Any, ...], float] = {}
        """Row -> right-hand side of ``row <= value``."""
        self.equal: set[tuple[Any, ...]] = set()
        """Rows that are ``row == 0``."""
        self.columns = 0
        self.gain: list[float] = []

    def column(self, gain: float, coefficients: list[tuple[tuple[Any, ...], float]]) -> None:
        for row, value in coefficients:
            self.entries.append((row, self.columns, value))
        self.gain.append(gain)
        self.columns += 1

    def maximise(self) -> float:
        from scipy.optimize import linprog
        from scipy.sparse import coo_matrix

        def matrix(rows: list[tuple[Any, ...]]) -> Any:
            index = {row: i for i, row in enumerate(rows)}
            kept = [e for e in self.entries if e[0] in index]
            return coo_matrix(
                ([e[2] for e in kept], ([index[e[0]] for e in kept], [e[1] for e in kept])),
                shape=(len(rows), self.columns),
            ).tocsr()

        ub = [row for row in {e[0] for e in self.entries} if row not in self.equal]
        ub.sort(key=repr)
        eq = sorted(self.equal, key=repr)
        result = linprog(
            -np.array(self.gain),
            A_ub=matrix(ub),
            b_ub=np.array([self.upper.get(row, 0.0) for row in ub]),
            A_eq=matrix(eq) if eq else None,
            b_eq=np.zeros(len(eq)) if eq else None,
            bounds=(0, None),
            # Interior point: 3.6 s on the L theatre where dual simplex took 67 s (the LP is
            # degenerate: many optima when capacity is ample).
            method="highs-ipm",
        )
        if not result.success:
            raise RuntimeError(f"the bound's LP did not solve: {result.message}")
        return float(-result.fun)


def _flights(lp: _Lp, model: AirliftModel, types: dict[str, AircraftType]) -> None:
    """A column per type, day and pair of airfields it can fly: its flights that day."""
    codes = [x.icao for x in model.airfields]
    for designator, profile in model.profile_of.items():
        minutes = model.problem.distance[profile]
        ground = types[designator].ground_time(model.scenario.ground_mode)
        for day in range(model.scenario.days):
            if ("fly", designator, day) not in lp.upper:
                continue
            for i, origin in enumerate(codes):
                for j, dest in enumerate(codes):
                    m = float(minutes[i, j])
                    if i == j or m >= UNREACHABLE:
                        continue
                    mog = ("mog", dest, day)
                    lp.column(
                        0.0,
                        [
                            (("board", designator, day, origin), -1.0),
                            (("unload", designator, day, dest), -1.0),
                            (("balance", designator, day, origin), 1.0),
                            (("balance", designator, day, dest), -1.0),
                            (("carry", designator, day), -m),
                            (("fly", designator, day), m),
                            *([(mog, ground)] if mog in lp.upper else []),
                        ],
                    )
            lp.equal.update(("balance", designator, day, code) for code in codes)


def _carried(
    lp: _Lp,
    model: AirliftModel,
    types: dict[str, AircraftType],
    fleet: tuple[FleetTail, ...],
    required: list[MovementRequest],
) -> dict[int, float]:
    """A column per required request, type and day its window touches: the share carried.
    Returns the least aircraft-minutes each request needs (those any type can carry)."""
    least: dict[int, float] = {}
    loc, scenario = model.location_of, model.scenario
    for k, r in enumerate(required):
        for designator, profile in model.profile_of.items():
            if not any(
                x.type.designator == designator
                and all(compatible(x, key) for key in restriction_keys(r))
                for x in fleet
            ):
                continue
            m = float(model.problem.distance[profile][loc[r.origin], loc[r.destination]])
            loads = _loads(r, types[designator])
            if m >= UNREACHABLE or not np.isfinite(loads):
                continue
            for day in range(scenario.days):
                start = scenario.start_utc + timedelta(days=day)
                touches = r.earliest_utc < start + timedelta(days=1) and start < r.latest_utc
                if not touches or ("fly", designator, day) not in lp.upper:
                    continue
                least[k] = min(least.get(k, loads * m), loads * m)
                lp.column(
                    1.0,
                    [
                        (("request", k), 1.0),
                        (("board", designator, day, r.origin), loads),
                        (("unload", designator, day, r.destination), loads),
                        (("carry", designator, day), loads * m),
                    ],
                )
    for k in least:
        lp.upper[("request", k)] = 1.0
    return least


def upper_bound(
    requests: tuple[MovementRequest, ...],
    fleet: tuple[FleetTail, ...],
    scenario: Scenario,
    model: AirliftModel | None = None,
) -> Bound:
    """The bound of the module docstring (``model``: the inputs' model if built already)."""
    model = model or build(requests, fleet, scenario)
    unservable = {u.request.ref for u in model.unservable}
    required = [r for r in requests if not r.optional and r.ref not in unservable]
    lp = _Lp()
    for td in model.tail_days:
        window = (td.window[1] - td.window[0]).total_seconds() / 60.0
        row = ("fly", td.tail.type.designator, td.day)
        lp.upper[row] = lp.upper.get(row, 0.0) + min(window, td.tail.max_flying_h_per_day * 60.0)
    flying = sum(lp.upper.values())
    for a in model.airfields:
        for day in range(scenario.days):
            if a.planning.mog:
                open_min = _open_minutes(a, (scenario.start_utc + timedelta(days=day)).date())
                lp.upper[("mog", a.icao, day)] = a.planning.mog * open_min
    types = {t.type.designator: t.type for t in fleet}
    _flights(lp, model, types)
    least = _carried(lp, model, types, fleet, required)
    return Bound(
        required=sum(not r.optional for r in requests),
        servable=len(least),
        bound=math.floor(lp.maximise() + 1e-6) if least else 0,
        hours_available=flying / 60.0,
        hours_needed=sum(least.values()) / 60.0,
    )
