"""The report in the reader's language: every word of a Spanish report is Spanish (its
headings, the Python-made sentences of the findings, the charts' days, the margins) and its
numbers have a decimal comma, while the rule ids, codes and the sources' citations are
those of the English report (the sources' notes are said in Spanish)."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest

from report.diary import MadeReport
from report.pdf import page_count, pdf_text
from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import format_day
from spasmwatch.report import render_html, render_pdf
from spasmwatch.report.package import render_package

#: The report's section headings in English: none is left in a Spanish report.
ENGLISH_HEADINGS = {
    "Child",
    "Summary of the period",
    "Why this triage level",
    "Treatment and response",
    "Development",
    "Work-up",
    "Timeline",
    "Episodes",
    "Video findings",
    "EEG findings",
    "What the family was advised",
}
#: English words of the report that a Spanish report must not show anywhere (visible text).
ENGLISH_WORDS = (
    "clinician report",
    "does not diagnose",
    "Known conditions",
    "Date of birth",
    "Reported by",
    "episodes with a known state",
    "possible seizure",
    "The seizure detector was made on the EEG of newborns",
    "found no seizure",
    "neonatal seizure detector",
    "Background measure",
    "BASED-like score",
    "per minute",
    "Side in the picture",
    "Contact sheet",
    "spasm-like movement",
    "quality check",
    "Response (day",
    "Why (assessment and score)",
    "rules version",
    "Page ",
)


def _visible(html: str) -> str:
    """The text a reader sees: no styles, no script, no tags (so no image data either)."""
    html = re.sub(r"<(style|script|title)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _sections(html: str) -> dict[str, str]:
    """The visible text under each ``<h2>`` heading, by the heading."""
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", html)
    return {_visible(parts[i]).strip(): _visible(parts[i + 1]) for i in range(1, len(parts), 2)}


def _rules(html: str) -> list[str]:
    table = html.split('<table class="reasons">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"</td><td>([^<]+)</td><td class=\"small\">", table)


def test_a_spanish_report_says_every_section_in_spanish(made_report: MadeReport) -> None:
    """Three weeks of diary with a video and an EEG, said in Spanish: each section has
    Spanish words and no English heading is left; the same rules fire as in English."""
    data = made_report.data
    html = render_html(data, locale="es")
    assert '<html lang="es">' in html and '<html lang="en">' in made_report.html
    sections = _sections(html)
    assert not ENGLISH_HEADINGS & set(sections), sorted(ENGLISH_HEADINGS & set(sections))
    spanish = {
        "Niño": ("Edad", "Inicio", "primer episodio parecido a espasmos anotado el"),
        "Resumen del periodo": ("Episodios", "movimientos", "Al despertar", "Fiebre"),
        "Por qué este nivel de triaje": ("Nivel", "Motivo", "Regla", "Fuente"),
        "Tratamiento y respuesta": ("ningún tratamiento anotado",),
        "Estudio": ("Prueba", "Estado", "Según lo anotado por la familia"),
        "Evolución": ("Episodios (barras", "por día", "últimos 14 días"),
        "Episodios": ("Cuándo", "Movimientos", "serie"),
        "Hallazgos del vídeo": ("movimientos parecidos a espasmos", "Lado en la imagen"),
        "Hallazgos del EEG": (
            "El detector de crisis neonatales (CNN de Stevenson\u2013Tapani\u2013Vanhatalo) "
            "no encontró ninguna crisis.",
            "No se encontró ningún evento electrodecremental.",
            "debe leerlo un neurofisiólogo clínico",
            "El detector de crisis se hizo con EEG de recién nacidos",
            "Puntuación tipo BASED",
            "Hipsarritmia (valoración automática)",
            "Por qué (valoración y puntuación)",
        ),
        "Qué se aconsejó a la familia": ("Hoy",),
    }
    for heading, words in spanish.items():
        assert heading in sections, (heading, sorted(sections))
        for word in words:
            assert word in sections[heading], (heading, word)
    text = _visible(html)
    for english in ENGLISH_WORDS:
        assert english not in text, english
    assert "informe clínico" in text and "spasmwatch no diagnostica" in text
    # days in Spanish (Babel), the ids and codes as they are
    assert format_day(data.end, "es", "dd MMM y") in text
    assert _rules(html) == _rules(made_report.html) and _rules(html)
    assert data.triage["rules_version"] in text
    # the page's title and the margins of the printed pages
    assert "<title>informe de spasmwatch: " in html
    assert 'content: "Página " counter(page) " de " counter(pages)' in html
    # the English report is English
    assert "Summary of the period" in _sections(made_report.html)


def _sources(html: str) -> list[str]:
    """The numbered sources under the reasons' table, each citation once."""
    listed = html.split('<ol class="sources small">', 1)[1].split("</ol>", 1)[0]
    return [unescape(s) for s in re.findall(r'<li id="source-\d+">([^<]+)</li>', listed)]


