"""The spike detector on synthetic signals with known spikes."""

from __future__ import annotations

import numpy as np

from spasmwatch.eeg.spikes import SPIKE_K, detect_spikes, spike_candidates

from .test_features import FS, sine, with_spikes


def test_spike_detector_finds_injected_spikes_at_their_times() -> None:
    rng = np.random.default_rng(2)
    times = [3.3, 7.1, 12.55, 16.0]
    x = with_spikes(sine(2.0, 50.0) + rng.normal(0, 3, int(20 * FS)), times)
    spikes = detect_spikes(x[None], FS)
    assert len(spikes) == len(times)
    np.testing.assert_allclose(np.sort(spikes.time_s), times, atol=0.02)
    assert np.all(spikes.amplitude_uv > 100)


def test_spike_detector_ignores_sines_noise_and_flat_lines() -> None:
    rng = np.random.default_rng(3)
    x = np.vstack(
        [sine(2.0, 50.0), sine(8.0, 200.0), sine(20.0, 30.0), np.zeros(int(20 * FS)),
         rng.normal(0, 10, int(20 * FS))]
    )  # fmt: skip
    assert len(detect_spikes(x, FS)) == 0


def test_spike_detector_rejects_slow_waves_and_too_small_transients() -> None:
    rng = np.random.default_rng(4)
    base = rng.normal(0, 2, int(20 * FS))
    wide = base.copy()
    wide[1000:1200] += np.hanning(200) * 200  # 780 ms slow wave: longer than a sharp wave
    small = with_spikes(base, [5.0], height=15.0)  # below the 30 µV floor
    assert len(detect_spikes(np.vstack([wide, small]), FS)) == 0


def test_a_spike_needs_its_after_going_slow_wave() -> None:
    # IFCN criterion 4: the same sharp transient without a slow wave after it is not a spike
    rng = np.random.default_rng(5)
    base = rng.normal(0, 3, (2, int(20 * FS)))
    times = [4.0, 9.0, 14.0]
    with_wave = np.vstack([with_spikes(b, times) for b in base])
    bare = np.vstack([with_spikes(b, times, slow_wave=False) for b in base])
    assert len(detect_spikes(with_wave, FS)) == 2 * len(times)
    assert len(detect_spikes(bare, FS)) == 0


def test_a_spike_needs_more_than_one_channel() -> None:
    # IFCN criterion 6: a transient on one channel of several (an electrode artefact) is
    # not a spike; the same transient on two channels within 30 ms is
    rng = np.random.default_rng(6)
    data = rng.normal(0, 3, (4, int(20 * FS)))
    one = data.copy()
    one[0] = with_spikes(one[0], [6.0, 12.0])
    assert len(detect_spikes(one, FS)) == 0
    two = one.copy()
    two[1] = with_spikes(two[1], [6.01, 12.01], height=-100.0)
    spikes = detect_spikes(two, FS)
    assert sorted(spikes.channel.tolist()) == [0, 0, 1, 1]
    far = one.copy()
    far[1] = with_spikes(far[1], [6.1, 12.1])  # 100 ms later: another event
    assert len(detect_spikes(far, FS)) == 0


def test_spike_duration_limits() -> None:
    # a 12-ms transient is too brief for a spike (20 ms), as a 780-ms wave is too long
    rng = np.random.default_rng(7)
    data = rng.normal(0, 3, (2, int(20 * FS)))
    brief = data.copy()
    for row in brief:
        row[1000:1003] += [100.0, 200.0, 100.0]
        row[1003:1067] += 120 * np.sin(np.linspace(0, np.pi, 64))
    assert len(detect_spikes(brief, FS)) == 0


def _sharp_waves_on_delta(height: float, seed: int = 12) -> tuple[np.ndarray, list[float]]:
    """Two channels of 1.5-Hz delta (500 and 440 µV peak to peak) with 98-ms sharp waves
    of ``height`` µV and their slow waves on the crests of the delta (the times)."""
    rng = np.random.default_rng(seed)
    times = [(0.25 + k) / 1.5 for k in (4, 10, 18, 23)]
    tri = np.r_[np.linspace(0, 1, 13), np.linspace(1, 0, 13)[1:]] * height
    wave = np.r_[tri, np.zeros(5), 0.6 * height * np.sin(np.linspace(0, np.pi, 64))]
    rows = []
    for amp in (250.0, 220.0):
        x = sine(1.5, amp) + rng.normal(0, 3, int(20 * FS))
        for t in times:
            i = int(t * FS)
            x[i - 12 : i - 12 + len(wave)] += wave
        rows.append(x)
    return np.vstack(rows), times


def test_sharp_waves_on_high_voltage_delta_are_proposed_by_their_fast_part() -> None:
    # their steepest step stays below SPIKE_K robust SDs of the delta's slope, so only
    # the fast part (>= SPIKE_FAST_K robust SDs) proposes them; every criterion then holds
    data, times = _sharp_waves_on_delta(300.0)
    steps = np.abs(np.diff(data, axis=1))
    steepest = max(steps[:, int(t * FS) - 15 : int(t * FS) + 15].max() for t in times)
    assert steepest < SPIKE_K * 1.4826 * np.median(steps)
    spikes = detect_spikes(data, FS)
    assert len(spikes) == 2 * len(times)
    np.testing.assert_allclose(np.sort(spikes.time_s), np.repeat(times, 2), atol=0.02)


def test_a_fast_part_below_its_threshold_proposes_nothing() -> None:
    # the same sharp waves at 35 µV: their fast part stays under SPIKE_FAST_K robust SDs
    # (and their slope under SPIKE_K): no candidate near them at all
    data, times = _sharp_waves_on_delta(35.0)
    c = spike_candidates(data, FS)
    assert not (np.abs(c.sample[:, None] / FS - np.array(times)[None]) < 0.1).any()
    assert len(detect_spikes(data, FS)) == 0
