"""The analysis limits NumPy's OpenBLAS to one thread while its workers run."""

from __future__ import annotations

import pytest

from spasmwatch.eeg import _blas


def test_one_thread_inside_and_the_setting_restored_after() -> None:
    funcs = _blas._openblas()
    if funcs is None:
        pytest.skip("NumPy's BLAS here is not a bundled OpenBLAS")
    setter, getter = funcs
    before = getter()
    setter(2)
    try:
        with _blas.single_blas_thread():
            assert getter() == 1
            with _blas.single_blas_thread():  # nested: still one, restored once
                assert getter() == 1
            assert getter() == 1
        assert getter() == 2
        with _blas.single_blas_thread(active=False):
            assert getter() == 2
    finally:
        setter(before)


def test_restored_when_the_block_raises() -> None:
    funcs = _blas._openblas()
    if funcs is None:
        pytest.skip("NumPy's BLAS here is not a bundled OpenBLAS")
    before = funcs[1]()
    with pytest.raises(RuntimeError), _blas.single_blas_thread():
        raise RuntimeError("boom")
    assert funcs[1]() == before


def test_sgemm_accumulate_adds_the_product_as_numpy_computes_it() -> None:
    import numpy as np

    if _blas._sgemm() is None:
        pytest.skip("NumPy's BLAS here is not a bundled OpenBLAS")
    rng = np.random.default_rng(0)
    a = rng.normal(size=(500, 40)).astype(np.float32)
    b = rng.normal(size=(32, 32)).astype(np.float32)
    out = rng.normal(size=(497, 32)).astype(np.float32)
    expected = out + a[3:, :32] @ b
    assert _blas.sgemm_accumulate(a[3:, :32], b, out)  # a row slice: lda 40
    np.testing.assert_array_equal(out, expected)
    # not float32, or not C-ordered: nothing done, the caller adds the product
    before = out.copy()
    assert not _blas.sgemm_accumulate(a[3:, :32].astype(np.float64), b, out)
    assert not _blas.sgemm_accumulate(a[3:, :32], b, np.asfortranarray(out))
    assert not _blas.sgemm_accumulate(a[3:, :31], b, out)  # shapes do not match
    np.testing.assert_array_equal(out, before)
