"""Dangerous goods on movement requests: the UN class or division and the UN number.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08

``dg_class`` (``3``, ``1.4S``) and ``un_number`` (``UN1863``) let a brief list what is on
board as a NOTOC does. Rows from before this revision get "" (none given); their
``hazardous`` flag is unchanged. Plain ``ADD COLUMN`` (no batch copy of the table) keeps
the change-counter triggers of migration 0002 on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "movement_requests",
        sa.Column("dg_class", sa.String(length=8), nullable=False, server_default=""),
    )
    op.add_column(
        "movement_requests",
        sa.Column("un_number", sa.String(length=6), nullable=False, server_default=""),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35 or later, PostgreSQL): a batch copy would drop the
    # table's triggers, and migration 0002's downgrade drops them by name.
    op.execute("ALTER TABLE movement_requests DROP COLUMN un_number")
    op.execute("ALTER TABLE movement_requests DROP COLUMN dg_class")
