"""What the family reads says each thing once: several rules that fire together each give
their advice (the engine's answer, the API's, keeps every line), and the family's list
(:func:`~spasmwatch.report.triage_words.family_advice`: the page, the report, the
terminal) says one filming line, the most specific, where the first of them stood, the
others by what they say besides filming, and no line another line of the answer says."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.report.triage_words import (
    ADVICE_SAID_BY,
    BESIDES_FILMING,
    FILMING_ADVICE,
    advice_said_once,
    family_advice,
)
from spasmwatch.testing.triage.blind_vignettes import NOW as BLIND_NOW
from spasmwatch.testing.triage.blind_vignettes import VIGNETTES as BLIND
from spasmwatch.testing.triage.casebuild import NOW, at, case, ep, seizure, spasm_series
from spasmwatch.testing.triage.independent_vignettes import NOW as INDEPENDENT_NOW
from spasmwatch.testing.triage.independent_vignettes import VIGNETTES as INDEPENDENT
from spasmwatch.testing.triage.regression_vignettes import VIGNETTES as REGRESSION
from spasmwatch.triage import TriageResult, triage
from spasmwatch.triage.concerns import FILM_AND_NOTE_ADVICE
from spasmwatch.triage.engine import BASE_ADVICE, NOT_A_DIAGNOSIS
from spasmwatch.triage.predicates import SEIZURE_ADVICE, SPASM_ADVICE
from test_cli_triage import cli
from web.webworld import SPASM_EPISODE, add_child, log_episode, new_app, sign_up

SOON_FILMING = BASE_ADVICE["soon"][1]
SAME_DAY_SIGNS = BASE_ADVICE["same_day"][1]
IF_LONG = SEIZURE_ADVICE[1]
WRITE_DOWN = BESIDES_FILMING[SEIZURE_ADVICE[0]]
NOTE_WHETHER = BESIDES_FILMING[FILM_AND_NOTE_ADVICE]

#: A movement no rule explains: ``unexplained-movements`` ("Film the next episode and show
#: it to the doctor; note whether ...").
UNEXPLAINED = ep(movements=["limb_jerk"], state="awake")
#: Rocking described as rhythmic jerking that stops with distraction: the seizure rules,
#: lowered to ``soon`` by the self-soothing look-alike ("...; film any further episode").
ROCKING = ep(
    movements=["rhythmic_jerking", "head_nod"],
    stops_with_distraction="yes",
    responsive="yes",
    count=1,
    state="drowsy",
)

#: Diaries whose family list said a filming line (or the 5-minute call) twice: name, case,
#: the level, and the filming line said.
REPEATED: list[tuple[str, dict[str, Any], str, str]] = [
    ("soon: a movement no rule explains", case(40, UNEXPLAINED), "soon", FILM_AND_NOTE_ADVICE),
    ("soon: a seizure lowered by a look-alike", case(16, ROCKING), "soon", SEIZURE_ADVICE[0]),
    (
        "soon: a lowered seizure and a movement no rule explains",
        case(16, {**ROCKING, "started_at": at(50)}, {**UNEXPLAINED, "started_at": at(2)}),
        "soon",
        FILM_AND_NOTE_ADVICE,
    ),
    (
        "same day: spasms, a seizure and a movement no rule explains",
        case(
            6,
            spasm_series(started_at=at(30)),
            seizure(started_at=at(5)),
            {**UNEXPLAINED, "started_at": at(50)},
        ),
        "same_day",
        SPASM_ADVICE[0],
    ),
    (
        "emergency: spasms, a seizure now and a movement no rule explains",
        case(
            6,
            spasm_series(started_at=at(30)),
            seizure(started_at=at(0.3)),
            {**UNEXPLAINED, "started_at": at(50)},
        ),
        "emergency",
        SPASM_ADVICE[0],
    ),
]


def _filming(lines: list[str]) -> list[str]:
    return [line for line in lines if "film" in line.lower()]


def _said(result: TriageResult) -> dict[str, list[str]]:
    """The family's list as the page, the report and the terminal say it."""
    return {
        "page": family_advice(result.level, result.advice),
        "report or terminal": family_advice(result.level, result.advice, False),
    }


