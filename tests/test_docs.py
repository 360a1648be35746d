"""Documentation that must not fall behind the code."""

from __future__ import annotations

import re
from pathlib import Path

from spasmwatch.case import VOCABULARIES, Child, Episode
from spasmwatch.triage import RULES
from spasmwatch.triage.docs import rules_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_triage_rules_page_is_current() -> None:
    page = (ROOT / "docs" / "triage-rules.md").read_text(encoding="utf-8")
    assert page == rules_markdown(), "docs/triage-rules.md is stale: run `make docs`"
    for rule in RULES:
        assert f"`{rule.id}`" in page


def test_case_format_page_lists_every_field_and_word() -> None:
    page = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    for name in [*Child.model_fields, *Episode.model_fields]:
        assert re.search(rf"^\|[^\n]*\b{name}\b", page, re.M), name
    for words in VOCABULARIES.values():
        for word in words:
            assert f"`{word}`" in page, word


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make run" in head and "make test" in head
