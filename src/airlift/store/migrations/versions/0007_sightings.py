"""Sightings: aircraft seen at a place and time (a photo's EXIF, an observer, the press).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-11

One row per sighting (``store/sightings.py``); ``content_hash`` is unique, so reporting the
same sighting again adds nothing. A photo's bytes are not stored, only what was read from it
and its SHA-256. The table gets migration 0002's change-counter triggers, as 0006 gives
``leg_actuals``: the day board may be cached by the read cache and must see every change.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from airlift.store.revisions import counter_triggers

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "sightings"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("tail", sa.String(length=16), nullable=False),
        sa.Column("aircraft_type", sa.String(length=32), nullable=False),
        sa.Column("airfield", sa.String(length=4), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("at_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("confidence", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.String(length=64), nullable=False),
        sa.Column("photo_sha256", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["schedule_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_index("ix_sightings_at_utc", TABLE, ["at_utc"], unique=False)
    op.bulk_insert(
        sa.table("table_revisions", sa.column("name"), sa.column("revision")),
        [{"name": TABLE, "revision": 1}],
    )
    for statement in counter_triggers(TABLE, op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    # Dropping the table drops its triggers (SQLite and PostgreSQL).
    op.drop_index("ix_sightings_at_utc", table_name=TABLE)
    op.drop_table(TABLE)
    op.execute(f"DELETE FROM table_revisions WHERE name = '{TABLE}'")
