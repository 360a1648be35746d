"""'In your own words': per-field precision and recall of the free-text episode draft on the
parents' descriptions, in English (``spasmwatch/testing/descriptions.py``) and in Spanish
(``spasmwatch/testing/descriptions_es.py``), each on its tuning half (in-sample: the phrase
lists were changed while looking at it) and its test half (held out, never tuned on).

A vocabulary field (movements, triggers, red flags) counts each word: found and stated
(true positive), found but not stated (false positive), stated but not found (false
negative). A single-valued field (state, count, durations, interval, fever, the baby's age)
is right when found and equal to what was stated (numbers within 10 %). ``--misses`` lists
a language's tuning half's disagreements (never the test half's).
"""

from __future__ import annotations

import argparse
import time
from types import ModuleType

from spasmwatch.freetext import draft_episode
from spasmwatch.testing import descriptions, descriptions_es
from spasmwatch.testing.drafts import FIELDS, score

#: The descriptions of each language.
SETS: dict[str, ModuleType] = {"en": descriptions, "es": descriptions_es}


def report(lang: str, misses: bool = False) -> None:
    """Print one language's table (and its tuning half's disagreements)."""
    halves = SETS[lang]
    tables = {name: score(halves.half(name), lang) for name in ("tuning", "test")}
    sizes = {name: len(halves.half(name)) for name in tables}
    print(
        f"\n{lang}: tuning half {sizes['tuning']} (in-sample), test half {sizes['test']} (held out)"
    )
    print(f"{'field':<18} {'tuning P':>9} {'R':>6}   {'test P':>7} {'R':>6}   (test tp/fp/fn)")
    for f in FIELDS:
        a, b = tables["tuning"][0][f], tables["test"][0][f]
        print(
            f"{f:<18} {a['precision']:>9.2f} {a['recall']:>6.2f}   {b['precision']:>7.2f} "
            f"{b['recall']:>6.2f}   ({b['tp']}/{b['fp']}/{b['fn']})"
        )
    if misses:
        for line in tables["tuning"][1]:
            print(" ", line)
    texts = [d["text"] for name in ("tuning", "test") for d in halves.half(name)]
    start = time.perf_counter()
    for _ in range(20):
        for text in texts:
            draft_episode(text, lang)
    elapsed = time.perf_counter() - start
    print(f"speed: {elapsed / (20 * len(texts)) * 1e3:.2f} ms per description")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=sorted(SETS), help="one language only")
    parser.add_argument("--misses", choices=["tuning"], help="list the tuning half's disagreements")
    args = parser.parse_args(argv)
    for lang in [args.lang] if args.lang else list(SETS):
        report(lang, misses=bool(args.misses))


if __name__ == "__main__":
    main()
