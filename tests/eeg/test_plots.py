"""Trend plots: figures returned, events marked, PNGs written."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure

from spasmwatch.eeg import analyze_eeg
from spasmwatch.eeg.detect import Event
from spasmwatch.eeg.plots import plot_amplitude, plot_spectrogram, plot_spike_density, write_plots


@pytest.fixture(scope="module")
def analysis(shared_eeg_dir: Path):
    result = analyze_eeg(shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf")
    # a known event so that the marks can be checked whatever the detector finds
    result.events = [Event(100.0, 12.0, "sz", 0.9, ("C3-P3",)), Event(150.0, 3.0, "decrement", 0.7)]
    return result


@pytest.mark.parametrize("fn", [plot_amplitude, plot_spike_density])
def test_trend_plots_shade_each_event(analysis, fn) -> None:
    fig = fn(analysis)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    spans = [p for p in ax.patches if p.get_label() in ("sz", "decrement", "_nolegend_")]
    extents = sorted(round(p.get_x(), 1) for p in spans if hasattr(p, "get_x"))
    assert 100.0 in extents and 150.0 in extents
    assert ax.get_xlim() == (0.0, analysis.duration_s)


def test_spectrogram_marks_event_onsets(analysis) -> None:
    fig = plot_spectrogram(analysis)
    xs = {round(line.get_xdata()[0], 1) for line in fig.axes[0].lines}
    assert {100.0, 112.0, 150.0} <= xs


def test_plot_into_a_given_axes(analysis) -> None:
    fig = Figure()
    ax = fig.subplots()
    assert plot_amplitude(analysis, ax=ax) is fig


def test_write_plots(analysis, tmp_path: Path) -> None:
    paths = write_plots(analysis, tmp_path)
    english = ["amplitude.png", "spike_density.png", "spectrogram.png"]
    assert [p.name for p in paths] == [*english, *(n.replace(".png", ".es.png") for n in english)]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in paths)


def test_sz_legend_names_a_sensitivity_other_than_normal(analysis) -> None:
    def labels() -> set[str]:
        return {p.get_label() for p in plot_amplitude(analysis).axes[0].patches}

    assert "sz" in labels()
    analysis.sensitivity = "high"
    try:
        assert "sz (high sensitivity)" in labels()
    finally:
        analysis.sensitivity = "normal"
