"""REST API routes, one module per resource (``APIRouter(prefix=..., tags=...)``)."""

from __future__ import annotations

from fastapi import APIRouter

from airlift.web.routes import (
    actuals,
    aircraft,
    aircraft_types,
    airfield_overrides,
    airfields,
    airspace,
    auth,
    health,
    performance,
    planning,
    replans,
    requests,
    runs,
    scenarios,
    sightings,
    studies,
    tails,
    tokens,
    tracking,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    planning.router,
    airfields.router,
    requests.router,
    tails.router,
    auth.router,
    scenarios.router,
    airfield_overrides.router,
    aircraft_types.router,
    aircraft.router,
    performance.router,
    tokens.router,
    users.router,
    health.router,
    runs.router,
    replans.router,
    tracking.router,
    actuals.router,
    sightings.router,
    airspace.router,
    studies.router,
)
"""Every API router of this package; the app also includes the pages router.
Most used first: FastAPI tries the routes one by one (the prefixes do not overlap)."""
