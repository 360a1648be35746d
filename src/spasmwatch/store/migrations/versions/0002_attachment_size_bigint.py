"""attachment sizes beyond 2 GB

A long EEG recording or video can be larger than a 32-bit integer holds (the upload limit is
configurable); PostgreSQL's INTEGER would refuse it.

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
    # On SQLite the batch copies the table (its INTEGER is 64-bit already, but the declared
    # type then matches the models); on PostgreSQL it is one ALTER COLUMN.
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("size_bytes", existing_type=sa.Integer(), type_=sa.BigInteger())


def downgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("size_bytes", existing_type=sa.BigInteger(), type_=sa.Integer())
