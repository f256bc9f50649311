"""Schedule runs in the database: queue a run, and mark the runs a restart interrupted."""

from __future__ import annotations

import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from airlift.errors import FieldError
from airlift.store.collections import SCENARIOS
from airlift.store.models import ScheduleRun, utcnow
from airlift.store.rows import INT_MAX, audit, flush

INTERRUPTED = "interrupted by a server restart"


def create_run(
    session: Session, scenario_id: int, username: str, time_limit_s: float, seed: int
) -> ScheduleRun:
    """Queue a schedule run of the scenario for the worker."""
    SCENARIOS.get(session, scenario_id)
    if (
        isinstance(time_limit_s, bool)
        or not isinstance(time_limit_s, int | float)
        or not math.isfinite(time_limit_s)
        or not 0 < time_limit_s <= 86_400
    ):
        raise FieldError(
            "time_limit_s", f"time_limit_s must be 0-86400 seconds, got {time_limit_s!r}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= INT_MAX:
        raise FieldError("seed", f"seed must be a whole number 0-{INT_MAX}, got {seed!r}")
    run = ScheduleRun(
        scenario_id=scenario_id,
        status="queued",
        created_by=username[:64],
        created_at=utcnow(),
        time_limit_s=float(time_limit_s),
        seed=seed,
    )
    session.add(run)
    flush(session, "schedule run")
    audit(
        session,
        username,
        "run",
        "schedule_runs",
        run.id,
        {"scenario_id": scenario_id, "time_limit_s": float(time_limit_s), "seed": seed},
    )
    return run


def mark_interrupted_runs(session: Session) -> int:
    """At start-up: every queued or running run fails with "interrupted by a server
    restart". Returns how many."""
    runs = session.scalars(
        select(ScheduleRun).where(ScheduleRun.status.in_(("queued", "running")))
    ).all()
    now = utcnow()
    for run in runs:
        run.status = "failed"
        run.error = INTERRUPTED
        run.finished_at = now
    if runs:
        flush(session, "schedule runs")
        audit(
            session,
            "system",
            "fail",
            "schedule_runs",
            "",
            {"ids": [r.id for r in runs], "error": INTERRUPTED},
        )
    return len(runs)
