"""The continuity of an EEG's background where the report and the FHIR export summarise the
EEG, with what a discontinuous background means at the baby's age on the day of the
recording, and a short recording's length said exactly (the real neonatal burst-suppression
``real_infant/eeg_burst_eg.edf``, 211 s)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.eeg import analyze_eeg
from spasmwatch.report import render_html
from spasmwatch.report.build import (
    ReportData,
    ReportSource,
    StoredEpisode,
    StoredRecording,
    assemble_report,
    length_words,
)
from spasmwatch.report.fhir import build_bundle

BURST = Path(__file__).resolve().parents[3] / "shared/data/eeg/real_infant/eeg_burst_eg.edf"
NOW = datetime(2026, 12, 2, 9, 0)
#: The EEG's file gives a placeholder start: its day is the upload's.
UPLOADED = datetime(2026, 12, 1, 10, 0)
SAID = "burst-suppression (58% of its seconds attenuated or suppressed)"
PAST = (
    "the baby was past the newborn period at the recording: a discontinuous background is "
    "abnormal at this age"
)


@pytest.fixture(scope="module")
def burst() -> dict[str, Any]:
    """The analysis document of the real burst-suppression, as the diary stores it."""
    return json.loads(json.dumps(analyze_eeg(BURST).to_dict()))


def _report(
    result: dict[str, Any], child: dict[str, Any], born_weeks: float | None = None
) -> ReportData:
    """The report of a child (the case format's ``child``) with one episode and the EEG."""
    when = datetime(2026, 11, 30, 8, 0)
    episode = {"movements": ["head_nod"], "state": "just_woke", "started_at": when.isoformat()}
    birth = date.fromisoformat(child["birth_date"]) if "birth_date" in child else None
    recording = StoredRecording(
        "eeg_burst_eg.edf", "eeg", UPLOADED, None, {"status": "done", "result": result}, {}
    )
    source = ReportSource(
        "Mia",
        birth,
        born_weeks,
        [],
        "unknown",
        {"child": child, "episodes": [episode]},
        [StoredEpisode(1, when, when, episode)],
        [recording],
    )
    return assemble_report(source, now=NOW)


def _plain(page: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


def _finding(html: str) -> str:
    return _plain(html.split("<h3>eeg_burst_eg.edf</h3>", 1)[1].split("</section>", 1)[0])


def _summary_line(html: str) -> str:
    return _plain(html.split('<span class="eeg-line">', 1)[1].split("</span>", 1)[0]).strip()


def test_past_the_newborn_period_the_report_calls_it_abnormal(burst: dict[str, Any]) -> None:
    born = (UPLOADED.date() - timedelta(days=190)).isoformat()
    data = _report(burst, {"birth_date": born}, born_weeks=36.5)
    (eeg,) = data.eegs
    assert eeg.newborn is False and eeg.continuity_said() == SAID
    html = render_html(data)
    said = _finding(html)
    # the row of the background table, with what it means at this age
    assert f"Continuity of the background (ACNS) {SAID} {PAST}" in said
    # the sentence of the findings, after what the analysis looked for
    assert f"The background is {SAID}; {PAST}." in said
    assert "The recording covers 3 min 31 s: a short EEG" in said  # not "4 min"
    # the reasons, which do not know the age, say both sides of it
    assert "abnormal beyond the newborn period: the baby's age at the recording decides" in said
    line = _summary_line(html)
    assert line.startswith("eeg_burst_eg.edf: BASED-like score 2/5, hypsarrhythmia unlikely")
    assert "; background burst-suppression (past the newborn period: abnormal); 2 possible" in line


def test_a_newborn_is_told_that_it_can_be_normal(burst: dict[str, Any]) -> None:
    born = (UPLOADED.date() - timedelta(days=10)).isoformat()
    data = _report(burst, {"birth_date": born})
    (eeg,) = data.eegs
    assert eeg.newborn is True
    said = _finding(render_html(data))
    assert f"The background is {SAID}; the baby was a newborn at the recording, when a " in said
    assert "discontinuous background can be normal (tracé discontinu before term" in said
    assert "(a newborn: can be normal)" in _summary_line(render_html(data))


def test_the_age_in_months_and_the_gestation_decide_without_a_birth_date(
    burst: dict[str, Any],
) -> None:
    """A baby given as 1.5 months old on the report's day, born at 32 weeks: 45 days old at
    the recording, 38 weeks postmenstrual: still a newborn's EEG."""
    data = _report(burst, {"age_months": 1.5}, born_weeks=32.0)
    assert data.eegs[0].newborn is True
    data = _report(burst, {"age_months": 1.5})  # born at term: past the newborn period
    assert data.eegs[0].newborn is False


def test_a_continuous_background_is_in_the_table_only(burst: dict[str, Any]) -> None:
    background = {**burst["background"], "continuity": "continuous", "discontinuity_share": 0.0}
    data = _report({**burst, "background": background}, {"age_months": 6})
    html = render_html(data)
    said = _finding(html)
    assert "Continuity of the background (ACNS) continuous (0% of its seconds" in said
    assert "The background is" not in said and "newborn period" not in _summary_line(html)


def test_a_result_stored_before_the_continuity_says_nothing_of_it(burst: dict[str, Any]) -> None:
    old = {
        k: v
        for k, v in burst["background"].items()
        if k not in ("continuity", "discontinuity_share", "suppressed_share")
    }
    html = render_html(_report({**burst, "background": old}, {"age_months": 6}))
    assert "Continuity of the background" not in html and "background burst" not in html


def test_in_spanish(burst: dict[str, Any]) -> None:
    born = (UPLOADED.date() - timedelta(days=190)).isoformat()
    said = _finding(render_html(_report(burst, {"birth_date": born}), locale="es"))
    assert "Continuidad del fondo (ACNS) brote-supresión (58 % de sus segundos" in said
    assert "pasado el periodo neonatal en el registro" in said


def test_the_fhir_export_carries_it(burst: dict[str, Any]) -> None:
    attachment = {
        "id": 8,
        "kind": "eeg",
        "filename": "eeg_burst_eg.edf",
        "content_type": "application/x-edf",
        "size_bytes": 1000,
        "sha256": "b" * 64,
        "uploaded_at": UPLOADED.isoformat(),
        "analysis": {"status": "done", "result": burst},
    }
    child = {"birth_date": "2026-05-01", "development": "on_track"}
    bundle = build_bundle(child, [], child_id=3, name="Mia", attachments=[attachment], now=NOW)
    observations = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    (continuity,) = [o for o in observations if o["code"]["coding"][0]["code"] == "continuity"]
    assert continuity["valueString"] == "burst-suppression"
    notes = [n["text"] for n in continuity["note"]]
    assert notes[0] == "Burst-suppression (58% of its seconds attenuated or suppressed)."
    assert notes[1].startswith("A discontinuous background is normal in preterm newborns")
    sections = {
        s["code"]["coding"][0]["code"]: s["text"]["div"]
        for s in bundle["entry"][0]["resource"]["section"]
    }
    assert "background burst-suppression (can be normal only in a newborn)" in sections["eeg"]


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (30, "30 s"),
        (211, "3 min 31 s"),
        (240, "4 min"),
        (299, "4 min 59 s"),
        (661, "11 min"),
        (7260, "2 h 1 min"),
        (7200, "2 h"),
    ],
)
def test_a_recordings_length_in_the_report(seconds: float, said: str) -> None:
    assert length_words(seconds) == said
