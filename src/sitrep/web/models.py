"""Response shapes of the HTTP API, for its OpenAPI description (and the schemathesis tests).

The handlers return plain JSON built from the stored records, so these models document and are
checked against (by tests/server/test_schema.py) rather than re-validating every response, which
would cost more than the query itself on a page of 1,000 events. Field names follow the event
record of DESIGN.md section 4.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    """Records may grow fields; clients must ignore ones they do not know."""

    model_config = ConfigDict(extra="allow")


class Party(_Open):
    text: str | None = None
    name: str | None = None
    id: str | None = None
    country: str | None = None
    sector: str | None = None
    acled_inter: int | None = None


class Location(_Open):
    text: str | None = None
    name: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    admin1_pcode: str | None = None
    feature: str | None = None
    geo_precision: int | None = None


class Figure(_Open):
    low: int | None = None
    best: int | None = None
    high: int | None = None
    hedge: str | None = None


class Acled(_Open):
    event_type: str | None = None
    sub_event_type: str | None = None


class Evidence(_Open):
    text: str | None = None
    start: int | None = None
    end: int | None = None
    section: str | None = None


class Source(_Open):
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    focus_country: str | None = Field(None, description="ISO3 of the country the document is mostly about "
                                      "(the geoparser's vote), when it found one")
    revision_of: str | None = Field(None, description="for a re-sent copy of a stored story that reports other "
                                    "figures: the document it revises")


class EventRecord(_Open):
    """One event mention in one document (DESIGN.md section 4)."""

    id: str
    doc_id: str
    event_type: str
    mode: str | None = None
    contexts: list[str] = []
    status: str | None = None
    actors: list[Party] = []
    recipients: list[Party] = []
    claimed_by: list[Party] = []
    denied_by: list[Party] = []
    date: str | None = None
    date_end: str | None = None
    time_precision: int | None = None
    location: Location | None = None
    figures: dict[str, Figure | None] = {}
    acled: Acled | None = None
    cameo: str | None = None
    quad: int | None = None
    evidence: Evidence | None = None
    source: Source | None = None
    confidence: float | None = None


class EventDetail(EventRecord):
    """One event record as `/api/events/{id}` and its evidence view give it: with its incident."""

    incident_id: str | None = Field(None, description="the incident (`/api/incidents/{id}`) this mention is "
                                    "one report of; null when it belongs to none (not an occurrence)")


class EventPage(BaseModel):
    total: int = Field(description="events matching the filters, over all pages")
    limit: int
    offset: int
    sort: str
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    events: list[EventRecord]


class Feature(_Open):
    type: Literal["Feature"]
    id: str | None = None
    geometry: dict[str, Any]
    properties: dict[str, Any]


class FeatureCollection(_Open):
    """GeoJSON (RFC 7946); total, limit, offset and next_cursor are foreign members."""

    type: Literal["FeatureCollection"]
    total: int
    limit: int
    offset: int
    next_cursor: str | None
    features: list[Feature]


class Section(_Open):
    name: str
    start: int
    end: int
    label: str | None = None


class Mention(_Open):
    kind: str
    start: int
    end: int
    text: str
    by: str | None = None
    norm: dict[str, Any] | None = None


class Sentence(BaseModel):
    start: int
    end: int
    event_ids: list[str] = Field(description="events whose evidence is this sentence")


class DocumentSource(_Open):
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    published_inferred: bool = False
    path: str | None = None


class DocumentView(_Open):
    id: str
    schema_: int | None = Field(default=None, alias="schema")
    text: str
    source: DocumentSource
    sections: list[Section]
    notes: list[str] = []
    mentions: list[Mention]
    sentences: list[Sentence]
    ingested_at: str | None = None
    event_ids: list[str]


class RelatedSentence(BaseModel):
    start: int
    end: int
    text: str
    section: str
    reasons: list[str] = Field(description="why it is shown: same-event, place, actor")
    event_ids: list[str]


class SourceView(BaseModel):
    role: Literal["reported by", "claimed by", "denied by"]
    name: str | None
    id: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None


class FigureView(BaseModel):
    kind: str
    low: int | None
    best: int | None
    high: int | None
    hedge: str | None


class EvidenceView(BaseModel):
    event: EventDetail
    document: DocumentView
    evidence: Evidence
    related: list[RelatedSentence]
    sources: list[SourceView]
    figures: list[FigureView]


class FigureSum(BaseModel):
    low: int
    best: int
    high: int
    events: int = Field(description="records that reported this figure: incidents, or event mentions with "
                                    "unit=mentions")
    open_high: int = Field(description="of those, how many gave no upper bound ('at least 40'); always 0 for "
                                       "incidents, whose high is the highest report")


class Group(_Open):
    key: str | None
    count: int
    figures: dict[str, FigureSum] | None = None


class Aggregates(BaseModel):
    by: str
    unit: Literal["incidents", "mentions"] = Field(description="what is counted and summed")
    total: int
    ungrouped: int | None = Field(description="matching records with no value to group by (no date, no admin1)")
    groups: list[Group]
    figures: dict[str, FigureSum] | None = None


# -- incidents (DESIGN.md section 8): one real-world event and every report of it ----------------

class FigureReport(_Open):
    """One member mention's figure, as that source reported it."""

    value: int | None = None
    low: int | None = None
    high: int | None = None
    hedge: str | None = None
    event_id: str | None = None
    doc_id: str | None = None
    outlet: str | None = None
    published: str | None = None
    revision: bool | None = Field(default=None, description="the report says the toll was revised")


