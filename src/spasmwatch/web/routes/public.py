"""What anyone can use without an account: the landing page, "Check a movement now", the
guide, and the public JSON API (``POST /api/v1/triage``).

Nothing here stores anything: the check's answer is computed and shown. Keeping it is the
visitor's choice ("Keep this: sign up"), which carries the case in their own browser until
the first child is added (:mod:`spasmwatch.web.pending`). A check taken from an episode
typed on the phone before there was a child carries that draft's key (``draft``) from the
check's form to its answer and to where it is stored, whose page then names the draft for
the phone to remove (it is in the diary). A signed-in visitor's check for
one of their children is made with that child's diary (:mod:`spasmwatch.diary.checks`),
still storing nothing until it is kept. The check and the public API are rate-limited per
client address (:mod:`spasmwatch.web.ratelimit`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from spasmwatch.case import parse_case
from spasmwatch.diary import checks, episodes
from spasmwatch.errors import InvalidCase
from spasmwatch.freetext import LANGUAGES, MAX_TEXT_CHARS, draft_episode
from spasmwatch.store import repo
from spasmwatch.triage import triage
from spasmwatch.web.api_route import ApiRoute
from spasmwatch.web.auth import Principal, check_csrf
from spasmwatch.web.clock import page_minute
from spasmwatch.web.forms import (
    CHECK_LABELS,
    EPISODE_LABELS,
    EPISODE_LISTS,
    START_UNKNOWN,
    check_from_form,
    details_open,
    draft_values,
    form_values,
    keep_with_start,
    kept_start_problem,
    plain_message,
    prefill,
    problems_by_field,
    start_limits,
)
from spasmwatch.web.i18n import locale_of
from spasmwatch.web.pending import draft_key, say_kept, set_pending
from spasmwatch.web.ratelimit import RateLimiter
from spasmwatch.web.render import page
from spasmwatch.web.routes import answer_url, database, principal

router = APIRouter(include_in_schema=False)
#: The check's fields by their labels, for the words behind each answer of "In your own
#: words" (its age too).
WORDS_LABELS = {**EPISODE_LABELS, "age_months": CHECK_LABELS["age_months"]}
api_router = APIRouter(prefix="/api/v1", tags=["public (no account)"], route_class=ApiRoute)


def limiter(request: Request) -> RateLimiter:
    """The app's limiter for anonymous checks and public API calls (made on first use)."""
    state = request.app.state
    if getattr(state, "public_limiter", None) is None:
        state.public_limiter = RateLimiter()
    return state.public_limiter


def _over_limit(request: Request) -> HTTPException | None:
    key = request.client.host if request.client else "unknown"
    rate = limiter(request)
    if rate.allow(key):
        return None
    return HTTPException(
        429,
        f"Too many checks from this address: at most {rate.limit} in {rate.window_s:g} "
        f"seconds. Please try again in {rate.retry_after_s(key)} seconds. In an emergency, "
        "call emergency services now.",
        headers={"Retry-After": str(rate.retry_after_s(key))},
    )


@router.get("/")
def landing(request: Request, account: str = "", who: Principal = Depends(principal)) -> Response:
    """The landing page for visitors; signed-in people go to their children."""
    if who.user:
        return RedirectResponse("/children", status_code=303)
    return page(request, "landing.html", who, account_deleted=account == "deleted")


@router.get("/guide")
def guide(request: Request, who: Principal = Depends(principal)) -> Response:
    """The plain-language guide, with its sources."""
    return page(request, "guide.html", who)


def _check_page(
    request: Request,
    who: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    evidence: dict[str, list[str]] | None = None,
    started_now: bool = False,
) -> Response:
    """The check's form; ``started_now``: its start was filled in with the server's clock,
    which the page puts right with the phone's (``static/forms.js``). A signed-in visitor
    picks which baby it is: one of the children they log for (checked with that child's
    diary; the only one is picked already) or another baby (checked on its own)."""
    children = _loggable_children(request, who)
    if "child_id" not in values and len(children) == 1:
        values = {**values, "child_id": str(children[0].id)}
    return page(
        request,
        "check.html",
        who,
        status,
        children=children,
        values=values,
        errors=errors,
        evidence=evidence,
        labels=WORDS_LABELS,
        details_open=details_open(errors, evidence, values),
        started_now=started_now,
        **start_limits(),
    )


@router.get("/check")
def check_form(request: Request, who: Principal = Depends(principal)) -> Response:
    """The anonymous check: the diary form's questions and the baby's age (filled in from
    the link's query by happening-now mode, for the parent to confirm). It starts from now,
    as the diary's form does: most checks are made just after the movement was seen, and a
    check kept without a time would be left out of the diary's chart and counts."""
    filled = prefill(request.query_params)
    values = {"started_at": page_minute(), **filled}
    if (child := _diary_child(who, request.query_params.get("child_id"))) is not None:
        values["child_id"] = str(child)  # the form offers only the visitor's own children
    return _check_page(request, who, values, {}, started_now="started_at" not in filled)


