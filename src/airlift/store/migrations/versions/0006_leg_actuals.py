"""Leg actuals: every report of a flown leg, with its source, reporter, run and who stored it.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-10

One row per report (``store/actuals.py`` merges the reports of a leg); ``content_hash`` is
unique, so storing the same report again adds nothing. The table gets migration 0002's
change-counter triggers: the day board and the actuals list may be cached by the read cache
(``web/read_cache.py``) and must see every change, whoever writes it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from airlift.store.revisions import counter_triggers

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "leg_actuals"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("tail", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=4), nullable=False),
        sa.Column("destination", sa.String(length=4), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("first_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("out_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("off_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("on_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("in_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fuel_out_kg", sa.Float(), nullable=True),
        sa.Column("fuel_in_kg", sa.Float(), nullable=True),
        sa.Column("loads", sa.JSON(), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("reported_by", sa.String(length=64), nullable=False),
        sa.Column("received_from", sa.String(length=255), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["schedule_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_index("ix_leg_actuals_tail", TABLE, ["tail"], unique=False)
    op.create_index("ix_leg_actuals_first_utc", TABLE, ["first_utc"], unique=False)
    op.bulk_insert(
        sa.table("table_revisions", sa.column("name"), sa.column("revision")),
        [{"name": TABLE, "revision": 1}],
    )
    for statement in counter_triggers(TABLE, op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    # Dropping the table drops its triggers (SQLite and PostgreSQL).
    op.drop_index("ix_leg_actuals_first_utc", table_name=TABLE)
    op.drop_index("ix_leg_actuals_tail", table_name=TABLE)
    op.drop_table(TABLE)
    op.execute(f"DELETE FROM table_revisions WHERE name = '{TABLE}'")
