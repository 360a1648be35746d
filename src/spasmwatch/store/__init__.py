"""Storage: SQLAlchemy 2 models, Alembic migrations, and the repository of queries.

SQLite (WAL mode, foreign keys on) in the data directory by default; PostgreSQL by URL.
Attachments (videos, EEG files) are files on disk under the data directory, named by their
content hash; the database holds only their metadata.
"""

from __future__ import annotations

from spasmwatch.store.db import Database, make_engine, migrate

__all__ = ["Database", "make_engine", "migrate"]
