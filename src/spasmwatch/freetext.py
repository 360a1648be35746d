"""'In your own words': a caregiver's description turned into a draft episode.

Rule-based and offline: phrases are matched clause by clause (movements, what the baby was
doing, how many, how long, how often, what brought it on, fever, warning signs, what
stopped it), with negation ("no fever", "she didn't turn blue", "never stopped breathing")
and numbers in words ("five or six times", "thirty eight point five"). The draft is shown to
the caregiver for confirmation and is never triaged silently; each field keeps the words it
came from.

The phrase lists were written from the clinical reference's vocabulary and tuned on the
tuning half of ``src/spasmwatch/testing/descriptions.py``; ``benchmarks/episode_draft.py`` reports
per-field precision and recall on both halves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MAX_TEXT_CHARS", "Draft", "draft_episode"]

#: The longest description accepted (the case format's notes limit).
MAX_TEXT_CHARS = 5000

_HIS = r"(?:his|her|their|the|my|baby'?s)"
_HE = r"(?:he|she|they|baby|the baby|my baby|it)"
#: Counts written in English words, as both this reader and the interview's number fields
#: (:mod:`spasmwatch.interview`) read them; each adds its own phrasings.
COUNT_WORDS: dict[str, float] = {
    "zero": 0, "half": 0.5, "one": 1, "two": 2, "a couple": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "half a dozen": 6, "a dozen": 12, "dozen": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "a hundred": 100, "hundred": 100,
}  # fmt: skip
_WORDS = {**COUNT_WORDS, "half a": 0.5, "a single": 1, "a couple of": 2}
_NUM = (
    r"(?<![\w.])(\d+(?:[.,]\d+)?|"
    + "(?:"
    + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True))
    + r"|an?)(?![a-z]))"
)
_RANGE = rf"{_NUM}(?:\s*(?:-|to|or)\s*{_NUM})?"
_ABOUT = (
    r"(?:(?:about|around|approximately|approx|roughly|maybe|like|some|nearly|almost|over|"
    r"up to|sometimes)\s+)?"
)

_NEGATION = re.compile(
    r"\b(?:no|not|never|without|nor|didn'?t|did not|wasn'?t|was not|isn'?t|is not|"
    r"doesn'?t|does not|hasn'?t|has not|haven'?t|weren'?t|don'?t|dont|didnt|wasnt|isnt|"
    r"doesnt|hasnt|neither)\b"
)
#: How many words before a phrase a negation reaches.
NEGATION_WORDS = 5
_CLAUSE_END = re.compile(r"[.!?;,\n()]|\bbut\b|\bthen\b|\bthough\b|\balthough\b")


def _num(token: str | None) -> float | None:
    if token is None:
        return None
    token = token.strip()
    if token in _WORDS:
        return float(_WORDS[token])
    if token in ("a", "an"):
        return 1.0
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return None


def _range_value(low: str | None, high: str | None, whole: bool) -> float | None:
    a, b = _num(low), _num(high)
    if a is None:
        return None
    if b is None:
        return a
    return max(a, b) if whole else (a + b) / 2


# ---------------------------------------------------------------- phrase lists
MOVEMENT_PHRASES: dict[str, tuple[str, ...]] = {
    "head_nod": (
        r"head\s*(?:drops?|dropped|dropping|nods?|nodding|bobs?|bobbing|falls? forward)",
        rf"(?:drops?|dropped|dropping) {_HIS} head",
        r"\bnod(?:s|ding|ded)?\b(?!\s+off)",
        r"chin drops?",
        rf"bang(?:s|ing)? {_HIS} head",
    ),
    "trunk_crunch": (
        r"crunch(?:es|ing)?",
        r"bend(?:s|ing)? (?:at|from) the waist",
        r"jack\s*-?knife",
        r"folds? in half",
        r"sit(?:s|ting)? up suddenly",
    ),
    "arms_up": (
        r"arms? (?:fl(?:y|ies|ying|ung|ew)|go(?:es)? (?:up|out)|went (?:up|out)|shoot|shot|"
        r"raised?|up\b|out\b)",
        rf"(?:throws?|threw|flings?|flung|raises?|raised) (?:{_HIS}|both )?\s*arms",
    ),
    "legs_drawn_up": (
        r"knees? (?:up|to (?:his|her|the) chest)",
        r"legs? (?:draws?|drawn|drew|pull(?:s|ed)?) up",
        rf"(?:draws?|pulls?) {_HIS} legs? up",
    ),
    "arching": (r"\barch(?:es|ed|ing)?\b", r"head (?:is )?thrown back"),
    "stiffening": (
        r"\bstiff(?:en|ens|ened|ening)?\b(?!\s+neck)",
        r"\brigid\b",
        r"\btens(?:e|es|ed|ing) up\b",
    ),
    "limb_jerk": (
        r"(?:arms?|legs?|hands?|feet|foot|body|fingers?|toes?)(?: and (?:arms?|legs?))? "
        r"(?:jerk|jerks|jerked|twitch|twitches|twitched|kick|kicks|kicked)\b",
        r"(?<!and )(?:arms?|legs?) (?:keeps? )?jerking",
        r"\bjerks?\b(?! (?:rhythmically|repeatedly))",
        r"\btwi(?:t)?ch(?:es|ing)?\b",
        r"kicks? out",
    ),
    "rhythmic_jerking": (
        r"\bshak(?:e|es|ing|en)\b",
        r"\bshook\b",
        r"convuls\w*",
        r"\bfit(?:s|ting)?\b",
        r"jerk(?:s|ed|ing)? (?:rhythmically|repeatedly|all over)",
        r"rhythmic\w*",
        r"rocking back and forth",
        r"(?:arms? and legs?|whole body) (?:jerking|jerked repeatedly)",
        r"jerking (?:episode|fit|spell)s?",
    ),
    "facial_twitch": (
        r"(?:face|facial|mouth|lips?|eyebrows?|cheeks?) (?:\w+ )?(?:twitch\w*|spasms?|tics?|"
        r"goes all crazy|thing)",
        r"grimac\w*",
        r"eyebrows?(?: \w+)? (?:lifts?|raises?|twitch\w*)",
        r"\btic\b",
        r"lips? smack\w*",
        r"face (?:scrunch\w*|contort\w*)",
        r"eyebrows? twitch",
    ),
    "eye_roll_up": (r"eyes? (?:roll|rolls|rolled|rolling|go|went) (?:up|back)",),
    "eye_deviation": (
        r"eyes? (?:go|goes|went|look|looks|looked|turn|turns|turned|pulled) (?:to )?"
        r"(?:the )?(?:left|right|one side|side)",
    ),
    "eyelid_flutter": (
        r"eye\s*lids? (?:flutter|flicker|twitch)\w*",
        r"eyes? flutter\w*",
        r"blinking fast",
    ),
    "staring": (r"\bstar(?:e|es|ed|ing)\b", r"zon(?:ed|es|ing) out", r"spac(?:ed|es|ing) out"),
    "shivering": (r"\bshudder\w*", r"\bshiver\w*"),
    "neck_twist": (r"twist\w* (?:of )?(?:his |her )?neck", r"neck (?:twist\w*|turns)"),
    "tremor": (r"trembl\w*", r"quiver\w*", r"tremor\w*", r"jitter\w*"),
    "startle": (r"startl\w*", r"\bmoro\b", r"\bjump(?:s|ed)?\b", r"whole body when someone"),
    "hiccups": (r"hiccups?|hiccough\w*|hiccuping",),
}

STATE_PHRASES: dict[str, tuple[str, ...]] = {
    "drowsy": (
        r"falling asleep|falls? asleep|drifting off|dozing|going to sleep|nodding off",
        r"before (?:he|she|they) (?:falls?|goes?) (?:asleep|to sleep)",
        r"\bdrowsy\b",
    ),
    "just_woke": (
        rf"(?:after|when|once) {_HE} (?:wakes?|woke|is waking|has woken)(?: up)?",
        r"after waking|on waking|just woke|just woken|waking up in the morning",
        r"wakes? up from (?:his|her|a) nap",
    ),
    "asleep": (
        r"\basleep\b",
        rf"in {_HIS} sleep",
        r"\bsleeping\b|while (?:he|she|they) (?:is |was )?sleep\w*|rem sleep",
        r"during (?:his |her )?(?:sleep|naps?)\b",
        r"every night",
    ),
    "feeding": (
        r"during (?:a |the |his |her )?(?:feeds?|bottles?|meals?)",
        r"during and after (?:feeds|bottles)",
        r"while (?:feeding|nursing|eating|breast\s*feeding)",
        r"\bnursing\b",
        r"when (?:he|she) eats|high chair",
    ),
    "awake": (
        r"\bawake\b",
        r"\bplaying\b",
        r"(?:totally|fully|wide) (?:alert|awake)",
        r"\bsitting\b|bouncer",
        r"moving around",
        r"when (?:she|he)(?:'?s| is) (?:excited|frustrated)",
    ),
}
#: The first state (in this order) found wins: falling asleep is not sleep, and a cluster
#: on waking is not a sleep twitch.
STATE_ORDER = ("drowsy", "just_woke", "asleep", "feeding", "awake")

TRIGGER_PHRASES: dict[str, tuple[str, ...]] = {
    "feeding": (
        r"after (?:every |each |his |her |a |the )?(?:feeds?|bottles?|meals?)",
        r"during (?:and after )?(?:a |the |his |her )?(?:feeds?|bottles?)",
        r"when (?:he|she) eats|while (?:nursing|eating|feeding)|\bnursing\b|at meals|high chair",
    ),
    "rocking": (r"when (?:i|we) rock|worse when (?:i |we )?rock\w*|rock(?:ing|ed)? (?:him|her)\b",),
    "noise_or_touch": (
        r"\bnoise\w*|\bloud\b|door slam\w*|slammed",
        r"touch(?:es|ed)? (?:him|her)\b|when (?:someone|i|we) touch",
    ),
    "excitement": (r"\bexcit\w*", r"\bsmiling\b"),
    "position_change": (
        r"(?:lay|laid|put|putting|laying) (?:him|her) down",
        r"chang\w* (?:his|her) position|when (?:i|we) move (?:him|her)",
    ),
    "crying_or_upset": (
        r"when (?:he|she) cr(?:y|ies)|while crying|when crying",
        r"\bfrustrat\w*|\bupset\b",
    ),
    "bright_light": (r"bright light|sunlight|\blights?\b",),
}

RED_FLAG_PHRASES: dict[str, tuple[str, ...]] = {
    "breathing_difficulty": (
        r"(?:struggl|difficult|trouble|problem)\w* (?:to |with |in )?breath\w*",
        r"breath\w* (?:problems?|difficult\w*|funny|weird|strange|badly)",
        r"not breathing(?! normally| fine)|stopped breathing|can'?t breathe|gasp\w*",
    ),
    "blue_or_grey": (r"\bblue\b", r"\bgr[ae]y\b", r"\bdusky\b"),
    "not_back_to_normal": (
        r"not back to normal",
        r"(?:isn'?t|is not|not|wasn'?t) (?:him|her|them)sel(?:f|ves)",
        r"(?:hasn'?t|not) come round",
    ),
    "vomiting": (r"vomit\w*", r"threw up|throw(?:s|ing)? up", r"(?:been|was|is) sick\b"),
    "neck_stiffness": (r"stiff neck|neck (?:is |was |feels )?stiff",),
    "extreme_sleepiness": (
        r"(?:won'?t|wouldn'?t|can'?t|couldn'?t|cannot) wake",
        r"(?:hard|difficult|impossible) to wake",
        r"extremely sleepy|very drowsy|\bfloppy\b",
    ),
    "injury": (
        rf"bit {_HIS} tongue",
        r"hurt (?:him|her)self|injur\w*|bleed\w*|\bblood\b",
    ),
    "head_injury": (
        rf"(?:hit|bump(?:ed)?|banged) {_HIS} head",
        r"head injury",
    ),
    "rash": (r"\brash\b", r"purple spots"),
}
#: Red-flag phrases that carry their own negation ("not breathing", "won't wake"):
#: a negation inside the phrase is part of it.
_SELF_NEGATED = ("not_back_to_normal", "extreme_sleepiness", "breathing_difficulty")

STOP_PHRASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("stops_when_woken", "yes"): (
        r"stops? (?:as soon as|when) (?:i|we) (?:wake|pick)",
        r"stops? as soon as .{0,30}wakes",
    ),
    ("stops_when_woken", "no"): (
        r"(?:keeps?|kept|carr(?:y|ies|ied) on|goes on|went on) (?:going )?(?:even )?after "
        r"(?:i|we) woke",
        r"(?:wouldn'?t|won'?t|didn'?t|did not|doesn'?t) stop when (?:i|we) (?:woke|wake)",
    ),
    ("stops_when_held", "yes"): (r"stops? when (?:i|we) hold",),
    ("stops_with_distraction", "yes"): (r"stops? (?:if|when) (?:i|we) distract|distracted",),
    ("responsive", "no"): (r"(?:wasn'?t|not|didn'?t|did not|doesn'?t) respond\w*|unresponsive",),
    ("responsive", "yes"): (
        r"answers when|stays? aware|totally alert|aware the whole time|doesn'?t notice",
    ),
}

AFTER_PHRASES: dict[str, tuple[str, ...]] = {
    "cried": (r"cries after|cried after|crying (?:after|between)|and (?:he|she) cries",),
    "sleepy": (r"sleepy after|then (?:he|she)'?s? (?:is )?sleepy|was sleepy",),
    "normal": (r"then (?:was )?(?:fine|normal)|back to normal|(?:is|'s) (?:ok|okay|fine) now",),
}


# ---------------------------------------------------------------- the draft
@dataclass(frozen=True)
class Draft:
    """A draft episode and, for each field, the words it came from.

    Attributes
    ----------
    episode
        The draft, in the case format (it may lack ``movements``: the caregiver confirms).
    evidence
        Field -> the phrases of the text it was taken from.
    """

    episode: dict[str, Any]
    evidence: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"episode": ..., "evidence": ...}``."""
        return {"episode": self.episode, "evidence": self.evidence}


