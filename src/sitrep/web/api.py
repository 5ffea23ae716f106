"""The JSON API: events (list, one, its evidence), incidents (list, one), documents and aggregates.

Every list and aggregate endpoint takes the same filters (`params.event_filter`); `/api/incidents`
takes them too, over the incidents' own columns. `Event` (one mention in one document) and
`Incident` (the resolved record, DESIGN.md section 8) stay distinct names; aggregates count
incidents unless asked for mentions.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from sitrep.store import Store, StoreError
from sitrep.store.filters import EventFilter, FilterError
from sitrep.vocabulary import (
    API_FORMATS,
    DEFAULT_SORT,
    FIELDS,
    GROUPINGS,
    INCIDENT_SORTS,
    PERIODS,
    SORTS,
    STATUSES,
    UNITS,
)
from sitrep.web import evidence, incidents, models
from sitrep.web.errors import ParameterError
from sitrep.web.formats import export_content, render_page
from sitrep.web.params import event_filter, incident_filter

MAX_LIMIT = 1000
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,100}$"

_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": models.ErrorBody, "description": "a parameter is invalid; `detail` names it and says why"},
    503: {"model": models.ErrorBody, "description": "the store cannot be opened (missing, or being written)"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": models.ErrorBody, "description": "no record with that id"}, **_ERRORS,
}


def open_store(request: Request) -> Iterator[Store]:
    """Request dependency: the server's shared read-only store (see web/holder.py), lent for
    this request; a 503 saying why when it cannot be opened."""
    try:
        with request.app.state.store_holder.use() as store:
            yield store
    except StoreError as err:  # missing file, a writer holding it, or migrations not applied
        raise HTTPException(503, str(err)) from err


StoreDep = Annotated[Store, Depends(open_store)]
FilterDep = Annotated[EventFilter, Depends(event_filter)]
# The same filters over incidents, whose status may also be "contested" (a claim other reports deny).
IncidentFilterDep = Annotated[EventFilter, Depends(incident_filter)]
EventId = Annotated[str, Path(pattern=ID_PATTERN, description="event id, as in `events[].id`")]
DocId = Annotated[str, Path(pattern=ID_PATTERN, description="document id, as in `events[].doc_id`")]
IncidentId = Annotated[str, Path(pattern=ID_PATTERN, description="incident id or an alias of one, as in "
                                                                "`incidents[].id`")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="records to skip (prefer cursor)")]
Cursor = Annotated[str | None, Query(max_length=400, description="next_cursor of the previous page")]
Format = Annotated[Literal[tuple(API_FORMATS)], Query(  # type: ignore[valid-type]
    description="response format: " + "; ".join(f"{k}: {v}" for k, v in API_FORMATS.items()))]


def _choices(values: dict[str, str]) -> str:
    """`name` (help), ... : the values of a vocabulary table with their meaning, for a description."""
    return ", ".join(f"`{name}` ({meaning})" for name, meaning in values.items())


# ISO 8601 date, or date and time with an optional offset (a record's `updated_at` has none).
UPDATED_SINCE_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$"

router = APIRouter(prefix="/api")


def _store_call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a store query, turning a `FilterError` it raises (a cursor, a sort) into a 422."""
    try:
        return fn(*args, **kwargs)
    except FilterError as err:
        message = str(err)
        parameter = "cursor" if "cursor" in message else "sort" if "sort" in message else "request"
        raise ParameterError(parameter, message, kwargs.get(parameter)) from err


@router.get(
    "/events",
    tags=["events"],
    summary="Query events",
    description=(
        "Events matching every given filter, one page at a time. `sort` orders them (`-date`: newest first, "
        "the default; `-killed`: most killed first); missing values sort last and the event id breaks ties. "
        "Page with `next_cursor` (stable while events are added) or with `offset`. `format=geojson` gives "
        "Point features (events without a point are left out; `total` still counts them); `format=csv` "
        "gives ACLED-like columns, `acled` ACLED's own, and parquet, polecat, hxl, xlsx the page in those "
        "export formats. Every format sends `X-Total-Count` and, when there is a next page, "
        "a `Link: <...>; rel=\"next\"` header."
    ),
    response_model=models.EventPage,
    responses={
        200: {"content": {
            "application/geo+json": {"schema": models.FeatureCollection.model_json_schema(
                ref_template="#/components/schemas/{model}")},
            **export_content(),
        }},
        **_ERRORS,
    },
)
def list_events(
    request: Request,
    store: StoreDep,
    flt: FilterDep,
    sort: Annotated[Literal[tuple(SORTS)], Query(  # type: ignore[valid-type]
        description="order of the events: " + _choices(SORTS))] = DEFAULT_SORT,
    limit: Limit = 100,
    offset: Offset = 0,
    cursor: Cursor = None,
    format: Format = "json",
) -> Response:
    page = _store_call(store.page_events, flt, sort=sort, limit=limit, cursor=cursor, offset=offset)
    return render_page(request, page, fmt=format, limit=limit, offset=offset, sort=sort)


