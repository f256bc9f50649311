"""The shipped demo week (fleet, requests, scenario) loaded into an empty database."""

from __future__ import annotations

import tomllib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from airlift.scheduling import readers
from airlift.store.domain import request_values, tail_values
from airlift.store.models import MovementRequestRow, ScenarioRow, Tail
from airlift.store.rows import audit, flush
from airlift.store.validation import validate_scenario


def load_demo(session: Session, username: str = "system") -> bool:
    """Fill an empty database with the shipped demo: fleet, requests and scenario. Does
    nothing when any tail exists (the database is in use). True when it loaded."""
    if session.scalar(select(func.count()).select_from(Tail)):
        return False
    demo = readers.demo_dir()
    tails = [tail_values(t) for t in readers.read_fleet(demo / "fleet.csv")]
    session.add_all(Tail(**values) for values in tails)
    created = {"tails": [t["registration"] for t in tails]}
    if not session.scalar(select(func.count()).select_from(MovementRequestRow)):
        requests = [request_values(r) for r in readers.read_requests(demo / "requests.csv")]
        session.add_all(MovementRequestRow(**values) for values in requests)
        created["requests"] = [r["ref"] for r in requests]
    readers.read_scenario(demo / "scenario.toml")  # the file's own checks and messages
    raw = tomllib.loads((demo / "scenario.toml").read_text("utf-8"))
    scenario = validate_scenario(
        session,
        {
            "name": raw.get("name"),
            "start_utc": raw.get("start_utc"),
            "days": raw.get("days"),
            "fuel_policy": raw.get("fuel_policy"),
            "night_ops": raw.get("night_ops"),
            "overrides": raw.get("airfield", {}),
        },
    )
    if (
        session.scalars(select(ScenarioRow).where(ScenarioRow.name == scenario["name"])).first()
        is None
    ):
        session.add(ScenarioRow(**scenario))
        created["scenarios"] = [scenario["name"]]
    flush(session, "demo data")
    for kind, keys in created.items():
        audit(session, username, "import", kind, "", {"source": "demo", "created": keys})
    return True
