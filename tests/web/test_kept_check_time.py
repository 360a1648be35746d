"""The time of a kept check, confirmed before it is stored, and the notice after an episode
is saved from its form.

A mother described a pattern of several days in her own words on the quick check; its form
started from the time she filled it in, and keeping the check at sign-up stored an episode
at that time, which her doctor read as a cluster at a time when nothing happened. The page
that keeps a check now asks when the episode happened, filled in with the check's time to
confirm or change, or "I do not know", which keeps it without a time (left out of the
chart and the counts, as the child's page says). A time that does not fit the child (before
the date of birth given at sign-up) is said next to it, with nothing stored and nothing
typed lost.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from spasmwatch.i18n import translations
from spasmwatch.store import repo
from spasmwatch.store.models import Child
from spasmwatch.web.pending import PENDING_COOKIE
from web.webworld import PASSWORD, SPASM_FORM, add_child, anonymous, csrf_of, new_app, sign_up

CHECK = {
    "age_months": "6",
    "movements": ["head_nod"],
    "state": "just_woke",
    "count": "6",
    "movement_seconds": "1",
}
SPANISH = {"Accept-Language": "es"}


def _minute(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M")


def _main(html: str) -> str:
    """The page's main part, its spaces and character references as a reader sees them."""
    return unescape(re.sub(r"\s+", " ", html.split('<main id="main">')[1]))


def _kept_case(answer: str) -> str:
    found = re.search(r'name="case" value="([^"]+)"', answer)
    assert found is not None
    return unescape(found.group(1))


def _keep_form(answer: str) -> str:
    return answer.split('<form method="post" action="/check/keep"')[1].split("</form>")[0]


def _answered(visitor: Any, started: str, headers: dict[str, str] | None = None) -> str:
    response = visitor.form("/check", {**CHECK, "started_at": started}, headers=headers)
    assert response.status_code == 200, response.text
    return response.text


def _signed_up_with_a_child(
    visitor: Any, fields: dict[str, str], email: str = "ana@example.org"
) -> tuple[Any, str]:
    """Sign up (after keeping a check) and send the child form with ``fields``; returns the
    child form's answer and the page the form was on."""
    signed = visitor.form("/signup", {"email": email, "display_name": "Ana", "password": PASSWORD})
    assert signed.headers["location"] == "/children/new"
    form_page = visitor.client.get("/children/new").text
    visitor.csrf = csrf_of(form_page)
    return visitor.form("/children/new", fields), form_page


def _episodes(app: Any, child_id: int) -> list[Any]:
    with app.state.db.reading() as s:
        return list(repo.episodes_for(s, child_id))


def test_the_keep_form_asks_when_the_episode_happened_with_the_checks_time(
    tmp_path: Path,
) -> None:
    visitor = anonymous(new_app(tmp_path))
    started = _minute(datetime.now() - timedelta(minutes=3))
    form = _keep_form(_answered(visitor, started))
    assert '<label for="started_at">When did this episode happen?</label>' in form
    assert f'id="started_at" name="started_at" type="datetime-local" value="{started}"' in form
    assert "This is the time given in the check. The diary keeps the episode at this time" in form
    assert 'name="start_unknown" value="yes" data-sets-aside="started_at"' in form
    assert "I do not know when it happened: keep it without a time" in form
    # before the way to keep it: whichever button is pressed sends it
    assert form.index('id="started_at"') < form.index('type="submit"')
    spanish = _keep_form(_answered(visitor, started, SPANISH))
    said = translations("es").gettext
    assert said("When did this episode happen?") in spanish
    assert said("I do not know when it happened: keep it without a time") in spanish


def test_a_time_changed_where_it_is_kept_is_the_episodes(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    answer = _answered(visitor, _minute(datetime.now()))
    happened = datetime.now().replace(second=0, microsecond=0) - timedelta(days=2, hours=3)
    kept = visitor.form(
        "/check/keep", {"case": _kept_case(answer), "started_at": _minute(happened)}
    )
    assert kept.status_code == 303 and kept.headers["location"] == "/signup"
    made, form_page = _signed_up_with_a_child(visitor, {"name": "Lucía", "age_months": "6"})
    # the child form says which time the check is kept at
    notice = _main(form_page).split('id="kept-for-child"')[1].split("</p>")[0]
    assert "Your check will be saved as this child's first episode, at the time you gave:" in (
        notice
    )
    assert happened.strftime("%H:%M") in notice
    child_id = int(made.headers["location"].rsplit("/", 1)[1])
    (episode,) = _episodes(app, child_id)
    assert episode.data["started_at"] == happened.isoformat()
    assert episode.data["movements"] == ["head_nod"] and episode.data["count"] == 6


@pytest.mark.parametrize("how", ["box", "emptied"])
def test_not_knowing_when_keeps_it_without_a_time(tmp_path: Path, how: str) -> None:
    """Ticked "I do not know" (the time field then set aside) or the field emptied: the
    episode has no time, never the time the check was filled in."""
    app = new_app(tmp_path)
    visitor = anonymous(app)
    answer = _answered(visitor, _minute(datetime.now()))
    sent = {"start_unknown": "yes"} if how == "box" else {"started_at": ""}
    kept = visitor.form("/check/keep", {"case": _kept_case(answer), **sent})
    assert kept.status_code == 303
    made, form_page = _signed_up_with_a_child(visitor, {"name": "Lucía", "age_months": "6"})
    assert "first episode, without a time: you can add it on the child's page." in _main(form_page)
    child_id = int(made.headers["location"].rsplit("/", 1)[1])
    (episode,) = _episodes(app, child_id)
    assert "started_at" not in episode.data and "utc_offset_minutes" not in episode.data
    assert episode.data["movements"] == ["head_nod"]
    page = _main(visitor.client.get(f"/children/{child_id}").text)
    assert "No time given: this episode is left out of the chart" in page


def test_a_keep_without_the_field_keeps_the_checks_time(tmp_path: Path) -> None:
    """A form that does not ask (a page of an earlier version): the check as answered."""
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person, "Robin")
    started = _minute(datetime.now() - timedelta(hours=1))
    answer = _answered(person, started)
    kept = person.form("/check/keep", {"case": _kept_case(answer), "child_id": str(child)})
    assert kept.status_code == 303
    (episode,) = _episodes(app, child)
    assert episode.data["started_at"] == f"{started}:00"