class _Text:
    """The lower-cased text with its clauses, for matching with negation."""

    def __init__(self, text: str) -> None:
        self.raw = text
        self.low = (
            text.lower()
            .replace("\u2019", "'")
            .replace("\u2018", "'")
            .replace("\u2013", "-")
            .replace("\u00a0", " ")
        )
        self.bounds = [m.end() for m in _CLAUSE_END.finditer(self.low)]

    def clause_start(self, pos: int) -> int:
        start = 0
        for b in self.bounds:
            if b <= pos:
                start = b
            else:
                break
        return start

    def negated(self, start: int) -> bool:
        before = self.low[self.clause_start(start) : start]
        words = before.split()[-NEGATION_WORDS:]
        return bool(_NEGATION.search(" ".join(words)))

    def find(self, patterns: tuple[str, ...], negatable: bool = True) -> list[re.Match[str]]:
        found = []
        for pattern in patterns:
            for m in re.finditer(pattern, self.low):
                if negatable and self.negated(m.start()):
                    continue
                found.append(m)
        return sorted(found, key=lambda m: m.start())

    def words(self, m: re.Match[str]) -> str:
        return self.raw[m.start() : m.end()]


#: Words whose plainest phrases ("twitch", "jerks", "jumps") also appear inside another
#: movement's phrase ("mouth twitches"): there they count for the other movement only.
_GENERIC = ("limb_jerk", "startle")


