"""A video whose picture limits what it can show, as the doctor reads it in the report,
FHIR and the CSV table: a count of none in such a picture is "none detected; the picture
limits the result (too dark)", FHIR's Observation keeps its 0 and says it is indeterminate,
``recordings.csv`` names the failed checks; where no baby was found, what the whole
picture's search found is kept for the doctor under a heading that says it may not be the
baby's; and the printed report leaves no page blank around a video's quality checks.

A good picture in which nothing was found keeps its words and its FHIR as they were.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import replace
from datetime import datetime
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fhir.resources.R4B.bundle import Bundle
from PIL import Image

from report.pdf import words
from report.test_report_findings import _contact_sheet, _one_day, _sheet_pages, _sheet_video
from spasmwatch.report import render_html, render_pdf
from spasmwatch.report.build import VideoFinding
from spasmwatch.report.fhir import build_bundle
from spasmwatch.report.recording_table import RECORDING_COLUMNS, recordings_csv
from spasmwatch.report.sheet import sheet_rows, tall_sheet
from spasmwatch.video.quality import assess_quality

GOOD = {
    "duration_s": 60.0,
    "brightness": [120.0],
    "sharpness": [150.0],
    "camera_speed": [0.01],
    "infant_share": 0.3,
    "infant_found": True,
    "edge_share": 0.05,
}
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
LIMITED = "none detected; the picture limits the result (too dark)"
NOT_THE_BABY = (
    "Found in the whole picture, as no baby was found: these may not be the baby's movements"
)


def _result(quality: dict[str, Any], spasm_like: int = 0, **more: Any) -> dict[str, Any]:
    """A video result document as the analysis stores it."""
    events = [
        {"start_s": 2.0 + 3 * i, "end_s": 3.0 + 3 * i, "kind": "spasm_like", "score": 0.9}
        for i in range(spasm_like)
    ]
    return {
        "video": {"path": "v.mp4", "duration_s": 60.0, "fps": 30.0, "width": 640, "height": 360},
        "events": events,
        "clusters": [],
        "summary": {"spasm_like": spasm_like, "jerk": 0, "rhythmic": 0, "clusters": 0},
        "quality": quality,
        **more,
    }


RESULTS = {
    "good.mp4": _result(assess_quality(**GOOD)),
    "dark.mp4": _result(assess_quality(**{**GOOD, "brightness": [12.0]})),
    "darkfound.mp4": _result(assess_quality(**{**GOOD, "brightness": [12.0]}), spasm_like=2),
    "twice.mp4": _result(assess_quality(**{**GOOD, "brightness": [12.0], "sharpness": [2.0]})),
    "small.mp4": _result(assess_quality(**{**GOOD, "infant_share": 0.02})),
    "short.mp4": _result(assess_quality(**{**GOOD, "duration_s": 6.0})),
    "nobody.mp4": _result(assess_quality(**{**GOOD, "infant_found": False})),
}


def _attachments() -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "kind": "video",
            "filename": name,
            "content_type": "video/mp4",
            "size_bytes": 1000,
            "sha256": f"{i:064x}",
            "uploaded_at": "2026-11-20T08:00:00",
            "analysis": {
                "status": "done",
                "result": result,
                "analysed_at": "2026-11-20T08:05:00",
                "sensitivity": "normal",
            },
        }
        for i, (name, result) in enumerate(RESULTS.items(), start=1)
    ]


def _findings(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each video's findings Observation by the file's name."""
    resources = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    out = {}
    for r in resources.values():
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == (
            "video-analysis"
        ):
            out[resources[r["derivedFrom"][0]["reference"]]["content"]["title"]] = r
    return out


