"""An analyst's corrections over HTTP: `POST /api/events/{id}/corrections` records one (the event
page's "Report a wrong field" form), `GET` lists them. Rules and storage: store/corrections.py.

The server is a local tool without accounts, so the one thing a write must not be is a CSRF hole:
a page on another site must not be able to make a visitor's browser file a correction. The POST
therefore takes only `application/json` (a cross-site page can send that only after a CORS
preflight, which this server never grants), and refuses any request whose `Origin` (or, without
one, `Sec-Fetch-Site`) says it comes from another site; a request with neither (curl, scripts) is
a local client and is served.
"""

from __future__ import annotations

import email.message
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sitrep.store import StoreError
from sitrep.store.corrections import FIELDS, CorrectionError
from sitrep.web import models
from sitrep.web.api import ID_PATTERN, StoreDep
from sitrep.web.errors import ParameterError

EventId = Annotated[str, Path(pattern=ID_PATTERN, description="event id, as in `events[].id`")]

_FIELD_HELP = "; ".join(f"`{name}`: {help_text}" for name, (_check, help_text) in FIELDS.items())


class CorrectionRequest(BaseModel):
    """What an analyst says is wrong: one field and the value it should have."""

    model_config = ConfigDict(extra="forbid")

    field: Literal[tuple(FIELDS)] = Field(  # type: ignore[valid-type]
        description="the field of the event record to correct: " + _FIELD_HELP)
    value: Any = Field(description="the value it should have, of the field's type (see `field`); null clears it")
    note: str | None = Field(None, max_length=2000, description="why, or where the right value comes from")
    author: str | None = Field(None, max_length=200, description="who corrects it (optional)")


class Correction(BaseModel):
    id: str
    event_id: str
    field: str
    old_value: Any = Field(description="the value the event had when it was corrected (earlier corrections applied)")
    new_value: Any = Field(description="the corrected value, in the field's normal form")
    note: str | None = None
    author: str | None = None
    created_at: str = Field(description="when the correction was made (UTC, ISO 8601)")


class CorrectionList(BaseModel):
    event_id: str
    corrections: list[Correction]


class CorrectionResult(BaseModel):
    correction: Correction
    event: models.EventRecord = Field(description="the event as it now reads, the correction applied")


_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorBody, "description": "the body cannot be read (not UTF-8 text)"},
    403: {"model": models.ErrorBody, "description": "the request comes from another site's page"},
    404: {"model": models.ErrorBody, "description": "no event with that id"},
    415: {"model": models.ErrorBody, "description": "the body is not `application/json`"},
    422: {"model": models.ErrorBody, "description": "an unknown field, or a value of the wrong type; "
                                                    "`detail` says why"},
    503: {"model": models.ErrorBody, "description": "the store cannot be written now (another process, "
                                                    "e.g. `sitrep ingest`, is writing it)"},
}


def same_origin_json(request: Request) -> None:
    """Refuse a write that is not JSON (415) or that another site's page sent (403)."""
    message = email.message.Message()
    message["content-type"] = request.headers.get("content-type", "")
    if message.get_content_type() != "application/json":
        raise HTTPException(415, "send the correction as JSON (Content-Type: application/json)")
    origin = request.headers.get("origin")
    if origin is not None:
        own = {f"{request.url.scheme}://{request.headers.get('host', '')}"}
        parts = urlsplit(origin)
        if origin == "null" or f"{parts.scheme}://{parts.netloc}" not in own:
            raise HTTPException(403, f"corrections are accepted from this server's own pages only, not {origin}")
    elif request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
        raise HTTPException(403, "corrections are accepted from this server's own pages only")


router = APIRouter(prefix="/api", tags=["corrections"])


class CorrectionField(BaseModel):
    field: str
    input: Literal["choice", "text", "date", "number", "figure", "names"] = Field(
        description="how the value is written: one of `choices`, text, an ISO date, a number, a figure "
                    "(a whole number or {low, best, high}), or a list of names")
    choices: list[str] = Field(default_factory=list)
    help: str


