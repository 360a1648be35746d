"""A test database's schema moved back to an older revision by the migrations' own
downgrades (upgrading to a revision is ``spasmwatch.store.db.migrate``)."""

from __future__ import annotations

from sqlalchemy import Engine


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema of ``engine``'s database down to ``revision``."""
    from alembic import command

    from spasmwatch.store.db import migration_config, migration_connection

    config = migration_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
