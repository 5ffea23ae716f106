"""Turn an `EventFilter` into a parameterised WHERE clause over the `events` table.

Values only ever travel as `?` parameters; LIKE patterns have `%`, `_` and the escape
character escaped, so a user's "50%" matches the literal text and not everything.
"""

from __future__ import annotations

from typing import Any

from sitrep.store.countries import country_iso3
from sitrep.store.filters import EventFilter

LIKE_ESCAPE = "\\"


def like_pattern(value: str) -> str:
    """A substring ILIKE pattern matching `value` literally (use with ESCAPE '\\')."""
    escaped = (
        value.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


def _any_like(columns: tuple[str, ...], value: str) -> tuple[str, list[Any]]:
    pattern = like_pattern(value)
    sql = " OR ".join(f"{col} ILIKE ? ESCAPE '\\'" for col in columns)
    return f"({sql})", [pattern] * len(columns)


def _in(column: str, values: tuple[str, ...]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def where_clause(flt: EventFilter) -> tuple[str, list[Any]]:
    """(SQL condition, parameters) for the filter; "TRUE" when the filter is empty.

    Column names here are constants of this module, never user input.
    """
    parts: list[str] = []
    params: list[Any] = []

    def add(sql: str, values: list[Any]) -> None:
        parts.append(sql)
        params.extend(values)

    if flt.country:
        add("country = ?", [country_iso3(flt.country)])
    if flt.place:
        add(*_any_like(("place", "admin1"), flt.place))
    if flt.actor:
        add(*_any_like(("actor_names", "actor_ids", "recipient_names", "recipient_ids"), flt.actor))
    if flt.event_type:
        add(*_in("event_type", flt.event_type))
    if flt.status:
        add(*_in("status", flt.status))
    if flt.date_from:
        add("date >= ?", [flt.date_from])
    if flt.date_to:
        add("date <= ?", [flt.date_to])
    if flt.text:
        add(*_any_like(("evidence", "title"), flt.text))
    return (" AND ".join(parts) if parts else "TRUE"), params
