"""Facts kept between triages (:class:`~spasmwatch.triage.facts.FactsMemo`) and the
episode tests read once per episode (:meth:`~spasmwatch.triage.facts.Facts.passing`)
never change an answer: random diaries, triaged after each change as the derived state
does, give what a triage from scratch gives."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from typing import Any

from spasmwatch.care.response import spasm_days
from spasmwatch.case import VOCABULARIES, Case, Episode, parse_case
from spasmwatch.diary import state
from spasmwatch.testing.triage.casebuild import NOW
from spasmwatch.triage import triage
from spasmwatch.triage.facts import _TESTS, LOOKALIKE_MOVEMENTS, FactsMemo, derive_facts

_WORDS = {name: sorted(words) for name, words in VOCABULARIES.items()}
_MOVES = _WORDS["movements"]


def _episode(rng: random.Random) -> dict[str, Any]:
    """A random case-format episode within the 10 days before NOW (or untimed)."""
    doc: dict[str, Any] = {
        "movements": rng.sample(_MOVES, rng.choice((1, 1, 2, 3))),
        "state": rng.choice(_WORDS["state"]),
    }
    if rng.random() < 0.9:
        minutes = rng.choice((rng.randint(0, 120), rng.randint(0, 10 * 24 * 60)))
        doc["started_at"] = (NOW - timedelta(minutes=minutes)).isoformat()
    optional: dict[str, Any] = {
        "side": lambda: rng.choice(_WORDS["side"]),
        "movement_seconds": lambda: rng.choice((0.2, 1.0, 2.0, 5.0, 45.0, 400.0)),
        "count": lambda: rng.choice((1, 2, 3, 10, 40)),
        "interval_seconds": lambda: rng.choice((5.0, 30.0, 90.0)),
        "episode_minutes": lambda: rng.choice((0.5, 3.0, 6.0, 20.0)),
        "stops_when_woken": lambda: rng.choice(_WORDS["stops_when_woken"]),
        "responsive": lambda: rng.choice(_WORDS["responsive"]),
        "after": lambda: rng.sample(_WORDS["after"], rng.randint(0, 2)),
        "fever_c": lambda: rng.choice((37.0, 38.5, 39.5)),
        "red_flags": lambda: rng.sample(_WORDS["red_flags"], 1),
        "typical_for_child": lambda: rng.choice(_WORDS["typical_for_child"]),
    }
    for name, value in optional.items():
        if rng.random() < (0.05 if name == "red_flags" else 0.4):
            doc[name] = value()
    return parse_case({"child": {"age_months": 6}, "episodes": [doc]}).to_json_dict()["episodes"][0]


def _child(rng: random.Random) -> dict[str, Any]:
    child: dict[str, Any] = {}
    if rng.random() < 0.5:
        child["birth_date"] = (NOW.date() - timedelta(days=rng.randint(20, 900))).isoformat()
    else:
        child["age_months"] = rng.choice((0.5, 2.0, 6.0, 14.0, 30.0, 80.0))
    if rng.random() < 0.3:
        child["conditions"] = rng.sample(_WORDS["conditions"], rng.randint(1, 2))
    if rng.random() < 0.3:
        child["development"] = rng.choice(_WORDS["development"])
    return child


def _order(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Oldest first, as the store reads a diary (untimed ones last here)."""
    return sorted(docs, key=lambda d: d.get("started_at") or "9999")


def test_passing_is_where_for_every_registered_test() -> None:
    rng = random.Random(11)
    for _ in range(40):
        docs = [_episode(rng) for _ in range(rng.randint(0, 30))]
        facts = derive_facts(parse_case({"child": _child(rng), "episodes": docs}), NOW)
        for number, test in enumerate(_TESTS):
            assert facts.passing(number) == facts.where(test)


