"""`sitrep store copy SRC DEST`: every table of one store into another, across backends.

Tables are read in batches (bounded memory: a server-side cursor on PostgreSQL, fetchmany on
DuckDB) and written into the destination in ONE transaction, with the backend's bulk loader
(COPY on PostgreSQL), so a failed copy leaves the destination as it was. The destination must be
empty (a new DuckDB file or database): merging two stores is what `sitrep ingest` is for.
Afterwards the row count of every table is compared; any difference is an error. Each store keeps
its own migrations table (the schemas are the same, the migration files are the backend's own).
Either side may be a folder of Parquet files instead (store/interchange.py): a directory, or a
path ending in '/'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sitrep.store.base import StoreError, open_store
from sitrep.store.core import TABLES, SqlStore


def copy_store(source: str, dest: str, *, batch_size: int = 5000,
               progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy store `source` into the empty store `dest` (URLs or paths, or a Parquet folder on one
    side); return rows per table."""
    from sitrep.store import interchange

    if interchange.is_parquet_folder(dest):
        if interchange.is_parquet_folder(source):
            raise StoreError("both sides are folders: copy Parquet files with cp")
        return interchange.export_parquet(source, dest, batch_size=batch_size, progress=progress)
    if interchange.is_parquet_folder(source):
        return interchange.import_parquet(source, dest, batch_size=batch_size, progress=progress)
    with open_store(source, read_only=True) as src, open_store(dest) as out:
        if not isinstance(src, SqlStore) or not isinstance(out, SqlStore):
            raise StoreError("store copy needs two SQL stores")
        if any(out.table_counts().values()):
            raise StoreError(f"{out.location} is not empty; copy into a new store")
        expected = src.table_counts()
        with out._transaction() as conn:
            for table in TABLES:
                load_table(out, conn, table, src.dump_table(table, batch_size),
                           upgrade="upgrade both stores to this sitrep first", progress=progress)
        out.pack_rollups()
        got = out.table_counts()
    if got != expected:
        diff = {t: (expected[t], got.get(t)) for t in expected if expected[t] != got.get(t)}
        raise StoreError(f"copy incomplete: rows (source, destination) differ in {diff}")
    return got


def load_table(out: SqlStore, conn: Any, table: str, batches: Iterable[tuple[list[str], list[tuple[Any, ...]]]],
               *, upgrade: str, progress: Callable[[str, int], None] | None = None) -> None:
    """Load (columns, rows) batches into `table` of the empty store `out` inside its open
    transaction `conn`: the one loader of `store copy` and of a Parquet import. A column the
    destination lacks is an older schema there, named with `upgrade` (what the user should do)."""
    types = out.table_columns(table)
    done = 0
    for columns, rows in batches:
        missing = [c for c in columns if c not in types]
        if missing:
            raise StoreError(f"{out.location} has no column {table}.{missing[0]}; {upgrade}")
        out.load_rows(conn, table, columns, rows, types)
        done += len(rows)
        if progress is not None:
            progress(table, done)
