"""The quick check of a signed-in parent for one of their children: made with that child's
diary (nothing stored), so that earlier seizure-like episodes are read and a seizure now is
not called a first one; never less urgent than the episode alone; the anonymous check
unchanged; no "Sign up" for a signed-in parent; and the check's form filled in from
happening-now mode."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.diary import state
from spasmwatch.store import repo
from spasmwatch.triage import triage
from web.webworld import Person, add_child, anonymous, log_episode, new_app, sign_up

FIRST_SEIZURE_WORDS = "This looks like a first seizure"


def _minute(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M")


def _main(html: str) -> str:
    return re.sub(r"\s+", " ", html.split('<main id="main">')[1])


def _rules(main: str) -> list[str]:
    """The ids of the rules the answer gives as reasons."""
    return re.findall(r'<li data-rule="([a-z0-9-]+)"', main)


def _checked_how(main: str) -> str:
    found = re.search(r'id="checked-how">([^<]*)</p>', main)
    assert found is not None, "the answer says which episodes it read"
    return html.unescape(found.group(1).strip())


def _keep_box(main: str) -> str:
    return main.split('id="keep-h"')[1].split("</section>")[0]


def _seizure_now(**more: Any) -> dict[str, Any]:
    """The check's form: shaking and stiffness that has just stopped (2 minutes ago)."""
    return {
        "movements": ["rhythmic_jerking", "stiffening"],
        "episode_minutes": "1.5",
        "started_at": _minute(datetime.now() - timedelta(minutes=2)),
        **more,
    }


def _earlier_seizure(ago: timedelta) -> dict[str, Any]:
    return {
        "movements": ["rhythmic_jerking"],
        "episode_minutes": 2,
        "started_at": (datetime.now() - ago).replace(microsecond=0).isoformat(),
    }


def _stored(app: Any, child: int) -> int:
    with app.state.db.reading() as s:
        return len(repo.episodes_for(s, child))


def _family(tmp_path: Path, earlier: list[dict[str, Any]]) -> tuple[Any, Person, int]:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Lucia", "7")
    for episode in earlier:
        log_episode(parent, child, episode)
    return app, parent, child


#: A diary with a seizure-like episode a week ago and one earlier today.
EARLIER_SEIZURES = [
    _earlier_seizure(timedelta(days=7)),
    _earlier_seizure(timedelta(hours=5)),
]


def test_a_seizure_now_with_earlier_seizures_in_the_diary_is_not_called_first(
    tmp_path: Path,
) -> None:
    app, parent, child = _family(tmp_path, EARLIER_SEIZURES)
    answer = parent.form("/check", _seizure_now(child_id=str(child)))
    assert answer.status_code == 200
    main = _main(answer.text)
    rules = _rules(main)
    assert "level-emergency" in main
    assert "seizure-now" in rules and "seizure-more-than-once" in rules
    assert "first-seizure-now" not in rules and "first-seizure" not in rules
    assert FIRST_SEIZURE_WORDS not in main
    assert _checked_how(main) == "Checked with the 2 episodes already in Lucia's diary."
    # The diary's child was read: its age, not one typed into the form (none was).
    understood = main.split('id="understood-h"')[1].split("</section>")[0]
    assert "<dd>7</dd>" in understood
    # Nothing is stored by the check; it is kept in that diary only, if asked.
    assert _stored(app, child) == 2
    keep = _keep_box(main)
    assert "Sign up" not in keep and "sign up" not in keep
    assert "Nothing has been stored yet. Keep it in the diary" in keep
    assert f'name="child_id" value="{child}"' in keep and "Keep it for a new child" not in keep
    case = re.search(r'name="case" value="([^"]+)"', answer.text).group(1).replace("&#34;", '"')  # type: ignore[union-attr]
    kept = parent.form("/check/keep", {"case": case, "child_id": str(child)})
    assert kept.status_code == 303 and kept.headers["location"].startswith(f"/children/{child}")
    assert _stored(app, child) == 3


