"""Treatment, development and the work-up on the child page and in the JSON API: the
forms (each problem next to its field, what was typed kept, never a traceback), who sees
the forms, and a lost skill changing the advice."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from web.webworld import add_child, add_member, new_app, sign_up


@pytest.fixture
def family(tmp_path: Path) -> dict[str, Any]:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Owner")
    viewer = sign_up(app, "viewer@example.org", "Viewer")
    child = add_child(owner)
    add_member(owner, child, viewer, "viewer")
    return {"owner": owner, "viewer": viewer, "child": child}


def test_a_treatment_added_shows_with_its_response(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    page = owner.client.get(f"/children/{child}").text
    assert "Treatment and response" in page and "No treatment recorded." in page
    assert 'list="drug-suggestions"' in page and '<option value="vigabatrin">' in page
    start = (date.today() - timedelta(days=4)).isoformat()
    made = owner.form(
        f"/children/{child}/treatments",
        {"drug": "prednisolone", "dose": "10 mg qds", "route": "by_mouth", "start_date": start},
    )
    assert made.status_code == 303 and made.headers["location"].endswith("#treatment")
    page = owner.client.get(f"/children/{child}").text
    assert "<strong>prednisolone</strong> · 10 mg qds · by mouth" in page
    assert "too early to tell: 38 more days to day 42" in page
    assert "Day 5 of treatment" in page


def test_form_problems_name_the_field_and_keep_what_was_typed(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    answer = owner.form(
        f"/children/{child}/treatments",
        {"drug": "", "dose": "5 mg", "start_date": "last week", "stop_date": "2026-13-01"},
    )
    assert answer.status_code == 422
    text = answer.text
    assert "Medicine: please name the medicine" in text
    assert "Started on: please give a date as YYYY-MM-DD" in text and "last week" in text
    assert "Stopped on: please give a date" in text
    assert 'value="5 mg"' in text and "Traceback" not in text
    answer = owner.form(
        f"/children/{child}/milestones", {"skill": "other", "status": "lost", "on_date": ""}
    )
    assert answer.status_code == 422
    assert "Which skill: please name the skill" in answer.text
    assert "Since when: please give a date" in answer.text
    answer = owner.form(f"/children/{child}/workup", {"test": "eeg", "status": "result_noted"})
    assert answer.status_code == 422 and "Result: please write the result down" in answer.text
    answer = owner.form(f"/children/{child}/workup", {"test": "x-ray", "status": "done"})
    assert answer.status_code == 422 and "Test: allowed are eeg" in answer.text


def test_form_problems_in_spanish_name_the_field_as_the_page_shows_it(
    family: dict[str, Any],
) -> None:
    owner, child = family["owner"], family["child"]
    es = {"Accept-Language": "es"}
    answer = owner.form(
        f"/children/{child}/treatments",
        {"drug": "prednisolona", "start_date": "2026-11-20", "stop_date": "2026-11-19"},
        headers=es,
    )
    assert answer.status_code == 422
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.text))
    said = "Se dejó el: 2026-11-19 es anterior al inicio (2026-11-20)"
    assert said in text and text.count(said) == 2  # in the summary and under the field
    assert 'id="t-stop-error"' in answer.text
    assert "Se dejó el (si se ha dejado)" in text  # the field's label on the page
    assert "stop_date" not in text and "Stopped on" not in text and "before the start" not in text
    answer = owner.form(
        f"/children/{child}/milestones", {"skill": "other", "status": "lost"}, headers=es
    )
    assert answer.status_code == 422
    assert "Qué habilidad: escriba el nombre de la habilidad" in answer.text
    assert "Desde cuándo: indique una fecha" in answer.text and "please" not in answer.text
    answer = owner.form(
        f"/children/{child}/workup", {"test": "eeg", "status": "result_noted"}, headers=es
    )
    assert answer.status_code == 422
    assert "Resultado: anote el resultado o elija otro estado" in answer.text
    # the JSON API says its problems in English, whatever the language asked
    bad = owner.api("POST", f"/api/v1/children/{child}/treatments", json={"drug": "x"}, headers=es)
    assert bad.status_code == 422
    assert "Invalid value for 'start_date': Started on: please give a date" in bad.text


def test_a_lost_skill_changes_the_advice(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    assert 'class="triage level-none"' in owner.client.get(f"/children/{child}").text
    lost = {"skill": "rolls_over", "status": "lost", "on_date": date.today().isoformat()}
    assert owner.form(f"/children/{child}/milestones", lost).status_code == 303
    page = owner.client.get(f"/children/{child}").text
    assert 'class="triage level-same_day"' in page
    assert "The baby has lost skills they had (regression)" in page
    assert "<strong>Regression:</strong> rolls over lost since" in page
    milestone = re.findall(r'id="milestone-(\d+)"', page)[0]
    assert owner.form(f"/children/{child}/milestones/{milestone}/delete").status_code == 303
    assert 'class="triage level-none"' in owner.client.get(f"/children/{child}").text


def test_the_workup_lists_every_test_and_keeps_a_change(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    page = owner.client.get(f"/children/{child}").text
    for name in ("EEG, awake and asleep", "MRI (or CT) of the brain", "Wood&#39;s lamp",
                 "Blood and urine tests", "Lumbar puncture", "Genetic tests"):  # fmt: skip
        assert name in page
    assert page.count('<span class="workup-status">not recorded</span>') == 6
    # Nothing recorded and no visit advised today: the list is folded away, with what it is.
    assert '<details class="workup-fold">' in page and "The doctor decides which ones" in page
    change = {"test": "eeg", "status": "booked", "on_date": "2027-01-05"}
    assert owner.form(f"/children/{child}/workup", change).status_code == 303
    page = owner.client.get(f"/children/{child}").text
    assert '<span class="workup-status">booked</span> · 5 Jan 2027' in page
    assert '<details class="workup-fold">' not in page  # one test under way: open


def test_a_viewer_reads_but_gets_no_forms(family: dict[str, Any]) -> None:
    owner, viewer, child = family["owner"], family["viewer"], family["child"]
    start = date.today().isoformat()
    owner.form(f"/children/{child}/treatments", {"drug": "vigabatrin", "start_date": start})
    page = viewer.client.get(f"/children/{child}").text
    assert "<strong>vigabatrin</strong>" in page and "Tests (work-up)" in page
    assert f'action="/children/{child}/treatments"' not in page
    assert f'action="/children/{child}/workup"' not in page
    assert "/edit" not in page.split('id="treatment"')[1].split("</section>")[0]


def test_editing_a_treatment(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    owner.form(f"/children/{child}/treatments", {"drug": "ACTH", "start_date": "2026-11-01"})
    page = owner.client.get(f"/children/{child}").text
    treatment = re.findall(r'id="treatment-(\d+)"', page)[0]
    form = owner.client.get(f"/children/{child}/treatments/{treatment}/edit")
    assert form.status_code == 200 and 'value="ACTH"' in form.text
    assert 'value="2026-11-01"' in form.text
    edited = owner.form(
        f"/children/{child}/treatments/{treatment}/edit",
        {"drug": "ACTH (tetracosactide)", "start_date": "2026-11-01", "stop_date": "2026-11-15"},
    )
    assert edited.status_code == 303
    page = owner.client.get(f"/children/{child}").text
    assert "ACTH (tetracosactide)" in page and "to 15 Nov 2026" in page


def test_editing_a_milestone_to_lost_shows_regression(family: dict[str, Any]) -> None:
    owner, viewer, child = family["owner"], family["viewer"], family["child"]
    today = date.today().isoformat()
    owner.form(
        f"/children/{child}/milestones",
        {"skill": "babbles", "status": "achieved", "on_date": today},
    )
    page = owner.client.get(f"/children/{child}").text
    assert "Regression:" not in page
    milestone = re.findall(r'id="milestone-(\d+)"', page)[0]
    assert f"/children/{child}/milestones/{milestone}/edit" in page
    assert (
        "/edit"
        not in viewer.client.get(f"/children/{child}")
        .text.split('id="development"')[1]
        .split("</section>")[0]
    )
    form = owner.client.get(f"/children/{child}/milestones/{milestone}/edit")
    assert form.status_code == 200 and "Edit the skill" in form.text
    assert f'value="{today}"' in form.text
    bad = owner.form(
        f"/children/{child}/milestones/{milestone}/edit",
        {"skill": "babbles", "status": "lost", "on_date": "", "note": "kept"},
    )
    assert bad.status_code == 422 and ">kept</textarea>" in bad.text
    edited = owner.form(
        f"/children/{child}/milestones/{milestone}/edit",
        {"skill": "babbles", "status": "lost", "on_date": today},
    )
    assert edited.status_code == 303 and edited.headers["location"].endswith(
        f"#milestone-{milestone}"
    )
    page = owner.client.get(f"/children/{child}").text
    assert "Regression:" in page and page.count('id="milestone-') == 1


def test_the_api(family: dict[str, Any]) -> None:
    owner, viewer, child = family["owner"], family["viewer"], family["child"]
    base = f"/api/v1/children/{child}"
    made = owner.api(
        "POST", f"{base}/treatments", json={"drug": "vigabatrin", "start_date": "2026-11-01"}
    )
    assert made.status_code == 201 and made.json()["route"] == "by_mouth"
    listed = viewer.api("GET", f"{base}/treatments").json()
    assert listed[0]["drug"] == "vigabatrin" and "outcome" in listed[0]["response"]
    bad = owner.api("PUT", f"{base}/treatments/{made.json()['id']}", json={"drug": "x", "when": 1})
    assert bad.status_code == 422
    assert (
        "Invalid value for 'start_date': Started on: please give a date" in bad.json()["detail"][1]
    )
    lost = owner.api(
        "POST",
        f"{base}/milestones",
        json={"skill": "babbles", "status": "lost", "on_date": date.today().isoformat()},
    )
    assert lost.status_code == 201 and lost.json()["triage"]["level"] == "same_day"
    assert viewer.api("GET", f"{base}/milestones").json()["regression"]["present"] is True
    put = owner.api("PUT", f"{base}/workup", json={"test": "genetic", "status": "done"})
    assert put.status_code == 200 and put.json()["status"] == "done"
    assert [w["status"] for w in viewer.api("GET", f"{base}/workup").json()][-1] == "done"
    assert (
        viewer.api("PUT", f"{base}/workup", json={"test": "eeg", "status": "done"}).status_code
        == 403
    )
    summary = viewer.api("GET", f"{base}/care").json()
    assert set(summary) == {"today", "treatments", "milestones", "regression", "workup"}
    zipped = viewer.api("GET", f"{base}/csv.zip")
    assert zipped.status_code == 200 and zipped.content[:2] == b"PK"
    table = viewer.api("GET", f"{base}/episodes.csv")
    assert table.content.startswith(b"\xef\xbb\xbfid,started_at,")  # for Excel's sake


def test_the_sections_speak_spanish(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    start = (date.today() - timedelta(days=4)).isoformat()
    owner.form(f"/children/{child}/treatments", {"drug": "vigabatrin", "start_date": start})
    lost = {"skill": "sits", "status": "lost", "on_date": date.today().isoformat()}
    owner.form(f"/children/{child}/milestones", lost)
    page = owner.client.get(f"/children/{child}", headers={"Accept-Language": "es"}).text
    for words in ("Tratamiento y respuesta", "faltan 38 días para el día 42", "se sienta",
                  "Pruebas genéticas", "Por qué:", "por boca", "sin anotar",
                  "El médico decide cuáles"):  # fmt: skip
        assert words in page, words
    assert "Treatment and response" not in page and "too early to tell" not in page
