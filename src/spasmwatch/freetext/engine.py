"""The reader behind "In your own words", the same for every language: a description is
lower-cased (and, where the language says so, its accents dropped), cut into clauses, and
each language's phrase lists are matched in it, with negation ("no fever", "sin fiebre": a
negation word a few words before a phrase, in the same clause), numbers in words and ranges
("five or six", "cinco o seis", their middle, or their top for a count), durations,
intervals, temperatures and the baby's age. Each field keeps the words it came from.

A language is a :class:`Language`: its tables and patterns, nothing else
(:mod:`spasmwatch.freetext.english`, :mod:`spasmwatch.freetext.spanish`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EMPTY_TEXT",
    "LONG_SEIZURE_MINUTES",
    "MAX_TEXT_CHARS",
    "TOO_LONG_TEXT",
    "Draft",
    "Language",
    "Numbers",
    "fold_accents",
    "read",
]

#: The longest description accepted (the case format's notes limit).
MAX_TEXT_CHARS = 5000
#: Why a description is refused (the API says these; a page says them in its language).
EMPTY_TEXT = "Missing value for 'text': describe what you saw"
TOO_LONG_TEXT = "Too long: 'text' may have at most {limit} characters"
#: Minutes from which a seizure is the warning sign (status epilepticus, ILAE 2015).
LONG_SEIZURE_MINUTES = 5.0

Phrases = Mapping[str, tuple[str, ...]]


class Numbers:
    """How a language writes numbers: figures ("8", "38,5") or words (``words``; ``ones``:
    a regex of articles that mean one, "a", "an"), ranges joined by ``joiners`` ("-", "to",
    "or"), and the words that may come before a number (``about``: an optional group)."""

    def __init__(
        self, words: Mapping[str, float], joiners: str, about: str, ones: str = ""
    ) -> None:
        self.words = dict(words)
        self.ones = re.compile(rf"(?:{ones})$") if ones else None
        alternatives = "|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True))
        #: One number, as a capturing group.
        self.one = (
            r"(?<![\w.])(\d+(?:[.,]\d+)?|"
            + f"(?:{alternatives}{'|' + ones if ones else ''})"
            + r"(?![a-zñ]))"
        )
        #: A number or a range: two capturing groups, the second empty for a number.
        self.range = rf"{self.one}(?:\s*(?:{joiners})\s*{self.one})?"
        self.about = about

    def value(self, token: str | None) -> float | None:
        """A number's value (``None`` when it is not one)."""
        if token is None:
            return None
        token = token.strip()
        if token in self.words:
            return float(self.words[token])
        if self.ones is not None and self.ones.match(token):
            return 1.0
        try:
            return float(token.replace(",", "."))
        except ValueError:
            return None

    def range_value(self, low: str | None, high: str | None, whole: bool) -> float | None:
        """A range's value: its top for a count (``whole``, the cautious side), else its
        middle; a single number as it is."""
        a, b = self.value(low), self.value(high)
        if a is None:
            return None
        if b is None:
            return a
        return max(a, b) if whole else (a + b) / 2


