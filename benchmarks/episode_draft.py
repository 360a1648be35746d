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

from spasmwatch.freetext import draft_episode
from spasmwatch.testing.descriptions import half
from spasmwatch.testing.drafts import FIELDS, score


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
