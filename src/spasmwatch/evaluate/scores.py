"""Scoring detections against labels: event matching, pooled figures, bootstrap CIs.

Rules (written into every report, see ``docs/evaluate.md``):

- **EEG seizures (``sz``)**: the SzCORE event rules as implemented by ``timescoring``
  (Dan et al., Epilepsia 2024): a labelled event counts as found when a detection
  overlaps it, extended by 30 s before and 60 s after; events closer than 90 s are
  merged and events longer than 5 min split, in the labels and in the detections alike;
  a detection that overlaps no (extended) found event is a false detection. Precision is
  SzCORE's: found events / (found events + false detections).
- **EEG decrements (labels ``spasm`` or ``decrement``)**: the same ``timescoring`` rules
  with :data:`BRIEF_EVENT_RULES` (2 s tolerance each side, no merging), because spasms
  last 1-2 s and come every 5-30 s: merging within 90 s would score clusters, not
  spasms.
- **Video spasms**: a detection matches a labelled spasm when their spans overlap after
  widening both by the slack (:data:`VIDEO_SLACK_S`, 0.3 s by default), one to one, in
  time order (as ``benchmarks/video_accuracy.py``); precision is matched detections /
  detections.
- **Per second (EEG)**: a second is positive when at least half of it lies in an event;
  Cohen's kappa and the Matthews correlation coefficient from the pooled counts.
- **Confidence intervals**: 95 % percentile bootstrap over subjects (subjects drawn with
  replacement, every figure recomputed from their summed counts), never over events,
  because events of one subject are not independent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "BRIEF_EVENT_RULES",
    "SZCORE_RULES",
    "VIDEO_SLACK_S",
    "Counts",
    "EventMatch",
    "bootstrap_ci",
    "figures",
    "match_spans_with_slack",
    "match_timescoring",
    "second_counts",
]

#: Slack (s) of the video matching, as ``spasmwatch.testing.video.evaluate`` ``MATCH_SLACK_S``.
VIDEO_SLACK_S = 0.3
#: ``timescoring`` parameters: tolerance before and after (s), least relative overlap,
#: longest event before it is split (s), shortest gap between events before they merge (s).
SZCORE_RULES = {
    "toleranceStart": 30.0,
    "toleranceEnd": 60.0,
    "minOverlap": 0.0,
    "maxEventDuration": 300.0,
    "minDurationBetweenEvents": 90.0,
}
BRIEF_EVENT_RULES = {
    "toleranceStart": 2.0,
    "toleranceEnd": 2.0,
    "minOverlap": 0.0,
    "maxEventDuration": 300.0,
    "minDurationBetweenEvents": 0.0,
}
#: Time resolution of the event matching of ``timescoring`` (Hz).
_FS = 10
Span = tuple[float, float]


@dataclass
class EventMatch:
    """The outcome of matching one recording's detections to its labels.

    ``reference`` are the labelled events as scored (for EEG after the merging and
    splitting of the rules), ``found`` flags each, ``detections`` the detections as
    scored and ``false`` flags each that is a false detection.
    """

    reference: list[Span]
    found: list[bool]
    detections: list[Span]
    false: list[bool]


def match_spans_with_slack(
    true: Sequence[Span], spans: Sequence[Span], slack_s: float = VIDEO_SLACK_S
) -> EventMatch:
    """Match detections to labelled spans one to one, in time order: each detection takes
    the first unmatched labelled span that overlaps it within ``slack_s`` (the rule of
    ``spasmwatch.testing.video.evaluate`` ``match_spans``)."""
    used: set[int] = set()
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    false = [False] * len(spans)
    for i in order:
        a, b = spans[i]
        hit = next(
            (
                j
                for j, (s, e) in enumerate(true)
                if j not in used and a <= e + slack_s and b >= s - slack_s
            ),
            None,
        )
        if hit is None:
            false[i] = True
        else:
            used.add(hit)
    return EventMatch(list(true), [j in used for j in range(len(true))], list(spans), false)


def _mask(spans: Sequence[Span], n: int, fs: int) -> np.ndarray:
    mask = np.zeros(n, bool)
    for a, b in spans:
        mask[max(0, round(a * fs)) : max(0, min(n, round(b * fs)))] = True
    return mask


def match_timescoring(
    reference: Sequence[Span],
    detections: Sequence[Span],
    duration_s: float,
    rules: dict[str, float] | None = None,
) -> EventMatch:
    """Match with the event scoring of ``timescoring`` (default :data:`SZCORE_RULES`).

    The counts are those of ``timescoring.scoring.EventScoring`` (and so of
    :func:`spasmwatch.eeg.scoring.event_scores` on the same seconds); the events found
    and the false detections are listed too.
    """
    from timescoring import scoring
    from timescoring.annotations import Annotation

    p = scoring.EventScoring.Parameters(**(rules or SZCORE_RULES))
    n = max(1, round(duration_s * _FS))
    ref = Annotation(_mask(reference, n, _FS), _FS)
    hyp = Annotation(_mask(detections, n, _FS), _FS)
    s = scoring.EventScoring(ref, hyp, p)
    found = []
    length = len(s.ref.mask) / s.fs
    for a, b in s.ref.events:
        a2, b2 = max(0.0, a - p.toleranceStart), min(length, b + p.toleranceEnd)
        i0, i1 = round(a2 * s.fs), round(b2 * s.fs)
        overlap = np.sum(s.hyp.mask[i0:i1]) / s.fs / max(b2 - a2, 1e-9)
        found.append(bool(overlap > p.minOverlap + 1e-6))
    false = [
        bool(np.all(~s.tpMask[round(a * s.fs) : round(b * s.fs)].astype(bool)))
        for a, b in s.hyp.events
    ]
    if sum(found) != s.tp or sum(false) != s.fp:  # pragma: no cover - timescoring changed
        raise RuntimeError("timescoring's counts differ from its events")
    return EventMatch(
        [(float(a), float(b)) for a, b in s.ref.events],
        found,
        [(float(a), float(b)) for a, b in s.hyp.events],
        false,
    )


def second_counts(
    reference: Sequence[Span], detections: Sequence[Span], duration_s: float
) -> tuple[int, int, int, int]:
    """Per-second (tp, fp, fn, tn): a second is positive when at least half of it lies
    in an event."""
    n = int(duration_s)
    if n <= 0:
        return 0, 0, 0, 0

    def per_second(spans: Sequence[Span]) -> np.ndarray:
        fine = _mask(spans, n * _FS, _FS).reshape(n, _FS)
        return fine.sum(axis=1) >= _FS / 2

    ref, hyp = per_second(reference), per_second(detections)
    return (
        int((ref & hyp).sum()),
        int((~ref & hyp).sum()),
        int((ref & ~hyp).sum()),
        int((~ref & ~hyp).sum()),
    )


@dataclass
class Counts:
    """Counts that pooled figures are computed from (summed over recordings).

    Attributes
    ----------
    reference, found
        Labelled events, and those found.
    true_detections, false_detections
        Detections that are right (SzCORE: found events) and wrong.
    hours
        Hours of recording.
    seconds
        Per-second tp, fp, fn, tn (EEG), or None.
    """

    reference: int = 0
    found: int = 0
    true_detections: int = 0
    false_detections: int = 0
    hours: float = 0.0
    seconds: list[int] | None = field(default=None)

    def __add__(self, other: Counts) -> Counts:
        if self.seconds is None and other.seconds is None:
            seconds = None
        else:
            a, b = self.seconds or [0, 0, 0, 0], other.seconds or [0, 0, 0, 0]
            seconds = [x + y for x, y in zip(a, b, strict=True)]
        return Counts(
            self.reference + other.reference,
            self.found + other.found,
            self.true_detections + other.true_detections,
            self.false_detections + other.false_detections,
            self.hours + other.hours,
            seconds,
        )

    def vector(self) -> np.ndarray:
        """The counts as one row (for the bootstrap)."""
        s = self.seconds or [0, 0, 0, 0]
        return np.array(
            [
                self.reference,
                self.found,
                self.true_detections,
                self.false_detections,
                self.hours,
                *s,
            ],
            dtype=np.float64,
        )


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _sensitivity(v: np.ndarray) -> np.ndarray:
    return _div(v[..., 1], v[..., 0])


def _precision(v: np.ndarray) -> np.ndarray:
    return _div(v[..., 2], v[..., 2] + v[..., 3])


def _f1(v: np.ndarray) -> np.ndarray:
    s, p = _sensitivity(v), _precision(v)
    return _div(2 * s * p, s + p)


def _false_per_hour(v: np.ndarray) -> np.ndarray:
    return _div(v[..., 3], v[..., 4])


def _kappa(v: np.ndarray) -> np.ndarray:
    tp, fp, fn, tn = v[..., 5], v[..., 6], v[..., 7], v[..., 8]
    n = tp + fp + fn + tn
    po = _div(tp + tn, n)
    pe = _div((tp + fp) * (tp + fn) + (tn + fn) * (tn + fp), n * n)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(pe == 1.0, 1.0, (po - pe) / (1.0 - pe))
    return np.where(n > 0, k, np.nan)


def _mcc(v: np.ndarray) -> np.ndarray:
    tp, fp, fn, tn = v[..., 5], v[..., 6], v[..., 7], v[..., 8]
    den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return _div(tp * tn - fp * fn, den)


#: The pooled figures: name -> function of summed count vectors (vectorised).
FIGURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sensitivity": _sensitivity,
    "precision": _precision,
    "f1": _f1,
    "false_per_hour": _false_per_hour,
}
SECOND_FIGURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "kappa": _kappa,
    "mcc": _mcc,
}


def bootstrap_ci(
    per_subject: np.ndarray,
    figure: Callable[[np.ndarray], np.ndarray],
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``figure`` over subjects.

    ``per_subject`` holds one row of summed counts per subject; each replicate draws as
    many subjects with replacement, sums their rows and computes the figure. Replicates
    where the figure is undefined (no labelled event drawn, say) are left out. NaN, NaN
    when there is no subject or no replicate is defined.
    """
    n = len(per_subject)
    if n == 0 or n_boot < 1:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    values = np.empty(0)
    for start in range(0, n_boot, 500):  # in blocks, to keep memory small
        size = min(500, n_boot - start)
        idx = rng.integers(0, n, (size, n))
        values = np.concatenate([values, figure(per_subject[idx].sum(axis=1))])
    values = values[np.isfinite(values)]
    if not len(values):
        return math.nan, math.nan
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(values, [tail, 100 - tail])
    return float(lo), float(hi)


