"""Pages of traces for the viewer and the report: a page reads only its window of a 24 h
file, the montages, the filters, the settings' validation and the SVG drawing."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from spasmwatch.eeg.events import Event
from spasmwatch.eeg.montage import DOUBLE_BANANA
from spasmwatch.eeg.reader import read_recording
from spasmwatch.eeg.trace_svg import render_trace_svg
from spasmwatch.eeg.traces import (
    PAD_S,
    FilterNote,
    TraceSettings,
    auto_gain,
    available_montages,
    derive_montage,
    event_priority,
    filter_page,
    page_start_for,
    read_page,
)
from spasmwatch.errors import InvalidInput

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "eeg"
HELSINKI = DATA / "helsinki" / "clips" / "eeg13.edf"
BIPOLAR = DATA / "real_infant" / "demo.edf"
LABELS = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2", "F7", "F8",
          "T3", "T4", "T5", "T6", "Fz", "Cz", "Pz"]  # fmt: skip
SFREQ = 256


def _header(n_records: int, labels: list[str], spr: int) -> bytes:
    """An EDF header (1-s records, ±3276.7 µV on 16 bits: 0.1 µV per step)."""
    ns = len(labels)

    def field(values: list[str], width: int) -> bytes:
        return b"".join(v.ljust(width)[:width].encode("ascii") for v in values)

    head = (
        "0".ljust(8) + "X X X X".ljust(80) + "Startdate 20-NOV-2026 X X X".ljust(80)
        + "20.11.26" + "07.00.00" + str(256 * (ns + 1)).ljust(8) + "".ljust(44)
        + str(n_records).ljust(8) + "1".ljust(8) + str(ns).ljust(4)
    ).encode("ascii")  # fmt: skip
    return head + b"".join(
        [
            field([f"EEG {lab}-REF" for lab in labels], 16),
            field([""] * ns, 80),
            field(["uV"] * ns, 8),
            field(["-3276.8"] * ns, 8),
            field(["3276.7"] * ns, 8),
            field(["-32768"] * ns, 8),
            field(["32767"] * ns, 8),
            field([""] * ns, 80),
            field([str(spr)] * ns, 8),
            field([""] * ns, 32),
        ]
    )


@pytest.fixture(scope="module")
def day_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 24 h, 19-channel, 256 Hz EDF (840 MB, sparse: zeros but for a 10 Hz, 50 µV sine
    in Cz from 12:00:00 to 12:00:20)."""
    path = tmp_path_factory.mktemp("day") / "day.edf"
    n_records, ns = 86_400, len(LABELS)
    header = _header(n_records, LABELS, SFREQ)
    record_bytes = ns * SFREQ * 2
    sine = (500 * np.sin(2 * np.pi * 10 * np.arange(SFREQ) / SFREQ)).astype("<i2")
    with path.open("wb") as f:
        f.write(header)
        f.truncate(len(header) + n_records * record_bytes)
        cz = LABELS.index("Cz")
        for second in range(43_200, 43_220):
            f.seek(len(header) + second * record_bytes + cz * SFREQ * 2)
            f.write(sine.tobytes())
    return path


class _RowSpy:
    """Counts the data records a read takes from the memory map."""

    def __init__(self, records: Any) -> None:
        self.records = records
        self.rows = 0

    def __getitem__(self, key: Any) -> Any:
        block = self.records[key]
        self.rows += len(block)
        return block

    def __len__(self) -> int:
        return len(self.records)


