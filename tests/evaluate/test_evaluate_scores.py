"""Scoring rules of ``spasmwatch evaluate``: the matching agrees with the project's own
scorers, and the bootstrap intervals are right on cases whose answer is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spasmwatch.eeg.scoring import cohen_kappa, event_scores, matthews_corrcoef
from spasmwatch.evaluate.scores import (
    SZCORE_RULES,
    Counts,
    bootstrap_ci,
    figures,
    match_spans_with_slack,
    match_timescoring,
    second_counts,
)
from spasmwatch.testing.video.evaluate import match_spans


def _random_spans(rng: np.random.Generator, n: int, length: float) -> list[tuple[float, float]]:
    starts = np.sort(rng.uniform(0, length, n))
    return [(float(a), float(a + rng.uniform(0.2, 2.5))) for a in starts]


def _runs(mask: np.ndarray) -> list[tuple[float, float]]:
    d = np.diff(np.r_[0, mask.astype(int), 0])
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return [(float(a), float(b)) for a, b in zip(starts, ends, strict=True)]


def test_video_matching_is_the_benchmark_matching() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        true = _random_spans(rng, int(rng.integers(0, 8)), 60)
        dets = _random_spans(rng, int(rng.integers(0, 8)), 60)
        m = match_spans_with_slack(true, dets, 0.3)
        used, false = match_spans(true, dets)
        assert {i for i, hit in enumerate(m.found) if hit} == used
        assert sum(m.false) == false


def test_slack_widens_the_match() -> None:
    true = [(10.0, 11.0)]
    assert match_spans_with_slack(true, [(11.2, 12.0)], 0.3).found == [True]
    assert match_spans_with_slack(true, [(11.2, 12.0)], 0.1).found == [False]
    # one detection, one spasm: a second detection of the same spasm is false
    m = match_spans_with_slack(true, [(10.1, 10.5), (10.6, 10.9)], 0.3)
    assert m.found == [True] and m.false == [False, True]


def test_eeg_matching_counts_are_timescorings() -> None:
    rng = np.random.default_rng(4)
    for _ in range(60):
        n = int(rng.integers(30, 900))
        ref = np.zeros(n, bool)
        hyp = np.zeros(n, bool)
        for mask in (ref, hyp):
            for a in rng.integers(0, n, int(rng.integers(0, 5))):
                mask[a : a + int(rng.integers(1, 120))] = True
        expected = event_scores(ref, hyp)
        m = match_timescoring(_runs(ref), _runs(hyp), float(n), SZCORE_RULES)
        assert sum(m.found) == expected.true_positives
        assert len(m.reference) == expected.reference_events
        assert sum(m.false) == expected.false_positives
        tp, fp, fn, tn = second_counts(_runs(ref), _runs(hyp), float(n))
        assert (tp, fp, fn, tn) == (
            int((ref & hyp).sum()),
            int((~ref & hyp).sum()),
            int((ref & ~hyp).sum()),
            int((~ref & ~hyp).sum()),
        )
        c = Counts(seconds=[tp, fp, fn, tn])
        f = figures({"one": c}, n_boot=0)
        for name, fn_ in (("kappa", cohen_kappa), ("mcc", matthews_corrcoef)):
            want = fn_(ref, hyp)
            got = f[name]["value"]
            assert (got is None and math.isnan(want)) or got == pytest.approx(want, abs=1e-4)


def test_missed_and_false_events_are_listed_with_times() -> None:
    m = match_timescoring(
        [(100.0, 130.0), (1000.0, 1040.0)], [(110.0, 125.0), (500.0, 520.0)], 2000
    )
    assert m.found == [True, False] and m.reference[1] == (1000.0, 1040.0)
    assert m.false == [False, True] and m.detections[1] == (500.0, 520.0)


def test_bootstrap_over_two_unlike_subjects() -> None:
    # One subject found all 10 of its events, the other none of its 10: a replicate draws
    # both (0.5, half the time), twice the first (1.0) or twice the second (0.0).
    rows = {
        "a": Counts(reference=10, found=10, hours=1),
        "b": Counts(reference=10, found=0, hours=1),
    }
    f = figures(rows, n_boot=4000, seed=1, min_subjects=1)  # the bootstrap itself
    assert f["sensitivity"]["value"] == 0.5
    assert f["sensitivity"]["ci_low"] == 0.0 and f["sensitivity"]["ci_high"] == 1.0


def test_bootstrap_of_identical_subjects_has_no_width() -> None:
    rows = {
        s: Counts(reference=4, found=3, true_detections=3, false_detections=1, hours=2.0)
        for s in "abcdef"
    }
    f = figures(rows, n_boot=500, min_subjects=1)  # the bootstrap itself
    assert f["false_per_hour"]["value"] == 0.5
    assert f["false_per_hour"]["ci_low"] == f["false_per_hour"]["ci_high"] == 0.5
    # a share of events is never narrower than the Wilson interval of its 18 of 24 events
    for name in ("sensitivity", "precision"):
        assert f[name]["value"] == 0.75
        assert (f[name]["ci_low"], f[name]["ci_high"]) == (0.551, 0.88)


def test_bootstrap_matches_the_sampling_distribution() -> None:
    # Subjects with sensitivity 0 or 1 and 5 events each: the bootstrap mean is the
    # mean of a binomial share, its interval that of Binomial(n, p) / n.
    per = np.array([[5, 5 * (i % 3 == 0), 0, 0, 1, 0, 0, 0, 0] for i in range(30)], float)
    lo, hi = bootstrap_ci(per, lambda v: v[..., 1] / v[..., 0], n_boot=20000, seed=2)
    p = 10 / 30
    se = math.sqrt(p * (1 - p) / 30)
    assert lo == pytest.approx(p - 1.96 * se, abs=0.04)
    assert hi == pytest.approx(p + 1.96 * se, abs=0.04)


def test_a_subject_with_no_events_leaves_sensitivity_to_the_others() -> None:
    rows = {
        "seizures": Counts(reference=4, found=2, true_detections=2, false_detections=0, hours=1),
        "none": Counts(reference=0, found=0, true_detections=0, false_detections=3, hours=1),
    }
    f = figures(rows, n_boot=1000, min_subjects=1)  # the bootstrap itself
    assert f["sensitivity"]["value"] == 0.5
    assert f["false_per_hour"]["value"] == 1.5
    # replicates that drew only the subject without events are left out, not counted as 0
    assert f["false_per_hour"]["ci_low"] == 0.0 and f["false_per_hour"]["ci_high"] == 3.0
    assert f["sensitivity"]["subjects"] == 1 and f["false_per_hour"]["subjects"] == 2
    alone = figures({"none": rows["none"]}, n_boot=100)
    assert {k: alone["sensitivity"][k] for k in ("value", "ci_low", "ci_high")} == dict.fromkeys(
        ("value", "ci_low", "ci_high")
    )
    assert alone["precision"]["value"] == 0.0
