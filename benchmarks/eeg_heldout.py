"""Write the held-out EEG evaluation set, print what it holds, and score the analysis on it.

The set (:mod:`spasmwatch.testing.eeg_heldout`): hypsarrhythmia (classic and modified),
electrodecremental events, synchronous slow activity, focal spikes and artefacts added to
the 39 Helsinki clips that hold seizure seconds, six recordings of 2-5 minutes per clip,
as EDF+ files with a ``manifest.json`` of the truth. An existing set with the same settings
is reused unless ``--force``.

Printed per kind: recordings, those with hypsarrhythmia, those with electrodecremental
events and the events, artefacts (``spasm_emg``, the muscle of a spasm, counted apart) and
hours; then the variants, the time taken and the size on disk.

Then (unless ``--build-only``) every recording goes through ``analyze_eeg`` and the numbers
of ``benchmarks/eeg_assess.py`` are printed for the whole set: the hypsarrhythmia
assessment with and without it (and per kind and variant), discharges per minute and the
BASED-like score on the recordings without added spikes (``background``, ``decrements``,
``slow_sync``: neonatal EEG with seizures, not normal EEG), decrement recall and precision,
and false decrements per hour on the recordings without any (``background``,
``slow_sync``, ``focal_spikes``). A detection on an attenuation episode of modified
hypsarrhythmia is neither found nor false. No threshold of the analysis was chosen on this
set: it was written after them, by another hand, from the clinical literature. Its
first run (the whole set, scored once) met every target but decrement recall (0.83); the
set was then split by background into two halves (the clips in order of infant number,
alternately), the decrement detector's misses were studied and its changes chosen on the
**tuning** half only, and the **test** half is reported as held out. Printed for the
whole set and for each half.

Run from the repository root:
``.venv/bin/python benchmarks/eeg_heldout.py [--out DIR] [--force] [--backgrounds N]``
(about 15-30 s and 480 MB for the whole set; the scoring about 10 minutes on one core).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from eeg_assess import print_part, score
from spasmwatch.testing.eeg_heldout import CACHE, KINDS, SEED, Case, build

#: The kinds without added spikes, and those without decrements (``eeg_assess.score``).
NO_SPIKES = ("background", "decrements", "slow_sync")
NO_DECREMENTS = ("background", "slow_sync", "focal_spikes")


def part_of(background: str, cases: list[Case]) -> str:
    """The half a background belongs to: the clips in order of infant number,
    alternately the tuning half and the test half."""
    order = sorted({c.background for c in cases}, key=lambda b: int(b.removeprefix("eeg")))
    return ("tuning", "test")[order.index(background) % 2]


def _table(cases: list[Case]) -> str:
    head = (
        f"{'kind':<15}{'recordings':>11}{'hyps':>6}{'with dec.':>10}{'events':>8}"
        f"{'artefacts':>10}{'spasm_emg':>10}{'hours':>8}"
    )
    lines = [head, "-" * len(head)]
    groups = [(k, [c for c in cases if c.kind == k]) for k in KINDS]
    for kind, group in [*groups, ("all", cases)]:
        if not group:
            continue
        emg = sum(1 for c in group for a in c.artefacts if a[2] == "spasm_emg")
        artefacts = sum(len(c.artefacts) for c in group) - emg
        lines.append(
            f"{kind:<15}{len(group):>11}{sum(c.hyps for c in group):>6}"
            f"{sum(bool(c.decrements) for c in group):>10}"
            f"{sum(len(c.decrements) for c in group):>8}{artefacts:>10}{emg:>10}"
            f"{sum(c.duration_s for c in group) / 3600:>8.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=CACHE, help=f"folder (default {CACHE})")
    parser.add_argument("--force", action="store_true", help="rebuild even if present")
    parser.add_argument("--backgrounds", type=int, default=None, help="first N clips only")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--build-only", action="store_true", help="write the set, score nothing")
    args = parser.parse_args()
    start = time.perf_counter()
    cases = build(args.out, args.force, backgrounds=args.backgrounds, seed=args.seed)
    took = time.perf_counter() - start
    print(f"held-out EEG set in {args.out}: {len(cases)} recordings from "
          f"{len({c.background for c in cases})} backgrounds")  # fmt: skip
    print(_table(cases))
    variants = Counter((c.kind, c.variant) for c in cases if c.variant)
    print("variants: " + ", ".join(f"{k}/{v} {n}" for (k, v), n in sorted(variants.items())))
    types = Counter(a[2] for c in cases for a in c.artefacts)
    print("artefact types: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())))
    durations = [c.duration_s for c in cases]
    short = sum(120 <= d <= 170 for d in durations)
    print(f"durations: {min(durations):.0f}-{max(durations):.0f} s, {short} of 120-170 s")
    size = sum(p.stat().st_size for p in Path(args.out).glob("*") if p.is_file())
    print(f"time: {took:.1f} s; size on disk: {size / 1e6:.0f} MB")
    if args.build_only:
        return
    start = time.perf_counter()
    labels = {
        "all": "WHOLE SET",
        "tuning": "TUNING HALF (in-sample for the decrement changes chosen on it)",
        "test": "TEST HALF (held out from those changes; its false decrements since studied)",
    }
    for part, label in labels.items():
        group = [c for c in cases if part in ("all", part_of(c.background, cases))]
        r = score(group, NO_SPIKES, NO_DECREMENTS, ())
        print_part(label, r, len({c.background for c in group}))
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
