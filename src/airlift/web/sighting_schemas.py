"""Bodies of ``/api/sightings``: a sighting in (JSON, or the fields beside a photo), stored
sightings out with their match against a run's plan. Times ISO 8601 UTC, positions WGS84
degrees, distances NM."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from airlift.store.sightings import StoredSighting
from airlift.tracking.sightings import MAX_TEXT, Confidence, Sighting, SightingSource
from airlift.web.schemas import INT32, Body


class SightingBase(BaseModel):
    """What was seen, where, when and how."""

    tail: str = Field(default="", max_length=16, examples=["5U-MBD"], description="registration")
    aircraft_type: str = Field(default="", max_length=32, examples=["C-130H"])
    airfield: str = Field(
        default="", max_length=64, examples=["GABS"], description="ICAO, IATA code or name"
    )
    lat: float | None = Field(default=None, allow_inf_nan=False, description="degrees north")
    lon: float | None = Field(default=None, allow_inf_nan=False, description="degrees east")
    source: SightingSource = SightingSource.OBSERVER
    confidence: Confidence = Field(
        default=Confidence.MEDIUM,
        description="high: registration read; medium: type recognised; low: heard of it",
    )
    note: str = Field(default="", max_length=MAX_TEXT)
    reported_by: str = Field(default="", max_length=64, description="default: you")


class SightingCreate(SightingBase, Body):
    at_utc: AwareDatetime = Field(description="when it was seen (UTC or with an offset)")
    run_id: int | None = Field(
        default=None, ge=1, le=INT32, description="the schedule run whose plan it is about"
    )

    def sighting(self, username: str) -> Sighting:
        data = self.model_dump(exclude={"run_id"})
        data["reported_by"] = data["reported_by"] or username
        return Sighting(**data)


class SightingPublic(SightingBase):
    id: int
    at_utc: datetime
    photo_sha256: str = Field(description='SHA-256 of the photo it was read from; "" none')
    run_id: int | None
    created_at: datetime
    created_by: str
    match: dict[str, Any] | None = Field(
        default=None,
        description="against the run's plan: outcome (confirmed | unplanned presence), "
        "confirming tails, candidates (distance_nm in NM); null without a run",
    )

    @classmethod
    def of(cls, stored: StoredSighting, match: dict[str, Any] | None = None) -> SightingPublic:
        s = stored.sighting
        return cls(
            id=stored.id,
            tail=s.tail,
            aircraft_type=s.aircraft_type,
            airfield=s.airfield,
            lat=s.lat,
            lon=s.lon,
            source=s.source,
            confidence=s.confidence,
            note=s.note,
            reported_by=s.reported_by,
            at_utc=s.at_utc,
            photo_sha256=s.photo_sha256,
            run_id=stored.run_id,
            created_at=stored.created_at,
            created_by=stored.created_by,
            match=match,
        )


class SightingCreated(SightingPublic):
    new: bool = Field(description="false: the same sighting was stored before")
