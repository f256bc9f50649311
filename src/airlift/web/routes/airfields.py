"""Airfields as the planners see them: theatre data with the global overrides applied.

The overrides an admin keeps under ``/api/airfield_overrides`` (fuel, hours, MOG, planning
OAT, closure) apply here and to ``/api/plan`` and ``/api/maxload``, so what the airfield list
shows is what the planner uses.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from airlift.airfields import Airfield, lookup, search, theatre
from airlift.errors import UnknownAirfield
from airlift.scheduling.inputs import AirfieldOverride
from airlift.scheduling.scenario_airfields import apply_override
from airlift.store.domain import OVERRIDE_TABLES, global_overrides
from airlift.web.read_cache import ReadView
from airlift.web.routes._common import cached_json, list_adapter
from airlift.web.schemas import (
    AirfieldMatchPublic,
    AirfieldPublic,
    NotFoundAirfield,
    PlanningPublic,
    RunwayPublic,
)
from airlift.web.security import CurrentUser, ReadViewDep

router = APIRouter(prefix="/api/airfields", tags=["airfields"])


def cached_overrides(view: ReadView) -> dict[str, AirfieldOverride]:
    """``store.domain.global_overrides`` through the read cache (shared: do not change it)."""
    return view.get("overrides", OVERRIDE_TABLES, global_overrides)


def with_overrides(airfield: Airfield, overrides: dict[str, AirfieldOverride]) -> Airfield:
    found = overrides.get(airfield.icao)
    return apply_override(airfield, found) if found else airfield


def airfield_public(a: Airfield) -> AirfieldPublic:
    p = a.planning
    return AirfieldPublic(
        icao=a.icao,
        name=a.name,
        lat=a.lat,
        lon=a.lon,
        elevation_ft=a.elevation_ft,
        tz=a.tz,
        iata=a.iata,
        country=a.country,
        city=a.city,
        runways=[
            RunwayPublic(
                ident=r.ident,
                length_m=r.length_m,
                width_m=r.width_m,
                surface=r.surface,
                paved=r.paved,
                lighted=r.lighted,
                closed=r.closed,
                source=r.source,
            )
            for r in a.runways
        ],
        runway_source=a.runway_source,
        planning=PlanningPublic(
            fuel_available=p.fuel_available,
            daylight_only=p.daylight_only,
            hours_utc=p.hours_utc,
            mog=p.mog,
            planning_oat_c=p.planning_oat_c,
            closed=bool(a.runways) and not a.open_runways(),
            notes=p.notes,
            source=p.source,
        ),
    )


@router.get("", response_model=list[AirfieldPublic])
async def list_airfields(view: ReadViewDep, user: CurrentUser) -> Response:
    """The curated theatre airfields, planning attributes with the global overrides applied."""

    def build(session: Session) -> bytes:
        overrides = global_overrides(session)
        airfields = [airfield_public(with_overrides(a, overrides)) for a in theatre().values()]
        return list_adapter(AirfieldPublic).dump_json(airfields)

    return await cached_json(view, "airfields", OVERRIDE_TABLES, build)


@router.get("/search", response_model=list[AirfieldMatchPublic])
def search_airfields(
    user: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=64, description="ICAO, IATA or name")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[AirfieldMatchPublic]:
    """Airfields by code prefix or name (theatre first, then the world): a form's type-ahead."""
    return [AirfieldMatchPublic.model_validate(asdict(m)) for m in search(q, limit)]


@router.get(
    "/{code}",
    response_model=AirfieldPublic,
    responses={status.HTTP_404_NOT_FOUND: {"model": NotFoundAirfield}},
)
def get_airfield(code: str, view: ReadViewDep, user: CurrentUser) -> AirfieldPublic | JSONResponse:
    """Any airfield by ICAO, IATA or name (theatre, OurAirports cache, airportsdata)."""
    try:
        found = lookup(code)
    except UnknownAirfield as exc:
        body = NotFoundAirfield(detail=str(exc), field="code", suggestions=exc.suggestions)
        return JSONResponse(body.model_dump(), status_code=status.HTTP_404_NOT_FOUND)
    return airfield_public(with_overrides(found, cached_overrides(view)))
