"""The names of the files a child's diary downloads as: the report (PDF, HTML), the doctor
package, the FHIR Bundle and the CSV exports, from the child's page and from a share link.

One spelling for all (design rule 9): ``spasmwatch-<what>-<child>-<day>.<ext>``, such as
``spasmwatch-report-lucía-2026-12-07.pdf`` and ``spasmwatch-fhir-lucía-2026-12-07.json``,
so that a doctor's or a family's downloads folder sorts them together by child and says
whose each is (``child-1-fhir.json`` said neither). The header carries the name in UTF-8
(RFC 6266's ``filename*``) and a plain ASCII one for older clients.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import quote

__all__ = ["content_disposition", "download_name", "plain_name"]

#: Most characters of the child's name kept in a file name [design]: the rest of the name
#: is about 40 characters, and a name of letters that take 3 bytes each (Chinese, say) must
#: stay under the 255 bytes file systems allow for a name.
NAME_CHARS = 40
#: A name given for a child that has none (an export without the name, ``?name=0``).
NO_NAME = "child"


def plain_name(name: str) -> str:
    """The child's name as it goes into a file name: lower case, its letters and digits
    kept (accented ones too, composed: "lucía"), every run of anything else (spaces,
    slashes, dots, quotes, control characters) one dash, none at either end, at most
    :data:`NAME_CHARS` characters; :data:`NO_NAME` when nothing is left. Safe on any file
    system: no separator, no reserved character, no dot to hide or extend the name, and
    never a name of its own such as ``CON`` (it always follows ``spasmwatch-<what>-``)."""
    composed = unicodedata.normalize("NFC", name).lower()
    dashed = re.sub(r"[^\w]+|_+", "-", composed).strip("-")
    return dashed[:NAME_CHARS].rstrip("-") or NO_NAME


def download_name(what: str, child_name: str | None, day: date, ext: str) -> str:
    """The file name of a download of a child's diary: ``what`` (``report``, ``package``,
    ``fhir``, ``episodes``, ``tables``), whose (``child_name``; None: the name is left out
    of the download, and of its file name), the day it is of (the report's last day, an
    export's day) and its extension."""
    child = plain_name(child_name) if child_name is not None else NO_NAME
    return f"spasmwatch-{what}-{child}-{day.isoformat()}.{ext}"


def content_disposition(kind: str, name: str) -> str:
    """A Content-Disposition header (``kind``: ``attachment`` or ``inline``) for ``name``:
    the name in UTF-8 (RFC 6266's ``filename*``, for "lucía") and a plain ASCII one for
    older clients ("lucia"; a name of other letters, dropped there, leaves one dash)."""
    ascii_only = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = re.sub(r"-{2,}", "-", ascii_only)
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