@pytest.mark.parametrize(
    ("data", "level", "film"), [pytest.param(d, lv, f, id=n) for n, d, lv, f in REPEATED]
)
def test_a_diary_that_repeated_a_filming_line_says_one(
    data: dict[str, Any], level: str, film: str
) -> None:
    result = triage(data, now=NOW)
    assert result.level == level
    # the engine's answer (the API's) keeps each rule's line
    assert len(_filming(result.advice)) >= 2
    for where, lines in _said(result).items():
        assert _filming(lines) == [film], where
        assert len(lines) == len(set(lines)), where
        assert lines[-1] == NOT_A_DIAGNOSIS


def test_the_most_specific_filming_line_stands_where_the_first_one_stood() -> None:
    """Order by importance: the level's own lines first, then the rules' by level."""
    result = triage(case(40, UNEXPLAINED), now=NOW)
    assert result.advice[:3] == [*BASE_ADVICE["soon"], FILM_AND_NOTE_ADVICE]
    assert family_advice("soon", result.advice) == [
        BASE_ADVICE["soon"][0],
        FILM_AND_NOTE_ADVICE,
        NOT_A_DIAGNOSIS,
    ]
    # a lowered seizure's line says what to write down, and films: it takes the place of
    # the level's "film and keep a diary"
    rocking = triage(case(16, ROCKING), now=NOW)
    assert family_advice("soon", rocking.advice) == [
        BASE_ADVICE["soon"][0],
        SEIZURE_ADVICE[0],
        IF_LONG,
        NOT_A_DIAGNOSIS,
    ]


def test_what_a_filming_line_says_besides_filming_is_not_lost() -> None:
    """Spasms, a seizure two days ago and a jerk no rule explains: the spasm rules' filming
    line is said; the seizure's "write down ..." and the jerk's "note whether ..." each
    without their filming, where they stood; the seizure's "5 minutes or more" line is said
    by the same-day warning-sign line (on the page, at the foot of the answer with the
    number; in the report and the terminal, in the list)."""
    data = REPEATED[3][1]
    result = triage(data, now=NOW)
    rules = [r.rule for r in result.reasons]
    assert {"spasm-series", "seizure-besides-spasms", "unexplained-movements"} <= set(rules)
    assert IF_LONG in result.advice and SAME_DAY_SIGNS in result.advice
    report = family_advice("same_day", result.advice, warning_signs_above=False)
    assert report == [
        BASE_ADVICE["same_day"][0],
        SAME_DAY_SIGNS,
        *SPASM_ADVICE,
        WRITE_DOWN,
        NOTE_WHETHER,
        NOT_A_DIAGNOSIS,
    ]
    page = family_advice("same_day", result.advice)
    assert page == [line for line in report if line != SAME_DAY_SIGNS]
    # the shortened lines say no filming of their own
    assert not _filming([WRITE_DOWN, NOTE_WHETHER])


def test_an_emergency_diary_says_one_filming_line_and_its_first_aid() -> None:
    result = triage(REPEATED[4][1], now=NOW)
    assert result.level == "emergency"
    assert {"seizure-now", "spasm-series"} <= {r.rule for r in result.reasons}
    now = family_advice("emergency", result.advice)
    assert now[:3] == [*BASE_ADVICE["emergency"][1:], SPASM_ADVICE[0]]
    assert _filming(now) == [SPASM_ADVICE[0]]
    assert WRITE_DOWN in now and NOTE_WHETHER in now and IF_LONG not in now
    past = family_advice("emergency", result.advice, past=True)
    assert _filming(past) == [SPASM_ADVICE[0]]
    assert not set(BASE_ADVICE["emergency"]) & set(past)


def test_a_line_said_by_another_is_kept_where_that_one_is_not() -> None:
    """A seizure lowered to ``soon`` has no warning-sign line: its "5 minutes or more"
    line stays (the only place the family reads it)."""
    lines = [*BASE_ADVICE["soon"], *SEIZURE_ADVICE, NOT_A_DIAGNOSIS]
    assert IF_LONG in advice_said_once(lines)
    assert IF_LONG not in advice_said_once([*BASE_ADVICE["same_day"], *lines[2:]])
    assert ADVICE_SAID_BY == {IF_LONG: SAME_DAY_SIGNS}


