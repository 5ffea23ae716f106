"""The text writers (flat CSV, JSON Lines, GeoJSON) and the flatteners of each unit, streaming.

Every writer consumes its iterable once and writes as it goes, so an export of a whole store
(`Store.iter_events`) runs in bounded memory; GeoJSON too, by writing the FeatureCollection's
opening and closing text around the features. The registry of every format (these, ACLED CSV,
POLECAT, Parquet, HXL, Excel) is export/registry.py.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from sitrep.export.incidents import INCIDENT_CSV_COLUMNS, incident_row
from sitrep.export.rows import CSV_COLUMNS, flat_row
from sitrep.vocabulary import EXPORT_FORMATS
from sitrep.vocabulary import UNITS as UNIT_NAMES

FORMATS: tuple[str, ...] = tuple(EXPORT_FORMATS)  # named and described in sitrep/vocabulary.py
# What a row stands for: one event mention (flat_row) or one incident (incident_row).
Flattener = Callable[[dict[str, Any]], dict[str, Any]]
UNITS: dict[str, tuple[tuple[str, ...], Flattener]] = {
    "mentions": (CSV_COLUMNS, flat_row),
    "incidents": (INCIDENT_CSV_COLUMNS, incident_row),
}
if set(UNITS) != set(UNIT_NAMES):
    raise RuntimeError("export/writers.py UNITS must flatten every sitrep.vocabulary.UNITS")


def geojson_feature(record: dict[str, Any], unit: str = "mentions") -> dict[str, Any] | None:
    """A GeoJSON Point feature for a record with a point, else None (the API's map layer).

    Coordinates are [lon, lat] (EPSG:4326, RFC 7946 order). Events located only at country
    level have no point by design (DESIGN.md section 4) and get no feature: never an invented one.
    """
    location = record.get("location") or {}
    if location.get("lat") is None or location.get("lon") is None:
        return None
    return export_feature(record, unit)


def export_feature(record: dict[str, Any], unit: str = "mentions") -> dict[str, Any]:
    """The feature of a record in a GeoJSON export: a Point where it has one, else a null geometry
    (RFC 7946 3.2 "unlocated"), so records placed only at country level are listed, not placed at
    a centroid."""
    location = record.get("location") or {}
    lat, lon = location.get("lat"), location.get("lon")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "id": record.get("id"), "geometry": geometry, "properties": UNITS[unit][1](record)}


def write_events(records: Iterable[dict[str, Any]], fmt: str, out: Any, *, unit: str = "mentions") -> int:
    """Write `records` to `out` in any export format (sitrep.export.registry); return how many.

    `unit` says what the records are: "mentions" (event records) or "incidents".
    """
    from sitrep.export.registry import write

    return write(records, fmt, out, unit=unit)


def write_rows(records: Iterable[dict[str, Any]], out: TextIO, columns: tuple[str, ...],
               flatten: Flattener) -> int:
    """CSV with a header of `columns`, one row per record (None as an empty cell, as csv writes it)."""
    writer = csv.writer(out)
    writer.writerow(columns)
    n = 0
    for record in records:
        row = flatten(record)
        writer.writerow([row[c] for c in columns])
        n += 1
    return n


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def write_geojson(records: Iterable[dict[str, Any]], out: TextIO, unit: str) -> int:
    """A FeatureCollection of every record; `unlocated` counts those with a null geometry."""
    written = unlocated = 0
    out.write('{"type": "FeatureCollection", "features": [')
    for record in records:
        feature = export_feature(record, unit)
        unlocated += feature["geometry"] is None
        out.write(",\n" if written else "\n")
        out.write(json.dumps(feature, ensure_ascii=False))
        written += 1
    out.write(f'\n], "unlocated": {unlocated}}}\n')
    return written
