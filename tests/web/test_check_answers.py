"""The answers of the anonymous check and of a diary: a warning sign answered without the
baby's age (the page, the API and keeping it), what the check understood from what was
typed, and how long ago a diary's warning sign was logged."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from spasmwatch.i18n import SEEN_DAY_PATTERN, format_day
from spasmwatch.store import repo
from web.webworld import PASSWORD, add_child, anonymous, log_episode, new_app, share, sign_up

SPANISH = {"Accept-Language": "es"}


def _main(html: str) -> str:
    return re.sub(r"\s+", " ", html.split('<main id="main">')[1])


def _understood(html: str) -> str:
    return _main(html).split('id="understood-h"')[1].split("</section>")[0]


def _kept_case(answer: str) -> str:
    case = re.search(r'name="case" value="([^"]+)"', answer)
    assert case is not None
    return case.group(1).replace("&#34;", '"')


def test_a_warning_sign_without_the_age_is_answered_and_says_so(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    answer = visitor.form("/check", {"red_flags": ["blue_or_grey"], "age_months": " "})
    assert answer.status_code == 200
    main = _main(answer.text)
    assert "level-emergency" in main and "red-flag-blue-or-grey" in main
    assert "The baby&#39;s age was not given" in main
    assert "Not given" in _understood(answer.text)
    # The 5-minute box alone (as happening-now mode sends it) is a warning sign too.
    long = visitor.form("/check", {"long_episode": "yes"})
    assert long.status_code == 200 and "red-flag-seizure-5-minutes" in long.text


def test_without_a_warning_sign_the_age_is_still_needed(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    refused = visitor.form("/check", {"movements": ["head_nod"], "count": "10"})
    assert refused.status_code == 422
    assert 'id="age_months-error"' in refused.text
    # An age typed wrong is refused, naming the field, even with a warning sign: what was
    # meant is not known. The call to make still comes first on the page.
    garbled = visitor.form("/check", {"red_flags": ["rash"], "age_months": "lots"})
    assert garbled.status_code == 422
    main = _main(garbled.text)
    assert 'id="age_months-error"' in main and "you typed &#39;lots&#39;" in main
    assert main.index('href="tel:112"') < main.index("error-summary")
    # With an age, the answer has no note about it.
    aged = visitor.form("/check", {"red_flags": ["rash"], "age_months": "4"})
    assert aged.status_code == 200 and "age was not given" not in aged.text


def test_the_answer_without_the_age_in_spanish(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    answer = visitor.form("/check", {"red_flags": ["blue_or_grey"]}, headers=SPANISH)
    assert answer.status_code == 200
    main = _main(answer.text)
    assert "level-emergency" in main and "red-flag-blue-or-grey" in main
    assert "No se indicó la edad del bebé" in main
    understood = _understood(answer.text)
    assert "Lo que entendimos" in main and "Sin indicar" in understood
    assert "Se puso azulado o grisáceo" in understood or "azulado" in understood


def test_a_check_without_the_age_can_be_kept_for_a_new_child(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    earlier = (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    answer = visitor.form("/check", {"red_flags": ["rash"], "started_at": earlier})
    kept = visitor.form("/check/keep", {"case": _kept_case(answer.text)})
    assert kept.status_code == 303 and kept.headers["location"] == "/signup"
    signed = visitor.form(
        "/signup", {"email": "ann@example.org", "display_name": "Ann", "password": PASSWORD}
    )
    new_child = visitor.client.get(signed.headers["location"])
    assert "first episode" in new_child.text
    visitor.csrf = re.search(r'name="csrf_token" value="([^"]+)"', new_child.text).group(1)  # type: ignore[union-attr]
    # The child form asks the age the check did without.
    made = visitor.form("/children/new", {"name": "Robin", "age_months": "5"})
    child_id = int(made.headers["location"].rsplit("/", 1)[1])
    with app.state.db.reading() as s:
        (episode,) = repo.episodes_for(s, child_id)
    assert episode.data["red_flags"] == ["rash"]
    page = _main(visitor.client.get(f"/children/{child_id}").text)
    assert "level-emergency" in page and "age was not given" not in page
    # An untimed check without the age is given its time where it is kept.
    untimed = visitor.form("/check", {"red_flags": ["rash"], "started_at": ""})
    assert "You did not say when it started" in untimed.text
    timed = visitor.form(
        "/check/keep",
        {"case": _kept_case(untimed.text), "started_at": earlier, "child_id": str(child_id)},
    )
    assert timed.status_code == 303
    with app.state.db.reading() as s:
        assert len(repo.episodes_for(s, child_id)) == 2


def test_a_kept_check_without_age_or_warning_sign_is_refused(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    case = {"child": {}, "episodes": [{"movements": ["head_nod"]}]}
    response = visitor.form("/check/keep", {"case": json.dumps(case)})
    assert response.status_code == 422


def test_what_the_check_understood(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    sent: dict[str, Any] = {
        "age_months": "about 6",
        "movements": ["head_nod", "arms_up"],
        "state": "just_woke",
        "count": "about eight",
        "interval_seconds": "every 5 seconds",
    }
    answer = visitor.form("/check", sent)
    assert answer.status_code == 200, answer.text
    understood = _understood(answer.text)
    assert "What we understood" in _main(answer.text)
    assert "<dd>6</dd>" in understood and "<dd>8</dd>" in understood
    assert "<dd>5</dd>" in understood  # the seconds between them
    assert "Head drops" in understood or "head" in understood.lower()
    assert "No warning sign" in understood
    assert "Seconds between them" in understood and "Temperature" not in understood
    # The answer comes first, what was understood after it.
    main = _main(answer.text)
    assert main.index('id="triage"') < main.index('id="understood-h"')
    # In Spanish, with its decimal comma: "1,5" read as 1.5.
    spanish = visitor.form(
        "/check", {**sent, "count": "una docena", "movement_seconds": "1,5"}, headers=SPANISH
    )
    understood = _understood(spanish.text)
    assert "Lo que entendimos" in _main(spanish.text)
    assert "<dd>12</dd>" in understood and "<dd>1,5</dd>" in understood
    assert "Ningún signo de alarma" in understood


def test_api_triage_without_the_age(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path)).client
    alone = visitor.post(
        "/api/v1/triage", json={"child": {}, "episodes": [{"red_flags": ["neck_stiffness"]}]}
    )
    assert alone.status_code == 200, alone.text
    result = alone.json()
    assert result["level"] == "emergency" and "age was not given" in result["note"]
    assert [r["rule"] for r in result["reasons"]] == ["red-flag-neck-stiffness"]
    refused = visitor.post(
        "/api/v1/triage", json={"child": {}, "episodes": [{"movements": ["head_nod"]}]}
    )
    assert refused.status_code == 422
    (problem,) = refused.json()["detail"]
    assert "child.age_months" in problem and "warning sign" in problem


def _old_red_flag(days: int) -> dict[str, Any]:
    start = (datetime.now() - timedelta(days=days)).replace(hour=7, minute=5, second=0)
    return {"red_flags": ["blue_or_grey"], "started_at": start.strftime("%Y-%m-%dT%H:%M:%S")}


def test_a_diary_says_how_long_ago_its_warning_sign_was_logged(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person, age="6")
    old = _old_red_flag(21)
    log_episode(person, child, old)
    page = _main(person.client.get(f"/children/{child}").text)
    iso = old["started_at"][:10]
    # the pages write the day in their language; the report (in English) as ISO
    day = format_day(date.fromisoformat(iso), "en", SEEN_DAY_PATTERN)
    día = format_day(date.fromisoformat(iso), "es", SEEN_DAY_PATTERN)
    # Still an emergency, with how old the warning sign is.
    assert "level-emergency" in page
    assert f"Last seen 3 weeks ago, on {day}." in page
    spanish = _main(person.client.get(f"/children/{child}", headers=SPANISH).text)
    assert f"Visto por última vez hace 3 semanas, el {día}." in spanish
    # The API gives the day itself.
    result = person.api("GET", f"/api/v1/children/{child}/triage").json()
    (reason,) = [r for r in result["reasons"] if r["rule"] == "red-flag-blue-or-grey"]
    assert reason["last_episode_at"] == old["started_at"]
    # The report says its day (read days later, it says no "ago"); the clinician view at
    # a share link says it as the pages do.
    report = person.client.get(f"/children/{child}/report.html")
    assert report.status_code == 200
    assert f"Last seen on {day}." in " ".join(report.text.split())
    assert "3 weeks ago" not in report.text
    token, _link = share(person, child)
    clinician = anonymous(app).client.get(f"/s/{token}", headers=SPANISH)
    assert f"Visto por última vez hace 3 semanas, el {día}." in _main(clinician.text)
    # A newer one with the same sign: the newest is the one said.
    recent = _old_red_flag(1)
    log_episode(person, child, recent)
    page = _main(person.client.get(f"/children/{child}").text)
    yesterday = format_day(date.fromisoformat(recent["started_at"][:10]), "en", SEEN_DAY_PATTERN)
    assert f"Last seen yesterday, on {yesterday}." in page
    assert "3 weeks ago" not in page


def test_sleep_jerks_that_stop_on_waking_show_what_decided_the_answer(tmp_path: Path) -> None:
    """Ten quick jerks of a 5-month-old asleep that stopped when woken: harmless sleep
    twitches. What was understood shows the answers the level rests on (asleep, stopped
    when woken), and the advice never gives "in series" as a reason to act sooner, as the
    parent has just said ten in a row."""
    visitor = anonymous(new_app(tmp_path))
    sent: dict[str, Any] = {
        "age_months": "5",
        "movements": ["limb_jerk"],
        "state": "asleep",
        "count": "10",
        "movement_seconds": "0.5",
        "stops_when_woken": "yes",
        # the questions left as the form sets them are not answers
        "stops_when_held": "not_tried",
        "stops_with_distraction": "not_tried",
        "responsive": "unknown",
        "side": "unknown",
        "development": "unknown",
    }
    answer = visitor.form("/check", sent)
    assert answer.status_code == 200, answer.text
    main = _main(answer.text)
    assert "level-routine" in main and "lookalike-sleep-myoclonus" in main
    understood = _understood(answer.text)
    assert "<dt>What was the baby doing?</dt> <dd>asleep</dd>" in understood
    assert "<dt>Did it stop when you woke the baby?</dt> <dd>yes</dd>" in understood
    assert "<dd>10</dd>" in understood and "<dd>0.5</dd>" in understood
    for unanswered in (
        "held the limb",
        "distracted",
        "respond to you",
        "Which side",
        "Development",
    ):
        assert unanswered not in understood
    advice = main.split('<ul class="advice">')[1].split("</ul>")[0]
    assert "series" not in advice
    assert "also come when the baby is awake or just waking up" in advice
    assert "go on after the baby is woken up" in advice
    assert "still happening when the baby is 6 months old" in advice
    # In Spanish, the same answers and advice in the page's language.
    spanish = visitor.form("/check", sent, headers=SPANISH)
    understood = _understood(spanish.text)
    assert "<dd>dormido</dd>" in understood
    assert "<dt>¿Se detuvo al despertar al bebé?</dt> <dd>sí</dd>" in understood
    advice = _main(spanish.text).split('<ul class="advice">')[1].split("</ul>")[0]
    assert "series" not in advice and "Contact a doctor" not in advice
    assert "siguen después de despertar al bebé" in advice


def test_what_was_understood_shows_every_answer_given(tmp_path: Path) -> None:
    """Every answer that can decide the level is shown when given: the side, how the baby
    responded, what stopped it, afterwards, what brought it on, the development and the
    known conditions."""
    visitor = anonymous(new_app(tmp_path))
    answer = visitor.form(
        "/check",
        {
            "age_months": "9",
            "movements": ["rhythmic_jerking"],
            "state": "awake",
            "side": "left",
            "responsive": "no",
            "stops_when_held": "no",
            "stops_with_distraction": "no",
            "after": ["sleepy"],
            "triggers": ["excitement"],
            "development": "slower",
            "conditions": ["down_syndrome"],
        },
    )
    assert answer.status_code == 200, answer.text
    understood = _understood(answer.text)
    for label, word in (
        ("Which side?", "left side only"),
        ("Did the baby respond to you during it?", "no"),
        ("Did it stop when you held the limb?", "no"),
        ("Did it stop when you distracted the baby?", "no"),
        ("Afterwards the baby…", "sleepy"),
        ("Did something seem to bring it on?", "excitement"),
        ("Development", "slower (late milestones)"),
    ):
        assert f"<dt>{label}</dt> <dd>{word}</dd>" in understood, label
    assert "Known conditions" in understood and "Down syndrome" in understood
    assert "Did it stop when you woke the baby?" not in understood
