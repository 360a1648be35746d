"""Every source the family reads after "Source:" names who published it (an organisation
or the authors) and the document, not "emergency guidance pages"."""

from __future__ import annotations

import pytest

from spasmwatch.case import parse_case
from spasmwatch.report.triage_words import DESIGN_TAG, DESIGN_WORDS, source_words
from spasmwatch.testing.triage.blind_vignettes import NOW as BLIND_NOW
from spasmwatch.testing.triage.blind_vignettes import VIGNETTES as BLIND
from spasmwatch.testing.triage.casebuild import NOW as REGRESSION_NOW
from spasmwatch.testing.triage.independent_vignettes import NOW, half
from spasmwatch.testing.triage.regression_vignettes import VIGNETTES as REGRESSION
from spasmwatch.triage import RULES, SOURCES, triage

#: Who publishes the rules' sources: an organisation, or a paper's authors.
PUBLISHERS = (
    "AAP 2011 (American Academy of Pediatrics)",
    "American Academy of Pediatrics",
    "Children's Epilepsy Workstream in Trent",
    "Children's Health (Talai)",
    "Di Capua et al.",
    "DiseaseMaps",
    "Edwards & Al Khalili",
    "Epilepsy Action Australia",
    "Epilepsy Foundation",
    "Eslami",
    "GeneReviews (University of Washington)",
    "ILAE",
    "Infantile Spasms Action Network",
    "International Child Neurology Association",
    "Le Bonheur Children's Hospital",
    "McGraw Hill",
    "MedHelp",
    "NHS Scotland",
    "NHS website (nhs.uk)",
    "NICE",
    "Smith & Matthews",
    "Tibussek et al.",
    "Trinka et al.",
    "WebMD",
    "Wirrell et al.",
    "Zuberi et al.",
)
#: What the sources said before they named who and what: words that name no one.
VAGUE = (
    "guidance pages",
    "UK EEG within 3 days",
    "GI references",
    "A parents' forum thread",
    "ISAN STOP",
    "CEWT guideline",
)


def _citations(source: str) -> list[str]:
    """The citations of a source: its parts between "; " outside parentheses, less the
    ``[design]`` notes (the app's own choice, tagged, or said as such to the family)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(source):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and source.startswith("; ", i):
            parts.append(source[start:i])
            start = i + 2
    parts.append(source[start:])
    return [p for p in parts if not (p.startswith(DESIGN_TAG) or p.endswith(DESIGN_WORDS))]


def _publisher(citation: str) -> str | None:
    return next((p for p in PUBLISHERS if citation.startswith(p)), None)


def _vignette_sources() -> set[str]:
    """The distinct sources of every answer to every vignette."""
    answers = [
        triage(parse_case(v["case"]), now=NOW) for name in ("tuning", "test") for v in half(name)
    ]
    answers += [triage(parse_case(v["case"]), now=BLIND_NOW) for v in BLIND]
    answers += [triage(parse_case(data), now=REGRESSION_NOW) for _, data, _ in REGRESSION]
    return {reason.source for answer in answers for reason in answer.reasons}


def test_the_citation_splitter_keeps_notes_in_parentheses_whole() -> None:
    hiccups = _citations(SOURCES["hiccups"])
    assert len(hiccups) == 1 and hiccups[0].endswith("more than the baby)")
    seizure_now = _citations(SOURCES["seizure-now"])
    assert seizure_now[0].startswith("NHS Scotland, Royal Hospital for Children Glasgow, ")
    assert seizure_now[0].endswith("(paediatric referral guidance)")
    assert seizure_now[-1].endswith("(a first seizure: call for emergency help)")
    assert _citations("[design] spasmwatch safety principle") == []


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_every_citation_names_its_publisher_and_its_document(key: str) -> None:
    for citation in _citations(SOURCES[key]):
        publisher = _publisher(citation)
        assert publisher is not None, (key, citation)
        # the document after the publisher: a title, a guideline's number or a journal
        assert len(citation) > len(publisher) + 10, (key, citation)
    for words in VAGUE:
        assert words not in SOURCES[key], (key, words)


def test_every_source_the_family_reads_names_a_publisher() -> None:
    """Every rule's source as the pages, the report and the terminal say it after
    "Source:" (its ``[design]`` note in words), and every source an answer to a vignette
    gives, name who published each citation."""
    said = {source_words(rule.source_text) for rule in RULES}
    given = _vignette_sources()
    assert given <= {rule.source_text for rule in RULES}
    for source in said | given:
        for citation in _citations(source):
            assert _publisher(citation), citation
    # the warning signs cite the guidance by name, not "emergency guidance pages"
    sources = {r.id: r.source_text for r in RULES}
    signs = [i for i in sources if i.startswith("red-flag-") or i == "fever-under-3-months"]
    for rule_id in signs:
        if rule_id != "red-flag-seizure-5-minutes":  # status epilepticus: Trinka et al.
            assert "NICE NG143, Fever in under 5s" in sources[rule_id], rule_id
    assert "'What to do if someone has a seizure (fit)'" in SOURCES["emergency"]


def test_the_eeg_within_3_days_is_the_guideline_s() -> None:
    stop = SOURCES["stop"]
    assert "Infantile Spasms Action Network (ISAN)" in stop
    assert "Children's Epilepsy Workstream in Trent (CEWT)" in stop
    assert stop.endswith("(UK guidance: an EEG within 3 days)")
