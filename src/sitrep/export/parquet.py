"""Parquet with a typed schema: dates as dates, figures as integers, actors as lists of structs.

Written in row groups of `ROW_GROUP` records as they stream from the store, so an export of a
million incidents holds one row group in memory, never the whole table. The schema is fixed per unit
(not inferred from the first rows), so every file of a unit reads with the same types in pyarrow,
DuckDB and pandas, whatever the rows hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from sitrep.export.rows import location_columns
from sitrep.store.records import FIGURE_KINDS

ROW_GROUP = 10_000  # rows held as Python dicts at a time: 50k cost ~470 MB more RSS

ACTOR = pa.struct([
    ("text", pa.string()), ("name", pa.string()), ("id", pa.string()), ("country", pa.string()),
    ("sector", pa.string()), ("acled_inter", pa.int8()),
])
SOURCE = pa.struct([
    ("doc_id", pa.string()), ("outlet", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("published", pa.date32()),
])
_PLACE = [
    ("location", pa.string()), ("country", pa.string()), ("admin1", pa.string()), ("admin1_pcode", pa.string()),
    ("latitude", pa.float64()), ("longitude", pa.float64()), ("geo_precision", pa.int8()),
]
_FIGURES = [(name, pa.int64()) for kind in FIGURE_KINDS for name in (f"{kind}_low", kind, f"{kind}_high")]
_TYPES = [
    ("event_date", pa.date32()), ("date_end", pa.date32()), ("time_precision", pa.int8()),
    ("event_type", pa.string()), ("mode", pa.string()),
]

SCHEMAS: dict[str, pa.Schema] = {
    "incidents": pa.schema([
        ("id", pa.string()), *_TYPES, ("status", pa.string()),
        ("acled_event_type", pa.string()), ("acled_sub_event_type", pa.string()),
        ("actors", pa.list_(ACTOR)), ("recipients", pa.list_(ACTOR)), *_PLACE, *_FIGURES,
        ("n_sources", pa.int32()), ("sources", pa.list_(SOURCE)), ("members", pa.list_(pa.string())),
        ("created_at", pa.timestamp("us")), ("updated_at", pa.timestamp("us")),
    ]),
    "mentions": pa.schema([
        ("id", pa.string()), ("doc_id", pa.string()), *_TYPES, ("contexts", pa.list_(pa.string())),
        ("status", pa.string()), ("kind", pa.string()), ("date_basis", pa.string()),
        ("acled_event_type", pa.string()), ("acled_sub_event_type", pa.string()), ("cameo", pa.string()),
        ("quad", pa.int8()),
        ("actors", pa.list_(ACTOR)), ("recipients", pa.list_(ACTOR)), ("claimed_by", pa.list_(ACTOR)),
        ("denied_by", pa.list_(ACTOR)), *_PLACE, *_FIGURES,
        ("evidence", pa.string()), ("section", pa.string()), ("source_url", pa.string()),
        ("source_title", pa.string()), ("publisher", pa.string()), ("published", pa.date32()),
        ("confidence", pa.float64()),
    ]),
}


def typed_row(record: dict[str, Any], unit: str) -> dict[str, Any]:
    """One record as the Python values of its unit's schema (dates as date, figures as int)."""
    acled = record.get("acled") or {}
    figures = record.get("figures") or {}
    row: dict[str, Any] = {
        "id": record.get("id"),
        "event_date": _date(record.get("date")),
        "date_end": _date(record.get("date_end")),
        "time_precision": _int(record.get("time_precision")),
        "event_type": record.get("event_type"),
        "mode": record.get("mode"),
        "status": record.get("status"),
        "acled_event_type": acled.get("event_type"),
        "acled_sub_event_type": acled.get("sub_event_type"),
        "actors": [_actor(a) for a in record.get("actors") or []],
        "recipients": [_actor(a) for a in record.get("recipients") or []],
        **location_columns(record.get("location")),
    }
    row["geo_precision"] = _int(row["geo_precision"])
    for kind in FIGURE_KINDS:
        figure = figures.get(kind) or {}
        row.update({f"{kind}_low": _int(figure.get("low")), kind: _int(figure.get("best")),
                    f"{kind}_high": _int(figure.get("high"))})
    if unit == "incidents":
        row.update({
            "n_sources": _int(record.get("n_sources")),
            "sources": [{"doc_id": s.get("doc_id"), "outlet": s.get("outlet"), "url": s.get("url"),
                         "title": s.get("title"), "published": _date(s.get("published"))}
                        for s in record.get("sources") or []],
            "members": list(record.get("members") or []),
            "created_at": _moment(record.get("created_at")),
            "updated_at": _moment(record.get("updated_at")),
        })
        return row
    evidence = record.get("evidence") or {}
    source = record.get("source") or {}
    row.update({
        "doc_id": record.get("doc_id"),
        "contexts": list(record.get("contexts") or []),
        "kind": record.get("kind") or "occurrence",
        "date_basis": record.get("date_basis"),
        "cameo": record.get("cameo"),
        "quad": _int(record.get("quad")),
        "claimed_by": [_actor(a) for a in record.get("claimed_by") or []],
        "denied_by": [_actor(a) for a in record.get("denied_by") or []],
        "evidence": evidence.get("text"),
        "section": evidence.get("section"),
        "source_url": source.get("url"),
        "source_title": source.get("title"),
        "publisher": source.get("publisher"),
        "published": _date(source.get("published")),
        "confidence": record.get("confidence"),
    })
    return row


def write_parquet(records: Iterable[dict[str, Any]], out: IO[bytes], unit: str) -> int:
    """Stream `records` into a Parquet file on `out`, one row group per ROW_GROUP records."""
    schema = SCHEMAS[unit]
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(typed_row(record, unit))
            if len(batch) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:  # an empty export is still a file with the schema
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def write_batches(batches: Iterable[pa.RecordBatch], out: IO[bytes], unit: str) -> int:
    """Write record batches of SCHEMAS[unit] (a store's `record_batches`) to a Parquet file on
    `out`, one row group per batch; the same file write_parquet makes of the same records."""
    schema = SCHEMAS[unit]
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(batch, row_group_size=ROW_GROUP)
                n += batch.num_rows
        if n == 0:  # an empty export is still a file with the schema
            writer.write_table(schema.empty_table())
    return n


def _actor(actor: dict[str, Any]) -> dict[str, Any]:
    return {"text": actor.get("text"), "name": actor.get("name"), "id": actor.get("id"),
            "country": actor.get("country"), "sector": actor.get("sector"),
            "acled_inter": _int(actor.get("acled_inter"))}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(value: Any) -> date | None:
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None
