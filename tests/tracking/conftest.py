"""Tracking fixtures, built at test time from a real planned programme.

* ``demo_programme``, ``demo_document``, ``demo_scenario``: ``tests/conftest.py``'s.
* ``three_legs``: the planned legs of the first mission with three legs or more: the tail's
  day that delays, a diversion and a missing report are made of.
* ``flown``: the reference circuit flown as a synthetic ADS-B track (see circuit.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from circuit import Flown, fly_circuit

from airlift.tracking.legs import PlannedLeg, planned_legs


@pytest.fixture(scope="session")
def three_legs(demo_document: dict[str, Any]) -> list[PlannedLeg]:
    legs = planned_legs(demo_document)
    first = next(i for i, m in enumerate(demo_document["missions"]) if len(m["plan"]["legs"]) >= 3)
    return [p for p in legs if p.mission == first]


@pytest.fixture(scope="session")
def flown() -> Flown:
    return fly_circuit()
