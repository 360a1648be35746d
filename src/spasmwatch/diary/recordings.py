"""Videos and EEG files: attach, analyse (a job for the worker), read back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from spasmwatch.diary.access import Principal, child_for, may_delete
from spasmwatch.diary.audit import DOWNLOAD, FileRead, ReadAudit
from spasmwatch.errors import Forbidden, InvalidInput, NotFound
from spasmwatch.images import IMAGE_FILES
from spasmwatch.jobs import request_analysis
from spasmwatch.store import Database, jobqueue, repo
from spasmwatch.store.files import StoredFile, stored_path
from spasmwatch.store.models import Attachment, Child

__all__ = [
    "AnalysisState",
    "Upload",
    "analyse",
    "analysis_of",
    "attach",
    "attachment_of",
    "clip_of",
    "file_of",
    "image_of",
    "list_for",
    "record",
]


@dataclass(frozen=True)
class Upload:
    """A file written to the attachment store, and the name the family gave it."""

    stored: StoredFile
    filename: str


def attachment_of(s: Session, child_id: int, attachment_id: int) -> Attachment:
    """The child's attachment with this id, or :class:`~spasmwatch.errors.NotFound`."""
    row = repo.get_attachment(s, attachment_id)
    if row is None or row.child_id != child_id:
        raise NotFound("No such file")
    return row


def record(
    s: Session, who: Principal, child_id: int, episode_id: int | None, upload: Upload
) -> Attachment:
    """Record a stored upload and queue its analysis (in the caller's transaction)."""
    row = repo.add_attachment(
        s,
        child_id=child_id,
        episode_id=episode_id,
        kind=upload.stored.kind,
        filename=upload.filename[:255],
        content_type=upload.stored.content_type,
        size_bytes=upload.stored.size_bytes,
        sha256=upload.stored.sha256,
        uploaded_by=who.user_id,
    )
    request_analysis(s, row.id, "normal", who.user_id)
    return row


def attach(
    db: Database, who: Principal, child_id: int, upload: Upload, episode_id: int | None = None
) -> Attachment:
    """Attach a stored video or EEG file to the child (and an episode of it), and queue
    its analysis (caregivers and owners)."""
    with db.transaction() as s:
        child_for(s, who, child_id, "log")
        if episode_id is not None and repo.get_episode(s, child_id, episode_id) is None:
            raise NotFound("No such episode")
        row = record(s, who, child_id, episode_id, upload)
        repo.audit(s, "upload", child_id=child_id, user_id=who.user_id, detail=str(row.id))
        return row


def delete(
    db: Database, who: Principal, child_id: int, attachment_id: int, confirmed: bool = True
) -> None:
    """Delete a video or EEG file of the child, with its analyses, clips and images: a
    wrong or damaged upload. The owner deletes any; a caregiver only one they uploaded
    (:func:`~spasmwatch.diary.access.may_delete`). The file leaves the store once no
    other recording has the same content. The advice and the chart do not change: a
    recording is not an episode. ``confirmed``: the person ticked the box (asked after the
    role and the recording, so that the answer reveals nothing)."""
    with db.transaction() as s:
        _child, role = child_for(s, who, child_id, "log")
        row = attachment_of(s, child_id, attachment_id)
        if not may_delete(role, row.uploaded_by, who.user_id):
            raise Forbidden(
                "Only the person who added this recording, or the diary's owner, can delete it"
            )
        if not confirmed:
            raise InvalidInput(
                "Invalid value for 'confirm': tick the box to delete the recording; nothing "
                "was deleted"
            )
        name = row.filename
        sha = repo.delete_attachment(s, row)
        repo.audit(
            s,
            "delete_recording",
            child_id=child_id,
            user_id=who.user_id,
            detail=f"{attachment_id} {name}",
        )
    db.remove_unreferenced([sha])


def list_for(db: Database, who: Principal, child_id: int) -> list[Attachment]:
    """The child's videos and EEG files, newest first."""
    with db.reading() as s:
        child_for(s, who, child_id, "view")
        return repo.attachments_for(s, child_id)


def analyse(
    db: Database, who: Principal, child_id: int, attachment_id: int, sensitivity: object
) -> tuple[Attachment, str]:
    """Queue another analysis of an attachment at ``sensitivity`` (caregivers and owners);
    the attachment (now waiting) and the user's role. ``Conflict`` while one runs."""
    with db.transaction() as s:
        _, role = child_for(s, who, child_id, "log")
        row = attachment_of(s, child_id, attachment_id)
        job = request_analysis(s, row.id, sensitivity, who.user_id)
        repo.audit(
            s,
            "reanalyse",
            child_id=child_id,
            user_id=who.user_id,
            detail=f"{attachment_id} sensitivity {job.sensitivity}",
        )
        return row, role


