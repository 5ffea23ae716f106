"""An analyst's corrections of event records: which fields may be corrected, how a value is checked,
and how the corrections of an event are applied over its record when it is read.

A correction names one field of one event (by event id), the value it had when the analyst looked
(`old_value`), the value it should have (`new_value`), an optional note and author, and when it was
made (migration 0009). The record in the `events` table stays as extracted; every read of an event
(the API, `sitrep events`, exports) applies its corrections in the order they were made, and the
record then carries

- `corrected`: true,
- `original`: {field: the extracted value} for each corrected field, and
- `corrections`: every correction of it (id, field, old_value, new_value, note, author, created_at).

Event ids come from the document and the evidence span, so re-ingesting the same documents gives
the same ids and the corrections apply again. The flat columns that filters, sorts and aggregates
use are the extracted values: a correction changes what a record says, not which filters find it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sitrep.store.countries import country_iso3
from sitrep.store.filters import EVENT_KINDS, EVENT_TYPES, STATUSES, FilterError
from sitrep.store.records import FIGURE_KINDS


class CorrectionError(ValueError):
    """A correction the store refuses: an unknown field, or a value of the wrong type; the message says why."""


_MODE = re.compile(r"^[a-z][a-z-]*$")
MAX_TEXT = 300


def _text(value: Any, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CorrectionError("must be a non-empty string" + (" or null" if nullable else ""))
    if len(value) > MAX_TEXT:
        raise CorrectionError(f"must be at most {MAX_TEXT} characters")
    return value.strip()


def _choice(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    def check(value: Any) -> str:
        if value not in choices:
            raise CorrectionError(f"must be one of {', '.join(choices)}; got {value!r}")
        return str(value)
    return check


def _mode(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _MODE.match(value):
        raise CorrectionError("must be a lower-case word (aerial, armed, ...) or null")
    return value


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise CorrectionError("must be an ISO date (YYYY-MM-DD) or null")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as err:
        raise CorrectionError(f"must be a real date: {err}") from err


def _country(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CorrectionError("must be an ISO3 code (SYR) or an English country name, or null")
    try:
        return country_iso3(value)
    except FilterError as err:
        raise CorrectionError(str(err)) from err


def _coordinate(limit: float) -> Callable[[Any], Any]:
    def check(value: Any) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not -limit <= value <= limit:
            raise CorrectionError(f"must be a number from -{limit:g} to {limit:g}, or null")
        return float(value)
    return check


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CorrectionError("must be a whole number of at least 0, or null")
    return value


def _figure(value: Any) -> dict[str, Any] | None:
    """A figure: null (none reported), a number (low = best = high), or {low, best, high} with
    low <= best <= high (high may be null: open-ended)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        n = _count(value)
        return {"low": n, "best": n, "high": n, "hedge": None}
    if not isinstance(value, dict) or not set(value) <= {"low", "best", "high", "hedge"} or "best" not in value:
        raise CorrectionError("must be a whole number, {\"low\", \"best\", \"high\"} (whole numbers, high may be "
                              "null) or null")
    best = _count(value["best"])
    if best is None:
        raise CorrectionError("best must be a whole number")
    low = _count(value.get("low", best))
    high = _count(value.get("high", best))
    if (low is not None and low > best) or (high is not None and high < best):
        raise CorrectionError("must have low <= best <= high")
    hedge = value.get("hedge")
    if hedge is not None:
        hedge = _text(hedge)
    return {"low": low, "best": best, "high": high, "hedge": hedge}


def _parties(value: Any) -> list[dict[str, Any]]:
    """Actors or recipients: a list of names (strings), or of {"name", "id"?} objects; [] for none."""
    if not isinstance(value, list) or len(value) > 20:
        raise CorrectionError("must be a list (at most 20) of names or {\"name\", \"id\"} objects")
    out = []
    for item in value:
        if isinstance(item, str):
            name, party_id = _text(item), None
        elif isinstance(item, dict) and set(item) <= {"name", "id"} and "name" in item:
            name, party_id = _text(item["name"]), _text(item.get("id"), nullable=True)
        else:
            raise CorrectionError("each item must be a name or a {\"name\", \"id\"} object")
        out.append({"text": name, "name": name, "id": party_id, "country": None, "sector": None,
                    "acled_inter": None})
    return out


