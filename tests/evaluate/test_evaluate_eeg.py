"""``spasmwatch evaluate eeg`` on the 62 Helsinki clips with their experts' consensus
converted to SzCORE events files, on a real Dask cluster: it reproduces the event
scores of ``benchmarks/eeg_helsinki.py``, records a file that fails, keeps subjects with
no seizure, and resumes."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from spasmwatch.cli import run
from spasmwatch.eeg import analyze_eeg
from spasmwatch.eeg.detect import CNN_THRESHOLDS, enclosing_threshold
from spasmwatch.eeg.scoring import cohen_kappa, event_scores, matthews_corrcoef
from spasmwatch.testing.helsinki import HELSINKI, event_mask, seconds_by_clip, write_szcore_labels


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("helsinki")
    labels = base / "labels"
    write_szcore_labels(labels)
    broken = base / "broken.edf"
    good = (HELSINKI / "clips" / "eeg1.edf").read_bytes()
    broken.write_bytes(good[: len(good) // 3])
    (labels / "broken_events.tsv").write_text(
        "onset\tduration\teventType\n5\t20\tsz\n", encoding="utf-8"
    )
    clips = sorted((HELSINKI / "clips").glob("eeg*.edf"))
    listing = base / "recordings.txt"
    listing.write_text("\n".join(str(p) for p in [*clips, broken]) + "\n")
    hyps = base / "hyps.csv"
    hyps.write_text("file,hypsarrhythmia\neeg1.edf,no\neeg4.edf,yes\neeg5.edf,no\n")
    out = base / "report"
    argv = ["evaluate", "eeg", str(listing), "--labels", str(labels), "--out", str(out),
            "--workers", "2", "--timeout", "120", "--bootstrap", "300",
            "--hypsarrhythmia", str(hyps)]  # fmt: skip
    code = run(argv)
    assert code == 0
    doc = json.loads((out / "evaluation.json").read_text())
    return {"out": out, "doc": doc, "argv": argv, "clips": clips}


@pytest.fixture(scope="module")
def benchmark_scores(evaluated: dict) -> dict[str, dict[str, float]]:
    """The event and per-second scores as ``benchmarks/eeg_helsinki.py`` computes them:
    the network's per-second probability from ``analyze_eeg``, events by
    ``eeg_train.event_mask``, SzCORE counts by ``eeg.scoring.event_scores``, summed."""
    consensus = seconds_by_clip("consensus")
    out = {}
    probs = {
        int(p.stem[3:]): analyze_eeg(p).seizure_probability.astype(np.float64)
        for p in evaluated["clips"]
    }
    for level, thr in CNN_THRESHOLDS.items():
        tp = fp = ref = 0
        labs, hyps = [], []
        for infant, p in probs.items():
            lab = np.array(consensus[infant])
            hyp = event_mask(p, thr, enclosing_threshold(level))
            ev = event_scores(lab, hyp)
            tp, fp, ref = tp + ev.true_positives, fp + ev.false_positives, ref + ev.reference_events
            labs.append(lab)
            hyps.append(hyp)
        lab, hyp = np.concatenate(labs), np.concatenate(hyps)
        out[level] = {
            "found": tp,
            "false": fp,
            "reference": ref,
            "kappa": cohen_kappa(lab, hyp),
            "mcc": matthews_corrcoef(lab, hyp),
        }
    return out


def test_it_reproduces_the_helsinki_benchmark(evaluated: dict, benchmark_scores: dict) -> None:
    pooled = evaluated["doc"]["pooled"]["sz"]
    for level, want in benchmark_scores.items():
        got = pooled[level]
        counts = got["counts"]
        assert (counts["found"], counts["false_detections"], counts["reference"]) == (
            want["found"],
            want["false"],
            want["reference"],
        ), level
        assert got["sensitivity"]["value"] == pytest.approx(
            want["found"] / want["reference"], abs=1e-4
        )
        precision = want["found"] / (want["found"] + want["false"])
        assert got["precision"]["value"] == pytest.approx(precision, abs=1e-4)
        assert got["kappa"]["value"] == pytest.approx(want["kappa"], abs=1e-4)
        assert got["mcc"]["value"] == pytest.approx(want["mcc"], abs=1e-4)
        for name in ("sensitivity", "precision", "f1", "false_per_hour", "kappa"):
            f = got[name]
            assert f["ci_low"] <= f["value"] <= f["ci_high"], (level, name)
        assert counts["subjects"] == 62  # the broken file's subject has nothing scored
    # 30 s x 62 clips
    assert pooled["normal"]["counts"]["hours"] == pytest.approx(62 * 30 / 3600, abs=1e-3)
    curve = list(csv.DictReader((evaluated["out"] / "operating_curve.csv").open()))
    sz = {r["sensitivity_level"]: r for r in curve if r["event_type"] == "sz"}
    assert int(sz["high"]["false_detections"]) >= int(sz["low"]["false_detections"])


def test_a_file_that_fails_is_recorded_and_the_rest_scored(evaluated: dict) -> None:
    doc = evaluated["doc"]
    assert len(doc["failed"]) == 1
    failed = doc["failed"][0]
    assert failed["file"].endswith("broken.edf") and failed["status"] == "failed"
    assert "broken.edf" in failed["error"]
    assert doc["recordings"] == 63
    # its labelled seizure is not counted as a miss: it was never analysed
    assert doc["pooled"]["sz"]["normal"]["counts"]["reference"] == 30
    html = (evaluated["out"] / "report.html").read_text()
    assert "Recordings that failed" in html and "broken.edf" in html


def test_subjects_without_seizures_are_scored_for_false_alarms(evaluated: dict) -> None:
    rows = {
        r["subject"]: r
        for r in csv.DictReader((evaluated["out"] / "per_subject.csv").open())
        if r["event_type"] == "sz"
    }
    consensus = seconds_by_clip("consensus")
    free = [k for k, secs in consensus.items() if not any(secs)]
    assert len(free) > 20
    for infant in free:
        row = rows[f"sub-{infant:02d}"]
        assert row["reference"] == "0" and row["sensitivity"] == ""  # not defined, not 0
        assert float(row["false_per_hour"]) == int(row["false_detections"]) * 120
    assert any(int(rows[f"sub-{k:02d}"]["false_detections"]) for k in free)


def test_report_tables_and_plots(evaluated: dict) -> None:
    out = evaluated["out"]
    html = (out / "report.html").read_text()
    for src in ("plots/operating_curve_sz.png", "plots/subjects_sz.png"):
        assert f"src='{src}'" in html
        assert (out / src).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "SzCORE" in html and "bootstrap over subjects" in html
    timeline = json.loads((out / "timeline.json").read_text())
    # a timeline for every analysed recording with a label or a detection
    drawn = [t for t in timeline if t["status"] == "ok" and (t["labels"] or _detected(t))]
    assert 30 <= len(drawn) < 62
    assert html.count("<img") == 4 + len(drawn)  # curve and subjects of 2 types, timelines
    eeg4 = next(t for t in timeline if t["file"].endswith("eeg4.edf"))
    assert eeg4["labels"] and eeg4["detections"]["sz"]["normal"]
    false_alarms = list(csv.DictReader((out / "false_alarms.csv").open()))
    normal = evaluated["doc"]["pooled"]["sz"]["normal"]["counts"]["false_detections"]
    assert sum(r["event_type"] == "sz" for r in false_alarms) == normal
    hyps = evaluated["doc"]["hypsarrhythmia"]
    # 30-s clips are too short to assess: counted apart, never taken as 'no'
    assert hyps["cannot_assess"] + hyps["assessed"] == 3


def _detected(item: dict) -> bool:
    return any(spans for by_level in item["detections"].values() for spans in by_level.values())


def test_a_second_run_resumes_without_analysing_again(
    evaluated: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = evaluated["out"] / "analysis" / "summary.csv"
    before = summary.read_text()
    assert run(evaluated["argv"]) == 0
    assert "63 files, 63 analysed before" in " ".join(capsys.readouterr().err.split())
    assert summary.read_text() == before
    again = json.loads((evaluated["out"] / "evaluation.json").read_text())
    assert again["pooled"] == evaluated["doc"]["pooled"]


def test_the_labels_of_all_clips_score_the_few_given_and_say_the_rest_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels"
    write_szcore_labels(labels)  # all 62 clips
    given = [HELSINKI / "clips" / f"eeg{k}.edf" for k in (1, 9, 15, 22, 36)]
    listing = tmp_path / "five.txt"
    listing.write_text("\n".join(str(p) for p in given) + "\n")
    out = tmp_path / "report"
    code = run(
        ["evaluate", "eeg", str(listing), "--labels", str(labels), "--out", str(out),
         "--workers", "1", "--timeout", "120", "--bootstrap", "0"]
    )  # fmt: skip
    err = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
    assert code == 0, err
    not_given = sorted(
        p.name for p in labels.glob("*_events.tsv") if p.name[: -len("_events.tsv")] + ".edf"
        not in {g.name for g in given}
    )  # fmt: skip
    assert len(not_given) == 57
    assert err.count("Warning:") == 1
    assert (
        f"Warning: 57 of 62 events files in {labels} name no input recording and are not "
        f"scored: {', '.join(not_given[:3])} and 54 more"
    ) in err
    doc = json.loads((out / "evaluation.json").read_text())
    assert doc["recordings"] == 5 and not doc["failed"]
    (skipped,) = doc["labels_naming_no_input"]
    assert sorted(skipped["names"]) == not_given and skipped["total"] == 62
    html = (out / "report.html").read_text()
    assert "Labels of recordings that are not among the inputs" in html
    headline = html.split("</p>", 2)[0]
    assert "failed. Labels that name no input recording are not scored: 57 events files" in headline


# ---------------------------------------------------------------- hypsarrhythmia, spasms
FS = 256
CHANNELS = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2",
            "F7", "F8", "T3", "T4", "T5", "T6", "Fz", "Cz", "Pz"]  # fmt: skip


def _write(path: Path, data: np.ndarray) -> Path:
    from edfio import Edf, EdfSignal

    signals = [
        EdfSignal(x, sampling_frequency=FS, label=f"EEG {c}", physical_dimension="uV",
                  physical_range=(-3000, 3000))
        for x, c in zip(data, CHANNELS, strict=True)
    ]  # fmt: skip
    Edf(signals).write(path)
    return path


def _spiky(seconds: int, seed: int) -> np.ndarray:
    """High-voltage slow background with abundant multifocal spikes (hypsarrhythmia-like,
    as in tests/eeg/test_detect.py)."""
    rng = np.random.default_rng(seed)
    n = seconds * FS
    x = 150 * np.sin(2 * np.pi * np.arange(n) / FS)[None] * rng.uniform(0.5, 1, (19, 1))
    x = x + rng.normal(0, 2, (19, n))
    tri = np.r_[np.linspace(0, 1, 6), np.linspace(1, 0, 6)[1:]]
    wave = np.r_[tri, np.zeros(5), 0.6 * np.sin(np.linspace(0, np.pi, 64))]
    for ch in range(19):
        for t in rng.uniform(1, seconds - 1, int(1.5 * seconds)):
            i = int(t * FS)
            x[ch, i - 5 : i - 5 + len(wave)] += wave * 450
    return x


def _decrement(seconds: int, at: int) -> np.ndarray:
    """A steady background, a high-voltage slow wave, then 3 s of diffuse attenuation
    (as in tests/eeg/test_detect.py)."""
    rng = np.random.default_rng(2)
    t = np.arange(seconds * FS) / FS
    x = 60 * np.sin(2 * np.pi * 1.5 * t)[None] + rng.normal(0, 8, (19, len(t)))
    x *= rng.uniform(0.7, 1.3, (19, 1))
    env = np.ones(len(t))
    env[(at - 1) * FS : at * FS] = 3
    env[at * FS : (at + 3) * FS] = 0.1
    k = np.hanning(21)
    env = np.convolve(np.pad(env, 10, mode="edge"), k / k.sum(), mode="valid")
    return x * env[None]


@contextlib.contextmanager
def _scheduler() -> Iterator[str]:
    """A Dask scheduler and one worker started as separate processes on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env,
             "start_new_session": True}  # fmt: skip
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--no-dashboard"], **quiet
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
         "--no-dashboard"], **quiet
    )  # fmt: skip
    try:
        from dask.distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for proc in (worker, scheduler):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def test_hypsarrhythmia_accuracy_and_spasm_labels(tmp_path: Path) -> None:
    from spasmwatch.batch import BatchSettings
    from spasmwatch.evaluate import EvaluationSettings, evaluate

    folder = tmp_path / "eeg"
    folder.mkdir()
    _write(folder / "hyps.edf", _spiky(150, 4))
    quiet = np.random.default_rng(5).normal(0, 8, (19, 150 * FS))
    _write(folder / "quiet.edf", quiet)
    _write(folder / "spasm.edf", _decrement(60, 30))
    header = "onset\tduration\teventType\tsubject\n"
    (folder / "hyps_events.tsv").write_text(header)
    (folder / "quiet_events.tsv").write_text(header + "0\t150\tbckg\tbaby2\n")
    (folder / "spasm_events.tsv").write_text(header + "30.2\t1.5\tspasm\tbaby3\n")
    table = tmp_path / "hyps.tsv"
    table.write_text("file\thypsarrhythmia\nhyps.edf\tyes\nquiet.edf\tno\n")
    with _scheduler() as address:  # on a cluster started apart, as with --scheduler
        settings = EvaluationSettings(BatchSettings(scheduler=address, timeout_s=120), n_boot=200)
        ev = evaluate("eeg", folder, tmp_path / "report", None, settings, hypsarrhythmia=table)
    assert not ev.failed
    said = {r.labels.name: r.hypsarrhythmia for r in ev.recordings}
    assert said["hyps.edf"] == "likely" and said["quiet.edf"] == "unlikely"
    h = ev.hypsarrhythmia
    assert h is not None and (h["assessed"], h["cannot_assess"]) == (2, 0)
    assert h["accuracy"]["value"] == 1.0 and h["counts"] == {"tp": 1, "fp": 0, "fn": 0, "tn": 1}
    assert [r.labels.subject for r in ev.recordings] == ["hyps.edf", "baby2", "baby3"]
    dec = ev.pooled["decrement"]["normal"]["counts"]
    assert (dec["reference"], dec["found"]) == (1, 1)  # the labelled spasm, on its decrement
    html = (tmp_path / "report" / "report.html").read_text()
    assert "Hypsarrhythmia" in html and "2 recordings assessed" in html
