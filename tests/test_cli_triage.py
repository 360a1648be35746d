"""The triage command line: files, stdin, JSON contract, errors and the interview."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest

from cli_run import ROOT, cli
from spasmwatch.case import VOCABULARIES
from spasmwatch.cli import run
from spasmwatch.report.triage_words import (
    DOES_NOT_LOWER,
    DOES_NOT_LOWER_EMERGENCY,
    DOES_NOT_LOWER_EMERGENCY_RULE,
    DOES_NOT_LOWER_MANY,
)
from spasmwatch.testing.triage.casebuild import NOW, at, case, seizure, spasm_series
from spasmwatch.triage import RULES
from spasmwatch.triage.engine import (
    CALL_NOW,
    COUNT_NOT_GIVEN,
    FIRST_AID_NOW,
    SAME_DAY_BESIDE_EMERGENCY,
)

EXAMPLES = sorted((ROOT / "examples").glob("*.json"))

# The triage result, written from the contract in docs/case-format.md.
RESULT_SCHEMA = {
    "type": "object",
    "required": ["level", "title", "advice", "reasons", "possibilities", "rules_version"],
    "properties": {
        "level": {"enum": ["emergency", "same_day", "soon", "routine"]},
        "title": {"type": "string", "minLength": 1},
        "advice": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "reasons": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["rule", "text", "source"],
                "properties": {
                    "rule": {"type": "string"},
                    "text": {"type": "string"},
                    "source": {"type": "string"},
                },
            },
        },
        "possibilities": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "weight"],
                "properties": {
                    "name": {"type": "string"},
                    "weight": {"enum": ["high", "medium", "low"]},
                },
            },
        },
        "rules_version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
    },
}


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_json_output_follows_the_contract(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["triage", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    jsonschema.validate(result, RESULT_SCHEMA)


def test_several_files_give_a_list_naming_each_file() -> None:
    proc = cli("triage", *map(str, EXAMPLES), "--json")
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert [r["file"] for r in results] == list(map(str, EXAMPLES))
    for r in results:
        jsonschema.validate(r, RESULT_SCHEMA)


def test_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["triage", str(ROOT / "examples" / "infantile-spasms-cluster.json")]) == 0
    text = capsys.readouterr().out
    assert "Possible infantile spasms" in text
    assert "spasm-series" in text and "EEG" in text and "not a diagnosis" in text


def test_stdin() -> None:
    case = {"child": {"age_months": 2}, "episodes": [{"movements": ["hiccups"]}]}
    proc = cli("triage", "-", "--json", stdin=json.dumps(case))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["level"] == "routine"


@pytest.mark.parametrize(
    ("text", "must_name"),
    [
        ('{"child": {"age_months": 6}, "episodes": [', "not valid JSON"),
        ('{"child": {"age_months": 6}, "episodes": [{"movements": ["wobble"]}]}', "movements[0]"),
        (
            '{"child": {"age_months": 6}, "episodes": [{"movements": ["startle"], "state": "x"}]}',
            "episodes[0].state",
        ),
        ('{"child": {"age_months": 600}}', "child.age_months"),
        (
            '{"child": {"age_months": 6}, "episodes": [{"movements": ["startle"], "fever_c": 50}]}',
            "episodes[0].fever_c",
        ),
        ('{"child": {"age_months": 6}, "colour": "red"}', "colour"),
        ("[]", "JSON object"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(text: str, must_name: str) -> None:
    proc = cli("triage", "-", "--json", stdin=text)
    assert proc.returncode == 2
    assert must_name in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_missing_file_exits_2(tmp_path: Path) -> None:
    proc = cli("triage", str(tmp_path / "nope.json"))
    assert proc.returncode == 2 and "nope.json" in proc.stderr


def test_one_bad_file_among_good_ones_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"child": {"age_months": -1}}')
    proc = cli("triage", str(EXAMPLES[0]), str(bad))
    assert proc.returncode == 2
    assert "bad.json" in proc.stderr and "child.age_months" in proc.stderr


def test_rules_lists_every_rule() -> None:
    proc = cli("rules", "--json")
    assert proc.returncode == 0
    listed = json.loads(proc.stdout)["rules"]
    assert [r["id"] for r in listed] == [r.id for r in RULES]
    assert all(r["source"] and r["reason"] and r["level"] for r in listed)
    table = cli("rules")
    assert table.returncode == 0 and "red-flag-rash" in table.stdout


def test_interactive_interview_reaches_an_answer_and_saves_the_case(tmp_path: Path) -> None:
    answers = [
        "",  # no warning signs (asked first of all; 5 minutes or more is one of them)
        "",  # birth date: skip
        "abc",  # age: wrong, asked again
        "6",
        "",  # born weeks
        "",  # conditions
        "",  # development
        "",  # describe an episode: Enter is yes
        "1 3",  # head_nod, arms_up
        "",  # started at
        "just_woke",
        "1",  # both sides
        "1",  # seconds per movement
        "about 10",  # count
        "5",  # interval
        "2 min",  # minutes
        "",  # temperature
        "",  # responsive
        "",  # stops when held
        "",  # stops with distraction
        "2",  # afterwards: sleepy
        "",  # triggers
        "",  # notes
        "n",  # no more episodes
    ]
    saved = tmp_path / "case.json"
    proc = cli("triage", "--interactive", "--save", str(saved), stdin="\n".join(answers) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert "please give a number" in proc.stderr
    assert "Possible infantile spasms" in proc.stdout
    case = json.loads(saved.read_text())
    assert case["child"] == {"age_months": 6.0}
    episode = case["episodes"][0]
    assert episode["movements"] == ["head_nod", "arms_up"]
    assert episode["state"] == "just_woke" and episode["count"] == 10
    assert episode["after"] == ["sleepy"]


@pytest.mark.parametrize(
    ("lang", "why_age", "why_movements"),
    [
        ("en", "depends on the baby's age", "depends on what the movements looked like"),
        ("es", "depende de la edad", "depende de cómo eran los movimientos"),
    ],
)
def test_interactive_says_why_age_and_movements_cannot_be_skipped(
    lang: str, why_age: str, why_movements: str
) -> None:
    # Enter on the two required questions: each is asked again with the reason, and the
    # introduction names them as the only ones needed.
    answers = ["", "", "", "6", "", "", "", "y", "", "1", "", "", "", "", "", "", ""]
    answers += ["", "", "", "", "", "", "n"]
    proc = cli("triage", "--interactive", "--lang", lang, stdin="\n".join(answers) + "\n")
    assert proc.returncode == 0, proc.stderr
    said, asked = " ".join(proc.stderr.split()), " ".join(proc.stdout.split())
    assert why_age in said and why_movements in said
    needed = "only the baby's age" if lang == "en" else "solo hacen falta la edad"
    assert needed in asked


def test_interactive_stops_at_a_warning_sign() -> None:
    # The warning signs are asked first of all: turned blue, the emergency answer at once,
    # with no age and no movement asked for.
    proc = cli("triage", "--interactive", stdin="2\n")
    assert proc.returncode == 0, proc.stderr
    assert "EMERGENCY" in proc.stdout and "Call emergency services now" in proc.stdout
    assert "red-flag-blue-or-grey" in proc.stdout
    said = " ".join(proc.stdout.split())
    assert "The baby's age was not given" in said
    for later in ("Baby's age", "date of birth", "What movements did you see", "doing?"):
        assert later not in said, later


def test_interactive_asks_the_warning_signs_before_the_baby() -> None:
    # No warning sign: then the baby's questions, and the answer needs the age as before.
    proc = cli("triage", "--interactive", stdin="\n\n6\n\n\n\nn\n")
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stdout.split())
    order = [
        said.index("a seizure that went on for 5 minutes or more"),  # in the list
        said.index("Any of these warning signs now"),
        said.index("Baby's date of birth"),
        said.index("Baby's age in months"),
    ]
    assert order == sorted(order)
    assert "age was not given" not in said
    # the list has the 5-minute sign: it is not asked again as a question of its own
    assert "Did a seizure go on for 5 minutes or more?" not in said


def test_interactive_five_minutes_or_more_answers_without_the_age(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    number = list(VOCABULARIES["red_flags"]).index("seizure_5_minutes") + 1
    proc = cli("triage", "--interactive", "--save", str(saved), stdin=f"{number}\n")
    assert proc.returncode == 0, proc.stderr
    assert "red-flag-seizure-5-minutes" in proc.stdout and "EMERGENCY" in proc.stdout
    case = json.loads(saved.read_text())
    assert case == {"child": {}, "episodes": [{"red_flags": ["seizure_5_minutes"]}]}
    # The saved case is read back as the same emergency answer.
    again = cli("triage", str(saved), "--json")
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["level"] == "emergency" and "age was not given" in result["note"]


def test_interactive_and_files_are_exclusive() -> None:
    proc = cli("triage", "--interactive", str(EXAMPLES[0]))
    assert proc.returncode == 2 and "not both" in proc.stderr


def test_nothing_described_is_no_advice_rather_than_routine() -> None:
    # The child's questions, then "n": nothing to describe. Not a green "routine".
    proc = cli("triage", "--interactive", stdin="\n\n6\n\n\n\nn\n")
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stdout.split())
    assert "Nothing described yet" in said and "call emergency services now" in said
    assert "ROUTINE" not in said


def _rash_diary(tmp_path: Path) -> tuple[Path, list[str], dict[str, str]]:
    """A diary whose warning sign (a rash) was logged on 2026-11-01, the command that
    triages it, and a terminal wide enough that the table's cells are not wrapped."""
    path = tmp_path / "diary.json"
    path.write_text(
        json.dumps(
            {
                "child": {"age_months": 6},
                "episodes": [{"red_flags": ["rash"], "started_at": "2026-11-01T07:05:00"}],
            }
        )
    )
    wide = {"PATH": "/usr/bin:/bin", "COLUMNS": "400", "NO_COLOR": "1"}
    return path, [sys.executable, "-m", "spasmwatch", "triage", str(path)], wide


