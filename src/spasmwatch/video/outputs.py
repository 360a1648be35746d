"""Files for the doctor: a clip per event, a contact sheet, a motion plot and the JSON.

Clips are H.264 MP4 (``yuv420p``, ``+faststart``) written with PyAV's libx264, which
browsers play; OpenCV's own writer cannot write H.264 here. Optional face blurring
uses the frontal-face Haar cascade that ships with OpenCV (nothing is downloaded).

The contact sheet and the motion plot are drawn once per language
(:data:`spasmwatch.images.IMAGE_LOCALES`; the files named by
:func:`spasmwatch.images.image_file`), their words and numbers in it, so that a page or
report in Spanish shows them in Spanish; the sheet's frames are picked and blurred once.
"""

from __future__ import annotations

import json
import logging
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import av
import cv2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import DEFAULT_LOCALE, N_, format_plain, translations
from spasmwatch.images import IMAGE_FILES, IMAGE_LOCALES, decimal_ticks, image_file
from spasmwatch.outfolder import staged_outputs
from spasmwatch.video.events import EVENT_KIND_WORDS
from spasmwatch.video.reader import VideoReader
from spasmwatch.video.result import SHEET_ROW_CUTS_KEY

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from spasmwatch.video.detect import MovementEvent
    from spasmwatch.video.result import VideoAnalysis

__all__ = ["FaceBlurrer", "plot_motion", "write_contact_sheet", "write_outputs"]

log = logging.getLogger("spasmwatch")

#: Seconds of video kept before and after each event in its clip.
CLIP_MARGIN_S = 3.0
_KIND_COLOURS = {
    "spasm_like": "#d62728",
    "jerk": "#2ca02c",
    "rhythmic": "#1f77b4",
    "other": "#7f7f7f",
}

#: Short side in pixels of the frames of clips and contact sheets.
EXPORT_SHORT_SIDE = 360
#: The contact sheet shows at most this many events (one row each).
SHEET_MAX_EVENTS = 40


