"""``spasmwatch triage`` and ``spasmwatch rules``."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from spasmwatch.cli.common import app, err, out

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
    """(text, name) of a case file, or of standard input for ``-``."""
    from spasmwatch.errors import InvalidCase

    if source == "-":
        return sys.stdin.read(), "standard input"
    path = Path(source)
    if not path.is_file():
        raise InvalidCase(f"case file '{source}' does not exist or is not a file")
    try:
        return path.read_text(encoding="utf-8"), f"case file '{source}'"
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidCase(f"case file '{source}' cannot be read: {exc}") from None


def _print_triage(result: TriageResult, heading: str | None = None) -> None:
    from rich.panel import Panel
    from rich.table import Table

    style, badge = _LEVEL_STYLE[result.level]
    if heading:
        out.rule(heading)
    out.print(Panel(f"[{style}] {badge} [/] [bold]{result.title}[/]", expand=True))
    out.print("[bold]What to do now[/]")
    for line in result.advice:
        out.print(f"  • {line}", highlight=False)
    if result.reasons:
        table = Table(title="Why", title_justify="left", show_lines=False, expand=True)
        table.add_column("rule", style="cyan", no_wrap=True)
        table.add_column("level", no_wrap=True)
        table.add_column("reason")
        table.add_column("source", style="dim")
        for r in result.reasons:
            level = r.level if r.lowered_to is None else f"{r.level} → {r.lowered_to}"
            table.add_row(r.rule, level, r.text, r.source)
        out.print(table)
    if result.possibilities:
        out.print("[bold]What it could be[/] (not a diagnosis)")
        for p in result.possibilities:
            out.print(f"  • {p.label} [dim]({p.weight})[/]", highlight=False)
    out.print(f"[dim]rules version {result.rules_version}[/]")


def _ask_rich(question: Question, error: str | None) -> str:
    from rich.prompt import Prompt

    if error:
        err.print(f"[red]{error}[/]", highlight=False)
    if question.kind in ("choice", "multi") and question.choices:
        for i, (word, meaning) in enumerate(question.choices.items(), start=1):
            out.print(f"   [cyan]{i:>2}[/] {meaning} [dim]({word})[/]", highlight=False)
    default = question.default if question.kind == "choice" else None
    suffix = f" [dim][{default}][/]" if default else ""
    return Prompt.ask(f"[bold]{question.text}[/]{suffix}", default="", show_default=False)


@app.command("triage")
def triage_command(
    cases: list[str] = typer.Argument(
        None, metavar="[CASE.json]...", help="Case files in the case format; '-' reads stdin."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    interactive: bool = typer.Option(
        False, "--interactive", "-i", help="Answer questions one by one instead of a file."
    ),
    save: Path | None = typer.Option(
        None, "--save", help="With --interactive: also save the answers as a case file."
    ),
    now: datetime | None = typer.Option(
        None, "--now", help="Triage as if it were this time (ISO date-time); default now."
    ),
) -> None:
    """Say how urgently to get help for what you saw, and why."""
    from spasmwatch.case import load_case, parse_case
    from spasmwatch.errors import InvalidCase
    from spasmwatch.interview import interview
    from spasmwatch.triage import triage

    if interactive == bool(cases):
        raise InvalidCase("give one or more case files, or --interactive (not both)")
    if interactive:
        out.print(
            "[bold]spasmwatch[/]: answer a few questions about what you saw. "
            "Press Enter to skip a question you are unsure of.\n"
            "[bold red]If your baby is having trouble breathing, is blue or grey, or a "
            "seizure has lasted 5 minutes, call emergency services now.[/]"
        )
        try:
            answers = interview(_ask_rich)
        except EOFError:
            raise InvalidCase("the input ended before every question was answered") from None
        case = parse_case(answers)
        if save is not None:
            save.write_text(json.dumps(case.to_json_dict(), indent=2) + "\n", encoding="utf-8")
            out.print(f"Saved the answers to {save}")
        results = [("interactive", triage(case, now=now))]
    else:
        loaded = []
        problems = []
        for source in cases:
            text, name = _read_case_source(source)
            try:
                loaded.append((source, load_case(text, source=name)))
            except InvalidCase as exc:
                problems.extend(p if p.startswith(name) else f"{name}: {p}" for p in exc.problems)
        if problems:
            raise InvalidCase(problems)
        results = [(source, triage(case, now=now)) for source, case in loaded]
    if as_json:
        if len(results) == 1:
            payload: Any = results[0][1].to_dict()
        else:
            payload = [{"file": source, **result.to_dict()} for source, result in results]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    for source, result in results:
        _print_triage(result, heading=source if len(results) > 1 else None)


@app.command("rules")
def rules_command(
    as_json: bool = typer.Option(False, "--json", help="Print the rules as JSON."),
    markdown: bool = typer.Option(
        False, "--markdown", help="Print the rules page of the documentation."
    ),
) -> None:
    """List every triage rule with its id, level, reason and source."""
    from rich.table import Table

    from spasmwatch.triage import RULES, RULES_VERSION
    from spasmwatch.triage.docs import rules_markdown

    if markdown:
        typer.echo(rules_markdown(), nl=False)
        return
    if as_json:
        rows = [
            {
                "id": r.id,
                "level": r.level,
                "group": r.group,
                "reason": r.reason,
                "source": r.source_text,
            }
            for r in RULES
        ]
        typer.echo(json.dumps({"rules_version": RULES_VERSION, "rules": rows}, indent=2))
        return
    table = Table(title=f"Triage rules (version {RULES_VERSION})", show_lines=True)
    for column in ("id", "level", "group", "reason", "source"):
        table.add_column(column, style="cyan" if column == "id" else None)
    for r in RULES:
        table.add_row(r.id, r.level, r.group, r.reason, r.source_text)
    out.print(table)


# ---------------------------------------------------------------- end triage commands
