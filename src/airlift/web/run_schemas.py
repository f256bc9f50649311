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
    kind: Literal["schedule", "replan"] = Field(
        default="schedule", description="schedule (solved by a worker) or replan (a re-plan)"
    )
    parent_id: int | None = Field(
        default=None, description="a re-plan: the programme it started from"
    )
    approval: Literal["proposed", "approved", "discarded", "superseded"] | None = Field(
        default=None, description="a programme version's approval; null: never approved"
    )
    approved_by: str | None = None
    approved_at: datetime | None = None


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
        kind=run.kind or "schedule",  # type: ignore[arg-type]
        parent_id=run.parent_id,
        approval=run.approval,  # type: ignore[arg-type]
        approved_by=run.approved_by,
        approved_at=run.approved_at,
    )


class DisruptionEventCreate(BaseModel):
    """A disruption declared against a programme: one event line (``airlift.replan``)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(
        min_length=1,
        max_length=1_000,
        description="e.g. 'unserviceable 5U-MBH 2023-10-28T08:00Z/2023-10-29T00:00Z'",
    )


class DisruptionEventPublic(BaseModel):
    id: int
    run_id: int
    kind: str
    text: str = Field(description="the event as airlift.replan.parse_event reads it")
    created_by: str
    created_at: datetime


class ReplanCreate(BaseModel):
    """Re-plan the current programme after disruptions."""

    model_config = ConfigDict(extra="forbid")
    events: list[str] | None = Field(
        default=None,
        max_length=200,
        description="event lines; default: the events stored against the run",
    )
    now_utc: datetime | None = Field(
        default=None, description="ISO 8601 UTC: what has flown is frozen; default: the clock"
    )
    horizon_min: float = Field(
        default=120, ge=0, le=48 * 60, allow_inf_nan=False, description="min after now"
    )
    time_limit_s: float = Field(
        default=1.0, gt=0, le=60, allow_inf_nan=False, description="s (re-plan time limit)"
    )


class ReplanPublic(BaseModel):
    run: RunPublic = Field(description="the proposal: a done run of kind replan")
    replan: dict[str, Any] = Field(
        description="now_utc, horizon_min, events, solve_seconds and the diff against the base"
    )


__all__ = [
    "DisruptionEventCreate",
    "DisruptionEventPublic",
    "FigureDifference",
    "KpiDifference",
    "ObjectiveComparisonPublic",
    "ObjectiveFiguresPublic",
    "ReplanCreate",
    "ReplanPublic",
    "RunComparison",
    "RunCreate",
    "RunPublic",
    "RunStatus",
    "TailDifference",
    "public",
]
