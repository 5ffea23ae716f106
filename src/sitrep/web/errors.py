"""One JSON shape for every client error the API returns, so callers parse a single form.

Every 4xx body is ``{"detail": "<sentence naming the parameter and the reason>", "errors":
[{"parameter": ..., "message": ..., "input": ...}]}``. FastAPI's own validation errors (a
non-integer ``limit``, an unknown ``format``) are rewritten into that shape; the store's
``FilterError`` is traced back to the query parameter that caused it.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from sitrep.store.countries import country_iso3
from sitrep.store.filters import EventFilter, FilterError
from sitrep.vocabulary import API_FILTER_PARAMS


class ParameterError(Exception):
    """A request parameter the API cannot use; rendered as a 422 naming the parameter."""

    def __init__(self, parameter: str, message: str, value: Any = None) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message
        self.value = value


def error_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The shared error shape: a readable ``detail`` line plus the structured list."""
    detail = "; ".join(f"invalid parameter {e['parameter']!r}: {e['message']}" for e in errors)
    return {"detail": detail, "errors": errors}


def build_filter(params: dict[str, Any], cls: type[EventFilter] = EventFilter) -> EventFilter:
    """Parse API query values into an ``EventFilter`` (or ``cls``, e.g. ``IncidentFilter``); raise
    ``ParameterError`` naming the culprit.

    ``params`` uses the API's parameter names (``type``, ``q``, ...). ``FilterError`` says what
    is wrong but not in API terms, so on failure each parameter is re-parsed alone: the first one
    that fails by itself is the culprit; if none does, the combination of dates is (from > to).
    A country the store could not resolve is reported here too, before any query runs.
    """
    kwargs = {_FILTER_ARG[name]: value for name, value in params.items() if value is not None}
    try:
        flt = cls.parse(**kwargs)
    except FilterError as err:
        for name, value in params.items():
            if value is None or name in _PAIRED:
                continue
            try:
                cls.parse(**{_FILTER_ARG[name]: value})
            except FilterError as single:
                raise ParameterError(name, str(single), value) from err
        if params.get("near") is not None:  # the centre and radius are only valid together
            try:
                cls.parse(near=params["near"], radius_km=params.get("radius_km"))
            except FilterError as pair:
                raise ParameterError("radius_km", str(pair), params.get("radius_km")) from err
        raise ParameterError("date_from", str(err), params.get("date_from")) from err
    if flt.country:
        # The store resolves country names only when it queries; check here to name the parameter.
        try:
            country_iso3(flt.country)
        except FilterError as err:
            raise ParameterError("country", str(err), params.get("country")) from err
    return flt


# Parameters that are only valid with another one: never parsed alone to find a culprit.
_PAIRED = frozenset({"near", "radius_km"})

# API query parameter -> EventFilter.parse keyword (sitrep/vocabulary.py); lat and lon reach
# build_filter already joined as `near`.
_FILTER_ARG = {**{param: name for param, name in API_FILTER_PARAMS.items() if name != "near"}, "near": "near"}


async def parameter_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ParameterError)
    item = {"parameter": exc.parameter, "message": exc.message, "input": exc.value}
    return JSONResponse(status_code=422, content=jsonable_encoder(error_body([item])))


async def validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    """Rewrite FastAPI's 422 so the message names the parameter (its ``loc`` ends with it)."""
    assert isinstance(exc, RequestValidationError)
    items = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
        items.append({
            "parameter": ".".join(loc) or "request",
            "message": error.get("msg", "invalid value"),
            "input": error.get("input"),
        })
    return JSONResponse(status_code=422, content=jsonable_encoder(error_body(items)))
