"""Channel-wise seizure features of an 8-s window, one per channel and second.

Method and sources
------------------
The EEG is band-passed to 0.5-12.8 Hz and resampled to 64 Hz, and each channel is
described over an 8-s window moved in 1-s steps, the set-up of the channel-wise neonatal
seizure detectors of Temko et al. (Clin Neurophysiol 2011;122:464: 0.5-12.8 Hz, 8-s
epochs, features per channel, one classifier shared by all channels) and Tapani et al.
(Int J Neural Syst 2019;29:1850030). The features are theirs, simplified: line length,
RMS amplitude, nonlinear (Teager) energy, skewness, kurtosis, Hjorth mobility and
complexity, zero crossings of the signal and of its derivative (extrema), variability of
the local maxima, total power, relative power in 2-Hz bands stepping by 1 Hz from 0 to 9
Hz and in 8-12 Hz, spectral edge frequencies (50, 80, 90 %), spectral entropy, peak
frequency, share of power within 0.5 Hz of the peak, and from the autocorrelation (lags
0.15-3 s) the height of the first peak, the highest peak and the number of zero
crossings (rhythmicity). **[design]**: the 64 Hz rate and the 0.15-3 s lag range
(periods of the 0.33-6.7 Hz rhythms of neonatal seizures, Patrizi et al., Epileptic
Disord 2003;5:213).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import fft as sp_fft
from scipy.signal import butter, firwin, resample_poly, sosfilt, sosfilt_zi

from spasmwatch.eeg.spectra import spectral_entropy
from spasmwatch.eeg.spikes import validate_signal

__all__ = ["SZ_FEATURES", "seizure_band_signal", "seizure_window_features"]

SZ_FS = 64
SZ_BAND_HZ = (0.5, 12.8)
SZ_WINDOW_S = 8
SZ_LAGS_S = (0.15, 3.0)
SZ_FEATURES: tuple[str, ...] = (
    "line_length", "rms", "nonlinear_energy", "skewness", "kurtosis", "mobility",
    "complexity", "zero_crossings", "extrema_rate", "peak_cv",
    "power", "rel_0_2", "rel_1_3", "rel_2_4", "rel_3_5", "rel_4_6", "rel_5_7",
    "rel_6_8", "rel_7_9", "rel_8_12", "sef50", "sef80", "sef90", "spectral_entropy",
    "peak_frequency", "peak_share", "ac_first_peak", "ac_max", "ac_zero_crossings",
)  # fmt: skip


def _moving_sum(x: np.ndarray, half: int) -> np.ndarray:
    """Sum over epochs t-half..t+half along axis 1 (edge epochs repeated), float64."""
    pad = np.pad(x, [(0, 0), (half, half)] + [(0, 0)] * (x.ndim - 2), mode="edge")
    c = np.cumsum(pad, axis=1, dtype=np.float64)
    c = np.concatenate([np.zeros_like(c[:, :1]), c], axis=1)
    return c[:, 2 * half + 1 :] - c[:, : -(2 * half + 1)]


def seizure_band_signal(data: np.ndarray, sfreq: float) -> np.ndarray:
    """The 0.5-12.8 Hz activity at 64 Hz, float32, shape (n_channels, n_seconds * 64).

    Anti-alias FIR (cut-off 14 Hz) and polyphase resampling, then a causal 4th-order
    Butterworth band-pass started from the first sample's steady state.
    """
    n1 = round(sfreq)
    n_sec = data.shape[1] // n1
    x = np.asarray(data[:, : n_sec * n1], dtype=np.float32)
    frac = Fraction(SZ_FS, n1).limit_denominator(1000)
    up, down = frac.numerator, frac.denominator
    if (up, down) != (1, 1):
        h = firwin(8 * max(up, down) + 1, 14.0, fs=sfreq * up)
        x = resample_poly(x, up, down, axis=1, window=h)
    x = np.asarray(x[:, : n_sec * SZ_FS], dtype=np.float64)
    sos = butter(4, SZ_BAND_HZ, btype="band", fs=SZ_FS, output="sos")
    zi = sosfilt_zi(sos)[:, None, :] * x[None, :, :1]
    if x.shape[1] == 0:
        return x.astype(np.float32)
    return sosfilt(sos, x, axis=1, zi=zi)[0].astype(np.float32)


def seizure_window_features(data: np.ndarray, sfreq: float) -> np.ndarray:
    """Channel-wise seizure features of an 8-s window around each 1-s epoch.

    Parameters
    ----------
    data
        Samples in µV, shape (n_channels, n_samples), usually the bipolar montage.
    sfreq
        Sampling rate in Hz (a whole number of samples per second).

    Returns
    -------
    np.ndarray
        Shape (n_channels, n_epochs, len(SZ_FEATURES)), float32; the window of epoch t
        spans t-3.5 to t+4.5 s (time-domain features t-4 to t+5 s), reflected (spectral)
        or repeated (time-domain) at the ends of ``data``. Amplitude features are
        log10 (µV, µV/s, µV²); frequencies in Hz; rates per second.
    """
    data = validate_signal(data, sfreq)
    x = seizure_band_signal(data, sfreq)
    fs = SZ_FS
    n_ch, n_sec = x.shape[0], x.shape[1] // fs
    if n_sec == 0 or n_ch == 0:
        return np.zeros((n_ch, n_sec, len(SZ_FEATURES)), np.float32)
    # time-domain features from per-second sums, combined over 9 s
    d = np.diff(x, axis=1, prepend=x[:, :1])
    dd = np.diff(d, axis=1, prepend=d[:, :1])
    ne = np.zeros_like(x)
    ne[:, 1:-1] = x[:, 1:-1] ** 2 - x[:, :-2] * x[:, 2:]
    sign, dsign = np.signbit(x), np.signbit(d)
    zc = np.zeros_like(x)
    zc[:, 1:] = sign[:, 1:] != sign[:, :-1]
    ext = np.zeros_like(x)
    ext[:, 1:] = dsign[:, 1:] != dsign[:, :-1]
    is_max = np.zeros(x.shape, bool)
    is_max[:, 1:-1] = (x[:, 1:-1] > x[:, :-2]) & (x[:, 1:-1] >= x[:, 2:]) & (x[:, 1:-1] > 0)
    pk = np.where(is_max, x, np.float32(0))
    parts = (x, x**2, x**3, x**4, np.abs(d), d, d**2, dd, dd**2, ne, zc, ext, is_max, pk, pk**2)
    sums = np.stack(
        [v.reshape(n_ch, n_sec, fs).sum(axis=2, dtype=np.float64) for v in parts], axis=-1
    )
    half = SZ_WINDOW_S // 2
    n = (2 * half + 1) * fs
    w = _moving_sum(sums, half)
    s1, s2, s3, s4, ad, d1, d2, dd1, dd2, nes, zcs, exts, nmax, pk1, pk2 = np.moveaxis(w, -1, 0)
    m, m2, m3, m4 = s1 / n, s2 / n, s3 / n, s4 / n
    var = np.maximum(m2 - m**2, 1e-12)
    skew = (m3 - 3 * m * m2 + 2 * m**3) / var**1.5
    kurt = (m4 - 4 * m * m3 + 6 * m**2 * m2 - 3 * m**4) / var**2
    vd = np.maximum(d2 / n - (d1 / n) ** 2, 1e-12)
    vdd = np.maximum(dd2 / n - (dd1 / n) ** 2, 1e-12)
    mob = np.sqrt(vd / var)
    comp = np.sqrt(vdd / vd) / mob
    cnt = np.maximum(nmax, 1)
    pmean = pk1 / cnt
    pcv = np.sqrt(np.maximum(pk2 / cnt - pmean**2, 0)) / np.maximum(pmean, 1e-6)
    pcv = np.where(nmax >= 2, pcv, 1.0)
    time_feats = [
        np.log10(ad / n * fs + 1e-3),
        np.log10(np.sqrt(var) + 1e-3),
        np.log10(np.abs(nes / n) + 1e-3),
        skew,
        np.log(np.maximum(kurt, 1e-6)),
        mob * fs / (2 * np.pi),
        comp,
        zcs / n * fs,
        exts / n * fs,
        pcv,
    ]
    # spectral features from one 8-s Hann-windowed periodogram per epoch
    nw = SZ_WINDOW_S * fs
    pad = np.pad(x, ((0, 0), (nw // 2 - fs // 2, nw // 2 + fs // 2)), mode="reflect")
    seg = sliding_window_view(pad, nw, axis=1)[:, ::fs][:, :n_sec]
    f = np.fft.rfftfreq(nw, 1.0 / fs)
    nb = int(np.searchsorted(f, 16.0))  # bins below 16 Hz: the band-passed activity
    spec = sp_fft.rfft(seg * np.hanning(nw).astype(np.float32), axis=-1)[..., :nb]
    psd = spec.real**2 + spec.imag**2
    f = f[:nb]
    sel = (f >= 0.5) & (f <= 12.0)
    ps = psd[..., sel].astype(np.float64)
    fsel = f[sel]
    tot = ps.sum(-1) + 1e-12
    bands = [(lo, lo + 2) for lo in range(8)] + [(8, 12)]
    rel = [ps[..., (fsel >= lo) & (fsel < hi if hi < 12 else fsel <= hi)].sum(-1) / tot
           for lo, hi in bands]  # fmt: skip
    cs = np.cumsum(ps, -1) / tot[..., None]
    sef = [fsel[np.argmax(cs >= q, axis=-1)] for q in (0.5, 0.8, 0.9)]
    sent = spectral_entropy(psd, f, (0.5, 12.0))
    ipk = np.argmax(ps, -1)
    cum = np.concatenate([np.zeros((*ps.shape[:-1], 1)), np.cumsum(ps, -1)], -1)
    hw = round(0.5 / (f[1] - f[0]))
    lo_i = np.clip(ipk - hw, 0, ps.shape[-1])[..., None]
    hi_i = np.clip(ipk + hw + 1, 0, ps.shape[-1])[..., None]
    pshare = (np.take_along_axis(cum, hi_i, -1) - np.take_along_axis(cum, lo_i, -1))[..., 0] / tot
    # autocorrelation of the 0.5-12 Hz activity (Wiener-Khinchin), lags at 1/32 s
    ac = sp_fft.irfft(np.where(sel, psd, 0), n=2 * (nb - 1), axis=-1)[..., : nb - 1]
    ac = ac / np.maximum(ac[..., :1], 1e-12)
    lags = np.arange(nb - 1) / (2 * (nb - 1) * (f[1] - f[0]))
    r = ac[..., (lags >= SZ_LAGS_S[0]) & (lags <= SZ_LAGS_S[1])]
    locmax = (r[..., 1:-1] > r[..., :-2]) & (r[..., 1:-1] >= r[..., 2:])
    first = np.take_along_axis(r[..., 1:-1], np.argmax(locmax, -1)[..., None], -1)[..., 0]
    ac_first = np.where(locmax.any(-1), first, 0.0)
    ac_max = np.maximum(np.where(locmax, r[..., 1:-1], -1.0).max(-1), 0.0)
    ac_zc = np.diff(np.signbit(ac[..., lags <= SZ_LAGS_S[1]]), axis=-1).sum(-1)
    spec_feats = [np.log10(tot), *rel, *sef, sent, fsel[ipk], pshare, ac_first, ac_max, ac_zc]
    return np.stack([np.asarray(v, np.float32) for v in time_feats + spec_feats], axis=-1)
