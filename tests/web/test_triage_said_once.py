"""Each thing said once around a triage answer, on the family's page and the clinician view
at a share link: the level once (not "Emergency Emergency: call ..."), the call once (an
emergency's advice without the lines that call emergency services again, a same-day
answer's warning-sign line once, at its foot), a source's ``[design]`` tag in words in each
language while the API keeps the tag; and the clinician view's onset and clusters said as
the report says them. When a warning sign was last seen is said once per reason that says
it first; a warning sign seen more than 24 h ago lists no first aid for one happening now;
a count read as one is said once, in the answer's note; the reasons below the answer's
level say once, after the first of them, that they do not lower it. The engine's answer
(the API's JSON) keeps every line."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

from spasmwatch.i18n import translations
from spasmwatch.report.triage_words import (
    DOES_NOT_LOWER,
    DOES_NOT_LOWER_EMERGENCY,
    DOES_NOT_LOWER_EMERGENCY_RULE,
    DOES_NOT_LOWER_MANY,
)
from spasmwatch.triage.engine import (
    BASE_ADVICE,
    CALL_NOW,
    COUNT_NOT_GIVEN,
    FIRST_AID_NOW,
    SAME_DAY_BESIDE_EMERGENCY,
)
from spasmwatch.triage.predicates import SEIZURE_ADVICE
from web.webworld import SPASM_EPISODE, add_child, anonymous, log_episode, new_app, share, sign_up

SPANISH = {"Accept-Language": "es"}
#: The emergency's conditional call, which its headline already says (a seizure rule's).
IF_LONG = SEIZURE_ADVICE[1]
#: The same-day answer's warning-sign line, said at the foot of the answer with the number.
SAME_DAY_SIGNS = BASE_ADVICE["same_day"][1]
DESIGN = "(a choice of this app, not of the guidance)"
DESIGN_ES = "(una decisión de esta aplicación, no de las guías clínicas)"
#: Below an emergency set by a warning sign: the words after the first of several reasons
#: below it, for them all (the only such words in the answer).
BELOW_SIGN = DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY]
#: The same below an emergency that no warning sign set.
BELOW_RULE = DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY_RULE]
#: What every wording of "does not lower the answer" says, in English and in Spanish
#: ("no rebaja" and "no rebajan"): counted to check that it is said once.
NOT_LOWER = "not lower the answer"
NOT_LOWER_ES = "no rebaja"


def _text(html: str) -> str:
    html = re.sub(r"<(style|script|title)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _triage(html: str) -> str:
    """The triage answer's section of a page, as its words."""
    section = html.split('<section id="triage"')[1].split(">", 1)[1]
    return _text(section.split("</section>")[0])


