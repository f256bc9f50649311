"""Bodies of ``/api/actuals``: a leg report in (the JSON format of
``tracking/report_json.py``), stored reports and merged legs out, the import report, the
day board. Fuel in kg, times ISO 8601 UTC; every stored report names its source."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from airlift.store.actuals import MergedLeg, StoredReport
from airlift.tracking.board import BoardLeg
from airlift.tracking.model import LegActual, Source
from airlift.tracking.report_json import MAX_LOADS, MAX_TEXT
from airlift.tracking.status import LegStatus
from airlift.web.schemas import INT32, Body, Count, Icao, Kg

FuelKg = Annotated[float, Field(ge=0, allow_inf_nan=False, description="kg of fuel on board")]


class LoadActualIn(BaseModel):
    """What one request actually had on board."""

    request_ref: str = Field(min_length=1, max_length=32, examples=["R002"])
    cargo_kg: Kg = 0.0
    pallets: Count = 0
    pax: Count = 0


class ActualBase(BaseModel):
    """One leg as one source reported it; times not reported are null."""

    tail: str = Field(min_length=1, max_length=16, examples=["5U-MBD"])
    origin: Icao
    destination: Icao = Field(description="where it landed: another airfield is a diversion")
    source: Source = Source.CREW
    out_utc: AwareDatetime | None = Field(default=None, description="off-block (OUT)")
    off_utc: AwareDatetime | None = Field(default=None, description="take-off (OFF)")
    on_utc: AwareDatetime | None = Field(default=None, description="landing (ON)")
    in_utc: AwareDatetime | None = Field(default=None, description="on-block (IN)")
    fuel_out_kg: FuelKg | None = None
    fuel_in_kg: FuelKg | None = None
    loads: list[LoadActualIn] = Field(default_factory=list, max_length=MAX_LOADS)
    remarks: str = Field(default="", max_length=MAX_TEXT)
    partial: bool = Field(default=False, description="the source saw only part of the leg")
    reported_by: str = Field(default="", max_length=64, description="default: you")


class ActualCreate(ActualBase, Body):
    run_id: int | None = Field(
        default=None, ge=1, le=INT32, description="the schedule run whose plan it reports on"
    )


class ActualPublic(ActualBase):
    origin: str = Field(description='ICAO; "" when a partial report did not see it')
    destination: str = Field(description='ICAO where it landed; "" when not seen')
    seen_from_utc: AwareDatetime | None = Field(
        default=None, description="seen in the air only: its first airborne report"
    )
    seen_until_utc: AwareDatetime | None = Field(default=None, description="its last one")
    seen_track_deg: float | None = Field(
        default=None, description="its mean track over the ground, true degrees"
    )

    @classmethod
    def of(cls, a: LegActual) -> ActualPublic:
        return cls.model_validate(
            {
                **{name: getattr(a, name) for name in cls.model_fields if name != "loads"},
                "loads": [
                    LoadActualIn(
                        request_ref=x.request_ref, cargo_kg=x.cargo_kg, pallets=x.pallets, pax=x.pax
                    )
                    for x in a.loads
                ],
            }
        )


class ReportPublic(ActualPublic):
    """A stored report."""

    id: int
    run_id: int | None
    created_at: datetime
    created_by: str
    received_from: str = Field(description='file and line or item; "" typed in')

    @classmethod
    def of_stored(cls, r: StoredReport) -> ReportPublic:
        base = ActualPublic.of(r.actual).model_dump()
        return cls(
            **base,
            id=r.id,
            run_id=r.run_id,
            created_at=r.created_at,
            created_by=r.created_by,
            received_from=r.received_from,
        )


class ReportCreated(ReportPublic):
    new: bool = Field(description="false: the same report was stored before (nothing added)")


class LegKey(BaseModel):
    tail: str
    origin: str
    date: str = Field(description="UTC date of the first time reported")


class MergedLegPublic(BaseModel):
    """A leg: the most trusted source's value of each field, and every report of it."""

    key: LegKey
    leg: ActualPublic
    reports: list[ReportPublic] = Field(description="newest first")

    @classmethod
    def of(cls, m: MergedLeg) -> MergedLegPublic:
        tail, origin, day = m.key
        return cls(
            key=LegKey(tail=tail, origin=origin, date=day),
            leg=ActualPublic.of(m.leg),
            reports=[ReportPublic.of_stored(r) for r in m.reports],
        )


class ReportErrorPublic(BaseModel):
    row: int = Field(description="item of the JSON list (from 1) or line of the file")
    field: str
    reason: str


class ActualImportPublic(BaseModel):
    format: str
    created: list[int] = Field(description="ids of the reports stored")
    duplicates: int = Field(description="reports stored before, or twice in the file: skipped")
    errors: list[ReportErrorPublic]
    stored: bool = Field(description="false: nothing was stored (every error is listed)")
    warnings: list[str] = Field(
        default_factory=list,
        description="read but not stored: ADS-B flights of addresses not in the fleet",
    )


