"""``GET /api/health``: the one API route open to everyone (load balancers, monitoring)."""

from __future__ import annotations

from fastapi import APIRouter

from airlift import __version__
from airlift.store.health import ping
from airlift.web.schemas import Health
from airlift.web.security import SessionDep

router = APIRouter(prefix="/api/health", tags=["health"])


@router.get("")
def health(session: SessionDep) -> Health:
    """The service answers and its database too (an error here means the database is down)."""
    return Health(status="ok", version=__version__, database=ping(session))
