"""A mission's airspace: each leg's path around active zones, the countries under it, and the
diplomatic clearances the mission needs.

The geometry is :mod:`airlift.airspace` (zones, routing, countries, clearance rules); this
module applies it to a mission's legs:

* A leg is routed (``airspace.routing.Router``) around the zones active at its cruise level
  during its estimated time in the air (``leg_window``: the departure plus the legs and
  turnarounds before it, at direct distances; a zone whose window only brushes that estimate
  counts). Without zones the path is the great circle.
* The countries under the path come from Natural Earth (``airspace.countries``), in order,
  with the distance flown in each. Where the borders file is not installed the legs carry no
  countries and the plan says so in a warning.
* The clearances: for the operator's nation (the ``Airspace``'s, else the tail's), military
  or not as the type is, with hazardous cargo when the manifest carries dangerous goods,
  from the shipped rules (``data/clearances/rules.toml``) unless others are given. A clearance
  whose latest request date is already past on the planning date breaks the ``clearance``
  limit by that many days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache

import numpy as np
import numpy.typing as npt
import pycountry
import shapely

from airlift import geo
from airlift.airfields import Airfield
from airlift.airspace.clearances import (
    ClearanceLeg,
    ClearanceNeed,
    ClearanceRules,
    load_rules,
)
from airlift.airspace.clearances import (
    clearances_needed as _clearances_needed,
)
from airlift.airspace.countries import CountryPassage, countries_along, country_at
from airlift.airspace.routing import Route, Router
from airlift.airspace.zones import Zone
from airlift.errors import DataFileError, FieldError

LatLon = tuple[float, float]

BLOCKED_NM = 100_000.0
"""The distance a scheduler's matrix gives a pair no path joins (beyond every range)."""
INSIDE_STEP_NM = 1.0
"""Sampling step of the great circle when measuring how much of it lies inside zones."""
WINDOW_MARGIN_MIN = 60.0
"""Added after a leg's estimated landing when asking which zones are active: the estimate
comes before fuel and winds are known, and a zone that opens just after it still counts."""


@dataclass(frozen=True, eq=False)
class Airspace:
    """The zones to route around and the clearance context of a mission (or a programme).

    ``operator``: the nation flying (ISO alpha-3 or alpha-2); None = the tail's nation.
    ``planning_date``: the day clearances are requested from; None = today (UTC).
    ``rules``: the clearance rules; None = the shipped ones."""

    zones: tuple[Zone, ...] = ()
    operator: str | None = None
    planning_date: date | None = None
    rules: ClearanceRules | None = None
    _routes: dict[tuple[LatLon, LatLon, float, datetime, datetime], Route] = field(
        default_factory=dict, repr=False
    )

    @cached_property
    def router(self) -> Router:
        return Router(self.zones)

    def route(
        self, a: Airfield, b: Airfield, level_ft: float, window: tuple[datetime, datetime]
    ) -> Route:
        """The leg from ``a`` to ``b`` around the zones active at ``level_ft`` in ``window``."""
        key = ((a.lat, a.lon), (b.lat, b.lon), level_ft, *window)
        found = self._routes.get(key)
        if found is None:
            found = self.router.route((a.lat, a.lon), (b.lat, b.lon), level_ft, *window)
            if len(self._routes) > 20_000:  # a long programme's worth of distinct legs
                self._routes.clear()
            self._routes[key] = found
        return found

    @cached_property
    def any_level_router(self) -> Router:
        """A router that counts every zone at every level (its band dropped)."""
        return Router(tuple(replace(z, lower_ft=None, upper_ft=None) for z in self.zones))

    def distance_matrix_nm(
        self, airfields: Sequence[Airfield], start: datetime, end: datetime
    ) -> npt.NDArray[np.float64]:
        """NM to fly between every pair of ``airfields`` around the zones active at any
        level some time between ``start`` and ``end`` (a scheduler's estimate: each mission
        it builds is then planned leg by leg with the leg's own level and times). A blocked
        pair gets :data:`BLOCKED_NM`, beyond any type's range."""
        n = len(airfields)
        out = np.zeros((n, n))
        for i, a in enumerate(airfields):
            for j, b in enumerate(airfields):
                if i != j:
                    r = self.any_level_router.route((a.lat, a.lon), (b.lat, b.lon), 0.0, start, end)
                    out[i, j] = BLOCKED_NM if r.blocked_by else r.distance_nm
        return out

    def inside_nm(self, a: Airfield, b: Airfield, names: Sequence[str]) -> float:
        """NM of the great circle from ``a`` to ``b`` inside the zones ``names`` (sampled
        every :data:`INSIDE_STEP_NM`)."""
        areas = [z.area for z in self.zones if z.name in names]
        if not areas:
            return 0.0
        points = geo.densify(a.lat, a.lon, b.lat, b.lon, INSIDE_STEP_NM)
        lon = np.array([p[0] for p in points])
        lat = np.array([p[1] for p in points])
        inside = np.zeros(len(points), dtype=bool)
        for area in areas:
            inside |= shapely.contains_xy(area, lon, lat)
        share = float(inside.mean())
        return share * geo.inverse(a.lat, a.lon, b.lat, b.lon)[0]

    def clearance_rules(self) -> ClearanceRules:
        return self.rules or load_rules()

    def day(self) -> date:
        return self.planning_date or datetime.now(UTC).date()


