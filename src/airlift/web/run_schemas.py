"""Request and response bodies of ``/api/runs``: a run's state, its creation, two runs
compared; :func:`public` turns a run row into its public state."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from airlift.scheduling.problem import SEED_MAX
from airlift.store.models import ScheduleRun
from airlift.store.runs import TERMINAL

RunStatus = Literal["queued", "running", "done", "failed", "cancelled"]


class RunCreate(BaseModel):
    """Start a schedule run of a scenario."""

    model_config = ConfigDict(extra="forbid")
    scenario_id: int = Field(ge=1, le=2_147_483_647)
    time_limit_s: float = Field(
        default=30.0, ge=1, le=600, allow_inf_nan=False, description="s (solver time limit)"
    )
    seed: int = Field(default=0, ge=0, le=SEED_MAX)


class RunPublic(BaseModel):
    """A run's state without its (large) result: GET /api/runs/{id}/result for that."""

    id: int
    scenario_id: int | None
    status: RunStatus
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    time_limit_s: float = Field(description="s")
    seed: int
    best_objective: float | None = Field(description="scheduler objective, lower is better")
    progress_s: float = Field(description="s solved so far")
    progress_pct: float = Field(description="% of the time limit used (100 when finished)")
    cancel_requested: bool
    error: str
    kpis: dict[str, Any]


class KpiDifference(BaseModel):
    name: str
    unit: str
    a: float | None
    b: float | None
    difference: float | None = Field(description="b - a")
    better: Literal["a", "b", "same"] | None = Field(
        description="which run is better on this KPI; null where more is not better or worse"
    )


class TailDifference(BaseModel):
    tail: str
    a: float | None = Field(description="h of flight per available day")
    b: float | None
    difference: float | None = Field(description="b - a, h per day")


class ObjectiveFiguresPublic(BaseModel):
    required_served: int = Field(description="non-optional requests delivered in full")
    required: int = Field(description="non-optional requests")
    priority_weighted_t: float = Field(
        description="t, payload delivered (passengers at 100 kg) times its priority weight"
    )
    flying_hours: float = Field(description="h, take-off to landing, all missions")


class FigureDifference(BaseModel):
    name: Literal["required_served", "priority_weighted_t", "flying_hours"]
    unit: str
    a: float
    b: float
    difference: float = Field(description="b - a, at the figure's decimals")
    better: Literal["a", "b", "same"]
    decides: bool = Field(description="the first figure that differs: it decides `better`")


class ObjectiveComparisonPublic(BaseModel):
    """The two runs judged on the figures behind the scheduler's objective, in its order
    (required requests served, then priority-weighted tonnes, then flying hours): the first
    figure that differs decides. The unitless objective number decides nothing."""

    better: Literal["a", "b", "same"]
    figures: list[FigureDifference]
    a: ObjectiveFiguresPublic
    b: ObjectiveFiguresPublic


class RunComparison(BaseModel):
    a: RunPublic
    b: RunPublic
    objective: ObjectiveComparisonPublic
    kpis: list[KpiDifference]
    utilisation_h_per_day: list[TailDifference]


def public(run: ScheduleRun) -> RunPublic:
    """The run's public state; ``progress_pct`` from its progress and time limit."""
    if run.status in TERMINAL:
        pct = (
            100.0 if run.status == "done" else min(100.0, 100.0 * run.progress_s / run.time_limit_s)
        )
    elif run.status == "running" and run.time_limit_s > 0:
        pct = min(99.0, 100.0 * run.progress_s / run.time_limit_s)
    else:
        pct = 0.0
    return RunPublic(
        id=run.id,
        scenario_id=run.scenario_id,
        status=run.status,  # type: ignore[arg-type]
        created_by=run.created_by,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        time_limit_s=run.time_limit_s,
        seed=run.seed,
        best_objective=run.best_objective,
        progress_s=run.progress_s,
        progress_pct=round(pct, 1),
        cancel_requested=run.cancel_requested,
        error=run.error,
        kpis=dict(run.kpis or {}),
    )


__all__ = [
    "FigureDifference",
    "KpiDifference",
    "ObjectiveComparisonPublic",
    "ObjectiveFiguresPublic",
    "RunComparison",
    "RunCreate",
    "RunPublic",
    "RunStatus",
    "TailDifference",
    "public",
]
