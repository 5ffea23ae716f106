"""Counts of events and sums of their figures, grouped by period or by a field, for the HTTP API.

Counts come from the flat columns alone. Figures are summed as ranges: for each kind (killed,
injured, ...) the sums of the low, best and high estimates and the number of events that reported
one, so a total reads "between 40 and 65 killed, 52 at best, in 9 reports" and never hides the
uncertainty of its parts. A figure without a stated low ("as many as 200") adds 0 to `low`, which
stays a true lower bound; one without a stated high ("at least 40") adds its best to `high` and
is counted in `open_high`, so a reader knows the upper sum is open.

The ranges come from the flat figure columns (`<kind>`, `<kind>_low`, `<kind>_high`, migration
0004), never from the record JSON: reading the JSON of 40,000 matching events costs seconds, the
flat columns milliseconds.

Summing figures across events double-counts when several reports describe one incident: with
unit="incidents" the same counts and sums run over incidents and their reconciled ranges. An
incident's `<kind>_high` is the highest report, never open, so its sums have no open_high.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sitrep.store.filters import EventFilter, FilterError
from sitrep.store.records import FIGURE_COLUMNS, FIGURE_KINDS
from sitrep.store.sql import where_clause
from sitrep.vocabulary import FIELDS, GROUPINGS, PERIODS
from sitrep.vocabulary import UNITS as VOCABULARY_UNITS

if TYPE_CHECKING:
    from sitrep.store.core import Connection

__all__ = ["DIMENSIONS", "GROUPINGS", "PERIODS", "UNITS", "Dimension", "empty_figures"]


@dataclass(frozen=True, slots=True)
class Dimension:
    """A grouping: the SQL expressions of its key (constants, never user text) and their names."""

    columns: tuple[str, ...]
    names: tuple[str, ...]


DIMENSIONS: dict[str, Dimension] = {
    "type": Dimension(("event_type",), ("key",)),
    "mode": Dimension(("mode",), ("key",)),
    "status": Dimension(("status",), ("key",)),
    "acled_type": Dimension(("acled_event_type",), ("key",)),
    "country": Dimension(("country",), ("key",)),
    # admin1 names repeat across countries ("Central", "Northern"): the country is part of the key.
    "admin1": Dimension(("admin1", "country", "admin1_pcode"), ("key", "country", "admin1_pcode")),
}
# The groupings are named in sitrep/vocabulary.py; each field grouping has its SQL here.
if tuple(DIMENSIONS) != FIELDS:
    raise RuntimeError("store/aggregates.py DIMENSIONS must be sitrep.vocabulary.FIELDS")
# What is counted: event mentions, or incidents (migration 0006/0007 give them the same columns).
UNITS: dict[str, str] = {"mentions": "events", "incidents": "incidents"}
if set(UNITS) != set(VOCABULARY_UNITS):
    raise RuntimeError("store/aggregates.py UNITS must be sitrep.vocabulary.UNITS")



_FIGURE_FIELDS = ("low", "best", "high", "events", "open_high")


def empty_figures() -> dict[str, dict[str, int]]:
    return {k: dict.fromkeys(_FIGURE_FIELDS, 0) for k in FIGURE_KINDS}


def _group_sql(by: str) -> tuple[list[str], str, str]:
    """(key SELECT expressions, extra WHERE, ORDER BY) for a grouping name."""
    if by in PERIODS:
        return [f"CAST(date_trunc('{by}', date) AS DATE)"], "date IS NOT NULL", "k0"
    if by in DIMENSIONS:
        cols = list(DIMENSIONS[by].columns)
        return cols, f"{cols[0]} IS NOT NULL", "n DESC, k0"
    raise FilterError(f"unknown grouping {by!r}; expected one of {', '.join(GROUPINGS)}")


def aggregate(
    cur: Connection,
    flt: EventFilter,
    by: str,
    *,
    figures: bool = True,
    limit: int | None = None,
    unit: str = "mentions",
) -> dict[str, Any]:
    """Counts (and figure ranges) of the events matching `flt`, grouped `by` a period or a field.

    Returns {"by", "total", "ungrouped", "groups": [{"key", "count", "figures"?, ...}], "figures"?}:
    `ungrouped` counts matching events without a value for the grouping (no date, no admin1...),
    `figures` (top level) sums every matching event. Periods come in time order with their first
    day as key; fields come most frequent first, `limit` keeping the top ones.

    `unit` "mentions" counts event records; "incidents" counts incidents (DESIGN.md section 8)
    and sums their reconciled ranges, so five reports of one strike count once.
    """
    if unit not in UNITS:
        raise FilterError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    table = UNITS[unit]  # a constant name: never user text
    keys, not_null, order = _group_sql(by)
    where, params = where_clause(flt)
    key_select = ", ".join(f"{expr} AS k{i}" for i, expr in enumerate(keys))
    key_refs = ", ".join(f"k{i}" for i in range(len(keys)))
    sql = (
        f"SELECT {key_select}, count(*) AS n FROM {table} WHERE ({where}) AND {not_null} "
        f"GROUP BY {key_refs} ORDER BY {order}"
    )
    group_params = list(params)
    if limit is not None:
        sql += " LIMIT ?"
        group_params.append(limit)
    rows = cur.execute(sql, group_params).fetchall()
    total_row = cur.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()
    total = total_row[0] if total_row else 0

    names = DIMENSIONS[by].names if by in DIMENSIONS else ("key",)
    groups: list[dict[str, Any]] = []
    for row in rows:
        group = {name: _plain(value) for name, value in zip(names, row[:-1], strict=True)}
        group["count"] = row[-1]
        groups.append(group)
    result: dict[str, Any] = {
        "by": by, "unit": unit, "total": total,
        "ungrouped": total - sum(g["count"] for g in groups) if limit is None else None,
        "groups": groups,
    }
    if figures:
        per_group, overall = _figure_sums(cur, where, params, keys, table)
        for group, row in zip(groups, rows, strict=True):
            group["figures"] = per_group.get(tuple(row[:-1]), empty_figures())
        result["figures"] = overall
    return result


def _figure_sums(
    cur: Connection, where: str, params: list[Any], keys: list[str], table: str = "events"
) -> tuple[dict[tuple[Any, ...], dict[str, dict[str, int]]], dict[str, dict[str, int]]]:
    """Figure ranges per group key and overall (one query, two grouping sets)."""
    key_select = ", ".join(f"{expr} AS k{i}" for i, expr in enumerate(keys))
    key_refs = ", ".join(f"k{i}" for i in range(len(keys)))
    sums = ", ".join(
        f"sum(coalesce({k}_low, 0)), sum({k}), sum(coalesce({k}_high, {k})), count({k}), count({k}) - count({k}_high)"
        for k in FIGURE_KINDS
    )
    any_figure = " OR ".join(f"{k} IS NOT NULL" for k in FIGURE_KINDS)
    sql = (
        f"WITH hit AS (SELECT {key_select}, {', '.join(FIGURE_COLUMNS)} FROM {table} "
        f"WHERE ({where}) AND ({any_figure})) "
        f"SELECT grouping(k0) AS is_total, {key_refs}, {sums} FROM hit "
        f"GROUP BY GROUPING SETS (({key_refs}), ())"
    )
    per_group: dict[tuple[Any, ...], dict[str, dict[str, int]]] = {}
    overall = empty_figures()
    width = len(keys)
    for is_total, *rest in cur.execute(sql, params).fetchall():
        keys_of_row, values = tuple(rest[:width]), rest[width:]
        figures = {
            kind: dict(zip(_FIGURE_FIELDS, (int(v or 0) for v in values[5 * i : 5 * i + 5]), strict=True))
            for i, kind in enumerate(FIGURE_KINDS)
        }
        if is_total:  # the grand-total grouping set
            overall = figures
        else:
            per_group[keys_of_row] = figures
    return per_group, overall


def _plain(value: Any) -> Any:
    """JSON-ready group keys: dates (period starts) as ISO strings."""
    return value.isoformat() if isinstance(value, date) else value


def incident_caveats(cur: Connection, flt: EventFilter) -> dict[str, int]:
    """How far the matching incidents can be trusted, for the situation brief (sitrep/brief):
    {"incidents", "country_only" (neither an admin1 nor a point: placed at country level only),
    "single_source" (one source document)}. One scan of the flat columns."""
    where, params = where_clause(flt)
    row = cur.execute(
        "SELECT count(*), "
        "coalesce(sum(CASE WHEN admin1 IS NULL AND lat IS NULL THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN coalesce(n_sources, 0) <= 1 THEN 1 ELSE 0 END), 0) "
        f"FROM incidents WHERE {where}", params).fetchone()
    total, country_only, single = row if row else (0, 0, 0)
    return {"incidents": int(total), "country_only": int(country_only), "single_source": int(single)}


def incident_points(cur: Connection, flt: EventFilter, limit: int) -> list[tuple[float, float, int]]:
    """(lat, lon, best killed or 0) of the matching incidents that have a point, most killed first,
    at most `limit`: what a static map draws without reading any record JSON."""
    where, params = where_clause(flt)
    rows = cur.execute(
        f"SELECT lat, lon, coalesce(killed, 0) FROM incidents WHERE ({where}) AND lat IS NOT NULL "
        "AND lon IS NOT NULL ORDER BY killed DESC NULLS LAST, id LIMIT ?", [*params, limit]).fetchall()
    return [(float(r[0]), float(r[1]), int(r[2])) for r in rows]
