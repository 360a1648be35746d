"""Read EDF, EDF+ and BDF recordings into a :class:`Recording`.

The format is detected from the file's first bytes, never from its extension: EDF and
EDF+ start with ``b"0       "``, BDF with ``b"\\xffBIOSEMI"``. The header is parsed and
checked here, field by field, so that a broken file gives one clear message naming the
file and the problem (:class:`~spasmwatch.errors.UnreadableFile`). EDF+ annotations are
read with ``edfio``. Samples are not loaded at once: the data records are memory-mapped
and :meth:`Recording.read` / :meth:`Recording.iter_chunks` return float32 microvolts for
the requested span only, so a 24 h recording never needs to fit in memory.

Channel labels are normalised to 10-20 names (``"EEG Fp1-REF"`` -> ``"Fp1"``); the
10-10 names T7, T8, P7 and P8 become T3, T4, T5 and T6, the names used in neonatal and
infant EEG (ACNS neonatal terminology, Tsuchida et al., J Clin Neurophysiol 2013;30:161).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from spasmwatch.eeg.events import _runs
from spasmwatch.errors import NoEEGChannel, UnreadableFile
from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, say_message
from spasmwatch.store.files import BDF_MAGIC, EDF_MAGIC, other_file_kind, sniff_kind

__all__ = [
    "FILLER_START",
    "PLACEHOLDER_START_DAYS",
    "UNREADABLE_REASONS",
    "Annotation",
    "Recording",
    "eeg_left_out",
    "known_start",
    "left_out_words",
    "normalise_label",
    "read_recording",
]

log = logging.getLogger("spasmwatch")

#: Why a file cannot be read (or holds no EEG), said after its path ("<path>: <why>"):
#: catalog messages with ``%(name)s`` placeholders, so that a page can say a stored
#: English message in its own language (``web/problems.py`` recognises them).
_FOLDER = N_("a folder, not a recording (name one EDF or BDF file)")
_MISSING = N_("no such file")
_SHORT_HEADER = N_(
    "not an EDF, EDF+ or BDF file: only %(size)s bytes, shorter than the 256-byte header"
)
_NOT_EDF = N_(
    "not an EDF, EDF+ or BDF file (%(what)s; an EDF file starts with '0' and a BDF file "
    "with the byte 0xFF and 'BIOSEMI')"
)
_NOT_A_NUMBER = N_("corrupt header: field '%(field)s' is %(value)s, expected a number")
_NO_SIGNALS = N_("the header declares %(signals)s signals; there is nothing to read")
_HEADER_BYTES = N_(
    "corrupt header: it declares %(declared)s header bytes, but %(signals)s signals need %(needed)s"
)
_HEADER_CUT = N_("truncated: the header needs %(needed)s bytes, the file has %(size)s")
_ONLY_ANNOTATIONS = N_(
    "has zero signal channels (it holds only annotations); there is no EEG to analyse"
)
_NO_SAMPLES = N_("corrupt header: signal %(signal)s has no samples per record")
_RECORD_DURATION = N_(
    "corrupt header: data record duration is %(duration)s s, expected a finite number > 0"
)
_DATA_CUT = N_(
    "truncated: the header declares %(records)s data records (%(needed)s bytes) but only "
    "%(size)s bytes of data follow (%(complete)s complete records)"
)
_MISMATCHED = N_(
    "mismatched sample counts: the data section has %(size)s bytes, but %(records)s "
    "records of %(samples)s samples (samples per record: %(rates)s) need %(needed)s"
)
_NO_RECORDS = N_("holds zero data records; there is no EEG to analyse")
_NO_EEG = N_("no EEG channel found among the signals %(signals)s")
_RATE = N_(
    "corrupt header: %(samples)s samples per data record of %(record_s)s s make "
    "%(rate_hz)s Hz, outside %(low_hz)s to %(high_hz)s Hz"
)
#: What a file that is not EDF or BDF seems to be (the ``what`` of :data:`_NOT_EDF`, from
#: its first bytes: :func:`_what_it_is`), catalog messages too: a page says it in its
#: language with the rest of the reason.
_IS_VIDEO = N_("it is a video (%(words)s): analyse it with `spasmwatch video analyze`")
_IS_TEXT = N_("it is text")
_IS_TEXT_STARTING = N_("it is text, starting %(start)s")
_FIRST_BYTES = N_("its first bytes are %(bytes)s")
#: What each video container recognised by :func:`~spasmwatch.store.files.sniff_kind` is
#: called when it is given as an EEG (the ``words`` of :data:`_IS_VIDEO`).
_A_VIDEO = N_("a video")
_VIDEO_WORDS = {
    "video/mp4": N_("MP4 or MOV"),
    "video/quicktime": N_("MP4 or MOV"),
    "video/3gpp": "3GP",
    "video/webm": N_("WebM or MKV"),
    "video/x-msvideo": "AVI",
}
#: What to call other files often given by mistake
#: (:func:`~spasmwatch.store.files.other_file_kind`).
_OTHER_KINDS: dict[str, str] = {
    "pdf": N_("it is a PDF document"),
    "zip": N_("it is a ZIP archive (or an office document): unpack the recording first"),
    "png": N_("it is a PNG picture"),
    "jpeg": N_("it is a JPEG picture"),
    "gzip": N_("it is a gzip-compressed file: unpack it first"),
}
#: Every reason above, and what a file that is not EDF or BDF seems to be (the header
#: fields that :data:`_NOT_A_NUMBER` names are catalog messages too, where they are read).
UNREADABLE_REASONS: tuple[str, ...] = (
    _FOLDER, _MISSING, _SHORT_HEADER, _NOT_EDF, _NOT_A_NUMBER, _NO_SIGNALS, _HEADER_BYTES,
    _HEADER_CUT, _ONLY_ANNOTATIONS, _NO_SAMPLES, _RECORD_DURATION, _DATA_CUT, _MISMATCHED,
    _NO_RECORDS, _NO_EEG, _RATE,
    _IS_VIDEO, _IS_TEXT, _IS_TEXT_STARTING, _FIRST_BYTES, *_OTHER_KINDS.values(),
)  # fmt: skip


def _what_it_is(head: bytes) -> str:
    """What a file that is not EDF or BDF seems to be, from its first bytes, in words (never
    the raw bytes)."""
    found = sniff_kind(head)
    if found is not None and found[0] == "video":
        return _IS_VIDEO % {"words": _VIDEO_WORDS.get(found[1], _A_VIDEO)}
    other = other_file_kind(head)
    if other is not None:
        return _OTHER_KINDS[other]
    start = head[:16]
    if start and all(32 <= b < 127 or b in (9, 10, 13) for b in start):
        shown = start.decode("ascii").split("\n")[0].strip()[:16]
        return _IS_TEXT_STARTING % {"start": repr(shown)} if shown else _IS_TEXT
    return _FIRST_BYTES % {"bytes": " ".join(f"{b:02X}" for b in head[:8])}


_OLD_NAMES = {"T7": "T3", "T8": "T4", "P7": "T5", "P8": "T6"}
_ELECTRODE = re.compile(r"^(FP|AF|FC|FT|CP|TP|PO|F|C|T|P|O|I|A|M)(\d{1,2}|Z)$", re.IGNORECASE)
_REFERENCE_SUFFIX = re.compile(
    r"[-_ ]?(REF|LE|RE|AVG|AV|AVERAGE|CAR|A1|A2|M1|M2|A1A2|LINKED)$", re.IGNORECASE
)
_PREFIX = re.compile(r"^(EEG|EEG-)\s*", re.IGNORECASE)
_REFERENCE_ELECTRODES = {"A1", "A2", "M1", "M2"}
#: The largest physical value a channel may declare, in µV: larger ones would overflow the
#: float32 samples; no electrode measures a kilovolt.
MAX_PHYSICAL_UV = 1e9
#: The sampling rates a recording may have (an EEG is sampled at tens to thousands of Hz).
MIN_SFREQ, MAX_SFREQ = 1.0, 100_000.0
#: EEG channels sampled at a whole multiple of the main rate, up to this many times it
#: (some amplifiers record a few electrodes faster), are averaged down to it rather than
#: left out: each run of that many samples becomes one, which keeps every sample's time
#: and reads the same whatever span is asked for.
MAX_FACTOR = 16
#: The longest total of gaps an interrupted recording (EDF+D) may have for them to be
#: kept in place (the time between its data records, read as EEG-free seconds); beyond
#: it the records are read as if contiguous, as a warning says.
MAX_GAPS_S = 24 * 3600.0
_UNIT_TO_UV = {"uv": 1.0, "µv": 1.0, "μv": 1.0, "microvolt": 1.0, "mv": 1e3, "v": 1e6, "nv": 1e-3}


@dataclass(frozen=True)
class Annotation:
    """An EDF+ annotation: onset and duration in seconds from the file start, and its text."""

    onset: float
    duration: float
    text: str


def _electrode(token: str) -> str | None:
    """Return the 10-20 spelling of one electrode name, or None if it is not one."""
    m = _ELECTRODE.match(token.strip())
    if not m:
        return None
    prefix, number = m.group(1).upper(), m.group(2).lower()
    prefix = {"FP": "Fp"}.get(prefix, prefix)
    name = prefix + number
    return _OLD_NAMES.get(name, name)


def normalise_label(label: str) -> tuple[str, str]:
    """Normalise an EDF channel label to a 10-20 name.

    Parameters
    ----------
    label
        The label as stored in the file, e.g. ``"EEG Fp1-REF"``, ``"FP1"``, ``"T7"`` or
        ``"EEG Fpz-Cz"``.

    Returns
    -------
    name, kind
        ``name`` is ``"Fp1"`` for a referential channel, ``"Fpz-Cz"`` for a bipolar one,
        or the stripped label for anything else; ``kind`` is ``"referential"``,
        ``"bipolar"`` or ``"other"`` (ECG, respiration, EOG, ear references, ...).
    """
    text = _PREFIX.sub("", label.strip()).strip()
    text = _REFERENCE_SUFFIX.sub("", text).strip() or text
    single = _electrode(text)
    if single is not None:
        kind = "other" if single in _REFERENCE_ELECTRODES else "referential"
        return single, kind
    parts = re.split(r"\s*-\s*", text)
    if len(parts) == 2:
        a, b = _electrode(parts[0]), _electrode(parts[1])
        if a is not None and b is not None:
            return f"{a}-{b}", "bipolar"
    return text, "other"


@dataclass
class Recording:
    """An EEG recording on disk: checked header, normalised channels, lazy samples.

    Attributes
    ----------
    path : Path
        The file.
    format : str
        ``"EDF"``, ``"EDF+"`` or ``"BDF"``.
    channels : list of str
        Normalised names of the EEG channels used for analysis (all at ``sfreq``; a
        channel sampled at a whole multiple of it is averaged down to it).
    kinds : list of str
        ``"referential"`` or ``"bipolar"`` for each channel.
    original_labels : list of str
        The labels as stored in the file, for each channel.
    sfreq : float
        Sampling rate of the analysed channels, in Hz.
    n_samples : int
        Samples per channel.
    start : datetime or None
        Start of the recording from the header (None when the header date is unusable, or
        when an EDF+ file says its start date is not known: ``Startdate X``).
    annotations : list of Annotation
        EDF+ annotations (empty for plain EDF and BDF).
    physical_limits_uv : ndarray, shape (n_channels, 2)
        The physical values, in microvolts, of each channel's digital minimum and maximum;
        samples at these values are clipped by the amplifier or the file format.
    skipped : list of str
        Signals of the file not analysed, each with the reason.
    gaps : list of (float, float)
        The gaps of an interrupted recording (EDF+D) as ``(onset_s, duration_s)``: kept
        in place, the samples there read as 0 µV (flat, so the analysis leaves them out).
    """

    path: Path
    format: str
    channels: list[str]
    kinds: list[str]
    original_labels: list[str]
    sfreq: float
    n_samples: int
    start: dt.datetime | None
    annotations: list[Annotation]
    physical_limits_uv: np.ndarray
    skipped: list[str] = field(default_factory=list)
    gaps: list[tuple[float, float]] = field(default_factory=list)
    _records: np.ndarray | None = field(default=None, repr=False)
    _offsets: np.ndarray | None = field(default=None, repr=False)  # byte/sample offsets
    _spr: int = 0
    _gain: np.ndarray | None = field(default=None, repr=False)
    _offset_uv: np.ndarray | None = field(default=None, repr=False)
    _factor: np.ndarray | None = field(default=None, repr=False)  # samples averaged to one
    _index: np.ndarray | None = field(default=None, repr=False)  # file record, -1 in a gap

    @property
    def duration_s(self) -> float:
        """Duration in seconds."""
        return self.n_samples / self.sfreq

    def read(self, start_s: float = 0.0, stop_s: float | None = None) -> np.ndarray:
        """Return samples in microvolts, float32, shape (n_channels, n_samples).

        Parameters
        ----------
        start_s, stop_s
            The span to read, in seconds from the file start (default: all of it).
        """
        stop = self.n_samples if stop_s is None else min(self.n_samples, round(stop_s * self.sfreq))
        start = max(0, round(start_s * self.sfreq))
        if stop <= start:
            return np.zeros((len(self.channels), 0), dtype=np.float32)
        if self._records is None or self._offsets is None:
            raise RuntimeError("Recording was not opened with read_recording()")
        r0, r1 = start // self._spr, -(-stop // self._spr)
        held = None if self._index is None else self._index[r0:r1]
        block = self._records[r0:r1] if held is None else self._records[np.maximum(held, 0)]
        out = np.empty((len(self.channels), (r1 - r0) * self._spr), dtype=np.float32)
        factor = np.ones(len(self._offsets), int) if self._factor is None else self._factor
        for i, off in enumerate(self._offsets):
            n = self._spr * int(factor[i])  # this signal's samples per record
            if self.format == "BDF":
                raw = np.asarray(block[:, 3 * off : 3 * (off + n)]).reshape(-1, 3)
                digital = raw[:, 0].astype(np.int32) | (raw[:, 1].astype(np.int32) << 8)
                digital |= raw[:, 2].astype(np.int8).astype(np.int32) << 16
            else:
                digital = np.asarray(block[:, off : off + n]).reshape(-1)
            if factor[i] > 1:  # sampled faster: each run of `factor` samples averaged to one
                digital = digital.reshape(-1, int(factor[i])).mean(axis=1)
            np.multiply(digital, self._gain[i], out=out[i], casting="unsafe")
            out[i] += self._offset_uv[i]
        if held is not None and (held < 0).any():
            out.reshape(len(self.channels), r1 - r0, self._spr)[:, held < 0, :] = 0.0
        first = start - r0 * self._spr
        return out[:, first : first + (stop - start)]

    def iter_chunks(self, chunk_s: float = 600.0) -> Iterator[tuple[float, np.ndarray]]:
        """Yield ``(start_s, samples)`` chunks of about ``chunk_s`` seconds, in order."""
        step = max(1, int(chunk_s * self.sfreq) // self._spr) * self._spr
        for start in range(0, self.n_samples, step):
            yield start / self.sfreq, self.read(start / self.sfreq, (start + step) / self.sfreq)


def _unit_scale(unit: str) -> float:
    """Microvolts per unit of a physical dimension (an unknown unit counts as µV)."""
    return _UNIT_TO_UV.get(unit.replace(" ", "").lower(), 1.0)


def _field(path: Path, raw: bytes, name: str, kind: type) -> int | float | str:
    text = raw.decode("latin-1").strip()
    if kind is str:
        return text
    try:
        return kind(text)
    except ValueError:
        why = _NOT_A_NUMBER % {"field": name, "value": repr(text)}
        raise UnreadableFile(f"{path}: {why}") from None


#: Start dates an EEG file gives when its real date is not known (an anonymised file): 1
#: January 1985, the earliest date an EDF header can hold, which EDF+ files that say
#: "Startdate X" keep in the header; and 1 January 2000, which anonymisers write instead
#: (MNE-Python's ``anonymize`` among them). The reader leaves ``start`` out only for
#: "Startdate X"; :func:`known_start` for all of them.
PLACEHOLDER_START_DAYS: tuple[dt.date, ...] = (dt.date(1985, 1, 1), dt.date(2000, 1, 1))
#: A header of ones only (``01.01.01 01.01.01``), another filler some exporters write.
FILLER_START = dt.datetime(2001, 1, 1, 1, 1, 1)


def known_start(start: dt.datetime | str | None) -> dt.datetime | None:
    """``start`` (a recording's start from its header, or as an analysis stored it: ISO
    text), or None where it is missing, unreadable or a placeholder
    (:data:`PLACEHOLDER_START_DAYS`, :data:`FILLER_START`) rather than the time the
    recording began: times of day computed from it would be made up too."""
    if isinstance(start, str):
        try:
            start = dt.datetime.fromisoformat(start) if start else None
        except ValueError:
            return None
    if not isinstance(start, dt.datetime):
        return None
    if start.date() in PLACEHOLDER_START_DAYS or start == FILLER_START:
        return None
    return start


def _start_datetime(date: str, time: str, recording_field: str) -> dt.datetime | None:
    # EDF+ says "Startdate X" in the recording field when the start date is not known (an
    # anonymised file); the header's date and time (often 01.01.85 00.00.00) are then
    # placeholders, not the time the recording began
    if re.match(r"Startdate X\b", recording_field.strip()):
        return None
    try:
        day, month, year = (int(x) for x in date.split("."))
        hour, minute, second = (int(x) for x in time.split("."))
        year += 1900 if year >= 85 else 2000  # EDF spec: years 85-99 are 1985-1999
        m = re.search(r"Startdate (\d{2}-[A-Z]{3}-\d{4})", recording_field)
        if m:  # EDF+ keeps the 4-digit year in the recording field
            year = dt.datetime.strptime(m.group(1).title(), "%d-%b-%Y").year
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _read_annotations(path: Path, fmt: str) -> list[Annotation]:
    import edfio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rec = edfio.read_bdf(path) if fmt == "BDF" else edfio.read_edf(path)
            return [
                Annotation(float(a.onset), float(a.duration or 0.0), a.text)
                for a in rec.annotations
            ]
    except Exception as exc:  # annotations are optional: keep the signals readable
        log.warning("%s: annotations could not be read (%s)", path, exc)
        return []


#: How :func:`read_recording` says a signal is not an electrode (ECG, respiration ...).
NOT_EEG = "(not an EEG electrode)"


#: Why an EEG signal of a readable file is left out, said in brackets after its label
#: (``Recording.skipped``: ``"Pz (sampled at 384 Hz)"``): catalog messages with
#: placeholders, said in another language by :func:`left_out_words`.
_RANGE_NOT_FINITE = N_("physical or digital range not a finite number")
_RANGE_INVALID = N_("invalid digital or physical range")
_RANGE_BEYOND = N_("physical range beyond ±%(volts)s V")
_OTHER_RATE = N_("sampled at %(hz)s Hz")
_OTHER_KIND = N_("%(kind)s among %(main)s channels")
_DUPLICATE = N_("duplicate of %(name)s")
LEFT_OUT_REASONS: tuple[str, ...] = (
    _RANGE_NOT_FINITE, _RANGE_INVALID, _RANGE_BEYOND, _OTHER_RATE, _OTHER_KIND, _DUPLICATE
)  # fmt: skip
#: The kinds of EEG channel that :data:`_OTHER_KIND` names.
_KINDS = (N_("referential"), N_("bipolar"))


def left_out_words(
    skipped: list[str], gettext: Callable[[str], str] = english, locale: str = DEFAULT_LOCALE
) -> list[str]:
    """The EEG signals among ``skipped`` (:func:`eeg_left_out`), each with why in the
    language of ``gettext`` (its numbers with ``locale``'s decimal sign): ``"Pz (sampled at
    384 Hz)"``, ``"Pz (muestreada a 384 Hz)"``. A reason of no known kind stays as it is."""
    said = []
    for signal in eeg_left_out(skipped):
        label, bracket, why = signal.rpartition(" (")
        known = bracket and why.endswith(")")
        reason = say_message(why[:-1], LEFT_OUT_REASONS, gettext, locale) if known else ""
        said.append(f"{label} ({reason})" if reason else signal)
    return said


