"""Languages: the catalogs, the choice of a language, and dates and numbers in it.

Messages are marked in the usual gettext way (``_("...")`` in Python, ``{% trans %}`` and
``_()`` in templates); the English text is the message id. The triage engine's texts
(reasons, advice, titles, what it could be) and the case vocabularies stay English in
results and in the database, with their rule ids and levels; they are translated when they
are shown, by their English text, so the meaning is the same in every language.

The catalogs are ``src/spasmwatch/locale/<lang>/LC_MESSAGES/messages.po`` (committed). They
are compiled in memory when first used, so a fresh clone needs no build step. See
``docs/languages.md`` for adding a language.
"""

from __future__ import annotations

import functools
import io
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

__all__ = [
    "AGE_STEPS",
    "DEFAULT_LOCALE",
    "LANGUAGE_NAMES",
    "LANGUAGE_VARIABLES",
    "LOCALES",
    "LOCALE_DIR",
    "N_",
    "SEEN_DAY_PATTERN",
    "english",
    "english_n",
    "format_day",
    "format_number",
    "format_plain",
    "format_significant",
    "format_when",
    "match_message",
    "message_pattern",
    "negotiate",
    "said_value",
    "say_message",
    "terminal_language",
    "time_ago",
    "translate_result",
    "translations",
    "warning_sign_seen",
    "when_logged",
]


def N_(message: str) -> str:
    """Marks a text for the catalogs (``spasmwatch.i18n.catalog``) without translating
    it: results and tables keep the English text, which is translated where it is shown."""
    return message


#: Where the catalogs live (``<lang>/LC_MESSAGES/messages.po``).
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LOCALE = "en"
#: The languages offered, in the order of the switch; English is the source language.
LOCALES: tuple[str, ...] = ("en", "es")
#: Each language's name in itself, for the switch.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


@cache
def translations(locale: str) -> NullTranslations:
    """The translations of ``locale`` (English and unknown languages: none, the ids stay)."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not po.is_file():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    # Fuzzy entries are drafts: never shown (the English text is shown instead).
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def _offered(tag: str) -> str | None:
    tag = tag.strip().replace("_", "-").lower()
    if not tag:
        return None
    base = tag.split("-")[0]
    return base if base in LOCALES else None


#: The environment variables that name a terminal's language, in the order gettext reads
#: them (POSIX's LC_ALL, LC_MESSAGES and LANG, after GNU's LANGUAGE, a list by preference).
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _locale_name(value: str) -> str | None:
    """The language of a POSIX locale name (``es_ES.UTF-8``, ``es_AR@euro``, ``es``), when
    spasmwatch has it; None for ``C``, ``POSIX`` and the languages it has not."""
    return _offered(value.split(".")[0].split("@")[0])


def terminal_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the terminal's messages, as gettext reads it from ``environ`` (the
    process's environment by default): the first of :data:`LANGUAGE_VARIABLES` that is
    set decides (``LANG=es_ES.UTF-8`` is Spanish; ``C``, ``POSIX`` and a language
    spasmwatch does not have are English), except that ``LANGUAGE``, a list of languages
    by preference (``ca:es``), counts only where it names one that spasmwatch has, and,
    as GNU gettext has it, not where the locale itself is ``C`` or ``POSIX`` (or none is
    set: the C locale), which asks for untranslated messages.

    A family whose computer speaks Spanish gets the command line in Spanish without
    having to find ``--lang es`` first; ``--lang`` still chooses for one command."""
    env = os.environ if environ is None else environ
    own = next((env[n].strip() for n in LANGUAGE_VARIABLES[1:] if env.get(n, "").strip()), "")
    c_locale = own.split(".")[0].split("@")[0] in ("", "C", "POSIX")
    for name in LANGUAGE_VARIABLES:
        value = env.get(name, "").strip()
        if not value:
            continue
        if name == "LANGUAGE":
            if c_locale:
                continue
            found = (_locale_name(entry) for entry in value.split(":") if entry.strip())
            if (locale := next((f for f in found if f is not None), None)) is not None:
                return locale
            continue
        return _locale_name(value) or DEFAULT_LOCALE
    return DEFAULT_LOCALE


