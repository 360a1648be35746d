"""The clinician view: the period's summary, the triage by the rules, the recordings and
the episode table, read-only, for a doctor. It opens at a share link (``/s/{token}``, no
account) and, for a member of the diary (a neurologist the family invited as a viewer,
say), at ``/children/{id}/clinician``: the same page, whose recordings, report and exports
are the diary's own addresses for the member (audited as theirs) and the link's at a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spasmwatch.diary import reporting
from spasmwatch.diary.access import hash_token
from spasmwatch.diary.overview import urgent_eeg, urgent_video
from spasmwatch.web.auth import Principal, require_user
from spasmwatch.web.i18n import locale_of
from spasmwatch.web.render import page
from spasmwatch.web.routes import database, principal, read_audit
from spasmwatch.web.views import period_starts

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class ClinicianAddresses:
    """Where the clinician view's links lead (the view itself opened for another period,
    the report and doctor package, the exports, the recordings with their clips, images and
    analyses): the share link's own addresses, or the diary's for a member, so that what a
    member opens is checked and audited as the member's and works after any link expires.
    """

    #: this view, for another period (``?from=&to=``)
    view: str
    #: ``{report}/report.pdf``, ``/report.html``, ``/package.html``
    report: str
    #: ``{exports}/fhir``, ``/episodes.csv``, ``/csv.zip``
    exports: str
    #: ``{attachments}/{id}``, ``/{id}/clips/{n}``, ``/{id}/images/{name}``, ``/{id}/analysis``
    attachments: str

    @classmethod
    def of_link(cls, token: str) -> ClinicianAddresses:
        """A share link's: everything under ``/s/{token}``."""
        base = f"/s/{token}"
        return cls(base, base, base, f"{base}/attachments")

    @classmethod
    def of_member(cls, child_id: int) -> ClinicianAddresses:
        """A member's: the child's own pages and files, and the JSON API's exports (which
        take the session cookie)."""
        base = f"/children/{child_id}"
        return cls(f"{base}/clinician", base, f"/api/v1{base}", f"{base}/attachments")


def _period(request: Request) -> tuple[date | None, date | None]:
    """The period asked for (``?from=&to=``; a bad date is answered with 422)."""
    from spasmwatch.report import parse_period  # the report brings matplotlib: on first use

    return parse_period(request.query_params.get("from"), request.query_params.get("to"))


def _clinician_page(
    request: Request,
    who: Principal,
    found: reporting.ClinicianView,
    addresses: ClinicianAddresses,
) -> Response:
    """The page of a clinician view, wherever it was opened. The templates read
    ``role == "share"`` as "the clinician's reading" (the doctor's words for the analyses
    and alerts, no forms that change the diary): so it is for a member too, whose own role
    is ``member_role``, said at the top."""
    from spasmwatch.report.render import summary_plots

    recorded = [a for items in found.attachments.values() for a in items]
    return page(
        request,
        "clinician.html",
        who,
        role="share",
        member_role=found.role,
        link=found.link,
        urls=addresses,
        data=found.report,
        plots=summary_plots(found.report, locale_of(request), "screen"),
        child=found.child,
        attachments=found.attachments,
        video_alert=urgent_video(recorded, found.report.triage["level"]),
        eeg_alert=urgent_eeg(recorded, found.report.triage["level"]),
        episode_times=found.recording_episodes,
        care=found.care,
        period_starts=period_starts(),
    )


@router.get("/s/{token}")
def shared_child(request: Request, token: str, who: Principal = Depends(principal)) -> Response:
    """The clinician view at a share link: a summary of the period first (``?from=&to=``,
    default from the first episode), then the recordings to play, then the episode table."""
    start, end = _period(request)
    found = reporting.clinician_view(
        database(request),
        hash_token(token),
        read_audit(request),
        start,
        end,
    )
    return _clinician_page(request, who, found, ClinicianAddresses.of_link(token))


@router.get("/children/{child_id}/clinician")
def member_clinician(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """The clinician view for a member of the child's diary (owner, caregiver, viewer):
    a doctor the family invited reads the diary as at a share link, read-only, without a
    link. Signed out: to the sign-in page first; no role for the child: 404."""
    require_user(who)
    start, end = _period(request)
    found = reporting.member_clinician_view(
        database(request),
        who,
        child_id,
        read_audit(request),
        start,
        end,
    )
    return _clinician_page(request, who, found, ClinicianAddresses.of_member(child_id))
