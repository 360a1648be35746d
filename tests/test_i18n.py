"""Languages: every message translated, the emergency instruction in each language, the
triage meaning the same in every language, the language chosen per request, and dates and
numbers in the language's own way."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from spasmwatch.i18n import (
    LOCALES,
    format_number,
    format_when,
    negotiate,
    time_ago,
    translate_result,
    translations,
    warning_sign_seen,
    when_logged,
)
from spasmwatch.i18n.catalog import extract, missing
from spasmwatch.triage import triage

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO_ROOT / "examples").glob("*.json"))
OTHER_LOCALES = [code for code in LOCALES if code != "en"]
#: The emergency instruction of the landing page, in each language.
EMERGENCY = {"en": "Call 112 now", "es": "Llame ahora al 112"}


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_every_message_has_a_translation(locale: str) -> None:
    lacking = missing(locale)
    assert lacking == [], (
        f"{len(lacking)} message(s) without a {locale} translation; run "
        f"`python -m spasmwatch.i18n.catalog update {locale}`, translate them in "
        f"src/spasmwatch/locale/{locale}/LC_MESSAGES/messages.po: {lacking[:5]}"
    )


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\([a-z_]+\)s", text))


def _tags(text: str) -> list[str]:
    return sorted(re.findall(r"</?([a-z]+)", text))


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_translations_keep_placeholders_and_markup(locale: str) -> None:
    gettext = translations(locale)
    for message in extract():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = (
            gettext.ngettext(ids[0], ids[1], 2) if len(ids) == 2 else gettext.gettext(ids[0])
        )
        assert _placeholders(translated) == _placeholders(ids[-1]), ids[0]
        assert _tags(translated) == _tags(ids[-1]), ids[0]


def test_every_locale_is_listed_with_its_name() -> None:
    assert LOCALES[0] == "en" and "es" in LOCALES
    for locale in OTHER_LOCALES:
        assert (REPO_ROOT / "src/spasmwatch/locale" / locale / "LC_MESSAGES/messages.po").exists()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_the_triage_means_the_same_in_every_language(path: Path, locale: str) -> None:
    english = triage(json.loads(path.read_text()), now=datetime(2026, 12, 1, 12)).to_dict()
    other = translate_result(english, locale)
    assert other["level"] == english["level"]
    assert other["rules_version"] == english["rules_version"]
    assert [(r["rule"], r["level"], r["episodes"], r.get("lowered_to"), r["source"])
            for r in other["reasons"]] == [
        (r["rule"], r["level"], r["episodes"], r.get("lowered_to"), r["source"])
        for r in english["reasons"]
    ]  # fmt: skip
    assert [p["name"] for p in other["possibilities"]] == [
        p["name"] for p in english["possibilities"]
    ]
    assert len(other["advice"]) == len(english["advice"])
    # Every text is in the other language (none fell back to English).
    for mine, theirs in zip(other["reasons"], english["reasons"], strict=True):
        assert mine["text"] != theirs["text"]
    assert other["title"] != english["title"]
    assert all(a != b for a, b in zip(other["advice"], english["advice"], strict=True))


def test_the_language_is_the_switch_then_the_browser_then_english() -> None:
    assert negotiate(None, None) == "en"
    assert negotiate(None, "es-ES,es;q=0.9,en;q=0.8") == "es"
    assert negotiate(None, "fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4") == "es"
    assert negotiate(None, "en;q=0.5, es;q=0.8") == "es"
    assert negotiate(None, "de, fr") == "en"
    assert negotiate(None, "es;q=0") == "en"
    assert negotiate("en", "es") == "en"
    assert negotiate("es", "en") == "es"
    assert negotiate("xx", "es-MX") == "es"


def test_dates_and_numbers_in_each_language() -> None:
    when = datetime(2026, 12, 2, 5, 46)
    assert format_when(when, "en") == "Wed 02 Dec 2026, 05:46"
    assert format_when(when, "es").startswith("mié 02 dic 2026")
    assert format_number(1.5, "en") == "1.5"
    assert format_number(1.5, "es") == "1,5"
    assert format_number(2000, "en") == "2,000"
    # a fixed number of decimals (a temperature), and a pattern of one's own
    assert format_number(38.0, "en", 1) == "38.0" and format_number(38.5, "es", 1) == "38,5"
    assert format_when(when, "en", "EEE dd MMM HH:mm") == "Wed 02 Dec 05:46"
    assert format_when(when, "es", "EEE dd MMM HH:mm") == "mié 02 dic 05:46"


@pytest.mark.parametrize(
    ("days", "english", "spanish"),
    [
        (-1, "today", "hoy"),  # a phone's day ahead of the server's
        (0, "today", "hoy"),
        (1, "yesterday", "ayer"),
        (2, "2 days ago", "hace 2 días"),
        (13, "13 days ago", "hace 13 días"),
        (14, "2 weeks ago", "hace 2 semanas"),
        (21, "3 weeks ago", "hace 3 semanas"),
        (60, "8 weeks ago", "hace 8 semanas"),
        (61, "2 months ago", "hace 2 meses"),
        (730, "23 months ago", "hace 23 meses"),
        (731, "2 years ago", "hace 2 años"),
    ],
)
def test_how_long_ago_a_warning_sign_was_logged(days: int, english: str, spanish: str) -> None:
    today = date(2026, 12, 3)
    at = datetime.combine(today - timedelta(days=days), datetime.min.time()).replace(hour=7)
    day = at.date().isoformat()
    assert when_logged(at, today) == f"Last seen {english}, on {day}."
    assert when_logged(at.isoformat(), today) == f"Last seen {english}, on {day}."
    said = when_logged(at, today, translations("es").gettext)
    assert said == f"Visto por última vez {spanish}, el {day}."
    # the same steps for the emergency answer's headline and the list's badge
    es = translations("es")
    assert time_ago(at, today) == english
    assert time_ago(at.isoformat(), today, es.gettext, es.ngettext) == spanish
    assert warning_sign_seen(at, today) == f"A warning sign was last seen {english}, on {day}."
    assert warning_sign_seen(at, today, es.gettext, es.ngettext) == (
        f"Se vio un signo de alarma por última vez {spanish}, el {day}."
    )


def test_a_page_writes_the_day_of_a_warning_sign_in_its_language() -> None:
    today = date(2026, 12, 3)
    at = datetime(2026, 11, 12, 7, 5)
    es = translations("es")
    # a page gives its language: the day in its words
    assert when_logged(at, today, locale="en") == "Last seen 3 weeks ago, on 12 Nov 2026."
    assert when_logged(at, today, es.gettext, "es") == (
        "Visto por última vez hace 3 semanas, el 12 nov 2026."
    )
    assert warning_sign_seen(at, today, locale="en") == (
        "A warning sign was last seen 3 weeks ago, on 12 Nov 2026."
    )
    assert warning_sign_seen(at, today, es.gettext, es.ngettext, "es") == (
        "Se vio un signo de alarma por última vez hace 3 semanas, el 12 nov 2026."
    )
    # without one (the terminal, the report): ISO
    assert when_logged(at, today) == "Last seen 3 weeks ago, on 2026-11-12."


def test_the_note_of_an_answer_is_translated_with_it() -> None:
    from spasmwatch.case import parse_case

    case = parse_case({"child": {}, "episodes": [{"red_flags": ["rash"]}]}, age_optional=True)
    result = triage(case).to_dict()
    spanish = translate_result(result, "es")
    assert spanish["note"].startswith("No se indicó la edad del bebé")
    assert spanish["level"] == result["level"] and result["note"].startswith("The baby's age")
    assert "note" not in translate_result(
        triage(json.loads(EXAMPLES[0].read_text())).to_dict(), "es"
    )


def test_a_video_result_is_said_in_the_pages_language() -> None:
    from spasmwatch.video.quality import assess_quality, quality_checks
    from spasmwatch.video.statement import describe_video

    quality = assess_quality(
        duration_s=60.0,
        brightness=[10.0],  # too dark
        sharpness=[100.0],
        camera_speed=[0.0],
        infant_share=0.3,
        infant_found=True,
        edge_share=0.0,
    )
    es = translations("es")
    nothing = {"summary": {"spasm_like": 0, "clusters": 0}, "quality": quality}
    english = describe_video(nothing)
    spanish = describe_video(nothing, es.gettext, es.ngettext)
    # a picture too dark: nothing could be seen in it, which is no reassurance
    assert english[0].startswith("Nothing spasm-like could be seen in this picture (too dark)")
    assert "No spasm-like movement was detected." not in " ".join(english)
    assert spanish[0].startswith(
        "No se pudo ver nada parecido a un espasmo en esta imagen (demasiado oscuro)"
    )
    assert spanish[1].startswith("Qué hacer:")
    found = {"summary": {"spasm_like": 5, "clusters": 2}}
    assert describe_video(found, es.gettext, es.ngettext)[0].startswith(
        "5 movimientos parecidos a espasmos detectados, en 2 series."
    )
    checks = {c["id"]: c for c in quality_checks({"quality": quality}, es.gettext)}
    assert checks["brightness"]["label"] == "Suficiente luz"
    assert checks["brightness"]["message"].startswith("El vídeo está demasiado oscuro")
    assert checks["focus"]["unit"] == "varianza del laplaciano"


@pytest.mark.parametrize(
    ("locale", "one", "two"),
    [
        ("en", "1 rhythmic movement ", "2 rhythmic movements "),
        ("es", "1 movimiento rítmico ", "2 movimientos rítmicos "),
    ],
)
def test_a_videos_counts_are_worded_with_their_plural_forms(
    locale: str, one: str, two: str
) -> None:
    from spasmwatch.video.statement import describe_video

    language = translations(locale)
    for n, words in ((1, one), (2, two)):
        doc = {"summary": {"spasm_like": 0, "clusters": 0, "jerk": n, "rhythmic": n}}
        said = " ".join(describe_video(doc, language.gettext, language.ngettext))
        assert words in said, said
        assert not re.search(r"\b1 (rhythmic movements|movimientos|rítmicos)", said), said


def test_one_gap_sentence_for_the_cli_and_the_report() -> None:
    """The gaps of an interrupted EEG are said by one function (``gaps_in_words``), which
    the report's finding uses too: English by default, Spanish with a decimal comma."""
    from spasmwatch.eeg.result import gaps_in_words
    from spasmwatch.i18n import translations
    from spasmwatch.report.build import EegFinding

    gaps = [{"onset": 20.0, "duration": 30.0}, {"onset": 60.5, "duration": 2.0}]
    english = gaps_in_words(gaps)
    assert english == (
        "Interrupted recording: 2 gaps (32 s in all) kept in place, with no EEG: 20-50 s, "
        "60.5-62.5 s"
    )
    assert gaps_in_words([]) == ""
    es = translations("es")
    spanish = gaps_in_words(gaps, es.gettext, es.ngettext, "es")
    assert spanish.startswith("Registro interrumpido: 2 huecos (32 s en total)")
    assert spanish.endswith("20-50 s, 60,5-62,5 s")
    finding = EegFinding("x.edf", datetime(2026, 1, 1), {"gaps": gaps}, {}, [], {})
    assert finding.gaps_words() == english
    assert finding.gaps_words(es.gettext, es.ngettext, "es") == spanish