# Every field an analyst may correct, with the check (and normal form) of its new value.
FIELDS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "event_type": (_choice(EVENT_TYPES), "one of the PLOVER event types (ASSAULT, PROTEST, ...)"),
    "mode": (_mode, "a lower-case mode word (aerial, armed, ...) or null"),
    "status": (_choice(STATUSES), f"one of {', '.join(STATUSES)}"),
    "kind": (_choice(EVENT_KINDS), f"one of {', '.join(EVENT_KINDS)}"),
    "date": (_date, "an ISO date (YYYY-MM-DD) or null"),
    "date_end": (_date, "an ISO date (YYYY-MM-DD) or null"),
    "location.name": (lambda v: _text(v), "the place name (a non-empty string)"),
    "location.country": (_country, "an ISO3 code or English country name, or null"),
    "location.admin1": (lambda v: _text(v, nullable=True), "the province (admin-1) name, or null"),
    "location.lat": (_coordinate(90), "latitude in degrees, or null"),
    "location.lon": (_coordinate(180), "longitude in degrees, or null"),
    **{f"figures.{kind}": (_figure, "a whole number, {low, best, high}, or null (none reported)")
       for kind in FIGURE_KINDS},
    "actors": (_parties, "a list of actor names (or {name, id} objects)"),
    "recipients": (_parties, "a list of target names (or {name, id} objects)"),
}


def check(field: str, value: Any) -> Any:
    """The normal form of `value` for `field`; CorrectionError saying why it is refused."""
    if field not in FIELDS:
        raise CorrectionError(f"unknown field {field!r}; one of: {', '.join(FIELDS)}")
    try:
        return FIELDS[field][0](value)
    except CorrectionError as err:
        raise CorrectionError(f"{field} {err}") from None


def get_field(record: dict[str, Any], field: str) -> Any:
    """The value of a (dotted) field of a record, None when it is missing."""
    value: Any = record
    for part in field.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _set_field(record: dict[str, Any], field: str, value: Any) -> None:
    *parents, last = field.split(".")
    target = record
    for part in parents:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    target[last] = value


def new_row(event_id: str, field: str, value: Any, old_value: Any, *, note: str | None = None,
            author: str | None = None, created_at: datetime) -> dict[str, Any]:
    """A checked correction, ready to store (CorrectionError when the field or value is refused)."""
    new_value = check(field, value)
    if note is not None and (not isinstance(note, str) or len(note) > 2000):
        raise CorrectionError("note must be a string of at most 2000 characters")
    if author is not None and (not isinstance(author, str) or len(author) > 200):
        raise CorrectionError("author must be a string of at most 200 characters")
    return {
        "id": f"cor-{uuid.uuid4().hex[:16]}", "event_id": event_id, "field": field,
        "old_value": old_value, "new_value": new_value, "note": note or None, "author": author or None,
        "created_at": created_at,
    }


def public(row: dict[str, Any]) -> dict[str, Any]:
    """A correction as the API and exports give it (times as ISO text)."""
    created = row["created_at"]
    return {**row, "created_at": created.isoformat() if isinstance(created, datetime) else created}


COLUMNS = ("id", "event_id", "field", "old_value", "new_value", "note", "author", "created_at")


def from_sql(row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(COLUMNS, row, strict=True))
    for key in ("old_value", "new_value"):
        out[key] = json.loads(out[key]) if out[key] is not None else None
    return public(out)


def apply(record: dict[str, Any], corrections: list[dict[str, Any]]) -> dict[str, Any]:
    """The record with its corrections applied in order, marked corrected with the originals kept."""
    if not corrections:
        return record
    out = json.loads(json.dumps(record))  # a deep copy: the stored record stays as it was
    original: dict[str, Any] = {}
    for correction in corrections:
        field = correction["field"]
        if field not in original:
            original[field] = get_field(record, field)
        _set_field(out, field, correction["new_value"])
    out["corrected"] = True
    out["original"] = original
    out["corrections"] = [public(c) for c in corrections]
    return out