def test_a_diary_triaged_after_each_change_answers_as_from_scratch() -> None:
    """Episodes added anywhere, edited and deleted, a birth date changed and a day gone
    by: with one memo throughout (as the derived state keeps one), each answer is the
    one a triage without it gives."""
    rng = random.Random(2026)
    memo = FactsMemo(max_episodes=300)  # small: it also starts again when full
    for _ in range(120):
        child = _child(rng)
        docs = [_episode(rng) for _ in range(rng.randint(0, 25))]
        parsed: dict[str, Episode] = {}
        for step in range(rng.randint(1, 6)):
            change = rng.random()
            if change < 0.6 or not docs:
                docs.append(_episode(rng))
            elif change < 0.75:
                docs[rng.randrange(len(docs))] = _episode(rng)
            elif change < 0.85:
                docs.pop(rng.randrange(len(docs)))
            elif change < 0.95:
                child = _child(rng)
            docs = _order(docs)
            now = NOW + timedelta(days=step // 3, minutes=rng.randint(0, 90))
            texts = [json.dumps(d) for d in docs]
            episodes = [parsed.setdefault(t, Episode.model_validate(json.loads(t))) for t in texts]
            kept = triage(parse_case({"child": child, "episodes": episodes}), now, memo)
            fresh = triage(parse_case({"child": child, "episodes": docs}), now)
            assert kept.to_dict() == fresh.to_dict()


def _startles_like_spasms(case: Case, d: dict[str, Any]) -> bool:
    """The ``startle-series`` rule's test written out from its definition: startles, 3 or
    more with gaps of at most 60 s, not asleep, at 1-24 months."""
    started = datetime.fromisoformat(d["started_at"]) if d.get("started_at") else None
    return (
        "startle" in (d.get("movements") or ())
        and (d.get("count") or 0) >= 3
        and (d.get("interval_seconds") is None or d["interval_seconds"] <= 60)
        and d.get("state") != "asleep"
        and 1 <= case.age_months_at(started) <= 24
    )


def test_the_derived_state_of_random_diaries_is_computed_as_before() -> None:
    """The state module's triage (parsed texts, kept facts) and per-day counts equal a
    triage from scratch and the counts read from the documents (a series of startles
    that the triage calls spasm-like is a spasm-like day and no look-alike)."""
    rng = random.Random(7)
    startle_series_seen = 0
    for _ in range(60):
        child = {"age_months": rng.choice((2.0, 6.0, 14.0, 30.0))}
        docs: list[dict[str, Any]] = []
        for _ in range(rng.randint(1, 5)):
            docs = _order([*docs, *(_episode(rng) for _ in range(rng.randint(1, 20)))])
            result, counts, spasms = state._compute(
                child, state._parse([json.dumps(d) for d in docs])
            )
            case = parse_case({"child": child, "episodes": docs})
            assert result == triage(case).to_dict()
            startles = [d for d in docs if _startles_like_spasms(case, d)]
            startle_series_seen += len(startles)
            startle_days = {
                datetime.fromisoformat(d["started_at"]).date()
                for d in startles
                if d.get("started_at")
            }
            assert spasms == tuple(sorted({*spasm_days(docs), *startle_days}))
            expected: dict[date, list[int]] = {}
            for d in docs:
                if d.get("started_at"):
                    day = datetime.fromisoformat(d["started_at"]).date()
                    n = expected.setdefault(day, [0, 0, 0, 0])
                    n[0] += 1
                    n[1] += int(d.get("count") or 1)
                    # the movements of episodes of look-alikes only, less a series of
                    # startles that the triage calls spasm-like
                    moves = set(d.get("movements") or ())
                    if moves and moves <= LOOKALIKE_MOVEMENTS and d not in startles:
                        n[2] += int(d.get("count") or 1)
                    # the episodes that name a movement without a count
                    n[3] += int(bool(moves) and not d.get("count"))
            assert counts == {day: tuple(n) for day, n in sorted(expected.items())}
    assert startle_series_seen > 0  # the random diaries hold some
