"""The store interface every caller uses, and `open_store(url)` that picks the backend.

DuckDB is the embedded default (one file, one writing process); PostgreSQL is the shared server
(several writers, many readers). Both implement `Store` below with the same SQL logic
(store/core.py); what differs between them (placeholders, bulk loads, JSON access, list
parameters, locking) lives in one connection adapter per backend (store/duckdb_store.py,
store/postgres_store.py). Callers never see a DuckDB or psycopg type: rows come back as tuples,
records as dicts, errors as StoreError.

A store is named by a URL: a plain path or `duckdb:///path/to/file.duckdb` for DuckDB,
`postgresql://user[:password]@host[:port]/database` (or `postgres://`) for PostgreSQL. `--db` and
$SITREP_DB take either.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from sitrep.store.filters import EventFilter
    from sitrep.store.paging import EventPage

DEFAULT_PATH = "sitrep.duckdb"
_PG_SCHEMES = ("postgresql", "postgres")


class StoreError(RuntimeError):
    """The store cannot do what was asked (locked file, missing store, unreachable server, failed migration)."""


class IntegrityError(StoreError):
    """The database refused a write that breaks one of its constraints (the batch is rolled back)."""


class StoreConflict(StoreError):
    """A transaction lost a deadlock or serialization conflict with another writer and was rolled
    back; running it again is safe."""


@runtime_checkable
class Store(Protocol):
    """What the ingest runner, the resolver, the CLI, the HTTP API and the exports need of a store."""

    read_only: bool

    @property
    def location(self) -> str:
        """Where the store is, for messages (a path, or a URL without its password)."""
        ...

    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc: object) -> None: ...
    def applied_migrations(self) -> list[str]: ...
    def migrate(self) -> list[str]: ...

    # runs and writes (one write path: add_ingested; add_documents wraps it)
    def begin_run(self, command: str) -> str: ...
    def finish_run(self, run_id: str, *, documents: int, events: int, rejected: int) -> None: ...
    def add_reject(self, path: str, reason: str, detail: str = "", *, run_id: str | None = None) -> None: ...
    def add_ingested(self, batch: list[dict[str, Any]], rejects: list[dict[str, Any]], *,
                     run_id: str | None = None) -> tuple[int, int]: ...
    def add_documents(self, batch: list[tuple[dict[str, Any], list[dict[str, Any]]]], *,
                      run_id: str | None = None) -> int: ...

    # document lookup and near-duplicate candidates
    def has_document(self, doc_id: str) -> bool: ...
    def get_document(self, doc_id: str) -> dict[str, Any] | None: ...
    def document_events(self, doc_id: str) -> list[dict[str, Any]]: ...
    def documents_with_urls(self, urls: list[str]) -> dict[str, str]: ...
    def minhash_candidates(self, buckets: list[int]) -> list[tuple[str, int, list[int]]]: ...

    # events
    def get_event(self, event_id: str, *, corrected: bool = True) -> dict[str, Any] | None: ...
    def query_events(self, flt: EventFilter, *, limit: int | None = 100, offset: int = 0,
                     order: str = "date") -> tuple[int, list[dict[str, Any]]]: ...
    def iter_events(self, flt: EventFilter, *, batch_size: int = 1000,
                    table: str = "events") -> Iterator[dict[str, Any]]: ...
    def page_events(self, flt: EventFilter, *, sort: str = ..., limit: int = 100, cursor: str | None = None,
                    offset: int = 0, count: bool = True) -> EventPage: ...
    def aggregate_events(self, flt: EventFilter, by: str, *, figures: bool = True, limit: int | None = None,
                         unit: str = "mentions") -> dict[str, Any]: ...
    def incident_caveats(self, flt: EventFilter) -> dict[str, int]: ...
    def incident_points(self, flt: EventFilter, *, limit: int = 5000) -> list[tuple[float, float, int]]: ...

    # corrections
    def add_correction(self, event_id: str, field: str, value: Any, *, note: str | None = None,
                       author: str | None = None) -> dict[str, Any]: ...
    def import_corrections(self, rows: list[dict[str, Any]]) -> int: ...
    def corrections(self, event_id: str | None = None) -> list[dict[str, Any]]: ...

    # API keys (store/api_keys.py): only hashes are stored; the secret is returned once by create
    def create_api_key(self, name: str, *, read_only: bool = False,
                       now: datetime | None = None) -> tuple[str, dict[str, Any]]: ...
    def api_key(self, name: str) -> dict[str, Any]: ...
    def api_keys(self) -> list[dict[str, Any]]: ...
    def has_active_api_keys(self) -> bool: ...
    def revoke_api_key(self, name: str, *, now: datetime | None = None) -> dict[str, Any]: ...
    def verify_api_key(self, secret: str) -> dict[str, Any] | None: ...
    def record_api_key_use(self, names: list[str], *, now: datetime | None = None) -> None: ...

    # incidents
    def resolve_incidents(self, new_records: list[dict[str, Any]] | None = None,
                          config: dict[str, Any] | None = None) -> dict[str, int]: ...
    def get_incident(self, incident_id: str) -> dict[str, Any] | None: ...
    def query_incidents(self, flt: EventFilter, *, updated_since: datetime | None = None,
                        limit: int | None = 100, offset: int = 0) -> tuple[int, list[dict[str, Any]]]: ...
    def page_incidents(self, flt: EventFilter, *, sort: str = ..., limit: int = 100, cursor: str | None = None,
                       offset: int = 0, updated_since: datetime | None = None, count: bool = True) -> EventPage: ...
    def incident_ids(self) -> set[str]: ...
    def incident_of(self, event_id: str) -> str | None: ...
    def count_incidents(self) -> int: ...

    # status
    def summary(self) -> dict[str, Any]: ...
    def ingest_status(self) -> dict[str, Any]: ...

    # moving between backends (sitrep store copy)
    def table_counts(self) -> dict[str, int]: ...
    def stream_records(self, flt: EventFilter, *, table: str = "events",
                       batch_size: int = 5000) -> Iterator[dict[str, Any]]: ...
    def dump_table(self, table: str, batch_size: int = 5000) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]: ...
    def load_table(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None: ...

    # pandas and Arrow, typed as the Parquet export (store/frames.py): batches in storage order,
    # tables and frames newest first
    def record_batches(self, flt: EventFilter, *, unit: str = "incidents",
                       batch_size: int = ...) -> Iterator[pa.RecordBatch]: ...
    def incidents_arrow(self, flt: EventFilter) -> pa.Table: ...
    def events_arrow(self, flt: EventFilter) -> pa.Table: ...
    def incidents_frame(self, flt: EventFilter) -> pd.DataFrame: ...
    def events_frame(self, flt: EventFilter) -> pd.DataFrame: ...


def default_url() -> str:
    """$SITREP_DB if set, else ./sitrep.duckdb."""
    return os.environ.get("SITREP_DB") or DEFAULT_PATH


def is_postgres(url: str | os.PathLike[str]) -> bool:
    return isinstance(url, str) and urlsplit(url).scheme in _PG_SCHEMES


def duckdb_path(url: str | os.PathLike[str]) -> Path:
    """The file of a DuckDB store URL (`duckdb:///abs/path`, `duckdb://rel/path` or a plain path)."""
    text = os.fspath(url)
    if text.startswith("duckdb://"):
        rest = text[len("duckdb://"):]
        return Path(rest)
    return Path(text)


def public_url(url: str) -> str:
    """`url` without its password, for messages and `sitrep status`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def store_exists(url: str | os.PathLike[str]) -> bool:
    """Whether a DuckDB file is there; a PostgreSQL URL is taken to exist (opening says otherwise)."""
    return True if is_postgres(url) else duckdb_path(url).exists()


def open_store(url: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               memory_limit: str | None = None) -> Store:
    """The store named by `url` (default: $SITREP_DB or ./sitrep.duckdb), migrated when writable.

    read_only: DuckDB opens the file read-only (so writers elsewhere are not locked out for long);
    PostgreSQL refuses this store's writes and checks the schema is up to date.
    memory_limit: DuckDB's memory_limit for this connection (e.g. "256MB"; DuckDB's default is 80%
    of RAM, and its buffer cache grows toward it): a one-pass scan such as an export reads each
    block once, so a cache of the whole file only costs resident memory. PostgreSQL ignores it
    (the server's memory is the server's).
    """
    target = default_url() if url is None else url
    if is_postgres(target):
        from sitrep.store.postgres_store import PostgresStore

        return PostgresStore(str(target), read_only=read_only)
    scheme = urlsplit(os.fspath(target)).scheme
    if scheme not in ("", "duckdb") and len(scheme) > 1:  # one letter: a Windows drive
        raise StoreError(f"unknown store URL {target!s}; expected a path, duckdb:///FILE or postgresql://...")
    from sitrep.store.duckdb_store import DuckDBStore

    return DuckDBStore(duckdb_path(target), read_only=read_only, memory_limit=memory_limit)
