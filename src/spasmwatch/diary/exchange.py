"""Exchange: a child's diary out as FHIR R4B or CSV, episodes in from CSV.

The formats are :mod:`spasmwatch.report.fhir` and :mod:`spasmwatch.report.tabular` (pure);
this module reads and writes the diary for them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from typing import Any

from spasmwatch.diary.access import share_for
from spasmwatch.diary.audit import ReadAudit
from spasmwatch.diary.care import care_summary
from spasmwatch.diary.episodes import future_problem
from spasmwatch.diary.state import triage_child
from spasmwatch.report.care_tables import milestones_csv, treatments_csv, workup_csv
from spasmwatch.report.fhir import attachment_hash, build_bundle
from spasmwatch.report.recording_table import recordings_csv
from spasmwatch.report.tabular import (
    ImportResult,
    episodes_csv,
    for_spreadsheets,
    parse_episodes_csv,
)
from spasmwatch.store import repo
from spasmwatch.store.files import stored_path
from spasmwatch.triage import triage

__all__ = [
    "export_account_zip",
    "export_csv_zip",
    "export_episodes_csv",
    "fhir_bundle",
    "import_episodes_csv",
    "shared_csv_zip",
    "shared_episodes_csv",
    "shared_fhir_bundle",
]


def export_episodes_csv(database: Any, child_id: int) -> str:
    """A child's episodes as CSV text, oldest first.

    Raises
    ------
    SpasmwatchError
        When there is no child with this id.
    """
    with database.transaction() as s:
        repo.require_child(s, child_id)
        return episodes_csv((r.id, r.data) for r in repo.episodes_for(s, child_id))


def export_csv_zip(database: Any, child_id: int) -> bytes:
    """A child's diary as CSV tables in one ZIP file: ``episodes.csv`` (as
    :func:`export_episodes_csv`), ``treatments.csv`` (with the response so far),
    ``milestones.csv``, ``workup.csv`` and ``recordings.csv`` (the videos and EEG files
    with what their analyses found).

    Raises
    ------
    SpasmwatchError
        When there is no child with this id.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _csv_tables(database, child_id).items():
            archive.writestr(name, for_spreadsheets(text))
    return buf.getvalue()


def _csv_tables(database: Any, child_id: int) -> dict[str, str]:
    """The tables of :func:`export_csv_zip` by file name, as CSV text."""
    with database.reading() as s:
        repo.require_child(s, child_id)
        tables = {
            "episodes.csv": episodes_csv((r.id, r.data) for r in repo.episodes_for(s, child_id))
        }
        care = care_summary(s, child_id)
        recordings = [
            {
                "kind": a.kind,
                "filename": a.filename,
                "uploaded_at": a.uploaded_at,
                "analysis": a.analysis,
            }
            for a in reversed(repo.attachments_for(s, child_id))
        ]
    tables["treatments.csv"] = treatments_csv(care)
    tables["milestones.csv"] = milestones_csv(care)
    tables["workup.csv"] = workup_csv(care)
    tables["recordings.csv"] = recordings_csv(recordings)
    return tables


