"""How a triage answer is said to people: the words the family's pages, the clinician view
and the report show around the engine's answer, which itself stays as it is (the API, the
terminal's ``--json`` and the FHIR export keep its texts and its ``[design]`` tags).

- :func:`headline`: the answer's title as said after its level's badge, without saying the
  level twice ("Emergency" and then "Emergency: call ...").
- :func:`family_advice`: the advice lines a page lists under an answer whose headline
  already says the call: the call itself and the lines that repeat it; under an answer
  worded as a past warning sign, not the first aid for one happening now either; each
  thing said once (:func:`advice_said_once`); with nothing logged, what to do when
  something happens (:data:`NOTHING_LOGGED_ADVICE`), not advice about movements nobody
  saw.
- :func:`advice_said_once`: the advice of several rules with each thing said once: one
  filming line (the most specific), and no line that another line of the answer says.
- :func:`does_not_lower`: the words said after a reason whose own level is below the
  answer's (the engine keeps every rule that fired; a "Within days" reason inside an
  emergency must not read as a milder answer), naming what comes first: the warning sign
  above, or the emergency above where no warning sign set it.
- :func:`source_words`: a rule's source in the reader's language, its ``[design]`` tag said
  in words.
- :func:`says_now`: whether an answer speaks of "now", which a report read days later has
  to anchor to the moment the answer was made (:func:`answer_made_on`).
- :func:`last_seen_on`, :func:`warning_sign_seen_on`: when a warning sign was last seen,
  by its day alone, as the report says it (the pages say "3 weeks ago" too).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from spasmwatch.case import VOCABULARIES
from spasmwatch.i18n import DEFAULT_LOCALE, N_, SEEN_DAY_PATTERN, english, format_day, format_when
from spasmwatch.triage.concerns import FILM_AND_NOTE_ADVICE
from spasmwatch.triage.engine import (
    BASE_ADVICE,
    CALL_NOW,
    FIRST_AID_NOW,
    NOTHING_LOGGED,
    SAME_DAY_BESIDE_EMERGENCY,
)
from spasmwatch.triage.predicates import SEIZURE_ADVICE, SPASM_ADVICE
from spasmwatch.triage.rule import LEVEL_WORD, LEVEL_WORDS, level_rank

__all__ = [
    "ADVICE_SAID_BY",
    "ANSWER_MADE_PATTERN",
    "BESIDES_FILMING",
    "DESIGN_TAG",
    "DESIGN_WORDS",
    "DOES_NOT_LOWER",
    "DOES_NOT_LOWER_EMERGENCY",
    "DOES_NOT_LOWER_EMERGENCY_RULE",
    "FILMING_ADVICE",
    "HEADLINES_AFTER_BADGE",
    "NOTHING_LOGGED_ADVICE",
    "NOTHING_LOGGED_ENGINE_ADVICE",
    "NOTHING_LOGGED_HEADLINE",
    "SAME_DAY_WARNING_SIGNS",
    "WARNING_SIGN_RULES",
    "advice_said_once",
    "answer_made_on",
    "citations",
    "does_not_lower",
    "family_advice",
    "headline",
    "last_seen_on",
    "nothing_logged",
    "numbered_sources",
    "said_once",
    "says_now",
    "source_words",
    "warning_sign_seen_on",
]

#: The tag of a source note that is the app's own choice, not the cited guidance's.
DESIGN_TAG = "[design]"
#: The tag in words, as the family and the report's reader see it.
DESIGN_WORDS = N_("(a choice of this app, not of the guidance)")
#: The same-day answer's warning-sign line: the page says it on its own line at the
#: answer's foot, with the configured number to call, so its list leaves it out.
SAME_DAY_WARNING_SIGNS = BASE_ADVICE["same_day"][1]
#: The advice lines that say to film the next episode, the most specific first: how to
#: film a series of spasms (from its start, the whole body and face in view, STOP); what
#: to note of a movement no rule explained (awake and asleep, stopped by holding or
#: waking); what to write down of a seizure; and the level's own "film and keep a diary".
#: Several rules that fire together each give theirs; the family is told the first of
#: them only (:func:`advice_said_once`). [design]
FILMING_ADVICE: tuple[str, ...] = (
    SPASM_ADVICE[0],
    FILM_AND_NOTE_ADVICE,
    SEIZURE_ADVICE[0],
    BASE_ADVICE["soon"][1],
)
#: What a filming line says besides filming, said in its place where a more specific one
#: is said: what to note or write down is not lost with the filming. The level's own line
#: has none: its "keep a diary" is what each more specific line says to note. [design]
BESIDES_FILMING: dict[str, str] = {
    FILM_AND_NOTE_ADVICE: N_(
        "Note whether the movements happen awake and asleep, and whether holding the limb "
        "or waking the baby stops them."
    ),
    SEIZURE_ADVICE[0]: N_(
        "Write down when it started, how long it lasted and what the baby did afterwards."
    ),
}
#: Advice lines that another line says all of, and that line: left out where it is in
#: the answer's advice. The same-day warning-sign line names a seizure of 5 minutes or
#: more and a baby not back to normal, as the seizure rules' line does. [design]
ADVICE_SAID_BY: dict[str, str] = {SEIZURE_ADVICE[1]: BASE_ADVICE["same_day"][1]}
#: Said after a reason whose own level is below the answer's (:func:`does_not_lower`):
#: after a lower reason of an emergency answer, and of any other answer. The family's
#: page and the report's table (``_triage.html``, ``_reasons.html``) spell the same words.
DOES_NOT_LOWER_EMERGENCY = N_(
    "(This does not lower the answer: the warning sign above comes first.)"
)
#: The same below an emergency that no warning sign set (a first seizure happening now, a
#: fever under 3 months): "the warning sign above" would name what is not there.
DOES_NOT_LOWER_EMERGENCY_RULE = N_(
    "(This does not lower the answer: the emergency above comes first.)"
)
DOES_NOT_LOWER = N_("(This does not lower the answer.)")
#: The same words after the first of several reasons below the answer's level, said once
#: for them all (they are listed from the highest level down, so those after it are
#: below too): under an emergency, eight lower reasons each saying it read as noise.
DOES_NOT_LOWER_MANY: dict[str, str] = {
    DOES_NOT_LOWER_EMERGENCY: N_(
        "(This reason and those below it do not lower the answer: the warning sign above "
        "comes first.)"
    ),
    DOES_NOT_LOWER_EMERGENCY_RULE: N_(
        "(This reason and those below it do not lower the answer: the emergency above comes first.)"
    ),
    DOES_NOT_LOWER: N_("(This reason and those below it do not lower the answer.)"),
}
#: The line of the engine's advice that marks an answer with nothing logged: its routine
#: answer says "Keep watching, and mention it at the next check-up", then this ("Contact a
#: doctor sooner if the movements come in series ..."), which it says only when nothing
#: was logged (an answer with episodes says what would change it instead).
NOTHING_LOGGED_ENGINE_ADVICE = BASE_ADVICE["routine"][1]
#: The title of an answer with nothing logged (the engine's :data:`NOTHING_LOGGED`) as the
#: family's page says it after its "Nothing logged yet" badge: why there is no advice yet,
#: without saying the badge again. [design]
NOTHING_LOGGED_HEADLINE = N_("Advice comes once a movement is logged")
#: What to do with nothing logged, in place of the engine's advice, which is about
#: movements nobody has seen ("keep watching", "if the movements come in series"): what
#: to do when something happens (log it, film it, as the spasm rules' filming line asks),
#: and that a worry needs no entry in the diary first. [design]
NOTHING_LOGGED_ADVICE: tuple[str, ...] = (
    N_(
        "When you see a movement that worries you, log it here: what the baby did, how "
        "many movements came in a row, and whether the baby was awake, just waking or "
        "asleep."
    ),
    N_(
        "If you can, film it from its start, with the baby's whole body and face in view: "
        "a video shows the doctor what words cannot."
    ),
    N_("If you are worried, contact a doctor: nothing needs to be logged first."),
)
#: The emergency rules that are a warning sign the family's pages list: each warning sign
#: ticked (a red flag, ``red-flag-...``), and a seizure of 5 minutes or more, which the red
#: flag ``seizure_5_minutes`` says too (``docs/rules.md``). The other emergency rules (a
#: seizure happening now, seizures without recovery, a fever under 3 months) are
#: emergencies that are not on that list. [design]
WARNING_SIGN_RULES = frozenset(
    {
        *("red-flag-" + flag.replace("_", "-") for flag in VOCABULARIES["red_flags"]),
        "seizure-5-minutes",
    }
)
#: How the moment an answer was made is written: its day as a warning sign's day is
#: (:data:`~spasmwatch.i18n.SEEN_DAY_PATTERN`), and the time ("7 Dec 2026, 14:05").
ANSWER_MADE_PATTERN = SEEN_DAY_PATTERN + ", HH:mm"

#: A ``[design]`` tag and the note it marks: up to the next "; " or the end of the source.
_DESIGN_NOTE = re.compile(re.escape(DESIGN_TAG) + r"\s*([^;]*)")
#: "Now" as the triage's English texts say it ("happening now", "help now", "within the
#: last hour").
_NOW = re.compile(r"\bnow\b|\blast hour\b", re.IGNORECASE)


#: The last words of a title that say when to act, as its level's badge already says it
#: ("Today", "Within days"): said after the badge, the title leaves them out.
_WHEN_SAID_BY_BADGE: dict[str, str] = {"same_day": " today", "soon": " in the next few days"}
#: The titles as said after their badge (for the catalog: the engine's titles are
#: collected from the engine).
HEADLINES_AFTER_BADGE = (
    N_("Possible infantile spasms: contact a doctor"),
    N_("Contact a doctor"),
    N_("See a doctor"),
)


def headline(level: str, title: str) -> str:
    """The title of an answer at ``level`` as said after the level's badge (English, to be
    translated where it is shown), so that nothing the badge says is said twice: a title
    that starts with the level's word ("Emergency: call emergency services or go to the
    emergency department now") is said by the level's own instruction ("Call emergency
    services or go to the emergency department now."); a title that ends with the time the
    badge says ("Today", then "Contact a doctor today") without it ("Contact a doctor");
    any other title as it is."""
    word = LEVEL_WORD.get(level)
    if word and title.startswith(word + ":"):
        return LEVEL_WORDS[level][1]
    when = _WHEN_SAID_BY_BADGE.get(level)
    if when and title.endswith(when):
        return title[: -len(when)]
    return title


def nothing_logged(level: str, title: str) -> bool:
    """Whether an answer at ``level`` with ``title`` is the engine's answer to a diary
    with nothing logged (:data:`~spasmwatch.triage.engine.NOTHING_LOGGED`): no level to
    show, no reason, and advice about what to do when something happens."""
    return level == "routine" and title == NOTHING_LOGGED


def _calls_emergency(line: str) -> bool:
    return "call emergency services" in line.lower()


def advice_said_once(advice: Sequence[str]) -> list[str]:
    """The advice lines of an answer (English, in the engine's order: its level's lines,
    then each rule's by importance) with each thing said once.

    Each line is said once; of the filming lines (:data:`FILMING_ADVICE`) the most
    specific only, where the first of them stood, and each other one by what it says
    besides filming (:data:`BESIDES_FILMING`), where it stood, or not at all; a line that
    another line of the answer says (:data:`ADVICE_SAID_BY`) is left out.

    Examples
    --------
    A movement no rule explained, in a ``soon`` answer: "Film the next episode and keep a
    diary ..." (the level's) and "Film the next episode and show it to the doctor; note
    whether ..." (``unexplained-movements``) are said as the second alone.
    """
    present = set(advice)
    filming = [line for line in FILMING_ADVICE if line in present]
    out: list[str] = []
    for line in advice:
        said_by = ADVICE_SAID_BY.get(line)
        if said_by is not None and said_by in present:
            continue
        if line in filming:
            if filming[0] not in out:
                out.append(filming[0])  # where the first filming line stood
            if line == filming[0]:
                continue
            line = BESIDES_FILMING.get(line, "")
        if line and line not in out:
            out.append(line)
    return out


def family_advice(
    level: str, advice: Sequence[str], warning_signs_above: bool = True, past: bool = False
) -> list[str]:
    """The advice lines (English) listed under an answer at ``level``, each thing said once
    (:func:`advice_said_once`), leaving out those its headline already says: for an
    emergency, the call (:data:`CALL_NOW`) and the lines that call emergency services if
    something happens (the headline says to call now);
    for a same-day answer, the warning-sign line (:data:`SAME_DAY_WARNING_SIGNS`) where
    ``warning_signs_above`` (the family's page says it on its own line, with the number
    to call; the report has no such line and keeps it). The engine's own list (the API,
    ``--json``) keeps them all.

    ``past``: the emergency answer is worded as a past warning sign (last seen more than
    24 h ago, :func:`~spasmwatch.triage.engine.past_warning_sign`); its first aid for a
    seizure going on now (:data:`~spasmwatch.triage.engine.FIRST_AID_NOW`: the baby on
    their side, no food, drink or medicine) is left out too: under "a warning sign was
    last seen 3 days ago" it would contradict the headline, and "give no food" is not
    advice for the days after. Its same-day reasons' step
    (:data:`~spasmwatch.triage.engine.SAME_DAY_BESIDE_EMERGENCY`: contact the doctor
    today) is said only then: a spasm series five days after a warning sign still needs a
    doctor today, even where one saw the baby after the warning sign; while the warning
    sign is worded as now, the call covers it.

    With nothing logged (the engine's advice holds :data:`NOTHING_LOGGED_ENGINE_ADVICE`),
    :data:`NOTHING_LOGGED_ADVICE`: what to do when something happens, not "keep watching"
    a movement nobody saw; "not a diagnosis" is left out with it, as there is no answer
    about a movement to take for one."""
    if level == "routine" and NOTHING_LOGGED_ENGINE_ADVICE in advice:
        return list(NOTHING_LOGGED_ADVICE)
    advice = advice_said_once(advice)
    if level == "emergency":
        return [
            line
            for line in advice
            if line != CALL_NOW
            and not _calls_emergency(line)
            and not (past and line in FIRST_AID_NOW)
            and (past or line != SAME_DAY_BESIDE_EMERGENCY)
        ]
    if level == "same_day" and warning_signs_above:
        return [line for line in advice if line != SAME_DAY_WARNING_SIGNS]
    return list(advice)


def said_once(reasons: Iterable[Any], say: Callable[[Any], str]) -> list[str]:
    """``say(reason)`` for each of ``reasons`` (its "Last seen ..." words, "" for a reason
    without them), and "" where the same words were said for an earlier reason: two
    emergency reasons about the same episodes say when it was last seen once."""
    seen: set[str] = set()
    said = []
    for reason in reasons:
        words = say(reason)
        said.append("" if words in seen else words)
        seen.add(words)
    return said


def _own_level(reason: Mapping[str, Any] | Any, level: str) -> str:
    """A reason's own level: the one it was lowered to, else its rule's."""
    if isinstance(reason, Mapping):
        return str(reason.get("lowered_to") or reason.get("level") or level)
    return str(reason.lowered_to or reason.level)


def _rule_of(reason: Mapping[str, Any] | Any) -> str:
    return str(reason.get("rule") or "") if isinstance(reason, Mapping) else str(reason.rule)


def does_not_lower(
    level: str,
    reason: Mapping[str, Any] | Any,
    reasons: Iterable[Mapping[str, Any] | Any] | None = None,
) -> str:
    """The words (English) said after ``reason`` in an answer at ``level`` when the
    reason's own level (``lowered_to``, else ``level``) is below it: the reason stays (the
    engine keeps every rule that fired) and these say that it does not lower the answer,
    with what comes first named for an emergency; "" for a reason at the answer's level.

    Below an emergency, "the warning sign above" (:data:`DOES_NOT_LOWER_EMERGENCY`) where
    one of the answer's ``reasons`` at the emergency level is a warning sign
    (:data:`WARNING_SIGN_RULES`), else "the emergency above"
    (:data:`DOES_NOT_LOWER_EMERGENCY_RULE`: a first seizure happening now is an emergency
    without a warning sign); without ``reasons``, the warning sign's words, as before
    the answer's reasons were read. Below any other level, :data:`DOES_NOT_LOWER`. With
    several reasons below the answer's level in ``reasons``, said once, after the first
    of them, in :data:`DOES_NOT_LOWER_MANY`'s words ("This reason and those below it"),
    and "" after the others.
    ``reason`` and ``reasons``: :class:`~spasmwatch.triage.engine.Reason` objects or
    their data."""
    if level_rank(_own_level(reason, level)) >= level_rank(level):
        return ""
    lower = [r for r in reasons or () if level_rank(_own_level(r, level)) < level_rank(level)]
    if lower and lower[0] is not reason and lower[0] != reason:
        return ""  # said once, after the first of them
    if level != "emergency":
        said = DOES_NOT_LOWER
    elif reasons is None or any(
        _own_level(r, level) == "emergency" and _rule_of(r) in WARNING_SIGN_RULES for r in reasons
    ):
        said = DOES_NOT_LOWER_EMERGENCY
    else:
        said = DOES_NOT_LOWER_EMERGENCY_RULE
    return DOES_NOT_LOWER_MANY[said] if len(lower) > 1 else said


def source_words(source: str, gettext: Callable[[str], str] = english) -> str:
    """A rule's source (English, as the engine gives it) in ``gettext``'s language, each
    ``[design]`` tag said in words (:data:`DESIGN_WORDS`) after the note it marks: "...;
    seizures that came back ... (a choice of this app, not of the guidance)". The citations
    are kept as written (the catalog translates the notes only)."""
    if not source:
        return ""
    said = gettext(source)
    if DESIGN_TAG not in said:
        return said
    words = gettext(DESIGN_WORDS)
    return _DESIGN_NOTE.sub(lambda m: f"{m.group(1).rstrip()} {words}".lstrip(), said)


def citations(said: str) -> list[str]:
    """A source as said (:func:`source_words`) cut into its citations: at each "; " outside
    brackets (a citation's own note may hold one: "(2022: spasms come in clusters, ...;
    a single spasm suggests ...)")."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(said):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0 and said[i + 1 : i + 2] == " ":
            parts.append(said[start:i].strip())
            start = i + 1
    parts.append(said[start:].strip())
    return [p for p in parts if p]