@dataclass(frozen=True)
class Language:
    """One language's tables: what the reader matches, and how its words are read.

    The phrase lists map a case-format word to regular expressions on the folded text
    (lower case, with :attr:`fold`). Numeric patterns give the number (or range) as groups
    1 and 2 and the unit as group 3; a named group ``half`` adds a half ("un minuto y
    medio"). An age pattern names its number ``n`` (absent: one), its unit ``unit`` (absent:
    years), and may add ``n2`` ``unit2`` ("un año y dos meses") or ``half``.
    """

    code: str
    fold: Callable[[str], str]
    numbers: Numbers
    #: Negation words, each with how many words before a phrase it reaches.
    negations: tuple[tuple[re.Pattern[str], int], ...]
    clause_end: re.Pattern[str]
    movements: Phrases
    states: Phrases
    #: The first state found (in this order) wins.
    state_order: tuple[str, ...]
    triggers: Phrases
    red_flags: Phrases
    stops: Mapping[tuple[str, str], tuple[str, ...]]
    after: Phrases
    count_patterns: tuple[tuple[str, bool], ...]
    once: tuple[str, ...]
    twice: tuple[str, ...]
    interval: tuple[str, ...]
    duration: str
    duration_split: str
    #: Before (up to 24 characters) or after (up to 8) a duration: it is not one.
    duration_skip_before: re.Pattern[str]
    duration_skip_after: re.Pattern[str]
    #: A unit's length in seconds (1: a movement's seconds; more: an episode's minutes).
    unit_seconds: Callable[[str], float]
    fever: tuple[str, ...]
    spoken_temperature: Callable[[str], float | None]
    seizure_words: str
    #: Minutes in a sentence, as a range in groups 1 and 2.
    minutes: str
    less_than: re.Pattern[str]
    not_after: re.Pattern[str]
    ages: tuple[str, ...]
    age_unit: Callable[[str], float]
    age_skip_before: re.Pattern[str]
    age_skip_after: re.Pattern[str]
    #: Red flags whose phrases carry their own negation ("not breathing", "won't wake"):
    #: a negation inside the phrase is part of it.
    self_negated: tuple[str, ...] = ()
    #: Movements whose plainest phrases ("twitch", "jerks") also appear inside another
    #: movement's phrase ("mouth twitches"): there they count for the other movement only.
    generic: tuple[str, ...] = ()
    #: A negation said after the word ("fiebre: no", "morado tampoco").
    negated_after: re.Pattern[str] | None = None
    #: Fever named without a temperature ("she has a fever", "no fever", "sin fiebre"):
    #: nothing for the form's temperature, but said back (:attr:`Draft.mentioned`).
    fever_words: tuple[str, ...] = ()
    #: Phrases that deny a fever by themselves ("fever-free", "non-febrile", "fever:
    #: none", "libre de fiebre"): :attr:`Draft.mentioned`'s ``no_fever``.
    fever_denied: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """A draft episode and, for each field, the words it came from.

    Attributes
    ----------
    episode
        The draft, in the case format (it may lack ``movements``: the caregiver confirms).
    evidence
        Field -> the phrases of the text it was taken from.
    child
        What the text says of the child: ``age_months`` when it gives the baby's age.
    mentioned
        What the text says that fills no field, with its words, for the caregiver to see
        that it was read: ``no_fever`` ("no fever", "sin fiebre": the temperature stays
        empty) and ``fever_unmeasured`` (a fever without a temperature: the form asks for
        one).
    """

    episode: dict[str, Any]
    evidence: dict[str, list[str]] = field(default_factory=dict)
    child: dict[str, Any] = field(default_factory=dict)
    mentioned: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"episode": ..., "evidence": ..., "child": ..., "mentioned":
        ...}``."""
        return {
            "episode": self.episode,
            "evidence": self.evidence,
            "child": self.child,
            "mentioned": self.mentioned,
        }


def fold_accents(text: str) -> str:
    """Lower case without accents, "ñ" kept, one character for one ("Bebé" -> "bebe"), so
    that a match's place is its place in the text as typed."""
    out = []
    for c in text:
        low = c.lower()
        if len(low) != 1:
            low = c
        out.append(low if low == "ñ" else unicodedata.normalize("NFD", low)[0])
    return "".join(out).replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")


class _Text:
    """The folded text with its clauses, for matching with negation."""

    def __init__(self, text: str, lang: Language) -> None:
        self.raw = text
        self.lang = lang
        self.low = lang.fold(text)
        self.bounds = [m.end() for m in lang.clause_end.finditer(self.low)]

    def clause_start(self, pos: int) -> int:
        start = 0
        for b in self.bounds:
            if b <= pos:
                start = b
            else:
                break
        return start

    def negated(self, start: int, end: int | None = None) -> bool:
        words = self.low[self.clause_start(start) : start].split()
        for pattern, reach in self.lang.negations:
            if pattern.search(" ".join(words[-reach:])):
                return True
        after = self.lang.negated_after
        return end is not None and after is not None and bool(after.match(self.low, end))

    def owns_negation(self, m: re.Match[str]) -> bool:
        return any(p.search(m.group(0)) for p, _ in self.lang.negations)

    def find(self, patterns: tuple[str, ...], negatable: bool = True) -> list[re.Match[str]]:
        found = []
        for pattern in patterns:
            for m in re.finditer(pattern, self.low):
                if negatable and self.negated(m.start(), m.end()):
                    continue
                found.append(m)
        return sorted(found, key=lambda m: m.start())

    def words(self, m: re.Match[str]) -> str:
        return self.raw[m.start() : m.end()]


def _vocab(t: _Text, phrases: Phrases, evidence: dict[str, list[str]], name: str) -> list[str]:
    matches: dict[str, list[re.Match[str]]] = {}
    for word, patterns in phrases.items():
        self_negated = name == "red_flags" and word in t.lang.self_negated
        found = t.find(patterns, negatable=not self_negated)
        if self_negated:
            found = [m for m in found if not t.negated(m.start()) or t.owns_negation(m)]
        if found:
            matches[word] = found
    for word in t.lang.generic if name == "movements" else ():
        others = [m.span() for w, ms in matches.items() if w not in t.lang.generic for m in ms]
        kept = [
            m
            for m in matches.get(word, [])
            if not any(a < m.end() and m.start() < b for a, b in others)
        ]
        if kept:
            matches[word] = kept
        else:
            matches.pop(word, None)
    for found in matches.values():
        evidence.setdefault(name, []).extend(t.words(m) for m in found)
    return list(matches)


