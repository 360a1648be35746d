"""The spike detector on synthetic signals with known spikes."""

from __future__ import annotations

import numpy as np

from spasmwatch.eeg.spikes import detect_spikes

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
