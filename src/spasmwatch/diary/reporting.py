"""The clinician report of a child: what the diary holds, gathered for
:func:`spasmwatch.report.build.assemble_report`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from spasmwatch.care import CareSummary
from spasmwatch.diary.access import Principal, child_for, share_for
from spasmwatch.diary.audit import ReadAudit
from spasmwatch.diary.care import care_summary
from spasmwatch.diary.overview import family_notices
from spasmwatch.diary.recordings import clips_in
from spasmwatch.diary.state import triage_child
from spasmwatch.report.build import (
    ReportSource,
    StoredEpisode,
    StoredRecording,
    assemble_report,
)
from spasmwatch.report.report_data import ReportData
from spasmwatch.store import Database, repo
from spasmwatch.store.files import stored_path
from spasmwatch.store.models import Attachment, Child, ShareLink

__all__ = [
    "ClinicianView",
    "build_report",
    "child_report",
    "clinician_view",
    "member_clinician_view",
    "shared_report",
]


def _stored_file(db: Database, sha256: str) -> Path | None:
    """The stored file (an EEG's event pages of traces are read from it; a video is
    embedded from it in the doctor package), or None."""
    try:
        return stored_path(db.attachments_dir, sha256)
    except ValueError:
        return None


def _gather(
    s: Session, db: Database, child: Child, today: date
) -> tuple[ReportSource, list[Attachment]]:
    """What the report of ``child`` is made from, and the attachments it was read from
    (newest first), in the caller's read."""
    rows = repo.episodes_for(s, child.id)
    names = repo.display_names(s, (r.logged_by for r in rows))
    attachments = repo.attachments_for(s, child.id)
    recordings = []
    for a in attachments:
        analysis = dict(a.analysis or {})
        sensitivity = str(analysis.get("sensitivity", "normal"))
        folder = db.analysis_dir(a.sha256, sensitivity)
        images = {name: folder / file for name, file in (analysis.get("images") or {}).items()}
        recordings.append(
            StoredRecording(
                a.filename,
                a.kind,
                a.uploaded_at,
                a.episode_id,
                analysis,
                images,
                _stored_file(db, a.sha256),
                clips_in(folder) if a.kind == "video" else {},
            )
        )
    source = ReportSource(
        name=child.name,
        birth_date=child.birth_date,
        born_weeks=child.born_weeks,
        conditions=list(child.conditions or []),
        development=child.development,
        # The triage reads a lost skill (milestones) as regression, as the app does.
        case={
            **repo.case_dict(child, rows, today=today),
            "child": triage_child(s, child, today),
        },
        episodes=[
            StoredEpisode(
                r.id, r.started_at, r.logged_at, dict(r.data), names.get(r.logged_by or 0, "")
            )
            for r in rows
        ],
        recordings=recordings,
        care=care_summary(s, child.id, today),
    )
    return source, attachments


def _assemble(
    source: ReportSource,
    attachments: list[Attachment],
    start: date | None,
    end: date | None,
    now: datetime,
) -> ReportData:
    """The report, with what the family's page says beside its triage answer about the
    recordings (:func:`~spasmwatch.diary.overview.family_notices`)."""
    report = assemble_report(source, start, end, now)
    notices = family_notices(attachments, report.triage.get("level", "routine"))
    return replace(report, notices=notices)


