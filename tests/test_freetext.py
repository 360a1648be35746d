"""'In your own words': the free-text episode draft, its negations, numbers in words and
evidence; and the targets on the parents' descriptions (each half scored as a whole)."""

from __future__ import annotations

import pytest

from spasmwatch.case import VOCABULARIES, parse_case
from spasmwatch.freetext import MAX_TEXT_CHARS, draft_episode
from spasmwatch.testing.descriptions import DESCRIPTIONS, half
from spasmwatch.testing.drafts import score
from spasmwatch.triage import triage


def test_a_cluster_on_waking() -> None:
    draft = draft_episode(
        "my 6 month old keeps dropping his head forward and his arms fly up, like ten times "
        "in a row right after he wakes up, every 5 seconds, each one about a second"
    )
    e = draft.episode
    assert set(e["movements"]) == {"head_nod", "arms_up"}
    assert e["state"] == "just_woke" and e["count"] == 10
    assert e["interval_seconds"] == 5 and e["movement_seconds"] == 1
    assert "arms fly" in draft.evidence["movements"][1] or "arms fly" in " ".join(
        draft.evidence["movements"]
    )
    assert draft.evidence["count"] == ["like ten times in a row"]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("no fever, she didn't turn blue, arms jerk", ("fever_c", "red_flags")),
        ("she never stopped breathing and was not sick", ("red_flags",)),
        ("he didnt hit his head. no vomiting. no rash", ("red_flags",)),
        ("breathing was fine, not grey at all", ("red_flags",)),
    ],
)
def test_negations(text: str, absent: tuple[str, ...]) -> None:
    episode = draft_episode(text).episode
    for field in absent:
        assert field not in episode, (field, episode)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("his lips went blue", "blue_or_grey"),
        ("she was not breathing right", "breathing_difficulty"),
        ("he won't wake up properly", "extreme_sleepiness"),
        ("still isn't himself an hour later", "not_back_to_normal"),
        ("she bumped her head on the cot", "head_injury"),
    ],
)
def test_warning_signs_with_their_own_negation_words(text: str, flag: str) -> None:
    assert flag in draft_episode(text).episode["red_flags"]


def test_numbers_in_words_and_fahrenheit() -> None:
    e = draft_episode("a temp of thirty eight point five, shaking for about five minutes").episode
    assert e["fever_c"] == 38.5 and e["episode_minutes"] == 5
    assert draft_episode("fever 102 F and jerking").episode["fever_c"] == 38.9
    assert draft_episode("five or six times in a row").episode["count"] == 6


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("his head drops half a dozen times after waking", 6),
        ("arms fly up, half a dozen in a row", 6),
        ("head nods a dozen times when he wakes", 12),
        ("head nods about a dozen times in a row", 12),
    ],
)
def test_half_a_dozen_is_six(text: str, count: int) -> None:
    draft = draft_episode(text)
    assert draft.episode["count"] == count
    assert "dozen" in draft.evidence["count"][0]


def test_notes_keep_the_words_and_bad_text_is_refused() -> None:
    assert draft_episode("hiccups").episode["notes"] == "hiccups"
    with pytest.raises(ValueError, match="'text'"):
        draft_episode("   ")
    with pytest.raises(ValueError, match=str(MAX_TEXT_CHARS)):
        draft_episode("x" * (MAX_TEXT_CHARS + 1))


def test_every_word_drafted_is_in_the_vocabularies() -> None:
    for item in DESCRIPTIONS:
        e = draft_episode(item["text"]).episode
        for field in ("movements", "triggers", "red_flags", "after"):
            assert set(e.get(field, [])) <= set(VOCABULARIES[field])
        if "state" in e:
            assert e["state"] in VOCABULARIES["state"]


def test_the_descriptions_are_at_least_sixty_in_two_halves() -> None:
    assert len(DESCRIPTIONS) >= 60
    assert abs(len(half("tuning")) - len(half("test"))) <= 1


