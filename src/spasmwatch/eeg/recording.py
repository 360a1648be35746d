"""An opened EEG recording (:class:`Recording`) and its EDF+ annotations
(:class:`Annotation`).

:func:`~spasmwatch.eeg.reader.read_recording` checks a file's header and builds the
recording; the recording then reads the samples of any span from the memory-mapped data
records. The type and its reading of samples are apart from the header's checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Annotation:
    """An EDF+ annotation: onset and duration in seconds from the file start, and its text."""

    onset: float
    duration: float
    text: str


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