def eeg_left_out(skipped: list[str]) -> list[str]:
    """The EEG signals among ``skipped`` (``Recording.skipped``, or ``skipped_signals``
    of a result), each with why it was left out: a rate that is not a whole multiple, a
    duplicate, a broken range. The other signals (ECG, respiration) are expected there."""
    return [s for s in skipped if not s.endswith(NOT_EEG)]


def _record_index(
    records: np.ndarray, cols: slice, record_s: float
) -> tuple[np.ndarray | None, float, str]:
    """Where each data record of an EDF+D file lies, from the time-keeping annotation
    that opens each record ("+onset" followed by 0x14 0x14): ``(index, first_s, why)``,
    ``index`` giving for each record-long step from the first record's onset
    (``first_s``) the record stored there, -1 in a gap; ``None`` (with why) when the
    onsets cannot be read, do not increase, fall between whole record durations or leave
    more than ``MAX_GAPS_S`` of gaps."""
    raw = np.ascontiguousarray(records[:, cols])
    onsets = np.empty(len(raw))
    for r, row in enumerate(raw):
        text = row.tobytes()
        end = text.find(b"\x14")
        try:
            onsets[r] = float(text[:end].decode("latin-1")) if end > 0 else np.nan
        except ValueError:
            onsets[r] = np.nan
    if not np.isfinite(onsets).all():
        return None, 0.0, "a data record has no readable onset"
    steps = (onsets - onsets[0]) / record_s
    slot = np.round(steps).astype(np.int64)
    if np.abs(steps - slot).max() > 0.01:
        return None, 0.0, "its data records do not start at whole record durations apart"
    if len(slot) > 1 and np.diff(slot).min() < 1:
        return None, 0.0, "its data records' onsets do not increase"
    if (slot[-1] + 1 - len(slot)) * record_s > MAX_GAPS_S:
        return None, 0.0, f"its gaps add up to more than {MAX_GAPS_S / 3600:g} h"
    index = np.full(int(slot[-1]) + 1, -1, dtype=np.int64)
    index[slot] = np.arange(len(slot))
    return index, float(onsets[0]), ""


