"""Document -> event records: the normative JSON shape of DESIGN.md section 4.

Every key is always present (null where unknown) so that the CLI, the store, the API and the
exports all speak one shape.
"""

from __future__ import annotations

from typing import Any

from sitrep.document import Document, Event

FIGURE_KINDS = ("killed", "injured", "displaced", "besieged", "trapped", "detained", "strikes")
LOCATION_KEYS = ("text", "name", "geonameid", "lat", "lon", "country", "admin1", "admin1_pcode", "feature",
                 "geo_precision")


def event_id(doc: Document, event: Event) -> str:
    """Stable within a document: the document id and the trigger's offset (hex)."""
    return f"{doc.id}-{event.trigger.start:x}"


def event_record(doc: Document, event: Event) -> dict[str, Any]:
    figures: dict[str, Any] = dict.fromkeys(FIGURE_KINDS)
    for figure in event.figures:
        figures[figure.kind] = figure.as_record()
    when = event.when
    location = {k: event.location.get(k) for k in LOCATION_KEYS} if event.location else None
    return {
        "id": event_id(doc, event),
        "doc_id": doc.id,
        "event_type": event.event_type,
        "mode": event.mode,
        "contexts": list(event.contexts),
        "status": event.status,
        "actors": [dict(a) for a in event.actors],
        "recipients": [dict(r) for r in event.recipients],
        "claimed_by": [dict(c) for c in event.claimed_by],
        "denied_by": [dict(d) for d in event.denied_by],
        "date": when.start.isoformat() if when else None,
        "date_end": when.end.isoformat() if when else None,
        "time_precision": when.precision if when else None,
        "location": location,
        "figures": figures,
        "acled": {"event_type": event.acled.get("event_type"), "sub_event_type": event.acled.get("sub_event_type")},
        "cameo": event.cameo,
        "quad": event.quad,
        "evidence": {"text": doc.text[event.sentence.start : event.sentence.end], "start": event.sentence.start,
                     "end": event.sentence.end, "section": event.section},
        "source": {"url": doc.source.url, "title": doc.source.title, "publisher": doc.source.publisher,
                   "published": doc.source.published.isoformat() if doc.source.published else None,
                   "focus_country": doc.ext.get("focus_country")},
        "confidence": event.confidence,
        "kind": event.kind,
        "date_basis": event.date_basis,
        "mentions": [dict(m) for m in event.mentions],
        "perpetrators": [dict(p) for p in event.perpetrators],
        "victims": [dict(v) for v in event.victims],
        "targets": [dict(t) for t in event.targets],
        "weapons": [dict(w) for w in event.weapons],
    }


def records(doc: Document) -> list[dict[str, Any]]:
    return [event_record(doc, event) for event in doc.events]
