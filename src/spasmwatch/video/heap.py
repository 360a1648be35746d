"""Giving the memory that decoding frees back to the system, now and then.

A long video is decoded frame by frame into arrays of about a megabyte each; glibc's heap
fragments under that churn and, untrimmed, kept hundreds of megabytes that the analysis no
longer used. :func:`trim_heap` asks glibc to return them (and does nothing elsewhere).
Kept apart from the reader because it concerns the C library, not the video.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import sys

__all__ = ["trim_heap"]

log = logging.getLogger("spasmwatch")


@functools.cache
def _heap_trimmer():
    """glibc's ``malloc_trim``, or a function that does nothing elsewhere.

    Each decoded frame, and each array the analysis makes from it, is about a megabyte;
    glibc serves these from its heap, which fragments and, without a trim now and then,
    grew by hundreds of megabytes over a long video (6 minutes of 1080p with clips
    peaked at 530-780 MB instead of about 250 MB). A trim costs well under a millisecond.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            return libc.malloc_trim
        except (OSError, AttributeError):  # not glibc
            log.debug("malloc_trim not available")
    return lambda _pad: 0


def trim_heap() -> None:
    """Return the heap's free memory to the system where glibc can
    (:func:`_heap_trimmer`)."""
    _heap_trimmer()(0)
