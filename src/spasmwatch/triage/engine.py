"""The triage engine: runs every rule on a case and explains the answer.

How the level is reached:

1. The look-alike rules run first; the episodes they recognise are "explained".
2. Every other rule runs; then the fallback rules, in the rules' order, each on the
   episodes that no emergency, spasm or concern rule (nor a fallback before it) spoke about.
3. A ``concern`` rule whose episodes are all explained is lowered to ``soon``, and only
   when no ``emergency`` or ``spasm`` rule fired. Nothing else is ever lowered.
4. The answer is the most urgent level among the rules that fired (``routine`` if none).
5. A ``routine`` answer about episodes says what would change it, and only that
   (:mod:`~spasmwatch.triage.changes`): never, as a reason to act sooner, something the
   answers already say.

A case whose child's age is not given (allowed only with a warning sign,
:func:`~spasmwatch.case.parse_case`'s ``age_optional``) runs only the emergency rules that
read no age (:data:`~spasmwatch.triage.emergency.AGE_FREE_RULES`), and its answer says so
(:data:`AGE_NOT_GIVEN`).

A look-alike that reads a count not given as one movement says its reason without a count
(:attr:`~spasmwatch.triage.rule.Rule.reason_if_no_count`), and the answer says that
reading once, in its ``note`` (:data:`COUNT_NOT_GIVEN`), however many of them fired.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from spasmwatch.case import AGE_REQUIRED, Case, parse_case
from spasmwatch.errors import InvalidCase
from spasmwatch.triage.changes import ROUTINE_WARNING_SIGNS, what_would_change
from spasmwatch.triage.emergency import AGE_FREE_RULES
from spasmwatch.triage.facts import Facts, FactsMemo, derive_facts
from spasmwatch.triage.lookalikes import LOOKALIKE_RULES
from spasmwatch.triage.rule import Group, Level, Rule, Weight, level_rank
from spasmwatch.triage.rules import RULES, RULES_VERSION

__all__ = [
    "AGE_NOT_GIVEN",
    "CALL_NOW",
    "COUNT_NOT_GIVEN",
    "FIRST_AID_NOW",
    "NOTHING_LOGGED",
    "POSSIBILITY_LABELS",
    "WARNING_SIGN_NOW",
    "Possibility",
    "Reason",
    "TriageResult",
    "emergency_last_seen",
    "past_warning_sign",
    "triage",
]

#: Plain words for each possibility a rule can suggest.
POSSIBILITY_LABELS: dict[str, str] = {
    "needs_emergency_assessment": "something that needs emergency assessment",
    "prolonged_seizure": "a long seizure (status epilepticus)",
    "serious_infection": "an infection that needs checking urgently",
    "epileptic_seizure": "an epileptic seizure",
    "focal_seizure": "a focal seizure (starting in one part of the brain)",
    "infantile_spasms": "infantile spasms (a type of epilepsy in babies, West syndrome)",
    "infantile_spasms_relapse": "infantile spasms coming back",
    "epileptic_spasms_or_seizures": "epileptic spasms or another kind of seizure",
    "benign_myoclonus_of_infancy": "benign myoclonus of infancy (harmless, but only an EEG "
    "can tell it from spasms)",
    "developmental_regression": "developmental regression (losing skills)",
    "developmental_delay": "slower development",
    "febrile_seizure_simple": "a simple febrile seizure (a short fit with fever)",
    "febrile_seizure_complex": "a complex febrile seizure",
    "known_epilepsy": "the child's known epilepsy",
    "new_seizure_type": "a new kind of seizure",
    "hyperekplexia": "hyperekplexia (an exaggerated startle condition)",
    "unclear": "not clear from the description",
    "benign_sleep_myoclonus": "harmless sleep twitches (benign sleep myoclonus)",
    "hypnic_jerk": "a normal sleep start (hypnic jerk)",
    "jitteriness": "jitteriness (harmless trembling of newborns)",
    "startle_reflex": "the normal startle (Moro) reflex",
    "hiccups": "hiccups",
    "self_soothing": "a self-soothing habit",
    "shuddering_attacks": "harmless shuddering attacks",
    "reflux_sandifer": "reflux with arching (Sandifer syndrome)",
}

_WEIGHTS: tuple[Weight, ...] = ("low", "medium", "high")

#: The emergency answer's first advice: the call itself. The app's pages say it once, in
#: their alert with the configured number and its call button, and leave this line out
#: of their list (the API and the terminal, which have no number set, keep it).
CALL_NOW = (
    "Call emergency services now (for example 911, 999 or 112) or go to the nearest "
    "emergency department."
)
#: The emergency answer's first aid while it is happening, after the call: said of a
#: warning sign seen now. An answer worded as a past warning sign (seen more than 24 h
#: ago, :func:`past_warning_sign`) is said without them on the pages, in the report and
#: in the terminal (:func:`~spasmwatch.report.triage_words.family_advice`): "give no
#: food" is not advice for the days after; the API keeps the list whole.
FIRST_AID_NOW = (
    "If a seizure is still going on: lay the baby on their side on a safe surface, "
    "put nothing in their mouth, and note the time it started.",
    "Give no food, drink or medicine unless a doctor or the emergency operator says so.",
)
BASE_ADVICE: dict[str, tuple[str, ...]] = {
    "emergency": (CALL_NOW, *FIRST_AID_NOW),
    "same_day": (
        "Contact your doctor or out-of-hours service today; do not wait for a routine appointment.",
        "If a warning sign appears (difficulty breathing, blue or grey colour, a seizure "
        "of 5 minutes or more, not back to normal), call emergency services.",
    ),
    "soon": (
        "Book a doctor's appointment within the next few days.",
        "Film the next episode and keep a diary of when it happens and what the baby was doing.",
    ),
    # With an episode, a routine answer keeps the first line and says what would change
    # it instead of the second (changes.what_would_change), which is said only when
    # nothing was logged: ten sleep jerks in a row that stop on waking already "come in
    # series", and are still benign sleep myoclonus.
    "routine": (
        "Keep watching, and mention it at the next check-up.",
        "Contact a doctor sooner if the movements come in series of several in a row, "
        "happen when the baby is awake or just waking up, if the baby stops doing things "
        "they could do, or is not back to normal afterwards.",
    ),
}
#: The step of an emergency answer's same-day reasons (a series of spasms, say): the
#: call covers it while the warning sign is worded as happening now; under a past warning
#: sign ("last seen 5 days ago: emergency help if no doctor has seen the baby since") it
#: is what still has to happen today, whoever has seen the baby since
#: (:func:`~spasmwatch.report.triage_words.family_advice`).
SAME_DAY_BESIDE_EMERGENCY = BASE_ADVICE["same_day"][0]
#: The title of a routine answer with no episode: nothing was described, so nothing is
#: called harmless either.
NOTHING_LOGGED = "Nothing logged yet: describe a movement to get advice"
NOT_A_DIAGNOSIS = (
    "This is not a diagnosis. If you are worried, contact a doctor whatever this says."
)
#: The note of an answer given without the child's age.
AGE_NOT_GIVEN = (
    "The baby's age was not given. A warning sign needs emergency help at any age, so "
    "this answer does not depend on it; the rules that need the age were not checked."
)
#: The note of an answer with a reason said for a count not given
#: (:attr:`~spasmwatch.triage.rule.Rule.reason_if_no_count`): the rule read the missing
#: count as one movement, which the answer says once here rather than in each reason.
COUNT_NOT_GIVEN = (
    "How many movements came in a row was not given: this answer reads it as one. Add "
    "the count if you know it."
)


#: [design] How long after the newest episode behind an emergency answer it is still
#: worded as happening now ("Call emergency services now"). An older one keeps the level
#: ``emergency`` (a red flag is never lowered) and is worded as a past warning sign: when
#: it was last seen, emergency help now if no doctor has seen the baby since, and the
#: call at once if it happens again (:func:`past_warning_sign`).
WARNING_SIGN_NOW = timedelta(hours=24)


class Reason(BaseModel):
    """One rule that fired: its id, why, and its source.

    ``last_episode_at``: for an emergency rule about episodes, when the newest of them
    started (as written, where any has a start): a warning sign keeps a diary's answer at
    ``emergency`` however long ago it was logged, and this says how old it is.
    ``untimed_episodes``: for such a rule, how many of its episodes have no start (absent
    when none): the newest of them may then be one of those, so the answer is never worded
    as a past warning sign (:func:`emergency_last_seen`).
    """

    rule: str
    text: str
    source: str
    level: Level
    episodes: list[int] = Field(default_factory=list)
    lowered_to: Level | None = None
    last_episode_at: datetime | None = None
    untimed_episodes: int | None = None


class Possibility(BaseModel):
    """What the movements could be, with a weight (not a diagnosis)."""

    name: str
    weight: Weight
    label: str


class TriageResult(BaseModel):
    """The answer: how urgently to get help, why, and what to do."""

    level: Level
    title: str
    advice: list[str]
    reasons: list[Reason]
    possibilities: list[Possibility]
    rules_version: str = RULES_VERSION
    #: Said with the answer when something limits it: :data:`AGE_NOT_GIVEN`,
    #: :data:`COUNT_NOT_GIVEN` (both, joined, where both apply).
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (the contract in ``docs/case-format.md``)."""
        return self.model_dump(mode="json", exclude_none=True)


