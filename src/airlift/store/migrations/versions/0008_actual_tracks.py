"""Leg reports keep the path flown and, seen in the air only, when and on what track.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

``track`` is an ADS-B report's path (``[[lat deg, lon deg, altitude ft or null, epoch s],
...]``, at most 200 points), drawn on the map. ``seen_from_utc``, ``seen_until_utc`` and
``seen_track_deg`` (true degrees) let a flight seen in cruise only be stored (its
``first_utc`` is then ``seen_from_utc``) and matched to its planned leg. Rows from before
this revision get no track and no seen times. Plain ``ADD COLUMN`` (no batch copy of the
table) keeps the change-counter triggers of migrations 0002 and 0006 on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "leg_actuals"
COLUMNS = ("seen_from_utc", "seen_until_utc", "seen_track_deg", "track")


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("seen_from_utc", sa.DateTime(timezone=True), nullable=True))
    op.add_column(TABLE, sa.Column("seen_until_utc", sa.DateTime(timezone=True), nullable=True))
    op.add_column(TABLE, sa.Column("seen_track_deg", sa.Float(), nullable=True))
    op.add_column(TABLE, sa.Column("track", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35 or later, PostgreSQL): a batch copy would drop the
    # table's triggers, and migration 0006's downgrade drops them by name.
    for name in reversed(COLUMNS):
        op.execute(f"ALTER TABLE {TABLE} DROP COLUMN {name}")
