"""Items produced in a background thread ahead of their reader: :func:`prefetched`.

The video analysis decodes frames (FFmpeg) and measures their motion (OpenCV); both
release the GIL, so decoding the next frames while the flow of one is computed makes the
analysis take little longer than the decoding alone. Kept apart from the reader because
it knows nothing of video: any iterator can be read ahead.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["PREFETCH_FRAMES", "prefetched"]

#: Frames decoded ahead of the analysis (:func:`prefetched`): enough to ride over a slow
#: frame on either side, a few hundred kilobytes at the working size.
PREFETCH_FRAMES = 8

_T = TypeVar("_T")
_DONE = object()
_FAILED = object()


def prefetched(items: Iterator[_T], depth: int = PREFETCH_FRAMES) -> Iterator[_T]:
    """``items`` produced in a background thread, up to ``depth`` ahead of the reader.

    Decoding (FFmpeg) and the optical flow (OpenCV) both release the GIL, so the flow of
    one frame runs while the next ones decode: on a machine whose cores decoding does
    not fill, the analysis then takes little longer than the decoding. An exception
    raised while producing is raised here, in order; when the reader stops early, the
    producer stops at its next item and ``items`` is closed.
    """
    box: queue.Queue[tuple[object, object]] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(kind: object, value: object) -> bool:
        while not stop.is_set():
            try:
                box.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(None, item):
                    return
            put(_DONE, None)
        except BaseException as exc:  # handed to the reader, raised there
            put(_FAILED, exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="spasmwatch-decode", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = box.get()
            if kind is _DONE:
                return
            if kind is _FAILED:
                assert isinstance(value, BaseException)
                raise value
            yield value  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
