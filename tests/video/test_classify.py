"""The learned spasm detector: vetoes, features, the shipped model and its use."""

from __future__ import annotations

import numpy as np
import pytest

from spasmwatch.logistic import LogisticModel
from spasmwatch.video.classify import (
    FEATURE_NAMES,
    FROM_OUTSIDE,
    LONGEST_CANDIDATE_S,
    NEIGHBOUR_S,
    PHONE_SHARE,
    RIGID_SHIFT,
    burst_features,
    explanation,
    load_spasm_model,
    veto_reason,
    vetoed,
    weigh_events,
)
from spasmwatch.video.detect import DETECTORS, MovementEvent, detect_events
from spasmwatch.video.events import shown_score

RATE = 15.0


def _event(start: float = 10.0, dur: float = 1.0, **kw) -> MovementEvent:
    base = dict(
        start_s=start,
        end_s=start + dur,
        kind="other",
        score=0.5,
        side="both",
        peak_extent=0.4,
        spread=0.8,
        sharpness=2.0,
        symmetry=0.9,
        rhythm_hz=None,
        outside_share=0.0,
        hold_s=0.5,
        rigidity=0.2,
    )
    base.update(kw)
    return MovementEvent(**base)


def test_vetoes_on_both_sides_of_each_threshold() -> None:
    assert not vetoed(_event())
    assert vetoed(_event(rhythm_hz=2.0))
    assert vetoed(_event(dur=LONGEST_CANDIDATE_S + 0.1))
    assert not vetoed(_event(dur=LONGEST_CANDIDATE_S - 0.1))
    # the other explanations are the model's measures, not vetoes
    assert not vetoed(_event(outside_share=0.5, rigidity=1.0, camera_share=0.5))


def test_a_veto_names_its_reason_the_first_that_applies() -> None:
    assert veto_reason(_event()) == ""
    assert veto_reason(_event(dur=LONGEST_CANDIDATE_S + 0.1, rhythm_hz=2.0)) == "long"
    assert veto_reason(_event(rhythm_hz=2.0, rigidity=RIGID_SHIFT)) == "rhythmic"


def test_other_explanations_on_both_sides_of_each_threshold() -> None:
    assert explanation(_event()) == ""
    assert explanation(_event(outside_share=FROM_OUTSIDE)) == "outside"  # a hand came in
    assert explanation(_event(outside_share=FROM_OUTSIDE - 0.01)) == ""
    assert explanation(_event(rigidity=RIGID_SHIFT)) == "rigid"  # shifted as one piece
    assert explanation(_event(rigidity=RIGID_SHIFT - 0.01)) == ""
    assert explanation(_event(rigidity=RIGID_SHIFT, part="end")) == ""  # a nod is rigid
    assert explanation(_event(camera_share=PHONE_SHARE)) == "phone"  # the phone's motion
    assert explanation(_event(camera_share=PHONE_SHARE - 0.01)) == ""
    # the first that applies
    assert explanation(_event(rigidity=RIGID_SHIFT, outside_share=FROM_OUTSIDE)) == "rigid"
    both = _event(outside_share=FROM_OUTSIDE, camera_share=PHONE_SHARE)
    assert explanation(both) == "outside"