NO_AIRSPACE = Airspace()


def direct_route(a: Airfield, b: Airfield) -> Route:
    """The great circle from ``a`` to ``b`` (no zones)."""
    dist = geo.inverse(a.lat, a.lon, b.lat, b.lon)[0]
    return Route(((a.lat, a.lon), (b.lat, b.lon)), dist, dist)


@lru_cache(maxsize=8192)
def passages(path: tuple[LatLon, ...]) -> tuple[CountryPassage, ...] | None:
    """The countries under ``path`` in order (None: the borders file is not installed)."""
    try:
        return countries_along(path)
    except DataFileError:
        return None


@lru_cache(maxsize=4096)
def airfield_country(a: Airfield) -> str | None:
    """The ISO alpha-3 country an airfield lies in (None: at sea on the 1:50m coast, or the
    borders file is not installed)."""
    try:
        return country_at(a.lat, a.lon)
    except DataFileError:
        return None


def iso3(nation: str, field_name: str = "operator") -> str:
    """An ISO 3166-1 alpha-3 code from alpha-3 or alpha-2 (``NE`` -> ``NER``)."""
    code = nation.strip().upper()
    found = (
        pycountry.countries.get(alpha_3=code)
        if len(code) == 3
        else pycountry.countries.get(alpha_2=code)
        if len(code) == 2
        else None
    )
    if found is None:
        raise FieldError(
            field_name, f"{field_name} {nation!r} is not an ISO 3166-1 country code (NER, MLI)"
        )
    return str(found.alpha_3)


def leg_window(start: datetime, air_min: float) -> tuple[datetime, datetime]:
    """The time a leg may be in the air: its estimated off-block to landing plus a margin."""
    return start, start + timedelta(minutes=air_min + WINDOW_MARGIN_MIN)


@dataclass(frozen=True, slots=True)
class LegClearance:
    """What the clearance rules need of a planned leg."""

    takeoff_utc: datetime
    landing_utc: datetime
    origin: Airfield
    destination: Airfield
    countries: tuple[str, ...]


def mission_clearances(
    airspace: Airspace,
    operator: str | None,
    military: bool,
    hazardous: bool,
    legs: Sequence[LegClearance],
) -> tuple[ClearanceNeed, ...]:
    """The clearances the legs need (empty without an operator: nobody to clear)."""
    if operator is None:
        return ()
    rows = []
    for leg in legs:
        over = leg.countries
        origin = airfield_country(leg.origin) or (over[0] if over else "")
        dest = airfield_country(leg.destination) or (over[-1] if over else "")
        rows.append(ClearanceLeg(leg.takeoff_utc, origin, dest, over, leg.landing_utc))
    return _clearances_needed(
        rows, iso3(operator), military, hazardous, airspace.clearance_rules(), airspace.day()
    )


def late_clearance(
    airspace: Airspace,
    nation: str,
    military: bool,
    hazardous: bool,
    origin: Airfield,
    dest: Airfield,
    when: datetime,
) -> ClearanceNeed | None:
    """A clearance the great circle from ``origin`` to ``dest``, flown at ``when`` by an
    aircraft of ``nation``, needs and can no longer get in time (None: none such)."""
    path = direct_route(origin, dest).points
    over = tuple(p.iso3 for p in passages(path) or ())
    leg = LegClearance(when, when, origin, dest, over)
    needs = mission_clearances(airspace, nation, military, hazardous, [leg])
    return next((n for n in needs if not n.obtainable), None)