def test_a_time_before_the_date_of_birth_is_said_and_nothing_is_lost(tmp_path: Path) -> None:
    """Kept at sign-up, the check's time comes before the date of birth then given: the
    child form says so, stores nothing (not the child either), keeps what was typed and
    the check, and asks the time again; corrected there, both are stored."""
    app = new_app(tmp_path)
    visitor = anonymous(app)
    answer = _answered(visitor, _minute(datetime.now()))
    happened = datetime.now().replace(second=0, microsecond=0) - timedelta(days=10)
    kept = visitor.form(
        "/check/keep", {"case": _kept_case(answer), "started_at": _minute(happened)}
    )
    assert kept.status_code == 303
    born = (datetime.now() - timedelta(days=5)).date().isoformat()
    fields = {"name": "Lucía", "birth_date": born, "conditions": "reflux"}
    refused, _ = _signed_up_with_a_child(visitor, fields)
    assert refused.status_code == 422
    main = _main(refused.text)
    assert "The episode you checked is dated before this date of birth" in main
    assert 'id="started_at-error"' in main and "this is before the date of birth" in main
    assert "When did this episode happen?</label>" in main
    # what was typed, and the check's time to correct
    assert 'value="Lucía"' in main and f'value="{born}"' in main
    assert 'value="reflux" checked' in main
    assert f'name="started_at" type="datetime-local" value="{_minute(happened)}"' in main
    with app.state.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Child)) == 0
    assert visitor.client.cookies.get(PENDING_COOKIE)  # the check still waits
    # corrected: the time of the episode after the birth
    later = datetime.now().replace(second=0, microsecond=0) - timedelta(days=1)
    # another problem on the way (no name): the time given stays, and stays asked
    again = visitor.form("/children/new", {**fields, "name": "", "started_at": _minute(later)})
    assert again.status_code == 422
    assert f'name="started_at" type="datetime-local" value="{_minute(later)}"' in _main(again.text)
    made = visitor.form("/children/new", {**fields, "started_at": _minute(later)})
    assert made.status_code == 303, made.text
    child_id = int(made.headers["location"].rsplit("/", 1)[1])
    (episode,) = _episodes(app, child_id)
    assert episode.data["started_at"] == later.isoformat()


def test_a_time_before_the_date_of_birth_in_a_childs_diary_is_said_there(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    born = (datetime.now() - timedelta(days=5)).date().isoformat()
    made = person.form("/children/new", {"name": "Robin", "birth_date": born})
    child = int(made.headers["location"].rsplit("/", 1)[1])
    answer = _answered(person, _minute(datetime.now()))
    before = _minute(datetime.now() - timedelta(days=10))
    refused = person.form(
        "/check/keep", {"case": _kept_case(answer), "child_id": str(child), "started_at": before}
    )
    assert refused.status_code == 422
    form = _keep_form(refused.text)
    assert 'id="started_at-error"' in form and "this is before the date of birth" in form
    assert f'value="{before}"' in form
    assert _episodes(app, child) == []


def test_words_that_say_no_time_say_that_the_time_is_now(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    words = "desde hace unos días, cuando se despierta, deja caer la cabeza varias veces"
    page = visitor.form("/check/words", {"words": words}, headers=SPANISH).text
    line = page.split('id="words-no-time"')[1].split("</p>")[0]
    said = translations("es").gettext(
        "Your words do not say when it happened: the time in the form is the time now. "
        "Change it, or empty it if you do not know."
    )
    assert said in unescape(line)


# ---------------------------------------------------------------- after a save
def test_the_childs_page_says_once_that_the_episode_was_saved(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person, "Lucía")
    saved = person.form(f"/children/{child}/episodes/new", SPASM_FORM)
    assert saved.headers["location"] == f"/children/{child}#child-name"
    page = _main(person.client.get(f"/children/{child}", headers=SPANISH).text)
    notice = page.split("</h1>", 1)[1].split("</p>", 1)[0]
    assert 'id="episode-saved" role="status" data-said-once' in notice
    said = translations("es").gettext("Episode saved in %(name)s's diary.") % {"name": "Lucía"}
    assert unescape(notice).endswith(said)
    # said once
    assert 'id="episode-saved"' not in person.client.get(f"/children/{child}").text
    # an edit says that its changes are saved
    (episode,) = _episodes(app, child)
    edited = person.form(f"/children/{child}/episodes/{episode.id}/edit", SPASM_FORM)
    assert edited.status_code == 303
    page = person.client.get(f"/children/{child}").text
    assert "Changes to the episode saved." in page and "Episode saved in" not in page
    # a form refused says nothing saved
    person.form(f"/children/{child}/episodes/new", {**SPASM_FORM, "count": "lots"})
    assert 'id="episode-saved"' not in person.client.get(f"/children/{child}").text