def test_fhir_says_a_limited_none_is_indeterminate_and_keeps_a_good_pictures_as_it_was() -> None:
    bundle = build_bundle({"age_months": 6}, [], attachments=_attachments())
    Bundle.model_validate(bundle)  # valid R4B
    found = _findings(bundle)
    dark = found["dark.mp4"]
    counts = {c["code"]["coding"][0]["code"]: c for c in dark["component"]}
    assert counts["spasm_like"]["valueInteger"] == 0  # the 0 is kept
    (interpretation,) = dark["interpretation"]
    assert interpretation["coding"] == [
        {"system": INTERPRETATION, "code": "IND", "display": "Indeterminate"}
    ]
    assert interpretation["text"] == f"Spasm-like movements: {LIMITED}"
    notes = [n["text"] for n in dark["note"]]
    assert (
        f"Spasm-like movements: {LIMITED}. The 0 is not a negative finding: a picture like "
        "this can hide spasms." in notes
    )
    assert found["twice.mp4"]["interpretation"][0]["text"].endswith("(too dark; blurred)")
    assert found["small.mp4"]["interpretation"][0]["text"].endswith(
        "(the baby is small in the picture)"
    )
    # a good picture, something found, a short video, no baby: no interpretation
    for name in ("good.mp4", "darkfound.mp4", "short.mp4", "nobody.mp4"):
        assert "interpretation" not in found[name], name
    good = found["good.mp4"]
    assert [n["text"] for n in good["note"]] == ["Automated analysis of good.mp4; not a diagnosis."]
    assert [(c["code"]["coding"][0]["code"], c["valueInteger"]) for c in good["component"]] == [
        ("spasm_like", 0),
        ("jerk", 0),
        ("rhythmic", 0),
        ("clusters", 0),
    ]
    videos = [s for s in bundle["entry"][0]["resource"]["section"] if s["title"] == "Videos"]
    lines = {
        _text(line).split(":", 1)[0]: _text(line)
        for line in re.findall(r"<p>(.*?)</p>", videos[0]["text"]["div"])
    }
    counts = "0 spasm-like, 0 brief jerks, 0 rhythmic, 0 clusters"
    assert lines["dark.mp4"] == f"dark.mp4: {counts}; spasm-like movements: {LIMITED}"
    assert lines["short.mp4"] == f"short.mp4: {counts} (too short)"
    assert lines["good.mp4"] == f"good.mp4: {counts}"


def test_the_csv_names_the_checks_that_limit_each_videos_result() -> None:
    rows = {r["file"]: r for r in csv.DictReader(io.StringIO(recordings_csv(_attachments())))}
    assert "result_limited_by" in RECORDING_COLUMNS
    assert RECORDING_COLUMNS.index("result_limited_by") == (
        RECORDING_COLUMNS.index("quality_problems") + 1
    )
    limited = {name: row["result_limited_by"] for name, row in rows.items()}
    assert limited == {
        "good.mp4": "",
        "dark.mp4": "brightness",
        "darkfound.mp4": "brightness",  # a count found in a dark picture is limited too
        "twice.mp4": "brightness; focus",
        "small.mp4": "infant_size",
        "short.mp4": "",  # a short video is too short, not a poor picture
        "nobody.mp4": "",  # no baby: no counts at all (quality_problems says so)
    }
    assert rows["dark.mp4"]["spasm_like"] == "0" and rows["nobody.mp4"]["spasm_like"] == ""


def _finding(name: str, result: dict[str, Any], **more: Any) -> VideoFinding:
    return VideoFinding(
        filename=name,
        uploaded_at=datetime(2026, 12, 1, 9, 0),
        episode_started_at=None,
        video=result["video"],
        summary=result["summary"],
        events=result["events"],
        clusters=result["clusters"],
        images={},
        quality=result["quality"],
        document=result,
        **more,
    )


