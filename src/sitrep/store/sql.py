"""Turn an `EventFilter` into a parameterised WHERE clause over the `events` table.

Values only ever travel as `?` parameters; LIKE patterns have `%`, `_` and the escape
character escaped, so a user's "50%" matches the literal text and not everything.
"""

from __future__ import annotations

import json
import math
from typing import Any, Protocol

from sitrep.store.countries import country_iso3
from sitrep.store.filters import EventFilter

LIKE_ESCAPE = "\\"
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), as used for great-circle distances


class Dialect(Protocol):
    """What a backend says its own way inside a WHERE clause (its Connection class provides it)."""

    def text_search(self, value: str) -> tuple[str, list[Any]]: ...
    def point_in_box(self, south: float, north: float, west: float, east: float) -> tuple[str, list[Any]]: ...


class Portable:
    """The SQL both backends run as written: `q` a substring of the evidence or title, points in a
    box by their lat and lon columns (DuckDB's zone maps drop most row groups on them)."""

    @staticmethod
    def text_search(value: str) -> tuple[str, list[Any]]:
        return _any_like(("evidence", "title"), value)

    @staticmethod
    def point_in_box(south: float, north: float, west: float, east: float) -> tuple[str, list[Any]]:
        return "(lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?)", [south, north, west, east]


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


def where_clause(flt: EventFilter, dialect: Dialect | None = None) -> tuple[str, list[Any]]:
    """(SQL condition, parameters) for the filter; "TRUE" when the filter is empty.

    Column names here are constants of this module, never user input. `dialect` (the query's
    Connection) says `q` and the point-in-box test its own way (PostgreSQL: text search and a GiST
    point index); without one the portable SQL is used, which both backends answer.
    """
    sql_of = dialect if dialect is not None else Portable
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
        add(*sql_of.text_search(flt.text))
    if flt.admin1:
        add("(lower(admin1) = lower(?) OR lower(admin1_pcode) = lower(?))", [flt.admin1, flt.admin1])
    if flt.mode:
        add(*_in("mode", flt.mode))
    if flt.acled_type:
        add(*_in("acled_event_type", flt.acled_type))
    if flt.acled_sub_type:
        add(*_in("lower(acled_sub_event_type)", tuple(v.lower() for v in flt.acled_sub_type)))
    if flt.near is not None and flt.radius_km is not None:
        add(*_within_radius(sql_of, flt.near[0], flt.near[1], flt.radius_km))
    if flt.bbox is not None:
        add(*_within_bbox(sql_of, *flt.bbox))
    if flt.kind:
        add(*_in("kind", flt.kind))
    return (" AND ".join(parts) if parts else "TRUE"), params


def select_page(cur: Any, table: str, where: str, params: list[Any], order: str, *,
                limit: int | None, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """(rows matching, the page's records) of `table`'s `record` JSON; `table` and `order` are this
    package's constants, never user text. Shared by event and incident queries."""
    total = cur.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()
    sql = f"SELECT record FROM {table} WHERE {where} ORDER BY {order}"
    page_params = list(params)
    if limit is not None:
        sql += " LIMIT ?"
        page_params.append(limit)
    if offset:
        sql += " OFFSET ?"
        page_params.append(offset)
    rows = cur.execute(sql, page_params).fetchall()
    return (total[0] if total else 0), [json.loads(r[0]) for r in rows]


def _within_radius(sql_of: Dialect, lat: float, lon: float, radius_km: float) -> tuple[str, list[Any]]:
    """Haversine distance <= radius, behind a box that an index (or DuckDB's zone maps) answers.

    The box is radius / 111.2 km per degree of latitude, and that divided by cos(latitude) in
    longitude; it spans every longitude near a pole or across the antimeridian, where the
    haversine term alone stays right.
    """
    band = math.degrees(radius_km / EARTH_RADIUS_KM)
    haversine = (
        "2 * ? * asin(sqrt(pow(sin(radians(lat - ?) / 2), 2) + "
        "cos(radians(?)) * cos(radians(lat)) * pow(sin(radians(lon - ?) / 2), 2)))"
    )
    west, east = -180.0, 180.0
    if abs(lat) + band < 89:
        lon_band = band / math.cos(math.radians(abs(lat) + band))
        if lon - lon_band >= -180 and lon + lon_band <= 180:
            west, east = lon - lon_band, lon + lon_band
    box, params = sql_of.point_in_box(max(lat - band, -90.0), min(lat + band, 90.0), west, east)
    sql = f"(lat IS NOT NULL AND lon IS NOT NULL AND {box} AND {haversine} <= ?)"
    return sql, [*params, EARTH_RADIUS_KM, lat, lat, lon, radius_km]


def _within_bbox(sql_of: Dialect, west: float, south: float, east: float, north: float) -> tuple[str, list[Any]]:
    """Points inside the box; a box whose west edge is east of its east edge crosses the antimeridian
    (two boxes, one each side)."""
    if west <= east:
        return sql_of.point_in_box(south, north, west, east)
    one, one_params = sql_of.point_in_box(south, north, west, 180.0)
    two, two_params = sql_of.point_in_box(south, north, -180.0, east)
    return f"({one} OR {two})", [*one_params, *two_params]
