"""What anyone can use without an account: the landing page, the anonymous check and keeping
it, the guide, POST /api/v1/triage (no session, nothing stored, rate-limited, the same JSON
as ``spasmwatch triage --json``); warning signs first in the diary form; plain messages
naming each field as the page shows it; an empty diary that says nothing is logged yet."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from spasmwatch.cli import run
from spasmwatch.config import Settings
from spasmwatch.errors import SpasmwatchError
from spasmwatch.store import repo
from spasmwatch.store.models import Child, EpisodeRow, User
from spasmwatch.web.ratelimit import RateLimiter
from web.webworld import PASSWORD, SPASM_FORM, add_child, anonymous, new_app, sign_up

ROOT = Path(__file__).resolve().parents[2]
CHECK = {"age_months": "6", "movements": ["head_nod", "arms_up"], "state": "just_woke"}
CHECK_CLUSTER = {**CHECK, "count": "10", "movement_seconds": "1"}


def _counts(app: Any) -> tuple[int, int, int]:
    with app.state.db.transaction() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(model)) for model in (User, Child, EpisodeRow)
        )


def _main(html: str) -> str:
    return re.sub(r"\s+", " ", html.split('<main id="main">')[1])


def test_the_landing_page_needs_no_account(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = TestClient(app)
    response = visitor.get("/", follow_redirects=False)
    assert response.status_code == 200
    main = _main(response.text)
    assert "infantile spasms" in main
    assert 'href="tel:112"' in main and "112 is the emergency number across Europe" in main
    for link in ('href="/check"', 'href="/guide"', 'href="/signup"', 'href="/signin"'):
        assert link in main
    # The emergency instruction comes before everything else on the page.
    assert main.index("tel:112") < main.index("Check a movement now")
    person = sign_up(app, "ann@example.org")
    assert person.client.get("/", follow_redirects=False).headers["location"] == "/children"


def test_the_emergency_number_is_configurable(tmp_path: Path) -> None:
    app = new_app(tmp_path, emergency_number="999")
    visitor = anonymous(app)
    landing = visitor.client.get("/").text
    assert 'href="tel:999"' in landing and "tel:112" not in landing
    assert "set for this service" in landing
    answer = visitor.form("/check", {"age_months": "9", "red_flags": ["blue_or_grey"]})
    assert 'href="tel:999"' in answer.text
    env = Settings.from_env({"SPASMWATCH_EMERGENCY_NUMBER": " 911 "})
    assert env.emergency_number == "911"
    assert Settings.from_env({}).emergency_number == "112"
    with pytest.raises(SpasmwatchError, match="SPASMWATCH_EMERGENCY_NUMBER"):
        Settings.from_env({"SPASMWATCH_EMERGENCY_NUMBER": "call me"})


def test_the_check_answers_and_stores_nothing(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    before = _counts(app)
    form = visitor.client.get("/check").text
    assert 'name="age_months"' in form and 'value="seizure_5_minutes"' in form
    # Warning signs come before the movements.
    assert form.index('name="red_flags"') < form.index('name="movements"')
    response = visitor.form("/check", CHECK_CLUSTER)
    assert response.status_code == 200
    main = _main(response.text)
    assert "level-same_day" in main and "Possible infantile spasms" in main
    assert "spasm-series" in main  # the reasons, with their rule ids
    assert "Keep it: sign up" in main
    assert _counts(app) == before
    assert "spasmwatch_check" not in response.cookies


def test_a_warning_sign_alone_gives_the_emergency_answer(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    response = visitor.form("/check", {"age_months": "7", "red_flags": ["blue_or_grey"]})
    assert response.status_code == 200
    main = _main(response.text)
    assert main.index("level-emergency") < 200
    assert "Call emergency services now" in main and "red-flag-blue-or-grey" in main
    long = visitor.form("/check", {"age_months": "16", "red_flags": ["seizure_5_minutes"]})
    assert "level-emergency" in long.text and "red-flag-seizure-5-minutes" in long.text
    # Movements that look harmless never lower the 5-minute warning sign.
    harmless = {"age_months": "3", "movements": ["hiccups"], "state": "awake"}
    assert "level-emergency" not in _main(visitor.form("/check", harmless).text)
    long = visitor.form("/check", {**harmless, "red_flags": ["seizure_5_minutes"]})
    assert "level-emergency" in _main(long.text)
    # The box as links from happening-now mode (and earlier forms) send it.
    legacy = visitor.form("/check", {**harmless, "long_episode": "yes"})
    assert "red-flag-seizure-5-minutes" in _main(legacy.text)
    # With the age left out, a warning sign is still the emergency answer, the call first.
    no_age = visitor.form("/check", {"red_flags": ["breathing_difficulty"]})
    assert no_age.status_code == 200
    main = _main(no_age.text)
    assert main.index("level-emergency") < 200 and "error-summary" not in main
    assert main.index('href="tel:112"') < main.index("red-flag-breathing-difficulty")
    assert "The baby&#39;s age was not given" in main


def test_check_errors_name_the_field_and_keep_what_was_typed(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    future = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = visitor.form("/check", {"state": "awake", "count": "lots", "started_at": future})
    assert response.status_code == 422
    text = response.text
    assert 'id="age_months-error"' in text and "Baby's age in months" in text
    assert 'id="count-error"' in text and "How many in a row: please give a whole number" in text
    assert 'id="started_at-error"' in text and "is in the future" in text
    assert 'id="movements-error"' in text and "or tick a warning sign" in text
    assert 'value="lots"' in text and 'value="awake" checked' in text
    # the list above the form names the problems in the order of the page
    summary = text.split('id="age_months-error"')[0]
    order = [
        summary.index(f'href="#{f}"') for f in ("age_months", "movements", "count", "started_at")
    ]
    assert order == sorted(order), order


def test_the_check_reads_numbers_as_people_type_them(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    sent = {"age_months": "about 6", "movements": ["head_nod"], "count": "eight"}
    response = visitor.form("/check", {**sent, "interval_seconds": "5-10"})
    assert response.status_code == 200, response.text
    assert 'id="count-error"' not in response.text
    assert "level-" in _main(response.text)


def test_keeping_the_check_makes_it_the_first_episode(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    answer = visitor.form("/check", CHECK_CLUSTER)
    case = re.search(r'name="case" value="([^"]+)"', answer.text)
    assert case is not None
    kept = visitor.form("/check/keep", {"case": case.group(1).replace("&#34;", '"')})
    assert kept.status_code == 303 and kept.headers["location"] == "/signup"
    assert _counts(app) == (0, 0, 0)  # still nothing stored on the server
    signed = visitor.form(
        "/signup", {"email": "ann@example.org", "display_name": "Ann", "password": PASSWORD}
    )
    new_child = visitor.client.get(signed.headers["location"])
    assert "first episode" in new_child.text and 'value="6"' in new_child.text
    visitor.csrf = re.search(r'name="csrf_token" value="([^"]+)"', new_child.text).group(1)  # type: ignore[union-attr]
    made = visitor.form("/children/new", {"name": "Robin", "age_months": "6"})
    child_id = int(made.headers["location"].rsplit("/", 1)[1])
    with app.state.db.transaction() as s:
        (episode,) = repo.episodes_for(s, child_id)
        assert episode.data["movements"] == ["head_nod", "arms_up"]
        assert episode.data["count"] == 10
    page = visitor.client.get(f"/children/{child_id}").text
    assert "level-same_day" in page
    # The kept check is used once.
    again = visitor.form("/children/new", {"name": "Sam", "age_months": "3"})
    other = int(again.headers["location"].rsplit("/", 1)[1])
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, other) == []


def _kept_case(answer: str) -> str:
    case = re.search(r'name="case" value="([^"]+)"', answer)
    assert case is not None
    return case.group(1).replace("&#34;", '"')


def test_a_check_without_a_time_is_asked_for_one_when_kept(tmp_path: Path) -> None:
    """An episode without a time is left out of the chart, the counts per day and the
    onset: the page that keeps the check asks for the time, and keeps it with the check."""
    app = new_app(tmp_path)
    visitor = anonymous(app)
    answer = visitor.form("/check", {**CHECK_CLUSTER, "started_at": ""})
    assert answer.status_code == 200
    main = _main(answer.text)
    assert "You did not say when it started" in main
    assert 'id="started_at" name="started_at" type="datetime-local"' in main
    assert 'name="phone_now"' in main
    case = _kept_case(answer.text)
    # a time in the future (by the phone's clock) is refused there, the answer kept
    now = datetime.now().replace(second=0, microsecond=0)
    ahead = (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refused = visitor.form(
        "/check/keep", {"case": case, "started_at": ahead, "phone_now": now.isoformat()}
    )
    assert refused.status_code == 422
    main = _main(refused.text)
    assert 'id="started_at-error"' in main and "is in the future" in main
    assert f'value="{ahead}"' in main and "Keep it: sign up" in main
    assert "spasmwatch_check" not in refused.cookies
    # a phone an hour ahead of the server: its time is not in the future
    phone = (now + timedelta(hours=1, minutes=5)).isoformat()
    kept = visitor.form("/check/keep", {"case": case, "started_at": ahead, "phone_now": phone})
    assert kept.status_code == 303 and kept.headers["location"] == "/signup"
    signed = visitor.form(
        "/signup", {"email": "ann@example.org", "display_name": "Ann", "password": PASSWORD}
    )
    new_child = visitor.client.get(signed.headers["location"])
    visitor.csrf = re.search(r'name="csrf_token" value="([^"]+)"', new_child.text).group(1)  # type: ignore[union-attr]
    made = visitor.form("/children/new", {"name": "Robin", "age_months": "6"})
    child_id = int(made.headers["location"].rsplit("/", 1)[1])
    with app.state.db.reading() as s:
        (episode,) = repo.episodes_for(s, child_id)
    assert episode.data["started_at"] == f"{ahead}:00"
    page = _main(visitor.client.get(f"/children/{child_id}").text)
    assert "No time given" not in page


def test_a_check_kept_without_a_time_says_so_on_the_childs_page(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person, name="Robin")
    answer = person.form("/check", {**CHECK_CLUSTER, "started_at": ""})
    # one form: the time asked for goes with whichever way of keeping it is chosen
    assert re.search(rf'<button type="submit"[^>]*name="child_id" value="{child}"', answer.text)
    kept = person.form("/check/keep", {"case": _kept_case(answer.text), "child_id": str(child)})
    assert kept.status_code == 303
    with app.state.db.reading() as s:
        (episode,) = repo.episodes_for(s, child)
    assert "started_at" not in episode.data
    page = _main(person.client.get(f"/children/{child}").text)
    assert "No time given: this episode is left out of the chart" in page
    assert f'href="/children/{child}/episodes/{episode.id}/edit#started_at">Add the time' in page
    spanish = person.client.get(f"/children/{child}", headers={"Accept-Language": "es"}).text
    assert "Sin hora: este episodio queda fuera del gráfico" in spanish
    assert ">Añadir la hora</a>" in spanish
    # A check with its time asks for nothing more.
    earlier = (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    timed = person.form("/check", CHECK_CLUSTER | {"started_at": earlier})
    assert timed.status_code == 200 and "You did not say when it started" not in timed.text


def test_a_bad_kept_check_is_refused(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    response = visitor.form("/check/keep", {"case": '{"child": {}}'})
    assert response.status_code == 422


def test_the_guide_has_its_sections_and_sources(tmp_path: Path) -> None:
    visitor = TestClient(new_app(tmp_path))
    guide = visitor.get("/guide")
    assert guide.status_code == 200
    text = _main(guide.text)
    for words in (
        "What infantile spasms look like",
        "Harmless look-alikes",
        "Sleep twitches",
        "Benign myoclonus of early infancy",
        "Shuddering attacks",
        "Sandifer",
        "Jitteriness",
        "Simple",
        "Complex",
        "When to call an ambulance",
        "How to film a useful video",
        "EEG",
        "MRI",
        "Wood's lamp",
        "genetic tests",
        "lumbar puncture",
        "What causes infantile spasms",
        "Many twitching babies are well",
        "Sources",
        "Pediatrics 2011;127:389",
    ):
        assert words in text, words


def test_the_guides_hiccups_and_startle_cite_sources_about_them(tmp_path: Path) -> None:
    """The look-alikes the guide calls harmless cite a source that says so of them: the
    startle (Moro) reflex and hiccups, not the papers on sleep myoclonus ([7])."""
    html = TestClient(new_app(tmp_path)).get("/guide").text
    said = html.split("The startle (Moro) reflex, hiccups, self-soothing", 1)[1]
    said = said.split("</dd>", 1)[0]
    assert "<sup>[12]</sup>" in said and "[7" not in said
    listed = html.split('id="sources"', 1)[1].split("</ol>", 1)[0]
    sources = [re.sub(r"\s+", " ", s) for s in re.findall(r"<li>(.*?)</li>", listed, re.S)]
    assert "sleep myoclonus" in sources[6]  # [7]
    assert "Moro Reflex" in sources[11] and "Burping, Hiccups, and Spitting Up" in sources[11]


def test_api_triage_needs_no_account_and_matches_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = new_app(tmp_path)
    visitor = TestClient(app)  # no cookies, no token
    before = _counts(app)
    for path in sorted((ROOT / "examples").glob("*.json")):
        response = visitor.post("/api/v1/triage", json=json.loads(path.read_text()))
        assert response.status_code == 200, response.text
        assert run(["triage", str(path), "--json"]) == 0
        assert response.json() == json.loads(capsys.readouterr().out)
    assert _counts(app) == before


def test_api_triage_names_the_field_of_a_bad_case(tmp_path: Path) -> None:
    visitor = TestClient(new_app(tmp_path))
    bad = {"child": {"age_months": 300}, "episodes": [{"state": "sleeping"}]}
    response = visitor.post("/api/v1/triage", json=bad)
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert any("child.age_months" in p for p in problems)
    assert any("episodes[0].state" in p and "just_woke" in p for p in problems)
    alone = visitor.post(
        "/api/v1/triage", json={"child": {"age_months": 9}, "episodes": [{"red_flags": ["rash"]}]}
    )
    assert alone.status_code == 200 and alone.json()["level"] == "emergency"


def test_api_triage_and_the_check_are_rate_limited(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    now = [1000.0]
    app.state.public_limiter = RateLimiter(limit=3, window_s=60, clock=lambda: now[0])
    visitor = anonymous(app)
    body = {"child": {"age_months": 6}, "episodes": [{"movements": ["hiccups"]}]}
    for _ in range(2):
        assert visitor.client.post("/api/v1/triage", json=body).status_code == 200
    assert visitor.form("/check", CHECK).status_code == 200
    refused = visitor.client.post("/api/v1/triage", json=body)
    assert refused.status_code == 429
    assert "at most 3" in refused.json()["detail"][0]
    assert refused.headers["retry-after"] == "60"
    assert visitor.form("/check", CHECK).status_code == 429
    now[0] += 60
    assert visitor.client.post("/api/v1/triage", json=body).status_code == 200


def test_rate_limiter_window_and_retry() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=2, window_s=10, clock=lambda: now[0])
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    assert limiter.allow("b")
    assert limiter.retry_after_s("a") == 10
    now[0] = 9.5
    assert not limiter.allow("a") and limiter.retry_after_s("a") == 1
    now[0] = 10.0
    assert limiter.allow("a")
    with pytest.raises(ValueError):
        RateLimiter(limit=0)


def test_openapi_lists_the_public_triage(tmp_path: Path) -> None:
    spec = TestClient(new_app(tmp_path)).get("/api/v1/openapi.json").json()
    assert "post" in spec["paths"]["/api/v1/triage"]


def test_the_diary_form_puts_warning_signs_first(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    form = person.client.get(f"/children/{child}/episodes/new").text
    assert form.index('name="red_flags"') < form.index('name="movements"')
    assert 'value="seizure_5_minutes"' in form and 'src="/static/warning.js"' in form
    assert 'id="warning-now"' in form and "<script>" not in form
    saved = person.form(f"/children/{child}/episodes/new", {"red_flags": ["blue_or_grey"]})
    assert saved.status_code == 303
    main = _main(person.client.get(f"/children/{child}").text)
    assert main.index("level-emergency") < 300
    long = person.form(f"/children/{child}/episodes/new", {"long_episode": "yes"})
    assert long.status_code == 303
    with app.state.db.transaction() as s:
        episodes = [e.data for e in repo.episodes_for(s, child)]
    assert episodes[0]["red_flags"] == ["blue_or_grey"] and "movements" not in episodes[0]
    assert episodes[1]["red_flags"] == ["seizure_5_minutes"] and "movements" not in episodes[1]


def test_future_dates_are_refused_naming_the_field(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    form = {**SPASM_FORM, "started_at": "2031-01-01T08:00"}
    response = person.form(f"/children/{child}/episodes/new", form)
    assert response.status_code == 422
    assert 'id="started_at-error"' in response.text
    assert "When did it start: 01 Jan 2031 08:00 is in the future" in response.text
    bad = person.form(f"/children/{child}/episodes/new", {**SPASM_FORM, "fever_c": "51"})
    assert "Temperature (°C): must be at least 30 and at most 44; you gave 51" in bad.text
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, child) == []


def test_happening_now_offers_the_check_or_the_diary(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    page = visitor.client.get("/now").text
    assert 'src="/static/now.js"' in page and 'id="now-tap"' in page
    assert 'data-base="/check"' in page and "<script>" not in page
    assert 'href="tel:112"' in page
    person = sign_up(app, "ann@example.org")
    child = add_child(person, name="Robin")
    page = person.client.get("/now").text
    assert f'data-base="/children/{child}/episodes/new"' in page and "Log it for Robin" in page


def test_happening_now_from_a_childs_page_names_that_child(tmp_path: Path) -> None:
    """With two children, "It's happening now" on one child's page puts that child first
    and checks with its diary; the check's form comes with it chosen. Another family's
    child in the link changes nothing."""
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    robin = add_child(person, name="Robin")
    mia = add_child(person, name="Mia")
    assert f'href="/now?child={mia}"' in person.client.get(f"/children/{mia}").text
    page = person.client.get(f"/now?child={mia}").text
    found = re.findall(r'<a class="button ([a-z ]*)now-confirm" data-base="([^"]+)"', page)
    logs = [(kind.strip(), base) for kind, base in found]
    assert logs == [
        ("primary", f"/children/{mia}/episodes/new"),
        ("", f"/children/{robin}/episodes/new"),
        ("", f"/check?child_id={mia}"),
    ]
    assert "Check it now with Mia's diary (without saving)" in unescape(page)
    check = person.client.get(f"/check?child_id={mia}&count=3&from=now").text
    assert f'name="child_id" value="{mia}" checked' in check
    assert f'name="child_id" value="{robin}" checked' not in check
    # without a child, or with one that is not the visitor's, every child is offered alike
    for query in ("", "?child=999"):
        page = person.client.get(f"/now{query}").text
        assert len(re.findall(r'class="button primary\s+now-confirm"', page)) == 2
        assert 'data-base="/check"' in page
    other = sign_up(app, "bo@example.org")
    assert f'name="child_id" value="{mia}"' not in other.client.get(f"/check?child_id={mia}").text


def test_a_link_fills_the_forms_for_confirmation(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    query = "?count=4&interval_seconds=5.5&episode_minutes=6.0&long_episode=yes&state=bogus"
    check = anonymous(app).client.get("/check" + query).text
    assert 'id="count" name="count" inputmode="numeric" value="4"' in check
    assert 'name="red_flags" value="seizure_5_minutes" checked' in check
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    form = person.client.get(f"/children/{child}/episodes/new{query}&movements=head_nod").text
    assert 'value="5.5"' in form and 'value="head_nod" checked' in form
    # Nothing is saved until the parent sends the form.
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, child) == []


WORDS = (
    "her head drops and her arms fly up, about 8 times in a row just after she wakes, "
    "no fever and she didn't turn blue"
)


def test_in_your_own_words_fills_the_check_for_confirmation(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    response = visitor.form("/check/words", {"words": WORDS})
    assert response.status_code == 200
    text = response.text
    # The form comes back filled in, with the words behind each answer; no answer yet.
    assert 'value="head_nod" checked' in text and 'value="arms_up" checked' in text
    assert 'value="just_woke" checked' in text and 'value="8"' in text
    assert 'value="blue_or_grey" checked' not in text
    assert "We filled in what we understood" in text and "“arms fly”" in text
    assert 'id="triage"' not in text
    assert WORDS.split(",")[0] in text  # the words stay in their box
    empty = visitor.form("/check/words", {"words": "  "})
    assert empty.status_code == 422 and 'id="words-error"' in empty.text
    assert _counts(app) == (0, 0, 0)
    # the baby's age fills the check's age field, with the words it came from
    aged = visitor.form("/check/words", {"words": "my 4 month old, " + WORDS})
    assert 'id="age_months" name="age_months"' in aged.text
    assert re.search(r'id="age_months"[^>]*value="4"', aged.text)
    assert "Baby&#39;s age in months ← “4 month old”" in aged.text


ESPANOL = (
    "mi bebé de 5 meses dobla el cuerpo hacia delante con los brazos arriba, unas 8 veces "
    "seguidas al despertar, sin fiebre y no se puso morado"
)


def test_in_your_own_words_reads_spanish_on_a_spanish_page(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    visitor.client.cookies.set("sw_lang", "es")
    text = visitor.form("/check/words", {"words": ESPANOL}).text
    # The Spanish words fill the form in, as the English ones do on an English page.
    assert 'value="trunk_crunch" checked' in text and 'value="arms_up" checked' in text
    assert 'value="just_woke" checked' in text
    assert re.search(r'id="count"[^>]*value="8"', text)
    assert re.search(r'id="age_months"[^>]*value="5"', text)
    assert 'value="blue_or_grey" checked' not in text  # "no se puso morado"
    assert "Edad del bebé en meses ← “de 5 meses”" in text and "“brazos arriba”" in text
    assert 'id="triage"' not in text
    # a number is written as the page writes it, which its form reads back
    fever = visitor.form("/check/words", {"words": "tiembla, fiebre de treinta y ocho y medio"})
    assert re.search(r'id="fever_c"[^>]*value="38,5"', fever.text)
    # the reader's problems are said in the page's language
    empty = visitor.form("/check/words", {"words": "  "})
    assert empty.status_code == 422
    assert "Con sus propias palabras: describa lo que vio" in empty.text
    # the same words on an English page are read as English: nothing is understood
    visitor.client.cookies.set("sw_lang", "en")
    english = visitor.form("/check/words", {"words": ESPANOL}).text
    assert 'value="trunk_crunch" checked' not in english
    assert _counts(app) == (0, 0, 0)


def test_in_your_own_words_fills_the_diary_form_and_saves_nothing(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    response = person.form(f"/children/{child}/episodes/words", {"words": WORDS})
    assert response.status_code == 200
    assert 'value="head_nod" checked' in response.text
    assert WORDS.split(",")[0] in response.text  # kept in the notes too
    # in Spanish on a Spanish page; the diary knows the age, the form does not ask it
    person.client.cookies.set("sw_lang", "es")
    spanish = person.form(f"/children/{child}/episodes/words", {"words": ESPANOL}).text
    assert 'value="trunk_crunch" checked' in spanish and 'value="just_woke" checked' in spanish
    assert "de 5 meses" not in spanish.split('id="words-found"')[1].split("</div>")[0]
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, child) == []


def test_api_episode_draft(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = TestClient(app)
    response = visitor.post("/api/v1/episode-draft", json={"text": WORDS})
    assert response.status_code == 200
    body = response.json()
    assert set(body["episode"]["movements"]) == {"head_nod", "arms_up"}
    assert body["episode"]["count"] == 8 and "red_flags" not in body["episode"]
    assert "arms fly" in body["evidence"]["movements"]
    # The draft is in the case format: with the child, it triages as it is.
    case = {"child": {"age_months": 6}, "episodes": [body["episode"]]}
    assert visitor.post("/api/v1/triage", json=case).json()["level"] == "same_day"
    assert body["child"] == {}
    bad = visitor.post("/api/v1/episode-draft", json={"text": 5, "extra": 1, "lang": "fr"})
    assert bad.status_code == 422
    assert any("'extra'" in p for p in bad.json()["detail"])
    assert any("'text'" in p for p in bad.json()["detail"])
    assert any("'lang'" in p and "en, es" in p for p in bad.json()["detail"])
    # Spanish with "lang": the same draft, and the baby's age
    spanish = visitor.post("/api/v1/episode-draft", json={"text": ESPANOL, "lang": "es"}).json()
    assert set(spanish["episode"]["movements"]) == {"trunk_crunch", "arms_up"}
    assert spanish["episode"]["count"] == 8 and "red_flags" not in spanish["episode"]
    assert spanish["child"] == {"age_months": 5.0}
    case = {"child": spanish["child"], "episodes": [spanish["episode"]]}
    assert visitor.post("/api/v1/triage", json=case).status_code == 200
    long = visitor.post("/api/v1/episode-draft", json={"text": "x" * 5001})
    assert long.status_code == 422 and "5000" in long.json()["detail"][0]
    assert _counts(app) == (0, 0, 0)


def test_an_empty_diary_says_nothing_is_logged_yet(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    main = _main(person.client.get(f"/children/{child}").text)
    assert "Nothing logged yet" in main
    assert "level-routine" not in main and "worrying" not in main
    assert 'class="log-bar"' in main


def test_an_episode_without_movements_shows_everywhere(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    person.form(f"/children/{child}/episodes/new", {"red_flags": ["blue_or_grey"]})
    page = person.client.get(f"/children/{child}")
    assert page.status_code == 200 and "no movement named" in page.text
    for path in (
        f"/children/{child}/report.html",
        f"/api/v1/children/{child}/fhir",
        f"/api/v1/children/{child}/episodes.csv",
    ):
        response = person.client.get(path)
        assert response.status_code == 200, path


def test_a_signed_in_parent_keeps_the_check_in_a_childs_diary(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person, name="Robin")
    answer = person.form("/check", CHECK_CLUSTER)
    assert (
        "Keep it in Robin&#39;s diary" in answer.text or "Keep it in Robin's diary" in answer.text
    )
    case = re.search(r'name="case" value="([^"]+)"', answer.text).group(1).replace("&#34;", '"')  # type: ignore[union-attr]
    kept = person.form("/check/keep", {"case": case, "child_id": str(child)})
    assert kept.status_code == 303 and kept.headers["location"].startswith(f"/children/{child}")
    with app.state.db.transaction() as s:
        (episode,) = repo.episodes_for(s, child)
        assert episode.data["count"] == 10
    stranger = sign_up(app, "bob@example.org")
    refused = stranger.form("/check/keep", {"case": case, "child_id": str(child)})
    assert refused.status_code == 404
    with app.state.db.transaction() as s:
        assert len(repo.episodes_for(s, child)) == 1


def test_a_fever_named_without_a_temperature_is_said_back(tmp_path: Path) -> None:
    """ "No fever" fills no field, and a fever without a temperature cannot fill one: both
    are said back with their words, and the temperature is asked for where a fever was
    named (its section opened), in the page's language."""
    app = new_app(tmp_path)
    visitor = anonymous(app)
    denied = visitor.form("/check/words", {"words": WORDS}).text
    assert 'No fever ← “no fever” <span class="muted">(the temperature is left empty)' in (denied)
    assert "your words give no temperature" not in denied
    named = visitor.form("/check/words", {"words": "she has a fever and her head drops"}).text
    assert "Fever ← “she has a fever”:" in named and "your words give no temperature" in named
    assert re.search(r"<details open>\s*<summary>More details", named)
    assert "<details open>" not in denied.split('id="words-found"')[1].split("</form>")[0]
    visitor.client.cookies.set("sw_lang", "es")
    es = visitor.form("/check/words", {"words": "no tiene fiebre, cabecea al despertar"}).text
    assert "Sin fiebre ← “no tiene fiebre”" in es and "la temperatura queda vacía" in es
    es = visitor.form("/check/words", {"words": "tiene calentura y cabecea"}).text
    assert "Fiebre ← “tiene calentura”:" in es and "sus palabras no dan la temperatura" in es
    assert _counts(app) == (0, 0, 0)