def test_a_page_of_a_24_h_file_reads_only_its_window(day_file: Path) -> None:
    rec = read_recording(day_file, annotations=False)
    assert rec.duration_s == 86_400 and rec.start == dt.datetime(2026, 11, 20, 7)
    spy = _RowSpy(rec._records)
    rec._records = spy  # type: ignore[assignment]
    settings = TraceSettings(page_s=10, montage="referential", gain_uv_per_mm=10)
    page = read_page(rec, 43_205, settings)
    # The page and the filters' padding, in 1-s records (plus the partial ones at the ends).
    assert 0 < spy.rows <= 10 + 2 * PAD_S + 2
    assert page.data.shape == (19, 10 * SFREQ)
    cz = page.channels.index("Cz")
    assert 40 < np.ptp(page.data[cz]) / 2 < 55  # the 50 µV sine (filters keep 10 Hz)
    assert np.abs(page.data[page.channels.index("Fp1")]).max() < 1e-3
    assert page.clock(page.start_s) == "19:00:05"
    # The last page of the day, and one past it.
    last = read_page(rec, 86_395, settings)
    assert last.data.shape[1] == 5 * SFREQ
    with pytest.raises(InvalidInput, match=r"'t'.*86400 s recording; got 86400"):
        read_page(rec, 86_400, settings)
    assert spy.rows <= 3 * (10 + 2 * PAD_S + 2)


def test_bipolar_montage_is_the_analysis_double_banana() -> None:
    rec = read_recording(HELSINKI)
    assert available_montages(rec.channels, rec.kinds) == ["bipolar", "referential", "average"]
    raw = rec.read(0, 2)
    data, names = derive_montage(raw, rec.channels, rec.kinds, "bipolar")
    assert names == [f"{a}-{b}" for a, b in DOUBLE_BANANA]
    i, j = rec.channels.index("Fp1"), rec.channels.index("F7")
    np.testing.assert_allclose(data[0], raw[i] - raw[j], atol=1e-4)
    _ref, ref_names = derive_montage(raw, rec.channels, rec.kinds, "referential")
    assert ref_names[:7] == ["Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8"]  # front to back
    avg, avg_names = derive_montage(raw, rec.channels, rec.kinds, "average")
    assert avg_names[0] == "Fp1-Avg"
    np.testing.assert_allclose(avg.mean(axis=0), 0, atol=1e-3)


def test_a_bipolar_recording_is_shown_as_recorded() -> None:
    rec = read_recording(BIPOLAR)
    assert available_montages(rec.channels, rec.kinds) == ["referential"]
    page = read_page(rec, 0, TraceSettings(montage="referential"))
    assert page.channels == rec.channels
    with pytest.raises(InvalidInput, match="'montage': allowed for this recording are "
                       "referential; got 'bipolar'"):  # fmt: skip
        read_page(rec, 0, TraceSettings(montage="bipolar"))


def _tone(hz: float, seconds: float = 20, sfreq: float = SFREQ) -> np.ndarray:
    t = np.arange(int(seconds * sfreq)) / sfreq
    return np.sin(2 * np.pi * hz * t)[None, :] * 100


