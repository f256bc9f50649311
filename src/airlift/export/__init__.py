"""Exports of a mission plan: JSON document, CSV table, GeoJSON and KML maps.

``write_all`` writes all four next to each other as ``<stem>.json``, ``.csv``, ``.geojson``
and ``.kml``. Every format shows the same rounded numbers, with their units.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from airlift.airfields import Airfield
from airlift.export.csv_table import write_csv
from airlift.export.document import plan_document, write_json
from airlift.export.geojson import write_geojson
from airlift.export.kml import write_kml
from airlift.mission import MissionPlan

__all__ = ["plan_document", "write_all", "write_csv", "write_geojson", "write_json", "write_kml"]


def write_all(
    plan: MissionPlan, stops: Sequence[Airfield], out_dir: str | Path, stem: str
) -> list[Path]:
    """Write the plan as JSON, CSV, GeoJSON and KML into ``out_dir`` (created if missing).

    ``stops`` are the stops the plan was made from, in order. Returns the paths written.
    """
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    base = directory / stem
    return [
        write_json(plan, base.with_suffix(".json")),
        write_csv(plan, base.with_suffix(".csv")),
        write_geojson(plan, stops, base.with_suffix(".geojson")),
        write_kml(plan, stops, base.with_suffix(".kml")),
    ]
