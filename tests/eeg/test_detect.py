"""Seizure model, seizure and decrement events, background assessment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eeg.conftest import band_noise
from spasmwatch.eeg.detect import (
    CNN_THRESHOLDS,
    FEATURE_NAMES,
    SZ_DETECTORS,
    SZ_MERGE_GAP_S,
    SZ_SENSITIVITIES,
    LogisticModel,
    assess_background,
    channel_probability,
    decrement_candidates,
    decrement_index,
    detect_decrements,
    detect_seizures,
    enclosing_threshold,
    load_model,
    seizure_features,
    seizure_probability,
    seizure_runs,
    threshold_for,
)
from spasmwatch.eeg.features import compute_epoch_features
from spasmwatch.eeg.reader import read_recording

FS = 256.0
CHANNELS = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2",
            "F7", "F8", "T3", "T4", "T5", "T6", "Fz", "Cz", "Pz"]  # fmt: skip


def test_shipped_model_is_transparent_and_loads() -> None:
    model = load_model()
    # one weight per channel feature and per "stands out from the median channel" feature
    assert model.feature_names == list(FEATURE_NAMES)
    assert 0 < model.threshold < 1 and model.smooth_epochs >= 1
    assert len(model.coef) == len(model.feature_names) == len(model.mean) == len(model.scale)
    assert "infant" in model.info["validation"]
    assert LogisticModel.from_json(model.to_json()) == model


def test_shipped_model_has_ordered_sensitivity_thresholds() -> None:
    model = load_model()
    low, normal, high = (model.threshold_for(s) for s in ("low", "normal", "high"))
    # low sensitivity = fewer false alarms = a higher threshold, and the other way round
    assert 0 < high < normal < low < 1
    assert normal == model.threshold
    assert set(model.thresholds) == {"low", "high"}
    with pytest.raises(ValueError, match=r"'sensitivity'.*low, normal, high.*'medium'"):
        model.threshold_for("medium")


def test_model_without_sensitivity_thresholds_uses_its_threshold_for_all() -> None:
    m = LogisticModel(["a"], [0.0], [1.0], [1.0], 0.0, threshold=0.4)
    assert [m.threshold_for(s) for s in SZ_SENSITIVITIES] == [0.4, 0.4, 0.4]
    m.thresholds = {"low": 0.6}
    assert [m.threshold_for(s) for s in SZ_SENSITIVITIES] == [0.6, 0.4, 0.4]


def test_thresholds_of_each_detector() -> None:
    assert SZ_DETECTORS == ("stevenson_cnn", "logistic")
    # the network's own decision point at normal; provisional low and high around it
    assert CNN_THRESHOLDS == {"low": 0.8, "normal": 0.5, "high": 0.3}
    assert [threshold_for(s) for s in SZ_SENSITIVITIES] == [0.8, 0.5, 0.3]
    assert threshold_for("low", "cnn") == 0.8
    model = load_model()
    assert threshold_for("high", "logistic") == model.threshold_for("high")
    with pytest.raises(ValueError, match=r"'sz_detector'.*stevenson_cnn, logistic.*'svm'"):
        threshold_for("normal", "svm")
    with pytest.raises(ValueError, match=r"'sensitivity'.*'max'"):
        threshold_for("max")


def test_events_name_the_channels_of_the_given_probabilities() -> None:
    ef = compute_epoch_features(
        np.random.default_rng(0).normal(0, 20, (19, 60 * 256)), FS, CHANNELS,
        seizure_window=False,
    )  # fmt: skip
    pch = np.zeros((len(ef.channels), 60), np.float32)
    pch[3, 10:30] = 0.9
    pch[5, 10:30] = 0.8
    pch[7, 10:30] = 0.5  # below 80 % of the most involved channel
    events = detect_seizures(ef, pch.max(axis=0), threshold=0.5, channel_prob=pch)
    assert [(e.onset, e.duration) for e in events] == [(10.0, 20.0)]
    assert events[0].channels == (ef.channels[3], ef.channels[5])
    assert events[0].confidence == pytest.approx(0.9)


def test_logistic_fit_separates_separable_data() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, (400, 2))
    y = (x[:, 0] - 0.5 * x[:, 1] > 0).astype(float)
    m = LogisticModel.fit(x, y, l2=0.1, names=["a", "b"])
    p = m.predict_proba(x)
    assert ((p > 0.5) == y).mean() > 0.97
    assert m.coef[0] > 0 > m.coef[1]


def _clip_probability(path: Path) -> float:
    rec = read_recording(path)
    ef = compute_epoch_features(
        rec.read(), rec.sfreq, rec.channels, rec.kinds, rec.physical_limits_uv
    )
    return float(seizure_probability(ef).mean())


def test_seizure_clips_score_above_seizure_free_clips(
    helsinki_dir: Path, helsinki_summary: dict
) -> None:
    # clips where all three experts agree on every one of the 30 seconds
    sz = [r for r in helsinki_summary.values() if r["seconds_seizure_consensus"] == "30"]
    free = [r for r in helsinki_summary.values() if r["seconds_seizure_any"] == "0"]
    sz_p = [_clip_probability(helsinki_dir / r["file"]) for r in sz[:8]]
    free_p = [_clip_probability(helsinki_dir / r["file"]) for r in free[:8]]
    assert np.mean(sz_p) > np.mean(free_p)
    # and a pairwise majority (an AUC above chance on this subset)
    assert (np.array(sz_p)[:, None] > np.array(free_p)[None, :]).mean() > 0.6


def test_seizure_events_follow_the_probability() -> None:
    rng = np.random.default_rng(1)
    data = rng.normal(0, 10, (19, int(60 * FS)))
    ef = compute_epoch_features(data, FS, CHANNELS)
    prob = np.zeros(60, np.float32)
    prob[20:35] = 0.9
    prob[41:45] = 0.9  # too short, and more than 5 s apart
    events = detect_seizures(ef, prob)
    assert [(e.onset, e.duration, e.eventType) for e in events] == [(20.0, 15.0, "sz")]
    assert events[0].confidence == pytest.approx(0.9)
    assert 1 <= len(events[0].channels) <= 4
    assert set(events[0].channels) <= set(ef.channels)
    prob[35:38] = 0.1  # a gap of 3 s is merged
    prob[38:45] = 0.9
    assert [(e.onset, e.duration) for e in detect_seizures(ef, prob)] == [(20.0, 25.0)]


@pytest.mark.parametrize(
    ("dip_s", "strict_events"),
    # a dip under the strict threshold of 5 s is merged anyway; of 6 s it splits the
    # strict level's runs, which one event of the lower threshold holds
    [(5, 1), (6, 1)],
)
def test_a_stricter_level_joins_runs_that_one_lower_level_event_holds(
    dip_s: int, strict_events: int
) -> None:
    prob = np.zeros(120, np.float32)
    prob[20:80] = 0.6  # one event at 0.5
    prob[20:40] = 0.9
    prob[40 + dip_s : 70] = 0.9
    assert seizure_runs(prob, 0.5) == [(20, 80)]
    apart = seizure_runs(prob, 0.8)
    assert len(apart) == (1 if dip_s <= SZ_MERGE_GAP_S else 2)
    joined = seizure_runs(prob, 0.8, within=0.5)
    assert joined == [(20, 70)]
    assert len(joined) == strict_events


def test_runs_in_separate_lower_level_events_stay_apart() -> None:
    prob = np.zeros(120, np.float32)
    prob[10:30] = 0.9
    prob[50:70] = 0.9  # 20 s apart, and the probability under 0.5 between them
    assert seizure_runs(prob, 0.8, within=0.5) == [(10, 30), (50, 70)]
    # a lower threshold that is not lower changes nothing
    assert seizure_runs(prob, 0.8, within=0.8) == seizure_runs(prob, 0.8)


def test_only_low_is_held_by_another_levels_events() -> None:
    assert enclosing_threshold("low") == threshold_for("normal")
    assert enclosing_threshold("normal") is None
    assert enclosing_threshold("high") is None
    model = load_model()
    assert enclosing_threshold("low", "logistic", model) == threshold_for(
        "normal", "logistic", model
    )


def _slow_wave_then_decrement(seconds: int = 60, at: float = 30, length: float = 3) -> np.ndarray:
    rng = np.random.default_rng(2)
    t = np.arange(int(seconds * FS)) / FS
    x = 60 * np.sin(2 * np.pi * 1.5 * t)[None] + rng.normal(0, 8, (19, len(t)))
    x *= rng.uniform(0.7, 1.3, (19, 1))
    s, e = int(at * FS), int((at + length) * FS)
    env = np.ones(len(t))
    env[s - 256 : s] = 3  # high-voltage slow wave
    env[s:e] = 0.1  # then diffuse attenuation
    # 40-ms transitions: an EEG does not jump from one sample to the next (a jump is an
    # electrode pop for the artefact gate)
    k = np.hanning(21)
    env = np.convolve(np.pad(env, 10, mode="edge"), k / k.sum(), mode="valid")
    return x * env[None]


def test_decrement_is_found_where_the_eeg_attenuates() -> None:
    ef = compute_epoch_features(_slow_wave_then_decrement(), FS, CHANNELS)
    events = detect_decrements(ef)
    assert len(events) == 1 and events[0].eventType == "decrement"
    assert 30.0 <= events[0].onset <= 31.0 and events[0].onset + events[0].duration == 33.0
    assert events[0].confidence > 0.5
    index = decrement_index(ef)
    assert index.shape == (60,)
    assert np.all(index[31:33] < 0.2) and index[30] < 0.5  # attenuated to 10 %
    assert np.all(np.abs(index[12:29] - 1) < 0.3)  # steady before it
    assert index[29] > 2  # the high-voltage slow wave just before


def test_a_decrement_shows_through_mains_interference(monkeypatch) -> None:
    from spasmwatch.eeg import features

    t = np.arange(60 * int(FS)) / FS
    # each electrode picks up its own share of the hum (its impedance): the bipolar
    # derivations keep the differences
    pickup = np.random.default_rng(3).uniform(0, 80, (len(CHANNELS), 1))
    hum = _slow_wave_then_decrement() + pickup * np.sin(2 * np.pi * 50 * t)[None]
    found = detect_decrements(compute_epoch_features(hum, FS, CHANNELS))
    assert [(e.onset, e.onset + e.duration) for e in found] == [(30.0, 33.0)]
    # without the notch the hum keeps the whole band's line length of the attenuation up
    monkeypatch.setattr(features, "MAINS_PEAK", np.inf)
    unnotched = compute_epoch_features(hum, FS, CHANNELS)
    whole = [why for e, why in decrement_candidates(unnotched) if 29 <= e.onset <= 31]
    assert whole and all(why == "fast activity goes on" for why in whole)


def test_a_decrement_across_two_seconds_is_found_on_the_half_second_grid() -> None:
    # attenuated from 30.5 s to 31.5 s: half of second 30 is the slow wave and half of
    # second 31 the background again, so neither second is attenuated
    ef = compute_epoch_features(_slow_wave_then_decrement(at=30.5, length=1), FS, CHANNELS)
    assert [e for e, why in decrement_candidates(ef) if why is None] == []
    (found,) = [e for e, why in decrement_candidates(ef, half=True) if why is None]
    assert detect_decrements(ef) == [found]
    assert (found.onset, found.duration) == (30.5, 1.0)
    # on the seconds' grid the first grid finds it and the second adds nothing
    aligned = compute_epoch_features(_slow_wave_then_decrement(at=30, length=1), FS, CHANNELS)
    assert [e for e, why in decrement_candidates(aligned, half=True) if why is None] == []
    assert [(e.onset, e.duration) for e in detect_decrements(aligned)] == [(30.0, 1.0)]


def test_an_event_of_both_grids_is_given_once_with_the_first_grids_times() -> None:
    ef = compute_epoch_features(_slow_wave_then_decrement(at=30, length=3), FS, CHANNELS)
    first = [e for e, why in decrement_candidates(ef) if why is None]
    second = [e for e, why in decrement_candidates(ef, half=True) if why is None]
    assert len(first) == len(second) == 1 and second[0].onset == first[0].onset + 0.5
    assert detect_decrements(ef) == first


def _sinking_then_attenuated(before: float, depth: float) -> np.ndarray:
    """A steady background at ``before`` of its level over the 3 s before 30 s, then at
    ``depth`` from 30 s to 32 s, then steady again."""
    rng = np.random.default_rng(5)
    x = rng.normal(0, 20, (19, int(60 * FS))) * rng.uniform(0.7, 1.3, (19, 1))
    env = np.ones(x.shape[1])
    env[int(27 * FS) : int(30 * FS)] = before
    env[int(30 * FS) : int(32 * FS)] = depth
    k = np.hanning(21)
    return x * np.convolve(np.pad(env, 10, mode="edge"), k / k.sum(), mode="valid")[None]


@pytest.mark.parametrize(
    ("before", "depth", "found"),
    [
        (0.75, 0.45, False),  # shallow, and the background sank into it: its waxing and waning
        (1.0, 0.45, True),  # as shallow, but abrupt (at the background's level just before)
        (0.75, 0.3, True),  # sank into it, but deep
    ],
)
def test_a_shallow_attenuation_must_be_abrupt(before: float, depth: float, found: bool) -> None:
    ef = compute_epoch_features(_sinking_then_attenuated(before, depth), FS, CHANNELS)
    verdicts = [(e.onset, why) for e, why in decrement_candidates(ef)]
    if found:
        assert [(e.onset, e.duration) for e in detect_decrements(ef)] == [(30.0, 2.0)]
    else:
        assert (30.0, "background fading") in verdicts
        assert detect_decrements(ef) == []


def test_no_decrement_in_stationary_eeg_or_after_a_too_long_attenuation() -> None:
    rng = np.random.default_rng(3)
    ef = compute_epoch_features(rng.normal(0, 20, (19, int(60 * FS))), FS, CHANNELS)
    assert detect_decrements(ef) == []
    long = compute_epoch_features(_slow_wave_then_decrement(length=20), FS, CHANNELS)
    assert detect_decrements(long) == []


def _spiky(n_channels: int, spikes_per_s: float, amp: float, seconds: int = 60) -> np.ndarray:
    rng = np.random.default_rng(4)
    n = int(seconds * FS)
    x = amp * np.sin(2 * np.pi * 1.0 * np.arange(n) / FS)[None] * rng.uniform(0.5, 1, (19, 1))
    x = x + rng.normal(0, 2, (19, n))
    tri = np.r_[np.linspace(0, 1, 6), np.linspace(1, 0, 6)[1:]]
    wave = np.r_[tri, np.zeros(5), 0.6 * np.sin(np.linspace(0, np.pi, 64))]  # + slow wave
    for ch in range(n_channels):
        for t in rng.uniform(1, seconds - 1, int(spikes_per_s * seconds)):
            i = int(t * FS)
            x[ch, i - 5 : i - 5 + len(wave)] += wave * 3 * amp
    return x


def test_background_with_abundant_multifocal_high_amplitude_spikes_is_hypsarrhythmia() -> None:
    data = _spiky(19, 1.5, 150.0, seconds=310)  # the 5 minutes a verdict needs
    bg = assess_background(compute_epoch_features(data, FS, CHANNELS))
    assert bg.spike_foci >= 3
    assert bg.spike_wave_index >= 0.5
    assert bg.based_like_score == 5
    assert bg.hypsarrhythmia_likely
    assert bg.amplitude_uv_p95 > 200
    assert any("BASED" in r for r in bg.reasons)


def test_hypsarrhythmia_is_assessed_from_two_minutes_and_never_no_below() -> None:
    # the same background, 150 s long: assessed (not turned into "no"), with a caveat
    bg = assess_background(
        compute_epoch_features(_spiky(19, 1.5, 150.0, seconds=150), FS, CHANNELS)
    )
    assert bg.hypsarrhythmia_assessment == "likely" and bg.hypsarrhythmia_likely is True
    assert bg.usable_s == 150
    assert any("shorter than the 300-s BASED window" in r for r in bg.reasons)
    # 100 s (< 120 s of usable EEG): cannot be assessed, which is not "unlikely"
    short = assess_background(
        compute_epoch_features(_spiky(19, 1.5, 150.0, seconds=100), FS, CHANNELS)
    )
    assert short.based_like_score == 5
    assert short.hypsarrhythmia_assessment == "cannot_assess"
    assert short.hypsarrhythmia_likely is None
    assert any("only 100 s of usable EEG" in r for r in short.reasons)


def test_artefact_seconds_do_not_count_as_usable_eeg() -> None:
    # 150 s, of which 40 s are flat on every channel: 110 usable s, below the 120 s
    data = _spiky(19, 1.5, 150.0, seconds=150)
    data[:, : int(40 * FS)] = 0.0
    bg = assess_background(compute_epoch_features(data, FS, CHANNELS))
    assert bg.usable_s < 120 <= bg.usable_s + 41
    assert bg.hypsarrhythmia_assessment == "cannot_assess"


def test_high_amplitude_without_spikes_is_unlikely() -> None:
    # high-voltage slow waves (amplitude > 200 µV) and no spikes: not hypsarrhythmia
    data = _spiky(0, 0.0, 1000.0, seconds=150)
    bg = assess_background(compute_epoch_features(data, FS, CHANNELS))
    assert bg.amplitude_uv_p95 > 200 and bg.spike_rate_per_min == 0
    assert bg.hypsarrhythmia_assessment == "unlikely"
    assert any("not abundant" in r for r in bg.reasons)


def test_quiet_background_is_not_hypsarrhythmia() -> None:
    rng = np.random.default_rng(5)
    bg = assess_background(
        compute_epoch_features(rng.normal(0, 8, (19, int(60 * FS))), FS, CHANNELS)
    )
    assert bg.based_like_score <= 1
    assert not bg.hypsarrhythmia_likely
    assert bg.amplitude_uv_p95 < 200


def test_sparse_focal_spikes_score_two() -> None:
    # spikes on Fp1 only: one or two foci (Fp1 starts two bipolar pairs), well under 50 %
    bg = assess_background(compute_epoch_features(_spiky(1, 0.1, 40.0, seconds=150), FS, CHANNELS))
    assert bg.spike_foci <= 2
    assert bg.based_like_score == 2
    assert bg.hypsarrhythmia_assessment == "unlikely" and bg.hypsarrhythmia_likely is False


def test_feature_matrix_shape_and_artefacts_are_ignored() -> None:
    rng = np.random.default_rng(6)
    data = rng.normal(0, 20, (19, int(20 * FS)))
    data[:, 5 * 256 : 7 * 256] = 0.0  # a flat stretch on every channel
    ef = compute_epoch_features(data, FS, CHANNELS)
    assert ef.flat[:, 5:7].all() and not ef.flat[:, 8:].any()
    x = seizure_features(ef)
    assert x.shape == (len(ef.channels), 20, len(FEATURE_NAMES))
    assert np.isnan(x[:, 5:7]).all()  # artefact channel-seconds: no feature
    assert np.isfinite(x[:, 8:]).all()
    p = seizure_probability(ef)
    assert p.shape == (20,) and np.isfinite(p).all()


def test_rhythmic_focal_discharge_scores_above_its_background() -> None:
    # 2 Hz rhythmic sharp discharge on C3 for 30 s in the middle of 90 s of noise: the
    # channels that contain C3 score higher during the discharge than before it
    rng = np.random.default_rng(7)
    n = int(90 * FS)
    data = rng.normal(0, 15, (19, n))
    t = np.arange(int(30 * FS)) / FS
    data[CHANNELS.index("C3"), int(30 * FS) : int(60 * FS)] += 120 * np.sin(2 * np.pi * 2 * t) ** 7
    ef = compute_epoch_features(data, FS, CHANNELS)
    pch = channel_probability(ef)
    c3 = [i for i, name in enumerate(ef.channels) if "C3" in name.split("-")]
    assert pch[c3, 35:55].mean() > pch[c3, 5:25].mean()
    p = seizure_probability(ef)
    assert p[35:55].mean() > p[5:25].mean()


def _delta_background(seconds: int = 90, seed: int = 8) -> np.ndarray:
    """Faster background (noise, 15 µV) with 1 Hz delta that differs between electrodes."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * FS)) / FS
    phase = rng.uniform(0, 2 * np.pi, (19, 1))
    return 40 * np.sin(2 * np.pi * 1.0 * t[None] + phase) + rng.normal(0, 15, (19, len(t)))


