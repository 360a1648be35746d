"""The per-second markers of infantile epileptic spasms syndrome after Smith et al.
(Epilepsy Res 2021;176:106704): permutation entropy, amplitude entropy and connectivity
strength.

They read the signal their own way (ordinal patterns, amplitude histograms, correlations
between channels) and no other feature reads them: they are reported with the background
(the connectivity strength also tells the slow form of hypsarrhythmia from synchronous
delta), so they are a module of their own.
"""

from __future__ import annotations

import numpy as np

PERM_LAG_S = 1 / 64  # ordinal patterns of samples 15.6 ms apart (about 64 Hz)
AMP_BINS = 16


def iess_markers(work: np.ndarray, n1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-second markers of infantile epileptic spasms syndrome after Smith et al.
    (Epilepsy Res 2021;176:106704), who found, against controls, higher amplitude, lower
    Shannon and permutation entropy and stronger functional connectivity:

    - permutation entropy (Bandt & Pompe, Phys Rev Lett 2002;88:174102) of order 3 of
      the samples ``PERM_LAG_S`` apart, normalised to 0-1, per channel-second;
    - Shannon entropy of the amplitude distribution of the same samples (``AMP_BINS``
      equal bins between the second's minimum and maximum), normalised to 0-1, per
      channel-second;
    - connectivity strength: the mean absolute zero-lag correlation between all pairs of
      channels in that second (of the same samples), shape (1, n_epochs).
    """
    n_ch = work.shape[0]
    n_ep = work.shape[1] // n1 if n1 else 0
    if n_ep == 0 or n_ch == 0:
        z = np.zeros((n_ch, n_ep), np.float32)
        return z, z.copy(), np.zeros((1, n_ep), np.float32)
    # every sample at about 64 Hz (the lag): a quarter of the work at 256 Hz
    step = max(1, round(PERM_LAG_S * n1))
    ep = work[:, : n_ep * n1].reshape(n_ch, n_ep, n1)[:, :, ::step].astype(np.float32)
    m = ep.shape[2]
    cell = (np.arange(n_ch * n_ep) * 8).reshape(n_ch, n_ep, 1)
    a, b, c = ep[:, :, :-2], ep[:, :, 1:-1], ep[:, :, 2:]
    code = 4 * (a < b) + 2 * (b < c) + (a < c) + cell  # 6 of the 8 codes occur
    p = np.bincount(code.ravel(), minlength=n_ch * n_ep * 8).reshape(n_ch, n_ep, 8) / (m - 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        pe = -np.where(p > 0, p * np.log(p), 0).sum(axis=2) / np.log(6)
    lo, hi = ep.min(axis=2, keepdims=True), ep.max(axis=2, keepdims=True)
    idx = np.minimum(
        ((ep - lo) / np.maximum(hi - lo, 1e-6) * AMP_BINS).astype(np.int64), AMP_BINS - 1
    )
    idx += (np.arange(n_ch * n_ep) * AMP_BINS).reshape(n_ch, n_ep, 1)
    q = np.bincount(idx.ravel(), minlength=n_ch * n_ep * AMP_BINS).reshape(n_ch, n_ep, AMP_BINS) / m
    with np.errstate(divide="ignore", invalid="ignore"):
        he = -np.where(q > 0, q * np.log(q), 0).sum(axis=2) / np.log(AMP_BINS)
    if n_ch >= 2:
        z = ep - ep.mean(axis=2, keepdims=True)
        z /= np.maximum(np.sqrt((z * z).sum(axis=2, keepdims=True)), 1e-6)
        zt = z.transpose(1, 0, 2)  # (n_ep, n_ch, m)
        corr = np.abs(zt @ zt.transpose(0, 2, 1))
        conn = (corr.sum(axis=(1, 2)) - np.trace(corr, axis1=1, axis2=2)) / (n_ch * (n_ch - 1))
    else:
        conn = np.zeros(n_ep, np.float32)
    return pe.astype(np.float32), he.astype(np.float32), conn[None].astype(np.float32)
