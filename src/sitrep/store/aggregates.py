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

from sitrep.store import rollups
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


def _group_sql(by: str) -> tuple[list[str], bool]:
    """(key SELECT expressions, whether groups come most frequent first) for a grouping name."""
    if by in PERIODS:
        return [f"CAST(date_trunc('{by}', date) AS DATE)"], False
    if by in DIMENSIONS:
        return list(DIMENSIONS[by].columns), True
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

    One query reads the matching rows once: the groups and the grand total are two grouping
    sets. Where the backend keeps a monthly rollup that answers the filter and the grouping
    (store/rollups.py), it reads the rollup's sums instead of the rows.
    """
    if unit not in UNITS:
        raise FilterError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    table = UNITS[unit]  # a constant name: never user text
    keys, by_count = _group_sql(by)
    where, params = where_clause(flt, cur)
    rollup = rollups.rollup_for(cur, table, flt, by, DIMENSIONS[by].columns if by in DIMENSIONS else ())
    if rollup is not None:
        columns, count = ("n", *rollups.SUM_COLUMNS), "sum(n)"
        sums = rollups.figure_sums_sql()
    else:
        columns, count = FIGURE_COLUMNS, "count(*)"
        sums = ", ".join(
            f"sum(coalesce({k}_low, 0)), sum({k}), sum(coalesce({k}_high, {k})), "
            f"count({k}), count({k}) - count({k}_high)"
            for k in FIGURE_KINDS
        )
    key_select = ", ".join(f"{expr} AS k{i}" for i, expr in enumerate(keys))
    key_refs = ", ".join(f"k{i}" for i in range(len(keys)))
    sql = (
        f"WITH hit AS (SELECT {key_select}, {', '.join(columns) if figures or rollup else '1 AS one'} "
        f"FROM {rollup or table} WHERE {where}) "
        f"SELECT grouping(k0) AS is_total, {key_refs}, {count} AS n{', ' + sums if figures else ''} "
        f"FROM hit GROUP BY GROUPING SETS (({key_refs}), ())"
    )
    width = len(keys)
    total, overall = 0, empty_figures()
    found: list[tuple[tuple[Any, ...], int, dict[str, dict[str, int]]]] = []
    for is_total, *rest in cur.execute(sql, params).fetchall():
        key, n = tuple(rest[:width]), int(rest[width] or 0)
        sums_of = _figures(rest[width + 1:]) if figures else {}
        if is_total:
            total, overall = n, sums_of
        elif key[0] is not None and n:  # a grouping value (rollup deltas may sum to 0: no group)
            found.append((key, n, sums_of))
    if by_count:
        found.sort(key=lambda g: (-g[1], _order(g[0])))
    else:
        found.sort(key=lambda g: _order(g[0]))
    if limit is not None:
        found = found[:limit]

    names = DIMENSIONS[by].names if by in DIMENSIONS else ("key",)
    groups: list[dict[str, Any]] = []
    for key, n, sums_of in found:
        group: dict[str, Any] = {name: _plain(value) for name, value in zip(names, key, strict=True)}
        group["count"] = n
        if figures:
            group["figures"] = sums_of
        groups.append(group)
    result: dict[str, Any] = {
        "by": by, "unit": unit, "total": total,
        "ungrouped": total - sum(g["count"] for g in groups) if limit is None else None,
        "groups": groups,
    }
    if figures:
        result["figures"] = overall
    return result


def _figures(values: list[Any]) -> dict[str, dict[str, int]]:
    """The five sums per kind, in FIGURE_KINDS order, as {kind: {low, best, high, events, open_high}}."""
    return {
        kind: dict(zip(_FIGURE_FIELDS, (int(v or 0) for v in values[5 * i : 5 * i + 5]), strict=True))
        for i, kind in enumerate(FIGURE_KINDS)
    }


def _order(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A sort key for group keys whose later parts may be NULL (an admin1 without a country)."""
    return tuple((value is None, value if value is not None else "") for value in key)


def _plain(value: Any) -> Any:
    """JSON-ready group keys: dates (period starts) as ISO strings."""
    return value.isoformat() if isinstance(value, date) else value


def incident_caveats(cur: Connection, flt: EventFilter) -> dict[str, int]:
    """How far the matching incidents can be trusted, for the situation brief (sitrep/brief):
    {"incidents", "country_only" (neither an admin1 nor a point: placed at country level only),
    "single_source" (one source document)}. One scan of the flat columns."""
    where, params = where_clause(flt, cur)
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
    where, params = where_clause(flt, cur)
    rows = cur.execute(
        f"SELECT lat, lon, coalesce(killed, 0) FROM incidents WHERE ({where}) AND lat IS NOT NULL "
        "AND lon IS NOT NULL ORDER BY killed DESC NULLS LAST, id LIMIT ?", [*params, limit]).fetchall()
    return [(float(r[0]), float(r[1]), int(r[2])) for r in rows]
