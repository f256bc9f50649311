"""The upper bound on required requests served (``scheduling/bound.py``): never below what
the scheduler serves, and tight where flying time and positioning bind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airlift.aircraft import aircraft_type
from airlift.scheduling.bound import upper_bound
from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario
from airlift.scheduling.programme import Programme
from airlift.scheduling.readers import demo_dir, read_fleet, read_requests
from airlift.scheduling.scheduler import schedule

START = datetime(2023, 10, 27, tzinfo=UTC)


def test_the_bound_holds_on_the_demo_week(
    demo_programme: Programme, demo_scenario: Scenario
) -> None:
    d = demo_dir()
    b = upper_bound(read_requests(d / "requests.csv"), read_fleet(d / "fleet.csv"), demo_scenario)
    served = sum(s.status == "delivered" and not s.optional for s in demo_programme.requests)
    assert served <= b.bound <= b.servable <= b.required
    assert b.servable == b.required - 1  # R013: GAMK has no runway data
    assert 0 < b.hours_needed < b.hours_available


def test_positioning_and_flying_hours_bind() -> None:
    """One C-130H at Niamey with 4 flying hours a day and three full loads Bamako -> Gao,
    each a day's job: flying to Bamako and back home costs as much as the loads, so at
    most one a day fits, whatever the schedule."""
    tail = FleetTail("NE-A", aircraft_type("C-130H"), "NE", "DRRN", max_flying_h_per_day=4.0)
    loads = tuple(
        MovementRequest(f"R{k}", "GABS", "GAGO", 15_000, 0, 0, START, START + timedelta(days=1), 2)
        for k in range(3)
    )
    scenario = Scenario("hand", START, 1)
    b = upper_bound(loads, (tail,), scenario)
    p = schedule(loads, (tail,), scenario, time_limit_s=1.0)
    served = sum(s.status == "delivered" for s in p.requests)
    assert b.servable == 3
    assert served <= b.bound <= 1
