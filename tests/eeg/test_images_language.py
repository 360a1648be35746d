"""The EEG trend plots in each language: files, words and numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from spasmwatch.eeg import analyze_eeg
from spasmwatch.eeg.detect import Event
from spasmwatch.eeg.plots import plot_amplitude, plot_spectrogram, plot_spike_density, write_plots
from spasmwatch.images import image_file

#: The English words of the plots, none of which a Spanish plot may show.
ENGLISH = (
    "time (",
    "spikes",
    "seizure",
    "sensitivity",
    "decrement",
    "median channel",
    "percentile channel",
    "peak-to-peak",
    "Amplitude",
    "frequency",
    "Spectrogram",
    "mean of channels",
)


@pytest.fixture(scope="module")
def analysis(shared_eeg_dir: Path):
    """A real infant EEG with a seizure and a decrement, analysed at high sensitivity (the
    legend then names it)."""
    result = analyze_eeg(shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf")
    result.events = [Event(100.0, 12.0, "sz", 0.9, ("C3-P3",)), Event(150.0, 3.0, "decrement", 0.7)]
    result.sensitivity = "high"
    return result


def _english(texts: list[str]) -> list[str]:
    """The texts with an English word of the plots in them."""
    words = re.compile(
        "|".join(rf"{re.escape(w)}\b" if w[-1].isalpha() else re.escape(w) for w in ENGLISH)
    )
    return [t for t in texts if words.search(t)]


def _texts(fig: Figure) -> list[str]:
    """Every text drawn in ``fig`` (titles, axes' names, ticks, legend)."""
    fig.draw_without_rendering()  # the ticks' labels are made when drawn
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_each_plot_is_written_in_each_language(analysis, tmp_path: Path) -> None:
    paths = write_plots(analysis, tmp_path)
    english = ["amplitude.png", "spike_density.png", "spectrogram.png"]
    spanish = [image_file(name, "es") for name in english]
    assert spanish == ["amplitude.es.png", "spike_density.es.png", "spectrogram.es.png"]
    assert [p.name for p in paths] == english + spanish
    for en, es in zip(english, spanish, strict=True):
        assert (tmp_path / es).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (tmp_path / es).read_bytes() != (tmp_path / en).read_bytes()
    # one language when asked
    only = tmp_path / "only"
    only.mkdir()
    assert [p.name for p in write_plots(analysis, only, locales=("en",))] == english
    assert sorted(p.name for p in only.iterdir()) == sorted(english)


def test_the_spike_density_speaks_the_reader_s_language(analysis) -> None:
    spanish = _texts(plot_spike_density(analysis, locale="es"))
    for words in (
        "Densidad de puntas y probabilidad de crisis",
        "tiempo (s)",
        "puntas por minuto",
        "probabilidad de crisis",
        "puntas/min (intervalos de 10 s)",
        "sz (sensibilidad alta)",
        "decremento",
    ):
        assert words in spanish, words
    # the probability's axis, 0 to 1, with a decimal comma
    assert {"0,2", "0,4", "0,6", "0,8"} <= set(spanish) and "0.2" not in spanish
    assert _english(spanish) == []
    english = _texts(plot_spike_density(analysis))
    assert "sz (high sensitivity)" in english and "decrement" in english
    assert "time (s)" in english and "0.2" in english


def test_the_amplitude_and_spectrogram_speak_the_reader_s_language(analysis) -> None:
    amplitude = _texts(plot_amplitude(analysis, locale="es"))
    assert {"canal mediano", "canal del percentil 90", "pico a pico (µV)"} <= set(amplitude)
    assert {"Amplitud (bipolar)", "Amplitud (referencial)"} & set(amplitude)
    spectrogram = _texts(plot_spectrogram(analysis, locale="es"))
    assert "frecuencia (Hz)" in spectrogram and "tiempo (s)" in spectrogram
    title = (
        "Espectrograma (CDSA), media de los canales; eventos: líneas y barra superior "
        "(sz rojo, decremento azul)"
    )
    assert title in spectrogram
    assert _english(amplitude) == _english(spectrogram) == []
    # a negative number of the colour bar has a decimal comma and a minus sign
    bar = [t for t in spectrogram if t.startswith("\u2212")]
    assert all("." not in t for t in bar)
