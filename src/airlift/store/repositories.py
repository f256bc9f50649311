"""What ``web/runs.py`` still imports by this name while its own split is under way; new
code imports the parts of :mod:`airlift.store` (see its docstring) directly. To be removed
once ``web/runs.py`` imports them itself."""

from __future__ import annotations

from airlift.errors import Conflict, NotFound
from airlift.store.domain import domain_fleet, domain_requests, domain_scenario
from airlift.store.runs import create_run, mark_interrupted_runs

__all__ = [
    "Conflict",
    "NotFound",
    "create_run",
    "domain_fleet",
    "domain_requests",
    "domain_scenario",
    "mark_interrupted_runs",
]
