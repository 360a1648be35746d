"""The doctor package: the clinician report as one self-contained HTML file with the videos'
clips at the detected events (and a short video whole) embedded, for the family to send or
carry when the app cannot be reached from the doctor's side.

Everything is inside the file as ``data:`` URIs: it opens from a disk, a USB stick or a
mail in any browser and fetches nothing. Its Content-Security-Policy allows media and images
from ``data:`` only and one script, by its hash: the one that makes the detected times seek
the embedded video.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from pathlib import Path

from spasmwatch.i18n import DEFAULT_LOCALE
from spasmwatch.report.render import REPORT_CSP, Paper, render_html
from spasmwatch.report.report_data import ReportData
from spasmwatch.report.video_finding import VideoFinding

__all__ = ["PACKAGE_CSP", "PACKAGE_VIDEO_MAX_BYTES", "render_package"]

log = logging.getLogger("spasmwatch")

#: A whole video is embedded when it is at most this size; a longer one is represented by
#: its clips (each a few seconds around one event). 25 MB keeps the file mailable by most
#: services once base64 has added its third, and covers a phone's minute or two of video.
PACKAGE_VIDEO_MAX_BYTES = 25 * 1024 * 1024
#: At most this many clips per video are embedded, the first events in time (the report's
#: event table lists them all).
PACKAGE_MAX_CLIPS = 40

#: Makes each detected time (a button with ``data-video`` and ``data-t``) play the
#: embedded video from 1 s before it; no other script runs in the package.
SEEK_SCRIPT = (
    "document.addEventListener('click',function(e){"
    "var b=e.target.closest('button.seek');if(!b)return;"
    "var v=document.getElementById(b.dataset.video);if(!v)return;"
    "v.currentTime=Math.max(0,parseFloat(b.dataset.t)-1);v.play();"
    "v.scrollIntoView({block:'center'});});"
)
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SEEK_SCRIPT.encode()).digest()).decode()
#: The report's policy, with media from ``data:`` and the seek script (by its hash) added.
PACKAGE_CSP = f"{REPORT_CSP}; media-src data:; script-src 'sha256-{_SCRIPT_HASH}'"


def _data_uri(path: Path, media_type: str) -> str | None:
    try:
        return f"data:{media_type};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError as exc:  # removed since the report was gathered: left out
        log.warning("package file %s unreadable: %s", path, exc)
        return None


def _media(video: VideoFinding) -> dict[str, object]:
    """The embedded whole video (when small enough) and clips of one video finding."""
    whole = None
    if video.file is not None:
        try:
            small = video.file.stat().st_size <= PACKAGE_VIDEO_MAX_BYTES
        except OSError:
            small = False
        if small:
            whole = _data_uri(video.file, "video/mp4")
    clips = {}
    for number in sorted(video.clips)[:PACKAGE_MAX_CLIPS]:
        uri = _data_uri(video.clips[number], "video/mp4")
        if uri is not None:
            clips[number] = uri
    return {"whole": whole, "clips": clips}


def render_package(
    data: ReportData,
    paper: Paper = "a4",
    locale: str = DEFAULT_LOCALE,
    kept_by: str | None = None,
) -> str:
    """The doctor package of a report: one HTML document, nothing to fetch.

    Parameters
    ----------
    data
        The report (:func:`spasmwatch.diary.reporting.build_report`).
    paper
        ``a4`` or ``letter``, when the page is printed.
    locale
        The language of its words (:func:`spasmwatch.report.render.render_html`).
    kept_by
        Who keeps the diary on their server (``SPASMWATCH_HOSTED_BY``), as the report
        names them.
    """
    media = [_media(v) for v in data.videos]  # in the order of data.videos
    return render_html(
        data,
        paper,
        package={"media": media, "script": SEEK_SCRIPT, "csp": PACKAGE_CSP},
        locale=locale,
        kept_by=kept_by,
    )
