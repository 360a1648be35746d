"""``spasmwatch triage`` and ``spasmwatch rules``."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from gettext import NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from spasmwatch.cli.common import (
    CANNOT_READ_CASE_FILE,
    CASE_FILE,
    NO_CASE_FILE,
    STANDARD_INPUT,
    app,
    err,
    language,
    out,
    usage_mistake,
)
from spasmwatch.i18n import N_, english

if TYPE_CHECKING:
    from spasmwatch.interview import Question
    from spasmwatch.triage import TriageResult

log = logging.getLogger("spasmwatch")


# ---------------------------------------------------------------- triage commands
_LEVEL_STYLE = {
    "emergency": ("bold white on red", "EMERGENCY"),
    "same_day": ("bold black on dark_orange", "TODAY"),
    "soon": ("bold black on yellow", "WITHIN DAYS"),
    "routine": ("bold black on green", "ROUTINE"),
}


def _read_case_source(source: str) -> tuple[str, str]:
    """(text, name) of a case file, or of standard input for ``-`` (the name as the
    case's problems say it: catalog messages, said in the command's language)."""
    from spasmwatch.errors import InvalidCase

    if source == "-":
        return sys.stdin.read(), STANDARD_INPUT
    path = Path(source)
    if not path.is_file():
        raise InvalidCase(NO_CASE_FILE % {"path": source})
    try:
        return path.read_text(encoding="utf-8"), CASE_FILE % {"path": source}
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidCase(CANNOT_READ_CASE_FILE % {"path": source, "why": exc}) from None


def _print_triage(
    result: TriageResult,
    heading: str | None = None,
    _: Callable[[str], str] = english,
    now: datetime | None = None,
    ngettext: Callable[[str, str, int], str] = NullTranslations().ngettext,
) -> None:
    """Print the answer; ``_`` and ``ngettext`` translate its words (the rule ids and
    levels stay); ``now`` (default: now) is what "logged 3 weeks ago" counts back from.

    As on the web pages, an emergency whose warning sign was last seen more than 24 h
    before ``now`` (:func:`~spasmwatch.triage.engine.past_warning_sign`) keeps its level
    and is worded as past: when it was seen, emergency help now if no doctor has seen the
    baby since, the call at once if it happens again; not "call emergency services now",
    nor the first aid for a seizure going on now. When a warning sign was last seen is
    said after the first reason that says it only; a reason below the answer's level says
    that it does not lower the answer.
    """
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from spasmwatch.i18n import warning_sign_seen, when_logged
    from spasmwatch.report.triage_words import (
        does_not_lower,
        family_advice,
        headline,
        said_once,
        source_words,
    )
    from spasmwatch.triage.engine import CALL_NOW, past_warning_sign
    from spasmwatch.triage.rule import LEVEL_WORDS

    style, badge = _LEVEL_STYLE[result.level]
    if _ is not english:
        badge = _(LEVEL_WORDS[result.level][0]).upper()
    if heading:
        out.rule(heading)
    if result.level == "routine" and not result.reasons:
        # nothing described and nothing known of the child: no advice to give, and not a
        # green "harmless" (as the web page's "Nothing logged yet")
        nothing = _("Nothing described yet")
        hint = _(
            "No movement was described, so there is no advice yet: run it again and "
            "describe what you saw. If your baby has trouble breathing, is blue or grey, "
            "or a seizure has lasted 5 minutes, call emergency services now."
        )
        out.print(Panel(f"[bold]{nothing}[/]\n{hint}", expand=True), highlight=False)
        return
    moment = now or datetime.now()
    today = moment.date()
    past = past_warning_sign(result, moment)
    if past is not None:
        title = warning_sign_seen(past, today, _, ngettext)
    elif result.level == "emergency":
        title = _(CALL_NOW)  # the level's call, with the numbers to dial, said once
    else:
        title = _(headline(result.level, result.title))
    out.print(Panel(f"[{style}] {badge} [/] [bold]{escape(title)}[/]", expand=True))
    if past is not None:
        then = _(
            "If a doctor has not seen your baby since then, get emergency help now. "
            "If it happens again, call emergency services at once."
        )
        out.print(f"[bold]{escape(then)}[/]", highlight=False)
    if result.note:
        out.print(f"[bold]{_(result.note)}[/]", highlight=False)
    what_now = _("What to do now")
    out.print(f"[bold]{what_now}[/]")
    # the lines the headline already says are left out, as on the pages; the terminal has
    # no number of its own to call, so a same-day answer keeps its warning-sign line
    advice = family_advice(
        result.level, result.advice, warning_signs_above=False, past=past is not None
    )
    for line in advice:
        out.print(f"  • {_(line)}", highlight=False)
    if result.reasons:
        table = Table(title=_("Why"), title_justify="left", show_lines=False, expand=True)
        # the id whole, the reason with the most room (the source's long words folded)
        longest = max(len(r.rule) for r in result.reasons)
        table.add_column(_("Rule"), style="cyan", no_wrap=True, min_width=longest)
        table.add_column(_("Level"), no_wrap=True)
        table.add_column(_("Reason"), ratio=3)
        table.add_column(_("Source"), style="dim", ratio=2, overflow="fold")
        whens = said_once(  # when a warning sign was last seen: once
            result.reasons,
            lambda r: "" if r.last_episode_at is None else when_logged(r.last_episode_at, today, _),
        )
        for r, when in zip(result.reasons, whens, strict=True):
            levels = [r.level] if r.lowered_to is None else [r.level, r.lowered_to]
            # the level's word, as the badge says it (--json keeps the codes)
            levels = [_(LEVEL_WORDS[level][0]) for level in levels]
            text = escape(_(r.text))
            if when:
                text = f"{text} [bold]{escape(when)}[/]"
            lower = does_not_lower(result.level, r, result.reasons)
            if lower:
                text = f"{text} [italic]{escape(_(lower))}[/]"
            # the source by its English text: its citations as written, its notes (and a
            # "[design]" tag) in words
            table.add_row(r.rule, " → ".join(levels), text, source_words(r.source, _))
        out.print(table)
    if result.possibilities:
        could_be = _("What it could be (not a diagnosis):")
        out.print(f"[bold]{could_be}[/]")
        for p in result.possibilities:
            out.print(f"  • {_(p.label)} [dim]({_(p.weight)})[/]", highlight=False)
    version = _("Rules version %(version)s") % {"version": result.rules_version}
    out.print(f"[dim]{version}[/]")


def _asker(_: Callable[[str], str]) -> Callable[[Question, str | None], str]:
    """Ask each question with Rich, its words translated by ``_``: choices by number and
    in words (the case format's codes stay in the saved file and ``--json``), the keys of
    its answer in that language ("(s = sí, n = no)"). What was wrong with the previous
    reply comes said already (the interview's ``gettext`` is ``_`` too)."""
    from rich.markup import escape
    from rich.prompt import Prompt

    from spasmwatch.interview import EMPTY_AGAIN_STOPS

    class _Prompt(Prompt):
        prompt_suffix = ""  # each prompt ends itself (":" after a word, " " after a "?")

    def ask(question: Question, error: str | None) -> str:
        if error:
            err.print(f"[red]{escape(error)}[/]", highlight=False)
            if error == _(question.needed):  # an empty reply to a required question
                err.print(escape(_(EMPTY_AGAIN_STOPS)), highlight=False)
        if question.kind in ("choice", "multi") and question.choices:
            for i, meaning in enumerate(question.choices.values(), start=1):
                out.print(f"   [cyan]{i:>2}[/] {escape(_(meaning))}", highlight=False)
        text = _(question.text)
        if question.hint:
            text += " " + _(question.hint)
        if question.kind == "choice" and question.default in question.choices:
            # what Enter answers, in words ("not sure"), not the code ("unknown")
            meaning = _(question.choices[question.default])
            text += " " + _("(Enter: %(answer)s)") % {"answer": meaning}
        end = " " if text.endswith("?") else ": "
        return _Prompt.ask(f"[bold]{escape(text)}[/]{end}", default="", show_default=False)

    return ask


_ask_rich = _asker(english)


@app.command("triage", help=N_("Say how urgently to get help for what you saw, and why."))
def triage_command(
    cases: list[str] = typer.Argument(
        None, metavar=N_("CASE.json"), help=N_("Case files in the case format; '-' reads stdin.")
    ),
    as_json: bool = typer.Option(False, "--json", help=N_("Print the result as JSON.")),
    interactive: bool = typer.Option(
        False, "--interactive", "-i", help=N_("Answer questions one by one instead of a file.")
    ),
    save: Path | None = typer.Option(
        None, "--save", help=N_("With --interactive: also save the answers as a case file.")
    ),
    now: datetime | None = typer.Option(
        None, "--now", help=N_("Triage as if it were this time (ISO date-time); default now.")
    ),
    lang: str = typer.Option(
        "en", "--lang", help=N_("Language of the questions and the answer: en or es.")
    ),
) -> None:
    """``spasmwatch triage``: the answer (:func:`~spasmwatch.triage.triage`) to case
    files, or to the interview's answers (:func:`~spasmwatch.interview.interview`)."""
    from rich.markup import escape

    from spasmwatch.case import load_case, parse_case
    from spasmwatch.errors import InvalidCase
    from spasmwatch.i18n import translate_result
    from spasmwatch.interview import InterviewStopped, interview
    from spasmwatch.triage import triage

    # an unknown language refused; from here on the errors are said in this one
    gettext, ngettext = language(lang)  # English: no catalog, the messages as written
    _ = gettext if lang != "en" else english
    if interactive == bool(cases):
        raise usage_mistake(N_("give one or more case files, or --interactive (not both)"))
    if interactive:
        intro = _(
            "answer a few questions about what you saw. "
            "Press Enter to skip a question you are unsure of; only the baby's age "
            "and the movements you saw are needed."
        )
        urgent = _(
            "If your baby is having trouble breathing, is blue or grey, or a "
            "seizure has lasted 5 minutes, call emergency services now."
        )
        out.print(f"[bold]spasmwatch[/]: {intro}\n[bold red]{urgent}[/]")
        try:
            answers = interview(
                _asker(_),
                gettext=_,
                locale=lang,
                now=now,  # "yesterday 7:30" read against the time triaged at
                tell=lambda said: out.print(f"[green]{escape(said)}[/]", highlight=False),
            )
        except InterviewStopped as stopped:
            # said plainly, not as an invalid case: the answers were not finished
            if stopped.ended:
                out.print()  # the input ended on the prompt's line
            err.print(f"[bold]{escape(_(stopped.message))}[/]", highlight=False)
            err.print(f"[bold red]{escape(urgent)}[/]", highlight=False)
            raise typer.Exit(2) from None
        # warning signs come first: with one, the age may not have been asked
        case = parse_case(answers, age_optional=True)
        if save is not None:
            save.write_text(json.dumps(case.to_json_dict(), indent=2) + "\n", encoding="utf-8")
            saved = _("Saved the answers to %(path)s") % {"path": save}
            out.print(saved)
        results = [("interactive", triage(case, now=now))]
    else:
        loaded = []
        problems = []
        for source in cases:
            text, name = _read_case_source(source)
            try:
                loaded.append((source, load_case(text, source=name, age_optional=True)))
            except InvalidCase as exc:
                problems.extend(p if p.startswith(name) else f"{name}: {p}" for p in exc.problems)
        if problems:
            raise InvalidCase(problems)
        results = [(source, triage(case, now=now)) for source, case in loaded]
    if as_json:
        # Only the words change with --lang: levels, rule ids and sources stay.
        if len(results) == 1:
            payload: Any = translate_result(results[0][1].to_dict(), lang)
        else:
            payload = [
                {"file": source, **translate_result(result.to_dict(), lang)}
                for source, result in results
            ]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    moment = now or datetime.now()
    for source, result in results:
        heading = source if len(results) > 1 else None
        _print_triage(result, heading=heading, _=_, now=moment, ngettext=ngettext)


#: The title of ``spasmwatch rules``, and how a rule's group is said under its id there.
RULES_TITLE = N_("Triage rules (version %(version)s)")
RULE_GROUP = N_("group: %(group)s")


@app.command("rules", help=N_("List every triage rule with its id, level, reason and source."))
def rules_command(
    as_json: bool = typer.Option(False, "--json", help=N_("Print the rules as JSON.")),
    markdown: bool = typer.Option(
        False, "--markdown", help=N_("Print the rules page of the documentation.")
    ),
    lang: str = typer.Option(
        "en", "--lang", help=N_("Language of the reasons and level words: en or es.")
    ),
) -> None:
    """``spasmwatch rules``: :data:`~spasmwatch.triage.RULES` as a table, JSON or the
    documentation's page."""
    from rich.markup import escape
    from rich.table import Table

    from spasmwatch.report.triage_words import source_words
    from spasmwatch.triage import RULES, RULES_VERSION
    from spasmwatch.triage.docs import rules_markdown
    from spasmwatch.triage.rule import LEVEL_WORDS

    gettext, _ngettext = language(lang)
    _ = gettext if lang != "en" else english
    if markdown:  # the documentation's page, in English
        typer.echo(rules_markdown(), nl=False)
        return
    if as_json:
        # Only the reasons change with --lang: ids, levels, groups and sources stay.
        rows = [
            {
                "id": r.id,
                "level": r.level,
                "group": r.group,
                "reason": _(r.reason),
                "source": r.source_text,
            }
            for r in RULES
        ]
        payload = {"rules_version": RULES_VERSION, "rules": rows}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=lang == "en"))
        return
    # The id, whole (never cut: a terminal of 80 columns has room for the longest), with its
    # level's word and its group under it; the reason and the source share the rest.
    title = _(RULES_TITLE) % {"version": RULES_VERSION}
    table = Table(title=title, show_lines=True, expand=True)
    longest = max(len(r.id) for r in RULES)
    table.add_column(_("Rule"), min_width=longest, no_wrap=True)
    table.add_column(_("Reason"), ratio=3, overflow="fold")
    table.add_column(_("Source"), ratio=2, style="dim", overflow="fold")
    for r in RULES:
        level = escape(_(LEVEL_WORDS[r.level][0]))
        group = escape(_(RULE_GROUP) % {"group": r.group})
        rule = f"[cyan]{escape(r.id)}[/]\n{level}\n[dim]{group}[/]"
        table.add_row(rule, escape(_(r.reason)), escape(source_words(r.source_text, _)))
    out.print(table)


# ---------------------------------------------------------------- end triage commands
