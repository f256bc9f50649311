"""The shipped aircraft catalogue: headline figures, and every figure with its source.

User-added types are managed under ``/api/aircraft_types``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from airlift.aircraft import AircraftType, aircraft_type, catalogue
from airlift.errors import UnknownAircraft
from airlift.web.schemas import AircraftDetail, AircraftSummary
from airlift.web.security import CurrentUser

router = APIRouter(prefix="/api/aircraft", tags=["aircraft"])


def _summary(t: AircraftType) -> dict[str, object]:
    return {
        "designator": t.designator,
        "name": t.name,
        "aliases": list(t.aliases),
        "military": t.military,
        "mtow_kg": t.mtow_kg,
        "max_payload_kg": t.max_payload_kg,
        "max_fuel_kg": t.max_fuel_kg,
        "cruise_tas_kt": t.cruise_tas_kt,
        "pallet_positions": t.pallet_positions,
        "seats": t.seats,
        "unpaved_approved": t.unpaved_approved,
    }


@router.get("")
async def list_aircraft(user: CurrentUser) -> list[AircraftSummary]:
    """Every shipped type with its headline figures (planning estimates, each sourced)."""
    return [AircraftSummary.model_validate(_summary(t)) for t in catalogue().values()]


@router.get("/{designator}")
async def get_aircraft(designator: str, user: CurrentUser) -> AircraftDetail:
    """One type by designator or alias (``c130h``), with the source of every figure."""
    try:
        t = aircraft_type(designator)
    except UnknownAircraft as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from None
    return AircraftDetail.model_validate(
        {
            **_summary(t),
            "mlw_kg": t.mlw_kg,
            "assault_landing_weight_kg": t.assault_landing_weight_kg,
            "mzfw_kg": t.mzfw_kg,
            "oew_kg": t.oew_kg,
            "acl_kg": t.acl_kg,
            "ballast_cargo_threshold_kg": t.ballast_cargo_threshold_kg,
            "ballast_min_fuel_kg": t.ballast_min_fuel_kg,
            "ceiling_ft": t.ceiling_ft,
            "propulsion": t.propulsion,
            "normal_speed": t.normal_speed,
            "ground_time_min": t.ground_time_min,
            "ground_time_expedited_min": t.ground_time_expedited_min,
            "ground_time_ero_min": t.ground_time_ero_min,
            "taxi_fuel_kg": t.taxi_fuel_kg,
            "aero": {k: getattr(t.aero, k) for k in t.aero.__slots__},
            "engine": {k: getattr(t.engine, k) for k in t.engine.__slots__},
            "calibration": {k: getattr(t.calibration, k) for k in t.calibration.__slots__},
            "published": [{**p.model_dump(exclude_none=True), "unit": p.unit} for p in t.published],
            "sources": dict(t.sources),
            "references": dict(t.references),
        }
    )
