"""The report's pages of EEG traces around the detected events: chosen by priority (seizures
first), shown in time order, 10 s with the event in the middle, one gain per recording
printed with the filters, drawn at their nominal size inside the page margins; a missing or
unreadable file leaves a note and the report renders."""

from __future__ import annotations

import base64
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from report.diary import attach, make_child
from report.pdf import pdf_text, words
from spasmwatch.diary.reporting import build_report
from spasmwatch.report import render_html, render_pdf
from spasmwatch.report.eeg_traces import MAX_EVENT_PAGES, event_traces
from spasmwatch.store import Database, repo

EEG13 = Path(__file__).resolve().parents[3] / "shared/data/eeg/helsinki/clips/eeg13.edf"
HYPNOGRAM = EEG13.parents[2] / "edf_plus" / "SC4001EC-Hypnogram.edf"
MM = 72 / 25.4
#: Three decrements, then five seizures: eight events by onset.
EVENTS = [
    {"onset": 1.0, "duration": 2.0, "eventType": "decrement", "confidence": 1.0, "channels": []},
    {"onset": 3.0, "duration": 12.0, "eventType": "sz", "confidence": 0.6, "channels": ["T4-T6"]},
    {"onset": 6.0, "duration": 1.5, "eventType": "decrement", "confidence": 1.0, "channels": []},
    {"onset": 12.0, "duration": 2.0, "eventType": "sz", "confidence": 0.95, "channels": ["C4-P4"]},
    {"onset": 16.0, "duration": 9.0, "eventType": "sz", "confidence": 0.7, "channels": []},
    {"onset": 19.0, "duration": 3.0, "eventType": "decrement", "confidence": 1.0, "channels": []},
    {"onset": 22.0, "duration": 4.0, "eventType": "sz", "confidence": 0.8, "channels": []},
    {"onset": 27.0, "duration": 2.0, "eventType": "sz", "confidence": 0.9, "channels": []},
]


@pytest.fixture
def with_events(db: Database) -> tuple[Database, int, datetime]:
    """A child with the 30 s neonatal seizure clip, its analysis given eight events."""
    now = datetime(2026, 11, 20, 9, 0)
    child_id, user_id = make_child(db, now, with_diary=False)
    attachment_id = attach(db, child_id, user_id, EEG13)
    with db.transaction() as s:
        row = repo.get_attachment(s, attachment_id)
        analysis = dict(row.analysis)
        analysis["result"] = {**analysis["result"], "events": EVENTS}
        repo.set_attachment_analysis(s, attachment_id, analysis)
    return db, child_id, now


def _svg(uri: str) -> ET.Element:
    assert uri.startswith("data:image/svg+xml;base64,")
    return ET.fromstring(base64.b64decode(uri.split(",", 1)[1]))


def test_pages_go_to_seizures_first_in_time_order_with_the_event_in_the_middle(
    with_events: tuple[Database, int, datetime],
) -> None:
    db, child_id, now = with_events
    finding = build_report(db, child_id, now=now).eegs[0]
    assert finding.file is not None and finding.file.is_file()
    traces = event_traces(finding)
    assert traces.note is None and traces.more == len(EVENTS) - MAX_EVENT_PAGES == 2
    # Chosen by priority (the five seizures, then the first decrement by onset: decrements
    # 6 and 3 are left out), shown in time order, as the event table numbers them.
    assert [p.number for p in traces.pages] == [1, 2, 4, 5, 7, 8]
    onsets = [p.event["onset"] for p in traces.pages]
    assert onsets == sorted(onsets)
    short = traces.pages[2]  # event 4, 12-14 s: centred on its middle, 13 s
    # the Helsinki clips are anonymised ("Startdate X"): no clock time
    assert short.start_s == 8 and short.clock is None
    long_ = traces.pages[3]  # event 5, 16-25 s: longer than 8 s, centred on its onset
    assert long_.start_s == 11
    last = traces.pages[5]  # event 8, 27-29 s: the page stays inside the 30 s file
    assert last.start_s == 20
    assert len({p.gain_uv_per_mm for p in traces.pages}) == 1  # one gain: pages compare
    assert all(p.montage == "bipolar (double banana)" for p in traces.pages)
    assert all(p.filters == "HP 0.5 Hz, LP 70 Hz, notch off" for p in traces.pages)
    root = _svg(short.svg_uri)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}polyline")) == 18
    assert root.get("width") == f"{short.width_mm:.1f}mm"
    # Every event on the page is shaded, not only the page's own.
    assert len([r for r in root.findall(f"{ns}rect") if r.get("class") == "event"]) == 3


