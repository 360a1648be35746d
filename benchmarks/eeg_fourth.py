"""Build the fourth evaluation set of infant EEG (``spasmwatch.testing.eeg_fourth``) and score
the analysis on it.

It prints, per kind and variant of recording, the number of recordings, how many show
hypsarrhythmia, how many carry electrodecremental events (EDEs), the EDEs, the episodes of
attenuation (neutral), the artefacts, the abrupt changes of the background and the hours,
then the build's time and size on disk. Unless ``--build-only``, it then runs the analysis
on every recording and prints the numbers of ``benchmarks/eeg_assess.py`` for the whole set
and for its two halves. The set was scored blind once (2026-12-05); it was then split by
background into a tuning half, on which decrement changes have since been chosen, and a
test half, never used to choose.

Run from the repository root::

    .venv/bin/python benchmarks/eeg_fourth.py                  # build (or reuse) and score
    .venv/bin/python benchmarks/eeg_fourth.py --build-only     # build and summarise only
    .venv/bin/python benchmarks/eeg_fourth.py --backgrounds 3  # the first 3 backgrounds

The set is written to ``benchmarks/.cache/eeg_fourth`` (``--out``) and reused while its
settings are unchanged (``--force`` rebuilds it); a set of the first N backgrounds goes to
``benchmarks/.cache/eeg_fourth_N`` unless ``--out`` is given.
"""

from __future__ import annotations

from collections.abc import Sequence

from eeg_assess import composition, scored_set, seeded_build
from spasmwatch.testing.eeg_fourth import (
    CACHE,
    DISCONTINUOUS,
    NO_DECREMENTS,
    NO_SPIKES,
    SEED,
    Case,
    background_names,
    build,
)

__all__ = ["DISCONTINUOUS", "NO_DECREMENTS", "NO_SPIKES", "halves", "main", "summary"]


def summary(cases: Sequence[Case]) -> list[str]:
    """The table of the set, per kind and variant, with a total row; abrupt changes of the
    background, the durations of the events and the montages."""
    lines = composition(cases, {"abrupt": lambda c: sum(k == "abrupt" for _t, _r, k in c.changes)})
    durations = [d for c in cases for _o, d in c.decrements]
    if durations:
        lines.append(
            f"EDE durations: {min(durations):.1f}-{max(durations):.1f} s; "
            f"montages: {sum(c.montage == 'bipolar' for c in cases)} bipolar, "
            f"{sum(c.montage == 'referential' for c in cases)} referential"
        )
    return lines


def halves(cases: Sequence[Case]) -> list[tuple[str, list[Case]]]:
    """The tuning and the test half of the set, split by background after its blind run:
    the backgrounds in order of name, alternately (the first, third, ... to tuning)."""
    order = sorted({c.background for c in cases})
    tuning = [c for c in cases if order.index(c.background) % 2 == 0]
    test = [c for c in cases if order.index(c.background) % 2 == 1]
    return [
        ("TUNING HALF (in-sample: decrement changes chosen on it since the blind run)", tuning),
        ("TEST HALF (never used to choose; not blind since its first run, 2026-12-05)", test),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the set, print its composition and, unless ``--build-only``, score
    the analysis on it, as a whole and by half."""
    names = background_names()
    build_set, add_seed = seeded_build(build, SEED, names)
    return scored_set(
        argv, __doc__ or "", "fourth", names, CACHE, build_set,
        (NO_SPIKES, NO_DECREMENTS, DISCONTINUOUS), summary, add_seed,
        whole_label="WHOLE SET (scored blind once; its tuning half since used to choose)",
        parts=halves,
    )  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
