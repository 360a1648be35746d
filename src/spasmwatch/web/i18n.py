"""The language of each page: chosen per request and handed to the templates.

The language is the one picked with the switch (a cookie), else the browser's
(``Accept-Language``), else English (:func:`spasmwatch.i18n.negotiate`). The templates use
``jinja2.ext.i18n``: ``{% trans %}`` blocks and ``_()`` look the message up in the
language of the page being rendered (a context variable set for the request), so one
environment serves every language at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import Environment
from starlette.types import ASGIApp, Receive, Scope, Send

from spasmwatch.errors import InvalidInput
from spasmwatch.i18n import (
    AGE_STEPS,
    DEFAULT_LOCALE,
    LANGUAGE_NAMES,
    LOCALES,
    N_,
    format_day,
    format_number,
    format_significant,
    format_when,
    negotiate,
    translations,
)
from spasmwatch.web.clock import reset_offset, use_offset_of

__all__ = [
    "LOCALE_COOKIE",
    "LocaleMiddleware",
    "current_locale",
    "day",
    "error_message",
    "gettext",
    "install",
    "locale_of",
    "moment",
    "ngettext",
    "router",
    "using",
]

#: The cookie the language switch sets (a year; not a secret, readable by scripts).
LOCALE_COOKIE = "sw_lang"
_current: ContextVar[str] = ContextVar("spasmwatch_locale", default=DEFAULT_LOCALE)

router = APIRouter(include_in_schema=False)


class LocaleMiddleware:
    """Sets the language of each request, and the phone's offset from UTC
    (:mod:`spasmwatch.web.clock`), for everything the request renders (pages, and what
    routes prepare for them such as the day chart)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = _current.set(locale_of(request))
        # the rest of the request's locale: the family's time zone (web/clock.py)
        offset = use_offset_of(request)
        try:
            await self.app(scope, receive, send)
        finally:
            reset_offset(offset)
            _current.reset(token)


def locale_of(request: Request) -> str:
    """The language of this request (switch cookie, else browser, else English)."""
    return negotiate(request.cookies.get(LOCALE_COOKIE), request.headers.get("accept-language"))


def current_locale() -> str:
    """The language of the page being rendered."""
    return _current.get()


@contextmanager
def using(locale: str) -> Iterator[None]:
    """Render in ``locale`` inside the block."""
    token = _current.set(locale)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """``message`` in the language of the page being rendered."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` for ``n``, in the language of the page being rendered."""
    return translations(_current.get()).ngettext(singular, plural, n)


def error_message(exc: Exception) -> str:
    """An error's message for a page: one with placeholders (an
    :class:`~spasmwatch.errors.InvalidInput` with ``params``) in the language of the page,
    filled in with its values; any other as it is (the error page looks a fixed message up
    in the catalogs itself)."""
    if isinstance(exc, InvalidInput) and exc.params:
        try:
            return gettext(exc.message) % exc.params
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
            return str(exc)
    return str(exc)


def day(value: date, pattern: str = "dd MMM") -> str:
    """A day (default ``02 Dec``) in the language of the page being rendered."""
    return format_day(value, _current.get(), pattern)


def when(value: str | datetime | None) -> str:
    if not value:
        return gettext("time not given")
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_when(dt, _current.get())


def _day(value: str | date | None, pattern: str = "dd MMM") -> str:
    if not value:
        return ""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return format_day(day, _current.get(), pattern)


def number(value: Any, digits: int | None = None) -> str:
    """A number in the language of the page: up to 3 decimals, or exactly ``digits``."""
    if value is None or value == "":
        return ""
    try:
        as_number = float(value) if not isinstance(value, int) else value
        return format_number(as_number, _current.get(), digits)
    except (TypeError, ValueError):
        return str(value)


def significant(value: Any, digits: int = 3) -> str:
    """A measure to ``digits`` significant digits in the language of the page."""
    try:
        return format_significant(float(value), _current.get(), digits)
    except (TypeError, ValueError):
        return str(value)


def moment(value: datetime, pattern: str = "dd MMM y HH:mm") -> str:
    """A day and time (default ``20 Nov 2026 07:05``) in the language of the page."""
    return format_when(value, _current.get(), pattern)


def install(env: Environment) -> None:
    """Give the templates ``_``, ``{% trans %}``, the language and localised formats."""
    env.add_extension("jinja2.ext.i18n")
    # Whitespace inside {% trans %} blocks is collapsed: the message ids do not depend on
    # how a template is indented (the catalog is extracted the same way).
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]
    # ``_`` is the function itself: the extension's alias takes the template's context and
    # looks ``gettext`` up in it, so inside a loop every ``_()`` built a new context, a copy
    # of all the page's variables (about a tenth of a child page's time).
    env.globals["_"] = gettext
    env.globals.update(
        current_locale=current_locale,
        LOCALES=LOCALES,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        # Marks a text for the catalog where it is translated later (a macro argument).
        N_=N_,
        # "3 weeks ago": the steps of spasmwatch.i18n.time_ago, for static/warning.js
        AGE_STEPS_JSON=json.dumps(AGE_STEPS),
    )
    env.filters.update(when=when, day=_day, number=number, significant=significant, moment=moment)


@router.get("/language/{locale}")
def switch_language(locale: str, next: str = "/") -> Response:
    """The language switch: remember the choice and go back to the page."""
    # Only a path of this site: never a redirect elsewhere.
    safe = next.startswith("/") and not next.startswith("//") and "\\" not in next
    target = next if safe else "/"
    response = RedirectResponse(target, status_code=303)
    if locale in LOCALES:
        response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax")
    return response