def _g(m: re.Match[str], i: int) -> str | None:
    """Group ``i`` of ``m``, or None when the pattern has fewer groups."""
    return m.group(i) if i <= (m.re.groups or 0) else None


def _half(m: re.Match[str]) -> float:
    """0.5 when the match says "and a half" (its named group ``half``)."""
    return 0.5 if "half" in m.re.groupindex and m.group("half") else 0.0


def _first(
    t: _Text, patterns: tuple[str, ...], value: Callable[[re.Match[str]], float | None]
) -> tuple[float, str] | None:
    for m in t.find(patterns):
        v = value(m)
        if v is not None:
            return v, t.words(m)
    return None


def read(text: str, lang: Language) -> Draft:
    """A draft episode from ``text``, read with ``lang``'s tables.

    Raises
    ------
    ValueError
        If ``text`` is empty or longer than :data:`MAX_TEXT_CHARS`.
    """
    if not text or not text.strip():
        raise ValueError(EMPTY_TEXT)
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(TOO_LONG_TEXT.format(limit=MAX_TEXT_CHARS))
    t = _Text(text, lang)
    ev: dict[str, list[str]] = {}
    episode: dict[str, Any] = {}

    movements = _vocab(t, lang.movements, ev, "movements")
    if movements:
        episode["movements"] = movements
    for state in lang.state_order:
        found = t.find(lang.states[state])
        if found:
            episode["state"] = state
            ev["state"] = [t.words(m) for m in found]
            break
    for name, phrases in (("triggers", lang.triggers), ("red_flags", lang.red_flags)):
        words = _vocab(t, phrases, ev, name)
        if words:
            episode[name] = words
    for (name, word), patterns in lang.stops.items():
        if name not in episode and (found := t.find(patterns, negatable=False)):
            episode[name] = word
            ev[name] = [t.words(m) for m in found]
    after = _vocab(t, lang.after, ev, "after")
    if after:
        episode["after"] = after

    _numbers(t, episode, ev)
    _long_seizure(t, episode, ev)
    episode["notes"] = text.strip()[:MAX_TEXT_CHARS]
    child: dict[str, Any] = {}
    _age(t, child, ev)
    mentioned = {} if "fever_c" in episode else _fever_named(t)
    return Draft(episode=episode, evidence=ev, child=child, mentioned=mentioned)


def _fever_named(t: _Text) -> dict[str, list[str]]:
    """Fever named without a temperature, denied (``no_fever``: a negation before it, or a
    phrase that denies it, "fever-free", "libre de fiebre") or not (``fever_unmeasured``),
    each with its words from the start of its clause, or from the end of the one said
    before it ("no tiene fiebre"), so that what the reader understood is shown, not
    dropped. A fever word with a number just after it is neither: the number is a
    temperature that the reader did not take ("had a temp, 37.9"), and "your words give
    no temperature" would be wrong."""
    denied = t.find(t.lang.fever_denied, negatable=False)
    found = [(m, "no_fever") for m in denied]
    for m in t.find(t.lang.fever_words, negatable=False):
        if any(d.start() < m.end() and m.start() < d.end() for d in denied):
            continue
        if _NUMBER_AFTER.match(t.low, m.end()):
            continue
        found.append((m, "no_fever" if t.negated(m.start(), m.end()) else "fever_unmeasured"))
    out: dict[str, list[str]] = {}
    said_to = 0
    for m, kind in sorted(found, key=lambda f: f[0].start()):
        start, end = max(t.clause_start(m.start()), said_to), m.end()
        after = t.lang.negated_after.match(t.low, end) if t.lang.negated_after else None
        end = after.end() if after else end  # "fiebre: no"
        out.setdefault(kind, []).append(t.raw[start:end].strip(" ,;:.\n\t"))
        said_to = end
    return out


#: A number just after a fever word ("temp, 37.9", "fiebre 38"): a temperature.
_NUMBER_AFTER = re.compile(r"[\s,:=-]*(?:\w+\s+){0,2}?\d")