def figures(
    per_subject: dict[str, Counts], n_boot: int = 2000, seed: int = 0
) -> dict[str, dict[str, float | None]]:
    """Every pooled figure with its 95 % bootstrap interval over subjects.

    Returns ``{figure: {"value", "ci_low", "ci_high"}}`` (None where undefined), plus the
    counts ``{"reference", "found", "true_detections", "false_detections", "hours",
    "subjects"}``.
    """
    rows = np.array([c.vector() for c in per_subject.values()]).reshape(-1, 9)
    total = rows.sum(axis=0)
    with_seconds = any(c.seconds is not None for c in per_subject.values())
    chosen = {**FIGURES, **(SECOND_FIGURES if with_seconds else {})}
    out: dict[str, dict[str, float | None]] = {}
    for k, (name, fn) in enumerate(chosen.items()):
        value = float(fn(total))
        lo, hi = bootstrap_ci(rows, fn, n_boot, seed + k)
        out[name] = {"value": _none(value), "ci_low": _none(lo), "ci_high": _none(hi)}
    out["counts"] = {
        "reference": int(total[0]),
        "found": int(total[1]),
        "true_detections": int(total[2]),
        "false_detections": int(total[3]),
        "hours": round(float(total[4]), 4),
        "subjects": len(per_subject),
    }
    return out


def _none(x: float) -> float | None:
    return None if not math.isfinite(x) else round(x, 4)
