"""Pages of EEG traces for review: a window of the file, a montage, filters, a gain.

What a clinical EEG viewer (EDFbrowser, MNE's raw browser) shows, as data:
:func:`read_page` reads one page of a recording (only that window and a few seconds of
filter padding, through :meth:`~spasmwatch.eeg.reader.Recording.read`, never the whole
file), derives the montage, filters it with zero-phase filters and returns a
:class:`TracePage`; :mod:`spasmwatch.eeg.trace_svg` draws it. The web viewer and the
report's event pages both use it, so they show the same thing.

The choices (:class:`TraceSettings`) are validated once, by :meth:`TraceSettings.parse`,
with messages that name the parameter and the allowed values.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from spasmwatch.eeg.events import Event
from spasmwatch.eeg.montage import DOUBLE_BANANA, bipolar_montage
from spasmwatch.eeg.reader import Recording, known_start
from spasmwatch.errors import InvalidInput

__all__ = [
    "GAINS_UV_PER_MM",
    "HIGH_PASS_HZ",
    "LOW_PASS_HZ",
    "MONTAGES",
    "NOTCH_HZ",
    "PAD_S",
    "PAGE_SECONDS",
    "FilterNote",
    "TracePage",
    "TraceSettings",
    "auto_gain",
    "available_montages",
    "derive_montage",
    "event_priority",
    "filter_page",
    "page_start_for",
    "read_page",
]

#: Page lengths offered, in seconds (10 s is the clinical screen page at 30 mm/s).
PAGE_SECONDS: tuple[int, ...] = (10, 20, 30)
#: Montages: the longitudinal bipolar "double banana" the analysis uses (ACNS guideline 3,
#: neonatal/infant), the channels as the file holds them (referential, or bipolar where the
#: file holds derivations), and the common average reference.
MONTAGES: dict[str, str] = {
    "bipolar": "bipolar (double banana)",
    "referential": "as recorded",
    "average": "average reference",
}
#: Sensitivities offered, in µV per mm; 7 µV/mm is the usual adult and neonatal setting,
#: the high-amplitude background of hypsarrhythmia (often > 200 µV) needs 20-50.
GAINS_UV_PER_MM: tuple[float, ...] = (2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200)
#: High-pass (low-frequency) filter choices in Hz; 0 is off.
HIGH_PASS_HZ: tuple[float, ...] = (0.0, 0.3, 0.5, 1.0)
#: Low-pass (high-frequency) filter choices in Hz; 0 is off.
LOW_PASS_HZ: tuple[float, ...] = (0.0, 15.0, 35.0, 70.0)
#: Mains notch choices in Hz; 0 is off.
NOTCH_HZ: tuple[float, ...] = (0.0, 50.0, 60.0)
#: Samples read on each side of a page so the filters settle before it starts: a 2nd-order
#: 0.3 Hz high-pass decays to under 1 % of its step response in about 3 s.
PAD_S = 5.0
#: Referential channels are shown in this order (front to back, left to right); others
#: follow in the file's order.
_REFERENTIAL_ORDER = (
    "Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T3", "C3", "Cz", "C4", "T4",
    "T5", "P3", "Pz", "P4", "T6", "O1", "O2",
)  # fmt: skip
#: Event types by review priority (seizures first, then decrements, then the rest).
_PRIORITY = {"sz": 0, "spasm": 1, "decrement": 2}


def _number(name: str, raw: object) -> float:
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise InvalidInput(
            f"Invalid value for '{name}': a number is required; got {raw!r}"
        ) from None
    if not math.isfinite(value):
        raise InvalidInput(f"Invalid value for '{name}': a finite number is required; got {raw!r}")
    return value


def _choice(name: str, raw: object, allowed: Iterable[float], unit: str) -> float:
    allowed = tuple(allowed)
    value = _number(name, raw)
    if value not in allowed:
        words = ", ".join("off" if a == 0 and unit == "Hz" else f"{a:g}" for a in allowed)
        raise InvalidInput(f"Invalid value for '{name}': allowed are {words} ({unit}); got {raw!r}")
    return value


@dataclass(frozen=True)
class FilterNote:
    """A filter a page could not apply: ``kind`` (``low_pass`` or ``notch``) at ``hz``
    was at or too close to the recording's Nyquist frequency ``nyquist_hz`` (a filter
    there would distort rather than remove). ``str()`` says so in English; the viewer
    says it in the page's language."""

    kind: str
    hz: float
    nyquist_hz: float

    def __str__(self) -> str:
        name = "low-pass" if self.kind == "low_pass" else "notch"
        return (
            f"{name} {self.hz:g} Hz not applied: too close to the Nyquist frequency "
            f"({self.nyquist_hz:g} Hz) of this recording"
        )