def _vocab(
    t: _Text, phrases: dict[str, tuple[str, ...]], evidence: dict[str, list[str]], name: str
) -> list[str]:
    matches: dict[str, list[re.Match[str]]] = {}
    for word, patterns in phrases.items():
        self_negated = name == "red_flags" and word in _SELF_NEGATED
        found = t.find(patterns, negatable=not self_negated)
        if self_negated:
            found = [m for m in found if not t.negated(m.start()) or _owns_negation(m)]
        if found:
            matches[word] = found
    for word in _GENERIC if name == "movements" else ():
        others = [m.span() for w, ms in matches.items() if w not in _GENERIC for m in ms]
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


def _owns_negation(m: re.Match[str]) -> bool:
    return bool(_NEGATION.search(m.group(0)))


_COUNT_PATTERNS: tuple[tuple[str, bool], ...] = (
    (rf"{_ABOUT}{_RANGE} (?:times )?in a row", True),
    (rf"(?:series|cluster|clusters|run) of {_ABOUT}{_RANGE}", True),
    (rf"{_ABOUT}{_RANGE} of them", True),
    (
        rf"{_ABOUT}{_RANGE} times\b(?! (?:a|an|per|each) )(?! every (?:day|night|morning|hour))"
        r"(?! (?:today|tonight|this))",
        True,
    ),
    (rf"{_ABOUT}(a dozen) times", True),
)
_ONCE = (
    r"\b(?:only |just )?once\b(?! (?:a|an|per) )",
    r"one at a time|a single (?:twitch|jerk|one|nod)|only one each time|one each time",
)
_TWICE = (r"\btwice\b(?! (?:a|an|per|today|this) )",)
_INTERVAL = (
    rf"every {_ABOUT}{_RANGE}\s*(s|secs?|seconds?|mins?|minutes?)\b",
    rf"one every {_ABOUT}{_RANGE}\s*(s|secs?|seconds?|mins?|minutes?)\b",
)
_DURATION = rf"{_ABOUT}{_RANGE}\s*(s|secs?|seconds?|mins?|minutes?)\b"
#: "half a second to two seconds": a range with the unit on both ends.
_DURATION_SPLIT = (
    rf"{_ABOUT}{_NUM}\s*(?:s|secs?|seconds?)\s*(?:-|to|or)\s*{_NUM}\s*(s|secs?|seconds?)\b"
)
_FEVER = (
    rf"(?:temp(?:erature)?|fever)(?: of| was| is| at)?\s*{_ABOUT}"
    r"(\d\d(?:[.,]\d+)?|\d{3}(?:[.,]\d+)?)\s*(°?\s*[cf]\b)?",
    r"(\d\d(?:[.,]\d+)?|\d{3}(?:[.,]\d+)?)\s*(°?\s*[cf]\b|degrees)\s*(?:fever|temp)?",
    r"(\d\d[.,]\d)\s+fever",
    r"(?:temp(?:erature)?|fever) of ((?:thirty|forty)[ -](?:\w+)(?: point \w+)?)",
)


