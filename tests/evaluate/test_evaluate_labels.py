"""Reading the labels of ``spasmwatch evaluate``: the formats, the subjects, and every
mistake reported with its file, line and field, before anything is analysed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from spasmwatch.cli import run
from spasmwatch.evaluate import LabelError, read_eeg_labels, read_video_labels
from spasmwatch.evaluate.labels import UnmatchedLabels
from spasmwatch.testing.video import render

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
    assert len(problems) == 4  # a row of a video not given is not a problem
    assert "line 2: 'start_s' must be a number of seconds; got 'soon'" in problems[0]
    assert "line 4: 'end_s' (4) must be after 'start_s' (5)" in problems[1]
    assert "line 5: Invalid value for 'kind': allowed are spasm, flexion" in problems[2]
    assert "line 7: 'subject' 'z' differs from 'y'" in problems[3]
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
    assert "other_events" not in text  # the events file of a recording not given
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
    assert "labels.csv: none of its 1 rows names one of the 3 input videos" in err
    assert "line 2: 'file' 'ghost.mp4' is not one of the 3 input files" in err
    assert "Traceback" not in captured.err + captured.out
    assert not (tmp_path / "report").exists()  # nothing was analysed
    code = run(["evaluate", "eeg", str(tmp_path / "videos"), "--out", str(tmp_path / "r")])
    assert code == 2 and "No eeg files found" in capsys.readouterr().err


# ---------------------------------------------------------------- labels of a larger set
def test_a_labels_folder_of_a_larger_set_scores_the_inputs_and_says_the_rest_once(
    tmp_path: Path,
) -> None:
    files = _recordings(tmp_path, ["eeg1.edf", "eeg9.edf", "eeg15.edf"])
    labels = tmp_path / "labels"
    labels.mkdir()
    for k in (1, 2, 3, 9, 10, 11, 12, 15):
        (labels / f"eeg{k}_events.tsv").write_text(HEADER + f"{k}\t20\tsz\tn/a\tn/a\tn/a\t600\n")
    (labels / "participants.tsv").write_text("participant_id\tfile\nsub-x\teeg2.edf\n")
    hyps = tmp_path / "hyps.csv"
    hyps.write_text("file,hypsarrhythmia\neeg1.edf,no\neeg2.edf,yes\neeg3.edf,no\n")
    unmatched: list[UnmatchedLabels] = []
    got = read_eeg_labels(files, tmp_path / "eeg", labels, hypsarrhythmia=hyps, unmatched=unmatched)
    assert [got[f].events[0].start_s for f in files] == [1.0, 9.0, 15.0]
    assert [got[f].hypsarrhythmia for f in files] == [False, None, None]
    events, table = unmatched
    assert (events.total, events.names) == (8, [f"eeg{k}_events.tsv" for k in (10, 11, 12, 2, 3)])
    assert events.summary() == (
        f"5 of 8 events files in {labels} name no input recording and are not scored: "
        "eeg10_events.tsv, eeg11_events.tsv, eeg12_events.tsv and 2 more"
    )
    assert (table.total, table.names) == (3, ["line 3: 'eeg2.edf'", "line 4: 'eeg3.edf'"])
    assert table.summary().startswith(f"2 of 3 rows in {hyps} name no input recording")


def test_labels_of_which_none_names_an_input_are_refused(tmp_path: Path) -> None:
    files = _recordings(tmp_path, ["night.edf", "day.edf"])
    labels = tmp_path / "labels"
    labels.mkdir()
    for k in range(5):
        (labels / f"eeg{k}_events.tsv").write_text(HEADER)
    with pytest.raises(LabelError) as caught:
        read_eeg_labels(files, tmp_path / "eeg", labels)
    problems = caught.value.problems
    assert problems[0].startswith(
        f"{labels}: none of its 5 events files names one of the 2 input recordings "
        "(it has eeg0_events.tsv, eeg1_events.tsv, eeg2_events.tsv, ...;"
    )
    assert sum("no events file in" in p for p in problems) == 2
    (labels / "night_events.tsv").write_text(HEADER)
    hyps = tmp_path / "hyps.csv"
    hyps.write_text("file,hypsarrhythmia\neeg0.edf,yes\n")
    with pytest.raises(LabelError) as caught:
        read_eeg_labels(files, tmp_path / "eeg", labels, hypsarrhythmia=hyps)
    problems = caught.value.problems
    # the recording without labels is still a problem; the others were skipped
    assert "day.edf: no events file in" in problems[0]
    assert "hyps.csv: none of its 1 rows names one of the 2 input recordings" in problems[1]
    assert "hyps.csv, line 2: 'file' 'eeg0.edf' is not one of the 2 input files" in problems[2]
    assert len(problems) == 3


def test_two_events_files_for_one_recording_are_a_problem(tmp_path: Path) -> None:
    files = _recordings(tmp_path, ["a/r1.edf"])
    labels = tmp_path / "labels"
    for folder in ("a", "b"):
        (labels / folder).mkdir(parents=True)
        (labels / folder / "r1_events.tsv").write_text(HEADER)
    with pytest.raises(LabelError) as caught:
        read_eeg_labels(files, tmp_path / "eeg", labels)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{labels / 'b' / 'r1_events.tsv'}: a second events file for")


def test_rows_of_videos_not_given_are_skipped_and_said_once(
    videos: list[Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "file,start_s,end_s,kind,subject\n"
        "a.mp4,1,2,flexion,baby1\n"
        "elsewhere/z.mp4,3,4,spasm,baby9\n"
        "y.mp4,,,,baby8\n"
    )
    unmatched: list[UnmatchedLabels] = []
    got = read_video_labels(labels, videos, tmp_path / "videos", unmatched)
    assert [e.start_s for e in got[videos[0]].events] == [1.0]
    assert {r.subject for r in got.values()} == {"baby1", "b/c.mp4", "well.mp4"}
    (rows,) = unmatched
    assert rows.summary() == (
        f"2 of 3 rows in {labels} name no input recording and are not scored: "
        "line 3: 'elsewhere/z.mp4', line 4: 'y.mp4'"
    )
    with caplog.at_level("WARNING", logger="spasmwatch"):
        read_video_labels(labels, videos, tmp_path / "videos")  # no list: logged
    assert [r.getMessage() for r in caplog.records] == [rows.summary()]


def test_render_labelled_writes_the_labels_of_one_rendered_video(
    tmp_path: Path, videos: list[Path]
) -> None:
    spec = next(s for s in render.test_set() if s.name == "cluster_03")
    truth = render.schedule(spec)  # the truth the rendered video would have
    clip = tmp_path / "videos" / "clip.mp4"
    clip.write_bytes(b"rendered elsewhere")
    (tmp_path / "videos" / "clip.json").write_text(json.dumps(truth.to_json()))
    labels = tmp_path / "labels" / "labels.csv"
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "render_labelled.py"
    done = subprocess.run(
        [sys.executable, str(script), "--truth", str(clip.with_suffix(".json")), "--labels",
         str(labels)], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    got = read_video_labels(labels, [*videos, clip], tmp_path / "videos")[clip]
    assert got.subject == "clip"
    assert [(round(e.start_s, 3), round(e.end_s, 3)) for e in got.events] == [
        (round(e.start_s, 3), round(e.end_s, 3)) for e in truth.spasms
    ]
    assert {e.kind for e in got.events} <= {"flexion", "extension", "spasm"}
    missing = subprocess.run(
        [sys.executable, str(script), "--truth", str(tmp_path / "other.json"), "--labels",
         str(labels)], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert missing.returncode != 0 and "no video other.mp4 beside it" in missing.stderr


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
