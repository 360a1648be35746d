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

Parts of the reading are modules of their own, named here too: the recording and its
annotations (:mod:`~spasmwatch.eeg.recording`), the channel labels
(:mod:`~spasmwatch.eeg.channel_labels`), the start time (:mod:`~spasmwatch.eeg.recording_start`),
why a file cannot be read (:mod:`~spasmwatch.eeg.unreadable`) and why a signal is left
out (:mod:`~spasmwatch.eeg.left_out`).
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from spasmwatch.eeg.channel_labels import normalise_label
from spasmwatch.eeg.events import _runs
from spasmwatch.eeg.left_out import (
    _DUPLICATE,
    _OTHER_KIND,
    _OTHER_RATE,
    _RANGE_BEYOND,
    _RANGE_INVALID,
    _RANGE_NOT_FINITE,
    NOT_EEG,
    eeg_left_out,
    left_out_words,
)
from spasmwatch.eeg.left_out import (
    LEFT_OUT_REASONS as LEFT_OUT_REASONS,
)
from spasmwatch.eeg.recording import Annotation, Recording
from spasmwatch.eeg.recording_start import (
    FILLER_START,
    PLACEHOLDER_START_DAYS,
    _shifted,
    _start_datetime,
    known_start,
)
from spasmwatch.eeg.unreadable import (
    _DATA_CUT,
    _FOLDER,
    _HEADER_BYTES,
    _HEADER_CUT,
    _MISMATCHED,
    _MISSING,
    _NO_EEG,
    _NO_RECORDS,
    _NO_SAMPLES,
    _NO_SIGNALS,
    _NOT_A_NUMBER,
    _NOT_EDF,
    _ONLY_ANNOTATIONS,
    _RATE,
    _RECORD_DURATION,
    _SHORT_HEADER,
    UNREADABLE_REASONS,
    _what_it_is,
)
from spasmwatch.errors import NoEEGChannel, UnreadableFile
from spasmwatch.i18n import N_
from spasmwatch.store.files import BDF_MAGIC, EDF_MAGIC

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
