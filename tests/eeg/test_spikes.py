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
