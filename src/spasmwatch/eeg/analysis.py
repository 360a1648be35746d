"""The whole EEG analysis of one file: :func:`analyze_eeg` -> :class:`EEGAnalysis`.

The recording is processed in chunks (10 min by default) with a few seconds of overlap,
so memory stays bounded for 24 h files; per-second features and per channel-second
seizure probabilities are kept, samples are not. The seizure detector is the network of
Stevenson, Tapani & Vanhatalo (:mod:`spasmwatch.eeg.cnn`) by default, or the logistic
model (``sz_detector="logistic"``); see :mod:`spasmwatch.eeg.detect`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from spasmwatch.eeg import cnn
from spasmwatch.eeg._blas import single_blas_thread
from spasmwatch.eeg.detect import (
    LogisticModel,
    assess_background,
    channel_probability,
    check_detector,
    detect_seizures,
    enclosing_threshold,
    find_decrements,
    load_model,
    second_probability,
    threshold_for,
)
from spasmwatch.eeg.features import EpochFeatures, analysis_montage, compute_epoch_features
from spasmwatch.eeg.reader import read_recording
from spasmwatch.eeg.result import RATE_BELOW_BAND, SHORTER_THAN_WINDOW, EEGAnalysis
from spasmwatch.errors import AnalysisError
from spasmwatch.i18n import N_

__all__ = ["CANNOT_ANALYSE_REASONS", "EEGAnalysis", "analyze_eeg"]

log = logging.getLogger("spasmwatch")

MIN_DURATION_S = 4
#: Why a readable recording cannot be analysed, said after its path ("<path>: <why>"):
#: catalog messages with ``%(name)s`` placeholders, as the reader's ``UNREADABLE_REASONS``
#: (``web/problems.py`` says a stored message in the page's language).
_TOO_SHORT = N_(
    "recording of %(duration_s)s s is too short to analyse (at least %(min_s)s s are needed)"
)
_RATE = N_(
    "EEG sampled at %(hz)s Hz; the analysis needs a whole number of samples per second and "
    "at least 60 Hz"
)
CANNOT_ANALYSE_REASONS: tuple[str, ...] = (_TOO_SHORT, _RATE)
_MARGIN_S = 24  # > the 8-s seizure window (4 s) plus the warm-up of its 0.5 Hz filter, the
# spike-background window (5 s) and the smoothing (2 s). The network's windows of a
# chunk's seconds reach 8 s before its first second and 9 s past its last, which leaves
# 16 s of warm-up for its band-pass (impulse response below 1e-4 of its peak after about
# 5 s) and 15 s clear of the resampler's edge: a chunked run equals a whole one
# (the same events and features; probabilities within float32 rounding, 1e-6; tested)


def analyze_eeg(
    path: str | Path,
    *,
    model: LogisticModel | None = None,
    epoch_length_s: int = 10,
    sensitivity: str = "normal",
    sz_detector: str = "stevenson_cnn",
    chunk_s: float = 600.0,
    progress: Callable[[float, float], None] | None = None,
) -> EEGAnalysis:
    """Analyse an EDF, EDF+ or BDF recording.

    Parameters
    ----------
    path
        The recording (format detected from its content).
    model
        Logistic seizure model, for ``sz_detector="logistic"`` (default: the shipped
        ``sz_model.json``).
    epoch_length_s
        Epoch length of the reported seizure probabilities, in whole seconds (>= 1).
    sensitivity
        Seizure detector sensitivity: ``low`` (fewer false alarms), ``normal`` or
        ``high`` (fewer misses); each is a threshold on the detector's probability
        (:func:`~spasmwatch.eeg.detect.threshold_for`). ``high`` also has the decrement
        detector read the 2-12 Hz band, where a noise floor hardly weighs
        (:func:`~spasmwatch.eeg.decrements.find_decrements`).
    sz_detector
        ``"stevenson_cnn"`` (default; ``"cnn"`` for short): the trained network of
        Stevenson, Tapani & Vanhatalo; ``"logistic"``: the channel-wise logistic model.
    chunk_s
        Seconds processed at a time; bounds memory use.
    progress
        Called with (seconds done, seconds in total) after each chunk.

    Returns
    -------
    EEGAnalysis

    Raises
    ------
    UnreadableFile
        The file cannot be read (see :func:`~spasmwatch.eeg.reader.read_recording`).
    AnalysisError
        The recording is too short or its sampling rate too low to analyse.
    """
    if not isinstance(epoch_length_s, int) or epoch_length_s < 1:
        raise ValueError(
            "Invalid value for 'epoch_length_s': expected a whole number >= 1; "
            f"got {epoch_length_s!r}"
        )
    if chunk_s < 60:
        raise ValueError(f"Invalid value for 'chunk_s': expected >= 60 s; got {chunk_s}")
    detector = check_detector(sz_detector)  # both checked before any reading
    use_cnn = detector == "stevenson_cnn"
    model = None if use_cnn else model or load_model()
    threshold = threshold_for(sensitivity, detector, model)
    t_start = time.perf_counter()
    read_s = 0.0
    rec = read_recording(path)
    n_sec = int(rec.duration_s)
    if n_sec < MIN_DURATION_S:
        why = _TOO_SHORT % {"duration_s": f"{rec.duration_s:.1f}", "min_s": MIN_DURATION_S}
        raise AnalysisError(f"{rec.path}: {why}")
    if rec.sfreq < 60 or abs(rec.sfreq - round(rec.sfreq)) > 1e-6:
        raise AnalysisError(f"{rec.path}: {_RATE % {'hz': f'{rec.sfreq:g}'}}")
    sz_note = None
    if use_cnn and n_sec < cnn.WINDOW_S:
        sz_note = SHORTER_THAN_WINDOW % {"window_s": f"{cnn.WINDOW_S:g}"}
    elif use_cnn and rec.sfreq <= 2 * cnn.FS_HZ:
        sz_note = RATE_BELOW_BAND % {"hz": f"{rec.sfreq:g}", "needed_hz": 2 * cnn.FS_HZ}
    if sz_note:
        log.warning("%s: no seizure probability: %s", rec.path, sz_note)
    run_cnn = use_cnn and sz_note is None
    step = int(chunk_s)
    spans = [(a, min(n_sec, a + step)) for a in range(0, n_sec, step)]

    def one_chunk(span: tuple[int, int]) -> tuple[EpochFeatures, np.ndarray | None, float]:
        a, b = span
        r0, r1 = max(0, a - _MARGIN_S), min(n_sec, b + _MARGIN_S)
        t0 = time.perf_counter()
        data = rec.read(r0, r1)
        took = time.perf_counter() - t0
        ef = compute_epoch_features(
            data,
            rec.sfreq,
            rec.channels,
            rec.kinds,
            rec.physical_limits_uv,
            seizure_window=not use_cnn,  # the logistic model's inputs only
        )
        pch = None
        if run_cnn:
            work, _ = analysis_montage(data, rec.channels, rec.kinds)
            pch = cnn.second_probabilities(work, rec.sfreq, seconds=(a - r0, b - r0), offset_s=r0)
        return ef.select(a - r0, a - r0 + (b - a), offset_s=a), pch, took

    parts = []
    cnn_parts: list[np.ndarray] = []
    # numpy and scipy release the GIL in the heavy loops, so threads use the cores; at
    # most `workers` chunks are in memory at once
    workers = max(1, min(2, os.cpu_count() or 1, len(spans)))
    # one BLAS thread per worker: NumPy's OpenBLAS would otherwise split every matrix
    # product of the network over the cores the workers already use (see _blas)
    with single_blas_thread(workers > 1), ThreadPoolExecutor(max_workers=workers) as pool:
        pending = []
        for span in spans:
            pending.append(pool.submit(one_chunk, span))
            if len(pending) > workers:
                ef, pch, took = pending.pop(0).result()
                parts.append(ef)
                if pch is not None:
                    cnn_parts.append(pch)
                read_s += took
                if progress is not None:
                    progress(float(sum(p.n_epochs for p in parts)), float(n_sec))
        for fut in pending:
            ef, pch, took = fut.result()
            parts.append(ef)
            if pch is not None:
                cnn_parts.append(pch)
            read_s += took
            if progress is not None:
                progress(float(sum(p.n_epochs for p in parts)), float(n_sec))
    features = EpochFeatures.concat(parts)
    if use_cnn:
        n_ch = len(features.channels)
        if run_cnn:
            pch = np.concatenate(cnn_parts, axis=1)
            pch[features.bad] = 0.0  # artefact channel-seconds, as the logistic detector
        else:
            pch = np.zeros((n_ch, features.n_epochs), np.float32)
        smooth = 1  # each second's value already averages two overlapping 16-s windows
    else:
        pch = channel_probability(features, model)
        smooth = model.smooth_epochs
    if pch.shape[0]:
        prob = second_probability(pch, smooth)
    else:
        prob = np.zeros(features.n_epochs, np.float32)
    found = find_decrements(features, sensitivity)
    decrements, set_aside = found.events, found.set_aside
    within = enclosing_threshold(sensitivity, detector, model)
    events = detect_seizures(features, prob, model, threshold, channel_prob=pch, within=within)
    events += decrements
    events.sort(key=lambda e: (e.onset, e.eventType))
    # how much of the recording the seizure detector marks: both detectors learnt newborns'
    # seizures, and the reasons say when they mark a hypsarrhythmic background
    in_sz = sum(e.duration for e in events if e.eventType == "sz")
    sz_share = min(1.0, in_sz / n_sec) if n_sec else 0.0
    background = assess_background(
        features,
        sz_share,
        [e.onset for e in set_aside],
        sensitivity=sensitivity,
        attenuated=found.attenuated_share,
        quiet=(found.quiet_share, found.suppressed_share),
    )
    total = time.perf_counter() - t_start
    log.info("%s: %d s analysed in %.1f s", rec.path, n_sec, total)
    return EEGAnalysis(
        path=rec.path,
        format=rec.format,
        channels=list(rec.channels),
        sfreq=rec.sfreq,
        duration_s=rec.duration_s,
        start=rec.start,
        features=features,
        seizure_probability=prob,
        events=events,
        background=background,
        epoch_length_s=epoch_length_s,
        timings={"read_s": read_s, "analysis_s": total - read_s},
        annotations=list(rec.annotations),
        skipped=list(rec.skipped),
        gaps=list(rec.gaps),
        sensitivity=sensitivity,
        sz_threshold=threshold,
        sz_detector=detector,
        sz_note=sz_note,
    )
