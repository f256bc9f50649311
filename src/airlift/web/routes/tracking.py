"""``/api/runs/{run_id}/tracking``: a finished run's plan against actual.

:func:`airlift.tracking.compare.compare` over the run's stored programme document and the
merged stored reports (``store/actuals.py``) of its days, under the run's scenario as it is
stored now, with the stored requests' latest delivery times; the same document as
``airlift track report --json`` (``export/tracking.py``), and its CSV and JSON exports.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from airlift.errors import FieldError
from airlift.export.tracking import legs_csv, tracking_document
from airlift.store import actuals
from airlift.store.domain import domain_requests
from airlift.tracking.board import programme_days
from airlift.tracking.compare import TrackingReport, compare
from airlift.tracking.legs import MATCH_WINDOW
from airlift.web.routes.runs import RunId, run_document, run_scenario
from airlift.web.security import CurrentUser, SessionDep

router = APIRouter(prefix="/api/runs", tags=["plan against actual"])

AsOf = Annotated[
    datetime | None,
    Query(description="UTC time of the report (default now): legs unreported by then"),
]

EXPORTS: dict[str, str] = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
"""Export format -> media type."""


@router.get("/{run_id}/tracking", summary="Plan against actual of a finished run")
def tracking(
    run_id: RunId, session: SessionDep, user: CurrentUser, as_of: AsOf = None
) -> JSONResponse:
    """Each planned leg against its reports (delays, fuel burn, loads, status, the projected
    times of legs not yet reported and the limits they now break), each request's status and
    the figures; every number's unit under ``units``. 409 unless the run is done."""
    return JSONResponse(tracking_document(_report(session, run_id, as_of)))


@router.get("/{run_id}/tracking/export/{fmt}", summary="Export a run's plan against actual")
def export_tracking(
    run_id: RunId,
    fmt: Literal["csv", "json"],
    session: SessionDep,
    user: CurrentUser,
    as_of: AsOf = None,
) -> Response:
    """``csv``: one row per planned leg (``export/tracking.LEG_COLUMNS``); ``json``: the
    document of ``GET /api/runs/{run_id}/tracking``."""
    report = _report(session, run_id, as_of)
    content = (
        legs_csv(report)
        if fmt == "csv"
        else json.dumps(tracking_document(report), indent=2, ensure_ascii=False) + "\n"
    )
    suffix = "legs.csv" if fmt == "csv" else "json"
    return Response(
        content,
        media_type=EXPORTS[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="airlift-run-{run_id}-tracking-{suffix}"'
        },
    )


def _report(session: Session, run_id: int, as_of: datetime | None) -> TrackingReport:
    if as_of is not None and (as_of.tzinfo is None or as_of.utcoffset() is None):
        raise FieldError("as_of", "as_of has no timezone: add Z for UTC")
    run, document = run_document(session, run_id, "only a finished run has legs to compare")
    days = programme_days(document)
    merged = (
        actuals.around_days(
            session, date.fromisoformat(days[0]), date.fromisoformat(days[-1]), MATCH_WINDOW
        )
        if days
        else []
    )
    windows = {r.ref: r.latest_utc for r in domain_requests(session)}
    return compare(
        document,
        [m.leg for m in merged],
        scenario=run_scenario(session, run),
        windows=windows,
        as_of=(as_of or datetime.now(UTC)).astimezone(UTC),
    )


__all__ = ["router"]