def _envelope(n: int, spans: list[tuple[float, float, float]]) -> np.ndarray:
    """1, with (start s, end s, level) spans, 40-ms smooth transitions."""
    env = np.ones(n)
    for a, b, level in spans:
        env[int(a * FS) : int(b * FS)] = level
    k = np.hanning(21)
    return np.convolve(np.pad(env, 10, mode="edge"), k / k.sum(), mode="valid")


def test_a_trough_of_the_slow_waves_alone_is_not_a_decrement() -> None:
    # the delta falls to 10 % for 3 s while the faster background goes on: the line
    # length stays up, so no event; the same with everything attenuated is an event
    rng = np.random.default_rng(9)
    n = int(90 * FS)
    t = np.arange(n) / FS
    fast = rng.normal(0, 6, (19, n))
    slow = 150 * np.sin(2 * np.pi * 1.0 * t[None] + rng.uniform(0, 6.3, (19, 1)))
    env = _envelope(n, [(45, 48, 0.1)])
    trough = compute_epoch_features(slow * env + fast, FS, CHANNELS)
    assert detect_decrements(trough) == []
    assert any(why == "fast activity goes on" for _, why in decrement_candidates(trough))
    whole = compute_epoch_features((slow + fast) * env, FS, CHANNELS)
    (event,) = detect_decrements(whole)
    assert 45 <= event.onset <= 46


