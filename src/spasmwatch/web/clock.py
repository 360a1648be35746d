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

from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["UTC_OFFSET_COOKIE", "ClockMiddleware", "offset_of", "page_now", "page_today"]

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


def page_now(server_now: datetime | None = None) -> datetime:
    """The family's wall-clock time now (naive, to the second) for the request being
    served: UTC plus the phone's offset when the request carried one, else the server's
    clock (``server_now``, default now)."""
    minutes = _offset.get()
    if minutes is None:
        return (server_now or datetime.now()).replace(microsecond=0)
    utc = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    return utc + timedelta(minutes=minutes)


def page_today() -> date:
    """The family's day today for the request being served (see :func:`page_now`)."""
    return page_now().date()


class ClockMiddleware:
    """Sets the phone's offset from UTC of each request, for everything it renders."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _offset.set(offset_of(Request(scope).cookies.get(UTC_OFFSET_COOKIE)))
        try:
            await self.app(scope, receive, send)
        finally:
            _offset.reset(token)
