"""An emergency answer whose warning sign is past: a warning sign last seen more than 24 h
ago stays an emergency, with the call, but the pages say when it was seen instead of
"call emergency services now" (the child page, the list of children, the clinician view,
the report); one within 24 h, or one without a time, keeps the call now. The pages write
its day in their language ("12 Nov 2026", "12 nov 2026"; the report, read days later, the
day alone, with no "5 weeks ago"). And the emergency instruction said once, with the
configured number."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

from spasmwatch.i18n import SEEN_DAY_PATTERN, format_day
from web.webworld import add_child, anonymous, log_episode, new_app, share, sign_up

SPANISH = {"Accept-Language": "es"}
CALL_NOW = "Call emergency services now"
PAST = "A warning sign was last seen"
PAST_ES = "Se vio un signo de alarma por última vez"
SINCE = (
    "If a doctor has not seen your baby since then, get emergency help now. If it happens "
    "again, call 112 at once."
)
SINCE_ES = (
    "Si ningún médico ha visto a su bebé desde entonces, busque ayuda urgente ahora. Si "
    "vuelve a ocurrir, llame al 112 de inmediato."
)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _main(html: str) -> str:
    return re.sub(r"\s+", " ", html.split('<main id="main">')[1])


def _triage(html: str) -> str:
    """The triage answer's section of a page, as its words."""
    section = html.split('<section id="triage"')[1].split(">", 1)[1]
    return _text(section.split("</section>")[0])


def _warning_sign(hours_ago: float, flag: str = "blue_or_grey") -> dict[str, Any]:
    start = datetime.now().replace(microsecond=0) - timedelta(hours=hours_ago)
    return {"red_flags": [flag], "movements": ["limb_jerk"], "started_at": start.isoformat()}


def _day(started_at: str, locale: str = "en") -> str:
    """The day of ``started_at`` as a page in ``locale`` writes it."""
    return format_day(date.fromisoformat(started_at[:10]), locale, SEEN_DAY_PATTERN)


def _badges(listing: str) -> dict[str, str]:
    """Each child's badge in the list of children, by name."""
    rows = re.findall(
        r'<span class="name">([^<]+)</span>\s*<span class="badge level-emergency">([^<]+)</span>',
        listing,
    )
    return {name: " ".join(words.split()) for name, words in rows}


