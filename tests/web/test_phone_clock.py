"""The family's clock, not the server's: the diary's times are the family's wall-clock
times, and the server may run in another time zone (a server on UTC is an hour behind
Madrid). A form sends the phone's time as it is sent (``phone_now``); "in the future" is
checked against it when it is plausible (within 14 hours of the server's clock), else
against the server's own clock."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.diary import episodes
from spasmwatch.diary.episodes import PHONE_CLOCK_RANGE, family_now
from spasmwatch.store import repo
from spasmwatch.web.clock import UTC_OFFSET_COOKIE, offset_of
from spasmwatch.web.forms import form_now
from web.webworld import add_child, anonymous, new_app, sign_up


def _minute(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def family(tmp_path: Path) -> dict[str, Any]:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Owner")
    return {"app": app, "owner": owner, "child": add_child(owner)}


def test_the_phones_clock_is_used_when_it_is_plausible() -> None:
    server = datetime(2026, 11, 20, 18, 18)
    madrid = server + timedelta(hours=1)
    assert family_now(madrid, server) == madrid
    # Time zones reach 14 hours either way; past that the phone's clock is not believed.
    assert family_now(server + PHONE_CLOCK_RANGE, server) == server + PHONE_CLOCK_RANGE
    assert family_now(server - timedelta(hours=13), server) == server - timedelta(hours=13)
    assert family_now(server + timedelta(hours=15), server) == server
    assert family_now(server - timedelta(days=400), server) == server
    assert family_now(None, server) == server
    # A form's field: a time as a datetime-local field writes it, with or without seconds.
    now = datetime.now()
    ahead = (now + timedelta(hours=1)).replace(microsecond=0)
    assert form_now({"phone_now": ahead.isoformat()}) == ahead
    for nonsense in ("", "tomorrow", "2026-13-40T99:00", "x" * 500):
        assert abs(form_now({"phone_now": nonsense}) - now) < timedelta(minutes=1)


def test_a_phone_an_hour_ahead_logs_its_real_time(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    now = datetime.now().replace(second=0, microsecond=0)
    # 19:18 in Madrid is "in the future" by a server on UTC, but not by the phone's clock.
    episode = {"movements": ["head_nod"], "started_at": _minute(now + timedelta(minutes=30))}
    phone = (now + timedelta(hours=1)).isoformat()
    saved = owner.form(f"/children/{child}/episodes/new", {**episode, "phone_now": phone})
    assert saved.status_code == 303, saved.text
    with family["app"].state.db.reading() as s:
        (row,) = repo.episodes_for(s, child)
    assert row.data["started_at"] == _minute(now + timedelta(minutes=30)) + ":00"
    # An edit is checked the same way.
    edited = owner.form(
        f"/children/{child}/episodes/{row.id}/edit", {**episode, "notes": "x", "phone_now": phone}
    )
    assert edited.status_code == 303, edited.text


def test_an_implausible_phone_time_is_ignored(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    now = datetime.now().replace(second=0, microsecond=0)
    episode = {"movements": ["head_nod"], "started_at": _minute(now + timedelta(minutes=30))}
    for phone in ((now + timedelta(hours=20)).isoformat(), "2099-01-01T00:00", "soon", ""):
        refused = owner.form(f"/children/{child}/episodes/new", {**episode, "phone_now": phone})
        assert refused.status_code == 422, phone
        assert 'id="started_at-error"' in refused.text and "is in the future" in refused.text
    # A phone behind the server's clock is the family's clock too: 30 minutes after its
    # time is in the future there.
    behind = (now - timedelta(hours=2)).isoformat()
    refused = owner.form(
        f"/children/{child}/episodes/new",
        {
            "movements": ["head_nod"],
            "started_at": _minute(now - timedelta(hours=1)),
            "phone_now": behind,
        },
    )
    assert refused.status_code == 422 and "is in the future" in refused.text


def test_an_episode_sent_from_the_phones_queue_uses_its_clock(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    now = datetime.now().replace(second=0, microsecond=0)
    fields = {"movements": "head_nod", "started_at": _minute(now + timedelta(minutes=40))}
    headers = {"X-CSRF-Token": owner.csrf, "Idempotency-Key": "k" * 20}
    path = f"/api/v1/children/{child}/episodes/form"
    refused = owner.client.post(path, data=fields, headers=headers)
    assert refused.status_code == 422 and "in the future" in refused.json()["detail"]["started_at"]
    phone = (now + timedelta(hours=1)).isoformat()
    sent = owner.client.post(path, data={**fields, "phone_now": phone}, headers=headers)
    assert sent.status_code == 201, sent.text


def test_the_forms_start_from_now_and_send_the_phones_clock(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    form = owner.client.get(f"/children/{child}/episodes/new").text
    field = re.search(r'<input id="started_at"[^>]*>', form)
    assert field is not None
    # The server's "now" is what a page without scripts shows; the page puts its own.
    assert "data-prefill-now" in field.group(0) and "data-max-ahead-minutes=" in field.group(0)
    assert 'name="phone_now"' in form and 'src="/static/forms.js"' in form
    # A start that came from happening-now mode (the phone's clock) is left as it is.
    linked = owner.client.get(f"/children/{child}/episodes/new?started_at=2026-11-20T07:05")
    field = re.search(r'<input id="started_at"[^>]*>', linked.text)
    assert field is not None and 'value="2026-11-20T07:05"' in field.group(0)
    assert "data-prefill-now" not in field.group(0)
    # The anonymous check starts from now too, as the diary's form does.
    check = anonymous(family["app"]).client.get("/check").text
    field = re.search(r'<input id="started_at"[^>]*>', check)
    assert field is not None and "data-prefill-now" in field.group(0)
    assert re.search(r'value="\d{4}-\d\d-\d\dT\d\d:\d\d"', field.group(0))
    assert 'name="phone_now"' in check
    # The treatment and skill forms send the phone's clock (their days are the family's).
    page = owner.client.get(f"/children/{child}").text
    for action in (f"/children/{child}/treatments", f"/children/{child}/milestones"):
        start = page.index(f'action="{action}"')
        assert 'name="phone_now"' in page[start : page.index("</form>", start)]


def test_a_day_is_the_familys_day(family: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """At 00:30 in Madrid a server on UTC is still on yesterday (23:30): a treatment
    started today and a skill seen today are not "in the future"."""
    owner, child = family["owner"], family["child"]
    today = date.today()
    server = datetime.combine(today, time(23, 30))

    class ServerClock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return server

    monkeypatch.setattr(episodes, "datetime", ServerClock)
    tomorrow = today + timedelta(days=1)
    phone = datetime.combine(tomorrow, time(0, 30)).isoformat()
    treatment = {"drug": "prednisolone", "start_date": tomorrow.isoformat()}
    refused = owner.form(f"/children/{child}/treatments", treatment)
    assert refused.status_code == 422 and "is in the future" in refused.text
    made = owner.form(f"/children/{child}/treatments", {**treatment, "phone_now": phone})
    assert made.status_code == 303, made.text
    skill = {"skill": "smiles", "status": "achieved", "on_date": tomorrow.isoformat()}
    refused = owner.form(f"/children/{child}/milestones", skill)
    assert refused.status_code == 422 and "is in the future" in refused.text
    made = owner.form(f"/children/{child}/milestones", {**skill, "phone_now": phone})
    assert made.status_code == 303, made.text
    # A phone day further off than any time zone is not believed.
    far = today + timedelta(days=3)
    refused = owner.form(
        f"/children/{child}/treatments",
        {"drug": "vigabatrin", "start_date": far.isoformat(), "phone_now": f"{far}T12:00"},
    )
    assert refused.status_code == 422 and "is in the future" in refused.text


def _offset_to_another_day() -> int:
    """A phone offset from UTC (minutes) whose day today is not the server's."""
    utc = datetime.now(UTC).replace(tzinfo=None)
    for minutes in (14 * 60, -12 * 60):
        if (utc + timedelta(minutes=minutes)).date() != date.today():
            return minutes
    raise AssertionError("UTC+14 and UTC-12 fall on the same day")  # pragma: no cover


