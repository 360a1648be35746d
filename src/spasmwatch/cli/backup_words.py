"""What ``spasmwatch backup`` and ``restore`` say a backup holds, in the command's
language: "1 child, 3 episodes, 2 videos, 1 EEG recording, 1 invitation, ...".

Each count is its own catalog plural (``ngettext``), so that every language says "1
child" and "2 children" its own way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spasmwatch.store.archive import BackupContents

__all__ = [
    "said_contents",
    "said_missing_after_backup",
    "said_missing_after_restore",
    "said_rows",
]

NGettext = Callable[[str, str, int], str]


def _counted(ngettext: NGettext, table: str, n: int) -> str | None:
    """``n`` rows of ``table`` in words; None for a table without words of its own."""
    counted = {
        "users": lambda: ngettext("%(count)s account", "%(count)s accounts", n),
        "children": lambda: ngettext("%(count)s child", "%(count)s children", n),
        "episodes": lambda: ngettext("%(count)s episode", "%(count)s episodes", n),
        "treatments": lambda: ngettext("%(count)s treatment", "%(count)s treatments", n),
        "milestones": lambda: ngettext("%(count)s milestone", "%(count)s milestones", n),
        "workup_items": lambda: ngettext("%(count)s work-up test", "%(count)s work-up tests", n),
        "triage_results": lambda: ngettext(
            "%(count)s triage result", "%(count)s triage results", n
        ),
        "memberships": lambda: ngettext(
            "%(count)s role in a child's diary", "%(count)s roles in children's diaries", n
        ),
        "invitations": lambda: ngettext("%(count)s invitation", "%(count)s invitations", n),
        "share_links": lambda: ngettext("%(count)s share link", "%(count)s share links", n),
        "sessions": lambda: ngettext(
            "%(count)s signed-in session", "%(count)s signed-in sessions", n
        ),
        "api_tokens": lambda: ngettext("%(count)s API token", "%(count)s API tokens", n),
        "password_resets": lambda: ngettext(
            "%(count)s password reset code", "%(count)s password reset codes", n
        ),
        "audit_log": lambda: ngettext(
            "%(count)s audit log entry", "%(count)s audit log entries", n
        ),
    }
    said = counted.get(table)
    return None if said is None else said() % {"count": n}


def _kind(ngettext: NGettext, kind: str, n: int) -> str:
    if kind == "video":
        said = ngettext("%(count)s video", "%(count)s videos", n)
    elif kind == "eeg":
        said = ngettext("%(count)s EEG recording", "%(count)s EEG recordings", n)
    else:
        said = ngettext("%(count)s other file", "%(count)s other files", n)
    return said % {"count": n}


#: The order things are said in: the family's diary first, then who may see it, then the
#: installation's own records. The videos and EEG recordings come after the episodes.
ORDER = (
    "users",
    "children",
    "episodes",
    "attachments",
    "treatments",
    "milestones",
    "workup_items",
    "triage_results",
    "memberships",
    "invitations",
    "share_links",
    "sessions",
    "api_tokens",
    "password_resets",
    "audit_log",
)
#: The kinds of attachment, in the order they are said.
KINDS = ("video", "eeg")


def said_rows(rows: dict[str, int], kinds: dict[str, int], ngettext: NGettext) -> str:
    """Every row count of ``rows`` (per table) that is not 0, the attachments by their
    ``kinds``: "1 account, 1 child, 3 episodes, 2 videos, 1 EEG recording, ..."; "" when
    every count is 0. What a backup holds, and what a database holds that a restore is
    refused into, said alike."""
    parts: list[str] = []
    tables = sorted(rows, key=lambda t: ORDER.index(t) if t in ORDER else len(ORDER))
    for table in tables:
        n = rows[table]
        if not n:
            continue
        if table == "attachments":
            ordered = sorted(
                kinds, key=lambda k: (k not in KINDS, KINDS.index(k) if k in KINDS else 0)
            )
            parts += [_kind(ngettext, k, kinds[k]) for k in ordered if kinds[k]]
            continue
        parts.append(_counted(ngettext, table, n) or f"{n} {table}")
    return ", ".join(parts)


def said_contents(
    contents: BackupContents, gettext: Callable[[str], str], ngettext: NGettext
) -> str:
    """Every row count that is not 0, then the files: "1 account, 1 child, 3 episodes, 2
    videos, 1 EEG recording, ...; 3 attachment files, 5 analysis files"."""
    rows = said_rows(contents.rows, contents.kinds, ngettext) or gettext(
        "no rows (an empty database)"
    )
    files = ngettext(
        "%(count)s attachment file", "%(count)s attachment files", contents.attachment_files
    ) % {"count": contents.attachment_files}
    outputs = ngettext(
        "%(count)s analysis file", "%(count)s analysis files", contents.analysis_files
    ) % {"count": contents.analysis_files}
    return f"{rows}; {files}, {outputs}"


def said_missing_after_backup(contents: BackupContents, folder: object, ngettext: NGettext) -> str:
    """A backup written without some attachment files (``--allow-missing-attachments``)."""
    n = len(contents.missing_files)
    total = n + contents.attachment_files
    return ngettext(
        "Warning: %(count)s of the %(total)s attachment files the database refers to was "
        "missing from the data directory %(folder)s and is not in the backup (its manifest "
        "lists it); the recording that needs it will not open after a restore.",
        "Warning: %(count)s of the %(total)s attachment files the database refers to were "
        "missing from the data directory %(folder)s and are not in the backup (its manifest "
        "lists them); the recordings that need them will not open after a restore.",
        n,
    ) % {"count": n, "total": total, "folder": folder}


def said_missing_after_restore(contents: BackupContents, ngettext: NGettext) -> str:
    """A restore of a backup that lacks some attachment files."""
    n = len(contents.missing_files)
    return ngettext(
        "Warning: the backup lacks %(count)s attachment file that its rows refer to (it "
        "was missing when the backup was made): the recording that needs it will not open.",
        "Warning: the backup lacks %(count)s attachment files that its rows refer to (they "
        "were missing when the backup was made): the recordings that need them will not open.",
        n,
    ) % {"count": n}