def _run(rule: Rule, facts: Facts) -> frozenset[int] | None:
    """Episodes the rule fired on; an empty set for a case-wide rule that fired; None if
    it did not fire."""
    match = rule.predicate(facts)
    if isinstance(match, bool):
        return frozenset() if match else None
    return frozenset(match) if match else None


def _count_not_given(rule: Rule, facts: Facts, ids: frozenset[int]) -> bool:
    """Whether the rule speaks for a count not given: it has words for that
    (:attr:`Rule.reason_if_no_count`) and none of the episodes ``ids`` it fired on says how
    many movements came."""
    uncounted = all(facts.episodes[i].episode.count is None for i in ids)
    return bool(rule.reason_if_no_count and ids and uncounted)


def _note(*notes: str | None) -> str | None:
    """The notes that apply, joined (None for none)."""
    said = [note for note in notes if note]
    return " ".join(said) if said else None


def _title(level: Level, groups: set[Group], has_episodes: bool) -> str:
    if level == "emergency":
        return "Emergency: call emergency services or go to the emergency department now"
    if level == "same_day":
        if "spasm" in groups:
            return "Possible infantile spasms: contact a doctor today"
        return "Contact a doctor today"
    if level == "soon":
        return "See a doctor in the next few days"
    if has_episodes:
        return "Most likely harmless: keep watching and mention it at the next check-up"
    return NOTHING_LOGGED