def _middle(x: np.ndarray) -> np.ndarray:
    return x[:, x.shape[1] // 4 : -x.shape[1] // 4]


@pytest.mark.parametrize(
    ("settings", "hz", "kept"),
    [
        (TraceSettings(high_pass_hz=0, low_pass_hz=0, notch_hz=50), 50, False),
        (TraceSettings(high_pass_hz=0, low_pass_hz=0, notch_hz=50), 10, True),
        (TraceSettings(high_pass_hz=0, low_pass_hz=0, notch_hz=60), 60, False),
        (TraceSettings(high_pass_hz=0, low_pass_hz=35, notch_hz=0), 60, False),
        (TraceSettings(high_pass_hz=0, low_pass_hz=35, notch_hz=0), 10, True),
        (TraceSettings(high_pass_hz=0, low_pass_hz=70, notch_hz=0), 50, True),
        (TraceSettings(high_pass_hz=1, low_pass_hz=0, notch_hz=0), 0.1, False),
        (TraceSettings(high_pass_hz=0.5, low_pass_hz=0, notch_hz=0), 5, True),
    ],
)
def test_filters_keep_and_remove_what_they_should(
    settings: TraceSettings, hz: float, kept: bool
) -> None:
    out, notes = filter_page(_tone(hz, 60), SFREQ, settings)
    ratio = np.ptp(_middle(out)) / np.ptp(_middle(_tone(hz, 60)))
    assert notes == []
    assert ratio > 0.9 if kept else ratio < 0.1


def test_filters_are_zero_phase_and_skip_what_the_rate_cannot_hold() -> None:
    x = _tone(5)
    out, _ = filter_page(x, SFREQ, TraceSettings(high_pass_hz=0.5, low_pass_hz=35))
    assert np.argmax(_middle(out)[0][:200]) == np.argmax(_middle(x)[0][:200])  # no delay
    out, notes = filter_page(_tone(5, sfreq=100), 100, TraceSettings(low_pass_hz=70))
    assert notes == [FilterNote("low_pass", 70, 50)]
    assert str(notes[0]) == (
        "low-pass 70 Hz not applied: too close to the Nyquist frequency (50 Hz) of this recording"
    )


def test_settings_parse_and_name_the_bad_parameter() -> None:
    parsed = TraceSettings.parse({"page": "20", "montage": "average", "gain": "7", "hp": "1",
                                  "lp": "35", "notch": "50"})  # fmt: skip
    assert parsed == TraceSettings(20, "average", 7, 1, 35, 50)
    assert TraceSettings.parse(parsed.query()) == parsed
    assert TraceSettings.parse({}) == TraceSettings()
    assert TraceSettings.parse({"gain": "auto", "page": ""}).gain_uv_per_mm is None
    assert TraceSettings().filter_text() == "HP 0.5 Hz, LP 70 Hz, notch off"
    for query, message in [
        ({"page": "15"}, "Invalid value for 'page': allowed are 10, 20, 30 (s); got '15'"),
        ({"montage": "laplacian"}, "Invalid value for 'montage': allowed are bipolar, "
         "referential, average; got 'laplacian'"),
        ({"gain": "1000"}, "Invalid value for 'gain': allowed are 2, 3, 5, 7"),
        ({"gain": "x"}, "Invalid value for 'gain': a number is required; got 'x'"),
        ({"hp": "2"}, "Invalid value for 'hp': allowed are off, 0.3, 0.5, 1 (Hz); got '2'"),
        ({"lp": "nan"}, "Invalid value for 'lp': a finite number is required"),
        ({"notch": "55"}, "Invalid value for 'notch': allowed are off, 50, 60 (Hz)"),
    ]:  # fmt: skip
        with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
            TraceSettings.parse(query)


def test_page_bounds_gain_and_event_order() -> None:
    rec = read_recording(HELSINKI)
    with pytest.raises(InvalidInput, match="Invalid value for 't': a page starts from 0 to 29 s"):
        read_page(rec, 30, TraceSettings())
    with pytest.raises(InvalidInput, match="'t'"):
        read_page(rec, -1, TraceSettings())
    events = [Event(3, 2, "decrement", 1.0), Event(25, 4, "sz", 0.6), Event(12, 8, "sz", 0.9)]
    page = read_page(rec, 10, TraceSettings(), events)
    assert [e.onset for e in page.events] == [12]
    assert page.settings.gain_uv_per_mm == auto_gain(page.data, 10.0)
    assert [e.onset for e in event_priority(events)] == [12, 25, 3]
    assert page_start_for(12.4, 10, 30) == 10
    assert page_start_for(12.4, 10, 30, centre=True) == 7
    assert page_start_for(29.5, 10, 30) == 20 and page_start_for(0.5, 10, 30) == 0
    assert auto_gain(np.ones((2, 100)) * 3 + np.r_[0, 500][:, None], 10) == 2


def test_svg_draws_every_channel_the_events_and_the_scale() -> None:
    rec = read_recording(HELSINKI)
    events = [Event(12, 3, "sz", 0.87, ("T3",)), Event(15, 2, "<odd>&", 1.0)]
    page = read_page(rec, 10, TraceSettings(gain_uv_per_mm=20), events)
    svg = render_trace_svg(page)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}polyline")) == 18
    assert len([r for r in root.findall(f"{ns}rect") if r.get("class") == "event"]) == 2
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Fp1-F7" in texts and "sz 0.87" in texts and "<odd>&" in texts
    assert any("20 µV/mm · HP 0.5 Hz, LP 70 Hz, notch off · bipolar" in (t or "") for t in texts)
    # seconds, and no clock time: the anonymised clip's start date is not known
    assert rec.start is None and "10 s" in texts and "00:00:10" not in texts
    assert 'style="' not in svg and "<script" not in svg
    assert root.get("width", "").endswith("mm")
    assert render_trace_svg(page, fluid=True).count('width="100%"') == 1
    # with a known start, the clock time under the seconds
    rec.start = dt.datetime(2026, 11, 20, 7, 30)
    dated = render_trace_svg(read_page(rec, 10, TraceSettings(gain_uv_per_mm=20), events))
    assert "07:30:10" in [t.text for t in ET.fromstring(dated).iter(f"{ns}text")]
    # an anonymiser's placeholder date (demo.edf: 2000-01-01) gives no clock times either
    for placeholder in (dt.datetime(2000, 1, 1, 1, 45, 27), dt.datetime(1985, 1, 1)):
        rec.start = placeholder
        page = read_page(rec, 10, TraceSettings(gain_uv_per_mm=20), events)
        assert page.start is None and page.clock(10) is None
        texts = [t.text for t in ET.fromstring(render_trace_svg(page)).iter(f"{ns}text")]
        assert "10 s" in texts and not any(":" in (t or "") for t in texts if t and t[0].isdigit())


