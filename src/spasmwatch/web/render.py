"""Rendering pages: templates, the words shown for levels and vocabulary, the day chart."""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from markupsafe import Markup, escape

from spasmwatch.care.records import WORDS as CARE_WORDS
from spasmwatch.case import VOCABULARIES
from spasmwatch.diary.access import may_delete
from spasmwatch.diary.overview import EEG_LIKELY_LEVEL
from spasmwatch.eeg.result import FEW_SZ_CHANNELS, based_score_shown, unscored_words
from spasmwatch.eeg.words import EEG_EVENT_WORDS, eeg_event_words
from spasmwatch.i18n import N_, time_ago, warning_sign_seen, when_logged
from spasmwatch.report.eeg_finding import NEWBORN_DETECTOR, EegFinding, not_ruled_out_message
from spasmwatch.report.recording_words import seizure_words
from spasmwatch.report.triage_words import (
    NOTHING_LOGGED_HEADLINE,
    does_not_lower,
    family_advice,
    headline,
    nothing_logged,
    numbered_sources,
    said_once,
    source_words,
)
from spasmwatch.triage.engine import CALL_NOW, WARNING_SIGN_NOW, past_warning_sign
from spasmwatch.triage.rule import LEVEL_WORD, LEVEL_WORDS
from spasmwatch.video.events import EVENT_KIND_WORDS, SET_ASIDE_WORDS
from spasmwatch.web import i18n
from spasmwatch.web.auth import Principal, csrf_token_for
from spasmwatch.web.clock import page_now, page_today
from spasmwatch.web.eeg_statement import (
    family_eeg_statement,
    hypsarrhythmia_assessment,
    newborn_at_recording,
)
from spasmwatch.web.forms import SECONDS_PER_MINUTE
from spasmwatch.web.i18n import current_locale, gettext, ngettext
from spasmwatch.web.problems import analysis_problem

if TYPE_CHECKING:
    from spasmwatch.video.statement import VideoWords

__all__ = [
    "EEG_EVENT_WORDS",
    "LEVEL_WORDS",
    "DayChart",
    "PastWarning",
    "day_chart",
    "day_chart_svg",
    "make_templates",
    "page",
    "uncounted_words",
]

HERE = Path(__file__).resolve().parent
#: The report's templates (its partials are shared with the clinician view).
REPORT_TEMPLATES = HERE.parent / "report" / "templates"


def _words(values: Any, field: str) -> str:
    vocab = VOCABULARIES.get(field, {})
    if isinstance(values, str):
        return gettext(vocab.get(values, values))
    return ", ".join(gettext(vocab.get(v, v)) for v in values or [])


#: What each audited action is called in the child page's recent activity (translated
#: there); an action not listed shows its code with spaces.
ACTION_WORDS = {
    "add_child": N_("child added"),
    "edit_child": N_("child's details changed"),
    "view_child": N_("diary viewed"),
    "log_episode": N_("episode logged"),
    "edit_episode": N_("episode changed"),
    "delete_episode": N_("episode deleted"),
    "upload": N_("recording added"),
    "delete_recording": N_("recording deleted"),
    "reanalyse": N_("recording analysed again"),
    "download": N_("recording downloaded"),
    "download_shared": N_("recording downloaded through a share link"),
    "view_recording": N_("recording viewed in the page"),
    "view_recording_shared": N_("recording viewed through a share link"),
    "eeg_view": N_("EEG viewed"),
    "eeg_view_shared": N_("EEG viewed through a share link"),
    "view_shared": N_("diary viewed through a share link"),
    "report": N_("report made"),
    "share": N_("share link made"),
    "revoke_share": N_("share link revoked"),
    "add_member": N_("person added"),
    "remove_member": N_("person removed"),
    "accept_invitation": N_("person joined with an invitation link"),
    "renew_invitation": N_("new invitation link made"),
    "withdraw_invitation": N_("invitation withdrawn"),
    "member_left": N_("person left the diary"),
    "account_deleted": N_("person left: account deleted"),
    "hand_over": N_("diary handed to a new owner"),
    "export_csv": N_("exported as CSV"),
    "export_fhir": N_("exported as FHIR"),
    "import_csv": N_("episodes imported from CSV"),
    "add_treatment": N_("treatment added"),
    "edit_treatment": N_("treatment changed"),
    "delete_treatment": N_("treatment deleted"),
    "add_milestone": N_("skill recorded"),
    "edit_milestone": N_("skill changed"),
    "delete_milestone": N_("skill deleted"),
    "set_workup": N_("test updated"),
}