def _spoken_temperature(words: str) -> float | None:
    parts = words.replace("-", " ").split()
    units = {"thirty": 30, "forty": 40}
    digits = {w: float(n) for w, n in _WORDS.items() if isinstance(n, int) and n < 10}
    if not parts or parts[0] not in units:
        return None
    value = float(units[parts[0]])
    rest = parts[1:]
    if rest and rest[0] in digits:
        value += digits[rest[0]]
        rest = rest[1:]
    if len(rest) >= 2 and rest[0] == "point" and rest[1] in digits:
        value += digits[rest[1]] / 10
    return value


def _g(m: re.Match[str], i: int) -> str | None:
    """Group ``i`` of ``m``, or None when the pattern has fewer groups."""
    return m.group(i) if i <= (m.re.groups or 0) else None


def _first(
    t: _Text, patterns: tuple[str, ...], value: Callable[[re.Match[str]], float | None]
) -> tuple[float, str] | None:
    for m in t.find(patterns):
        v = value(m)
        if v is not None:
            return v, t.words(m)
    return None


def draft_episode(text: str) -> Draft:
    """Turn a caregiver's description into a draft episode, with the words behind each field.

    Parameters
    ----------
    text
        What the caregiver saw, in their own words (at most 5,000 characters).

    Returns
    -------
    Draft

    Raises
    ------
    ValueError
        If ``text`` is empty or longer than :data:`MAX_TEXT_CHARS`.
    """
    if not text or not text.strip():
        raise ValueError("Missing value for 'text': describe what you saw")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"Too long: 'text' may have at most {MAX_TEXT_CHARS} characters")
    t = _Text(text)
    ev: dict[str, list[str]] = {}
    episode: dict[str, Any] = {}

    movements = _vocab(t, MOVEMENT_PHRASES, ev, "movements")
    if movements:
        episode["movements"] = movements
    for state in STATE_ORDER:
        found = t.find(STATE_PHRASES[state])
        if found:
            episode["state"] = state
            ev["state"] = [t.words(m) for m in found]
            break
    for name, phrases in (("triggers", TRIGGER_PHRASES), ("red_flags", RED_FLAG_PHRASES)):
        words = _vocab(t, phrases, ev, name)
        if words:
            episode[name] = words
    for (name, word), patterns in STOP_PHRASES.items():
        if name not in episode and (found := t.find(patterns, negatable=False)):
            episode[name] = word
            ev[name] = [t.words(m) for m in found]
    after = _vocab(t, AFTER_PHRASES, ev, "after")
    if after:
        episode["after"] = after

    _numbers(t, episode, ev)
    _long_seizure(t, episode, ev)
    episode["notes"] = text.strip()[:MAX_TEXT_CHARS]
    return Draft(episode=episode, evidence=ev)


