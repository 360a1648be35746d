"""Build the fifth evaluation set of infant EEG (``spasmwatch.testing.eeg_fifth``), whose
attenuations keep each recording's noise floor, and score the analysis on it.

Every earlier set attenuated the whole recording during an electrodecremental event
(EDE), the amplifier's and electrodes' noise floor with it; in a real recording that
floor stays while the brain's activity falls. This set keeps it by construction and was
written without reading the detectors (see the generator's description). It prints, per
kind and variant of recording, the number of recordings, how many show hypsarrhythmia,
how many carry EDEs, the EDEs, the neutral attenuation episodes, the artefacts and the
hours; the sampling rates and the noise floors; then, unless ``--build-only``, the
numbers of ``benchmarks/eeg_assess.py`` for the whole set and for its tuning and test
parts, which the generator declares.

Run from the repository root::

    .venv/bin/python benchmarks/eeg_fifth.py                  # build (or reuse) and score
    .venv/bin/python benchmarks/eeg_fifth.py --build-only     # build and summarise only
    .venv/bin/python benchmarks/eeg_fifth.py --backgrounds 3  # the first 3 backgrounds

The set is written to ``benchmarks/.cache/eeg_fifth`` (``--out``) and reused while its
settings are unchanged (``--force`` rebuilds it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from eeg_assess import composition, scored_set, seeded_build
from spasmwatch.eeg.reader import read_recording
from spasmwatch.testing.eeg_fifth import (
    CACHE,
    DISCONTINUOUS,
    NO_DECREMENTS,
    NO_SPIKES,
    SEED,
    Case,
    background_names,
    build,
    halves,
)


def summary(cases: Sequence[Case]) -> list[str]:
    """The table of the set, per kind and variant, with a total row; the durations of the
    EDEs, the montages, the sampling rates and the noise floors."""
    lines = composition(cases)
    durations = [d for c in cases for _o, d in c.decrements]
    if durations:
        lines.append(
            f"EDE durations: {min(durations):.1f}-{max(durations):.1f} s; "
            f"montages: {sum(c.montage == 'bipolar' for c in cases)} bipolar, "
            f"{sum(c.montage == 'referential' for c in cases)} referential"
        )
    rates = Counter(round(read_recording(c.path, annotations=False).sfreq) for c in cases)
    lines.append("sampling rates: " + ", ".join(f"{r} Hz {n}" for r, n in sorted(rates.items())))
    floors = np.array([c.floor_uv for c in cases])
    if floors.size:
        p10, p50, p90 = np.percentile(floors, [10, 50, 90])
        lines.append(f"noise floor RMS (µV), 10th / 50th / 90th percentile: "
                     f"{p10:.2f} / {p50:.2f} / {p90:.2f}")  # fmt: skip
    parts = Counter(c.part for c in cases)
    lines.append("parts: " + ", ".join(f"{p} {n}" for p, n in sorted(parts.items())))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the set, print its composition and, unless ``--build-only``, score
    the analysis on it, as a whole and by part."""
    names = background_names()
    build_set, add_seed = seeded_build(build, SEED, names)
    return scored_set(
        argv, __doc__ or "", "fifth", names, CACHE, build_set,
        (NO_SPIKES, NO_DECREMENTS, DISCONTINUOUS), summary, add_seed,
        whole_label="WHOLE SET (floor kept; never used to choose anything)",
        parts=halves,
    )  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
