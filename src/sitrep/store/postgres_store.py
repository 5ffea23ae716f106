"""The PostgreSQL store: the shared server for several ingest processes and a team's dashboard.

The SQL is store/core.py's, written with `?` placeholders; `PgConnection` is where PostgreSQL
differs: placeholders become psycopg's `%s`, a list parameter is `col = ANY(?::T[])`, bulk loads
are COPY (into a session temp table first when rows may already exist, then INSERT ... ON CONFLICT,
in key order so two writers never deadlock on each other's rows), JSON paths are `->`/`->>` over
JSONB, and unsigned 64-bit MinHash values are kept as the signed BIGINT of the same bits.

Concurrency: documents are inserted ON CONFLICT (id) DO NOTHING and only the documents a
transaction actually inserted bring their events, so writers racing on the same input store it
once; incident resolution takes transaction-scoped advisory locks per resolution block (a full
rebuild takes the exclusive lock all blocks share), so two writers never write one block at
once, but each clusters before it takes them and keeps that work where the block's mentions it
read have not changed meanwhile (store/resolution.py), so the locks are held only to check and
write; migrations run under a session advisory lock. Reads borrow connections from a
psycopg_pool pool, so a threaded web server reads in parallel; writes use one connection.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import psycopg
from psycopg import errors as pg_errors
from psycopg.types.string import TextLoader
from psycopg_pool import ConnectionPool

from sitrep.store.base import IntegrityError, StoreConflict, StoreError, public_url
from sitrep.store.core import SqlStore, _now
from sitrep.store.migrate import apply_migrations, pending_migrations
from sitrep.store.rollups import ROLLUPS, compact_sql
from sitrep.store.sql import Portable

MIGRATIONS_DIR = Path(__file__).parent / "migrations" / "postgresql"
_TYPES = {"VARCHAR": "text", "UBIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double precision",
          "DATE": "date", "TIMESTAMP": "timestamp", "JSON": "jsonb", "BOOLEAN": "boolean"}
_U64 = 1 << 64
_I64_MAX = (1 << 63) - 1
# Advisory lock keys (the two-key form: a namespace and a key within it).
_LOCK_NS = 0x5174  # "sitrep"
_LOCK_MIGRATE, _LOCK_ALL_BLOCKS, _LOCK_BLOCK, _LOCK_ROLLUPS = 1, 2, 3, 4
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
COMPACT_EVERY = 100  # write batches between two rollup compactions (and at the end of every run)
# The text `q` searches; migration 0003's GIN indexes are on this very expression (the planner
# uses an expression index only for the same expression), so change both together.
TEXT_VECTOR = "to_tsvector('simple', coalesce(evidence, '') || ' ' || coalesce(title, ''))"


@lru_cache(maxsize=512)
def _translate(sql: str) -> str:
    """`?` placeholders to psycopg's `%s` (a literal `%` doubled). Our SQL has no `?` inside string
    literals and never uses the JSONB `?` operator, so every `?` is a placeholder."""
    return sql.replace("%", "%%").replace("?", "%s")


def _configure(conn: psycopg.Connection[Any]) -> None:
    """JSON comes back as its text (what DuckDB gives and the shared code parses)."""
    conn.adapters.register_loader("jsonb", TextLoader)
    conn.adapters.register_loader("json", TextLoader)


# Every connection, the writer's and the pool's readers': autocommit (a transaction only where the
# store opens one), UTC for the TIMESTAMP columns, and a name that shows in pg_stat_activity.
_CONNECT: dict[str, Any] = {"autocommit": True, "options": "-c TimeZone=UTC", "application_name": "sitrep"}


def _connect(url: str) -> psycopg.Connection[Any]:
    conn = psycopg.connect(url, **_CONNECT)
    _configure(conn)
    return conn


class PgConnection:
    """One psycopg connection behind store/core.py's Connection interface; psycopg's errors come
    out as StoreError (IntegrityError for a broken constraint, StoreConflict for a deadlock)."""

    # The monthly rollups migration 0004 keeps for the aggregates (store/rollups.py)
    rollups: ClassVar[tuple[str, ...]] = tuple(ROLLUPS)

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn
        self._temp: set[str] = set()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        with _errors():
            if params:
                return self._conn.execute(_translate(sql), list(params))
            return self._conn.execute(sql)

    def close(self) -> None:
        self._conn.close()

    @staticmethod
    def any_of(column: str, sqltype: str) -> str:
        return f"{column} = ANY(?::{_TYPES[sqltype]}[])"

    @staticmethod
    def json_int(column: str, *path: str) -> str:
        steps = "".join(f"->'{p}'" for p in path[:-1])
        return f"(CASE WHEN jsonb_typeof({column}{steps}->'{path[-1]}') = 'number' " \
               f"THEN ({column}{steps}->>'{path[-1]}')::numeric::bigint END)"

    @staticmethod
    def json_names_contain(column: str, name: str) -> str:
        return f"""coalesce({column} @> '[{{"name": "{name}"}}]'::jsonb, false)"""

    @staticmethod
    def text_search(value: str) -> tuple[str, list[Any]]:
        """`q`: DuckDB's substring match (trigram indexes) OR PostgreSQL text search over the evidence
        and title (the GIN index of migration 0003) in websearch syntax ("car bomb" both words
        anywhere, "\"car bomb\"" the phrase, -word, or), words lower-cased and unstemmed (the
        'simple' configuration). So PostgreSQL finds every record DuckDB finds, and for a query
        of several words also those holding the words apart."""
        like, params = Portable.text_search(value)
        return f"({like} OR {TEXT_VECTOR} @@ websearch_to_tsquery('simple', ?))", [*params, value]

    @staticmethod
    def point_in_box(south: float, north: float, west: float, east: float) -> tuple[str, list[Any]]:
        """The box test on the GiST index of point(lon, lat) (migration 0003)."""
        return "(point(lon, lat) <@ box(point(?, ?), point(?, ?)))", [west, south, east, north]

    @staticmethod
    def u64_in(values: list[int]) -> list[int]:
        return [v - _U64 if v > _I64_MAX else v for v in values]

    @staticmethod
    def u64_out(values: list[int]) -> list[int]:
        return [v + _U64 if v < 0 else v for v in values]

    def bulk_insert(self, table: str, types: dict[str, str], rows: list[dict[str, Any]], *,
                    conflict: str | None = None, returning: str | None = None) -> list[Any]:
        """COPY the rows in; with `conflict` (an ON CONFLICT clause's rest) or `returning`, COPY into
        a temp table and INSERT ... SELECT from it in order of the first column (see module docstring)."""
        if not rows:
            return []
        if not _IDENT.match(table):
            raise ValueError(f"not a table name: {table!r}")
        columns = list(types)
        names = ", ".join(columns)
        if conflict is None and returning is None:
            self._copy(table, names, columns, rows)
            return []
        temp = f"_load_{table}"
        with _errors():
            if temp not in self._temp:
                self._conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} (LIKE {table})")
                self._temp.add(temp)
            self._conn.execute(f"TRUNCATE {temp}")
        self._copy(temp, names, columns, rows)
        sql = f"INSERT INTO {table} ({names}) SELECT {names} FROM {temp} ORDER BY {columns[0]}"
        if conflict:
            sql += f" ON CONFLICT {conflict}"
        if returning:
            sql += f" RETURNING {returning}"
        with _errors():
            cur = self._conn.execute(sql)
            out = [r[0] for r in cur.fetchall()] if returning else []
            self._conn.execute(f"TRUNCATE {temp}")
        return out

    def _copy(self, table: str, names: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
        with _errors(), self._conn.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except (pg_errors.DeadlockDetected, pg_errors.SerializationFailure) as err:
        raise StoreConflict(str(err)) from err
    except psycopg.IntegrityError as err:
        raise IntegrityError(str(err)) from err
    except psycopg.Error as err:
        raise StoreError(str(err)) from err


class PostgresStore(SqlStore):
    """A sitrep store in a PostgreSQL database (see module docstring)."""

    _plan_outside_lock = True  # several writers: cluster before the incident locks (store/resolution.py)

    def __init__(self, url: str, *, read_only: bool = False, pool_size: int = 8) -> None:
        super().__init__()
        self.url = url
        self.read_only = read_only
        try:
            self._conn = PgConnection(_connect(url))
        except psycopg.Error as err:
            raise StoreError(f"cannot connect to {public_url(url)}: {str(err).strip()}") from err
        self._pool: ConnectionPool[Any] | None = None
        self._pool_size = pool_size
        self._batches = 0
        self._pool_lock = threading.Lock()  # not the write lock: a read may start inside a write
        try:
            if read_only:
                pending = pending_migrations(MIGRATIONS_DIR, self.applied_migrations())
                if pending:
                    raise StoreError(f"no sitrep store at {self.location} (or it lacks migrations "
                                     f"{', '.join(pending)}); run `sitrep ingest PATH --db URL` first")
            else:
                self.migrate()
        except BaseException:
            self._conn.close()
            raise

    @property
    def location(self) -> str:
        return public_url(self.url)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        self._conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    @contextmanager
    def _read(self) -> Iterator[PgConnection]:
        """A pooled connection (autocommit: each query sees what is committed when it starts)."""
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = ConnectionPool(
                        self.url, min_size=1, max_size=self._pool_size, configure=_configure, open=True,
                        kwargs=dict(_CONNECT), timeout=30)
        with self._pool.connection() as conn:
            yield PgConnection(conn)

    def _stream(self, sql: str, batch_size: int,
                params: Sequence[Any] | None = None) -> Iterator[list[tuple[Any, ...]]]:
        """A server-side cursor (in its own read transaction), so a million rows never sit in memory."""
        with self._read() as conn, _errors(), conn._conn.transaction(), \
                conn._conn.cursor(name="sitrep_dump") as cur:
            cur.itersize = batch_size
            if params:
                cur.execute(_translate(sql), list(params))
            else:
                cur.execute(sql)
            while rows := cur.fetchmany(batch_size):
                yield rows

    def _lock_incidents(self, blocks: list[str] | None) -> None:
        if blocks is None:
            self._conn.execute("SELECT pg_advisory_xact_lock(?, ?)", [_LOCK_NS, _LOCK_ALL_BLOCKS])
            return
        self._conn.execute("SELECT pg_advisory_xact_lock_shared(?, ?)", [_LOCK_NS, _LOCK_ALL_BLOCKS])
        for block in sorted(blocks):  # one order for every writer: no lock cycle
            self._conn.execute("SELECT pg_advisory_xact_lock(?, hashtext(?))", [_LOCK_NS + _LOCK_BLOCK, block])

    def add_ingested(self, batch: list[dict[str, Any]], rejects: list[dict[str, Any]], *,
                     run_id: str | None = None) -> tuple[int, int]:
        """SqlStore.add_ingested, and every COMPACT_EVERY batches a rollup compaction, so a long
        ingest run does not leave the aggregates summing its deltas until it ends."""
        added = super().add_ingested(batch, rejects, run_id=run_id)
        self._batches += 1
        if self._batches % COMPACT_EVERY == 0:
            self.compact_rollups()
        return added

    def finish_run(self, run_id: str, *, documents: int, events: int, rejected: int) -> None:
        super().finish_run(run_id, documents=documents, events=events, rejected=rejected)
        self.compact_rollups()

    def compact_rollups(self) -> None:
        """Fold the rollups' delta rows (store/rollups.py), so aggregates read one row per key; at
        the end of each write run and of a copy. A writer that finds another compacting skips."""
        with self._transaction() as conn:
            (got,) = conn.execute("SELECT pg_try_advisory_xact_lock(?, ?)", [_LOCK_NS, _LOCK_ROLLUPS]).fetchone()
            if got:
                for rollup in (r for base in ROLLUPS.values() for r in base):
                    conn.execute(compact_sql(rollup))

    def pack_rollups(self) -> None:
        # A bulk load leaves each rollup table several times its size (every batch's deltas, then
        # deleted by the compaction) with its rows in no order: the day rollup's 2,567 rows of one
        # country-year sat on 2,030 pages of 25,000 (EXPLAIN ANALYZE, the synthetic million). CLUSTER
        # rewrites it compact, in (country, date) order: 71 pages. VACUUM would free the space but
        # not shrink the table nor order it.
        self.compact_rollups()
        for rollup in (r for base in ROLLUPS.values() for r in base):
            self._conn.execute(f"CLUSTER {rollup.name} USING {rollup.name}_country_date")
            self._conn.execute(f"ANALYZE {rollup.name}")

    # -- migrations ------------------------------------------------------------------------

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, in order."""
        exists = self._conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return []
        return [r[0] for r in self._conn.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]

    def migrate(self) -> list[str]:
        """Apply pending migrations in order, each in its own transaction, under an advisory lock
        (several `sitrep ingest` processes may open a new database at once)."""
        self._writable()
        with self._lock:
            self._conn.execute("SELECT pg_advisory_lock(?, ?)", [_LOCK_NS, _LOCK_MIGRATE])
            try:
                return apply_migrations(self._conn, MIGRATIONS_DIR, self.applied_migrations, _now)
            finally:
                self._conn.execute("SELECT pg_advisory_unlock(?, ?)", [_LOCK_NS, _LOCK_MIGRATE])
