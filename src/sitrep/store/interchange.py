"""A store as a folder of Parquet files: `sitrep store copy` to or from a folder (issue 15 item 5).

One file per table of core.TABLES (`<table>.parquet`, row groups of the batch size), typed from
the source's columns (MinHash values unsigned 64-bit, JSON as its text), and `manifest.json`,
written last, with the row count of every table and the sitrep store format. A folder without
a manifest is an unfinished export and is refused on import. Import loads every table into an
empty store in ONE transaction (the backend's bulk loader) and checks each count against the
manifest; any difference is an error and the destination keeps nothing.

The folder is the interchange between backends and machines: any Parquet reader (DuckDB, pandas,
Spark) reads it without sitrep, and `sitrep store copy DIR postgresql://...` loads it back.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sitrep.store.base import StoreError, open_store
from sitrep.store.copy import load_table
from sitrep.store.core import _U64_COLUMNS, TABLES, SqlStore

FORMAT = "sitrep-store-parquet"
VERSION = 1
MANIFEST = "manifest.json"
# SQL type (either backend's spelling) -> Arrow type.
_ARROW: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(), "text": pa.string(), "JSON": pa.string(), "jsonb": pa.string(),
    "INTEGER": pa.int32(), "integer": pa.int32(), "BIGINT": pa.int64(), "bigint": pa.int64(),
    "UBIGINT": pa.uint64(), "DOUBLE": pa.float64(), "double precision": pa.float64(),
    "DATE": pa.date32(), "date": pa.date32(), "TIMESTAMP": pa.timestamp("us"),
    "timestamp without time zone": pa.timestamp("us"), "BOOLEAN": pa.bool_(), "boolean": pa.bool_(),
    "UBIGINT[]": pa.list_(pa.uint64()), "ARRAY": pa.list_(pa.uint64()),
}


def is_parquet_folder(location: str) -> bool:
    """A store location naming a Parquet folder: an existing directory, or a path ending in '/'."""
    return location.endswith(("/", os.sep)) or Path(location).is_dir()


def _schema(table: str, types: dict[str, str]) -> pa.Schema:
    fields = []
    for column, sql_type in types.items():
        arrow = _ARROW.get(sql_type)
        if arrow is None:
            raise StoreError(f"no Parquet type for {table}.{column} ({sql_type})")
        if (table, column) in _U64_COLUMNS and arrow == pa.int64():
            arrow = pa.uint64()
        fields.append(pa.field(column, arrow))
    return pa.schema(fields)


def export_parquet(source: str, folder: str | Path, *, batch_size: int = 10_000,
                   progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Write store `source` into the new or empty folder `folder`; return rows per table."""
    out = Path(folder)
    if out.exists() and any(out.iterdir()):
        raise StoreError(f"{out} is not empty; export into a new folder")
    out.mkdir(parents=True, exist_ok=True)
    with open_store(source, read_only=True) as src:
        if not isinstance(src, SqlStore):
            raise StoreError("a Parquet export needs a SQL store")
        expected = src.table_counts()
        counts: dict[str, int] = {}
        for table in TABLES:
            schema = _schema(table, src.table_columns(table))
            done = 0
            with pq.ParquetWriter(out / f"{table}.parquet", schema, compression="zstd") as writer:
                for columns, rows in src.dump_table(table, batch_size):
                    arrays = [pa.array([row[i] for row in rows], type=schema.field(c).type)
                              for i, c in enumerate(columns)]
                    writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                    done += len(rows)
                    if progress is not None:
                        progress(table, done)
            counts[table] = done
        migrations = src.applied_migrations()
    if counts != expected:
        raise StoreError(f"export incomplete: rows (store, files) differ in "
                         f"{ {t: (expected[t], counts[t]) for t in counts if counts[t] != expected[t]} }")
    manifest = {"format": FORMAT, "version": VERSION, "tables": counts, "source_migrations": migrations}
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out / MANIFEST)  # last: its presence says the export is whole
    return counts


def import_parquet(folder: str | Path, dest: str, *, batch_size: int = 10_000,
                   progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Load the Parquet folder `folder` into the empty store `dest`; return rows per table."""
    manifest = _manifest(Path(folder))
    with open_store(dest) as out:
        if not isinstance(out, SqlStore):
            raise StoreError("a Parquet import needs a SQL store")
        if any(out.table_counts().values()):
            raise StoreError(f"{out.location} is not empty; import into a new store")
        with out._transaction() as conn:
            for table in TABLES:
                path = Path(folder) / f"{table}.parquet"
                if table not in manifest["tables"]:
                    continue  # exported before the table existed: it stays empty
                batches = ((batch.schema.names, _rows(batch))
                           for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size))
                load_table(out, conn, table, batches, upgrade="upgrade it to this sitrep first", progress=progress)
        out.pack_rollups()
        got = out.table_counts()
    expected: dict[str, Any] = manifest["tables"]
    diff = {t: (n, got.get(t)) for t, n in expected.items() if got.get(t) != n}
    if diff:
        raise StoreError(f"import incomplete: rows (files, store) differ in {diff}")
    return {t: got[t] for t in expected}


def _rows(batch: pa.RecordBatch) -> list[tuple[Any, ...]]:
    return list(zip(*(column.to_pylist() for column in batch.columns), strict=True))


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        raise StoreError(f"{folder} has no {MANIFEST}: not a sitrep Parquet export, or an unfinished one")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise StoreError(f"{path} is not a {FORMAT} version {VERSION} manifest")
    unknown = set(manifest["tables"]) - set(TABLES)
    if unknown:
        raise StoreError(f"{folder} holds tables this sitrep does not know: {', '.join(sorted(unknown))}")
    return manifest
