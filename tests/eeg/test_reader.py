"""Reading EDF/EDF+/BDF: shared real files, channel names, units, broken files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import edfio
import numpy as np
import pytest

from spasmwatch.eeg.features import compute_epoch_features
from spasmwatch.eeg.reader import normalise_label, read_recording
from spasmwatch.errors import NoEEGChannel, UnreadableFile

from .edfd import write_interrupted


@pytest.mark.parametrize(
    ("label", "name", "kind"),
    [
        ("EEG Fp1-REF", "Fp1", "referential"),
        ("EEG Fp1-Ref", "Fp1", "referential"),
        ("FP1", "Fp1", "referential"),
        ("Fp1", "Fp1", "referential"),
        ("EEG CZ-LE", "Cz", "referential"),
        ("T7", "T3", "referential"),
        ("T8", "T4", "referential"),
        ("P7", "T5", "referential"),
        ("EEG P8-AVG", "T6", "referential"),
        ("T3", "T3", "referential"),
        ("EEG Fpz-Cz", "Fpz-Cz", "bipolar"),
        ("F7-C3", "F7-C3", "bipolar"),
        ("ECG", "ECG", "other"),
        ("ECG EKG-Ref", "ECG EKG", "other"),
        ("EEG Effort-Ref", "Effort", "other"),
        ("EOG horizontal", "EOG horizontal", "other"),
        ("A1", "A1", "other"),
    ],
)
def test_normalise_label(label: str, name: str, kind: str) -> None:
    assert normalise_label(label) == (name, kind)


def test_every_helsinki_clip_reads_by_label(helsinki_dir: Path, helsinki_summary: dict) -> None:
    for infant, row in helsinki_summary.items():
        rec = read_recording(helsinki_dir / row["file"])
        assert rec.format == "EDF+"
        assert rec.sfreq == 256.0
        assert rec.duration_s == 30.0
        # the clips have three channel orders; the EEG channels are chosen by label
        assert rec.channels == row["channel_order"].split()[:19], infant
        assert any("ECG" in s for s in rec.skipped) and any("Resp" in s for s in rec.skipped)
        x = rec.read()
        assert x.dtype == np.float32 and x.shape == (19, 30 * 256)


def test_helsinki_samples_match_edfio_in_microvolts(helsinki_dir: Path) -> None:
    path = helsinki_dir / "clips" / "eeg50.edf"
    rec = read_recording(path)
    ref = edfio.read_edf(path)
    for i, label in enumerate(rec.original_labels):
        np.testing.assert_allclose(rec.read()[i], ref.get_signal(label).data, atol=1e-3)
    # infant 50, F3, sample 6204 sits at the digital limit (README)
    f3 = rec.channels.index("F3")
    value = rec.read()[f3, 6204]
    assert value in (
        pytest.approx(rec.physical_limits_uv[f3, 0]),
        pytest.approx(rec.physical_limits_uv[f3, 1]),
    )


def test_real_infant_files(shared_eeg_dir: Path) -> None:
    burst = read_recording(shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf")
    assert burst.format == "EDF"  # 'EDF+C_Online' reserved field but no annotation signal
    assert burst.duration_s == 211.0 and burst.sfreq == 256.0
    assert "Fp1" in burst.channels and "Effort" not in burst.channels
    assert len(burst.channels) == 19
    demo = read_recording(shared_eeg_dir / "real_infant" / "demo.edf")
    assert demo.channels == ["F7-C3", "C3-T5", "F7-T3", "T3-T5", "F8-C4", "C4-T6", "F8-T4", "T4-T6"]
    assert set(demo.kinds) == {"bipolar"}
    assert demo.duration_s == 661.0
    x = demo.read()
    assert np.abs(x).max() == pytest.approx(1000.0, abs=0.1)  # clipped at +-1000 µV in source


def test_sleep_psg_multirate_keeps_eeg_at_its_rate(shared_eeg_dir: Path) -> None:
    rec = read_recording(shared_eeg_dir / "edf_plus" / "short_psg.edf")
    assert rec.channels == ["Fpz-Cz", "Pz-Oz"]
    assert rec.sfreq == 100.0 and rec.duration_s == 300.0
    assert rec.start is not None and rec.start.year == 1989
    assert any("EOG" in s for s in rec.skipped)


@pytest.mark.parametrize("bdf", [False, True])
def test_eeg_channels_sampled_faster_are_averaged_to_the_main_rate(
    tmp_path: Path, bdf: bool
) -> None:
    rng = np.random.default_rng(3)
    slow = rng.normal(0, 30, (3, 4 * 256))
    fast = rng.normal(0, 30, (2, 4 * 512))
    odd = rng.normal(0, 30, 4 * 384)
    sig, file = (edfio.BdfSignal, edfio.Bdf) if bdf else (edfio.EdfSignal, edfio.Edf)

    def signal(x: np.ndarray, fs: float, label: str):
        return sig(x, sampling_frequency=fs, label=label, physical_dimension="uV",
                   physical_range=(-500.0, 500.0))  # fmt: skip

    signals = [signal(x, 256, lab) for x, lab in zip(slow, ["C3", "C4", "Cz"], strict=True)]
    signals += [signal(x, 512, lab) for x, lab in zip(fast, ["F3", "F4"], strict=True)]
    signals.append(signal(odd, 384, "Pz"))  # 1.5 times the main rate: not a whole multiple
    path = tmp_path / ("mixed.bdf" if bdf else "mixed.edf")
    file(signals).write(path)
    rec = read_recording(path)
    assert rec.channels == ["C3", "C4", "Cz", "F3", "F4"] and rec.sfreq == 256.0
    assert rec.skipped == ["Pz (sampled at 384 Hz)"]
    data = rec.read()
    assert data.shape == (5, 4 * 256)
    step = 1000.0 / (2**24 if bdf else 2**16)
    np.testing.assert_allclose(data[:3], slow, atol=step)
    np.testing.assert_allclose(data[3:], fast.reshape(2, -1, 2).mean(axis=2), atol=step)
    # the same samples whatever span is read
    np.testing.assert_array_equal(rec.read(1.3, 2.7), data[:, round(1.3 * 256) : round(2.7 * 256)])


def test_interrupted_recording_keeps_its_gaps_in_place(tmp_path: Path, caplog) -> None:
    rng = np.random.default_rng(4)
    data = rng.normal(0, 30, (3, 20 * 256))
    onsets = [*range(0, 8), *range(13, 25)]  # 8 records, 5 s without, 12 records
    rec = read_recording(write_interrupted(tmp_path / "d.edf", data, onsets))
    assert rec.format == "EDF+" and rec.duration_s == 25.0
    assert rec.gaps == [(8.0, 5.0)]
    assert "1 gap (5 s in all) kept in place" in caplog.text
    x = rec.read()
    step = 1000.0 / 2**16
    np.testing.assert_allclose(x[:, : 8 * 256], data[:, : 8 * 256], atol=step)
    assert not x[:, 8 * 256 : 13 * 256].any()  # the gap: no EEG
    np.testing.assert_allclose(x[:, 13 * 256 :], data[:, 8 * 256 :], atol=step)
    np.testing.assert_array_equal(rec.read(6.5, 14.25), x[:, round(6.5 * 256) : round(14.25 * 256)])
    ef = compute_epoch_features(x, rec.sfreq, rec.channels, rec.kinds, rec.physical_limits_uv)
    assert ef.bad[:, 8:13].all() and not ef.bad[:, 1:7].any()  # left out as flat


def test_interrupted_bdf_recording_keeps_its_gaps_in_place(tmp_path: Path, caplog) -> None:
    data = np.random.default_rng(6).normal(0, 30, (3, 10 * 256))
    onsets = [*range(0, 4), *range(7, 13)]  # 4 records, 3 s without, 6 records
    rec = read_recording(write_interrupted(tmp_path / "d.bdf", data, onsets, bdf=True))
    assert rec.format == "BDF" and rec.duration_s == 13.0 and rec.gaps == [(4.0, 3.0)]
    assert "BDF+D (interrupted) recording: 1 gap (3 s in all) kept in place" in caplog.text
    x = rec.read()
    step = 1000.0 / 2**24
    np.testing.assert_allclose(x[:, : 4 * 256], data[:, : 4 * 256], atol=step)
    assert not x[:, 4 * 256 : 7 * 256].any()
    np.testing.assert_allclose(x[:, 7 * 256 :], data[:, 4 * 256 :], atol=step)


def test_interrupted_recording_with_unusable_onsets_is_read_contiguously(
    tmp_path: Path, caplog
) -> None:
    data = np.random.default_rng(5).normal(0, 30, (3, 6 * 256))
    rec = read_recording(write_interrupted(tmp_path / "d.edf", data, [0, 1, 2, 2.5, 4, 5]))
    assert rec.duration_s == 6.0 and rec.gaps == []
    assert "do not start at whole record durations apart" in caplog.text
    rec = read_recording(write_interrupted(tmp_path / "e.edf", data, [0, 1, 5, 3, 6, 7]))
    assert rec.duration_s == 6.0 and "onsets do not increase" in caplog.text
    # marked interrupted but without a gap: read as it is
    rec = read_recording(write_interrupted(tmp_path / "f.edf", data, [0, 1, 2, 3, 4, 5]))
    assert rec.duration_s == 6.0 and rec.gaps == []
    np.testing.assert_allclose(rec.read(), data, atol=1000.0 / 2**16)


def test_annotation_only_edf_plus_is_a_clear_error(shared_eeg_dir: Path) -> None:
    path = shared_eeg_dir / "edf_plus" / "SC4001EC-Hypnogram.edf"
    with pytest.raises(UnreadableFile, match="zero signal channels") as exc:
        read_recording(path)
    assert "SC4001EC-Hypnogram.edf" in str(exc.value)


@pytest.mark.parametrize("bdf", [False, True], ids=["EDF+", "BDF+"])
def test_an_annotation_only_file_is_refused_whatever_its_format(tmp_path: Path, bdf: bool) -> None:
    # as a recorder or edfio writes it: one "EDF/BDF Annotations" signal, no EEG
    path = tmp_path / ("notes.bdf" if bdf else "notes.edf")
    notes = [edfio.EdfAnnotation(1.0, 2.0, "Sleep stage W")]
    (edfio.Bdf if bdf else edfio.Edf)([], annotations=notes).write(path)
    with pytest.raises(NoEEGChannel, match="zero signal channels") as exc:
        read_recording(path)
    assert str(exc.value).startswith(f"{path}: ") and "only annotations" in str(exc.value)
    assert isinstance(exc.value, UnreadableFile)  # reported as every other bad file


def test_edf_plus_annotations_are_read(edf_writer) -> None:
    data = np.zeros((2, 10 * 256))
    path = edf_writer("ann.edf", data, labels=["C3", "C4"], annotations=[(2.5, 1.0, "spasm")])
    rec = read_recording(path)
    assert rec.format == "EDF+"
    assert [(a.onset, a.text) for a in rec.annotations] == [(2.5, "spasm")]


def test_bdf_by_content_and_units(edf_writer, tmp_path: Path) -> None:
    t = np.arange(5 * 256) / 256
    mv = 0.1 * np.sin(2 * np.pi * 3 * t)  # 100 µV written in millivolts
    path = edf_writer("x.bdf", np.vstack([mv, -mv]), labels=["Cz", "Pz"], unit="mV",
                      physical_range=(-1.0, 1.0), bdf=True)  # fmt: skip
    renamed = tmp_path / "recording.dat"
    shutil.copy(path, renamed)
    rec = read_recording(renamed)
    assert rec.format == "BDF"
    x = rec.read()
    np.testing.assert_allclose(x[0], 1000 * mv, atol=0.01)
    np.testing.assert_allclose(x[1], -1000 * mv, atol=0.01)


def test_edf_with_another_extension_is_read_by_content(small_edf: Path, tmp_path: Path) -> None:
    other = tmp_path / "eeg.txt"
    shutil.copy(small_edf, other)
    assert read_recording(other).channels == read_recording(small_edf).channels


def test_read_span_and_chunks_agree_with_whole(small_edf: Path) -> None:
    rec = read_recording(small_edf)
    whole = rec.read()
    np.testing.assert_array_equal(rec.read(2.5, 7.25), whole[:, 640:1856])
    joined = np.concatenate([c for _, c in rec.iter_chunks(3.0)], axis=1)
    np.testing.assert_array_equal(joined, whole)
    assert [s for s, _ in rec.iter_chunks(3.0)][:3] == [0.0, 3.0, 6.0]


def _patch(path: Path, offset: int, text: bytes) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset : offset + len(text)] = text
    path.write_bytes(bytes(raw))


def test_corrupt_header(small_edf: Path) -> None:
    _patch(small_edf, 252, b"ab  ")  # number of signals
    with pytest.raises(UnreadableFile, match=r"corrupt header.*number of signals") as exc:
        read_recording(small_edf)
    assert str(small_edf) in str(exc.value)


def test_header_size_disagrees_with_signal_count(small_edf: Path) -> None:
    _patch(small_edf, 252, b"18  ")
    with pytest.raises(UnreadableFile, match=r"corrupt header.*header bytes"):
        read_recording(small_edf)


def test_truncated_file(small_edf: Path) -> None:
    raw = small_edf.read_bytes()
    small_edf.write_bytes(raw[: len(raw) - 5000])
    with pytest.raises(UnreadableFile, match="truncated") as exc:
        read_recording(small_edf)
    assert str(small_edf) in str(exc.value)


def test_truncated_inside_the_header(small_edf: Path) -> None:
    small_edf.write_bytes(small_edf.read_bytes()[:1000])
    with pytest.raises(UnreadableFile, match="truncated"):
        read_recording(small_edf)


def test_not_an_edf(tmp_path: Path) -> None:
    fake = tmp_path / "photo.edf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(600))
    with pytest.raises(UnreadableFile, match=r"not an EDF, EDF\+ or BDF file") as exc:
        read_recording(fake)
    assert "photo.edf" in str(exc.value)
    tiny = tmp_path / "tiny.edf"
    tiny.write_bytes(b"0       ")
    with pytest.raises(UnreadableFile, match="shorter than the 256-byte header"):
        read_recording(tiny)


@pytest.mark.parametrize(
    ("head", "said"),
    [
        (b"\x00\x00\x00\x20ftypisom", "it is a video (MP4 or MOV): analyse it with"),
        (b"%PDF-1.7\n", "it is a PDF document"),
        (b"PK\x03\x04", "it is a ZIP archive"),
        (b"Time,Fp1,Fp2\n1,2,3\n", "it is text, starting 'Time,Fp1,Fp2'"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08", "its first bytes are 01 02 03 04 05 06 07 08"),
    ],
)
def test_a_file_that_is_not_an_edf_is_named_in_words(
    tmp_path: Path, head: bytes, said: str
) -> None:
    wrong = tmp_path / "night.edf"
    wrong.write_bytes(head + bytes(600))
    with pytest.raises(UnreadableFile) as exc:
        read_recording(wrong)
    message = str(exc.value)
    assert "night.edf: not an EDF, EDF+ or BDF file" in message and said in message
    assert "b'" not in message and "\\x" not in message  # never Python's bytes


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="no such file"):
        read_recording(tmp_path / "nope.edf")


def test_zero_channels(tmp_path: Path) -> None:
    head = (
        b"0       " + b" " * 80 + b" " * 80 + b"01.01.2000.00.00" + b"256     " + b" " * 44
        + b"10      " + b"1       " + b"0   "
    )  # fmt: skip
    path = tmp_path / "empty.edf"
    path.write_bytes(head)
    with pytest.raises(UnreadableFile, match="0 signals") as exc:
        read_recording(path)
    assert "empty.edf" in str(exc.value)


def test_no_eeg_channel(edf_writer) -> None:
    path = edf_writer("ecg.edf", np.zeros((2, 2560)), labels=["ECG", "Resp"])
    with pytest.raises(UnreadableFile, match="no EEG channel found among the signals ECG, Resp"):
        read_recording(path)


def test_mismatched_sample_counts(small_edf: Path) -> None:
    ns = int(small_edf.read_bytes()[252:256])  # 19 EEG + the EDF+ annotation signal
    spr_offset = 256 + ns * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80)
    _patch(small_edf, spr_offset, b"250     ")  # first signal: 250 instead of 256 per record
    with pytest.raises(UnreadableFile, match="mismatched sample counts") as exc:
        read_recording(small_edf)
    assert str(small_edf) in str(exc.value)


def test_an_edf_plus_start_date_not_known_gives_no_start(shared_eeg_dir: Path) -> None:
    # EDF+ says "Startdate X" when the start date is not known (anonymised files): the
    # header's 01.01.85 00.00.00 is a placeholder, not when the recording began
    clip = read_recording(shared_eeg_dir / "helsinki" / "clips" / "eeg1.edf")
    assert clip.start is None
    burst = read_recording(shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf")
    assert burst.start == dt.datetime(2000, 1, 1, 1, 45, 27)  # "Startdate 01-JAN-2000"