def test_the_cookies_offset_is_believed_only_within_the_worlds_time_zones() -> None:
    assert offset_of("540") == 540 and offset_of("-300") == -300 and offset_of("0") == 0
    assert offset_of("840") == 840 and offset_of("-720") == -720
    for nonsense in (None, "", "841", "-721", "9e9", "1.5", "abc", "-", "540; x"):
        assert offset_of(nonsense) is None


def test_read_pages_take_the_familys_day_from_the_phones_offset(family: dict[str, Any]) -> None:
    # The phone's offset (which static/forms.js keeps in a cookie) puts the family on
    # another day than the server: the report periods count from the family's day, and
    # the pre-filled start time is the family's time.
    owner, child = family["owner"], family["child"]
    minutes = _offset_to_another_day()
    family_day = (datetime.now(UTC) + timedelta(minutes=minutes)).date()
    owner.client.cookies.set(UTC_OFFSET_COOKIE, str(minutes))
    page = owner.client.get(f"/children/{child}").text
    assert f"?from={(family_day - timedelta(days=13)).isoformat()}" in page
    assert f"?from={(date.today() - timedelta(days=13)).isoformat()}" not in page
    form = owner.client.get(f"/children/{child}/episodes/new").text
    started = re.search(r'name="started_at"[^>]*value="([^"]+)"', form)
    assert started and started.group(1).startswith(family_day.isoformat())
    # An offset no time zone has is ignored: the server's day stands.
    owner.client.cookies.set(UTC_OFFSET_COOKIE, "2000")
    page = owner.client.get(f"/children/{child}").text
    assert f"?from={(date.today() - timedelta(days=13)).isoformat()}" in page


