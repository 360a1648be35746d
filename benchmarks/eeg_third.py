"""Build the third evaluation set of infant EEG (``spasmwatch.testing.eeg_third``) and score the
analysis on it.

It prints, per kind and variant of recording, the number of recordings, how many show
hypsarrhythmia, how many carry electrodecremental events (EDEs), the EDEs, the episodes of
attenuation (neutral), the artefacts and the hours, then the build's time and size on disk.
Unless ``--build-only``, it then runs the analysis on every recording and prints the numbers
of ``benchmarks/eeg_assess.py`` for the whole set, which is never used to choose anything.

Run from the repository root::

    .venv/bin/python benchmarks/eeg_third.py                  # build (or reuse) and score
    .venv/bin/python benchmarks/eeg_third.py --build-only     # build and summarise only
    .venv/bin/python benchmarks/eeg_third.py --backgrounds 3  # the first 3 backgrounds

The set is written to ``benchmarks/.cache/eeg_third`` (``--out``) and reused while its
settings are unchanged (``--force`` rebuilds it); a set of the first N backgrounds goes to
``benchmarks/.cache/eeg_third_N`` unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from eeg_assess import composition, scored_set
from spasmwatch.testing.eeg_third import (
    CACHE,
    DISCONTINUOUS,
    NO_DECREMENTS,
    NO_SPIKES,
    Case,
    backgrounds,
    build,
)

__all__ = ["DISCONTINUOUS", "NO_DECREMENTS", "NO_SPIKES", "main", "summary"]


def summary(cases: Sequence[Case]) -> list[str]:
    """The table of the set, per kind and variant, with a total row."""
    return composition(cases)


def _build(out: Path, force: bool, names: list[str], _args: argparse.Namespace) -> list[Case]:
    return build(out, force=force, names=names)


def main(argv: Sequence[str] | None = None) -> int:
    return scored_set(
        argv, __doc__ or "", "third", backgrounds(), CACHE, _build,
        (NO_SPIKES, NO_DECREMENTS, DISCONTINUOUS), summary,
    )  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
