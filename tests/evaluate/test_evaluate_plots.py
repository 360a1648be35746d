"""The plots of the evaluation report say what the tables say: levels with the same
figures stay visible and are said to coincide, a sensitivity of 0 is drawn as a 0 with
its counts, and every recording's timeline has a row per sensitivity level.

The evaluations are scored from hand-made detections by the functions that score an
analysis (no video or EEG is analysed), then drawn and written as the report is."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from spasmwatch.batch import BatchResult
from spasmwatch.evaluate.detections import LEVELS
from spasmwatch.evaluate.labels import LabelledEvent, RecordingLabels
from spasmwatch.evaluate.plots import plot_operating_curve, plot_subjects, plot_timeline
from spasmwatch.evaluate.report import write_report
from spasmwatch.evaluate.run import (
    Evaluation,
    EvaluationSettings,
    RecordingResult,
    _pool,
    _rules,
    _score_eeg,
    _score_video,
)

Spans = list[tuple[float, float]]


def _video(name: str, subject: str, spasms: Spans, found: dict[str, Spans]) -> RecordingResult:
    events = [
        LabelledEvent(a, b, "flexion", f"labels.csv, line {i}") for i, (a, b) in enumerate(spasms)
    ]
    rec = RecordingResult(RecordingLabels(Path(name), name, subject, events), sha256=name)
    rec.duration_s = 120.0
    levels = {level: [[a, b, 0.8] for a, b in found.get(level, [])] for level in LEVELS}
    _score_video(rec, {"levels": levels}, 0.3)
    return rec


def _evaluation(kind: str, recordings: list[RecordingResult], out: Path) -> Evaluation:
    settings = EvaluationSettings(n_boot=0)
    ev = Evaluation(
        kind=kind,
        out_dir=out,
        settings=settings,
        batch=BatchResult(out / "analysis"),
        recordings=recordings,
        event_types=["spasm"] if kind == "video" else ["sz", "decrement"],
        rules=_rules(kind, settings.slack_s),
    )
    _pool(ev)
    return ev


SEVEN = [(5.0 + 15 * k, 6.0 + 15 * k) for k in range(7)]
FOUR = [(10.0 + 20 * k, 11.5 + 20 * k) for k in range(4)]
THREE = [(20.0, 21.0), (50.0, 51.0), (80.0, 81.0)]


def _missed() -> RecordingResult:
    """Seven spasms, none found at any level: a sensitivity of 0 of 7."""
    return _video("missed.mp4", "baby-a", SEVEN, {})


def _same() -> RecordingResult:
    """Four spasms, all found, by the same detections at every level."""
    return _video("same.mp4", "baby-b", FOUR, dict.fromkeys(LEVELS, FOUR))


def _varies() -> RecordingResult:
    """Three spasms: low finds one, normal two, high all three and a false one."""
    found = {"low": THREE[:1], "normal": THREE[:2], "high": [*THREE, (100.0, 101.0)]}
    return _video("varies.mp4", "baby-c", THREE, found)


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def _markers(fig: Figure) -> list[tuple[str, float, float, float]]:
    """(marker, size, x, y) of every drawn marker of the figure's axes."""
    out = []
    for line in fig.axes[0].lines:
        if line.get_marker() in ("None", None, ""):
            continue
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
            out.append((str(line.get_marker()), float(line.get_markersize()), float(x), float(y)))
    return out


def test_levels_with_the_same_figures_are_all_seen_and_said_to_coincide(tmp_path: Path) -> None:
    ev = _evaluation("video", [_missed(), _same()], tmp_path)
    assert len({str(ev.pooled["spasm"][lv]["sensitivity"]) for lv in LEVELS}) == 1
    fig = plot_operating_curve(ev, "spasm")
    assert "low = normal = high\n(the same result)" in _texts(fig)
    markers = _markers(fig)
    assert len({(x, y) for _m, _s, x, y in markers}) == 1  # at the one true point
    assert len({(m, s) for m, s, _x, _y in markers}) == 3  # each level its marker and size


def test_levels_with_different_figures_are_labelled_each(tmp_path: Path) -> None:
    ev = _evaluation("video", [_missed(), _same(), _varies()], tmp_path)
    fig = plot_operating_curve(ev, "spasm")
    assert {"low", "normal", "high"} <= set(_texts(fig))
    assert not any("=" in t for t in _texts(fig))
    assert len({(x, y) for _m, _s, x, y in _markers(fig)}) == 3


def test_a_sensitivity_of_zero_is_a_visible_zero_with_its_counts(tmp_path: Path) -> None:
    ev = _evaluation("video", [_missed(), _same(), _varies()], tmp_path)
    missed = next(s for s in ev.per_subject if s["subject"] == "baby-a")["spasm"]
    assert (missed["sensitivity"], missed["found"], missed["reference"]) == (0.0, 0, 7)
    fig = plot_subjects(ev, "spasm")
    texts = _texts(fig)
    assert "0 of 7" in texts  # the missed child's sensitivity, not only "no detection"
    assert "no detection" in texts  # its precision: it has none
    assert {"4 of 4", "2 of 3"} <= set(texts)  # the others' bars say their counts
    row = [s["subject"] for s in ev.per_subject].index("baby-a")
    assert ("D", 5.0, 0.0, row - 0.2) in _markers(fig)  # a marker at 0 on its row


def test_every_video_has_a_row_per_level_even_where_the_levels_detect_the_same(
    tmp_path: Path,
) -> None:
    ev = _evaluation("video", [_missed(), _same(), _varies()], tmp_path)
    rows = ["labels spasm", "low spasm", "normal spasm", "high spasm"]
    for r in ev.recordings:
        fig = plot_timeline(ev, r)
        assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == rows, r.labels.name


def test_eeg_decrements_have_one_row_and_one_labelled_point(tmp_path: Path) -> None:
    labels = RecordingLabels(
        Path("rec.edf"),
        "rec.edf",
        "sub-01",
        [
            LabelledEvent(30.0, 31.5, "decrement", "rec_events.tsv, line 2"),
            LabelledEvent(100.0, 140.0, "sz", "rec_events.tsv, line 3"),
        ],
    )
    rec = RecordingResult(labels, sha256="rec")
    rec.duration_s = 600.0
    doc = {
        "events": [{"eventType": "decrement", "onset": 30.2, "duration": 2.0, "confidence": 0.7}],
        "background": {},
    }
    levels = {"low": [], "normal": [[100.0, 130.0, 0.9]], "high": [[98.0, 135.0, 0.8]]}
    _score_eeg(rec, doc, {"levels": levels})
    ev = _evaluation("eeg", [rec], tmp_path)
    names = [t.get_text() for t in plot_timeline(ev, rec).axes[0].get_yticklabels()]
    assert names == ["labels sz", "low sz", "normal sz", "high sz", "labels decrement",
                     "detected decrement"]  # fmt: skip
    said = "low = normal = high\n(no sensitivity setting: the same detections)"
    assert said in _texts(plot_operating_curve(ev, "decrement"))


def test_the_report_writes_the_plots(tmp_path: Path) -> None:
    ev = _evaluation("video", [_missed(), _same(), _varies()], tmp_path)
    files = write_report(ev)
    html = Path(files["report"]).read_text()
    for name in ("operating_curve_spasm.png", "subjects_spasm.png"):
        assert f"plots/{name}" in html
        assert (tmp_path / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert html.count("plots/timeline_") == 3