def test_the_api_takes_the_callers_clock_from_x_local_time(family: dict[str, Any]) -> None:
    owner, child = family["owner"], family["child"]
    now = datetime.now().replace(second=0, microsecond=0)
    path = f"/api/v1/children/{child}/episodes"
    episode = {"movements": ["head_nod"], "started_at": _minute(now + timedelta(minutes=30))}
    # 30 minutes ahead of the server's clock is in the future by it...
    assert owner.api("POST", path, json=episode).status_code == 422
    # ...but not by a caller an hour ahead, which says so.
    ahead = {"X-Local-Time": (now + timedelta(hours=1)).isoformat()}
    made = owner.api("POST", path, json=episode, headers=ahead)
    assert made.status_code == 201, made.text
    replaced = owner.api("PUT", f"{path}/{made.json()['id']}", json=episode, headers=ahead)
    assert replaced.status_code == 200, replaced.text
    # An implausible clock is not believed; a value that is not a wall-clock time is named.
    far = {"X-Local-Time": (now + timedelta(days=2)).isoformat()}
    assert owner.api("POST", path, json=episode, headers=far).status_code == 422
    for bad in ("tomorrow", "2026-12-06T20:15+09:00"):
        refused = owner.api("POST", path, json=episode, headers={"X-Local-Time": bad})
        assert refused.status_code == 422
        assert "X-Local-Time" in refused.text and bad in refused.text
    with family["app"].state.db.reading() as s:
        assert len(repo.episode_texts(s, child)) == 1


def test_an_episode_keeps_the_familys_offset_for_the_fhir_export(family: dict[str, Any]) -> None:
    # A family five hours behind UTC logs 07:05; a server in another zone exports it as
    # 07:05-05:00 (the family's morning), not as 07:05 in the server's own zone.
    owner, child = family["owner"], family["child"]
    owner.client.cookies.set(UTC_OFFSET_COOKIE, "-300")
    episode = {"movements": ["head_nod"], "started_at": "2026-11-20T07:05"}
    assert owner.form(f"/children/{child}/episodes/new", episode).status_code == 303
    owner.client.cookies.delete(UTC_OFFSET_COOKIE)  # a phone whose page sent no offset
    episode = {"movements": ["arms_up"], "started_at": "2026-11-21T08:10"}
    assert owner.form(f"/children/{child}/episodes/new", episode).status_code == 303
    bundle = owner.api("GET", f"/api/v1/children/{child}/fhir").json()
    times = sorted(
        e["resource"]["effectiveDateTime"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and "effectiveDateTime" in e["resource"]
        and e["resource"]["effectiveDateTime"].startswith(("2026-11-20T07:05", "2026-11-21T08:10"))
    )
    assert times[0] == "2026-11-20T07:05:00-05:00"
    # without an offset the machine's zone stands, whatever it is
    machine = datetime(2026, 11, 21, 8, 10).astimezone()
    assert datetime.fromisoformat(times[1]) == machine
    with family["app"].state.db.reading() as s:
        kept = [row.data.get("utc_offset_minutes") for row in repo.episodes_for(s, child)]
    assert sorted(kept, key=str) == [-300, None]
