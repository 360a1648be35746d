"""Event scoring (timescoring, SzCORE) and epoch scoring."""

from __future__ import annotations

import numpy as np
import pytest

from spasmwatch.eeg.scoring import (
    cohen_kappa,
    epoch_scores,
    event_scores,
    matthews_corrcoef,
    roc_auc,
)


def _mask(n: int, spans: list[tuple[int, int]]) -> np.ndarray:
    m = np.zeros(n, bool)
    for a, b in spans:
        m[a:b] = True
    return m


def test_event_scores_match_the_hand_computed_example() -> None:
    ref = _mask(600, [(120, 160), (400, 430)])
    hyp = _mask(600, [(125, 165), (300, 310)])
    s = event_scores(ref, hyp)
    assert s.sensitivity == pytest.approx(0.5)
    assert s.precision == pytest.approx(0.5)
    assert s.true_positives == 1 and s.false_positives == 1 and s.reference_events == 2
    assert s.false_positives_per_24h == pytest.approx(144.0)


def test_epoch_scores() -> None:
    ref = _mask(600, [(120, 160), (400, 430)])
    hyp = _mask(600, [(125, 165), (300, 310)])
    s = epoch_scores(ref, hyp)
    assert s.sensitivity == pytest.approx(35 / 70)
    assert s.specificity == pytest.approx(1 - 15 / 530)
    assert s.precision == pytest.approx(35 / 50)
    assert -1 <= s.kappa <= 1


def test_kappa_and_auc_extremes() -> None:
    a = np.array([0, 1, 1, 0, 1, 0])
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    assert cohen_kappa(a, 1 - a) == pytest.approx(-1.0)
    assert roc_auc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]) == 1.0
    assert roc_auc([0.5, 0.5], [1, 0]) == 0.5
    assert np.isnan(roc_auc([0.5], [1]))


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        epoch_scores([0, 1], [0])


def test_matthews_corrcoef() -> None:
    a = np.array([1, 1, 0, 0, 1, 0], bool)
    assert matthews_corrcoef(a, a) == pytest.approx(1.0)
    assert matthews_corrcoef(a, ~a) == pytest.approx(-1.0)
    # tp 1, fn 1, fp 1, tn 1: no better than chance
    assert matthews_corrcoef([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.0)
    assert np.isnan(matthews_corrcoef([1, 1, 1], [1, 0, 1]))