def triage(
    case: Case | Mapping[str, Any], now: datetime | None = None, memo: FactsMemo | None = None
) -> TriageResult:
    """Say how urgently to get help for ``case``, and why.

    Parameters
    ----------
    case
        A :class:`~spasmwatch.case.Case`, or a dict in the case format (validated here).
    now
        The time of the question (default: now); anchors ages and "just happened".
    memo
        Facts of episodes kept from earlier triages (the same episode objects), and where
        this triage keeps the facts of its episodes: a diary triaged after each change
        computes those of its new episodes only. The answer is the same without it.

    Returns
    -------
    TriageResult

    Raises
    ------
    InvalidCase
        If ``case`` is a dict that does not follow the case format.

    Notes
    -----
    A case whose child's age is not given (``age_optional`` of
    :func:`~spasmwatch.case.parse_case`, only with a warning sign) is answered by the
    emergency rules that read no age, with :data:`AGE_NOT_GIVEN` as its ``note``.
    """
    if not isinstance(case, Case):
        case = parse_case(case)
    if not case.age_known:
        return _triage_without_age(case, now)
    facts, fired = _fire(derive_facts(case, now, memo))
    if memo is not None:
        memo.keep(facts)
    return _answer(case, facts, fired)


def _fire(facts: Facts) -> tuple[Facts, list[tuple[Rule, frozenset[int]]]]:
    """Run the rules on ``facts``: the facts with what the look-alikes explain, and each
    rule that fired with the episodes it fired on."""
    explained: set[int] = set()
    for rule in LOOKALIKE_RULES:
        explained |= _run(rule, facts) or frozenset()
    # the same episodes: grouped once
    facts = replace(facts, explained=frozenset(explained)).with_groups(facts.groups_if_known())

    fired = [
        (rule, ids)
        for rule in RULES
        if not rule.fallback and (ids := _run(rule, facts)) is not None
    ]
    spoken_for = set().union(*(ids for rule, ids in fired if rule.group != "lookalike"))
    # Fallbacks in the rules' order: each speaks for what no rule before it spoke about
    # (a single startle's rule, then the unexplained movements' for the rest).
    for rule in RULES:
        if rule.fallback and (ids := _run(rule, facts)) and (rest := ids - spoken_for):
            fired.append((rule, rest))
            spoken_for |= rest
    return facts, fired


