"""Fixtures for the EEG tests: writers of small synthetic EDF/BDF files."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import edfio
import numpy as np
import pytest

REFERENTIAL_19 = [
    "Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2",
    "F7", "F8", "T3", "T4", "T5", "T6", "Fz", "Cz", "Pz",
]  # fmt: skip


def write_edf(
    path: Path,
    data: np.ndarray,
    sfreq: float = 256.0,
    labels: list[str] | None = None,
    unit: str = "uV",
    physical_range: tuple[float, float] = (-2000.0, 2000.0),
    bdf: bool = False,
    annotations: list[tuple[float, float, str]] | None = None,
) -> Path:
    """Write ``data`` (channels x samples, in ``unit``) as EDF/EDF+ (or BDF) with edfio."""
    labels = labels or [f"EEG {c}-REF" for c in REFERENTIAL_19[: len(data)]]
    cls_sig, cls_file = (edfio.BdfSignal, edfio.Bdf) if bdf else (edfio.EdfSignal, edfio.Edf)
    kw = {} if bdf else {"annotations": [edfio.EdfAnnotation(*a) for a in annotations or []]}
    signals = [
        cls_sig(
            np.asarray(x, float),
            sampling_frequency=sfreq,
            label=lab,
            physical_dimension=unit,
            physical_range=physical_range,
        )
        for x, lab in zip(data, labels, strict=True)
    ]
    cls_file(signals, **kw).write(path)
    return path


def band_noise(
    rng: np.random.Generator, n: int, lo: float, hi: float, rms: float, fs: float = 256.0
) -> np.ndarray:
    """Gaussian noise band-limited to ``lo``-``hi`` Hz (4th-order Butterworth, zero phase)
    with the given RMS: muscle above 25 Hz, or EEG-band activity."""
    from scipy import signal

    sos = signal.butter(4, (lo, hi), "bandpass", fs=fs, output="sos")
    x = signal.sosfiltfilt(sos, rng.normal(0, 1, n))
    return rms * x / x.std()


@pytest.fixture
def edf_writer(tmp_path: Path) -> Callable[..., Path]:
    """``edf_writer(name, data, **kw)`` writes a file in a temporary folder."""

    def make(name: str, data: np.ndarray, **kw) -> Path:
        return write_edf(tmp_path / name, data, **kw)

    return make


@pytest.fixture
def small_edf(tmp_path: Path) -> Path:
    """A valid 19-channel, 20 s, 256 Hz EDF of noise (30 µV SD)."""
    rng = np.random.default_rng(0)
    return write_edf(tmp_path / "small.edf", rng.normal(0, 30, (19, 20 * 256)))


@pytest.fixture(scope="session")
def helsinki_dir(shared_eeg_dir: Path) -> Path:
    """The Helsinki clips folder."""
    return shared_eeg_dir / "helsinki"


@pytest.fixture(scope="session")
def helsinki_summary(helsinki_dir: Path) -> dict[int, dict[str, str]]:
    """Rows of clips_summary.csv by infant number."""
    with (helsinki_dir / "clips_summary.csv").open() as f:
        return {int(r["infant"]): r for r in csv.DictReader(f)}


@pytest.fixture(scope="session")
def helsinki_labels(helsinki_dir: Path) -> dict[int, np.ndarray]:
    """Per-second consensus labels by infant number."""
    out: dict[int, list[int]] = {}
    with (helsinki_dir / "labels.csv").open() as f:
        for r in csv.DictReader(f):
            out.setdefault(int(r["infant"]), []).append(int(r["consensus"]))
    return {k: np.array(v) for k, v in out.items()}
