"""Fit the channel-wise EEG seizure model on the Helsinki clips and write ``sz_model.json``.

Method (after Temko et al., Clin Neurophysiol 2011): every channel-second of the bipolar
montage is described by the 8-s window features of ``seizure_window_features`` and by
how far each stands out from the median channel of that second (``detect.FEATURE_NAMES``);
one L2-regularised logistic model is shared by all channels; the probability of a second
is the highest channel's, averaged over ``smooth_epochs`` seconds; seconds above the
threshold form events with the CLI's rules (runs >= 10 s, gaps <= 5 s merged).

Labels: the experts' consensus (a second is seizure when all three marked it). The
experts do not say which channels show the seizure, so the model is trained as multiple
instances: it is first fitted with every channel of a seizure second as positive, then
refitted (twice) with only the channel it ranks highest in each seizure second as
positive; every channel of a seizure-free second is negative.

Hyperparameters: the L2 penalty (``L2S``), the averaging (``SMOOTHS``) and the threshold
(``THRESHOLDS``) are chosen by 5-fold cross-validation over infants, maximising the
per-second kappa with the consensus after the event rules. Each of the 62 clips comes
from a different infant, so a split by clip is a split by infant. In the same
cross-validation, with the chosen penalty and averaging, the thresholds of the other two
sensitivities are chosen by false alarms: ``low`` is the lowest threshold (not below the
normal one) at which at most ``FALSE_SHARE["low"]`` of the seconds no expert marked fall
inside events, ``high`` the lowest (not above the normal one) at which at most
``FALSE_SHARE["high"]`` do.

Run from the repository root: ``.venv/bin/python benchmarks/eeg_train.py [--write]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

from spasmwatch.eeg.detect import (
    FEATURE_NAMES,
    LogisticModel,
    score_inputs,
    second_probability,
    seizure_features,
)
from spasmwatch.eeg.features import compute_epoch_features
from spasmwatch.eeg.reader import read_recording
from spasmwatch.eeg.scoring import cohen_kappa
from spasmwatch.testing.helsinki import event_mask

HELSINKI = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "eeg" / "helsinki"
MODEL_JSON = Path(__file__).resolve().parent.parent / "src" / "spasmwatch" / "eeg" / "sz_model.json"
L2S = (300.0, 1000.0, 3000.0)
SMOOTHS = (1, 5, 9, 15, 29)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.10, 0.91, 0.05))
MIL_ROUNDS = 2
FALSE_SHARE = {"low": 0.02, "high": 0.15}
INNER_FOLDS = 5
OUTER_FOLDS = 10


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
        x = seizure_features(ef).astype(np.float64)  # (n_channels, n_epochs, n_features)
        clips[infant] = {
            "features": ef,
            "x": x,
            "ok": np.isfinite(x).all(axis=-1),
            "labels": {k: np.array(v) for k, v in lab.items()},
            "clip_label": summary[infant]["label_consensus"],
        }
    return clips


def channel_probability(model: LogisticModel, clip: dict) -> np.ndarray:
    """Per channel-second probabilities of one clip (artefact channel-seconds 0)."""
    return score_inputs(model, clip["x"])


def fit(clips: list[dict], l2: float) -> LogisticModel:
    """The shared channel model fitted on ``clips`` (multiple-instance rounds)."""

    def stack(model: LogisticModel | None) -> tuple[np.ndarray, np.ndarray]:
        xs, ys = [], []
        for c in clips:
            lab = c["labels"]["c"].astype(bool)
            ok = c["ok"]
            if model is None:
                pos = ok & lab[None, :]
            else:
                p = np.where(ok, channel_probability(model, c), -1.0)
                top = p == p.max(axis=0, keepdims=True)
                pos = ok & lab[None, :] & top
            neg = ok & ~lab[None, :]
            xs += [c["x"][pos], c["x"][neg]]
            ys += [np.ones(pos.sum()), np.zeros(neg.sum())]
        return np.vstack(xs), np.concatenate(ys)

    model = None
    for _ in range(MIL_ROUNDS + 1):
        x, y = stack(model)
        model = LogisticModel.fit(x, y, l2=l2, names=list(FEATURE_NAMES))
    assert model is not None
    return model


def _folds(keys: list[int], n: int, seed: int) -> list[list[int]]:
    order = np.random.default_rng(seed).permutation(len(keys))
    return [[keys[i] for i in order[f::n]] for f in range(n)]


def unmarked_seconds(clip: dict) -> np.ndarray:
    """Seconds of ``clip`` that no expert marked as seizure."""
    lab = clip["labels"]
    return (lab["A"] + lab["B"] + lab["C"]) == 0


def sensitivity_thresholds(
    ps: dict[int, np.ndarray], clips: dict[int, dict], keys: list[int], normal: float
) -> dict[str, float]:
    """Thresholds of the ``low`` and ``high`` sensitivities from the probabilities ``ps``
    of the clips ``keys``: the lowest threshold at which at most ``FALSE_SHARE[level]``
    of the seconds no expert marked fall inside events, kept on the right side of the
    normal threshold ``normal``."""
    free = np.concatenate([unmarked_seconds(clips[k]) for k in keys])
    share = {}
    for thr in THRESHOLDS:
        hyp = np.concatenate([event_mask(ps[k], thr) for k in keys])
        share[thr] = float(hyp[free].mean()) if free.any() else 0.0
    out = {}
    for level, limit in FALSE_SHARE.items():
        ok = [t for t in THRESHOLDS if share[t] <= limit]
        t = min(ok) if ok else max(THRESHOLDS)
        out[level] = float(max(t, normal) if level == "low" else min(t, normal))
    return out


def choose(
    clips: dict[int, dict], keys: list[int]
) -> tuple[float, int, float, float, dict[str, float]]:
    """(l2, smooth, threshold, kappa, sensitivity thresholds): the settings with the best
    cross-validated per-second kappa with the consensus on the clips ``keys`` only, and
    the ``low`` / ``high`` thresholds from the same cross-validated probabilities."""
    lab = np.concatenate([clips[k]["labels"]["c"] for k in keys])
    best = (-np.inf, 0.0, 1, 0.5)
    best_ps: dict[int, np.ndarray] = {}
    for l2 in L2S:
        pch = {}
        for fold in _folds(keys, INNER_FOLDS, 0):
            model = fit([clips[k] for k in keys if k not in fold], l2)
            for k in fold:
                pch[k] = channel_probability(model, clips[k])
        for smooth in SMOOTHS:
            ps = {k: second_probability(pch[k], smooth).astype(np.float64) for k in keys}
            for thr in THRESHOLDS:
                hyp = np.concatenate([event_mask(ps[k], thr) for k in keys])
                kappa = cohen_kappa(hyp, lab)
                if kappa > best[0]:
                    best, best_ps = (kappa, l2, smooth, thr), ps
    kappa, l2, smooth, thr = best
    levels = sensitivity_thresholds(best_ps, clips, keys, thr)
    return l2, smooth, thr, kappa, levels


def train(clips: dict[int, dict], keys: list[int]) -> LogisticModel:
    """Settings chosen and model fitted on the clips ``keys`` only."""
    l2, smooth, thr, kappa, levels = choose(clips, keys)
    model = fit([clips[k] for k in keys], l2)
    model.threshold = float(thr)
    model.thresholds = levels
    model.smooth_epochs = int(smooth)
    model.info = {"l2": l2, "inner_cv_kappa": round(float(kappa), 3)}
    return model


def held_out(
    clips: dict[int, dict], fixed: LogisticModel | None = None, log: bool = False
) -> dict[int, tuple[np.ndarray, LogisticModel]]:
    """Held-out per-second probabilities of each clip and the model that gave them.

    With ``fixed=None`` (nested): the clips (= infants) are split into ``OUTER_FOLDS``
    groups; for each group the settings are chosen and the model fitted on the other
    groups only. With ``fixed``: leave one infant out, refitting with the fixed model's
    settings (chosen on all clips, so optimistic).
    """
    keys = list(clips)
    groups = _folds(keys, OUTER_FOLDS, 1) if fixed is None else [[k] for k in keys]
    out = {}
    for group in groups:
        rest = [k for k in keys if k not in group]
        if fixed is None:
            model = train(clips, rest)
        else:
            model = fit([clips[k] for k in rest], fixed.info["l2"])
            model.threshold, model.smooth_epochs = fixed.threshold, fixed.smooth_epochs
            model.thresholds = dict(fixed.thresholds)
        for k in group:
            pch = channel_probability(model, clips[k])
            p = second_probability(pch, model.smooth_epochs).astype(np.float64)
            out[k] = (p, model)
        if log:
            print(
                f"  held out {group}: l2 {model.info.get('l2')}, averaging "
                f"{model.smooth_epochs} s, thresholds low / normal / high "
                f"{model.threshold_for('low'):.2f} / {model.threshold:.2f} / "
                f"{model.threshold_for('high'):.2f}",
                flush=True,
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the fitted model JSON")
    args = parser.parse_args(argv)
    clips = load_helsinki()
    model = train(clips, list(clips))
    print(
        f"chosen on all {len(clips)} clips: l2 {model.info['l2']}, averaging "
        f"{model.smooth_epochs} s, threshold {model.threshold:.2f} "
        f"(inner CV kappa {model.info['inner_cv_kappa']:.3f}); low / high sensitivity "
        f"thresholds {model.thresholds['low']:.2f} / {model.thresholds['high']:.2f}"
    )
    model.info.update(
        {
            "trained_on": "Helsinki neonatal EEG, 62 clips x 30 s (Stevenson et al. 2019)",
            "labels": "per-second consensus of three experts",
            "method": "channel-wise (Temko et al. 2011): one logistic model shared by all "
            "bipolar channels on 8-s window features; probability of a second = highest "
            f"channel's, averaged over smooth_epochs s; {MIL_ROUNDS} multiple-instance "
            "rounds (positives: the top channel of each seizure second)",
            "selection": f"l2 in {list(L2S)}, averaging in {list(SMOOTHS)} s and threshold "
            f"by {INNER_FOLDS}-fold CV over infants, best per-second kappa vs consensus; "
            "low / high sensitivity thresholds: the lowest at which at most "
            f"{FALSE_SHARE['low']:.0%} / {FALSE_SHARE['high']:.0%} of the seconds no expert "
            "marked fall inside events, in the same CV",
            "validation": "nested, by infant: 10 groups of clips, settings chosen and model "
            "fitted without the held-out infants; see benchmarks/eeg_helsinki.py",
        }
    )
    weights = sorted(zip(model.feature_names, model.coef, strict=True), key=lambda t: -abs(t[1]))
    for name, w in weights[:12]:
        print(f"  {name:28s} {w:+.3f}")
    if args.write:
        MODEL_JSON.write_text(model.to_json() + "\n")
        print(f"wrote {MODEL_JSON}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