def _advice(html: str) -> list[str]:
    """The lines of the answer's "What to do now" list."""
    listed = html.split('<ul class="advice">')[1].split("</ul>")[0]
    return [_text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", listed, flags=re.S)]


def _reasoning(html: str) -> str:
    """The clinician view's "Triage by the rules" section, as its words."""
    return _text(html.split('<h2 id="reasoning-h"')[1].split("</section>")[0]).lstrip("> ")


def _seizure(minutes_ago: float) -> dict[str, Any]:
    start = datetime.now().replace(microsecond=0) - timedelta(minutes=minutes_ago)
    return {
        "movements": ["rhythmic_jerking"],
        "state": "awake",
        "responsive": "no",
        "started_at": start.isoformat(),
    }


def _seizure_now(tmp_path: Path) -> tuple[Any, Any, int]:
    """A diary with a seizure-like episode three days ago and one 20 minutes ago: an
    emergency (a seizure happening now, with earlier ones no doctor knows of)."""
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    log_episode(parent, child, _seizure(3 * 24 * 60))
    log_episode(parent, child, _seizure(20))
    return app, parent, child


def test_an_emergency_says_its_level_and_its_call_once(tmp_path: Path) -> None:
    app, parent, child = _seizure_now(tmp_path)
    result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    assert result["level"] == "emergency"
    # the engine's answer keeps its title and every advice line
    assert result["title"].startswith("Emergency: call emergency services")
    assert CALL_NOW in result["advice"] and IF_LONG in result["advice"]
    page = parent.client.get(f"/children/{child}").text
    said = _triage(page)
    assert said.startswith("Call emergency services now")
    assert said.lower().count("call emergency services") == 1
    advice = _advice(page)
    assert IF_LONG not in advice and CALL_NOW not in advice
    # the same-day reasons' "contact your doctor today": in the engine's answer, right after
    # its emergency lines; not on the page, where the call now covers it
    base = list(BASE_ADVICE["emergency"])
    assert result["advice"][: len(base) + 1] == [*base, SAME_DAY_BESIDE_EMERGENCY]
    assert SAME_DAY_BESIDE_EMERGENCY not in advice
    # the rest of the advice is listed, in the engine's order
    left_out = (CALL_NOW, IF_LONG, SAME_DAY_BESIDE_EMERGENCY)
    kept = [line for line in result["advice"] if line not in left_out]
    assert advice == kept and len(kept) >= 3
    spanish = parent.client.get(f"/children/{child}", headers=SPANISH).text
    assert _triage(spanish).count("servicios de emergencia") == 1
    assert "Si un episodio dura 5 minutos o más" not in spanish
    same_day_es = translations("es").gettext(SAME_DAY_BESIDE_EMERGENCY)
    assert same_day_es != SAME_DAY_BESIDE_EMERGENCY and same_day_es not in _advice(spanish)
    assert len(_advice(spanish)) == len(advice)
    # the clinician view: the level's badge, then the call, not the level again
    token, _link = share(parent, child)
    doctor = anonymous(app).client
    reasoning = _reasoning(doctor.get(f"/s/{token}").text)
    assert reasoning.startswith(
        "Triage by the rules Emergency Call emergency services or go to the emergency "
        "department now."
    )
    assert "Emergency: call" not in reasoning and "Emergency Emergency" not in reasoning
    reasoning = _reasoning(doctor.get(f"/s/{token}", headers=SPANISH).text)
    assert reasoning.startswith(
        "Triaje según las reglas Emergencia Llame ahora a los servicios de emergencia"
    )
    assert "Emergencia Emergencia" not in reasoning and "Emergencia: llame" not in reasoning


def test_a_same_day_answer_says_its_warning_signs_once(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    start = datetime.now().replace(microsecond=0) - timedelta(hours=3)
    log_episode(parent, child, {**SPASM_EPISODE, "started_at": start.isoformat()})
    result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    assert result["level"] == "same_day" and SAME_DAY_SIGNS in result["advice"]
    page = parent.client.get(f"/children/{child}").text
    said = _triage(page)
    # said once, with the number to call; all its signs there
    assert said.count("If a warning sign appears") == 1
    assert (
        "If a warning sign appears (difficulty breathing, blue or grey colour, a seizure of "
        "5 minutes or more, not back to normal), call 112" in said
    )
    # ... after the answer, its reasons and what to do: the answer is read first
    assert said.startswith("Today Possible infantile spasms: contact a doctor Why (")
    assert said.index("Why (") < said.index("What to do now") < said.index("If a warning sign")
    assert said.index("If a warning sign") > said.index(_advice(page)[-1])
    assert SAME_DAY_SIGNS not in _advice(page)
    assert _advice(page) == [line for line in result["advice"] if line != SAME_DAY_SIGNS]
    spanish = _triage(parent.client.get(f"/children/{child}", headers=SPANISH).text)
    assert spanish.count("Si aparece un signo de alarma") == 1
    assert "no vuelve a estar como siempre), llame al 112" in spanish
    # the level's badge, then a title that does not say "today" again (the API keeps it)
    assert "Today Possible infantile spasms: contact a doctor Why (" in said
    assert result["title"] == "Possible infantile spasms: contact a doctor today"
    # the warning signs in the words of the engine's same-day advice
    assert SAME_DAY_SIGNS.split(")")[0] in said


def test_a_design_choice_is_said_in_words_and_the_api_keeps_its_tag(tmp_path: Path) -> None:
    app, parent, child = _seizure_now(tmp_path)
    result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    tagged = [r for r in result["reasons"] if "[design]" in r["source"]]
    assert {r["rule"] for r in tagged} >= {"seizure-now"}
    token, _link = share(parent, child)
    doctor = anonymous(app).client
    for page, words in (
        (_triage(parent.client.get(f"/children/{child}").text), DESIGN),
        (_triage(parent.client.get(f"/children/{child}", headers=SPANISH).text), DESIGN_ES),
        (_reasoning(doctor.get(f"/s/{token}").text), DESIGN),
        (_reasoning(doctor.get(f"/s/{token}", headers=SPANISH).text), DESIGN_ES),
    ):
        assert "[design]" not in page
        assert page.count(words) == len(tagged), page
    # after the note it marks, in place of the tag before it
    english = _triage(parent.client.get(f"/children/{child}").text)
    assert (
        "(a first seizure: call for emergency help); seizures that came back before any was "
        "known to the doctors are treated as a first one while one is happening: the earlier "
        f"ones were logged, not necessarily assessed {DESIGN}"
    ) in english
    assert f"{DESIGN}]" not in english  # the family's page says no rule id around it


def test_the_clinician_view_says_the_onset_and_one_cluster_as_the_report_does(
    tmp_path: Path,
) -> None:
    """The first episode of any kind beside the onset, as in the report; one cluster of
    10 movements, not "10 movements each"."""
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    hiccups = datetime.now().replace(microsecond=0) - timedelta(days=8)
    log_episode(parent, child, {"movements": ["hiccups"], "started_at": hiccups.isoformat()})
    spasms = datetime.now().replace(microsecond=0) - timedelta(days=2)
    log_episode(parent, child, {**SPASM_EPISODE, "started_at": spasms.isoformat()})
    token, _link = share(parent, child)
    doctor = anonymous(app).client
    page = _text(doctor.get(f"/s/{token}").text)
    onset, first = spasms.strftime("%-d %b %Y"), hiccups.strftime("%-d %b %Y")
    assert (
        f"Onset first spasm-like episode logged on {onset} (first episode of any kind: {first})"
    ) in page
    assert "Clusters 1 cluster of 10 movements in the diary (3 or more" in page
    assert "movements each" not in page
    spanish = _text(doctor.get(f"/s/{token}", headers=SPANISH).text)
    assert "(primer episodio de cualquier tipo:" in spanish
    assert "1 serie de 10 movimientos en el diario" in spanish
    assert "movimientos cada una" not in spanish
    # the report says the same facts
    report = _text(parent.client.get(f"/children/{child}/report.html").text)
    assert "(first episode of any kind:" in report
    assert "1 cluster of 10 movements in the diary" in report
    assert "movements each" not in report


def _started(hours_ago: float) -> str:
    return (datetime.now().replace(microsecond=0) - timedelta(hours=hours_ago)).isoformat()


def _reasons(html: str) -> list[str]:
    """The words of each reason of the family's page, in order: those said open and those
    folded under "N more reasons" (a same-day or within-days answer's, after its first)."""
    lists = [part.split("</ul>")[0] for part in html.split('<ul class="reasons">')[1:]]
    return [
        _text(item)
        for listed in lists
        for item in re.findall(r"<li[^>]*>(.*?)</li>", listed, flags=re.S)
    ]


def _report_rows(html: str) -> list[str]:
    """The words of each row of the reasons' table (the report, the clinician view)."""
    table = html.split('<table class="reasons">')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [_text(row) for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


def test_when_a_warning_sign_was_last_seen_is_said_once_for_its_reasons(tmp_path: Path) -> None:
    """A seizure 20 minutes ago, blue and not back to normal: three emergency reasons about
    the same episode, each with the same moment; when it was last seen is said after the
    first of them only. A rash three days ago, another moment, is said after its own."""
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia", age="8")
    rash = {"red_flags": ["rash"], "movements": ["limb_jerk"], "started_at": _started(72)}
    log_episode(parent, child, rash)
    now = {**_seizure(20), "red_flags": ["blue_or_grey", "not_back_to_normal"]}
    log_episode(parent, child, now)
    result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    timed = [r for r in result["reasons"] if r.get("last_episode_at")]
    moments = [r["last_episode_at"] for r in timed]
    assert len(timed) >= 4 and len(set(moments)) == 2  # the API keeps each reason's moment
    page = parent.client.get(f"/children/{child}").text
    reasons = _reasons(page)
    said = [i for i, words in enumerate(reasons) if "Last seen" in words]
    assert _triage(page).count("Last seen") == 2
    # after the first reason of each moment
    firsts = [i for i, r in enumerate(result["reasons"]) if r in timed]
    firsts = [i for i in firsts if moments.index(result["reasons"][i]["last_episode_at"]) == i]
    assert said == firsts
    assert _triage(page).count("Last seen 3 days ago") == 1
    # the clinician view and the report: the same, once per moment
    token, _link = share(parent, child)
    doctor = anonymous(app).client
    rows = _report_rows(doctor.get(f"/s/{token}").text)
    assert sum("Last seen" in row for row in rows) == 2
    report = parent.client.get(f"/children/{child}/report.html").text
    rows = _report_rows(report)
    assert sum("Last seen on" in row for row in rows) == 2
    assert [i for i, row in enumerate(rows) if "Last seen on" in row] == said


def test_a_warning_sign_seen_days_ago_lists_no_first_aid_for_now(tmp_path: Path) -> None:
    """Worded as past ("A warning sign was last seen ..."), the answer lists no first aid
    for a seizure going on now and no "give no food"; within 24 h it does. The API keeps
    the engine's list whole."""
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    older = add_child(parent, "Older")
    recent = add_child(parent, "Recent")
    sign = {"red_flags": ["blue_or_grey"], "movements": ["limb_jerk"]}
    log_episode(parent, older, {**sign, "started_at": _started(25)})
    log_episode(parent, recent, {**sign, "started_at": _started(23)})
    for child in (older, recent):
        result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
        assert result["level"] == "emergency"
        assert all(line in result["advice"] for line in FIRST_AID_NOW)
    past = parent.client.get(f"/children/{older}").text
    assert "A warning sign was last seen" in _triage(past)
    advice = _advice(past)
    assert advice and not any(line in advice for line in FIRST_AID_NOW)
    assert not any("food" in line for line in advice)
    spanish = _advice(parent.client.get(f"/children/{older}", headers=SPANISH).text)
    assert len(spanish) == len(advice) and not any("comida" in line for line in spanish)
    report = _text(parent.client.get(f"/children/{older}/report.html").text)
    advised = report.split("What the family was advised")[1]
    assert not any(line in advised for line in FIRST_AID_NOW)
    # within 24 h: the first aid is listed, on the page and in the report
    now = parent.client.get(f"/children/{recent}").text
    assert all(line in _advice(now) for line in FIRST_AID_NOW)
    report = _text(parent.client.get(f"/children/{recent}/report.html").text)
    assert all(line in report.split("What the family was advised")[1] for line in FIRST_AID_NOW)


def test_a_count_read_as_one_is_said_once_in_the_note(tmp_path: Path) -> None:
    """A jerk of a limb in sleep, no count: two look-alikes read it as one; their reasons
    say what they recognise, and the note says the reading once (the page, the clinician
    view, the report)."""
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia", age="4")
    log_episode(
        parent, child, {"movements": ["limb_jerk"], "state": "asleep", "started_at": _started(2)}
    )
    result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    assert result["note"] == COUNT_NOT_GIVEN
    rules = {r["rule"] for r in result["reasons"]}
    assert {"lookalike-sleep-twitch", "lookalike-hypnic-jerk"} <= rules
    page = _triage(parent.client.get(f"/children/{child}").text)
    assert page.count("was not given") == 1 and COUNT_NOT_GIVEN in page
    token, _link = share(parent, child)
    reasoning = _reasoning(anonymous(app).client.get(f"/s/{token}").text)
    assert reasoning.count("was not given") == 1 and COUNT_NOT_GIVEN in reasoning
    report = _text(parent.client.get(f"/children/{child}/report.html").text)
    assert report.count("was not given") == 1 and COUNT_NOT_GIVEN in report


def test_a_lower_reason_says_it_does_not_lower_the_answer(tmp_path: Path) -> None:
    """Blue lips with a febrile seizure half an hour ago: an emergency that also lists the
    "Today" first seizure and the "Within days" simple febrile seizure. Those reasons stay;
    the first of them says after it, once, that it and those below it do not lower the
    answer; the emergency reasons and the simple febrile seizure say nothing more. A same-day answer
    with one routine look-alike says the neutral words after it."""
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia", age="14")
    episode = {
        "state": "awake",
        "movements": ["rhythmic_jerking"],
        "episode_minutes": 3,
        "responsive": "no",
        "fever_c": 39.0,
        "red_flags": ["blue_or_grey"],
        "started_at": _started(0.5),
    }
    log_episode(parent, child, episode)
    result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    assert result["level"] == "emergency"
    rules = [r["rule"] for r in result["reasons"]]
    lower = [(r.get("lowered_to") or r["level"]) != "emergency" for r in result["reasons"]]
    assert rules[0] == "red-flag-blue-or-grey"
    assert rules[-2:] == ["first-seizure", "febrile-seizure-simple"]
    assert lower == [False] * (len(rules) - 2) + [True, True]
    once = [rule == "first-seizure" for rule in rules]  # after the first reason below
    reasons = _reasons(parent.client.get(f"/children/{child}").text)
    assert [BELOW_SIGN in words for words in reasons] == once
    assert [NOT_LOWER in words for words in reasons] == once
    assert _triage(parent.client.get(f"/children/{child}").text).count(NOT_LOWER) == 1
    first = reasons[rules.index("first-seizure")]
    assert first.startswith("Today") and f"assessment today. {BELOW_SIGN} Source:" in first
    (simple,) = [w for w in reasons if "simple febrile seizure" in w]
    assert simple.startswith("Within days") and NOT_LOWER not in simple
    spanish = _reasons(parent.client.get(f"/children/{child}", headers=SPANISH).text)
    assert len(spanish) == len(lower)
    below_es = translations("es").gettext(BELOW_SIGN)
    assert below_es == (
        "(Este motivo y los de debajo no rebajan la respuesta: el signo de alarma de arriba "
        "es lo primero.)"
    )
    assert [below_es in words for words in spanish] == once
    assert [NOT_LOWER_ES in words for words in spanish] == once
    token, _link = share(parent, child)
    rows = _report_rows(anonymous(app).client.get(f"/s/{token}").text)
    assert [BELOW_SIGN in row for row in rows] == once
    assert [NOT_LOWER in row for row in rows] == once
    rows = _report_rows(parent.client.get(f"/children/{child}/report.html").text)
    assert [BELOW_SIGN in row for row in rows] == once
    assert [NOT_LOWER in row for row in rows] == once
    # a same-day answer: the neutral words after its lower reasons
    other = add_child(parent, "Leo", age="6")
    log_episode(parent, other, {**SPASM_EPISODE, "started_at": _started(3)})
    log_episode(parent, other, {"movements": ["hiccups"], "started_at": _started(5)})
    result = parent.api("GET", f"/api/v1/children/{other}/triage").json()
    assert result["level"] == "same_day"
    lower = [(r.get("lowered_to") or r["level"]) != "same_day" for r in result["reasons"]]
    assert sum(lower) == 1  # one reason below: the single reason's words
    reasons = _reasons(parent.client.get(f"/children/{other}").text)
    assert [DOES_NOT_LOWER in words for words in reasons] == lower
    assert [NOT_LOWER in words for words in reasons] == lower
    assert not any(DOES_NOT_LOWER_EMERGENCY in words for words in reasons)


def test_below_an_emergency_without_a_warning_sign_the_emergency_is_named(
    tmp_path: Path,
) -> None:
    """Stiffening and shaking happening now (a first seizure, no warning sign ticked): an
    emergency by ``first-seizure-now``. The milder reasons below it say once, after the
    first of them, that the emergency above comes first, not a warning sign that is not
    there: on the anonymous check, the child's page, the clinician view and the report.
    With a warning sign beside it, they name the warning sign again."""
    app = new_app(tmp_path)
    shaking = {"movements": ["stiffening", "rhythmic_jerking"], "state": "awake"}
    now = (datetime.now() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
    check = anonymous(app).form("/check", {**shaking, "age_months": "8", "started_at": now})
    assert check.status_code == 200 and "first-seizure-now" in check.text
    reasons = _reasons(check.text)
    lower = [w for w in reasons if NOT_LOWER in w]
    assert len(lower) == 1 and BELOW_RULE in lower[0]
    assert reasons.index(lower[0]) == 1  # the first reason below first-seizure-now
    assert _triage(check.text).count(NOT_LOWER) == 1
    assert "warning sign above" not in _text(check.text)

    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia", age="8")
    log_episode(parent, child, {**shaking, "started_at": _started(0.2)})
    result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    assert result["level"] == "emergency"
    assert "first-seizure-now" in {r["rule"] for r in result["reasons"]}
    assert not any(r["rule"].startswith("red-flag-") for r in result["reasons"])
    below = [(r.get("lowered_to") or r["level"]) != "emergency" for r in result["reasons"]]
    assert sum(below) >= 2
    once = [i == below.index(True) for i in range(len(below))]
    page = _reasons(parent.client.get(f"/children/{child}").text)
    assert [BELOW_RULE in words for words in page] == once
    assert [NOT_LOWER in words for words in page] == once
    spanish = _reasons(parent.client.get(f"/children/{child}", headers=SPANISH).text)
    below_es = translations("es").gettext(BELOW_RULE)
    assert below_es == (
        "(Este motivo y los de debajo no rebajan la respuesta: la emergencia de arriba es lo "
        "primero.)"
    )
    assert [below_es in words for words in spanish] == once
    assert [NOT_LOWER_ES in words for words in spanish] == once
    token, _link = share(parent, child)
    for html in (
        anonymous(app).client.get(f"/s/{token}").text,
        parent.client.get(f"/children/{child}/report.html").text,
    ):
        rows = _report_rows(html)
        assert [BELOW_RULE in row for row in rows] == once
        assert [NOT_LOWER in row for row in rows] == once
        assert "warning sign above" not in _text(html)

    # the same seizure with blue lips: the warning sign is named again
    blue = anonymous(app).form(
        "/check", {**shaking, "age_months": "8", "started_at": now, "red_flags": ["blue_or_grey"]}
    )
    said = _reasons(blue.text)
    assert [NOT_LOWER in w for w in said].count(True) == 1
    assert [BELOW_SIGN in w for w in said] == [NOT_LOWER in w for w in said]
    assert "emergency above" not in _triage(blue.text)
