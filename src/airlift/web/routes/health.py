"""``GET /api/health``: the one API route open to everyone (load balancers, monitoring)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from airlift import __version__
from airlift.web.schemas import Health
from airlift.web.security import SessionDep

router = APIRouter(prefix="/api/health", tags=["health"])


@router.get("")
def health(session: SessionDep) -> Health:
    """The service answers and its database too (an error here means the database is down)."""
    session.execute(text("SELECT 1"))
    return Health(status="ok", version=__version__, database=session.get_bind().dialect.name)
