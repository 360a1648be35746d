"""Property tests of the safety principle over many generated cases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmwatch.case import VOCABULARIES, parse_case
from spasmwatch.testing.triage.casebuild import NOW
from spasmwatch.triage import RULES, level_rank, triage

words = {name: list(vocab) for name, vocab in VOCABULARIES.items()}


def subset(name: str, max_size: int = 3) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(words[name]), max_size=max_size, unique=True)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def episodes(draw: st.DrawFn) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "started_at": draw(
            optional(
                st.integers(0, 10 * 24 * 60).map(lambda m: (NOW - timedelta(minutes=m)).isoformat())
            )
        ),
        "state": draw(st.sampled_from(words["state"])),
        "movements": draw(
            st.lists(st.sampled_from(words["movements"]), min_size=1, max_size=3, unique=True)
        ),
        "side": draw(st.sampled_from(words["side"])),
        "movement_seconds": draw(optional(st.floats(0.05, 600))),
        "count": draw(optional(st.integers(1, 50))),
        "interval_seconds": draw(optional(st.floats(0.5, 300))),
        "episode_minutes": draw(optional(st.floats(0.05, 30))),
        "stops_when_woken": draw(st.sampled_from(words["stops_when_woken"])),
        "stops_when_held": draw(st.sampled_from(words["stops_when_held"])),
        "stops_with_distraction": draw(st.sampled_from(words["stops_with_distraction"])),
        "responsive": draw(st.sampled_from(words["responsive"])),
        "after": draw(subset("after")),
        "triggers": draw(subset("triggers")),
        "fever_c": draw(optional(st.floats(35, 41))),
        "red_flags": draw(st.just([]) | subset("red_flags", 1)),
        "typical_for_child": draw(st.sampled_from(words["typical_for_child"])),
    }
    return {k: v for k, v in fields.items() if v is not None}


@st.composite
def cases(draw: st.DrawFn, min_episodes: int = 0) -> dict[str, Any]:
    return {
        "child": {
            "age_months": draw(st.floats(0, 216)),
            "conditions": draw(subset("conditions")),
            "development": draw(st.sampled_from(words["development"])),
        },
        "episodes": draw(st.lists(episodes(), min_size=min_episodes, max_size=4)),
    }


def with_benign_features(data: dict[str, Any], which: dict[str, Any]) -> dict[str, Any]:
    """The case with reassuring features added to every episode."""
    out = {"child": dict(data["child"]), "episodes": []}
    if which.get("reflux"):
        out["child"]["conditions"] = sorted({*out["child"]["conditions"], "reflux"})
    for e in data["episodes"]:
        e = dict(e)
        for key in ("stops_when_woken", "stops_when_held", "stops_with_distraction"):
            if which.get(key):
                e[key] = "yes"
        e["triggers"] = sorted({*e.get("triggers", []), *which.get("triggers", [])})
        if which.get("normal_after"):
            e["after"] = sorted({*e.get("after", []), "normal"})
        out["episodes"].append(e)
    return out


benign_choices = st.fixed_dictionaries(
    {
        "stops_when_woken": st.booleans(),
        "stops_when_held": st.booleans(),
        "stops_with_distraction": st.booleans(),
        "triggers": subset("triggers", 7),
        "normal_after": st.booleans(),
        "reflux": st.booleans(),
    }
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=cases(), flag=st.sampled_from(words["red_flags"]), where=st.integers(0, 10))
def test_any_red_flag_makes_any_case_an_emergency(
    data: dict[str, Any], flag: str, where: int
) -> None:
    if data["episodes"]:
        e = data["episodes"][where % len(data["episodes"])]
        e["red_flags"] = sorted({*e.get("red_flags", []), flag})
    else:
        data["episodes"].append({"movements": ["limb_jerk"], "red_flags": [flag]})
    assert triage(data, now=NOW).level == "emergency"


@SETTINGS
@given(data=cases(min_episodes=1), benign=benign_choices)
def test_benign_features_never_cancel_a_spasm_rule(
    data: dict[str, Any], benign: dict[str, Any]
) -> None:
    before = triage(data, now=NOW)
    spasm_rules = {r.rule for r in before.reasons if r.rule.startswith("spasm")}
    after = triage(with_benign_features(data, benign), now=NOW)
    if spasm_rules:
        assert level_rank(after.level) >= level_rank("same_day")
        assert spasm_rules <= {r.rule for r in after.reasons}
    if before.level == "emergency":
        assert after.level == "emergency"


@SETTINGS
@given(data=cases())
def test_every_valid_case_gets_a_complete_answer(data: dict[str, Any]) -> None:
    result = triage(parse_case(data), now=NOW)
    assert result.level in ("emergency", "same_day", "soon", "routine")
    assert result.title and result.advice
    assert all(r.rule and r.text and r.source for r in result.reasons)
    if data["episodes"]:
        assert result.reasons, "an episode always gets at least one reason"
    assert triage(data, now=NOW) == result  # deterministic


SPASM_RULE_IDS = {rule.id for rule in RULES if rule.group == "spasm"}


@SETTINGS
@given(data=cases(min_episodes=1))
def test_no_first_seizure_is_said_beside_other_spasm_like_episodes(data: dict[str, Any]) -> None:
    """Spasms are seizures: "a first seizure" is said only of a diary whose spasm-like
    episodes (those a spasm rule speaks about) are none but that seizure itself."""
    result = triage(data, now=NOW)
    spasm_like = {i for r in result.reasons if r.rule in SPASM_RULE_IDS for i in r.episodes}
    for reason in result.reasons:
        if reason.rule in ("first-seizure", "first-seizure-now"):
            assert spasm_like <= set(reason.episodes), (reason.rule, spasm_like)
        if reason.rule == "seizure-besides-spasms":
            assert spasm_like and spasm_like.isdisjoint(reason.episodes)
