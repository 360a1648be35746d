"""Draw a :class:`~spasmwatch.eeg.traces.TracePage` as SVG, in millimetres.

The drawing's unit is the millimetre, so the gain in µV/mm holds on paper when the image is
shown at its nominal size (the report prints it so); on a screen, which scales it, the
calibration bars (µV and 1 s) give the scale. Presentation attributes only (no ``style``
attribute or element), so the SVG can be inlined in a page under a strict
Content-Security-Policy. Its words are English (the report's) unless a language is given:
the web viewer passes its page's ``gettext`` and number format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

import numpy as np

from spasmwatch.eeg.traces import MONTAGES, TracePage, TraceSettings
from spasmwatch.eeg.words import time_from_start
from spasmwatch.i18n import english

__all__ = [
    "EVENT_COLOURS",
    "PAGE_WIDTH_MM",
    "PHONE_DRAWING",
    "filter_words",
    "paper_speed",
    "render_trace_svg",
    "trace_svg_size",
]

#: A number in words: ``(value, digits)``, exactly ``digits`` decimals or as short as it is.
NumberFormat = Callable[[float, int | None], str]


def _plain(value: float, digits: int | None = None) -> str:
    return f"{value:g}" if digits is None else f"{value:.{digits}f}"


def filter_words(
    settings: TraceSettings,
    gettext: Callable[[str], str] = english,
    number: NumberFormat = _plain,
) -> str:
    """The filters in words, ``"HP 0.5 Hz, LP 70 Hz, notch off"`` in English (``gettext``
    and ``number``: another language's)."""

    def hz(value: float) -> str:
        return gettext("off") if value == 0 else f"{number(value, None)} Hz"

    return gettext("HP %(hp)s, LP %(lp)s, notch %(notch)s") % {
        "hp": hz(settings.high_pass_hz),
        "lp": hz(settings.low_pass_hz),
        "notch": hz(settings.notch_hz),
    }


#: Shading of the detected events by type (colour-blind safe: red, blue, orange, grey).
EVENT_COLOURS: dict[str, str] = {
    "sz": "#d62728",
    "decrement": "#1f77b4",
    "spasm": "#ff7f0e",
}
_OTHER_COLOUR = "#7f7f7f"
_GAP_COLOUR = "#555"  # a gap of an interrupted recording
_LABEL_W = 20.0  # channel labels
_TOP = 11.0  # settings line and event labels
_AXIS = 14.5  # seconds and clock time
_RIGHT = 3.0
_CLIP = 2.5  # a trace is clipped at this many channel spacings from its baseline
#: A phone's drawing (:data:`PHONE_DRAWING`): narrower, so that at a phone's width its
#: words are at least 10 CSS pixels tall, and each trace clipped at the edge of its lane so
#: that large waves never cross the neighbouring traces (a screen that small cannot show
#: them apart); the nominal gain stays that of the page.
PHONE_DRAWING: dict[str, float] = {"width_mm": 120.0, "text_scale": 1.25, "clip_lanes": 0.5}
#: The nominal width of a page's drawing in mm: the web viewer's and its page as an image.
#: Its traces take all but the channel labels and the right margin, so its time scale
#: (:func:`paper_speed`) follows from it and the page's length.
PAGE_WIDTH_MM = 270.0
_COLUMNS_PER_MM = 3  # beyond this many samples per mm, min/max decimation
_SCALE_BARS_UV = (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)


def _baselines(channels: list[str], spacing_mm: float) -> list[float]:
    """The y of each channel's baseline; a half spacing more between the chains of a
    bipolar montage (a pair not continuing the previous one)."""
    ys, y = [], _TOP + spacing_mm * 0.8
    for i, name in enumerate(channels):
        if i:
            y += spacing_mm
            prev = channels[i - 1].split("-")
            if "-" in name and len(prev) == 2 and name.split("-")[0] != prev[1]:
                y += spacing_mm / 2
        ys.append(y)
    return ys


def paper_speed(page_s: float, width_mm: float = PAGE_WIDTH_MM) -> float:
    """The time scale, in mm per second, of a drawing ``width_mm`` wide of a page of
    ``page_s`` seconds at its nominal size: the traces' width over the page's length, to
    3 significant digits, as the drawing's settings line says it (a clinician reads it
    beside the gain, as the paper speed of an EEG machine)."""
    return float(f"{(width_mm - _LABEL_W - _RIGHT) / page_s:.3g}")


def trace_svg_size(
    page: TracePage, width_mm: float = PAGE_WIDTH_MM, spacing_mm: float = 10.0
) -> tuple[float, float]:
    """(width, height) in mm of :func:`render_trace_svg`'s drawing of ``page``."""
    ys = _baselines(page.channels, spacing_mm) or [_TOP]
    return width_mm, ys[-1] + spacing_mm * 0.8 + _AXIS


def _decimate(y: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Sample indices and values, min/max per column when there are more samples than
    twice the columns (keeps every peak; a spike is never lost by thinning)."""
    n = len(y)
    if n <= 2 * columns:
        return np.arange(n, dtype=float), y
    k = -(-n // columns)  # samples per column
    m = -(-n // k)
    cols = np.pad(y, (0, m * k - n), mode="edge").reshape(m, k)
    lo, hi = cols.argmin(axis=1), cols.argmax(axis=1)
    pairs = np.stack([np.minimum(lo, hi), np.maximum(lo, hi)], axis=1)  # in time order
    idx = np.minimum((np.arange(m) * k)[:, None] + pairs, n - 1).ravel()
    return idx.astype(float), y[idx]


def _tick_step(page_s: int) -> int:
    return 1 if page_s <= 10 else 2 if page_s <= 20 else 5


def _label_every(step: int, mm_per_s: float, wide_mm: float, page_s: int) -> int:
    """Every how many seconds (a multiple of ``step``) a time label ``wide_mm`` wide fits
    beside the next one: h:mm:ss and clock times on a phone's narrow drawing would
    otherwise run into each other. The page's first second is always labelled."""
    for times in (1, 2, 5, 10, 20, 30, 60):
        every = step * times
        if every * mm_per_s >= wide_mm + 1.0 or every >= page_s:
            return every
    return page_s


def _elapsed(t: float) -> str:
    """Seconds under the first hour, h:mm:ss from it on (:func:`time_from_start`)."""
    return f"{t:.0f}" if t < 3600 else time_from_start(t)


#: The width of a character of the drawing's words, as a share of their size (DejaVu Sans
#: averages about 0.55 of its size; a little more so that a word is never cut).
_CHAR_EM = 0.62


def _label_x(label: str, font_size: float, start: float, end: float, width: float) -> str:
    """Where an event's label goes (its ``x`` and ``text-anchor``): after the start of the
    event; when it would run past the drawing's right edge (an event at the end of the
    page), ending at the event's end, or at the edge, so that it is never cut."""
    wide = len(label) * _CHAR_EM * font_size
    if start + 0.8 + wide <= width - 0.5:
        return f'x="{start + 0.8:.2f}"'
    right = min(end - 0.8, width - 0.5)
    return f'x="{max(right, wide + 0.5):.2f}" text-anchor="end"'


def render_trace_svg(
    page: TracePage,
    *,
    width_mm: float = PAGE_WIDTH_MM,
    spacing_mm: float = 10.0,
    fluid: bool = False,
    title: str | None = None,
    columns_per_mm: float = _COLUMNS_PER_MM,
    gettext: Callable[[str], str] = english,
    number: NumberFormat = _plain,
    event_words: Mapping[str, str] | None = None,
    text_scale: float = 1.0,
    clip_lanes: float = _CLIP,
) -> str:
    """The page as an SVG document fragment (an ``<svg>`` element).

    Parameters
    ----------
    page
        What :func:`~spasmwatch.eeg.traces.read_page` read.
    width_mm, spacing_mm
        Width of the drawing and distance between channel baselines, in mm.
    fluid
        True: ``width="100%"`` (a web page scales it); False: the nominal size in mm.
    title
        The accessible name (default: the page's times and montage).
    columns_per_mm
        Above twice this many samples per mm a trace keeps each column's minimum and
        maximum only (every peak stays; fewer points draw faster).
    gettext, number
        The language of the words and numbers (default English, as the report says them).
    event_words
        What each event type is called on the page (default: the type, ``sz``).
    text_scale
        Size of the words and numbers relative to the nominal drawing's (a narrow drawing
        shown on a phone needs them larger; see :data:`PHONE_DRAWING`).
    clip_lanes
        A trace is clipped at this many channel spacings from its baseline (0.5: within
        its own lane).
    """
    fs = text_scale
    settings = page.settings
    gain = float(settings.gain_uv_per_mm or 10.0)
    width, height = trace_svg_size(page, width_mm, spacing_mm)
    x0, x1 = _LABEL_W, width - _RIGHT
    mm_per_s = (x1 - x0) / page.page_s
    ys = _baselines(page.channels, spacing_mm)
    bottom = (ys[-1] if ys else _TOP) + spacing_mm * 0.8
    montage = gettext(MONTAGES.get(settings.montage, settings.montage))
    name = title or gettext("EEG from %(start)s s to %(end)s s, %(montage)s, %(gain)s µV/mm") % {
        "start": number(float(round(page.start_s)), None),
        "end": number(float(round(min(page.end_s, page.duration_s))), None),
        "montage": montage,
        "gain": number(gain, None),
    }
    size = 'width="100%"' if fluid else f'width="{width:.1f}mm" height="{height:.1f}mm"'
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="eeg-page" role="img" {size} '
        f'viewBox="0 0 {width:.2f} {height:.2f}" font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(name)}</title>",
        f'<rect x="0" y="0" width="{width:.2f}" height="{height:.2f}" fill="#fff"/>',
    ]
    # The gaps of an interrupted recording (no EEG there: the traces are flat), then the
    # events, under the traces.
    for g0, g_s in page.gaps:
        a, b = max(page.start_s, g0), min(page.end_s, g0 + g_s)
        out.append(
            f'<rect class="gap" x="{x0 + (a - page.start_s) * mm_per_s:.2f}" y="{_TOP:.2f}" '
            f'width="{max(0.6, (b - a) * mm_per_s):.2f}" height="{bottom - _TOP:.2f}" '
            f'fill="{_GAP_COLOUR}" fill-opacity="0.12"><title>'
            + escape(
                gettext("no EEG recorded (%(start)s-%(end)s s)")
                % {"start": number(g0, None), "end": number(g0 + g_s, None)}
            )
            + "</title></rect>"
        )
    for e in page.events:
        a = max(page.start_s, e.onset)
        b = min(page.end_s, e.onset + max(e.duration, 0.0))
        xa = x0 + (a - page.start_s) * mm_per_s
        wb = max(0.6, (b - a) * mm_per_s)
        colour = EVENT_COLOURS.get(e.eventType, _OTHER_COLOUR)
        out.append(
            f'<rect class="event" x="{xa:.2f}" y="{_TOP - 4:.2f}" width="{wb:.2f}" '
            f'height="{bottom - _TOP + 4:.2f}" fill="{colour}" fill-opacity="0.13" '
            f'stroke="{colour}" stroke-opacity="0.5" stroke-width="0.2"/>'
        )
        kind = (event_words or {}).get(e.eventType, e.eventType)
        label = kind + (f" {number(e.confidence, 2)}" if e.confidence < 1 else "")
        out.append(
            f'<text class="event-label" {_label_x(label, 2.8 * fs, xa, xa + wb, width)} '
            f'y="{_TOP - 1:.2f}" font-size="{2.8 * fs:.2f}" fill="{colour}">'
            f"{escape(label)}</text>"
        )
    # Second lines, ticks and the time axis, to the recording's end: a last page that
    # starts less than a page before the end keeps the page's scale (mm/s) and leaves the
    # rest blank, with no seconds past the end.
    step = _tick_step(page.page_s)
    shown_s = max(0.0, min(float(page.page_s), page.duration_s - page.start_s))
    longest = len(_elapsed(page.start_s + page.page_s))
    labelled = _label_every(step, mm_per_s, longest * _CHAR_EM * 3 * fs, page.page_s)
    clocked = _label_every(labelled, mm_per_s, 8 * _CHAR_EM * 2.6 * fs, page.page_s)
    for k in range(page.page_s + 1):
        if k > shown_s:
            break
        x = x0 + k * mm_per_s
        major = k % step == 0
        out.append(
            f'<line x1="{x:.2f}" y1="{_TOP:.2f}" x2="{x:.2f}" y2="{bottom:.2f}" '
            f'stroke="{"#b8b8b8" if major else "#e2e2e2"}" stroke-width="0.15"/>'
        )
        if k % labelled == 0 and k < shown_s:
            t = page.start_s + k
            out.append(
                f'<text x="{x:.2f}" y="{bottom + 1 + 3 * fs:.2f}" font-size="{3 * fs:.2f}" '
                f'text-anchor="middle" '
                f'fill="#222">{_elapsed(t)}{" s" if k == 0 else ""}</text>'
            )
            clock = page.clock(t)
            if clock and k % clocked == 0:
                out.append(
                    f'<text x="{x:.2f}" y="{bottom + 2 + 6 * fs:.2f}" font-size="{2.6 * fs:.2f}" '
                    f'text-anchor="middle" fill="#555">{clock}</text>'
                )
    if shown_s < page.page_s and not float(shown_s).is_integer():
        x = x0 + shown_s * mm_per_s  # the recording's end, between two seconds
        out.append(
            f'<line class="end" x1="{x:.2f}" y1="{_TOP:.2f}" x2="{x:.2f}" y2="{bottom:.2f}" '
            f'stroke="#b8b8b8" stroke-width="0.15"/>'
        )
    # Channel labels and traces.
    limit = clip_lanes * spacing_mm
    columns = max(1, int((x1 - x0) * columns_per_mm))
    for name_, y, row in zip(page.channels, ys, page.data, strict=True):
        out.append(
            f'<text class="label" x="{x0 - 1.5:.2f}" y="{y + 1.1 * fs:.2f}" '
            f'font-size="{3.4 * fs:.2f}" '
            f'text-anchor="end" fill="#111">{escape(name_)}</text>'
        )
        if row.size == 0:
            continue
        centred = row - float(np.median(row))
        idx, values = _decimate(centred, columns)
        xs = x0 + idx / page.sfreq * mm_per_s
        offs = np.clip(-values / gain, -limit, limit)  # up is negative, as EEG is drawn
        points = " ".join(f"{x:.1f},{y + o:.1f}" for x, o in zip(xs, offs, strict=True))
        out.append(
            f'<polyline class="trace" points="{points}" fill="none" stroke="#101010" '
            f'stroke-width="0.17" stroke-linejoin="round"/>'
        )
    # Settings line and calibration bars.
    speed = f"{number(paper_speed(page.page_s, width), None)} mm/s"
    filters = filter_words(settings, gettext, number)
    words = f"{number(gain, None)} µV/mm · {filters} · {montage} · {speed}"
    if fs > 1:  # a narrow drawing: the gain and montage (its page says the filters)
        words = f"{number(gain, None)} µV/mm · {montage}"
    out.append(
        f'<text x="{x0:.2f}" y="{1 + 2.6 * fs:.2f}" font-size="{3 * fs:.2f}" fill="#222">'
        f"{escape(words)}</text>"
    )
    bar_uv = max((v for v in _SCALE_BARS_UV if v / gain <= spacing_mm), default=_SCALE_BARS_UV[0])
    bx, by = x1 - 1.0, bottom + 12.0
    out.append(
        f'<path d="M{bx - mm_per_s:.2f},{by:.2f} H{bx:.2f} V{by - bar_uv / gain:.2f}" '
        f'fill="none" stroke="#000" stroke-width="0.35"/>'
    )
    out.append(
        f'<text x="{bx - mm_per_s - 1:.2f}" y="{by:.2f}" font-size="{2.6 * fs:.2f}" '
        f'text-anchor="end" '
        f'fill="#000">1 s, {bar_uv} µV</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
