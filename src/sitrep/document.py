"""The one core object, `Document`, and the annotation layers components add to it.

A Document's text is fixed at ingest and never edited: every annotation is a half-open
character span into it (spaCy's convention), so evidence offsets stay valid through the
whole pipeline, the store and the API. `Event` is one event mention inside one document;
the cross-document record is an `Incident` (a later stage), and the two are kept apart.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

# comment, reference, related (a related-article list), chrome (newsletter, cookie, form boxes),
# caption and byline are never the article's own reporting: only title and body feed the event layer
SectionName = Literal["title", "body", "comment", "reference", "related", "chrome", "caption", "byline"]
MentionKind = Literal["ACTOR", "PLACE", "DATE", "FIGURE", "SOURCE"]
Status = Literal["asserted", "claimed", "denied", "planned", "hypothetical", "negated"]
# occurrence: a happening in the story's time; background: history or comparison ("in 1994", "since
# 2011"); commentary: the writer's view or a generic claim with no concrete act, place or time;
# headline: a title's announcement of a happening the body does not report on its own
EventKind = Literal["occurrence", "background", "commentary", "headline"]
DateBasis = Literal["stated", "carried", "published"]

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range `[start, end)` into `Document.text`."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Section:
    """A named region of the text: the title, the body, reader comments or a reference list."""

    name: SectionName
    span: Span
    label: str | None = None  # e.g. the comment number "3" or the heading that opened it


@dataclass(slots=True)
class Source:
    """Where a document came from; `published` anchors every relative date in it."""

    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    published_inferred: bool = False
    path: str | None = None


@dataclass(slots=True)
class Mention:
    """A recognised span of one kind, with what it resolved to (`norm`, kind-specific)."""

    kind: MentionKind
    span: Span
    text: str
    norm: dict[str, Any] = field(default_factory=dict)
    by: str = ""  # the component that produced it
    score: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for the store and the document API: the span and a light resolution."""
        return {"kind": self.kind, "start": self.span.start, "end": self.span.end, "text": self.text,
                "by": self.by, "norm": _plain_norm(self.kind, self.norm)}


@dataclass(slots=True)
class DateValue:
    """A resolved date or period, with ACLED's time precision (1 day, 2 week, 3 month)."""

    start: date
    end: date
    precision: int
    text: str = ""


@dataclass(slots=True)
class Figure:
    """A count of people or strikes: best estimate with low/high and the hedge word kept."""

    kind: str  # killed, injured, displaced, besieged, trapped, detained, strikes
    low: int | None
    best: int
    high: int | None
    hedge: str | None
    span: Span
    text: str = ""

    def as_record(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high, "hedge": self.hedge}


@dataclass(slots=True)
class Event:
    """One event mention: a trigger in a sentence, typed, with roles, time, place and figures."""

    event_type: str
    trigger: Span
    sentence: Span
    mode: str | None = None
    contexts: list[str] = field(default_factory=list)
    status: Status = "asserted"
    actors: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    claimed_by: list[dict[str, Any]] = field(default_factory=list)
    denied_by: list[dict[str, Any]] = field(default_factory=list)
    when: DateValue | None = None
    location: dict[str, Any] | None = None
    figures: list[Figure] = field(default_factory=list)
    acled: dict[str, str | None] = field(default_factory=lambda: {"event_type": None, "sub_event_type": None})
    cameo: str | None = None
    quad: int | None = None
    section: SectionName = "body"
    confidence: float = 0.5
    trigger_text: str = ""
    flags: set[str] = field(default_factory=set)  # trigger flags (battle, territory) for ACLED coding
    kind: EventKind = "occurrence"
    date_basis: DateBasis | None = None  # how `when` was found; None when there is no date
    # other mentions of the same happening in the document (headline, "the attack", "the onslaught"):
    # {"start", "end", "section", "trigger"} spans into the text, merged into this event
    mentions: list[dict[str, Any]] = field(default_factory=list)
    # role fillers as the text names them (components/roles.py), each {"text", "start", "end", "score"}:
    # perpetrators also carry "kind" (individual or organization); victims are people harmed,
    # targets physical objects (buildings, vehicles, pylons), weapons the instruments used
    perpetrators: list[dict[str, Any]] = field(default_factory=list)
    victims: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    weapons: list[dict[str, Any]] = field(default_factory=list)


def _plain_norm(kind: str, norm: dict[str, Any]) -> dict[str, Any]:
    """What a mention resolved to, reduced to JSON values (no Python objects)."""
    if kind == "ACTOR":
        actor = norm.get("actor") or {}
        return {"id": actor.get("id"), "name": actor.get("name"), "country": actor.get("country")}
    if kind == "PLACE":
        location = norm.get("location") or {}
        return {k: location.get(k) for k in ("name", "geonameid", "lat", "lon", "country", "feature")}
    if kind == "DATE" and norm.get("value") is not None:
        value = norm["value"]
        return {"start": value.start.isoformat(), "end": value.end.isoformat(), "precision": value.precision}
    if kind == "FIGURE" and norm.get("figure") is not None:
        return {"kind": norm["figure"].kind, **norm["figure"].as_record()}
    return {}


def fingerprint(text: str) -> str:
    """Content fingerprint: whitespace- and case-folded text, so re-saved copies match."""
    folded = " ".join(text.split()).casefold()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def make_doc_id(text: str, url: str | None = None) -> str:
    """Stable id from the canonical URL and the content fingerprint (first 16 hex chars)."""
    key = f"{url or ''}\n{fingerprint(text)}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Document:
    """Immutable text plus metadata, sections and the annotation layers components add."""

    text: str
    source: Source = field(default_factory=Source)
    sections: list[Section] = field(default_factory=list)
    id: str = ""
    sentences: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ext: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = make_doc_id(self.text, self.source.url)
        if not self.sections:
            self.sections = [Section("body", Span(0, len(self.text)))]

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def section_at(self, offset: int) -> SectionName:
        """Name of the section holding `offset` (body when none does)."""
        for section in self.sections:
            if section.span.start <= offset < section.span.end:
                return section.name
        return "body"

    def mentions_of(self, kind: MentionKind, within: Span | None = None) -> list[Mention]:
        return [
            m for m in self.mentions if m.kind == kind and (within is None or within.contains(m.span))
        ]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (never pickle): what the store keeps of a document."""
        source = asdict(self.source)
        source["published"] = self.source.published.isoformat() if self.source.published else None
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "text": self.text,
            "source": source,
            "sections": [
                {"name": s.name, "start": s.span.start, "end": s.span.end, "label": s.label}
                for s in self.sections
            ],
            "notes": list(self.notes),
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        src = dict(data.get("source") or {})
        if src.get("published"):
            src["published"] = date.fromisoformat(src["published"])
        sections = [
            Section(s["name"], Span(s["start"], s["end"]), s.get("label"))
            for s in data.get("sections", [])
        ]
        return cls(
            text=data["text"],
            source=Source(**src),
            sections=sections,
            id=data.get("id", ""),
            notes=list(data.get("notes", [])),
        )
