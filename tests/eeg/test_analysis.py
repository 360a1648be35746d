"""The whole analysis: contract JSON, events.tsv, chunking, every shared file."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from spasmwatch.eeg import EEGAnalysis, analyze_eeg
from spasmwatch.eeg.detect import Event
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
                "hypsarrhythmia_assessment",
                "reasons",
            ],
            "properties": {
                "amplitude_uv_p95": {"type": "number", "minimum": 0},
                "delta_power_fraction": {"type": "number", "minimum": 0, "maximum": 1},
                "spike_rate_per_min": {"type": "number", "minimum": 0},
                "spike_foci": {"type": "integer", "minimum": 0},
                "based_like_score": {"type": "integer", "minimum": 0, "maximum": 5},
                "hypsarrhythmia_likely": {"type": ["boolean", "null"]},
                "hypsarrhythmia_assessment": {"enum": ["likely", "unlikely", "cannot_assess"]},
                "usable_s": {"type": "integer", "minimum": 0},
                "usable_share": {"type": "number", "minimum": 0, "maximum": 1},
                "reasons": {"type": "array", "items": {"type": "string"}, "minItems": 1},
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
    bg = d["background"]
    expected = {"likely": True, "unlikely": False, "cannot_assess": None}
    assert bg["hypsarrhythmia_likely"] is expected[bg["hypsarrhythmia_assessment"]]
    assert len(d["epochs"]["seizure_probability"]) == int(np.ceil(int(result.duration_s) / 10))
    for e in d["events"]:
        assert e["onset"] + e["duration"] <= d["recording"]["duration_s"] + 1e-6
    # the share of the recording in seizure events, which the reasons may speak of
    in_sz = sum(e["duration"] for e in d["events"] if e["eventType"] == "sz")
    assert bg["sz_share"] == pytest.approx(in_sz / int(result.duration_s), abs=1e-3)
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


@pytest.mark.parametrize("detector", ["stevenson_cnn", "logistic"])
def test_chunked_analysis_equals_one_chunk(shared_eeg_dir: Path, detector: str) -> None:
    path = shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf"  # 211 s
    whole = analyze_eeg(path, chunk_s=600, sz_detector=detector)
    chunked = analyze_eeg(path, chunk_s=60, sz_detector=detector)
    np.testing.assert_allclose(chunked.seizure_probability, whole.seizure_probability, atol=1e-6)
    np.testing.assert_array_equal(chunked.features.spike_count, whole.features.spike_count)
    # the same events; a confidence (a mean of float32 probabilities) may differ in its
    # last bits, since BLAS sums a matrix's edge rows in an order that depends on its size
    assert len(chunked.events) == len(whole.events)
    for c, w in zip(chunked.events, whole.events, strict=True):
        assert c.confidence == pytest.approx(w.confidence, abs=1e-6)
        assert dataclasses.replace(c, confidence=w.confidence) == w
    # the noise floor is read from each span's own spectrum: spans of another length give
    # another estimate of the same floor
    floor = whole.background.noise_floor
    assert chunked.background.noise_floor == pytest.approx(floor, rel=0.1)
    assert dataclasses.replace(chunked.background, noise_floor=floor) == whole.background
    assert any(e.eventType == "sz" for e in whole.events)  # the test compares events


def test_seizure_clip_gives_an_sz_event_with_its_channels(
    helsinki_dir: Path, helsinki_summary: dict[int, dict[str, str]]
) -> None:
    # infant 5: all three experts marked all 30 s as seizure
    assert helsinki_summary[5]["label_consensus"] == "seizure"
    result = analyze_eeg(helsinki_dir / "clips" / "eeg5.edf")
    assert result.sz_detector == "stevenson_cnn" and result.sz_threshold == 0.5
    sz = [e for e in result.events if e.eventType == "sz"]
    assert sz and sum(e.duration for e in sz) >= 20
    for e in sz:
        assert e.confidence >= 0.5
        assert 1 <= len(e.channels) <= 4
        assert set(e.channels) <= set(result.features.channels)
    # a seizure-free clip of the same network scores low
    quiet = analyze_eeg(helsinki_dir / "clips" / "eeg1.edf")
    assert helsinki_summary[1]["label_consensus"] == "non-seizure"
    assert not any(e.eventType == "sz" for e in quiet.events)
    # the JSON document reads back as the same analysis (typed), without the features
    for analysis in (result, quiet):
        doc = json.loads(json.dumps(analysis.to_dict()))
        again = EEGAnalysis.from_dict(doc)
        assert again.to_dict() == doc and again.features is None
        assert again.events == [Event.from_dict(e) for e in doc["events"]]
        assert again.background.hypsarrhythmia_assessment == (
            analysis.background.hypsarrhythmia_assessment
        )
    with pytest.raises(ValueError, match="Not an EEG analysis document"):
        EEGAnalysis.from_dict({"recording": {}})


def test_logistic_detector_is_still_available(helsinki_dir: Path) -> None:
    from spasmwatch.eeg.detect import load_model

    result = analyze_eeg(helsinki_dir / "clips" / "eeg5.edf", sz_detector="logistic")
    d = check_contract(result)
    assert d["settings"]["sz_detector"] == "logistic"
    assert result.sz_threshold == load_model().threshold
    assert result.features.sz_window.shape[2] > 0  # its inputs are computed
    cnn = analyze_eeg(helsinki_dir / "clips" / "eeg5.edf", sz_detector="cnn")
    assert cnn.sz_detector == "stevenson_cnn"
    assert cnn.features.sz_window.shape[2] == 0  # not needed by the network
    assert not np.array_equal(cnn.seizure_probability, result.seizure_probability)


def test_artefact_seconds_get_no_seizure_probability(edf_writer) -> None:
    rng = np.random.default_rng(1)
    data = rng.normal(0, 10, (19, 60 * 256))
    data[:, 20 * 256 : 40 * 256] = 0.0  # flat on every channel: artefact
    result = analyze_eeg(edf_writer("flat_middle.edf", data))
    assert result.features.bad[:, 20:40].all()
    assert (result.seizure_probability[20:40] == 0).all()


def test_too_short_or_slow_for_the_network_is_said(edf_writer) -> None:
    rng = np.random.default_rng(0)
    short = analyze_eeg(edf_writer("short10.edf", rng.normal(0, 30, (19, 10 * 256))))
    d = check_contract(short)
    assert "shorter than 16 s" in d["settings"]["sz_note"]
    assert (short.seizure_probability == 0).all()
    slow = analyze_eeg(edf_writer("slow64.edf", rng.normal(0, 30, (19, 30 * 64)), sfreq=64.0))
    assert "64 Hz" in slow.to_dict()["settings"]["sz_note"]
    logistic = analyze_eeg(
        edf_writer("slow64b.edf", rng.normal(0, 30, (19, 30 * 64)), sfreq=64.0),
        sz_detector="logistic",
    )
    assert "sz_note" not in logistic.to_dict()["settings"]


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
        "amplitude.es.png", "amplitude.png", "analysis.json", "events.tsv",
        "spectrogram.es.png", "spectrogram.png", "spike_density.es.png", "spike_density.png",
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


def test_sensitivity_moves_the_seizure_threshold_and_at_high_the_decrement_band(
    shared_eeg_dir: Path,
) -> None:
    path = shared_eeg_dir / "real_infant/eeg_burst_eg.edf"
    runs = {s: analyze_eeg(path, sensitivity=s) for s in ("low", "normal", "high")}
    low, normal, high = (runs[s].sz_threshold for s in ("low", "normal", "high"))
    assert high < normal < low
    for s, r in runs.items():
        d = check_contract(r)
        assert d["settings"] == {
            "sensitivity": s,
            "sz_threshold": {"low": 0.8, "normal": 0.5, "high": 0.3}[s],
            "sz_channels": len(r.features.channels),
            "sz_detector": "stevenson_cnn",
        }
        # the probabilities and everything but the seizure events (and the share of the
        # recording in them) are the same; at high, the decrement rules read the 2-12 Hz
        # band, which the background's limits, noise floor and reasons say
        assert np.array_equal(r.seizure_probability, runs["normal"].seizure_probability)
        same = runs["normal"].to_dict()["background"]
        if s == "high":
            assert d["background"]["limits"]["decrement_reads_band"] == 1.0
            assert d["background"]["limits"]["decrement_line_ratio"] == 0.5
            floor = d["background"]["noise_floor"]
            assert floor["line_share"] == floor["band_line_share"]
            assert floor["band_line_share"] == same["noise_floor"]["band_line_share"]
            assert any(x.startswith("high sensitivity") for x in d["background"]["reasons"])
            ignore = ("sz_share", "limits", "noise_floor", "reasons", "decrements_set_aside")
            assert {k: v for k, v in d["background"].items() if k not in ignore} == {
                k: v for k, v in same.items() if k not in ignore
            }
        else:
            assert {**d["background"], "sz_share": 0} == {**same, "sz_share": 0}
            assert [e for e in r.events if e.eventType == "decrement"] == [
                e for e in runs["normal"].events if e.eventType == "decrement"
            ]
    # fewer misses flag more seconds, fewer false alarms fewer: nested
    sec = {s: _sz_seconds(r) for s, r in runs.items()}
    assert sec["low"] <= sec["normal"] <= sec["high"]
    assert sec["low"] != sec["high"]  # this recording has seconds between the thresholds


def test_unknown_sensitivity_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"'sensitivity'.*got 'max'"):
        analyze_eeg(tmp_path / "never-read.edf", sensitivity="max")
    with pytest.raises(ValueError, match=r"'sz_detector'.*stevenson_cnn, logistic.*got 'svm'"):
        analyze_eeg(tmp_path / "never-read.edf", sz_detector="svm")


@pytest.mark.parametrize("name", ["eeg5.edf", "eeg13.edf"])
def test_seizure_seconds_nest_across_sensitivities(helsinki_dir: Path, name: str) -> None:
    runs = {s: analyze_eeg(helsinki_dir / "clips" / name, sensitivity=s) for s in
            ("low", "normal", "high")}  # fmt: skip
    sec = {s: _sz_seconds(r) for s, r in runs.items()}
    assert sec["low"] <= sec["normal"] <= sec["high"]
