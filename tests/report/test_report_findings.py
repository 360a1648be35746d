"""The report's EEG and video findings as a clinician reads them, and the printed layout:
what the EEG analysis looked for and its limits, the side of a video event, the contact
sheet at the page's width, a PDF without CSS warnings, and no closing note alone."""

from __future__ import annotations

import io
import logging
import re
import subprocess
from dataclasses import replace
from datetime import date, datetime
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from report.diary import MadeReport, attach, make_child
from report.pdf import page_count, pdf_text, words
from spasmwatch.diary.reporting import build_report
from spasmwatch.report import render_html, render_pdf
from spasmwatch.report.build import (
    ReportData,
    ReportSource,
    StoredEpisode,
    VideoFinding,
    assemble_report,
)
from spasmwatch.report.sheet import sheet_rows
from spasmwatch.store import Database
from spasmwatch.video.result import SHEET_ROW_CUTS_KEY

MM = 72 / 25.4  # points per millimetre
PSG = Path(__file__).resolve().parents[3] / "shared/data/eeg/edf_plus/short_psg.edf"
CNN = "neonatal seizure detector (Stevenson\u2013Tapani\u2013Vanhatalo CNN)"
FEW = "Only 2 channels: with fewer electrodes the seizure detector misses more seizures."
NEWBORNS = "The seizure detector was made on the EEG of newborns"


