"""Words that a parent reads on a phone talking to the family's computer.

- "This computer" / "this machine" on the phone meant the phone: the web pages say "the
  computer that runs spasmwatch" (where the diary is kept, where a file sent goes, where it
  is analysed, which computer a loopback link opens on), in English and in Spanish.
- The children list (a signed-in parent's home screen) says each child's answer as what to
  do ("Doctor: today"; a bare "Today" read as "logged today"), and has the landing page's
  emergency call, the same piece of page.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from spasmwatch.i18n import translations
from spasmwatch.i18n.catalog import extract
from web.webworld import SPASM_EPISODE, add_child, anonymous, log_episode, new_app, sign_up

#: What "this computer" is called, in each language, in the words the web pages say.
THIS_COMPUTER = {
    "en": re.compile(r"\bthis (computer|machine)\b|\bthis computer's\b", re.I),
    "es": re.compile(r"\beste (ordenador|equipo)\b", re.I),
}


def _web_messages() -> list[str]:
    """Every message of the web pages (their templates and the web package's code)."""
    return [
        str(m.id)
        for m in extract()
        if m.id and any(path.startswith("web/") for path, _ in m.locations)
    ]


def test_no_web_page_says_this_computer() -> None:
    messages = _web_messages()
    assert any("the computer that runs spasmwatch" in m for m in messages)
    said = [m for m in messages if THIS_COMPUTER["en"].search(m)]
    assert said == []
    spanish = translations("es")
    said = [m for m in messages if THIS_COMPUTER["es"].search(spanish.gettext(m))]
    assert said == []


def _spaced(html: str) -> str:
    return " ".join(html.split())


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_file_sent_goes_to_the_computer_that_runs_spasmwatch_only(
    tmp_path: Path, lang: str
) -> None:
    said = translations(lang).gettext
    person = sign_up(new_app(tmp_path), "ana@example.org")
    child = add_child(person, "Lucía")
    page = _text(person.client.get(f"/children/{child}", headers={"Accept-Language": lang}).text)
    recordings = said(
        "Add a video (film one now or choose a clip already on the phone) or an EEG file "
        "(EDF or BDF). It goes to the computer that runs spasmwatch only, and is analysed "
        "there. A recording does not count as an episode: the advice and the chart change "
        "only with the episodes you log."
    )
    assert recordings in page
    footer = said(
        "What you enter here, and any file you send, goes to the computer that runs spasmwatch "
        "and nowhere else: not to a company's server. It does not diagnose: if you are worried, "
        "contact a doctor whatever it says."
    )
    assert footer in page


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_children_list_says_what_to_do_and_has_the_emergency_call(
    tmp_path: Path, lang: str
) -> None:
    said = translations(lang).gettext
    app = new_app(tmp_path)
    person = sign_up(app, "ana@example.org")
    child = add_child(person, "Lucía")
    log_episode(person, child, SPASM_EPISODE)  # a cluster: see a doctor today
    home = person.client.get("/", headers={"Accept-Language": lang})
    assert str(home.url).endswith("/children")
    main = home.text.split('<main id="main">')[1]
    badge = re.search(r'<span class="badge level-same_day">([^<]*)</span>', main)
    assert badge is not None and unescape(badge.group(1)) == said("Doctor: today")
    # the landing page's emergency box, first, with its call
    landing = anonymous(app).client.get("/", headers={"Accept-Language": lang}).text
    box = re.search(r'<section class="emergency-box".*?</section>', landing, re.S)
    assert box is not None
    assert main.lstrip().startswith('<section class="emergency-box"')
    listed = re.search(r'<section class="emergency-box".*?</section>', main, re.S)
    assert listed is not None
    # the same piece, less the landing page's own "Which number?" (a section of its own)
    which = r'<p class="small"><a href="#number">.*?</p>'
    assert _spaced(listed.group(0)) == _spaced(re.sub(which, "", box.group(0)))
    assert 'class="button call" href="tel:112"' in listed.group(0)
