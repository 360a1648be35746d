"""invitation links carry a single-use token

An invitation gave its role to whoever signed in with its email address, and the link the
owner sent was the sign-up page, with no secret in it: anyone who made an account with
that address first (nothing checks that an address is its user's) got the role. The link
now carries a random token; the table keeps its SHA-256 (``token_hash``), as for sessions
and share links. It works once (``used_at``), for 14 days (``expires_at``), and the owner
can withdraw it (``revoked_at``), so that the page opened with a used, expired or
withdrawn link says which.

An invitation made before has no token: its email no longer gives the role; it waits on
the owner's People list until the owner makes a link for it.

Plain ALTER TABLE ADD/DROP COLUMN (SQLite 3.35 or later), as in 0008.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column[object]]:
    """The columns added, in order (new objects each time: a column belongs to one table)."""
    return [
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    for column in _columns():
        op.add_column("invitations", column)
    op.create_index("ix_invitations_token_hash", "invitations", ["token_hash"], unique=True)


def downgrade() -> None:
    # Before this revision an invitation gave its role to its email at the next sign-in:
    # one used or withdrawn must not come back as one waiting.
    op.execute("DELETE FROM invitations WHERE used_at IS NOT NULL OR revoked_at IS NOT NULL")
    op.drop_index("ix_invitations_token_hash", table_name="invitations")
    for column in reversed(_columns()):
        op.drop_column("invitations", column.name)