def _plain(page: str) -> str:
    """The text of an HTML page, its entities read."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


def _eeg_section(html: str, filename: str) -> str:
    """The EEG finding of ``filename``, as text."""
    return _plain(html.split(f"<h3>{filename}</h3>", 1)[1].split("</section>", 1)[0])


def _one_day(videos: list[VideoFinding] | None = None) -> ReportData:
    """The report of one day with one episode (no database), with ``videos``."""
    when = datetime(2026, 12, 1, 8, 0)
    episode = {"movements": ["head_nod"], "state": "just_woke", "started_at": when.isoformat()}
    case = {"child": {"age_months": 6}, "episodes": [episode]}
    rows = [StoredEpisode(1, when, when, episode)]
    source = ReportSource("Mia", None, None, [], "unknown", case, rows, [])
    data = assemble_report(source, date(2026, 12, 1), date(2026, 12, 1), datetime(2026, 12, 2))
    return replace(data, videos=videos or [])


# ------------------------------------------------------------------ EEG


def test_an_eeg_without_events_says_what_was_looked_for(made_report: MadeReport) -> None:
    """Not "no seizure, spasm or decrement": the neonatal seizure detector found no
    seizure, no electrodecrement was found, spasms are not detected, and a recording this
    short can miss what happens at other times and must be read by a neurophysiologist."""
    (eeg,) = made_report.data.eegs
    assert eeg.events == [] and eeg.settings["sz_detector"] == "stevenson_cnn"
    assert eeg.settings["sz_channels"] >= 8  # 19 electrodes, the double banana
    said = _eeg_section(made_report.html, eeg.filename)
    assert (
        f"The {CNN} found no seizure. No electrodecremental event was found. The EEG "
        "analysis does not detect spasms themselves. The recording covers 30 s: a short EEG "
        "can miss what happens at other times. These are automated screening findings: the "
        "EEG must be read by a clinical neurophysiologist."
    ) in said
    assert NEWBORNS in said and "says nothing about spasms or hypsarrhythmia" in said
    assert "fewer electrodes" not in said
    assert "No seizure, spasm or decrement" not in made_report.html
    printed = re.sub(r"\s+", " ", pdf_text(made_report.pdf))
    assert "neonatal seizure detector" in printed and "clinical neurophysiologist" in printed


def test_an_eeg_with_few_channels_carries_the_analysis_warnings(db: Database) -> None:
    """The 2-channel adult sleep recording: the report gives the warning the terminal
    prints (fewer electrodes, more missed seizures), and names the neonatal detector that
    proposed its "seizures" and its limits, in the text, the event table and the traces."""
    now = datetime(2026, 11, 20, 9, 0)
    child_id, user_id = make_child(db, now, with_diary=False)
    attach(db, child_id, user_id, PSG)
    data = build_report(db, child_id, now=now)
    (eeg,) = data.eegs
    assert eeg.settings["sz_channels"] == 2
    assert [e["eventType"] for e in eeg.events] == ["sz", "sz"]
    html = render_html(data)
    said = _eeg_section(html, PSG.name)
    assert f"The {CNN} proposed 2 seizure events (sz)." in said
    assert "No electrodecremental event was found." in said
    assert "The recording covers 5 min" in said and "clinical neurophysiologist" in said
    assert FEW in said
    assert NEWBORNS in said and "an adult's sleep recording" in said
    assert f"possible seizures (sz) from the {CNN}" in said  # above the event table
    table = html.split('<table class="events">', 1)[1].split("</table>", 1)[0]
    # the web's words (a screening aid proposes, the neurophysiologist confirms), with the code
    assert re.findall(r"<td>(possible seizure \(sz\))</td>", table) == ["possible seizure (sz)"] * 2
    assert "<td>sz</td>" not in table
    assert "Event 1: possible seizure (sz) at" in _plain(html)  # its page of traces


def test_the_detector_and_a_recording_it_could_not_score_are_said(
    made_report: MadeReport,
) -> None:
    """The logistic model is named as the neonatal detector it is; a recording the
    network could not score says so (as the terminal's "No seizure probability") and
    never that it found no seizure."""
    data = made_report.data
    (eeg,) = data.eegs
    note = "recording shorter than 16 s, the network's window"
    unscored = replace(eeg, settings={**eeg.settings, "sz_note": note})
    assert f"The {CNN} could not score this recording ({note}): it was not searched" in (
        " ".join(unscored.found_words())
    )
    assert "found no seizure" not in " ".join(unscored.found_words())
    assert unscored.warning_words()[0] == f"No seizure probability: {note}."
    logistic = replace(eeg, settings={**eeg.settings, "sz_detector": "logistic"})
    assert logistic.detector_words().startswith("neonatal seizure detector (channel-wise logistic")
    decrement = {
        "onset": 3.0,
        "duration": 2.0,
        "eventType": "decrement",
        "confidence": 0.9,
        "channels": [],
    }
    with_decrement = replace(eeg, events=[decrement], file=None)
    said = _eeg_section(render_html(replace(data, eegs=[with_decrement])), eeg.filename)
    assert f"The {CNN} found no seizure. 1 electrodecremental event was found (decrement)." in (
        said
    )
    assert "<td>possible decrement (decrement)</td>" in render_html(
        replace(data, eegs=[with_decrement])
    )


# ------------------------------------------------------------------ video


def test_the_side_of_a_video_event_is_the_side_in_the_picture(made_report: MadeReport) -> None:
    """The event table's side is the side of the picture, not the baby's own: its column
    says so and a footnote explains it."""
    html = made_report.html
    table = html.split('<table class="events">', 1)[1].split("</table>", 1)[0]
    assert "<th>Side in the picture<sup>*</sup></th>" in table and "<th>Side</th>" not in table
    said = _plain(html)
    assert (
        "* Side in the picture: the side of the picture as displayed on which the movement "
        "was, either side of the baby's long axis, not the baby's own left or right"
    ) in said
    assert "a movement of the baby's left side shows on the right of the picture" in said
    printed = re.sub(r"\s+", " ", pdf_text(made_report.pdf))
    assert "Side in the picture" in printed and "not the baby's own left or right" in printed


def _contact_sheet(path: Path, events: int) -> Path:
    """A contact sheet of ``events`` events drawn as the video analysis draws it, from
    plain coloured frames."""
    from spasmwatch.video.events import MovementEvent
    from spasmwatch.video.outputs import _SheetPicks, write_contact_sheet

    moves = [
        MovementEvent(
            2.0 * i + 1, 2.0 * i + 1.6, "spasm_like", 0.8, "left", 0.3, 0.5, 0.5, 0.9, None, 0.0
        )
        for i in range(events)
    ]
    picks = _SheetPicks(moves, per_event=5)
    rng = np.random.default_rng(3)
    for step in range(int(20 * (2.0 * events + 2))):
        frame = np.full((180, 320, 3), rng.integers(40, 200, 3), dtype=np.uint8)
        picks.offer(step / 20, frame)
    analysis = SimpleNamespace(video=SimpleNamespace(path="phone.mp4"))
    return write_contact_sheet(picks, analysis, path)  # type: ignore[arg-type]


def test_a_contact_sheet_is_cut_into_its_rows(tmp_path: Path) -> None:
    """One band per event, the title with the first; the bands put back together are the
    sheet; what is not a sheet of rows is kept whole."""
    sheet = _contact_sheet(tmp_path / "contact_sheet.png", 7)
    png = sheet.read_bytes()
    bands = [Image.open(io.BytesIO(b)) for b in sheet_rows(png)]
    whole = Image.open(io.BytesIO(png)).convert("RGB")
    assert len(bands) == 7
    assert all(b.width == whole.width for b in bands)
    assert sum(b.height for b in bands) == whole.height
    heights = [b.height for b in bands[1:-1]]
    assert max(heights) - min(heights) <= 2  # the rows are evenly spaced
    assert bands[0].height > heights[0]  # with the title
    joined = np.vstack([np.asarray(b.convert("RGB")) for b in bands])
    assert np.array_equal(joined, np.asarray(whole))
    # The sheet says where its rows part; a sheet written before it did (no such entry)
    # is cut where its pixels show the rows, at the same places give or take a few pixels.
    recorded = Image.open(io.BytesIO(png)).info[SHEET_ROW_CUTS_KEY]
    cuts = [int(c) for c in recorded.split(",")]
    assert len(cuts) == 8 and cuts[0] == 0 and cuts[-1] == whole.height
    assert [sum(b.height for b in bands[:i]) for i in range(8)] == cuts
    plain = io.BytesIO()
    whole.save(plain, format="PNG")
    found = [Image.open(io.BytesIO(b)) for b in sheet_rows(plain.getvalue())]
    assert len(found) == 7 and sum(b.height for b in found) == whole.height
    found_cuts = np.cumsum([0] + [b.height for b in found])
    assert np.abs(found_cuts - np.array(cuts)).max() <= 12, (found_cuts, cuts)
    # A damaged entry is not believed.
    for bad in ("0,10,5," + str(whole.height), "0,x", "0," + str(whole.height + 5)):
        meta = PngInfo()
        meta.add_text(SHEET_ROW_CUTS_KEY, bad)
        damaged = io.BytesIO()
        whole.save(damaged, format="PNG", pnginfo=meta)
        assert len(sheet_rows(damaged.getvalue())) == 7
    one_row = _contact_sheet(tmp_path / "one.png", 1).read_bytes()
    assert SHEET_ROW_CUTS_KEY not in Image.open(io.BytesIO(one_row)).info
    assert sheet_rows(one_row) == [one_row]
    assert sheet_rows(b"not a picture") == [b"not a picture"]


def _sheet_video(sheet: Path, events: int) -> VideoFinding:
    return VideoFinding(
        filename="phone.mp4",
        uploaded_at=datetime(2026, 12, 1, 9, 0),
        episode_started_at=None,
        video={"duration_s": 60, "width": 640, "height": 360, "fps": 30},
        summary={"spasm_like": events, "clusters": 1, "jerk": 0, "rhythmic": 0, "other": 0},
        events=[
            {
                "start_s": 2.0 * i + 1,
                "end_s": 2.0 * i + 1.6,
                "kind": "spasm_like",
                "side": "left",
                "score": 0.8,
            }
            for i in range(events)
        ],
        clusters=[{"start_s": 1.0, "end_s": 2.0 * events, "count": events, "median_interval_s": 2}],
        images={"contact_sheet": sheet},
    )


def _sheet_pages(pdf: Path, sheet: Path) -> list[int]:
    """The page of each band of the contact sheet ``sheet`` in ``pdf``, in order."""
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    with Image.open(sheet) as opened:
        sheet_width = opened.width
    return [
        int(cols[0])
        for cols in (line.split() for line in listed)
        if cols[2] == "image" and int(cols[3]) == sheet_width
    ]


def test_a_contact_sheet_that_fits_a_page_is_kept_on_one_page(made_report: MadeReport) -> None:
    """The realistic report's sheet (5 events) came under the video's tables with its
    title and first row at the foot of a page and the rest on the next; it is kept whole,
    on the next page, its caption with it."""
    (video,) = made_report.data.videos
    pages = _sheet_pages(made_report.pdf, video.images["contact_sheet"])
    assert len(pages) == 5
    assert len(set(pages)) == 1, pages
    text = subprocess.run(
        ["pdftotext", "-f", str(pages[0]), "-l", str(pages[0]), str(made_report.pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Contact sheet: frames across each detected event" in text


def test_the_contact_sheet_takes_the_page_width_and_flows_over_pages(tmp_path: Path) -> None:
    """A sheet of 12 events printed whole was squeezed into a strip a quarter of the
    page wide; each row now takes the page's width, and the rows go on over pages: only
    a sheet taller than most of a page does (``flows``), from where it stands, its title
    with its first rows (never its title and first row alone at the foot of a page)."""
    sheet = _contact_sheet(tmp_path / "contact_sheet.png", 12)
    data = _one_day([_sheet_video(sheet, 12)])
    html = render_html(data)
    figure = html.split('<figure class="sheet flows">', 1)[1].split("</figure>", 1)[0]
    assert len(re.findall(r"<img ", figure)) == 12 and 'class="whole"' not in figure
    assert "one row per event" in figure
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(data))
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    with Image.open(sheet) as opened:
        sheet_width = opened.width
    # page, width in pixels, horizontal pixels per inch of each of the sheet's bands
    bands = [
        (int(cols[0]), int(cols[3]) / float(cols[12]))
        for cols in (line.split() for line in listed)
        if cols[2] == "image" and int(cols[3]) == sheet_width
    ]
    assert len(bands) == 12
    for _page, inches in bands:
        assert inches * 25.4 == pytest.approx(182, abs=2)  # A4 less its 14-mm margins
    assert len({page for page, _ in bands}) >= 2
    first = [page for page, _ in bands].count(bands[0][0])
    assert first >= 6, bands  # most of the sheet on its first page
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Contact sheet: frames across each detected event" in text


# ------------------------------------------------------------------ print


def test_the_pdf_is_made_without_css_warnings(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """The print stylesheet holds nothing WeasyPrint ignores (overflow-x, the sideways
    scrolling of a table on a phone, is a screen's rule only)."""
    data = _one_day()
    html = render_html(data)
    assert "@media screen { .table-scroll { max-width: 100%; overflow-x: auto; } }" in html
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(data)
    ignored = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert ignored == []
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert page_count(tmp_path / "report.pdf") >= 1


def test_the_closing_note_is_never_alone_on_the_last_page(tmp_path: Path) -> None:
    """Pushed down until the closing note just fails to fit under the family's advice,
    the note goes over with the advice rather than alone; without the rule that keeps it
    there it would stand alone on the last page (so the test does push it there)."""
    from weasyprint import HTML

    from spasmwatch.report.render import _write_pdf

    html = render_html(_one_day())
    rule = ".closing { break-before: avoid; }"
    advised = '<section class="keep">\n<h2>What the family was advised</h2>'
    assert rule in html and advised in html

    def closing_page(page_html: str, name: str) -> tuple[int, list[str], float]:
        """The last page's number and words, and the room under the closing note (pt)."""
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(_write_pdf(HTML, page_html))
        sizes, found = words(pdf)
        note = next(w for w in reversed(found) if w.text == "Made")
        assert note.page == len(sizes)
        room = sizes[-1][1] - 18 * MM - note.y_max  # the page's bottom margin is 18 mm
        return note.page, [w.text for w in found if w.page == note.page], room

    pages, _words, room = closing_page(html, "as-is")
    alone = 0
    for over_mm in (1.0, 2.0):
        # a spacer before the advice: the advice still fits, the note by over_mm not
        spacer = f'<div style="height: {room / MM + over_mm:.2f}mm"></div>'
        pushed = html.replace(advised, spacer + advised)
        page, on_page, _ = closing_page(pushed, f"pushed-{over_mm}")
        assert page == pages + 1
        assert "advised" in on_page and "Book" in on_page, on_page  # the advice, with it
        page, on_page, _ = closing_page(pushed.replace(rule, ""), f"without-{over_mm}")
        alone += "advised" not in on_page
    assert alone  # without the rule the note was alone on the last page
