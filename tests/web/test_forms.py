"""Validation messages as a person reads them."""

from spasmwatch.web.forms import plain_message

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
