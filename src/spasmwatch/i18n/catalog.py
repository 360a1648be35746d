"""The message catalogs: what is to be translated, and how far each language is.

``python -m spasmwatch.i18n.catalog update`` gathers every message (templates, Python
marked with ``_``/``N_``, and the data texts below) and updates each
``locale/<lang>/LC_MESSAGES/messages.po``: new messages are added untranslated, removed ones
dropped. ``python -m spasmwatch.i18n.catalog check`` lists what a language still lacks
(exit 1 if anything).

Data texts are English strings kept in data rather than marked in code: the triage rules'
reasons, advice and sources (said by their English text, the citations kept as written and
the notes translated), the engine's titles and standing advice, what the movements could be,
the case vocabularies (the answers on the forms), the level words and the interview's
questions. They are shown translated by their English text (see :mod:`spasmwatch.i18n`).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from spasmwatch.i18n import DEFAULT_LOCALE, LOCALE_DIR, LOCALES

__all__ = ["data_messages", "extract", "missing", "update"]

PACKAGE = Path(__file__).resolve().parent.parent
_JINJA = {"extensions": "jinja2.ext.i18n", "silent": "false", "trimmed": "true"}
#: The report's templates: the page (``.html``) and its print styles (``report.css``: the
#: words in the page margins), said in the report's language.
REPORT_TEMPLATES = ("report/templates/**.html", "report/templates/**.css")
#: Where messages are marked: templates (``{% trans %}``, ``_()``) and Python (``_``,
#: ``gettext``, ``ngettext``, ``N_``), the report's code too.
_METHODS = [
    ("web/templates/**.html", "jinja2.ext:babel_extract"),
    *((pattern, "jinja2.ext:babel_extract") for pattern in REPORT_TEMPLATES),
    ("**.py", "python"),
]
_OPTIONS = {"web/templates/**.html": _JINJA, **dict.fromkeys(REPORT_TEMPLATES, _JINJA)}
_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


#: What a translator keeps of a source (a citation with notes): its titles, names and numbers.
_SOURCE_NOTE = "keep the citations (titles, names, numbers) as written; translate the notes"


def data_messages() -> Iterator[tuple[str, str]]:
    """The data texts shown to people, each with where it comes from."""
    from spasmwatch import interview
    from spasmwatch.case import VOCABULARIES
    from spasmwatch.triage import engine
    from spasmwatch.triage.rules import RULES, SOURCES
    from spasmwatch.web.forms import EPISODE_LABELS
    from spasmwatch.web.render import LEVEL_WORDS

    for rule in RULES:
        yield rule.reason, f"triage rule {rule.id}: reason"
        if rule.reason_if_no_count:
            yield rule.reason_if_no_count, f"triage rule {rule.id}: reason, no count given"
        for line in rule.advice:
            yield line, f"triage rule {rule.id}: advice"
    for key, text in SOURCES.items():
        yield text, f"triage source {key}: {_SOURCE_NOTE}"
    for level, lines in engine.BASE_ADVICE.items():
        for line in lines:
            yield line, f"triage advice for level {level}"
    for level in ("routine", "soon", "same_day", "emergency"):
        for groups in (set(), {"spasm"}):
            for has_episodes in (True, False):
                yield engine._title(level, groups, has_episodes), f"triage title ({level})"
    yield engine.NOT_A_DIAGNOSIS, "triage advice"
    yield engine.AGE_NOT_GIVEN, "triage note (an answer without the baby's age)"
    yield engine.COUNT_NOT_GIVEN, "triage note (a look-alike read a count not given as one)"
    for name, label in engine.POSSIBILITY_LABELS.items():
        yield label, f"possibility {name}"
    for field, words in VOCABULARIES.items():
        for value, meaning in words.items():
            yield meaning, f"case vocabulary {field}={value}"
    for level, (word, meaning) in LEVEL_WORDS.items():
        yield word, f"level {level}: short word"
        yield meaning, f"level {level}: meaning"
    for weight in ("high", "medium", "low"):
        yield weight, "weight of a possibility"
    for kind in ("video", "eeg"):
        yield kind, "kind of an attached file"
    for assessment in ("likely", "unlikely"):
        yield assessment, "hypsarrhythmia assessment of an EEG"
    for scope in ("read", "write"):
        yield scope, "scope of an API token"
    for role in ("owner", "caregiver", "viewer"):
        yield role, "role of a person for a child"
    for field, label in EPISODE_LABELS.items():
        yield label, f"label of the form field {field}"
    yield from _clinician_messages()
    yield from _period_messages()
    yield from _care_messages()
    yield from _interview_questions(Path(interview.__file__))
    for folder in ("web", "diary"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            yield from _error_messages(path)
    # the EEG viewer's page range, said by the page (diary.eeg_review reads pages with it)
    yield from _error_messages(PACKAGE / "eeg" / "traces.py")


def _clinician_messages() -> Iterator[tuple[str, str]]:
    """The report's words that the clinician view shows in its page's language: the
    episode table's short clinical terms and the charts' spans."""
    from spasmwatch.case import VOCABULARIES
    from spasmwatch.report.answer_words import SHORT_TERM_FIELDS, short_term
    from spasmwatch.report.report_data import CHART_SPANS_DAYS, SINCE_FIRST, span_label

    for field in SHORT_TERM_FIELDS:
        for code in VOCABULARIES[field]:
            yield short_term(code), f"episode table: short term of {field}={code}"
    for days in CHART_SPANS_DAYS:
        yield span_label(days), "chart of the clinician view"
    yield SINCE_FIRST, "chart of the clinician view"


def _period_messages() -> Iterator[tuple[str, str]]:
    """What is wrong with a report's period: the report's code says it in English, a page
    in its own language (``InvalidInput`` with placeholders)."""
    from spasmwatch.report.build import BAD_DATE, EMPTY_PERIOD

    for message in (BAD_DATE, EMPTY_PERIOD):
        yield message, "error message (report/build.py): a report's period"


def _care_messages() -> Iterator[tuple[str, str]]:
    """The words of treatments, milestones and the work-up (``spasmwatch.care``)."""
    from spasmwatch.care.records import WORDS
    from spasmwatch.care.response import OUTCOME_WORDS
    from spasmwatch.care.workup import WORKUP_TESTS

    for group in ("routes", "skills", "milestone_statuses", "workup_statuses"):
        for code, words in WORDS[group].items():
            yield words, f"care words {group}={code}"
    for outcome, words in OUTCOME_WORDS.items():
        yield words, f"response to a treatment: {outcome}"
    for test in WORKUP_TESTS:
        yield test.name, f"work-up test {test.code}"
        yield test.reason, f"work-up test {test.code}: why"
        yield test.source, f"work-up test {test.code}: source; {_SOURCE_NOTE}"


def _interview_questions(path: Path) -> Iterator[tuple[str, str]]:
    """Every ``Question(key, text, ...)`` written in the interview module, the ones made
    inside :func:`~spasmwatch.interview.interview` too, the reason a required one gives
    (``needed=``) and the keys or form its reply takes (``hint=``)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "Question"
            and len(node.args) >= 2
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])
        ):
            yield node.args[1].value, f"interview question {node.args[0].value}"
            for kw in node.keywords:
                if kw.arg == "needed" and isinstance(kw.value, ast.Constant):
                    yield kw.value.value, f"interview question {node.args[0].value}, left empty"
                if kw.arg == "hint" and isinstance(kw.value, ast.Constant):
                    yield (
                        kw.value.value,
                        f"interview question {node.args[0].value}: the keys of its answer "
                        "(each language its own)",
                    )


