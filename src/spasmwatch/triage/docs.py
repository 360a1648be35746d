"""The rules page of the documentation, generated from :data:`RULES`.

``spasmwatch rules --markdown > docs/triage-rules.md`` (or ``make docs``) rewrites
``docs/triage-rules.md``; a test fails when the committed page is stale.
"""

from __future__ import annotations

from spasmwatch.triage import changes, lookalikes, patterns, predicates
from spasmwatch.triage import facts as facts_module
from spasmwatch.triage.changes import CHANGES
from spasmwatch.triage.emergency import AGE_FREE_RULES
from spasmwatch.triage.engine import WARNING_SIGN_NOW
from spasmwatch.triage.rule import LEVELS
from spasmwatch.triage.rules import RULES, RULES_VERSION

__all__ = ["rules_markdown"]

_GROUP_TEXT = {
    "emergency": "Emergency rules: never lowered by anything.",
    "spasm": "Infantile-spasm patterns: never lowered by benign features.",
    "concern": (
        "Other reasons to see a doctor. If every episode behind one of these is explained by "
        "a benign look-alike, and no emergency or spasm rule fired, it is lowered to `soon`."
    ),
    "lookalike": (
        "Benign look-alikes: they name what the movements may be and allow a `routine` "
        "answer when nothing else fired."
    ),
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _thresholds() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for module in (facts_module, patterns, predicates, lookalikes, changes):
        for name in sorted(vars(module)):
            value = getattr(module, name)
            if name.isupper() and isinstance(value, int | float) and not isinstance(value, bool):
                out.append((f"{module.__name__.rsplit('.', 1)[-1]}.{name}", f"{value:g}"))
    return out


def rules_markdown() -> str:
    """The full Markdown page listing every rule, threshold and level."""
    lines = [
        "# Triage rules",
        "",
        "<!-- Generated from spasmwatch.triage.rules.RULES by `make docs`; do not edit. -->",
        "",
        f"Rules version **{RULES_VERSION}**, {len(RULES)} rules. Levels, from least to most "
        f"urgent: {', '.join(f'`{level}`' for level in LEVELS)}.",
        "",
        "The answer is the most urgent level among the rules that fired. A red flag is "
        "always `emergency`. Benign features never cancel a spasm or emergency rule: they "
        "can lower other concerns only to `soon` (see a doctor, bring a video), and only "
        "when no spasm or emergency rule fired. spasmwatch never diagnoses.",
        "",
    ]
    age_free = ", ".join(f"`{rule.id}`" for rule in AGE_FREE_RULES)
    lines += [
        "An emergency reason about episodes gives when the newest of them started "
        "(`last_episode_at`) and how many of them have no start (`untimed_episodes`, absent "
        "when none), and the pages say how long ago that was: a warning sign keeps a "
        "diary's answer at `emergency` however old it is, so its age is shown for the family "
        "and the doctor to judge. Only the words change with its age: when every emergency "
        "reason has a time and the newest was more than "
        f"{WARNING_SIGN_NOW.total_seconds() / 3600:g} h ago, the pages and the readable "
        "answer of `spasmwatch triage` word the answer as a "
        "past warning sign (when it was last seen; emergency help now if no doctor has seen "
        'the baby since; the call at once if it happens again) instead of "call emergency '
        'services now"; the level stays `emergency`.',
        "",
        "The child's age may be left out of a case with a warning sign (`red_flags`): a "
        "warning sign is an emergency at any age. Such a case is triaged by the emergency "
        f"rules that read no age alone ({age_free}), and the answer has a `note` saying "
        "that the age was not given.",
        "",
        "`seizure-5-minutes` does not fire on an episode that carries the warning sign "
        "`seizure_5_minutes`: `red-flag-seizure-5-minutes` says the same, at the same level.",
        "",
        "Epileptic spasms are seizures. A seizure-like episode is called a first seizure "
        "(`first-seizure`, `first-seizure-now`) only when it is the diary's only one and the "
        "diary holds no spasm-like episode (one a spasm rule speaks about) besides it. Beside "
        "spasm-like episodes it is another kind of seizure: `seizure-besides-spasms` "
        "(`same_day`, never lowered, as a spasm rule fired), or `seizure-now` while it is "
        "happening. A series of spasm-like movements that is itself seizure-like, alone in "
        "the diary, is still a first seizure. The spasm rules are the same either way.",
        "",
        "Each rule that fires gives its advice, and the answer's `advice` keeps them all. "
        "What the family reads (the pages, the report, the terminal) says each thing once: "
        "of several lines that say to film the next episode, the most specific only, where "
        "the first of them stood, the others by what they say besides filming (what to note "
        'or write down); and not a seizure rule\'s "5 minutes or more" line beside the '
        "same-day warning-sign line that names it.",
        "",
        "A `routine` answer about episodes says what would change it, and only that: each "
        "of these is tried on the newest episode of each kind, through the same rules, and "
        "its advice is said when it would raise the level: "
        f"{', '.join(f'`{change.key}`' for change in CHANGES)}. An answer never gives, as "
        "a reason to see a doctor sooner, something its answers already say (ten sleep "
        "jerks in a row that stop as soon as the baby is woken are benign sleep myoclonus, "
        "which often comes in clusters).",
        "",
    ]
    for group in ("emergency", "spasm", "concern", "lookalike"):
        lines += [f"## {group}", "", _GROUP_TEXT[group], ""]
        lines += ["| id | level | reason | source |", "|---|---|---|---|"]
        for rule in RULES:
            if rule.group == group:
                reason = rule.reason + (
                    " *(Only for episodes no other rule spoke about.)*" if rule.fallback else ""
                )
                if rule.reason_if_no_count:
                    reason += (
                        f" *(When no count was given: {rule.reason_if_no_count} The answer's "
                        "`note` then says once that the count was read as one.)*"
                    )
                lines.append(
                    f"| `{rule.id}` | `{rule.level}` | {_cell(reason)} | "
                    f"{_cell(rule.source_text)} |"
                )
        lines.append("")
    lines += [
        "## Thresholds",
        "",
        "Named constants used by the rules (the docstrings in the code give their sources).",
        "",
        "| constant | value |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {value} |" for name, value in _thresholds()]
    lines.append("")
    return "\n".join(lines)
