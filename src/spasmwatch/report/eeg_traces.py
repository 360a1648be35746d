"""Pages of EEG traces around the detected events, for the report.

For each of the first :data:`MAX_EVENT_PAGES` events by priority (seizures, then spasms,
then decrements; the most confident first), shown in time order (by onset, as the event
table lists them), 10 s of the recording with the event in the middle, in the double
banana (the recording's own montage when it cannot be derived), high-pass 0.5 Hz and
low-pass 70 Hz, at one gain for all the pages of a recording. The
pages are read from the stored EEG file when the report is rendered (only their windows:
:func:`spasmwatch.eeg.traces.read_page`) and drawn as SVG at their nominal size in mm, so
the printed gain in µV/mm holds on paper.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from spasmwatch.eeg.events import Event
from spasmwatch.eeg.reader import read_recording
from spasmwatch.eeg.trace_svg import (
    NumberFormat,
    filter_words,
    render_trace_svg,
    trace_svg_size,
)
from spasmwatch.eeg.traces import (
    MONTAGES,
    TracePage,
    TraceSettings,
    available_montages,
    event_priority,
    page_start_for,
    read_page,
)
from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import english

__all__ = ["MAX_EVENT_PAGES", "EegTraces", "EventTracePage", "event_traces"]

log = logging.getLogger("spasmwatch")

#: Events shown as pages of traces, per recording.
MAX_EVENT_PAGES = 6
PAGE_S = 10
WIDTH_MM = 180.0
SPACING_MM = 7.0
#: Trace resolution on paper: a column every 0.5 mm (about 30 ms at 16 mm/s), its minimum and
#: maximum kept; WeasyPrint draws each point, so fewer make the PDF quicker.
COLUMNS_PER_MM = 2.0
#: An event up to this long is centred on its middle; a longer one on its onset (the
#: transition is what the reader looks for).
CENTRE_WHOLE_EVENT_S = 8.0


@dataclass(frozen=True)
class EventTracePage:
    """One event's page of traces.

    Attributes
    ----------
    number
        The event's row in the report's event table (events by onset, from 1).
    event
        The event (the contract's JSON object).
    start_s
        Start of the page, seconds from the file start.
    clock
        Clock time of the page's start, or None when the file has no usable date.
    svg_uri
        The drawing as a ``data:image/svg+xml`` URI.
    width_mm, height_mm
        Its nominal size.
    gain_uv_per_mm, filters, montage
        What the page shows, in words for the caption.
    """

    number: int
    event: dict[str, Any]
    start_s: float
    clock: str | None
    svg_uri: str
    width_mm: float
    height_mm: float
    gain_uv_per_mm: float
    filters: str
    montage: str


@dataclass(frozen=True)
class EegTraces:
    """The event pages of one recording, how many events were left out, and why there are
    no pages when the file could not be read (``note``)."""

    pages: list[EventTracePage]
    more: int = 0
    note: str | None = None


def _centre(e: Event) -> float:
    return e.onset + e.duration / 2 if e.duration <= CENTRE_WHOLE_EVENT_S else e.onset


def _plain(value: float, digits: int | None = None) -> str:
    return f"{value:g}" if digits is None else f"{value:.{digits}f}"


def _uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def event_traces(
    finding: Any,
    limit: int = MAX_EVENT_PAGES,
    gettext: Callable[[str], str] = english,
    number: NumberFormat = _plain,
) -> EegTraces:
    """The pages of traces of an EEG finding's events.

    Parameters
    ----------
    finding
        An :class:`~spasmwatch.report.eeg_finding.EegFinding` (its ``file`` and ``events``).
    limit
        How many events get a page.
    gettext
        The language of the pages' words (the montage, the filters, the notes); English by
        default. The events' codes on the drawing (``sz``) are the same in every language.
    number
        How the pages write a number (``number(value, digits)``: the language's decimal
        sign); ``%g`` or fixed decimals with a point by default.

    Returns
    -------
    EegTraces
        No pages (with a ``note``) when there is no event, no stored file or the file
        cannot be read; the report still renders.
    """
    raw_events = list(getattr(finding, "events", None) or [])
    if not raw_events:
        return EegTraces([])
    path = getattr(finding, "file", None)
    if path is None or not path.is_file():
        return EegTraces([], len(raw_events), gettext("The EEG file is not in the data directory."))
    try:
        by_onset = sorted((Event.from_dict(e) for e in raw_events), key=lambda e: e.onset)
        recording = read_recording(path, annotations=False)
        montage = available_montages(recording.channels, recording.kinds)[0]
        settings = TraceSettings(page_s=PAGE_S, montage=montage, high_pass_hz=0.5, low_pass_hz=70)
        # chosen by priority, read in time order: the pages follow the recording
        chosen = sorted(event_priority(by_onset)[:limit], key=lambda e: e.onset)
        read: list[tuple[Event, TracePage]] = []
        for e in chosen:
            start = page_start_for(_centre(e), PAGE_S, recording.duration_s, centre=True)
            read.append((e, read_page(recording, start, settings, by_onset, spacing_mm=SPACING_MM)))
    except (SpasmwatchError, KeyError, TypeError, ValueError) as exc:
        log.warning("report: EEG traces of %s not drawn: %s", path, exc)
        return EegTraces(
            [], len(raw_events), gettext("The EEG file could not be read: %(why)s") % {"why": exc}
        )
    # One gain for every page of the recording, so the pages compare.
    gain = max((p.settings.gain_uv_per_mm or 10.0) for _, p in read)
    pages = []
    for e, page in read:
        page = replace(page, settings=replace(page.settings, gain_uv_per_mm=gain))
        width, height = trace_svg_size(page, WIDTH_MM, SPACING_MM)
        pages.append(
            EventTracePage(
                number=by_onset.index(e) + 1,
                event=e.to_dict(),
                start_s=page.start_s,
                clock=page.clock(page.start_s),
                svg_uri=_uri(
                    render_trace_svg(
                        page,
                        width_mm=WIDTH_MM,
                        spacing_mm=SPACING_MM,
                        columns_per_mm=COLUMNS_PER_MM,
                        gettext=gettext,
                        number=number,
                    )
                ),
                width_mm=round(width, 1),
                height_mm=round(height, 1),
                gain_uv_per_mm=gain,
                filters=filter_words(page.settings, gettext, number),
                montage=gettext(MONTAGES[montage]),
            )
        )
    return EegTraces(pages, max(0, len(raw_events) - len(pages)))
