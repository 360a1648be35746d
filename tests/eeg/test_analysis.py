"""The whole analysis: contract JSON, events.tsv, chunking, every shared file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from spasmwatch.eeg import EEGAnalysis, analyze_eeg
from spasmwatch.errors import AnalysisError, UnreadableFile

from .conftest import write_edf

CONTRACT_SCHEMA = {
    "type": "object",
    "required": ["recording", "background", "events", "epochs", "timings"],
    "properties": {
        "recording": {
            "type": "object",
            "required": ["path", "duration_s", "channels", "sfreq", "start"],
            "properties": {
                "path": {"type": "string"},
                "duration_s": {"type": "number", "exclusiveMinimum": 0},
                "channels": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "sfreq": {"type": "number", "exclusiveMinimum": 0},
                "start": {"type": ["string", "null"]},
            },
        },
        "background": {
            "type": "object",
            "required": [
                "amplitude_uv_p95",
                "delta_power_fraction",
                "spike_rate_per_min",
                "spike_foci",
                "based_like_score",
                "hypsarrhythmia_likely",
            ],
            "properties": {
                "amplitude_uv_p95": {"type": "number", "minimum": 0},
                "delta_power_fraction": {"type": "number", "minimum": 0, "maximum": 1},
                "spike_rate_per_min": {"type": "number", "minimum": 0},
                "spike_foci": {"type": "integer", "minimum": 0},
                "based_like_score": {"type": "integer", "minimum": 0, "maximum": 5},
                "hypsarrhythmia_likely": {"type": "boolean"},
            },
        },
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["onset", "duration", "eventType", "confidence", "channels"],
                "properties": {
                    "onset": {"type": "number", "minimum": 0},
                    "duration": {"type": "number", "exclusiveMinimum": 0},
                    "eventType": {"enum": ["sz", "spasm", "decrement"]},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    "channels": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "epochs": {
            "type": "object",
            "required": ["length_s", "seizure_probability"],
            "properties": {
                "length_s": {"type": "integer", "minimum": 1},
                "seizure_probability": {
                    "type": "array",
                    "items": {"type": "number", "minimum": 0, "maximum": 1},
                },
            },
        },
        "timings": {
            "type": "object",
            "required": ["read_s", "analysis_s"],
            "properties": {"read_s": {"type": "number"}, "analysis_s": {"type": "number"}},
        },
    },
}


def check_contract(result: EEGAnalysis) -> dict:
    d = result.to_dict()
    jsonschema.validate(d, CONTRACT_SCHEMA)
    assert len(d["epochs"]["seizure_probability"]) == int(np.ceil(int(result.duration_s) / 10))
    for e in d["events"]:
        assert e["onset"] + e["duration"] <= d["recording"]["duration_s"] + 1e-6
    return d


def test_every_helsinki_clip_gives_a_contract_result(helsinki_dir: Path) -> None:
    files = sorted((helsinki_dir / "clips").glob("*.edf"))
    assert len(files) == 62
    for path in files:
        d = check_contract(analyze_eeg(path))
        assert d["recording"]["duration_s"] == 30.0
        assert len(d["recording"]["channels"]) == 19


@pytest.mark.parametrize(
    "name", ["real_infant/eeg_burst_eg.edf", "real_infant/demo.edf", "edf_plus/short_psg.edf"]
)
def test_real_recordings_give_a_contract_result(shared_eeg_dir: Path, name: str) -> None:
    result = analyze_eeg(shared_eeg_dir / name)
    d = check_contract(result)
    assert d["recording"]["duration_s"] == result.duration_s
    assert result.seizure_probability.shape == (int(result.duration_s),)


def test_clipped_source_is_flagged(shared_eeg_dir: Path) -> None:
    # demo.edf has 1,623 samples at its +-1000 µV limit (README)
    result = analyze_eeg(shared_eeg_dir / "real_infant" / "demo.edf")
    assert result.features.clipped.any()
    assert any("artefact" in r and "clipped" in r for r in result.background.reasons)


def test_flat_recording_gives_a_quiet_result(edf_writer) -> None:
    result = analyze_eeg(edf_writer("flat.edf", np.zeros((19, 60 * 256))))
    check_contract(result)
    assert result.events == []
    assert result.background.based_like_score == 0
    assert any("100% of channel-seconds left out as artefact (flat 100%)" in r
               for r in result.background.reasons)  # fmt: skip


def test_chunked_analysis_equals_one_chunk(shared_eeg_dir: Path) -> None:
    path = shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf"  # 211 s
    whole = analyze_eeg(path, chunk_s=600)
    chunked = analyze_eeg(path, chunk_s=60)
    np.testing.assert_allclose(chunked.seizure_probability, whole.seizure_probability, atol=1e-6)
    np.testing.assert_array_equal(chunked.features.spike_count, whole.features.spike_count)
    assert chunked.events == whole.events
    assert chunked.background == whole.background


def test_progress_is_reported(shared_eeg_dir: Path) -> None:
    seen: list[tuple[float, float]] = []
    analyze_eeg(
        shared_eeg_dir / "real_infant" / "demo.edf",
        chunk_s=120,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1] == (661.0, 661.0)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_events_tsv_has_the_szcore_columns(shared_eeg_dir: Path) -> None:
    result = analyze_eeg(shared_eeg_dir / "edf_plus" / "short_psg.edf")
    rows = list(csv.DictReader(io.StringIO(result.events_tsv()), delimiter="\t"))
    assert list(rows[0]) == [
        "onset", "duration", "eventType", "confidence", "channels", "dateTime",
        "recordingDuration",
    ]  # fmt: skip
    assert len(rows) == max(1, len(result.events))
    assert all(r["recordingDuration"] == "300.00" for r in rows)
    assert all(r["dateTime"].startswith("1989-04-24") for r in rows)


def test_no_events_gives_a_background_row(edf_writer) -> None:
    rng = np.random.default_rng(0)
    path = edf_writer("quiet.edf", rng.normal(0, 5, (19, 30 * 256)))
    result = analyze_eeg(path)
    result.events = []
    rows = list(csv.DictReader(io.StringIO(result.events_tsv()), delimiter="\t"))
    assert [(r["onset"], r["duration"], r["eventType"]) for r in rows] == [
        ("0.00", "30.00", "bckg")
    ]


def test_write_outputs(tmp_path: Path, shared_eeg_dir: Path) -> None:
    result = analyze_eeg(shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf")
    written = result.write_outputs(tmp_path / "out")
    names = sorted(p.name for p in written)
    assert names == [
        "amplitude.png", "analysis.json", "events.tsv", "spectrogram.png", "spike_density.png"
    ]  # fmt: skip
    for p in written:
        assert p.stat().st_size > 1000 or p.suffix != ".png"
        if p.suffix == ".png":
            assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_too_short_recording_is_an_analysis_error(tmp_path: Path) -> None:
    path = write_edf(tmp_path / "short.edf", np.zeros((19, 2 * 256)))
    with pytest.raises(AnalysisError, match="too short"):
        analyze_eeg(path)


def test_low_sampling_rate_is_an_analysis_error(tmp_path: Path) -> None:
    path = write_edf(tmp_path / "slow.edf", np.zeros((19, 20 * 32)), sfreq=32.0)
    with pytest.raises(AnalysisError, match="32 Hz"):
        analyze_eeg(path)


def test_broken_file_is_unreadable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.edf"
    bad.write_text("hello")
    with pytest.raises(UnreadableFile, match=r"bad\.edf"):
        analyze_eeg(bad)


def test_invalid_arguments(small_edf: Path) -> None:
    with pytest.raises(ValueError, match="epoch_length_s"):
        analyze_eeg(small_edf, epoch_length_s=0)


def _sz_seconds(result: EEGAnalysis) -> set[int]:
    return {
        t
        for e in result.events
        if e.eventType == "sz"
        for t in range(int(e.onset), int(e.onset + e.duration))
    }


def test_sensitivity_moves_the_seizure_threshold_only(shared_eeg_dir: Path) -> None:
    path = shared_eeg_dir / "real_infant/eeg_burst_eg.edf"
    runs = {s: analyze_eeg(path, sensitivity=s) for s in ("low", "normal", "high")}
    low, normal, high = (runs[s].sz_threshold for s in ("low", "normal", "high"))
    assert high < normal < low
    for s, r in runs.items():
        d = check_contract(r)
        assert d["settings"] == {
            "sensitivity": s,
            "sz_threshold": round(r.sz_threshold, 3),
            "sz_channels": len(r.features.channels),
        }
        # the probabilities and everything but the seizure events are the same
        assert np.array_equal(r.seizure_probability, runs["normal"].seizure_probability)
        assert d["background"] == runs["normal"].to_dict()["background"]
    # fewer misses flag more seconds, fewer false alarms fewer: nested
    sec = {s: _sz_seconds(r) for s, r in runs.items()}
    assert sec["low"] <= sec["normal"] <= sec["high"]
    assert sec["low"] != sec["high"]  # this recording has seconds between the thresholds


def test_unknown_sensitivity_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"'sensitivity'.*got 'max'"):
        analyze_eeg(tmp_path / "never-read.edf", sensitivity="max")
