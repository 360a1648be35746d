"""The order of an answer, in both languages: whose answer it is (the child's name, or the
diary a check was made with), then the level's badge and title, then why, then what to
do, and last, under a same-day answer, the warning signs that would make it an
emergency. The first thing read is the answer, never the line about a worse one. An
emergency keeps its call first and its first aid before its reasons, all of them open.
A same-day or within-days answer says its first reason open (why "today") and folds the
others under "N more reasons", so that what to do comes soon after it; a routine answer
folds them all."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from web.webworld import (
    SPASM_EPISODE,
    SPASM_FORM,
    add_child,
    anonymous,
    log_episode,
    new_app,
    sign_up,
)

#: The same-day warning-sign line's opening, in each language.
WARNING_LINE = {"en": "If a warning sign appears", "es": "Si aparece un signo de alarma"}
#: What the answer's parts start with, in each language.
WHY = {"en": "Why (", "es": "Por qué ("}
WHAT_TO_DO = {"en": "What to do now", "es": "Qué hacer ahora"}
TODAY = {"en": "Today", "es": "Hoy"}
#: A same-day episode with four reasons: a spasm series on waking, with no response (a
#: seizure-like episode, no fever recorded, and a first seizure).
FOUR_REASONS = {**SPASM_EPISODE, "responsive": "no"}


def _main(html: str) -> str:
    return html.split('<main id="main">')[1]


def _words(html: str) -> str:
    html = re.sub(r"<(style|script|title)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _triage(main: str) -> str:
    return _words(main.split('<section id="triage"', 1)[1].split(">", 1)[1].split("</section>")[0])


def _in_order(text: str, *parts: str) -> bool:
    """Each of ``parts`` is in ``text``, each after the one before."""
    at = -1
    for part in parts:
        found = text.find(part, at + 1)
        if found <= at:
            return False
        at = found
    return True


def _same_day_child(
    tmp_path: Path, episode: dict[str, Any] = SPASM_EPISODE
) -> tuple[Any, Any, int]:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    start = datetime.now().replace(microsecond=0) - timedelta(hours=3)
    log_episode(parent, child, {**episode, "started_at": start.isoformat()})
    return app, parent, child


def _reasons(main: str) -> tuple[list[str], list[str], str]:
    """The reasons said open and those folded under "N more reasons" (their rule ids),
    and the words of that fold's summary ("" without one)."""
    triage = main.split('<section id="triage"', 1)[1].split("</section>")[0]
    folded, summary = "", ""
    if '<details class="more-reasons">' in triage:
        before, folded = triage.split('<details class="more-reasons">', 1)
        folded, after = folded.split("</details>", 1)
        summary = _words(folded.split("</summary>")[0])
        triage = before + after
    rules = r'<li data-rule="([a-z0-9-]+)"'
    return re.findall(rules, triage), re.findall(rules, folded), summary


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_childs_same_day_answer_reads_name_answer_why_what_then_warning_signs(
    tmp_path: Path, lang: str
) -> None:
    _app, parent, child = _same_day_child(tmp_path)
    parent.client.cookies.set("sw_lang", lang)
    main = _main(parent.client.get(f"/children/{child}").text)
    # whose answer it is comes first, then the answer's box
    assert main.lstrip().startswith('<h1 id="child-name">Mia</h1>')
    assert main.index("<h1 ") < main.index('<section id="triage"')
    said = _triage(main)
    # the badge and the title first: not the warning-sign line
    assert said.startswith(TODAY[lang] + " ")
    assert not said.startswith(WARNING_LINE[lang])
    assert _in_order(said, TODAY[lang], WHY[lang], WHAT_TO_DO[lang], WARNING_LINE[lang])
    assert said.count(WARNING_LINE[lang]) == 1
    # the line is the answer's foot: after every line of what to do
    advice = main.split('<ul class="advice">')[1].split("</ul>")[0]
    last_advice = _words(re.findall(r"<li>(.*?)</li>", advice, flags=re.S)[-1])
    assert said.index(WARNING_LINE[lang]) > said.index(last_advice)
    # with the number to call
    line = main.split('class="small warning-signs-line"')[1].split("</p>")[0]
    assert 'href="tel:112"' in line
    # why "today" said open, the other reason folded, both before what to do
    assert _reasons(main)[:2] == (["spasm-series"], ["spasm-on-waking"])
    assert main.index('class="more-reasons"') < main.index('<ul class="advice">')


