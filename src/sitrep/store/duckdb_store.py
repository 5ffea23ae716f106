"""The DuckDB store: one file holding documents, event records, incidents, rejects and runs.

DuckDB allows one read-write process per file, so everything that only reads (the web server,
`sitrep events`) opens it with `read_only=True`. The SQL is store/core.py's; this module holds
what DuckDB says its own way (`DuckDBConnection`): list parameters as `IN (SELECT unnest(?::T[]))`,
bulk inserts as one `unnest` list per column (one statement per table per batch), JSON paths as
`record->>'$.a.b'`, and UBIGINT for MinHash values.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from sitrep.store.base import IntegrityError, StoreError
from sitrep.store.core import SqlStore, _now
from sitrep.store.migrate import apply_migrations, pending_migrations
from sitrep.store.migrate import migration_files as listed_migrations
from sitrep.store.sql import Portable

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

__all__ = ["DuckDBConnection", "DuckDBStore", "StoreError", "migration_files"]


def migration_files(folder: Path = MIGRATIONS_DIR) -> list[tuple[str, Path]]:
    """(name, path) of every numbered migration in `folder` (DuckDB's by default), in order."""
    return listed_migrations(folder)


class DuckDBConnection:
    """A DuckDB connection or cursor behind store/core.py's Connection interface; DuckDB's errors
    come out as StoreError (IntegrityError for a broken constraint)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        try:
            return self._conn.execute(sql, params) if params is not None else self._conn.execute(sql)
        except duckdb.ConstraintException as err:
            raise IntegrityError(str(err)) from err
        except duckdb.Error as err:
            raise StoreError(str(err)) from err

    def cursor(self) -> DuckDBConnection:
        return DuckDBConnection(self._conn.cursor())

    def close(self) -> None:
        self._conn.close()

    @staticmethod
    def any_of(column: str, sqltype: str) -> str:
        return f"{column} IN (SELECT unnest(?::{sqltype}[]))"

    # `q` and point-in-box filters: the portable SQL (substring ILIKE; lat/lon ranges on zone maps)
    text_search = staticmethod(Portable.text_search)
    point_in_box = staticmethod(Portable.point_in_box)

    @staticmethod
    def json_int(column: str, *path: str) -> str:
        return f"TRY_CAST({column}->>'$.{'.'.join(path)}' AS BIGINT)"

    @staticmethod
    def json_names_contain(column: str, name: str) -> str:
        return f"list_contains(json_extract_string({column}, '$[*].name'), '{name}')"

    @staticmethod
    def u64_in(values: list[int]) -> list[int]:
        return values

    @staticmethod
    def u64_out(values: list[int]) -> list[int]:
        return values

    def bulk_insert(self, table: str, types: dict[str, str], rows: list[dict[str, Any]], *,
                    conflict: str | None = None, returning: str | None = None) -> list[Any]:
        """INSERT ... SELECT unnest(list) per column; `conflict` an ON CONFLICT clause's rest,
        `returning` a column whose values of the rows inserted come back."""
        if not rows:
            return []
        columns = list(types)
        select = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select}"
        if conflict:
            sql += f" ON CONFLICT {conflict}"
        if returning:
            sql += f" RETURNING {returning}"
        result = self.execute(sql, [[row[c] for row in rows] for c in columns])
        return [r[0] for r in result.fetchall()] if returning else []


class DuckDBStore(SqlStore):
    """Documents and their event records in one DuckDB file (see module docstring)."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False,
                 memory_limit: str | None = None) -> None:
        """memory_limit: DuckDB's setting for this connection (see open_store), else DuckDB's default."""
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no store at {self.path}; create it with `sitrep ingest` first")
        try:
            raw = duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as err:
            raise StoreError(
                f"cannot open {self.path}{' read-only' if read_only else ''}: {err}. DuckDB allows one "
                "writing process per file; readers must open it read-only while nothing writes."
            ) from err
        self._conn = DuckDBConnection(raw)
        if memory_limit:
            # SET, not connect(config=): a file already open in this process (tests, the CLI run in
            # process) refuses a second connection with a different config. The setting is the
            # database instance's, so such other connections share it.
            self._conn.execute("SET memory_limit = ?", [memory_limit])
        if read_only:
            pending = pending_migrations(MIGRATIONS_DIR, self.applied_migrations())
            if pending:
                self._conn.close()
                raise StoreError(
                    f"{self.path} lacks migrations {', '.join(pending)}; open it read-write once to upgrade"
                )
        else:
            self.migrate()

    @classmethod
    def default_path(cls) -> Path:
        """$SITREP_DB if set, else ./sitrep.duckdb."""
        return Path(os.environ.get("SITREP_DB") or "sitrep.duckdb")

    @property
    def location(self) -> str:
        return str(self.path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> DuckDBStore:
        return self

    @contextmanager
    def _read(self) -> Iterator[DuckDBConnection]:
        cur = self._conn.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _stream(self, sql: str, batch_size: int,
                params: Sequence[Any] | None = None) -> Iterator[list[tuple[Any, ...]]]:
        with self._read() as cur:
            result = cur.execute(sql, params)
            while rows := result.fetchmany(batch_size):
                yield rows

    def _columnar_batches(self, flt: Any, unit: str, batch_size: int) -> Iterator[Any] | None:
        """The Parquet schema's columns computed by DuckDB from the stored JSON (export/columnar.py)
        as Arrow batches, in its own threads: no Python dict per record. Mentions take the generic
        path while the store holds analyst corrections (store/frames.py applies them in Python)."""
        from sitrep.store.sql import where_clause

        table = "incidents" if unit == "incidents" else "events"
        if table == "events" and (self._one("SELECT count(*) FROM corrections", []) or (0,))[0]:
            return None
        where, params = where_clause(flt)
        return self._arrow_batches(table, where, params, unit, batch_size)

    def _arrow_batches(self, table: str, where: str, params: list[Any], unit: str,
                       batch_size: int) -> Iterator[Any]:
        from sitrep.export.columnar import cast, duckdb_select

        with self._read() as cur:
            try:
                reader = cur._conn.sql(duckdb_select(unit, f"{table} WHERE {where}"),
                                       params=params or None).to_arrow_reader(batch_size)
                for batch in reader:
                    yield cast(batch, unit)
            except duckdb.Error as err:
                raise StoreError(str(err)) from err

    # -- migrations ------------------------------------------------------------------------

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, in order."""
        with self._read() as cur:
            exists = cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
            ).fetchone()
            if not exists or not exists[0]:
                return []
            rows = cur.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
            return [row[0] for row in rows]

    def migrate(self) -> list[str]:
        """Apply pending migrations in order, each in its own transaction; return their names."""
        self._writable()
        with self._lock:
            return apply_migrations(self._conn, MIGRATIONS_DIR, self.applied_migrations, _now)
