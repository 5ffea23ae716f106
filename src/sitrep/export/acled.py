"""ACLED-shaped rows: ACLED's 31 export columns, in ACLED's order, from an incident or a mention.

For users who load ACLED data (acledR, pandas scripts, the ACLED API client) and want sitrep's
records in the same columns (reference/ontology.md 3.3). Where sitrep knows more than ACLED keeps,
the row keeps ACLED's conventions: `fatalities` is the most conservative reported figure (the
incident's low end), 0 when no figure was reported; `source` lists the outlets; `notes` is a short
sentence built from the record. The sitrep id, a non-asserted status and a fatality range go in
`tags` (`sitrep id=inc-...; status=claimed; fatalities range=12-20`), so every row traces back.

`event_id_cnty` is ACLED's form (country acronym + number): the ISO3 code and a number derived from
the sitrep id's digest, so the same incident has the same id in every export.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from sitrep.export.knowledge import export_knowledge
from sitrep.store.records import actor_label, join

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
NO_COUNTRY = "XXX"  # the acronym of a record whose country is unknown
CIVILIANS = 7  # ACLED actor type of civilians
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def acled_id(record_id: str, iso3: str | None) -> str:
    """ACLED's `event_id_cnty` for a sitrep id: ISO3 + a 15-digit number from the id's digest.

    Deterministic (the same id gives the same value in every export and over the API); 48 bits make
    a repeat among a million incidents unlikely (about 1 in 500).
    """
    number = int(hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:12], 16)
    return f"{(iso3 or NO_COUNTRY).upper()}{number}"


def acled_row(record: dict[str, Any], unit: str = "incidents") -> dict[str, Any]:
    """The ACLED_COLUMNS values of one incident (or, with unit "mentions", one event record).

    Values are typed (ints, floats, ISO date strings); None where ACLED would leave the cell blank.
    """
    know = export_knowledge()
    actors = record.get("actors") or []
    recipients = record.get("recipients") or []
    location = record.get("location") or {}
    acled = record.get("acled") or {}
    iso3 = (location.get("country") or "").upper() or None
    sub_type = acled.get("sub_event_type")
    disorder = know.disorder_types.get(sub_type) if sub_type else None
    inter1 = _inter(actors[0]) if actors else None
    inter2 = _inter(recipients[0]) if recipients else None
    day = record.get("date")
    region = know.regions.get(iso3) if iso3 else None
    lat, lon = location.get("lat"), location.get("lon")
    low, best, high = _killed(record)
    civilians = inter2 == CIVILIANS and disorder is not None and "Political violence" in disorder
    return {
        "event_id_cnty": acled_id(str(record.get("id")), iso3),
        "event_date": day,
        "year": int(day[:4]) if day else None,
        "time_precision": record.get("time_precision"),
        "disorder_type": disorder,
        "event_type": acled.get("event_type"),
        "sub_event_type": sub_type,
        "actor1": actor_label(actors[0]) if actors else None,
        "assoc_actor_1": join([actor_label(a) for a in actors[1:]]),
        "inter1": know.inter_labels.get(inter1) if inter1 else None,
        "actor2": actor_label(recipients[0]) if recipients else None,
        "assoc_actor_2": join([actor_label(a) for a in recipients[1:]]),
        "inter2": know.inter_labels.get(inter2) if inter2 else None,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilians targeted" if civilians else None,
        "iso": know.iso_numeric.get(iso3) if iso3 else None,
        "region": region.name if region else None,
        "country": know.country_names.get(iso3, iso3) if iso3 else None,
        "admin1": location.get("admin1"),
        "admin2": location.get("admin2"),
        "admin3": location.get("admin3"),
        "location": location.get("name") or location.get("text"),
        "latitude": round(lat, 4) if lat is not None else None,
        "longitude": round(lon, 4) if lon is not None else None,
        "geo_precision": location.get("geo_precision"),
        "source": join(_outlets(record, unit)),
        "source_scale": None,  # sitrep does not know an outlet's scale; ACLED's codes are not guessed
        "notes": note(record),
        "fatalities": low if low is not None else (best if best is not None else 0),
        "tags": _tags(record, low, high),
        "timestamp": _unix(record.get("updated_at") or record.get("created_at")),
    }


def note(record: dict[str, Any]) -> str:
    """A short ACLED-style sentence: 'On 3 February 2016, <actor1> <did what> [<actor2>] in <place>.'
    followed by the reported toll and who claimed or denied it."""
    know = export_knowledge()
    actors = record.get("actors") or []
    recipients = record.get("recipients") or []
    acled = record.get("acled") or {}
    phrases = know.acled_phrases.get(acled.get("sub_event_type") or "") \
        or know.plover_phrases.get(record.get("event_type") or "") or {"target": "acted on {actor2}", "alone": "acted"}
    subject = actor_label(actors[0]) if actors else know.no_actor
    target = actor_label(recipients[0]) if recipients else None
    verb = phrases["target"].replace("{actor2}", target) if target else phrases["alone"]
    parts = [f"{_when(record.get('date'))}{subject} {verb}{_where(record.get('location') or {})}."]
    low, best, high = _killed(record)
    injured = (record.get("figures") or {}).get("injured") or {}
    toll = []
    if best is not None:
        toll.append(f"{_range(low, best, high)} killed")
    if injured.get("best") is not None:
        toll.append(f"{_range(injured.get('low'), injured['best'], injured.get('high'))} injured")
    if toll:
        parts.append(" and ".join(toll).capitalize() + " reported.")
    claimed = join([actor_label(a) for a in record.get("claimed_by") or []])
    denied = join([actor_label(a) for a in record.get("denied_by") or []])
    if claimed:
        parts.append(f"Claimed by {claimed}.")
    if denied:
        parts.append(f"Denied by {denied}.")
    if record.get("status") == "contested":
        parts.append("Some reports deny it.")
    return " ".join(parts)


def _when(day: str | None) -> str:
    if not day:
        return ""
    d = date.fromisoformat(day[:10])
    return f"On {d.day} {_MONTHS[d.month - 1]} {d.year}, "


def _where(location: dict[str, Any]) -> str:
    know = export_knowledge()
    name = location.get("name") or location.get("text")
    iso3 = (location.get("country") or "").upper()
    country = know.country_names.get(iso3, iso3) if iso3 else None
    if location.get("lat") is None or not name or name == country:
        return f" in {country}" if country else ""
    within = ", ".join(v for v in (location.get("admin1"), country) if v and v != name)
    return f" in {name} ({within})" if within else f" in {name}"


def _range(low: int | None, best: int, high: int | None) -> str:
    if low is not None and high is not None and low != high:
        return f"{low}-{high}"
    return str(best)


def _inter(actor: dict[str, Any]) -> int | None:
    value = actor.get("acled_inter")
    return int(value) if isinstance(value, int) and 1 <= value <= 8 else None


def _interaction(inter1: int | None, inter2: int | None) -> str | None:
    """ACLED's interaction in today's text form: 'State forces-Rebel group', or 'Protesters only'."""
    labels = export_knowledge().inter_labels
    if inter1 and inter2:
        first, second = sorted((inter1, inter2))
        return f"{labels[first]}-{labels[second]}"
    if inter1:
        return f"{labels[inter1]} only"
    return None


def _killed(record: dict[str, Any]) -> tuple[int | None, int | None, int | None]:
    figure = (record.get("figures") or {}).get("killed") or {}
    return figure.get("low"), figure.get("best"), figure.get("high")


def _outlets(record: dict[str, Any], unit: str) -> list[str | None]:
    if unit == "incidents" or "sources" in record:
        return [s.get("outlet") for s in record.get("sources") or []]
    source = record.get("source") or {}
    return [source.get("publisher") or source.get("title")]


def _tags(record: dict[str, Any], low: int | None, high: int | None) -> str:
    tags = [f"sitrep id={record.get('id')}"]
    status = record.get("status")
    if status and status != "asserted":
        tags.append(f"status={status}")
    if low is not None and high is not None and low != high:
        tags.append(f"fatalities range={low}-{high}")
    return "; ".join(tags)


def _unix(value: Any) -> int | None:
    """Unix seconds of a stored UTC timestamp (ISO text or datetime), as ACLED's `timestamp`."""
    if not value:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
