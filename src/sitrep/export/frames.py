"""Records and flat rows as pandas DataFrames or pyarrow Tables (`sitrep.to_frame`).

Event records (`sitrep.records(doc)`, the API's JSON) and incidents are typed by the Parquet
export's schema (export/parquet.py SCHEMAS), so a frame built in a notebook, one read from the
store (`store.incidents_frame`) and a Parquet export all have the same columns and types. Flat rows
(the CSV/ACLED row dicts, or any list of flat dicts) become a table with the types Arrow infers.

In pandas, dates are datetime64, integers the nullable Int64 (a figure nobody reported stays
missing instead of turning the column into floats) and list columns (actors, sources, members)
Python lists of dicts, as the records hold them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

BACKENDS = ("pandas", "arrow")


def record_unit(record: dict[str, Any]) -> str | None:
    """"incidents" or "mentions" for an incident or an event record, None for a flat row (every
    record has `figures`; an incident also has its `members`)."""
    if "figures" not in record:
        return None
    return "incidents" if "members" in record else "mentions"


def to_arrow(records_or_rows: Iterable[dict[str, Any]], *, unit: str | None = None) -> pa.Table:
    """A pyarrow Table of records (typed by SCHEMAS[unit]; `unit` inferred from the first) or of
    flat rows (types inferred). An empty input gives an empty table of `unit` (mentions by default)."""
    import pyarrow as pa

    from sitrep.export.parquet import SCHEMAS, typed_row

    items = list(records_or_rows)
    kind = unit or (record_unit(items[0]) if items else "mentions")
    if kind is None:
        return pa.Table.from_pylist(items)
    if kind not in SCHEMAS:
        raise ValueError(f"unknown unit {kind!r}; expected one of {', '.join(SCHEMAS)}")
    return pa.Table.from_pylist([typed_row(r, kind) for r in items], schema=SCHEMAS[kind])


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """`table` as a DataFrame: integers Int64, dates datetime64, list columns Python lists."""
    import pandas as pd
    import pyarrow as pa

    integers = {t: pd.Int64Dtype() for t in (pa.int8(), pa.int16(), pa.int32(), pa.int64())}
    frame = table.to_pandas(types_mapper=integers.get, date_as_object=False)
    for field in table.schema:
        if pa.types.is_list(field.type):  # numpy arrays of dicts otherwise
            frame[field.name] = pd.Series(table.column(field.name).to_pylist(), index=frame.index, dtype=object)
    return frame


def to_frame(records_or_rows: Iterable[dict[str, Any]], *, backend: str = "pandas",
             unit: str | None = None) -> pd.DataFrame | pa.Table:
    """Event records, incidents or flat rows as a pandas DataFrame (backend "pandas") or a pyarrow
    Table ("arrow"), typed as the Parquet export is (module docstring).

        >>> frame = sitrep.to_frame(sitrep.records(doc))
        >>> frame[["event_date", "event_type", "location", "killed"]]
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    table = to_arrow(records_or_rows, unit=unit)
    return table if backend == "arrow" else to_pandas(table)