def test_a_spanish_report_says_the_sources_notes_in_spanish(made_report: MadeReport) -> None:
    """The rules' sources in a Spanish report: each citation as written, its notes in
    Spanish, numbered in the same order as the English report numbers them; each cited
    by its number in the reasons' table."""
    from spasmwatch.i18n import translations
    from spasmwatch.report.triage_words import citations, numbered_sources, source_words
    from spasmwatch.triage.rules import SOURCES

    english = _sources(made_report.html)
    spanish = _sources(render_html(made_report.data, locale="es"))
    # each citation of a source as the engine gives it, its "[design]" tag said in words
    known = {c for source in SOURCES.values() for c in citations(source_words(source))}
    assert english and all(citation in known for citation in english), english
    assert len(english) == len(set(english)), "each citation once"
    es = translations("es")
    reasons = made_report.data.triage["reasons"]
    assert spanish == numbered_sources(reasons, es.gettext)[1]
    assert len(spanish) == len(english) and spanish != english
    table = made_report.html.split('<table class="reasons">', 1)[1].split("</table>", 1)[0]
    cited = {int(n) for n in re.findall(r'<a href="#source-(\d+)">', table)}
    assert cited == set(range(1, len(english) + 1))
    assert spanish != english  # some note said in Spanish
    assert "professional pages" not in " ".join(spanish)


