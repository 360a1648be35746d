"""The clinician report of a child: what the diary holds, gathered for
:func:`spasmwatch.report.build.assemble_report`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from spasmwatch.diary.access import Principal, child_for, share_for
from spasmwatch.diary.audit import ReadAudit
from spasmwatch.diary.care import care_summary
from spasmwatch.diary.overview import Overview, shared_overview
from spasmwatch.diary.recordings import clips_in
from spasmwatch.diary.state import triage_child
from spasmwatch.report.build import (
    ReportData,
    ReportSource,
    StoredEpisode,
    StoredRecording,
    assemble_report,
)
from spasmwatch.store import Database, repo
from spasmwatch.store.files import stored_path

__all__ = ["ClinicianView", "build_report", "child_report", "clinician_view", "shared_report"]


def _stored_file(db: Database, sha256: str) -> Path | None:
    """The stored file (an EEG's event pages of traces are read from it; a video is
    embedded from it in the doctor package), or None."""
    try:
        return stored_path(db.attachments_dir, sha256)
    except ValueError:
        return None


def _source(db: Database, child_id: int, today: date) -> ReportSource:
    with db.reading() as s:
        child = repo.require_child(s, child_id)
        rows = repo.episodes_for(s, child_id)
        names = repo.display_names(s, (r.logged_by for r in rows))
        attachments = repo.attachments_for(s, child_id)
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
        return ReportSource(
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
            care=care_summary(s, child_id, today),
        )


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
    return assemble_report(_source(db, child_id, now.date()), start, end, now)


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
    """What a doctor sees at a share link: the report's summary of the period (``report``)
    and the diary's recordings to play and review (``overview``)."""

    overview: Overview
    report: ReportData


def clinician_view(
    db: Database,
    token_hash: str,
    audit: ReadAudit,
    start: date | None = None,
    end: date | None = None,
) -> ClinicianView:
    """The clinician view behind a share link over a period (default: from the first
    episode to today); audited as a view of the shared diary."""
    view = shared_overview(db, token_hash, audit)
    return ClinicianView(view, build_report(db, view.child.id, start, end))