def build_report(
    db: Database,
    child_id: int,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> ReportData:
    """The clinician report of one child over a period (see
    :func:`~spasmwatch.report.build.assemble_report`); ``SpasmwatchError`` for an unknown
    child or an empty period."""
    now = now or datetime.now().replace(microsecond=0)
    with db.reading() as s:
        source, attachments = _gather(s, db, repo.require_child(s, child_id), now.date())
    return _assemble(source, attachments, start, end, now)


def child_report(
    db: Database,
    who: Principal,
    child_id: int,
    audit: ReadAudit,
    start: date | None,
    end: date | None,
    what: str,
) -> ReportData:
    """The report of a child the user may view; audited (``what``: its format)."""
    with db.reading() as s:
        child_for(s, who, child_id, "view")
    data = build_report(db, child_id, start, end)
    audit.record(
        "report", child_id=child_id, user_id=who.user_id, detail=f"{what} {data.start}..{data.end}"
    )
    return data


def shared_report(
    db: Database,
    token_hash: str,
    audit: ReadAudit,
    start: date | None,
    end: date | None,
    what: str,
) -> ReportData:
    """The report behind a share link; audited."""
    with db.reading() as s:
        link = share_for(s, token_hash)
        child_id, link_id = link.child_id, link.id
    data = build_report(db, child_id, start, end)
    audit.record(
        "report",
        child_id=child_id,
        share_link_id=link_id,
        detail=f"{what} {data.start}..{data.end}",
    )
    return data


@dataclass(frozen=True)
class ClinicianView:
    """What a doctor sees in the clinician view: the report's summary of the period
    (``report``), the child's treatments, development and work-up (``care``), and the
    diary's recordings to play and review (``attachments``, by episode; ``started``: when
    each episode of the diary began, None when its time was not given). Opened at a share
    link, ``link`` is that link; opened by a member of the diary (a neurologist the family
    invited as a viewer, say), ``link`` is None and ``role`` is the member's."""

    child: Child
    link: ShareLink | None
    attachments: dict[int | None, list[Attachment]]
    care: CareSummary
    report: ReportData
    started: dict[int, datetime | None] = field(default_factory=dict)
    role: str | None = None

    @property
    def recording_episodes(self) -> dict[int, tuple[datetime | None, bool]]:
        """For each episode with a recording: when it began, and whether it is a row of
        the period's episode table."""
        rows = {e.episode_id for e in self.report.episodes}
        return {
            episode_id: (self.started.get(episode_id), episode_id in rows)
            for episode_id in self.attachments
            if episode_id is not None and episode_id in self.started
        }


def _clinician(
    child: Child,
    source: ReportSource,
    attachments: list[Attachment],
    period: tuple[date | None, date | None],
    now: datetime,
    link: ShareLink | None = None,
    role: str | None = None,
) -> ClinicianView:
    """The clinician view of what :func:`_gather` read, whoever opened it."""
    by_episode: dict[int | None, list[Attachment]] = {}
    for a in attachments:
        by_episode.setdefault(a.episode_id, []).append(a)
    report = _assemble(source, attachments, *period, now)
    started = {e.id: e.started_at for e in source.episodes}
    return ClinicianView(child, link, by_episode, source.care, report, started, role)


def clinician_view(
    db: Database,
    token_hash: str,
    audit: ReadAudit,
    start: date | None = None,
    end: date | None = None,
) -> ClinicianView:
    """The clinician view behind a share link over a period (default: from the first
    episode to today); audited as a view of the shared diary.

    One read of the diary, the report's: the view shows the report's triage of the
    period, so the stored state and the newest episodes of the child page are not read.
    """
    now = datetime.now().replace(microsecond=0)
    with db.reading() as s:
        link = share_for(s, token_hash)
        child = repo.require_child(s, link.child_id)
        source, attachments = _gather(s, db, child, now.date())
    audit.record("view_shared", child_id=link.child_id, share_link_id=link.id)
    return _clinician(child, source, attachments, (start, end), now, link=link)


def member_clinician_view(
    db: Database,
    who: Principal,
    child_id: int,
    audit: ReadAudit,
    start: date | None = None,
    end: date | None = None,
) -> ClinicianView:
    """The clinician view for a member of the child's diary (owner, caregiver or
    viewer), the same as at a share link: a doctor the family invited into the diary reads
    it as a doctor, not through the family's pages. Audited as the member's view of the
    diary (``view_child``, as the child page is, with the detail ``clinician``), never as a
    link's; :class:`~spasmwatch.errors.NotFound` for a child the user has no role for."""
    now = datetime.now().replace(microsecond=0)
    with db.reading() as s:
        child, role = child_for(s, who, child_id, "view")
        source, attachments = _gather(s, db, child, now.date())
    audit.record("view_child", child_id=child_id, user_id=who.user_id, detail="clinician")
    return _clinician(child, source, attachments, (start, end), now, role=role)
