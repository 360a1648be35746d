"""The EEG trace viewer: pages of an EEG attachment for the family and through a share link.

``?t=`` is the page start (seconds from the file start); ``page``, ``montage``, ``gain``,
``hp``, ``lp`` and ``notch`` are the settings of
:meth:`~spasmwatch.eeg.traces.TraceSettings.parse`. A bad value answers 422 with a message
naming the parameter. The viewer page inlines the traces (SVG); ``/eeg/page.svg`` is the
same page as an image (to save or print); both say their words and numbers in the page's
language. The viewer's caption says the gain and the time scale (mm/s) at the nominal size
of the page as an image (:data:`~spasmwatch.eeg.trace_svg.PAGE_WIDTH_MM` wide), as each page
length offered says its own. A file with no EEG to show (a hypnogram, a damaged file)
answers 422 with the viewer's page saying so in that language, the analyser's English
message as its details.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from spasmwatch.diary.access import hash_token
from spasmwatch.diary.eeg_review import (
    EegReview,
    UnviewableEEG,
    child_eeg_page,
    shared_eeg_page,
)
from spasmwatch.eeg.trace_svg import PAGE_WIDTH_MM, PHONE_DRAWING, paper_speed, render_trace_svg
from spasmwatch.eeg.traces import (
    GAINS_UV_PER_MM,
    HIGH_PASS_HZ,
    LOW_PASS_HZ,
    NOTCH_HZ,
    PAGE_SECONDS,
    page_start_for,
)
from spasmwatch.eeg.words import CLOCK_FROM_START_S, length_in_words, time_from_start
from spasmwatch.web import i18n
from spasmwatch.web.auth import Principal
from spasmwatch.web.problems import analysis_problem
from spasmwatch.web.render import EEG_EVENT_WORDS, page
from spasmwatch.web.routes import database, principal, read_audit
from spasmwatch.web.threads import slow

router = APIRouter(include_in_schema=False)

#: Events listed in the viewer (a day's file may have hundreds).
MAX_LISTED = 200


def _url(base: str, t: float, settings: dict[str, str]) -> str:
    return f"{base}/eeg?" + urlencode({"t": f"{t:g}", **settings})


#: The query of a viewer opened from a member's clinician view (``?for=clinician``): its
#: pages keep it, and its way back leads to that view.
FROM_CLINICIAN = {"for": "clinician"}

#: Whose frame the viewer's page is drawn in, that of the page it was opened from: the
#: family's page, a share link's clinician view, or a member's clinician view.
Frame = Literal["family", "share", "member"]


def _frame(frame: Frame) -> dict[str, Any]:
    """What the viewer's templates (``_eeg_page.html``) read to draw ``frame``: a doctor
    who opened the traces from a clinician view reads them in that view's header and foot
    (``role == "share"``, no family's banners or reminder), a member with their own menu
    kept (``member_clinician``) as the view keeps it; the family reads them in its own."""
    return {"role": "share" if frame != "family" else None, "member_clinician": frame == "member"}


def _viewer(
    request: Request,
    who: Principal,
    review: EegReview,
    base: str,
    back: str,
    frame: Frame,
    keep: dict[str, str] | None = None,
) -> Response:
    """The viewer's page, in ``frame``; ``keep``: query words its every page link keeps."""
    shown = review.page
    settings = {**shown.settings.query(), **(keep or {})}
    duration = shown.duration_s

    def at(t: float) -> dict:
        """The link to the page that shows time ``t``, and its clock time."""
        url = _url(base, page_start_for(t, shown.page_s, duration), settings)
        return {"url": url, "clock": shown.clock(t)}

    events = [
        {"event": e, **at(e.onset), "here": e in shown.events} for e in review.events[:MAX_LISTED]
    ]
    set_aside = [{"onset": t, **at(t)} for t in review.set_aside[:MAX_LISTED]]
    previous = _url(base, max(0.0, shown.start_s - shown.page_s), settings)
    following = shown.start_s + shown.page_s
    return page(
        request,
        "eeg.html",
        who,
        review=review,
        shown=shown,
        svg=Markup(_traces(request, review, fluid=True)),
        # the page as a phone shows it (eeg.css picks one): narrower, larger words, each
        # trace kept in its lane
        svg_phone=Markup(_traces(request, review, fluid=True, **PHONE_DRAWING)),
        base=base,
        back=back,
        image_url=f"{base}/eeg/page.svg?" + urlencode({"t": f"{shown.start_s:g}", **settings}),
        previous_url=previous if shown.start_s > 0 else None,
        next_url=_url(base, following, settings) if following < duration else None,
        events=events,
        more=max(0, len(review.events) - MAX_LISTED),
        set_aside=set_aside,
        more_set_aside=max(0, len(review.set_aside) - MAX_LISTED),
        choices=_choices(review),
        # the time scale beside the gain, at the nominal size of the page as an image
        speed=paper_speed(shown.page_s),
        page_speeds={str(v): paper_speed(v) for v in PAGE_SECONDS},
        nominal_width_mm=PAGE_WIDTH_MM,
        # the settings form keeps them too, as hidden fields
        keep=keep or {},
        # a long recording's times also as h:mm:ss from its start, its lengths in words
        long_recording=duration >= CLOCK_FROM_START_S,
        from_start=time_from_start,
        length_words=_length_words,
        **_frame(frame),
    )


def _length_words(seconds: float) -> str:
    """A length in the page's language, as the family's EEG statement says it ("3 hours",
    "2 hours and 5 minutes": :func:`~spasmwatch.eeg.words.length_in_words`)."""
    return length_in_words(seconds, i18n.gettext, i18n.ngettext)


def _choices(review: EegReview) -> dict[str, list[str]]:
    """The values each setting offers (the template words them)."""
    return {
        "page": [str(v) for v in PAGE_SECONDS],
        "montage": list(review.montages),
        "gain": [f"{v:g}" for v in GAINS_UV_PER_MM],
        "hp": [f"{v:g}" for v in HIGH_PASS_HZ],
        "lp": [f"{v:g}" for v in LOW_PASS_HZ],
        "notch": [f"{v:g}" for v in NOTCH_HZ],
    }


def _traces(request: Request, review: EegReview, fluid: bool = False, **drawing: float) -> str:
    """The page of traces as SVG, its words and numbers in the request's language
    (``drawing``: more of :func:`render_trace_svg`'s sizes, :data:`PHONE_DRAWING`'s)."""
    with i18n.using(i18n.locale_of(request)):
        return render_trace_svg(
            review.page,
            fluid=fluid,
            **drawing,  # type: ignore[arg-type]
            gettext=i18n.gettext,
            number=i18n.number,
            event_words={kind: i18n.gettext(words) for kind, words in EEG_EVENT_WORDS.items()},
        )


def _svg(request: Request, review: EegReview) -> Response:
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + _traces(request, review)
    return Response(svg, media_type="image/svg+xml")


def _unviewable(
    request: Request, who: Principal, exc: UnviewableEEG, back: str, frame: Frame
) -> Response:
    """The viewer's page for a file with no EEG it can show (422): why, in the page's
    language, with what the reader said as details, and the way back, in ``frame``."""
    return page(
        request,
        "eeg_unavailable.html",
        who,
        422,
        problem=analysis_problem(str(exc)),
        filename=exc.attachment_name,
        back=back,
        **_frame(frame),
    )


@router.get("/children/{child_id}/attachments/{attachment_id}/eeg")
@slow
def eeg_viewer(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    """The trace viewer of a child's EEG file (audited when opened without parameters);
    opened from the member's clinician view (``?for=clinician``), its way back leads
    there."""
    clinician = request.query_params.get("for") == FROM_CLINICIAN["for"]
    view = f"/children/{child_id}/clinician" if clinician else f"/children/{child_id}"
    back = f"{view}#recording-{attachment_id}"
    frame: Frame = "member" if clinician else "family"
    try:
        review = child_eeg_page(
            database(request),
            who,
            child_id,
            attachment_id,
            request.query_params,
            read_audit(request),
            audited=not any(k != "for" for k in request.query_params),
        )
    except UnviewableEEG as exc:
        return _unviewable(request, who, exc, back, frame)
    base = f"/children/{child_id}/attachments/{attachment_id}"
    return _viewer(request, who, review, base, back, frame, FROM_CLINICIAN if clinician else None)


@router.get("/children/{child_id}/attachments/{attachment_id}/eeg/page.svg")
@slow
def eeg_page_image(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    """One page of a child's EEG file as an SVG image, at its nominal size in mm."""
    review = child_eeg_page(
        database(request), who, child_id, attachment_id, request.query_params, read_audit(request)
    )
    return _svg(request, review)


@router.get("/s/{token}/attachments/{attachment_id}/eeg")
@slow
def shared_eeg_viewer(
    request: Request, token: str, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    """The trace viewer through a share link (read-only)."""
    back = f"/s/{token}#recording-{attachment_id}"
    try:
        review = shared_eeg_page(
            database(request),
            hash_token(token),
            attachment_id,
            request.query_params,
            read_audit(request),
            audited=not request.url.query,
        )
    except UnviewableEEG as exc:
        return _unviewable(request, who, exc, back, "share")
    base = f"/s/{token}/attachments/{attachment_id}"
    return _viewer(request, who, review, base, back, "share")


@router.get("/s/{token}/attachments/{attachment_id}/eeg/page.svg")
@slow
def shared_eeg_page_image(request: Request, token: str, attachment_id: int) -> Response:
    """One page through a share link as an SVG image."""
    review = shared_eeg_page(
        database(request), hash_token(token), attachment_id, request.query_params,
        read_audit(request),
    )  # fmt: skip
    return _svg(request, review)
