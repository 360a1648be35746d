"""The held-out EEG evaluation set (spasmwatch.testing.eeg_heldout), built for one
background into a temporary folder."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from spasmwatch.eeg.reader import read_recording
from spasmwatch.testing import eeg_heldout as heldout

FS = heldout.FS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[heldout.Case]]:
    """Every kind for the first background, at its drawn length."""
    out = tmp_path_factory.mktemp("heldout")
    return out, heldout.build(out, backgrounds=1)


def _typical_p2p(x: np.ndarray) -> float:
    """Median over channels of the median 1-s peak-to-peak amplitude."""
    secs = x.shape[1] // FS
    p2p = np.ptp(x[:, : secs * FS].reshape(x.shape[0], secs, FS), axis=2)
    return float(np.median(np.median(p2p, axis=1)))


def test_selects_the_39_clips_with_any_seizure_second() -> None:
    chosen = heldout.select_backgrounds()
    assert len(chosen) == 39
    any_seizure: dict[int, int] = {}
    with (heldout.HELSINKI / "labels.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            marked = max(int(row[k]) for k in ("expert_A", "expert_B", "expert_C"))
            any_seizure[int(row["infant"])] = any_seizure.get(int(row["infant"]), 0) + marked
    assert len(any_seizure) == 62
    assert {i for i, _ in chosen} == {i for i, n in any_seizure.items() if n > 0}
    assert sum(n == 0 for n in any_seizure.values()) == 23
    assert all(p.is_file() for _, p in chosen)


def test_files_read_back_with_19_channels_and_stated_duration(built) -> None:
    out, cases = built
    assert {c.kind for c in cases} == set(heldout.KINDS)
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["cases"]) == len(cases)
    for case in cases:
        rec = read_recording(case.path)
        assert rec.format == "EDF+"
        assert rec.sfreq == FS
        assert sorted(rec.channels) == sorted(heldout.ELECTRODES)
        assert rec.channels == case.channels  # the clip's own order
        assert rec.duration_s == case.duration_s
        assert heldout.DURATION_S[0] <= case.duration_s <= heldout.DURATION_S[1]
        assert case.split == "heldout" and case.background == "eeg4"
        assert case.hyps == (case.kind in heldout.HYPS_KINDS)
        assert 1 <= sum(a[2] != "spasm_emg" for a in case.artefacts) <= 6


def test_truth_intervals_lie_inside_the_recording(built) -> None:
    _, cases = built
    for case in cases:
        spans = [*case.decrements, *case.attenuations, *[a[:2] for a in case.artefacts]]
        for onset, duration in spans:
            assert onset >= 0 and duration > 0 and onset + duration <= case.duration_s
        if case.kind == "decrements":
            assert 2 <= len(case.decrements) <= 6
        if case.kind in ("background", "slow_sync", "focal_spikes"):
            assert not case.decrements
        if case.kind in heldout.HYPS_KINDS:
            assert len(case.decrements) <= 5
            assert len(set(case.foci)) >= 3


def test_hyps_is_high_voltage_against_its_background(built) -> None:
    _, cases = built
    by_kind = {c.kind: read_recording(c.path).read() for c in cases}
    ref = _typical_p2p(by_kind["background"])
    for kind in heldout.HYPS_KINDS:
        assert _typical_p2p(by_kind[kind]) > 2 * ref
        assert _typical_p2p(by_kind[kind]) > 150


def test_decrements_are_attenuated_against_the_seconds_before(built) -> None:
    _, cases = built
    events = 0
    for case in cases:
        if not case.decrements:
            continue
        x = read_recording(case.path).read()
        for onset, duration in case.decrements:
            end = onset + duration
            before = x[:, round((onset - 3) * FS) : round(onset * FS)].std(axis=1)
            during = x[:, round((end - 1) * FS) : round(end * FS)].std(axis=1)
            live = before > 0.5  # not the reference channel
            assert np.median(during[live] / before[live]) < 0.6, (case.name, onset)
            events += 1
    assert events >= 2


def test_reproducible_with_the_same_seed(tmp_path: Path) -> None:
    kw = {"backgrounds": 1, "kinds": ("hyps_modified", "decrements"), "duration_s": 40}
    a = heldout.build(tmp_path / "a", **kw)
    b = heldout.build(tmp_path / "b", **kw)
    c = heldout.build(tmp_path / "c", seed=heldout.SEED + 1, **kw)
    for x, y, z in zip(a, b, c, strict=True):
        assert {**vars(x), "path": ""} == {**vars(y), "path": ""}
        assert np.array_equal(read_recording(x.path).read(), read_recording(y.path).read())
        assert not np.array_equal(read_recording(x.path).read(), read_recording(z.path).read())


def test_an_existing_set_is_reused_unless_forced(tmp_path: Path) -> None:
    kw = {"backgrounds": 1, "kinds": ("background",), "duration_s": 30}
    first = heldout.build(tmp_path, **kw)
    stamp = Path(first[0].path).stat().st_mtime_ns
    again = heldout.build(tmp_path, **kw)
    assert again == first and Path(again[0].path).stat().st_mtime_ns == stamp
    heldout.build(tmp_path, force=True, **kw)
    assert Path(first[0].path).stat().st_mtime_ns != stamp
