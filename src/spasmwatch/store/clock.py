"""The time as the tables store it: naive local, to the second.

One definition for every module of the repository (:mod:`spasmwatch.store.repo`), so that
a row's ``created_at``, a link's ``expires_at`` and the comparisons with them agree.
"""

from __future__ import annotations

from datetime import datetime

__all__ = ["now"]


def now() -> datetime:
    """The current time, naive local, to the second (what the tables store)."""
    return datetime.now().replace(microsecond=0)