def negotiate(chosen: str | None, accept_language: str | None) -> str:
    """The language of a request: the one ``chosen`` with the switch (a cookie), else the
    browser's first offered one (``Accept-Language``, by quality), else English."""
    if chosen and (locale := _offered(chosen)):
        return locale
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and (locale := _offered(tag)):
            ranked.append((-quality, i, locale))
    return min(ranked)[2] if ranked else DEFAULT_LOCALE


@functools.lru_cache(maxsize=32)
def _babel_locale(locale: str) -> Locale:
    # Cached: a page formats dozens of dates and numbers, each naming its locale.
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LOCALE)


# The formats below are pure functions of their arguments; a page shows the same few
# times and numbers many times over (a timeline of 20 episodes formats some 100 of them),
# and Babel's formatting is a good part of a page's rendering time.
def format_when(value: datetime, locale: str, pattern: str = "EEE dd MMM y, HH:mm") -> str:
    """A day and time (default ``Wed 02 Dec 2026, 05:46`` in English) in ``locale``'s
    words; ``pattern`` is a CLDR pattern."""
    # The time as written, whatever its zone (the pattern shows none): the cache's key is
    # that wall time, as two equal instants in different zones read differently.
    return _format_wall_time(value.replace(tzinfo=None), locale, pattern)


@functools.lru_cache(maxsize=4096)
def _format_wall_time(value: datetime, locale: str, pattern: str) -> str:
    return format_datetime(value, pattern, locale=_babel_locale(locale))


def format_day(value: date, locale: str, pattern: str = "dd MMM") -> str:
    """A day (default ``02 Dec``) in ``locale``'s words."""
    # Babel reads the day of a datetime as written; so does the cache's key.
    day = value.date() if isinstance(value, datetime) else value
    return _format_day(day, locale, pattern)


@functools.lru_cache(maxsize=4096)
def _format_day(value: date, locale: str, pattern: str) -> str:
    return format_date(value, pattern, locale=_babel_locale(locale))


#: Languages that group the thousands only from five integer digits on: CLDR's
#: ``minimumGroupingDigits`` of 2 for Spanish, and the RAE's Ortografia (2010): "5888",
#: but "15 888". Babel does not read that CLDR field, so it is kept here.
_MIN_GROUPING_DIGITS = {"es": 2}


def _grouping(pattern: str, value: float, locale: str) -> str:
    """``pattern`` without its thousands grouping where ``locale`` leaves ``value``'s
    integer part ungrouped (:data:`_MIN_GROUPING_DIGITS`)."""
    least = _MIN_GROUPING_DIGITS.get(_babel_locale(locale).language, 1)
    if least > 1 and math.isfinite(value) and abs(value) < 10 ** (2 + least):
        return pattern.replace("#,##0", "0")
    return pattern


@functools.lru_cache(maxsize=4096, typed=True)
def format_number(value: float | int, locale: str, digits: int | None = None) -> str:
    """A number with ``locale``'s decimal sign (``1.5`` in English, ``1,5`` in Spanish):
    up to 3 decimals, or exactly ``digits`` (``38.0`` with 1); thousands grouped as the
    language groups them (``1,024`` in English; ``1024`` but ``15.888`` in Spanish)."""
    pattern = "#,##0.###" if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    pattern = _grouping(pattern, float(value), locale)
    return format_decimal(value, format=pattern, locale=_babel_locale(locale))


def format_plain(value: float, locale: str, digits: int) -> str:
    """``value`` with exactly ``digits`` decimals in ``locale``'s way (``1,5`` in Spanish),
    English as Python writes it, without a thousands separator (``1024.5``): the way the
    analyses' pictures and summaries have always written their seconds in English."""
    if locale == DEFAULT_LOCALE:
        return f"{value:.{digits}f}"
    return format_number(value, locale, digits)


def format_significant(value: float, locale: str, digits: int = 3) -> str:
    """A measure to ``digits`` significant digits with ``locale``'s decimal sign, as
    ``%.3g`` gives it in English (``0.0123``; ``0,0123`` in Spanish), never in exponent
    form."""
    if value == 0 or not math.isfinite(value):
        return format_number(value, locale) if math.isfinite(value) else str(value)
    rounded = float(f"{value:.{digits}g}")
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    pattern = _grouping("#,##0" + ("." + "#" * decimals if decimals else ""), rounded, locale)
    return format_decimal(rounded, format=pattern, locale=_babel_locale(locale))


