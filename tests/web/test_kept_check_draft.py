"""A check taken from an episode kept on the phone (a draft of ``static/offline.js``) keeps
that draft's key from the check's form to its answer and to where the answer is stored: at
sign-up (carried with the kept check until the first child is added) or straight into a
child's diary. The child's page then says, once, that the check is saved in the diary and
names the draft (``data-kept-draft``) for the phone to remove it. A check not kept names
nothing; a key that is not a draft's is never written back into a page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path

from spasmwatch.store import repo
from spasmwatch.web.pending import draft_key
from web.webworld import PASSWORD, Person, add_child, anonymous, csrf_of, new_app, sign_up

#: A key as ``crypto.randomUUID()`` makes it, and as older browsers' 32 hex digits.
KEY = "3f2b9c1e-8a47-4d2b-9e3f-0c1d2e3f4a5b"
HEX_KEY = "3f2b9c1e8a474d2b9e3f0c1d2e3f4a5b"
SPANISH = {"Accept-Language": "es"}


def _check(person: Person, draft: str, **fields: object) -> str:
    """An answer of the check sent with ``draft``, as the check's page sends it."""
    earlier = (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    sent = {
        "movements": ["head_nod"],
        "state": "just_woke",
        "count": "8",
        "age_months": "6",
        "started_at": earlier,
        "draft": draft,
        **fields,
    }
    answer = person.form("/check", sent)
    assert answer.status_code == 200, answer.text
    return answer.text


def _kept_case(answer: str) -> str:
    case = re.search(r'name="case" value="([^"]+)"', answer)
    assert case is not None
    return unescape(case.group(1))


def _draft_field(html: str) -> str | None:
    """The value of the page's hidden ``draft`` field, or None without one."""
    found = re.search(r'<input type="hidden" name="draft"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else None


def _kept_note(html: str) -> str:
    """The child page's "saved in the diary" line (its tag and words), or ""."""
    found = re.search(r'<p class="notice kept-check"[^>]*>.*?</p>', html, re.S)
    return found.group(0) if found else ""


def _sign_up_and_add(visitor: Person, email: str, name: str = "Robin") -> int:
    signed = visitor.form("/signup", {"email": email, "display_name": "Sam", "password": PASSWORD})
    assert signed.headers["location"] == "/children/new"
    visitor.csrf = csrf_of(visitor.client.get("/children/new").text)
    made = visitor.form("/children/new", {"name": name, "age_months": "6"})
    assert made.status_code == 303
    return int(made.headers["location"].rsplit("/", 1)[1])


def test_a_draft_key_is_a_uuid_or_32_hex_digits() -> None:
    assert draft_key(KEY) == KEY and draft_key(HEX_KEY) == HEX_KEY
    assert draft_key(KEY.upper()) == KEY
    for bad in ("", None, "none", "x" * 36, KEY + "0", '"><script>', KEY[:-1]):
        assert draft_key(bad) is None, bad


def test_the_check_carries_the_draft_to_its_answer(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    # the check's own form has the field, empty: the page's script fills it in
    assert _draft_field(visitor.client.get("/check?from=log").text) == ""
    assert _draft_field(_check(visitor, KEY)) == KEY
    assert _draft_field(_check(visitor, "")) is None
    assert _draft_field(_check(visitor, '"><b>not a key</b>')) is None
    # refused (no age, no warning sign): the form again, the draft's key with it
    refused = visitor.form("/check", {"movements": ["head_nod"], "draft": KEY})
    assert refused.status_code == 422 and _draft_field(refused.text) == KEY
    # an untimed check's time refused where it is kept: the answer again, with the key
    untimed = _check(visitor, KEY, started_at="")
    again = visitor.form(
        "/check/keep", {"case": _kept_case(untimed), "started_at": "soon", "draft": KEY}
    )
    assert again.status_code == 422 and 'id="started_at-error"' in again.text
    assert _draft_field(again.text) == KEY


def test_kept_at_sign_up_the_child_page_names_the_draft_once(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    kept = visitor.form("/check/keep", {"case": _kept_case(_check(visitor, KEY)), "draft": KEY})
    assert kept.status_code == 303 and kept.headers["location"] == "/signup"
    child = _sign_up_and_add(visitor, "sam.kept@example.org")
    with app.state.db.reading() as s:
        (episode,) = repo.episodes_for(s, child)
    assert episode.data["count"] == 8
    page = visitor.client.get(f"/children/{child}").text
    note = _kept_note(page)
    assert f'data-kept-draft="{KEY}"' in note
    assert (
        "The episode you typed on this phone and checked is saved in Robin's diary: it no "
        "longer waits on this phone." in unescape(" ".join(note.split()))
    )
    # under the child's name, before the answer
    assert page.index('id="child-name"') < page.index('id="kept-check"') < page.index('id="triage"')
    # said once: a reload says nothing, and names no draft
    again = visitor.client.get(f"/children/{child}").text
    assert _kept_note(again) == "" and "data-kept-draft" not in again
    # the kept check and its draft are forgotten
    assert not visitor.client.cookies.get("spasmwatch_check")
    assert not visitor.client.cookies.get("spasmwatch_check_draft")


def test_a_check_typed_on_its_own_form_is_said_saved_without_a_draft(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    # an earlier check from a draft was kept, then this one, typed on the check's form:
    # the earlier draft is not named for it
    visitor.form("/check/keep", {"case": _kept_case(_check(visitor, KEY)), "draft": KEY})
    visitor.form("/check/keep", {"case": _kept_case(_check(visitor, ""))})
    child = _sign_up_and_add(visitor, "sam.own@example.org")
    page = visitor.client.get(f"/children/{child}").text
    note = _kept_note(page)
    assert "data-kept-draft" not in page
    assert "Your check is saved in Robin's diary." in unescape(note)
    spanish = visitor.client.get(f"/children/{child}", headers=SPANISH).text
    assert _kept_note(spanish) == ""  # once


def test_kept_in_a_childs_diary_the_page_names_the_draft(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "with.child@example.org")
    child = add_child(parent, "Robin")
    answer = _check(parent, HEX_KEY, child_id=str(child))
    assert _draft_field(answer) == HEX_KEY
    kept = parent.form(
        "/check/keep",
        {
            "case": _kept_case(answer),
            "child_id": str(child),
            "checked_with": str(child),
            "draft": HEX_KEY,
        },
    )
    assert kept.status_code == 303
    assert kept.headers["location"].startswith(f"/children/{child}#")
    note = _kept_note(parent.client.get(f"/children/{child}").text)
    assert f'data-kept-draft="{HEX_KEY}"' in note
    assert _kept_note(parent.client.get(f"/children/{child}").text) == ""
    # another child's page is never told
    other = add_child(parent, "Sasha")
    assert _kept_note(parent.client.get(f"/children/{other}").text) == ""


def test_a_check_not_kept_names_no_draft(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    _check(visitor, KEY)  # answered, never kept
    child = _sign_up_and_add(visitor, "sam.not.kept@example.org")
    page = visitor.client.get(f"/children/{child}").text
    assert _kept_note(page) == "" and "data-kept-draft" not in page