def test_an_attenuation_among_artefacts_is_not_a_decrement() -> None:
    # every channel flat for 3 s (an amplifier reset) is flagged, not an event
    x = _delta_background()
    x[:, int(45 * FS) : int(48 * FS)] = 0.0
    ef = compute_epoch_features(x, FS, CHANNELS)
    assert ef.flat[:, 45:48].all()
    assert detect_decrements(ef) == []


def test_a_decrement_must_be_deep_against_the_last_30_seconds() -> None:
    # 4 s of doubled amplitude, then back to the usual level for 3 s: below half of the
    # last 10 s on many channels, but not below 55 % of the last 30 s
    x = _delta_background()
    env = _envelope(x.shape[1], [(40, 44, 2.0), (44, 47, 1.0)])
    ef = compute_epoch_features(x * env, FS, CHANNELS)
    assert detect_decrements(ef) == []
    deep = compute_epoch_features(x * _envelope(x.shape[1], [(44, 47, 0.15)]), FS, CHANNELS)
    assert len(detect_decrements(deep)) == 1


def test_abundant_spikes_from_one_focus_are_not_hypsarrhythmia() -> None:
    # high-voltage background and abundant spikes, all at Fp1 (one region): not multifocal
    base = _spiky(0, 0.0, 1000.0, seconds=150)
    spikes = _spiky(1, 1.5, 60.0, seconds=150) - _spiky(0, 0.0, 60.0, seconds=150)
    bg = assess_background(compute_epoch_features(base + spikes, FS, CHANNELS))
    assert bg.amplitude_uv_p95 > 200 and bg.spike_wave_index >= 0.1
    assert bg.spike_foci == 1
    assert bg.hypsarrhythmia_assessment == "unlikely"
    assert any("not multifocal" in r for r in bg.reasons)


