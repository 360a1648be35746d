"""The family's sentence on an EEG's quiet stretches is said at the child's age at the
recording: past the newborn period on the child page and in the analysis fragment it
polls; not for a newborn, whose discontinuous background is normal; the day is the file's
own where its header gives a real one, else the upload's."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest

from spasmwatch.web.eeg_statement import newborn_at_recording
from web.webworld import EDF_FILE, add_child, new_app, sign_up, upload

BURST = EDF_FILE.parent.parent / "real_infant" / "eeg_burst_eg.edf"
QUIET = "This EEG has stretches where the brain waves go very quiet"
UPLOADED = datetime(2026, 3, 1, 9, 0)


def _child(**fields: Any) -> SimpleNamespace:
    """A child's age fields as the store keeps them (none known by default)."""
    known = {"birth_date": None, "age_months": None, "age_recorded_on": date(2026, 3, 1)}
    return SimpleNamespace(**{**known, "born_weeks": None, **fields})


def _result(start: str | None) -> dict[str, Any]:
    return {"recording": {"start": start}, "background": {}}


@pytest.mark.parametrize(
    ("born", "newborn"),
    # the newborn period ends at 28 days for a baby born at term
    [(date(2026, 2, 2), True), (date(2026, 2, 1), False)],
)
def test_the_newborn_period_ends_at_28_days(born: date, newborn: bool) -> None:
    child = _child(birth_date=born)
    assert newborn_at_recording(_result(None), UPLOADED, child) is newborn


@pytest.mark.parametrize(
    ("weeks", "newborn"),
    # 60 days is 8.6 weeks: under 44 weeks of postmenstrual age when born before 35.4
    [(35.0, True), (36.0, False)],
)
def test_a_preterm_baby_is_a_newborn_until_44_weeks(weeks: float, newborn: bool) -> None:
    child = _child(birth_date=date(2025, 12, 31), born_weeks=weeks)
    assert newborn_at_recording(_result(None), UPLOADED, child) is newborn


def test_the_files_own_day_comes_before_the_uploads() -> None:
    child = _child(birth_date=date(2026, 1, 1))
    # recorded at 10 days old, uploaded at 59: a newborn's EEG
    assert newborn_at_recording(_result("2026-01-11T08:00:00"), UPLOADED, child) is True
    # a placeholder date (an anonymised file) is not the recording's: the upload's day
    assert newborn_at_recording(_result("1985-01-01T00:00:00"), UPLOADED, child) is False
    # nor is a date after the upload: 9 days old when sent, a file dated months later
    young = _child(birth_date=date(2026, 2, 20))
    assert newborn_at_recording(_result("2026-09-01T08:00:00"), UPLOADED, young) is True
    assert newborn_at_recording(_result("2026-03-01T08:00:00"), UPLOADED, young) is True


def test_an_age_in_months_counts_from_the_day_it_was_given() -> None:
    child = _child(age_months=1.0, age_recorded_on=date(2026, 2, 20))  # ~40 days on 1 March
    assert newborn_at_recording(_result(None), UPLOADED, child) is False
    younger = _child(age_months=0.5, age_recorded_on=date(2026, 2, 20))  # ~24 days
    assert newborn_at_recording(_result(None), UPLOADED, younger) is True


def test_no_child_or_no_age_is_not_known() -> None:
    assert newborn_at_recording(_result(None), UPLOADED, None) is None
    assert newborn_at_recording(_result(None), UPLOADED, _child()) is None
    # a file dated before the birth: its date is not the recording's
    child = _child(birth_date=date(2026, 2, 1))
    assert newborn_at_recording(_result("2026-01-11T08:00:00"), UPLOADED, child) is None


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_child_page_says_it_past_the_newborn_period_only(tmp_path: Any) -> None:
    """The real burst-suppression file (its header's date a placeholder, so the upload's
    day counts): to a 6-month-old's family the sentence is said on the child page and in
    the analysis fragment; to a 2-week-old's, neither."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    older = add_child(owner, "Mia", age="6")
    newborn = add_child(owner, "Leo", age="0.5")
    for child, said in ((older, True), (newborn, False)):
        eeg = upload(owner, child, BURST)
        page = _text(owner.client.get(f"/children/{child}").text)
        fragment = _text(owner.client.get(f"/children/{child}/attachments/{eeg}/analysis").text)
        assert "EEG analysis:" in page and "EEG analysis:" in fragment
        assert (QUIET in page) is said
        assert (QUIET in fragment) is said
