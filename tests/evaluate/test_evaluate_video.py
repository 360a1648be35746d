"""``spasmwatch evaluate video`` on rendered videos with their true spasms as labels, on
a real Dask cluster: it reproduces ``benchmarks/video_accuracy.py`` at every
sensitivity, records a file that fails and keeps a subject with no spasm."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import pytest

from spasmwatch.cli import run
from spasmwatch.evaluate.labels import VIDEO_KINDS
from spasmwatch.testing.video import accuracy as bench_accuracy
from spasmwatch.testing.video.render import GroundTruth, SceneSpec, render
from spasmwatch.video import (
    analyze_video,
    analyze_video_levels,
    chunks,
    locate_infant,
    motion_signals,
)

QUIET = {"kick_bouts": 0, "reaches": 0, "hands": 0, "jolts": 0, "shake": 0.5, "flicker": 0.5}
SCENES = [
    SceneSpec("flex", seed=5, duration_s=14, cluster_size=(4, 4), gap_s=(2.5, 3.5), jerks=1,
              one_sided_share=0.0, **QUIET),
    SceneSpec("mixed", seed=31, duration_s=14, cluster_size=(3, 4), gap_s=(2.5, 3.5), jerks=2,
              one_sided_share=0.5, **QUIET),
    SceneSpec("calm", seed=41, duration_s=12, clusters=0, jerks=3, **QUIET),
]  # fmt: skip
SUBJECTS = {"flex": "baby-a", "mixed": "baby-b", "calm": "baby-c"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, GroundTruth]]:
    folder = tmp_path_factory.mktemp("evaluate-videos")
    out = {}
    for spec in SCENES:
        path = folder / "videos" / f"{spec.name}.mp4"
        path.parent.mkdir(exist_ok=True)
        out[spec.name] = (path, render(spec, path))
    (folder / "videos" / "broken.mp4").write_bytes(os.urandom(4000))
    return out


@pytest.fixture(scope="module")
def evaluated(rendered: dict[str, tuple[Path, GroundTruth]]) -> dict:
    folder = next(iter(rendered.values()))[0].parent
    labels = folder.parent / "labels.csv"
    with labels.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "start_s", "end_s", "kind", "subject"])
        for name, (path, truth) in rendered.items():
            if not truth.spasms:
                w.writerow([path.name, "", "", "", SUBJECTS[name]])
            for e in truth.spasms:
                kind = e.style if e.style in VIDEO_KINDS else "spasm"
                w.writerow([path.name, f"{e.start_s:.3f}", f"{e.end_s:.3f}", kind, SUBJECTS[name]])
        # a label after the end of the video: reported, not scored
        w.writerow(["flex.mp4", "100", "101", "spasm", "baby-a"])
        # a label of a video not given: skipped and said, not an error
        w.writerow(["elsewhere/other.mp4", "1", "2", "spasm", "baby-z"])
    out = folder.parent / "report"
    code = run(
        ["evaluate", "video", str(folder), "--labels", str(labels), "--out", str(out),
         "--workers", "2", "--timeout", "120", "--bootstrap", "300"]
    )  # fmt: skip
    assert code == 0
    return {"out": out, "doc": json.loads((out / "evaluation.json").read_text())}


def _benchmark_tallies(rendered: dict[str, tuple[Path, GroundTruth]]) -> dict:
    """The counts ``benchmarks/video_accuracy.py`` reports, from its own functions."""
    scenes = []
    for name, (path, truth) in rendered.items():
        _info, sig = motion_signals(path)
        scenes.append(
            bench_accuracy.Scene(name=name, generator="2d", truth=truth, signals=sig,
                        mask=locate_infant(sig.speed), view="overhead",
                        orientation="landscape", size=math.nan)
        )  # fmt: skip
    tallies = {}
    for level in ("low", "normal", "high"):
        tally = bench_accuracy.Tally()
        for scene in scenes:
            bench_accuracy.score_scene(scene, level, tally)
        tallies[level] = tally
    return tallies


def test_it_reproduces_the_video_benchmark(rendered: dict, evaluated: dict) -> None:
    tallies = _benchmark_tallies(rendered)
    pooled = evaluated["doc"]["pooled"]["spasm"]
    assert sum(t.true for t in tallies.values()) > 0
    for level, t in tallies.items():
        c = pooled[level]["counts"]
        assert (c["reference"], c["found"]) == (t.true, t.found), level
        assert (c["true_detections"] + c["false_detections"], c["false_detections"]) == (
            t.detected,
            t.false,
        ), level
        if t.true:
            assert pooled[level]["sensitivity"]["value"] == pytest.approx(t.recall, abs=1e-4)
        if t.detected:
            assert pooled[level]["precision"]["value"] == pytest.approx(t.precision, abs=1e-4)
    per_kind = evaluated["doc"]["per_kind"]
    assert sum(k["counts"]["reference"] for k in per_kind.values()) == tallies["normal"].true


def test_failure_subjects_and_report(rendered: dict, evaluated: dict) -> None:
    doc, out = evaluated["doc"], evaluated["out"]
    assert [f["file"] for f in doc["failed"]] == ["broken.mp4"]
    assert doc["failed"][0]["error"]
    subjects = {s["subject"]: s for s in doc["per_subject"]}
    assert set(subjects) == {"baby-a", "baby-b", "baby-c", "broken.mp4"}
    calm = subjects["baby-c"]["spasm"]
    assert calm["reference"] == 0 and calm["sensitivity"] is None
    assert calm["false_per_hour"] == pytest.approx(calm["false_detections"] * 300, abs=1e-6)
    assert subjects["broken.mp4"]["failed"] == 1
    assert len(doc["warnings"]) == 1
    warning = doc["warnings"][0]
    assert "labels.csv, line " in warning and "the event at 100 s starts after the end" in warning
    assert warning.endswith("not scored")
    html = (out / "report.html").read_text()
    assert "0.3 s" in html
    timeline = json.loads((out / "timeline.json").read_text())
    drawn = [
        t for t in timeline
        if t["status"] == "ok"
        and (t["labels"] or any(s for lv in t["detections"]["spasm"].values() for s in lv))
    ]  # fmt: skip
    assert html.count("plots/timeline_") == len(drawn) >= 2
    assert "Labels outside their recording" in html
    (skipped,) = doc["labels_naming_no_input"]
    assert skipped["names"] == [f"line {skipped['total'] + 1}: 'elsewhere/other.mp4'"]
    assert "Labels of recordings that are not among the inputs" in html
    assert "are not scored: 1 row (listed below)" in html.split("</p>", 2)[0]
    flex = next(t for t in timeline if t["file"] == "flex.mp4")
    assert len(flex["labels"]) == len(rendered["flex"][1].spasms)
    assert set(flex["detections"]["spasm"]) == {"low", "normal", "high"}
    for name in ("misses.csv", "false_alarms.csv", "per_recording.csv", "operating_curve.csv"):
        assert (out / name).is_file()


def test_levels_from_one_decoding_equal_separate_analyses(
    rendered: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows of a few seconds, so the detections of the three levels share an extractor
    # that forgets frames as it goes (as on a long video).
    monkeypatch.setattr(chunks, "CHUNK_S", 4.0)
    monkeypatch.setattr(chunks, "CONTEXT_S", 2.0)
    path = rendered["mixed"][0]
    together = analyze_video_levels(path, ("low", "high"))
    for level, result in together.items():
        alone = analyze_video(path, sensitivity=level)
        assert len(alone.traces.times_s) == len(result.traces.times_s)
        assert [e.to_dict() for e in result.events] == [e.to_dict() for e in alone.events]
        assert len(result.events) > 0