class IncidentFigure(_Open):
    """A reconciled figure: lowest credible report as best (ACLED's rule), the span of all reports."""

    low: int | None = None
    best: int | None = None
    high: int | None = None
    reports: list[FigureReport] = []


class IncidentParty(Party):
    reports: int | None = Field(default=None, description="member mentions naming this party")


class IncidentSource(_Open):
    """One document that reports the incident, with the evidence span of each of its mentions."""

    doc_id: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    event_ids: list[str] = []
    evidence: list[Evidence] = []


class IncidentRecord(_Open):
    """One incident: the member mentions that report one real-world event, reconciled."""

    id: str
    block: str | None = None
    event_type: str | None = None
    mode: str | None = None
    acled: Acled | None = None
    date: str | None = None
    date_end: str | None = None
    time_precision: int | None = None
    location: Location | None = None
    figures: dict[str, IncidentFigure | None] = {}
    actors: list[IncidentParty] = []
    recipients: list[IncidentParty] = []
    status: str | None = Field(default=None, description="asserted, contested, claimed or denied")
    statuses: dict[str, int] = Field(default={}, description="member mentions per status")
    sources: list[IncidentSource] = []
    n_sources: int | None = None
    members: list[str] = Field(default=[], description="ids of the member event mentions")
    created_at: str | None = Field(default=None, description="UTC, ISO 8601")
    updated_at: str | None = Field(default=None, description="UTC, ISO 8601: last change of the record")


class IncidentPage(BaseModel):
    total: int = Field(description="incidents matching the filters, over all pages")
    limit: int
    offset: int
    sort: str
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    incidents: list[IncidentRecord]


class DisagreementValue(BaseModel):
    value: Any = Field(description="the value as compared: a number, [date, date_end, precision], names")
    label: str
    event_ids: list[str] = Field(description="member mentions giving this value")
    doc_ids: list[str] = Field(description="their documents")


class Disagreement(BaseModel):
    field: str = Field(description="a figure kind (killed...), date, actors, recipients, place or status")
    group: Literal["figures", "date", "actors", "place", "status"]
    values: list[DisagreementValue] = Field(min_length=2)


class IncidentView(IncidentRecord):
    """The full incident: the record, the member mentions and where they disagree."""

    resolved_from: str | None = Field(
        description="the id asked for, when it is an alias of this incident (merged into it); else null")
    member_events: list[EventRecord] = Field(description="the member event records, in `members` order")
    disagreements: list[Disagreement]


class ErrorItem(BaseModel):
    parameter: str
    message: str
    input: Any = None


class ErrorBody(BaseModel):
    detail: str
    errors: list[ErrorItem] = []


class Config(BaseModel):
    tile_url: str | None
    admin1_basemap: str | None
    event_types: list[str]
    statuses: list[str]
    incident_statuses: list[str] = Field(description="the statuses an incident may have: an event's, or contested")
    kinds: list[str]
    modes: list[str]
    acled_types: list[str]
    sorts: list[str]
    sort_labels: dict[str, str] = Field(description="what each sort means, e.g. -date: newest first")
    incident_sorts: list[str]
    units: list[str]
    groupings: list[str]
    max_limit: int
