"""The English tables of "In your own words" (:mod:`spasmwatch.freetext.engine` reads
with them): movements, what the baby was doing, how many, how long, how often, what brought
it on, fever, warning signs, what stopped it, and the baby's age; negation ("no fever",
"she didn't turn blue", "never stopped breathing") and numbers in words ("five or six
times", "thirty eight point five").

The phrase lists were written from the clinical reference's vocabulary and tuned on the
tuning half of ``src/spasmwatch/testing/descriptions.py``; ``benchmarks/episode_draft.py``
reports per-field precision and recall on both halves.
"""

from __future__ import annotations

import re

from spasmwatch.freetext.engine import Language, Numbers

__all__ = ["COUNT_WORDS", "ENGLISH"]

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
NUMBERS = Numbers(
    _WORDS,
    joiners="-|to|or",
    about=(
        r"(?:(?:about|around|approximately|approx|roughly|maybe|like|some|nearly|almost|over|"
        r"up to|sometimes)\s+)?"
    ),
    ones="an?",
)
_NUM, _RANGE, _ABOUT = NUMBERS.one, NUMBERS.range, NUMBERS.about

_NEGATION = re.compile(
    r"\b(?:no|not|never|without|nor|didn'?t|did not|wasn'?t|was not|isn'?t|is not|"
    r"doesn'?t|does not|hasn'?t|has not|haven'?t|weren'?t|don'?t|dont|didnt|wasnt|isnt|"
    r"doesnt|hasnt|neither)\b"
)
#: How many words before a phrase a negation reaches.
NEGATION_WORDS = 5
_CLAUSE_END = re.compile(r"[.!?;,\n()]|\bbut\b|\bthen\b|\bthough\b|\balthough\b")


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


#: Words for a seizure, for the warning sign "a seizure that went on for 5 minutes or more"
#: (jerks in sleep that stop when the baby is woken are not counted).
_SEIZURE_WORDS = (
    r"\b(?:seizures?|fits?|fitting|convuls\w*|shak\w*|shook|jerk\w*|stiff\w*|"
    r"would(?:n'?t| not) stop|did(?:n'?t| not) stop|kept going|going on)\b"
)
_LESS_THAN = re.compile(r"(?:less than|under|almost|nearly|not even|not quite)\s*$")

#: The baby's age: "6 month old", "3-week-old", "is 10 months", "she's 1", "newborn, 2
#: weeks", "5 months of age"; not "for 2 weeks", "3 weeks ago", "born at 34 weeks".
_AGE_UNIT = r"(?P<unit>months?|mos?|mths?|weeks?|wks?|days?|years?|yrs?)"
_AGE_NUM = rf"{_ABOUT}(?P<n>{_NUM})(?: and (?P<half>a half))?"
_AGES = (
    rf"{_AGE_NUM}\s*-?\s*{_AGE_UNIT}\s*-?\s*old\b",
    rf"{_AGE_NUM}\s*{_AGE_UNIT} of age\b",
    rf"\b(?:is|she'?s|he'?s|turned|aged|age|now)\s+{_AGE_NUM}\s*-?\s*{_AGE_UNIT}\b",
    rf"{_ABOUT}(?P<n>{_NUM})\s*{_AGE_UNIT} and (?P<half>a half)\b(?! (?:ago|later|since))",
    rf"\b(?:she'?s|he'?s|(?:she|he|baby) is|turned)\s+(?P<n>{_NUM})"
    r"(?=\s*(?:[,.;!?)](?:\s|$)|$|and\b|but\b|now\b|today\b))",
    rf"(?:^|[,(;.]\s*|newborn,?\s+){_AGE_NUM}\s*-?\s*{_AGE_UNIT}(?=\s*(?:[,.;!?)]|$))",
)
_AGE_SKIP_BEFORE = re.compile(
    r"\b(?:it|this|that|there|for|past|last|over|since|within|every|each|in|after|at)\s+$"
)
_AGE_SKIP_AFTER = re.compile(
    r"\s*(?:ago|later|after|before|since|early|premature|prem\b|gestation|pregnant|along)"
)


def _age_unit(unit: str) -> float:
    if unit.startswith("w"):
        return 7 / 30.4375
    if unit.startswith("d"):
        return 1 / 30.4375
    if unit.startswith("y"):
        return 12.0
    return 1.0


def _fold(text: str) -> str:
    # one character for one ("İ" lowers to two): a match's place is its place as typed
    return (
        "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        .replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u2013", "-")
        .replace("\u00a0", " ")
    )


#: English, as :func:`spasmwatch.freetext.draft_episode` reads it.
ENGLISH = Language(
    code="en",
    fold=_fold,
    numbers=NUMBERS,
    negations=((_NEGATION, NEGATION_WORDS),),
    clause_end=_CLAUSE_END,
    movements=MOVEMENT_PHRASES,
    states=STATE_PHRASES,
    state_order=STATE_ORDER,
    triggers=TRIGGER_PHRASES,
    red_flags=RED_FLAG_PHRASES,
    stops=STOP_PHRASES,
    after=AFTER_PHRASES,
    count_patterns=_COUNT_PATTERNS,
    once=_ONCE,
    twice=_TWICE,
    interval=_INTERVAL,
    duration=_DURATION,
    duration_split=_DURATION_SPLIT,
    duration_skip_before=re.compile(r"every\s*$"),
    duration_skip_after=re.compile(r"^\s*(?:after|ago|later|old)"),
    unit_seconds=lambda unit: 60.0 if unit.startswith("m") else 1.0,
    fever=_FEVER,
    fever_words=(
        r"\bfever(?:ish|s)?\b",
        r"\bfebrile\b",
        r"\b(?:has|had|running|ran) a (?:high )?temp(?:erature)?\b",
    ),
    fever_denied=(
        r"\bfever[- ]?free\b",
        r"\b(?:non|a)[- ]?febrile\b",
        r"\bfever\s*(?::|-)\s*(?:none|no|nil)\b",
        r"\bzero fever\b",
    ),
    spoken_temperature=_spoken_temperature,
    seizure_words=_SEIZURE_WORDS,
    minutes=rf"{_RANGE}\s*(?:mins?|minutes?)\b",
    less_than=_LESS_THAN,
    not_after=re.compile(r"\s*(?:ago|later|after)"),
    ages=_AGES,
    age_unit=_age_unit,
    age_skip_before=_AGE_SKIP_BEFORE,
    age_skip_after=_AGE_SKIP_AFTER,
    self_negated=_SELF_NEGATED,
    generic=("limb_jerk", "startle"),
)
