"""The intervals of ``spasmwatch evaluate``: a bootstrap over subjects from
``MIN_BOOTSTRAP_SUBJECTS`` subjects on, below it the Wilson interval of the events for a
share of events and no interval for any other figure; and what the report says of them."""

from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path

from spasmwatch.cli import run
from spasmwatch.evaluate.scores import (
    MIN_BOOTSTRAP_SUBJECTS,
    Counts,
    figures,
    wilson_interval,
)
from spasmwatch.testing.helsinki import HELSINKI

N = MIN_BOOTSTRAP_SUBJECTS


def test_the_wilson_interval_gives_the_published_values() -> None:
    # Newcombe, Stat Med 1998, 17:857-872, table I, method 3 (score interval)
    for (found, of), (low, high) in {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0, 0.1611),
        (1, 29): (0.0061, 0.1718),
    }.items():
        lo, hi = wilson_interval(found, of)
        assert (round(lo, 4), round(hi, 4)) == (low, high)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))  # no event, no interval


def test_one_labelled_seizure_is_not_reported_as_certain() -> None:
    """The clinic's case: one subject, 1 of 1 seizure found, 2 false detections."""
    f = figures({"baby": Counts(reference=1, found=1, true_detections=1, false_detections=2,
                                hours=1.0)})  # fmt: skip
    sensitivity = f["sensitivity"]
    assert sensitivity["value"] == 1.0 and sensitivity["interval"] == "wilson"
    assert (sensitivity["ci_low"], sensitivity["ci_high"]) == (0.2065, 1.0)
    assert f["precision"]["interval"] == "wilson" and f["precision"]["ci_low"] < 1 / 3
    for name in ("f1", "false_per_hour"):  # no share of events: no interval at all
        assert f[name]["interval"] == "none" and f[name]["ci_low"] is None
        assert f[name]["value"] is not None and f[name]["subjects"] == 1


def _subjects(n: int, without_events: int = 0) -> dict[str, Counts]:
    """``n`` subjects that each had one seizure, found, and one false detection; and
    ``without_events`` subjects with neither."""
    rows = {f"s{i}": Counts(1, 1, 1, 1, 1.0) for i in range(n)}
    rows |= {f"quiet{i}": Counts(hours=1.0) for i in range(without_events)}
    return rows


def test_below_the_fewest_subjects_a_share_of_events_gets_the_wilson_interval() -> None:
    f = figures(_subjects(N - 1), n_boot=400)
    assert f["sensitivity"]["interval"] == "wilson" and f["sensitivity"]["subjects"] == N - 1
    low, high = wilson_interval(N - 1, N - 1)
    assert (f["sensitivity"]["ci_low"], f["sensitivity"]["ci_high"]) == (
        round(low, 4),
        round(high, 4),
    )
    assert f["sensitivity"]["ci_low"] < 1.0  # not "1.00 (1.00-1.00)"
    assert f["f1"]["interval"] == "none" and f["false_per_hour"]["interval"] == "none"


def test_from_the_fewest_subjects_on_the_interval_is_a_bootstrap() -> None:
    f = figures(_subjects(N), n_boot=400)
    for name in ("sensitivity", "precision", "f1", "false_per_hour"):
        assert f[name]["interval"] == "bootstrap" and f[name]["subjects"] == N, name
    # every subject found its seizure: the bootstrap alone would say 1.00-1.00; a share of
    # events is never narrower than the Wilson interval of its N of N events
    low, _ = wilson_interval(N, N)
    assert f["sensitivity"]["ci_low"] == round(low, 4) and f["sensitivity"]["ci_high"] == 1.0
    # F1 and false detections per hour are the same in every subject: no width
    assert f["false_per_hour"]["ci_low"] == f["false_per_hour"]["ci_high"] == 1.0


def test_subjects_without_a_labelled_event_do_not_count_for_sensitivity() -> None:
    """One child with the only seizure and many without: sensitivity rests on that one
    child, false detections per hour on all of them."""
    f = figures(_subjects(1, without_events=3 * N), n_boot=400)
    assert f["sensitivity"]["interval"] == "wilson" and f["sensitivity"]["subjects"] == 1
    assert f["false_per_hour"]["interval"] == "bootstrap"
    assert f["false_per_hour"]["subjects"] == 3 * N + 1
    assert f["counts"]["subjects"] == 3 * N + 1


def test_no_replicates_no_interval() -> None:
    f = figures(_subjects(N), n_boot=0)
    assert all(f[k]["interval"] == "none" for k in ("sensitivity", "precision", "f1"))


def test_the_report_says_which_interval_it_gives(tmp_path: Path) -> None:
    """``spasmwatch evaluate eeg`` on one recording with one labelled seizure (the
    clinic's case): the report marks the Wilson interval and says why, the operating
    curve's table says how each interval was made, and nothing reads 1.00-1.00."""
    folder = tmp_path / "recordings"
    folder.mkdir()
    shutil.copyfile(HELSINKI / "clips" / "eeg1.edf", folder / "rec.edf")
    (folder / "rec_events.tsv").write_text(
        "onset\tduration\teventType\n5\t20\tsz\n", encoding="utf-8"
    )
    out = tmp_path / "report"
    code = run(["evaluate", "eeg", str(folder), "--out", str(out), "--workers", "1",
                "--timeout", "120", "--bootstrap", "200"])  # fmt: skip
    assert code == 0
    doc = json.loads((out / "evaluation.json").read_text())
    sensitivity = doc["pooled"]["sz"]["normal"]["sensitivity"]
    assert sensitivity["interval"] == "wilson" and sensitivity["subjects"] == 1
    low, high = wilson_interval(doc["pooled"]["sz"]["normal"]["counts"]["found"], 1)
    assert (sensitivity["ci_low"], sensitivity["ci_high"]) == (round(low, 4), round(high, 4))
    assert "intervals" in doc["rules"] and f"fewer than {N} subjects" in doc["rules"]["intervals"]
    page = (out / "report.html").read_text()
    assert f"Fewer than {N} subjects bear on some figures" in page
    assert "W)" in page and "(no interval)" in page and "1.00 (1.00-1.00)" not in page
    curve = list(csv.DictReader((out / "operating_curve.csv").open()))
    assert {r["sensitivity_interval"] for r in curve if r["event_type"] == "sz"} == {"wilson"}
    assert {r["f1_interval"] for r in curve if r["event_type"] == "sz"} <= {"none"}