class FaceBlurrer:
    """Blur faces with OpenCV's bundled frontal and profile Haar cascades.

    A Haar cascade finds upright faces seen from the front or side, in fair light. It
    misses faces turned away, tilted far from upright, partly covered, very small or
    dark, and it does not blur anything else that identifies a person.
    """

    def __init__(self) -> None:
        base = Path(cv2.data.haarcascades)
        self._cascades = [
            cv2.CascadeClassifier(str(base / name))
            for name in ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml")
        ]
        if any(c.empty() for c in self._cascades):
            raise SpasmwatchError(f"Face detector files missing in {base}")
        self._cache: dict[int, list[tuple[int, int, int, int]]] = {}

    def __call__(self, frame: np.ndarray, time_s: float | None = None) -> np.ndarray:
        """Return a copy of a BGR frame with the faces found blurred.

        With ``time_s``, faces are searched twice a second of video and the boxes
        (a little enlarged) reused in between, which keeps blurring clips fast.
        """
        if time_s is None:
            boxes = self._find(frame)
        else:
            key = round(time_s * 2)
            if key not in self._cache:
                self._cache[key] = self._find(frame)
            boxes = self._cache[key]
        out = frame.copy()
        for x, y, w, h in boxes:
            pad = int(0.35 * max(w, h))
            x0, y0 = max(0, x - pad), max(0, y - pad)
            x1, y1 = min(out.shape[1], x + w + pad), min(out.shape[0], y + h + pad)
            if x1 > x0 and y1 > y0:
                k = max(3, (max(w, h) // 3) | 1)
                out[y0:y1, x0:x1] = cv2.GaussianBlur(out[y0:y1, x0:x1], (k, k), 0)
        return out

    def _find(self, frame: np.ndarray) -> list[tuple[int, int, int, int]]:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        # Search at about 240 px on the short side; map boxes back afterwards.
        scale = min(1.0, 240.0 / min(gray.shape))
        small = cv2.equalizeHist(cv2.resize(gray, None, fx=scale, fy=scale))
        size = max(16, min(small.shape) // 10)
        boxes = []
        # Infants lie at any angle: frontal faces also in the picture turned a quarter.
        passes = [(self._cascades[0], k) for k in (0, 1, 3)] + [(self._cascades[1], 0)]
        for cascade, k in passes:
            g = np.ascontiguousarray(np.rot90(small, k)) if k else small
            for x, y, w, h in cascade.detectMultiScale(g, 1.15, 4, minSize=(size, size)):
                bx, by, bw, bh = _unrotate_box(x, y, w, h, k, small.shape)
                boxes.append((int(bx / scale), int(by / scale), int(bw / scale), int(bh / scale)))
        return boxes


def _unrotate_box(x: int, y: int, w: int, h: int, k: int, shape: tuple[int, ...]):
    """Map a box found in ``np.rot90(img, k)`` back to ``img`` coordinates."""
    rows, cols = shape[:2]
    if k == 0:
        return int(x), int(y), int(w), int(h)
    if k == 1:  # rotated CCW: (x', y') = (y, cols - 1 - x)
        return int(cols - y - h), int(x), int(h), int(w)
    return int(y), int(rows - x - w), int(h), int(w)  # k == 3


class _ClipWriter:
    """One event's clip, written frame by frame as the second pass reaches it."""

    def __init__(self, path: Path, fps: float, label: str, span: tuple[float, float]) -> None:
        self.path = path
        self.fps = fps
        self.label = label
        self.span = span
        self._container: av.container.OutputContainer | None = None
        self._stream = None
        self._size = (0, 0)

    def write(self, t: float, frame: np.ndarray, blur=None) -> None:
        h, w = frame.shape[:2]
        if self._container is None:
            self._container = av.open(str(self.path), "w", options={"movflags": "+faststart"})
            self._stream = self._container.add_stream("libx264", rate=max(1, round(self.fps)))
            self._size = (w - w % 2, h - h % 2)
            self._stream.width, self._stream.height = self._size
            self._stream.pix_fmt = "yuv420p"
            self._stream.options = {"crf": "23", "preset": "veryfast"}
        # a copy: the clip's words are written into it, and the same frame goes on to the
        # other clips and the contact sheet (drawn in each language with its own words)
        img = frame[: self._size[1], : self._size[0]].copy()
        if blur is not None:
            img = blur(img, t)
        inside = self.span[0] <= t <= self.span[1]
        text = f"{t:6.1f} s {self.label}" if inside else f"{t:6.1f} s"
        for colour, width in (((255, 255, 255), 2), ((0, 0, 0), 1)):
            cv2.putText(
                img, text, (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, width, cv2.LINE_AA
            )
        for packet in self._stream.encode(av.VideoFrame.from_ndarray(img, format="bgr24")):
            self._container.mux(packet)

    def close(self) -> bool:
        """Finish the file; False when no frame was written."""
        if self._container is None:
            return False
        try:
            for packet in self._stream.encode():
                self._container.mux(packet)
        finally:
            self._container.close()
            # The stream keeps the encoder (tens of megabytes) alive: let both go.
            self._container = None
            self._stream = None
        return True


class _SheetPicks:
    """The frames of the contact sheet: for each wanted time, the nearest frame seen."""

    #: Width in pixels of a contact-sheet picture (about its printed size at 90 dpi).
    THUMB_WIDTH = 240

    def __init__(self, events: list[MovementEvent], per_event: int) -> None:
        self.events = events
        self.wanted = [np.linspace(ev.start_s - 0.3, ev.end_s + 0.3, per_event) for ev in events]
        self.best: dict[tuple[int, int], tuple[float, float, np.ndarray]] = {}

    def offer(self, t: float, frame: np.ndarray) -> None:
        for r, picks in enumerate(self.wanted):
            for c, tp in enumerate(picks):
                d = abs(t - tp)
                if d < 0.6 and ((r, c) not in self.best or d < self.best[(r, c)][0]):
                    h, w = frame.shape[:2]
                    k = min(1.0, self.THUMB_WIDTH / w)
                    thumb = cv2.resize(frame, (max(2, round(w * k)), max(2, round(h * k))))
                    self.best[(r, c)] = (d, t, thumb)

    def blur(self, blur) -> None:
        """Blur the faces in the frames picked (``blur``: a :class:`FaceBlurrer`), once for
        every drawing of the sheet."""
        self.best = {key: (d, t, blur(img, t)) for key, (d, t, img) in self.best.items()}


#: The side of a movement as the sheet says it: of the picture, not the baby's own side
#: (filmed from above, the baby's left is on the picture's right).
_SIDE_WORDS = {
    "left": N_("picture's left"),
    "right": N_("picture's right"),
    "both": N_("both sides"),
}


#: The contact sheet's resolution (dots per inch of the figure).
SHEET_DPI = 90


def write_contact_sheet(
    picks: _SheetPicks,
    analysis: VideoAnalysis,
    path: Path,
    blur=None,
    per_event: int = 5,
    locale: str = DEFAULT_LOCALE,
) -> Path:
    """Write a PNG with one row per event: frames from just before to just after it, its
    words and times in ``locale`` (English by default)."""
    fig, axes = _sheet_figure(picks, analysis, blur, per_event, locale)
    cuts = _row_cuts(fig, axes)
    metadata = {SHEET_ROW_CUTS_KEY: ",".join(map(str, cuts))} if cuts else None
    fig.savefig(path, dpi=SHEET_DPI, metadata=metadata)
    plt.close(fig)
    return path


def _sheet_figure(
    picks: _SheetPicks, analysis: VideoAnalysis, blur, per_event: int, locale: str
) -> tuple[Figure, np.ndarray]:
    """The contact sheet's figure (a pyplot one, to close) and its grid of axes."""
    _ = translations(locale).gettext
    events = picks.events
    rows = max(1, len(events))
    fig, axes = plt.subplots(rows, per_event, figsize=(2.2 * per_event, 1.9 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for r, ev in enumerate(events):
        for c in range(per_event):
            if (r, c) not in picks.best:
                continue
            _d, t, img = picks.best[(r, c)]
            if blur is not None:
                img = blur(img, t)
            ax = axes[r, c]
            ax.imshow(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
            inside = ev.start_s <= t <= ev.end_s
            ax.set_title(
                f"{format_plain(t, locale, 1)} s", fontsize=8, color="black" if inside else "grey"
            )
            if c == 0:
                kind = _(EVENT_KIND_WORDS[ev.kind])
                side = _(_SIDE_WORDS[ev.side]) if ev.side in _SIDE_WORDS else ev.side
                span = (
                    f"{format_plain(ev.start_s, locale, 1)}-{format_plain(ev.end_s, locale, 1)} s"
                )
                note = f"#{r + 1} {kind}\n{span}, {side}"
                ax.text(
                    0.02,
                    0.98,
                    note,
                    transform=ax.transAxes,
                    va="top",
                    fontsize=7,
                    color="white",
                    bbox={"facecolor": _KIND_COLOURS[ev.kind], "alpha": 0.8, "pad": 1.5},
                )
    if not events:
        axes[0, 0].text(0, 0.5, _("No movement events found"), fontsize=12)
    title_in = 0.45
    fig.set_size_inches(2.2 * per_event, 1.9 * rows + title_in)
    title = _("%(file)s: frames across each event (black times: during the event)")
    fig.suptitle(title % {"file": Path(analysis.video.path).name}, fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 1 - title_in / (1.9 * rows + title_in)))
    fig.set_dpi(SHEET_DPI)
    return fig, axes


def _row_cuts(fig: Figure, axes: np.ndarray) -> list[int]:
    """Where the sheet's rows of frames part, in pixel rows from its top: 0, the middle of
    the gap between each row's frames and the next row's times (their titles), and the
    height; [] for a sheet of one row."""
    if axes.shape[0] < 2:
        return []
    renderer = fig.canvas.get_renderer()
    height = round(fig.get_figheight() * fig.dpi)
    bounds = []  # (top, bottom) of each row, in pixels from the top
    for row in axes:
        boxes = [ax.get_tightbbox(renderer) for ax in row if ax.has_data() or ax.texts]
        boxes = [b for b in boxes if b is not None]
        if not boxes:
            return []
        top = max(b.y1 for b in boxes)
        bottom = min(b.y0 for b in boxes)
        bounds.append((height - top, height - bottom))
    cuts = [0]
    for (_top, end), (start, _bottom) in pairwise(bounds):
        cuts.append(round((end + start) / 2))
    cuts.append(height)
    return cuts if all(a < b for a, b in pairwise(cuts)) else []


def plot_motion(
    analysis: VideoAnalysis, ax: Axes | None = None, locale: str = DEFAULT_LOCALE
) -> Figure:
    """Plot the infant's motion over time with events and clusters marked.

    Parameters
    ----------
    analysis
        The result of :func:`~spasmwatch.video.analyze_video`.
    ax
        Axes to draw in; a new figure when ``None``.
    locale
        The language of its words and numbers (default English).

    Returns
    -------
    matplotlib.figure.Figure
    """
    _ = translations(locale).gettext
    if ax is None:
        fig, ax = plt.subplots(figsize=(12, 3.6))
    else:
        fig = ax.figure
    tr = analysis.traces
    ax.plot(tr.times_s, tr.extent, color="black", lw=0.8, label=_("infant moving (share of body)"))
    ax.plot(
        tr.times_s,
        tr.outside,
        color="#9467bd",
        lw=0.6,
        alpha=0.7,
        label=_("movement outside the infant"),
    )
    top = max(0.2, float(np.max(tr.extent)) if len(tr.extent) else 0.2)
    seen = set()
    for e in analysis.events:
        lab = _(EVENT_KIND_WORDS[e.kind]) if e.kind not in seen else None
        seen.add(e.kind)
        ax.axvspan(
            e.start_s, e.end_s, ymax=1 / 1.3, color=_KIND_COLOURS[e.kind], alpha=0.3, label=lab
        )
    for c in analysis.clusters:
        ax.axvspan(
            c.start_s,
            c.end_s,
            ymin=0.84,
            ymax=0.95,
            color="#ff7f0e",
            alpha=0.85,
            label=_("spasm cluster") if c is analysis.clusters[0] else None,
        )
        # a cluster has 3 or more spasm-like movements: always the plural
        said = _("%(count)s spasm-like, every %(interval)s s") % {
            "count": c.count,
            "interval": format_plain(c.median_interval_s, locale, 0),
        }
        ax.text(
            c.start_s,
            1.165 * top,
            f" {said}",
            fontsize=8,
            color="black",
            va="center",
        )
    ax.set_xlim(0, max(analysis.video.duration_s, 1.0))
    ax.set_ylim(0, 1.3 * top)
    ax.set_xlabel(_("time (s)"))
    ax.set_ylabel(_("share of infant moving"))
    ax.set_title(_("%(file)s: motion over time") % {"file": Path(analysis.video.path).name})
    decimal_ticks([ax], locale)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=7, ncol=6, frameon=False)
    fig.tight_layout()
    return fig


def write_outputs(
    analysis: VideoAnalysis, out_dir: Path, blur_faces: bool = False, into: Path | None = None
) -> dict[str, list[str]]:
    """Write clips, contact sheet, motion plot and ``analysis.json`` into ``out_dir`` (or
    into ``into``, a folder the caller puts in its place whole: the paths named are
    ``out_dir``'s all the same).

    The video is decoded a second time, only around the events (no frame is kept in
    memory during the analysis itself), at the analysis frame rate and
    :data:`EXPORT_SHORT_SIDE` pixels on the short side. The files are moved into
    ``out_dir`` when all are written (:func:`spasmwatch.outfolder.staged_outputs`).

    The contact sheet and the motion plot are drawn in each language of
    :data:`~spasmwatch.images.IMAGE_LOCALES` (English under their usual names,
    ``contact_sheet.png`` and ``motion.png``; another language's as
    :func:`~spasmwatch.images.image_file` names it: ``motion.es.png``).

    Returns
    -------
    dict
        ``{"clips": [...], "contact_sheet": [...], "motion_plot": [...], "json": [...]}``
        with the paths written (the images' English file first).
    """
    with staged_outputs(out_dir, into) as stage:  # whole or not at all
        blur = FaceBlurrer() if blur_faces else None
        info = analysis.video
        stride = max(1, round(info.fps / max(analysis.traces.rate_hz, 1e-3)))
        rate = info.fps / stride
        clips = []
        for i, ev in enumerate(analysis.events, start=1):
            name = stage / f"event_{i:03d}_{ev.kind}_{ev.start_s:07.2f}s.mp4"
            span = (max(0.0, ev.start_s - CLIP_MARGIN_S), ev.end_s + CLIP_MARGIN_S)
            # the file name keeps the kind's code; the picture says it in words
            label = EVENT_KIND_WORDS[ev.kind]
            clips.append((span, _ClipWriter(name, rate, label, (ev.start_s, ev.end_s))))
        picks = _SheetPicks(analysis.events[:SHEET_MAX_EVENTS], per_event=5)
        written: dict[str, list[str]] = {"clips": []}
        try:
            with VideoReader(info.path, short_side=EXPORT_SHORT_SIDE) as reader:
                open_at = 0  # clips before this one are finished (they start in time order)
                for t, frame in reader.frames_in([span for span, _w in clips], stride=stride):
                    for j in range(open_at, len(clips)):
                        span, writer = clips[j]
                        if span[0] > t:
                            break
                        if t <= span[1]:
                            writer.write(t, frame, blur=blur)
                    # An encoder holds tens of megabytes: finish each clip once it is past.
                    while open_at < len(clips) and clips[open_at][0][1] < t:
                        if clips[open_at][1].close():
                            written["clips"].append(str(out_dir / clips[open_at][1].path.name))
                        open_at += 1
                    picks.offer(t, frame)
        finally:
            for _span, writer in clips:
                if writer.close():
                    written["clips"].append(str(out_dir / writer.path.name))
        if blur is not None:  # once, whatever the number of languages the sheet is drawn in
            picks.blur(blur)
        written["contact_sheet"], written["motion_plot"] = [], []
        for locale in IMAGE_LOCALES:
            sheet = image_file(IMAGE_FILES["video"]["contact_sheet"], locale)
            write_contact_sheet(picks, analysis, stage / sheet, locale=locale)
            written["contact_sheet"].append(str(out_dir / sheet))
            motion = image_file(IMAGE_FILES["video"]["motion"], locale)
            fig = plot_motion(analysis, locale=locale)
            fig.savefig(stage / motion, dpi=90)
            plt.close(fig)
            written["motion_plot"].append(str(out_dir / motion))
        json_path = stage / "analysis.json"
        written["json"] = [str(out_dir / "analysis.json")]
        doc = analysis.to_dict()
        doc["outputs"] = written
        json_path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %d clips and plots to %s", len(written["clips"]), out_dir)
    return written
