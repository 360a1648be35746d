"""Reviewing an EEG file page by page: the trace viewer's use case (family and share link).

A page is read from the stored file on demand (:func:`spasmwatch.eeg.traces.read_page`:
the page's window only, so a 24 h file costs the same as a 30 s one), with the events the
analysis found, for :mod:`spasmwatch.web` to draw.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from spasmwatch.diary.access import Principal, child_for, share_for
from spasmwatch.diary.audit import ReadAudit
from spasmwatch.diary.recordings import attachment_of
from spasmwatch.eeg.events import Event
from spasmwatch.eeg.reader import eeg_left_out, read_recording
from spasmwatch.eeg.traces import TracePage, TraceSettings, available_montages, read_page
from spasmwatch.errors import InvalidInput, NotFound, UnreadableFile
from spasmwatch.store import Database
from spasmwatch.store.files import shown_message, stored_path

__all__ = ["EegReview", "UnviewableEEG", "child_eeg_page", "shared_eeg_page"]


class UnviewableEEG(UnreadableFile):
    """An EEG attachment whose file holds nothing to show (no EEG channel, or it cannot
    be read): the reader's message, and the file's name (``attachment_name``: an
    OSError's ``filename`` would change how it is said)."""

    def __new__(cls, message: str, *, filename: str) -> UnviewableEEG:
        # OSError reads two arguments as (errno, strerror): only the message goes to it
        return super().__new__(cls, message)

    def __init__(self, message: str, *, filename: str) -> None:
        super().__init__(message)
        self.attachment_name = filename


@dataclass(frozen=True)
class EegReview:
    """One page of an EEG attachment under review.

    Attributes
    ----------
    attachment_id, filename
        The attachment.
    page
        The traces (:class:`~spasmwatch.eeg.traces.TracePage`).
    events
        Every event the analysis found, by onset (empty before the analysis is done).
    montages
        The montages this recording can be shown in, the default first.
    channels, sfreq
        The recorded EEG channels and their sampling rate.
    gaps
        The gaps of an interrupted recording (EDF+D), ``(onset_s, duration_s)``.
    left_out
        The labels of the file's EEG signals that are not shown (a rate that is not a
        whole multiple of the others', a duplicate, a broken range).
    set_aside
        Onsets (s) of the attenuations the analysis did not count as decrements because
        the background around them is discontinuous (``background.decrements_set_aside``),
        so that the reader can look at them.
    """

    attachment_id: int
    filename: str
    page: TracePage
    events: list[Event]
    montages: list[str]
    channels: list[str]
    sfreq: float
    gaps: list[tuple[float, float]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    set_aside: list[float] = field(default_factory=list)


#: A page start as a long recording's viewer says it (h:mm:ss, ``1:30:00``) or as a
#: person types minutes (m:ss, ``90:00``): hours, minutes, seconds.
_FROM_START = re.compile(r"(?:(?P<h>\d+):(?=\d+:))?(?P<m>\d+):(?P<s>\d{1,2}(?:\.\d*)?)")


def _start(query: Mapping[str, str]) -> float:
    """The page start ``t`` of the query, a number of seconds, or h:mm:ss or m:ss from the
    start (the viewer of a long recording says its times so, and a person types them so);
    ``read_page`` checks that it lies in the recording."""
    raw = str(query.get("t", "") or "0").strip()
    clock = _FROM_START.fullmatch(raw)
    start = math.nan
    if clock is not None:
        hours, minutes, seconds = int(clock["h"] or 0), int(clock["m"]), float(clock["s"])
        if seconds < 60 and (clock["h"] is None or minutes < 60):
            start = 3600 * hours + 60 * minutes + seconds
    else:
        with contextlib.suppress(ValueError):
            start = float(raw)
    if not math.isfinite(start):
        raise InvalidInput(
            "Invalid value for 't': seconds from the start of the recording, or h:mm:ss "
            "(1:30:00) or m:ss (90:00); got %(got)s",
            got=repr(raw),
        )
    return start


def _mains_found(result: object) -> float:
    """The mains frequency the analysis removed from the recording (Hz), or 0: the viewer's
    notch starts there, so the traces show what the measures read."""
    background = result.get("background") if isinstance(result, dict) else None
    mains = background.get("mains") if isinstance(background, dict) else None
    try:
        return float(mains["hz"]) if mains and float(mains.get("share") or 0) > 0 else 0.0
    except (KeyError, TypeError, ValueError):
        return 0.0


def _review(db: Database, child_id: int, attachment_id: int, query: Mapping[str, str]) -> EegReview:
    with db.reading() as s:
        row = attachment_of(s, child_id, attachment_id)
        kind, sha256, filename = row.kind, row.sha256, row.filename
        analysis = dict(row.analysis or {})
    if kind != "eeg":
        raise NotFound("No such EEG file")
    try:
        path = stored_path(db.attachments_dir, sha256)
    except ValueError:
        raise NotFound("The file is missing from the data directory") from None
    if not path.is_file():
        raise NotFound("The file is missing from the data directory")
    result = analysis.get("result") if analysis.get("status") == "done" else None
    events: list[Event] = []
    if isinstance(result, dict):
        try:
            events = sorted(
                (Event.from_dict(e) for e in result.get("events") or []), key=lambda e: e.onset
            )
        except (KeyError, TypeError, ValueError):
            events = []  # a document off the contract: the traces still show
    set_aside: list[float] = []
    if isinstance(result, dict) and isinstance(result.get("background"), dict):
        try:
            set_aside = sorted(
                float(t) for t in result["background"].get("decrements_set_aside") or []
            )
        except (TypeError, ValueError):
            set_aside = []
    try:
        recording = read_recording(path, annotations=False)
    except UnreadableFile as exc:  # said with the file's own name, never the store's path
        raise UnviewableEEG(shown_message(str(exc), path, filename), filename=filename) from None
    montages = available_montages(recording.channels, recording.kinds)
    settings = TraceSettings.parse(
        {k: v for k, v in query.items() if k != "t"},
        default_montage=montages[0],
        default_notch=_mains_found(result),
    )
    # "fit the page": every trace in its lane, so that a burst of large waves stays apart
    page = read_page(recording, _start(query), settings, events, within_lane=True)
    return EegReview(
        attachment_id=attachment_id,
        filename=filename,
        page=page,
        events=events,
        montages=montages,
        channels=list(recording.channels),
        sfreq=recording.sfreq,
        gaps=list(recording.gaps),
        left_out=[s.rsplit(" (", 1)[0] for s in eeg_left_out(recording.skipped)],
        set_aside=set_aside,
    )


def child_eeg_page(
    db: Database,
    who: Principal,
    child_id: int,
    attachment_id: int,
    query: Mapping[str, str],
    audit: ReadAudit,
    *,
    audited: bool = False,
) -> EegReview:
    """A page of a child's EEG file for someone who may view the child.

    Parameters
    ----------
    query
        ``t`` (page start, seconds from the file start) and the settings of
        :meth:`~spasmwatch.eeg.traces.TraceSettings.parse`.
    audited
        Record the view in the audit log (when the viewer is opened, not for each page).

    Raises
    ------
    NotFound
        No such child, file or EEG for this user, or the file is missing.
    InvalidInput
        A parameter out of range, named in the message.
    UnviewableEEG
        The file holds no EEG to show (a hypnogram) or cannot be read.
    """
    with db.reading() as s:
        child_for(s, who, child_id, "view")
    review = _review(db, child_id, attachment_id, query)
    if audited:
        audit.record("eeg_view", child_id=child_id, user_id=who.user_id, detail=str(attachment_id))
    return review


def shared_eeg_page(
    db: Database,
    token_hash: str,
    attachment_id: int,
    query: Mapping[str, str],
    audit: ReadAudit,
    *,
    audited: bool = False,
) -> EegReview:
    """A page of an EEG file of the child behind a share link (read-only); see
    :func:`child_eeg_page`."""
    with db.reading() as s:
        link = share_for(s, token_hash)
        child_id, link_id = link.child_id, link.id
    review = _review(db, child_id, attachment_id, query)
    if audited:
        audit.record(
            "eeg_view_shared", child_id=child_id, share_link_id=link_id, detail=str(attachment_id)
        )
    return review