def test_the_table_says_when_a_warning_sign_was_logged(tmp_path: Path) -> None:
    path, command, wide = _rash_diary(tmp_path)
    proc = subprocess.run(
        [*command, "--now", "2026-11-22T12:00:00"], capture_output=True, text=True, env=wide
    )
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stdout.split())
    assert "EMERGENCY" in said and "Last seen 3 weeks ago, on 2026-11-01." in said
    # counted back from --now: a day later is still 3 weeks, 3 days earlier is 2 weeks
    earlier = subprocess.run(
        [*command, "--now", "2026-11-19T12:00:00"], capture_output=True, text=True, env=wide
    )
    assert "Last seen 2 weeks ago, on 2026-11-01." in " ".join(earlier.stdout.split())
    spanish = subprocess.run(
        [*command, "--now", "2026-11-22T12:00:00", "--lang", "es"],
        capture_output=True,
        text=True,
        env=wide,
    )
    said = " ".join(spanish.stdout.split())
    assert "Visto por última vez hace 3 semanas, el 2026-11-01." in said
    as_json = json.loads(cli("triage", str(path), "--json").stdout)
    assert as_json["reasons"][0]["last_episode_at"] == "2026-11-01T07:05:00"


def test_a_warning_sign_over_24_hours_old_is_worded_as_past(tmp_path: Path) -> None:
    """As the web pages (triage.engine.past_warning_sign): a diary whose warning sign was
    logged more than 24 h before --now stays an emergency, worded as past, not "call
    emergency services now"; within 24 h it is still "call now"."""
    _path, command, wide = _rash_diary(tmp_path)

    def said(*args: str) -> str:
        proc = subprocess.run([*command, *args], capture_output=True, text=True, env=wide)
        assert proc.returncode == 0, proc.stderr
        return " ".join(proc.stdout.split())

    past = said("--now", "2026-11-22T12:00:00")
    assert "EMERGENCY" in past
    assert "A warning sign was last seen 3 weeks ago, on 2026-11-01." in past
    assert (
        "If a doctor has not seen your baby since then, get emergency help now. "
        "If it happens again, call emergency services at once." in past
    )
    assert "call emergency services now" not in past.lower()
    assert "go to the emergency department now" not in past
    # nor the first aid for a seizure going on now (--json keeps it)
    assert "lay the baby on their side" not in past and "Give no food" not in past
    # 24 h after its start it is still worded as happening now; just after, as past
    for now, is_past in (("2026-11-02T07:05:00", False), ("2026-11-02T07:06:00", True)):
        answer = said("--now", now)
        assert ("Call emergency services now" in answer) is not is_past, now
        assert ("A warning sign was last seen yesterday" in answer) is is_past, now
        assert ("lay the baby on their side" in answer) is not is_past, now
    spanish = said("--now", "2026-11-22T12:00:00", "--lang", "es")
    assert "EMERGENCIA" in spanish
    assert "Se vio un signo de alarma por última vez hace 3 semanas, el 2026-11-01." in spanish
    # --json keeps the engine's answer: the level and its title as the contract has them
    as_json = json.loads(said("--now", "2026-11-22T12:00:00", "--json"))
    assert as_json["level"] == "emergency" and "emergency" in as_json["title"].lower()
    assert all(line in as_json["advice"] for line in FIRST_AID_NOW)


