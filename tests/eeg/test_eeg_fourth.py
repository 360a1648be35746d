"""The fourth EEG evaluation set: it builds, reads back, and its truth holds together."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spasmwatch.eeg.reader import read_recording
from spasmwatch.testing import eeg_fourth as fourth

pytestmark = pytest.mark.skipif(
    not (fourth.DATA / "helsinki" / "clips").is_dir(), reason="the shared EEG data are absent"
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[fourth.Case]]:
    """A set from the first two backgrounds (10 recordings)."""
    out = tmp_path_factory.mktemp("fourth")
    return out, fourth.build(out, backgrounds=2)


def test_builds_every_group(small: tuple[Path, list[fourth.Case]]) -> None:
    out, cases = small
    assert len(cases) == 2 * fourth.PER_BACKGROUND
    assert (out / "manifest.json").exists()
    kinds = {c.kind for c in cases}
    assert {"normal", "spasms", "hyps", "hyps_spasms", "discontinuous"} <= kinds
    assert set(fourth.NO_SPIKES) <= set(fourth.KINDS)
    assert set(fourth.NO_DECREMENTS) <= set(fourth.KINDS)
    assert set(fourth.DISCONTINUOUS) <= set(fourth.NO_DECREMENTS)


def test_files_read_back(small: tuple[Path, list[fourth.Case]]) -> None:
    _, cases = small
    for c in cases:
        rec = read_recording(c.path)
        assert rec.sfreq == fourth.FS
        assert rec.n_samples == int(c.duration_s * fourth.FS)
        assert 120 <= c.duration_s <= 360
        assert sorted(rec.channels) == sorted(fourth.ELECTRODES)
        assert all(lab.startswith("EEG ") for lab in rec.original_labels)


def test_truth_is_consistent(small: tuple[Path, list[fourth.Case]]) -> None:
    _, cases = small
    for c in cases:
        assert c.hyps == (c.kind in ("hyps", "hyps_spasms"))
        assert 1 <= len(c.artefacts) <= 6
        assert any(k == "abrupt" for _t, _r, k in c.changes)
        if c.kind in fourth.NO_DECREMENTS:
            assert c.decrements == []
        else:
            assert 1 <= len(c.decrements) <= 8
        for on, d in c.decrements + c.attenuations:
            assert on > 0 and on + d < c.duration_s
        for on, d in c.decrements:
            assert 1.0 <= d <= 5.0
            assert on != round(on)
        if c.variant != "attenuation":
            assert c.attenuations == []


def test_decrements_lower_the_amplitude(small: tuple[Path, list[fourth.Case]]) -> None:
    _, cases = small
    ratios = []
    for c in cases:
        if not c.decrements:
            continue
        x = read_recording(c.path).read(0.0, c.duration_s).astype(float)
        fs = fourth.FS
        for on, d in c.decrements:
            inside = x[:, int((on + 0.3) * fs) : int((on + d - 0.3) * fs)]
            before = x[:, int((on - 8) * fs) : int((on - 1.5) * fs)]
            after = x[:, int((on + d + 1.5) * fs) : int((on + d + 8) * fs)]
            rms_in = np.median(inside.std(axis=1))
            rms_out = max(np.median(before.std(axis=1)), np.median(after.std(axis=1)))
            ratios.append(rms_in / rms_out)
    assert ratios
    assert np.median(ratios) < 0.5
    assert np.mean(np.array(ratios) < 0.75) >= 0.8


def test_same_seed_same_truth(small: tuple[Path, list[fourth.Case]], tmp_path: Path) -> None:
    _, cases = small
    again = fourth.build(tmp_path, backgrounds=2)
    strip = [(c.name, c.kind, c.variant, c.decrements, c.attenuations, c.artefacts) for c in cases]
    assert strip == [
        (c.name, c.kind, c.variant, c.decrements, c.attenuations, c.artefacts) for c in again
    ]
    a = read_recording(cases[1].path).read(0.0, 5.0)
    b = read_recording(again[1].path).read(0.0, 5.0)
    assert np.array_equal(a, b)
    other = fourth.build(tmp_path / "other", backgrounds=2, seed=fourth.SEED + 1)
    assert [c.decrements for c in other] != [c.decrements for c in cases]


def test_reuses_a_complete_set(small: tuple[Path, list[fourth.Case]]) -> None:
    out, cases = small
    stamp = Path(cases[0].path).stat().st_mtime_ns
    assert fourth.build(out, backgrounds=2) == cases
    assert Path(cases[0].path).stat().st_mtime_ns == stamp
