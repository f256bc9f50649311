"""Whether the database answers (``GET /api/health``)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def ping(session: Session) -> str:
    """Ask the database a trivial question; its dialect name (``sqlite``, ``postgresql``)
    when it answers, else the driver's error."""
    session.execute(text("SELECT 1"))
    return session.get_bind().dialect.name
