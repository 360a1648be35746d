"""Every page in each language, in a real browser (Debian's Chromium) at phone size
(390x844): the browser's language chooses the page's, the page says it in ``<html lang>``,
its words are in that language, nothing is wider than the phone, and the switch at the
foot of every page changes the language.

Screenshots of every page in each language go to ``tests/artifacts/languages/`` (ignored by
git), to be looked at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    phone_page,
    server,
    shots,
)
from web.test_browser_offline import kept_language

SHOTS = REPO_ROOT / "tests" / "artifacts" / "languages"
#: Browser language -> the page language expected.
BROWSER = {"en": "en-GB", "es": "es-ES"}
#: A few words each page shows, in each language.
WORDS: dict[str, dict[str, str]] = {
    "landing": {"en": "Check a movement now", "es": "Consultar un movimiento ahora"},
    "guide": {"en": "What infantile spasms look like", "es": "Cómo son los espasmos infantiles"},
    "now": {"en": "Start the timer", "es": "Iniciar el cronómetro"},
    "check": {"en": "What was the baby doing?", "es": "¿Qué estaba haciendo el bebé?"},
    "answer": {"en": "What to do now", "es": "Qué hacer ahora"},
    "log": {"en": "Keep on this phone", "es": "Guardar en este teléfono"},
    "offline": {"en": "No connection", "es": "Sin conexión"},
    "reminders": {"en": "Remind me every day", "es": "Recordármelo cada día"},
    "signin": {"en": "Forgot your password?", "es": "¿Ha olvidado su contraseña?"},
    "signup": {"en": "Create an account", "es": "Crear una cuenta"},
    "children": {"en": "Add a child", "es": "Añadir un niño"},
    "child": {"en": "Share with a doctor", "es": "Compartir con un médico"},
    "episode": {"en": "Save and see advice", "es": "Guardar y ver el consejo"},
    "child-form": {"en": "Name or nickname", "es": "Nombre o apodo"},
    "shared": {"en": "Read-only view", "es": "Vista de solo lectura"},
    "error": {"en": "No such child", "es": "No existe ese niño"},
}


def _visit(page: Any, path: str, name: str, locale: str, shots: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    page.goto(path)
    _looks_right(page, name, locale, shots)
    expect(page.locator("html")).to_have_attribute("lang", locale)


def _looks_right(page: Any, name: str, locale: str, shots: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    expect(page.locator("main")).to_contain_text(WORDS[name][locale])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} ({locale}) is {width} px wide"
    page.screenshot(path=str(shots / f"{locale}-{name}.png"), full_page=True)


@pytest.mark.parametrize("locale", ["en", "es"])
def test_every_page_in_each_language_at_phone_size(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    locale: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(chromium, server, locale=BROWSER[locale])
    # what the page asked for and has not had yet: said if a page never finishes loading
    unfinished: dict[Any, str] = {}
    page.on("request", lambda r: unfinished.__setitem__(r, f"{r.method} {r.url}"))
    page.on("requestfinished", lambda r: unfinished.pop(r, None))
    page.on("requestfailed", lambda r: unfinished.pop(r, None))

    _visit(page, "/now", "now", locale, shots)
    page.locator("#now-start").click()
    page.locator("#now-tap").click()
    page.locator("#now-stop").click()
    summary = {"en": "1 movement", "es": "1 movimiento"}[locale]
    expect(page.locator("#now-summary")).to_contain_text(summary)
    for path, name in [
        ("/", "landing"),
        ("/guide", "guide"),
        ("/log", "log"),
        ("/offline", "offline"),
        ("/reminders", "reminders"),
        ("/signin", "signin"),
    ]:
        _visit(page, path, name, locale, shots)
    _visit(page, "/check", "check", locale, shots)
    page.locator("#age_months").fill("6")
    page.locator("input[name=movements][value=head_nod]").check()
    page.locator("input[name=state][value=just_woke]").check()
    page.locator("#count").fill("8")
    page.locator("form[action='/check'] button[type=submit]").click()
    _looks_right(page, "answer", locale, shots)
    expect(page.locator("#triage")).to_have_class(re.compile("level-same_day"))

    _visit(page, "/signup", "signup", locale, shots)
    page.locator("#display_name").fill("Sam")
    page.locator("#email").fill(f"sam.{locale}@example.org")
    page.locator("#password").fill("a long enough password")
    page.locator("form[action='/signup'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    _looks_right(page, "child-form", locale, shots)
    page.locator("#name").fill("Robin")
    page.locator("#age_months").fill("6")
    page.locator("form[action='/children/new'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    child_path = page.url.split(server, 1)[1]
    _visit(page, child_path + "/episodes/new", "episode", locale, shots)
    page.locator("input[name=movements][value=head_nod]").check()
    page.locator("input[name=state][value=just_woke]").check()
    page.locator("#count").fill("8")
    page.locator("#movement_seconds").fill("1.5")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(re.compile(r"/children/\d+(#child-name)?$"))
    _looks_right(page, "child", locale, shots)
    # On a phone each label of a row form has its own line, right above its field (wrapped
    # with the fields, "Papel" ended the email field's line, away from its select).
    placed = page.evaluate(
        """() => [...document.querySelectorAll(
            "#sharing form.row-form label[for], #people form.row-form label[for]")].map(l => {
            const a = l.getBoundingClientRect();
            const b = document.getElementById(l.htmlFor).getBoundingClientRect();
            return [l.textContent, a.bottom <= b.top + 1 && b.top - a.bottom < 20
                                   && Math.abs(a.left - b.left) < 2];
        })"""
    )
    assert len(placed) == 4 and all(ok for _, ok in placed), placed
    if locale == "es":
        expect(page.locator("ol.timeline")).to_contain_text("1,5 s cada uno")
    _visit(page, "/children", "children", locale, shots)
    _visit(page, "/children/99999", "error", locale, shots)
    page.goto(child_path)
    page.locator("#days").select_option("7")
    page.locator("#sharing form button[type=submit]").click()
    share_url = page.locator("#share-url").inner_text()
    _visit(page, share_url.split(server, 1)[1], "shared", locale, shots)

    # The switch at the foot of the page: the other language, remembered, and the pages
    # kept for offline use fetched again in it by the same service worker.
    other = "es" if locale == "en" else "en"
    page.goto("/guide")
    kept_language(page, locale)
    page.locator(f".languages a[lang={other}]").click()
    page.wait_for_url(re.compile(r"/guide$"))
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator("main")).to_contain_text(WORDS["guide"][other])
    kept_language(page, other)
    assert [w.url.split(server, 1)[1] for w in context.service_workers] == ["/sw.js"]
    try:
        page.goto("/now")
    except Exception as error:  # the page, its service workers and what it still waits for
        workers = [w.url for w in context.service_workers]
        raise AssertionError(
            f"/now did not load after the switch to {other}: service workers {workers}; "
            f"requests not finished: {sorted(unfinished.values())}"
        ) from error
    expect(page.locator("html")).to_have_attribute("lang", other)
    # Offline, happening-now mode opens from the copy kept in the new language.
    context.set_offline(True)
    page.goto("/now")
    expect(page.locator("main")).to_contain_text(WORDS["now"][other])
    context.set_offline(False)
    assert problems == []
    context.close()


#: Send the service worker a message as a page would (static/offline.js: ``{"language":
#: "es", "loaded": ms since 1970}``), and wait for its answer: the language kept once the
#: message was heard ("no answer" after 10 s).
SAY = """message => new Promise(resolve => {
    const channel = new MessageChannel();
    channel.port1.onmessage = event => resolve(event.data.kept);
    navigator.serviceWorker.controller.postMessage(message, [channel.port2]);
    setTimeout(() => resolve("no answer"), 10000);
})"""


def test_a_late_message_from_a_page_left_behind_never_takes_the_kept_pages_back(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
) -> None:
    # The English page left for the switch to Spanish may say "en" only after the Spanish
    # page said "es" and the Spanish pages were kept (a busy phone): the worker follows
    # the page loaded last, not the message heard last.
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = chromium.new_context(
        viewport=PHONE, base_url=server, is_mobile=True, locale=BROWSER["en"]
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/guide")
    page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    kept_language(page, "en")
    english_loaded = page.evaluate("performance.timeOrigin")
    page.locator(".languages a[lang=es]").click()
    page.wait_for_url(re.compile(r"/guide$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    kept_language(page, "es")
    spanish_loaded = page.evaluate("performance.timeOrigin")
    assert spanish_loaded > english_loaded

    # the English page's message, late: heard, and Spanish stays
    assert page.evaluate(SAY, {"language": "en", "loaded": english_loaded}) == "es"
    context.set_offline(True)
    page.goto("/now")
    expect(page.locator("main")).to_contain_text(WORDS["now"]["es"])
    context.set_offline(False)

    # A page loaded later in English is followed (a switch back).
    page.goto("/guide")
    later = page.evaluate("Date.now()")
    assert page.evaluate(SAY, {"language": "en", "loaded": later}) == "en"
    # A message without a time (a page of an earlier version) is older than any page.
    assert page.evaluate(SAY, {"language": "es"}) == "en"
    # The phone's clock put back: the kept time is in the future, so it says nothing about
    # which page came last, and the page is believed.
    assert page.evaluate(SAY, {"language": "es", "loaded": later + 3_600_000}) == "es"
    assert page.evaluate(SAY, {"language": "en", "loaded": later + 1}) == "en"
    context.close()