def translate_result(result: dict[str, Any], locale: str) -> dict[str, Any]:
    """A triage result (``TriageResult.to_dict()``) with its texts in ``locale``.

    Only the words change: the level, the rule ids, the episodes, the sources and the
    rules version are kept as they are, so the answer means the same in every language.
    """
    gettext = translations(locale).gettext
    out = dict(result)
    if "title" in out:
        out["title"] = gettext(out["title"])
    out["advice"] = [gettext(line) for line in result.get("advice", [])]
    out["reasons"] = [
        {**reason, "text": gettext(reason["text"])} for reason in result.get("reasons", [])
    ]
    out["possibilities"] = [
        {**p, "label": gettext(p["label"])} for p in result.get("possibilities", [])
    ]
    if result.get("note"):
        out["note"] = gettext(result["note"])
    return out


def english(message: str) -> str:
    """English, the source language: a message as it is (the ``gettext`` of English)."""
    return message


def english_n(singular: str, plural: str, n: int) -> str:
    """English plurals: ``singular`` for one, else ``plural`` (the ``ngettext`` of
    English)."""
    return singular if n == 1 else plural


#: How a past day is said: up to ``max_days`` days ago in ``unit`` (days, then weeks,
#: months, years), counted as whole ``days_per_unit``; each count is then at least 2 ("2
#: weeks ago", never "1 weeks ago"). The episode form's live answer (``static/warning.js``)
#: reads the same steps from the page (``data-age-steps``).
AGE_STEPS: tuple[tuple[int | None, str, float], ...] = (
    (13, "day", 1),
    (60, "week", 7),
    (730, "month", 30.4375),
    (None, "year", 365.25),
)


def _days_before(at: datetime | str, today: date) -> tuple[date, int]:
    """The day of ``at`` as written, and how many days before ``today`` it was."""
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    return when.date(), (today - when.date()).days