def test_a_warning_sign_checked_with_the_diary_is_an_emergency(tmp_path: Path) -> None:
    _app, parent, child = _family(tmp_path, EARLIER_SEIZURES)
    answer = parent.form(
        "/check",
        {"child_id": str(child), "red_flags": ["blue_or_grey"], "movements": ["staring"]},
    )
    assert answer.status_code == 200
    main = _main(answer.text)
    assert "level-emergency" in main and "red-flag-blue-or-grey" in _rules(main)


def test_without_earlier_seizures_a_first_seizure_is_still_said(tmp_path: Path) -> None:
    hiccups = {**_earlier_seizure(timedelta(days=3)), "movements": ["hiccups"]}
    _app, parent, child = _family(tmp_path, [hiccups])
    answer = parent.form("/check", _seizure_now(child_id=str(child)))
    assert answer.status_code == 200
    main = _main(answer.text)
    rules = _rules(main)
    assert "level-emergency" in main
    assert "first-seizure-now" in rules and "seizure-now" not in rules
    assert FIRST_SEIZURE_WORDS in main
    assert _checked_how(main) == "Checked with the 1 episode already in Lucia's diary."
    # An empty diary: the episode is the only one, and the page says so.
    other = add_child(parent, "Noa", "5")
    empty = _main(parent.form("/check", _seizure_now(child_id=str(other))).text)
    assert "first-seizure-now" in _rules(empty)
    assert _checked_how(empty) == (
        "Checked with Noa's diary, which holds no episodes yet: this one was checked on its own."
    )


def test_the_anonymous_check_is_unchanged(tmp_path: Path) -> None:
    app, _parent, child = _family(tmp_path, EARLIER_SEIZURES)
    visitor = anonymous(app)
    # A child_id sent by someone signed out is not read: the check is of this episode alone.
    answer = visitor.form("/check", _seizure_now(age_months="7", child_id=str(child)))
    assert answer.status_code == 200
    main = _main(answer.text)
    assert "first-seizure-now" in _rules(main) and "seizure-now" not in _rules(main)
    assert "Lucia" not in main
    assert _checked_how(main) == "Checked on its own: nothing is stored."
    assert "Sign up to keep a diary" in _keep_box(main)
    # without the age, the anonymous check still needs it
    refused = visitor.form("/check", _seizure_now())
    assert refused.status_code == 422 and 'id="age_months-error"' in refused.text
    form = visitor.client.get("/check").text
    assert "which-baby" not in form and "No account needed; nothing is stored." in form


def test_a_signed_in_check_for_another_baby_is_on_its_own_without_sign_up(
    tmp_path: Path,
) -> None:
    _app, parent, child = _family(tmp_path, EARLIER_SEIZURES)
    answer = parent.form("/check", _seizure_now(child_id="", age_months="7"))
    assert answer.status_code == 200
    main = _main(answer.text)
    assert "first-seizure-now" in _rules(main)
    assert _checked_how(main) == "Checked on its own: nothing is stored."
    keep = _keep_box(main)
    assert "Sign up" not in keep
    assert "Nothing has been stored yet. Keep it in the diary" in keep
    assert f'name="child_id" value="{child}"' in keep and "Keep it for a new child" in keep
    # A parent with no child yet is told to keep it in their diary, not to sign up.
    newcomer = sign_up(_app, "bob@example.org")
    alone = _main(newcomer.form("/check", _seizure_now(age_months="7")).text)
    assert "Sign up" not in _keep_box(alone)
    assert "Keep it in your diary: add your baby" in _keep_box(alone)


def test_the_form_asks_which_baby_and_picks_the_only_one(tmp_path: Path) -> None:
    app, parent, child = _family(tmp_path, [])
    form = _main(parent.client.get("/check").text)
    assert "Which baby is it?" in form
    assert f'name="child_id" value="{child}" checked' in form
    assert 'name="child_id" value="" >' in form
    assert "Nothing is stored until you choose to keep it." in form
    assert "No account needed" not in form
    other = add_child(parent, "Noa", "5")
    both = _main(parent.client.get("/check").text)
    assert f'value="{child}" checked' not in both and f'value="{other}" checked' not in both
    assert 'name="child_id" value="" checked' in both
    # A choice sent back with a problem stays chosen.
    refused = parent.form("/check", {"child_id": str(other), "count": "lots"})
    assert refused.status_code == 422
    assert f'name="child_id" value="{other}" checked' in refused.text
    # Someone else's child is not found; nothing is read or stored.
    stranger = sign_up(app, "eve@example.org")
    assert stranger.form("/check", _seizure_now(child_id=str(child))).status_code == 404


