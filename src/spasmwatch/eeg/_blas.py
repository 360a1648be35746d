"""One BLAS thread while the analysis runs its own worker threads.

The analysis scores two chunks at a time on two threads (:func:`~spasmwatch.eeg.analysis.
analyze_eeg`). NumPy's bundled OpenBLAS would also split each matrix product of the
seizure network over every core: on two cores that makes four busy threads, and the
network's products (tens of thousands of rows by 32 columns) gain nothing from the
split, so a whole analysis took about 1.7 times longer than with one BLAS thread per
worker (measured on a synthetic hour, 2 cores). :func:`single_blas_thread` sets OpenBLAS
to one thread for the duration and restores the previous setting; where the library or
its functions cannot be found (another BLAS, another platform) it does nothing.

:func:`sgemm_accumulate` calls that library's ``cblas_sgemm`` as ``np.matmul`` calls it,
but with ``beta = 1``: the network's convolutions add each tap's product into their
output inside BLAS, the same values without a temporary array and the pass that adds it.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import threading
from collections.abc import Iterator
from functools import cache

import numpy as np

__all__ = ["sgemm_accumulate", "single_blas_thread"]

_SETTERS = (
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
    ("openblas_set_num_threads", "openblas_get_num_threads"),
)
_lock = threading.Lock()
_users = 0
_saved: int | None = None


_CBLAS_SGEMM = ("scipy_cblas_sgemm64_", "cblas_sgemm64_")  # 64-bit integers, as NumPy's
_ROW_MAJOR, _NO_TRANS = 101, 111  # CBLAS enumerations


@cache
def _libraries() -> list[ctypes.CDLL]:
    """NumPy's bundled OpenBLAS (already loaded by NumPy: the same library)."""
    base = os.path.dirname(np.__file__)
    paths = glob.glob(os.path.join(base, os.pardir, "numpy.libs", "*openblas*"))
    paths += glob.glob(os.path.join(base, ".dylibs", "*openblas*"))
    libs = []
    for path in paths:
        try:
            libs.append(ctypes.CDLL(path))
        except OSError:
            continue
    return libs


@cache
def _sgemm() -> ctypes._CFuncPtr | None:
    """``cblas_sgemm`` of NumPy's OpenBLAS (64-bit integer interface), or None."""
    for lib in _libraries():
        for name in _CBLAS_SGEMM:
            if hasattr(lib, name):
                f = getattr(lib, name)
                i64, f32, ptr = ctypes.c_int64, ctypes.c_float, ctypes.c_void_p
                f.argtypes = [ctypes.c_int] * 3 + [i64] * 3 + [f32, ptr, i64, ptr, i64]
                f.argtypes += [f32, ptr, i64]
                f.restype = None
                return f
    return None


def sgemm_accumulate(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> bool:
    """``out += a @ b`` inside NumPy's OpenBLAS, for C-ordered float32 matrices (``a``
    and ``b`` with unit column stride, ``out`` contiguous). Returns False, doing nothing,
    when the library's ``cblas_sgemm`` is not found or the arrays do not qualify; the
    caller then adds the product itself."""
    f = _sgemm()
    if f is None or not (a.dtype == b.dtype == out.dtype == np.float32):
        return False
    if a.ndim != 2 or b.ndim != 2 or out.ndim != 2 or not out.flags.c_contiguous:
        return False
    (m, k), (k2, n) = a.shape, b.shape
    if k != k2 or out.shape != (m, n) or a.strides[1] != 4 or b.strides[1] != 4:
        return False
    lda, ldb = a.strides[0] // 4, b.strides[0] // 4
    if m == 0 or n == 0 or k == 0 or lda < max(1, k) or ldb < max(1, n):
        return False
    f(_ROW_MAJOR, _NO_TRANS, _NO_TRANS, m, n, k, 1.0, a.ctypes.data, lda, b.ctypes.data,
      ldb, 1.0, out.ctypes.data, n)  # fmt: skip
    return True


@cache
def _openblas() -> tuple[ctypes._CFuncPtr, ctypes._CFuncPtr] | None:
    """The set and get functions of NumPy's bundled OpenBLAS, or None."""
    for lib in _libraries():
        for set_name, get_name in _SETTERS:
            if hasattr(lib, set_name) and hasattr(lib, get_name):
                setter, getter = getattr(lib, set_name), getattr(lib, get_name)
                setter.argtypes, setter.restype = [ctypes.c_int], None
                getter.argtypes, getter.restype = [], ctypes.c_int
                return setter, getter
    return None


@contextlib.contextmanager
def single_blas_thread(active: bool = True) -> Iterator[None]:
    """OpenBLAS limited to one thread inside the block (nothing when ``active`` is False
    or OpenBLAS is not found). Nested and concurrent blocks share one saved setting:
    the first to enter saves it, the last to leave restores it."""
    global _users, _saved
    funcs = _openblas() if active else None
    if funcs is None:
        yield
        return
    setter, getter = funcs
    with _lock:
        if _users == 0:
            _saved = int(getter())
            setter(1)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0 and _saved is not None:
                setter(_saved)
                _saved = None