def _lowered_to(rule: Rule, ids: frozenset[int], facts: Facts, protected: bool) -> Level | None:
    """``soon`` for a concern rule whose episodes are all explained by look-alikes, when no
    emergency or spasm rule fired (``protected``); else None (not lowered)."""
    if (
        rule.group == "concern"
        and not protected
        and ids
        and ids <= facts.explained
        and level_rank(rule.level) > level_rank("soon")
    ):
        return "soon"
    return None


def _level_of(facts: Facts) -> Level:
    """The level the rules give to ``facts`` (no answer made): what a change would give,
    for :func:`~spasmwatch.triage.changes.what_would_change`."""
    facts, fired = _fire(facts)
    protected = any(rule.group in ("emergency", "spasm") for rule, _ in fired)
    levels = [_lowered_to(rule, ids, facts, protected) or rule.level for rule, ids in fired]
    return max(levels, key=level_rank, default="routine")


def _triage_without_age(case: Case, now: datetime | None) -> TriageResult:
    """The answer for a case without the child's age: the emergency rules that read no age
    (:data:`~spasmwatch.triage.emergency.AGE_FREE_RULES`), with :data:`AGE_NOT_GIVEN`."""
    facts = derive_facts(case, now)
    fired = [(rule, ids) for rule in AGE_FREE_RULES if (ids := _run(rule, facts)) is not None]
    if not fired:
        # parse_case allows no age only with a warning sign, whose rule always fires
        raise InvalidCase(AGE_REQUIRED)
    return _answer(case, facts, fired, note=AGE_NOT_GIVEN)


def _last_start(facts: Facts, ids: frozenset[int]) -> tuple[datetime | None, int | None]:
    """The start, as written, of the newest of episodes ``ids`` that has one, and how many
    of them have none (None for none)."""
    timed = [facts.episodes[i] for i in ids if facts.episodes[i].started_at is not None]
    untimed = len(ids) - len(timed) or None
    if not timed:
        return None, untimed
    # compared as naive UTC (EpisodeFacts.started_at), said as the family wrote it
    newest = max(timed, key=lambda e: e.started_at or datetime.min)
    return newest.episode.started_at, untimed


