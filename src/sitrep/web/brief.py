"""`/brief`: the situation brief as a dashboard page (or Markdown, PDF), from the query string.

The same parameters as `sitrep brief`: one of place, country or bbox, then from and to (ISO dates),
and format (html by default). The page links to the dashboard's incident lists on this server;
Markdown and PDF, which leave the browser, link with the server's full address.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sitrep.brief.compose import Scope, compose
from sitrep.store.filters import FilterError
from sitrep.web import models
from sitrep.web.api import StoreDep
from sitrep.web.errors import ParameterError

router = APIRouter()

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"schema": {"type": "string"}},
                      "text/markdown": {"schema": {"type": "string"}},
                      "application/pdf": {"schema": {"type": "string", "format": "binary"}}},
          "description": "the brief: an HTML page (default), Markdown or PDF"},
    422: {"model": models.ErrorBody, "description": "a parameter is invalid; `detail` names it and says why"},
    503: {"model": models.ErrorBody, "description": "the store cannot be opened (missing, or being written)"},
}

def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise ParameterError(name, f"{name} must be a date as YYYY-MM-DD, got {value!r}", value) from err


@router.get("/brief", tags=["dashboard"], summary="The situation brief of a place, country or box over a period",
            response_class=Response, responses=_RESPONSES)
def brief_page(
    request: Request,
    store: StoreDep,
    date_from: Annotated[str, Query(alias="from", pattern=r"^\d{4}-\d{2}-\d{2}$", description="first day, YYYY-MM-DD")],
    date_to: Annotated[str, Query(alias="to", pattern=r"^\d{4}-\d{2}-\d{2}$", description="last day, YYYY-MM-DD")],
    place: Annotated[str | None, Query(max_length=200, description="a place or admin1 name")] = None,
    country: Annotated[str | None, Query(max_length=100, description="ISO3 code or country name")] = None,
    bbox: Annotated[str | None, Query(max_length=200, description="west,south,east,north")] = None,
    format: Annotated[Literal["html", "md", "pdf"], Query(description="html (default), md or pdf")] = "html",
) -> Response:
    given = [(k, v) for k, v in (("place", place), ("country", country), ("bbox", bbox)) if v]
    if len(given) != 1:
        raise ParameterError("place", "give exactly one of place, country or bbox", None)
    kind, value = given[0]
    first, last = _day(date_from, "from"), _day(date_to, "to")
    if first > last:
        raise ParameterError("to", f"to ({last}) is before from ({first})", date_to)
    try:
        brief = compose(store, Scope(kind, value), first, last)
    except FilterError as err:
        raise ParameterError(kind, str(err), value) from err
    base = str(request.base_url).rstrip("/")
    if format == "md":
        from sitrep.brief.render_md import render_md

        return Response(render_md(brief, base_url=base), media_type="text/markdown; charset=utf-8")
    if format == "pdf":
        from sitrep.brief.render_pdf import render_pdf

        return Response(render_pdf(brief, base_url=base), media_type="application/pdf")
    from sitrep.brief.render_html import render_html

    return HTMLResponse(render_html(brief, base_url=""))
