"""Blocking: which mentions are worth comparing at all (same country and type family).

The block key is a pure function of one record, so an incremental ingest knows which blocks a
new mention can change and re-resolves only those (every mention of a block is compared there).
"""

from __future__ import annotations

from datetime import date
from typing import Any


def eligible(record: dict[str, Any], cfg: dict[str, Any]) -> bool:
    """Reportable occurrences, their claims and denials (records without a kind predate the stage)."""
    return (record.get("kind") or "occurrence") in cfg["kinds"] and record.get("status") in cfg["statuses"]


def family(record: dict[str, Any], cfg: dict[str, Any]) -> str:
    """ACLED's event type family when coded, else the PLOVER type's, else the PLOVER type itself."""
    acled = (record.get("acled") or {}).get("event_type")
    if acled and acled in cfg["families"]["acled"]:
        return cfg["families"]["acled"][acled]
    event_type = record.get("event_type") or ""
    return cfg["families"]["plover"].get(event_type, event_type.lower() or "unknown")


def block_key(record: dict[str, Any], cfg: dict[str, Any]) -> str:
    """"ISO3|family" ("?|family" without a country)."""
    return f"{country_of(record)}|{family(record, cfg)}"


def country_of(record: dict[str, Any]) -> str:
    """ISO3 of the mention's place, else of the country its document is about, else "?".

    Why the document's: a report that names no place the geoparser could pin ("almost every
    family in the village lost someone") is still about one country, and "?" would keep it apart
    from every located report of the same attack.
    """
    country = (record.get("location") or {}).get("country") or (record.get("source") or {}).get("focus_country")
    return str(country).upper() if country else "?"


def record_date(record: dict[str, Any]) -> date | None:
    value = record.get("date")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