def _moment(value: datetime | str) -> datetime:
    """A time of a result (a datetime, or its ISO text) as the wall time it was written in."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=None)


def emergency_last_seen(result: TriageResult | Mapping[str, Any]) -> datetime | None:
    """When the newest episode behind an emergency answer started, as written (naive).

    ``result``: a :class:`TriageResult` or its :meth:`~TriageResult.to_dict` (as stored).
    None when the answer is not ``emergency``, or when any of its emergency reasons has no
    time to go by: a reason about the child as a whole, or one with an episode without a
    start (``untimed_episodes``), which may be the newest. Only the words of the answer
    depend on this; its level stays ``emergency``.
    """
    data = result.to_dict() if isinstance(result, TriageResult) else result
    if data.get("level") != "emergency":
        return None
    newest: datetime | None = None
    for reason in data.get("reasons", []):
        if (reason.get("lowered_to") or reason.get("level")) != "emergency":
            continue
        at = reason.get("last_episode_at")
        if not at or reason.get("untimed_episodes"):
            return None
        moment = _moment(at)
        newest = moment if newest is None else max(newest, moment)
    return newest


def past_warning_sign(
    result: TriageResult | Mapping[str, Any] | datetime | str | None, now: datetime
) -> datetime | None:
    """When an emergency answer's warning sign was last seen, if that was more than
    :data:`WARNING_SIGN_NOW` (24 h) before ``now``; else None (no emergency, one within
    24 h, or one without a time: the answer is worded as happening now).

    ``result``: a triage result (see :func:`emergency_last_seen`), or the time that gives
    (a datetime or its ISO text; None for none). ``now``: the family's wall-clock time;
    both are compared as the wall times they are written in.
    """
    if result is None or isinstance(result, datetime | str):
        at = _moment(result) if result else None
    else:
        at = emergency_last_seen(result)
    if at is None or _moment(now) - at <= WARNING_SIGN_NOW:
        return None
    return at


def _answer(
    case: Case, facts: Facts, fired: list[tuple[Rule, frozenset[int]]], note: str | None = None
) -> TriageResult:
    """The result from the rules that fired, each with the episodes it fired on."""
    protected = any(rule.group in ("emergency", "spasm") for rule, _ in fired)
    reasons: list[Reason] = []
    uncounted = False
    for rule, ids in fired:
        lowered = _lowered_to(rule, ids, facts, protected)
        last, untimed = _last_start(facts, ids) if rule.group == "emergency" else (None, None)
        no_count = _count_not_given(rule, facts, ids)
        uncounted |= no_count
        reasons.append(
            Reason(
                rule=rule.id,
                text=rule.reason_if_no_count if no_count else rule.reason,
                source=rule.source_text,
                level=rule.level,
                episodes=sorted(ids),
                lowered_to=lowered,
                last_episode_at=last,
                untimed_episodes=untimed,
            )
        )
    order = {rule.id: i for i, rule in enumerate(RULES)}
    reasons.sort(key=lambda r: (-level_rank(r.lowered_to or r.level), order[r.rule]))
    level: Level = (reasons[0].lowered_to or reasons[0].level) if reasons else "routine"

    by_id = {rule.id: rule for rule, _ in fired}
    if level == "routine" and facts.episodes:
        keep_watching = BASE_ADVICE["routine"][0]
        advice = [keep_watching, *what_would_change(facts, _level_of), ROUTINE_WARNING_SIGNS]
    else:
        advice = list(BASE_ADVICE[level])
    if level == "emergency" and any((r.lowered_to or r.level) == "same_day" for r in reasons):
        # the same-day step of the other reasons: said when the warning sign is a past one
        # (report.triage_words.family_advice), where "call now" no longer covers it
        advice.append(SAME_DAY_BESIDE_EMERGENCY)
    for reason in reasons:
        advice.extend(by_id[reason.rule].advice)
    advice.append(NOT_A_DIAGNOSIS)

    weights: dict[str, int] = {}
    for reason in reasons:
        for name, weight in by_id[reason.rule].suggests:
            weights[name] = max(weights.get(name, 0), _WEIGHTS.index(weight))
    possibilities = [
        Possibility(name=name, weight=_WEIGHTS[w], label=POSSIBILITY_LABELS[name])
        for name, w in sorted(weights.items(), key=lambda kv: -kv[1])
    ]
    return TriageResult(
        level=level,
        title=_title(level, {r.group for r, _ in fired}, bool(case.episodes)),
        advice=list(dict.fromkeys(advice)),
        reasons=reasons,
        possibilities=possibilities,
        note=_note(note, COUNT_NOT_GIVEN if uncounted else None),
    )
