"""The fifth EEG evaluation set (noise floor kept): its plan, files, truth and floor."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from spasmwatch.eeg.reader import read_recording
from spasmwatch.testing import eeg_fifth as f5

pytestmark = pytest.mark.skipif(not f5.DATA.is_dir(), reason="no shared EEG data beside the repo")

#: Bands of the floor check (Hz): above 40 Hz away from 50 Hz, and the EEG band.
HIGH = ((40.0, 48.0), (52.0, 95.0))
EEG = (1.0, 12.0)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[f5.Case], dict]:
    out = tmp_path_factory.mktemp("fifth")
    cases = f5.build(out, backgrounds=2)
    _, _, details = f5.load(out)
    return out, cases, details


def test_constants_hold_together() -> None:
    kinds = set(f5.KINDS)
    assert set(f5.NO_SPIKES) <= kinds and set(f5.NO_DECREMENTS) <= kinds
    assert set(f5.DISCONTINUOUS) <= set(f5.NO_DECREMENTS)
    assert set(f5.HYPS) <= kinds and not set(f5.HYPS) & set(f5.NO_SPIKES)
    assert list(f5.Case.__dataclass_fields__)[:13] == [
        "name", "path", "background", "kind", "variant", "hyps", "decrements",
        "attenuations", "duration_s", "artefacts", "changes", "montage", "channels",
    ]  # fmt: skip


def test_background_names_in_order() -> None:
    names = f5.background_names()
    clips = [n for n in names if n.startswith("helsinki/")]
    numbers = [int(n.split("eeg")[1]) for n in clips]
    assert numbers == sorted(numbers) and len(clips) == 62
    assert names[len(clips) :] == ["real_infant/eeg_burst_eg", "real_infant/demo"]


def test_plan_has_every_kind_and_variant() -> None:
    specs = f5.plan()
    names = f5.background_names()
    assert len(specs) == f5.PER_BACKGROUND * len(names)
    assert {(s.kind, s.variant) for s in specs} == {
        (k, v) for k, vs in f5.KINDS.items() for v in vs
    }
    kinds = Counter(s.kind for s in specs)
    assert kinds["spasms"] >= 60 and kinds["hyps"] >= 40 and kinds["hyps_spasms"] >= 40
    for part in (f5.TUNING, f5.TEST):  # the parts have the same shares of kinds
        assert Counter(s.kind for s in specs if s.part == part) == Counter(
            {k: n // 2 for k, n in kinds.items()}
        )
    hours = sum(s.duration_s for s in specs) / 3600
    assert 15 <= hours <= 20
    assert all(120 <= s.duration_s <= 360 for s in specs)
    assert {s.sfreq for s in specs} == {200, 250, 256, 500}
    assert [s.name for s in f5.plan()] == [s.name for s in specs]  # deterministic
    other = f5.plan(seed=f5.SEED + 1)
    assert [(s.kind, s.duration_s) for s in other] != [(s.kind, s.duration_s) for s in specs]


def test_files_read_back(small: tuple[Path, list[f5.Case], dict]) -> None:
    _, cases, details = small
    assert len(cases) == 2 * f5.PER_BACKGROUND
    for c in cases:
        rec = read_recording(c.path)
        fs = details[c.name]["sfreq"]
        assert rec.sfreq == fs
        assert rec.channels == c.channels and set(rec.kinds) == {c.montage}
        assert rec.n_samples == round(c.duration_s * fs)
        assert all(lab.startswith("EEG ") for lab in rec.original_labels)
        # nothing reaches the physical range but the clipping artefacts
        x = rec.read()
        lim = rec.physical_limits_uv
        step = float(lim[0, 1] - lim[0, 0]) / 65535
        at = (x <= lim[:, :1] + step) | (x >= lim[:, 1:] - step)
        for a in details[c.name]["artefacts"]:
            if a["type"] == "clipping":
                i0, i1 = round(a["onset_s"] * fs), round((a["onset_s"] + a["duration_s"]) * fs)
                at[[c.channels.index(ch) for ch in a["channels"]], i0 : i1 + 1] = False
        assert not at.any(), c.name


def test_truth_holds_together(small: tuple[Path, list[f5.Case], dict]) -> None:
    _, cases, details = small
    kinds = Counter(c.kind for c in cases)
    assert kinds["spasms"] >= 2 and kinds["hyps_spasms"] >= 1
    for c in cases:
        assert c.hyps == (c.kind in f5.HYPS) and c.part in (f5.TUNING, f5.TEST)
        assert c.floor_uv > 0
        assert 1 <= len(c.artefacts) <= 6
        if c.kind in f5.NO_DECREMENTS:
            assert not c.decrements
        else:
            assert len(c.decrements) >= 2
        ends = [(on, on + d) for on, d in c.decrements]
        assert ends == sorted(ends)
        assert all(b <= a2 for (_, b), (a2, _) in itertools.pairwise(ends))
        keep_out = [(a, a + d) for a, d, kind in c.artefacts if kind in f5.BIG_ARTEFACTS]
        keep_out += [(t, t) for t, _, kind in c.changes if kind == "abrupt"]
        keep_out += [(a, a + d) for a, d in c.attenuations]
        m = f5.ARTEFACT_MARGIN_S
        for on, end in ends:
            assert 0.5 <= end - on <= 5.0
            assert on >= f5.EDGE_S and end <= c.duration_s - f5.EDGE_S
            assert all(end + m <= a or on - m >= b for a, b in keep_out), (c.name, on)
        for d in details[c.name]["decrements"]:
            assert f5.EDE_DEPTH[0] <= d["depth"] <= f5.EDE_DEPTH[1]
        assert all(kind in ("abrupt", "gradual") for _, _, kind in c.changes)
        assert all(kind in f5.ARTEFACT_WEIGHTS for _, _, kind in c.artefacts)


def test_halves_split_by_background(small: tuple[Path, list[f5.Case], dict]) -> None:
    _, cases, _ = small
    (l1, tuning), (l2, test) = f5.halves(cases)
    assert (l1, l2) == ("TUNING PART", "TEST PART")
    names = f5.background_names()
    assert {c.background for c in tuning} == {names[0]}
    assert {c.background for c in test} == {names[1]}
    assert all(c.part == f5.TUNING for c in tuning) and all(c.part == f5.TEST for c in test)


def test_reused_and_deterministic(small: tuple[Path, list[f5.Case], dict], tmp_path: Path) -> None:
    out, cases, _ = small
    stamp = {c.name: Path(c.path).stat().st_mtime_ns for c in cases}
    again = f5.build(out, backgrounds=2)
    assert again == cases
    assert {c.name: Path(c.path).stat().st_mtime_ns for c in again} == stamp
    one = f5.build(tmp_path, backgrounds=1)
    assert [c.name for c in one] == [c.name for c in cases[: len(one)]]
    for a, b in zip(one, cases, strict=False):
        assert Path(a.path).read_bytes() == Path(b.path).read_bytes()
        assert (a.decrements, a.artefacts, a.changes) == (b.decrements, b.artefacts, b.changes)


# --- the floor --------------------------------------------------------------------------


def _band_power(x: np.ndarray, fs: float, lo: float, hi: float) -> np.ndarray:
    """Power of each row in ``lo``-``hi`` Hz (detrended, Hann-windowed periodogram)."""
    n = x.shape[1]
    t = np.arange(n) - (n - 1) / 2
    x = x - x.mean(axis=1, keepdims=True)
    x = x - np.outer((x * t).sum(axis=1) / (t * t).sum(), t)
    w = np.hanning(n)
    p = np.abs(np.fft.rfft(x * w, axis=1)) ** 2 * 2 / (fs * (w * w).sum())
    f = np.fft.rfftfreq(n, 1 / fs)
    return p[:, (f >= lo) & (f <= hi)].sum(axis=1) * (f[1] - f[0])


def floor_ratios(case: f5.Case, details: dict[str, Any]) -> list[tuple[float, float]]:
    """For each EDE: (power above 40 Hz away from mains, power in 1-12 Hz) inside it over
    the same in the 10 s before, median over the channels with no muscle, artefact or
    background transient there (NaN where fewer than two are left)."""
    rec = read_recording(case.path)
    x = rec.read().astype(np.float64)
    fs = rec.sfreq
    top = min(HIGH[1][1], 0.9 * fs / 2)
    high = (
        f5._filtered(x, fs, lambda f: f5._band(f, *HIGH[0], 2) + f5._band(f, HIGH[1][0], top, 2))
        ** 2
    )  # whole-file filter: no leakage from the large slow waves into a short window
    ok = np.ones(x.shape, bool)
    spans = [(a["onset_s"], a["duration_s"], a["channels"]) for a in details["artefacts"]]
    spans += [
        (d["emg"]["onset_s"], d["emg"]["duration_s"], d["emg"]["channels"])
        for d in details["decrements"] if "emg" in d
    ]  # fmt: skip
    spans += [
        (a, d, case.channels)
        for a, d in details["background_transients"] + details["background_muscle"]
    ]
    for a, d, chans in spans:
        i0, i1 = max(0, int((a - 0.5) * fs)), int((a + d + 0.5) * fs)
        ok[[case.channels.index(ch) for ch in chans], i0:i1] = False
    out = []
    step = int(fs)
    for on, dur in case.decrements:
        i0, i1 = int(on * fs), int((on + dur) * fs)
        h_in, e_in = high[:, i0:i1].mean(axis=1), _band_power(x[:, i0:i1], fs, *EEG)
        h_b, e_b, n_b = np.zeros(len(x)), np.zeros(len(x)), np.zeros(len(x))
        for s0 in range(max(0, i0 - 10 * step), i0 - step + 1, step):
            good = ok[:, s0 : s0 + step].all(axis=1)
            h_b += good * high[:, s0 : s0 + step].mean(axis=1)
            e_b += good * _band_power(x[:, s0 : s0 + step], fs, *EEG)
            n_b += good
        keep = (n_b >= 3) & ok[:, i0:i1].all(axis=1)
        if keep.sum() < 2:
            out.append((np.nan, np.nan))
            continue
        out.append(
            (
                float(np.median(h_in[keep] * n_b[keep] / h_b[keep])),
                float(np.median(e_in[keep] * n_b[keep] / e_b[keep])),
            )
        )
    return out


def test_floor_kept_inside_edes(small: tuple[Path, list[f5.Case], dict]) -> None:
    _, cases, details = small
    ratios = np.array([r for c in cases if c.decrements for r in floor_ratios(c, details[c.name])])
    ratios = ratios[np.isfinite(ratios).all(axis=1)]
    assert len(ratios) >= 15
    high, eeg = ratios[:, 0], ratios[:, 1]
    assert 0.85 <= float(np.median(high)) <= 1.15
    assert float(np.mean((high >= 0.7) & (high <= 1.4))) >= 0.9
    assert float(np.median(eeg)) < 0.2 and float(np.max(eeg)) < 0.6


def test_floor_kept_by_construction() -> None:
    """The same recording made with and without its attenuations: above 40 Hz they are
    the same inside every EDE, in 1-12 Hz the attenuated one is lower."""
    spec = next(s for s in f5.plan() if s.kind == "hyps_spasms")
    src = f5._load_source(spec.background)
    y1, _, case, info = f5._make(spec, src, f5.SEED)
    y0, _, _, _ = f5._make(spec, src, f5.SEED, attenuate=False)
    fs = info["sfreq"]
    top = min(HIGH[1][1], 0.9 * fs / 2)

    def high(y: np.ndarray) -> np.ndarray:
        return f5._filtered(
            y.astype(np.float64), fs, lambda f: f5._band(f, *HIGH[0], 2) + f5._band(f, 52, top, 2)
        )

    h1, h0 = high(y1) ** 2, high(y0) ** 2
    assert case.decrements
    for on, dur in case.decrements:
        i0, i1 = int(on * fs), int((on + dur) * fs)
        ratio = h1[:, i0:i1].mean(axis=1) / h0[:, i0:i1].mean(axis=1)
        # an abrupt edge of the gain spreads a little of the (much larger) cerebral
        # activity above 40 Hz on a channel or two; nothing else changes there
        assert abs(float(np.median(ratio)) - 1) < 0.03, (on, ratio)
        assert float(np.quantile(np.abs(ratio - 1), 0.9)) < 0.1, (on, ratio)
        eeg = _band_power(y1[:, i0:i1], fs, *EEG) / _band_power(y0[:, i0:i1], fs, *EEG)
        assert float(np.median(eeg)) < 0.5, (on, eeg)
