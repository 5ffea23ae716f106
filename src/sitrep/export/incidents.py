"""One flat row per incident: the CSV columns of an incident export, also its GeoJSON properties.

An incident row reads like an ACLED row (event_date, actor1, admin1, latitude, ...) because that
is what its users load it into, but each figure comes as its reconciled range (`killed_low`,
`killed`, `killed_high`: lowest credible report, best, highest report), and the row names how
many independent sources reported it, which outlets, and the member mentions it stands for.
"""

from __future__ import annotations

from typing import Any

from sitrep.export.rows import location_columns
from sitrep.store.records import FIGURE_KINDS, actor_label, join

INCIDENT_CSV_COLUMNS: tuple[str, ...] = (
    "id", "event_date", "date_end", "time_precision", "event_type", "mode", "status",
    "acled_event_type", "acled_sub_event_type",
    "actor1", "actor1_country", "actor1_inter", "assoc_actor_1",
    "actor2", "actor2_country", "actor2_inter", "assoc_actor_2",
    "location", "country", "admin1", "admin1_pcode", "latitude", "longitude", "geo_precision",
    *(col for kind in FIGURE_KINDS for col in (f"{kind}_low", kind, f"{kind}_high")),
    "n_sources", "outlets", "source_urls", "first_published", "members", "created_at", "updated_at",
)


def incident_row(record: dict[str, Any]) -> dict[str, Any]:
    """The INCIDENT_CSV_COLUMNS values of one incident record (None where unknown)."""
    actors = record.get("actors") or []
    recipients = record.get("recipients") or []
    first_actor = actors[0] if actors else {}
    first_recipient = recipients[0] if recipients else {}
    acled = record.get("acled") or {}
    figures = record.get("figures") or {}
    sources = record.get("sources") or []
    ranges: dict[str, Any] = {}
    for kind in FIGURE_KINDS:
        figure = figures.get(kind) or {}
        ranges.update({f"{kind}_low": figure.get("low"), kind: figure.get("best"), f"{kind}_high": figure.get("high")})
    return {
        "id": record.get("id"),
        "event_date": record.get("date"),
        "date_end": record.get("date_end"),
        "time_precision": record.get("time_precision"),
        "event_type": record.get("event_type"),
        "mode": record.get("mode"),
        "status": record.get("status"),
        "acled_event_type": acled.get("event_type"),
        "acled_sub_event_type": acled.get("sub_event_type"),
        "actor1": actor_label(first_actor),
        "actor1_country": first_actor.get("country"),
        "actor1_inter": first_actor.get("acled_inter"),
        "assoc_actor_1": join([actor_label(a) for a in actors[1:]]),
        "actor2": actor_label(first_recipient),
        "actor2_country": first_recipient.get("country"),
        "actor2_inter": first_recipient.get("acled_inter"),
        "assoc_actor_2": join([actor_label(a) for a in recipients[1:]]),
        **location_columns(record.get("location")),
        **ranges,
        "n_sources": record.get("n_sources"),
        "outlets": join([s.get("outlet") for s in sources]),
        "source_urls": join([s.get("url") for s in sources]),
        "first_published": min((s["published"] for s in sources if s.get("published")), default=None),
        "members": join(list(record.get("members") or [])),
        "created_at": record.get("created_at"),
        "updated_at": record.get("updated_at"),
    }
