"""Evaluation of detections against reference labels.

- Event scoring with the ``timescoring`` package, which implements the SzCORE rules
  (Dan et al., Epilepsia 2024, "SzCORE as a benchmark: report from the seizure detection
  challenge"): tolerance 30 s before and 60 s after an event, any overlap counts, events
  longer than 5 min are split, events closer than 90 s are merged.
- Epoch (per-second) scoring: sensitivity, specificity, precision, Cohen's kappa and the
  Matthews correlation coefficient.
- ROC AUC (Mann-Whitney statistic) for clip-level scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "EpochScores",
    "EventScores",
    "cohen_kappa",
    "epoch_scores",
    "event_scores",
    "matthews_corrcoef",
    "roc_auc",
]


@dataclass(frozen=True)
class EventScores:
    """SzCORE event scores."""

    sensitivity: float
    precision: float
    f1: float
    false_positives: int
    false_positives_per_24h: float
    true_positives: int
    reference_events: int


@dataclass(frozen=True)
class EpochScores:
    """Per-epoch (per-second) agreement of a binary hypothesis with a reference."""

    sensitivity: float
    specificity: float
    precision: float
    kappa: float
    n: int


def _as_mask(x: np.ndarray | list, name: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"Invalid value for '{name}': expected a 1-D array; got {arr.ndim}-D")
    return arr.astype(bool)


def event_scores(
    reference: np.ndarray | list, hypothesis: np.ndarray | list, fs: int = 1
) -> EventScores:
    """Score a binary hypothesis against a binary reference, both sampled at ``fs`` Hz,
    with the SzCORE event rules (``timescoring.scoring.EventScoring``).
    """
    from timescoring import scoring
    from timescoring.annotations import Annotation

    ref = _as_mask(reference, "reference")
    hyp = _as_mask(hypothesis, "hypothesis")
    if len(ref) != len(hyp):
        raise ValueError(f"reference ({len(ref)}) and hypothesis ({len(hyp)}) differ in length")
    s = scoring.EventScoring(Annotation(ref, fs), Annotation(hyp, fs))
    hours = len(ref) / fs / 3600.0
    nan = float("nan")
    sens = float(s.sensitivity) if s.refTrue else nan
    prec = float(s.precision) if (s.tp + s.fp) else nan
    f1 = 2 * sens * prec / (sens + prec) if sens + prec > 0 else nan
    return EventScores(
        sensitivity=sens,
        precision=prec,
        f1=float(f1),
        false_positives=int(s.fp),
        false_positives_per_24h=float(s.fp / hours * 24) if hours else nan,
        true_positives=int(s.tp),
        reference_events=int(s.refTrue),
    )


def cohen_kappa(a: np.ndarray | list, b: np.ndarray | list) -> float:
    """Cohen's kappa of two binary label sequences (1 for identical, 0 for chance)."""
    x, y = _as_mask(a, "a"), _as_mask(b, "b")
    if len(x) != len(y):
        raise ValueError(f"a ({len(x)}) and b ({len(y)}) differ in length")
    if len(x) == 0:
        return float("nan")
    po = float((x == y).mean())
    pe = float(x.mean() * y.mean() + (1 - x.mean()) * (1 - y.mean()))
    return 1.0 if pe == 1.0 else (po - pe) / (1.0 - pe)


def matthews_corrcoef(a: np.ndarray | list, b: np.ndarray | list) -> float:
    """Matthews correlation coefficient of two binary label sequences (1 identical, 0
    chance, -1 opposite); NaN when either is constant."""
    x, y = _as_mask(a, "a"), _as_mask(b, "b")
    if len(x) != len(y):
        raise ValueError(f"a ({len(x)}) and b ({len(y)}) differ in length")
    tp, tn = float((x & y).sum()), float((~x & ~y).sum())
    fp, fn = float((~x & y).sum()), float((x & ~y).sum())
    den = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
    return (tp * tn - fp * fn) / np.sqrt(den) if den else float("nan")


def epoch_scores(reference: np.ndarray | list, hypothesis: np.ndarray | list) -> EpochScores:
    """Per-epoch sensitivity, specificity, precision and kappa (NaN when undefined)."""
    ref = _as_mask(reference, "reference")
    hyp = _as_mask(hypothesis, "hypothesis")
    if len(ref) != len(hyp):
        raise ValueError(f"reference ({len(ref)}) and hypothesis ({len(hyp)}) differ in length")
    tp = int((ref & hyp).sum())
    tn = int((~ref & ~hyp).sum())
    fp = int((~ref & hyp).sum())
    fn = int((ref & ~hyp).sum())
    nan = float("nan")
    return EpochScores(
        sensitivity=tp / (tp + fn) if tp + fn else nan,
        specificity=tn / (tn + fp) if tn + fp else nan,
        precision=tp / (tp + fp) if tp + fp else nan,
        kappa=cohen_kappa(ref, hyp),
        n=len(ref),
    )


def roc_auc(scores: np.ndarray | list, labels: np.ndarray | list) -> float:
    """Area under the ROC curve: the chance that a positive scores above a negative
    (ties count half)."""
    s = np.asarray(scores, float)
    y = _as_mask(labels, "labels")
    pos, neg = s[y], s[~y]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).mean()
    ties = (pos[:, None] == neg[None, :]).mean()
    return float(greater + 0.5 * ties)
