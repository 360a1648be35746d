"""Fuzzed case documents and CSV files: every one is either accepted or refused with
:class:`~spasmwatch.errors.InvalidCase` naming the problem; nothing else ever escapes
(no RecursionError, no ValueError from a huge integer, no crash in the triage)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmwatch.case import VOCABULARIES, load_case
from spasmwatch.errors import InvalidCase
from spasmwatch.report.tabular import parse_episodes_csv
from spasmwatch.triage import triage

FIELDS = {
    "child": ["age_months", "birth_date", "born_weeks", "conditions", "development"],
    "episode": [
        "started_at", "state", "movements", "side", "movement_seconds", "count",
        "interval_seconds", "episode_minutes", "stops_when_woken", "stops_when_held",
        "stops_with_distraction", "responsive", "after", "triggers", "fever_c", "red_flags",
        "typical_for_child", "notes",
    ],
}  # fmt: skip
WORDS = sorted({w for vocab in VOCABULARIES.values() for w in vocab})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(WORDS),
    st.sampled_from(["2026-11-20T07:05:00", "2026-05-01", "2099-01-01", "", "nan", "1e999"]),
    st.text(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


def _record(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from(FIELDS[kind]) | st.text(max_size=8)
    vocab_lists = st.lists(st.sampled_from(WORDS), max_size=4)
    return st.dictionaries(keys, values | vocab_lists, max_size=8)


documents = st.one_of(
    st.fixed_dictionaries(
        {"child": _record("child"), "episodes": st.lists(_record("episode"), max_size=4)}
    ),
    st.dictionaries(st.sampled_from(["child", "episodes", "x"]), values, max_size=3),
    values,
)


def _check(text: str | bytes) -> None:
    try:
        case = load_case(text, "fuzz.json")
    except InvalidCase as exc:
        assert str(exc).strip()
        return
    triage(case)


FAST = settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(documents)
def test_fuzzed_case_documents_never_crash(document: Any) -> None:
    _check(json.dumps(document))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_fuzzed_case_bytes_never_crash(data: bytes | str) -> None:
    _check(data)


def test_hostile_case_documents_are_refused_clearly() -> None:
    hostile = [
        "[" * 100_000 + "]" * 100_000,
        '{"child": ' * 50_000 + "1" + "}" * 50_000,
        '{"child": {"age_months": ' + "9" * 5000 + "}}",
        '{"child": {"age_months": 6}, "episodes": [{"count": ' + "1" * 10_000 + "}]}",
        '{"child": {"age_months": 1e999}}',
        '{"child": {"age_months": NaN}}',
        '{"child": {"age_months": -Infinity}}',
        '{"child": {"age_months": 6}, "episodes": [{"movements": ["head_nod"], '
        '"fever_c": Infinity}]}',
        '{"child": {"conditions": ' + "[" * 3000 + "]" * 3000 + ', "age_months": 3}}',
        "\ud800",
        b"\xff\xfe{",
    ]
    for text in hostile:
        try:
            load_case(text, "hostile.json")
        except InvalidCase as exc:
            assert "hostile.json" in str(exc) or str(exc).strip(), text[:40]
        else:
            raise AssertionError(f"accepted {text[:60]!r}")


csv_cells = st.one_of(
    st.sampled_from([*WORDS, "head_nod;arms_up", "2026-11-20T07:05", "1e999", "nan", "-1"]),
    st.text(max_size=12),
    st.integers().map(str),
    st.floats().map(str),
)
csv_headers = st.lists(
    st.sampled_from(FIELDS["episode"]) | st.text(max_size=8), min_size=1, max_size=6
)


@settings(max_examples=700, deadline=None, derandomize=True)
@given(csv_headers, st.lists(st.lists(csv_cells, max_size=7), max_size=5), st.sampled_from(",;\t"))
def test_fuzzed_csv_never_crashes(header: list[str], rows: list[list[str]], sep: str) -> None:
    def line(cells: list[str]) -> str:
        return sep.join('"' + c.replace('"', '""') + '"' for c in cells)

    text = "\n".join([line(header), *(line(r) for r in rows)])
    for child in ({"age_months": 6}, {"birth_date": "2026-05-01"}):
        result = parse_episodes_csv(text, child)
        assert all(p.message for p in result.problems)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.binary(max_size=300))
def test_fuzzed_csv_bytes_never_crash(data: bytes) -> None:
    parse_episodes_csv(data, {"age_months": 6})
