"""attachment sizes beyond 2 GB

A long EEG recording or video can be larger than a 32-bit integer holds (the upload limit is
configurable); PostgreSQL's INTEGER would refuse it. SQLite's INTEGER is already 64-bit.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 10:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column("attachments", "size_bytes", existing_type=sa.Integer(), type_=sa.BigInteger())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column("attachments", "size_bytes", existing_type=sa.BigInteger(), type_=sa.Integer())
