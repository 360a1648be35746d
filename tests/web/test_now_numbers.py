"""What a link from happening-now mode fills into the check's form and the diary's form:
its numbers as the page writes them ("4", not "4.0"; "0,4" in Spanish), and the length
the timer measured (``episode_seconds``) in the unit it was measured in ("26 s", which the
minutes field reads; whole minutes as minutes), never rounded to "0.4" minutes. What is
shown goes back through the form without an error in either language."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.store import repo
from spasmwatch.web.forms import prefill
from spasmwatch.web.i18n import using
from web.webworld import add_child, anonymous, new_app, sign_up


class _Query(dict):  # type: ignore[type-arg]
    """A link's query as the forms read it (``get`` and ``getlist``)."""

    def getlist(self, key: str) -> list[Any]:
        value = self.get(key)
        return [] if value is None else [value]


def _value(html: str, field: str) -> str:
    found = re.search(rf'<input id="{field}" name="{field}"[^>]*value="([^"]*)"', html)
    assert found is not None, f"no field {field}"
    return unescape(found.group(1))


def _minute(ago: timedelta) -> str:
    return (datetime.now() - ago).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("query", "lang", "shown"),
    [
        # the link's numbers as the page writes them
        ({"interval_seconds": "4.0", "count": "3"}, "es", {"interval_seconds": "4", "count": "3"}),
        ({"interval_seconds": "4.5"}, "es", {"interval_seconds": "4,5"}),
        ({"interval_seconds": "4.5"}, "en", {"interval_seconds": "4.5"}),
        ({"episode_minutes": "0.4"}, "es", {"episode_minutes": "0,4"}),
        ({"episode_minutes": "6.0"}, "en", {"episode_minutes": "6"}),
        # the measured length as measured: seconds, or whole minutes
        ({"episode_seconds": "26"}, "es", {"episode_minutes": "26 s"}),
        ({"episode_seconds": "26"}, "en", {"episode_minutes": "26 s"}),
        ({"episode_seconds": "300"}, "es", {"episode_minutes": "5"}),
        ({"episode_seconds": "299"}, "en", {"episode_minutes": "299 s"}),
        # no thousands separator, which the field would read as a decimal sign
        ({"episode_seconds": "12001"}, "es", {"episode_minutes": "12001 s"}),
        ({"episode_seconds": "12000"}, "es", {"episode_minutes": "200"}),
        ({"interval_seconds": "12000.5"}, "es", {"interval_seconds": "12000,5"}),
        # never a length of 0; the measured length wins over a rounded one
        ({"episode_seconds": "0.3"}, "en", {"episode_minutes": "1 s"}),
        ({"episode_seconds": "26", "episode_minutes": "0.4"}, "es", {"episode_minutes": "26 s"}),
        # what is no number is left as it came, for the form to say so; a bad length is
        # left out
        ({"interval_seconds": "soon"}, "es", {"interval_seconds": "soon"}),
        ({"episode_seconds": "nan"}, "en", {}),
        ({"episode_seconds": "-5"}, "en", {}),
    ],
)
def test_prefill_writes_numbers_as_the_page_does(
    query: dict[str, str], lang: str, shown: dict[str, str]
) -> None:
    with using(lang):
        values = prefill(_Query(query))
    numbers = {k: v for k, v in values.items() if k != "from_now"}
    assert numbers == shown


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_check_shows_the_timers_numbers_and_takes_them_back(tmp_path: Path, lang: str) -> None:
    visitor = anonymous(new_app(tmp_path))
    visitor.client.cookies.set("sw_lang", lang)
    start = _minute(timedelta(minutes=2))
    link = (
        f"/check?started_at={start}&episode_seconds=26&count=3&interval_seconds=4.5"
        "&movements=rhythmic_jerking&from=now"
    )
    form = visitor.client.get(link).text
    decimal = "4,5" if lang == "es" else "4.5"
    assert _value(form, "count") == "3"
    assert _value(form, "interval_seconds") == decimal
    assert _value(form, "episode_minutes") == "26 s"
    # "More details", where the length is, is open: the parent sees what is sent
    more = form.split('id="episode_minutes"')[0].rsplit("<details", 1)[1]
    assert more.lstrip().startswith("open")
    # sent back as shown: no error, and the answer reads what was measured
    answer = visitor.form(
        "/check",
        {
            "age_months": "6",
            "movements": ["rhythmic_jerking"],
            "started_at": start,
            "count": "3",
            "interval_seconds": decimal,
            "episode_minutes": "26 s",
        },
    )
    assert answer.status_code == 200, re.findall(r'class="error"[^>]*>([^<]*)', answer.text)
    understood = re.sub(r"\s+", " ", answer.text.split('id="understood-h"')[1])
    assert "<dd>26 s</dd>" in understood
    assert f"<dd>{decimal}</dd>" in understood
    case = unescape(answer.text.split('name="case" value="')[1].split('"')[0])
    assert '"episode_minutes":0.43' in case and '"interval_seconds":4.5' in case


