"""The family's clock for a page: the phone's offset from UTC, kept in a cookie.

The diary keeps the family's wall-clock times, and the server may run in another time
zone (a server on UTC is nine hours behind a phone in Tokyo). A sent form carries the
phone's time itself (``forms.form_now``); a page that is only read (the chart's last day,
the report periods, the pre-filled "When did it start?") takes the phone's offset from
UTC, which ``static/forms.js`` stores in :data:`UTC_OFFSET_COOKIE` on every page it runs
on. Without it (a first visit, no JavaScript, an offset no time zone has) the server's
own clock stands.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request

__all__ = [
    "UTC_OFFSET_COOKIE",
    "offset_of",
    "page_minute",
    "page_now",
    "page_offset",
    "page_today",
    "reset_offset",
    "use_offset_of",
]

#: The cookie that holds the phone's offset from UTC in minutes (east positive), as
#: ``static/forms.js`` writes it. Not a secret.
UTC_OFFSET_COOKIE = "sw_utc_offset"
#: Time zones reach from UTC-12 to UTC+14.
_OFFSET_RANGE_MIN = (-12 * 60, 14 * 60)

_offset: ContextVar[int | None] = ContextVar("spasmwatch_utc_offset", default=None)


def offset_of(raw: str | None) -> int | None:
    """The offset in minutes a cookie value gives, or ``None`` for no plausible one."""
    text = (raw or "").strip()
    if not text.lstrip("-").isdigit() or len(text) > 5:
        return None
    minutes = int(text)
    low, high = _OFFSET_RANGE_MIN
    return minutes if low <= minutes <= high else None


def page_offset() -> int | None:
    """The phone's offset from UTC in minutes (east positive) for the request being served,
    or ``None`` when the request carried none."""
    return _offset.get()


def page_now() -> datetime:
    """The family's wall-clock time now (naive, to the second) for the request being
    served: UTC plus the phone's offset when the request carried one, else the server's
    clock."""
    minutes = _offset.get()
    if minutes is None:
        return datetime.now().replace(microsecond=0)
    utc = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    return utc + timedelta(minutes=minutes)


def page_minute() -> str:
    """The family's time now to the minute, as a form's "When did it start?" field writes
    it (``2026-12-06T20:15``): the server's own pre-fill (see :func:`page_now`)."""
    return page_now().replace(second=0).isoformat(timespec="minutes")


def page_today() -> date:
    """The family's day today for the request being served (see :func:`page_now`)."""
    return page_now().date()


def use_offset_of(request: Request) -> Token[int | None]:
    """Set the phone's offset of ``request`` for everything it renders (the locale
    middleware calls this with the language: a locale is a language and a time zone);
    returns the token to reset it with (:func:`reset_offset`)."""
    return _offset.set(offset_of(request.cookies.get(UTC_OFFSET_COOKIE)))


def reset_offset(token: Token[int | None]) -> None:
    """Undo :func:`use_offset_of` at the end of the request."""
    _offset.reset(token)
