"""a version number for each diary

Every change to a child's diary adds one to ``children.diary_version``; the derived state
keeps the version it was computed from (``diary_state.version``), so that a triage computed
outside the writers' lock is stored only when no change came in meanwhile.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


# Plain ALTER TABLE ADD/DROP COLUMN (SQLite 3.35 or later), not a batch copy: copying
# ``children`` on SQLite drops the old table, which with foreign keys on deletes every row
# that refers to a child (episodes, attachments, ...).


def upgrade() -> None:
    op.add_column(
        "children", sa.Column("diary_version", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("diary_state", sa.Column("version", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("diary_state", "version")
    op.drop_column("children", "diary_version")