@dataclass(frozen=True)
class TraceSettings:
    """How a page is shown.

    Attributes
    ----------
    page_s
        Seconds per page, one of :data:`PAGE_SECONDS`.
    montage
        A key of :data:`MONTAGES`.
    gain_uv_per_mm
        Sensitivity, µV per mm of the drawing at its nominal size (one of
        :data:`GAINS_UV_PER_MM`); None: chosen from the page (:func:`auto_gain`).
    high_pass_hz, low_pass_hz, notch_hz
        Filters (0 is off), from :data:`HIGH_PASS_HZ`, :data:`LOW_PASS_HZ`, :data:`NOTCH_HZ`.
    """

    page_s: int = 10
    montage: str = "bipolar"
    gain_uv_per_mm: float | None = None
    high_pass_hz: float = 0.5
    low_pass_hz: float = 70.0
    notch_hz: float = 0.0

    @classmethod
    def parse(
        cls,
        values: Mapping[str, str],
        default_montage: str = "bipolar",
        default_notch: float = 0.0,
    ) -> TraceSettings:
        """Settings from query parameters ``page``, ``montage``, ``gain``, ``hp``, ``lp``,
        ``notch`` (each optional; empty means the default: ``default_notch`` for the notch,
        the mains frequency the analysis found in the recording, or off).

        Raises
        ------
        InvalidInput
            Naming the parameter, the allowed values and the value given.
        """
        given = {k: str(v).strip() for k, v in values.items() if str(v).strip() != ""}
        page_s = int(_choice("page", given.get("page", 10), PAGE_SECONDS, "s"))
        montage = given.get("montage", default_montage)
        if montage not in MONTAGES:
            raise InvalidInput(
                f"Invalid value for 'montage': allowed are {', '.join(MONTAGES)}; got {montage!r}"
            )
        gain = None
        if given.get("gain", "auto") != "auto":
            gain = _choice("gain", given["gain"], GAINS_UV_PER_MM, "µV/mm")
        return cls(
            page_s=page_s,
            montage=montage,
            gain_uv_per_mm=gain,
            high_pass_hz=_choice("hp", given.get("hp", 0.5), HIGH_PASS_HZ, "Hz"),
            low_pass_hz=_choice("lp", given.get("lp", 70), LOW_PASS_HZ, "Hz"),
            notch_hz=_choice(
                "notch",
                given.get("notch", default_notch if default_notch in NOTCH_HZ else 0),
                NOTCH_HZ,
                "Hz",
            ),
        )

    def query(self) -> dict[str, str]:
        """The settings as query parameters (the inverse of :meth:`parse`)."""
        return {
            "page": str(self.page_s),
            "montage": self.montage,
            "gain": "auto" if self.gain_uv_per_mm is None else f"{self.gain_uv_per_mm:g}",
            "hp": f"{self.high_pass_hz:g}",
            "lp": f"{self.low_pass_hz:g}",
            "notch": f"{self.notch_hz:g}",
        }

    def filter_text(self) -> str:
        """The filters in words: ``"HP 0.5 Hz, LP 70 Hz, notch off"``."""

        def hz(v: float) -> str:
            return "off" if v == 0 else f"{v:g} Hz"

        return f"HP {hz(self.high_pass_hz)}, LP {hz(self.low_pass_hz)}, notch {hz(self.notch_hz)}"


@dataclass(frozen=True)
class TracePage:
    """One page of filtered traces.

    Attributes
    ----------
    start_s, page_s
        The page: seconds from the file start, and its length (the last page of a file
        may hold fewer seconds of samples).
    sfreq
        Sampling rate in Hz.
    channels
        The montage's channel names, one per row of ``data``.
    data
        Filtered samples in µV, shape (n_channels, n_samples).
    settings
        The settings shown (``gain_uv_per_mm`` filled in when it was automatic).
    duration_s
        Length of the whole recording in seconds.
    start
        Clock time of the file start (None when the header has no usable date).
    events
        The events that overlap the page.
    notes
        What could not be applied as asked (a low-pass at or above the Nyquist frequency).
    gaps
        The gaps of an interrupted recording (EDF+D) that overlap the page,
        ``(onset_s, duration_s)``: no EEG was recorded there.
    """

    start_s: float
    page_s: int
    sfreq: float
    channels: list[str]
    data: np.ndarray
    settings: TraceSettings
    duration_s: float
    start: dt.datetime | None = None
    events: list[Event] = field(default_factory=list)
    notes: list[FilterNote] = field(default_factory=list)
    gaps: list[tuple[float, float]] = field(default_factory=list)

    @property
    def end_s(self) -> float:
        """End of the page, seconds from the file start."""
        return self.start_s + self.page_s

    def clock(self, t_s: float) -> str | None:
        """Clock time ``HH:MM:SS`` of a time in seconds from the file start."""
        if self.start is None:
            return None
        return (self.start + dt.timedelta(seconds=t_s)).strftime("%H:%M:%S")


