"""'In your own words': per-field precision and recall of the free-text episode draft on the
parents' descriptions of ``tests/freetext_descriptions.py``, tuning and test halves.

A vocabulary field (movements, triggers, red flags) counts each word: found and stated
(true positive), found but not stated (false positive), stated but not found (false
negative). A single-valued field (state, count, durations, interval, fever) is right when
found and equal to what was stated (numbers within 10 %). ``--misses tuning`` lists the
tuning half's disagreements (never the test half's).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from spasmwatch.freetext import draft_episode
from spasmwatch.testing.descriptions import half

SET_FIELDS = ("movements", "triggers", "red_flags")
VALUE_FIELDS = (
    "state",
    "count",
    "movement_seconds",
    "interval_seconds",
    "episode_minutes",
    "fever_c",
)
FIELDS = ("movements", "state", "count", "movement_seconds", "interval_seconds",
          "episode_minutes", "triggers", "fever_c", "red_flags")  # fmt: skip


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= max(0.1 * abs(b), 0.05)
    return bool(a == b)


def score(items: list[dict[str, Any]]) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Per-field counts, precision and recall; and the disagreements."""
    counts = {f: {"tp": 0, "fp": 0, "fn": 0} for f in FIELDS}
    misses = []
    for item in items:
        got = draft_episode(item["text"]).episode
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", choices=["tuning"], help="list this half's disagreements")
    args = parser.parse_args(argv)
    tables = {name: score(half(name)) for name in ("tuning", "test")}
    print(f"{'field':<18} {'tuning P':>9} {'R':>6}   {'test P':>7} {'R':>6}   (test tp/fp/fn)")
    for f in FIELDS:
        a, b = tables["tuning"][0][f], tables["test"][0][f]
        print(
            f"{f:<18} {a['precision']:>9.2f} {a['recall']:>6.2f}   {b['precision']:>7.2f} "
            f"{b['recall']:>6.2f}   ({b['tp']}/{b['fp']}/{b['fn']})"
        )
    if args.misses:
        for line in tables[args.misses][1]:
            print(" ", line)
    texts = [d["text"] for name in ("tuning", "test") for d in half(name)]
    start = time.perf_counter()
    for _ in range(20):
        for text in texts:
            draft_episode(text)
    elapsed = time.perf_counter() - start
    print(f"speed: {elapsed / (20 * len(texts)) * 1e3:.2f} ms per description")


if __name__ == "__main__":
    main()