def test_a_case_file_without_the_age(tmp_path: Path) -> None:
    sign = tmp_path / "sign.json"
    sign.write_text(json.dumps({"child": {}, "episodes": [{"red_flags": ["vomiting"]}]}))
    proc = cli("triage", str(sign))
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stdout.split())
    assert "EMERGENCY" in said and "The baby's age was not given" in said
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"child": {}, "episodes": [{"movements": ["head_nod"]}]}))
    refused = cli("triage", str(plain))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    said = " ".join(refused.stderr.split())
    assert f"case file '{plain}'" in said and "child.age_months or child.birth_date" in said


#: Up to "Describe what you saw?": no warning sign, no birth date, 6 months, the rest skipped.
THE_BABY = ["", "", "6", "", "", ""]


def test_enter_at_describe_what_you_saw_goes_on_to_the_movements() -> None:
    # Enter skips what one is unsure of: here it means yes, not "nothing described".
    answers = [*THE_BABY, "", "1 3", "", "just_woke", "", "", "about 10"] + [""] * 20
    proc = cli("triage", "--interactive", stdin="\n".join(answers) + "\n")
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stdout.split())
    assert "What movements did you see?" in said and "Nothing described yet" not in said
    assert "Possible infantile spasms" in said


def test_the_questions_show_words_not_codes_and_end_cleanly() -> None:
    proc = cli("triage", "--interactive", stdin="\n".join([*THE_BABY, "n"]) + "\n")
    assert proc.returncode == 0, proc.stderr
    said = proc.stdout
    assert "difficulty breathing" in said and "(breathing_difficulty)" not in said
    assert "(on_track)" not in said and "[unknown]" not in said
    # what Enter answers is said in words; no prompt ends in "? :"
    assert "How is the baby's development? (Enter: not sure): " in said
    assert "? :" not in said and "?:" not in said