def available_montages(channels: list[str], kinds: list[str]) -> list[str]:
    """The montages a recording can be shown in (first: the default).

    A referential recording with at least two double-banana pairs offers the bipolar
    montage first; a bipolar recording is shown as recorded (``referential``) only.
    """
    if kinds and all(k == "referential" for k in kinds):
        pairs = [(a, b) for a, b in DOUBLE_BANANA if a in channels and b in channels]
        out = ["bipolar"] if len(pairs) >= 2 else []
        return [*out, "referential", "average"]
    return ["referential"]


def _check_montage(channels: list[str], kinds: list[str], montage: str) -> None:
    allowed = available_montages(channels, kinds)
    if montage not in allowed:
        raise InvalidInput(
            f"Invalid value for 'montage': allowed for this recording are "
            f"{', '.join(allowed)}; got {montage!r}"
        )


def _ordered(channels: list[str]) -> list[int]:
    known = [c for c in _REFERENTIAL_ORDER if c in channels]
    rest = [c for c in channels if c not in known]
    return [channels.index(c) for c in [*known, *rest]]


def derive_montage(
    data: np.ndarray, channels: list[str], kinds: list[str], montage: str
) -> tuple[np.ndarray, list[FilterNote]]:
    """Samples of a montage from the recorded channels.

    Parameters
    ----------
    data
        Samples as recorded, shape (n_channels, n_samples).
    channels, kinds
        Normalised names and ``"referential"``/``"bipolar"`` of the rows of ``data``.
    montage
        One of :func:`available_montages` for these channels.

    Returns
    -------
    samples, names

    Raises
    ------
    InvalidInput
        For a montage the recording does not allow.
    """
    _check_montage(channels, kinds, montage)
    if montage == "bipolar":
        return bipolar_montage(data, channels)
    as_recorded = bool(kinds) and kinds[0] != "referential"
    order = list(range(len(channels))) if as_recorded else _ordered(channels)
    picked = np.asarray(data[order], dtype=np.float32)
    names = [channels[i] for i in order]
    if montage == "average":
        picked = picked - picked.mean(axis=0, keepdims=True)
        names = [f"{n}-Avg" for n in names]
    return picked, names


def filter_page(
    data: np.ndarray, sfreq: float, settings: TraceSettings
) -> tuple[np.ndarray, list[FilterNote]]:
    """Zero-phase filtering (forward and backward, :func:`scipy.signal.sosfiltfilt`).

    High-pass: Butterworth order 2; low-pass: Butterworth order 4; notch: IIR notch with
    Q = 30. A filter at or above the Nyquist frequency is not applied and said so.

    Returns
    -------
    filtered, notes
        float64 samples, same shape as ``data``, and what was not applied.
    """
    from scipy import signal

    from spasmwatch.eeg.features import notch_sos

    x = np.asarray(data, dtype=np.float64)
    notes: list[FilterNote] = []
    nyquist = sfreq / 2
    sections = []
    if settings.high_pass_hz > 0:
        sections.append(signal.butter(2, settings.high_pass_hz, "highpass", fs=sfreq, output="sos"))
    if settings.low_pass_hz > 0:
        if settings.low_pass_hz < 0.95 * nyquist:
            sections.append(
                signal.butter(4, settings.low_pass_hz, "lowpass", fs=sfreq, output="sos")
            )
        else:
            notes.append(FilterNote("low_pass", settings.low_pass_hz, nyquist))
    if settings.notch_hz > 0:
        if settings.notch_hz < 0.95 * nyquist:
            sections.append(notch_sos(settings.notch_hz, sfreq))
        else:
            notes.append(FilterNote("notch", settings.notch_hz, nyquist))
    if not sections or x.shape[1] < 16:
        return x, notes
    sos = np.vstack(sections)
    padlen = min(x.shape[1] - 1, 3 * (2 * len(sos) + 1))
    return signal.sosfiltfilt(sos, x, axis=1, padlen=padlen), notes


#: "Fit the page" in the viewer (``within_lane``): the share of each channel's samples that
#: stays inside its own lane (half a channel spacing either side of its baseline). [design]
#: The gain chosen from all the samples pooled (98th percentile in 0.9 of a spacing, what
#: the report's pages use) let a burst of large waves (hypsarrhythmia, a seizure) cross the
#: neighbouring traces, which on a phone merged into one dark band; here the loudest
#: channel decides, and only its rarest peaks reach the next lane.
FIT_QUANTILE = 99.0
FIT_HALF_LANE = 0.5


