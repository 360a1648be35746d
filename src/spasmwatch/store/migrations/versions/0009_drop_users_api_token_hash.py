"""the users' old token column goes

``users.api_token_hash`` held the one never-expiring token a user could have; migration
0003 turned every such token into an expiring write token (``api_tokens``) and emptied the
column, which nothing has read or written since.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


# A batch operation: SQLite cannot drop a UNIQUE column in place, so the table is copied
# (store.db.migration_connection turns foreign keys off meanwhile, so that the copy keeps
# every row that refers to a user); PostgreSQL drops the column and its constraint.


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("api_token_hash")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("api_token_hash", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("users_api_token_hash_key", ["api_token_hash"])