class ActualImportProblem(ActualImportPublic):
    detail: str
    field: str | None = None


class TrackProperties(BaseModel):
    """What a drawn track is: the report that flew it."""

    report_id: int
    tail: str
    origin: str = Field(description='ICAO; "" take-off not seen')
    destination: str = Field(description='ICAO; "" landing not seen')
    off_utc: AwareDatetime | None = Field(description="take-off; null: not seen")
    on_utc: AwareDatetime | None = Field(description="landing; null: not seen")
    seen_from_utc: AwareDatetime | None = Field(description="seen in cruise only: from")
    seen_until_utc: AwareDatetime | None = Field(description="seen in cruise only: until")
    day: str = Field(description="UTC date of the first time (or first sighting)")
    source: Source
    partial: bool
    altitude_ft: list[float | None] = Field(description="per point, ft; null: not reported")
    time_utc: list[AwareDatetime] = Field(description="per point")


class TrackGeometry(BaseModel):
    type: Literal["LineString"] = "LineString"
    coordinates: list[tuple[float, float]] = Field(description="[lon deg, lat deg] (RFC 7946)")


class TrackFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: int = Field(description="the report's id")
    geometry: TrackGeometry
    properties: TrackProperties

    @classmethod
    def of(cls, r: StoredReport) -> TrackFeature:
        a = r.actual
        placed = a.placed_utc
        return cls(
            id=r.id,
            geometry=TrackGeometry(coordinates=[(lon, lat) for lat, lon, _, _ in a.track]),
            properties=TrackProperties(
                report_id=r.id,
                tail=a.tail,
                origin=a.origin,
                destination=a.destination,
                off_utc=a.off_utc,
                on_utc=a.on_utc,
                seen_from_utc=a.seen_from_utc,
                seen_until_utc=a.seen_until_utc,
                day=f"{placed:%Y-%m-%d}" if placed else "",
                source=a.source,
                partial=a.partial,
                altitude_ft=[alt for _, _, alt, _ in a.track],
                time_utc=[datetime.fromtimestamp(t, UTC) for _, _, _, t in a.track],
            ),
        )


class TrackCollection(BaseModel):
    """GeoJSON (RFC 7946): one LineString per stored report that has a track."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[TrackFeature]


class PlannedTimes(BaseModel):
    out_utc: datetime = Field(description="ETD, off-block")
    off_utc: datetime = Field(description="take-off")
    on_utc: datetime = Field(description="landing")
    in_utc: datetime = Field(description="ETA, on-block")
    etd_local: str = Field(description="ISO 8601 with the origin's UTC offset")
    eta_local: str = Field(description="ISO 8601 with the destination's UTC offset")


class BoardLegPublic(BaseModel):
    mission: int = Field(description="1-based mission number in the run")
    leg: int = Field(description="1-based leg number in the mission")
    tail: str
    aircraft: str
    origin: str
    destination: str
    origin_tz: str | None
    destination_tz: str | None
    planned: PlannedTimes
    actual: ActualPublic | None = Field(description="the merged reports; null: none")
    key: LegKey | None
    reports: list[ReportPublic]
    status: LegStatus
    late_min: float | None = Field(description="min late against the plan (negative: early)")
    late: bool = Field(description="late by more than the tolerance")
    next_action: str

    @classmethod
    def of(cls, b: BoardLeg, reports: list[StoredReport]) -> BoardLegPublic:
        p = b.planned
        return cls(
            mission=p.mission,
            leg=p.number,
            tail=p.leg.tail,
            aircraft=p.aircraft,
            origin=p.leg.origin,
            destination=p.leg.destination,
            origin_tz=p.origin_tz,
            destination_tz=p.destination_tz,
            planned=PlannedTimes(
                out_utc=p.leg.out_utc,
                off_utc=p.leg.off_utc,
                on_utc=p.leg.on_utc,
                in_utc=p.leg.in_utc,
                etd_local=p.etd_local,
                eta_local=p.eta_local,
            ),
            actual=ActualPublic.of(b.actual) if b.actual else None,
            key=LegKey(tail=b.actual_key[0], origin=b.actual_key[1], date=b.actual_key[2])
            if b.actual_key
            else None,
            reports=[ReportPublic.of_stored(r) for r in reports],
            status=b.state.status,
            late_min=b.state.late_min,
            late=b.state.late,
            next_action=b.state.next_action,
        )


class BoardPublic(BaseModel):
    run_id: int
    day: str = Field(description="UTC date shown")
    days: list[str] = Field(description="UTC dates of the run's missions")
    now: datetime = Field(description="the time the statuses are computed at")
    tolerance_min: float = Field(description="min: within it a leg is on time")
    legs: list[BoardLegPublic]
    unplanned: list[MergedLegPublic] = Field(description="reported legs of the day not planned")
    units: dict[str, Any] = Field(default_factory=dict)