@router.get(
    "/events/{event_id}", tags=["events"], summary="One event record, with the incident it belongs to",
    description="The stored record plus `incident_id`: the incident this mention is one report of "
                "(`/api/incidents/{incident_id}`), or null when it belongs to none.",
    response_model=models.EventDetail, responses=_NOT_FOUND,
)
def get_event(event_id: EventId, store: StoreDep) -> JSONResponse:
    return JSONResponse(_with_incident(store, _event_or_404(store, event_id)))


@router.get(
    "/events/{event_id}/evidence",
    tags=["events"],
    summary="An event's evidence: its sentence in its article, related sentences, sources, figures",
    description=(
        "What the event page shows: the event, its document (text, sections, every mention's span, "
        "sentences), the evidence span, the other sentences of the article that speak of the event "
        "(same type at the same place, or naming its place or actors; each with its reasons), every "
        "source (the reporting document, then who claimed or denied it) and the figures. The event has "
        "`incident_id` as in `/api/events/{id}`."
    ),
    response_model=models.EvidenceView,
    responses=_NOT_FOUND,
)
def get_event_evidence(event_id: EventId, store: StoreDep) -> JSONResponse:
    record = _event_or_404(store, event_id)
    document = store.get_document(record["doc_id"])
    if document is None:  # the store never keeps an event without its document; say so if it did
        raise HTTPException(404, f"event {event_id!r} refers to document {record['doc_id']!r}, which is missing")
    events = store.document_events(record["doc_id"])
    sentences = evidence.document_sentences(document["text"], document["sections"], events)
    document["sentences"] = [_sentence(s) for s in sentences]
    related = evidence.related_sentences(
        record, document["text"], document["sections"], document["mentions"], events, sentences
    )
    ev = record.get("evidence") or {}
    return JSONResponse({
        "event": _with_incident(store, record),
        "document": document,
        "evidence": ev,
        "related": related,
        "sources": evidence.sources(record),
        "figures": evidence.figures(record),
    })


@router.get(
    "/incidents",
    tags=["incidents"],
    summary="Query incidents: one real-world event each, with every report of it",
    description=(
        "Incidents matching every given filter, one page at a time. An incident merges the event mentions "
        "(in one or more documents) that describe the same real-world event: reconciled figures (`best` is "
        "the lowest credible report, `low`/`high` span them all, every report is kept), the most precise "
        "place and date, actors best-supported first, and every source. The filters are those of "
        "`/api/events`, applied to the incident's reconciled fields (its place, date, actors, ACLED types, "
        "figures; `q` searches its sources' evidence and titles). `status` may also be `contested`: an "
        "incident whose claim is denied by another of its reports. Incidents are made of occurrences only, "
        "so a `kind` other than occurrence matches none. `updated_since` (ISO 8601; UTC unless an offset "
        "is given) keeps incidents created or changed at or after that time, for sync by id and timestamp. "
        "`sort` as for events, except confidence (`-date` by default). Page with `next_cursor` or "
        "`offset`; `format=geojson` gives Point features, `format=csv` one row per incident with each "
        "figure's range, the outlets and the member ids, `acled` ACLED's columns, and the other export "
        "formats the page in that format. Every format sends `X-Total-Count` and a "
        "`Link: <...>; rel=\"next\"` header when there is a next page."
    ),
    response_model=models.IncidentPage,
    responses={
        200: {"content": {
            "application/geo+json": {"schema": models.FeatureCollection.model_json_schema(
                ref_template="#/components/schemas/{model}")},
            **export_content(),
        }},
        **_ERRORS,
    },
)
def list_incidents(
    request: Request,
    store: StoreDep,
    flt: IncidentFilterDep,
    sort: Annotated[Literal[INCIDENT_SORTS], Query(  # type: ignore[valid-type]
        description="order of the incidents: " + _choices({s: SORTS[s] for s in INCIDENT_SORTS}))] = DEFAULT_SORT,
    updated_since: Annotated[str | None, Query(
        pattern=UPDATED_SINCE_PATTERN,
        description="only incidents created or changed at or after this time: ISO 8601, e.g. "
                    "2017-04-07T12:00:00Z or a record's own `updated_at` (UTC unless an offset is given)",
    )] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    cursor: Cursor = None,
    format: Format = "json",
) -> Response:
    since = _since(updated_since)
    page = _store_call(store.page_incidents, flt, sort=sort, limit=limit, cursor=cursor, offset=offset,
                       updated_since=since)
    return render_page(request, page, fmt=format, limit=limit, offset=offset, sort=sort, unit="incidents")


