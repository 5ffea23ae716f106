"""Derive the flat, filterable columns of the `events` table from an event record.

The record (DESIGN.md section 4) is what the store returns; these columns exist only so that
filters, sorting and counts run in SQL without parsing JSON. Validation happens here, before
anything touches the database, so a malformed record fails with a message that names it.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from sitrep.store.filters import DATE_BASES, EVENT_KINDS, EVENT_TYPES, STATUSES

# Column order of the `events` table as written by the store (record, then the figure ranges of 0004).
EVENT_COLUMNS: tuple[str, ...] = (
    "id", "doc_id", "event_type", "mode", "status", "date", "date_end", "time_precision",
    "place", "country", "admin1", "admin1_pcode", "lat", "lon", "geo_precision",
    "acled_event_type", "acled_sub_event_type", "cameo", "quad",
    "actor_names", "actor_ids", "recipient_names", "recipient_ids",
    "killed", "injured", "displaced", "evidence", "section", "title", "published", "confidence",
    "record",
)
# Every figure's range as flat columns (migration 0004), so aggregates sum ranges without JSON:
# `<kind>` is the best estimate (killed, injured and displaced had theirs already), `<kind>_low`
# and `<kind>_high` its bounds. Added after `record` in the table, as ALTER TABLE puts them.
FIGURE_KINDS: tuple[str, ...] = ("killed", "injured", "displaced", "besieged", "trapped", "detained", "strikes")
FIGURE_COLUMNS: tuple[str, ...] = tuple(
    col for kind in FIGURE_KINDS for col in (kind, f"{kind}_low", f"{kind}_high")
)
FIGURE_RANGE_COLUMNS: tuple[str, ...] = tuple(c for c in FIGURE_COLUMNS if c not in EVENT_COLUMNS)
# The narrative stage's kind and date basis (migration 0005), after the figure ranges.
NARRATIVE_COLUMNS: tuple[str, ...] = ("kind", "date_basis")
EVENT_COLUMNS = EVENT_COLUMNS + FIGURE_RANGE_COLUMNS + NARRATIVE_COLUMNS

LIST_SEPARATOR = "; "


class RecordError(ValueError):
    """An event record the store refuses; the message names the record and the field."""


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """Flat column values for one event record (keys = `EVENT_COLUMNS`).

    Dates come back as `datetime.date`, figures as their best estimate, actor names and ids
    joined with "; " (names include the surface text when it differs, so an actor filter finds
    "Russian air power" as well as "Military Forces of Russia"). `record` is the JSON text.
    """
    event_id = record.get("id")
    if not event_id or not isinstance(event_id, str):
        raise RecordError(f"event record without a string id: {_short(record)}")
    if not record.get("doc_id"):
        raise RecordError(f"event {event_id}: doc_id is missing")
    event_type = record.get("event_type")
    if event_type not in EVENT_TYPES:
        raise RecordError(f"event {event_id}: unknown event_type {event_type!r}")
    status = record.get("status")
    if status is not None and status not in STATUSES:
        raise RecordError(f"event {event_id}: unknown status {status!r}")
    # A record without a kind predates the narrative stage, when every event counted as a happening.
    kind = record.get("kind") or "occurrence"
    if kind not in EVENT_KINDS:
        raise RecordError(f"event {event_id}: unknown kind {kind!r}")
    date_basis = record.get("date_basis")
    if date_basis is not None and date_basis not in DATE_BASES:
        raise RecordError(f"event {event_id}: unknown date_basis {date_basis!r}")

    location = record.get("location") or {}
    acled = record.get("acled") or {}
    evidence = record.get("evidence") or {}
    source = record.get("source") or {}
    figures = record.get("figures") or {}
    actors = record.get("actors") or []
    recipients = record.get("recipients") or []
    country = location.get("country")

    flat = {
        "id": event_id,
        "doc_id": record["doc_id"],
        "event_type": event_type,
        "mode": record.get("mode"),
        "status": status,
        "date": _iso_date(record.get("date"), event_id, "date"),
        "date_end": _iso_date(record.get("date_end"), event_id, "date_end"),
        "time_precision": _int(record.get("time_precision"), event_id, "time_precision"),
        "place": location.get("name") or location.get("text"),
        "country": country.upper() if isinstance(country, str) else None,
        "admin1": location.get("admin1"),
        "admin1_pcode": location.get("admin1_pcode"),
        "lat": _float(location.get("lat"), event_id, "location.lat"),
        "lon": _float(location.get("lon"), event_id, "location.lon"),
        "geo_precision": _int(location.get("geo_precision"), event_id, "location.geo_precision"),
        "acled_event_type": acled.get("event_type"),
        "acled_sub_event_type": acled.get("sub_event_type"),
        "cameo": None if record.get("cameo") is None else str(record["cameo"]),
        "quad": _int(record.get("quad"), event_id, "quad"),
        "actor_names": _names(actors),
        "actor_ids": _ids(actors),
        "recipient_names": _names(recipients),
        "recipient_ids": _ids(recipients),
        "killed": _best(figures.get("killed"), event_id, "killed"),
        "injured": _best(figures.get("injured"), event_id, "injured"),
        "displaced": _best(figures.get("displaced"), event_id, "displaced"),
        "evidence": evidence.get("text"),
        "section": evidence.get("section"),
        "title": source.get("title"),
        "published": _iso_date(source.get("published"), event_id, "source.published"),
        "confidence": _float(record.get("confidence"), event_id, "confidence"),
        "kind": kind,
        "date_basis": date_basis,
    }
    for kind in FIGURE_KINDS:
        figure = figures.get(kind)
        best = _best(figure, event_id, kind)
        flat[kind] = best
        flat[f"{kind}_low"] = _int(figure.get("low"), event_id, f"figures.{kind}.low") if figure else None
        flat[f"{kind}_high"] = _int(figure.get("high"), event_id, f"figures.{kind}.high") if figure else None
    try:  # last, so that a bad field above gets its own message
        flat["record"] = json.dumps(record, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise RecordError(f"event {event_id}: not plain JSON ({err})") from err
    return flat


def actor_label(actor: dict[str, Any]) -> str | None:
    """The name to show for an actor: its canonical name, else the text it was found as."""
    return actor.get("name") or actor.get("text") or None


def join(values: list[str | None]) -> str | None:
    """Join non-empty values with "; ", keeping first-seen order and dropping repeats."""
    out = list(dict.fromkeys(v for v in values if v))
    return LIST_SEPARATOR.join(out) if out else None


def best_figure(figure: Any) -> int | None:
    """The best estimate of a `{low, best, high, hedge}` figure, or None."""
    if isinstance(figure, dict):
        return figure.get("best")
    return None


def _names(actors: list[dict[str, Any]]) -> str | None:
    values: list[str | None] = []
    for actor in actors:
        values.extend((actor.get("name"), actor.get("text")))
    return join(values)


def _ids(actors: list[dict[str, Any]]) -> str | None:
    return join([actor.get("id") for actor in actors])


def _iso_date(value: Any, event_id: str, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as err:
        raise RecordError(f"event {event_id}: {name} {value!r} is not an ISO date (YYYY-MM-DD)") from err


def _int(value: Any, event_id: str, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"event {event_id}: {name} must be an integer, got {value!r}")
    return value


def _float(value: Any, event_id: str, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RecordError(f"event {event_id}: {name} must be a finite number, got {value!r}")
    return float(value)


def _best(figure: Any, event_id: str, name: str) -> int | None:
    if figure is None:
        return None
    if not isinstance(figure, dict):
        raise RecordError(f"event {event_id}: figures.{name} must be null or {{low, best, high, hedge}}")
    return _int(figure.get("best"), event_id, f"figures.{name}.best")


def _short(record: dict[str, Any]) -> str:
    text = json.dumps(record, ensure_ascii=False, default=str)
    return text if len(text) <= 120 else text[:117] + "..."
