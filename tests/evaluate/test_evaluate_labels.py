"""Reading the labels of ``spasmwatch evaluate``: the formats, the subjects, and every
mistake reported with its file, line and field, before anything is analysed."""

from __future__ import annotations

from pathlib import Path

import pytest

from spasmwatch.cli import run
from spasmwatch.evaluate import LabelError, read_eeg_labels, read_video_labels

HEADER = "onset\tduration\teventType\tconfidence\tchannels\tdateTime\trecordingDuration\n"


@pytest.fixture
def videos(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "videos"
    (folder / "b").mkdir(parents=True)
    paths = [folder / "a.mp4", folder / "b" / "c.mp4", folder / "well.mp4"]
    for p in paths:
        p.write_bytes(b"not decoded by these tests")
    return paths


def test_video_labels_by_path_or_name_with_subjects(videos: list[Path], tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "file,start_s,end_s,kind,subject\n"
        "a.mp4,12.5,13.5,flexion,baby1\n"
        "b/c.mp4,3,4,Nod,baby1\n"
        "a.mp4,2,3.1,spasm,baby1\n"
        "well.mp4,,,,baby2\n"
    )
    got = read_video_labels(labels, videos, tmp_path / "videos")
    a, c, well = (got[p] for p in videos)
    assert [(e.start_s, e.kind) for e in a.events] == [(2.0, "spasm"), (12.5, "flexion")]
    assert c.events[0].kind == "nod" and c.name == "b/c.mp4"
    assert (a.subject, c.subject, well.subject, well.events) == ("baby1", "baby1", "baby2", [])


def test_a_video_without_rows_is_spasm_free_and_its_own_subject(
    videos: list[Path], tmp_path: Path
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("file,start_s,end_s,kind\na.mp4,1,2,extension\n")
    got = read_video_labels(labels, videos, tmp_path / "videos")
    assert got[videos[2]].events == [] and got[videos[2]].subject == "well.mp4"


def test_every_video_label_problem_is_named_with_its_line(
    videos: list[Path], tmp_path: Path
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "file,start_s,end_s,kind,subject\n"
        "a.mp4,soon,3,spasm,x\n"
        "missing.mp4,1,2,spasm,x\n"
        "a.mp4,5,4,spasm,x\n"
        "a.mp4,1,2,twitch,x\n"
        "b/c.mp4,1,2,spasm,y\n"
        "c.mp4,3,4,spasm,z\n"
    )
    with pytest.raises(LabelError) as caught:
        read_video_labels(labels, videos, tmp_path / "videos")
    problems = caught.value.problems
    assert len(problems) == 5
    assert "line 2: 'start_s' must be a number of seconds; got 'soon'" in problems[0]
    assert "line 3: 'file' 'missing.mp4' is not one of the 3 input files" in problems[1]
    assert "line 4: 'end_s' (4) must be after 'start_s' (5)" in problems[2]
    assert "line 5: Invalid value for 'kind': allowed are spasm, flexion" in problems[3]
    assert "line 7: 'subject' 'z' differs from 'y'" in problems[4]
    assert all(str(labels) in p for p in problems)


def test_missing_columns_and_missing_file(videos: list[Path], tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("file,start,end_s\na.mp4,1,2\n")
    with pytest.raises(LabelError, match=r"missing column\(s\) 'start_s', 'kind'"):
        read_video_labels(labels, videos, None)
    with pytest.raises(LabelError, match="does not exist"):
        read_video_labels(tmp_path / "nope.csv", videos, None)


def _recordings(tmp_path: Path, names: list[str]) -> list[Path]:
    out = []
    for name in names:
        p = tmp_path / "eeg" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"0")
        out.append(p)
    return out


def test_eeg_events_beside_recordings_with_bids_names(tmp_path: Path) -> None:
    files = _recordings(tmp_path, ["sub-07/sub-07_run-01_eeg.edf", "night.edf"])
    (tmp_path / "eeg" / "sub-07" / "sub-07_run-01_events.tsv").write_text(
        HEADER
        + "10\t40\tsz_foc_a\tn/a\tn/a\tn/a\t600\n"
        + "200\t1.5\tspasm\tn/a\tn/a\tn/a\t600\n"
        + "0\t600\tbckg\tn/a\tn/a\tn/a\t600\n"
        + "300\t2\tartifact\tn/a\tn/a\tn/a\t600\n"
    )
    (tmp_path / "eeg" / "night_events.tsv").write_text(HEADER)
    got = read_eeg_labels(files, tmp_path / "eeg")
    bids, night = got[files[0]], got[files[1]]
    assert [(e.kind, e.start_s, e.end_s) for e in bids.events] == [
        ("decrement", 200.0, 201.5),
        ("sz", 10.0, 50.0),
    ]
    assert bids.subject == "sub-07" and bids.ignored == {"artifact": 1}
    assert night.events == [] and night.subject == "night.edf"


def test_eeg_labels_folder_participants_and_hypsarrhythmia(tmp_path: Path) -> None:
    files = _recordings(tmp_path, ["r1.edf", "r2.edf", "r3.edf"])
    labels = tmp_path / "labels"
    labels.mkdir()
    for name in ("r1", "r2", "r3"):
        (labels / f"{name}_events.tsv").write_text(HEADER)
    (labels / "participants.tsv").write_text("participant_id\tfile\nsub-a\tr1.edf;r2.edf\n")
    hyps = tmp_path / "hyps.csv"
    hyps.write_text("file,hypsarrhythmia\nr1.edf,yes\nr3,No\n")
    got = read_eeg_labels(files, tmp_path / "eeg", labels, hypsarrhythmia=hyps)
    assert [got[f].subject for f in files] == ["sub-a", "sub-a", "r3.edf"]
    assert [got[f].hypsarrhythmia for f in files] == [True, None, False]


def test_every_eeg_label_problem_is_named(tmp_path: Path) -> None:
    files = _recordings(tmp_path, ["r1.edf", "r2.edf", "r3.edf"])
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "r1_events.tsv").write_text("onset\tlength\teventType\n1\t2\tsz\n")
    (labels / "r2_events.tsv").write_text(HEADER + "x\t2\tsz\tn/a\tn/a\tn/a\t9\n")
    (labels / "other_events.tsv").write_text(HEADER)
    hyps = tmp_path / "hyps.csv"
    hyps.write_text("file,hypsarrhythmia\nr1.edf,maybe\n")
    with pytest.raises(LabelError) as caught:
        read_eeg_labels(files, tmp_path / "eeg", labels, hypsarrhythmia=hyps)
    text = "\n".join(caught.value.problems)
    assert "r3.edf: no events file in" in text and "r3_events.tsv" in text
    assert "other_events.tsv: names no input recording" in text
    assert "r1_events.tsv: missing column(s) 'duration'" in text
    assert "r2_events.tsv, line 2: 'onset' must be a number of seconds; got 'x'" in text
    assert "hyps.csv, line 2: Invalid value for 'hypsarrhythmia': allowed are yes, no" in text


def test_the_command_reports_bad_labels_without_a_traceback(
    videos: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("file,start_s,end_s,kind\nghost.mp4,1,2,spasm\n")
    code = run(
        ["evaluate", "video", str(tmp_path / "videos"), "--labels", str(labels), "--out",
         str(tmp_path / "report")]
    )  # fmt: skip
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())  # the console wraps long lines
    assert code == 2
    assert "line 2: 'file' 'ghost.mp4' is not one of the 3 input files" in err
    assert "Traceback" not in captured.err + captured.out
    assert not (tmp_path / "report").exists()  # nothing was analysed
    code = run(["evaluate", "eeg", str(tmp_path / "videos"), "--out", str(tmp_path / "r")])
    assert code == 2 and "No eeg files found" in capsys.readouterr().err


def test_the_docs_name_every_option_and_kind() -> None:
    import typer.main

    from spasmwatch.cli import app
    from spasmwatch.evaluate.labels import VIDEO_KINDS

    page = (Path(__file__).resolve().parents[2] / "docs" / "evaluate.md").read_text()
    group = typer.main.get_command(app).commands["evaluate"]  # type: ignore[attr-defined]
    for name in ("video", "eeg"):
        for param in group.commands[name].params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert f"`{opt}" in page or f"{opt}`" in page, opt
    for kind in VIDEO_KINDS:
        assert f"`{kind}`" in page, kind
