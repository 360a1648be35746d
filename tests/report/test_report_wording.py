"""The report is read days after it was made: it says days, not "today" or "3 weeks ago",
and an answer that speaks of "now" says when it was made. Each thing is said once (the
level, the call), a source's ``[design]`` tag in words, one cluster as one; and a finding's
tables go on over pages rather than leave a page empty."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from report.diary import MadeReport
from report.pdf import words
from spasmwatch.i18n import SEEN_DAY_PATTERN, format_day
from spasmwatch.report import render_html
from spasmwatch.report.build import ReportData, ReportSource, StoredEpisode, assemble_report
from spasmwatch.report.render import _write_pdf
from spasmwatch.report.triage_words import DOES_NOT_LOWER_EMERGENCY, DOES_NOT_LOWER_MANY
from spasmwatch.triage.engine import BASE_ADVICE, CALL_NOW, COUNT_NOT_GIVEN, FIRST_AID_NOW
from spasmwatch.triage.predicates import SEIZURE_ADVICE

#: When the reports below are made; the diaries are written back from it.
MADE = datetime(2026, 12, 7, 14, 5)
SEIZURE = {"movements": ["rhythmic_jerking"], "state": "awake", "responsive": "no"}
SPASMS = {
    "movements": ["head_nod", "arms_up"],
    "state": "just_woke",
    "count": 8,
    "movement_seconds": 1.0,
    "interval_seconds": 5,
}
DESIGN = "(a choice of this app, not of the guidance)"
DESIGN_ES = "(una decisión de esta aplicación, no de las guías clínicas)"


def _report(*episodes: tuple[timedelta, dict[str, Any]]) -> ReportData:
    """The report made at :data:`MADE` of a diary of ``(how long before, episode)``."""
    rows, logged = [], []
    for number, (before, episode) in enumerate(episodes, start=1):
        started = MADE - before
        episode = {**episode, "started_at": started.isoformat()}
        logged.append(episode)
        rows.append(StoredEpisode(number, started, started, episode))
    case = {"child": {"age_months": 6}, "episodes": logged}
    source = ReportSource("Mia", None, None, [], "unknown", case, rows, [])
    return assemble_report(source, now=MADE)


def _visible(html: str) -> str:
    """The text a reader sees: no styles, no script, no tags (so no image data either)."""
    html = re.sub(r"<(style|script|title)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _section(html: str, heading: str) -> str:
    """The visible text from the ``<h2>`` ``heading`` to the next ``<h2>``."""
    return _visible(html.split(f"<h2>{heading}</h2>", 1)[1].split("<h2", 1)[0])


def _level(html: str) -> str:
    """The level block at the top of the report, as its words."""
    block = html.split('<section class="level', 1)[1].split(">", 1)[1]
    return _visible(block.split("</section>", 1)[0])


def _day(day: date, locale: str = "en") -> str:
    return format_day(day, locale, SEEN_DAY_PATTERN)


def test_a_report_says_the_day_a_sign_was_last_seen_not_how_long_ago() -> None:
    """A warning sign seen 20 minutes before the report was made, and one 5 weeks before:
    "Last seen on <day>." and "A warning sign was last seen on <day>.", never "today" or
    "5 weeks ago", which are wrong on the day the doctor reads it."""
    sign = {"red_flags": ["blue_or_grey"], "movements": ["limb_jerk"]}
    recent = _report((timedelta(minutes=20), sign))
    html = render_html(recent)
    reasons = _section(html, "Why this triage level")
    assert f"Last seen on {_day(MADE.date())}." in reasons
    assert "Last seen today" not in html and "yesterday" not in html
    spanish = _section(render_html(recent, locale="es"), "Por qué este nivel de triaje")
    assert f"Visto por última vez el {_day(MADE.date(), 'es')}." in spanish
    assert " hoy, el " not in spanish
    old = _report((timedelta(weeks=5), sign))
    seen = (MADE - timedelta(weeks=5)).date()
    html = render_html(old)
    level = _level(html)
    assert level.startswith(f"Emergency A warning sign was last seen on {_day(seen)}.")
    assert f"Last seen on {_day(seen)}." in _section(html, "Why this triage level")
    assert not re.search(r"\bago\b", _visible(html))
    spanish = render_html(old, locale="es")
    assert f"Se vio un signo de alarma por última vez el {_day(seen, 'es')}." in _level(spanish)
    assert "hace 5 semanas" not in _visible(spanish)


def test_an_answer_that_says_now_says_when_it_was_made() -> None:
    """A seizure "happening now or has just happened (within the last hour)", read in a
    report days later: the level block says when the answer was made, in the report's
    language; an answer that does not speak of "now" has no such line."""
    data = _report((timedelta(days=3), SEIZURE), (timedelta(minutes=20), SEIZURE))
    assert data.triage["level"] == "emergency"
    assert any("within the last hour" in r["text"] for r in data.triage["reasons"])
    level = _level(render_html(data))
    assert "Answer made on 7 Dec 2026, 14:05." in level
    assert "Respuesta dada el 7 dic 2026, 14:05." in _level(render_html(data, locale="es"))
    # spasms seen yesterday: nothing said of "now", nothing to anchor
    spasms = _report((timedelta(days=1), SPASMS))
    assert spasms.triage["level"] == "same_day"
    assert "Answer made" not in render_html(spasms)


def test_the_report_says_the_level_and_the_call_once() -> None:
    """An emergency: the level's word, then the call (not "Emergency Emergency: call ...");
    what the family was advised as their page lists it, without the lines that call
    emergency services again. A same-day answer keeps its warning-sign line, which the
    report says nowhere else."""
    data = _report((timedelta(days=3), SEIZURE), (timedelta(minutes=20), SEIZURE))
    advice = data.triage["advice"]
    assert CALL_NOW in advice and SEIZURE_ADVICE[1] in advice  # the engine's answer
    html = render_html(data)
    call = "Call emergency services or go to the emergency department now."
    assert _level(html).startswith(f"Emergency {call}")
    advised = _section(html, "What the family was advised")
    assert advised.startswith(f"Emergency {call}")
    assert advised.lower().count("call emergency services") == 1
    assert SEIZURE_ADVICE[1] not in advised and "for example 911" not in advised
    assert "Give no food, drink or medicine" in advised
    assert "Emergency Emergency" not in _visible(html)
    assert "Emergency: call" not in _visible(html)
    spanish = render_html(data, locale="es")
    assert _level(spanish).startswith("Emergencia Llame ahora a los servicios de emergencia")
    assert "Emergencia: llame" not in _visible(spanish)
    same_day = render_html(_report((timedelta(days=1), SPASMS)))
    assert BASE_ADVICE["same_day"][1] in _section(same_day, "What the family was advised")


def test_the_report_says_each_moment_once_and_no_first_aid_for_a_past_sign() -> None:
    """Three warning signs on one episode: when it was last seen, said after the first of
    their reasons only. Seen 5 weeks before the report: the family was advised without the
    first aid for a seizure going on now (20 minutes before, with it)."""
    signs = {"red_flags": ["blue_or_grey", "vomiting", "rash"], "movements": ["limb_jerk"]}
    for before, past in ((timedelta(weeks=5), True), (timedelta(minutes=20), False)):
        data = _report((before, signs))
        assert len(data.triage["reasons"]) == 3
        assert all(line in data.triage["advice"] for line in FIRST_AID_NOW)
        for locale, last_seen, heading in (
            ("en", "Last seen on", "Why this triage level"),
            ("es", "Visto por última vez el", "Por qué este nivel de triaje"),
        ):
            html = render_html(data, locale=locale)
            assert _section(html, heading).count(last_seen) == 1, locale
        advised = _section(render_html(data), "What the family was advised")
        assert all((line in advised) is not past for line in FIRST_AID_NOW), before
        assert ("A warning sign was last seen on" in advised) is past


def test_the_report_says_a_count_read_as_one_and_what_does_not_lower_the_answer() -> None:
    """The note of an answer that read a count not given as one, in the level block once;
    the reasons below an emergency answer's level say once, after the first of them, that
    they do not lower it."""
    sleep_jerk = _report((timedelta(hours=2), {"movements": ["limb_jerk"], "state": "asleep"}))
    assert sleep_jerk.triage["note"] == COUNT_NOT_GIVEN
    html = render_html(sleep_jerk)
    assert COUNT_NOT_GIVEN in _level(html)
    assert _visible(html).count("was not given") == 1
    blue = {
        "movements": ["rhythmic_jerking"],
        "state": "awake",
        "responsive": "no",
        "episode_minutes": 3,
        "fever_c": 39.0,
        "red_flags": ["blue_or_grey"],
    }
    data = _report((timedelta(hours=3), blue))
    reasons = data.triage["reasons"]
    assert data.triage["level"] == "emergency"
    rules = [r["rule"] for r in reasons]
    lower = [(r.get("lowered_to") or r["level"]) != "emergency" for r in reasons]
    assert rules[-2:] == ["first-seizure", "febrile-seizure-simple"]
    assert lower == [False] * (len(rules) - 2) + [True, True]
    said = _section(render_html(data), "Why this triage level")
    words = DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY]
    assert said.count("not lower the answer") == 1 and said.count(words) == 1
    # after the first reason below, before its rule's id; nothing after the second
    first = said.split("needs a doctor's assessment today.", 1)[1]
    assert first.split("first-seizure")[0].strip().endswith(words)
    simple = said.split("simple febrile seizure", 1)[1]
    assert "not lower" not in simple.split("febrile-seizure-simple")[0]


def test_a_design_choice_is_said_in_words_in_each_language() -> None:
    data = _report((timedelta(days=3), SEIZURE), (timedelta(minutes=20), SEIZURE))
    tagged = [r for r in data.triage["reasons"] if "[design]" in r["source"]]
    assert tagged  # the data keeps the tag
    for locale, design, heading in (
        ("en", DESIGN, "Why this triage level"),
        ("es", DESIGN_ES, "Por qué este nivel de triaje"),
    ):
        html = render_html(data, locale=locale)
        assert "[design]" not in _visible(html)
        assert _section(html, heading).count(design) == len(tagged)
    reasons = _section(render_html(data), "Why this triage level")
    assert f"include that first seizure {DESIGN}" in reasons


def test_one_cluster_is_one_cluster_of_its_movements() -> None:
    one = render_html(_report((timedelta(days=1), SPASMS)))
    summary = _section(one, "Summary of the period")
    assert "Clusters (series) 1 cluster of 8 movements in the diary (3 or more" in summary
    assert "movements each" not in summary
    assert "1 serie de 8 movimientos en el diario" in _visible(
        render_html(_report((timedelta(days=1), SPASMS)), locale="es")
    )
    two = _section(
        render_html(_report((timedelta(days=2), SPASMS), (timedelta(days=1), SPASMS))),
        "Summary of the period",
    )
    assert "Clusters (series) 2 in the diary, 8 movements each" in two


class _KeptTables(HTMLParser):
    """The tables inside a block kept whole (class ``keep``)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[bool] = []  # each open element: whether it is kept whole
        self.kept_tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "col", "meta", "link", "input"):
            return
        classes = (dict(attrs).get("class") or "").split()
        self.open.append("keep" in classes)
        if tag == "table" and any(self.open):
            self.kept_tables += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("br", "img", "col", "meta", "link", "input") and self.open:
            self.open.pop()


def test_a_findings_tables_go_on_over_pages_rather_than_leave_one_empty(
    made_report: MadeReport, tmp_path: Path
) -> None:
    """The Spanish report of the diary with a video and an EEG: no table is in a block
    kept whole, and with 100 mm left on a page the video finding starts there, its
    quality table going on over the next page with its header repeated (kept whole with
    its text, the finding left that page empty)."""
    from weasyprint import HTML

    html = render_html(made_report.data, locale="es")
    kept = _KeptTables()
    kept.feed(html)
    assert kept.kept_tables == 0
    finding = '<section class="finding">'
    assert html.count(finding) == 2  # the video, then the EEG
    spacer = '<div style="break-before: page; height: 163mm">Relleno</div>'  # 100 mm left
    pdf = tmp_path / "pushed.pdf"
    pdf.write_bytes(_write_pdf(HTML, html.replace(finding, spacer + finding, 1)))
    _sizes, found = words(pdf)

    def pages(word: str) -> list[int]:
        return sorted({w.page for w in found if w.text == word})

    (page,) = pages("Relleno")
    assert pages("clip.mp4") == [page]  # the finding's heading stays on that page
    assert pages("Comprobación") == [page, page + 1]  # the quality table's header, twice
