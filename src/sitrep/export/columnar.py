"""The typed columns of export/parquet.py's SCHEMAS computed by DuckDB from the stored JSON record,
so a Parquet export or an Arrow table leaves the store as Arrow record batches, never as Python dicts.

Why: at a million incidents the record-at-a-time path (json.loads, typed_row, Table.from_pylist)
costs about two minutes of one core; DuckDB reads the same fields from the JSON in its own threads in
seconds. The schema stays the one in export/parquet.py: each column's SQL is generated from its
Arrow type and from where the column comes from in the record (SOURCES below), and the batches are
cast to SCHEMAS[unit] at the end. The rules follow typed_row exactly (an integer column takes only a
JSON integer, a date its first ten characters, `location` the resolved name else the text, `kind`
"occurrence" when absent, a missing list an empty list); tests/unit/test_frames.py checks that
both paths give equal tables on a store of every field shape.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from sitrep.export.parquet import SCHEMAS
from sitrep.store.records import FIGURE_KINDS

# Where a column comes from: a path of keys into the record. Columns not listed here are read
# from the record's key of the same name; list-of-struct columns read each struct field from the
# item's key of the same name.
_SHARED: dict[str, tuple[str, ...]] = {
    "event_date": ("date",),
    "acled_event_type": ("acled", "event_type"),
    "acled_sub_event_type": ("acled", "sub_event_type"),
    "country": ("location", "country"),
    "admin1": ("location", "admin1"),
    "admin1_pcode": ("location", "admin1_pcode"),
    "latitude": ("location", "lat"),
    "longitude": ("location", "lon"),
    "geo_precision": ("location", "geo_precision"),
    **{name: ("figures", kind, part) for kind in FIGURE_KINDS
       for name, part in ((f"{kind}_low", "low"), (kind, "best"), (f"{kind}_high", "high"))},
}
SOURCES: dict[str, dict[str, tuple[str, ...]]] = {
    "incidents": dict(_SHARED),
    "mentions": {
        **_SHARED,
        "evidence": ("evidence", "text"),
        "section": ("evidence", "section"),
        "source_url": ("source", "url"),
        "source_title": ("source", "title"),
        "publisher": ("source", "publisher"),
        "published": ("source", "published"),
    },
}


def duckdb_select(unit: str, rows: str, column: str = "record") -> str:
    """A SELECT computing SCHEMAS[unit]'s columns, in order, from the JSON `column` of `rows` (the
    FROM clause: a table, with its WHERE clause, or a subquery). The record is parsed once
    (json_transform into a struct of the fields the columns read), each column read from that."""
    sources = SOURCES[unit]
    structure: dict[str, Any] = {}
    parts = []
    for field in SCHEMAS[unit]:
        path = sources.get(field.name, (field.name,))
        if field.name == "location":
            _need(structure, ("location", "name"), pa.string())
            _need(structure, ("location", "text"), pa.string())
            expr = f"COALESCE(NULLIF({_field('r', ('location', 'name'))}, ''), {_field('r', ('location', 'text'))})"
        elif field.name == "kind":
            _need(structure, path, pa.string())
            expr = f"COALESCE(NULLIF({_field('r', path)}, ''), 'occurrence')"
        else:
            _need(structure, path, field.type)
            expr = _value(_field("r", path), field.type)
        parts.append(f'{expr} AS "{field.name}"')
    columns = ",\n       ".join(parts)
    return (f"SELECT {columns}\nFROM (SELECT json_transform({column}, {_quote(json.dumps(structure))}) AS r "
            f"FROM {rows})")


def cast(batch: pa.RecordBatch, unit: str) -> pa.RecordBatch:
    """A batch of duckdb_select's columns with SCHEMAS[unit] exactly (field types and widths)."""
    return batch.cast(SCHEMAS[unit])


def _need(structure: dict[str, Any], path: tuple[str, ...], kind: pa.DataType) -> None:
    """Add the JSON type `path` is read as to the json_transform structure."""
    node = structure
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = _json_type(kind)


def _json_type(kind: pa.DataType) -> Any:
    """How json_transform reads a value: integers as JSON (so only a JSON integer becomes one, as
    typed_row takes only an int), dates and timestamps as text (cut and cast afterwards)."""
    if pa.types.is_integer(kind):
        return "JSON"
    if pa.types.is_floating(kind):
        return "DOUBLE"
    if pa.types.is_list(kind):
        return [_json_type(kind.value_type)]
    if pa.types.is_struct(kind):
        return {f.name: _json_type(f.type) for f in kind}
    return "VARCHAR"


def _value(expr: str, kind: pa.DataType) -> str:
    """The column's value from the transformed field `expr`."""
    if pa.types.is_string(kind) or pa.types.is_floating(kind):
        return expr
    if pa.types.is_date(kind):
        return f"CAST(left(NULLIF({expr}, ''), 10) AS DATE)"
    if pa.types.is_timestamp(kind):
        return f"CAST(NULLIF({expr}, '') AS TIMESTAMP)"
    if pa.types.is_integer(kind):
        sql_type = _INTEGERS[kind.bit_width]
        return f"CASE WHEN json_type({expr}) IN ('BIGINT', 'UBIGINT') THEN CAST({expr} AS {sql_type}) END"
    if pa.types.is_list(kind) and pa.types.is_string(kind.value_type):
        return f"COALESCE({expr}, [])"
    if pa.types.is_list(kind) and pa.types.is_struct(kind.value_type):
        fields = ", ".join(f'"{f.name}" := {_value(_field("item", (f.name,)), f.type)}' for f in kind.value_type)
        return f"COALESCE(list_transform({expr}, lambda item: struct_pack({fields})), [])"
    raise TypeError(f"no SQL for a column of Arrow type {kind}")


_INTEGERS = {8: "TINYINT", 16: "SMALLINT", 32: "INTEGER", 64: "BIGINT"}


def _field(name: str, path: tuple[str, ...]) -> str:
    return name + "".join(f'."{key}"' for key in path)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
