"""Channel-wise seizure window features on signals with known answers."""

from __future__ import annotations

import numpy as np

from spasmwatch.eeg.seizure_features import SZ_FEATURES, seizure_window_features


def test_seizure_window_features_of_a_rhythm_and_of_noise() -> None:
    t = np.arange(40 * 256) / 256.0
    rng = np.random.default_rng(8)
    rhythm = 50 * np.sin(2 * np.pi * 2.0 * t)
    noise = rng.normal(0, 20, len(t))
    x = seizure_window_features(np.stack([rhythm, noise]), 256.0)
    assert x.shape == (2, 40, len(SZ_FEATURES))
    assert np.isfinite(x).all()
    f = {name: x[:, 10:30, i].mean(axis=1) for i, name in enumerate(SZ_FEATURES)}
    assert abs(f["peak_frequency"][0] - 2.0) < 0.2
    assert f["rel_1_3"][0] > 0.95  # all the power of a 2 Hz sine is in 1-3 Hz
    assert abs(f["zero_crossings"][0] - 4.0) < 0.2  # twice per cycle
    assert f["ac_max"][0] > 0.9 > f["ac_max"][1]  # a rhythm repeats itself, noise does not
    assert f["spectral_entropy"][0] < f["spectral_entropy"][1]
    # RMS of a sine of amplitude 50 µV is 50 / sqrt(2)
    assert abs(10 ** f["rms"][0] - 50 / np.sqrt(2)) < 2
