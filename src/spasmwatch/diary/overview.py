"""What a child's page and the API read: the stored triage and per-day counts, the newest
episodes and the attachments, and for the owner the sharing panel.

Reading takes no write lock: the derived state is stored once per change
(:mod:`~spasmwatch.diary.state`) and the audit entry of the view is written after the
answer (:class:`~spasmwatch.diary.audit.ReadAudit`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from spasmwatch.care import CareSummary
from spasmwatch.diary import state
from spasmwatch.diary.access import Principal, child_for
from spasmwatch.diary.audit import ReadAudit
from spasmwatch.diary.care import care_summary
from spasmwatch.diary.children import child_document
from spasmwatch.report.notices import FamilyNotice
from spasmwatch.store import Database, repo
from spasmwatch.store.models import (
    Attachment,
    AuditEntry,
    Child,
    EpisodeRow,
    Invitation,
    ShareLink,
    User,
)
from spasmwatch.triage.predicates import STATUS_MIN_S
from spasmwatch.triage.rule import level_rank

__all__ = [
    "EEG_LIKELY_LEVEL",
    "TIMELINE_LIMIT",
    "EEGAlert",
    "Overview",
    "VideoAlert",
    "child_overview",
    "family_notices",
    "triage_of",
    "urgent_eeg",
    "urgent_video",
]

#: Episodes shown in the timeline before "show all" (the triage and chart use every one):
#: the newest 20 fill a phone's screen a few times over, and keep a page of a long diary
#: as quick to send and draw as a short one's.
TIMELINE_LIMIT = 20


#: Lines of the owner's recent activity.
ACTIVITY_LINES = 15
#: Reading actions left out of the owner's recent activity when the owner did them: each
#: visit of the child page records one (and each video player in it a view, each report or
#: export one more), so they filled the list with "you" and pushed out what others did;
#: the owner knows what they read. Others' reads are kept, and so are the owner's changes.
OWN_READS = frozenset(
    {"view_child", "view_recording", "download", "eeg_view", "report", "export_csv", "export_fhir"}
)


@dataclass(frozen=True)
class ActivityLine:
    """One line of the owner's recent activity: the newest of a run of the same action by
    the same person (``count`` of them), and who did it: ``user`` (a member's name; None
    for the owner, or an account deleted since) or ``link`` (a share link's label)."""

    at: Any
    action: str
    count: int = 1
    user: str | None = None
    by_owner: bool = False
    link: str | None = None
    former: bool = False


def _activity(
    entries: list[AuditEntry], people: list[tuple[User, str]], links: list[ShareLink]
) -> list[ActivityLine]:
    """The owner's recent activity from the newest audit entries first: the owner's own
    reads left out, runs of one action by one person joined, each named."""
    owner = next((u.id for u, role in people if role == "owner"), None)
    names = {u.id: u.display_name for u, _role in people}
    labels = {link.id: link.label for link in links}
    lines: list[ActivityLine] = []
    last: tuple[str, int | None, int | None] | None = None
    for e in entries:
        if e.user_id == owner and e.action in OWN_READS:
            continue
        key = (e.action, e.user_id, e.share_link_id)
        if key == last:
            lines[-1] = replace(lines[-1], count=lines[-1].count + 1)
            continue
        last = key
        if len(lines) == ACTIVITY_LINES:
            break
        lines.append(
            ActivityLine(
                e.at,
                e.action,
                user=names.get(e.user_id) if e.user_id != owner else None,
                by_owner=e.user_id is not None and e.user_id == owner,
                link=labels.get(e.share_link_id) if e.share_link_id is not None else None,
                former=e.user_id is not None and e.user_id not in names,
            )
        )
    return lines


@dataclass
class Overview:
    """One child's diary as the pages show it."""

    child: Child
    role: str  # owner, caregiver, viewer
    child_doc: dict[str, Any]
    triage: dict[str, Any]
    day_counts: state.DayCounts
    #: Newest first, at most :data:`TIMELINE_LIMIT` unless all were asked for.
    rows: list[EpisodeRow]
    hidden: int
    attachments: dict[int | None, list[Attachment]]
    links: list[ShareLink] = field(default_factory=list)
    people: list[tuple[User, str]] = field(default_factory=list)
    invited: list[Invitation] = field(default_factory=list)
    log: list[ActivityLine] = field(default_factory=list)
    #: Treatments and their response, development, the work-up.
    care: CareSummary | None = None
    #: The analysed video whose findings call for a doctor sooner than the diary's answer
    #: (:func:`urgent_video`), or None.
    video_alert: VideoAlert | None = None
    #: The newest analysed EEG when its reading calls for a doctor sooner than the
    #: diary's answer (:func:`urgent_eeg`), or None.
    eeg_alert: EEGAlert | None = None


@dataclass(frozen=True)
class VideoAlert:
    """A video whose analysis found movements to show a doctor sooner than the diary's
    answer says: the triage reads only what is logged, so the page says it beside it."""

    attachment_id: int
    filename: str
    #: :func:`~spasmwatch.video.statement.video_urgency` of its result.
    level: str
    #: The analysis' result document.
    result: dict[str, Any]


def urgent_video(attachments: Iterable[Attachment], diary_level: str) -> VideoAlert | None:
    """The finished video analysis with the most urgent findings, when they call for a
    doctor sooner than ``diary_level`` (the diary's triage level); the newest of equals.
    An emergency in the diary is never outranked."""
    # Imported on first use: the video package brings OpenCV and FFmpeg.
    from spasmwatch.video.urgency import video_urgency

    best: VideoAlert | None = None
    for a in sorted(attachments, key=lambda a: a.id, reverse=True):
        analysis = a.analysis or {}
        result = analysis.get("result")
        if a.kind != "video" or analysis.get("status") != "done" or not isinstance(result, dict):
            continue
        level = video_urgency(result)
        if level is None or level_rank(level) <= level_rank(diary_level):
            continue
        if best is None or level_rank(level) > level_rank(best.level):
            best = VideoAlert(a.id, a.filename, level, result)
    return best


#: How soon a doctor should see an EEG whose automated reading is ``likely``
#: hypsarrhythmia: ``same_day``, as the family's EEG statement on the child page says
#: ("contact your doctor or paediatric service today") and as the triage rules answer for
#: suspected infantile spasms (``spasm-series``: same-day contact; clinical reference,
#: sections 1 and 2). ``unlikely`` and ``cannot_assess`` call for nothing sooner: the
#: diary's answer stands.
EEG_LIKELY_LEVEL = "same_day"


#: A possible seizure marked this long or longer by the EEG's seizure detector asks for a
#: doctor today too (:data:`EEG_LIKELY_LEVEL`): a seizure of 5 minutes or more is status
#: epilepticus (the triage's own limit, ILAE 2015), and the newborns' detector can also
#: mark long stretches of other unusual activity, which a doctor tells apart.
EEG_LONG_MARK_S = STATUS_MIN_S


def longest_marked_seizure(result: dict[str, Any]) -> float:
    """The longest possible seizure (``sz`` event) in an EEG result document, in seconds;
    0 without one."""
    return max(
        (
            float(e.get("duration") or 0.0)
            for e in result.get("events") or []
            if isinstance(e, dict) and e.get("eventType") == "sz"
        ),
        default=0.0,
    )


@dataclass(frozen=True)
class EEGAlert:
    """An EEG that asks for a doctor sooner than the diary's answer: its automated reading
    saw signs of hypsarrhythmia (``why`` ``"pattern"``), or its seizure detector marked a
    possible seizure of :data:`EEG_LONG_MARK_S` or more (``"long_mark"``). The triage
    reads only what is logged, so the page says it beside it."""

    attachment_id: int
    filename: str
    #: The analysis' result document.
    result: dict[str, Any]
    why: str = "pattern"


def urgent_eeg(attachments: Iterable[Attachment], diary_level: str) -> EEGAlert | None:
    """The newest finished EEG analysis, when its hypsarrhythmia assessment is ``likely``
    or it marked a possible seizure of :data:`EEG_LONG_MARK_S` or more, and
    :data:`EEG_LIKELY_LEVEL` is sooner than ``diary_level`` (the diary's triage level).
    Which analyses count is as in :func:`urgent_video`: finished ones with a result; the
    newest EEG speaks for the child, so an older one is not said over a newer reading."""
    # Imported on first use: the result module brings NumPy.
    from spasmwatch.eeg.result import hypsarrhythmia_assessment

    if level_rank(EEG_LIKELY_LEVEL) <= level_rank(diary_level):
        return None
    for a in sorted(attachments, key=lambda a: a.id, reverse=True):
        analysis = a.analysis or {}
        result = analysis.get("result")
        if a.kind != "eeg" or analysis.get("status") != "done" or not isinstance(result, dict):
            continue
        background = result.get("background")
        if isinstance(background, dict) and hypsarrhythmia_assessment(background) == "likely":
            return EEGAlert(a.id, a.filename, result)
        if longest_marked_seizure(result) >= EEG_LONG_MARK_S:
            return EEGAlert(a.id, a.filename, result, why="long_mark")
        return None
    return None


def family_notices(attachments: Iterable[Attachment], diary_level: str) -> tuple[FamilyNotice, ...]:
    """What the family's page says beside a triage answer of ``diary_level`` about the
    recordings (:func:`urgent_video`, then :func:`urgent_eeg`, the page's own order), as
    the report says it: the same decisions, so the page and the report never disagree."""
    attachments = list(attachments)  # read twice
    notices = []
    video = urgent_video(attachments, diary_level)
    if video is not None:
        notices.append(FamilyNotice("video", video.filename, video.level, result=video.result))
    eeg = urgent_eeg(attachments, diary_level)
    if eeg is not None:
        notices.append(
            FamilyNotice(
                "eeg",
                eeg.filename,
                EEG_LIKELY_LEVEL,
                why=eeg.why,
                result=eeg.result,
                longest_s=longest_marked_seizure(eeg.result),
            )
        )
    return tuple(notices)


def _fill(s: Session, child: Child, role: str, derived: state.Derived, show_all: bool) -> Overview:
    limit = None if show_all else TIMELINE_LIMIT
    rows = repo.recent_episodes(s, child.id, limit)
    by_episode: dict[int | None, list[Attachment]] = {}
    attachments = repo.attachments_for(s, child.id)
    for a in attachments:
        by_episode.setdefault(a.episode_id, []).append(a)
    view = Overview(
        child=child,
        role=role,
        child_doc=child_document(child),
        triage=derived.triage,
        day_counts=derived.day_counts,
        rows=rows,
        hidden=max(0, derived.episodes - len(rows)),
        attachments=by_episode,
        care=care_summary(s, child.id, days_with_spasms=derived.spasm_days),
    )
    diary_level = derived.triage.get("level", "routine")
    view.video_alert = urgent_video(attachments, diary_level)
    view.eeg_alert = urgent_eeg(attachments, diary_level)
    if role == "owner":
        view.links = repo.share_links_for(s, child.id)
        view.people = repo.members(s, child.id)
        view.invited = repo.invitations_for(s, child.id)
        # enough entries that the owner's own reads, left out, leave a full list
        entries = repo.audit_for(s, child.id, 20 * ACTIVITY_LINES)
        view.log = _activity(entries, view.people, view.links)
    return view


def _overview(
    db: Database, find: Callable[[Session], tuple[Child, str]], show_all: bool
) -> Overview:
    """Everything in one read (no write lock) when the stored state holds, as it does
    unless the diary changed by a way that only marked it stale, or the rules or the day
    changed: then it is computed and stored once, and read again."""
    with db.reading() as s:
        child, role = find(s)
        derived = state.stored(s, child.id)
        if derived is not None:
            return _fill(s, child, role, derived, show_all)
    derived = state.read(db, child.id)
    with db.reading() as s:
        child, role = find(s)
        return _fill(s, child, role, derived, show_all)


def child_overview(
    db: Database, who: Principal, child_id: int, audit: ReadAudit, *, show_all: bool = False
) -> Overview:
    """The child page: what the user's role may see."""
    view = _overview(db, lambda s: child_for(s, who, child_id, "view"), show_all)
    audit.record("view_child", child_id=child_id, user_id=who.user_id)
    return view


def triage_of(db: Database, who: Principal, child_id: int) -> dict[str, Any]:
    """The triage answer for the child's whole diary (stored once per change)."""
    with db.reading() as s:
        child_for(s, who, child_id, "view")
    return state.read(db, child_id).triage
