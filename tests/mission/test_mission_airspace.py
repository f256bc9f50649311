"""Airspace in the mission planner (``mission.airspace``): legs routed around active zones,
the countries under each leg, the diplomatic clearances of a mission, and the limits they
break (``airspace``, ``clearance``). The CLI options are in tests/cli/test_airspace_cli.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from shapely import Polygon

from airlift import geo
from airlift.aircraft import aircraft_type
from airlift.airfields import lookup
from airlift.airspace import Zone, geodesic_circle
from airlift.export import plan_document
from airlift.mission import LimitName, Load, MissionInput, Options, plan
from airlift.mission.airspace import Airspace
from airlift.mission.retime import retime
from airlift.units import M_PER_NM

DEPARTURE = datetime(2023, 10, 27, 6, 30, tzinfo=UTC)
CIRCUIT = ("GABS", "GAGO", "GATS", "DRRN", "GABS")
HOMBORI = Zone(
    "R-Hombori",
    "restricted",
    Polygon([(-2.0, 14.5), (-1.0, 14.5), (-1.0, 15.8), (-2.0, 15.8)]),
    lower_ft=0.0,
    upper_ft=30_000.0,
)
"""A box across the great circle Bamako - Gao (it passes 15.5 N at 1.5 W)."""
FL200 = Options(fl=200, ground_mode="expedited")


def mission(
    stops: tuple[str, ...] = CIRCUIT,
    airspace: Airspace | None = None,
    options: Options = FL200,
    tail: str | None = None,
) -> MissionInput:
    from airlift.mission_file import shipped_aircraft

    t, found = shipped_aircraft(tail) if tail else (aircraft_type("C-130H"), None)
    legs = len(stops) - 1
    return MissionInput(
        t,
        tuple(lookup(s) for s in stops),
        DEPARTURE,
        tuple(Load(4_000, 2, 10) for _ in range(legs)),
        options=options,
        tail=found,
        airspace=airspace,
    )


# --- countries ----------------------------------------------------------------------------------


def test_reference_circuit_countries_in_order_with_distances() -> None:
    """Hand-checked: Bamako-Gao and Gao-Tessalit are Mali only; Tessalit-Niamey leaves Mali
    for Niger; Niamey-Bamako crosses Niger, Burkina Faso, then Mali (its great circle runs
    south of the Mali border through Burkina Faso)."""
    p = plan(mission())
    assert [leg.countries for leg in p.legs] == [
        ("MLI",),
        ("MLI",),
        ("MLI", "NER"),
        ("NER", "BFA", "MLI"),
    ]
    for leg in p.legs:
        assert sum(c.distance_nm for c in leg.country_passages) == pytest.approx(
            leg.dist_nm, rel=0.005
        )
        assert leg.detour_nm == 0.0
        assert len(leg.route) == 2
    doc = plan_document(p)
    assert doc["legs"][3]["countries"] == ["NER", "BFA", "MLI"]
    assert [c["iso3"] for c in doc["legs"][3]["country_passages"]] == ["NER", "BFA", "MLI"]
    assert doc["legs"][0]["route"][0] == [12.5335, -7.94994]
    assert doc["clearances"] == [] and doc["zones"] == []


# --- routing around zones -----------------------------------------------------------------------


def test_an_active_zone_is_routed_around_and_the_leg_costs_more() -> None:
    direct = plan(mission(("GABS", "GAGO")))
    routed = plan(mission(("GABS", "GAGO"), Airspace((HOMBORI,))))
    d, r = direct.legs[0], routed.legs[0]
    assert r.zones_avoided == ("R-Hombori",)
    assert r.detour_nm > 0.5
    assert r.dist_nm == pytest.approx(d.dist_nm + r.detour_nm, abs=0.1)
    assert r.trip_fuel_kg > d.trip_fuel_kg
    assert r.flight_time_min >= d.flight_time_min
    # the path flown stays out of the zone: every point of it, densified
    for (lat1, lon1), (lat2, lon2) in zip(r.route, r.route[1:], strict=False):
        for lon, lat in geo.densify(lat1, lon1, lat2, lon2, 2.0):
            assert not HOMBORI.area.contains(Polygon.from_bounds(lon, lat, lon, lat).centroid)
    doc = plan_document(routed)
    assert doc["legs"][0]["detour_nm"] > 0 and len(doc["legs"][0]["route"]) > 2
    assert doc["zones"][0]["name"] == "R-Hombori"


def test_a_zone_below_the_cruise_level_or_outside_its_window_is_flown_over() -> None:
    low = replace(HOMBORI, upper_ft=15_000.0)
    later = replace(
        HOMBORI,
        from_utc=DEPARTURE + timedelta(days=1),
        until_utc=DEPARTURE + timedelta(days=2),
    )
    for zone in (low, later):
        leg = plan(mission(("GABS", "GAGO"), Airspace((zone,)))).legs[0]
        assert leg.detour_nm == 0.0 and leg.zones_avoided == ()
    now = replace(later, from_utc=DEPARTURE, until_utc=DEPARTURE + timedelta(hours=3))
    assert plan(mission(("GABS", "GAGO"), Airspace((now,)))).legs[0].detour_nm > 0


def test_a_destination_inside_a_threat_ring_is_flagged_not_routed() -> None:
    gao = lookup("GAGO")
    ring = Zone(
        "MANPADS Gao",
        "threat",
        geodesic_circle(gao.lat, gao.lon, 10 * M_PER_NM),
        standoff_m=5 * M_PER_NM,
    )
    p = plan(mission(("GABS", "GAGO"), Airspace((ring,))))
    assert p.legs[0].detour_nm == 0.0
    assert any("GAGO" in w and "MANPADS Gao" in w and "tactical arrival" in w for w in p.warnings)


def test_an_enclosed_destination_breaks_the_airspace_limit_by_the_distance_inside() -> None:
    tessalit = lookup("GATS")
    walls = tuple(
        Zone(
            f"ring {i}",
            "prohibited",
            Polygon(
                [
                    (tessalit.lon + dx0, tessalit.lat + dy0),
                    (tessalit.lon + dx1, tessalit.lat + dy1),
                    (tessalit.lon + 1.2 * dx1, tessalit.lat + 1.2 * dy1),
                    (tessalit.lon + 1.2 * dx0, tessalit.lat + 1.2 * dy0),
                ]
            ),
        )
        for i, ((dx0, dy0), (dx1, dy1)) in enumerate(
            zip(
                [(1, 0), (0, 1), (-1, 0), (0, -1)],
                [(0, 1), (-1, 0), (0, -1), (1, 0)],
                strict=True,
            )
        )
    )
    # four walls that overlap at the corners once buffered: no way in
    p = plan(mission(("GAGO", "GATS"), Airspace(walls)))
    assert not p.feasible
    v = next(v for v in p.violations if v.limit == LimitName.AIRSPACE)
    assert v.unit == "NM" and v.excess > 5
    assert "no path clear of zone(s)" in v.message


# --- clearances ---------------------------------------------------------------------------------


def test_a_coalition_tail_needs_no_clearance_on_the_reference_circuit() -> None:
    p = plan(mission(tail="5U-MBD"))
    assert p.clearances == ()


def test_a_foreign_operator_needs_landing_and_overflight_clearances() -> None:
    early = Airspace(operator="FRA", planning_date=date(2023, 10, 1))
    p = plan(mission(airspace=early))
    kinds = {(c.country, c.kind) for c in p.clearances}
    assert kinds == {("MLI", "landing"), ("NER", "landing"), ("BFA", "overflight")}
    assert all(c.obtainable for c in p.clearances)
    assert not [v for v in p.violations if v.limit == LimitName.CLEARANCE]
    for c in p.clearances:
        assert c.latest_request_date == c.first_use_utc.date() - timedelta(days=c.lead_days)
    late = plan(mission(airspace=replace(early, planning_date=date(2023, 10, 25))))
    broken = [v for v in late.violations if v.limit == LimitName.CLEARANCE]
    assert len(broken) == 3 and all(v.unit == "days" and v.excess > 0 for v in broken)
    assert not late.feasible


def test_retime_keeps_the_clearances_a_full_plan_gives() -> None:
    space = Airspace(operator="FRA", planning_date=date(2023, 10, 19))
    base_input = mission(airspace=space)
    base = plan(base_input)
    later = replace(base_input, departure_utc=DEPARTURE + timedelta(days=2))
    assert retime(base, base_input, later) == plan(later)