def test_too_few_channels_cannot_be_assessed() -> None:
    data = _spiky(19, 1.5, 150.0, seconds=150)[:3]  # Fp1, Fp2, F3: 3 referential channels
    ef = compute_epoch_features(data, FS, CHANNELS[:3], kinds=["bipolar"] * 3)
    bg = assess_background(ef)
    assert bg.hypsarrhythmia_assessment == "cannot_assess" and bg.hypsarrhythmia_likely is None
    assert any("only 3 channels" in r for r in bg.reasons)


def test_attenuations_of_a_discontinuous_background_are_not_decrements(monkeypatch) -> None:
    # inter-burst intervals of 5 s every 9 s (as in preterm EEG): the median channel is
    # attenuated for more than 40 % of the minutes around each, which is the background
    # itself, not an event; the rule is what removes them
    x = _delta_background(150)
    spans = [(a, a + 5, 0.1) for a in range(20, 140, 9)]
    ef = compute_epoch_features(x * _envelope(x.shape[1], spans), FS, CHANNELS)
    verdicts = [why for _, why in decrement_candidates(ef)]
    assert len(verdicts) == 14 and set(verdicts) == {"discontinuous background"}
    import spasmwatch.eeg.decrements as decrements

    # set aside, not lost: the result can say they are there
    events, aside = decrements.decrement_events(ef)
    assert events == [] and [e.onset for e in aside] == [float(a) for a in range(20, 140, 9)]
    monkeypatch.setattr(decrements, "DECREMENT_MAX_DISCONTINUITY", 1.01)
    assert len(detect_decrements(ef)) == 14
    events, aside = decrements.decrement_events(ef)
    assert len(events) == 14 and aside == []


