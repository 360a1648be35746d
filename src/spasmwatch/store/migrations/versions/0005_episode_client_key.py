"""episodes.client_key: the key an offline-logged episode is sent with, so that sending it
again returns the first result instead of a second episode

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_episodes_client_key"), ["client_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episodes_client_key"))
        batch_op.drop_column("client_key")