#: Errors whose message the error page shows (``error.html`` translates it).
_ERRORS = {"HTTPException", "NotFound", "Forbidden", "Conflict", "NotSignedIn", "InvalidInput"}


def _error_messages(path: Path) -> Iterator[tuple[str, str]]:
    """The fixed messages of the errors raised in ``path`` (``NotFound("No such child")``,
    ``HTTPException(404, "...")``, ``InvalidInput("... got %(got)s", got=...)`` with its
    placeholders) and of its notices; messages built at run time stay in English."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["notice"]
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            # A notice a page shows (``notice = "..."``: the settings page's).
            yield node.value.value, f"notice ({path.relative_to(PACKAGE)})"
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in _ERRORS:
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield arg.value, f"error message ({path.relative_to(PACKAGE)})"
                    break


def extract() -> Catalog:
    """Every message to translate, as a catalog template."""
    catalog = Catalog(project="spasmwatch", locale=None)
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(PACKAGE), _METHODS, _OPTIONS, keywords=_KEYWORDS
    ):
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments)
    for text, where in data_messages():
        if text:
            catalog.add(text, auto_comments=[where])
    return catalog


def _po(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


def update(locale: str) -> Path:
    """Bring ``locale``'s catalog up to date with the messages (new ones untranslated)."""
    template = extract()
    path = _po(locale)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=locale, project="spasmwatch")
    # No guessing from similar messages: a guess would be shown as if checked.
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False, omit_header=False)
    return path


def missing(locale: str) -> list[str]:
    """The messages ``locale`` does not translate yet (or only as a fuzzy draft)."""
    template = extract()
    path = _po(locale)
    if not path.exists():
        return [str(m.id) for m in template if m.id]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    lacking = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found is not None else None
        if isinstance(strings, tuple | list):
            strings = all(strings)
        if found is None or not strings or found.fuzzy:
            lacking.append(str(message.id if isinstance(message.id, str) else message.id[0]))
    return lacking


def main(argv: list[str]) -> int:
    """``update`` or ``check`` every language but English (or those named)."""
    if not argv or argv[0] not in ("update", "check"):
        print("usage: python -m spasmwatch.i18n.catalog update|check [LANG ...]")
        return 2
    locales = argv[1:] or [code for code in LOCALES if code != DEFAULT_LOCALE]
    status = 0
    for locale in locales:
        if argv[0] == "update":
            print(f"updated {update(locale)}")
        lacking = missing(locale)
        print(f"{locale}: {len(lacking)} message(s) without a translation")
        for text in lacking if argv[0] == "check" else []:
            print(f"  {text[:90]}")
        status = status or int(bool(lacking) and argv[0] == "check")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
