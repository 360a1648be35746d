"""The report shows the analyses' images in its own language, and an analysis stored before
they were drawn in each language with its English images and a note saying so."""

from __future__ import annotations

import base64
import shutil
from dataclasses import replace
from pathlib import Path

from report.diary import MadeReport
from spasmwatch.images import image_file, image_in
from spasmwatch.report import render_html
from spasmwatch.report.sheet import sheet_rows
from spasmwatch.store import repo

NOTE_ES = "Las palabras dentro de estas imágenes están en inglés"
NOTE_EN = "The words inside these pictures are in English"


def _embedded(path: Path) -> str:
    """The image at ``path`` as the report embeds it."""
    return base64.b64encode(path.read_bytes()).decode("ascii")


def _sheet_bands(path: Path) -> list[str]:
    """The contact sheet at ``path`` as the report embeds it: cut into its rows."""
    return [base64.b64encode(band).decode("ascii") for band in sheet_rows(path.read_bytes())]


def test_each_analysis_drew_its_images_in_each_language(made_report: MadeReport) -> None:
    with made_report.database.reading() as s:
        analyses = [a.analysis for a in repo.attachments_for(s, made_report.child_id)]
    assert [a["image_locales"] for a in analyses] == [["en", "es"], ["en", "es"]]
    for finding in [*made_report.data.videos, *made_report.data.eegs]:
        for path in finding.images.values():
            assert image_in(path, "es").name == image_file(path.name, "es") != path.name
            assert image_in(path, "en") == path


def test_a_report_shows_the_images_in_its_language(made_report: MadeReport) -> None:
    video, eeg = made_report.data.videos[0], made_report.data.eegs[0]
    english_html = made_report.html
    spanish_html = render_html(made_report.data, locale="es")
    for path in (video.images["motion"], *eeg.images.values()):
        spanish = image_in(path, "es")
        assert _embedded(spanish) in spanish_html and _embedded(path) not in spanish_html
        assert _embedded(path) in english_html and _embedded(spanish) not in english_html
    sheet = video.images["contact_sheet"]
    bands = _sheet_bands(image_in(sheet, "es"))
    assert len(bands) > 1  # cut into its rows, as the English one
    assert all(band in spanish_html for band in bands)
    assert not any(band in spanish_html for band in _sheet_bands(sheet))
    # the pictures' words are the report's: nothing to warn of
    assert NOTE_ES not in spanish_html and NOTE_EN not in english_html


def test_an_analysis_stored_before_shows_its_english_images(
    made_report: MadeReport, tmp_path: Path
) -> None:
    """The folder of an analysis stored before the images were drawn in each language has
    the English files only: a Spanish report shows them, and says that their words are
    English, once for the video's and once for the EEG's."""

    def english_only(finding, folder: Path):
        folder.mkdir()
        images = {
            name: Path(shutil.copy(path, folder / path.name))
            for name, path in finding.images.items()
        }
        return replace(finding, images=images)

    data = made_report.data
    older = replace(
        data,
        videos=[english_only(v, tmp_path / f"video{i}") for i, v in enumerate(data.videos)],
        eegs=[english_only(e, tmp_path / f"eeg{i}") for i, e in enumerate(data.eegs)],
    )
    spanish_html = render_html(older, locale="es")
    video, eeg = older.videos[0], older.eegs[0]
    for path in (video.images["motion"], *eeg.images.values()):
        assert image_in(path, "es") == path
        assert _embedded(path) in spanish_html
    assert spanish_html.count(NOTE_ES) == 2
    assert NOTE_EN not in render_html(older)
