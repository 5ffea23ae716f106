"""The layout of a `sitrep run` output folder, shared by the workers that write it and the loader.

    DIR/manifest.json                 written last, by the client: the run is complete
    DIR/documents/part-00000.parquet  one row per document kept (originals and near-copies), in input order
    DIR/events/part-00000.parquet     one row per event record (the whole record as JSON, and key columns)
    DIR/rejects/part-00000.parquet    inputs rejected (or warned about) with their reason

A partition's files are named by its index and written to a temporary name then renamed, so a
task that Dask runs again (its worker died) replaces its own files and never adds a second copy.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST = "manifest.json"
FORMAT = "sitrep-run/1"
KINDS = ("documents", "events", "rejects")

SCHEMAS = {
    "documents": pa.schema([
        ("position", pa.int32()), ("id", pa.string()), ("outcome", pa.string()), ("original", pa.string()),
        ("extracted", pa.bool_()), ("document", pa.string()), ("meta", pa.string()),
    ]),
    "events": pa.schema([
        ("doc_id", pa.string()), ("id", pa.string()), ("event_type", pa.string()), ("date", pa.string()),
        ("country", pa.string()), ("record", pa.string()),
    ]),
    "rejects": pa.schema([("path", pa.string()), ("reason", pa.string()), ("detail", pa.string())]),
}


def part_path(out: str | Path, kind: str, index: int) -> Path:
    return Path(out) / kind / f"part-{index:05d}.parquet"


def write_part(out: str | Path, kind: str, index: int, rows: list[dict[str, Any]]) -> None:
    """Replace partition `index` of `kind` with `rows` (atomically: a reader sees the old file or the new)."""
    target = part_path(out, kind, index)
    target.parent.mkdir(parents=True, exist_ok=True)
    schema = SCHEMAS[kind]
    table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, target)


def read_part(out: str | Path, kind: str, index: int) -> list[dict[str, Any]]:
    path = part_path(out, kind, index)
    return pq.read_table(path).to_pylist() if path.exists() else []


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)  # key order kept: the store keeps it as given