def test_a_stored_english_message_said_from_its_template() -> None:
    """``say_message`` says a message made from a catalog template in another language,
    its numbers with that language's decimal sign and its catalog words translated."""
    from spasmwatch.eeg.reader import LEFT_OUT_REASONS, left_out_words
    from spasmwatch.i18n import say_message, translations

    es = translations("es")
    assert say_message("sampled at 96.5 Hz", LEFT_OUT_REASONS, es.gettext, "es") == (
        "muestreada a 96,5 Hz"
    )
    assert say_message("sampled at 96.5 Hz", LEFT_OUT_REASONS) == "sampled at 96.5 Hz"
    assert say_message("something else", LEFT_OUT_REASONS, es.gettext, "es") == ""
    skipped = ["ECG (not an EEG electrode)", "T3 (bipolar among referential channels)",
               "X1 (a reason of no known kind)"]  # fmt: skip
    assert left_out_words(skipped, es.gettext, "es") == [
        "T3 (bipolar entre canales de tipo referencial)",
        "X1 (a reason of no known kind)",
    ]
    assert left_out_words(skipped) == skipped[1:]


def test_a_number_filled_into_a_message_is_written_the_languages_way() -> None:
    """A number filled into a reader's reason is written as the language writes numbers,
    whether the English message grouped its thousands (``1,024``) or not (``5888``); a list
    of numbers and other text are left to the catalog."""
    from spasmwatch.eeg.reader import UNREADABLE_REASONS
    from spasmwatch.i18n import said_value, say_message

    es = translations("es")
    # Spanish groups the thousands from five digits on (CLDR, RAE): 1024 but 15.888
    assert said_value("1,024", es.gettext, "es") == "1024"
    assert said_value("5888", es.gettext, "es") == "5888"
    assert said_value("15888", es.gettext, "es") == "15.888"
    assert said_value("12,500.5", es.gettext, "es") == "12.500,5"
    assert said_value("1,024", es.gettext, "en") == "1,024"  # English as written
    assert said_value("256, 512", es.gettext, "es") == "256, 512"  # a list, not a number
    said = say_message(
        "truncated: the header needs 1,024 bytes, the file has 5888",
        UNREADABLE_REASONS,
        es.gettext,
        "es",
    )
    assert "1024 bytes" in said and "tiene 5888" in said and "1,024" not in said, said