def test_attenuations_of_a_quarter_of_the_time_are_decrements() -> None:
    # 3 s every 12 s (25 %, below the 40 %): each is still an event
    x = _delta_background(150)
    spans = [(a, a + 3, 0.1) for a in range(20, 140, 12)]
    ef = compute_epoch_features(x * _envelope(x.shape[1], spans), FS, CHANNELS)
    assert [e.onset for e in detect_decrements(ef)] == [float(a) for a in range(20, 140, 12)]


def test_a_cluster_of_decrements_keeps_each_of_them() -> None:
    # two decrements 20 s apart (a cluster of spasms): each keeps the other
    x = _delta_background(90)
    ef = compute_epoch_features(
        x * _envelope(x.shape[1], [(40, 43, 0.12), (60, 63, 0.12)]), FS, CHANNELS
    )
    assert [e.onset for e in detect_decrements(ef)] == [40.0, 60.0]
    import spasmwatch.eeg.decrements as decrements

    assert decrements.decrement_events(ef)[1] == []  # nothing set aside


def test_the_muscle_of_a_spasm_does_not_veto_its_decrement() -> None:
    # a burst of muscle (broadband, 120 µV) on six electrodes at the onset: steps as
    # large as a pop's, but undone within a sample or two, so not an electrode pop and
    # the decrement after it stands; a real pop (a step that decays) still is one
    rng = np.random.default_rng(12)
    x = _delta_background()
    a, b = int(44.5 * FS), int(45.5 * FS)
    for e in (0, 1, 10, 11, 12, 13):
        x[e, a:b] += rng.normal(0, 120, b - a)
    ef = compute_epoch_features(x * _envelope(x.shape[1], [(45, 48, 0.12)]), FS, CHANNELS)
    assert not ef.pop.any()
    assert [e.onset for e in detect_decrements(ef)] == [45.0]
    popped = x.copy()
    i = int(44.5 * FS)
    popped[0, i:] += 800 * np.exp(-np.arange(popped.shape[1] - i) / (0.2 * FS))
    pf = compute_epoch_features(popped, FS, CHANNELS)
    assert pf.pop[:, 44].any()


