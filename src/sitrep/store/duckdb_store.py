"""The DuckDB store: one file holding documents, event records, rejects and runs.

DuckDB allows one read-write process per file, so everything that only reads (the web server,
`sitrep events`) opens it with `read_only=True`. Writes go through one connection under a lock
and each batch is one transaction: a failed batch leaves the file exactly as it was. Reads use
a cursor per call, so one read-only Store can serve a threaded web server.
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from sitrep.document import SCHEMA_VERSION, fingerprint
from sitrep.store.filters import EventFilter, FilterError
from sitrep.store.records import EVENT_COLUMNS, RecordError, flatten
from sitrep.store.sql import where_clause

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+$")

# SQL type of each column as sent in one `unnest(?::TYPE[])` list per column (bulk insert:
# one statement per table per batch instead of one per row, ~50x faster than executemany).
_DOCUMENT_TYPES: dict[str, str] = {
    "id": "VARCHAR", "schema": "INTEGER", "url": "VARCHAR", "title": "VARCHAR",
    "publisher": "VARCHAR", "published": "DATE", "published_inferred": "BOOLEAN", "path": "VARCHAR",
    "text": "VARCHAR", "sections": "JSON", "notes": "JSON", "mentions": "JSON", "fingerprint": "VARCHAR",
    "ingested_at": "TIMESTAMP", "run_id": "VARCHAR",
}
_EVENT_TYPES: dict[str, str] = {
    **dict.fromkeys(EVENT_COLUMNS, "VARCHAR"),
    **dict.fromkeys(("date", "date_end", "published"), "DATE"),
    **dict.fromkeys(
        ("time_precision", "geo_precision", "quad", "killed", "injured", "displaced"), "INTEGER"
    ),
    **dict.fromkeys(("lat", "lon", "confidence"), "DOUBLE"),
    "record": "JSON",
}

# Sort orders accepted by query_events; values are SQL constants, never user text.
ORDERS: dict[str, str] = {
    "date": "date DESC NULLS LAST, id ASC",
    "date_asc": "date ASC NULLS LAST, id ASC",
    "confidence": "confidence DESC NULLS LAST, id ASC",
    "id": "id ASC",
}


class StoreError(RuntimeError):
    """The store cannot do what was asked (locked file, missing file, failed migration)."""


def _now() -> datetime:
    """Naive UTC timestamp (the TIMESTAMP columns hold UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def migration_files() -> list[tuple[str, Path]]:
    """(name, path) of every numbered migration shipped with the package, in order."""
    found: list[tuple[str, Path]] = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if not _MIGRATION_NAME.match(path.stem):
            raise StoreError(f"migration file {path.name} is not named NNNN_name.sql")
        found.append((path.stem, path))
    numbers = [name[:4] for name, _ in found]
    if len(set(numbers)) != len(numbers):
        raise StoreError(f"two migrations share a number in {MIGRATIONS_DIR}")
    return found


class Store:
    """Documents and their event records in one DuckDB file (see module docstring)."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.Lock()
        if read_only and not self.path.exists():
            raise StoreError(f"no store at {self.path}; create it with `sitrep ingest` first")
        try:
            self._conn = duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as err:
            raise StoreError(
                f"cannot open {self.path}{' read-only' if read_only else ''}: {err}. DuckDB allows one "
                "writing process per file; readers must open it read-only while nothing writes."
            ) from err
        if read_only:
            pending = [name for name, _ in migration_files() if name not in set(self.applied_migrations())]
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

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- migrations ------------------------------------------------------------------------

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, in order."""
        cur = self._conn.cursor()
        try:
            exists = cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
            ).fetchone()
            if not exists or not exists[0]:
                return []
            rows = cur.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
            return [row[0] for row in rows]
        finally:
            cur.close()

    def migrate(self) -> list[str]:
        """Apply pending migrations in order, each in its own transaction; return their names."""
        self._writable()
        applied: list[str] = []
        with self._lock:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMP)"
            )
            done = set(self.applied_migrations())
            for name, path in migration_files():
                if name in done:
                    continue
                self._conn.execute("BEGIN TRANSACTION")
                try:
                    self._conn.execute(path.read_text(encoding="utf-8"))
                    self._conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, _now()])
                    self._conn.execute("COMMIT")
                except Exception as err:
                    self._conn.execute("ROLLBACK")
                    raise StoreError(f"migration {name} failed: {err}") from err
                applied.append(name)
        return applied

    # -- writes ----------------------------------------------------------------------------

    def begin_run(self, command: str) -> str:
        """Record the start of a command that writes; returns the run id to pass along."""
        self._writable()
        run_id = uuid.uuid4().hex[:12]
        with self._lock:
            self._conn.execute(
                "INSERT INTO runs (id, command, started_at) VALUES (?, ?, ?)", [run_id, command, _now()]
            )
        return run_id

    def finish_run(self, run_id: str, *, documents: int, events: int, rejected: int) -> None:
        self._writable()
        with self._lock:
            self._conn.execute(
                "UPDATE runs SET finished_at = ?, documents_added = ?, events_added = ?, rejected = ? "
                "WHERE id = ?",
                [_now(), documents, events, rejected, run_id],
            )

    def add_reject(self, path: str, reason: str, detail: str = "", *, run_id: str | None = None) -> None:
        """Record an input that was refused, so nothing is dropped silently."""
        self._writable()
        with self._lock:
            self._conn.execute(
                "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?)",
                [uuid.uuid4().hex, path, reason, detail, _now(), run_id],
            )

    def add_documents(self, batch: list[tuple[dict[str, Any], list[dict[str, Any]]]], *,
                      run_id: str | None = None) -> int:
        """Store documents with their event records in one transaction; return how many were new.

        Documents already stored (by id), and repeats within the batch, are skipped with their
        events, so re-running an ingest adds nothing. Every record is validated before the
        transaction starts; any error rolls the whole batch back and is re-raised.
        """
        self._writable()
        now = _now()
        prepared: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
        for doc, events in batch:
            row = _document_row(doc, now, run_id)
            if row["id"] in prepared:
                continue
            flat = []
            for record in events:
                columns = flatten(record)
                if columns["doc_id"] != row["id"]:
                    raise RecordError(
                        f"event {columns['id']}: doc_id {columns['doc_id']!r} "
                        f"is not its document's id {row['id']!r}"
                    )
                flat.append(columns)
            prepared[row["id"]] = (row, flat)
        if not prepared:
            return 0

        with self._lock:
            self._conn.execute("BEGIN TRANSACTION")
            try:
                existing = {
                    r[0]
                    for r in self._conn.execute(
                        "SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [list(prepared)]
                    ).fetchall()
                }
                new = [v for k, v in prepared.items() if k not in existing]
                self._bulk_insert("documents", _DOCUMENT_TYPES, [row for row, _ in new])
                self._bulk_insert("events", _EVENT_TYPES, [e for _, events in new for e in events])
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return len(new)

    def _bulk_insert(self, table: str, types: dict[str, str], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(types)
        select = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
        params = [[row[c] for row in rows] for c in columns]
        self._conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select}", params)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")

    # -- reads -----------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return self._one("SELECT count(*) FROM documents WHERE id = ?", [doc_id])[0] > 0

    def query_events(self, flt: EventFilter, *, limit: int | None = 100, offset: int = 0,
                     order: str = "date") -> tuple[int, list[dict[str, Any]]]:
        """(number of events matching, one page of their records).

        order: one of ORDERS ("date" = newest first, undated last, then by id).
        """
        if order not in ORDERS:
            raise FilterError(f"unknown order {order!r}; expected one of {', '.join(ORDERS)}")
        if (limit is not None and limit < 0) or offset < 0:
            raise FilterError("limit and offset must not be negative")
        where, params = where_clause(flt)
        cur = self._conn.cursor()
        try:
            total = cur.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()
            sql = f"SELECT record FROM events WHERE {where} ORDER BY {ORDERS[order]}"
            page_params = list(params)
            if limit is not None:
                sql += " LIMIT ?"
                page_params.append(limit)
            if offset:
                sql += " OFFSET ?"
                page_params.append(offset)
            rows = cur.execute(sql, page_params).fetchall()
        finally:
            cur.close()
        return (total[0] if total else 0), [json.loads(r[0]) for r in rows]

    def iter_events(self, flt: EventFilter, *, batch_size: int = 1000) -> Iterator[dict[str, Any]]:
        """Every matching record, newest first, fetched in keyset pages of `batch_size`.

        Keyset paging (after the last (date, id) seen) keeps memory bounded and each page cheap,
        unlike OFFSET, whatever the size of the export.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        where, params = where_clause(flt)
        cur = self._conn.cursor()
        try:
            last: tuple[date | None, str] | None = None
            while True:
                cond, page_params = f"({where})", list(params)
                if last is not None:
                    last_date, last_id = last
                    if last_date is None:
                        cond += " AND date IS NULL AND id > ?"
                        page_params.append(last_id)
                    else:
                        cond += " AND (date < ? OR (date = ? AND id > ?) OR date IS NULL)"
                        page_params += [last_date, last_date, last_id]
                rows = cur.execute(
                    f"SELECT date, id, record FROM events WHERE {cond} ORDER BY {ORDERS['date']} LIMIT ?",
                    [*page_params, batch_size],
                ).fetchall()
                for row in rows:
                    yield json.loads(row[2])
                if len(rows) < batch_size:
                    return
                last = (rows[-1][0], rows[-1][1])
        finally:
            cur.close()

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        row = self._one("SELECT record FROM events WHERE id = ?", [event_id])
        return json.loads(row[0]) if row else None

    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        """The `Document.to_dict()` form plus `event_ids` (in text order) and `ingested_at`."""
        cur = self._conn.cursor()
        try:
            row = cur.execute(
                "SELECT id, schema, url, title, publisher, published, published_inferred, path, text, "
                "sections, notes, ingested_at, mentions FROM documents WHERE id = ?",
                [doc_id],
            ).fetchone()
            if row is None:
                return None
            event_ids = [
                r[0]
                for r in cur.execute(
                    "SELECT id FROM events WHERE doc_id = ? "
                    "ORDER BY TRY_CAST(record->>'$.evidence.start' AS BIGINT) NULLS LAST, id",
                    [doc_id],
                ).fetchall()
            ]
        finally:
            cur.close()
        return {
            "schema": row[1],
            "id": row[0],
            "text": row[8],
            "source": {
                "url": row[2], "title": row[3], "publisher": row[4], "published": _iso(row[5]),
                "published_inferred": bool(row[6]), "path": row[7],
            },
            "sections": json.loads(row[9]) if row[9] else [],
            "notes": json.loads(row[10]) if row[10] else [],
            "mentions": json.loads(row[12]) if row[12] else [],
            "ingested_at": _iso(row[11]),
            "event_ids": event_ids,
        }

    def summary(self) -> dict[str, Any]:
        """Counts for a status line or dashboard header (events without a country are not in by_country)."""
        cur = self._conn.cursor()
        try:
            def count(table: str) -> int:
                got = cur.execute(f"SELECT count(*) FROM {table}").fetchone()
                return got[0] if got else 0

            def by(column: str) -> dict[str, int]:
                rows = cur.execute(
                    f"SELECT {column}, count(*) AS n FROM events WHERE {column} IS NOT NULL "
                    f"GROUP BY {column} ORDER BY n DESC, {column}"
                ).fetchall()
                return {k: n for k, n in rows}

            last = cur.execute(
                "SELECT id, command, started_at, finished_at, documents_added, events_added, rejected "
                "FROM runs ORDER BY started_at DESC, id DESC LIMIT 1"
            ).fetchone()
            result: dict[str, Any] = {
                "documents": count("documents"),
                "events": count("events"),
                "rejects": count("rejects"),
                "by_type": by("event_type"),
                "by_status": by("status"),
                "by_country": by("country"),
                "last_run": None,
            }
        finally:
            cur.close()
        if last:
            result["last_run"] = {
                "id": last[0], "command": last[1], "started_at": _iso(last[2]), "finished_at": _iso(last[3]),
                "documents_added": last[4], "events_added": last[5], "rejected": last[6],
            }
        return result

    def _one(self, sql: str, params: list[Any]) -> tuple[Any, ...] | None:
        cur = self._conn.cursor()
        try:
            return cur.execute(sql, params).fetchone()
        finally:
            cur.close()


def _document_row(doc: dict[str, Any], now: datetime, run_id: str | None) -> dict[str, Any]:
    """Column values of the `documents` table for a `Document.to_dict()` dict."""
    doc_id, text = doc.get("id"), doc.get("text")
    if not doc_id or not isinstance(doc_id, str):
        raise RecordError("document without a string id")
    if not isinstance(text, str):
        raise RecordError(f"document {doc_id}: text must be a string")
    source = doc.get("source") or {}
    published = source.get("published")
    try:
        published_date = date.fromisoformat(published) if isinstance(published, str) and published else None
    except ValueError as err:
        raise RecordError(f"document {doc_id}: published {published!r} is not an ISO date") from err
    return {
        "id": doc_id,
        "schema": doc.get("schema", SCHEMA_VERSION),
        "url": source.get("url"),
        "title": source.get("title"),
        "publisher": source.get("publisher"),
        "published": published_date,
        "published_inferred": bool(source.get("published_inferred", False)),
        "path": source.get("path"),
        "text": text,
        "sections": json.dumps(doc.get("sections") or [], ensure_ascii=False),
        "notes": json.dumps(doc.get("notes") or [], ensure_ascii=False),
        "mentions": json.dumps(doc.get("mentions") or [], ensure_ascii=False),
        "fingerprint": fingerprint(text),
        "ingested_at": now,
        "run_id": run_id,
    }
