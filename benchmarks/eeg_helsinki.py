"""Seizure detection on the 62 Helsinki neonatal EEG clips against the experts.

Every number here is held out, by infant (every clip is a different infant), with nested
selection: the 62 clips are split into 10 groups, and each group is scored by a model whose
settings (L2 penalty, averaging, threshold) were chosen and whose weights were fitted on
the other groups only (``eeg_train.held_out``), with the same event rules as
``spasmwatch eeg analyze``. ``--fixed`` instead scores each clip by a model refitted
without that infant (leave one infant out) but with the shipped settings, which were
chosen on all 62 clips, so those numbers are optimistic.

Printed:
- clip level: AUC of the mean per-second probability, and sensitivity / specificity of
  "at least one sz event", on the 26 seizure vs 23 seizure-free clips (mixed clips left
  out), and again on all 62 clips with "any consensus second" as positive;
- per second: Cohen's kappa of the detector with the consensus and with each expert,
  next to the experts' kappa with each other; epoch sensitivity / specificity;
- SzCORE event scores (timescoring), summed over clips;
- for each detector sensitivity (``low`` / ``normal`` / ``high``, each model's own
  thresholds): clip sensitivity / specificity, per-second kappa and sensitivity, the share
  of the seconds no expert marked that fall inside events, and false detections per hour.

``--montages`` scores the clips on fewer channels (8, 4, 2 and 1 bipolar channels, as in
reduced neonatal montages and two-channel amplitude-integrated EEG) with the ``--fixed``
models, to show what fewer electrodes cost.

Run from the repository root:
``.venv/bin/python benchmarks/eeg_helsinki.py [--fixed] [--montages]``
(nested: about a minute on one core).
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import combinations

import numpy as np

from eeg_train import held_out, load_helsinki, unmarked_seconds
from spasmwatch.eeg.detect import (
    SZ_SENSITIVITIES,
    detect_seizures,
    load_model,
    score_inputs,
    second_probability,
    window_inputs,
)
from spasmwatch.eeg.scoring import cohen_kappa, epoch_scores, event_scores, roc_auc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixed", action="store_true", help="shipped settings, LOO refit")
    parser.add_argument("--montages", action="store_true", help="fewer channels (--fixed)")
    args = parser.parse_args(argv)
    if args.montages:
        return montages()
    t0 = time.perf_counter()
    clips = load_helsinki()
    t_feat = time.perf_counter() - t0
    fixed = load_model() if args.fixed else None
    held = held_out(clips, fixed, log=not args.fixed)
    held_p = {infant: held[infant][0] for infant in clips}
    level_hyp: dict[str, dict[int, np.ndarray]] = {}
    for level in SZ_SENSITIVITIES:
        level_hyp[level] = {}
        for infant, clip in clips.items():
            p, model = held[infant]
            hyp = np.zeros(len(p), bool)
            for e in detect_seizures(clip["features"], p, model, model.threshold_for(level)):
                hyp[int(e.onset) : int(e.onset + e.duration)] = True
            level_hyp[level][infant] = hyp
    held_hyp = level_hyp["normal"]

    how = (
        "shipped settings, refitted leaving one infant out (optimistic)"
        if args.fixed
        else "nested: settings chosen and model fitted without the held-out infants, 10 groups"
    )
    print(f"Helsinki clips: {len(clips)} infants x 30 s (features in {t_feat:.1f} s); "
          f"all numbers held out ({how}; {time.perf_counter() - t0:.0f} s in all)")  # fmt: skip
    print()
    print("Clip level")
    groups = {
        "seizure (26) vs seizure-free (23)": {
            k: c["clip_label"] == "seizure" for k, c in clips.items() if c["clip_label"] != "mixed"
        },
        "all 62, positive = any consensus second": {
            k: bool(c["labels"]["c"].any()) for k, c in clips.items()
        },
    }
    for title, truth in groups.items():
        keys = list(truth)
        y = np.array([truth[k] for k in keys])
        score = np.array([held_p[k].mean() for k in keys])
        detected = np.array([held_hyp[k].any() for k in keys])
        sens = (detected & y).sum() / y.sum()
        spec = (~detected & ~y).sum() / (~y).sum()
        auc = roc_auc(score, y)
        print(f"  {title}: AUC {auc:.3f} (target >= 0.95: {'met' if auc >= 0.95 else 'NOT met'}), "
              f"sensitivity {sens:.2f} ({(detected & y).sum()}/{y.sum()}), "
              f"specificity {spec:.2f} ({(~detected & ~y).sum()}/{(~y).sum()})")  # fmt: skip
    print()
    print("Per second (1,860 s), Cohen's kappa")
    hyp = np.concatenate([held_hyp[k] for k in clips])
    lab = {e: np.concatenate([c["labels"][e] for c in clips.values()]) for e in "ABCc"}
    names = {"A": "expert A", "B": "expert B", "C": "expert C", "c": "consensus"}
    for e in "cABC":
        print(f"  detector vs {names[e]:9s}: {cohen_kappa(hyp, lab[e]):.3f}")
    for a, b in combinations("ABC", 2):
        print(f"  {names[a]} vs {names[b]}: {cohen_kappa(lab[a], lab[b]):.3f}")
    s = epoch_scores(lab["c"], hyp)
    print(f"  epoch sensitivity {s.sensitivity:.3f}, specificity {s.specificity:.3f}, "
          f"precision {s.precision:.3f} (vs consensus)")  # fmt: skip
    p = np.concatenate([held_p[k] for k in clips])
    print(f"  per-second AUC of the probability vs consensus: {roc_auc(p, lab['c']):.3f}")
    print()
    tp = fp = ref = 0
    for k in clips:
        ev = event_scores(clips[k]["labels"]["c"], held_hyp[k])
        tp, fp, ref = tp + ev.true_positives, fp + ev.false_positives, ref + ev.reference_events
    print(f"SzCORE event scoring (timescoring), summed over clips: {ref} reference events, "
          f"{tp} detected (sensitivity {tp / ref:.2f}), {fp} false detections "
          f"(precision {tp / max(tp + fp, 1):.2f})")  # fmt: skip
    print()
    hours = sum(len(c["labels"]["c"]) for c in clips.values()) / 3600
    free = np.concatenate([unmarked_seconds(c) for c in clips.values()])
    sz_keys = [k for k, c in clips.items() if c["clip_label"] == "seizure"]
    nsz_keys = [k for k, c in clips.items() if c["clip_label"] == "non-seizure"]
    print("Detector sensitivity (each held-out model's own thresholds)")
    for level in SZ_SENSITIVITIES:
        hm = level_hyp[level]
        hyp = np.concatenate([hm[k] for k in clips])
        fp = sum(event_scores(clips[k]["labels"]["c"], hm[k]).false_positives for k in clips)
        thr = sorted({round(held[k][1].threshold_for(level), 2) for k in clips})
        print(f"  {level:6s}: thresholds {min(thr):.2f}-{max(thr):.2f}; clip sensitivity "
              f"{np.mean([hm[k].any() for k in sz_keys]):.2f}, specificity "
              f"{1 - np.mean([hm[k].any() for k in nsz_keys]):.2f}; per second kappa "
              f"{cohen_kappa(hyp, lab['c']):.3f}, sensitivity {hyp[lab['c'] == 1].mean():.2f}; "
              f"{hyp[free].mean():.1%} of the seconds no expert marked inside events; "
              f"{fp} false detections ({fp / hours:.1f} per hour)")  # fmt: skip
    return 0


MONTAGES: dict[str, list[str] | None] = {
    "all 18 (double banana)": None,
    "8 (F3-C3 C3-P3 P3-O1 F4-C4 C4-P4 P4-O2 T3-T5 T4-T6)": [
        "F3-C3", "C3-P3", "P3-O1", "F4-C4", "C4-P4", "P4-O2", "T3-T5", "T4-T6",
    ],
    "4 (C3-P3 C4-P4 T3-T5 T4-T6)": ["C3-P3", "C4-P4", "T3-T5", "T4-T6"],
    "2 (C3-P3 C4-P4, as in two-channel aEEG)": ["C3-P3", "C4-P4"],
    "1 (C3-P3)": ["C3-P3"],
}  # fmt: skip


def montages() -> int:
    """Clip-level results on fewer channels, leave-one-infant-out with the shipped settings."""
    clips = load_helsinki()
    held = held_out(clips, load_model())
    keys = [k for k, c in clips.items() if c["clip_label"] != "mixed"]
    y = np.array([clips[k]["clip_label"] == "seizure" for k in keys])
    print("Fewer channels: shipped settings refitted leaving one infant out (optimistic), the "
          f"{y.sum()} seizure vs {(~y).sum()} seizure-free clips, normal sensitivity")  # fmt: skip
    for name, channels in MONTAGES.items():
        score, detected = [], []
        for k in keys:
            ef, model = clips[k]["features"], held[k][1]
            rows = [ef.channels.index(c) for c in channels] if channels else slice(None)
            x = window_inputs(ef.sz_window[rows], ef.bad[rows])
            p = second_probability(score_inputs(model, x), model.smooth_epochs)
            score.append(float(p.mean()))
            detected.append(bool(detect_seizures(ef, p, model)))
        d = np.array(detected)
        print(f"  {name:55s} clip AUC {roc_auc(np.array(score), y):.3f}, sensitivity "
              f"{d[y].mean():.2f} ({d[y].sum()}/{y.sum()}), specificity "
              f"{1 - d[~y].mean():.2f} ({(~d[~y]).sum()}/{(~y).sum()})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
