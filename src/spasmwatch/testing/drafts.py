"""Scoring the free-text episode draft against what the parents' descriptions state
(``benchmarks/episode_draft.py`` prints it; ``tests/test_freetext.py`` checks it).

A vocabulary field (movements, triggers, red flags) counts each word: found and stated
(true positive), found but not stated (false positive), stated but not found (false
negative). A single-valued field (state, count, durations, interval, fever, the baby's
age) is right when found and equal to what was stated (numbers within 10 %, or 0.05).
"""

from __future__ import annotations

from typing import Any

from spasmwatch.freetext import draft_episode

__all__ = ["FIELDS", "score"]

SET_FIELDS = ("movements", "triggers", "red_flags")
VALUE_FIELDS = (
    "state",
    "count",
    "movement_seconds",
    "interval_seconds",
    "episode_minutes",
    "fever_c",
    "age_months",
)
FIELDS = ("movements", "state", "count", "movement_seconds", "interval_seconds",
          "episode_minutes", "triggers", "fever_c", "red_flags", "age_months")  # fmt: skip


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= max(0.1 * abs(b), 0.05)
    return bool(a == b)


def score(
    items: list[dict[str, Any]], lang: str = "en"
) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Per-field counts, precision and recall; and the disagreements (descriptions in
    ``lang``)."""
    counts = {f: {"tp": 0, "fp": 0, "fn": 0} for f in FIELDS}
    misses = []
    for item in items:
        draft = draft_episode(item["text"], lang)
        got = {**draft.episode, **draft.child}
        gold = item["gold"]
        for f in SET_FIELDS:
            g, p = set(gold.get(f, ())), set(got.get(f, ()))
            counts[f]["tp"] += len(g & p)
            counts[f]["fp"] += len(p - g)
            counts[f]["fn"] += len(g - p)
            if g != p:
                misses.append(f"{item['id']} {f}: stated {sorted(g)}, found {sorted(p)}")
        for f in VALUE_FIELDS:
            g, p = gold.get(f), got.get(f)
            if g is not None and p is not None and _same(p, g):
                counts[f]["tp"] += 1
                continue
            counts[f]["fp"] += p is not None
            counts[f]["fn"] += g is not None
            if g is not None or p is not None:
                misses.append(f"{item['id']} {f}: stated {g}, found {p}")
    table = {}
    for f, c in counts.items():
        found, stated = c["tp"] + c["fp"], c["tp"] + c["fn"]
        table[f] = {
            **c,
            "precision": c["tp"] / found if found else 1.0,
            "recall": c["tp"] / stated if stated else 1.0,
        }
    return table, misses
