"""A temperature is written with its degree sign wherever a rule's reason says one: "38.0 °C"
on the family's page and in the report, "38,0 °C" in Spanish, never "38.0 C" (as the
terminal, the guide and the report's fever line already wrote it). The reasons are the
rules' own texts, so the API and the rules page say it the same way."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path

import pytest

from spasmwatch.triage import RULES, triage
from spasmwatch.triage.docs import rules_markdown
from web.webworld import SPASM_EPISODE, add_child, log_episode, new_app, sign_up

#: A number then "C" without the degree sign ("38.0 C", "38,0 C", "38 C").
NO_DEGREE_SIGN = re.compile(r"\d C\b")
#: The reason of a seizure-like episode with no fever recorded, in each language.
AFEBRILE = {
    "en": "(no temperature of 38.0 °C or more)",
    "es": "(ninguna temperatura de 38,0 °C o más)",
}
#: A spasm series on waking with no response: a same-day answer whose reasons include
#: the seizure-like episode with no fever recorded.
NO_FEVER_GIVEN = {**SPASM_EPISODE, "responsive": "no"}


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_no_rule_writes_a_temperature_without_its_degree_sign() -> None:
    for rule in RULES:
        for text in (rule.reason, rule.reason_if_no_count or "", *rule.advice):
            assert not NO_DEGREE_SIGN.search(text), (rule.id, text)
    assert "38.0 °C" in next(r.reason for r in RULES if r.id == "fever-under-3-months")
    markdown = rules_markdown()
    assert "38.0 °C" in markdown and not NO_DEGREE_SIGN.search(markdown)
    docs = Path(__file__).resolve().parents[2] / "docs" / "triage-rules.md"
    assert docs.read_text(encoding="utf-8") == markdown


def test_the_engines_fever_reason_says_its_degree_sign() -> None:
    fever = triage(
        {"child": {"age_months": 2}, "episodes": [{"movements": ["limb_jerk"], "fever_c": 38.2}]}
    )
    (reason,) = [r for r in fever.reasons if r.rule == "fever-under-3-months"]
    assert "38.0 °C or more" in reason.text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_page_and_the_report_write_the_degree_sign(tmp_path: Path, lang: str) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    start = datetime.now().replace(microsecond=0) - timedelta(hours=3)
    log_episode(parent, child, {**NO_FEVER_GIVEN, "started_at": start.isoformat()})
    parent.client.cookies.set("sw_lang", lang)
    page = _words(parent.client.get(f"/children/{child}").text)
    assert AFEBRILE[lang] in page
    assert not NO_DEGREE_SIGN.search(page), NO_DEGREE_SIGN.findall(page)
    report = _words(parent.client.get(f"/children/{child}/report.html").text)
    assert AFEBRILE[lang] in report
    assert not NO_DEGREE_SIGN.search(report), NO_DEGREE_SIGN.findall(report)
    # the API gives the rule's own (English) text, with the same sign
    answer = parent.api("GET", f"/api/v1/children/{child}/triage").json()
    (reason,) = [r for r in answer["reasons"] if r["rule"] == "afebrile-seizure-under-2"]
    assert "(no temperature of 38.0 °C or more)" in reason["text"]