@pytest.mark.parametrize("name", ["tuning", "test"])
def test_targets_on_each_half(name: str) -> None:
    table, _ = score(half(name))
    for field in ("movements", "state"):
        assert table[field]["precision"] >= 0.9 and table[field]["recall"] >= 0.9, field
    assert table["red_flags"]["recall"] == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "he was shaking all over for about 6 minutes and would not stop",
        "the fit lasted 5 mins or more",
        "her head kept nodding and would not stop for 10 minutes",
        "a convulsion of five to ten minutes",
    ],
)
def test_a_seizure_of_5_minutes_or_more_is_the_warning_sign(text: str) -> None:
    draft = draft_episode(text)
    assert "seizure_5_minutes" in draft.episode["red_flags"]
    assert draft.evidence["red_flags"]
    case = parse_case({"child": {"age_months": 8}, "episodes": [draft.episode]})
    assert triage(case).level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "he was shaking for about 4 minutes",
        "she had a fit for almost 5 minutes",
        "a seizure of less than five minutes",
        "he did not have a fit, he was stiff for a second, 10 minutes ago",
        "no seizure, she played happily for 10 minutes",
        "jerks in her sleep for 20 minutes but they stop as soon as I pick her up and she wakes",
        "jackknife spasms, one every 5-6 seconds for about ten minutes",
    ],
)
def test_no_long_seizure_under_5_minutes_or_without_a_seizure(text: str) -> None:
    assert "seizure_5_minutes" not in draft_episode(text).episode.get("red_flags", [])


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("he is 4 months old and his head drops", 4),
        ("a 3-week-old with jitters", 0.7),
        ("my baby is 10 weeks", 2.3),
        ("10 weeks, arms jerk", 2.3),
        ("she's 1 and stares", 12),
        ("two and a half months old", 2.5),
        ("a year and a half old", 18),
        ("our son (5mo) nods", 5),
        ("born at 34 weeks, now 2 months", 2),
    ],
)
def test_the_babys_age(text: str, months: float) -> None:
    draft = draft_episode(text)
    assert draft.child == {"age_months": months}
    assert draft.evidence["age_months"]
    assert "age_months" not in draft.episode  # the child's, not the episode's
    assert draft.to_dict()["child"] == draft.child


@pytest.mark.parametrize(
    "text",
    [
        "for 2 weeks now he jerks",
        "3 weeks ago it started",
        "born at 34 weeks",
        "it is 2 weeks since",
        "she's 38.5",
        "he's 5 times worse",
    ],
)
def test_no_age_where_it_is_not_one(text: str) -> None:
    assert draft_episode(text).child == {}


@pytest.mark.parametrize(
    "text",
    ["no fever", "without fever", "she had no temperature", "no fever of 39", "not feverish"],
)
def test_no_fever_leaves_the_temperature_empty(text: str) -> None:
    # The form asks the temperature measured; "no fever" gives none (and no warning sign).
    draft = draft_episode(f"arms jerk, {text}")
    assert "fever_c" not in draft.episode and "red_flags" not in draft.episode
    assert draft.episode["movements"] == ["limb_jerk"]
    assert draft_episode("no fever, temp was 37.2").episode["fever_c"] == 37.2


def test_english_is_the_default_and_spanish_words_are_not_read_as_english() -> None:
    text = "se pone rígido y tiembla, sin fiebre, tiene 4 meses"
    assert draft_episode(text).episode.keys() == {"notes"}
    assert draft_episode(text, "es").episode["movements"] == ["stiffening", "tremor"]


@pytest.mark.parametrize(
    ("text", "mentioned"),
    [
        ("no fever, her head drops", {"no_fever": ["no fever"]}),
        ("she has a fever and her head drops", {"fever_unmeasured": ["she has a fever"]}),
        ("he was feverish; arms fly up", {"fever_unmeasured": ["he was feverish"]}),
        ("she is running a temperature", {"fever_unmeasured": ["she is running a temperature"]}),
        # a temperature fills the field: nothing is left to say back
        ("fever of 38.5, arms fly up", {}),
        ("her temperature was normal", {}),
        ("her head drops", {}),
        # phrases that deny a fever by themselves
        ("she is fever-free, head drops", {"no_fever": ["she is fever-free"]}),
        ("non-febrile", {"no_fever": ["non-febrile"]}),
        ("fever: none", {"no_fever": ["fever: none"]}),
        # a number just after it is a temperature: never "no temperature"
        ("had a temp, 37.9", {}),
        # each said from where the one before it ended
        ("no fever, then later no fever", {"no_fever": ["no fever", "later no fever"]}),
        # a letter that lowers to two does not shift what is quoted
        ("İİ, she has a fever; head drops", {"fever_unmeasured": ["she has a fever"]}),
    ],
)
def test_a_fever_without_a_temperature_is_said_back(text: str, mentioned: dict) -> None:
    draft = draft_episode(text)
    assert draft.mentioned == mentioned
    assert "fever_c" not in draft.evidence or not mentioned
    assert draft.to_dict()["mentioned"] == mentioned
