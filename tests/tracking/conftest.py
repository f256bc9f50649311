"""The tracking tests' shared fixture: the reference circuit flown (see circuit.py)."""

from __future__ import annotations

import pytest
from circuit import Flown, fly_circuit


@pytest.fixture(scope="session")
def flown() -> Flown:
    return fly_circuit()
