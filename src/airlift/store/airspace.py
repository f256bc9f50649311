"""The stored airspace: zones as :class:`~airlift.airspace.zones.Zone` for the planner, and
the clearance records as plain data for the brief."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from airlift.airspace.zones import Zone
from airlift.errors import FieldError
from airlift.store.collections import CLEARANCES, ZONES
from airlift.store.rows import jsonable
from airlift.store.validation import zone_from_values


def stored_zones(session: Session) -> tuple[Zone, ...]:
    """Every stored zone, by id. A row that no longer makes a valid zone (written by plain
    SQL) is a :class:`FieldError` naming it, never skipped in silence."""
    names, rows = ZONES.plain_rows(session)
    zones = []
    for row in rows:
        values = dict(zip(names, row, strict=True))
        try:
            zones.append(zone_from_values(values))
        except FieldError as exc:
            raise exc.at(f"stored zone {values['id']} ({values['name']})") from None
    return tuple(zones)


def zone_features(session: Session) -> dict[str, Any]:
    """Every stored zone as a GeoJSON FeatureCollection (lon/lat), for maps."""
    names, rows = ZONES.plain_rows(session)
    features = []
    for row in rows:
        values = jsonable(dict(zip(names, row, strict=True)))
        geometry = values.pop("geometry")
        features.append(
            {
                "type": "Feature",
                "id": values["id"],
                "geometry": json.loads(geometry),
                "properties": values,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def clearance_records(session: Session) -> list[dict[str, Any]]:
    """Every clearance record as JSON-ready data (dates as ISO text), by id."""
    names, rows = CLEARANCES.plain_rows(session)
    return [jsonable(dict(zip(names, row, strict=True))) for row in rows]


__all__ = ["clearance_records", "stored_zones", "zone_features"]