def test_a_spanish_decimal_comma_goes_back_through_the_check(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    visitor.client.cookies.set("sw_lang", "es")
    form = visitor.client.get("/check?episode_minutes=0.4&interval_seconds=4.0&from=now").text
    assert _value(form, "episode_minutes") == "0,4"
    assert _value(form, "interval_seconds") == "4"
    answer = visitor.form(
        "/check",
        {
            "age_months": "6",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": "0,4",
            "interval_seconds": "4",
        },
    )
    assert answer.status_code == 200
    understood = re.sub(r"\s+", " ", answer.text.split('id="understood-h"')[1])
    assert "<dd>24 s</dd>" in understood  # 0,4 minutes, said as the seconds they are


def test_the_diarys_form_keeps_the_timers_length_too(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Lucia", "7")
    parent.client.cookies.set("sw_lang", "es")
    start = _minute(timedelta(minutes=2))
    link = f"/children/{child}/episodes/new?started_at={start}&episode_seconds=26&from=now"
    form = parent.client.get(link).text
    assert _value(form, "episode_minutes") == "26 s"
    sent = parent.form(
        f"/children/{child}/episodes/new",
        {"movements": ["head_nod"], "started_at": start, "episode_minutes": "26 s"},
    )
    assert sent.status_code == 303, sent.text
    with app.state.db.reading() as s:
        (episode,) = repo.episodes_for(s, child)
    assert episode.data["episode_minutes"] == 0.43  # 25.8 s: the form's precision


def test_the_length_field_says_it_takes_seconds_and_the_card_says_them(tmp_path: Path) -> None:
    """The field the timer fills with "26 s" says that it takes seconds as well as
    minutes; the saved episode's card says a length under a minute in seconds ("26 s in
    all", as "What we understood" does), not "0.43 min"; a minute or more in minutes."""
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Lucia", "7")
    start = _minute(timedelta(minutes=2))
    form = parent.client.get(f"/children/{child}/episodes/new?episode_seconds=26&from=now").text
    label = re.search(r'<label for="episode_minutes">([^<]*)</label>', form)
    assert label is not None
    assert unescape(label.group(1)) == "Whole episode, in minutes (or seconds: “26 s”)"
    assert "Minutes for the whole episode" not in form
    for typed in ("26 s", "1.5"):
        sent = parent.form(
            f"/children/{child}/episodes/new",
            {"movements": ["head_nod"], "started_at": start, "episode_minutes": typed},
        )
        assert sent.status_code == 303, sent.text
    page = parent.client.get(f"/children/{child}").text
    cards = re.findall(r'<li id="episode-\d+" class="episode">(.*?)</li>', page, re.S)
    said = [" ".join(unescape(re.sub(r"<[^>]+>", " ", card)).split()) for card in cards]
    assert any("26 s in all" in card for card in said)
    assert any("1.5 min in all" in card for card in said)
    assert not any("0.43" in card for card in said)
    # the check says the same length as it understood it
    check = anonymous(app).form(
        "/check", {"movements": ["head_nod"], "age_months": "7", "episode_minutes": "26 s"}
    )
    understood = re.sub(r"\s+", " ", unescape(check.text.split('id="understood-h"')[1]))
    assert "<dt>Whole episode, in minutes (or seconds: “26 s”)</dt> <dd>26 s</dd>" in understood