def _text(html: str) -> str:
    """The words of ``html``, its tags left out (a tag inside a line adds no space)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def _section(html: str, filename: str) -> str:
    return html.split(f"<h3>{filename}</h3>", 1)[1].split("</section>", 1)[0]


def test_the_report_says_a_limited_none_on_page_one_and_in_the_finding() -> None:
    shaky = _result(
        assess_quality(**{**GOOD, "camera_speed": [0.5], "duration_s": 6.0}),
        events=[{"start_s": 2.0, "end_s": 6.0, "kind": "rhythmic", "score": 0.9}],
    )
    shaky["summary"] = {**shaky["summary"], "rhythmic": 1}
    videos = [
        _finding("dark.mp4", RESULTS["dark.mp4"]),
        _finding("good.mp4", RESULTS["good.mp4"]),
        _finding("shaky.mp4", shaky),
    ]
    html = render_html(replace(_one_day(), videos=videos))
    found = re.findall(r'<span class="video-line">(.*?)</span>(?:<br>|</dd>)', html)
    lines = {_text(s).split(":", 1)[0]: _text(s) for s in found}
    assert lines["dark.mp4"] == f"dark.mp4: 0 spasm-like, 0 clusters: {LIMITED}"
    assert lines["good.mp4"] == "good.mp4: 0 spasm-like, 0 clusters"
    # the rhythmic movements after what limits the spasm-like count; the length apart
    assert lines["shaky.mp4"] == (
        "shaky.mp4: 0 spasm-like, 0 clusters: none detected; the picture limits the result "
        "(the phone moved too much); 1 rhythmic movement (too short)"
    )
    dark = _text(_section(html, "dark.mp4"))
    assert f"Spasm-like movements: {LIMITED}. This is not a negative finding" in dark
    assert "No spasm-like movement was detected" not in dark
    good = _text(_section(html, "good.mp4"))
    assert (
        "No spasm-like movement was detected. This does not rule out spasms: subtle ones (a "
        "small head nod, a brief eye roll or grimace) can be missed by the detector. Watch the "
        "video itself. Small head nods show best on a video filmed from the side, level with "
        "the baby: from straight above they hardly move the picture."
    ) in good
    assert "What to do" not in html  # the doctor's words, not the family's list


def test_the_report_keeps_movements_found_without_a_baby_under_their_own_heading() -> None:
    nobody = _result(assess_quality(**{**GOOD, "infant_found": False}), spasm_like=3)
    nobody["summary"]["clusters"] = 1
    nobody["clusters"] = [{"start_s": 2.0, "end_s": 9.0, "count": 3, "median_interval_s": 3.0}]
    html = render_html(replace(_one_day(), videos=[_finding("nobody.mp4", nobody)]))
    section = _section(html, "nobody.mp4")
    said = _text(section)
    heading = said.index(NOT_THE_BABY)
    assert heading < said.index("Cluster from (s)") < said.index("Start (s)")
    assert "3 spasm-like movements detected, in 1 cluster" in said
    assert "may not be the baby's movement" in said
    # a video with a baby found has no such heading
    good = render_html(replace(_one_day(), videos=[_finding("good.mp4", RESULTS["good.mp4"])]))
    assert NOT_THE_BABY not in _text(good)


#: A page "almost blank": less ink than this share of the page between its margins, at
#: 40 dpi (a page of only the last line of a table's note measured 0.1 %, the last two
#: rows of a quality table and its note 0.9 %; the report's shortest real page, its
#: closing advice, about 2 %).
BLANK_INK_SHARE = 0.015


def _ink(pdf: Path) -> list[float]:
    """Each page's share of non-white pixels between its top and bottom margins, at 40 dpi
    (``pdftoppm -r 40``)."""
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    shares = []
    for png in sorted(pdf.parent.glob(f"{pdf.stem}-*.png")):
        grey = np.asarray(Image.open(png).convert("L"))
        height = grey.shape[0]
        body = grey[int(0.06 * height) : int(0.94 * height)]
        shares.append(float((body < 200).mean()))
    return shares


@pytest.mark.parametrize("rows_before", [20, 24])
def test_no_page_of_the_pdf_is_left_blank_around_a_videos_quality_checks(
    tmp_path: Path, rows_before: int
) -> None:
    """A dark video after another video's event table long enough to bring its finding to
    the foot of a page, its quality checks going on over the next: the last rows of the
    checks, or only their note, were left alone on an almost blank page, the contact sheet
    (taller than most of a page, kept whole) moved to the top of the page after it. The
    sheet now starts under them."""
    sheet = _contact_sheet(tmp_path / "contact_sheet.png", 8)
    before = replace(_sheet_video(sheet, rows_before), images={}, clusters=[])
    dark = replace(
        _sheet_video(sheet, 8),
        filename="dark.mp4",
        quality=assess_quality(**{**GOOD, "brightness": [12.0]}),
        summary={"spasm_like": 0, "clusters": 0, "jerk": 0, "rhythmic": 0, "other": 8},
        events=[{**e, "kind": "other"} for e in _sheet_video(sheet, 8).events],
        clusters=[],
    )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(_one_day([before, dark])))
    shares = _ink(pdf)
    assert min(shares) >= BLANK_INK_SHARE, [round(s, 4) for s in shares]
    # the contact sheet, taller than most of a page, starts under the quality checks' note
    # rather than at the top of the next page
    _sizes, found = words(pdf)
    (note,) = [w.page for w in found if w.text == "judge"]
    assert _sheet_pages(pdf, sheet)[0] == note


def test_only_a_sheet_taller_than_most_of_a_page_flows(tmp_path: Path) -> None:
    """Three rows of frames are kept whole; eight at a page's width take more than three
    quarters of a page and flow from where they stand, on A4 as on Letter."""
    few = sheet_rows(_contact_sheet(tmp_path / "few.png", 3).read_bytes())
    many = sheet_rows(_contact_sheet(tmp_path / "many.png", 8).read_bytes())
    assert (len(few), len(many)) == (3, 8)
    for paper in ("a4", "letter"):
        assert not tall_sheet(few, paper) and tall_sheet(many, paper)
    assert not tall_sheet([b"not a picture"])
    html = render_html(_one_day([_sheet_video(tmp_path / "few.png", 3)]))
    assert '<figure class="sheet">' in html
    html = render_html(_one_day([_sheet_video(tmp_path / "many.png", 8)]))
    assert '<figure class="sheet flows">' in html
