"""One BLAS thread while the analysis runs its own worker threads.

The analysis scores two chunks at a time on two threads (:func:`~spasmwatch.eeg.analysis.
analyze_eeg`). NumPy's bundled OpenBLAS would also split each matrix product of the
seizure network over every core: on two cores that makes four busy threads, and the
network's products (tens of thousands of rows by 32 columns) gain nothing from the
split, so a whole analysis took about 1.7 times longer than with one BLAS thread per
worker (measured on a synthetic hour, 2 cores). :func:`single_blas_thread` sets OpenBLAS
to one thread for the duration and restores the previous setting; where the library or
its functions cannot be found (another BLAS, another platform) it does nothing.
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

__all__ = ["single_blas_thread"]

_SETTERS = (
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
    ("openblas_set_num_threads", "openblas_get_num_threads"),
)
_lock = threading.Lock()
_users = 0
_saved: int | None = None


@cache
def _openblas() -> tuple[ctypes._CFuncPtr, ctypes._CFuncPtr] | None:
    """The set and get functions of NumPy's bundled OpenBLAS, or None."""
    base = os.path.dirname(np.__file__)
    paths = glob.glob(os.path.join(base, os.pardir, "numpy.libs", "*openblas*"))
    paths += glob.glob(os.path.join(base, ".dylibs", "*openblas*"))
    for path in paths:
        try:
            lib = ctypes.CDLL(path)  # already loaded by NumPy: the same library
        except OSError:
            continue
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
