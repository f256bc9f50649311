"""One CSV row per leg. Column names carry their units (dist_nm, trip_fuel_kg, etd_utc ...).

The columns are the leg fields of :func:`~airlift.export.document.plan_document` without the
per-limit details, then ``violations``: the leg's violation messages joined by "; ".
``feasible`` is ``true`` when no limit of that leg is broken. Missing numbers are empty.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from airlift.export.document import leg_dict, leg_violations
from airlift.mission import MissionPlan


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_rows(plan: MissionPlan) -> list[dict[str, str]]:
    """The rows :func:`write_csv` writes, as dicts of column name to cell text."""
    rows = []
    for leg in plan.legs:
        data = leg_dict(leg)
        del data["limits"], data["route"]  # the path is in the GeoJSON and KML exports
        data["countries"] = " ".join(data["countries"])
        data["zones_avoided"] = "; ".join(data["zones_avoided"])
        data["country_passages"] = "; ".join(
            f"{p['iso3']} {p['distance_nm']} NM" for p in data["country_passages"]
        )
        data["violations"] = "; ".join(leg_violations(plan, leg.index))
        rows.append({key: _cell(value) for key, value in data.items()})
    return rows


def write_csv(plan: MissionPlan, path: str | Path) -> Path:
    """Write the legs of ``plan`` as UTF-8 CSV with a header row; returns the path written."""
    out = Path(path)
    rows = csv_rows(plan)
    columns = list(rows[0]) if rows else []
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return out