def test_each_line_is_said_once_and_an_answer_with_one_filming_line_is_unchanged() -> None:
    assert advice_said_once(["a", "b", "a"]) == ["a", "b"]
    single = [*BASE_ADVICE["same_day"], *SPASM_ADVICE, NOT_A_DIAGNOSIS]
    assert advice_said_once(single) == single
    assert advice_said_once([]) == []
    # the filming lines, most specific first, all known advice
    assert FILMING_ADVICE[0] == SPASM_ADVICE[0] and FILMING_ADVICE[-1] == SOON_FILMING


def _every_vignette() -> list[TriageResult]:
    out = [triage(data, now=NOW) for _name, data, _gold in REGRESSION]
    out += [triage(v["case"], now=BLIND_NOW) for v in BLIND]
    out += [triage(v["case"], now=INDEPENDENT_NOW) for v in INDEPENDENT]
    out += [triage(data, now=NOW) for _name, data, _level, _film in REPEATED]
    return out


def test_no_vignette_says_a_line_twice_or_two_filming_lines() -> None:
    """Over every vignette: each line once, at most one filming line, and nothing the
    engine said is lost: each of its lines is said, or said by the filming line chosen
    and what it says besides, or by the line that says all of it."""
    for result in _every_vignette():
        for where, lines in _said(result).items():
            assert len(lines) == len(set(lines)), (where, lines)
            assert len([line for line in lines if line in FILMING_ADVICE]) <= 1, lines
            said = advice_said_once(result.advice)
            for line in result.advice:
                assert (
                    line in said
                    or (line in FILMING_ADVICE and BESIDES_FILMING.get(line, said[0]) in said)
                    or ADVICE_SAID_BY.get(line) in result.advice
                ), line


# ------------------------------------------------------------ the page, report, terminal


def _started(hours_ago: float) -> str:
    return (datetime.now().replace(microsecond=0) - timedelta(hours=hours_ago)).isoformat()


def test_the_page_and_the_report_of_a_diary_say_one_filming_line(tmp_path: Path) -> None:
    """A diary in a real database: a cluster of spasms, a seizure two days ago and a jerk
    no rule explains. The API keeps each rule's line; the family's page and the report
    say one filming line."""
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia", "6")
    log_episode(parent, child, {**SPASM_EPISODE, "started_at": _started(30)})
    log_episode(
        parent,
        child,
        {
            "movements": ["rhythmic_jerking"],
            "state": "awake",
            "responsive": "no",
            "started_at": _started(48),
        },
    )
    log_episode(parent, child, {"movements": ["limb_jerk"], "state": "awake", "count": 1})
    result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    assert result["level"] == "same_day"
    assert {"spasm-series", "seizure-besides-spasms", "unexplained-movements"} <= {
        r["rule"] for r in result["reasons"]
    }
    assert "first-seizure" not in {r["rule"] for r in result["reasons"]}
    assert len(_filming(result["advice"])) == 3
    page = parent.client.get(f"/children/{child}").text
    listed = page.split('<ul class="advice">')[1].split("</ul>")[0]
    assert listed.count("Film the next episode") == 1 and "film any further" not in listed
    assert listed.count("Write down when it started") == 1
    report = parent.client.get(f"/children/{child}/report.html").text
    advised = report.split("What the family was advised")[1].split("</ul>")[0]
    assert advised.count("Film the next episode") == 1 and "film any further" not in advised
    assert advised.count("call emergency services") == 1  # the warning-sign line alone


def test_the_terminal_says_one_filming_line(tmp_path: Path) -> None:
    path = tmp_path / "soon.json"
    path.write_text(json.dumps(case(40, UNEXPLAINED)), encoding="utf-8")
    proc = cli("triage", str(path), "--now", NOW.isoformat(), columns=1000)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("Film the next episode") == 1
    assert "note whether it happens awake and asleep" in proc.stdout
    # the JSON (the API's contract) keeps both lines
    raw = cli("triage", str(path), "--json")
    assert json.loads(raw.stdout)["advice"].count(SOON_FILMING) == 1
    assert FILM_AND_NOTE_ADVICE in json.loads(raw.stdout)["advice"]
