"""The third evaluation set's generator (``spasmwatch.testing.eeg_third``): files readable
with the right channels and length, truth consistent, deterministic, EDEs that attenuate,
hypsarrhythmia in its stated amplitude range, and surrogate backgrounds that keep the clip's
spectra and coherence without joins."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.signal import butter, sosfiltfilt

from spasmwatch.eeg.reader import read_recording
from spasmwatch.testing import eeg_third as third

pytestmark = pytest.mark.skipif(
    not (third.HELSINKI / "clips" / "eeg3.edf").exists(), reason="Helsinki clips not present"
)

BACKGROUND = "eeg3"
FS = third.FS


def _live(case: third.Case, channels: list[str]) -> np.ndarray:
    return np.array([ch != case.reference for ch in channels])


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[0] + b[1] and b[0] < a[0] + a[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[third.Case]]:
    out = tmp_path_factory.mktemp("third")
    return out, third.build(out, names=[BACKGROUND], duration_s=90)


def test_files_readable_with_channels_and_length(built: tuple[Path, list[third.Case]]) -> None:
    out, cases = built
    channels, _clip = third.load_clip(BACKGROUND)
    assert len(cases) == 5
    assert {c.kind for c in cases} >= {"spasms", "hyps", "modified"}
    for case in cases:
        rec = read_recording(case.path, annotations=False)
        assert rec.format == "EDF+"
        assert rec.sfreq == FS
        assert rec.channels == list(channels)
        assert rec.n_samples == 90 * FS
        assert case.duration_s == 90
    assert (out / "manifest.json").exists()


def test_manifest_reused(built: tuple[Path, list[third.Case]]) -> None:
    out, cases = built
    mtimes = [Path(c.path).stat().st_mtime_ns for c in cases]
    again = third.build(out, names=[BACKGROUND], duration_s=90)
    assert [c.name for c in again] == [c.name for c in cases]
    assert again[0].decrements == cases[0].decrements
    assert [Path(c.path).stat().st_mtime_ns for c in again] == mtimes


def test_truth_inside_and_apart(built: tuple[Path, list[third.Case]]) -> None:
    _out, cases = built
    for case in cases:
        assert case.hyps == (case.kind in third.HYPS_KINDS)
        if case.kind == "spasms":
            assert len(case.decrements) >= 1
        if case.kind in third.NO_DECREMENTS:
            assert case.decrements == []
        assert 1 <= len(case.artefacts) <= 6
        spans = [*case.decrements, *case.attenuations]
        for onset, duration in spans:
            assert onset > 0 and onset + duration < case.duration_s
            assert 1.0 <= duration <= 10.0
        for i, a in enumerate(spans):
            for b in spans[i + 1 :]:
                assert not _overlap(a, b)
        for onset, duration, kind in case.artefacts:
            assert onset > 0 and onset + duration <= case.duration_s
            if kind != "emg":
                assert not any(_overlap((onset, duration), s) for s in spans)
        others = [a[:2] for a in case.artefacts if a[2] != "emg"]
        for i, a in enumerate(others):
            for b in others[i + 1 :]:
                assert not _overlap(a, b)
        for detail, (onset, duration) in zip(case.decrement_details, case.decrements, strict=True):
            assert detail["onset_s"] == onset and detail["duration_s"] == duration
            assert onset - detail["hvs_s"] > 0


def test_same_seed_same_samples() -> None:
    a = third.synthesise(BACKGROUND, "hyps", "classic", 11, 40, True)
    b = third.synthesise(BACKGROUND, "hyps", "classic", 11, 40, True)
    c = third.synthesise(BACKGROUND, "hyps", "classic", 12, 40, True)
    assert np.array_equal(a[1], b[1])
    assert a[0].decrements == b[0].decrements and a[0].artefacts == b[0].artefacts
    assert not np.array_equal(a[1], c[1])


def test_reference_carries_nothing_added() -> None:
    channels, clip = third.load_clip(BACKGROUND)
    case, x, _ = third.synthesise(BACKGROUND, "hyps", "classic", 5, 60, True)
    ref = channels.index(case.reference)
    assert case.reference in ("Cz", "Fz")
    assert x[ref].std() < 2 * clip[ref].std() + 0.5
    assert np.median(third.peak_to_peak_uv(x[_live(case, list(channels))])) > 100


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_decrements_attenuate(seed: int) -> None:
    case, x, channels = third.synthesise(BACKGROUND, "spasms", "cluster", seed, 120)
    assert case.decrements
    # the EEG in 2-12 Hz (EMG and fast activity aside; above the slow wave, whose filtered
    # tail would spill over the attenuation), rms per channel
    sos = butter(4, [2.0, 12.0], btype="band", fs=FS, output="sos")
    y = sosfiltfilt(sos, x[_live(case, channels)], axis=1)
    previous_end, checked = 0.0, 0
    for (onset, duration), detail in zip(case.decrements, case.decrement_details, strict=True):
        before_end = onset - detail["hvs_s"] - 0.3
        if before_end - 3.0 > previous_end + 1.0:  # 3 s of EEG before, clear of the last EDE
            before = y[:, int((before_end - 3.0) * FS) : int(before_end * FS)]
            inside = y[:, int((onset + 0.3) * FS) : int((onset + duration - 0.2) * FS)]
            ratio = np.median(inside.std(axis=1) / before.std(axis=1))
            assert ratio < min(0.6, detail["depth"] + 0.25), (onset, ratio, detail)
            checked += 1
        previous_end = onset + duration + detail["recovery_s"]
    assert checked


def test_hypsarrhythmia_in_stated_range() -> None:
    for seed in (21, 22, 23):
        case, x, channels = third.synthesise(BACKGROUND, "hyps", "classic", seed, 60)
        pp = np.median(third.peak_to_peak_uv(x[_live(case, channels)]))
        assert 200.0 <= pp <= 800.0
        assert abs(pp - case.details["pp_uv"]) < 0.5 * pp  # artefacts aside
        normal, xn, _ = third.synthesise(BACKGROUND, "normal", "background", seed, 60)
        assert np.median(third.peak_to_peak_uv(xn[_live(normal, channels)])) < pp / 2


def test_every_kind_and_variant_synthesises() -> None:
    for kind, variants in third.KINDS.items():
        for variant in variants:
            case, x, _ = third.synthesise(BACKGROUND, kind, variant, 7, 40, True)
            assert x.shape == (19, 40 * FS)
            assert np.isfinite(x).all() and np.abs(x).max() <= third.RANGE_UV
            assert (case.kind, case.variant) == (kind, variant)


def _band_power(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Per channel, the variance in ``lo``-``hi`` Hz (Parseval over the whole signal: the
    spectrum a phase-randomised surrogate keeps is the clip's plain periodogram)."""
    f = np.fft.rfftfreq(x.shape[1], 1.0 / FS)
    spec = np.abs(np.fft.rfft(x - x.mean(axis=1, keepdims=True), axis=1)) ** 2
    band = (f >= lo) & (f < hi)
    return 2.0 * spec[:, band].sum(axis=1) / x.shape[1] ** 2


