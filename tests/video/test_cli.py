"""``spasmwatch video analyze`` from the command line."""

from __future__ import annotations

import json
import re

from spasmwatch.cli import run


def test_json_on_stdout(short_video, capsys) -> None:
    assert run(["video", "analyze", str(short_video.path), "--json"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert set(doc) >= {"video", "events", "clusters", "summary", "timings", "detector"}
    assert doc["video"]["frames"] == 180


def test_summary_and_outputs(short_video, tmp_path, capsys) -> None:
    out = tmp_path / "o"
    code = run(
        [
            "video",
            "analyze",
            str(short_video.path),
            "--out",
            str(out),
            "--sensitivity",
            "high",
            "--blur-faces",
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    said = " ".join(text.split())
    assert "Spasm-like:" in text and "not a diagnosis" in said
    assert "should be seen by a doctor today" in said
    # the list of movements in words; the codes stay in --json
    assert " spasm-like " in said and "spasm_like" not in said
    # the side is the picture's, and it is said so whenever a side is named
    assert "side in the picture " in said
    if "side in the picture left" in said or "side in the picture right" in said:
        assert "not the baby's own side" in said
    assert (out / "analysis.json").is_file() and (out / "motion.png").is_file()


def test_bad_input_gives_a_clear_error(tmp_path, capsys) -> None:
    bad = tmp_path / "holiday.mp4"
    bad.write_text("not a video")
    assert run(["video", "analyze", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "holiday.mp4" in err and "Traceback" not in err
    assert run(["video", "analyze", str(tmp_path / "missing.mp4"), "--json"]) == 2
    assert "no such file" in " ".join(capsys.readouterr().err.split())


def test_invalid_sensitivity(short_video, capsys) -> None:
    assert run(["video", "analyze", str(short_video.path), "--sensitivity", "max"]) == 2
    assert "allowed are low, normal, high" in capsys.readouterr().err


def test_detector_choice(short_video, capsys) -> None:
    assert run(["video", "analyze", str(short_video.path), "--detector", "best"]) == 2
    assert "allowed are learned, rules" in capsys.readouterr().err
    for detector in ("learned", "rules"):
        args = ["video", "analyze", str(short_video.path), "--json", "--detector", detector]
        assert run(args) == 0
        assert json.loads(capsys.readouterr().out)["detector"] == detector


def test_rhythmic_kicking_is_said_with_what_to_do(kicking_video, capsys) -> None:
    assert run(["video", "analyze", str(kicking_video.path)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert " rhythmic " in said and "can be a seizure" in said
    assert "The longest lasted " in said  # how long the bout was, for the family to judge
    assert "5 minutes or more" in said and "call emergency services now" in said
    assert "No spasm-like movement was detected." in said and "no spasms" not in said


def test_the_summary_in_spanish_keeps_the_json_codes(short_video, capsys) -> None:
    assert run(["video", "analyze", str(short_video.path), "--lang", "es"]) == 0
    printed = capsys.readouterr().out
    said = " ".join(printed.split())
    # the movements' table keeps to 80 columns: a side that does not fit goes on a line
    # of its own, whole, rather than being wrapped by the terminal in its middle
    sides = [line for line in printed.splitlines() if "en la imagen" in line]
    assert sides and all(len(line) <= 80 for line in sides)
    for line in sides:
        assert re.search(r"en la imagen: (ambos lados|lado izquierdo|lado derecho)", line), line
    # the web page's words (the kinds, the statement) and the summary's own
    assert "Parecidos a espasmos:" in said and "(sensibilidad normal)" in said
    assert " parecido a un espasmo " in said and "en la imagen: " in said
    assert "Serie " in said and "no un diagnóstico" in said
    for english in ("Spasm-like:", "side in the picture", "not a diagnosis"):
        assert english not in said, english
    # a decimal comma in the times and scores
    assert re.search(r"\d+,\d\d- *\d+,\d\d s ", said), said
    # --json is the same document in every language: codes and English keys
    assert run(["video", "analyze", str(short_video.path), "--json"]) == 0
    english = json.loads(capsys.readouterr().out)
    assert run(["video", "analyze", str(short_video.path), "--json", "--lang", "es"]) == 0
    spanish = json.loads(capsys.readouterr().out)
    assert set(spanish) == set(english)
    assert [e["kind"] for e in spanish["events"]] == [e["kind"] for e in english["events"]]
    assert spanish["summary"] == english["summary"]


def test_an_unknown_language_is_refused(short_video, capsys) -> None:
    assert run(["video", "analyze", str(short_video.path), "--lang", "fr"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "Invalid value for '--lang': allowed are en, es; got 'fr'" in err


def test_a_movements_line_keeps_to_80_columns() -> None:
    from spasmwatch.cli.analyze import _event_lines

    times = "     12,34-  13,50 s  "
    kind = "parecido a un espasmo "
    aside = "(parecido a un espasmo, pero la imagen alrededor del bebé también se movió)"
    lines = _event_lines(times, kind, ["puntuación 0,85", "en la imagen: ambos lados", aside])
    assert lines[0] == times + kind + "puntuación 0,85"
    assert lines[1] == " " * len(times) + "en la imagen: ambos lados"  # under the kind
    assert all(len(line) <= 80 for line in lines) and len(lines) == 4
    assert " ".join(" ".join(lines).split()).endswith("alrededor del bebé también se movió)")
    # what fits stays on one line, the score right after the kinds' column
    english = _event_lines(times, "spasm-like     ", ["score 0.85", "side in the picture left"])
    assert english == [times + "spasm-like     score 0.85  side in the picture left"]
