"""Re-planning: disruption events declared against a programme, and re-plan versions.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

``disruption_events`` holds one row per event declared against a run (its programme): the
event's text as ``airlift.replan.parse_event`` reads it, its kind and its author.
``schedule_runs`` gains what tells programme versions apart: ``kind`` (``schedule``, or
``replan`` for a re-plan), ``parent_id`` (the programme a re-plan started from) and its
approval (``proposed``, ``approved``, ``discarded`` or ``superseded``; none for the runs
before this revision) with who approved it and when. Neither table is read through the read
cache, so neither gets change-counter triggers. Plain ``ADD COLUMN`` (no batch copy).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "disruption_events"
RUNS = "schedule_runs"
COLUMNS = ("kind", "parent_id", "approval", "approved_by", "approved_at")


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], [f"{RUNS}.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_disruption_events_run_id", TABLE, ["run_id"], unique=False)
    op.add_column(
        RUNS, sa.Column("kind", sa.String(length=16), nullable=False, server_default="schedule")
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite takes the reference inline only (Alembic would ALTER a constraint).
        op.execute(f"ALTER TABLE {RUNS} ADD COLUMN parent_id INTEGER REFERENCES {RUNS} (id)")
    else:
        op.add_column(
            RUNS,
            sa.Column("parent_id", sa.Integer(), sa.ForeignKey(f"{RUNS}.id"), nullable=True),
        )
    op.add_column(RUNS, sa.Column("approval", sa.String(length=16), nullable=True))
    op.add_column(RUNS, sa.Column("approved_by", sa.String(length=64), nullable=True))
    op.add_column(RUNS, sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35 or later, PostgreSQL), as 0008.
    for name in reversed(COLUMNS):
        op.execute(f"ALTER TABLE {RUNS} DROP COLUMN {name}")
    op.drop_index("ix_disruption_events_run_id", table_name=TABLE)
    op.drop_table(TABLE)
