"""The summaries of a child's videos and EEGs say what the analyses found, and what they
could not: the report's first page and its findings, the FHIR Bundle and the CSV tables.

The family of these tests filmed three videos a phone often makes (no baby in the
picture, a dark room, a phone moving in the hand: :mod:`report.recordings`) and brought
two real EEGs: a 30-s neonatal clip (``eeg5.edf``: too short to score; the seizure
detector marks all of it) and a real infant's recording (``demo.edf``: six possible
seizures, the longest 391 s).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from report.diary import attach, make_child
from report.recordings import dark_video, shaky_video, small_video
from spasmwatch.config import Settings
from spasmwatch.diary.exchange import export_csv_zip, fhir_bundle
from spasmwatch.diary.reporting import build_report
from spasmwatch.report import ReportData, render_html
from spasmwatch.report.recording_table import RECORDING_COLUMNS
from spasmwatch.report.recording_words import problem_words
from spasmwatch.store import Database, repo
from web.webworld import add_child, new_app, share, sign_up, upload

EEG_DIR = Path(__file__).resolve().parents[3] / "shared/data/eeg"
EEG5 = EEG_DIR / "helsinki/clips/eeg5.edf"
DEMO = EEG_DIR / "real_infant/demo.edf"
NOT_SCORED = "not given (too little usable EEG: 30 s, at least 120 s needed)"
NO_BABY = "no baby found in the picture: not analysed for spasms"
ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


@dataclass(frozen=True)
class Passed:
    """The child's report, FHIR Bundle and CSV tables."""

    data: ReportData
    html: str
    bundle: dict[str, Any]
    tables: dict[str, list[dict[str, str]]]


@pytest.fixture(scope="module")
def passed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Passed]:
    folder = tmp_path_factory.mktemp("recordings")
    database = Database(Settings(data_dir=folder / "data"))
    database.migrate()
    now = datetime.now().replace(microsecond=0)
    child_id, user_id = make_child(database, now)
    for path in (small_video(folder), dark_video(folder), shaky_video(folder), EEG5, DEMO):
        attach(database, child_id, user_id, path)
    data = build_report(database, child_id, now=now)
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(database, child_id))) as archive:
        tables = {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }
    yield Passed(data, render_html(data), fhir_bundle(database, child_id), tables)
    database.dispose()


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _lines(html: str, kind: str) -> dict[str, str]:
    """Page 1's line of each video or EEG (``kind``), by file name."""
    lines = [
        _text(s) for s in re.findall(rf'<span class="{kind}-line">(.*?)</span>(?:<br>|</dd>)', html)
    ]
    return {line.split(":", 1)[0]: line for line in lines}


def _section(html: str, filename: str) -> str:
    return _text(html.split(f"<h3>{filename}</h3>", 1)[1].split("</section>", 1)[0])


def _resources(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["fullUrl"]: e["resource"] for e in bundle["entry"]}


def _code(resource: dict[str, Any]) -> str:
    return str(resource["code"]["coding"][0]["code"])


# ------------------------------------------------------------------ the report


def test_page_one_names_each_videos_quality_problem(passed: Passed) -> None:
    """Beside the counts, the quality check each video did not pass; where no baby was
    found, no counts at all (0 would read as a result); a count of none in a picture that
    limits it is said to be limited, never a bare 0; rhythmic movements listed."""
    videos = _lines(passed.html, "video")
    assert videos["small.mp4"] == f"small.mp4: {NO_BABY}"
    assert videos["dark.mp4"] == (
        "dark.mp4: 0 spasm-like, 0 clusters: none detected; the picture limits the result "
        "(too dark)"
    )
    assert videos["shaky.mp4"] == (
        "shaky.mp4: 0 spasm-like, 0 clusters: none detected; the picture limits the result "
        "(the phone moved too much) ; 2 rhythmic movements"
    )


def test_the_video_findings_say_the_problem_and_no_counts_without_a_baby(passed: Passed) -> None:
    small = _section(passed.html, "small.mp4")
    assert f"Video quality: {NO_BABY}." in small
    assert "spasm-like movements," not in small  # the counts' line is left out
    dark = _section(passed.html, "dark.mp4")
    assert "Video quality: too dark. 0 spasm-like movements, 0 clusters" in dark
    assert (
        "Spasm-like movements: none detected; the picture limits the result (too dark). This "
        "is not a negative finding: a picture like this can hide spasms."
    ) in dark
    assert "No spasm-like movement was detected" not in dark
    shaky = _section(passed.html, "shaky.mp4")
    assert "Video quality: the phone moved too much. 0 spasm-like movements" in shaky
    assert "2 rhythmic movements" in shaky