def import_episodes_csv(
    database: Any,
    child_id: int,
    data: str | bytes,
    dry_run: bool = False,
    user_id: int | None = None,
    source: str = "",
    *,
    by_owner: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    """Import episodes from CSV into a child's diary: all rows, or none.

    Every row is checked as an episode logged one at a time is
    (:func:`~spasmwatch.diary.episodes.validated`): the case format, the child's birth
    date, and a start no later than now (:func:`~spasmwatch.diary.episodes.future_problem`).

    Parameters
    ----------
    database
        A :class:`spasmwatch.store.Database`.
    child_id
        The child the episodes belong to.
    data
        The CSV text or bytes (or the diary's ZIP of every table: its ``episodes.csv``).
    dry_run
        Check every row and report, without importing anything.
    user_id
        Who imports (recorded as the episodes' ``logged_by`` and in the audit log).
    source
        Where the file came from (``cli``, ``api``), for the audit log.
    by_owner
        Without ``user_id`` (the command line, run by whoever keeps the server): record the
        diary's owner as who logged the episodes, as the report's "Reported by" and the
        FHIR export's performer name the family's account that kept them; the audit log
        still says that no account imported them.
    now
        The family's wall-clock time (:func:`~spasmwatch.diary.episodes.family_now`);
        default the server's clock, and the real time for starts whose zone is known.

    Returns
    -------
    ImportResult
        ``imported`` is 0 whenever there is a problem or ``dry_run`` is set.

    Raises
    ------
    SpasmwatchError
        When there is no child with this id.
    """
    with database.transaction() as s:
        child = repo.require_child(s, child_id)
        result = parse_episodes_csv(
            data, repo.child_document(child), lambda episode: future_problem(episode, now)
        )
        result.dry_run = dry_run
        if result.problems:
            return result
        # A file imported again (an export put back into the same diary) would count every
        # episode twice in the triage and the report: rows equal to one there are skipped.
        there = [dict(d) for d in repo.episode_documents(s, child_id)]
        new = [e for e in result.episodes if e not in there]
        result.already_in_diary = len(result.episodes) - len(new)
        if dry_run:
            return result
        logged_by = user_id
        if logged_by is None and by_owner:
            owners = [u.id for u, role in repo.members(s, child_id) if role == "owner"]
            logged_by = owners[0] if owners else None
        for episode in new:
            repo.add_episode(s, child_id, episode, logged_by)
        result.imported = len(new)
        detail = f"{source} {result.imported} episodes".strip()
        repo.audit(s, "import_csv", child_id=child_id, user_id=user_id, detail=detail)
    return result


def fhir_bundle(
    database: Any,
    child_id: int,
    *,
    include_name: bool = True,
    bundle_type: str = "document",
    now: datetime | None = None,
) -> dict[str, Any]:
    """A child's diary, triage, videos and EEG findings as a FHIR R4B Bundle.

    Parameters
    ----------
    database
        A :class:`spasmwatch.store.Database`.
    child_id
        The child.
    include_name
        Put the name the family gave the child in ``Patient.name.text``.
    bundle_type, now
        As in :func:`build_bundle`.

    Raises
    ------
    SpasmwatchError
        When there is no child with this id.
    """

    with database.transaction() as s:
        child = repo.require_child(s, child_id)
        rows = repo.episodes_for(s, child_id)
        case = repo.case_dict(child, rows)
        # The triage reads a lost skill (milestones) as regression, as the app does.
        triage_case = {**case, "child": triage_child(s, child)}
        care = care_summary(s, child_id)
        name = child.name if include_name else None
        caregivers = [
            {"id": u.id, "name": u.display_name, "email": u.email, "role": role}
            for u, role in repo.members(s, child_id)
            if role in ("owner", "caregiver")
        ]
        episodes = [{"id": r.id, "episode": r.data, "logged_by": r.logged_by} for r in rows]
        attachments = [
            {
                "id": a.id,
                "kind": a.kind,
                "filename": a.filename,
                "content_type": a.content_type,
                "size_bytes": a.size_bytes,
                "sha256": a.sha256,
                "episode_id": a.episode_id,
                "uploaded_at": a.uploaded_at,
                "analysis": a.analysis,
            }
            for a in reversed(repo.attachments_for(s, child_id))
        ]
    for att in attachments:
        sha = att["sha256"]
        att["sha1_base64"] = attachment_hash(stored_path(database.attachments_dir, sha))
    return build_bundle(
        case["child"],
        episodes,
        child_id=child_id,
        name=name,
        caregivers=caregivers,
        attachments=attachments,
        triage=triage(triage_case).to_dict(),
        bundle_type=bundle_type,
        now=now,
        care=care,
    )


def _shared_child(database: Any, token_hash: str) -> tuple[int, int]:
    """The child and the link behind a share link that is neither expired nor revoked
    (``NotFound`` otherwise)."""
    with database.reading() as s:
        link = share_for(s, token_hash)
        return link.child_id, link.id


def shared_fhir_bundle(
    database: Any, token_hash: str, audit: ReadAudit, *, include_name: bool = True
) -> tuple[int, dict[str, Any]]:
    """The child and its FHIR Bundle (:func:`fhir_bundle`) for whoever holds a share link
    that is neither expired nor revoked: read-only, audited as an export through the link.

    Raises
    ------
    NotFound
        An unknown, expired or revoked link.
    """
    child_id, link_id = _shared_child(database, token_hash)
    bundle = fhir_bundle(database, child_id, include_name=include_name)
    audit.record("export_fhir", child_id=child_id, share_link_id=link_id, detail="share link")
    return child_id, bundle


def shared_episodes_csv(database: Any, token_hash: str, audit: ReadAudit) -> tuple[int, str]:
    """The child and its episodes as CSV (:func:`export_episodes_csv`) through a share
    link, as :func:`shared_fhir_bundle`."""
    child_id, link_id = _shared_child(database, token_hash)
    text = export_episodes_csv(database, child_id)
    audit.record("export_csv", child_id=child_id, share_link_id=link_id, detail="share link")
    return child_id, text


def shared_csv_zip(database: Any, token_hash: str, audit: ReadAudit) -> tuple[int, bytes]:
    """The child and its CSV tables in a ZIP (:func:`export_csv_zip`) through a share
    link, as :func:`shared_fhir_bundle`."""
    child_id, link_id = _shared_child(database, token_hash)
    data = export_csv_zip(database, child_id)
    audit.record("export_csv", child_id=child_id, share_link_id=link_id, detail="share link zip")
    return child_id, data


def _folder_name(child_id: int, name: str) -> str:
    """A folder name for a child in an account's export: its id and a plain form of its
    name (letters, digits and dashes), so that two children of one name stay apart."""
    plain = re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-")[:40]
    return f"child-{child_id}-{plain}" if plain else f"child-{child_id}"


def export_account_zip(database: Any, user_id: int, now: datetime | None = None) -> bytes:
    """Everything an account can take with it, in one ZIP file: ``account.json`` (the
    name, email, when it was made, its roles and its API tokens without their secrets),
    and for each child it has a role for a folder with the child's CSV tables (as
    :func:`export_csv_zip`) and its FHIR R4B document Bundle (:func:`fhir_bundle`). The
    videos and EEG files are not in it (each can be several hundred MB): the FHIR Bundle
    names each with its size and hash, and each downloads from its page.

    Raises
    ------
    SpasmwatchError
        When there is no account with this id.
    """
    now = now or datetime.now()
    with database.reading() as s:
        user = repo.require_user(s, user_id)
        roles = [(c.id, c.name, role) for c, role in repo.children_for_user(s, user_id)]
        tokens = [
            {
                "label": t.label,
                "scope": t.scope,
                "created_at": t.created_at.isoformat(timespec="seconds"),
                "expires_at": t.expires_at.isoformat(timespec="seconds"),
            }
            for t in repo.api_tokens_for(s, user_id)
        ]
        account = {
            "exported_at": now.isoformat(timespec="seconds"),
            "name": user.display_name,
            "email": user.email,
            "created_at": user.created_at.isoformat(timespec="seconds"),
            "diaries": [
                {"child_id": cid, "name": name, "role": role, "folder": _folder_name(cid, name)}
                for cid, name, role in roles
            ],
            "api_tokens": tokens,
        }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("account.json", json.dumps(account, ensure_ascii=False, indent=2))
        for cid, name, _role in roles:
            folder = _folder_name(cid, name)
            for item, text in _csv_tables(database, cid).items():
                archive.writestr(f"{folder}/{item}", for_spreadsheets(text))
            bundle = fhir_bundle(database, cid, now=now)
            archive.writestr(f"{folder}/fhir.json", json.dumps(bundle, ensure_ascii=False))
    return buf.getvalue()
