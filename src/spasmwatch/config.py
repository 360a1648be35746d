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
    "SIGNUP_MODES",
    "Settings",
    "default_data_dir",
    "emergency_number",
    "hosted_by",
    "public_url",
    "signup_mode",
]

#: Europe's emergency number; from a mobile phone it also reaches the local emergency
#: services in many other countries (see the landing page for 911, 999, 000, ...).
DEFAULT_EMERGENCY_NUMBER = "112"
EMERGENCY_NUMBER = re.compile(r"\+?[0-9]{2,15}")
#: Who may make an account (``SPASMWATCH_SIGNUP``): anyone (``open``, the default: a
#: family's own machine, where whoever reaches the app is the family), only someone with an
#: invitation (``invite``: a clinic's server, public for share links), or nobody
#: (``closed``). The quick check and the public pages stay open in every mode [design].
SIGNUP_MODES = ("open", "invite", "closed")
#: The longest name ``SPASMWATCH_HOSTED_BY`` may give: it is said in a sentence of the
#: footer of every page [design].
HOSTED_BY_MAX = 100


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
    signup
        Who may make an account (``SPASMWATCH_SIGNUP``, one of :data:`SIGNUP_MODES`):
        ``open`` (anyone: the default, for a family's own machine), ``invite`` (with an
        invitation: ``spasmwatch invite-family``, or an invitation link to a child's
        diary) or ``closed`` (no new accounts).
    hosted_by
        Who runs this server for the families (``SPASMWATCH_HOSTED_BY``, e.g. ``Example
        Children's Hospital``): the pages say that the diaries are kept on its server,
        and whom to ask for an account. ``None``: not said.
    """

    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    max_upload_bytes: int = 500 * 1024 * 1024
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER
    job_memory_mb: int = 8192
    job_time_limit_s: float = 3600.0
    public_url: str | None = None
    web_threads: int = 1
    signup: str = "open"
    hosted_by: str | None = None

    def __post_init__(self) -> None:
        # A mistyped mode given in code must not leave sign-up open by default.
        if self.signup not in SIGNUP_MODES:
            raise SpasmwatchError(
                f"Invalid value for 'signup': allowed are {', '.join(SIGNUP_MODES)}; "
                f"got {self.signup!r}"
            )

    @property
    def server_mode(self) -> bool:
        """Whether the app runs on a server for several families rather than on a
        family's own machine: the one rule for the words that say where a diary is kept.

        A server: a database other than SQLite (PostgreSQL serves many writers: a
        clinic's set-up, docs/deploy.md), a public address for share links
        (``SPASMWATCH_PUBLIC_URL``: reached from other machines), or a host named
        (``SPASMWATCH_HOSTED_BY``). Otherwise, SQLite with no public address, it is the
        family's own machine, which the pages call "the computer that runs spasmwatch"
        (true from a phone that reaches it over the home network too).
        """
        sqlite = (self.database_url or "sqlite").startswith("sqlite")
        return bool(not sqlite or self.public_url or self.hosted_by)

    @property
    def public_host(self) -> str | None:
        """The host name of :attr:`public_url` (``diary.example.org``), or ``None``."""
        return urlsplit(self.public_url).hostname if self.public_url else None

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
            signup=signup_mode(env.get("SPASMWATCH_SIGNUP")),
            hosted_by=hosted_by(env.get("SPASMWATCH_HOSTED_BY")),
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


def signup_mode(raw: str | None) -> str:
    """Who may make an account, from ``SPASMWATCH_SIGNUP`` (default ``open``): one of
    :data:`SIGNUP_MODES`, in any case."""
    value = (raw or "").strip().lower()
    if not value:
        return SIGNUP_MODES[0]
    if value not in SIGNUP_MODES:
        raise SpasmwatchError(
            f"Invalid value for 'SPASMWATCH_SIGNUP': allowed are {', '.join(SIGNUP_MODES)}; "
            f"got {raw!r}"
        )
    return value


def hosted_by(raw: str | None) -> str | None:
    """Who runs the server, from ``SPASMWATCH_HOSTED_BY`` (``None`` when unset): a name of
    at most :data:`HOSTED_BY_MAX` characters on one line, its spaces kept as one."""
    value = " ".join((raw or "").split())
    if not value:
        return None
    if len(value) > HOSTED_BY_MAX or any(not c.isprintable() for c in value):
        raise SpasmwatchError(
            "Invalid value for 'SPASMWATCH_HOSTED_BY': give the name of whoever runs this "
            f'server, at most {HOSTED_BY_MAX} characters on one line, e.g. "Example '
            f"Children's Hospital\"; got {raw!r}"
        )
    return value