def _band(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    f = np.fft.rfftfreq(x.shape[1], 1.0 / FS)
    spec = np.fft.rfft(x - x.mean(axis=1, keepdims=True), axis=1)
    spec[:, (f < lo) | (f >= hi)] = 0.0
    return np.fft.irfft(spec, n=x.shape[1], axis=1)


@pytest.mark.parametrize("background", ["eeg3", "eeg14", "eeg40"])
def test_surrogate_keeps_spectrum_and_coherence(background: str) -> None:
    channels, clip = third.load_clip(background)
    ref = third.reference_channel(channels, clip)
    keep = np.array([i != ref for i in range(len(channels))])
    s = third.surrogate(clip, 180 * FS, np.random.default_rng(0))
    assert s.shape == (19, 180 * FS)
    for lo, hi in ((0.5, 4.0), (4.0, 12.0)):
        ratio = _band_power(s[keep], lo, hi) / _band_power(clip[keep], lo, hi)
        assert np.all((ratio > 0.6) & (ratio < 1.6)), (lo, hi, ratio.round(2))
    # coherence: the zero-lag correlations in 0.5-30 Hz (below, a few slow drifts of the
    # clip make any estimate from 30 s unstable)
    r_clip = np.corrcoef(_band(clip[keep], 0.5, 30.0))
    r_surr = np.corrcoef(_band(s[keep], 0.5, 30.0))
    assert np.abs(r_clip - r_surr).max() < 0.15


@pytest.mark.parametrize("background", ["eeg3", "eeg14", "eeg40"])
def test_surrogate_has_no_joins(background: str) -> None:
    channels, clip = third.load_clip(background)
    ref = third.reference_channel(channels, clip)
    keep = np.array([i != ref for i in range(len(channels))])
    s = third.surrogate(clip, 180 * FS, np.random.default_rng(1))[keep]
    c = clip[keep]
    # no sample-to-sample jump larger than the clip's own
    assert np.all(
        np.abs(np.diff(s, axis=1)).max(axis=1) <= 1.5 * np.abs(np.diff(c, axis=1)).max(axis=1)
    )

    # steps of the 1-s rms: typically no larger than the clip's, and none out of its range
    def steps(x: np.ndarray) -> np.ndarray:
        rms = np.sqrt((x[:, : x.shape[1] // FS * FS].reshape(len(x), -1, FS) ** 2).mean(axis=2))
        return np.abs(np.diff(np.log(rms), axis=1))

    assert np.median(steps(s)) <= 1.4 * np.median(steps(c))
    q95 = np.percentile(steps(s), 95, axis=1) / np.percentile(steps(c), 95, axis=1)
    assert np.median(q95) <= 1.3
    # where the surrogates meet: no jump (a step of a few sample-to-sample SDs at most; two
    # surrogates simply put end to end jump by about the signal's SD), and the variance of
    # the cross-fades as elsewhere
    hop = int((third.CLIP_S - third.OVERLAP_S) * FS)
    overlap = int(third.OVERLAP_S * FS)
    sd_diff = np.diff(s, axis=1).std(axis=1)
    in_fade = np.zeros(s.shape[1], bool)
    for start in range(hop, s.shape[1] - overlap, hop):
        for edge in (start, start + overlap):
            assert np.all(np.abs(s[:, edge] - s[:, edge - 1]) <= 6.0 * sd_diff)
        in_fade[start : start + overlap] = True
    rng = np.random.default_rng(2)
    a, b = (third.surrogate(clip, third.CLIP_S * FS, rng)[keep] for _ in range(2))
    assert np.mean(np.abs(b[:, 0] - a[:, -1]) / sd_diff) > 6.0  # the test would see a join
    ratio = s[:, in_fade].std(axis=1) / s[:, ~in_fade].std(axis=1)
    assert np.all((ratio > 0.75) & (ratio < 1.33))