#: Words for a seizure, for the warning sign "a seizure that went on for 5 minutes or more"
#: (jerks in sleep that stop when the baby is woken are not counted).
_SEIZURE_WORDS = (
    r"\b(?:seizures?|fits?|fitting|convuls\w*|shak\w*|shook|jerk\w*|stiff\w*|"
    r"would(?:n'?t| not) stop|did(?:n'?t| not) stop|kept going|going on)\b"
)
#: Minutes from which a seizure is the warning sign (status epilepticus, ILAE 2015).
LONG_SEIZURE_MINUTES = 5.0
_LESS_THAN = re.compile(r"(?:less than|under|almost|nearly|not even|not quite)\s*$")


def _long_seizure(t: _Text, episode: dict[str, Any], ev: dict[str, list[str]]) -> None:
    """The warning sign ``seizure_5_minutes``: a sentence that speaks of a seizure (fit,
    convulsion, shaking, jerking, stiffening, "would not stop") and of 5 minutes or more."""
    if episode.get("stops_when_woken") == "yes":
        return
    for sentence in re.finditer(r"[^.!?\n]+", t.low):
        start, text = sentence.start(), sentence.group(0)
        seizure = [m for m in re.finditer(_SEIZURE_WORDS, text) if not t.negated(start + m.start())]
        if not seizure:
            continue
        for m in re.finditer(rf"{_RANGE}\s*(?:mins?|minutes?)\b", text):
            value = _range_value(m.group(1), m.group(2), False)
            if value is None or value < LONG_SEIZURE_MINUTES:
                continue
            after = text[m.end() : m.end() + 8]
            if _LESS_THAN.search(text[: m.start()]) or re.match(r"\s*(?:ago|later|after)", after):
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
    intervals = _first(
        t,
        _INTERVAL,
        lambda m: (
            (_range_value(m.group(1), m.group(2), False) or 0)
            * (60 if m.group(3).startswith("m") else 1)
            or None
        ),
    )
    interval_spans = [(m.start(), m.end()) for m in t.find(_INTERVAL)]
    if intervals:
        episode["interval_seconds"], words = intervals
        ev["interval_seconds"] = [words]

    count = None
    for pattern, whole in _COUNT_PATTERNS:
        count = _first(t, (pattern,), lambda m, w=whole: _range_value(_g(m, 1), _g(m, 2), w))
        if count:
            break
    if count is None:
        count = _first(t, _ONCE, lambda m: 1.0) or _first(t, _TWICE, lambda m: 2.0)
    if count and 1 <= count[0] <= 10000 and count[0] == int(count[0]):
        episode["count"] = int(count[0])
        ev["count"] = [count[1]]

    for m in t.find((_DURATION_SPLIT,)):
        value = _range_value(m.group(1), m.group(2), False)
        if value:
            episode["movement_seconds"] = round(value, 2)
            ev["movement_seconds"] = [t.words(m)]
            break
    for m in t.find((_DURATION,)):
        if any(a <= m.start() < b for a, b in interval_spans):
            continue
        before = t.low[max(0, m.start() - 12) : m.start()]
        after = t.low[m.end() : m.end() + 8]
        if re.search(r"every\s*$", before) or re.search(r"^\s*(?:after|ago|later|old)", after):
            continue
        value = _range_value(m.group(1), m.group(2), False)
        if value is None or value <= 0:
            continue
        if m.group(3).startswith("s"):
            if "movement_seconds" not in episode and value < 120:
                episode["movement_seconds"] = round(value, 2)
                ev["movement_seconds"] = [t.words(m)]
        elif "episode_minutes" not in episode and value <= 1440:
            episode["episode_minutes"] = round(value, 2)
            ev["episode_minutes"] = [t.words(m)]

    for m in t.find(_FEVER):
        spoken = _spoken_temperature(m.group(1))
        value = spoken if spoken is not None else _num(m.group(1))
        unit = (m.group(2) or "") if m.re.groups >= 2 else ""
        if value is None:
            continue
        if value > 50 or "f" in unit:
            value = (value - 32) * 5 / 9
        if 34 <= value <= 44:
            episode["fever_c"] = round(value, 1)
            ev["fever_c"] = [t.words(m)]
            break