def test_answers_that_end_early_are_said_plainly_and_nothing_is_saved(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    for stdin, missing in (
        ("\n", "before the baby's age and the movements were given"),
        ("\n".join([*THE_BABY, "y"]) + "\n", "before the movements were given"),
    ):
        proc = cli("triage", "--interactive", "--save", str(saved), stdin=stdin)
        assert proc.returncode == 2
        said = " ".join(proc.stderr.split())
        assert f"The answers stopped {missing}; nothing was saved." in said
        assert "Invalid case" not in said and "Error" not in said and "Traceback" not in said
        assert "call emergency services now" in said
        assert not saved.exists()


def test_no_age_twice_explains_and_stops(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    proc = cli("triage", "--interactive", "--save", str(saved), stdin="\n" * 10)
    assert proc.returncode == 2 and not saved.exists()
    said = " ".join(proc.stderr.split())
    assert said.count("the advice depends on the baby's age") == 1
    assert "Press Enter again to stop here (nothing is saved)." in said
    assert "Without the baby's age there is no advice to give" in said
    assert "nothing was saved" in said and "Traceback" not in said
    # asked twice, then stopped
    assert " ".join(proc.stdout.split()).count("Baby's age in months") == 2


def test_the_readable_answer_says_each_thing_once(tmp_path: Path) -> None:
    """As on the pages: the level's badge, then a title that does not say the level or its
    time again; an emergency's call once, with the numbers to dial; a "[design]" tag in
    words. ``--json`` keeps the engine's title, advice and tags."""
    same_day = tmp_path / "same_day.json"
    same_day.write_text(
        json.dumps(case(7, spasm_series(state="just_woke", started_at=at(3)))), "utf-8"
    )
    proc = cli("triage", str(same_day), "--now", NOW.isoformat())
    assert proc.returncode == 0, proc.stderr
    assert "TODAY  Possible infantile spasms: contact a doctor " in proc.stdout
    assert "contact a doctor today" not in proc.stdout
    # the terminal has no number to call: the warning-sign line stays in the list
    assert proc.stdout.count("If a warning sign appears") == 1
    data = json.loads(cli("triage", str(same_day), "--json", "--now", NOW.isoformat()).stdout)
    assert data["title"] == "Possible infantile spasms: contact a doctor today"
    emergency = tmp_path / "emergency.json"
    emergency.write_text(
        json.dumps(case(30, seizure(started_at=at(50)), seizure(started_at=at(0.2)))), "utf-8"
    )
    flat = _wide(emergency, "--now", NOW.isoformat())
    assert flat.count("911, 999 or 112") == 1
    assert "Emergency: call" not in flat
    assert "[design]" not in flat and "(a choice of this app, not of the guidance)" in flat
    data = json.loads(cli("triage", str(emergency), "--json", "--now", NOW.isoformat()).stdout)
    assert CALL_NOW in data["advice"] and any("[design]" in r["source"] for r in data["reasons"])


def _wide(path: Path, *args: str) -> str:
    """The readable answer for ``path`` on a terminal wide enough not to wrap, flattened."""
    proc = cli("triage", str(path), *args, columns=1000)
    assert proc.returncode == 0, proc.stderr
    return " ".join(proc.stdout.split())


#: What every wording of "does not lower the answer" says: counted to check it is said once.
NOT_LOWER = "not lower the answer"


def _reason_cell(said: str, rule: str) -> str:
    """The Reason cell of ``rule``'s row of the flattened answer's table."""
    return said.split(f"│ {rule} │", 1)[1].split("│")[1].strip()


def test_the_readable_answer_says_a_moment_a_count_and_a_lower_reason_once(
    tmp_path: Path,
) -> None:
    """When a warning sign was last seen: after the first of the reasons about it. A count
    not given: said once, in the note. The reasons below the answer's level: after the
    first of them, once, that it and those below it do not lower the answer (blue lips
    with a febrile seizure, examples/); after the only one, that it does not."""
    signs = tmp_path / "signs.json"
    episode = {"red_flags": ["blue_or_grey", "vomiting"], "started_at": at(3)}
    signs.write_text(json.dumps(case(8, episode)), "utf-8")
    said = _wide(signs, "--now", NOW.isoformat())
    assert said.count("Last seen today") == 1
    assert said.index("Last seen today") < said.index("red-flag-vomiting")
    jerk = tmp_path / "jerk.json"
    jerk.write_text(json.dumps(case(4, {"movements": ["limb_jerk"], "state": "asleep"})))
    said = _wide(jerk, "--now", NOW.isoformat())
    assert "lookalike-sleep-twitch" in said and "lookalike-hypnic-jerk" in said
    assert said.count("was not given") == 1 and COUNT_NOT_GIVEN in said
    blue = _wide(ROOT / "examples" / "fever-seizure-blue.json")
    data = json.loads(
        cli("triage", str(ROOT / "examples" / "fever-seizure-blue.json"), "--json").stdout
    )
    lower = [r["rule"] for r in data["reasons"] if r["level"] != "emergency"]
    assert data["level"] == "emergency"
    assert lower == ["first-seizure", "febrile-seizure-simple"]
    assert blue.count(NOT_LOWER) == 1
    assert blue.count(DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY]) == 1
    assert _reason_cell(blue, "first-seizure").endswith(
        DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY]
    )
    assert NOT_LOWER not in _reason_cell(blue, "febrile-seizure-simple")
    assert NOT_LOWER not in blue.split("│ first-seizure │")[0]
    # a same-day answer: the neutral words
    spasms = tmp_path / "spasms.json"
    spasms.write_text(
        json.dumps(case(7, spasm_series(started_at=at(3)), {"movements": ["hiccups"]})), "utf-8"
    )
    said = _wide(spasms, "--now", NOW.isoformat())
    assert "TODAY" in said and said.count(NOT_LOWER) == 1
    assert _reason_cell(said, "lookalike-hiccups").endswith(DOES_NOT_LOWER)