def test_an_episode_that_does_not_fit_the_child_is_refused_by_field(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    born = date.today() - timedelta(days=60)
    made = parent.form("/children/new", {"name": "Lucia", "birth_date": born.isoformat()})
    assert made.status_code == 303, made.text
    child = int(made.headers["location"].rsplit("/", 1)[1])
    before_birth = datetime.combine(born - timedelta(days=3), datetime.min.time())
    refused = parent.form(
        "/check", _seizure_now(child_id=str(child), started_at=_minute(before_birth))
    )
    assert refused.status_code == 422
    assert 'id="started_at-error"' in refused.text and "before the date of birth" in refused.text


def test_a_diary_that_would_lower_the_answer_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Safety: the diary's episodes may only add to the answer; should the answer with them
    ever be less urgent than the episode's own, the episode's own is shown."""
    _app, parent, child = _family(tmp_path, EARLIER_SEIZURES)
    nothing = triage({"child": {"age_months": 7}, "episodes": []})
    monkeypatch.setattr(state, "triage_with_unsaved", lambda *args, **kwargs: nothing)
    main = _main(parent.form("/check", _seizure_now(child_id=str(child))).text)
    assert "level-emergency" in main and "first-seizure-now" in _rules(main)
    assert _checked_how(main).startswith(
        "Checked on its own: this episode alone calls for help sooner than with Lucia"
    )


def test_keeping_it_without_a_time_asks_again_with_the_same_diary(tmp_path: Path) -> None:
    app, parent, child = _family(tmp_path, EARLIER_SEIZURES)
    answer = parent.form("/check", _seizure_now(child_id=str(child), started_at=""))
    case = re.search(r'name="case" value="([^"]+)"', answer.text).group(1).replace("&#34;", '"')  # type: ignore[union-attr]
    assert 'name="checked_with"' in answer.text
    ahead = _minute(datetime.now() + timedelta(days=1))
    again = parent.form(
        "/check/keep",
        {"case": case, "child_id": str(child), "checked_with": str(child), "started_at": ahead},
    )
    assert again.status_code == 422
    main = _main(again.text)
    assert 'id="started_at-error"' in main
    assert _checked_how(main) == "Checked with the 2 episodes already in Lucia's diary."
    assert _stored(app, child) == 2


def test_the_check_is_filled_in_from_happening_now_mode(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    start = _minute(datetime.now() - timedelta(minutes=3))
    query = (
        f"/check?started_at={start}&episode_minutes=2.5&from=now"
        "&movements=rhythmic_jerking&movements=stiffening"
    )
    form = _main(visitor.client.get(query).text)
    assert 'name="movements" value="rhythmic_jerking" checked' in form
    assert 'name="movements" value="stiffening" checked' in form
    assert 'id="episode_minutes" name="episode_minutes" inputmode="decimal" value="2.5"' in form
    assert f'value="{start}"' in form
    assert "untick the one you did not see" in form
    # Taps alone say nothing of what the movements looked like: the form asks for them.
    taps = _main(visitor.client.get(f"/check?started_at={start}&count=4&from=now").text)
    assert "Pick the movements you saw" in taps
    assert re.search(r'name="movements" value="\w+" checked', taps) is None
    # Without the link from happening-now mode, the form says nothing about a timer.
    assert 'id="from-now"' not in _main(visitor.client.get("/check").text)


def test_the_diarys_form_is_filled_in_from_happening_now_mode_too(tmp_path: Path) -> None:
    _app, parent, child = _family(tmp_path, [])
    start = _minute(datetime.now() - timedelta(minutes=3))
    query = f"started_at={start}&episode_minutes=2.5&from=now&movements=rhythmic_jerking"
    form = _main(parent.client.get(f"/children/{child}/episodes/new?{query}").text)
    assert 'name="movements" value="rhythmic_jerking" checked' in form
    assert 'id="from-now"' in form
