"""Request and response bodies of ``/api/studies``: a study's launch and its public state;
:func:`public` turns a study row into the latter."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from airlift.store.models import StudyRow
from airlift.store.studies import MAX_TOML_CHARS

StudyStatus = Literal["queued", "running", "done", "failed", "cancelled"]


class StudyCreate(BaseModel):
    """Launch a what-if study: the study file's TOML text (as ``airlift study`` reads it;
    ``[base]`` file paths are refused, the study runs on the demo week)."""

    model_config = ConfigDict(extra="forbid")
    study_toml: str = Field(min_length=1, max_length=MAX_TOML_CHARS)
    name: str | None = Field(
        default=None, max_length=64, description="label (default: the study's own name)"
    )


class StudyPublic(BaseModel):
    """A study's state without its TOML; ``summary`` once it has ended (``runs``, ``failed``,
    ``smallest_fleet``, served percentages...)."""

    id: int
    name: str
    status: StudyStatus
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    runs_total: int
    runs_done: int = Field(description="runs finished ok")
    runs_failed: int
    progress_pct: float = Field(description="% of the runs finished (ok or failed)")
    cancel_requested: bool
    error: str
    summary: dict[str, Any] | None
    report_url: str | None = Field(description="the HTML report, once written")
    results_url: str | None = Field(description="results.parquet, once written")


def public(row: StudyRow, files: tuple[bool, bool] = (False, False)) -> StudyPublic:
    """The public state; ``files``: whether the report and the results file exist."""
    finished = row.runs_done + row.runs_failed
    pct = 100.0 * finished / row.runs_total if row.runs_total else 0.0
    return StudyPublic(
        id=row.id,
        name=row.name,
        status=row.status,  # type: ignore[arg-type]
        created_by=row.created_by,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        runs_total=row.runs_total,
        runs_done=row.runs_done,
        runs_failed=row.runs_failed,
        progress_pct=round(min(100.0, pct), 1),
        cancel_requested=row.cancel_requested,
        error=row.error,
        summary=row.summary,
        report_url=f"/api/studies/{row.id}/report" if files[0] else None,
        results_url=f"/api/studies/{row.id}/results.parquet" if files[1] else None,
    )