def test_the_gaps_of_an_interrupted_recording_are_shaded(tmp_path: Path) -> None:
    from .edfd import write_interrupted

    data = np.random.default_rng(9).normal(0, 30, (19, 30 * 256))
    rec = read_recording(
        write_interrupted(tmp_path / "d.edf", data, [*range(0, 12), *range(20, 38)])
    )
    assert rec.gaps == [(12.0, 8.0)]
    page = read_page(rec, 10, TraceSettings(gain_uv_per_mm=20, montage="referential"))
    assert page.gaps == [(12.0, 8.0)]
    root = ET.fromstring(render_trace_svg(page, width_mm=120))
    ns = "{http://www.w3.org/2000/svg}"
    (gap,) = [r for r in root.findall(f"{ns}rect") if r.get("class") == "gap"]
    # from 2 s into the 10-s page to its end: 8 of its 10 seconds
    assert float(gap.get("width")) == pytest.approx(0.8 * (120 - 20 - 3), abs=0.05)
    assert gap.find(f"{ns}title").text == "no EEG recorded (12-20 s)"
    assert not read_page(rec, 0, TraceSettings(page_s=10)).gaps
    assert not read_page(rec, 20, TraceSettings(page_s=10)).gaps


def test_fit_the_page_keeps_a_large_burst_in_its_lanes() -> None:
    """A burst of large waves in a few seconds of one channel: "fit the page" picks the
    gain from that channel (the others quiet), and the phone's drawing clips every trace at
    the edge of its lane, so no trace crosses its neighbours; its words are larger."""
    from spasmwatch.eeg.trace_svg import PHONE_DRAWING

    rng = np.random.default_rng(4)
    data = rng.normal(0, 10, (4, 2560)).astype(np.float32)
    data[1, 1000:1500] += 400 * np.sin(np.linspace(0, 30, 500))  # ±400 µV for 2 s
    gain = auto_gain(data, 10.0, within_lane=True)
    loud = np.percentile(np.abs(data[1] - np.median(data[1])), 99)
    assert loud / gain <= 5.0 < loud / (gain * 0.7)  # half a lane, at the smallest such gain
    assert auto_gain(data[[0, 2, 3]], 10.0, within_lane=True) < gain  # the quiet ones alone
    assert auto_gain(data, 10.0) < gain  # the report's: the 98th percentile of all, pooled
    rec = read_recording(HELSINKI)
    page = read_page(rec, 10, TraceSettings(gain_uv_per_mm=2, montage="referential"))
    ns = "{http://www.w3.org/2000/svg}"
    for drawing, half_lane in (({}, 25.0), (PHONE_DRAWING, 5.0)):
        root = ET.fromstring(render_trace_svg(page, **drawing))  # type: ignore[arg-type]
        labels = [t for t in root.iter(f"{ns}text") if t.get("class") == "label"]
        baselines = [float(t.get("y", 0)) - 1.1 * drawing.get("text_scale", 1.0) for t in labels]
        for base, line in zip(baselines, root.findall(f"{ns}polyline"), strict=True):
            ys = [float(p.split(",")[1]) for p in (line.get("points") or "").split()]
            assert max(abs(y - base) for y in ys) <= half_lane + 0.06
        size = float(labels[0].get("font-size", 0))
        assert size == pytest.approx(3.4 * drawing.get("text_scale", 1.0))