@pytest.mark.parametrize("lang", ["en", "es"])
def test_four_reasons_of_a_same_day_answer_fold_after_the_first(tmp_path: Path, lang: str) -> None:
    _app, parent, child = _same_day_child(tmp_path, FOUR_REASONS)
    parent.client.cookies.set("sw_lang", lang)
    main = _main(parent.client.get(f"/children/{child}").text)
    shown, folded, summary = _reasons(main)
    assert shown == ["spasm-series"]
    assert folded == ["spasm-on-waking", "afebrile-seizure-under-2", "first-seizure"]
    if lang == "en":
        assert summary == "3 more reasons"
    # folded: not open until asked for
    assert '<details class="more-reasons">' in main
    said = _triage(main)
    assert _in_order(said, TODAY[lang], WHY[lang] + "4", WHAT_TO_DO[lang], WARNING_LINE[lang])


def test_a_within_days_answer_says_its_one_reason_open_and_a_routine_one_folds_it(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    soon, routine = add_child(parent, "Noa"), add_child(parent, "Lu")
    log_episode(parent, soon, {"movements": ["eyelid_flutter"], "count": 2})
    log_episode(parent, routine, {"movements": ["hiccups"], "count": 20})
    main = _main(parent.client.get(f"/children/{soon}").text)
    assert 'class="triage level-soon"' in main
    assert _reasons(main) == (["unexplained-movements"], [], "")
    assert _in_order(_triage(main), "Within days", "Why (1 reason)", "What to do now")
    main = _main(parent.client.get(f"/children/{routine}").text)
    assert 'class="triage level-routine"' in main
    # every reason inside the one fold, closed
    assert '<details class="why">' in main and "more-reasons" not in main
    assert _in_order(_triage(main), "Routine", "Why (1 reason)", "What to do now")


def test_an_emergency_keeps_its_call_first_and_its_first_aid_before_its_reasons(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Noa")
    now = datetime.now().replace(second=0, microsecond=0).isoformat(timespec="minutes")
    parent.form(
        f"/children/{child}/episodes/new",
        {**SPASM_FORM, "red_flags": ["blue_or_grey"], "started_at": now},
    )
    main = _main(parent.client.get(f"/children/{child}").text)
    assert main.lstrip().startswith('<h1 id="child-name">Noa</h1>')
    said = _triage(main)
    assert said.startswith("Call emergency services now")
    assert _in_order(said, "Call emergency services now", "What to do now", "Why (")
    assert WARNING_LINE["en"] not in said
    # every reason open, none folded
    assert '<details class="why" open>' in main and "more-reasons" not in main


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_check_on_its_own_gives_the_answer_first(tmp_path: Path, lang: str) -> None:
    visitor = anonymous(new_app(tmp_path))
    visitor.client.cookies.set("sw_lang", lang)
    answer = visitor.form("/check", {**SPASM_FORM, "age_months": "6"})
    assert answer.status_code == 200
    main = _main(answer.text)
    said = _triage(main)
    assert said.startswith(TODAY[lang] + " ")
    assert _in_order(said, TODAY[lang], WHY[lang], WHAT_TO_DO[lang], WARNING_LINE[lang])
    # nothing about a child: the answer's box comes first, how it was checked after it
    assert main.index('<section id="triage"') < main.index('id="checked-how"')


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_check_with_a_diary_says_whose_diary_before_the_answer(tmp_path: Path, lang: str) -> None:
    _app, parent, child = _same_day_child(tmp_path)
    parent.client.cookies.set("sw_lang", lang)
    answer = parent.form("/check", {**SPASM_FORM, "child_id": str(child)})
    assert answer.status_code == 200
    main = _main(answer.text)
    checked = main.index('id="checked-how"')
    assert checked < main.index('<section id="triage"')
    assert "Mia" in _words(main[checked:].split("</p>")[0])
    said = _triage(main)
    assert said.startswith(TODAY[lang] + " ")
    assert _in_order(said, TODAY[lang], WHY[lang], WHAT_TO_DO[lang], WARNING_LINE[lang])
