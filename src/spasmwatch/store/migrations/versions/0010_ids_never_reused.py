"""ids are never given twice

On SQLite, a table whose key is a plain ``INTEGER PRIMARY KEY`` gives a new row the highest
id there is plus one: once the newest child was deleted, the next child got its id, so a
command or an address written for the deleted child (``spasmwatch export csv 7``,
``/children/7``) reached another family's child, and the audit log's "user 7" could mean
two people. With ``AUTOINCREMENT`` SQLite keeps the highest id it ever gave
(``sqlite_sequence``) and never gives an id again. This is the case for the tables whose
ids leave the row: in addresses, commands and the audit log (users, children, episodes,
attachments, their analysis jobs, share links, API tokens, invitations, treatments,
milestones).

SQLite cannot add ``AUTOINCREMENT`` to a table in place, so each table is rebuilt, as the
SQLite documentation's twelve steps for other kinds of table schema changes say:
``store.db.migration_connection`` turns foreign keys off, runs the whole upgrade in one
transaction and checks every reference before it commits (steps 1, 2, 10-12); here the
triggers and views are kept and dropped (3, 9), each table is created anew with
``AUTOINCREMENT``, its rows copied with their ids, the old one dropped and the new one
renamed, its indexes made again (4-8, an Alembic batch), and the triggers and views made
again after the last table. An upgrade that stops anywhere leaves the database as it was.

An id deleted before the upgrade is known to SQLite no more: each sequence starts at the
highest id there is, and for users and children at least at the highest one the audit log
names as deleted ("delete_account", "delete_child").

PostgreSQL takes ids from sequences, which never go back: nothing changes there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

#: The tables whose ids are shown or used outside the row (as in ``store.models``, which
#: gives them ``sqlite_autoincrement``), parents before children.
TABLES = (
    "users",
    "children",
    "episodes",
    "attachments",
    "jobs",
    "share_links",
    "api_tokens",
    "invitations",
    "treatments",
    "milestones",
)

#: How the audit log names a deleted account or child (``diary.accounts.delete_account``,
#: ``diary.children.delete``): the action and the detail's pattern.
DELETED = {
    "users": ("delete_account", re.compile(r"\buser (\d+)$")),
    "children": ("delete_child", re.compile(r"\bchild (\d+)$")),
}


def _rebuild(autoincrement: bool) -> None:
    """Copy every table of :data:`TABLES` into one with (or without) ``AUTOINCREMENT``."""
    conn = op.get_bind()
    # Triggers and views name tables: a view that names a dropped table stops the rename
    # of its copy, and a trigger goes with its table. They are made again, as they were,
    # once every table is back (views first: a trigger may be on a view).
    kept = conn.execute(
        sa.text(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE type IN ('view', 'trigger') AND sql IS NOT NULL "
            "ORDER BY type = 'trigger', rowid"
        )
    ).all()
    for kind, name, _ in kept:
        quoted = name.replace('"', '""')
        conn.exec_driver_sql(f'DROP {kind.upper()} "{quoted}"')
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    for _, _, sql in kept:
        conn.exec_driver_sql(sql)


def _highest_deleted(conn: sa.Connection, table: str) -> int:
    """The highest id of ``table`` the audit log names as deleted (0: none)."""
    action, pattern = DELETED[table]
    details = conn.execute(
        sa.text("SELECT detail FROM audit_log WHERE action = :action"), {"action": action}
    ).scalars()
    return max((int(m.group(1)) for d in details if (m := pattern.search(d or ""))), default=0)


def _start_sequences() -> None:
    """Each sequence above every id the table has, and for users and children above every
    deleted one the audit log names."""
    conn = op.get_bind()
    for table in TABLES:
        highest = conn.execute(sa.text(f"SELECT max(id) FROM {table}")).scalar() or 0
        if table in DELETED:
            highest = max(highest, _highest_deleted(conn, table))
        # The copy of the rows has set the sequence to the highest id copied, if any rows.
        changed = conn.execute(
            sa.text("UPDATE sqlite_sequence SET seq = max(seq, :n) WHERE name = :t"),
            {"n": highest, "t": table},
        )
        if changed.rowcount == 0:
            conn.execute(
                sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :n)"),
                {"n": highest, "t": table},
            )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=True)
    _start_sequences()


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=False)
