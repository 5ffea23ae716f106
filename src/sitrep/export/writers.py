"""Write event records or incidents as CSV, JSON Lines or GeoJSON, streaming.

Every writer consumes its iterable once and writes as it goes, so an export of a whole store
(`Store.iter_events`) runs in bounded memory; GeoJSON too, by writing the FeatureCollection's
opening and closing text around the features.
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
    """A GeoJSON Point feature for a record with a point, else None.

    Coordinates are [lon, lat] (EPSG:4326, RFC 7946 order). Events located only at country
    level have no point by design (DESIGN.md section 4) and get no feature: never an invented one.
    """
    location = record.get("location") or {}
    lat, lon = location.get("lat"), location.get("lon")
    if lat is None or lon is None:
        return None
    return {
        "type": "Feature",
        "id": record.get("id"),
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": UNITS[unit][1](record),
    }


def write_events(records: Iterable[dict[str, Any]], fmt: str, out: TextIO, *, unit: str = "mentions") -> int:
    """Write `records` to `out` in `fmt` (csv, jsonl or geojson); return how many were written.

    `unit` says what the records are: "mentions" (event records) or "incidents".

    For csv, open `out` with newline="" (the csv module writes its own line ends). For geojson
    the count is of features; records without a point are skipped and their number is written
    as the collection's "skipped" member.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    if fmt == "csv":
        return _write_csv(records, out, unit)
    if fmt == "jsonl":
        return _write_jsonl(records, out)
    if fmt == "geojson":
        return _write_geojson(records, out, unit)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _write_csv(records: Iterable[dict[str, Any]], out: TextIO, unit: str) -> int:
    columns, flatten = UNITS[unit]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    n = 0
    for record in records:
        writer.writerow({k: ("" if v is None else v) for k, v in flatten(record).items()})
        n += 1
    return n


def _write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def _write_geojson(records: Iterable[dict[str, Any]], out: TextIO, unit: str) -> int:
    written = skipped = 0
    out.write('{"type": "FeatureCollection", "features": [')
    for record in records:
        feature = geojson_feature(record, unit)
        if feature is None:
            skipped += 1
            continue
        out.write(",\n" if written else "\n")
        out.write(json.dumps(feature, ensure_ascii=False))
        written += 1
    out.write(f'\n], "skipped": {skipped}}}\n')
    return written
