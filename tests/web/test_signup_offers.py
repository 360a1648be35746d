"""Every page that offers an account says what is true under the sign-up rule
(``SPASMWATCH_SIGNUP``): ``open`` offers it as ever; ``invite`` asks for the invitation
code where it offers one (an invitation link to a child's diary lets its holder in
without one); ``closed`` offers none, says whom to ask and offers signing in, a kept
check waiting in the browser. Each page in each mode, in English and in Spanish (real
SQLite, the test client)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from web.webworld import PASSWORD, Person, add_child, anonymous, csrf_of, invite, new_app, sign_up

SPANISH = {"Accept-Language": "es"}
HOST = "Example Children's Hospital"
MODES = ("open", "invite", "closed")
#: The pages that offer an account: the quick check's answer, an invitation link opened
#: without an account, the landing page, the offline log form without an account, the
#: sign-in page, and the owner's page of a child with a new invitation link (what it says
#: and the message to send).
PAGES = ("check", "invitation", "landing", "log", "signin", "child")

#: Words each page says in each mode, in English.
ENGLISH: dict[str, dict[str, list[str]]] = {
    "open": {
        "check": ["Nothing has been stored. Sign up to keep a diary", "Keep it: sign up"],
        "invitation": ["Make an account, or sign in if you already have one", "Create an account"],
        "landing": ["Sign up to keep a diary of episodes and videos to show the doctor"],
        "log": ["Sign up (or sign in) and add your child", "keep the answer when you sign up."],
        "signin": ["New here? Create an account. Forgot your password? Reset it."],
        "child": [
            "Whoever opens it first and makes an account or signs in gets the role",
            "and make an account, or sign in if you already have one",
            "to whoever opens it first and makes an account or signs in, within 14 days",
        ],
    },
    "invite": {
        "check": [
            "Nothing has been stored. Sign up with the invitation code you were given to keep "
            "a diary: this check becomes its first episode",
            "Keep it: sign up",
        ],
        # the link lets its holder make an account, with no code
        "invitation": ["Make an account, or sign in if you already have one", "Create an account"],
        "landing": [
            "Sign up with the invitation code you were given to keep a diary of episodes and "
            "videos to show the doctor, or sign in."
        ],
        "log": [
            "keep the answer when you sign up with the invitation code you were given.",
            "Sign up with the invitation code you were given (or sign in) and add your child",
        ],
        "signin": [
            "New here? Sign up with the invitation code you were given. Forgot your password? "
            "Reset it."
        ],
        "child": [
            "Whoever opens it first and makes an account or signs in gets the role",
            "and make an account, or sign in if you already have one",
        ],
    },
    "closed": {
        "check": [
            f"Nothing has been stored. No new accounts are made here. If you need one, ask {HOST}.",
            "If you have an account here, keep this check: it waits in this browser while you "
            "sign in and add your child, and it becomes the first episode of the diary.",
            "Keep it and sign in",
        ],
        "invitation": [
            "Sign in with your account here: the diary is then in your list of children. The "
            "link works once.",
            f"No new accounts are made here. If you need one, ask {HOST}.",
        ],
        "landing": [
            "Sign in to keep a diary of episodes and videos to show the doctor. No new "
            f"accounts are made here. If you need one, ask {HOST}."
        ],
        "log": [
            "with an account here, you can keep the answer when you sign in.",
            "Sign in and add your child: then what you log here goes into your child's diary, "
            f"even without a connection. No new accounts are made here. If you need one, ask "
            f"{HOST}.",
        ],
        "signin": [
            f"No new accounts are made here. If you need one, ask {HOST}.",
            "Forgot your password? Reset it.",
        ],
        "child": [
            "Whoever opens it first and signs in gets the role, so send it to them only: no new "
            "accounts are made here, so they need an account here already.",
            "as a viewer: you can read it. Open http://testserver/invite/",
            "and sign in with your account there. The link works once, for 14 days.",
            "to whoever opens it first and signs in, within 14 days. No new accounts are made "
            "here: the person needs an account here already.",
        ],
    },
}

#: The same, in Spanish.
SPANISH_WORDS: dict[str, dict[str, list[str]]] = {
    "open": {
        "check": [
            "No se ha guardado nada. Regístrese para llevar un diario",
            "Guardarlo: registrarse",
        ],
        "invitation": ["Cree una cuenta, o inicie sesión si ya tiene una", "Crear una cuenta"],
        "landing": ["Regístrese para llevar un diario de episodios"],
        "log": ["Regístrese (o inicie sesión) y añada un niño"],
        "signin": ["¿Es nuevo? Cree una cuenta."],
        "child": ["Quien lo abra primero y cree una cuenta o inicie sesión recibe el papel"],
    },
    "invite": {
        "check": [
            "No se ha guardado nada. Regístrese con el código de invitación que recibió para "
            "llevar un diario",
            "Guardarlo: registrarse",
        ],
        "invitation": ["Cree una cuenta, o inicie sesión si ya tiene una", "Crear una cuenta"],
        "landing": ["Regístrese con el código de invitación que recibió para llevar un diario"],
        "log": [
            "puede guardar la respuesta al registrarse con el código de invitación que recibió.",
            "Regístrese con el código de invitación que recibió (o inicie sesión) y añada un niño",
        ],
        "signin": ["¿Primera vez aquí? Regístrese con el código de invitación que recibió."],
        "child": ["Quien lo abra primero y cree una cuenta o inicie sesión recibe el papel"],
    },
    "closed": {
        "check": [
            f"No se ha guardado nada. Aquí no se crean cuentas nuevas. Si necesita una, pídala "
            f"a {HOST}.",
            "Si tiene una cuenta aquí, guarde esta consulta: espera en este navegador mientras "
            "inicia sesión y añade a su bebé",
            "Guardarlo e iniciar sesión",
        ],
        "invitation": [
            "Inicie sesión con su cuenta de aquí: el diario aparecerá entonces en su lista de "
            "niños.",
            f"Aquí no se crean cuentas nuevas. Si necesita una, pídala a {HOST}.",
        ],
        "landing": [
            "Inicie sesión para llevar un diario de episodios y vídeos para enseñar al médico. "
            "Aquí no se crean cuentas nuevas."
        ],
        "log": [
            "con una cuenta aquí, puede guardar la respuesta al iniciar sesión.",
            "Inicie sesión y añada un niño: entonces lo que anote aquí irá a su diario",
        ],
        "signin": [
            f"Aquí no se crean cuentas nuevas. Si necesita una, pídala a {HOST}.",
            "¿Ha olvidado su contraseña? Restablézcala.",
        ],
        "child": [
            "Quien lo abra primero e inicie sesión recibe el papel, así que envíelo solo a esa "
            "persona: aquí no se crean cuentas nuevas, así que necesita tener ya una cuenta aquí.",
            "e inicia sesión con tu cuenta de allí. El enlace sirve una vez, durante 14 días.",
            "a quien lo abra primero e inicie sesión, en un plazo de 14 días. Aquí no se crean "
            "cuentas nuevas",
        ],
    },
}

#: What a page must not say where no new accounts are made, in either language.
NO_OFFER = {
    "en": ["Sign up", "Create an account", "make an account", "makes an account"],
    "es": [
        "Regístrese",
        "Crear una cuenta",
        "Cree una cuenta",
        "cree una cuenta",
        "crea una cuenta",
    ],
}


def _text(html: str) -> str:
    """A page's words, without its tags (a link's within its sentence), spaces as one."""
    inline = re.sub(r"</?(a|strong|em|code|span)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def _signed_in(app: Any, email: str) -> Person:
    """A browser signed in to ``app`` with the account of ``email``."""
    person = anonymous(app)
    signed = person.form("/signin", {"email": email, "password": PASSWORD})
    assert signed.status_code == 303, signed.text
    person.email = email
    person.csrf = csrf_of(person.client.get("/children").text)
    return person


def _world(tmp_path: Path, mode: str) -> tuple[Any, int]:
    """The app in ``mode`` with an account that owns a child's diary, made while sign-up
    was open (as on a server closed after its families joined); and the child's id."""
    owner = sign_up(new_app(tmp_path), "ann@example.org")
    child = add_child(owner, "Mia")
    return new_app(tmp_path, signup=mode, hosted_by=HOST), child