def _shifted(start: dt.datetime | None, seconds: float) -> dt.datetime | None:
    return start if start is None or not seconds else start + dt.timedelta(seconds=seconds)


def read_recording(path: str | Path, *, annotations: bool = True) -> Recording:
    """Open an EDF, EDF+ or BDF file, check its header and map its samples.

    Parameters
    ----------
    path
        The file. The format is detected from its content, whatever its extension.
    annotations
        Read the EDF+ annotations (False: leave them, e.g. to show one page of a long
        file, since they are spread over every data record).

    Returns
    -------
    Recording
        Normalised EEG channels at the most common EEG sampling rate (EEG channels at
        a whole multiple of it, up to ``MAX_FACTOR`` times, averaged down to it); other
        signals (ECG, respiration, other rates) are listed in ``Recording.skipped``.

    Raises
    ------
    UnreadableFile
        Missing file, not EDF/BDF, corrupt or truncated header, truncated data,
        mismatched sample counts, zero signals or no EEG channel.
    """
    path = Path(path)
    if path.is_dir():
        raise UnreadableFile(f"{path}: {_FOLDER}")
    if not path.is_file():
        raise UnreadableFile(f"{path}: {_MISSING}")
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(256)
    if len(head) < 256:
        raise UnreadableFile(f"{path}: {_SHORT_HEADER % {'size': len(head)}}")
    if head[:8] == EDF_MAGIC:
        fmt, bps = "EDF", 2
    elif head[:8] == BDF_MAGIC:
        fmt, bps = "BDF", 3
    else:
        raise UnreadableFile(f"{path}: {_NOT_EDF % {'what': _what_it_is(head)}}")
    if path.suffix.lower() not in {".edf", ".bdf", ".rec"}:
        log.info("%s: read as %s from its content despite its extension", path, fmt)
    recording_field = str(_field(path, head[88:168], "recording", str))
    date = str(_field(path, head[168:176], "start date", str))
    time = str(_field(path, head[176:184], "start time", str))
    header_bytes = int(_field(path, head[184:192], N_("header bytes"), int))
    reserved = str(_field(path, head[192:236], "reserved", str))
    n_records = int(_field(path, head[236:244], N_("number of data records"), int))
    record_s = float(_field(path, head[244:252], N_("data record duration"), float))
    ns = int(_field(path, head[252:256], N_("number of signals"), int))
    if ns <= 0:
        raise UnreadableFile(f"{path}: {_NO_SIGNALS % {'signals': ns}}")
    if header_bytes != 256 * (ns + 1):
        why = _HEADER_BYTES % {"declared": header_bytes, "signals": ns, "needed": 256 * (ns + 1)}
        raise UnreadableFile(f"{path}: {why}")
    if size < header_bytes:
        raise UnreadableFile(f"{path}: {_HEADER_CUT % {'needed': header_bytes, 'size': size}}")
    with path.open("rb") as f:
        f.seek(256)
        sig = f.read(256 * ns)
    widths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32]
    cols, pos = [], 0
    for w in widths:
        cols.append([sig[pos + i * w : pos + (i + 1) * w] for i in range(ns)])
        pos += w * ns
    labels = [str(_field(path, b, "label", str)) for b in cols[0]]
    units = [str(_field(path, b, "physical dimension", str)) for b in cols[2]]
    pmin = np.array([_field(path, b, N_("physical minimum"), float) for b in cols[3]], float)
    pmax = np.array([_field(path, b, N_("physical maximum"), float) for b in cols[4]], float)
    dmin = np.array([_field(path, b, N_("digital minimum"), int) for b in cols[5]], float)
    dmax = np.array([_field(path, b, N_("digital maximum"), int) for b in cols[6]], float)
    spr = [int(_field(path, b, N_("samples per data record"), int)) for b in cols[8]]
    annot_label = f"{fmt[:3]} Annotations"
    if all(lab == annot_label for lab in labels):
        raise NoEEGChannel(f"{path}: {_ONLY_ANNOTATIONS}")
    if any(n <= 0 for n in spr):
        bad = labels[[n <= 0 for n in spr].index(True)]
        raise UnreadableFile(f"{path}: {_NO_SAMPLES % {'signal': repr(bad)}}")
    if not np.isfinite(record_s) or record_s <= 0:
        raise UnreadableFile(f"{path}: {_RECORD_DURATION % {'duration': record_s}}")
    record_bytes = bps * sum(spr)
    data_bytes = size - header_bytes
    if n_records < 0:  # -1: unknown (recording still running when written)
        n_records = data_bytes // record_bytes
    if data_bytes < n_records * record_bytes:
        why = _DATA_CUT % {
            "records": n_records,
            "needed": n_records * record_bytes,
            "size": data_bytes,
            "complete": data_bytes // record_bytes,
        }
        raise UnreadableFile(f"{path}: {why}")
    if data_bytes > n_records * record_bytes:
        why = _MISMATCHED % {
            "size": data_bytes,
            "records": n_records,
            "samples": sum(spr),
            "rates": ", ".join(map(str, sorted(set(spr)))),
            "needed": n_records * record_bytes,
        }
        raise UnreadableFile(f"{path}: {why}")
    if n_records == 0:
        raise UnreadableFile(f"{path}: {_NO_RECORDS}")

    skipped: list[str] = []
    eeg: list[tuple[int, str, str]] = []
    for i, lab in enumerate(labels):
        if lab == annot_label:
            continue
        name, kind = normalise_label(lab)
        if kind == "other":
            skipped.append(f"{lab} {NOT_EEG}")
        elif not (np.isfinite(pmin[i]) and np.isfinite(pmax[i])) or not (
            np.isfinite(dmin[i]) and np.isfinite(dmax[i])
        ):
            skipped.append(f"{lab} ({_RANGE_NOT_FINITE})")
        elif dmax[i] <= dmin[i] or pmax[i] == pmin[i]:
            skipped.append(f"{lab} ({_RANGE_INVALID})")
        elif max(abs(pmin[i]), abs(pmax[i])) * _unit_scale(units[i]) > MAX_PHYSICAL_UV:
            skipped.append(f"{lab} ({_RANGE_BEYOND % {'volts': f'{MAX_PHYSICAL_UV / 1e6:g}'}})")
        else:
            eeg.append((i, name, kind))
    if not eeg:
        shown = ", ".join(lab for lab in labels if lab != annot_label)
        raise NoEEGChannel(f"{path}: {_NO_EEG % {'signals': shown}}")
    rates = Counter(spr[i] for i, _, _ in eeg)
    best = max(rates, key=lambda n: (rates[n], n))

    def usable_rate(i: int) -> bool:
        # the main rate, or a whole multiple of it (up to MAX_FACTOR): averaged to it
        return spr[i] % best == 0 and spr[i] // best <= MAX_FACTOR

    if not MIN_SFREQ <= best / record_s <= MAX_SFREQ:
        why = _RATE % {
            "samples": best,
            "record_s": f"{record_s:g}",
            "rate_hz": f"{best / record_s:g}",
            "low_hz": f"{MIN_SFREQ:g}",
            "high_hz": f"{MAX_SFREQ:g}",
        }
        raise UnreadableFile(f"{path}: {why}")
    kinds = Counter(k for i, _, k in eeg if usable_rate(i))
    # a file mixing referential and bipolar EEG is analysed in its majority kind
    main_kind = max(kinds, key=lambda k: (kinds[k], k == "referential"))
    chosen, seen = [], set()
    for i, name, kind in eeg:
        if not usable_rate(i):
            why = _OTHER_RATE % {"hz": f"{spr[i] / record_s:g}"}
            skipped.append(f"{labels[i]} ({why})")
        elif kind != main_kind:
            why = _OTHER_KIND % {"kind": kind, "main": main_kind}
            skipped.append(f"{labels[i]} ({why})")
        elif name in seen:
            skipped.append(f"{labels[i]} ({_DUPLICATE % {'name': name}})")
        else:
            chosen.append(i)
            seen.add(name)
    idx = np.array(chosen)
    scale = np.empty(len(idx))
    for j, i in enumerate(idx):
        unit = units[i].replace(" ", "").lower()
        if unit not in _UNIT_TO_UV:
            log.warning(
                "%s: unit %r of %s is unknown; assuming microvolts", path, units[i], labels[i]
            )
        scale[j] = _UNIT_TO_UV.get(unit, 1.0)
    gain = (pmax[idx] - pmin[idx]) / (dmax[idx] - dmin[idx]) * scale
    offset = (pmin[idx] * scale) - dmin[idx] * gain
    limits = np.stack([dmin[idx] * gain + offset, dmax[idx] * gain + offset], axis=1)
    offsets = np.concatenate([[0], np.cumsum(spr)[:-1]])[idx]
    if fmt == "BDF":
        records = np.memmap(path, np.uint8, "r", header_bytes, (n_records, record_bytes))
    else:
        records = np.memmap(path, "<i2", "r", header_bytes, (n_records, sum(spr)))
    fmt_name = "EDF+" if reserved.startswith("EDF+") and annot_label in labels else fmt
    index, first_s = None, 0.0
    if reserved[:5] in ("EDF+D", "BDF+D") and annot_label in labels:
        a = labels.index(annot_label)
        start_of = int(np.sum(spr[:a]))
        cols_a = (
            slice(start_of * bps, (start_of + spr[a]) * bps)
            if fmt == "BDF"
            else slice(start_of, start_of + spr[a])
        )
        index, first_s, why = _record_index(records, cols_a, record_s)
        if index is None:
            log.warning(
                "%s: %s (interrupted) recording: %s; its data records are analysed as "
                "if they were contiguous, and times after a gap are shifted",
                path, reserved[:5], why,
            )  # fmt: skip
    found = _read_annotations(path, fmt) if annotations and annot_label in labels else []
    gaps: list[tuple[float, float]] = []
    if index is not None:
        for g0, g1 in _runs(index < 0):
            gaps.append((float(g0 * record_s), float((g1 - g0) * record_s)))
        if first_s:
            found = [replace(x, onset=x.onset - first_s) for x in found]
        if gaps:
            log.warning(
                "%s: %s (interrupted) recording: %s (%g s in all) kept in place, read "
                "as EEG-free seconds",
                path, reserved[:5], "1 gap" if len(gaps) == 1 else f"{len(gaps)} gaps",
                sum(d for _, d in gaps),
            )  # fmt: skip
        else:
            index = None  # no gap after all: the records are read in a row, without a copy
    for s in skipped:
        log.info("%s: skipped signal %s", path, s)
    factor = np.array([spr[i] // best for i in idx], int)
    for i, k in zip(idx, factor, strict=True):
        if k > 1:
            log.info(
                "%s: %s sampled at %g Hz, averaged to %g Hz",
                path, labels[i], spr[i] / record_s, best / record_s,
            )  # fmt: skip
    return Recording(
        path=path,
        format="BDF" if fmt == "BDF" else fmt_name,
        channels=[normalise_label(labels[i])[0] for i in idx],
        kinds=[main_kind] * len(idx),
        original_labels=[labels[i] for i in idx],
        sfreq=best / record_s,
        n_samples=(n_records if index is None else len(index)) * best,
        start=_shifted(_start_datetime(date, time, recording_field), first_s),
        annotations=found,
        physical_limits_uv=limits.astype(np.float32),
        skipped=skipped,
        gaps=gaps,
        _records=records,
        _offsets=offsets,
        _spr=best,
        _gain=gain.astype(np.float32),
        _offset_uv=offset.astype(np.float32),
        _factor=factor,
        _index=index,
    )