def test_below_an_emergency_without_a_warning_sign_the_terminal_names_the_emergency(
    tmp_path: Path,
) -> None:
    """A first seizure happening now, no warning sign: the reasons below the emergency say
    once, after the first of them, that the emergency above comes first; with blue lips
    beside it, the warning sign."""
    now = tmp_path / "now.json"
    now.write_text(json.dumps(case(8, seizure(started_at=at(0.2)))), "utf-8")
    said = _wide(now, "--now", NOW.isoformat())
    data = json.loads(cli("triage", str(now), "--now", NOW.isoformat(), "--json").stdout)
    lower = [r for r in data["reasons"] if (r.get("lowered_to") or r["level"]) != "emergency"]
    assert data["level"] == "emergency" and lower
    assert "first-seizure-now" in said and not any(
        r["rule"].startswith("red-flag-") for r in data["reasons"]
    )
    assert len(lower) >= 2
    assert said.count(NOT_LOWER) == 1
    assert _reason_cell(said, lower[0]["rule"]).endswith(
        DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY_RULE]
    )
    assert "warning sign above" not in said
    blue = tmp_path / "blue.json"
    blue.write_text(
        json.dumps(case(8, seizure(started_at=at(0.2), red_flags=["blue_or_grey"]))), "utf-8"
    )
    said = _wide(blue, "--now", NOW.isoformat())
    assert said.count(NOT_LOWER) == 1
    assert said.count(DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY]) == 1
    assert "emergency above" not in said


