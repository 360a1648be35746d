"""The names a child's diary downloads as: one function builds them all
(``web.downloads.download_name``), ``spasmwatch-<what>-<child>-<day>.<ext>``, for the
report and the doctor package as for the FHIR and CSV exports, from the child's page and
from a share link (``child-1-fhir.json`` said neither whose nor when); safe on any file
system, with the name in UTF-8 and in plain ASCII in the header."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest

from spasmwatch.web.downloads import NAME_CHARS, content_disposition, download_name, plain_name
from web.webworld import add_child, anonymous, log_episode, new_app, share, sign_up

DAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("Lucía", "lucía"),
        ("Luci\u0301a", "lucía"),  # a decomposed accent is composed, kept as one letter
        ("Ana María", "ana-maría"),
        ("../../etc/passwd", "etc-passwd"),
        ('Leo "the lion" <3>', "leo-the-lion-3"),
        ("Mia_Rose.pdf", "mia-rose-pdf"),
        ("CON", "con"),
        ("a\x00b\tc", "a-b-c"),
        ("😀", "child"),
        ("", "child"),
    ],
)
def test_a_childs_name_in_a_file_name_is_safe_everywhere(name: str, plain: str) -> None:
    assert plain_name(name) == plain
    assert download_name("fhir", name, DAY, "json") == f"spasmwatch-fhir-{plain}-2026-12-07.json"


def test_a_long_name_stays_short_enough_for_any_file_system() -> None:
    name = download_name("report", "李小龙" * 40, DAY, "pdf")
    assert len(plain_name("李小龙" * 40)) == NAME_CHARS
    assert len(name.encode()) < 255


def test_the_header_gives_the_name_in_utf8_and_in_ascii() -> None:
    name = download_name("episodes", "Lucía", DAY, "csv")
    assert content_disposition("attachment", name) == (
        'attachment; filename="spasmwatch-episodes-lucia-2026-12-07.csv"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    # a name of other letters leaves no empty part in the ASCII one
    other = content_disposition("attachment", download_name("fhir", "李", DAY, "json"))
    assert 'filename="spasmwatch-fhir-2026-12-07.json"' in other


def test_every_download_of_a_diary_is_named_the_same_way(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "ana@example.org")
    child = add_child(owner, "Lucía")
    log_episode(owner, child)
    token, _ = share(owner, child)
    doctor = anonymous(app)
    today = date.today().isoformat()

    def name_of(response: object) -> str:
        header = response.headers["content-disposition"]  # type: ignore[attr-defined]
        assert response.status_code == 200, header  # type: ignore[attr-defined]
        return header.split("filename*=UTF-8''", 1)[1]

    for path, what, ext in (
        ("fhir", "fhir", "json"),
        ("episodes.csv", "episodes", "csv"),
        ("csv.zip", "tables", "zip"),
    ):
        expected = quote(f"spasmwatch-{what}-lucía-{today}.{ext}", safe="")
        assert name_of(owner.api("GET", f"/api/v1/children/{child}/{path}")) == expected
        assert name_of(doctor.client.get(f"/s/{token}/{path}")) == expected
    # the report and the doctor package, by the period's last day (today by default)
    for path, what, ext in (
        ("report.html", "report", "html"),
        ("package.html", "package", "html"),
    ):
        expected = quote(f"spasmwatch-{what}-lucía-{today}.{ext}", safe="")
        assert name_of(owner.client.get(f"/children/{child}/{path}")) == expected
        assert name_of(doctor.client.get(f"/s/{token}/{path}")) == expected
    # a FHIR bundle without the child's name has none in its file name either
    unnamed = owner.api("GET", f"/api/v1/children/{child}/fhir?name=0")
    assert name_of(unnamed) == f"spasmwatch-fhir-child-{today}.json"