def test_a_spanish_pdf_renders_without_warnings(
    made_report: MadeReport, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """The Spanish PDF of the realistic diary: WeasyPrint warns of nothing, and its pages
    read in Spanish to the page numbers in the margin."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(made_report.data, locale="es")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    path = tmp_path / "informe.pdf"
    path.write_bytes(pdf)
    text = re.sub(r"\s+", " ", pdf_text(path))
    pages = page_count(path)
    assert f"Página 1 de {pages}" in text and f"Página {pages} de {pages}" in text
    assert "Resumen del periodo" in text and "Hallazgos del EEG" in text
    assert "Summary of the period" not in text and "Page 1 of" not in text
    # the margins write the days as the body does, in Spanish; the level in words only
    data = made_report.data
    start, end = (format_day(d, "es", "dd MMM y") for d in (data.start, data.end))
    assert f"{start} a {end}" in text, text[:400]
    assert f"Generado el {format_day(data.generated_at.date(), 'es', 'dd MMM y')} " in text
    assert data.start.isoformat() not in text and data.end.isoformat() not in text
    level = data.triage["level"]
    assert f"({level})" not in text and f"({level.replace('_', ' ')})" not in text
    # the analysis drew its pictures in Spanish too: nothing says that their words are English
    assert "Las palabras dentro de estas imágenes" not in text
    english = re.sub(r"\s+", " ", pdf_text(made_report.pdf))
    assert f"Current triage level ({level.replace('_', ' ')}) of the whole diary" in english
    assert "The words inside these pictures" not in english
    assert format_day(data.end, "en", "dd MMM y") in english
    assert "Nivel de triaje actual de todo el diario" in text


def test_the_doctor_package_and_an_unknown_language(made_report: MadeReport) -> None:
    """The doctor package is the report in the language asked; a language the report
    cannot speak is refused by name."""
    package = render_package(made_report.data, locale="es")
    assert '<html lang="es">' in package and "Hallazgos del vídeo" in package
    with pytest.raises(SpasmwatchError, match="allowed are en, es; got 'fr'"):
        render_html(made_report.data, locale="fr")
    with pytest.raises(SpasmwatchError, match="got 'fr'"):
        render_pdf(made_report.data, locale="fr")


#: A decimal number written with a point (``38.9``, ``0.84``), where it is not part of a
#: word, a file name or a code.
_POINT_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")


def test_a_spanish_report_writes_decimals_the_spanish_way(made_report: MadeReport) -> None:
    """Every number in the text of a Spanish report has a decimal comma (the episode
    table's, the summary's fever, the video's and the EEG's measures, the traces' pages),
    as the shared code has always written it; the English report keeps its points, and
    the rule ids, sources and the rules version are as written."""
    data = made_report.data
    spanish = _visible(render_html(data, locale="es"))
    english = _visible(made_report.html)
    assert "38.9 °C" in english and "38,9 °C" in spanish and "38.9 °C" not in spanish
    assert "36,5 semanas" in spanish and "36.5 weeks" in english
    # nothing else with a decimal point but what is written the same in every language
    as_written = {data.triage["rules_version"], *(r["source"] for r in data.triage["reasons"])}
    points = [
        n for n in _POINT_DECIMAL.findall(spanish) if not any(n in kept for kept in as_written)
    ]
    assert points == [], points
    assert _POINT_DECIMAL.findall(english)  # the English report writes decimal points


def test_a_spanish_report_says_gaps_signals_left_out_and_the_sz_note(
    made_report: MadeReport,
) -> None:
    """An EEG finding's gaps, the signals left out and why, and why the seizure detector
    gave no probability are English in the stored result and Spanish in a Spanish report
    (the same sentences as ``spasmwatch eeg analyze --lang es``)."""
    data = made_report.data
    eeg = data.eegs[0]
    finding = replace(
        eeg,
        recording={
            **eeg.recording,
            "gaps": [{"onset": 10.0, "duration": 2.5}],
            "skipped_signals": [
                "ECG (not an EEG electrode)",
                "Pz (sampled at 96.5 Hz)",
                "T3 (bipolar among referential channels)",
            ],
        },
        settings={
            **eeg.settings,
            "sz_note": "sampled at 64 Hz; the network's band-pass needs more than 64 Hz",
        },
    )
    made = replace(data, eegs=[finding])
    spanish = _visible(render_html(made, locale="es"))
    assert (
        "Registro interrumpido: 1 hueco (2,5 s en total) mantenido en su sitio, sin EEG: "
        "10-12,5 s" in spanish
    )
    assert (
        "No analizado: Pz (muestreada a 96,5 Hz), T3 (bipolar entre canales de tipo referencial)"
        in spanish
    )
    assert "Sin probabilidad de crisis: muestreado a 64 Hz; el filtro pasa banda" in spanish
    assert "no pudo puntuar este registro (muestreado a 64 Hz;" in spanish
    for english in ("Interrupted", "sampled at", "band-pass", "among referential"):
        assert english not in spanish, english
    english = _visible(render_html(made))
    assert "Interrupted recording: 1 gap (2.5 s in all) kept in place, with no EEG: 10-12.5 s" in (
        english
    )
    assert "Not analysed: Pz (sampled at 96.5 Hz), T3 (bipolar among referential channels)" in (
        english
    )


def test_a_source_is_cut_into_its_citations_outside_brackets() -> None:
    from spasmwatch.report.triage_words import citations, numbered_sources

    source = "A, 'One' (2022: x; y); B (z); C [design]; D"
    assert citations(source) == ["A, 'One' (2022: x; y)", "B (z)", "C [design]", "D"]
    assert citations("") == []
    numbers, listed = numbered_sources(
        [{"source": "A; B"}, {"source": "B; C"}, {"source": ""}, {"source": "A"}]
    )
    assert listed == ["A", "B", "C"] and numbers == [[1, 2], [2, 3], [], [1]]
