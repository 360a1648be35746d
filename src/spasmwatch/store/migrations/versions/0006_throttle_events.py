"""throttle events in the database

The login throttle and the public check's rate limit count their events in the database
(keys hashed), so that several web processes share one count.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=20), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("throttle_events", schema=None) as batch_op:
        batch_op.create_index("ix_throttle_events_key", ["bucket", "key_hash", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("throttle_events", schema=None) as batch_op:
        batch_op.drop_index("ix_throttle_events_key")
    op.drop_table("throttle_events")
