"""A video's contact sheet cut into its rows, so that the report can show it at the page's
full width and let it flow over pages.

The sheet (:func:`spasmwatch.video.outputs.write_contact_sheet`) is one PNG with a title
and one row of frames per event (up to 40 rows). Shown whole on a page, a sheet of many
events is scaled down to a strip too narrow to read; cut into its rows, each row is a
picture of its own, as wide as the page, and a page break can come between two rows.
The sheet records where its rows part (a PNG text entry,
:data:`~spasmwatch.video.result.SHEET_ROW_CUTS_KEY`). A sheet written before it did has
its rows found in the picture itself: each is a run of pixel rows mostly covered by
frames, with the frames' times in a line of text above it.
"""

from __future__ import annotations

import io
import logging
from itertools import pairwise

import numpy as np

from spasmwatch.video.result import SHEET_ROW_CUTS_KEY

__all__ = ["PAGE_BODY_MM", "TALL_SHEET_SHARE", "sheet_rows", "tall_sheet"]

log = logging.getLogger("spasmwatch")

#: A pixel row is a row of frames when at least this share of it is not background (one
#: frame of a row of five covers about a sixth of it).
_FRAME_SHARE = 0.15
#: A channel value under this is ink (the background is white).
_INK_BELOW = 235
#: A run of frame rows shorter than this share of the tallest is not a row of frames
#: (a line of the title's text can cover a third of a pixel row).
_MIN_ROW_SHARE = 0.5
#: The width and height (mm) of a printed page inside the report's margins, by paper:
#: A4 210 x 297 mm and Letter 215.9 x 279.4 mm, less report.css's ``@page`` margins (14 mm
#: either side, 16 mm at the top, 18 mm at the foot).
PAGE_BODY_MM: dict[str, tuple[float, float]] = {"a4": (182.0, 263.0), "letter": (187.9, 245.4)}
#: A contact sheet printed at the page's width and taller than this share of a page's
#: body flows over pages from where it stands rather than being kept whole [design]: kept
#: whole, a sheet goes to the next page when it does not fit under what stands before it,
#: and a sheet this tall would leave alone on that page whatever little stood there (the
#: last rows of the quality checks, their note). A sheet up to this share fits under
#: anything that takes less than the rest of a page, so a page it leaves is never almost
#: blank.
TALL_SHEET_SHARE = 0.75


def _frame_runs(ink: np.ndarray) -> list[tuple[int, int]]:
    """The runs (start, end) of pixel rows covered by frames, tall enough to be a row of
    them."""
    framed = ink > _FRAME_SHARE
    edges = np.flatnonzero(np.diff(np.r_[0, framed.astype(np.int8), 0]))
    runs = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    if not runs:
        return []
    tallest = max(b - a for a, b in runs)
    return [(a, b) for a, b in runs if b - a >= _MIN_ROW_SHARE * tallest]


def _recorded_cuts(info: dict[str, object], height: int) -> list[int]:
    """The cuts the sheet recorded (:data:`SHEET_ROW_CUTS_KEY`), when they are whole: from
    0 to the height, increasing, at least two rows; [] otherwise."""
    raw = info.get(SHEET_ROW_CUTS_KEY)
    if not isinstance(raw, str):
        return []
    try:
        cuts = [int(part) for part in raw.split(",")]
    except ValueError:
        return []
    whole = len(cuts) >= 3 and cuts[0] == 0 and cuts[-1] == height
    return cuts if whole and all(a < b for a, b in pairwise(cuts)) else []


def _found_cuts(pixels: np.ndarray) -> list[int]:
    """The cuts of a sheet that recorded none, found from its pixels; [] for fewer than
    two rows of frames."""
    ink = (pixels.min(axis=2) < _INK_BELOW).mean(axis=1)
    runs = _frame_runs(ink)
    if len(runs) < 2:
        return []
    # Each cut is halfway down the background between a row's frames and the text above
    # the next row's (the times of its frames), so that text goes with its own frames.
    cuts = [0]
    for (_a, end), (start, _b) in pairwise(runs):
        inked = np.flatnonzero(ink[end:start] > 0)
        text_top = end + int(inked[0]) if len(inked) else start
        cuts.append((end + text_top) // 2)
    cuts.append(pixels.shape[0])
    return cuts


def sheet_rows(png: bytes) -> list[bytes]:
    """The contact sheet ``png`` cut into bands of one row of frames each (the first with
    the sheet's title above it), as PNGs; ``[png]`` itself when no rows are found in it
    (not a contact sheet as the video analysis draws it, or a single row)."""
    from PIL import Image  # imported here: only a report with a video needs it

    try:
        with Image.open(io.BytesIO(png)) as opened:
            picture = opened.convert("RGB")
            info = dict(opened.info)
    except (OSError, ValueError) as exc:
        log.warning("contact sheet unreadable: %s", exc)
        return [png]
    cuts = _recorded_cuts(info, picture.height) or _found_cuts(np.asarray(picture))
    if not cuts:
        return [png]
    bands = []
    for top, bottom in pairwise(cuts):
        out = io.BytesIO()
        picture.crop((0, top, picture.width, bottom)).save(out, format="PNG", optimize=True)
        bands.append(out.getvalue())
    return bands


def tall_sheet(bands: list[bytes], paper: str = "a4") -> bool:
    """Whether the contact sheet cut into ``bands`` (:func:`sheet_rows`), printed at the
    width of a ``paper`` page's body, is taller than :data:`TALL_SHEET_SHARE` of it."""
    width_mm, height_mm = PAGE_BODY_MM[paper]
    ratio = 0.0
    for band in bands:
        width, height = _png_size(band)
        if width <= 0:
            return False
        ratio += height / width
    return ratio * width_mm > TALL_SHEET_SHARE * height_mm


def _png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header (0, 0 for what is not a PNG)."""
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return 0, 0
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