def test_a_warning_sign_days_ago_keeps_the_same_day_step_of_a_spasm_series(
    tmp_path: Path,
) -> None:
    """Not back to normal after an episode 5 days ago, then a cluster of head nods with
    the arms up on waking: an emergency worded as a past warning sign, whose advice still
    says to contact the doctor today for the spasms. An hour after the warning sign, the
    call now covers it, and the advice does not say it; the JSON keeps it either way."""
    sign = {
        "state": "awake",
        "movements": ["head_nod"],
        "movement_seconds": 1,
        "count": 5,
        "interval_seconds": 12,
        "after": ["slow_to_recover"],
        "red_flags": ["not_back_to_normal"],
        "started_at": at(5 * 24),
    }
    cluster = spasm_series(state="just_woke", count=11, interval_seconds=9, started_at=at(0.5))
    path = tmp_path / "past.json"
    path.write_text(json.dumps(case(8, sign, cluster, development="on_track")), "utf-8")
    today = "Contact your doctor or out-of-hours service today"
    assert SAME_DAY_BESIDE_EMERGENCY.startswith(today)
    past = _wide(path, "--now", NOW.isoformat())
    assert "A warning sign was last seen 5 days ago" in past
    assert past.count(today) == 1
    advice = past.split("What to do now", 1)[1].split("Why", 1)[0]
    assert f"• {SAME_DAY_BESIDE_EMERGENCY}" in advice
    soon = (NOW - timedelta(hours=5 * 24 - 1)).isoformat()
    now = _wide(path, "--now", soon)
    assert "Call emergency services now" in now and today not in now
    for moment in (NOW.isoformat(), soon):
        data = json.loads(cli("triage", str(path), "--now", moment, "--json").stdout)
        assert data["level"] == "emergency"
        assert "spasm-series" in {r["rule"] for r in data["reasons"]}
        assert data["advice"].count(SAME_DAY_BESIDE_EMERGENCY) == 1
