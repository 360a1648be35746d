"""One fact, one name: the report says the child's development, a development without
milestones and the child's age as the family's page and the clinician view say them, and
its Spanish words agree with the label they follow."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from html import unescape

from report.diary import MadeReport
from spasmwatch.report import render_html
from spasmwatch.report.build import ReportSource, StoredEpisode, assemble_report


def _visible(html: str) -> str:
    html = re.sub(r"<(style|script|title)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _report(age_months: float = 6, development: str = "unknown") -> str:
    """The English report of a child of ``age_months`` with one episode."""
    when = datetime(2026, 12, 1, 8, 0)
    episode = {"movements": ["head_nod"], "count": 3, "started_at": when.isoformat()}
    case = {"child": {"age_months": age_months}, "episodes": [episode]}
    rows = [StoredEpisode(1, when, when, episode)]
    source = ReportSource("Mia", None, None, [], development, case, rows, [])
    data = assemble_report(source, date(2026, 12, 1), date(2026, 12, 1), datetime(2026, 12, 2))
    return _visible(render_html(data))


def test_a_development_not_known_is_not_known_as_on_the_familys_page() -> None:
    said = _report()
    assert "Development not known" in said and "not sure" not in said
    assert "Development slower (late milestones)" in _report(development="slower")


def test_an_age_in_whole_months_has_no_decimal() -> None:
    assert "Age 6 months" in _report(6)
    assert "6.0 months" not in _report(6)
    assert "Age 6.5 months" in _report(6.5)
    assert "Age 7.3 months" in _report(7.26)  # one decimal at most


def test_no_skill_recorded_is_said_as_the_page_says_it(made_report: MadeReport) -> None:
    data = made_report.data
    assert data.care is not None and not data.care.milestones
    development = _visible(render_html(data)).split(" Development ", 2)[-1]
    assert "No skill recorded." in development
    assert "milestone recorded" not in _visible(render_html(data))


def test_the_spanish_report_says_sin_anotar_and_complejo_de(made_report: MadeReport) -> None:
    """ "Fecha de nacimiento: no anotado" did not agree with its label: "sin anotar" reads
    well after every one; the condition is the "complejo de esclerosis tuberosa"."""
    data = made_report.data
    header = replace(data.child, birth_date=None, born_weeks=None)
    said = _visible(render_html(replace(data, child=header, reporters=[]), locale="es"))
    assert "Fecha de nacimiento sin anotar" in said
    # weeks of pregnancy at birth, not a clock time ("Nació a las")
    assert "Edad gestacional al nacer sin anotar" in said and "Nació a las" not in said
    assert "no anotado" not in said
    assert "complejo de esclerosis tuberosa" in said