@router.get(
    "/incidents/{incident_id}",
    tags=["incidents"],
    summary="One incident in full: members, sources with their evidence, every figure, disagreements",
    description=(
        "The incident record (every figure with each report of it, each source with the evidence span of "
        "each of its mentions), plus `member_events` (the member event records, each with its own evidence "
        "page at `/api/events/{id}/evidence`) and `disagreements`: every field on which the reports differ "
        "(a figure kind, date, actors, recipients, place, status), each value with the mentions and "
        "documents that gave it. An id that was merged into another incident is an alias: the answer is "
        "the surviving incident (its `id` differs from the one asked for) with `resolved_from` set to the "
        "alias asked for; no redirect. `resolved_from` is null when the id asked for is the incident's own."
    ),
    response_model=models.IncidentView,
    responses=_NOT_FOUND,
)
def get_incident(incident_id: IncidentId, store: StoreDep) -> JSONResponse:
    record = store.get_incident(incident_id)
    if record is None:
        raise HTTPException(404, f"no incident with id {incident_id!r}")
    members = [m for m in (store.get_event(eid) for eid in record.get("members") or []) if m is not None]
    return JSONResponse(incidents.incident_view(record, incident_id, members))


@router.get(
    "/documents/{doc_id}",
    tags=["documents"],
    summary="One document: text, sections, the span of every mention, sentences, event ids",
    response_model=models.DocumentView,
    responses=_NOT_FOUND,
)
def get_document(doc_id: DocId, store: StoreDep) -> JSONResponse:
    document = store.get_document(doc_id)
    if document is None:
        raise HTTPException(404, f"no document with id {doc_id!r}")
    events = store.document_events(doc_id)
    document["sentences"] = [
        _sentence(s) for s in evidence.document_sentences(document["text"], document["sections"], events)
    ]
    return JSONResponse(document)


@router.get(
    "/aggregates/events",
    tags=["aggregates"],
    summary="Counts of incidents (or event mentions) and sums of their figures, by period or by field",
    description=(
        "`unit=incidents` (the default) counts incidents, each real-world event once however many "
        "reports it has, and sums their reconciled figures; `unit=mentions` counts event mentions and sums "
        "their own figures, so two reports of one attack count twice. `by` groups the matching records: "
        "by `day`, `week` (ISO weeks, keyed by their Monday), `month` or `year` (in time order, keyed by "
        "the period's first day), or by `type`, `mode`, `status`, `acled_type`, `country` or `admin1` "
        "(most frequent first; admin1 groups also give their country). With `figures=true` each group and "
        "the whole selection sum each figure as a range (`low`, `best`, `high`) with the number of records "
        "that reported it. Incidents are made of occurrences only: with `unit=incidents` a `kind` other "
        "than occurrence matches none. With `unit=incidents`, `status` may also be `contested` (a claim "
        "denied by another report), an incident status that event mentions do not have."
    ),
    response_model=models.Aggregates,
    responses=_ERRORS,
)
def aggregate_events(
    store: StoreDep,
    flt: IncidentFilterDep,
    by: Annotated[Literal[GROUPINGS], Query(  # type: ignore[valid-type]
        description=f"period ({', '.join(PERIODS)}) or field ({', '.join(FIELDS)}) to group by")],
    figures: Annotated[bool, Query(description="also sum the figures")] = True,
    limit: Annotated[int | None, Query(ge=1, le=10_000, description="keep the top groups (fields only)")] = None,
    unit: Annotated[
        Literal[tuple(UNITS)], Query(description="what is counted: " + _choices(UNITS))  # type: ignore[valid-type]
    ] = "incidents",
) -> JSONResponse:
    if unit == "mentions":  # mentions keep the event statuses
        bad = [s for s in flt.status if s not in STATUSES]
        if bad:
            raise ParameterError("status", f"unknown status {bad[0]!r} for unit=mentions ({bad[0]} is an incident "
                                           f"status); expected one of {', '.join(STATUSES)}", bad[0])
    return JSONResponse(_store_call(store.aggregate_events, flt, by, figures=figures, limit=limit, unit=unit))


@router.get("/summary", tags=["store"], summary="Counts of documents, events and incidents",
            description="How many documents, event mentions, rejects and incidents (each real-world event "
                        "once, however many reports it has; aliases of merged incidents are not counted) the "
                        "store holds; events by type, status, kind and country; the last run.")
def summary(store: StoreDep) -> dict[str, Any]:
    return {**store.summary(), "incidents": store.count_incidents()}


def _event_or_404(store: Store, event_id: str) -> dict[str, Any]:
    """The stored record of `event_id`, or the 404 every event endpoint answers for an unknown id."""
    record = store.get_event(event_id)
    if record is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    return record


def _with_incident(store: Store, record: dict[str, Any]) -> dict[str, Any]:
    """The record with `incident_id`: the incident it is a member of, or None."""
    return {**record, "incident_id": store.incident_of(record["id"])}


def _since(value: str | None) -> datetime | None:
    """`updated_since` as a naive UTC time, as the store's timestamps are: an offset is converted,
    none means UTC. A value of the right shape that is no real time (month 13) is a 422."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise ParameterError("updated_since", f"not a date and time: {err}", value) from err
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _sentence(sentence: evidence.Sentence) -> dict[str, Any]:
    return {"start": sentence.start, "end": sentence.end, "event_ids": sentence.event_ids}