@router.get("/now")
def happening_now(request: Request, who: Principal = Depends(principal)) -> Response:
    """Happening-now mode: a timer, a tap per movement, the 5-minute call, then the form.
    From a child's page (``?child=<id>``) that child comes first, and the check is made
    with its diary."""
    children = _loggable_children(request, who)
    asked = str(request.query_params.get("child") or "")
    chosen = next((c for c in children if str(c.id) == asked), None)
    if chosen is not None:
        children = [chosen, *(c for c in children if c is not chosen)]
    return page(request, "now.html", who, children=children, chosen=chosen)


def _loggable_children(request: Request, who: Principal) -> list[Any]:
    """The children the signed-in visitor may log episodes for (none when signed out)."""
    if not who.user:
        return []
    with database(request).reading() as s:
        return [c for c, role in repo.children_for_user(s, who.user.id) if role != "viewer"]


def _diary_child(who: Principal, raw: Any) -> int | None:
    """The child whose diary a signed-in visitor's check is made with (the form's
    ``child_id``), or None: a check on its own (signed out, or another baby)."""
    text = str(raw or "").strip()
    return int(text) if who.user and text.isdigit() else None


@router.post("/check")
async def check(request: Request, who: Principal = Depends(principal)) -> Response:
    """Answer the check; nothing is stored. For one of the signed-in visitor's children
    (``child_id``) the new episode is triaged with the episodes already in that child's
    diary; otherwise on its own."""
    form = await request.form(max_files=0, max_fields=300)
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    if (refused := _over_limit(request)) is not None:
        raise refused
    child_id = _diary_child(who, form.get("child_id"))
    case, errors = check_from_form(form, with_diary=child_id is not None)
    checked = None
    if not errors and child_id is not None:
        try:
            checked = checks.check_with_diary(database(request), who, child_id, case["episodes"][0])
        except InvalidCase as exc:
            errors = {
                field: plain_message(field, message, EPISODE_LABELS)
                for field, message in problems_by_field(exc, "episodes[0].").items()
            }
    draft = draft_key(form.get("draft"))
    if errors:
        values = form_values(form, (*EPISODE_LISTS, "conditions"))
        return _check_page(request, who, {**values, "draft": draft or ""}, errors, 422)
    return _answer_page(request, who, case, checked=checked, draft=draft)


def _answer_page(
    request: Request,
    who: Principal,
    case: dict[str, Any],
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    checked: checks.DiaryCheck | None = None,
    draft: str | None = None,
) -> Response:
    """The check's answer, with the ways to keep it and the time of its episode to
    confirm there, filled in with the check's own time (``errors`` and ``values``: the
    time given to keep it was refused; :func:`~spasmwatch.web.forms.keep_with_start`).
    ``checked``: the check was made with a child's diary; its answer is shown, the case
    is the diary's child with the new episode, and it is kept in that diary. ``draft``:
    the key of the draft on the phone the check was taken from, kept with it."""
    episodes_of_case = case.get("episodes") or [{}]
    started = str(episodes_of_case[0].get("started_at") or "")
    # the field writes a time to the minute, as the check's form does
    values = values or {"started_at": started[:16]}
    if checked is None:
        result = triage(parse_case(case, age_optional=True)).to_dict()
        children: list[Any] = _loggable_children(request, who)
        age_months = case.get("child", {}).get("age_months")
    else:
        case = {**case, "child": checked.child_doc}
        result = checked.result.to_dict()
        children = [{"id": checked.child_id, "name": checked.child_name}]
        age_months = checked.age_months
    return page(
        request,
        "check_result.html",
        who,
        422 if errors else 200,
        children=children,
        checked=checked,
        age_months=age_months,
        result=result,
        case=case,
        case_json=json.dumps(case, separators=(",", ":")),
        labels=EPISODE_LABELS,
        untimed=not episodes_of_case[0].get("started_at"),
        errors=errors or {},
        values=values,
        draft=draft,
        start_unknown=START_UNKNOWN,
        **start_limits(),
    )


@router.post("/check/words")
async def check_words(request: Request, who: Principal = Depends(principal)) -> Response:
    """'In your own words': fill the check's form from a description, for confirmation
    (never answered without the parent sending the form)."""
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    if (refused := _over_limit(request)) is not None:
        raise refused
    text = str(form.get("words") or "")
    # read in the page's language; the baby's age fills the check's age field
    values, evidence, problem = draft_values(text, locale_of(request))
    values.pop("notes", None)  # the check keeps no notes; the words stay in their box
    age = str(form.get("age_months") or "").strip()
    if age:  # an age the form sent is kept
        values["age_months"] = age
    errors = {"words": problem} if problem else {}
    return _check_page(
        request,
        who,
        {"started_at": page_minute(), **values, "words": text},
        errors,
        422 if problem else 200,
        evidence,
        started_now="started_at" not in values,
    )


