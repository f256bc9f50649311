"""One run of a study: apply its levels, schedule, reduce the programme to one result row.

A row is flat (Parquet columns): numbers, text, and JSON text for the per-type and
per-reason tables, so that every run of every study has the same columns. A run that raises
is a row too, with ``status = "failed"`` and its error, so one bad run never stops a study.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
import traceback
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from airlift.studies.apply import apply_levels, study_inputs

if TYPE_CHECKING:
    from airlift.scheduling.inputs import FleetTail, MovementRequest
    from airlift.scheduling.programme import Programme
    from airlift.studies.design import Run
    from airlift.studies.study import Study

RESULT_COLUMNS: dict[str, str] = {
    "run_id": "string",
    "point": "int64",
    "seed": "int64",
    "levels": "string",
    "status": "string",
    "error": "string",
    "required_requests": "int64",
    "required_served": "int64",
    "required_served_pct": "float64",
    "tonnes_delivered": "float64",
    "pax_delivered": "int64",
    "tonnes_late": "float64",
    "ton_nm_per_day": "float64",
    "flying_hours": "float64",
    "fleet_tails": "int64",
    "missions": "int64",
    "flying_h_by_type": "string",
    "utilisation_by_type": "string",
    "unmet_reasons": "string",
    "time_limit_s": "float64",
    "iterations": "int64",
    "run_s": "float64",
    "worker": "string",
    "study_digest": "string",
}
"""Every column of ``results.parquet`` and its Arrow type. ``levels``: the run's factor
levels by factor name (JSON); with ``seed`` and the study file, all it takes to run it again.
``*_by_type`` and ``unmet_reasons``: JSON objects (type -> h, h per tail-day; reason -> count)."""


def run_one(study: Study, run: Run) -> dict[str, Any]:
    """Schedule one run and reduce it to a row; an exception becomes a failed row."""
    started = time.perf_counter()
    row: dict[str, Any] = {
        "run_id": run.run_id,
        "point": run.point,
        "seed": run.seed,
        "levels": run.levels_json,
        "iterations": study.iterations or 0,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "study_digest": study.digest(),
    }
    try:
        row |= _schedule(study, run)
        row["status"], row["error"] = "ok", ""
    except Exception as exc:  # a failed run is recorded; the study goes on
        last = traceback.extract_tb(exc.__traceback__)[-1:] or None
        at = f" at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno}" if last else ""
        row["status"], row["error"] = "failed", f"{type(exc).__name__}: {exc}{at}"
    row["run_s"] = time.perf_counter() - started
    return complete(row)


def complete(row: dict[str, Any]) -> dict[str, Any]:
    """The row with every column (missing figures as None)."""
    return {key: row.get(key) for key in RESULT_COLUMNS}


def _schedule(study: Study, run: Run) -> dict[str, Any]:
    from airlift.scheduling.scheduler import schedule

    (requests, fleet, scenario), limit_s = apply_levels(study, run.levels)
    p = schedule(
        requests, fleet, scenario, limit_s, run.seed, study.engine, iterations=study.iterations
    )
    return {"time_limit_s": limit_s} | programme_figures(p, requests, fleet)


def programme_figures(
    p: Programme, requests: tuple[MovementRequest, ...], fleet: tuple[FleetTail, ...]
) -> dict[str, Any]:
    """The study's figures of one programme."""
    by_ref = {r.ref: r for r in requests}
    required = [s for s in p.requests if not s.optional]
    served = sum(s.status == "delivered" for s in required)
    late_kg = 0.0
    ton_nm = 0.0
    hours: dict[str, float] = defaultdict(float)
    for m in p.missions:
        hours[m.aircraft] += m.flight_time_min / 60.0
        for lift in m.lifts:
            legs = m.plan.legs[lift.pickup_leg : lift.delivery_leg + 1]
            ton_nm += lift.cargo_kg / 1000.0 * sum(leg.dist_nm for leg in legs)
            if legs[-1].eta_utc > by_ref[lift.request_ref].latest_utc:
                late_kg += lift.cargo_kg
    tails = Counter(t.type.designator for t in fleet)
    registrations = [t.registration for t in fleet]
    tail_days = {t: n * p.days for t, n in tails.items()}
    return {
        "required_requests": len(required),
        "required_served": served,
        "required_served_pct": 100.0 * served / len(required) if required else 100.0,
        "tonnes_delivered": p.kpis.tonnes_delivered,
        "pax_delivered": p.kpis.pax_delivered,
        "tonnes_late": late_kg / 1000.0,
        "ton_nm_per_day": ton_nm / max(1, p.days),
        "flying_hours": p.kpis.flying_hours,
        "fleet_tails": len(fleet),
        "missions": len(p.missions),
        "flying_h_by_type": json.dumps({t: round(hours[t], 3) for t in sorted(tails)}),
        "utilisation_by_type": json.dumps(
            {t: round(hours[t] / tail_days[t], 3) for t in sorted(tails)}
        ),
        "unmet_reasons": json.dumps(
            dict(
                sorted(
                    Counter(
                        reason_kind(s.reason, registrations)
                        for s in p.requests
                        if s.status != "delivered"
                    ).items()
                )
            )
        ),
    }


def reason_kind(reason: str, registrations: list[str] | tuple[str, ...] = ()) -> str:
    """A reason without its particulars (tails, refs, dates, numbers), so reasons can be
    counted: the first clause that is not the lift count."""
    for reg in sorted(registrations, key=len, reverse=True):
        reason = reason.replace(reg, "TAIL")
    clauses = [c.strip() for c in reason.split(";") if c.strip()]
    clauses = [c for c in clauses if not c.startswith("split into ")] or ["no reason given"]
    text = re.sub(r"\d{4}-\d\d-\d\d(T[\d:]+Z?)?", "DATE", clauses[0])
    text = re.sub(r"\bR\d+(#\d+(/\d+)?)?", "REQ", text)
    return re.sub(r"\d[\d,.]*", "N", text)[:120]


__all__ = [
    "RESULT_COLUMNS",
    "complete",
    "programme_figures",
    "reason_kind",
    "run_one",
    "study_inputs",
]
