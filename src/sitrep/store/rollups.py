"""Which aggregates a rollup answers, and the SQL that reads one (PostgreSQL migration 0004).

A rollup row holds, for one month (or day) and one value of every key column the rollup keeps,
the number of rows `n` and per figure kind the five sums store/aggregates.py reports (columns
`<kind>_low`, `<kind>`, `<kind>_high`, `<kind>_n`, `<kind>_open`). A month rollup's `date` is the
month's first day and the key columns carry the base table's names, so the filter SQL of
store/sql.py runs on it unchanged: a date bound on a month boundary means the same on months as
on days. Rows are deltas (a delete adds negative counts), so every read sums them.

A backend that keeps rollups says so in its connection's `rollups` (the base tables that have
them, named in ROLLUPS); DuckDB keeps none and scans its columns, which it does fast.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitrep.store.filters import EventFilter
from sitrep.store.records import FIGURE_KINDS

_COARSE = ("country", "event_type", "kind")
_PLACES = ("country", "admin1", "admin1_pcode", "kind")
_FULL = ("country", "admin1", "admin1_pcode", "event_type", "mode", "status", "acled_event_type", "kind")


@dataclass(frozen=True, slots=True)
class Rollup:
    """One rollup table: its name, its grain ("day" or "month") and its key columns besides `date`."""

    name: str
    grain: str
    keys: tuple[str, ...]


# A backend's rollups per base table, the smallest first (PostgreSQL migration 0004 creates them).
ROLLUPS: dict[str, tuple[Rollup, ...]] = {
    base: (Rollup(f"{stem}_months_coarse", "month", _COARSE), Rollup(f"{stem}_months_places", "month", _PLACES),
           Rollup(f"{stem}_months", "month", _FULL), Rollup(f"{stem}_days", "day", _COARSE))
    for base, stem in (("events", "event"), ("incidents", "incident"))
}
# The periods a grain answers.
_PERIODS = {"month": ("month", "year"), "day": ("day", "week", "month", "year")}
# The columns each filter reads; a filter whose value is None is absent.
_FILTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "country": ("country",), "event_type": ("event_type",), "status": ("status",), "mode": ("mode",),
    "acled_type": ("acled_event_type",), "admin1": ("admin1", "admin1_pcode"), "kind": ("kind",),
}
# Filters no rollup answers (place, actor, q, a point, a sub-event type): the rows are read.
_UNSERVED_FILTERS = ("place", "actor", "text", "near", "radius_km", "bbox", "acled_sub_type")
SUM_COLUMNS: tuple[str, ...] = tuple(
    f"{k}{suffix}" for k in FIGURE_KINDS for suffix in ("_low", "", "_high", "_n", "_open")
)


def rollup_for(cur: Any, table: str, flt: EventFilter, by: str, group_columns: tuple[str, ...]) -> str | None:
    """The smallest rollup of `table` that answers this filter and grouping (`group_columns`: the
    columns of a field grouping, () for a period), or None when the rows must be read."""
    if table not in (getattr(cur, "rollups", None) or ()):
        return None
    if any(getattr(flt, f) for f in _UNSERVED_FILTERS):
        return None
    needed = set(group_columns)
    for name, columns in _FILTER_COLUMNS.items():
        if getattr(flt, name):
            needed.update(columns)
    on_months = (flt.date_from is None or flt.date_from.day == 1) and (
        flt.date_to is None or flt.date_to == _month_end(flt.date_to))
    for rollup in ROLLUPS[table]:
        if rollup.grain == "month" and not on_months:
            continue
        if not group_columns and by not in _PERIODS[rollup.grain]:
            continue
        if needed <= set(rollup.keys):
            return rollup.name
    return None


def figure_sums_sql() -> str:
    """The SELECT list of the five figure sums per kind over rollup rows (aggregates' order)."""
    return ", ".join(
        f"sum({k}_low), sum({k}), sum({k}_high), sum({k}_n), sum({k}_open)" for k in FIGURE_KINDS
    )


def compact_sql(rollup: Rollup) -> str:
    """One statement folding `rollup`'s delta rows into one row per key (keys whose count is back
    to 0 vanish). Rows another transaction appends meanwhile are not in its snapshot: they stay."""
    keys = ", ".join(("date", *rollup.keys))
    sums = ", ".join(f"sum({c})" for c in ("n", *SUM_COLUMNS))
    return (f"WITH gone AS (DELETE FROM {rollup.name} RETURNING *) INSERT INTO {rollup.name} "
            f"SELECT {keys}, {sums} FROM gone GROUP BY {keys} HAVING sum(n) <> 0")


def _month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])