def _age_unit(days: int) -> tuple[str, int]:
    """How a past ``days`` is said: ``("days", n)``, weeks, months or years (``n`` >= 2)."""
    for max_days, unit, per in AGE_STEPS:
        if max_days is None or days <= max_days:
            return unit + "s", int(days // per)
    raise AssertionError("AGE_STEPS ends with an open step")  # pragma: no cover


def time_ago(
    at: datetime | str,
    today: date,
    gettext: Callable[[str], str] = english,
    ngettext: Callable[[str, str, int], str] = english_n,
) -> str:
    """How long before ``today`` the day of ``at`` was, in the words of ``gettext`` and
    ``ngettext``: "today", "yesterday", "5 days ago", "3 weeks ago", "4 months ago", "2
    years ago" (the same steps as :func:`when_logged`; a day after ``today`` is today)."""
    _day, days = _days_before(at, today)
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    unit, n = _age_unit(days)
    if unit == "days":
        words = ngettext("%(n)s day ago", "%(n)s days ago", n)
    elif unit == "weeks":
        words = ngettext("%(n)s week ago", "%(n)s weeks ago", n)
    elif unit == "months":
        words = ngettext("%(n)s month ago", "%(n)s months ago", n)
    else:
        words = ngettext("%(n)s year ago", "%(n)s years ago", n)
    return words % {"n": n}


#: How a warning sign's day is written in ``locale``'s words (as a page writes a day with
#: its year: "12 Nov 2026", "12 nov 2026").
SEEN_DAY_PATTERN = "d MMM y"


def _seen_day(day: date, locale: str | None) -> str:
    """``day`` in ``locale``'s words, or ISO without a locale (the terminal; the pages and
    the report give theirs)."""
    return day.isoformat() if locale is None else format_day(day, locale, SEEN_DAY_PATTERN)


def when_logged(
    at: datetime | str,
    today: date,
    gettext: Callable[[str], str] = english,
    locale: str | None = None,
) -> str:
    """When the newest episode behind a triage reason started, as a sentence in
    ``gettext``'s language: "Last seen 3 weeks ago, on 2026-11-12." (its day as written,
    and how long before ``today``; a start after ``today``, a phone ahead of the server, is
    said as today). The day is ISO, or in ``locale``'s words when one is given (a page's:
    "on 12 Nov 2026", "el 12 nov 2026").

    ``at`` is a reason's ``last_episode_at`` (a datetime, or its ISO text in a result)."""
    day, days = _days_before(at, today)
    values: dict[str, object] = {"day": _seen_day(day, locale)}
    if days <= 0:
        return gettext("Last seen today, on %(day)s.") % values
    if days == 1:
        return gettext("Last seen yesterday, on %(day)s.") % values
    unit, n = _age_unit(days)
    values["n"] = n
    if unit == "days":
        return gettext("Last seen %(n)s days ago, on %(day)s.") % values
    if unit == "weeks":
        return gettext("Last seen %(n)s weeks ago, on %(day)s.") % values
    if unit == "months":
        return gettext("Last seen %(n)s months ago, on %(day)s.") % values
    return gettext("Last seen %(n)s years ago, on %(day)s.") % values


def warning_sign_seen(
    at: datetime | str,
    today: date,
    gettext: Callable[[str], str] = english,
    ngettext: Callable[[str, str, int], str] = english_n,
    locale: str | None = None,
) -> str:
    """The headline of an emergency answer whose warning sign is past (more than 24 h,
    :func:`spasmwatch.triage.engine.past_warning_sign`): "A warning sign was last seen 5
    weeks ago, on 2026-11-01." in ``gettext``'s language (the day as written: ISO, or in
    ``locale``'s words when one is given, as in :func:`when_logged`)."""
    day, _days = _days_before(at, today)
    ago = time_ago(at, today, gettext, ngettext)
    return gettext("A warning sign was last seen %(ago)s, on %(day)s.") % {
        "ago": ago,
        "day": _seen_day(day, locale),
    }


def messages_of(texts: Iterable[str]) -> list[str]:
    """The distinct non-empty texts, in order (for the catalog of data messages)."""
    return list(dict.fromkeys(t for t in texts if t))


#: A placeholder of a catalog message (``%(name)s``).
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
#: A value that is a decimal number as English writes it: plain (``384``, ``2.5``) or with
#: its thousands grouped (``1,024``, ``12,500.5``).
_DECIMAL = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


@functools.lru_cache(maxsize=512)
def message_pattern(template: str) -> re.Pattern[str]:
    """What a message made from ``template`` (a catalog message with ``%(name)s``
    placeholders) looks like: a whole-text pattern, each placeholder a named group."""
    parts = _PLACEHOLDER.split(template)  # text, name, text, name, ..., text
    body = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{body}$", re.S)


def said_value(
    value: str, gettext: Callable[[str], str] = english, locale: str | None = None
) -> str:
    """A value filled into an English message, in another language: a decimal number in
    ``locale``'s format, with as many decimals as written (``2.5`` -> ``2,5`` and ``1,024``
    or ``1024`` -> ``1.024`` in Spanish; as written in English or without a locale), any
    other text by ``gettext`` (a value that is a catalog message, such as ``referential``,
    in that language)."""
    if _DECIMAL.fullmatch(value):
        if locale is None or locale == DEFAULT_LOCALE:
            return value
        plain = value.replace(",", "")
        decimals = len(plain.partition(".")[2])
        number = float(plain) if decimals else int(plain)
        return format_number(number, locale, decimals)
    return gettext(value)


def say_message(
    english: str,
    templates: Iterable[str],
    gettext: Callable[[str], str] = english,
    locale: str | None = None,
) -> str:
    """``english``, a message made from one of ``templates`` (catalog messages with
    ``%(name)s`` placeholders, as the readers and analysers write their reasons), said in
    ``gettext``'s language with its values filled in (:func:`said_value`); the longest
    template that matches is taken (the more specific of two). "" when it was made from
    none of them."""
    made = match_message(english, templates)
    if made is None:
        return ""
    template, found = made
    return gettext(template) % {k: said_value(v, gettext, locale) for k, v in found.items()}


def match_message(english: str, templates: Iterable[str]) -> tuple[str, dict[str, str]] | None:
    """The template of ``templates`` that ``english`` was made from, with the values filled
    into it; the longest that matches is taken (the more specific of two). ``None`` when it
    was made from none of them."""
    for template in _longest_first(tuple(templates)):
        found = message_pattern(template).match(english)
        if found is not None:
            return template, found.groupdict()
    return None


@functools.lru_cache(maxsize=64)
def _longest_first(templates: tuple[str, ...]) -> tuple[str, ...]:
    # duplicates dropped in their order, so that equal lengths keep the order given
    return tuple(sorted(dict.fromkeys(templates), key=len, reverse=True))