def test_a_video_without_a_baby_has_no_pictures_and_no_none_found(passed: Passed) -> None:
    """A video where no baby was found could not be checked: no empty contact sheet, no
    motion of nothing, no "No movement events were detected." beside "not analysed"; a
    video with a baby keeps them."""
    small = passed.html.split("<h3>small.mp4</h3>", 1)[1].split("</section>", 1)[0]
    assert "Contact sheet" not in small and "Motion over time" not in small
    assert "<img" not in small and "No movement events were detected." not in small
    dark = passed.html.split("<h3>dark.mp4</h3>", 1)[1].split("</section>", 1)[0]
    assert 'alt="Contact sheet of dark.mp4' in dark and 'alt="Motion over time in dark.mp4"' in dark
    # with a baby found and nothing detected, it says so
    (found,) = [v for v in passed.data.videos if v.filename == "dark.mp4"]
    quiet = render_html(replace(passed.data, videos=[replace(found, events=[])]))
    assert "No movement events were detected." in quiet


def test_the_checks_that_need_a_baby_are_no_problem_where_none_was_found(passed: Passed) -> None:
    """Read by key through the video's own quality checks: a result stored before the
    checks that need a baby were left unjudged (``ok`` false there) names no baby found,
    not also "the baby is small"."""
    (small,) = [v for v in passed.data.videos if v.filename == "small.mp4"]
    older = {
        **small.quality,
        "checks": [
            {**c, "ok": False} if c["id"] in ("infant_size", "infant_in_view") else c
            for c in small.quality["checks"]
        ],
    }
    assert problem_words(older) == [NO_BABY]
    assert replace(small, quality=older).problem_words() == [NO_BABY]


def test_page_one_says_each_eegs_possible_seizures_and_no_score_without_enough_eeg(
    passed: Passed,
) -> None:
    eegs = _lines(passed.html, "eeg")
    assert eegs["eeg5.edf"] == (
        f"eeg5.edf: BASED-like score {NOT_SCORED}, hypsarrhythmia cannot be assessed; "
        "1 possible seizure of 30 s"
    )
    assert eegs["demo.edf"] == (
        "demo.edf: BASED-like score 2/5, hypsarrhythmia unlikely (high amplitude without "
        "enough discharges found: not ruled out); background discontinuous (past the newborn "
        "period: abnormal); 6 possible seizures, the longest 391 s"
    )
    short = _section(passed.html, "eeg5.edf")
    assert f"BASED-like score {NOT_SCORED}" in short and "0 / 5" not in short
    assert "proposed 1 seizure event (sz). It lasted 30 s." in short
    assert "proposed 6 seizure events (sz). The longest lasted 391 s." in _section(
        passed.html, "demo.edf"
    )
    assert "BASED-like score 2 / 5" in _section(passed.html, "demo.edf")


def test_the_states_are_said_with_their_episodes(passed: Passed) -> None:
    """ "just woke (9 episodes)", not "just woke 9"."""
    states = _text(passed.html.split("<dt>State</dt>", 1)[1].split("</dd>", 1)[0])
    waking = sum(1 for e in passed.data.episodes if e.state_code == "just_woke")
    assert f"just woke ({waking} episodes)" in states
    assert re.search(r"feeding \(1 episode\)", states)
    assert not re.search(r"[a-z] \d", states)


def test_the_html_report_keeps_its_title_clear_of_the_top_edge(passed: Passed) -> None:
    """On a screen (no printed page margins) the body has room above the title; in print
    the @page margins alone."""
    css = passed.html.split("<style>", 1)[1].split("</style>", 1)[0]
    screen = re.search(r"@media screen \{ body \{ padding: (\d+)mm", css)
    assert screen and int(screen.group(1)) >= 8
    phone = passed.html.split('<style media="screen and (max-width: 700px)">', 1)[1]
    assert re.search(r"body \{[^}]*padding: [1-9]\d*mm", phone.split("</style>", 1)[0])


# ------------------------------------------------------------------ FHIR


