"""One flat row per event record: the CSV columns, also the GeoJSON feature properties.

Names follow ACLED where ACLED has the field (event_date, actor1, actor1_inter, admin1,
latitude, ...), PLOVER for the rest. Lists are joined with "; "; figures give their best estimate.
The record's first actor is actor1 and its first recipient actor2; any further actors go to
assoc_actor_1 / assoc_actor_2, as ACLED does, so nothing is silently dropped.
"""

from __future__ import annotations

from typing import Any

from sitrep.store.records import FIGURE_KINDS, actor_label, best_figure, join

CSV_COLUMNS: tuple[str, ...] = (
    "id", "doc_id", "event_date", "date_end", "time_precision", "event_type", "mode", "contexts",
    "status", "kind", "date_basis", "acled_event_type", "acled_sub_event_type", "cameo", "quad",
    "actor1", "actor1_country", "actor1_inter", "assoc_actor_1",
    "actor2", "actor2_country", "actor2_inter", "assoc_actor_2",
    "claimed_by", "denied_by", "location", "country", "admin1", "admin1_pcode",
    "latitude", "longitude", "geo_precision",
    *FIGURE_KINDS,  # every figure kind the store keeps (detained included), best estimates
    "evidence", "section", "source_url", "source_title", "published", "confidence",
)


def location_columns(location: dict[str, Any] | None) -> dict[str, Any]:
    """The place columns every flat unit shares (CSV, incident CSV, Parquet), from a record's
    `location`: the resolved name, else the text as written; coordinates as latitude/longitude."""
    location = location or {}
    return {
        "location": location.get("name") or location.get("text"),
        "country": location.get("country"),
        "admin1": location.get("admin1"),
        "admin1_pcode": location.get("admin1_pcode"),
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "geo_precision": location.get("geo_precision"),
    }


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """The CSV_COLUMNS values of one record (None where unknown)."""
    actors = record.get("actors") or []
    recipients = record.get("recipients") or []
    first_actor = actors[0] if actors else {}
    first_recipient = recipients[0] if recipients else {}
    acled = record.get("acled") or {}
    figures = record.get("figures") or {}
    evidence = record.get("evidence") or {}
    source = record.get("source") or {}
    return {
        "id": record.get("id"),
        "doc_id": record.get("doc_id"),
        "event_date": record.get("date"),
        "date_end": record.get("date_end"),
        "time_precision": record.get("time_precision"),
        "event_type": record.get("event_type"),
        "mode": record.get("mode"),
        "contexts": join(list(record.get("contexts") or [])),
        "status": record.get("status"),
        "kind": record.get("kind") or "occurrence",
        "date_basis": record.get("date_basis"),
        "acled_event_type": acled.get("event_type"),
        "acled_sub_event_type": acled.get("sub_event_type"),
        "cameo": record.get("cameo"),
        "quad": record.get("quad"),
        "actor1": actor_label(first_actor),
        "actor1_country": first_actor.get("country"),
        "actor1_inter": first_actor.get("acled_inter"),
        "assoc_actor_1": join([actor_label(a) for a in actors[1:]]),
        "actor2": actor_label(first_recipient),
        "actor2_country": first_recipient.get("country"),
        "actor2_inter": first_recipient.get("acled_inter"),
        "assoc_actor_2": join([actor_label(a) for a in recipients[1:]]),
        "claimed_by": join([actor_label(a) for a in record.get("claimed_by") or []]),
        "denied_by": join([actor_label(a) for a in record.get("denied_by") or []]),
        **location_columns(record.get("location")),
        **{kind: best_figure(figures.get(kind)) for kind in FIGURE_KINDS},
        "evidence": evidence.get("text"),
        "section": evidence.get("section"),
        "source_url": source.get("url"),
        "source_title": source.get("title"),
        "published": source.get("published"),
        "confidence": record.get("confidence"),
    }
