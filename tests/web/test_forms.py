"""Validation messages as a person reads them."""

import pytest

from spasmwatch.web.forms import _number, plain_message

LABELS = {"count": "How many movements", "fever_c": "Temperature (°C)"}


def test_a_whole_number_is_shown_as_it_was_typed() -> None:
    message = "Out of range for 'count': must be at least 1.0 and at most 500.0; got -3.0"
    assert plain_message("count", message, LABELS) == (
        "How many movements: must be at least 1 and at most 500; you gave -3"
    )


def test_a_fraction_is_shown_with_its_decimals() -> None:
    message = "Out of range for 'fever_c': must be at least 30 and at most 44; got 44.5"
    assert plain_message("fever_c", message, LABELS) == (
        "Temperature (°C): must be at least 30 and at most 44; you gave 44.5"
    )


def test_a_bound_of_another_shape_keeps_the_parsers_words() -> None:
    message = "Out of range for 'count': must be a whole number; got 2.0"
    assert plain_message("count", message, LABELS) == (
        "How many movements: must be a whole number; you gave 2"
    )


@pytest.mark.parametrize(
    ("field", "kind", "raw", "value"),
    [
        ("count", int, "8", 8),
        ("count", int, "about 8", 8),
        ("count", int, "eight", 8),
        ("count", int, "unos 8", 8),
        ("count", int, "1-2", 2),  # a count's range: its top, the cautious side
        ("movement_seconds", float, "1,5", 1.5),
        ("movement_seconds", float, "1-2", 1.5),
        ("interval_seconds", float, "1 min", 60.0),
        ("age_months", float, "3 weeks", 0.69),
        ("fever_c", float, "101 F", 38.33),
    ],
)
def test_numbers_are_read_as_people_type_them(field: str, kind: type, raw: str, value) -> None:
    errors: dict[str, str] = {}
    assert _number(raw, kind, field, errors, LABELS) == value
    assert errors == {}


@pytest.mark.parametrize(
    ("field", "kind", "raw"),
    [("count", int, "lots"), ("count", int, "2.5"), ("fever_c", float, "38 kg")],
)
def test_what_is_not_a_number_is_named_with_what_was_typed(
    field: str, kind: type, raw: str
) -> None:
    errors: dict[str, str] = {}
    assert _number(raw, kind, field, errors, LABELS) is None
    assert errors[field].startswith(LABELS[field] + ": please give")
    assert f"you typed '{raw}'" in errors[field]
