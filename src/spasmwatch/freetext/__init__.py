"""'In your own words': a caregiver's description turned into a draft episode, in English
or Spanish.

Rule-based and offline: phrases are matched clause by clause (movements, what the baby was
doing, how many, how long, how often, what brought it on, fever, warning signs, what
stopped it, and the baby's age), with negation ("no fever", "she didn't turn blue", "sin
fiebre", "no se puso morado") and numbers in words ("five or six times", "thirty eight point
five", "cinco o seis veces", "treinta y ocho y medio"). The draft is shown to the caregiver
for confirmation and is never triaged silently; each field keeps the words it came from.

One reader (:mod:`spasmwatch.freetext.engine`) and each language's tables
(:mod:`spasmwatch.freetext.english`, :mod:`spasmwatch.freetext.spanish`), tuned on the
tuning halves of ``src/spasmwatch/testing/descriptions.py`` and ``descriptions_es.py``;
``benchmarks/episode_draft.py`` reports per-field precision and recall on each half.

Times as people say them ("yesterday 7:30", "hace 2 horas"), which the interview's "When did
it start?" takes, are read by :func:`spoken_time` (:mod:`spasmwatch.freetext.times`).
"""

from __future__ import annotations

from spasmwatch.freetext.engine import (
    EMPTY_TEXT,
    MAX_TEXT_CHARS,
    TOO_LONG_TEXT,
    Draft,
    Language,
    read,
)
from spasmwatch.freetext.english import COUNT_WORDS, ENGLISH
from spasmwatch.freetext.spanish import SPANISH
from spasmwatch.freetext.times import spoken_time

__all__ = [
    "COUNT_WORDS",
    "EMPTY_TEXT",
    "LANGUAGES",
    "MAX_TEXT_CHARS",
    "TOO_LONG_TEXT",
    "Draft",
    "draft_episode",
    "spoken_time",
]

#: The languages the reader reads, by code.
LANGUAGES: dict[str, Language] = {"en": ENGLISH, "es": SPANISH}


def draft_episode(text: str, lang: str = "en") -> Draft:
    """Turn a caregiver's description into a draft episode, with the words behind each field.

    Parameters
    ----------
    text
        What the caregiver saw, in their own words (at most 5,000 characters).
    lang
        The language it is written in: ``en`` or ``es`` (:data:`LANGUAGES`).

    Returns
    -------
    Draft

    Raises
    ------
    ValueError
        If ``text`` is empty or longer than :data:`MAX_TEXT_CHARS`, or ``lang`` is not read.
    """
    if lang not in LANGUAGES:
        allowed = ", ".join(LANGUAGES)
        raise ValueError(f"Invalid value for 'lang': allowed are {allowed}; got {lang!r}")
    return read(text, LANGUAGES[lang])