def test_every_video_and_eeg_observation_is_dated_and_tied_to_its_file(passed: Passed) -> None:
    resources = _resources(passed.bundle)
    documents = {url: r for url, r in resources.items() if r["resourceType"] == "DocumentReference"}
    assert sorted(d["description"] for d in documents.values()) == ["demo.edf", "eeg5.edf"]
    assert all(d["content"][0]["attachment"]["hash"] for d in documents.values())
    files = {url for url, r in resources.items() if r["resourceType"] == "Media"} | set(documents)
    made = [
        r
        for r in resources.values()
        if r["resourceType"] == "Observation"
        and r["code"]["coding"][0]["system"].endswith(("/finding", "/eeg-measure"))
    ]
    # 3 videos, 2 EEG panels and their members: 7 measures of eeg5.edf (no "likely" for an
    # EEG that cannot be assessed) and 8 of demo.edf (the continuity among them), each with
    # its 2 of possible seizures
    assert len(made) == 3 + 2 + (7 + 2) + (8 + 2)
    for observation in made:
        assert observation["effectiveDateTime"] and observation["issued"], _code(observation)
        (source,) = observation["derivedFrom"]
        assert source["reference"] in files
    # the EEG files' headers give no real date (a placeholder, none): the upload's
    uploaded = {d["description"]: d["date"] for d in documents.values()}
    for panel in (r for r in made if "hasMember" in r):
        document = resources[panel["derivedFrom"][0]["reference"]]
        assert panel["effectiveDateTime"] == uploaded[document["description"]]


def _eeg_measures(passed: Passed, filename: str) -> dict[str, dict[str, Any]]:
    resources = _resources(passed.bundle)
    (document,) = [url for url, r in resources.items() if r.get("description") == filename]
    return {
        _code(r): r
        for r in resources.values()
        if r["resourceType"] == "Observation"
        and [d["reference"] for d in r.get("derivedFrom", [])] == [document]
        and "hasMember" not in r
    }


def test_fhir_says_the_possible_seizures_and_no_score_without_enough_eeg(passed: Passed) -> None:
    short = _eeg_measures(passed, "eeg5.edf")
    score = short["based_like_score"]
    assert "valueInteger" not in score
    assert score["dataAbsentReason"]["coding"][0] == {
        "system": ABSENT,
        "code": "not-performed",
        "display": "Not Performed",
    }
    assert score["dataAbsentReason"]["text"] == NOT_SCORED
    assert short["possible_seizures"]["valueInteger"] == 1
    assert short["longest_possible_seizure"]["valueQuantity"] == {
        "value": 30.0,
        "unit": "s",
        "system": "http://unitsofmeasure.org",
        "code": "s",
    }
    demo = _eeg_measures(passed, "demo.edf")
    assert demo["based_like_score"]["valueInteger"] == 2
    assert demo["possible_seizures"]["valueInteger"] == 6
    assert demo["longest_possible_seizure"]["valueQuantity"]["value"] == 391.0
    assert "neonatal seizure detector" in demo["possible_seizures"]["method"]["text"]
    eeg = [s for s in passed.bundle["entry"][0]["resource"]["section"] if s["title"] == "EEG"]
    said = eeg[0]["text"]["div"]
    assert f"eeg5.edf: BASED-like score {NOT_SCORED}" in said
    assert "6 possible seizures, the longest 391 s" in said


def test_fhir_video_observations_carry_their_failed_quality_checks(passed: Passed) -> None:
    resources = _resources(passed.bundle)
    by_file = {}
    for r in resources.values():
        if r["resourceType"] == "Observation" and _code(r) == "video-analysis":
            media = resources[r["derivedFrom"][0]["reference"]]
            by_file[media["content"]["title"]] = r

    def components(name: str) -> dict[str, dict[str, Any]]:
        return {c["code"]["coding"][0]["code"]: c for c in by_file[name]["component"]}

    small = components("small.mp4")
    for count in ("spasm_like", "jerk", "rhythmic", "clusters"):
        assert "valueInteger" not in small[count]  # not a final 0
        assert small[count]["dataAbsentReason"]["coding"][0]["code"] == "not-performed"
        assert small[count]["dataAbsentReason"]["text"] == NO_BABY
    assert small["infant_found"]["valueBoolean"] is False
    dark = components("dark.mp4")
    assert dark["spasm_like"]["valueInteger"] == 0 and dark["brightness"]["valueBoolean"] is False
    assert dark["brightness"]["code"]["coding"][0]["system"].endswith("/video-quality")
    assert "Video quality: too dark." in [n["text"] for n in by_file["dark.mp4"]["note"]]
    # its 0 is kept, and said to be indeterminate: the picture cannot give a negative
    (interpretation,) = by_file["dark.mp4"]["interpretation"]
    assert interpretation["coding"][0]["code"] == "IND"
    assert interpretation["text"] == (
        "Spasm-like movements: none detected; the picture limits the result (too dark)"
    )
    assert "interpretation" not in by_file["small.mp4"]  # no count at all there
    shaky = components("shaky.mp4")
    assert shaky["rhythmic"]["valueInteger"] == 2 and shaky["camera"]["valueBoolean"] is False
    videos = [s for s in passed.bundle["entry"][0]["resource"]["section"] if s["title"] == "Videos"]
    said = _text(videos[0]["text"]["div"])
    assert f"small.mp4: {NO_BABY}" in said and "(too dark)" in said