def _pages(app: Any, child: int, headers: dict[str, str] | None = None) -> dict[str, str]:
    """Each page that offers an account, as a visitor (the owner for the child's page)
    sees it: its HTML."""
    html: dict[str, str] = {}
    visitor = anonymous(app)
    answer = visitor.form(
        "/check",
        {"movements": ["head_nod"], "state": "just_woke", "count": "8", "age_months": "6"},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    html["check"] = answer.text
    for name, path in (("landing", "/"), ("log", "/log"), ("signin", "/signin")):
        html[name] = visitor.client.get(path, headers=headers).text
    owner = _signed_in(app, "ann@example.org")
    token = invite(owner, child, "dr.who@example.org", "viewer")
    html["child"] = owner.client.get(f"/children/{child}", headers=headers).text
    opened = anonymous(app).client.get(f"/invite/{token}", headers=headers)
    assert opened.status_code == 200, opened.text
    html["invitation"] = opened.text
    return html


@pytest.mark.parametrize("mode", MODES)
def test_each_page_offers_what_the_rule_gives(tmp_path: Path, mode: str) -> None:
    app, child = _world(tmp_path, mode)
    pages = _pages(app, child)
    assert set(pages) == set(PAGES)
    for name, html in pages.items():
        words = _text(html)
        for said in ENGLISH[mode][name]:
            assert said in words, (mode, name, said)
        if mode == "closed":
            assert 'href="/signup"' not in html, name
            for offer in NO_OFFER["en"]:
                assert offer not in words, (name, offer)
        elif name != "child":  # the owner's page links to no sign-up
            assert 'href="/signup"' in html, (mode, name)
    if mode == "invite":
        # where a code is needed, every offer names it (the invitation link is the way in
        # without one, and its page offers no code)
        for name in ("check", "landing", "log", "signin"):
            assert "invitation code you were given" in _text(pages[name]), name
        assert "invitation code" not in _text(pages["invitation"])
    if mode == "closed":
        # what it offers instead: signing in
        for name in ("invitation", "landing", "log"):
            assert 'href="/signin"' in pages[name], name


@pytest.mark.parametrize("mode", MODES)
def test_each_page_offers_what_the_rule_gives_in_spanish(tmp_path: Path, mode: str) -> None:
    app, child = _world(tmp_path, mode)
    for name, html in _pages(app, child, SPANISH).items():
        words = _text(html)
        for said in SPANISH_WORDS[mode][name]:
            assert said in words, (mode, name, said)
        if mode == "closed":
            for offer in NO_OFFER["es"]:
                assert offer not in words, (name, offer)


def test_closed_the_kept_check_waits_for_the_sign_in_the_answer_promised(tmp_path: Path) -> None:
    """The answer's button keeps the check and goes to the page that says it waits, and
    the sign-in there puts it in the diary of the child then added."""
    app, _ = _world(tmp_path, "closed")
    visitor = anonymous(app)
    answer = visitor.form(
        "/check", {"movements": ["head_nod"], "state": "just_woke", "count": "8", "age_months": "6"}
    )
    case = re.search(r'name="case" value="([^"]+)"', answer.text)
    assert case is not None and "Keep it and sign in" in answer.text
    kept = visitor.form("/check/keep", {"case": unescape(case.group(1))})
    assert kept.status_code == 303
    waiting = visitor.client.get(kept.headers["location"])
    assert "The check you kept waits in this browser for 2 hours" in _text(waiting.text)
    assert 'href="/signin?next=/children/new"' in waiting.text
    assert 'action="/signup"' not in waiting.text


def test_invite_the_sign_in_page_with_a_link_offers_an_account_without_a_code(
    tmp_path: Path,
) -> None:
    """An invitation link opened in this browser lets its holder make an account with no
    code: the sign-in page offers it so, as the sign-up page takes it."""
    app, child = _world(tmp_path, "invite")
    token = invite(_signed_in(app, "ann@example.org"), child, "dr.who@example.org", "viewer")
    doctor = anonymous(app)
    doctor.client.get(f"/invite/{token}")
    words = _text(doctor.client.get("/signin").text)
    assert "New here? Create an account." in words
    assert "invitation code" not in words
    page = doctor.client.get("/signup")
    assert 'name="code"' not in page.text