def _long_seizure(t: _Text, episode: dict[str, Any], ev: dict[str, list[str]]) -> None:
    """The warning sign ``seizure_5_minutes``: a sentence that speaks of a seizure (fit,
    convulsion, shaking, jerking, stiffening, "would not stop") and of 5 minutes or more
    (jerks in sleep that stop when the baby is woken are not counted)."""
    if episode.get("stops_when_woken") == "yes":
        return
    lang = t.lang
    for sentence in re.finditer(r"[^.!?\n]+", t.low):
        start, text = sentence.start(), sentence.group(0)
        seizure = [
            m for m in re.finditer(lang.seizure_words, text) if not t.negated(start + m.start())
        ]
        if not seizure:
            continue
        for m in re.finditer(lang.minutes, text):
            value = lang.numbers.range_value(m.group(1), m.group(2), False)
            if value is None or value < LONG_SEIZURE_MINUTES:
                continue
            after = text[m.end() : m.end() + 8]
            if lang.less_than.search(text[: m.start()]) or lang.not_after.match(after):
                continue
            flags = episode.setdefault("red_flags", [])
            if "seizure_5_minutes" not in flags:
                flags.append("seizure_5_minutes")
            a = min(seizure[0].start(), m.start())
            b = max(seizure[0].end(), m.end())
            ev.setdefault("red_flags", []).append(t.raw[start + a : start + b])
            return


def _numbers(t: _Text, episode: dict[str, Any], ev: dict[str, list[str]]) -> None:
    """Count, interval, durations and fever."""
    lang, numbers = t.lang, t.lang.numbers

    def amount(m: re.Match[str], whole: bool = False) -> float | None:
        value = numbers.range_value(_g(m, 1), _g(m, 2), whole)
        return None if value is None else value + _half(m)

    intervals = _first(
        t, lang.interval, lambda m: (amount(m) or 0) * lang.unit_seconds(m.group(3)) or None
    )
    interval_spans = [(m.start(), m.end()) for m in t.find(lang.interval)]
    if intervals:
        episode["interval_seconds"], words = intervals
        ev["interval_seconds"] = [words]

    count = None
    for pattern, whole in lang.count_patterns:
        count = _first(t, (pattern,), lambda m, w=whole: amount(m, w))
        if count:
            break
    if count is None:
        count = _first(t, lang.once, lambda m: 1.0) or _first(t, lang.twice, lambda m: 2.0)
    if count and 1 <= count[0] <= 10000 and count[0] == int(count[0]):
        episode["count"] = int(count[0])
        ev["count"] = [count[1]]

    for m in t.find((lang.duration_split,)):
        value = numbers.range_value(m.group(1), m.group(2), False)
        if value:
            episode["movement_seconds"] = round(value, 2)
            ev["movement_seconds"] = [t.words(m)]
            break
    for m in t.find((lang.duration,)):
        if any(a <= m.start() < b for a, b in interval_spans):
            continue
        before = t.low[max(0, m.start() - 24) : m.start()]
        after = t.low[m.end() : m.end() + 8]
        if lang.duration_skip_before.search(before) or lang.duration_skip_after.search(after):
            continue
        value = amount(m)
        if value is None or value <= 0:
            continue
        seconds = lang.unit_seconds(m.group(3))
        if seconds == 1:
            if "movement_seconds" not in episode and value < 120:
                episode["movement_seconds"] = round(value, 2)
                ev["movement_seconds"] = [t.words(m)]
        elif "episode_minutes" not in episode and value * seconds / 60 <= 1440:
            episode["episode_minutes"] = round(value * seconds / 60, 2)
            ev["episode_minutes"] = [t.words(m)]

    for m in t.find(lang.fever):
        spoken = lang.spoken_temperature(m.group(1))
        value = spoken if spoken is not None else numbers.value(m.group(1))
        unit = (m.group(2) or "") if m.re.groups >= 2 else ""
        if value is None:
            continue
        if value > 50 or "f" in unit:
            value = (value - 32) * 5 / 9
        if 34 <= value <= 44:
            episode["fever_c"] = round(value, 1)
            ev["fever_c"] = [t.words(m)]
            break


def _age(t: _Text, child: dict[str, Any], ev: dict[str, list[str]]) -> None:
    """The baby's age in months, from the first phrase that gives it ("4 months old", "de 4
    meses", "10 weeks", "she's 1", "tiene un año y dos meses")."""
    lang, numbers = t.lang, t.lang.numbers
    for m in t.find(lang.ages, negatable=False):
        before = t.low[max(0, m.start() - 24) : m.start()]
        if lang.age_skip_before.search(before) or lang.age_skip_after.match(t.low, m.end()):
            continue
        groups = m.groupdict()
        n = numbers.value(groups["n"]) if groups.get("n") else 1.0
        unit = lang.age_unit(groups["unit"]) if groups.get("unit") else 12.0
        if n is None:
            continue
        months = (n + _half(m)) * unit
        if groups.get("n2") and groups.get("unit2"):
            months += (numbers.value(groups["n2"]) or 0) * lang.age_unit(groups["unit2"])
        if 0 < months <= 216:
            child["age_months"] = round(months, 1)
            ev["age_months"] = [t.words(m)]
            return