# ------------------------------------------------------------------ CSV


def test_the_csv_tables_hold_a_row_per_recording(passed: Passed) -> None:
    rows = passed.tables["recordings.csv"]
    assert list(rows[0]) == list(RECORDING_COLUMNS)
    by_file = {r["file"]: r for r in rows}
    assert sorted(by_file) == ["dark.mp4", "demo.edf", "eeg5.edf", "shaky.mp4", "small.mp4"]
    assert all(r["analysis"] == "done" and r["uploaded_at"] and r["analysed_at"] for r in rows)
    small = by_file["small.mp4"]
    assert small["kind"] == "video" and small["quality_problems"] == NO_BABY
    assert small["spasm_like"] == small["clusters"] == small["rhythmic"] == ""
    assert by_file["dark.mp4"]["quality_problems"] == "too dark"
    assert by_file["dark.mp4"]["spasm_like"] == "0"
    assert by_file["dark.mp4"]["result_limited_by"] == "brightness"
    assert by_file["shaky.mp4"]["result_limited_by"] == "camera"
    assert (
        by_file["small.mp4"]["result_limited_by"] == by_file["demo.edf"]["result_limited_by"] == ""
    )
    shaky = by_file["shaky.mp4"]
    assert shaky["quality_problems"] == "the phone moved too much" and shaky["rhythmic"] == "2"
    assert float(shaky["longest_rhythmic_s"]) > 0
    short = by_file["eeg5.edf"]
    assert short["based_like_score"] == "" and short["based_like_score_note"] == NOT_SCORED
    assert short["hypsarrhythmia_assessment"] == "cannot_assess" and short["usable_eeg_s"] == "30"
    assert (short["possible_seizures"], short["longest_possible_seizure_s"]) == ("1", "30")
    demo = by_file["demo.edf"]
    assert demo["based_like_score"] == "2" and demo["based_like_score_note"] == ""
    assert (demo["possible_seizures"], demo["longest_possible_seizure_s"]) == ("6", "391")
    assert demo["duration_s"] == "661" and float(demo["amplitude_uv_p95"]) > 200


def test_the_workup_table_says_what_the_report_says(passed: Passed) -> None:
    """Each test's status in workup.csv is the report's (and the web page's) word for it:
    "not recorded" until the family notes it, never the code "suggested"."""
    table = passed.html.split('<div class="care care-workup">', 1)[1].split("</table>", 1)[0]
    in_report = {
        _text(name): _text(status)
        for name, status in re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", table)
    }
    in_csv = {r["name"]: r["status"] for r in passed.tables["workup.csv"]}
    assert in_csv == in_report and set(in_csv.values()) == {"not recorded"}


def test_an_eeg_not_noted_in_the_workup_points_at_the_analysed_files(passed: Passed) -> None:
    """The family noted no EEG in the work-up but the diary holds EEG files: the row says
    they are analysed in the report, so that "not recorded" does not read as "no EEG";
    the other tests' rows say nothing more."""
    table = passed.html.split('<div class="care care-workup">', 1)[1].split("</table>", 1)[0]
    rows = {
        _text(name): _text(result)
        for name, result in re.findall(
            r"<tr><td>(.*?)</td><td>.*?</td><td>.*?</td><td>(.*?)</td>", table
        )
    }
    eeg = next(result for name, result in rows.items() if name.startswith("EEG"))
    names = [e.filename for e in passed.data.eegs]
    assert len(names) >= 2
    assert eeg == (
        f"The family has noted nothing here, but {len(names)} EEG files of the diary are "
        f"analysed in this report: {', '.join(names)} (EEG findings)."
    )
    assert [r for n, r in rows.items() if not n.startswith("EEG")] == [""] * (len(rows) - 1)


# ------------------------------------------------------------------ the web page


def test_the_web_pages_eeg_numbers_say_why_there_is_no_score(tmp_path: Path) -> None:
    """The doctor's view at a share link and the family's technical details: no
    "BASED-like score 0/5" for 30 s of EEG."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    eeg = upload(owner, child, EEG5)
    with app.state.db.reading() as s:
        assert repo.get_attachment(s, eeg).analysis["result"]["background"]["based_like_score"] == 0
    token, _ = share(owner, child)
    for page in (owner.client.get(f"/children/{child}"), owner.client.get(f"/s/{token}")):
        said = _text(page.text)
        assert f"30 s recorded; amplitude p95 83 µV, BASED-like score {NOT_SCORED}," in said
        assert "BASED-like score 0" not in said
