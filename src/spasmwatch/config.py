"""Settings read from the environment (``SPASMWATCH_*``).

Settings are built by callers (the CLI, the web app factory, the tests), never at import
time, so that tests can run side by side with different settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Settings", "default_data_dir"]


def default_data_dir() -> Path:
    """Return the per-user data directory (``$XDG_DATA_HOME/spasmwatch``)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "spasmwatch"


@dataclass(frozen=True)
class Settings:
    """Runtime settings of spasmwatch.

    Attributes
    ----------
    data_dir
        Where the database (SQLite by default) and attachments live.
    database_url
        SQLAlchemy URL; ``None`` means SQLite in ``data_dir``.
    max_upload_bytes
        Largest accepted upload.
    """

    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    max_upload_bytes: int = 500 * 1024 * 1024

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from ``SPASMWATCH_*`` environment variables."""
        env = os.environ if environ is None else environ
        data_dir = env.get("SPASMWATCH_DATA_DIR")
        max_upload = env.get("SPASMWATCH_MAX_UPLOAD_MB")
        return cls(
            data_dir=Path(data_dir) if data_dir else default_data_dir(),
            database_url=env.get("SPASMWATCH_DATABASE_URL") or None,
            max_upload_bytes=int(float(max_upload) * 1024 * 1024)
            if max_upload
            else 500 * 1024 * 1024,
        )