def _muscle(rng: np.random.Generator, seconds: float, rms: float) -> np.ndarray:
    """Muscle: broadband activity of 25-90 Hz."""
    return band_noise(rng, int(seconds * FS), 25, 90, rms, FS)


def test_a_decrement_under_the_spasms_muscle_on_many_channels_is_found(monkeypatch) -> None:
    # the spasm's muscle on eight electrodes through the attenuation keeps the amplitude
    # of half the derivations up: left out of the measures, the others show it
    from spasmwatch.eeg import features

    rng = np.random.default_rng(21)
    x = _delta_background() * _envelope(int(90 * FS), [(45, 48, 0.12)])
    a = int(44.8 * FS)
    for e in ("Fp1", "Fp2", "F7", "F8", "T3", "T4", "F3", "F4"):
        x[CHANNELS.index(e), a : a + int(3 * FS)] += _muscle(rng, 3, 60.0)
    ef = compute_epoch_features(x, FS, CHANNELS)
    assert ef.muscle[:, 45:47].mean() > 0.3 and not ef.pop.any()
    assert [e.onset for e in detect_decrements(ef)] == [45.0]
    monkeypatch.setattr(features, "MUSCLE_RATIO", np.inf)  # the muscle measured as EEG
    assert detect_decrements(compute_epoch_features(x, FS, CHANNELS)) == []


def test_a_pause_in_muscle_is_not_an_attenuation(monkeypatch) -> None:
    # muscle on every channel for 30 s with a pause of 2 s: the EEG under it is steady,
    # and the pause is not an attenuation of it
    from spasmwatch.eeg import features

    rng = np.random.default_rng(22)
    x = _delta_background()
    for row in x:
        row[int(30 * FS) : int(60 * FS)] += _muscle(rng, 30, 120.0) * _envelope(
            int(30 * FS), [(15, 17, 0.0)]
        )

    def at_the_pause() -> list:
        ef = compute_epoch_features(x, FS, CHANNELS)
        both = decrement_candidates(ef) + decrement_candidates(ef, half=True)
        return [e for e, _why in both if e.onset < 47 and e.onset + e.duration > 45]

    assert compute_epoch_features(x, FS, CHANNELS).muscle[:, 35:44].all()
    assert at_the_pause() == []
    # measured as EEG, the muscle makes the pause an attenuation (judged then by the
    # other rules: here the quiet minute before the muscle makes it discontinuous)
    monkeypatch.setattr(features, "MUSCLE_RATIO", np.inf)
    assert at_the_pause()


def test_artefact_channels_do_not_dilute_a_diffuse_attenuation() -> None:
    # the left-sided electrodes flat through the whole recording (a loose cap): 8 of the
    # 18 derivations are artefact, so the attenuation of all the others is diffuse among
    # the artefact-free channels and is an event; an attenuation of three right
    # temporal electrodes only is not
    x = _delta_background()
    left = [CHANNELS.index(e) for e in ("Fp1", "F7", "T3", "T5", "O1", "F3", "C3", "P3")]
    x[left] = 0.0
    ef = compute_epoch_features(x * _envelope(x.shape[1], [(45, 48, 0.12)]), FS, CHANNELS)
    assert ef.bad.mean() > 0.4
    assert [e.onset for e in detect_decrements(ef)] == [45.0]
    env = np.ones_like(x)
    right = [CHANNELS.index(e) for e in ("F8", "T4", "T6")]
    env[right] = _envelope(x.shape[1], [(45, 48, 0.12)])
    few = compute_epoch_features(x * env, FS, CHANNELS)
    assert detect_decrements(few) == []


def test_a_decrement_lasts_past_a_first_second_at_the_edge() -> None:
    # 18 channels, nine of 100 µV and nine of 20 µV (1-Hz waves). At 45 s the large ones
    # and two small ones fall to half (11 of 18 attenuated: a candidate), which leaves
    # the median channel at 0.58 of the channels' median baseline, above the 0.55 of a
    # recovery; from 46 s to 49 s all fall to a tenth. One event from 45 s of 4 s, not a
    # first second taken for the whole event and rejected as too short
    t = np.arange(int(90 * FS)) / FS
    rng = np.random.default_rng(14)
    amp = np.r_[np.full(9, 100.0), np.full(9, 20.0)]
    phase = rng.uniform(0, 2 * np.pi, 18)
    x = amp[:, None] * np.sin(2 * np.pi * t[None] + phase[:, None])
    x += rng.normal(0, 1.0, x.shape)
    gain = np.ones_like(x)
    first = (t >= 45) & (t < 46)
    gain[:11, first] = 0.5
    gain[:, (t >= 46) & (t < 49)] = 0.1
    names = [f"E{i}" for i in range(18)]
    ef = compute_epoch_features(x * gain, FS, names, kinds=["bipolar"] * 18)
    (event,) = detect_decrements(ef)
    assert (event.onset, event.duration) == (45.0, 4.0)


