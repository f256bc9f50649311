"""``/api/runs``: queue a schedule run, follow it (polled or server-sent events), cancel it,
compare two, and export a finished one.

A run is a row of ``schedule_runs`` (``store/runs.py``); a worker process solves it
(``airlift.runs``). Exports of a finished run are built from its stored programme document,
so they match the JSON exactly: legs CSV, requests CSV, JSON, GeoJSON, one KML with a folder
per mission, and a printable HTML brief per mission.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from airlift.airfields import Airfield, lookup
from airlift.errors import Conflict, NotFound
from airlift.export.programme import (
    legs_csv,
    programme_feature_collection,
    programme_kml,
    requests_csv,
    route_codes,
)
from airlift.export.programme_compare import (
    compare_kpis,
    compare_objective,
    with_objective_figures,
)
from airlift.export.programme_compare import objective_figures as figures_of
from airlift.runs.worker import one_line
from airlift.scheduling.inputs import Scenario
from airlift.store import runs as store
from airlift.store.airspace import clearance_records
from airlift.store.domain import domain_scenario
from airlift.store.models import ScheduleRun
from airlift.web.brief import mission_brief_html
from airlift.web.run_schemas import (
    KpiDifference,
    ObjectiveComparisonPublic,
    RunComparison,
    RunCreate,
    RunPublic,
    RunStatus,
    TailDifference,
    public,
)
from airlift.web.security import CurrentUser, PlannerUser, SessionDep

log = logging.getLogger(__name__)

EVENT_EVERY_S = 0.5
"""Server-sent events: one state per this many seconds."""

router = APIRouter(prefix="/api/runs", tags=["schedule runs"])

RunId = Annotated[int, Path(ge=1, le=2_147_483_647, description="run id")]

EXPORTS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "legs.csv"),
    "requests.csv": ("text/csv; charset=utf-8", "requests.csv"),
    "json": ("application/json", "json"),
    "geojson": ("application/geo+json", "geojson"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
}
"""Export format -> (media type, file name suffix)."""


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RunPublic,
    summary="Queue a schedule run",
)
def create_run(
    body: RunCreate, session: SessionDep, user: PlannerUser, response: Response
) -> RunPublic:
    """Queue a run of the scenario on the current requests and fleet (planner). The worker
    starts it within a second when idle; follow it with GET /api/runs/{id} or /events."""
    run = store.create_run(session, body.scenario_id, user.username, body.time_limit_s, body.seed)
    session.flush()
    response.headers["Location"] = f"/api/runs/{run.id}"
    return public(run)


@router.get("", response_model=list[RunPublic], summary="List schedule runs, newest first")
def list_runs(
    session: SessionDep,
    user: CurrentUser,
    status_: Annotated[RunStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[RunPublic]:
    return [public(run) for run in store.list_runs(session, status_, limit)]


@router.get("/compare", response_model=RunComparison, summary="Compare two runs' KPIs")
def compare_runs(
    session: SessionDep,
    user: CurrentUser,
    a: Annotated[int, Query(ge=1, le=2_147_483_647, description="first run id")],
    b: Annotated[int, Query(ge=1, le=2_147_483_647, description="second run id")],
) -> RunComparison:
    """Both runs judged on the figures behind the objective, lexicographically in its order
    (``objective``: required requests served, priority-weighted tonnes, flying hours), and
    their KPIs side by side with ``difference = b - a`` (both must be done)."""
    run_a, document_a = run_document(session, a, "compare finished runs")
    run_b, document_b = run_document(session, b, "compare finished runs")
    judged = compare_objective(figures_of(document_a), figures_of(document_b))
    kpis, tails = compare_kpis(run_a.kpis or {}, run_b.kpis or {})
    return RunComparison(
        a=public(run_a),
        b=public(run_b),
        objective=ObjectiveComparisonPublic.model_validate(judged, from_attributes=True),
        kpis=[KpiDifference.model_validate(k, from_attributes=True) for k in kpis],
        utilisation_h_per_day=[
            TailDifference.model_validate(t, from_attributes=True) for t in tails
        ],
    )


@router.get("/{run_id}", response_model=RunPublic, summary="A run's status, progress and KPIs")
def get_run(run_id: RunId, session: SessionDep, user: CurrentUser) -> RunPublic:
    return public(store.get_run(session, run_id))


@router.get("/{run_id}/result", summary="The programme document of a finished run")
def get_result(run_id: RunId, session: SessionDep, user: CurrentUser) -> JSONResponse:
    """The programme document (missions, request statuses, KPIs, units); 409 unless done."""
    _, document = run_document(session, run_id)
    return JSONResponse(document)


def _snapshot(sessions: sessionmaker[Session], run_id: int) -> dict[str, Any] | None:
    with sessions() as s:
        run = store.find_run(s, run_id)
        return None if run is None else public(run).model_dump(mode="json")


@router.get(
    "/{run_id}/events",
    summary="Server-sent events: the run's state every 0.5 s until it ends",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def run_events(
    run_id: RunId, request: Request, session: SessionDep, user: CurrentUser
) -> StreamingResponse:
    """``text/event-stream``: an ``event: progress`` with the run as JSON (as GET
    /api/runs/{id}) every 0.5 s while it is queued or running, then one ``event: end``
    with its final state, and the stream closes (an EventSource should close on ``end``)."""
    store.get_run(session, run_id)
    sessions: sessionmaker[Session] = request.app.state.read_sessions

    async def stream() -> AsyncIterator[str]:
        yield "retry: 2000\n\n"
        n = 0
        while True:
            state = await run_in_threadpool(_snapshot, sessions, run_id)
            n += 1
            if state is None:
                gone = json.dumps({"id": run_id, "status": "deleted"})
                yield f"id: {n}\nevent: end\ndata: {gone}\n\n"
                return
            kind = "end" if state["status"] in store.TERMINAL else "progress"
            yield f"id: {n}\nevent: {kind}\ndata: {json.dumps(state)}\n\n"
            if kind == "end" or await request.is_disconnected():
                return
            await asyncio.sleep(EVENT_EVERY_S)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/{run_id}/cancel", response_model=RunPublic, summary="Cancel a run")
def cancel_run(run_id: RunId, session: SessionDep, user: PlannerUser) -> RunPublic:
    """A queued run is cancelled at once; a running one stops within about a second
    (``cancel_requested`` is set, the status becomes ``cancelled`` when the worker has
    stopped). Cancelling a cancelled run changes nothing; a done or failed run is 409."""
    return public(store.cancel_run(session, run_id))


@router.get("/{run_id}/export/{fmt}", summary="Export a finished run")
def export_run(
    run_id: RunId,
    fmt: Literal["csv", "requests.csv", "json", "geojson", "kml"],
    session: SessionDep,
    user: CurrentUser,
) -> Response:
    """``csv``: every leg of every mission; ``requests.csv``: every request's status;
    ``json``: the programme document; ``geojson``: airfields and geodesic leg tracks;
    ``kml``: one KML document with a folder per mission. 409 unless the run is done."""
    run, document = run_document(session, run_id)
    media_type, suffix = EXPORTS[fmt]
    content: str | bytes
    if fmt == "csv":
        content = legs_csv(document)
    elif fmt == "requests.csv":
        content = requests_csv(document)
    elif fmt == "json":
        content = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    else:
        airfields = run_airfields(session, run, document)
        if fmt == "geojson":
            collection = programme_feature_collection(document, airfields)
            content = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
        else:
            content = programme_kml(document, airfields)
    filename = (
        f"airlift-run-{run_id}.{suffix}" if "." not in suffix else f"airlift-run-{run_id}-{suffix}"
    )
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/{run_id}/missions/{n}/brief",
    response_class=HTMLResponse,
    summary="The printable brief of mission n (1-based) of a finished run",
)
def mission_brief(
    run_id: RunId,
    n: Annotated[int, Path(ge=1, le=100_000, description="1-based mission number")],
    session: SessionDep,
    user: CurrentUser,
) -> HTMLResponse:
    run, document = run_document(session, run_id)
    missions = document.get("missions", [])
    if not 1 <= n <= len(missions):
        raise NotFound(f"schedule run {run_id} has {len(missions)} mission(s): no mission {n}")
    mission = missions[n - 1]
    airfields = run_airfields(session, run, document, list(mission["route"]))
    return HTMLResponse(
        mission_brief_html(mission, airfields, clearance_records(session)),
        headers={
            # The page is self-contained: nothing to load, nothing to run.
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
        },
    )


# --- helpers ----------------------------------------------------------------------------------


def run_document(
    session: Session, run_id: int, what: str = "results exist only for a run that is done"
) -> tuple[ScheduleRun, dict[str, Any]]:
    """A finished run and its programme document, with its objective figures (computed for
    a document stored before they existed); 409 unless the run is done."""
    run = store.get_run(session, run_id, with_result=True)
    if run.status != "done" or run.result is None:
        raise Conflict(f"schedule run {run_id} is {run.status}: {what}")
    return run, with_objective_figures(run.result)


def airfields_by_code(
    document: Mapping[str, Any], scenario: Scenario | None = None, codes: list[str] | None = None
) -> dict[str, Airfield]:
    """The airfields of ``codes`` (default: every stop of the document's missions) as the
    ``scenario`` plans them: the theatre or airportsdata entry with the scenario's overrides
    (fuel, daylight, MOG, hours, closure) and its no-night-flying rule applied."""
    from airlift.scheduling.scenario_airfields import scenario_airfield

    out: dict[str, Airfield] = {}
    for code in dict.fromkeys(codes if codes is not None else route_codes(document)):
        a = lookup(code)
        out[code] = a if scenario is None else scenario_airfield(a, scenario)
    return out


def run_airfields(
    session: Session, run: ScheduleRun, document: Mapping[str, Any], codes: list[str] | None = None
) -> dict[str, Airfield]:
    """:func:`airfields_by_code` with the run's scenario, if it still exists."""
    return airfields_by_code(document, run_scenario(session, run), codes)


def run_scenario(session: Session, run: ScheduleRun) -> Scenario | None:
    """The scenario the run was scheduled under as it is stored now; None if it was
    deleted or edited into an invalid state since."""
    if run.scenario_id is None:
        return None
    try:
        return domain_scenario(session, run.scenario_id)
    except Exception as exc:
        log.info("run %s: scenario %s not used: %s", run.id, run.scenario_id, one_line(exc))
        return None


__all__ = [
    "EXPORTS",
    "airfields_by_code",
    "router",
    "run_airfields",
    "run_document",
    "run_scenario",
]
