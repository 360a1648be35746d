"""An EEG's limits travel with its findings outside the PDF: an "unlikely" hypsarrhythmia
assessment that does not rule the pattern out says so in the CSV table of recordings, in
the FHIR Observations and their narrative, and in the terminal's summary, in the words of
the report's first page; the possible seizures' Observation says that the detector was
made on newborns' EEG.

The family of these tests brought a real infant's EEG (``demo.edf``: amplitude p95
1021 µV, too few discharges found for the spike form: "unlikely (high amplitude without
enough discharges found: not ruled out)"; six possible seizures, the longest 391 s) and a
30-s neonatal clip (``eeg5.edf``: cannot be assessed, nothing to qualify).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from report.diary import attach, make_child
from spasmwatch.config import Settings
from spasmwatch.diary.exchange import export_csv_zip, fhir_bundle
from spasmwatch.diary.reporting import build_report
from spasmwatch.i18n import translations
from spasmwatch.report import render_html
from spasmwatch.report.build import NEWBORN_DETECTOR, NOT_RULED_OUT
from spasmwatch.store import Database

EEG_DIR = Path(__file__).resolve().parents[3] / "shared/data/eeg"
DEMO = EEG_DIR / "real_infant/demo.edf"
EEG5 = EEG_DIR / "helsinki/clips/eeg5.edf"
#: The qualifier of the demo's "unlikely", as the report's first page says it.
QUALIFIER = NOT_RULED_OUT["high_amplitude"]
UNLIKELY = f"unlikely ({QUALIFIER})"


@dataclass(frozen=True)
class Exported:
    html: str
    bundle: dict[str, Any]
    rows: dict[str, dict[str, str]]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    folder = tmp_path_factory.mktemp("eeg-limits")
    database = Database(Settings(data_dir=folder / "data"))
    database.migrate()
    now = datetime.now().replace(microsecond=0)
    child_id, user_id = make_child(database, now, with_diary=False)
    for path in (DEMO, EEG5):
        attach(database, child_id, user_id, path)
    html = render_html(build_report(database, child_id, now=now))
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(database, child_id))) as archive:
        text = archive.read("recordings.csv").decode("utf-8-sig")
    rows = {r["file"]: r for r in csv.DictReader(io.StringIO(text))}
    yield Exported(html, fhir_bundle(database, child_id), rows)
    database.dispose()


def test_the_report_says_the_qualifier_the_exports_now_say(exported: Exported) -> None:
    """The words the exports take are the report's own."""
    # and the continuity of its background, at the baby's age at the recording (6 months)
    assert (
        f"hypsarrhythmia {UNLIKELY}; background discontinuous (past the newborn period: "
        "abnormal); 6 possible seizures, the longest 391 s"
    ) in exported.html


def test_the_csv_says_what_keeps_unlikely_from_ruling_it_out(exported: Exported) -> None:
    demo = exported.rows["demo.edf"]
    assert demo["hypsarrhythmia_assessment"] == "unlikely"  # the code stays as it was
    assert demo["hypsarrhythmia_note"] == QUALIFIER
    # nothing to qualify: cannot be assessed has its own word
    short = exported.rows["eeg5.edf"]
    assert (short["hypsarrhythmia_assessment"], short["hypsarrhythmia_note"]) == (
        "cannot_assess",
        "",
    )
    header = list(exported.rows["demo.edf"])
    assert header.index("hypsarrhythmia_note") == header.index("hypsarrhythmia_assessment") + 1


def _observations(bundle: dict[str, Any], filename: str) -> dict[str, dict[str, Any]]:
    resources = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    (document,) = [url for url, r in resources.items() if r.get("description") == filename]
    return {
        r["code"]["coding"][0]["code"]: r
        for r in resources.values()
        if r["resourceType"] == "Observation"
        and [d["reference"] for d in r.get("derivedFrom", [])] == [document]
        and "hasMember" not in r
    }


def test_fhir_keeps_its_codes_and_adds_the_qualifier_as_a_note(exported: Exported) -> None:
    demo = _observations(exported.bundle, "demo.edf")
    likely, assessment = demo["hypsarrhythmia_likely"], demo["hypsarrhythmia_assessment"]
    assert likely["valueBoolean"] is False and assessment["valueString"] == "unlikely"
    for observation in (likely, assessment):
        assert observation["code"]["coding"][0]["system"].endswith("/eeg-measure")
        assert [n["text"] for n in observation["note"]] == [f"Hypsarrhythmia {UNLIKELY}."]
    short = _observations(exported.bundle, "eeg5.edf")
    assert "note" not in short["hypsarrhythmia_assessment"]
    # the narrative of the EEG section says it too
    (eeg,) = [s for s in exported.bundle["entry"][0]["resource"]["section"] if s["title"] == "EEG"]
    assert (
        f"demo.edf: BASED-like score 2, hypsarrhythmia: {UNLIKELY}; background discontinuous "
        "(can be normal only in a newborn); 6 possible" in (eeg["text"]["div"])
    )


def test_fhir_possible_seizures_say_the_detector_was_made_on_newborns(
    exported: Exported,
) -> None:
    for filename in ("demo.edf", "eeg5.edf"):
        counted = _observations(exported.bundle, filename)["possible_seizures"]
        assert NEWBORN_DETECTOR in [n["text"] for n in counted["note"]], filename
    assert "false alarms" in NEWBORN_DETECTOR and "newborns" in NEWBORN_DETECTOR


def _eeg_analyze(*args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "spasmwatch", "eeg", "analyze", str(DEMO), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return " ".join(proc.stdout.split())  # the terminal's width wraps the lines


@pytest.mark.parametrize("lang", ["en", "es"])
def test_eeg_analyze_says_unlikely_with_its_qualifier(lang: str) -> None:
    said = _eeg_analyze("--lang", lang)
    _ = translations(lang).gettext
    label = _("Hypsarrhythmia: %(verdict)s") % {"verdict": f"{_('unlikely')} ({_(QUALIFIER)})"}
    assert label in said
    assert said.count(_("Hypsarrhythmia: %(verdict)s") % {"verdict": ""}) == 1