def test_a_warning_sign_on_either_side_of_24_hours(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    recent = add_child(parent, "Recent")
    older = add_child(parent, "Older")
    log_episode(parent, recent, _warning_sign(23))
    log_episode(parent, older, _warning_sign(25))
    # 23 h ago: the call now, first on the page, as before
    now_page = parent.client.get(f"/children/{recent}").text
    said = _triage(now_page)
    assert said.startswith(CALL_NOW) and PAST not in said
    assert 'class="button call" href="tel:112"' in now_page
    # 25 h ago: still an emergency with the call button, said as a past warning sign
    past_page = parent.client.get(f"/children/{older}").text
    main = _main(past_page)
    # whose answer it is, then the answer
    assert main.lstrip().startswith('<h1 id="child-name">Older</h1>')
    assert (
        main.split("</h1>", 1)[1]
        .lstrip()
        .startswith('<section id="triage" class="triage level-emergency"')
    )
    said = _triage(past_page)
    assert said.startswith(PAST) and SINCE in said and "Call 112" in said
    assert CALL_NOW not in said
    assert 'class="button call" href="tel:112"' in past_page
    # the list of children: the badge of each, both with the call (and the list's own
    # emergency box, as on the landing page)
    listing = _main(parent.client.get("/children").text)
    badges = _badges(listing)
    assert badges["Recent"] == "Emergency"
    assert badges["Older"].startswith("Emergency: warning sign ")
    rows = listing.split('<ul class="list">', 1)[1]
    assert rows.count('class="button call" href="tel:112"') == 2


def test_a_warning_sign_weeks_ago_in_each_language(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    old = _warning_sign(24 * 35)
    day, día = _day(old["started_at"]), _day(old["started_at"], "es")
    assert day != old["started_at"][:10] and día != day  # not ISO, in each language
    log_episode(parent, child, old)
    english = _triage(parent.client.get(f"/children/{child}").text)
    assert english.startswith(f"{PAST} 5 weeks ago, on {day}. {SINCE}")
    assert f"Last seen 5 weeks ago, on {day}." in english  # the reason says it too
    assert old["started_at"][:10] not in english
    assert "for example 911, 999 or 112" not in english
    spanish = _triage(parent.client.get(f"/children/{child}", headers=SPANISH).text)
    assert spanish.startswith(f"{PAST_ES} hace 5 semanas, el {día}. {SINCE_ES}")
    assert f"Visto por última vez hace 5 semanas, el {día}." in spanish
    assert "Llame ahora a los servicios de emergencia" not in spanish
    assert "Llamar al 112" in spanish
    # the list's badge, in each language
    listing = parent.client.get("/children").text
    assert _badges(listing) == {"Mia": "Emergency: warning sign 5 weeks ago"}
    listing = parent.client.get("/children", headers=SPANISH).text
    assert _badges(listing) == {"Mia": "Emergencia: signo de alarma hace 5 semanas"}
    # the level itself stays: the API's answer is an emergency
    result = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    assert result["level"] == "emergency"
    # a new warning sign today: the call now again
    log_episode(parent, child, _warning_sign(0.5, "breathing_difficulty"))
    said = _triage(parent.client.get(f"/children/{child}").text)
    assert said.startswith(CALL_NOW) and PAST not in said
    assert _badges(parent.client.get("/children").text) == {"Mia": "Emergency"}


def test_a_warning_sign_without_a_time_keeps_the_call_now(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    log_episode(parent, child, _warning_sign(24 * 35, "rash"))
    untimed = _warning_sign(0, "rash")
    del untimed["started_at"]
    log_episode(parent, child, untimed)
    # the one without a time may be today's: not said as past
    said = _triage(parent.client.get(f"/children/{child}").text)
    assert said.startswith(CALL_NOW) and PAST not in said
    assert _badges(parent.client.get("/children").text) == {"Mia": "Emergency"}


def test_the_doctor_and_the_report_read_what_the_family_was_told(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    old = _warning_sign(24 * 35)
    day, día = _day(old["started_at"]), _day(old["started_at"], "es")
    log_episode(parent, child, old)
    token, _link = share(parent, child)
    doctor = anonymous(app).client
    reasoning = _text(
        doctor.get(f"/s/{token}").text.split('id="reasoning-h"')[1].split("</section>")[0]
    )
    assert f"Emergency {PAST} 5 weeks ago, on {day}. The family is told" in reasoning
    assert "Emergency: call emergency services" not in reasoning
    assert f"Last seen 5 weeks ago, on {day}." in reasoning
    spanish = _text(
        doctor.get(f"/s/{token}", headers=SPANISH)
        .text.split('id="reasoning-h"')[1]
        .split("</section>")[0]
    )
    assert f"{PAST_ES} hace 5 semanas, el {día}. A la familia se le indica" in spanish
    # the report, read days later, says the day alone
    report = _text(parent.client.get(f"/children/{child}/report.html").text)
    assert f"Emergency {PAST} on {day}. The family is told" in report
    assert "5 weeks ago" not in report
    assert "Emergency: call emergency services" not in report
    assert "for example 911, 999 or 112" not in report  # in what the family was advised
    # within 24 h: the call now, the level said once
    log_episode(parent, child, _warning_sign(1, "vomiting"))
    report = _text(parent.client.get(f"/children/{child}/report.html").text)
    assert "Emergency Call emergency services or go to the emergency department now." in report
    assert "Emergency: call" not in report
    assert PAST not in report


def test_the_emergency_is_said_once_with_the_configured_number(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path, emergency_number="911"))
    answer = visitor.form("/check", {"age_months": "7", "red_flags": ["blue_or_grey"]})
    assert answer.status_code == 200
    said = _triage(answer.text)
    assert said.startswith(CALL_NOW)
    assert said.lower().count("emergency services") == 1
    assert said.lower().count("emergency department") == 1
    assert "Call 911" in said and "112" not in said and "999" not in said
    assert 'href="tel:911"' in answer.text
    spanish = visitor.client.post(
        "/check",
        data={"age_months": "7", "red_flags": "blue_or_grey", "csrf_token": visitor.csrf},
        headers=SPANISH,
    )
    said = _triage(spanish.text)
    assert said.count("servicios de emergencia") == 1 and "112" not in said
    # the check's answer for a warning sign seen days ago says so too
    old = (datetime.now() - timedelta(days=3)).replace(microsecond=0, second=0)
    answer = visitor.form(
        "/check",
        {
            "age_months": "7",
            "red_flags": ["blue_or_grey"],
            "started_at": old.isoformat(timespec="minutes"),
        },
    )
    said = _triage(answer.text)
    assert said.startswith(f"{PAST} 3 days ago, on {_day(old.isoformat())}.")
    assert "call 911 at once" in said and CALL_NOW not in said
