"""Tracking fixtures, built at test time from a real planned programme.

* ``demo_programme``: the demo week scheduled for 3 s (``airlift.scheduling`` readers on
  ``src/airlift/data/demo/``), and ``demo_document``, its programme document (what
  ``airlift schedule --json`` writes).
* ``demo_scenario``: the scenario it was scheduled under (night flying off, GATB without fuel).
* ``three_legs``: the planned legs of the first mission with three legs or more: the tail's
  day that delays, a diversion and a missing report are made of.
* ``flown``: the reference circuit flown as a synthetic ADS-B track (see circuit.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from circuit import Flown, fly_circuit

from airlift.export.programme import programme_document
from airlift.scheduling.inputs import Scenario
from airlift.scheduling.programme import Programme
from airlift.scheduling.readers import demo_dir, read_fleet, read_requests, read_scenario
from airlift.scheduling.scheduler import schedule
from airlift.tracking.legs import PlannedLeg, planned_legs


@pytest.fixture(scope="session")
def demo_scenario() -> Scenario:
    return read_scenario(demo_dir() / "scenario.toml")


@pytest.fixture(scope="session")
def demo_programme(demo_scenario: Scenario) -> Programme:
    d = demo_dir()
    return schedule(
        read_requests(d / "requests.csv"), read_fleet(d / "fleet.csv"), demo_scenario, 3.0
    )


@pytest.fixture(scope="session")
def demo_document(demo_programme: Programme) -> dict[str, Any]:
    return programme_document(demo_programme)


@pytest.fixture(scope="session")
def three_legs(demo_document: dict[str, Any]) -> list[PlannedLeg]:
    legs = planned_legs(demo_document)
    first = next(i for i, m in enumerate(demo_document["missions"]) if len(m["plan"]["legs"]) >= 3)
    return [p for p in legs if p.mission == first]


@pytest.fixture(scope="session")
def flown() -> Flown:
    return fly_circuit()
