"""``spasmwatch eeg analyze`` from a user's point of view (subprocess: real exit codes)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema

from .test_analysis import CONTRACT_SCHEMA


def spasmwatch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args], capture_output=True, text=True, check=False
    )


def test_json_is_exactly_the_contract_document(shared_eeg_dir: Path) -> None:
    proc = spasmwatch("eeg", "analyze", str(shared_eeg_dir / "helsinki/clips/eeg13.edf"), "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)  # nothing but the JSON on stdout
    jsonschema.validate(doc, CONTRACT_SCHEMA)
    assert doc["recording"]["channels"][0] == "Fp1"


def test_summary_and_output_folder(shared_eeg_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    proc = spasmwatch(
        "eeg", "analyze", str(shared_eeg_dir / "real_infant/eeg_burst_eg.edf"), "--out", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    assert "BASED-like score" in proc.stdout and "Hypsarrhythmia" in proc.stdout
    assert "Traceback" not in proc.stderr
    # counts with their plurals, and whose detector gave the seizure events; "possible",
    # as the web page and the report say them (the detectors' events are to be confirmed)
    said = " ".join(proc.stdout.split())  # the terminal's width wraps the lines
    counts = re.search(
        r"Events: (\d+) possible (seizures?) \(sz\), (\d+) possible (decrements?) ", said
    )
    assert counts, proc.stdout
    for n, word in ((counts[1], counts[2]), (counts[3], counts[4])):
        assert word.endswith("s") == (int(n) != 1), counts[0]
    assert "(neonatal seizure detector " in said
    for name in ("events.tsv", "analysis.json", "amplitude.png", "spike_density.png",
                 "spectrogram.png"):  # fmt: skip
        assert (out / name).is_file(), name
        assert name in proc.stdout
    header = (out / "events.tsv").read_text().splitlines()[0].split("\t")
    assert header == ["onset", "duration", "eventType", "confidence", "channels", "dateTime",
                      "recordingDuration"]  # fmt: skip


def test_summary_names_the_eeg_signals_left_out(tmp_path: Path) -> None:
    import edfio
    import numpy as np

    rng = np.random.default_rng(0)

    def signal(label: str, fs: int):
        return edfio.EdfSignal(rng.normal(0, 30, 60 * fs), sampling_frequency=fs, label=label,
                               physical_dimension="uV", physical_range=(-500.0, 500.0))  # fmt: skip

    path = tmp_path / "rates.edf"
    edfio.Edf([signal("C3", 256), signal("C4", 256), signal("Cz", 256), signal("F3", 512),
               signal("Pz", 384), signal("ECG", 256)]).write(path)  # fmt: skip
    proc = spasmwatch("eeg", "analyze", str(path))
    assert proc.returncode == 0, proc.stderr
    # F3 at 512 Hz averaged down; one double-banana pair only (F3-C3): analysed as recorded
    assert "4 EEG channels at 256 Hz, analysed as recorded" in proc.stdout
    assert "Not analysed: Pz (sampled at 384 Hz)" in proc.stdout
    assert "ECG" not in proc.stdout  # expected, not an EEG electrode


def test_interrupted_recording_says_its_gaps(tmp_path: Path) -> None:
    import numpy as np

    from .edfd import write_interrupted

    data = np.random.default_rng(6).normal(0, 30, (3, 40 * 256))
    path = write_interrupted(tmp_path / "d.edf", data, [*range(0, 20), *range(50, 70)])
    proc = spasmwatch("eeg", "analyze", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "Interrupted recording: 1 gap (30 s in all) kept in place, with no EEG: 20-50 s" in (
        proc.stdout
    )
    doc = json.loads(spasmwatch("eeg", "analyze", str(path), "--json").stdout)
    jsonschema.validate(doc, CONTRACT_SCHEMA)
    assert doc["recording"]["duration_s"] == 70.0
    assert doc["recording"]["gaps"] == [{"onset": 20.0, "duration": 30.0}]
    assert doc["background"]["usable_s"] <= 40


def test_broken_files_exit_2_with_a_clear_message(shared_eeg_dir: Path, tmp_path: Path) -> None:
    not_edf = tmp_path / "notes.edf"
    not_edf.write_text("this is not an EEG")
    truncated = tmp_path / "cut.edf"
    truncated.write_bytes((shared_eeg_dir / "helsinki/clips/eeg1.edf").read_bytes()[:50_000])
    cases = {
        not_edf: "not an EDF",
        truncated: "truncated",
        shared_eeg_dir / "edf_plus/SC4001EC-Hypnogram.edf": "zero signal channels",
        tmp_path / "missing.edf": "no such file",
        shared_eeg_dir / "real_infant": "a folder, not a recording",
    }
    for path, message in cases.items():
        proc = spasmwatch("eeg", "analyze", str(path))
        assert proc.returncode == 2, (path, proc.stderr)
        err = " ".join(proc.stderr.split())  # Rich wraps long lines
        assert message in err and path.name in err
        assert "Traceback" not in proc.stderr
        assert proc.stdout == ""


def test_sensitivity_option(shared_eeg_dir: Path) -> None:
    clip = str(shared_eeg_dir / "helsinki/clips/eeg13.edf")
    proc = spasmwatch("eeg", "analyze", clip, "--sensitivity", "low", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["settings"]["sensitivity"] == "low"
    proc = spasmwatch("eeg", "analyze", clip, "--sensitivity", "high")
    assert proc.returncode == 0, proc.stderr
    assert "sensitivity high" in " ".join(proc.stdout.split())  # Rich wraps lines
    assert "Only" not in proc.stdout  # 18 bipolar channels
    few = spasmwatch("eeg", "analyze", str(shared_eeg_dir / "edf_plus/short_psg.edf"))
    assert few.returncode == 0, few.stderr
    assert "Only 2 channels" in " ".join(few.stdout.split())
    proc = spasmwatch("eeg", "analyze", clip, "--sensitivity", "maximum")
    assert proc.returncode == 2
    err = " ".join(proc.stderr.split())
    assert "'--sensitivity'" in err and "low, normal, high" in err and "'maximum'" in err
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_sz_detector_option(shared_eeg_dir: Path) -> None:
    clip = str(shared_eeg_dir / "helsinki/clips/eeg13.edf")
    proc = spasmwatch("eeg", "analyze", clip, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["settings"]["sz_detector"] == "stevenson_cnn"
    proc = spasmwatch("eeg", "analyze", clip, "--sz-detector", "logistic", "--json")
    assert proc.returncode == 0, proc.stderr
    settings = json.loads(proc.stdout)["settings"]
    assert settings["sz_detector"] == "logistic" and settings["sz_threshold"] != 0.5
    proc = spasmwatch("eeg", "analyze", clip, "--sz-detector", "cnn")
    assert proc.returncode == 0, proc.stderr
    assert "seizure detector stevenson_cnn" in " ".join(proc.stdout.split())
    proc = spasmwatch("eeg", "analyze", clip, "--sz-detector", "svm")
    assert proc.returncode == 2
    err = " ".join(proc.stderr.split())
    assert "'--sz-detector'" in err and "cnn, logistic" in err and "'svm'" in err
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_version_does_not_import_the_eeg_stack() -> None:
    code = (
        "import sys; from spasmwatch.cli import run; run(['--version']); "
        "print(sorted(m for m in ('mne', 'matplotlib', 'spasmwatch.eeg', 'scipy') "
        "if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_a_short_recording_says_hypsarrhythmia_cannot_be_assessed(shared_eeg_dir: Path) -> None:
    proc = spasmwatch("eeg", "analyze", str(shared_eeg_dir / "helsinki/clips/eeg13.edf"))
    assert proc.returncode == 0, proc.stderr
    assert "Hypsarrhythmia: cannot be assessed (this is not a 'no')" in proc.stdout
    assert "only 30 s of usable EEG" in proc.stdout
    # 30 s is too little EEG to score: why there is no score, never the score of its 30 s;
    # the JSON keeps its integer (the contract)
    said = " ".join(proc.stdout.split())
    assert "BASED-like score not given (too little usable EEG: 30 s, at least 120 s needed)" in said
    assert not re.search(r"BASED-like score \d", said)
    doc = json.loads(
        spasmwatch(
            "eeg", "analyze", str(shared_eeg_dir / "helsinki/clips/eeg13.edf"), "--json"
        ).stdout
    )
    assert isinstance(doc["background"]["based_like_score"], int)


def test_the_electrodes_and_the_bipolar_channels_analysed_are_both_said(
    shared_eeg_dir: Path,
) -> None:
    # 19 electrodes recorded; the analysis reads the 18 pairs of the double banana
    # (background.channels), which the seizure detector's warning counts too
    clip = str(shared_eeg_dir / "helsinki/clips/eeg13.edf")
    said = " ".join(spasmwatch("eeg", "analyze", clip).stdout.split())
    assert "19 electrodes at 256 Hz; 18 bipolar channels analysed (double banana)" in said
    assert (
        json.loads(spasmwatch("eeg", "analyze", clip, "--json").stdout)["background"]["channels"]
        == 18
    )
    # a bipolar recording is analysed as it was recorded
    psg = str(shared_eeg_dir / "edf_plus/short_psg.edf")
    said = " ".join(spasmwatch("eeg", "analyze", psg).stdout.split())
    assert "2 EEG channels at 100 Hz, analysed as recorded" in said
    assert "no spike focus, BASED-like score" in said
    # two channels: too few to judge multifocality, so the foci are counted, no more
    assert "no spike focus found (a focus is a scalp region where 1 or more discharges a" in said
    assert "not enough EEG to judge multifocality (2 or more foci)" in said
    assert "not multifocal" not in said


def test_the_summary_in_spanish_and_the_json_unchanged(shared_eeg_dir: Path) -> None:
    clip = str(shared_eeg_dir / "helsinki/clips/eeg13.edf")
    proc = spasmwatch("eeg", "analyze", clip, "--lang", "es")
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stdout.split())
    assert "19 electrodos a 256 Hz; 18 canales bipolares analizados" in said
    assert "Hipsarritmia: no se puede valorar" in said
    # the reasons as the web page says them, with a decimal comma
    assert "solo 30 s de EEG útil" in said and "fracción delta 0," in said
    assert "1 foco de puntas encontrado (un foco es una región" in said
    assert (
        "Eventos: 1 posible crisis (sz), 0 posibles decrementos (detector de crisis neonatales"
        in said
    )
    assert "sensibilidad normal" in said and "no es un diagnóstico" in said
    for english in ("Background", "electrodes", "Events", "not a diagnosis", "spike focus"):
        assert english not in said, english
    # --json: the same document, its reasons in English, whatever --lang says
    english = json.loads(spasmwatch("eeg", "analyze", clip, "--json").stdout)
    spanish = json.loads(spasmwatch("eeg", "analyze", clip, "--json", "--lang", "es").stdout)
    assert spanish["background"] == english["background"]
    assert spanish["events"] == english["events"] and spanish["summary"] == english["summary"]
    refused = spasmwatch("eeg", "analyze", clip, "--lang", "fr")
    assert refused.returncode == 2 and refused.stdout == ""
    err = " ".join(refused.stderr.split())
    assert "Invalid value for '--lang': allowed are en, es; got 'fr'" in err


def test_ctrl_c_says_it_stopped_and_leaves_the_folder(
    shared_eeg_dir: Path, tmp_path: Path, monkeypatch, capfd
) -> None:
    import spasmwatch.eeg as eeg
    from spasmwatch.cli import run

    out = tmp_path / "out"
    out.mkdir()
    (out / "analysis.json").write_text("{}")

    def interrupted(*_args: object, **_kw: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(eeg, "analyze_eeg", interrupted)
    path = shared_eeg_dir / "real_infant/eeg_burst_eg.edf"
    assert run(["eeg", "analyze", str(path), "--out", str(out)]) == 130
    assert "Interrupted: stopped before the end" in capfd.readouterr().err
    assert (out / "analysis.json").read_text() == "{}"


def test_spanish_summary_says_gaps_signals_left_out_and_sz_note_in_spanish(
    tmp_path: Path,
) -> None:
    import edfio
    import numpy as np

    from .edfd import write_interrupted

    data = np.random.default_rng(6).normal(0, 30, (3, 40 * 256))
    gapped = write_interrupted(tmp_path / "d.edf", data, [*range(0, 20), *range(50, 70)])
    said = " ".join(spasmwatch("eeg", "analyze", str(gapped), "--lang", "es").stdout.split())
    assert (
        "Registro interrumpido: 1 hueco (30 s en total) mantenido en su sitio, sin EEG: 20-50 s"
        in said
    )
    assert "Interrupted" not in said

    rng = np.random.default_rng(0)

    def signal(label: str, fs: float) -> edfio.EdfSignal:
        return edfio.EdfSignal(rng.normal(0, 30, int(60 * fs)), sampling_frequency=fs,
                               label=label, physical_dimension="uV",
                               physical_range=(-500.0, 500.0))  # fmt: skip

    # 64 Hz: too slow for the network's band-pass (a note, no probability); Pz at 96.5 Hz
    # is not a multiple of the main rate and is left out
    path = tmp_path / "slow.edf"
    edfio.Edf([signal("C3", 64), signal("C4", 64), signal("Cz", 64), signal("F3", 64),
               signal("Pz", 96.5)]).write(path)  # fmt: skip
    proc = spasmwatch("eeg", "analyze", str(path), "--lang", "es")
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stdout.split())
    assert "No analizado: Pz (muestreada a 96,5 Hz)" in said
    assert (
        "Sin probabilidad de crisis: muestreado a 64 Hz; el filtro pasa banda de la red "
        "necesita más de 64 Hz." in said
    )
    assert "sampled" not in said and "network" not in said
    # the JSON keeps the English words
    doc = json.loads(spasmwatch("eeg", "analyze", str(path), "--json", "--lang", "es").stdout)
    assert doc["recording"]["skipped_signals"] == ["Pz (sampled at 96.5 Hz)"]
    assert doc["settings"]["sz_note"].startswith("sampled at 64 Hz; the network's band-pass")
