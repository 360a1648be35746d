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