#: The analyses' pictures (``images.IMAGE_FILES``) by name, in words.
IMAGE_WORDS: dict[str, str] = {
    "contact_sheet": N_("Contact sheet of the movements found"),
    "motion": N_("Movement over time"),
    "amplitude": N_("EEG amplitude over time"),
    "spike_density": N_("Spikes per minute"),
    "spectrogram": N_("EEG spectrogram"),
}
#: What each picture shows, under it, in the page's language: how to read the picture (its
#: own words are in the page's language too, but for an analysis stored before the pictures
#: were drawn in each language).
IMAGE_CAPTIONS: dict[str, str] = {
    "contact_sheet": N_(
        "Frames across each movement found, one row per movement; its box gives its "
        "number, its kind (such as spasm-like or brief jerk) and its times. Times in black "
        "are during the movement, in grey just before and after."
    ),
    "motion": N_(
        "How much of the baby moves over the video (black line, a share from 0 to 1). "
        "Shaded: the movements found (red: spasm-like, green: brief jerk, blue: rhythmic, "
        "grey: other); orange bar: a cluster."
    ),
    "amplitude": N_(
        "Peak-to-peak amplitude over the recording (µV, logarithmic scale): the median "
        "channel in black, the 90th percentile channel in orange, 200 µV dashed. Shaded: "
        "the events found (red: seizure, sz; blue: decrement)."
    ),
    "spike_density": N_(
        "Spikes per minute over the recording (black) and the seizure detector's "
        "probability (red, right axis, 0 to 1). Shaded: the events found."
    ),
    "spectrogram": N_(
        "Power by frequency (up, Hz) over the recording (across): yellow is more power, "
        "blue less. Lines and the bar at the top: the events found (red: seizure; blue: "
        "decrement)."
    ),
}


def _image_alt(name: str, filename: str) -> str:
    """The text of an analysis's picture ``name`` of the file ``filename``."""
    words = IMAGE_WORDS.get(name)
    picture = gettext(words) if words else name.replace("_", " ")
    return gettext("%(picture)s, %(file)s") % {"picture": picture, "file": filename}


def _image_caption(name: str) -> str:
    """How to read an analysis's picture ``name``, in the page's language ("" if unknown)."""
    words = IMAGE_CAPTIONS.get(name)
    return gettext(words) if words else ""


def _eeg_event_words(kind: str) -> str:
    """An EEG event type in the page's words (an unknown one as it is)."""
    return eeg_event_words(kind, gettext)


def _eeg_filters(settings: Any) -> str:
    """The viewer's filters in the page's words and numbers."""
    from spasmwatch.eeg.trace_svg import filter_words

    return filter_words(settings, gettext, i18n.number)


def _action_words(action: str) -> str:
    words = ACTION_WORDS.get(action)
    return gettext(words) if words else action.replace("_", " ")


def _care_error(errs: dict[str, str] | None, name: str, id: str) -> Markup:
    """One field's problem, under it (``errs`` the problems by field, ``name`` the field,
    ``id`` the input's id): a function rather than a macro, as the work-up shows a form
    per test with five fields each."""
    message = errs.get(name) if errs else None
    if not message:
        return Markup("")
    return Markup('<p class="error" id="{}-error" role="alert">{}</p>').format(id, message)


class EpisodeLine(NamedTuple):
    """One episode of the timeline as its lines read, in the page's language (plain text;
    the template escapes it)."""

    when: str
    state: str
    summary: str
    fever: str
    red_flags: str
    notes: str