def test_no_file_or_an_unreadable_one_leaves_a_note(
    with_events: tuple[Database, int, datetime],
) -> None:
    db, child_id, now = with_events
    finding = build_report(db, child_id, now=now).eegs[0]
    assert event_traces(replace(finding, events=[])).pages == []
    gone = event_traces(replace(finding, file=None))
    assert gone.pages == [] and gone.more == 8 and "not in the data directory" in (gone.note or "")
    broken = event_traces(replace(finding, file=HYPNOGRAM))
    assert broken.pages == [] and "could not be read" in (broken.note or "")
    assert "zero signal channels" in (broken.note or "")
    data = build_report(db, child_id, now=now)
    html = render_html(replace(data, eegs=[replace(finding, file=HYPNOGRAM)]))
    assert "Traces not shown: The EEG file could not be read" in html


def test_the_pdf_prints_the_pages_with_gain_and_filters(
    with_events: tuple[Database, int, datetime], tmp_path: Path
) -> None:
    db, child_id, now = with_events
    data = build_report(db, child_id, now=now)
    html = render_html(data)
    assert html.count('class="eeg-trace"') == MAX_EVENT_PAGES
    assert "2 more events of this recording are listed in the table" in html
    assert len(re.findall(r'<img[^>]* src="data:image/svg\+xml;base64,', html)) == 6
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(data))
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Traces around the detected events: eeg13.edf" in text
    assert (
        "Event 4: possible seizure (sz) at 12.0 s, lasting 2.0 s, confidence 0.95, on C4-P4" in text
    )
    assert re.search(r"bipolar \(double banana\); \d+ µV/mm at the printed size; HP 0.5 Hz", text)
    assert "Fp1-F7" in text and "8 s" in text  # labels and seconds in the drawing
    assert "00:00:08" not in text  # no clock time: the clip's start date is not known
    sizes, found = words(pdf)
    for page, (width, _height) in enumerate(sizes, start=1):
        on_page = [w for w in found if w.page == page]
        assert all(w.x_min >= 10 * MM and w.x_max <= width - 10 * MM for w in on_page)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == len(sizes)


def test_the_pages_of_traces_in_spanish(
    with_events: tuple[Database, int, datetime], tmp_path: Path
) -> None:
    """A Spanish report's pages of traces: their heading, captions, montage, filters and
    the EEG event table in Spanish, the times and confidences with a decimal comma; the
    event codes and channel names as they are."""
    db, child_id, now = with_events
    data = build_report(db, child_id, now=now)
    html = render_html(data, locale="es")
    assert html.count('class="eeg-trace"') == MAX_EVENT_PAGES
    assert "2 eventos más de este registro figuran en la tabla" in html
    assert "<td>posible crisis (sz)</td>" in html and "possible seizure" not in html
    pdf = tmp_path / "informe.pdf"
    pdf.write_bytes(render_pdf(data, locale="es"))
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Trazados alrededor de los eventos detectados: eeg13.edf" in text
    assert (
        "Evento 4: posible crisis (sz) a los 12,0 s, de 2,0 s de duración, confianza 0,95, "
        "en C4-P4" in text
    )
    assert re.search(r"bipolar \(doble banana\); \d+ µV/mm al tamaño impreso; paso alto", text)
    assert "Traces around" not in text and "at the printed size" not in text
    assert "Fp1-F7" in text  # the channels as the file names them
