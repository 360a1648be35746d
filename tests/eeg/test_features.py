"""Features on synthetic signals with known answers, and on a real clip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eeg.conftest import band_noise
from spasmwatch.eeg.features import (
    CLIPPED_FRACTION,
    FLAT_UV,
    HUGE_UV,
    artefact_flags,
    bipolar_montage,
    compute_epoch_features,
    half_epoch_measures,
    iess_markers,
    mains,
    mains_and_floor,
    muscle_seconds,
    noise_floor,
    peak_to_peak,
    remove_mains,
)
from spasmwatch.eeg.reader import read_recording

FS = 256.0


def sine(freq: float, amp: float, seconds: float = 20.0, fs: float = FS) -> np.ndarray:
    t = np.arange(int(seconds * fs)) / fs
    return amp * np.sin(2 * np.pi * freq * t)


def with_spikes(
    x: np.ndarray, times_s: list[float], height: float = 150.0, slow_wave: bool = True
) -> np.ndarray:
    """Add triangular spikes of 43 ms (11 samples) at the given times, each followed (by
    default) by a slow wave of 250 ms and 60 % of its height."""
    y = x.copy()
    tri = np.r_[np.linspace(0, 1, 6), np.linspace(1, 0, 6)[1:]] * height
    wave = np.r_[tri, np.zeros(5), 0.6 * height * np.sin(np.linspace(0, np.pi, 64))]
    if not slow_wave:
        wave = tri
    for t in times_s:
        i = int(t * FS)
        y[i - 5 : i - 5 + len(wave)] += wave
    return y


@pytest.mark.parametrize("amp", [10.0, 75.0, 300.0])
def test_peak_to_peak_of_a_sine_is_twice_its_amplitude(amp: float) -> None:
    ptp = peak_to_peak(sine(4.0, amp)[None], FS)
    assert ptp.shape == (1, 20)
    np.testing.assert_allclose(ptp, 2 * amp, rtol=1e-3)


def test_the_windows_half_a_second_later() -> None:
    # a sine whose amplitude doubles at 10.5 s: the windows half a second later change
    # from the 10th (10.5-11.5 s) on
    x = sine(4.0, 50.0)
    x[int(10.5 * FS) :] *= 2
    ptp, line = half_epoch_measures(x[None], FS, 20)
    assert ptp.shape == line.shape == (1, 20)
    np.testing.assert_allclose(ptp[0, :10], 100, rtol=1e-3)
    np.testing.assert_allclose(ptp[0, 10:19], 200, rtol=1e-3)
    assert np.isnan(ptp[0, 19]) and np.isnan(line[0, 19])  # 19.5-20.5 s is not held whole
    # line length: a sine of amplitude A at f Hz moves 4 A f per second
    np.testing.assert_allclose(line[0, :10], 4 * 50 * 4, rtol=0.01)
    np.testing.assert_allclose(line[0, 10:19], 4 * 100 * 4, rtol=0.01)
    ef = compute_epoch_features(np.vstack([x, x]), FS, ["C3", "C4"], seizure_window=False)
    np.testing.assert_allclose(ef.half_ptp_uv[:, :19], np.vstack([ptp, ptp])[:, :19])


def test_artefact_flags() -> None:
    n = int(10 * FS)
    flat = np.zeros(n)
    huge = sine(1.0, 1000.0, 10.0)
    clipped = np.clip(sine(1.0, 150.0, 10.0), -100, 100)
    normal = sine(5.0, 30.0, 10.0)
    limits = np.array([[-100.0, 100.0]] * 4)
    flags = artefact_flags(np.vstack([flat, huge, clipped, normal]), FS, limits)
    assert flags["flat"][0].all() and not flags["flat"][3].any()
    assert flags["huge"][1].all() and not flags["huge"][3].any()
    assert flags["clipped"][2].all() and not flags["clipped"][3].any()
    assert FLAT_UV < 2 * 30 < HUGE_UV and 0 < CLIPPED_FRACTION < 1


def test_bipolar_montage_from_referential() -> None:
    data = np.arange(4 * 10, dtype=np.float32).reshape(4, 10)
    bip, names = bipolar_montage(data, ["Fp1", "F7", "T3", "Cz"])
    assert names == ["Fp1-F7", "F7-T3"]
    np.testing.assert_array_equal(bip[0], data[0] - data[1])
    assert bipolar_montage(data, ["Cz", "O1", "A1", "X"])[1] == []


def test_features_on_a_known_rhythm() -> None:
    rng = np.random.default_rng(5)
    chans = ["Fp1", "F7", "T3", "T5", "O1", "Fp2", "F8", "T4", "T6", "O2"]
    data = rng.normal(0, 2, (10, int(30 * FS)))
    data[:5] += sine(2.0, 100.0, 30.0)[None] * np.arange(1, 6)[:, None]  # left: growing delta
    ef = compute_epoch_features(data, FS, chans)
    assert ef.channels == ["Fp1-F7", "F7-T3", "T3-T5", "T5-O1", "Fp2-F8", "F8-T4", "T4-T6", "T6-O2"]
    assert ef.n_epochs == 30
    # left chain differences carry a 2 Hz sine of 100 µV: peak-to-peak about 200 µV
    np.testing.assert_allclose(np.median(ef.ptp_uv[:4], axis=1), 200, rtol=0.1)
    assert (ef.delta_fraction[:4] > 0.95).all()
    assert (ef.delta_fraction[4:] < 0.3).all()
    # a pure rhythm has an ordered spectrum (low entropy), noise a disordered one
    assert ef.entropy[:4].max() < 0.5 < ef.entropy[4:].min()
    assert (ef.delta[:4] > ef.delta[4:].max() + 3).all()  # 1000x the delta power
    assert ef.spike_count.sum() == 0
    assert ef.spectrogram.shape == (30, len(ef.freqs))
    assert ef.ref_ptp_uv.shape == (10, 30)


def test_spikes_are_counted_in_their_epoch_and_channel() -> None:
    rng = np.random.default_rng(6)
    data = rng.normal(0, 3, (3, int(20 * FS)))
    data[0] = with_spikes(data[0], [4.5, 11.2])
    data[1] = with_spikes(data[1], [4.5, 11.2], height=-120.0)  # its field, opposite phase
    ef = compute_epoch_features(data, FS, ["C3", "Cz", "X1"], kinds=["bipolar"] * 3)
    assert ef.channels == ["C3", "Cz", "X1"]
    assert ef.spike_count[0, 4] == 1 and ef.spike_count[0, 11] == 1
    assert ef.spike_count[1, 4] == 1 and ef.spike_count[1, 11] == 1
    assert ef.spike_count.sum() == 4
    np.testing.assert_allclose(np.sort(ef.spike_time_s), [4.5, 4.5, 11.2, 11.2], atol=0.02)


def test_features_on_a_real_helsinki_clip(helsinki_dir: Path) -> None:
    rec = read_recording(helsinki_dir / "clips" / "eeg13.edf")
    ef = compute_epoch_features(
        rec.read(), rec.sfreq, rec.channels, rec.kinds, rec.physical_limits_uv
    )
    assert len(ef.channels) == 18 and ef.n_epochs == 30
    assert np.all((ef.delta_fraction >= 0) & (ef.delta_fraction <= 1))
    assert np.all((ef.entropy >= 0) & (ef.entropy <= 1))
    assert not ef.bad.any()


def test_invalid_input_is_rejected_with_a_message() -> None:
    with pytest.raises(ValueError, match="'sfreq'"):
        peak_to_peak(np.zeros((1, 100)), 0)
    with pytest.raises(ValueError, match="'data'"):
        peak_to_peak(np.zeros(100), 256)
    with pytest.raises(ValueError, match="'channels'"):
        compute_epoch_features(np.zeros((2, 2560)), 256, ["C3"])


def test_spike_events_count_a_discharge_once_across_channels() -> None:
    rng = np.random.default_rng(7)
    data = rng.normal(0, 3, (3, int(20 * FS)))
    data[0] = with_spikes(data[0], [4.5, 11.2])
    data[1] = with_spikes(data[1], [4.5, 11.2])  # the same discharges on a second channel
    data[2] = with_spikes(data[2], [4.5])  # and one of them on a third
    ef = compute_epoch_features(data, FS, ["C3", "Cz", "C4"], kinds=["bipolar"] * 3)
    assert ef.spike_count.sum() == 5
    events = ef.spike_events()
    assert events.sum() == 2 and events[4] == 1 and events[11] == 1


def test_electrode_pops_and_stuck_channels_are_artefacts() -> None:
    rng = np.random.default_rng(8)
    data = rng.normal(0, 10, (3, int(20 * FS)))
    # a pop: a 600 µV step with a 0.3 s exponential decay at 5.5 s on channel 0
    i = int(5.5 * FS)
    data[0, i:] += 600 * np.exp(-np.arange(data.shape[1] - i) / (0.3 * FS))
    # a stuck channel: the same value for 3 s on channel 1
    data[1, int(10 * FS) : int(13 * FS)] = 12.5
    # a spike-like wave of the same size that takes 40 ms to rise is no pop
    data[2, i : i + 11] += np.linspace(0, 600, 11)
    data[2, i + 11 : i + 51] += np.linspace(600, 0, 40)
    ef = compute_epoch_features(data, FS, ["C3", "Cz", "C4"], kinds=["bipolar"] * 3)
    assert ef.pop[0, 5:8].all() and not ef.pop[0, :5].any() and not ef.pop[0, 9:].any()
    assert not ef.pop[2].any()
    assert ef.flat[1, 10:13].all() and not ef.flat[1, :8].any() and not ef.flat[1, 15:].any()
    assert ef.bad[0, 5] and ef.bad[1, 11]


def test_a_stuck_channel_holds_one_value_for_half_a_second() -> None:
    rng = np.random.default_rng(11)
    data = rng.normal(0, 10, (2, int(20 * FS)))
    data[0, int(10.2 * FS) : int(10.8 * FS)] = 4.0  # held for 0.6 s: stuck
    data[1, int(10.2 * FS) : int(10.6 * FS)] = 4.0  # held for 0.4 s: not
    ef = compute_epoch_features(data, FS, ["C3", "C4"], kinds=["bipolar"] * 2)
    assert ef.flat[0, 9:12].all() and not ef.flat[0, :8].any()
    assert not ef.flat[1].any()


def test_a_hold_across_the_end_of_a_second_is_stuck_too() -> None:
    rng = np.random.default_rng(12)
    data = rng.normal(0, 10, (2, int(20 * FS)))
    data[0, int(10.7 * FS) : int(11.3 * FS)] = 4.0  # 0.3 s + 0.3 s: stuck
    data[1, int(10.8 * FS) : int(11.2 * FS)] = 4.0  # 0.2 s + 0.2 s: not
    ef = compute_epoch_features(data, FS, ["C3", "C4"], kinds=["bipolar"] * 2)
    assert ef.flat[0, 9:13].all() and not ef.flat[0, :8].any() and not ef.flat[0, 14:].any()
    assert not ef.flat[1].any()


@pytest.mark.parametrize("uv_per_step", [1.0, 2.0])
def test_a_real_clip_written_with_a_coarse_resolution_is_not_stuck(
    helsinki_dir: Path, edf_writer, uv_per_step: float
) -> None:
    """Some exporters write EDF at 1-2 µV a digital step: quiet neonatal EEG then
    repeats many samples (more than half of the steps of a quiet second are 0) yet is
    live, not a stuck channel."""
    rec = read_recording(helsinki_dir / "clips" / "eeg1.edf")
    data = rec.read(0, 30)
    half = 32767.5 * uv_per_step
    coarse = read_recording(
        edf_writer(
            "coarse.edf",
            data,
            labels=[f"EEG {c}-REF" for c in rec.channels],
            physical_range=(-half, half),
        )
    )
    x = coarse.read(0, 30)
    steps = np.abs(np.diff(x, axis=1))
    assert 0.5 * uv_per_step < steps[steps > 0].min() < 1.5 * uv_per_step
    ef = compute_epoch_features(
        x, coarse.sfreq, coarse.channels, coarse.kinds, coarse.physical_limits_uv
    )
    assert not ef.bad.any()


def test_iess_markers_on_known_signals() -> None:
    rng = np.random.default_rng(9)
    noise = rng.normal(0, 10, (4, int(20 * FS)))
    slow = np.vstack([sine(1.5, 100.0)] * 4)  # one smooth wave on every channel
    pe_n, he_n, conn_n = iess_markers(noise, 256)
    pe_s, he_s, conn_s = iess_markers(slow, 256)
    assert pe_n.shape == (4, 20) and conn_n.shape == (1, 20)
    # permutation entropy: near 1 for noise, far lower for a slow wave (ordered samples)
    assert pe_n.mean() > 0.95 and pe_s.mean() < 0.6
    # Shannon entropy of the amplitudes: a Gaussian fills the middle bins, a sine its edges
    assert 0 < he_n.mean() < 1 and 0 < he_s.mean() < 1
    # connectivity: independent channels near 0, identical ones 1
    assert conn_n.mean() < 0.15 and conn_s.mean() > 0.99


def _line_left(x: np.ndarray, freq: float) -> float:
    """Amplitude (µV) of the sine at ``freq`` left in ``x``, away from its ends."""
    t = np.arange(x.shape[-1]) / FS
    mid = slice(int(5 * FS), x.shape[-1] - int(5 * FS))
    c = np.cos(2 * np.pi * freq * t)[mid]
    s = np.sin(2 * np.pi * freq * t)[mid]
    return float(2 * np.hypot((x[mid] * c).mean(), (x[mid] * s).mean()))


def test_mains_interference_is_removed_where_the_spectrum_shows_it() -> None:
    rng = np.random.default_rng(21)
    data = rng.normal(0, 10, (5, int(60 * FS)))
    data[0] += sine(50, 20, 60)
    data[1] += sine(60, 20, 60)
    data[2] += sine(50, 20, 60) + sine(100, 8, 60)  # and its harmonic
    data[3] += sine(50, 5, 60)  # a line 14 dB above the noise around it: removed
    data[4] += sine(50, 2, 60)  # 6 dB: left
    before = data.copy()
    clean, hz = remove_mains(data, FS)
    assert hz.tolist() == [50.0, 60.0, 50.0, 50.0, 0.0]
    assert np.array_equal(data, before)  # the input is not changed
    assert np.array_equal(clean[4], data[4])  # nor a channel without a line
    for ch, freq in ((0, 50), (1, 60), (2, 50), (2, 100), (3, 50)):
        assert _line_left(data[ch], freq) > 4
        assert _line_left(clean[ch], freq) < 0.5
    # what is not the line is kept: the noise's own power barely changes
    assert abs(clean[0].std() - data[4].std()) < 0.3
    quiet = rng.normal(0, 10, (2, int(60 * FS)))
    same, none = remove_mains(quiet, FS)
    assert same is quiet and not none.any()


def test_features_are_measured_without_the_mains_line() -> None:
    rng = np.random.default_rng(22)
    quiet = rng.normal(0, 3, (2, int(30 * FS)))
    hum = quiet + sine(50, 15, 30)
    a = compute_epoch_features(quiet, FS, ["C3", "C4"], kinds=["bipolar"] * 2)
    b = compute_epoch_features(hum, FS, ["C3", "C4"], kinds=["bipolar"] * 2)
    assert (b.mains_hz == 50).all() and (a.mains_hz == 0).all()
    # a 15-µV line is five times this background's line length and doubles its amplitude
    assert np.median(b.line_length / a.line_length) < 1.1
    assert np.median(b.ptp_uv / a.ptp_uv) < 1.1


def test_a_stuck_channel_with_mains_on_it_is_still_stuck() -> None:
    rng = np.random.default_rng(23)
    data = rng.normal(0, 10, (2, int(20 * FS))) + sine(50, 20, 20)
    data[0, int(10.2 * FS) : int(10.8 * FS)] = 4.0  # held for 0.6 s
    ef = compute_epoch_features(data, FS, ["C3", "C4"], kinds=["bipolar"] * 2)
    assert (ef.mains_hz == 50).all()
    assert ef.flat[0, 9:12].all() and not ef.flat[0, :8].any()
    assert not ef.flat[1].any()


def test_muscle_is_activity_above_30_hz_that_stands_out() -> None:
    rng = np.random.default_rng(4)
    n = int(40 * FS)
    eeg = sine(1.0, 40.0, 40) + sine(10.0, 8.0, 40) + band_noise(rng, n, 0.5, 45, 2.0)
    x = np.tile(eeg, (4, 1))
    burst = slice(int(20 * FS), int(22 * FS))
    x[0, burst] += band_noise(rng, 2 * int(FS), 25, 90, 30.0)  # muscle: far above the usual
    x[1, burst] += band_noise(rng, 2 * int(FS), 25, 90, 0.8)  # a little: not 3 times the usual
    x[2, burst] += band_noise(rng, 2 * int(FS), 12, 25, 60.0)  # loud, but EEG bands: no muscle
    ef = compute_epoch_features(x, FS, ["Fp1", "Fp2", "C3", "C4"])
    assert ef.muscle.shape == ef.ptp_uv.shape and ef.half_muscle.shape == ef.ptp_uv.shape
    assert ef.muscle[0, 20:22].all() and not ef.muscle[0, :19].any()
    assert not ef.muscle[0, 23:].any()
    assert ef.half_muscle[0, 20] and not ef.half_muscle[0, 10]
    assert not ef.muscle[1:].any()
    # none where the sampling rate leaves no room above 30 Hz
    slow = np.zeros((2, 600))
    muscle, half = muscle_seconds(slow, 60.0, np.ones((2, 10)), np.ones((2, 10)))
    assert not muscle.any() and not half.any() and muscle.shape == (2, 10)


def test_a_mains_notch_applied_before_the_file_was_read_is_found() -> None:
    # an exporter's notch at 50 Hz leaves a dip where the line was: found, and told from
    # a recording with its line, one without any, and one low-passed at 35 Hz
    from scipy import signal

    rng = np.random.default_rng(31)
    n = int(60 * FS)
    eeg = np.vstack([band_noise(rng, n, 0.5, 100.0, 20.0) for _ in range(3)])
    b, a = signal.iirnotch(50.0, 30.0, fs=FS)
    notched = signal.filtfilt(b, a, eeg, axis=1)
    hum = eeg + sine(50, 15, 60)
    low = signal.sosfiltfilt(signal.butter(4, 35.0, "low", fs=FS, output="sos"), eeg, axis=1)
    assert (mains(notched, FS)[2] == 50).all()
    for other in (eeg, hum, low):
        assert (mains(other, FS)[2] == 0).all()
    b60, a60 = signal.iirnotch(60.0, 30.0, fs=FS)
    assert (mains(signal.filtfilt(b60, a60, eeg, axis=1), FS)[2] == 60).all()
    ef = compute_epoch_features(notched, FS, ["C3", "C4", "Cz"], kinds=["bipolar"] * 3)
    assert (ef.notched_hz == 50).all() and (ef.mains_hz == 0).all()


def test_the_noise_floor_is_measured_as_an_rms_and_as_a_line_length() -> None:
    # white noise: the floor is the noise itself, and its line length the measured one
    from scipy import signal

    rng = np.random.default_rng(41)
    white = rng.normal(0.0, 2.0, (3, int(60 * FS)))
    _clean, _hz, _notched, floor_uv, floor_ll = mains_and_floor(white, FS)
    measured = np.abs(np.diff(white, axis=1)).mean(axis=1) * FS
    assert np.allclose(floor_uv, 2.0, rtol=0.05)
    assert np.allclose(floor_ll, measured, rtol=0.05)
    # the same measure on its own, for a signal that is not analysed
    assert np.array_equal(noise_floor(white, FS)[1], floor_ll)
    # resampled to 500 Hz: nothing above the old Nyquist frequency, the same line length
    up = signal.resample_poly(white, 125, 64, axis=1)
    up_ll = mains_and_floor(up, 500.0)[4]
    assert np.allclose(up_ll, np.abs(np.diff(up, axis=1)).mean(axis=1) * 500.0, rtol=0.05)
    # low-passed at 40 Hz (as an export can be): almost no floor left in the line length
    low = signal.sosfiltfilt(signal.butter(4, 40.0, "low", fs=FS, output="sos"), white, axis=1)
    low_measured = np.abs(np.diff(low, axis=1)).mean(axis=1) * FS
    assert (mains_and_floor(low, FS)[4] < 0.1 * low_measured).all()
    # a rate with no room for the band (70-120 Hz up to 0.47 of it): not known
    assert np.isnan(mains_and_floor(rng.normal(0, 2, (2, 6000)), 100.0)[3]).all()
    ef = compute_epoch_features(white, FS, ["C3", "C4", "Cz"], kinds=["bipolar"] * 3)
    assert ef.floor_uv.shape == ef.ptp_uv.shape == ef.floor_line_length.shape
    assert np.allclose(ef.floor_line_length, floor_ll[:, None], rtol=0.01)


def test_the_band_line_length_is_that_of_a_zero_phase_band_pass() -> None:
    from scipy import signal

    from spasmwatch.eeg.features import (
        DECREMENT_BAND_HZ,
        _line_length,
        band_floor_line_length,
        band_line_length,
    )

    rng = np.random.default_rng(4)
    x = rng.normal(0, 0.6, (3, 256 * 120)) + band_noise(rng, 256 * 120, 1, 20, 30.0)[None]
    on, half = band_line_length(x, 256.0, 120)
    sos = signal.butter(4, DECREMENT_BAND_HZ, "bandpass", fs=256, output="sos")
    ref = _line_length(signal.sosfiltfilt(sos, x, axis=1), 256.0)
    # away from the ends, where the two filters start differently
    np.testing.assert_allclose(on[:, 3:-3], ref[:, 3:-3], rtol=0.02)
    assert on.shape == half.shape == (3, 120) and np.isnan(half[:, -1]).all()
    # a white floor's line length in the band, from its RMS alone
    white = rng.normal(0, 2.0, (4, 256 * 300))
    measured = np.median(band_line_length(white, 256.0, 300)[0], axis=1)
    np.testing.assert_allclose(measured, band_floor_line_length(np.full(4, 2.0), 256.0), rtol=0.04)
    # far below the whole band's at 256 Hz: the floor hardly weighs there
    assert (
        band_floor_line_length(np.array([1.0]), 256.0)[0]
        < 0.05 * _line_length(white[:1] / 2, 256.0).mean()
    )