def _episode_line(e: dict[str, Any]) -> EpisodeLine:
    """The timeline's words for one stored episode (case format), made in one call: the
    same words the template made with a dozen calls of its own per episode."""
    parts = [_words(e.get("movements", []), "movements") or gettext("no movement named")]
    if e.get("count"):
        # one movement is not "in a row"
        parts.append(
            ngettext("a single movement", "%(n)s in a row", e["count"]) % {"n": e["count"]}
        )
    if e.get("movement_seconds"):
        seconds = {"s": i18n.number(e["movement_seconds"])}
        if e.get("count") == 1:  # one movement does not last so long "each"
            parts.append(gettext("%(s)s s long") % seconds)
        else:
            parts.append(gettext("%(s)s s each") % seconds)
    if e.get("interval_seconds") and e.get("count") != 1:  # no interval without a second
        parts.append(gettext("every %(s)s s") % {"s": i18n.number(e["interval_seconds"])})
    if minutes := e.get("episode_minutes"):
        if minutes < 1:  # as measured or typed ("26 s"), not "0.43 min"
            seconds = round(minutes * SECONDS_PER_MINUTE)
            parts.append(gettext("%(s)s s in all") % {"s": i18n.number(seconds)})
        else:
            parts.append(gettext("%(m)s min in all") % {"m": i18n.number(minutes)})
    fever = e.get("fever_c")
    return EpisodeLine(
        when=i18n.when(e.get("started_at")),
        state=_words(e.get("state", "unknown"), "state"),
        summary=" · ".join(parts),
        fever=gettext("Temperature %(t)s °C") % {"t": i18n.number(fever)} if fever else "",
        red_flags=_words(e["red_flags"], "red_flags") if e.get("red_flags") else "",
        notes=e.get("notes") or "",
    )


def _video_today_if_not_stopped(result: dict) -> bool:
    """Whether a video asks for a doctor today only if its rhythmic jerking could not be
    stopped (:func:`~spasmwatch.video.urgency.today_if_not_stopped`)."""
    from spasmwatch.video.urgency import today_if_not_stopped

    return today_if_not_stopped(result or {})


def _video_statement(result: dict, reader: str = "family") -> list[str]:
    """What a video's analysis found, in sentences for ``reader`` (the family, or the
    clinician at a share link) in the page's language."""
    # Imported on first use: the video package brings OpenCV and FFmpeg.
    from spasmwatch.video.statement import describe_video

    return describe_video(result, gettext, ngettext, reader=reader, locale=current_locale())


def _video_words(result: dict) -> VideoWords:
    """What a video's analysis found, what to do and the rest, in sentences for the family
    in the page's language (:func:`~spasmwatch.video.statement.video_words`)."""
    from spasmwatch.video.statement import video_words

    return video_words(result, gettext, ngettext, locale=current_locale())


def _eeg_statement(
    result: dict, child: Any = None, uploaded_at: datetime | None = None
) -> list[str]:
    """What an EEG's analysis found, in plain sentences for the family, in the page's
    language (:func:`~spasmwatch.web.eeg_statement.family_eeg_statement`), said for the
    ``child``'s age at the recording where the page knows the child (a quiet background
    means something else past the newborn period); the clinician view keeps the technical
    summary."""
    newborn = newborn_at_recording(result, uploaded_at, child)
    return family_eeg_statement(result, gettext, ngettext, newborn=newborn)


def _eeg_seizure_words(result: dict) -> str:
    """An EEG result's possible seizures in a few words in the page's language, as the
    report's first page says them: "6 possible seizures, the longest 391 s"
    (:func:`~spasmwatch.report.recording_words.seizure_words`)."""
    r = result or {}
    return seizure_words(
        r.get("events") or [], r.get("settings"), gettext, ngettext, current_locale()
    )


def _eeg_seizures(finding: EegFinding) -> str:
    """A report's EEG finding's possible seizures in the page's language (the report's
    summary lines, ``report/_summary_lines.html``)."""
    return finding.seizure_words(gettext, ngettext, current_locale())


def _eeg_reasons(background: dict) -> list[str]:
    from spasmwatch.eeg.reasons import background_reasons

    return background_reasons(background, gettext, i18n.current_locale(), ngettext)


def _episode_terms(field: str, values: Any) -> str:
    """An episode's answers as the report's episode table names them, in the page's
    language (the table is the report's partial, ``report/_episodes.html``)."""
    from spasmwatch.report.answer_words import episode_terms

    return episode_terms(field, values, gettext)


def _logged_when(reason: dict[str, Any]) -> str:
    """When the newest episode behind a triage reason started, in the page's language and
    by the family's day; empty for a reason without one."""
    at = reason.get("last_episode_at")
    return when_logged(at, page_today(), gettext, i18n.current_locale()) if at else ""


