"""The store's records as Arrow record batches, pyarrow Tables and pandas DataFrames, typed by the
Parquet export's schema (export/parquet.py SCHEMAS): what a notebook or a Parquet export reads.

These functions are bound as methods of SqlStore (store/core.py), so both backends have them
through the Store protocol. Rows come from the same filter objects the CLI and the API use
(EventFilter for event mentions, IncidentFilter for incidents). The generic path streams the
records (`stream_records`, corrections applied) through `typed_row`; a backend may offer a
columnar path (`_columnar_batches`: DuckDB computes the columns itself, export/columnar.py) that
gives the same table without a Python dict per record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from sitrep.store.filters import EventFilter

TABLES = {"incidents": "incidents", "mentions": "events"}
BATCH_ROWS = 10_000  # rows per record batch (and Parquet row group): bounded memory at any size
_ORDER = [("event_date", "descending"), ("id", "ascending")]


def record_batches(store: Any, flt: EventFilter, *, unit: str = "incidents",
                   batch_size: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """The matching records of `unit` ("incidents" or "mentions") as record batches of the unit's
    Parquet schema, in storage order, in bounded memory."""
    import pyarrow as pa

    from sitrep.export.parquet import SCHEMAS, typed_row

    if unit not in TABLES:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(TABLES)}")
    fast = store._columnar_batches(flt, unit, batch_size)
    if fast is not None:
        yield from fast
        return
    schema = SCHEMAS[unit]
    rows: list[dict[str, Any]] = []
    for record in store.stream_records(flt, table=TABLES[unit], batch_size=batch_size):
        rows.append(typed_row(record, unit))
        if len(rows) >= batch_size:
            yield pa.RecordBatch.from_pylist(rows, schema=schema)
            rows = []
    if rows:
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def columnar_batches(store: Any, flt: EventFilter, unit: str, batch_size: int) -> Iterator[pa.RecordBatch] | None:
    """A backend's own columnar path, or None for the generic one (the default)."""
    return None


def _table(store: Any, flt: EventFilter, unit: str) -> pa.Table:
    """Every matching record of `unit` as one table, newest first (then by id), as the API lists them."""
    import pyarrow as pa

    from sitrep.export.parquet import SCHEMAS

    table = pa.Table.from_batches(list(record_batches(store, flt, unit=unit)), schema=SCHEMAS[unit])
    return table.sort_by(_ORDER) if table.num_rows else table


def incidents_arrow(store: Any, flt: EventFilter) -> pa.Table:
    """The incidents matching `flt` (an IncidentFilter or EventFilter) as a pyarrow Table with the
    Parquet export's incident schema: dates as date32, figures as int64, actors as lists of structs."""
    return _table(store, flt, "incidents")


def events_arrow(store: Any, flt: EventFilter) -> pa.Table:
    """The event mentions matching `flt` (corrections applied) as a pyarrow Table with the
    Parquet export's mention schema."""
    return _table(store, flt, "mentions")


def incidents_frame(store: Any, flt: EventFilter) -> pd.DataFrame:
    """incidents_arrow as a pandas DataFrame (sitrep.export.frames.to_pandas: dates as datetime64,
    integers as nullable Int64, lists as Python lists of dicts)."""
    from sitrep.export.frames import to_pandas

    return to_pandas(incidents_arrow(store, flt))


def events_frame(store: Any, flt: EventFilter) -> pd.DataFrame:
    """events_arrow as a pandas DataFrame (typed as incidents_frame)."""
    from sitrep.export.frames import to_pandas

    return to_pandas(events_arrow(store, flt))
