"""What a doctor reads first at a share link: the level and its headline, the period's
counts and one line a video and an EEG, above the child's details, in the words of the
report's first page (the same lines: one template, ``report/_summary_lines.html``), each
leading to its section below; and the EEG's section says the longest possible seizure and
that the seizure detector was made on newborns' EEG.

The family filmed a cluster in a dark room (``dark.mp4``: "0 spasm-like, 0 clusters: none
detected; the picture limits the result (too dark)") and brought a real infant's EEG
(``demo.edf``: "unlikely (... not ruled out)", six possible seizures, the longest 391 s).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from report.recordings import dark_video
from spasmwatch.diary.reporting import build_report
from spasmwatch.i18n import translations
from spasmwatch.report import render_html
from spasmwatch.report.build import NEWBORN_DETECTOR
from web.test_eeg_statement import DEMO
from web.webworld import (
    SPASM_EPISODE,
    add_child,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
    upload,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("first-lines")
    app = new_app(tmp)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Noa", age="6")
    log_episode(owner, child, SPASM_EPISODE)
    video = upload(owner, child, dark_video(tmp))
    eeg = upload(owner, child, DEMO)
    token, _ = share(owner, child)
    return {"app": app, "child": child, "token": token, "video": video, "eeg": eeg}


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _glance(page: str) -> str:
    return page.split('<section class="glance"', 1)[1].split("</section>", 1)[0]


def _lines(html: str, kind: str) -> list[str]:
    return [_text(s) for s in re.findall(rf'<span class="{kind}-line">(.*?)</span>', html)]


def _page(world: dict[str, Any], lang: str) -> str:
    client = anonymous(world["app"]).client
    response = client.get(f"/s/{world['token']}", headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_first_lines_are_the_reports_first_page(world: dict[str, Any], lang: str) -> None:
    page = _page(world, lang)
    glance = _glance(page)
    report = render_html(build_report(world["app"].state.db, world["child"]), locale=lang)
    for kind in ("video", "eeg"):
        said = _lines(glance, kind)
        assert said and said == _lines(report, kind), kind
    _ = translations(lang).gettext
    (video,) = _lines(glance, "video")
    assert video.startswith("dark.mp4: 0 ") and f"({_('too dark')})" in video
    (eeg,) = _lines(glance, "eeg")
    not_ruled_out = _("high amplitude without enough discharges found: not ruled out")
    assert eeg.startswith("demo.edf: ") and f"{_('unlikely')} ({not_ruled_out})" in eeg
    assert eeg.endswith("391 s")
    # the level and its headline, as the triage below says them
    level = re.search(
        r'<span class="badge level-(\w+)">(.*?)</span> <strong>(.*?)</strong>', glance
    )
    assert level, glance
    reasoning = page.split('id="reasoning-h"', 1)[1]
    assert (
        f'<span class="badge level-{level[1]}">{level[2]}</span> <strong>{level[3]}</strong>'
        in (reasoning)
    )
    # the period's counts: the cluster of 10 logged
    counts = _text(glance.split('href="#summary-h"', 1)[1].split("<dd>", 1)[1].split("</dd>")[0])
    ngettext = translations(lang).ngettext
    assert counts.startswith(
        ngettext("%(count)s episode", "%(count)s episodes", 1) % {"count": 1}
        + ", "
        + ngettext("%(count)s movement", "%(count)s movements", 10) % {"count": 10}
    ), counts


def test_the_first_lines_come_first_and_lead_to_their_sections(world: dict[str, Any]) -> None:
    page = _page(world, "en")
    main = page.split("<h1>", 1)[1]
    assert main.index('<section class="glance"') < main.index('class="report-links"')
    assert main.index('<section class="glance"') < main.index("<dt>Age</dt>")
    glance = _glance(page)
    for target in ("reasoning-h", "summary-h", "videos", "eegs"):
        assert f'href="#{target}"' in glance
        assert f'id="{target}"' in page, target


def test_the_share_links_eeg_says_the_longest_and_the_detectors_limit(
    world: dict[str, Any],
) -> None:
    client = anonymous(world["app"]).client
    for lang in ("en", "es"):
        fragment = client.get(
            f"/s/{world['token']}/attachments/{world['eeg']}/analysis",
            headers={"Accept-Language": lang},
        ).text
        _ = translations(lang).gettext
        ngettext = translations(lang).ngettext
        longest = ngettext(
            "%(n)s possible seizure of %(s)s s", "%(n)s possible seizures, the longest %(s)s s", 6
        ) % {"n": 6, "s": "391"}
        said = _("%(seizures)s (neonatal seizure detector)") % {"seizures": longest}
        assert said in _text(fragment), lang
        assert _(NEWBORN_DETECTOR) in _text(fragment), lang
