"""Tails gain the transponder's ICAO 24-bit address.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-15

``icao24`` (6 lower-case hex digits, ``062a01``) is how an ADS-B track names the airframe;
execution tracking maps a detected flight to the tail through it. Rows from before this
revision get "" (not known). Plain ``ADD COLUMN`` (no batch copy of the table) keeps the
change-counter triggers of migration 0002 on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "tails",
        sa.Column("icao24", sa.String(length=6), nullable=False, server_default=""),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35 or later, PostgreSQL): a batch copy would drop the
    # table's triggers, and migration 0002's downgrade drops them by name.
    op.execute("ALTER TABLE tails DROP COLUMN icao24")
