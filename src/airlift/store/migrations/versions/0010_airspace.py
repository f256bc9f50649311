"""Airspace: zones to route around and diplomatic clearance records.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

``zones`` holds one row per zone (``airlift.airspace.zones.Zone``): its name (unique), kind,
the GeoJSON text of its lon/lat Polygon, altitude band, UTC window, stand-off and note.
``clearances`` holds the clearance records the planning cell keeps per country and kind
(overflight or landing): status, the number granted, validity dates. Both are editable
collections (``version``) and read through the read cache (a plan reads the stored zones),
so both get change-counter triggers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from airlift.store.revisions import counter_triggers

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("zones", "clearances")


def upgrade() -> None:
    op.create_table(
        "zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("lower_ft", sa.Float(), nullable=True),
        sa.Column("upper_ft", sa.Float(), nullable=True),
        sa.Column("from_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("until_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("standoff_m", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_clearances_country", "clearances", ["country"], unique=False)
    op.bulk_insert(
        sa.table("table_revisions", sa.column("name"), sa.column("revision")),
        [{"name": table, "revision": 1} for table in TABLES],
    )
    for table in TABLES:
        for statement in counter_triggers(table, op.get_bind().dialect.name):
            op.execute(statement)


def downgrade() -> None:
    # Dropping a table drops its triggers (SQLite and PostgreSQL).
    op.drop_index("ix_clearances_country", table_name="clearances")
    for table in reversed(TABLES):
        op.drop_table(table)
        op.execute(f"DELETE FROM table_revisions WHERE name = '{table}'")
