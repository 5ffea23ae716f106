"""The store's logic over SQL, shared by both backends (DuckDB and PostgreSQL).

Every query is written once here (and in paging.py, aggregates.py, incidents.py) with `?`
placeholders; each backend's connection adapter (store/duckdb_store.py, store/postgres_store.py)
turns them into its own and holds the few things SQL says differently: a list parameter
(`any_of`), bulk loads (`bulk_insert`: DuckDB's unnest lists, PostgreSQL's COPY), JSON access
(`json_int`, `json_names_contain`), and 64-bit unsigned MinHash values, which PostgreSQL lacks.
Writes go through one connection under a lock, each batch one transaction (a failed batch
leaves the store exactly as it was); reads use their own cursor (`_read()`), so one read-only
store serves a threaded web server.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Protocol

import orjson

from sitrep.document import SCHEMA_VERSION, fingerprint
from sitrep.store import aggregates, frames, paging
from sitrep.store import corrections as correction_rules
from sitrep.store import incidents as incident_tables
from sitrep.store.api_keys import ApiKeyQueries
from sitrep.store.base import StoreConflict, StoreError
from sitrep.store.filters import EventFilter, FilterError
from sitrep.store.records import EVENT_COLUMNS, FIGURE_RANGE_COLUMNS, RecordError, flatten
from sitrep.store.sql import select_page, where_clause

# SQL type of each column (DuckDB's names; the PostgreSQL adapter maps them): DuckDB sends one
# `unnest(?::TYPE[])` list per column, PostgreSQL COPYs rows, ~50x faster than executemany.
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
    **dict.fromkeys(FIGURE_RANGE_COLUMNS, "INTEGER"),
    **dict.fromkeys(("lat", "lon", "confidence"), "DOUBLE"),
    "record": "JSON",
}
_REJECT_TYPES: dict[str, str] = {
    "id": "VARCHAR", "path": "VARCHAR", "reason": "VARCHAR", "detail": "VARCHAR", "rejected_at": "TIMESTAMP",
    "run_id": "VARCHAR",
}
_CITATION_TYPES: dict[str, str] = {
    "doc_id": "VARCHAR", "position": "INTEGER", "number": "INTEGER", "outlet": "VARCHAR", "title": "VARCHAR",
    "url": "VARCHAR", "published": "DATE", "accessed": "DATE", "text": "VARCHAR", "start_offset": "INTEGER",
    "end_offset": "INTEGER",
}

_CORRECTION_TYPES: dict[str, str] = {
    "id": "VARCHAR", "event_id": "VARCHAR", "field": "VARCHAR", "old_value": "JSON", "new_value": "JSON",
    "note": "VARCHAR", "author": "VARCHAR", "created_at": "TIMESTAMP",
}

_RETRIES = 5  # attempts of a batch that deadlocked with another writer (PostgreSQL)

# Sort orders accepted by query_events; values are SQL constants, never user text.
ORDERS: dict[str, str] = {
    "date": "date DESC NULLS LAST, id ASC",
    "date_asc": "date ASC NULLS LAST, id ASC",
    "confidence": "confidence DESC NULLS LAST, id ASC",
    "id": "id ASC",
}
# What `sitrep store copy` moves, parents first (the order loads must follow).
TABLES: tuple[str, ...] = (
    "runs", "documents", "events", "rejects", "document_aliases", "document_minhash", "document_bands",
    "citations", "corrections", "incidents", "incident_members", "incident_aliases", "api_keys",
)


class Rows(Protocol):
    def fetchone(self) -> tuple[Any, ...] | None: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...


class Connection(Protocol):
    """What the shared SQL needs of a backend's connection (see the module docstring)."""

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Rows: ...
    def any_of(self, column: str, sqltype: str) -> str: ...
    def json_int(self, column: str, *path: str) -> str: ...
    def json_names_contain(self, column: str, name: str) -> str: ...
    def text_search(self, value: str) -> tuple[str, list[Any]]: ...
    def point_in_box(self, south: float, north: float, west: float, east: float) -> tuple[str, list[Any]]: ...
    def bulk_insert(self, table: str, types: dict[str, str], rows: list[dict[str, Any]], *,
                    conflict: str | None = None, returning: str | None = None) -> list[Any]: ...
    def u64_in(self, values: list[int]) -> list[int]: ...
    def u64_out(self, values: list[int]) -> list[int]: ...


