"""PLOVER/POLECAT JSON Lines: one object per incident or mention, with the field names of the NGEC
coder that produces POLECAT (reference/ontology.md 1.5 b) and PLOVER's size object.

POLECAT users read `id, date, pub_date, event_type, event_mode, contexts, event_text, story_id,
publisher, headline, version` and `attributes.ACTOR / RECIP / LOC / DATE`, each entity with `text`,
`country`, `code_1`/`code_2` (the PLOVER sector) and `wiki`. The resolved place is
`event_geolocation.geo` (geonameid, lat, lon, admin1_name, admin1_code, country_code3 and PLOVER's
`resolution`, 5 = sub-city ... 1 = country). sitrep adds what POLECAT has no field for: `status`,
`quad_code`, `size` (dead, injured, arrested, displaced: best estimates; `figures` keeps the ranges),
and for an incident its `sources` (one story each) and `members`.
"""

from __future__ import annotations

from typing import Any

VERSION = "sitrep-polecat-1"
# ACLED geo_precision (1 = the place itself ... 3 = a larger region) -> PLOVER resolution
# (5 sub-city, 4 city, 3 district, 2 province, 1 country); no point = country level.
_RESOLUTION = {1: 4, 2: 3, 3: 2}
_SUB_CITY = {"district", "neighbourhood", "neighborhood", "quarter", "camp"}
_FIGURES = {"dead": "killed", "injured": "injured", "arrested": "detained", "displaced": "displaced"}


def polecat_record(record: dict[str, Any], unit: str = "incidents") -> dict[str, Any]:
    """The POLECAT-shaped object of one incident (or event record, unit "mentions")."""
    location = record.get("location") or {}
    figures = record.get("figures") or {}
    stories = _stories(record, unit)
    first = stories[0] if stories else {}
    out: dict[str, Any] = {
        "id": record.get("id"),
        "date": record.get("date"),
        "enddate": record.get("date_end"),
        "pub_date": first.get("pub_date"),
        "event_type": record.get("event_type"),
        "event_mode": record.get("mode"),
        "contexts": list(record.get("contexts") or []),
        "event_text": first.get("event_text"),
        "story_id": first.get("story_id"),
        "publisher": first.get("publisher"),
        "headline": first.get("headline"),
        "url": first.get("url"),
        "version": VERSION,
        "status": record.get("status"),
        "quad_code": record.get("quad"),
        "attributes": {
            "ACTOR": [_entity(a) for a in record.get("actors") or []],
            "RECIP": [_entity(a) for a in record.get("recipients") or []],
            "LOC": [{"text": location.get("text") or location.get("name")}] if location else [],
            "DATE": [{"text": record.get("date")}] if record.get("date") else [],
        },
        "event_geolocation": {"reason": "sitrep place linker", "geo": _geo(location)} if location else None,
        "size": {name: (figures.get(kind) or {}).get("best") for name, kind in _FIGURES.items()},
        "figures": {kind: _range(value) for kind, value in figures.items()},
        "acled": record.get("acled"),
    }
    if unit == "incidents":
        out["sources"] = stories
        out["members"] = list(record.get("members") or [])
        out["n_sources"] = record.get("n_sources")
    return out


def _entity(actor: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": actor.get("text"),
        "wiki": actor.get("name"),
        "actor_id": actor.get("id"),
        "country": actor.get("country"),
        "code_1": actor.get("sector"),
        "code_2": None,
        "acled_inter": actor.get("acled_inter"),
    }


def _geo(location: dict[str, Any]) -> dict[str, Any]:
    precision = location.get("geo_precision")
    if location.get("lat") is None:
        resolution = 1
    elif precision == 1 and (location.get("feature") or "") in _SUB_CITY:
        resolution = 5
    else:
        resolution = _RESOLUTION.get(precision, 1)
    return {
        "resolved_placename": location.get("name"),
        "search_placename": location.get("text"),
        "geonameid": location.get("geonameid"),
        "lat": location.get("lat"),
        "lon": location.get("lon"),
        "admin1_name": location.get("admin1"),
        "admin1_code": location.get("admin1_pcode"),
        "country_code3": location.get("country"),
        "feature_class": location.get("feature"),
        "resolution": resolution,
    }


def _range(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    return {k: value.get(k) for k in ("low", "best", "high", "hedge")}


def _stories(record: dict[str, Any], unit: str) -> list[dict[str, Any]]:
    """One POLECAT story per source: the incident's sources, or the mention's own article."""
    if unit == "incidents":
        stories = []
        for source in record.get("sources") or []:
            evidence = source.get("evidence") or []
            stories.append({
                "story_id": source.get("doc_id"), "publisher": source.get("outlet"), "headline": source.get("title"),
                "url": source.get("url"), "pub_date": source.get("published"),
                "event_text": evidence[0].get("text") if evidence else None,
                "event_ids": list(source.get("event_ids") or []),
            })
        return stories
    source = record.get("source") or {}
    return [{
        "story_id": record.get("doc_id"), "publisher": source.get("publisher"), "headline": source.get("title"),
        "url": source.get("url"), "pub_date": source.get("published"),
        "event_text": (record.get("evidence") or {}).get("text"),
    }]
