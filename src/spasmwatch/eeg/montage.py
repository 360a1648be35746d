"""The longitudinal bipolar montage, derived from referential channels.

Its own module, with numpy only: the trace viewer pages through montages without loading
the analysis's signal processing.
"""

from __future__ import annotations

import numpy as np

# Longitudinal bipolar ("double banana") pairs, neonatal and paediatric standard (ACNS
# guideline 3, Acharya et al., J Clin Neurophysiol 2016;33:312).
DOUBLE_BANANA: tuple[tuple[str, str], ...] = (
    ("Fp1", "F7"), ("F7", "T3"), ("T3", "T5"), ("T5", "O1"),
    ("Fp2", "F8"), ("F8", "T4"), ("T4", "T6"), ("T6", "O2"),
    ("Fp1", "F3"), ("F3", "C3"), ("C3", "P3"), ("P3", "O1"),
    ("Fp2", "F4"), ("F4", "C4"), ("C4", "P4"), ("P4", "O2"),
    ("Fz", "Cz"), ("Cz", "Pz"),
)  # fmt: skip


def bipolar_montage(data: np.ndarray, channels: list[str]) -> tuple[np.ndarray, list[str]]:
    """Derive the longitudinal bipolar montage from referential channels.

    Parameters
    ----------
    data
        Referential samples, shape (n_channels, n_samples).
    channels
        Normalised 10-20 names of the rows of ``data``.

    Returns
    -------
    bipolar, names
        One row per double-banana pair whose two electrodes are both present, named
        ``"Fp1-F7"``; empty (0 rows) if no pair is available.
    """
    index = {name: i for i, name in enumerate(channels)}
    pairs = [(a, b) for a, b in DOUBLE_BANANA if a in index and b in index]
    if not pairs:
        return np.zeros((0, data.shape[1]), dtype=np.float32), []
    out = np.empty((len(pairs), data.shape[1]), dtype=np.float32)
    for k, (a, b) in enumerate(pairs):
        np.subtract(data[index[a]], data[index[b]], out=out[k])
    return out, [f"{a}-{b}" for a, b in pairs]