def auto_gain(data: np.ndarray, spacing_mm: float, *, within_lane: bool = False) -> float:
    """The smallest gain of :data:`GAINS_UV_PER_MM` at which most of the page stays within
    its channel's lane: the 98th percentile of the absolute deviation from each channel's
    median fits in 0.9 of the channel spacing; ``within_lane``: the :data:`FIT_QUANTILE` th
    percentile of the loudest channel fits in :data:`FIT_HALF_LANE` of it (every trace
    keeps to its lane)."""
    if data.size == 0:
        return 10.0
    centred = np.abs(data - np.median(data, axis=1, keepdims=True))
    if within_lane:
        level = float(np.max(np.percentile(centred, FIT_QUANTILE, axis=1)))
        room = FIT_HALF_LANE * spacing_mm
    else:
        level, room = float(np.percentile(centred, 98)), 0.9 * spacing_mm
    for gain in GAINS_UV_PER_MM:
        if level / gain <= room:
            return float(gain)
    return float(GAINS_UV_PER_MM[-1])


def page_start_for(onset_s: float, page_s: int, duration_s: float, *, centre: bool = False) -> int:
    """The page start (whole seconds) that shows an event: 2 s before its onset, or with
    it in the middle (``centre``); never before 0 or past the file's last page."""
    start = onset_s - page_s / 2 if centre else onset_s - 2
    last = max(0.0, math.ceil(duration_s) - page_s)
    return int(max(0.0, min(math.floor(start), last)))


def event_priority(events: Iterable[Event]) -> list[Event]:
    """Events by review priority: seizures, then spasms, then decrements, then the rest;
    within a type the most confident first, then the earliest."""
    return sorted(events, key=lambda e: (_PRIORITY.get(e.eventType, 9), -e.confidence, e.onset))


def read_page(
    recording: Recording,
    start_s: float,
    settings: TraceSettings,
    events: Iterable[Event] = (),
    *,
    spacing_mm: float = 10.0,
    within_lane: bool = False,
) -> TracePage:
    """Read, montage and filter one page of ``recording``.

    Only the page and :data:`PAD_S` seconds on each side are read from the file.

    Parameters
    ----------
    recording
        An open recording (:func:`~spasmwatch.eeg.reader.read_recording`).
    start_s
        Start of the page in seconds from the file start, 0 to before the end.
    settings
        Page length, montage, gain and filters.
    events
        The recording's events; those overlapping the page are kept.
    spacing_mm
        Channel spacing of the drawing, for the automatic gain.
    within_lane
        The automatic gain keeps every trace within its lane (:func:`auto_gain`): the
        viewer's "fit the page".

    Raises
    ------
    InvalidInput
        For a page outside the recording (names ``t``) or a montage the recording does not
        allow (names ``montage``).
    """
    duration = recording.duration_s
    start = _number("t", start_s)
    if not 0 <= start < duration:
        raise InvalidInput(
            "Invalid value for 't': a page starts from 0 to %(last)s s in this %(duration)s s "
            "recording; got %(got)s",
            last=f"{max(0.0, duration - 1):.0f}",
            duration=f"{duration:.0f}",
            got=f"{start:g}",
        )
    _check_montage(recording.channels, recording.kinds, settings.montage)
    filtering = settings.high_pass_hz > 0 or settings.low_pass_hz > 0 or settings.notch_hz > 0
    pad = PAD_S if filtering else 0.0
    first = max(0.0, start - pad)
    stop = min(duration, start + settings.page_s)
    raw = recording.read(first, min(duration, stop + pad))
    work, names = derive_montage(raw, recording.channels, recording.kinds, settings.montage)
    filtered, notes = filter_page(work, recording.sfreq, settings)
    i0 = round((start - first) * recording.sfreq)
    i1 = i0 + round((stop - start) * recording.sfreq)
    samples = filtered[:, i0:i1].astype(np.float32)
    if settings.gain_uv_per_mm is None:
        gain = auto_gain(samples, spacing_mm, within_lane=within_lane)
        settings = replace(settings, gain_uv_per_mm=gain)
    end = start + settings.page_s
    shown = [e for e in events if e.onset < end and e.onset + max(e.duration, 0.0) >= start]
    return TracePage(
        start_s=start,
        page_s=settings.page_s,
        sfreq=recording.sfreq,
        channels=names,
        data=samples,
        settings=settings,
        duration_s=duration,
        start=known_start(recording.start),
        events=shown,
        notes=notes,
        gaps=[(a, d) for a, d in recording.gaps if a < end and a + d > start],
    )
