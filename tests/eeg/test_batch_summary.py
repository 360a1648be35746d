"""The batch summary carries the hypsarrhythmia assessment of each EEG, the mains
frequency notched out before the file was read and the noise floor's share of the line
length."""

from __future__ import annotations

import csv
from pathlib import Path

from spasmwatch import batch
from spasmwatch.eeg import analyze_eeg


def test_summary_row_has_the_assessment(shared_eeg_dir: Path) -> None:
    assert "hypsarrhythmia_assessment" in batch.SUMMARY_COLUMNS
    clip = analyze_eeg(shared_eeg_dir / "helsinki" / "clips" / "eeg14.edf").to_dict()
    row = batch._measures("eeg", clip)
    # a 30-s clip: too short to assess, and said so rather than "no"
    assert row["hypsarrhythmia_assessment"] == "cannot_assess"
    assert row["hypsarrhythmia_likely"] is None
    # ... and too short to score: an empty cell and why, not the score of its 30 s
    assert isinstance(clip["background"]["based_like_score"], int)
    assert row["based_like_score"] is None
    assert row["based_like_score_note"] == (
        "not given (too little usable EEG: 30 s, at least 120 s needed)"
    )
    longer = analyze_eeg(shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf").to_dict()
    row = batch._measures("eeg", longer)
    assert row["hypsarrhythmia_assessment"] == "unlikely"
    assert row["based_like_score"] == longer["background"]["based_like_score"]
    assert row["based_like_score_note"] == ""
    # as recorded, with its mains line: no notch before it was read
    assert "mains_notched" not in longer["background"] and row["mains_notched_hz"] == 0.0
    longer["background"]["mains_notched"] = {"hz": 50.0, "share": 0.7}
    assert batch._measures("eeg", longer)["mains_notched_hz"] == 50.0
    # its noise floor, low (the file was low-passed before it was read), is in the row
    share = longer["background"]["noise_floor"]["line_share"]
    assert row["noise_floor_line_share"] == round(share, 3)
    assert row["noise_floor_line_share"] < 0.6
    del longer["background"]["noise_floor"]
    assert batch._measures("eeg", longer)["noise_floor_line_share"] is None


def test_a_summary_of_an_earlier_version_keeps_its_columns(tmp_path: Path) -> None:
    old = [c for c in batch.SUMMARY_COLUMNS if c != "hypsarrhythmia_assessment"]
    path = tmp_path / "summary.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow(old)
    batch._append_row(path, {"file": "a.edf", "hypsarrhythmia_assessment": "likely"})
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == old and len(rows[1]) == len(old) and rows[1][0] == "a.edf"
    fresh = tmp_path / "new.csv"
    batch._append_row(fresh, {"file": "b.edf", "hypsarrhythmia_assessment": "likely"})
    with fresh.open(newline="", encoding="utf-8") as f:
        (row,) = csv.DictReader(f)
    assert row["hypsarrhythmia_assessment"] == "likely"
