"""Fit the EEG seizure model on the Helsinki clips and write ``sz_model.json``.

Each of the 62 clips comes from a different infant, so a split by clip is a split by
infant: every held-out prediction comes from a model that never saw
that infant. The shipped model is then fitted on all clips. Labels: the experts'
consensus (a second is seizure when all three marked it).

Run from the repository root: ``.venv/bin/python benchmarks/eeg_train.py [--write]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

from spasmwatch.eeg.detect import _CHANNEL_FEATURES, LogisticModel, seizure_features
from spasmwatch.eeg.features import compute_epoch_features
from spasmwatch.eeg.reader import read_recording

HELSINKI = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "eeg" / "helsinki"
MODEL_JSON = Path(__file__).resolve().parent.parent / "src" / "spasmwatch" / "eeg" / "sz_model.json"
L2 = 3.0
# Candidate features: every per-channel feature of ``detect.channel_features`` (16),
# averaged over 9 s or 29 s (temporal context), summarised across channels by how far
# the most active channel (``peak_``) or the 90th percentile (``focal_``) stands out from
# the median channel; at 9 s also the maximum and the median channel themselves.
# 96 candidates in all.
CANDIDATES = [
    f"{stat}_{feat}@{smooth}"
    for smooth, stats in ((9, ("peak", "focal", "max", "median")), (29, ("peak", "focal")))
    for stat in stats
    for feat in _CHANNEL_FEATURES
]
MAX_FEATURES = 4
MIN_GAIN = 1e-3  # smallest fall of the inner log-loss that adds a feature
INNER_FOLDS = 5


def load_helsinki() -> dict[int, dict]:
    """Features and per-second labels of every clip, by infant number."""
    labels: dict[int, dict[str, list[int]]] = {}
    with (HELSINKI / "labels.csv").open() as f:
        for row in csv.DictReader(f):
            d = labels.setdefault(int(row["infant"]), {k: [] for k in "ABCc"})
            for k, col in zip(
                "ABCc", ("expert_A", "expert_B", "expert_C", "consensus"), strict=True
            ):
                d[k].append(int(row[col]))
    summary = {}
    with (HELSINKI / "clips_summary.csv").open() as f:
        for row in csv.DictReader(f):
            summary[int(row["infant"])] = row
    clips = {}
    for infant, lab in sorted(labels.items()):
        rec = read_recording(HELSINKI / summary[infant]["file"])
        ef = compute_epoch_features(
            rec.read(), rec.sfreq, rec.channels, rec.kinds, rec.physical_limits_uv
        )
        clips[infant] = {
            "features": ef,
            "x": seizure_features(ef, names=CANDIDATES).astype(np.float64),
            "labels": {k: np.array(v) for k, v in lab.items()},
            "clip_label": summary[infant]["label_consensus"],
        }
    return clips


def fit(clips: list[dict], names: list[str], l2: float = L2) -> LogisticModel:
    """The model on features ``names`` fitted on the given clips (consensus labels)."""
    cols = [CANDIDATES.index(n) for n in names]
    x = np.vstack([c["x"][:, cols] for c in clips])
    y = np.concatenate([c["labels"]["c"] for c in clips])
    return LogisticModel.fit(x, y, l2=l2, names=names)


def predict(model: LogisticModel, clip: dict) -> np.ndarray:
    """Per-second probabilities of one clip."""
    return model.predict_proba(clip["x"][:, [CANDIDATES.index(n) for n in model.feature_names]])


def _inner_loss(clips: list[dict], names: list[str]) -> float:
    """Mean per-second log-loss of ``names`` in grouped (by clip) k-fold CV on ``clips``."""
    order = np.random.default_rng(0).permutation(len(clips))
    total, n = 0.0, 0
    for f in range(INNER_FOLDS):
        test = set(order[f::INNER_FOLDS].tolist())
        model = fit([c for i, c in enumerate(clips) if i not in test], names)
        for i in test:
            p = np.clip(predict(model, clips[i]), 1e-4, 1 - 1e-4)
            y = clips[i]["labels"]["c"]
            total -= float((y * np.log(p) + (1 - y) * np.log(1 - p)).sum())
            n += len(y)
    return total / n


def select_features(clips: list[dict]) -> list[str]:
    """Greedy forward selection of at most ``MAX_FEATURES`` candidates by the inner
    grouped cross-validated log-loss on ``clips`` only (so that, inside an outer
    leave-one-infant-out loop, the held-out infant plays no part in the choice)."""
    chosen: list[str] = []
    best = np.inf
    while len(chosen) < MAX_FEATURES:
        loss, name = min(
            (_inner_loss(clips, [*chosen, c]), c) for c in CANDIDATES if c not in chosen
        )
        if loss > best - MIN_GAIN:
            break
        best = loss
        chosen.append(name)
    return chosen


OUTER_FOLDS = 10


def held_out(
    clips: dict[int, dict], names: list[str] | None = None, log: bool = False
) -> dict[int, tuple[np.ndarray, LogisticModel]]:
    """Held-out per-second probabilities of each clip and the model that gave them.

    With ``names=None`` (nested): the clips (= infants) are split into ``OUTER_FOLDS``
    groups; for each group the features are selected and fitted on the other groups
    only. With ``names``: leave one infant out, refitting those features without it
    (this reuses a selection made on all clips, so it is optimistic).
    """
    keys = list(clips)
    if names is None:
        order = np.random.default_rng(1).permutation(len(keys))
        groups = [[keys[i] for i in order[f::OUTER_FOLDS]] for f in range(OUTER_FOLDS)]
    else:
        groups = [[k] for k in keys]
    out = {}
    for group in groups:
        train = [c for k, c in clips.items() if k not in group]
        model = fit(train, names or select_features(train))
        for infant in group:
            out[infant] = (predict(model, clips[infant]), model)
        if log:
            print(f"  held out {group}: {', '.join(model.feature_names)}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the fitted model JSON")
    args = parser.parse_args(argv)
    clips = load_helsinki()
    names = select_features(list(clips.values()))
    print(f"features selected on all {len(clips)} clips: {names}")
    model = fit(list(clips.values()), names)
    model.smooth_epochs = 1
    model.info = {
        "trained_on": "Helsinki neonatal EEG, 62 clips x 30 s (Stevenson et al. 2019)",
        "labels": "per-second consensus of three experts",
        "l2": L2,
        "selection": f"greedy forward selection of <= {MAX_FEATURES} of {len(CANDIDATES)} "
        f"candidates by {INNER_FOLDS}-fold grouped CV log-loss",
        "validation": "nested, by infant: 10 groups of clips, features selected and fitted "
        "without the held-out infants; see benchmarks/eeg_helsinki.py",
    }
    for name, w in sorted(zip(names, model.coef, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:28s} {w:+.3f}")
    if args.write:
        MODEL_JSON.write_text(model.to_json() + "\n")
        print(f"wrote {MODEL_JSON}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
