"""The interview's questions as data: natural answers ("5 months", "1-2", "about 8", "not
sure", "uno o dos", "a dozen", "every 10 seconds"), warning signs first of all (before the
baby's age), and the early stop."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from spasmwatch.case import VOCABULARIES, parse_case
from spasmwatch.errors import InvalidCase
from spasmwatch.interview import (
    CHILD_QUESTIONS,
    EPISODE_QUESTIONS,
    NO_AGE,
    NO_MOVEMENTS,
    NONE_OF_THESE,
    STOPPED_BEFORE_AGE,
    STOPPED_BEFORE_MOVEMENTS,
    STOPPED_BEFORE_THE_END,
    InterviewStopped,
    Question,
    interview,
    parse_answer,
    parse_number,
)
from spasmwatch.triage import triage
from spasmwatch.triage.engine import AGE_NOT_GIVEN

AGE = next(q for q in CHILD_QUESTIONS if q.field == "age_months")
COUNT = next(q for q in EPISODE_QUESTIONS if q.field == "count")
INTERVAL = next(q for q in EPISODE_QUESTIONS if q.field == "interval_seconds")
SECONDS = next(q for q in EPISODE_QUESTIONS if q.field == "movement_seconds")
MINUTES = next(q for q in EPISODE_QUESTIONS if q.field == "episode_minutes")
FEVER = next(q for q in EPISODE_QUESTIONS if q.field == "fever_c")
STARTED = next(q for q in EPISODE_QUESTIONS if q.field == "started_at")
RED_FLAGS = next(q for q in EPISODE_QUESTIONS if q.field == "red_flags")
CONDITIONS = next(q for q in CHILD_QUESTIONS if q.field == "conditions")
BIRTH = next(q for q in CHILD_QUESTIONS if q.field == "birth_date")
MOVEMENTS = next(q for q in EPISODE_QUESTIONS if q.field == "movements")
STATE = next(q for q in EPISODE_QUESTIONS if q.field == "state")
TRIGGERS = next(q for q in EPISODE_QUESTIONS if q.field == "triggers")


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (AGE, "5 months", 5.0),
        (AGE, "5", 5.0),
        (AGE, "about 8", 8.0),
        (AGE, "3 weeks", 0.69),
        (AGE, "1 year", 12.0),
        (AGE, "five and a half", None),
        (AGE, "5,5", 5.5),
        (COUNT, "1-2", 2),
        (COUNT, "about 8", 8),
        (COUNT, "eight", 8),
        (COUNT, "10 times", 10),
        (COUNT, "5 to 10", 10),
        # Spanish ranges ("o"): a count takes the top, as "1-2" does
        (COUNT, "uno o dos", 2),
        (COUNT, "1 o 2", 2),
        (COUNT, "dos o tres", 3),
        (COUNT, "dos o tres veces", 3),
        (COUNT, "unos dos o tres", 3),
        (COUNT, "one or two", 2),
        # dozens
        (COUNT, "a dozen", 12),
        (COUNT, "about a dozen", 12),
        (COUNT, "a dozen times", 12),
        (COUNT, "half a dozen", 6),
        (COUNT, "una docena", 12),
        (COUNT, "media docena", 6),
        (COUNT, "media docena de veces", 6),
        (COUNT, "una docena de sacudidas", 12),
        (COUNT, "un par", 2),
        # a qualifier is a whole word: "casi" is not "ca" + "si"
        (COUNT, "casi 8", 8),
        (COUNT, "ca. 8", 8),
        (COUNT, "~8", 8),
        # intervals as said
        (INTERVAL, "every ten seconds", 10.0),
        (INTERVAL, "every 10 seconds", 10.0),
        (INTERVAL, "about every 5 s", 5.0),
        (INTERVAL, "one every 5-10 seconds", 7.5),
        (INTERVAL, "every second", 1.0),
        (INTERVAL, "every minute", 60.0),
        (INTERVAL, "10 seconds apart", 10.0),
        (INTERVAL, "cada diez segundos", 10.0),
        (INTERVAL, "cada unos 10 segundos", 10.0),
        (INTERVAL, "uno cada 5 segundos", 5.0),
        (INTERVAL, "cada minuto", 60.0),
        (INTERVAL, "10 segundos de separación", 10.0),
        (INTERVAL, "every", None),
        (INTERVAL, "cada", None),
        (SECONDS, "uno o dos", 1.5),
        (SECONDS, "1-2", 1.5),
        (SECONDS, "about a second", 1.0),
        (SECONDS, "half", 0.5),
        (MINUTES, "30 seconds", 0.5),
        (MINUTES, "about 2 min", 2.0),
        (FEVER, "38.5", 38.5),
        (FEVER, "101 F", 38.33),
    ],
)
def test_numbers_as_people_say_them(question: Question, raw: str, expected: float | None) -> None:
    if expected is None:
        with pytest.raises(ValueError, match="please give a number"):
            parse_answer(question, raw)
    else:
        assert parse_answer(question, raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["not sure", "Not sure", "don't know", "?", ""])
def test_not_sure_skips_an_optional_question(raw: str) -> None:
    assert parse_answer(COUNT, raw) is None
    responsive = next(q for q in EPISODE_QUESTIONS if q.field == "responsive")
    assert parse_answer(responsive, raw) == "unknown"


def test_not_sure_is_no_answer_to_a_required_question() -> None:
    with pytest.raises(ValueError, match="an answer is needed"):
        parse_answer(AGE, "not sure")


def test_every_is_an_interval_only() -> None:
    # "every 10 seconds" says how often, not how long: refused for a movement's length.
    with pytest.raises(ValueError, match="please give a number"):
        parse_answer(SECONDS, "every ten seconds")
    with pytest.raises(ValueError, match="please give a number"):
        parse_answer(COUNT, "cada diez")


def test_a_range_needs_a_number_on_both_sides() -> None:
    with pytest.raises(ValueError, match="'o' is not understood"):
        parse_number("1 o", "count", whole=True)
    with pytest.raises(ValueError, match="please give a number"):
        parse_number("o 2", "count", whole=True)
    # the Spanish "o" is no separator inside a word: "ocho" is eight
    assert parse_number("ocho", "count", whole=True) == 8


def test_out_of_range_and_unknown_units_are_explained() -> None:
    with pytest.raises(ValueError, match="at most 216"):
        parse_answer(AGE, "20 years")
    with pytest.raises(ValueError, match="'furlongs' is not understood"):
        parse_number("5 furlongs", "count")
    with pytest.raises(ValueError, match="whole number"):
        parse_answer(COUNT, "2.5")


def test_a_start_in_the_future_is_refused() -> None:
    future = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(ValueError, match="in the future"):
        parse_answer(STARTED, future)
    past = (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert parse_answer(STARTED, past).startswith(past[:10])


def _scripted(replies: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def ask(question: Question, error: str | None) -> str:
        asked.append(question.key)
        queue = replies.get(question.key, [])
        return queue.pop(0) if queue else ""

    return ask, asked


def test_warning_signs_come_first_and_stop_the_interview() -> None:
    ask, asked = _scripted({"child.age_months": ["7 months"], "first": ["y"], "red_flags": ["2"]})
    answers = interview(ask)
    # Asked before anything else, the baby's age included: the answer comes at once.
    assert asked == ["red_flags"]
    assert answers == {"child": {}, "episodes": [{"red_flags": ["blue_or_grey"]}]}
    with pytest.raises(InvalidCase, match=r"child\.age_months or child\.birth_date"):
        parse_case(answers)
    result = triage(parse_case(answers, age_optional=True))
    assert result.level == "emergency" and result.note == AGE_NOT_GIVEN


def test_five_minutes_or_more_is_asked_once_in_the_list_of_warning_signs() -> None:
    # The list has "a seizure that went on for 5 minutes or more": the separate question
    # would ask it again, so it is not asked.
    assert "seizure_5_minutes" in VOCABULARIES["red_flags"]
    ask, asked = _scripted({"child.age_months": ["16"], "first": ["n"], "long": ["y"]})
    assert interview(ask) == {"child": {"age_months": 16.0}, "episodes": []}
    assert "long" not in asked and asked.count("red_flags") == 1


def test_the_long_seizure_warning_sign_can_be_picked_from_the_list() -> None:
    number = str(list(VOCABULARIES["red_flags"]).index("seizure_5_minutes") + 1)
    ask, asked = _scripted({"child.age_months": ["9"], "first": ["y"], "red_flags": [number]})
    answers = interview(ask)
    assert answers["episodes"] == [{"red_flags": ["seizure_5_minutes"]}]
    assert asked == ["red_flags"]
    assert triage(parse_case(answers, age_optional=True)).level == "emergency"


def test_without_a_warning_sign_the_baby_comes_next() -> None:
    ask, asked = _scripted({"child.age_months": ["7"], "first": ["y"], "movements": ["1"]})
    answers = interview(ask)
    assert asked[:3] == ["red_flags", "child.birth_date", "child.age_months"]
    assert asked.index("child.age_months") < asked.index("first") < asked.index("movements")
    # the first episode's warning signs are not asked twice
    assert asked.count("red_flags") == 1 and "long" not in asked
    assert answers["child"] == {"age_months": 7.0}
    assert triage(parse_case(answers)).note is None


def test_a_later_episode_asks_its_warning_signs_first_and_stops_there() -> None:
    ask, asked = _scripted(
        {
            "child.age_months": ["7"],
            "first": ["y"],
            "movements": ["1", "1"],
            "more": ["y"],
            "red_flags": ["", "1"],
        }
    )
    answers = interview(ask)
    second = len(asked) - 1 - asked[::-1].index("more")
    assert asked[second + 1 :] == ["red_flags"]
    assert answers["episodes"][1] == {"red_flags": ["breathing_difficulty"]}
    assert answers["child"] == {"age_months": 7.0}
    assert triage(parse_case(answers)).level == "emergency"


def test_natural_answers_reach_a_case() -> None:
    ask, _ = _scripted(
        {
            "child.age_months": ["5 months"],
            "first": ["y"],
            "movements": ["1 3"],
            "state": ["just_woke"],
            "count": ["about 8"],
            "movement_seconds": ["1-2"],
            "interval_seconds": ["not sure"],
            "more": ["n"],
        }
    )
    answers = interview(ask)
    assert answers["child"] == {"age_months": 5.0}
    episode = answers["episodes"][0]
    assert episode["count"] == 8 and episode["movement_seconds"] == 1.5
    assert "interval_seconds" not in episode
    assert triage(parse_case(answers)).level == "same_day"


def test_enter_at_describe_what_you_saw_means_yes() -> None:
    # The introduction says Enter skips a question one is unsure of: here it goes on to
    # the movements rather than ending with nothing described.
    ask, asked = _scripted({"child.age_months": ["7"], "movements": ["1"], "first": [""]})
    answers = interview(ask)
    assert "movements" in asked and answers["episodes"] == [{"movements": ["head_nod"]}]
    ask, asked = _scripted({"child.age_months": ["7"], "first": ["n"]})
    assert interview(ask)["episodes"] == [] and "movements" not in asked


def _ended(replies: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    """Scripted answers, then the end of the input (as Rich's prompt raises it)."""

    def ask(question: Question, error: str | None) -> str:
        queue = replies.get(question.key)
        if not queue:
            raise EOFError
        return queue.pop(0)

    return ask


@pytest.mark.parametrize(
    ("replies", "said"),
    [
        ({}, STOPPED_BEFORE_AGE),
        ({"red_flags": [""], "child.birth_date": [""]}, STOPPED_BEFORE_AGE),
        (
            {
                "red_flags": [""],
                "child.birth_date": ["", ""],
                "child.age_months": ["6"],
                "child.born_weeks": [""],
                "child.conditions": [""],
                "child.development": [""],
                "first": ["y"],
            },
            STOPPED_BEFORE_MOVEMENTS,
        ),
        (
            {
                "red_flags": [""],
                "child.birth_date": [""],
                "child.age_months": ["6"],
                "child.born_weeks": [""],
                "child.conditions": [""],
                "child.development": [""],
                "first": ["y"],
                "movements": ["1"],
            },
            STOPPED_BEFORE_THE_END,
        ),
    ],
)
def test_answers_that_end_early_say_what_was_missing(
    replies: dict[str, list[str]], said: str
) -> None:
    with pytest.raises(InterviewStopped) as stopped:
        interview(_ended(replies))
    assert stopped.value.message == said and stopped.value.ended
    assert said.endswith("nothing was saved.")


def test_the_age_left_empty_twice_stops_instead_of_asking_for_ever() -> None:
    ask, asked = _scripted({"red_flags": [""], "child.age_months": ["", "not sure", "6"]})
    with pytest.raises(InterviewStopped) as stopped:
        interview(ask)
    assert stopped.value.message == NO_AGE and not stopped.value.ended
    assert asked.count("child.age_months") == 2 and "first" not in asked
    # once empty is asked again with the reason; a wrong answer does not count
    ask, asked = _scripted({"child.age_months": ["", "abc", "6"], "first": ["n"]})
    assert interview(ask)["child"] == {"age_months": 6.0}


def test_the_movements_left_empty_twice_stop_too() -> None:
    ask, asked = _scripted({"child.age_months": ["6"], "first": ["y"], "movements": ["", ""]})
    with pytest.raises(InterviewStopped) as stopped:
        interview(ask)
    assert stopped.value.message == NO_MOVEMENTS and asked.count("movements") == 2


def test_a_warning_sign_needs_no_age_so_nothing_stops_it() -> None:
    # Enter at every question but the warning signs: the emergency answer, no age asked.
    ask, asked = _scripted({"red_flags": ["10"]})
    answers = interview(ask)
    assert asked == ["red_flags"] and answers["child"] == {}
    assert triage(parse_case(answers, age_optional=True)).level == "emergency"


@pytest.mark.parametrize("raw", ["n", "no", "No", " N ", "none", "ninguno", "ninguna"])
def test_no_to_the_warning_signs_is_none_of_them(raw: str) -> None:
    """The list of warning signs offers none ("Enter for none"): "no" says so too, in
    English and Spanish, and the interview goes on to the baby, as after Enter."""
    assert parse_answer(RED_FLAGS, raw) == [] and parse_answer(CONDITIONS, raw) == []
    ask, asked = _scripted({"red_flags": [raw], "child.age_months": ["7"], "first": ["n"]})
    answers = interview(ask)
    assert asked.count("red_flags") == 1 and "child.age_months" in asked
    assert answers == {"child": {"age_months": 7.0}, "episodes": []}
    # a later episode's warning signs take it too
    ask, asked = _scripted(
        {
            "child.age_months": ["7"],
            "first": ["y"],
            "movements": ["1", "1"],
            "more": ["y", "n"],
            "red_flags": ["", raw],
        }
    )
    assert len(interview(ask)["episodes"]) == 2 and asked.count("red_flags") == 2


def test_a_warning_sign_picked_still_stops_at_the_emergency() -> None:
    # "no" is none only as the whole reply: with a sign beside it, the reply is asked
    # again, never read as "none"; a sign alone stops the interview as before.
    for mixed in ("no 2", "2 no", "n, 2", "ninguno 1"):
        with pytest.raises(ValueError, match="is not one of the choices"):
            parse_answer(RED_FLAGS, mixed)
    ask, asked = _scripted({"red_flags": ["no 2", "2"], "child.age_months": ["7"]})
    answers = interview(ask)
    assert asked == ["red_flags", "red_flags"]
    assert answers == {"child": {}, "episodes": [{"red_flags": ["blue_or_grey"]}]}
    assert triage(parse_case(answers, age_optional=True)).level == "emergency"
    # a list that offers no "none" (the movements) refuses "no" as before; a choice of
    # yes and no keeps its "no"
    assert not MOVEMENTS.offers_none and "no" in NONE_OF_THESE
    with pytest.raises(ValueError, match="'no' is not one of the choices"):
        parse_answer(MOVEMENTS, "no")
    assert parse_answer(next(q for q in EPISODE_QUESTIONS if q.field == "responsive"), "no") == (
        "no"
    )


@pytest.mark.parametrize(
    "raw", ["no", "No", "n", "none", "nothing", "Nothing ", "nada", "ninguno", "ninguna"]
)
def test_no_says_nothing_set_the_movements_off(raw: str) -> None:
    """The question of what set the movements off offers none (Enter), as the warning
    signs and the known conditions do: "no", "none", "nothing" and "nada", "ninguno" say
    none too, rather than "'no' is not one of the choices"."""
    assert TRIGGERS.offers_none and "Enter for none" in TRIGGERS.text
    assert parse_answer(TRIGGERS, raw) == []
    for offers_none in (RED_FLAGS, CONDITIONS):
        assert parse_answer(offers_none, raw) == []
    # a trigger picked beside a "no" is asked again, never read as none
    with pytest.raises(ValueError, match="is not one of the choices"):
        parse_answer(TRIGGERS, f"{raw.strip()} 1")
    assert parse_answer(TRIGGERS, "1 3") == [list(VOCABULARIES["triggers"])[i] for i in (0, 2)]


def test_an_interview_answered_no_to_the_triggers_goes_on_without_them() -> None:
    ask, asked = _scripted(
        {
            "child.age_months": ["5"],
            "movements": ["1"],
            "triggers": ["nothing"],
            "notes": ["seen twice"],
            "more": ["n"],
        }
    )
    answers = interview(ask)
    assert asked.count("triggers") == 1 and "notes" in asked
    (episode,) = answers["episodes"]
    assert "triggers" not in episode and episode["notes"] == "seen twice"
    assert parse_case(answers).episodes[0].triggers == []


AFTER = next(q for q in EPISODE_QUESTIONS if q.field == "after")
#: The choices of yes and no (did the baby respond, did it stop ...).
YES_OR_NO_CHOICES = [
    q for q in EPISODE_QUESTIONS if q.kind == "choice" and {"yes", "no"} <= set(q.choices)
]


@pytest.mark.parametrize("raw", ["no", "No", "n", "none", "nothing", "nada", "ninguno", "ninguna"])
def test_no_says_nothing_happened_afterwards(raw: str) -> None:
    """ "Afterwards the baby..." (Enter to skip) takes "no" and "nada" as the triggers and
    the warning signs do, rather than "'no' is not one of the choices"; a choice picked
    beside a "no" is asked again."""
    assert AFTER.offers_none and AFTER.optional
    assert parse_answer(AFTER, raw) == []
    with pytest.raises(ValueError, match="is not one of the choices"):
        parse_answer(AFTER, f"{raw.strip()} 1")
    assert parse_answer(AFTER, "2 3") == [list(VOCABULARIES["after"])[i] for i in (1, 2)]
    ask, asked = _scripted(
        {"child.age_months": ["5"], "movements": ["1"], "after": [raw], "more": ["n"]}
    )
    answers = interview(ask)
    assert asked.count("after") == 1 and "triggers" in asked
    assert "after" not in answers["episodes"][0]


def test_every_list_that_may_be_left_empty_takes_no_for_none() -> None:
    """Consistently: each optional list (Enter answers it with none of its choices) takes
    "no", "none" and "nada" so too; the movements, which are needed, refuse it."""
    lists = [q for q in (*CHILD_QUESTIONS, *EPISODE_QUESTIONS) if q.kind == "multi"]
    assert {q.field for q in lists} == {
        "conditions",
        "red_flags",
        "movements",
        "after",
        "triggers",
    }
    for q in lists:
        assert q.offers_none == q.optional, q.field
        if q.optional:
            assert all(parse_answer(q, raw) == [] for raw in NONE_OF_THESE), q.field
    with pytest.raises(ValueError, match="'nada' is not one of the choices"):
        parse_answer(MOVEMENTS, "nada")


@pytest.mark.parametrize(
    ("raw", "said"),
    [("n", "no"), ("N", "no"), ("no", "no"), ("y", "yes"), ("sí", "yes"), ("si", "yes")],
)
def test_a_choice_of_yes_and_no_takes_the_yes_no_keys(raw: str, said: str) -> None:
    """A choice that offers "yes" and "no" takes "n", "y" and "sí" as a yes/no question
    does ("(y/n)"), as well as its words and numbers; a choice without them does not."""
    assert {q.field for q in YES_OR_NO_CHOICES} >= {"responsive", "stops_when_held"}
    for q in YES_OR_NO_CHOICES:
        assert parse_answer(q, raw) == said, q.field
    with pytest.raises(ValueError, match="is not one of the choices"):
        parse_answer(STATE, raw)


def _marked(message: str) -> str:
    """A ``gettext`` that marks what it was given, its placeholders kept."""
    return "ES: " + message


@pytest.mark.parametrize(
    ("question", "raw"),
    [
        (RED_FLAGS, "x"),
        (STATE, "1 2"),
        (AGE, "muchos"),
        (AGE, "5 furlongs"),
        (AGE, "300"),
        (SECONDS, "0"),
        (COUNT, "2.5"),
        (AGE, ""),
        (MOVEMENTS, "not sure"),
        (BIRTH, "ayer"),
        (BIRTH, "2999-01-01"),
        (STARTED, "mañana"),
        (STARTED, "2999-01-01 10:00"),
        (Question("more", "Did you see the movements on another occasion too?", "yesno"), "x"),
    ],
)
def test_what_the_interview_says_of_a_reply_goes_through_its_gettext(
    question: Question, raw: str
) -> None:
    """Every message about a reply it cannot read is a catalog message, said through the
    interview's ``gettext`` (the command line's ``--lang``), its values filled in after."""
    with pytest.raises(ValueError) as refused:
        parse_answer(question, raw, gettext=_marked)
    said = str(refused.value)
    assert said.startswith("ES: ") and "%(" not in said
    with pytest.raises(ValueError) as english:
        parse_answer(question, raw)
    assert said == "ES: " + str(english.value)


def test_the_interview_says_its_messages_and_numbers_in_its_language() -> None:
    spanish = {
        "%(answer)s is not one of the choices: give their numbers, 1 to %(n)s": (
            "%(answer)s no es una de las opciones: indique sus números, del 1 al %(n)s"
        ),
        "please give a number more than %(low)s and at most %(high)s": (
            "indique un número mayor que %(low)s y como máximo %(high)s"
        ),
        "please answer y or n": "responda s (sí) o n (no)",
    }

    def gettext(message: str) -> str:
        return spanish.get(message, message)

    errors: list[str] = []
    replies = {
        "red_flags": ["n"],
        "child.age_months": ["6"],
        "first": ["quizá", "s"],
        "movements": ["n", "1"],
        "count": ["3"],
        "interval_seconds": ["100000", "10"],
        "more": ["n"],
    }

    def scripted(question: Question, error: str | None) -> str:
        if error:
            errors.append(error)
        queue = replies.get(question.key, [])
        return queue.pop(0) if queue else ""

    answers = interview(scripted, gettext=gettext, locale="es")
    assert answers["child"] == {"age_months": 6.0}
    assert answers["episodes"] == [
        {"movements": ["head_nod"], "count": 3, "interval_seconds": 10.0}
    ]
    assert errors == [
        "responda s (sí) o n (no)",
        "'n' no es una de las opciones: indique sus números, del 1 al 18",
        "indique un número mayor que 0 y como máximo 86.400",  # the number as Spanish writes it
    ]
    # English: the messages and numbers as written
    with pytest.raises(ValueError, match=r"more than 0 and at most 86400$"):
        parse_answer(INTERVAL, "100000")