def field_descriptions() -> list[dict[str, Any]]:
    """The fields a correction may name, with how each value is written (for the event page's form)."""
    from sitrep.store.filters import EVENT_KINDS, EVENT_TYPES, STATUSES

    choices = {"event_type": EVENT_TYPES, "status": STATUSES, "kind": EVENT_KINDS}
    out = []
    for name, (_check, help_text) in FIELDS.items():
        if name in choices:
            kind = "choice"
        elif name.startswith("figures."):
            kind = "figure"
        elif name in ("actors", "recipients"):
            kind = "names"
        elif name in ("date", "date_end"):
            kind = "date"
        elif name in ("location.lat", "location.lon"):
            kind = "number"
        else:
            kind = "text"
        out.append({"field": name, "input": kind, "choices": list(choices.get(name, ())), "help": help_text})
    return out


@router.get("/corrections/fields", summary="The fields a correction may name, and how each value is written",
            response_model=list[CorrectionField],
            responses={422: {"model": models.ErrorBody, "description": "a query parameter (none is taken)"}})
def correction_fields() -> JSONResponse:
    return JSONResponse(field_descriptions())


@router.get(
    "/events/{event_id}/corrections",
    summary="The corrections of one event, oldest first",
    description="Every correction an analyst made to this event. Reads of the event (`/api/events/{id}`, "
                "lists, exports) apply them in this order and mark it `corrected`, with `original` "
                "holding the extracted value of each corrected field.",
    response_model=CorrectionList,
    responses={404: _WRITE_ERRORS[404], 422: {"model": models.ErrorBody, "description": "a malformed event id"},
               503: _WRITE_ERRORS[503]},
)
def list_corrections(event_id: EventId, store: StoreDep) -> JSONResponse:
    if store.get_event(event_id, corrected=False) is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    return JSONResponse({"event_id": event_id, "corrections": store.corrections(event_id)})


@router.post(
    "/events/{event_id}/corrections",
    summary="Correct one field of an event",
    description=(
        "Records an analyst's correction of one field of this event: the store keeps the record as "
        "extracted and applies the correction whenever the event is read (marked `corrected`, the "
        "extracted value in `original`), also after the same documents are ingested again (event ids "
        "stay the same). The body is JSON (`application/json`, else 415), from this server's own pages "
        "or a local client (another site's page gets 403). An unknown field or a value of the wrong "
        "type is a 422 that says why. Answers the correction and the event as it now reads."
    ),
    status_code=201,
    response_model=CorrectionResult,
    responses=_WRITE_ERRORS,
    dependencies=[Depends(same_origin_json)],
)
def add_correction(event_id: EventId, body: CorrectionRequest, request: Request) -> JSONResponse:
    from sitrep.store.corrections import check

    try:
        check(body.field, body.value)  # before taking the store for writing
    except CorrectionError as err:
        raise ParameterError("value", str(err), body.value) from err
    try:
        with request.app.state.store_holder.write() as store:
            try:
                correction = store.add_correction(event_id, body.field, body.value, note=body.note,
                                                  author=body.author)
            except KeyError as err:
                raise HTTPException(404, f"no event with id {event_id!r}") from err
            except CorrectionError as err:
                raise ParameterError("value", str(err), body.value) from err
            event = store.get_event(event_id)
    except StoreError as err:
        raise HTTPException(503, str(err)) from err
    return JSONResponse({"correction": correction, "event": event}, status_code=201)


@router.api_route("/events/{event_id}/corrections", methods=["OPTIONS", "PUT", "PATCH", "DELETE"],
                  include_in_schema=False)
def other_methods(event_id: EventId) -> JSONResponse:
    """GET and POST are two routes, so Starlette's own 405 would name GET alone; and no CORS
    preflight is ever granted (see the module docstring)."""
    return JSONResponse({"detail": "Method Not Allowed"}, status_code=405, headers={"Allow": "GET, POST"})
