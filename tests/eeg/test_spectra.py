"""Epoch spectra and spectral entropy on signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from spasmwatch.eeg.spectra import epoch_psd, spectral_entropy

from .test_features import FS, sine


def test_psd_peak_and_power() -> None:
    amp = 40.0
    psd, freqs = epoch_psd(sine(10.0, amp)[None], FS)
    assert psd.shape == (1, 20, len(freqs))
    assert freqs[np.argmax(psd[0, 5])] == pytest.approx(10.0)
    power = psd[0, 5].sum() * (freqs[1] - freqs[0])
    assert power == pytest.approx(amp**2 / 2, rel=0.05)  # Parseval: mean square of a sine


def test_spectral_entropy_orders_noise_above_a_tone() -> None:
    rng = np.random.default_rng(1)
    noise = rng.normal(0, 20, int(20 * FS))
    psd, freqs = epoch_psd(np.vstack([noise, sine(6.0, 20.0)]), FS)
    h = spectral_entropy(psd, freqs)
    assert h[0].mean() > 0.8  # a single periodogram of noise is itself noisy
    assert h[1].mean() < 0.3


def test_psd_up_to_fmax_is_the_full_psd_cut_there() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(0, 20, (3, 256 * 12))
    full, f = epoch_psd(x, 256.0)
    cut, fc = epoch_psd(x, 256.0, fmax=30.0)
    assert fc[-1] == 30.0 and len(fc) == np.sum(f <= 30.0)
    np.testing.assert_array_equal(cut, full[..., : len(fc)])