def test_the_explanations_are_measures_of_the_model() -> None:
    energy, extent, t = _traces()
    events = [
        _event(20.0),
        _event(40.0, rigidity=RIGID_SHIFT),
        _event(60.0, outside_share=0.5),
        _event(80.0, camera_share=0.4),
    ]
    x = burst_features(events, energy, extent, t, RATE)
    cols = [FEATURE_NAMES.index(n) for n in ("rigid_shift", "from_outside", "phone_motion")]
    assert x[:, cols].tolist() == [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert x[:, FEATURE_NAMES.index("camera_share")].tolist() == [0, 0, 0, 0.4]


def _traces(seconds: float = 120.0):
    n = int(seconds * RATE)
    rng = np.random.default_rng(0)
    energy = np.abs(rng.normal(0.02, 0.003, n))
    extent = np.abs(rng.normal(0.05, 0.01, n))
    return energy, extent, np.arange(n) / RATE


def test_features_measure_strength_camera_and_neighbours() -> None:
    energy, extent, t = _traces()
    starts = (20.0, 30.0, 40.0, 40.0 + NEIGHBOUR_S + 5.0)
    for s in starts:
        i = int(s * RATE)
        energy[i : i + 15] += 0.1
        extent[i : i + 15] += 0.4
    camera = np.full(len(t), 0.01)
    camera[int(30 * RATE) : int(31 * RATE)] = 0.2  # a jolt during the second movement
    events = [_event(s) for s in starts]
    x = burst_features(events, energy, extent, t, RATE, camera)
    assert x.shape == (4, len(FEATURE_NAMES))
    col = {n: x[:, i] for i, n in enumerate(FEATURE_NAMES)}
    # the middle movements have two neighbours within NEIGHBOUR_S, the last none
    assert col["log_neighbours"][1] == pytest.approx(np.log1p(2))
    assert col["log_neighbours"][3] == 0.0
    assert col["camera"][1] > 5 * col["camera"][0]
    assert (col["log_strength"] > 1.0).all()
    assert np.isfinite(x).all()
    # without a camera trace the camera counts as steady
    assert (burst_features(events, energy, extent, t, RATE)[:, 11] == 0).all()
    assert burst_features([], energy, extent, t, RATE).shape == (0, len(FEATURE_NAMES))


def test_shipped_model_names_its_features_and_orders_its_thresholds() -> None:
    model = load_spasm_model()
    assert tuple(model.feature_names) == FEATURE_NAMES
    th = model.thresholds
    assert 0 < th["high"] <= th["normal"] == model.threshold <= th["low"] < 1
    assert set(model.info["trained_on"]) == {"2d tuning set", "3d tuning set"}


def test_weighing_follows_the_model_and_its_threshold() -> None:
    energy, extent, t = _traces()
    events = [_event(20.0, kind="spasm_like"), _event(50.0), _event(80.0, kind="jerk", dur=0.2)]
    x = burst_features(events, energy, extent, t, RATE)
    strength = FEATURE_NAMES.index("peak_extent")
    x[:, strength] = (0.1, 0.9, 0.1)
    model = LogisticModel(
        feature_names=list(FEATURE_NAMES),
        mean=[0.0] * len(FEATURE_NAMES),
        scale=[1.0] * len(FEATURE_NAMES),
        coef=[10.0 if i == strength else 0.0 for i in range(len(FEATURE_NAMES))],
        intercept=-5.0,
        threshold=0.5,
        thresholds={"low": 0.99, "normal": 0.5, "high": 0.2},
    )
    out = weigh_events(events, x, "normal", model)
    # the weak "spasm" of the rules is demoted, the strong "other" promoted, the jerk kept
    assert [e.kind for e in out] == ["other", "spasm_like", "jerk"]
    assert out[1].score == pytest.approx(1 / (1 + np.exp(-4.0)), abs=1e-3)
    assert [e.kind for e in weigh_events(events, x, "low", model)][1] == "other"
    # a hand or the phone is weighed, not vetoed: a strong movement is spasm-like
    hand = [_event(20.0, kind="other", outside_share=0.5, camera_share=0.5)]
    weighed = weigh_events(hand, x[:1] * 0 + 100, "high", model)[0]
    assert weighed.kind == "spasm_like" and weighed.set_aside == ""
    # vetoed for its own form (a bout, a rhythm): not a spasm whatever the model says
    for form in ({"end_s": 20.0 + LONGEST_CANDIDATE_S + 1.0}, {"rhythm_hz": 3.0}):
        vetoed_events = [_event(20.0, kind="spasm_like", **form)]
        weighed = weigh_events(vetoed_events, x[:1] * 0 + 100, "high", model)[0]
        assert weighed.kind == "other" and weighed.set_aside == ""


def test_a_probability_just_under_the_threshold_never_reads_as_reaching_it() -> None:
    energy, extent, t = _traces()
    events = [_event(20.0, kind="spasm_like")]
    x = burst_features(events, energy, extent, t, RATE)
    model = LogisticModel(
        feature_names=list(FEATURE_NAMES),
        mean=[0.0] * len(FEATURE_NAMES),
        scale=[1.0] * len(FEATURE_NAMES),
        coef=[0.0] * len(FEATURE_NAMES),
        intercept=float(np.log(0.4996 / 0.5004)),  # a probability of 0.4996 for any event
        threshold=0.5,
        thresholds={"low": 0.75, "normal": 0.5, "high": 0.15},
    )
    (weighed,) = weigh_events(events, x, "normal", model)
    # rounded to 3 decimals it would be stored as 0.5, the threshold it did not reach
    assert weighed.kind == "other" and weighed.score == 0.499
    assert shown_score(weighed.score) == "0.49"
    (found,) = weigh_events(events, x, "high", model)
    assert found.kind == "spasm_like" and found.score == 0.5


@pytest.mark.parametrize(
    ("score", "shown"),
    [(0.0, "0.00"), (0.499, "0.49"), (0.5, "0.50"), (0.58, "0.58"), (0.999, "0.99"), (1.0, "1.00")],
)
def test_scores_are_shown_rounded_down(score: float, shown: str) -> None:
    assert shown_score(score) == shown


def test_detector_must_be_known() -> None:
    n = 60
    speed = np.zeros((n, 4, 4), np.float32)
    with pytest.raises(ValueError, match="allowed are learned, rules"):
        detect_events(speed, speed, speed, np.arange(n) / RATE, RATE, detector="best")
    assert DETECTORS == ("learned", "rules")