def test_the_last_page_ends_its_time_axis_at_the_recordings_end() -> None:
    """A page that starts 5 s before the end of a 30 s recording keeps the scale of a
    10 s page, and its grid and seconds stop at 30 s: nothing is drawn past the end."""
    rec = read_recording(HELSINKI)
    page = read_page(rec, 25, TraceSettings(gain_uv_per_mm=20))
    root = ET.fromstring(render_trace_svg(page))
    ns = "{http://www.w3.org/2000/svg}"
    seconds = [t.text for t in root.iter(f"{ns}text") if (t.text or "").split(" ")[0].isdigit()]
    assert seconds[:5] == ["25 s", "26", "27", "28", "29"]
    assert not {"30", "31", "34"} & set(seconds), seconds
    grid = [float(line.get("x1", 0)) for line in root.iter(f"{ns}line")]
    full = ET.fromstring(render_trace_svg(read_page(rec, 10, TraceSettings(gain_uv_per_mm=20))))
    full_grid = [float(line.get("x1", 0)) for line in full.iter(f"{ns}line")]
    assert len(grid) == 6 and len(full_grid) == 11  # 25..30 s against 10..20 s
    assert max(grid) == pytest.approx(full_grid[5])  # the end, halfway across, same scale
    title = root.find(f"{ns}title")
    assert title is not None and "from 25 s to 30 s" in (title.text or "")


def test_time_labels_never_run_into_each_other_on_a_phone(day_file: Path) -> None:
    """Past the first hour the seconds read h:mm:ss, with the clock time below: on a
    phone's narrow drawing (larger words) every label is drawn apart from the next, the
    page's first second always labelled; the nominal drawing labels every second of a
    10-s page as before."""
    from spasmwatch.eeg.trace_svg import _CHAR_EM, PHONE_DRAWING

    rec = read_recording(day_file, annotations=False)
    settings = TraceSettings(page_s=10, montage="referential", gain_uv_per_mm=10)
    page = read_page(rec, 43_205, settings)
    ns = "{http://www.w3.org/2000/svg}"

    def axis(svg: str, first: str) -> list[tuple[float, float, str]]:
        """(left, right, words) of each label of the row whose first label is ``first``."""
        texts = [
            t for t in ET.fromstring(svg).iter(f"{ns}text") if t.get("text-anchor") == "middle"
        ]
        y = next(t.get("y") for t in texts if t.text == first)
        out = []
        for t in texts:
            if t.get("y") == y and t.text:
                half = len(t.text) * _CHAR_EM * float(t.get("font-size", "0")) / 2
                out.append((float(t.get("x", "0")) - half, float(t.get("x", "0")) + half, t.text))
        return out

    phone = render_trace_svg(page, **PHONE_DRAWING)  # type: ignore[arg-type]
    for first in ("12:00:05 s", "19:00:05"):
        row = axis(phone, first)
        assert row[0][2] == first and len(row) >= 2
        assert all(a[1] < b[0] for a, b in pairwise(row)), row
    wide = render_trace_svg(page)
    assert len(axis(wide, "12:00:05 s")) == 10 and len(axis(wide, "19:00:05")) == 10
