"""Helpers of the web tests that hold programmes as stored runs (``conftest.demo_env``)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from airlift.store import runs as store_runs
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import ScenarioRow, ScheduleRun

DemoEnv = tuple[TestClient, str, dict[str, dict[str, str]]]
"""(client, database URL, {role: Authorization header})."""


def stored_run(db_url: str, document: dict[str, Any] | None) -> int:
    """A run of the demo scenario: done with ``document``, or left queued when None."""
    engine = make_engine(db_url)
    try:
        with transaction(session_factory(engine)) as s:
            scenario_id = s.scalar(select(ScenarioRow.id))
            assert scenario_id is not None
            run = store_runs.create_run(s, scenario_id, "planner", 1, 0)
            s.flush()
            if document is not None:
                row = s.get(ScheduleRun, run.id)
                assert row is not None
                row.status, row.result, row.kpis = "done", document, document["kpis"]
            return int(run.id)
    finally:
        engine.dispose()
