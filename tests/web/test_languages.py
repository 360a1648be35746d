"""Pages in each language: the emergency instruction everywhere it is shown, the triage
answer with the same level and rule ids, the language from the browser or the switch."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from spasmwatch.i18n import LOCALES, translations
from web.webworld import (
    EDF_FILE,
    PASSWORD,
    SPASM_FORM,
    add_child,
    add_member,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
    upload,
)

#: The emergency instruction, in each language, as the pages show it.
EMERGENCY = {
    "en": ("Call 112 now", "Call emergency services now"),
    "es": ("Llame ahora al 112", "Llame ahora a los servicios de emergencia"),
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("locale", LOCALES)
def test_the_emergency_instruction_in_each_language(tmp_path: Path, locale: str) -> None:
    assert set(EMERGENCY) == set(LOCALES)
    visitor = anonymous(new_app(tmp_path))
    headers = {"Accept-Language": locale}
    call_now, services_now = EMERGENCY[locale]
    landing = visitor.client.get("/", headers=headers).text
    assert f'<html lang="{locale}">' in landing
    assert call_now in _text(landing) and 'href="tel:112"' in landing
    for path in ("/offline", "/now", "/log", "/guide"):
        page = visitor.client.get(path, headers=headers).text
        assert 'href="tel:112"' in page, path
    # A warning sign gives the emergency answer, with the call first, in the language
    # (one with no time is happening now: tests/web/test_warning_sign_age.py has one seen
    # days ago).
    answer = visitor.client.post(
        "/check",
        data={
            **SPASM_FORM,
            "started_at": "",
            "age_months": "6",
            "red_flags": "blue_or_grey",
            "csrf_token": visitor.csrf,
        },
        headers=headers,
    )
    assert "level-emergency" in answer.text
    assert services_now in _text(answer.text)


def _rules(html: str) -> list[str]:
    return re.findall(r'<li data-rule="([a-z0-9-]+)"', html)


def test_the_answer_has_the_same_level_and_rules_in_each_language(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    answers = {
        locale: visitor.client.post(
            "/check",
            data={**SPASM_FORM, "age_months": "6", "csrf_token": visitor.csrf},
            headers={"Accept-Language": locale},
        ).text
        for locale in LOCALES
    }
    english = answers["en"]
    assert "Possible infantile spasms" in english
    assert "Posibles espasmos infantiles" in answers["es"]
    for locale, html in answers.items():
        assert re.findall(r'class="triage level-([a-z_]+)"', html) == ["same_day"], locale
        assert _rules(html) == _rules(english) != [], locale


def _sources(html: str) -> list[tuple[str, str]]:
    """Each reason's rule id (the item's ``data-rule``) and source, as the answer shows
    it after its label ("Source: ...", in the page's language)."""
    shown = re.findall(
        r'<li data-rule="([a-z0-9-]+)">.*?<span class="muted reason-source">([^<]+)</span>',
        html,
        re.S,
    )
    return [(rule, unescape(said).split(": ", 1)[1]) for rule, said in shown]


def test_the_sources_notes_are_said_in_the_pages_language(tmp_path: Path) -> None:
    """A reason's source is a citation, with notes in words: a Spanish answer keeps the
    rule ids and the citations (titles, names, numbers) and says the notes in Spanish, by
    the source's English text; the English answer keeps it as the rules write it."""
    from spasmwatch.triage.rules import SOURCES

    visitor = anonymous(new_app(tmp_path))
    form = {**SPASM_FORM, "age_months": "6", "red_flags": "blue_or_grey"}
    answers = {
        locale: _sources(
            visitor.client.post(
                "/check",
                data={**form, "csrf_token": visitor.csrf},
                headers={"Accept-Language": locale},
            ).text
        )
        for locale in LOCALES
    }
    english, spanish = answers["en"], answers["es"]
    assert [rule for rule, _ in spanish] == [rule for rule, _ in english] != []
    assert all(source in SOURCES.values() for _, source in english), english
    es = translations("es")
    for (rule, source), (_, said) in zip(english, spanish, strict=True):
        assert said == es.gettext(source) and said, rule
    # the citation as written, its notes in Spanish; a bare citation stays as it is
    said = dict(spanish)["red-flag-blue-or-grey"]
    assert said.startswith("NICE NG143, Fever in under 5s (signo de alarma:"), said
    assert "cenicientos o azulados" in said and "red feature" not in said
    assert any(s == e for (_, s), (_, e) in zip(spanish, english, strict=True))


def test_the_diary_in_spanish_with_local_dates_and_numbers(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ana@example.org")
    child_id = add_child(parent, "Lucía")
    log_episode(parent, child_id, {**SPASM_FORM_EPISODE, "movement_seconds": 1.5})
    parent.client.cookies.set("sw_lang", "es")
    page = _text(parent.client.get(f"/children/{child_id}").text)
    assert "Posibles espasmos infantiles" in page
    assert "vie 20 nov 2026, 07:05" in page
    assert "1,5 s cada uno" in page
    assert "10 seguidos" in page
    # what the parent answered ("not sure") is said of the child in the third person
    assert "desarrollo: no se sabe" in page and "no estoy seguro" not in page
    # ``_()`` inside the timeline's loop (the episode's own actions) is translated too
    assert "Editar" in page and "Borrar" in page and " Edit " not in page
    # the owner's sections: people's roles and the recent activity in Spanish as well
    assert "(ana@example.org) · titular" in page and "episodio anotado" in page
    assert "propietario" not in page  # a gender-neutral word for the role
    assert "log episode" not in page and " owner" not in page


def test_one_movement_is_not_said_to_be_in_a_row(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ana@example.org")
    child_id = add_child(parent, "Lucía")
    single = {
        **SPASM_FORM_EPISODE,
        "count": 1,
        "movement_seconds": 1.5,
        "started_at": "2026-11-21T09:00:00",
    }
    log_episode(parent, child_id, single)
    log_episode(parent, child_id, SPASM_FORM_EPISODE)
    for locale, one, ten, long in (
        ("en", "a single movement", "10 in a row", "1.5 s long"),
        ("es", "un solo movimiento", "10 seguidos", "1,5 s de duración"),
    ):
        parent.client.cookies.set("sw_lang", locale)
        page = _text(parent.client.get(f"/children/{child_id}").text)
        assert one in page and ten in page
        assert "1 in a row" not in page and "1 seguido" not in page
        # one movement lasts so long, not "each", and has no interval after it (the
        # diary in Spanish above shows "1,5 s cada uno" for a cluster)
        edit = "Edit" if locale == "en" else "Editar"
        assert page.split(one)[1].split(edit)[0] == f" · {long} "


SPASM_FORM_EPISODE = {
    "movements": ["head_nod", "arms_up"],
    "state": "just_woke",
    "count": 10,
    "interval_seconds": 5,
    "started_at": "2026-11-20T07:05:00",
}


def test_the_switch_remembers_the_language_and_stays_on_the_site(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    switched = visitor.client.get("/language/es?next=/guide", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/guide"
    assert "sw_lang=es" in switched.headers["set-cookie"]
    guide = visitor.client.get("/guide", headers={"Accept-Language": "en"}).text
    assert '<html lang="es">' in guide and "La guía" in guide
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        away = visitor.client.get("/language/en", params={"next": target}, follow_redirects=False)
        assert away.headers["location"] == "/"
    unknown = visitor.client.get("/language/xx?next=/", follow_redirects=False)
    assert "set-cookie" not in unknown.headers or "sw_lang" not in unknown.headers["set-cookie"]


def test_the_switch_keeps_the_pages_query(tmp_path: Path) -> None:
    """A page opened with a query (a period, a viewer's page, a frame) is the same page in
    the other language: the switch's link carries the query, and the switch goes back to it."""
    visitor = anonymous(new_app(tmp_path))
    page = visitor.client.get("/guide?from=2026-11-01&to=2026-11-20").text
    link = re.search(r'href="(/language/es\?next=[^"]+)"', page)
    assert link is not None
    switched = visitor.client.get(unescape(link.group(1)), follow_redirects=False)
    assert switched.headers["location"] == "/guide?from=2026-11-01&to=2026-11-20"


def test_form_problems_in_spanish_name_the_field_as_shown(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    answer = visitor.client.post(
        "/check",
        data={"state": "awake", "count": "muchos", "age_months": "6", "csrf_token": visitor.csrf},
        headers={"Accept-Language": "es"},
    )
    assert answer.status_code == 422
    expected = "Cuántos seguidos: escriba un número entero, como 10; ha escrito &#39;muchos&#39;"
    assert expected in _text(answer.text)


def test_the_pictures_of_an_analysis_are_named_in_the_page_language() -> None:
    from spasmwatch.images import IMAGE_FILES
    from spasmwatch.web import i18n
    from spasmwatch.web.render import IMAGE_WORDS, _image_alt

    assert {name for kind in IMAGE_FILES.values() for name in kind} <= set(IMAGE_WORDS)
    with i18n.using("es"):
        assert _image_alt("spectrogram", "noche.edf") == "Espectrograma del EEG, noche.edf"
    with i18n.using("en"):
        assert _image_alt("motion", "nap.mp4") == "Movement over time, nap.mp4"


def test_every_audited_action_on_a_child_has_words_for_the_child_page() -> None:
    """The child page's recent activity names each action in the page's language: an
    action written to a child's audit without an entry in ``ACTION_WORDS`` would show
    as its code, in English."""
    import ast

    import spasmwatch
    from spasmwatch.web.render import ACTION_WORDS

    found = set()
    for path in Path(spasmwatch.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            position = {"audit": 1, "record": 0}.get(node.func.attr)
            if position is None or len(node.args) <= position:
                continue
            action = node.args[position]
            keywords = {k.arg for k in node.keywords}
            if isinstance(action, ast.Constant) and "child_id" in keywords:
                found.add(action.value)
    assert {"log_episode", "view_child", "upload"} <= found  # the search finds them
    assert found - set(ACTION_WORDS) == set()


def test_the_chart_says_its_top_in_words(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    app = new_app(tmp_path)
    parent = sign_up(app, "ana@example.org")
    child_id = add_child(parent, "Lucía")
    # a minute ago (a fixed hour of today is in the future for part of each day)
    today = (datetime.now() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:00")
    log_episode(parent, child_id, {**SPASM_FORM_EPISODE, "started_at": today})
    chart = parent.client.get(f"/children/{child_id}").text.split('id="chart-h"')[1]
    chart = chart.split("</section>")[0]
    assert ">10 movements</text>" in chart
    assert '<p class="legend">' in chart  # which bar is which
    parent.client.cookies.set("sw_lang", "es")
    chart = parent.client.get(f"/children/{child_id}").text.split('id="chart-h"')[1]
    assert ">10 movimientos</text>" in chart


def test_the_everyday_form_problems_are_in_the_pages_language(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    es = {"Accept-Language": "es"}
    visitor = anonymous(app)
    bad = visitor.client.post(
        "/signup",
        data={"email": "nope", "display_name": "", "password": "short", "csrf_token": visitor.csrf},
        headers=es,
    )
    assert bad.status_code == 422
    for said in ("Escriba una dirección de correo válida", "Escriba su nombre", "Use al menos 10"):
        assert said in bad.text
    assert "Please give" not in bad.text and "Use at least" not in bad.text
    parent = sign_up(app, "ana@example.org")
    child = parent.client.post(
        "/children/new",
        data={"name": "", "birth_date": "2099-01-01", "csrf_token": parent.csrf},
        headers=es,
    )
    assert child.status_code == 422
    assert "Escriba un nombre o apodo" in child.text
    assert "2099-01-01 es una fecha futura" in child.text and "birth_date" not in _text(child.text)


def test_a_files_size_is_written_in_the_pages_language(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ana@example.org")
    child_id = add_child(parent, "Lucía")
    upload(parent, child_id, EDF_FILE.with_name("short_psg.edf"))  # 184,448 bytes
    for locale, size in (("en", "(0.2 MB EEG"), ("es", "(EEG, 0,2 MB")):
        parent.client.cookies.set("sw_lang", locale)
        assert size in _text(parent.client.get(f"/children/{child_id}").text)


def test_a_videos_size_and_ones_role_read_naturally_in_spanish(tmp_path: Path) -> None:
    import av
    import numpy as np

    video = tmp_path / "siesta.mp4"
    with av.open(str(video), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(10):
            image = np.full((48, 64, 3), i * 20, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    app = new_app(tmp_path)
    parent = sign_up(app, "ana@example.org")
    child_id = add_child(parent, "Lucía")
    carer = sign_up(app, "abuela@example.org")
    add_member(parent, child_id, carer, "caregiver")
    upload(parent, child_id, video)
    kb = -(-video.stat().st_size // 1000)
    said = {
        "en": (f"({kb} kB video,", "your role: owner", "your role: caregiver"),
        "es": (
            f"(vídeo, {kb} kB,",
            "usted administra este diario",
            "usted es persona cuidadora en este diario",
        ),
    }
    for locale, (size, owner_role, carer_role) in said.items():
        for person in (parent, carer):
            person.client.cookies.set("sw_lang", locale)
        page = _text(parent.client.get(f"/children/{child_id}").text)
        assert size in page and owner_role in page
        assert carer_role in _text(carer.client.get(f"/children/{child_id}").text)
    assert "su papel" not in page.lower() and "kB vídeo" not in page


def test_bad_report_periods_are_named_in_the_pages_language(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ana@example.org")
    child_id = add_child(parent, "Lucía")
    log_episode(parent, child_id)
    token, _link = share(parent, child_id)
    doctor = anonymous(app)
    bad_date = {
        "en": "Invalid value for 'from': a date as YYYY-MM-DD is required; got 'ayer'",
        "es": "Valor no válido en 'from': hace falta una fecha como AAAA-MM-DD; se recibió 'ayer'",
    }
    empty = {
        "en": "The period is empty: 'from' 2026-11-20 is after 'to' 2026-11-01",
        "es": "El periodo está vacío: 'from' (2026-11-20) es posterior a 'to' (2026-11-01)",
    }
    paper = {
        "en": "Invalid value for 'paper': allowed are a4, letter; got 'a5'",
        "es": "Valor no válido en 'paper': se admiten a4, letter; se recibió 'a5'",
    }
    backwards = "from=2026-11-20&to=2026-11-01"
    for locale in ("en", "es"):
        for person in (parent, doctor):
            person.client.cookies.set("sw_lang", locale)
        for person, base in ((parent, f"/children/{child_id}/report.pdf"), (doctor, f"/s/{token}")):
            for query, message in (("from=ayer", bad_date), (backwards, empty)):
                answer = person.client.get(f"{base}?{query}")
                assert answer.status_code == 422, (base, query)
                assert message[locale] in unescape(answer.text), (base, query, locale)
                assert "Traceback" not in answer.text
        answer = parent.client.get(f"/children/{child_id}/report.html?paper=a5")
        assert answer.status_code == 422 and paper[locale] in unescape(answer.text)
        # a start after today, the default end
        future = doctor.client.get(f"/s/{token}?from=2999-01-01")
        assert future.status_code == 422
        assert empty[locale].split("2026")[0] in unescape(future.text)


def test_the_report_comes_in_the_pages_language(tmp_path: Path) -> None:
    # The report is in the language of the page it is downloaded from, so the pages no
    # longer warn that it is in English.
    app = new_app(tmp_path)
    parent = sign_up(app, "ana@example.org")
    child_id = add_child(parent, "Lucía")
    token, _link = share(parent, child_id)
    doctor = anonymous(app)
    for person, base in ((parent, f"/children/{child_id}"), (doctor, f"/s/{token}")):
        person.client.cookies.set("sw_lang", "es")
        assert "(el informe está en inglés)" not in person.client.get(base).text
        report = person.client.get(f"{base}/report.html")
        assert report.status_code == 200 and '<html lang="es"' in report.text
        person.client.cookies.set("sw_lang", "en")
        report = person.client.get(f"{base}/report.html")
        assert report.status_code == 200 and '<html lang="en"' in report.text


def test_refusals_of_sign_in_and_of_a_role_in_spanish(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "ana@example.org")
    child_id = add_child(owner, "Lucía")
    carer = sign_up(app, "carmen@example.org")
    add_member(owner, child_id, carer, "caregiver")
    carer.client.cookies.set("sw_lang", "es")
    refused = carer.client.get(f"/children/{child_id}/edit")
    assert refused.status_code == 403
    assert "solo puede hacerlo la persona titular del diario" in refused.text
    assert "does not allow" not in refused.text
    visitor = anonymous(app)
    visitor.client.cookies.set("sw_lang", "es")
    wrong = visitor.form("/signin", {"email": "ana@example.org", "password": "not it at all"})
    assert wrong.status_code == 401
    assert "El correo electrónico o la contraseña no son correctos" in wrong.text


def _age_shown(html: str) -> str:
    found = re.search(r'<input id="age_months" name="age_months"[^>]* value="([^"]*)"', html)
    assert found, "no age field"
    return found.group(1)


def test_the_child_forms_age_is_written_as_the_page_writes_numbers(tmp_path: Path) -> None:
    """The age a kept check starts the new child's form with, and the one the edit form
    shows, in the page's number format ("5", not "5.0"; "5,5" in Spanish), which the form
    reads back."""
    app = new_app(tmp_path)
    visitor = anonymous(app)
    visitor.client.cookies.set("sw_lang", "es")
    answer = visitor.form("/check", {"red_flags": ["blue_or_grey"], "age_months": "5"})
    case = re.search(r'name="case" value="([^"]+)"', answer.text)
    assert case is not None
    kept = visitor.form("/check/keep", {"case": unescape(case.group(1))})
    assert kept.status_code == 303, kept.text
    signed = visitor.form(
        "/signup", {"email": "ana@example.org", "display_name": "Ana", "password": PASSWORD}
    )
    new_child = visitor.client.get(signed.headers["location"])
    assert _age_shown(new_child.text) == "5"
    visitor.csrf = re.search(r'name="csrf_token" value="([^"]+)"', new_child.text).group(1)  # type: ignore[union-attr]
    made = visitor.form("/children/new", {"name": "Lucía", "age_months": "5,5"})
    assert made.status_code == 303, made.text
    edit = visitor.client.get(made.headers["location"] + "/edit").text
    assert _age_shown(edit) == "5,5"
    visitor.client.cookies.set("sw_lang", "en")
    assert _age_shown(visitor.client.get(made.headers["location"] + "/edit").text) == "5.5"
    # what was typed and refused is shown again as it was typed
    visitor.client.cookies.set("sw_lang", "es")
    refused = visitor.form("/children/new", {"name": "Leo", "age_months": "cinco y pico"})
    assert refused.status_code == 422 and _age_shown(refused.text) == "cinco y pico"
