"""A diary with nothing logged: the child's page says that nothing is logged yet and what
to do when something happens (log it, film it; the warning signs and the number to call),
not the advice of an answer about a movement ("Keep watching, and mention it at the next
check-up"; "Contact a doctor sooner if the movements come in series ...") that nobody has
seen. In both languages; the report's "What the family was advised" says the same. Once an
episode is logged, its answer's own advice is back."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from spasmwatch.report.triage_words import (
    NOTHING_LOGGED_ADVICE,
    NOTHING_LOGGED_HEADLINE,
    family_advice,
    nothing_logged,
)
from spasmwatch.triage import triage
from spasmwatch.triage.engine import BASE_ADVICE, NOTHING_LOGGED
from web.webworld import add_child, log_episode, new_app, sign_up

#: The engine's advice about a movement, which an empty diary must not give (English and
#: Spanish, as the catalog says it).
MOVEMENT_ADVICE = {
    "en": ("Keep watching", "come in series"),
    "es": ("Siga observando", "en series"),
}
#: The report's part that says what the family was told.
ADVISED = {"en": "What the family was advised", "es": "Qué se aconsejó a la familia"}
#: What the page says with nothing logged, in each language.
SAID = {
    "en": {
        "badge": "Nothing logged yet",
        "title": "Advice comes once a movement is logged",
        "heading": "What to do when something happens",
        "advice": [
            "When you see a movement that worries you, log it here: what the baby did, how "
            "many movements came in a row, and whether the baby was awake, just waking or "
            "asleep.",
            "If you can, film it from its start, with the baby's whole body and face in "
            "view: a video shows the doctor what words cannot.",
            "If you are worried, contact a doctor: nothing needs to be logged first.",
        ],
        "warning": "If a warning sign appears (difficulty breathing, blue or grey colour, a "
        "seizure of 5 minutes or more, not back to normal), call 112.",
    },
    "es": {
        "badge": "Aún no hay nada anotado",
        "title": "Los consejos llegan cuando se anota un movimiento",
        "heading": "Qué hacer cuando ocurra algo",
        "advice": [
            "Cuando vea un movimiento que le preocupe, anótelo aquí: qué hizo el bebé, "
            "cuántos movimientos hubo seguidos y si el bebé estaba despierto, se acababa de "
            "despertar o dormía.",
            "Si puede, grábelo desde el principio, con todo el cuerpo y la cara del bebé a "
            "la vista: un vídeo muestra al médico lo que las palabras no pueden.",
            "Si algo le preocupa, consulte a un médico: no hace falta anotar nada antes.",
        ],
        "warning": "Si aparece un signo de alarma (dificultad para respirar, color azulado o "
        "grisáceo, una crisis de 5 minutos o más, no vuelve a estar como siempre), llame "
        "al 112.",
    },
}


def _words(html: str) -> str:
    words = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
    return re.sub(r" ([.,)])", r"\1", words)  # "call 112 ." of "call <a>112</a>."


def _triage(page: str) -> str:
    return page.split('<section id="triage"', 1)[1].split("</section>")[0]


def test_the_words_layer_says_what_to_do_when_nothing_is_logged() -> None:
    empty = triage({"child": {"age_months": 6}, "episodes": []})
    assert empty.title == NOTHING_LOGGED and nothing_logged(empty.level, empty.title)
    assert BASE_ADVICE["routine"][0] in empty.advice  # the engine's own list is kept
    assert family_advice(empty.level, empty.advice) == list(NOTHING_LOGGED_ADVICE)
    assert family_advice(empty.level, empty.advice, warning_signs_above=False) == list(
        NOTHING_LOGGED_ADVICE
    )
    # an answer about a movement keeps its advice
    hiccups = triage({"child": {"age_months": 6}, "episodes": [{"movements": ["hiccups"]}]})
    assert not nothing_logged(hiccups.level, hiccups.title)
    assert family_advice(hiccups.level, hiccups.advice)[0] == BASE_ADVICE["routine"][0]
    assert NOTHING_LOGGED_HEADLINE not in hiccups.advice


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_empty_diary_says_what_to_do_when_something_happens(tmp_path: Path, lang: str) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    parent.client.cookies.set("sw_lang", lang)
    page = parent.client.get(f"/children/{child}").text
    box = _triage(page)
    said = SAID[lang]
    assert 'class="triage level-none"' in page
    assert f'<span class="badge level-none">{said["badge"]}</span>' in box
    assert _words(box.split('id="triage-title">')[1].split("</h2>")[0]) == said["title"]
    heading = box.split('<h3 class="what-to-do">')[1].split("</h3>")[0]
    assert _words(heading) == said["heading"]
    advice = box.split('<ul class="advice">')[1].split("</ul>")[0]
    assert [_words(li) for li in re.findall(r"<li>(.*?)</li>", advice, re.S)] == said["advice"]
    # the warning signs, with the number to call, at the foot
    line = box.split('class="small warning-signs-line">')[1].split("</p>")[0]
    assert _words(line) == said["warning"] and 'href="tel:112"' in line
    for words in MOVEMENT_ADVICE[lang]:
        assert words not in _words(box)
    assert "describe a movement" not in box and "Why (" not in box

    # the report says what the family was told
    report = parent.client.get(f"/children/{child}/report.html").text
    advised = _words(report.split(ADVISED[lang], 1)[1].split("</section>")[0])
    for line in said["advice"]:
        assert line in advised
    for words in MOVEMENT_ADVICE[lang]:
        assert words not in advised

    # an episode logged: its answer's own advice, under "What to do now"
    log_episode(parent, child, {"movements": ["hiccups"], "count": 20})
    box = _triage(parent.client.get(f"/children/{child}").text)
    assert 'class="badge level-routine"' in box
    assert MOVEMENT_ADVICE[lang][0] in _words(box)
    assert said["advice"][0] not in _words(box) and "warning-signs-line" not in box
