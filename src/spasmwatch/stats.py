"""Statistics of arrays shared by the EEG and the video analyses."""

from __future__ import annotations

import numpy as np

__all__ = ["median_last"]


def median_last(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``np.median(x, axis=-1)`` of finite floats, the same numbers: the mean of the two
    middle values of each row sorted (the middle value for rows of odd length).

    NumPy's sort of float rows is vectorised (AVX-512 where the CPU has it): about ten
    times faster than the partition ``np.median`` runs row by row on many short rows (the
    64-sample seconds of the EEG spike detector), and as fast on one row of a few
    thousand (the video's camera fit).
    """
    n = x.shape[-1]
    if n == 0:
        return np.median(x, axis=-1, keepdims=keepdims)
    s = np.sort(x, axis=-1)
    k = n // 2
    mid = s[..., k] if n % 2 else (s[..., k - 1] + s[..., k]) * s.dtype.type(0.5)
    return mid[..., None] if keepdims else mid
