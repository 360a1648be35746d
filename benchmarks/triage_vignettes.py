"""Triage on vignettes: the measures of section 4 of the clinical reference, and the speed
of the engine.

Three sets are scored:

- the **blind vignettes** (``tests/triage/blind_vignettes.py``): 75 cases written from
  published sources, each with its gold level and source, and committed before the engine
  was first run on them; scored as one set (its first run, with rules 1.1.0, is the blind
  result reported in ``docs/benchmarks.md``);
- the **independent vignettes** (``tests/triage/independent_vignettes.py``): 113 cases
  written from published sources, each with its gold level and source, before the engine
  was run on them; a **tuning** half (rules were changed while looking at it) and a
  **test** half (only ever scored as a whole);
- the project's own **regression vignettes** (``tests/triage/test_vignettes.py``), written
  with the rules in view: a regression check, not a validation.

For each: exact-level accuracy, emergency sensitivity, the "safe" rate (right level or
more cautious), over- and under-triage. ``--misses tuning`` lists the tuning half's
disagreements (the test half's are never listed: looking at them would make it a tuning
set); ``--misses blind`` lists the blind set's (already looked at once, after its blind
run).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from spasmwatch.case import parse_case
from spasmwatch.testing.triage.blind_vignettes import NOW as BLIND_NOW
from spasmwatch.testing.triage.blind_vignettes import VIGNETTES as BLIND
from spasmwatch.testing.triage.casebuild import NOW as REGRESSION_NOW
from spasmwatch.testing.triage.independent_vignettes import NOW, half
from spasmwatch.testing.triage.regression_vignettes import VIGNETTES as REGRESSION
from spasmwatch.triage import level_rank, triage


def score(items: list[tuple[str, dict[str, Any], str]], now: Any) -> dict[str, Any]:
    """Exact, safe, over, under and emergency sensitivity of ``(name, case, gold)`` items."""
    exact = over = under = emergencies = caught = 0
    misses = []
    for name, data, gold in items:
        got = triage(parse_case(data), now=now).level
        exact += got == gold
        over += level_rank(got) > level_rank(gold)
        under += level_rank(got) < level_rank(gold)
        if gold == "emergency":
            emergencies += 1
            caught += got == "emergency"
        if got != gold:
            misses.append((name, gold, got))
    n = len(items)
    return {
        "n": n,
        "exact": exact,
        "safe": n - under,
        "over": over,
        "under": under,
        "emergencies": emergencies,
        "caught": caught,
        "misses": misses,
    }


def _line(label: str, s: dict[str, Any]) -> str:
    n = s["n"]
    return (
        f"{label:<22} {n:>4}  exact {s['exact'] / n:6.1%} ({s['exact']}/{n})  "
        f"safe {s['safe'] / n:6.1%}  over {s['over']:>2}  under {s['under']:>2}  "
        f"emergencies {s['caught']}/{s['emergencies']}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--misses", choices=["tuning", "blind"], help="list this set's disagreements"
    )
    args = parser.parse_args(argv)

    halves = {
        name: [(f"{v['id']} {v['summary']}", v["case"], v["gold"]) for v in half(name)]
        for name in ("tuning", "test")
    }
    scores = {name: score(items, NOW) for name, items in halves.items()}
    scores["blind"] = score(
        [(f"{v['id']} {v['summary']}", v["case"], v["gold"]) for v in BLIND], BLIND_NOW
    )
    regression = score(REGRESSION, REGRESSION_NOW)
    print(_line("blind", scores["blind"]))
    print(_line("independent, tuning", scores["tuning"]))
    print(_line("independent, test", scores["test"]))
    print(_line("regression (own)", regression))
    if args.misses:
        for name, gold, got in scores[args.misses]["misses"]:
            print(f"  {name}: gold {gold}, got {got}")

    cases = [parse_case(data) for _, data, _ in REGRESSION]
    repeats = 100
    start = time.perf_counter()
    for _ in range(repeats):
        for case in cases:
            triage(case, now=REGRESSION_NOW)
    elapsed = time.perf_counter() - start
    print(
        f"speed: {repeats * len(cases) / elapsed:,.0f} cases/s "
        f"({elapsed / (repeats * len(cases)) * 1e6:.0f} us per case)"
    )


if __name__ == "__main__":
    main()
