"""Triage on the project's vignettes: the measures of section 4 of the clinical reference,
and the speed of the engine.

Prints exact-level accuracy, emergency sensitivity, the "safe" rate (right level or more
cautious), the over- to under-triage ratio, and cases triaged per second.

The vignettes are the project's own (tests/triage/test_vignettes.py) and the rules were
written with them in view, so the accuracy here is a regression check, not an independent
validation.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from spasmwatch.case import parse_case
from spasmwatch.triage import level_rank, triage
from triage.casebuild import NOW
from triage.test_vignettes import VIGNETTES


def main() -> None:
    cases = [(name, parse_case(data), expected) for name, data, expected in VIGNETTES]
    exact = over = under = 0
    emergencies = caught = 0
    for _, case, expected in cases:
        got = triage(case, now=NOW).level
        exact += got == expected
        over += level_rank(got) > level_rank(expected)
        under += level_rank(got) < level_rank(expected)
        if expected == "emergency":
            emergencies += 1
            caught += got == "emergency"
    n = len(cases)
    print(f"vignettes:             {n}")
    print(f"exact level:           {exact / n:.1%}")
    print(f"emergency sensitivity: {caught}/{emergencies}")
    print(f"safe (right or above): {(n - under) / n:.1%}")
    print(f"over / under triage:   {over} / {under}")

    repeats = 200
    start = time.perf_counter()
    for _ in range(repeats):
        for _, case, _ in cases:
            triage(case, now=NOW)
    elapsed = time.perf_counter() - start
    print(
        f"speed:                 {repeats * n / elapsed:,.0f} cases/s "
        f"({elapsed / (repeats * n) * 1e6:.0f} us per case)"
    )


if __name__ == "__main__":
    main()
