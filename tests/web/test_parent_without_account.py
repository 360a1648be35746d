"""A parent without an account, and the words a parent reads, with the test client.

"Log an episode on this phone" adds episodes to a child's diary: without a child on this
phone it says so before the form, with what works without an account (the quick check,
sign-up), and its button keeps the episode on the phone; the front page does not promise
it without one. The diary's pages hold the (hidden) notice that episodes typed on the phone
before there was a child wait on it. The family's answer gives each reason in
words and its source after "Source:", without the rule's id, which the doctor's views
(the share link, the report) keep. The guide cites its sources by title, author or
organisation and year. In a real browser: ``test_browser_parent_without_account.py``.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from spasmwatch.triage.rules import RULES
from web.webworld import (
    SPASM_EPISODE,
    SPASM_FORM,
    add_child,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
)

#: The rules' ids with a hyphen ("escalating" is also a word the page may say).
RULE_IDS = sorted(rule.id for rule in RULES if "-" in rule.id)


def _main(html: str) -> str:
    return html.split('<main id="main">', 1)[1].split("</main>", 1)[0]


def _element(html: str, element_id: str) -> str:
    """The opening tag of the element with ``element_id``."""
    found = re.search(rf'<[a-z0-9]+ [^>]*id="{element_id}"[^>]*>', html)
    assert found is not None, element_id
    return found.group(0)


def _shown(html: str, element_id: str) -> bool:
    return not re.search(r"\shidden(\s|>|=)", _element(html, element_id))


def _element_text(html: str, element_id: str) -> str:
    """The element with ``element_id``, from its opening tag to the end of its first line."""
    start = html.index(_element(html, element_id))
    return html[start:].split("\n", 1)[0]


def _words(html: str) -> str:
    """What a reader sees of ``html``: its text, without tags or attributes."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_form_says_before_anything_is_typed_that_it_needs_an_account(
    tmp_path: Path,
) -> None:
    visitor = anonymous(new_app(tmp_path))
    page = visitor.client.get("/log")
    assert page.status_code == 200
    main = _main(page.text)
    assert _shown(main, "no-child-here") and _shown(main, "log-no-account")
    assert not _shown(main, "log-no-child")
    # said before the form, with what works without an account
    notice = main.split('id="log-no-account"', 1)[1].split("</div>", 1)[0]
    assert main.index('id="no-child-here"') < main.index('id="log-form"')
    assert 'href="/check"' in notice and 'href="/signup"' in notice
    assert "Without an account, this form cannot add episodes to a diary yet" in _words(notice)
    assert "cannot save" not in _words(main)
    assert "you can keep the answer when you sign up" in _words(notice)
    # the form's promise to send to a diary, and its empty list of children, are not shown
    assert not _shown(main, "log-offline-note") and not _shown(main, "child-field")
    # the button keeps it on the phone (it cannot save it to a diary yet)
    assert _words(_element_text(main, "log-submit")).strip() == "Keep on this phone"
    # what is kept when the form is sent anyway: said, and not shown until then
    assert not _shown(main, "log-kept") and not _shown(main, "log-restored")
    kept = main.split('id="log-kept"', 1)[1].split("</section>", 1)[0]
    assert "%(n)s episode kept on this phone, not lost." in kept  # data-one, for the script
    assert "%(n)s episodes kept on this phone, not lost." in kept  # data-other
    assert 'href="/check?from=log"' in main.split('id="log-kept-item"', 1)[1]


def test_an_account_without_a_child_is_told_to_add_one(tmp_path: Path) -> None:
    parent = sign_up(new_app(tmp_path), "no.child@example.org")
    main = _main(parent.client.get("/log").text)
    assert _shown(main, "no-child-here") and _shown(main, "log-no-child")
    assert not _shown(main, "log-no-account")
    assert 'href="/children/new"' in main.split('id="log-no-child"', 1)[1].split("</div>")[0]


def test_a_parent_with_a_child_gets_the_form_alone(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "with.child@example.org")
    add_child(parent, "Robin")
    main = _main(parent.client.get("/log").text)
    assert not _shown(main, "no-child-here")
    assert _shown(main, "log-offline-note") and _shown(main, "child-field")
    assert _words(_element_text(main, "log-submit")).strip() == "Save on this phone"
    # drafts come back one at a time, and one taken to the check is never filled unasked
    assert not _shown(main, "log-restored")
    restored = main.split('id="log-restored"', 1)[1].split("</section>", 1)[0]
    assert "saving it here would add it a second time" in _words(restored)
    assert 'id="log-fill"' in restored and "Fill in the form with it" in restored
    # the names still come from the phone, never from the page the worker may keep
    assert "Robin" not in main