@router.post("/check/keep")
async def keep_check(request: Request, who: Principal = Depends(principal)) -> Response:
    """Keep the check: in the diary of a child the signed-in visitor may log for (with
    ``child_id``), else carried in this browser until the first child is added. The
    time of its episode is the one confirmed here (``started_at``, or none where the
    parent does not know it: :func:`~spasmwatch.web.forms.keep_with_start`). A check taken from
    a draft on the phone (``draft``, its key) names it where it is stored, for the phone
    to remove it (:func:`~spasmwatch.web.pending.say_kept`)."""
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    try:
        data = json.loads(str(form.get("case") or ""))
        sent = parse_case(data, age_optional=True).to_json_dict()
    except (ValueError, InvalidCase):
        raise HTTPException(
            422, "The check to keep could not be read; please check again"
        ) from None
    case, errors = keep_with_start(sent, form)
    draft = draft_key(form.get("draft"))
    if errors:
        return _kept_time_refused(request, who, form, sent, errors, draft)
    child_id = str(form.get("child_id") or "")
    if who.user and child_id.isdigit():
        try:
            episodes.log_many(database(request), who, int(child_id), case["episodes"], "check ")
        except InvalidCase as exc:  # e.g. a time before the child's date of birth
            return _kept_time_refused(request, who, form, sent, kept_start_problem(exc), draft)
        response = RedirectResponse(answer_url(int(child_id)), status_code=303)
        say_kept(request, response, int(child_id), draft)
        return response
    response = RedirectResponse("/children/new" if who.user else "/signup", status_code=303)
    set_pending(request, response, case, draft)
    return response


def _kept_time_refused(
    request: Request,
    who: Principal,
    form: Any,
    sent: dict[str, Any],
    errors: dict[str, str],
    draft: str | None,
) -> Response:
    """The answer again, as it was given (``sent``: the check as its answer read it, with
    the diary it was checked with, if any), with the time given to keep it said wrong
    next to it: nothing stored, nothing typed lost."""
    checked_with = _diary_child(who, form.get("checked_with"))
    checked = (
        checks.check_with_diary(database(request), who, checked_with, sent["episodes"][0])
        if checked_with is not None and sent.get("episodes")
        else None
    )
    values = {"started_at": form.get("started_at") or ""}
    return _answer_page(request, who, sent, errors, values, checked, draft)


@api_router.post(
    "/triage",
    responses={
        422: {"description": "The case does not follow the case format (one message each)"},
        429: {"description": "Too many calls from this address; see Retry-After"},
    },
)
def api_triage(
    request: Request,
    body: dict[str, Any] = Body(
        ...,
        examples=[
            {
                "child": {"age_months": 6},
                "episodes": [
                    {
                        "state": "just_woke",
                        "movements": ["head_nod", "arms_up"],
                        "count": 10,
                        "movement_seconds": 1,
                    }
                ],
            }
        ],
    ),
) -> JSONResponse:
    """Triage a case (case format) without an account: no session or token, nothing
    stored; the same result JSON as ``spasmwatch triage --json``. The child's age may be
    left out of a case with a warning sign (``red_flags``): the answer is then
    ``emergency``, with a ``note`` saying the age was not given. Rate-limited per address."""
    if (refused := _over_limit(request)) is not None:
        raise HTTPException(429, [refused.detail], headers=refused.headers)
    try:
        # a warning sign is an emergency at any age: the age may then be left out
        case = parse_case(body, age_optional=True)
    except InvalidCase as exc:
        raise HTTPException(422, exc.problems) from None
    return JSONResponse(triage(case).to_dict())


@api_router.post(
    "/episode-draft",
    responses={
        422: {"description": "No text, too long, or other fields (one message each)"},
        429: {"description": "Too many calls from this address; see Retry-After"},
    },
)
def api_episode_draft(
    request: Request,
    body: dict[str, Any] = Body(
        ...,
        examples=[
            {"text": "his head drops and arms fly up, 10 in a row after he wakes"},
            {
                "text": "se le cae la cabeza y sube los brazos, 10 seguidos al despertar",
                "lang": "es",
            },
        ],
    ),
) -> JSONResponse:
    """'In your own words': a description turned into a draft episode (case format), what
    it says of the child (``child``: the baby's age) and, for each field, the words it came
    from. ``lang``: the language of the text, ``en`` (the default) or ``es``. No session or
    token; nothing stored; never triaged (show the draft for confirmation, then send it to
    ``/api/v1/triage``). Rate-limited per address."""
    if (refused := _over_limit(request)) is not None:
        raise HTTPException(429, [refused.detail], headers=refused.headers)
    extra = sorted(set(body) - {"text", "lang"})
    problems = [f"Unknown field '{k}': allowed are text, lang" for k in extra]
    text = body.get("text")
    if not isinstance(text, str):
        problems.append(
            f"Missing or invalid field 'text': a string of at most {MAX_TEXT_CHARS} characters"
        )
    lang = body.get("lang", "en")
    if not isinstance(lang, str) or lang not in LANGUAGES:
        allowed = ", ".join(LANGUAGES)
        problems.append(f"Invalid value for 'lang': allowed are {allowed}; got {lang!r}")
    if problems:
        raise HTTPException(422, problems)
    try:
        draft = draft_episode(text, lang)  # type: ignore[arg-type]
    except ValueError as exc:
        raise HTTPException(422, [str(exc)]) from None
    return JSONResponse(draft.to_dict())