def _async_delta(p95_uv: float, seconds: int = 150, theta: float = 0.0, seed: int = 11):
    """Independent 0.5-3 Hz activity at every electrode (asynchronous high-voltage delta,
    no spikes), scaled so that the assessment's amplitude p95 is ``p95_uv``; ``theta``
    adds 5-7 Hz activity of that share of the delta's SD."""
    from scipy.signal import butter, sosfiltfilt

    rng = np.random.default_rng(seed)
    n = int(seconds * FS)
    delta = sosfiltfilt(
        butter(4, (0.5, 3.0), "bandpass", fs=FS, output="sos"), rng.normal(0, 1, (19, n))
    )
    fast = sosfiltfilt(
        butter(4, (5.0, 7.0), "bandpass", fs=FS, output="sos"), rng.normal(0, 1, (19, n))
    )
    x = delta / delta.std() + theta * fast / fast.std()
    amp = assess_background(compute_epoch_features(x, FS, CHANNELS)).amplitude_uv_p95
    return x * (p95_uv / amp)


def test_very_high_asynchronous_delta_is_the_slow_form_of_hypsarrhythmia() -> None:
    # Hrachovy et al. 1984: hypsarrhythmia made mostly of high-voltage slow activity with
    # little spike activity. No spike at all here: likely from HYPS_SLOW_FORM_UV on, not below
    from spasmwatch.eeg.background import HYPS_SLOW_FORM_UV

    for p95, verdict in ((HYPS_SLOW_FORM_UV + 20, "likely"), (HYPS_SLOW_FORM_UV - 20, "unlikely")):
        bg = assess_background(compute_epoch_features(_async_delta(p95), FS, CHANNELS))
        assert bg.spike_rate_per_min < 1 and bg.spike_foci == 0
        assert abs(bg.amplitude_uv_p95 - p95) < 15
        assert bg.delta_power_fraction >= 0.75
        assert bg.markers["connectivity_strength"] < 0.45
        assert bg.hypsarrhythmia_assessment == verdict
        (said,) = [r for r in bg.reasons if "Hrachovy" in r] or [""]
        assert ("little spike activity" in said) == (verdict == "likely")


def _quiet_in_part(x: np.ndarray, p25_uv: float, quiet_share: float = 0.4) -> np.ndarray:
    """``x`` with its last ``quiet_share`` of seconds scaled down so that the assessment's
    sustained amplitude (``amplitude_uv_p25``) is ``p25_uv``: loud for a stretch, then
    quieter, as a state of sleep changes."""
    from_s = int(x.shape[1] * (1 - quiet_share) / FS) * int(FS)
    gain = 0.5
    for _ in range(3):  # the 25th percentile lies among the quiet seconds: linear in gain
        y = x.copy()
        y[:, from_s:] *= gain
        gain *= p25_uv / assess_background(compute_epoch_features(y, FS, CHANNELS)).amplitude_uv_p25
    y = x.copy()
    y[:, from_s:] *= gain
    return y


def test_either_form_of_hypsarrhythmia_needs_an_amplitude_that_lasts() -> None:
    # a loud stretch is not a background that stays high (Gibbs & Gibbs 1952): the spiky
    # form and the slow form are likely only while the amplitude's 25th percentile over
    # the usable seconds reaches HYPS_SUSTAINED_UV; both sides of it, with every other
    # criterion met
    from spasmwatch.eeg.background import HYPS_SLOW_FORM_UV, HYPS_SUSTAINED_UV

    for x in (_spiky(19, 1.5, 150.0, seconds=150), _async_delta(600.0)):
        for p25, verdict in (
            (HYPS_SUSTAINED_UV + 5, "likely"),
            (HYPS_SUSTAINED_UV - 5, "unlikely"),
        ):
            bg = assess_background(compute_epoch_features(_quiet_in_part(x, p25), FS, CHANNELS))
            assert abs(bg.amplitude_uv_p25 - p25) < 1
            assert bg.amplitude_uv_p95 >= HYPS_SLOW_FORM_UV
            assert bg.hypsarrhythmia_assessment == verdict
            said = " ".join(bg.reasons)
            assert ("the amplitude does not last" in said) == (verdict == "unlikely")
            assert ("only in part of the recording" in said) == (verdict == "unlikely")


def test_very_high_delta_that_is_not_mostly_delta_or_is_synchronous_is_not_the_slow_form() -> None:
    # the same amplitude with theta at 1.5 times the delta's SD: not mostly delta
    bg = assess_background(compute_epoch_features(_async_delta(700.0, theta=1.5), FS, CHANNELS))
    assert bg.amplitude_uv_p95 >= 500 and bg.delta_power_fraction < 0.75
    assert bg.hypsarrhythmia_assessment == "unlikely"
    assert any("not the slow form" in r for r in bg.reasons)
    # one delta source shared by every electrode with its own small part: synchronous
    x = _async_delta(700.0)
    shared = 3 * x[:1] * np.random.default_rng(3).uniform(-1.0, 1.0, (19, 1))
    bg = assess_background(compute_epoch_features(x + shared, FS, CHANNELS))
    assert bg.amplitude_uv_p95 >= 500 and bg.markers["connectivity_strength"] >= 0.45
    assert bg.hypsarrhythmia_assessment == "unlikely"
    assert any("not the slow form" in r for r in bg.reasons)


def _decrement_under_a_floor(floor_uv: float = 3.0) -> np.ndarray:
    """Delta (60 µV, 1.5 Hz) and theta-alpha (10 µV RMS, 3-10 Hz) with a high-voltage
    slow wave at 29-30 s and an attenuation of both to 10 % at 30-33 s, then white noise
    of ``floor_uv`` µV RMS that the attenuation leaves as it is (a real noise floor)."""
    rng = np.random.default_rng(12)
    n = int(60 * FS)
    t = np.arange(n) / FS
    phase = rng.uniform(0, 0.5, (19, 1))
    eeg = 60 * np.sin(2 * np.pi * 1.5 * t[None] + phase)
    eeg = eeg + np.stack([band_noise(rng, n, 3, 10, 10.0) for _ in range(19)])
    eeg *= _envelope(n, [(29, 30, 3.0), (30, 33, 0.1)])[None]
    return eeg + rng.normal(0, floor_uv, eeg.shape)