def numbered_sources(
    reasons: Iterable[Mapping[str, Any] | Any], gettext: Callable[[str], str] = english
) -> tuple[list[list[int]], list[str]]:
    """The reasons' sources as a numbered list, each citation once (the sleep-twitch page
    backs five look-alike rules): for each reason the numbers of its citations, and the
    citations in the order first cited (number 1 first). The report and the clinician
    view print the numbers in the table and the list under it, which a table cell of
    whole citations made several pages long."""
    listed: list[str] = []
    numbers: list[list[int]] = []
    for r in reasons:
        own: list[int] = []
        source = r.get("source") if isinstance(r, Mapping) else r.source
        for citation in citations(source_words(source or "", gettext)):
            if citation not in listed:
                listed.append(citation)
            number = listed.index(citation) + 1
            if number not in own:
                own.append(number)
        numbers.append(own)
    return numbers, listed


def says_now(reasons: Iterable[Mapping[str, Any]], *texts: str) -> bool:
    """Whether an answer speaks of "now" ("happening now", "within the last hour", "help
    now"): in the English text of any of its ``reasons`` or of ``texts`` (its headline)."""
    return any(_NOW.search(r.get("text") or "") for r in reasons) or any(
        _NOW.search(t or "") for t in texts
    )


def _day_of(at: datetime | str) -> datetime:
    """``at`` as written (a reason's ``last_episode_at``: a datetime or its ISO text)."""
    return datetime.fromisoformat(at) if isinstance(at, str) else at


