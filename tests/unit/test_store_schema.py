"""Both backends' migrations must reach one schema: the same tables with the same columns, of
compatible types (issue 15 review). `sitrep store copy` and the shared SQL of
store/core.py rely on it; a migration added to one folder and forgotten in the other fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.store import open_store
from sitrep.store.rollups import ROLLUPS
from store_backends import new_store_url

# DuckDB's type -> PostgreSQL's (information_schema.columns.data_type). MinHash values are
# unsigned 64-bit in DuckDB and the signed BIGINT of the same bits in PostgreSQL (postgres_store.py).
COMPATIBLE = {
    "VARCHAR": "text", "INTEGER": "integer", "BIGINT": "bigint", "DOUBLE": "double precision",
    "DATE": "date", "TIMESTAMP": "timestamp without time zone", "BOOLEAN": "boolean", "JSON": "jsonb",
    "UBIGINT": "bigint", "UBIGINT[]": "ARRAY",
}
# PostgreSQL-only tables: the aggregate rollups its triggers keep (derived, never copied).
PG_ONLY = {r.name for rollups in ROLLUPS.values() for r in rollups}
_COLUMNS = ("SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema()")


@pytest.mark.postgres
def test_both_backends_migrate_to_the_same_tables_and_columns(tmp_path: Path,
                                                              request: pytest.FixtureRequest) -> None:
    schemas = {}
    for backend in ("duckdb", "postgresql"):
        with open_store(new_store_url(backend, tmp_path, request, name="schema")) as store, \
                store._read() as cur:  # type: ignore[attr-defined]
            schemas[backend] = {(t, c): ty for t, c, ty in cur.execute(_COLUMNS).fetchall()}
    duck, pg = schemas["duckdb"], schemas["postgresql"]
    assert {t for t, _ in pg} - {t for t, _ in duck} == PG_ONLY
    pg = {key: ty for key, ty in pg.items() if key[0] not in PG_ONLY}
    assert set(duck) == set(pg), (sorted(set(duck) - set(pg)), sorted(set(pg) - set(duck)))
    wrong = {key: (duck[key], pg[key]) for key in duck if COMPATIBLE.get(duck[key]) != pg[key]}
    assert not wrong
    assert len(duck) > 150  # every table's columns were read, not an empty schema
