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
  replacement, every figure recomputed from their summed counts), never over events alone,
  because events of one subject are not independent; a share of events (sensitivity,
  precision) is never given a narrower interval than the Wilson score interval of its
  events. A figure that fewer than :data:`MIN_BOOTSTRAP_SUBJECTS` subjects bear on (with
  a labelled event, for sensitivity) gets no bootstrap: a share of events gets the
  Wilson interval of its events, any other figure no interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "BRIEF_EVENT_RULES",
    "FIGURES",
    "INTERVALS",
    "MIN_BOOTSTRAP_SUBJECTS",
    "SECOND_FIGURES",
    "SZCORE_RULES",
    "VIDEO_SLACK_S",
    "Counts",
    "EventMatch",
    "Figure",
    "bootstrap_ci",
    "figure_with_interval",
    "figures",
    "match_spans_with_slack",
    "match_timescoring",
    "second_counts",
    "wilson_interval",
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


#: The fewest subjects a figure's bootstrap interval is drawn over; below it a share of
#: events gets the Wilson interval of its events and any other figure no interval.
#: [design] Subjects drawn with replacement give few distinct samples when they are few
#: (1 from one subject, 10 from three, 126 from five; C(2n-1, n)), so the percentile
#: interval is narrow or has no width at all (one subject's 1 of 1 seizure gave
#: "1.00 (1.00-1.00)"); resampling over fewer than about 10 clusters is known to cover
#: far less than it claims (Cameron, Gelbach & Miller, Rev Econ Stat 2008, 90:414-427,
#: simulations with 5 to 30 clusters).
MIN_BOOTSTRAP_SUBJECTS = 10
#: The standard normal quantile of a two-sided 95 % interval.
Z_95 = 1.959963984540054
#: How a figure's interval was made (its ``"interval"``): drawn over subjects (for a share
#: of events, widened where needed to the Wilson interval of its events); the Wilson score
#: interval of the events alone (fewer subjects than :data:`MIN_BOOTSTRAP_SUBJECTS`); none.
INTERVALS = ("bootstrap", "wilson", "none")


@dataclass(frozen=True)
class Figure:
    """A pooled figure: how it is computed from summed counts (vectorised over rows),
    which subjects' rows bear on it, and, for a share of events, its events.

    Attributes
    ----------
    compute
        The figure of summed count rows (NaN where undefined).
    bears
        Which rows (one per subject) bear on it: for sensitivity, those with a labelled
        event; a subject without one changes nothing.
    events
        For a share of events (sensitivity, precision): (successes, trials) of summed
        counts, for the Wilson interval; None for any other figure.
    """

    compute: Callable[[np.ndarray], np.ndarray]
    bears: Callable[[np.ndarray], np.ndarray]
    events: Callable[[np.ndarray], tuple[float, float]] | None = None


def _detections(v: np.ndarray) -> np.ndarray:
    return v[..., 2] + v[..., 3]


def _seconds(v: np.ndarray) -> np.ndarray:
    return v[..., 5] + v[..., 6] + v[..., 7] + v[..., 8]


#: The pooled figures of events, by name.
FIGURES: dict[str, Figure] = {
    "sensitivity": Figure(
        _sensitivity, lambda v: v[..., 0] > 0, lambda t: (float(t[1]), float(t[0]))
    ),
    "precision": Figure(
        _precision, lambda v: _detections(v) > 0, lambda t: (float(t[2]), float(_detections(t)))
    ),
    "f1": Figure(_f1, lambda v: (v[..., 0] > 0) | (_detections(v) > 0)),
    "false_per_hour": Figure(_false_per_hour, lambda v: v[..., 4] > 0),
}
#: The per-second figures (EEG).
SECOND_FIGURES: dict[str, Figure] = {
    "kappa": Figure(_kappa, lambda v: _seconds(v) > 0),
    "mcc": Figure(_mcc, lambda v: _seconds(v) > 0),
}


def wilson_interval(successes: float, trials: float, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` of ``trials`` (95 % by default).

    Unlike the bootstrap or the normal approximation it has width at 0 of n and n of n
    (1 of 1: 0.21-1.00) and keeps near its level for few trials (Wilson, JASA 1927,
    22:209-212; Brown, Cai & DasGupta, Stat Sci 2001, 16:101-133). NaN, NaN without a
    trial.
    """
    if trials <= 0:
        return math.nan, math.nan
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def figure_with_interval(
    rows: np.ndarray,
    figure: Figure,
    n_boot: int = 2000,
    seed: int = 0,
    min_subjects: int = MIN_BOOTSTRAP_SUBJECTS,
) -> dict[str, float | int | str | None]:
    """One pooled figure of per-subject count ``rows`` with its 95 % interval.

    Returns ``{"value", "ci_low", "ci_high", "interval", "subjects"}``: ``interval`` is
    one of :data:`INTERVALS` (``"none"`` also where the value is undefined or
    ``n_boot`` is 0), ``subjects`` how many subjects bear on the figure.
    """
    total = rows.sum(axis=0)
    value = float(figure.compute(total))
    bearing = int(np.count_nonzero(figure.bears(rows))) if len(rows) else 0
    lo = hi = math.nan
    interval = "none"
    if math.isfinite(value) and n_boot >= 1:
        if bearing >= min_subjects:
            lo, hi = bootstrap_ci(rows, figure.compute, n_boot, seed)
            interval = "bootstrap"
            if figure.events is not None:
                # Never narrower than its events would give if they were independent:
                # a bootstrap cannot leave 100 % when every subject found all its events.
                w_lo, w_hi = wilson_interval(*figure.events(total))
                lo, hi = float(np.fmin(lo, w_lo)), float(np.fmax(hi, w_hi))
        elif figure.events is not None:
            lo, hi = wilson_interval(*figure.events(total))
            interval = "wilson"
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo = hi = math.nan
        interval = "none"
    return {
        "value": _none(value),
        "ci_low": _none(lo),
        "ci_high": _none(hi),
        "interval": interval,
        "subjects": bearing,
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
    when there is no subject or no replicate is defined. With few subjects it is too
    narrow (:data:`MIN_BOOTSTRAP_SUBJECTS`): :func:`figure_with_interval` chooses.
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
    per_subject: dict[str, Counts],
    n_boot: int = 2000,
    seed: int = 0,
    min_subjects: int = MIN_BOOTSTRAP_SUBJECTS,
) -> dict[str, dict[str, Any]]:
    """Every pooled figure with its 95 % interval (:func:`figure_with_interval`).

    Returns ``{figure: {"value", "ci_low", "ci_high", "interval", "subjects"}}`` (None
    where undefined), plus the counts ``{"reference", "found", "true_detections",
    "false_detections", "hours", "subjects"}``.
    """
    rows = np.array([c.vector() for c in per_subject.values()]).reshape(-1, 9)
    total = rows.sum(axis=0)
    with_seconds = any(c.seconds is not None for c in per_subject.values())
    chosen = {**FIGURES, **(SECOND_FIGURES if with_seconds else {})}
    out: dict[str, dict[str, Any]] = {
        name: figure_with_interval(rows, figure, n_boot, seed + k, min_subjects)
        for k, (name, figure) in enumerate(chosen.items())
    }
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
