"""Run heartbeat: the worker solving a run stamps it, recovery fails only expired leases.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

A run left ``running`` is failed at start-up (or by any live worker) only when its
``heartbeat_at`` is older than the lease (``store/runs.py``), so a second server on the same
database never fails the first one's runs. Rows from before this revision have none: a run
running without a heartbeat is taken as dead, as every running run was before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