def _now() -> datetime:
    """Naive UTC timestamp (the TIMESTAMP columns hold UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class SqlStore(ApiKeyQueries):
    """Documents, event records, incidents, rejects and runs (see the module docstring).

    A backend sets `read_only`, `_conn` (the write connection's adapter, also used for reads
    inside a write transaction) and implements `_read()`, `location`, `close`, `migrate`,
    `applied_migrations` and `_lock_incidents`.
    """

    read_only: bool
    _conn: Connection
    # Plan incident resolution before taking the incident locks (store/resolution.py): where
    # several processes write (PostgreSQL), so that they do not cluster in turn.
    _plan_outside_lock: ClassVar[bool] = False

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.plans_kept = self.plans_redone = 0  # blocks whose early plan held / was redone under the lock

    @property
    def location(self) -> str:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def applied_migrations(self) -> list[str]:
        raise NotImplementedError

    def migrate(self) -> list[str]:
        raise NotImplementedError

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        raise NotImplementedError
        yield  # pragma: no cover

    def compact_rollups(self) -> None:
        """Fold the aggregate rollups' pending deltas (PostgreSQL, store/rollups.py); DuckDB has none."""

    def pack_rollups(self) -> None:
        """After a bulk load into a new store (copy, Parquet import): compact the rollups and rewrite
        them in key order (PostgreSQL; DuckDB has none). Takes exclusive table locks: not while others write."""

    def _lock_incidents(self, blocks: list[str] | None) -> None:
        """Inside a write transaction: keep other writers out of these resolution blocks (None:
        all of them) until it ends. DuckDB has one writer, so nothing; PostgreSQL advisory locks."""

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """The write connection inside BEGIN ... COMMIT under the write lock; ROLLBACK on any error."""
        self._writable()
        with self._lock:
            self._conn.execute("BEGIN TRANSACTION")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

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

        The same write path as add_ingested (documents already stored, and repeats within the
        batch, are skipped with their events; any error rolls the whole batch back).
        """
        added, _ = self.add_ingested([{"document": doc, "events": events} for doc, events in batch], [],
                                     run_id=run_id)
        return added

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.location} is open read-only")

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
        where, params = where_clause(flt, self._conn)
        with self._read() as cur:
            total, records = select_page(cur, "events", where, params, ORDERS[order], limit=limit, offset=offset)
            return total, self._corrected(cur, records)

    def iter_events(self, flt: EventFilter, *, batch_size: int = 1000,
                    table: str = "events") -> Iterator[dict[str, Any]]:
        """Every matching record, newest first, fetched in keyset pages of `batch_size`.

        Keyset paging (after the last (date, id) seen) keeps memory bounded and each page cheap,
        unlike OFFSET, whatever the size of the export. `table` "incidents" streams incidents
        (their date and filter columns are the events' own, migration 0006).
        """
        if table not in ("events", "incidents"):
            raise ValueError(f"unknown table {table!r}")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        where, params = where_clause(flt, self._conn)
        with self._read() as cur:
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
                    f"SELECT date, id, record FROM {table} WHERE {cond} ORDER BY {ORDERS['date']} LIMIT ?",
                    [*page_params, batch_size],
                ).fetchall()
                records = [json.loads(row[2]) for row in rows]
                yield from (self._corrected(cur, records) if table == "events" else records)
                if len(rows) < batch_size:
                    return
                last = (rows[-1][0], rows[-1][1])

    def get_event(self, event_id: str, *, corrected: bool = True) -> dict[str, Any] | None:
        """The event record with its corrections applied (store/corrections.py); `corrected=False`
        gives it as extracted."""
        row = self._one("SELECT record FROM events WHERE id = ?", [event_id])
        if not row:
            return None
        record = json.loads(row[0])
        if not corrected:
            return record
        with self._read() as cur:
            return self._corrected(cur, [record])[0]

    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        """The `Document.to_dict()` form plus `event_ids` (in text order) and `ingested_at`."""
        with self._read() as cur:
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
                    f"ORDER BY {cur.json_int('record', 'evidence', 'start')} NULLS LAST, id",
                    [doc_id],
                ).fetchall()
            ]
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
        with self._read() as cur:
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
                "by_kind": by("kind"),
                "by_country": by("country"),
                "last_run": None,
            }
        if last:
            result["last_run"] = {
                "id": last[0], "command": last[1], "started_at": _iso(last[2]), "finished_at": _iso(last[3]),
                "documents_added": last[4], "events_added": last[5], "rejected": last[6],
            }
        return result

    def _one(self, sql: str, params: list[Any]) -> tuple[Any, ...] | None:
        with self._read() as cur:
            return cur.execute(sql, params).fetchone()

    # -- web queries -----------------------------------------------------------------------
    # What the HTTP API reads beyond query_events: sorted pages with stable cursors, aggregates,
    # and a document's events. The SQL lives in store/paging.py and store/aggregates.py.

    def page_events(self, flt: EventFilter, *, sort: str = paging.DEFAULT_SORT, limit: int = 100,
                    cursor: str | None = None, offset: int = 0, count: bool = True) -> paging.EventPage:
        """One page of matching records in `sort` order, after `cursor` (see store/paging.py)."""
        with self._read() as cur:
            page = paging.page_events(cur, flt, sort=sort, limit=limit, cursor=cursor, offset=offset, count=count)
            return paging.EventPage(total=page.total, events=self._corrected(cur, page.events),
                                    next_cursor=page.next_cursor)

    def aggregate_events(self, flt: EventFilter, by: str, *, figures: bool = True,
                         limit: int | None = None, unit: str = "mentions") -> dict[str, Any]:
        """Counts and figure ranges of matching event mentions, or incidents (`unit`), grouped `by`."""
        with self._read() as cur:
            return aggregates.aggregate(cur, flt, by, figures=figures, limit=limit, unit=unit)

    def incident_caveats(self, flt: EventFilter) -> dict[str, int]:
        """Matching incidents, those placed at country level only, those with one source."""
        with self._read() as cur:
            return aggregates.incident_caveats(cur, flt)

    def incident_points(self, flt: EventFilter, *, limit: int = 5000) -> list[tuple[float, float, int]]:
        """(lat, lon, best killed) of matching incidents with a point, most killed first."""
        with self._read() as cur:
            return aggregates.incident_points(cur, flt, limit)

    def document_events(self, doc_id: str) -> list[dict[str, Any]]:
        """Every event record of one document, in the order of their evidence in the text."""
        with self._read() as cur:
            rows = cur.execute(
                "SELECT record FROM events WHERE doc_id = ? "
                f"ORDER BY {cur.json_int('record', 'evidence', 'start')} NULLS LAST, id",
                [doc_id],
            ).fetchall()
            return self._corrected(cur, [json.loads(r[0]) for r in rows])

    # -- corrections (migration 0009; rules in store/corrections.py) ------------------------
    # An analyst's fix of one field of one event, kept beside the record as extracted and applied
    # whenever the event is read. Keyed by event id: re-ingesting the same documents re-applies them.

    def _corrected(self, cur: Connection, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """`records` with the corrections of each applied (one query for all of them)."""
        if not records:
            return records
        ids = [r.get("id") for r in records]
        rows = cur.execute(
            f"SELECT {', '.join(correction_rules.COLUMNS)} FROM corrections "
            f"WHERE {cur.any_of('event_id', 'VARCHAR')} ORDER BY created_at, id",
            [ids],
        ).fetchall()
        if not rows:
            return records
        by_event: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            correction = correction_rules.from_sql(row)
            by_event.setdefault(correction["event_id"], []).append(correction)
        return [correction_rules.apply(r, by_event.get(r.get("id") or "", [])) for r in records]

    def add_correction(self, event_id: str, field: str, value: Any, *, note: str | None = None,
                       author: str | None = None) -> dict[str, Any]:
        """Record a correction of `field` of event `event_id` (the value it had as read, with earlier
        corrections applied, is kept as old_value); return it. KeyError for an unknown event,
        CorrectionError for a field or value the rules refuse."""
        self._writable()
        record = self.get_event(event_id)
        if record is None:
            raise KeyError(event_id)
        old_value = correction_rules.get_field(record, field)
        row = correction_rules.new_row(event_id, field, value, old_value, note=note, author=author, created_at=_now())
        if field in ("actors", "recipients"):  # a party named as before keeps its id, country, sector
            known = {str(p.get("name") or "").casefold(): p for p in old_value or [] if isinstance(p, dict)}
            row["new_value"] = [known.get(p["name"].casefold(), p) for p in row["new_value"]]
        self._insert_corrections([row])
        return correction_rules.public(row)

    def import_corrections(self, rows: list[dict[str, Any]]) -> int:
        """Store corrections exported from another store (`sitrep corrections export`), checking each
        value again; ones already here (same id) are skipped. Returns how many were added. The events
        need not be in this store yet: a correction applies once an event of its id is ingested."""
        self._writable()
        checked = []
        for item in rows:
            try:
                created = datetime.fromisoformat(str(item["created_at"]))
                row = correction_rules.new_row(str(item["event_id"]), str(item["field"]), item.get("new_value"),
                                               item.get("old_value"), note=item.get("note"),
                                               author=item.get("author"), created_at=created)
            except (KeyError, ValueError) as err:
                raise correction_rules.CorrectionError(f"correction {item.get('id')!r}: {err}") from err
            row["id"] = str(item.get("id") or row["id"])
            checked.append(row)
        with self._read() as cur:
            existing = {r[0] for r in cur.execute("SELECT id FROM corrections").fetchall()}
        new = [r for r in checked if r["id"] not in existing]
        self._insert_corrections(list({r["id"]: r for r in new}.values()))
        return len(new)

    def _insert_corrections(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        with self._transaction() as conn:
            conn.bulk_insert("corrections", _CORRECTION_TYPES, [
                {**row, "old_value": json.dumps(row["old_value"], ensure_ascii=False),
                 "new_value": json.dumps(row["new_value"], ensure_ascii=False)} for row in rows],
                conflict="(id) DO NOTHING")

    def corrections(self, event_id: str | None = None) -> list[dict[str, Any]]:
        """The corrections of one event (or of every event), oldest first."""
        with self._read() as cur:
            where, params = ("WHERE event_id = ?", [event_id]) if event_id is not None else ("", [])
            rows = cur.execute(
                f"SELECT {', '.join(correction_rules.COLUMNS)} FROM corrections {where} ORDER BY created_at, id",
                params,
            ).fetchall()
        return [correction_rules.from_sql(r) for r in rows]

    # -- incidents (DESIGN.md section 8; SQL in store/incidents.py) --------------------------

    def resolve_incidents(self, new_records: list[dict[str, Any]] | None = None,
                          config: dict[str, Any] | None = None) -> dict[str, int]:
        """Re-resolve what `new_records` can change (None = rebuild every block), one transaction.

        Within each block the new records fall into, only a closed date range around them is
        re-clustered (resolve/incremental.py), or the whole block where that range cannot be shown
        to give what a full rebuild gives; a block's mentions are the members of its stored
        incidents plus the new ones, so only the affected incidents change. Returns counts (see
        store/incidents.replace_blocks; incidents outside the re-clustered ranges are not counted).
        """
        from sitrep.resolve import block_key, eligible, resolve_records, settings
        from sitrep.store import resolution

        cfg = settings(config)
        by_block: dict[str, list[dict[str, Any]]] = {}
        for record in new_records or []:
            if eligible(record, cfg):
                by_block.setdefault(block_key(record, cfg), []).append(record)
        early: dict[str, resolution.BlockPlan] = {}
        if new_records is not None and by_block and self._plan_outside_lock:
            # cluster without the lock, on what is committed now; kept below where still valid
            with self._read() as cur:
                early = resolution.plan_blocks(cur, by_block, cfg, config)
        with self._transaction() as conn:
            now = _now()
            if new_records is None:
                self._lock_incidents(None)
                rows = conn.execute("SELECT record FROM events WHERE coalesce(kind, 'occurrence') "
                                    "= 'occurrence'").fetchall()
                records = [json.loads(r[0]) for r in rows]
                return incident_tables.replace_blocks(conn, None, resolve_records(records, config), now)
            self._lock_incidents(sorted(by_block))
            replaced: set[str] = set()
            incidents: list[dict[str, Any]] = []
            mentions = incident_tables.block_mentions(conn, sorted(by_block))
            for block in sorted(by_block):
                stored, new = mentions[block], by_block[block]
                plan = early.get(block)
                if plan is None or not resolution.still_valid(plan, stored, new):
                    self.plans_redone += block in early
                    plan = resolution.plan_block(conn, block, stored, new, cfg, config)
                else:
                    self.plans_kept += 1
                replaced |= plan.replaced
                incidents += plan.incidents
            return incident_tables.replace_incidents(conn, sorted(replaced), incidents, now)

    def get_incident(self, incident_id: str) -> dict[str, Any] | None:
        """The incident with this id or alias."""
        with self._read() as cur:
            return incident_tables.get(cur, incident_id)

    def query_incidents(self, flt: EventFilter, *, updated_since: datetime | None = None,
                        limit: int | None = 100, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """(incidents matching, one page newest first); `updated_since` for sync by timestamp."""
        with self._read() as cur:
            return incident_tables.query(cur, flt, updated_since=updated_since, limit=limit, offset=offset)

    def page_incidents(self, flt: EventFilter, *, sort: str = paging.DEFAULT_SORT, limit: int = 100,
                       cursor: str | None = None, offset: int = 0, updated_since: datetime | None = None,
                       count: bool = True) -> paging.EventPage:
        """One page of matching incidents in `sort` order, after `cursor` (page.events are incidents).

        The same filters, sorts (but confidence) and cursors as page_events; `updated_since` keeps
        incidents created or changed at or after that time, for sync by timestamp.
        """
        extra = ("updated_at >= ?", [updated_since]) if updated_since is not None else None
        with self._read() as cur:
            return paging.page_events(cur, flt, sort=sort, limit=limit, cursor=cursor, offset=offset,
                                      count=count, table="incidents", extra=extra)

    def incident_ids(self) -> set[str]:
        with self._read() as cur:
            return {r[0] for r in cur.execute("SELECT id FROM incidents").fetchall()}

    def incident_of(self, event_id: str) -> str | None:
        """The id of the incident this event mention belongs to, or None."""
        with self._read() as cur:
            return incident_tables.incident_of(cur, event_id)

    def count_incidents(self) -> int:
        """How many incidents the store holds."""
        with self._read() as cur:
            return incident_tables.count(cur)

    # -- ingest of web input ---------------------------------------------------------------
    # What `sitrep ingest` needs beyond add_documents: duplicate lookups by URL and MinHash
    # bucket, one transaction per batch that also holds the batch's rejects, near-duplicate
    # links, signatures, citations and the run's progress, and the counts `sitrep status` shows.

    def documents_with_urls(self, urls: list[str]) -> dict[str, str]:
        """{url: id of a stored document with that canonical URL, or reached through it} for `urls`."""
        if not urls:
            return {}
        with self._read() as cur:
            rows = cur.execute(
                "SELECT url, min(id) FROM (SELECT url, id FROM documents UNION ALL "
                f"SELECT url, doc_id FROM document_aliases) AS u WHERE {cur.any_of('url', 'VARCHAR')} GROUP BY url",
                [list(urls)],
            ).fetchall()
        return {url: doc_id for url, doc_id in rows}

    def minhash_candidates(self, buckets: list[int]) -> list[tuple[str, int, list[int]]]:
        """(doc_id, shingles, signature) of original documents sharing an LSH bucket with `buckets`."""
        if not buckets:
            return []
        with self._read() as cur:
            rows = cur.execute(
                "SELECT m.doc_id, m.shingles, m.signature FROM document_minhash m "
                "JOIN documents d ON d.id = m.doc_id AND d.duplicate_of IS NULL "
                "WHERE m.doc_id IN (SELECT doc_id FROM document_bands "
                f"WHERE {cur.any_of('bucket', 'UBIGINT')}) ORDER BY m.doc_id",
                [cur.u64_in(list(buckets))],
            ).fetchall()
            return [(r[0], int(r[1]), cur.u64_out([int(v) for v in r[2]])) for r in rows]

    def add_ingested(self, batch: list[dict[str, Any]], rejects: list[dict[str, Any]], *,
                     run_id: str | None = None) -> tuple[int, int]:
        """Store one ingest batch in ONE transaction; return (documents added, events added).

        Each batch item: {"document": Document.to_dict(), "events": [records], and optional
        "duplicate_of", "similarity", "revision_of", "author", "language", "input_kind", "minhash": {"shingles",
        "signature", "buckets"}, "citations": [dicts], "aliases": [other URLs that led to it]}.
        `rejects`: {"path", "reason", "detail"} (a warning's reason starts with "warning: "); a
        reject is one row per (path, reason), so a re-run does not repeat it, and an input that
        is now stored loses its old rejections. Documents already stored are skipped. On any
        error nothing of the batch is written.
        """
        self._writable()
        now = _now()
        prepared: dict[str, dict[str, Any]] = {}
        for item in batch:
            row = _document_row(item["document"], now, run_id)
            if row["id"] in prepared:
                continue
            row.update({key: item.get(key) for key in _INGEST_DOCUMENT_TYPES})
            events = [flatten(record) for record in item.get("events") or []]
            for columns in events:
                if columns["doc_id"] != row["id"]:
                    raise RecordError(f"event {columns['id']}: doc_id {columns['doc_id']!r} "
                                      f"is not its document's id {row['id']!r}")
            prepared[row["id"]] = {"row": row, "events": events, "minhash": item.get("minhash"),
                                   "citations": item.get("citations") or [], "aliases": item.get("aliases") or []}
        reject_rows = [
            {"id": _reject_id(r["path"], r["reason"]), "path": r["path"], "reason": r["reason"],
             "detail": (r.get("detail") or "")[:1000], "rejected_at": now, "run_id": run_id}
            for r in rejects
        ]
        reject_rows = list({r["id"]: r for r in reject_rows}.values())
        for attempt in range(_RETRIES):
            try:
                with self._transaction() as conn:
                    return self._write_batch(conn, prepared, reject_rows, run_id)
            except StoreConflict:  # a deadlock with another writer, rolled back: run the batch again
                if attempt == _RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _write_batch(self, conn: Connection, prepared: dict[str, dict[str, Any]], reject_rows: list[dict[str, Any]],
                     run_id: str | None) -> tuple[int, int]:
        """add_ingested inside its transaction. Documents go in with ON CONFLICT DO NOTHING and
        only those this transaction inserted bring their events and extras: a concurrent writer
        that stored the same document first (PostgreSQL) wins, and nothing is stored twice."""
        existing = {
            r[0] for r in conn.execute(
                f"SELECT id FROM documents WHERE {conn.any_of('id', 'VARCHAR')}", [list(prepared)]).fetchall()
        } if prepared else set()
        candidates = sorted((v for k, v in prepared.items() if k not in existing), key=lambda v: v["row"]["id"])
        inserted = set(conn.bulk_insert("documents", {**_DOCUMENT_TYPES, **_INGEST_DOCUMENT_TYPES},
                                        [v["row"] for v in candidates], conflict="(id) DO NOTHING",
                                        returning="id"))
        new = [v for v in candidates if v["row"]["id"] in inserted]
        conn.bulk_insert("events", _EVENT_TYPES, [e for v in new for e in v["events"]])
        self._insert_ingest_extras(conn, new)
        if reject_rows:
            conn.bulk_insert("rejects", _REJECT_TYPES, sorted(reject_rows, key=lambda r: r["id"]),
                             conflict="(id) DO UPDATE SET detail = excluded.detail, "
                                      "rejected_at = excluded.rejected_at, run_id = excluded.run_id")
        stored_paths = [v["row"]["path"] for v in new if v["row"]["path"]]
        if stored_paths:
            conn.execute(
                f"DELETE FROM rejects WHERE {conn.any_of('path', 'VARCHAR')} "
                f"AND reason NOT LIKE 'warning: %' AND NOT {conn.any_of('id', 'VARCHAR')}",
                [stored_paths, [r["id"] for r in reject_rows]],
            )
        added_events = sum(len(v["events"]) for v in new)
        if run_id is not None:
            conn.execute(
                "UPDATE runs SET documents_added = coalesce(documents_added, 0) + ?, "
                "events_added = coalesce(events_added, 0) + ?, "
                "rejected = coalesce(rejected, 0) + ? WHERE id = ?",
                [len(new), added_events, sum(not r["reason"].startswith("warning: ") for r in reject_rows),
                 run_id],
            )
        return len(new), added_events

    @staticmethod
    def _insert_ingest_extras(conn: Connection, new: list[dict[str, Any]]) -> None:
        """MinHash signatures, LSH buckets, aliases and citations of newly stored documents (same transaction)."""
        signatures = [(v["row"]["id"], v["minhash"]) for v in new if v["minhash"]]
        if signatures:
            conn.bulk_insert("document_minhash", {"doc_id": "VARCHAR", "shingles": "INTEGER", "signature": "UBIGINT[]"},
                             [{"doc_id": d, "shingles": m["shingles"], "signature": conn.u64_in(list(m["signature"]))}
                              for d, m in signatures])
            conn.bulk_insert("document_bands", {"bucket": "UBIGINT", "doc_id": "VARCHAR"},
                             [{"bucket": b, "doc_id": d} for d, m in signatures
                              for b in conn.u64_in(list(dict.fromkeys(m["buckets"])))])
        aliases = [{"url": url, "doc_id": v["row"]["id"]} for v in new for url in dict.fromkeys(v["aliases"])]
        conn.bulk_insert("document_aliases", {"url": "VARCHAR", "doc_id": "VARCHAR"}, aliases)
        conn.bulk_insert("citations", _CITATION_TYPES, [
            {"doc_id": v["row"]["id"], "position": position,
             **{col: c.get(col) for col in ("number", "outlet", "title", "url", "published", "accessed", "text")},
             "start_offset": c.get("start"), "end_offset": c.get("end")}
            for v in new for position, c in enumerate(v["citations"], start=1)])

    def ingest_status(self) -> dict[str, Any]:
        """What `sitrep status` shows: documents, events, rejects and warnings by reason, last ingest."""
        with self._read() as cur:
            def scalar(sql: str) -> int:
                got = cur.execute(sql).fetchone()
                return int(got[0] or 0) if got else 0

            def grouped(sql: str) -> dict[str, int]:
                return {str(k): int(n) for k, n in cur.execute(sql).fetchall()}

            reasons = grouped("SELECT reason, count(*) AS n FROM rejects GROUP BY reason ORDER BY n DESC, reason")
            last = cur.execute(
                "SELECT id, command, started_at, finished_at, documents_added, events_added, rejected FROM runs "
                "WHERE command LIKE 'ingest%' ORDER BY started_at DESC, id DESC LIMIT 1"
            ).fetchone()
            result: dict[str, Any] = {
                "path": self.location,
                "migrations": self.applied_migrations(),
                "documents": scalar("SELECT count(*) FROM documents"),
                "near_duplicates": scalar("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"),
                "documents_by_kind": grouped(
                    "SELECT coalesce(input_kind, 'text'), count(*) AS n FROM documents GROUP BY 1 ORDER BY n DESC, 1"),
                "with_comments": scalar(
                    "SELECT count(*) FROM documents "
                    f"WHERE {cur.json_names_contain('sections', 'comment')}"),
                "with_references": scalar(
                    "SELECT count(*) FROM documents "
                    f"WHERE {cur.json_names_contain('sections', 'reference')}"),
                "citations": scalar("SELECT count(*) FROM citations"),
                "events": scalar("SELECT count(*) FROM events"),
                "events_by_section": grouped(
                    "SELECT coalesce(section, 'body'), count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, 1"),
                "orphan_events": scalar(
                    "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = e.doc_id)"),
                "rejects": {"total": 0, "by_reason": {}},
                "warnings": {"total": 0, "by_reason": {}},
                "runs": scalar("SELECT count(*) FROM runs"),
                "last_ingest": None,
            }
        for reason, n in reasons.items():
            warned = reason.startswith("warning: ")
            key, name = ("warnings", reason[len("warning: ") :]) if warned else ("rejects", reason)
            result[key]["by_reason"][name] = n
            result[key]["total"] += n
        if last:
            result["last_ingest"] = {
                "id": last[0], "command": last[1], "started_at": _iso(last[2]), "finished_at": _iso(last[3]),
                "state": "finished" if last[3] else "interrupted",
                "documents_added": last[4] or 0, "events_added": last[5] or 0, "rejected": last[6] or 0,
            }
        return result

    # -- moving between backends (store/copy.py) --------------------------------------------

    def table_columns(self, table: str) -> dict[str, str]:
        """{column: SQL type} of one of TABLES, in table order."""
        if table not in TABLES:
            raise StoreError(f"not a sitrep table: {table!r}")
        with self._read() as cur:
            rows = cur.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                f"WHERE table_name = ? AND table_schema = {self._schema_sql} ORDER BY ordinal_position",
                [table]).fetchall()
        return {name: kind for name, kind in rows}

    _schema_sql = "current_schema()"

    def table_counts(self) -> dict[str, int]:
        """Rows in each of TABLES."""
        with self._read() as cur:
            return {t: int((cur.execute(f"SELECT count(*) FROM {t}").fetchone() or (0,))[0]) for t in TABLES}

    def dump_table(self, table: str, batch_size: int = 5000) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
        """(columns, a batch of rows) of one of TABLES, in bounded memory; MinHash values unsigned."""
        columns = list(self.table_columns(table))
        u64 = [i for i, c in enumerate(columns) if (table, c) in _U64_COLUMNS]
        for rows in self._stream(f"SELECT {', '.join(columns)} FROM {table}", batch_size):
            if u64:
                rows = [_map_u64(row, u64, self._conn.u64_out) for row in rows]
            yield columns, rows

    def _stream(self, sql: str, batch_size: int,
                params: Sequence[Any] | None = None) -> Iterator[list[tuple[Any, ...]]]:
        raise NotImplementedError
        yield  # pragma: no cover

    def stream_records(self, flt: EventFilter, *, table: str = "events",
                       batch_size: int = 5000) -> Iterator[dict[str, Any]]:
        """Every matching record (events corrected, or incidents), in storage order, from one query
        read in batches: what an export of any size needs.

        iter_events' keyset pages are newest first but each page re-sorts the matching rows, which
        over a million incidents costs about a second a page; one unordered scan streams them all in
        seconds, in bounded memory (a server-side cursor on PostgreSQL).
        """
        if table not in ("events", "incidents"):
            raise ValueError(f"unknown table {table!r}")
        where, params = where_clause(flt, self._conn)
        for rows in self._stream(f"SELECT record FROM {table} WHERE {where}", batch_size, params):
            records = [_decode(r[0]) if isinstance(r[0], str) else r[0] for r in rows]
            if table == "events":
                with self._read() as cur:
                    records = self._corrected(cur, records)
            yield from records

    # -- pandas and Arrow, typed as the Parquet export (store/frames.py) ---------------------
    record_batches = frames.record_batches
    _columnar_batches = frames.columnar_batches  # DuckDB computes the columns itself
    incidents_arrow = frames.incidents_arrow
    events_arrow = frames.events_arrow
    incidents_frame = frames.incidents_frame
    events_frame = frames.events_frame

    def load_rows(self, conn: Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]],
                  types: dict[str, str]) -> None:
        """Insert rows dumped by another store's dump_table (inside `conn`'s transaction)."""
        u64 = [i for i, c in enumerate(columns) if (table, c) in _U64_COLUMNS]
        if u64:
            rows = [_map_u64(row, u64, conn.u64_in) for row in rows]
        conn.bulk_insert(table, {c: _bulk_type(types[c]) for c in columns},
                         [dict(zip(columns, row, strict=True)) for row in rows])


# MinHash values: unsigned 64-bit in the record of a store, signed on PostgreSQL.
_U64_COLUMNS = {("document_minhash", "signature"), ("document_bands", "bucket")}


def _decode(text: str) -> Any:
    """A stored record's JSON: orjson, about three times json's speed (decoding was a third of a
    million-incident CSV export); json.loads for what orjson refuses (NaN, integers past 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _map_u64(row: tuple[Any, ...], positions: list[int], convert: Any) -> tuple[Any, ...]:
    out = list(row)
    for i in positions:
        value = out[i]
        out[i] = convert(list(value)) if isinstance(value, list) else (convert([value])[0] if value is not None
                                                                         else None)
    return tuple(out)


def _bulk_type(data_type: str) -> str:
    """A type name information_schema gave, as the bulk loaders take it (DuckDB casts to it)."""
    return {"character varying": "VARCHAR", "text": "VARCHAR", "double precision": "DOUBLE", "integer": "INTEGER",
            "bigint": "BIGINT", "jsonb": "JSON", "timestamp without time zone": "TIMESTAMP", "date": "DATE",
            "boolean": "BOOLEAN", "ARRAY": "UBIGINT[]"}.get(data_type, data_type)


# Columns migrations 0003 and 0008 added to `documents`, written by add_ingested (item key = column name).
_INGEST_DOCUMENT_TYPES: dict[str, str] = {
    "duplicate_of": "VARCHAR", "similarity": "DOUBLE", "author": "VARCHAR", "language": "VARCHAR",
    "input_kind": "VARCHAR", "revision_of": "VARCHAR",
}


def _reject_id(path: str, reason: str) -> str:
    """One rejects row per (input, reason): a re-run updates it instead of adding another."""
    return hashlib.sha1(f"{path}\n{reason}".encode()).hexdigest()[:32]


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