def _found_through_the_band_on_a_continuous_background(ef, monkeypatch) -> None:
    """The attenuation at 30-33 s fails the whole band's "all activity attenuated"; on a
    continuous background every sensitivity finds it through the 2-12 Hz band, and on a
    background taken for discontinuous neither low nor normal does unless it is deep
    (the monkeypatches are left set)."""
    from spasmwatch.eeg import decrements
    from spasmwatch.eeg.detect import decrement_events

    reasons = {why for e, why in decrement_candidates(ef) if 29 <= e.onset <= 31}
    assert "fast activity goes on" in reasons
    assert decrements.attenuated_share(ef) < decrements.DISCONTINUOUS_SHARE
    for sensitivity in ("low", "normal", "high"):
        (event,) = decrement_events(ef, sensitivity)[0]
        assert 30.0 <= event.onset <= 31.0 and event.onset + event.duration >= 32.5
    monkeypatch.setattr(decrements, "DISCONTINUOUS_SHARE", 0.0)
    assert decrement_events(ef, "normal")[0] == [] == decrement_events(ef, "low")[0]
    # there the band's events are added only when deep: this one (its median channel at
    # 0.35-0.48 of its baseline) is at a looser depth, unless the background is
    # attenuated beyond DECREMENT_BAND_MAX_ATTENUATED
    assert decrements.reads_deep_band_events(ef)
    monkeypatch.setattr(decrements, "DECREMENT_BAND_DEEP_RATIO", 0.5)
    assert len(decrement_events(ef, "normal")[0]) == 1 == len(decrement_events(ef, "low")[0])
    monkeypatch.setattr(decrements, "DECREMENT_BAND_MAX_ATTENUATED", 0.0)
    assert not decrements.reads_deep_band_events(ef)
    assert decrement_events(ef, "normal")[0] == []


def test_a_decrement_that_a_noise_floor_hides_is_found_in_the_2_12_hz_band(monkeypatch) -> None:
    from spasmwatch.eeg import decrements
    from spasmwatch.eeg.detect import decrement_events

    ef = compute_epoch_features(_decrement_under_a_floor(), FS, CHANNELS)
    # the floor makes most of the whole band's line length: there the attenuation fails
    # "all activity attenuated"
    assert decrements.floor_line_shares(ef)[0] >= decrements.DECREMENT_LINE_RATIO
    # the 2-12 Hz band, where the floor hardly weighs, falls with the EEG: on this
    # continuous background every sensitivity finds it, on a discontinuous one only high
    _found_through_the_band_on_a_continuous_background(ef, monkeypatch)
    assert len(decrement_events(ef, "high")[0]) == 1
    monkeypatch.undo()
    # without the floor the whole band finds it; the band, read too on this continuous
    # background, finds the same event and adds nothing
    clean = compute_epoch_features(_decrement_under_a_floor(0.0), FS, CHANNELS)
    assert decrements.floor_line_shares(clean)[0] < 0.1
    assert decrements.reads_band_too(clean)
    normal, high = decrement_events(clean, "normal")[0], decrement_events(clean, "high")[0]
    assert len(normal) == 1 and [(e.onset, e.duration) for e in high] == [
        (e.onset, e.duration) for e in normal
    ]


def test_fast_activity_on_a_decrement_is_read_past_on_a_continuous_background(
    monkeypatch,
) -> None:
    # low-voltage fast activity (15-30 Hz, 4 µV RMS) riding on the attenuation keeps the whole
    # band's line length up, with no noise floor at all: the 2-12 Hz band falls with the
    # EEG, so on a continuous background the decrement is found at every sensitivity
    from spasmwatch.eeg import decrements

    rng = np.random.default_rng(21)
    n = int(60 * FS)
    x = _decrement_under_a_floor(0.0)
    lvfa = np.stack([band_noise(rng, n, 15, 30, 4.0) for _ in range(19)])
    x = x + lvfa * _envelope(n, [(0, 30, 0.0), (30, 33, 1.0), (33, 60, 0.0)])[None]
    ef = compute_epoch_features(x, FS, CHANNELS)
    assert decrements.floor_line_shares(ef)[0] < 0.1
    _found_through_the_band_on_a_continuous_background(ef, monkeypatch)


def test_high_sensitivity_still_leaves_a_trough_of_delta_alone() -> None:
    # the delta falls to 10 % while the theta-alpha goes on: no event at any sensitivity
    from spasmwatch.eeg.detect import decrement_events

    rng = np.random.default_rng(9)
    n = int(90 * FS)
    t = np.arange(n) / FS
    slow = 150 * np.sin(2 * np.pi * 1.0 * t[None] + rng.uniform(0, 6.3, (19, 1)))
    fast = np.stack([band_noise(rng, n, 3, 10, 10.0) for _ in range(19)])
    floor = rng.normal(0, 3.0, (19, n))
    trough = compute_epoch_features(
        slow * _envelope(n, [(45, 48, 0.1)]) + fast + floor, FS, CHANNELS
    )
    for sensitivity in ("low", "normal", "high"):
        assert decrement_events(trough, sensitivity)[0] == []