class PastWarning(NamedTuple):
    """An emergency answer whose warning sign was last seen more than 24 h ago, in the
    page's language: ``ago`` ("5 weeks ago") and ``headline`` ("A warning sign was last
    seen 5 weeks ago, on 2026-11-01.")."""

    ago: str
    headline: str


def _past_warning(source: Any) -> PastWarning | None:
    """The words of a past warning sign (:func:`~spasmwatch.triage.engine.past_warning_sign`)
    by the family's clock; None for an answer worded as happening now. ``source``: a triage
    result (a dict or a ``TriageResult``), or the time of its newest warning sign."""
    at = past_warning_sign(source, page_now())
    if at is None:
        return None
    today = page_today()
    return PastWarning(
        time_ago(at, today, gettext, ngettext),
        warning_sign_seen(at, today, gettext, ngettext, i18n.current_locale()),
    )


def _past_start(started_at: Any) -> PastWarning | None:
    """The words of a warning sign ticked on a form whose start (``started_at``, as the
    form holds it) is more than 24 h ago, as :func:`_past_warning` says them for a diary;
    None for a start within 24 h, none, or one that is not a time."""
    if not started_at or not isinstance(started_at, str):
        return None
    try:
        return _past_warning(started_at)
    except ValueError:  # not a time: the form says so next to its field
        return None


def _numbered_sources(reasons: Any) -> tuple[list[list[int]], list[str]]:
    """The reasons' sources numbered, in the page's language
    (:func:`~spasmwatch.report.triage_words.numbered_sources`)."""
    return numbered_sources(reasons, gettext)


def _source_words(source: str) -> str:
    """A triage rule's source in the page's language, its ``[design]`` tag in words
    (:func:`~spasmwatch.report.triage_words.source_words`)."""
    return source_words(source, gettext)


def _video_baby_found(result: dict) -> bool:
    """Whether a video result's quality check found a baby in the picture
    (:func:`spasmwatch.video.quality.baby_found`)."""
    from spasmwatch.video.quality import baby_found

    return baby_found((result or {}).get("quality"))


def _video_quality(result: dict) -> list[dict]:
    from spasmwatch.video.quality import quality_checks

    return quality_checks(result, gettext, current_locale())


def make_templates() -> Jinja2Templates:
    """The Jinja2 environment of the app."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    # The templates are part of the installed package: they change with a new version, and
    # a new version starts new processes. Jinja's default checks every template's file
    # time on each use (a child page uses some 20, includes in loops counted), a system
    # call each that also hands the GIL to other requests.
    env.auto_reload = False
    # The report's partials (reasons, episode table) as "report/...", for the clinician view.
    own = env.loader or FileSystemLoader(HERE / "templates")
    env.loader = ChoiceLoader([own, PrefixLoader({"report": FileSystemLoader(REPORT_TEMPLATES)})])
    env.globals.update(
        SET_ASIDE_WORDS=SET_ASIDE_WORDS,
        EVENT_KIND_WORDS=EVENT_KIND_WORDS,
        LEVEL_WORDS=LEVEL_WORDS,
        REPORT_LEVEL_WORDS=LEVEL_WORD,
        # the level an EEG's alert asks for (_eeg_alert.html): its badge and colour
        EEG_ALERT_LEVEL=EEG_LIKELY_LEVEL,
        VOCABULARIES=VOCABULARIES,
        CARE_WORDS=CARE_WORDS,
        may_delete=may_delete,
        video_statement=_video_statement,
        video_today_if_not_stopped=_video_today_if_not_stopped,
        video_words=_video_words,
        video_quality=_video_quality,
        video_baby_found=_video_baby_found,
        eeg_statement=_eeg_statement,
        hypsarrhythmia_assessment=hypsarrhythmia_assessment,
        based_score_shown=based_score_shown,
        unscored_words=lambda background: unscored_words(background, gettext),
        eeg_not_ruled_out=not_ruled_out_message,
        eeg_seizure_words=_eeg_seizure_words,
        eeg_seizures=_eeg_seizures,
        NEWBORN_DETECTOR=NEWBORN_DETECTOR,
        eeg_reasons=_eeg_reasons,
        episode_line=_episode_line,
        terms=_episode_terms,
        care_error=_care_error,
        action_words=_action_words,
        image_alt=_image_alt,
        image_caption=_image_caption,
        eeg_event_words=_eeg_event_words,
        eeg_filters=_eeg_filters,
        analysis_problem=analysis_problem,
        logged_when=_logged_when,
        past_warning=_past_warning,
        past_start=_past_start,
        WARNING_SIGN_NOW_HOURS=int(WARNING_SIGN_NOW.total_seconds() // 3600),
        few_sz_channels=FEW_SZ_CHANNELS,
        CALL_NOW=CALL_NOW,
        headline=headline,
        nothing_logged=nothing_logged,
        NOTHING_LOGGED_HEADLINE=NOTHING_LOGGED_HEADLINE,
        family_advice=family_advice,
        source_words=_source_words,
        numbered_sources=_numbered_sources,
        said_once=said_once,
        does_not_lower=does_not_lower,
    )
    env.filters.update(words=_words)
    i18n.install(env)
    return templates


def page(
    request: Request,
    name: str,
    principal: Principal,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render template ``name`` with the user and CSRF token every page needs, and the id
    of this page view (``page_view``: its video players and clip links carry it, so that
    what they play is audited once per page view, see
    :class:`~spasmwatch.diary.audit.FileRead`)."""
    templates: Jinja2Templates = request.app.state.templates
    context.update(user=principal.user, csrf_token=csrf_token_for(request, principal))
    context.setdefault("page_view", secrets.token_urlsafe(12))
    context.setdefault("emergency_number", request.app.state.settings.emergency_number)
    locale = i18n.locale_of(request)
    context.setdefault("locale", locale)
    with i18n.using(locale):
        return templates.TemplateResponse(request, name, context, status_code=status_code)