@dataclass(frozen=True)
class AnalysisState:
    """An attachment, the share of its running analysis done (None when none runs), the
    user's role (None through a share link), and its child (for what the family is told
    at the child's age at the recording; None where not looked up)."""

    attachment: Attachment
    progress: float | None
    role: str | None
    child: Child | None = None


def analysis_of(
    db: Database, who: Principal | None, child_id: int, attachment_id: int
) -> AnalysisState:
    """An attachment with its analysis state (``who`` None: through a share link the
    caller checked)."""
    with db.reading() as s:
        child, role = (None, None) if who is None else child_for(s, who, child_id, "view")
        row = attachment_of(s, child_id, attachment_id)
        job = jobqueue.active_job(s, row.id)
        progress = job.progress if job is not None and job.status == "running" else None
        return AnalysisState(row, progress, role, child)


def file_of(
    db: Database,
    child_id: int,
    attachment_id: int,
    audit: ReadAudit,
    *,
    user_id: int | None = None,
    share_link_id: int | None = None,
    read: FileRead = DOWNLOAD,
) -> tuple[Attachment, Path]:
    """The attachment and its stored file (the caller checked access), audited as
    ``read`` says (:meth:`~spasmwatch.diary.audit.ReadAudit.record_file`): a download, or
    a view in the page's player."""
    with db.reading() as s:
        row = attachment_of(s, child_id, attachment_id)
    try:
        path = stored_path(db.attachments_dir, row.sha256)
    except ValueError:
        raise NotFound("The file is missing from the data directory") from None
    if not path.is_file():
        raise NotFound("The file is missing from the data directory")
    audit.record_file(
        read, str(attachment_id), child_id=child_id, user_id=user_id, share_link_id=share_link_id
    )
    return row, path


def image_of(db: Database, child_id: int, attachment_id: int, name: str) -> Path:
    """One image of an attachment's analysis (contact sheet, motion plot, EEG trend)."""
    with db.reading() as s:
        row = attachment_of(s, child_id, attachment_id)
    images = (row.analysis or {}).get("images", {})
    if name not in images or name not in IMAGE_FILES.get(row.kind, {}):
        raise NotFound("No such image")
    sensitivity = str((row.analysis or {}).get("sensitivity", "normal"))
    path = db.analysis_dir(row.sha256, sensitivity) / IMAGE_FILES[row.kind][name]
    if not path.is_file():
        raise NotFound("The image is missing from the data directory")
    return path


#: An event clip the video analysis writes (``event_001_spasm_like_0012.40s.mp4``; see
#: :func:`spasmwatch.video.outputs.write_outputs`): numbered from 1 in the events' order.
CLIP_NAME = re.compile(r"event_(\d{3,})_[a-z_]+_\d+\.\d+s\.mp4")


def clips_in(folder: Path) -> dict[int, Path]:
    """The clips a video's analysis wrote into ``folder``, by event number (from 1)."""
    found: dict[int, Path] = {}
    for path in sorted(folder.glob("event_*.mp4")) if folder.is_dir() else []:
        if (m := CLIP_NAME.fullmatch(path.name)) and path.is_file():
            found.setdefault(int(m.group(1)), path)
    return found


def clip_of(
    db: Database,
    child_id: int,
    attachment_id: int,
    number: int,
    audit: ReadAudit,
    *,
    user_id: int | None = None,
    share_link_id: int | None = None,
    read: FileRead = DOWNLOAD,
) -> Path:
    """The clip of event ``number`` (from 1) that the video's analysis wrote (the caller
    checked access), audited as ``read`` says, as the whole file is (:func:`file_of`)."""
    with db.reading() as s:
        row = attachment_of(s, child_id, attachment_id)
    analysis = row.analysis or {}
    if row.kind != "video" or analysis.get("status") != "done" or number < 1:
        raise NotFound("No such clip")
    folder = db.analysis_dir(row.sha256, str(analysis.get("sensitivity", "normal")))
    path = clips_in(folder).get(number)
    if path is None:
        raise NotFound("No such clip")
    audit.record_file(
        read,
        f"{attachment_id} clip {number}",
        child_id=child_id,
        user_id=user_id,
        share_link_id=share_link_id,
    )
    return path
