"""The terminal in Spanish: the interview's questions and the answer, with the same level and
rule ids as in English (``spasmwatch triage --lang es``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120", "NO_COLOR": "1"},
        timeout=120,
    )


def test_the_answer_in_spanish_means_the_same() -> None:
    case = str(ROOT / "examples" / "infantile-spasms-cluster.json")
    english = json.loads(cli("triage", case, "--json").stdout)
    spanish = json.loads(cli("triage", case, "--json", "--lang", "es").stdout)
    assert spanish["level"] == english["level"] == "same_day"
    assert [r["rule"] for r in spanish["reasons"]] == [r["rule"] for r in english["reasons"]]
    assert spanish["title"] == "Posibles espasmos infantiles: contacte hoy con un médico"
    shown = cli("triage", case, "--lang", "es")
    assert shown.returncode == 0
    assert "HOY" in shown.stdout and "Qué hacer ahora" in shown.stdout
    assert "spasm-series" in shown.stdout


def test_the_interview_in_spanish_stops_at_a_warning_sign() -> None:
    proc = cli("triage", "--interactive", "--lang", "es", stdin="\n6\n\n\n\ny\n2\n")
    assert proc.returncode == 0, proc.stderr
    assert "Edad del bebé en meses" in proc.stdout
    assert "se puso azulado o grisáceo" in proc.stdout
    assert "Llame ahora a los servicios de emergencia" in proc.stdout


def test_an_unknown_language_is_refused() -> None:
    proc = cli("triage", str(ROOT / "examples" / "hiccups.json"), "--lang", "fr")
    assert proc.returncode == 2
    assert "Invalid value for '--lang': allowed are en, es; got 'fr'" in proc.stderr