class DayChart(NamedTuple):
    """The day chart (an SVG, or a line saying it is empty), how many of its movements
    are of harmless look-alikes (hiccups and the like), for the legend to name them, and
    how many of its episodes were logged without a count (each drawn as one movement:
    the legend says so)."""

    svg: Markup
    lookalikes: int
    uncounted: int = 0


#: The day chart's drawing, in its own units: a column per day, the rows' height (each
#: row's bars reach it on the row's busiest day) and where each row's baseline is:
#: episodes above, movements below, the days' dates under them.
_CHART_LEFT, _CHART_COLUMN, _ROW_HEIGHT = 30, 28, 52
_EP_BASE, _MV_BASE, _CHART_HEIGHT = 74, 150, 172


def day_chart(day_counts: dict[date, tuple[int, ...]], today: date, days: int = 14) -> DayChart:
    """An accessible SVG chart of episodes and movements per day over ``days`` days, from
    the diary's stored ``{day: (episodes, movements, look-alike movements, episodes
    without a count)}``: two rows over the same day columns, episodes above and movements
    below, each on its own scale (its top line is the most in a day, labelled), so that
    two episodes a day are not a sliver beside a dozen movements. The movements of harmless
    look-alikes (hiccups, shivering, tremor, startle) are the top of each day's movement
    bar, in their own colour, and the chart's name says how many. An episode logged
    without a count is drawn as one movement: its day's bar says "at least", and the
    chart's name says how many such episodes there are."""
    start = today - timedelta(days=days - 1)
    n_episodes: Counter[date] = Counter()
    n_moves: Counter[date] = Counter()
    n_alike: Counter[date] = Counter()
    n_uncounted: Counter[date] = Counter()
    for day, (n_ep, n_mv, *rest) in day_counts.items():
        if start <= day <= today:
            n_episodes[day] += n_ep
            n_moves[day] += n_mv
            n_alike[day] += rest[0] if rest else 0
            n_uncounted[day] += rest[1] if len(rest) > 1 else 0
    if not n_episodes:
        empty = gettext("No timed episodes in the last %(days)s days (%(start)s to %(end)s).")
        words = empty % {"days": days, "start": i18n.day(start), "end": i18n.day(today)}
        return DayChart(Markup(f'<p class="chart-empty">{escape(words)}</p>'), 0)
    top_ep = max([*n_episodes.values(), 1])
    top = max([*n_moves.values(), 1])
    alike = sum(n_alike.values())
    width = _CHART_LEFT + _CHART_COLUMN * days + 10
    title = gettext(
        "Episodes per day (top row) and movements per day (bottom row), each row on its "
        "own scale, last %(days)s days; most episodes in a day: %(top_ep)s; "
        "most movements in a day: %(top)s"
    ) % {"days": days, "top_ep": top_ep, "top": top}
    if alike:
        title += "; " + _count(alike, "alike")
    uncounted = sum(n_uncounted.values())
    if uncounted:
        title += "; " + uncounted_words(uncounted)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {_CHART_HEIGHT}" '
        f'role="img" aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    # Each row: its top line (the most in a day) with its label, and its baseline.
    for base, most, kind in ((_EP_BASE, top_ep, "ep"), (_MV_BASE, top, "mv")):
        parts.append(
            f'<text class="row-top {kind}" x="2" y="{base - _ROW_HEIGHT - 5}">'
            f"{escape(_count(most, kind))}</text>"
        )
        parts.append(
            f'<line x1="{_CHART_LEFT - 2}" y1="{base - _ROW_HEIGHT}" x2="{width - 5}" '
            f'y2="{base - _ROW_HEIGHT}" class="grid"/>'
        )
        parts.append(
            f'<line x1="{_CHART_LEFT - 2}" y1="{base}" x2="{width - 5}" y2="{base}" class="axis"/>'
        )
    bar = _CHART_COLUMN - 10
    for i in range(days):
        day = start + timedelta(days=i)
        x = _CHART_LEFT + i * _CHART_COLUMN + 2
        when = escape(i18n.day(day))
        for base, value, most, cls in (
            (_EP_BASE, n_episodes[day], top_ep, "ep"),
            (_MV_BASE, n_moves[day], top, "mv"),
        ):
            h = _ROW_HEIGHT * value / most
            said = _count(value, "mv-least" if cls == "mv" and n_uncounted[day] else cls)
            parts.append(
                f'<rect class="{cls}" x="{x}" y="{base - h:.1f}" width="{bar}" '
                f'height="{h:.1f}"><title>{when}: {escape(said)}</title></rect>'
            )
        if n_alike[day]:
            # the top of the movement bar: its movements of look-alikes
            h = _ROW_HEIGHT * n_moves[day] / top
            h_alike = _ROW_HEIGHT * n_alike[day] / top
            parts.append(
                f'<rect class="mv-alike" x="{x}" y="{_MV_BASE - h:.1f}" width="{bar}" '
                f'height="{h_alike:.1f}"><title>{when}: '
                f"{escape(_count(n_alike[day], 'alike'))}</title></rect>"
            )
        if i % 2 == 0 or days <= 7:
            parts.append(
                f'<text x="{x + bar / 2:g}" y="{_CHART_HEIGHT - 6}" text-anchor="middle">'
                f"{day:%d/%m}</text>"
            )
    parts.append("</svg>")
    return DayChart(Markup("".join(parts)), alike, uncounted)


