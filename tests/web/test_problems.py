"""What went wrong with a file, said in the page's language: each kind of refusal and
failure is made for real (the store, the readers, the analysers, the job worker) and must be
recognised, said in English and in Spanish, with the English message kept as details."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from spasmwatch.attachments import INTERRUPTED, UNFINISHED, check_readable
from spasmwatch.eeg.reader import read_recording
from spasmwatch.errors import SpasmwatchError
from spasmwatch.jobs import MEMORY_EXIT, STOPPED, JobLimits, _exit_reason
from spasmwatch.store.files import store_stream
from spasmwatch.web import i18n
from spasmwatch.web.problems import analysis_problem, upload_problem
from web.webworld import EDF_FILE

HELSINKI = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg13.edf"


def _raised(call: object, *args: object) -> str:
    with pytest.raises(SpasmwatchError) as caught:
        call(*args)  # type: ignore[operator]
    return str(caught.value)


def _refusal(tmp_path: Path, name: str, content: bytes, limit: int = 10_000_000) -> str:
    return _raised(store_stream, [content], tmp_path / "store", limit, name, check_readable)


def test_each_refusal_of_an_upload_is_recognised_and_said_in_spanish(tmp_path: Path) -> None:
    edf = HELSINKI.read_bytes()
    made = {
        "too_large": _refusal(tmp_path, "big.edf", edf, limit=1000),
        "empty": _refusal(tmp_path, "empty.edf", b""),
        "not_a_recording": _refusal(tmp_path, "notes.txt", b"hello, not a recording" * 20),
        "unreadable_eeg": _refusal(tmp_path, "cut.edf", edf[:1000]),
        "unreadable_video": _refusal(
            tmp_path, "cut.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 600
        ),
    }
    spanish = {
        "too_large": "«big.edf» supera el límite de",
        "empty": "«empty.edf» está vacío.",
        "not_a_recording": "«notes.txt» no es un vídeo (MP4, MOV, WebM, AVI) ni un archivo de EEG",
        "unreadable_eeg": "«cut.edf» empieza como un archivo de EEG pero no se puede leer",
        "unreadable_video": "«cut.mp4» empieza como un vídeo pero no se puede leer",
    }
    # why a file that starts like a recording cannot be read, said in Spanish too
    spanish_why = {
        "unreadable_eeg": "Incompleto: la cabecera necesita ",
        "unreadable_video": "No es un archivo de vídeo o está dañado (",
    }
    for kind, message in made.items():
        with i18n.using("en"):
            english = upload_problem(message)
        assert english.kind == kind, (kind, message)
        assert english.original == message and not english.detail
        # details only where the message says more than the text: why it cannot be read
        assert english.has_details == (kind in spanish_why), kind
        with i18n.using("es"):
            said = upload_problem(message)
        assert said.text.startswith(spanish[kind]), said.text
        assert said.original == message  # kept in English, under the Spanish details
        assert said.detail.startswith(spanish_why.get(kind, "")) and said.has_details == (
            kind in spanish_why
        ), said
    assert not list((tmp_path / "store").glob("*.*"))  # nothing was kept
    with i18n.using("es"):
        other = upload_problem("something new went wrong")
    assert other.kind == "other" and other.text == "El archivo no se aceptó."


def _short_eeg(path: Path) -> Path:
    """A 2 s EEG of 19 channels: too short to analyse."""
    import edfio
    import numpy as np

    names = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2", "F7", "F8", "T3",
             "T4", "T5", "T6", "Fz", "Cz", "Pz"]  # fmt: skip
    rng = np.random.default_rng(3)
    signals = [
        edfio.EdfSignal(rng.normal(0, 30, 2 * 256), sampling_frequency=256, label=name,
                        physical_dimension="uV", physical_range=(-500.0, 500.0))
        for name in names
    ]  # fmt: skip
    edfio.Edf(signals).write(path)
    return path


def test_each_failure_of_an_analysis_is_recognised_with_what_it_allows(tmp_path: Path) -> None:
    from spasmwatch.eeg import analyze_eeg

    limits = JobLimits(memory_mb=512)
    made = {
        "no_eeg": _raised(read_recording, EDF_FILE),
        "too_short": _raised(analyze_eeg, _short_eeg(tmp_path / "short.edf")),
        "memory": _exit_reason(MEMORY_EXIT, limits),
        "crashed": _exit_reason(-signal.SIGSEGV, limits),
        "interrupted": _exit_reason(-signal.SIGTERM, limits),
    }
    expected = {
        # kind: (may be analysed again, may be shown)
        "no_eeg": (False, False),
        "too_short": (False, True),
        "memory": (True, True),
        "crashed": (True, True),
        "interrupted": (True, True),
        "unfinished": (True, True),
        "unreadable": (False, False),
        "time": (True, True),
    }
    made.update(
        unfinished=UNFINISHED,
        unreadable=_raised(read_recording, Path(__file__)),
        time="the analysis took longer than the limit of 60 minutes (SPASMWATCH_JOB_TIME_LIMIT_S)",
    )
    for kind, message in made.items():
        with i18n.using("es"):
            problem = analysis_problem(message)
        assert problem.kind == kind, (kind, message)
        assert (problem.retry, problem.viewable) == expected[kind], kind
        assert problem.original == message and problem.text != message
    for message in (INTERRUPTED, STOPPED, _exit_reason(-signal.SIGKILL, limits)):
        assert analysis_problem(message).kind in ("interrupted", "memory"), message
    with i18n.using("es"):
        no_eeg = analysis_problem(made["no_eeg"])
        other = analysis_problem("an analyser said something new")
    assert no_eeg.text.startswith("Este archivo no contiene EEG que analizar")
    # the reader's reason said in Spanish as the details, its English kept under it
    assert no_eeg.detail.startswith(("No tiene ningún canal de señal", "No se encontró ningún")), (
        no_eeg
    )
    assert no_eeg.has_details and no_eeg.original == made["no_eeg"]
    with i18n.using("en"):
        assert analysis_problem(made["no_eeg"]).detail == ""  # the message is the details
    assert other.kind == "other" and other.retry and other.viewable
    assert other.text == "No se pudo analizar el archivo."


def _failing_decoder(tmp_path: Path) -> str:
    """The message of a video that FFmpeg fails to decode in the second pass (the clips'),
    around a time: the reader's own message, FFmpeg's error made to happen."""
    import av

    from spasmwatch.testing.video.render import SceneSpec, render
    from spasmwatch.video.reader import VideoReader

    path = tmp_path / "breaks.mp4"
    render(SceneSpec("breaks", seed=2, duration_s=2.0, clusters=0), path)

    class Breaking:
        """The file's container, whose decoding fails as FFmpeg's does on damaged data."""

        def __init__(self, container: object) -> None:
            self.container = container

        def __getattr__(self, name: str) -> object:
            return getattr(self.container, name)

        def decode(self, *_args: object) -> object:
            raise av.error.InvalidDataError(1094995529, "Invalid data found when processing input")

    with VideoReader(path) as reader:
        reader._container = Breaking(reader._container)  # type: ignore[assignment]
        try:
            return _raised(lambda: list(reader.frames_in([(1.0, 1.5)])))
        finally:
            reader._container = reader._container.container  # type: ignore[attr-defined]


def test_too_short_and_a_failed_decoding_are_said_in_spanish(tmp_path: Path) -> None:
    """A recording too short to analyse (EEG or video) and a video that FFmpeg fails to
    decode around a time: their English messages are recognised and their reasons said in
    Spanish as the details, numbers with a decimal comma; English pages show the message."""
    from spasmwatch.eeg import analyze_eeg
    from spasmwatch.testing.video.render import SceneSpec, render
    from spasmwatch.video import analyze_video

    tiny = tmp_path / "tiny.mp4"
    render(SceneSpec("tiny", seed=1, duration_s=0.4, clusters=0), tiny)
    made = {
        "eeg": _raised(analyze_eeg, _short_eeg(tmp_path / "short.edf")),
        "video": _raised(analyze_video, tiny),
        "decoding": _failing_decoder(tmp_path),
    }
    assert "around 1.0 s" in made["decoding"] and made["decoding"].startswith("Cannot read video ")
    expected = {
        "eeg": ("too_short", "El registro de 2,0 s es demasiado corto para analizarlo (se "
                "necesitan al menos 4 s)."),
        "video": ("too_short", "Demasiado corto para analizarlo (0,"),
        "decoding": ("unreadable", "Falló la decodificación hacia los 1,0 s (Invalid data"),
    }  # fmt: skip
    for name, message in made.items():
        kind, detail = expected[name]
        with i18n.using("es"):
            said = analysis_problem(message)
        assert said.kind == kind, (name, message)
        assert said.detail.startswith(detail), (name, said.detail)
        assert said.has_details and said.original == message
        with i18n.using("en"):
            english = analysis_problem(message)
        assert english.kind == kind and english.detail == ""
    with i18n.using("es"):
        video = analysis_problem(made["video"]).detail
    assert re.fullmatch(
        r"Demasiado corto para analizarlo \(0,\d\d s; se necesita al menos 1 s\)\.", video
    )


def test_what_a_file_given_as_an_eeg_seems_to_be_is_said_in_spanish(tmp_path: Path) -> None:
    """A file that is no EDF or BDF is named by what it seems to be (a PDF, a ZIP, a
    picture, a video, text): the English message stays as the reader writes it, and a
    Spanish page says what the file is in Spanish as well as the rest of the reason."""
    padding = b"\x00" * 300
    files = {
        "report.edf": (b"%PDF-1.7\n" + padding, "it is a PDF document", "es un documento PDF"),
        "bundle.edf": (
            b"PK\x03\x04" + padding,
            "it is a ZIP archive (or an office document): unpack the recording first",
            "es un archivo ZIP (o un documento de ofimática): descomprima antes la grabación",
        ),
        "photo.edf": (b"\xff\xd8\xff\xe0" + padding, "it is a JPEG picture", "es una imagen JPEG"),
        "clip.edf": (
            b"\x00\x00\x00\x18ftypmp42" + padding,
            "it is a video (MP4 or MOV): analyse it with `spasmwatch video analyze`",
            "es un vídeo (MP4 o MOV): analícelo con `spasmwatch video analyze`",
        ),
        "notes.edf": (
            b"Patient notes, not a recording\n" + b"x" * 300,
            "it is text, starting 'Patient notes, n'",
            "es texto, empieza por 'Patient notes, n'",
        ),
        "blob.edf": (
            bytes(range(1, 9)) + padding,
            "its first bytes are 01 02 03 04 05 06 07 08",
            "sus primeros bytes son 01 02 03 04 05 06 07 08",
        ),
    }
    for name, (content, english, spanish) in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        message = _raised(read_recording, path)
        assert message == (
            f"{path}: not an EDF, EDF+ or BDF file ({english}; an EDF file starts with '0' "
            "and a BDF file with the byte 0xFF and 'BIOSEMI')"
        )
        with i18n.using("es"):
            said = analysis_problem(message)
        assert said.kind == "unreadable" and said.original == message
        assert said.detail == (
            f"No es un archivo EDF, EDF+ ni BDF ({spanish}; un archivo EDF empieza por «0» y "
            "uno BDF por el byte 0xFF y «BIOSEMI»)."
        ), name
        with i18n.using("en"):
            assert analysis_problem(message).detail == ""  # the message is the details


def test_the_numbers_of_a_readers_reason_are_written_as_spanish_writes_them(
    tmp_path: Path,
) -> None:
    """An EDF cut in its data: the English message writes its byte counts as they are
    (``322740``), a Spanish page writes each with Spanish digit grouping (``322.740``),
    never the English (``322,740``)."""
    from spasmwatch.i18n import format_number

    edf = HELSINKI.read_bytes()
    cut = tmp_path / "cut.edf"
    cut.write_bytes(edf[: len(edf) // 2])
    message = _raised(read_recording, cut)
    assert "truncated: the header declares" in message
    numbers = [int(n) for n in re.findall(r"\b\d{4,}\b", message.split(": ", 1)[1])]
    assert numbers and all(n >= 1000 for n in numbers)
    with i18n.using("es"):
        said = analysis_problem(message).detail
    assert said.startswith("Incompleto: la cabecera declara "), said
    for n in numbers:
        assert f"{format_number(n, 'es')} bytes" in said, (n, said)
        assert f"{n:,}" not in said
        if n >= 10_000:  # Spanish leaves four digits ungrouped
            assert f" {n} " not in said
    assert re.search(r"\d\.\d{3} bytes", said)
