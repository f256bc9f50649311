"""REST API routes, one module per resource (``APIRouter(prefix=..., tags=...)``)."""

from __future__ import annotations

from fastapi import APIRouter

from airlift.web.routes import (
    aircraft,
    aircraft_types,
    airfield_overrides,
    airfields,
    auth,
    health,
    planning,
    requests,
    scenarios,
    tails,
    tokens,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    tokens.router,
    users.router,
    requests.router,
    tails.router,
    scenarios.router,
    airfield_overrides.router,
    aircraft_types.router,
    airfields.router,
    aircraft.router,
    planning.router,
)
"""Every API router of this package; the app also includes the runs and pages routers."""