def day_chart_svg(day_counts: dict[date, tuple[int, ...]], today: date, days: int = 14) -> Markup:
    """The day chart of :func:`day_chart` alone."""
    return day_chart(day_counts, today, days).svg


def _count(value: int, kind: str) -> str:
    if kind == "ep":
        return ngettext("%(n)s episode", "%(n)s episodes", value) % {"n": value}
    if kind == "alike":
        return ngettext(
            "%(n)s of them a look-alike (hiccups, shivering, tremor, startle)",
            "%(n)s of them look-alikes (hiccups, shivering, tremor, startle)",
            value,
        ) % {"n": value}
    if kind == "mv-least":
        # the words of the clinician view's and the report's summary
        return ngettext("at least %(count)s movement", "at least %(count)s movements", value) % {
            "count": value
        }
    return ngettext("%(n)s movement", "%(n)s movements", value) % {"n": value}


def uncounted_words(n: int) -> str:
    """How many episodes of a chart were logged without a count, each drawn as one
    movement, in the page's language (the child page's legend says the same)."""
    return ngettext(
        "%(count)s episode without a count, drawn as one movement",
        "%(count)s episodes without a count, each drawn as one movement",
        n,
    ) % {"count": n}


def escape_text(text: str) -> Markup:
    """Escape user text for HTML."""
    return escape(text)
