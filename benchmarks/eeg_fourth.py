"""Build the fourth evaluation set of infant EEG (``spasmwatch.testing.eeg_fourth``) and score
the analysis on it.

It prints, per kind and variant of recording, the number of recordings, how many show
hypsarrhythmia, how many carry electrodecremental events (EDEs), the EDEs, the episodes of
attenuation (neutral), the artefacts, the abrupt changes of the background and the hours,
then the build's time and size on disk. Unless ``--build-only``, it then runs the analysis
on every recording and prints the numbers of ``benchmarks/eeg_assess.py`` for the whole set,
which is never used to choose anything.

Run from the repository root::

    .venv/bin/python benchmarks/eeg_fourth.py                  # build (or reuse) and score
    .venv/bin/python benchmarks/eeg_fourth.py --build-only     # build and summarise only
    .venv/bin/python benchmarks/eeg_fourth.py --backgrounds 3  # the first 3 backgrounds

The set is written to ``benchmarks/.cache/eeg_fourth`` (``--out``) and reused while its
settings are unchanged (``--force`` rebuilds it); a set of the first N backgrounds goes to
``benchmarks/.cache/eeg_fourth_N`` unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

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

__all__ = ["DISCONTINUOUS", "NO_DECREMENTS", "NO_SPIKES", "main", "summary"]


def summary(cases: Sequence[Case]) -> list[str]:
    """The table of the set, per kind and variant, with a total row."""
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for c in cases:
        groups[(c.kind, c.variant)].append(c)
    head = (
        f"{'kind':<15}{'variant':<19}{'recs':>6}{'hyps':>6}{'w/ EDE':>8}{'EDEs':>6}"
        f"{'atten.':>8}{'artef.':>8}{'abrupt':>8}{'hours':>8}"
    )
    lines = [head, "-" * len(head)]

    def row(kind: str, variant: str, cs: Sequence[Case]) -> str:
        abrupt = sum(sum(k == "abrupt" for _t, _r, k in c.changes) for c in cs)
        return (
            f"{kind:<15}{variant:<19}{len(cs):>6}{sum(c.hyps for c in cs):>6}"
            f"{sum(bool(c.decrements) for c in cs):>8}{sum(len(c.decrements) for c in cs):>6}"
            f"{sum(len(c.attenuations) for c in cs):>8}{sum(len(c.artefacts) for c in cs):>8}"
            f"{abrupt:>8}{sum(c.duration_s for c in cs) / 3600:>8.2f}"
        )

    for (kind, variant), cs in sorted(groups.items()):
        lines.append(row(kind, variant, cs))
    lines.append("-" * len(head))
    lines.append(row("all", "", cases))
    types: dict[str, int] = defaultdict(int)
    for c in cases:
        for _a, _d, t in c.artefacts:
            types[t] += 1
    lines.append("artefacts: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())))
    durations = [d for c in cases for _o, d in c.decrements]
    if durations:
        lines.append(
            f"EDE durations: {min(durations):.1f}-{max(durations):.1f} s; "
            f"montages: {sum(c.montage == 'bipolar' for c in cases)} bipolar, "
            f"{sum(c.montage == 'referential' for c in cases)} referential"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the set, print its composition and, unless ``--build-only``, score
    the analysis on it."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="folder for the EDF files")
    ap.add_argument("--force", action="store_true", help="rebuild even if the set is there")
    ap.add_argument("--build-only", action="store_true", help="build and summarise, no scoring")
    ap.add_argument("--backgrounds", type=int, default=None, help="only the first N backgrounds")
    ap.add_argument("--seed", type=int, default=SEED, help="the random seed of the set")
    args = ap.parse_args(argv)

    names = background_names()
    if args.backgrounds is not None:
        names = names[: args.backgrounds]
    out = args.out or (
        CACHE if args.backgrounds is None else CACHE.with_name(f"eeg_fourth_{len(names)}")
    )
    t0 = time.perf_counter()
    cases = build(out, force=args.force, seed=args.seed, backgrounds=args.backgrounds)
    seconds = time.perf_counter() - t0
    size = sum(Path(c.path).stat().st_size for c in cases)
    print(f"fourth EEG set: {len(cases)} recordings from {len(names)} backgrounds in {out}")
    for line in summary(cases):
        print(line)
    print(f"built (or reused) in {seconds:.1f} s; {size / 1e6:.0f} MB on disk")
    if args.build_only:
        return 0

    from eeg_assess import print_part, score  # the analysis; benchmarks/ is on sys.path

    r = score(cases, no_spikes=NO_SPIKES, no_decrements=NO_DECREMENTS, discontinuous=DISCONTINUOUS)
    print_part("WHOLE SET (never used to choose anything)", r, len(names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
