"""The route class of every JSON router under ``/api/v1``: a body that is no JSON object
(not JSON at all, JSON of another kind, a form, no body) is answered 422 with one message
per problem in plain words, as the API's other 422s are, instead of the web framework's
"8: JSON decode error" or "body: Input should be a valid dictionary".

A module of its own so that every router of the API (the signed-in API, care, exports, the
public triage) uses the same words without one route module importing another. The pages'
routers keep the framework's route class: a form is their body.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute

#: JSON's names for the kinds of value a body may be (a body must be an object).
_JSON_KINDS = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def body_problems(errors: list[Any], request: Request) -> list[str] | None:
    """What to say about a body that is no JSON object (not JSON at all, JSON of another
    kind, a form, no body), one message each; ``None`` when the errors are about something
    else (a path or a header: said as usual). The web framework would say "8: JSON decode
    error" or "body: Input should be a valid dictionary", which name neither the problem
    nor the fix."""
    said = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        kind = error.get("type", "")
        if kind == "json_invalid" and loc[:1] == ("body",):
            said.append(_not_json(error, loc))
        elif loc == ("body",) and kind in ("dict_type", "missing"):
            said.append(_not_an_object(request, error.get("input"), kind))
        else:
            return None
    return said


def _not_json(error: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """A body sent as JSON that does not parse: why, and where (line and column)."""
    why = str((error.get("ctx") or {}).get("error") or "it cannot be parsed")
    document = error.get("document")
    pos = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    if not isinstance(document, str) or pos is None:
        return f"The body is not valid JSON: {why}"
    line = document.count("\n", 0, pos) + 1
    column = pos - (document.rfind("\n", 0, pos) + 1) + 1
    return f"The body is not valid JSON: {why} at line {line}, column {column}"


def _not_an_object(request: Request, value: Any, kind: str) -> str:
    """A body that is no JSON object: sent as something else than JSON (a form, or without
    a ``Content-Type``), empty, or JSON of another kind."""
    sent = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    json_sent = sent == "application/json" or sent.endswith("+json")
    if kind == "missing" or (isinstance(value, bytes | str) and not value):
        return (
            "The body is empty: the API takes a JSON object, sent with "
            "'Content-Type: application/json'"
        )
    if not json_sent:
        how = f"as {sent!r}" if sent else "without a Content-Type header"
        return (
            "The API takes JSON: send the body as a JSON object with "
            f"'Content-Type: application/json' (this one was sent {how})"
        )
    got = _JSON_KINDS.get(type(value), "another kind of value")
    return f"The body must be a JSON object ({{...}}); got {got}"


class ApiRoute(APIRoute):
    """A route of the API whose body problems are said in words (:func:`body_problems`),
    as the API's other 422s are: a list of messages, each naming the problem."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                errors = [
                    {**e, "document": exc.body} if e.get("type") == "json_invalid" else e
                    for e in exc.errors()
                ]
                said = body_problems(errors, request)
                if said is None:
                    raise
                raise HTTPException(422, said) from None

        return answer