def test_the_diarys_pages_hold_a_hidden_notice_for_what_waits_on_the_phone(
    tmp_path: Path,
) -> None:
    # the server cannot know what the phone keeps: the page's script shows the notice
    parent = sign_up(new_app(tmp_path), "drafts.waiting@example.org")
    child = add_child(parent, "Robin")
    for path in ("/children", f"/children/{child}"):
        main = _main(parent.client.get(path).text)
        assert not _shown(main, "drafts-waiting"), path
        notice = main.split('id="drafts-waiting"', 1)[1].split("</p>", 1)[0]
        assert '<a href="/log">' in notice, path
        # one short line, for a phone's first screen
        assert 'data-one="%(n)s episode waits on this phone: save it"' in notice
        assert 'data-other="%(n)s episodes wait on this phone: save them"' in notice


def test_the_front_page_does_not_promise_logging_without_an_account(tmp_path: Path) -> None:
    page = anonymous(new_app(tmp_path)).client.get("/")
    item = next(li for li in re.findall(r"<li>(.*?)</li>", page.text, re.S) if "/log" in li)
    assert _words(item).strip().startswith("With an account: log episodes on this phone")


def test_the_check_page_has_the_words_for_a_form_carried_from_the_log(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    main = _main(anonymous(app).client.get("/check?from=log").text)
    assert not _shown(main, "check-from-log")  # the page shows it once it has filled in
    assert "give the baby's age" in _words(main.split('id="check-from-log"', 1)[1])
    parent = sign_up(app, "check.from.log@example.org")
    add_child(parent, "Robin")
    main = _main(parent.client.get("/check?from=log").text)
    assert "choose which baby it is" in _words(main.split('id="check-from-log"', 1)[1])


def _reasons_said(html: str) -> list[str]:
    triage = html.split('<section id="triage"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<li data-rule=[^>]*>(.*?)</li>", triage, re.S)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_familys_answer_gives_reason_and_source_in_words_not_the_rule_id(
    tmp_path: Path, lang: str
) -> None:
    visitor = anonymous(new_app(tmp_path))
    answer = visitor.client.post(
        "/check",
        data={**SPASM_FORM, "age_months": "6", "csrf_token": visitor.csrf},
        headers={"Accept-Language": lang},
    )
    assert answer.status_code == 200
    said = _reasons_said(answer.text)
    assert said
    shown = _words(_main(answer.text))
    for rule_id in RULE_IDS:
        assert rule_id not in shown, rule_id
    assert "[" not in shown
    for reason in said:
        # the source after its label, in the page's words ("Source:" until translated)
        source = re.search(r'<span class="muted reason-source">([^<]+)</span>', reason)
        assert source is not None, reason
        assert re.match(r"(Source|Fuente): \S", unescape(source.group(1))), source.group(1)
    # the rules behind the answer stay in the page's markup, for its code and tests
    assert re.findall(r'<li data-rule="([a-z0-9-]+)"', answer.text)[0] == "spasm-series"


def test_the_diarys_answer_is_worded_alike_and_the_doctors_views_keep_the_rule_id(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "doctor.views@example.org")
    child = add_child(parent, "Robin")
    log_episode(parent, child, SPASM_EPISODE)
    family = parent.client.get(f"/children/{child}").text
    rules = re.findall(r'<li data-rule="([a-z0-9-]+)"', family)
    assert rules
    triage = family.split('<section id="triage"', 1)[1].split("</section>", 1)[0]
    assert not any(f"[{rule}" in _words(triage) or f"{rule};" in triage for rule in rules)
    assert "Source: " in _words(triage)
    # the doctor's share link and the report give each reason's rule id
    token, _ = share(parent, child)
    doctor = anonymous(app).client.get(f"/s/{token}")
    assert doctor.status_code == 200
    table = doctor.text.split('<table class="reasons">', 1)[1].split("</table>", 1)[0]
    for rule in rules:
        assert f"<td>{rule}</td>" in table, rule
    report = parent.client.get(f"/children/{child}/report.html")
    assert report.status_code == 200
    assert all(f"<td>{rule}</td>" in report.text for rule in rules)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_guide_cites_its_sources_by_title_author_and_year(tmp_path: Path, lang: str) -> None:
    visitor = anonymous(new_app(tmp_path))
    guide = visitor.client.get("/guide", headers={"Accept-Language": lang}).text
    listed = guide.split('id="sources"', 1)[1].split("</ol>", 1)[0]
    sources = [_words(s).strip() for s in re.findall(r"<li>(.*?)</li>", listed, re.S)]
    assert len(sources) == 22
    text = " ".join(sources).lower()
    for internal in ("seed", "artículo de partida", "the project"):
        assert internal not in text, internal
    # the four articles the clinical reference starts from, by title, by whom, and when
    webmd, sleep, causes, forum = sources[3], sources[5], sources[20], sources[21]
    assert webmd.startswith("WebMD, ") and "What Are the Symptoms of Infantile Spasms?" in webmd
    assert "Dan Brennan" in webmd and "2019" in webmd
    assert "Epilepsy Action Australia" in sleep and "Baby twitches in sleep" in sleep
    assert "Sleep Advisor" in sleep and "2021" in sleep
    assert causes.startswith("DiseaseMaps") and "2026" in causes
    assert "causes of West Syndrome" in causes
    assert forum.startswith("MedHelp") and ("Facial Spasms" in forum and "medhelp.org" in forum)
