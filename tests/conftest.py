"""Shared fixtures.

* ``data_dir``: an empty, private user data folder (``$AIRLIFT_DATA_DIR``) so no test reads or
  writes the developer's real OurAirports cache.
* ``OURAIRPORTS`` / ``ourairports``: the OurAirports CSV snapshot kept beside the repository
  (``../shared/data/ourairports``, see its README); it is test data and never copied here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import airlift.airfields

OURAIRPORTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ourairports"
"""The repository is /work/main and the shared data /work/shared: two levels up from tests/."""

AIRCRAFT_FACTS = Path(__file__).resolve().parents[2] / "shared" / "docs" / "aircraft-facts.md"
"""Where the aircraft figures come from (the [n] references of the type files)."""


def skip_unless_ourairports() -> Path:
    """Return the OurAirports folder, or skip the calling test with the reason."""
    if not (OURAIRPORTS / "airports.csv").is_file() or not (OURAIRPORTS / "runways.csv").is_file():
        pytest.skip(
            f"OurAirports test data not found at {OURAIRPORTS}: "
            "tests that import it need ../shared/data/ourairports"
        )
    return OURAIRPORTS


@pytest.fixture(scope="session")
def ourairports() -> Path:
    """The shared OurAirports folder (airports.csv, runways.csv); skips when it is missing."""
    return skip_unless_ourairports()


@pytest.fixture(scope="session")
def aircraft_facts() -> Path:
    """The aircraft facts document (sources of the type files' figures); skips when missing."""
    if not AIRCRAFT_FACTS.is_file():
        pytest.skip(f"aircraft facts not found at {AIRCRAFT_FACTS}: need ../shared/docs")
    return AIRCRAFT_FACTS


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user data folder: ``$AIRLIFT_DATA_DIR`` points at it and no cache is open."""
    folder = tmp_path / "airlift-data"
    folder.mkdir()
    monkeypatch.setenv("AIRLIFT_DATA_DIR", str(folder))
    airlift.airfields._cache_conn.cache_clear()
    yield folder
    # The cached connection points into this folder: forget it before the folder goes.
    airlift.airfields._cache_conn.cache_clear()
