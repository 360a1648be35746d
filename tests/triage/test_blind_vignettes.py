"""The blind vignettes (``blind_vignettes.py``): the set is well formed, and the engine keeps
the safety properties on it as a whole (every emergency caught, no under-triage, exact level
at least 90 %). Single cases are not asserted: the set is scored as a whole, so that no
answer is written into the tests."""

from __future__ import annotations

from collections import Counter

from spasmwatch.case import parse_case
from spasmwatch.testing.triage.blind_vignettes import NOW, VIGNETTES
from spasmwatch.triage import LEVELS, level_rank, triage


def test_the_set_is_large_sourced_and_covers_every_level() -> None:
    assert len(VIGNETTES) >= 60
    assert len({v["id"] for v in VIGNETTES}) == len(VIGNETTES)
    for v in VIGNETTES:
        assert v["gold"] in LEVELS and v["source"] and v["summary"]
        parse_case(v["case"])
    golds = Counter(v["gold"] for v in VIGNETTES)
    assert all(golds[level] >= 10 for level in LEVELS)


def test_safety_on_the_whole_set() -> None:
    got = [triage(v["case"], now=NOW).level for v in VIGNETTES]
    gold = [v["gold"] for v in VIGNETTES]
    pairs = list(zip(got, gold, strict=True))
    assert sum(e == "emergency" and g != "emergency" for g, e in pairs) == 0
    assert sum(level_rank(g) < level_rank(e) for g, e in pairs) == 0
    assert sum(g == e for g, e in pairs) / len(pairs) >= 0.9
