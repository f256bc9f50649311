"""Table revisions: a counter per watched table, bumped by triggers on every change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

The counters let each web process cache what it read (API tokens, the fleet, requests,
overrides) and still see every change at once, made by any writer, even plain SQL. A missing
counter row is created by the first change (upsert), so nothing can stop them counting.
The table list is this migration's own: a later table that the cache reads needs a migration
adding its triggers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from airlift.store.revisions import counter_triggers

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = (
    "users",
    "api_tokens",
    "web_sessions",
    "tails",
    "aircraft_types",
    "airfield_overrides",
    "movement_requests",
    "scenarios",
)

_PG_FUNCTION = """
CREATE FUNCTION airlift_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO %I.table_revisions (name, revision) VALUES ($1, 1) '
        'ON CONFLICT (name) DO UPDATE SET revision = table_revisions.revision + 1',
        TG_TABLE_SCHEMA
    ) USING TG_TABLE_NAME;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "table_revisions",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.bulk_insert(
        sa.table("table_revisions", sa.column("name"), sa.column("revision")),
        [{"name": table, "revision": 1} for table in WATCHED],
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
    for table in WATCHED:
        for statement in counter_triggers(table, dialect):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER {table}_revision ON {table}")
        op.execute("DROP FUNCTION airlift_bump_revision()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_{event}_revision")
    op.drop_table("table_revisions")
