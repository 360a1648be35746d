"""Settings read from the environment (``SPASMWATCH_*``).

Settings are built by callers (the CLI, the web app factory, the tests), never at import
time, so that tests can run side by side with different settings.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from spasmwatch.errors import SpasmwatchError

__all__ = [
    "DEFAULT_EMERGENCY_NUMBER",
    "Settings",
    "default_data_dir",
    "emergency_number",
    "public_url",
]

#: Europe's emergency number; from a mobile phone it also reaches the local emergency
#: services in many other countries (see the landing page for 911, 999, 000, ...).
DEFAULT_EMERGENCY_NUMBER = "112"
EMERGENCY_NUMBER = re.compile(r"\+?[0-9]{2,15}")


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
    emergency_number
        The number the pages tell caregivers to call in an emergency (``tel:`` links).
        112 by default: the emergency number across Europe, and from a mobile phone it
        reaches the local emergency services in many other countries too.
    job_memory_mb
        Address space one analysis may use, in MB (``SPASMWATCH_JOB_MEMORY_MB``; 0: no
        limit). A 24 h EEG needs about 1.5 GB, a 30-minute video about 0.6 GB; the rest
        is room for the libraries' own reservations.
    job_time_limit_s
        Wall time one analysis may take (``SPASMWATCH_JOB_TIME_LIMIT_S``).
    web_threads
        Request handlers one web process runs at once (``SPASMWATCH_WEB_THREADS``, 1;
        reports, exports, uploads and the EEG viewer run on threads of their own): see
        :mod:`spasmwatch.web.threads`; raise it when the database is on another machine.
    public_url
        The address others reach the app at (``SPASMWATCH_PUBLIC_URL``, e.g.
        ``https://diary.example.org``), used for share links; ``None``: the address the
        page was opened with.
    """

    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    max_upload_bytes: int = 500 * 1024 * 1024
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER
    job_memory_mb: int = 8192
    job_time_limit_s: float = 3600.0
    public_url: str | None = None
    web_threads: int = 1

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from ``SPASMWATCH_*`` environment variables."""
        env = os.environ if environ is None else environ
        data_dir = env.get("SPASMWATCH_DATA_DIR")
        return cls(
            data_dir=Path(data_dir) if data_dir else default_data_dir(),
            database_url=env.get("SPASMWATCH_DATABASE_URL") or None,
            max_upload_bytes=int(_number(env, "SPASMWATCH_MAX_UPLOAD_MB", 500) * 1024 * 1024),
            emergency_number=emergency_number(env.get("SPASMWATCH_EMERGENCY_NUMBER")),
            job_memory_mb=int(_number(env, "SPASMWATCH_JOB_MEMORY_MB", 8192)),
            job_time_limit_s=_number(env, "SPASMWATCH_JOB_TIME_LIMIT_S", 3600.0),
            public_url=public_url(env.get("SPASMWATCH_PUBLIC_URL")),
            web_threads=web_threads(env.get("SPASMWATCH_WEB_THREADS")),
        )


def _number(env: os._Environ[str] | dict[str, str], name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0:
        raise SpasmwatchError(
            f"Invalid value for '{name}': give a number of 0 or more; got {raw!r}"
        )
    return value


def web_threads(raw: str | None) -> int:
    """Request handlers per web process from ``SPASMWATCH_WEB_THREADS`` (default 1): a
    whole number from 1 to 200."""
    text = (raw or "").strip()
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= 200:
        raise SpasmwatchError(
            "Invalid value for 'SPASMWATCH_WEB_THREADS': give a whole number from 1 to 200; "
            f"got {text!r}"
        )
    return int(text)


def emergency_number(raw: str | None) -> str:
    """The emergency number from ``SPASMWATCH_EMERGENCY_NUMBER`` (default 112): digits, at
    most 15, with an optional leading ``+``."""
    value = (raw or "").strip().replace(" ", "")
    if not value:
        return DEFAULT_EMERGENCY_NUMBER
    if not EMERGENCY_NUMBER.fullmatch(value):
        raise SpasmwatchError(
            "Invalid value for 'SPASMWATCH_EMERGENCY_NUMBER': give digits only (at most 15, "
            f"an optional leading +), e.g. 112, 911 or 999; got {raw!r}"
        )
    return value


def public_url(raw: str | None) -> str | None:
    """The app's public address from ``SPASMWATCH_PUBLIC_URL`` (``None`` when unset), without
    a trailing slash: ``http://`` or ``https://``, a host, an optional port and path, no
    query, fragment or user name."""
    value = (raw or "").strip()
    if not value:
        return None
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if (
        parts is None
        or not port_ok
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username is not None
        or any(c.isspace() for c in value)
    ):
        raise SpasmwatchError(
            "Invalid value for 'SPASMWATCH_PUBLIC_URL': give the address a doctor's browser "
            "opens to reach this app, starting with https:// or http://, e.g. "
            f"https://diary.example.org or http://192.168.1.20:8000; got {raw!r}"
        )
    return value.rstrip("/")