def last_seen_on(
    at: datetime | str, gettext: Callable[[str], str] = english, locale: str = DEFAULT_LOCALE
) -> str:
    """When the newest episode behind a triage reason started, by its day alone in
    ``locale``'s words: "Last seen on 7 Dec 2026." (no "today" or "3 weeks ago", which are
    wrong on the day a report is read)."""
    day = format_day(_day_of(at), locale, SEEN_DAY_PATTERN)
    return gettext("Last seen on %(day)s.") % {"day": day}


def warning_sign_seen_on(
    at: datetime | str, gettext: Callable[[str], str] = english, locale: str = DEFAULT_LOCALE
) -> str:
    """The headline of an emergency answer whose warning sign is past, by its day alone:
    "A warning sign was last seen on 1 Nov 2026." """
    day = format_day(_day_of(at), locale, SEEN_DAY_PATTERN)
    return gettext("A warning sign was last seen on %(day)s.") % {"day": day}


def answer_made_on(
    made: datetime, gettext: Callable[[str], str] = english, locale: str = DEFAULT_LOCALE
) -> str:
    """When an answer was made, in ``locale``'s words: "Answer made on 7 Dec 2026, 14:05." """
    when = format_when(made, locale, ANSWER_MADE_PATTERN)
    return gettext("Answer made on %(when)s.") % {"when": when}
