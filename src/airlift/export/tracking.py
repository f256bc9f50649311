"""Plan against actual (:class:`~airlift.tracking.compare.TrackingReport`) as a JSON-ready
document and as CSV: per leg, per request, the programme figures. Times ISO 8601 UTC with
``Z``; every number's unit in :data:`TRACKING_UNITS`."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from datetime import datetime
from typing import Any

from airlift.export.document import iso_utc, number
from airlift.tracking.compare import ON_TIME_MIN, LegResult, RequestResult, TrackingReport
from airlift.tracking.model import LegActual

TRACKING_UNITS: dict[str, str] = {
    "day": "1-based scenario day",
    "leg": "1-based leg number in the mission",
    "delay_min": "min (departure: actual OUT, else OFF, minus planned; projected until it "
    "departs; positive = late)",
    "departure_delay_min": "min (actual OUT, else OFF, minus planned; null until it departs)",
    "arrival_delay_min": "min (actual IN, else ON, minus planned; null until it lands)",
    "planned_burn_kg": "kg (planned trip fuel + taxi fuel)",
    "actual_burn_kg": "kg (fuel_out_kg - fuel_in_kg as reported)",
    "burn_vs_plan_pct": "% (actual burn minus planned, of planned; positive = more)",
    "planned_cargo_kg": "kg",
    "actual_cargo_kg": "kg (sum of the loads reported)",
    "cargo_vs_plan_kg": "kg (actual minus planned)",
    "fuel_out_kg": "kg",
    "fuel_in_kg": "kg",
    "lifts": "lifts the request was split into (count)",
    "lifts_delivered": "lifts delivered (count)",
    "planned_kg": "kg (cargo the programme delivers)",
    "delivered_kg": "kg (cargo landed at its destination)",
    "late_min": "min (delivered after its latest time; null: on time, not delivered or no "
    "window known)",
    "legs": "planned legs (count)",
    "departed": "legs reported departed (count)",
    "on_time_departures": f"departed legs within {ON_TIME_MIN:g} min of plan (count)",
    "on_time_pct": "% of departed legs",
    "tonnes_planned": "t (cargo the programme delivers)",
    "tonnes_delivered": "t (cargo landed at its destination)",
    "delivered_pct": "% of tonnes planned",
    "unplanned": "reported legs matching no planned leg (count)",
    "newly_infeasible": "legs not yet landed that now break a limit (count)",
}

LEG_COLUMNS = (
    "tail",
    "day",
    "leg",
    "origin",
    "destination",
    "actual_destination",
    "status",
    "planned_out_utc",
    "planned_off_utc",
    "planned_on_utc",
    "planned_in_utc",
    "actual_out_utc",
    "actual_off_utc",
    "actual_on_utc",
    "actual_in_utc",
    "projected_out_utc",
    "projected_in_utc",
    "delay_min",
    "departure_delay_min",
    "arrival_delay_min",
    "planned_burn_kg",
    "actual_burn_kg",
    "burn_vs_plan_pct",
    "planned_cargo_kg",
    "actual_cargo_kg",
    "cargo_vs_plan_kg",
    "source",
    "remarks",
    "problems",
)
"""Columns of :func:`legs_csv`; ``problems`` joined by ``"; "``."""


def _t(when: datetime | None) -> str | None:
    return iso_utc(when) if when is not None else None


def leg_dict(r: LegResult) -> dict[str, Any]:
    p, a, x = r.planned, r.actual, r.projected
    return {
        "tail": p.tail,
        "day": p.day,
        "leg": p.number,
        "origin": p.origin,
        "destination": p.destination,
        "actual_destination": a.destination.upper() if a and a.destination else None,
        "status": r.status,
        "planned_out_utc": _t(p.out_utc),
        "planned_off_utc": _t(p.off_utc),
        "planned_on_utc": _t(p.on_utc),
        "planned_in_utc": _t(p.in_utc),
        "actual_out_utc": _t(a.out_utc if a else None),
        "actual_off_utc": _t(a.off_utc if a else None),
        "actual_on_utc": _t(a.on_utc if a else None),
        "actual_in_utc": _t(a.in_utc if a else None),
        "projected_out_utc": _t(x.out_utc),
        "projected_in_utc": _t(x.in_utc),
        "delay_min": number(
            r.departure_delay_min if r.departure_delay_min is not None else r.projected_delay_min
        ),
        "departure_delay_min": number(r.departure_delay_min),
        "arrival_delay_min": number(r.arrival_delay_min),
        "planned_burn_kg": number(p.burn_kg),
        "actual_burn_kg": number(r.actual_burn_kg),
        "burn_vs_plan_pct": number(r.burn_vs_plan_pct),
        "planned_cargo_kg": number(p.cargo_kg),
        "actual_cargo_kg": number(r.actual_cargo_kg),
        "cargo_vs_plan_kg": number(r.cargo_vs_plan_kg),
        "source": str(a.source) if a else None,
        "remarks": a.remarks if a else "",
        "problems": list(r.problems),
    }


def request_dict(r: RequestResult) -> dict[str, Any]:
    return {
        "request_id": r.request_ref,
        "status": r.status,
        "lifts": r.lifts,
        "lifts_delivered": r.lifts_delivered,
        "planned_kg": number(r.planned_kg),
        "delivered_kg": number(r.delivered_kg),
        "delivered_utc": _t(r.delivered_utc),
        "latest_utc": _t(r.latest_utc),
        "late_min": number(r.late_min),
    }


def unplanned_dict(a: LegActual) -> dict[str, Any]:
    return {
        "tail": a.tail,
        "origin": a.origin or None,
        "destination": a.destination or None,
        "out_utc": _t(a.out_utc),
        "off_utc": _t(a.off_utc),
        "on_utc": _t(a.on_utc),
        "in_utc": _t(a.in_utc),
        "fuel_out_kg": number(a.fuel_out_kg),
        "fuel_in_kg": number(a.fuel_in_kg),
        "source": str(a.source),
        "reported_at": str(a.where),
        "remarks": a.remarks,
    }


def tracking_document(report: TrackingReport) -> dict[str, Any]:
    """The report as plain dicts, lists, str, numbers, bool and None."""
    figures = asdict(report.figures)
    for key in ("on_time_pct", "delivered_pct"):
        figures[key] = number(figures[key])
    figures["tonnes_planned"] = number(figures["tonnes_planned"], 3)
    figures["tonnes_delivered"] = number(figures["tonnes_delivered"], 3)
    return {
        "scenario": report.scenario,
        "as_of_utc": iso_utc(report.as_of_utc),
        "on_time_min": ON_TIME_MIN,
        "figures": figures,
        "legs": [leg_dict(r) for r in report.legs],
        "requests": [request_dict(r) for r in report.requests],
        "unplanned": [unplanned_dict(a) for a in report.unplanned],
        "notes": list(report.notes),
        "units": dict(TRACKING_UNITS),
    }


def legs_csv(report: TrackingReport) -> str:
    """Every planned leg against its actual as CSV text, columns :data:`LEG_COLUMNS`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(LEG_COLUMNS))
    writer.writeheader()
    for r in report.legs:
        row = leg_dict(r)
        row["problems"] = "; ".join(row["problems"])
        writer.writerow({k: "" if row[k] is None else row[k] for k in LEG_COLUMNS})
    return buffer.getvalue()


__all__ = ["LEG_COLUMNS", "TRACKING_UNITS", "legs_csv", "tracking_document"]
