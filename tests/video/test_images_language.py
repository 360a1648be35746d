"""The contact sheet and the motion plot in each language: files, words and numbers."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from spasmwatch.images import IMAGE_FILES, image_file
from spasmwatch.video import VideoAnalysis, analyze_video
from spasmwatch.video.outputs import EXPORT_SHORT_SIDE, _sheet_figure, _SheetPicks, plot_motion
from spasmwatch.video.reader import VideoReader
from spasmwatch.video.result import SHEET_ROW_CUTS_KEY

#: The English words of the images, none of which a Spanish image may show.
ENGLISH = (
    "time (s)",
    "share of infant moving",
    "infant moving (share of body)",
    "movement outside the infant",
    "spasm cluster",
    "spasm-like",
    "motion over time",
    "frames across each event",
    "both sides",
    "picture's",
)


@pytest.fixture(scope="module")
def analysed(short_video, tmp_path_factory: pytest.TempPathFactory) -> tuple[VideoAnalysis, Path]:
    """The short video analysed with its files written."""
    out = tmp_path_factory.mktemp("images") / "out"
    return analyze_video(short_video.path, out_dir=out), out


def _texts(fig: Figure) -> list[str]:
    """Every text drawn in ``fig`` (titles, axes' names, ticks, legend, notes)."""
    fig.draw_without_rendering()  # the ticks' labels are made when drawn
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_each_image_is_written_in_each_language(analysed: tuple[VideoAnalysis, Path]) -> None:
    """English keeps its file names; Spanish has its own files, drawn differently, listed
    after the English ones in the outputs and in analysis.json."""
    result, out = analysed
    for name, key in (("contact_sheet", "contact_sheet"), ("motion", "motion_plot")):
        english = out / IMAGE_FILES["video"][name]
        spanish = out / image_file(english.name, "es")
        assert spanish.name == english.name.replace(".png", ".es.png")
        assert spanish.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert spanish.read_bytes() != english.read_bytes()
        assert result.outputs[key] == [str(english), str(spanish)]
    doc = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert doc["outputs"]["motion_plot"] == result.outputs["motion_plot"]
    # the Spanish sheet records where its rows part, as the English one (the report cuts it)
    for file in ("contact_sheet.png", "contact_sheet.es.png"):
        with Image.open(out / file) as sheet:
            assert sheet.info[SHEET_ROW_CUTS_KEY].startswith("0,")


def test_the_motion_plot_speaks_the_reader_s_language(
    analysed: tuple[VideoAnalysis, Path],
) -> None:
    result, _out = analysed
    assert result.clusters, "the short video has a cluster of three spasms"
    name = Path(result.video.path).name
    spanish = _texts(plot_motion(result, locale="es"))
    plt.close("all")
    for words in (
        f"{name}: movimiento a lo largo del tiempo",
        "tiempo (s)",
        "proporción del bebé en movimiento",
        "bebé en movimiento (proporción del cuerpo)",
        "movimiento fuera del bebé",
        "parecido a un espasmo",
        "serie de espasmos",
    ):
        assert words in spanish, words
    cluster = result.clusters[0]
    assert any(t.startswith(f" {cluster.count} parecidos a un espasmo, cada ") for t in spanish)
    # the numbers on the axes with a decimal comma
    assert "0,1" in spanish and "0.1" not in spanish
    assert not [t for t in spanish if any(word in t for word in ENGLISH)]
    english = _texts(plot_motion(result))
    plt.close("all")
    assert "time (s)" in english and "spasm-like" in english and "0.1" in english
    assert f"{name}: motion over time" in english


def test_the_contact_sheet_speaks_the_reader_s_language(
    short_video, analysed: tuple[VideoAnalysis, Path]
) -> None:
    """The sheet's title, each event's kind, times and side, in Spanish words and numbers,
    from the same frames as the English sheet."""
    result, _out = analysed
    picks = _SheetPicks(result.events, per_event=5)
    with VideoReader(short_video.path, short_side=EXPORT_SHORT_SIDE) as reader:
        for t, frame in reader.frames_in([(0.0, result.video.duration_s)]):
            picks.offer(t, frame)
    first = result.events[0]
    texts = {}
    for locale in ("en", "es"):
        fig, _axes = _sheet_figure(picks, result, None, 5, locale)
        texts[locale] = _texts(fig)
        plt.close(fig)
    spanish, english = texts["es"], texts["en"]
    name = Path(result.video.path).name
    title = "fotogramas a lo largo de cada evento (tiempos en negro: durante el evento)"
    assert f"{name}: {title}" in spanish
    start, end = (f"{t:.1f}".replace(".", ",") for t in (first.start_s, first.end_s))
    side = {
        "both": "los dos lados",
        "left": "izquierda de la imagen",
        "right": "derecha de la imagen",
    }[first.side]
    assert f"#1 parecido a un espasmo\n{start}-{end} s, {side}" in spanish
    assert not [t for t in spanish if any(word in t for word in ENGLISH)]
    assert f"#1 spasm-like\n{first.start_s:.1f}-{first.end_s:.1f} s" in {
        t.rsplit(",", 1)[0] for t in english
    }
    # the same frames, the same times: only their words and decimal sign differ
    times = [t for t in english if t.endswith(" s") and "\n" not in t]
    assert [t.replace(".", ",") for t in times] == [
        t for t in spanish if t.endswith(" s") and "\n" not in t
    ]


def test_a_sheet_without_events_says_so_in_the_language(
    analysed: tuple[VideoAnalysis, Path],
) -> None:
    result, _out = analysed
    fig, _axes = _sheet_figure(_SheetPicks([], per_event=5), result, None, 5, "es")
    spanish = _texts(fig)
    plt.close(fig)
    assert "No se encontraron movimientos" in spanish