def test_spanish_groups_the_thousands_from_five_digits_on() -> None:
    """Four-digit numbers stand ungrouped in Spanish (``5888``), longer ones are grouped
    (``15.888``); English groups from four (``5,888``)."""
    from spasmwatch.i18n import format_number, format_significant

    assert format_number(5888, "es") == "5888" and format_number(-9999, "es") == "-9999"
    assert format_number(10000, "es") == "10.000" and format_number(15888.5, "es") == "15.888,5"
    assert format_number(5888.3, "es", 1) == "5888,3"
    assert format_significant(5888.2, "es", 4) == "5888"
    assert format_significant(15888.2, "es", 5) == "15.888"
    assert format_number(5888, "en") == "5,888" and format_number(15888, "en") == "15,888"


def test_the_roles_are_said_in_words_for_a_woman_as_well_as_a_man() -> None:
    """The people of a diary in Spanish: "persona titular", "persona cuidadora", "persona
    lectora", never the masculine "cuidador" or "lector", nor "invitado" for whoever is
    invited, anywhere in the catalog."""
    from babel.messages.pofile import read_po

    from spasmwatch.i18n import LOCALE_DIR

    es = translations("es")
    assert es.gettext("caregiver") == "persona cuidadora"
    assert es.gettext("viewer") == "persona lectora"
    assert es.gettext("caregiver (can log)").startswith("persona cuidadora")
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    masculine = re.compile(r"\b(cuidador|cuidadores|lector|lectores|invitados?)\b", re.I)
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        for text in strings:
            assert not masculine.search(text or ""), (message.id, text)
