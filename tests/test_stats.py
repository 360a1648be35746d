"""Statistics shared by the analyses: the same numbers as NumPy's."""

from __future__ import annotations

import numpy as np
import pytest

from spasmwatch.stats import median_last, nanmedian_rows


@pytest.mark.parametrize("n", [1, 2, 7, 64, 65, 1600])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_medians_are_numpys_bit_for_bit(n: int, dtype: type) -> None:
    rng = np.random.default_rng(n)
    x = (rng.standard_normal((3, 5, n)) * 100).astype(dtype)
    x[0, 0] = 1.0  # ties
    got = median_last(x)
    assert got.dtype == np.median(x, axis=-1).dtype
    assert np.array_equal(got, np.median(x, axis=-1))
    assert np.array_equal(median_last(x, keepdims=True), np.median(x, axis=-1, keepdims=True))
    # one row (the video's camera fit)
    assert float(median_last(x[1, 2])) == float(np.median(x[1, 2]))


@pytest.mark.parametrize("width", [1, 2, 3, 10, 31])
def test_nanmedian_rows_are_numpys_nanmedian(width: int) -> None:
    rng = np.random.default_rng(width)
    x = rng.lognormal(3, 1, (19, width)).astype(np.float32)
    x[rng.random(x.shape) < 0.3] = np.nan
    x[0] = np.nan  # a channel with artefact throughout
    with pytest.warns(RuntimeWarning):
        expected = np.nanmedian(x, axis=1)
    got = nanmedian_rows(x)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
