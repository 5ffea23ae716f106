"""`sitrep store copy` through a folder of Parquet files (store/interchange.py), across backends.

A store of each backend is exported to Parquet and loaded into a store of the OTHER backend:
every table's rows come back equal (MinHash values unsigned, JSON, dates and timestamps
included); an unfinished export (no manifest) and a store that is not empty are refused.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from sitrep.store import StoreError, open_store
from sitrep.store.copy import copy_store
from sitrep.store.core import TABLES
from store_backends import new_store_url

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, JSON parsed (backends spell JSON text differently), in a fixed order."""
    with open_store(url, read_only=True) as store:
        out = {}
        for table in TABLES:
            rows = []
            for columns, batch in store.dump_table(table):  # type: ignore[attr-defined]
                types = store.table_columns(table)  # type: ignore[attr-defined]
                json_at = [i for i, c in enumerate(columns) if types[c] in ("JSON", "jsonb")]
                for row in batch:
                    values = list(row)
                    for i in json_at:
                        values[i] = None if values[i] is None else json.loads(values[i])
                    rows.append(tuple(json.dumps(v, sort_keys=True, default=str) for v in values))
            out[table] = sorted(rows)
        return out


def test_a_store_goes_through_parquet_into_the_other_backend(store_url: str, backend: str, tmp_path: Path,
                                                              request: pytest.FixtureRequest) -> None:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from synth import synth_events

    with open_store(store_url) as store:
        store.add_documents(list(synth_events(300)))
        store.resolve_incidents()
        with store._transaction() as conn:  # type: ignore[attr-defined]  # MinHash rows, high bit set
            conn.execute("INSERT INTO document_minhash VALUES (?, ?, ?)",
                         ["0000000000000001", 9, conn.u64_in([2**64 - 1, 5, 2**63])])
    folder = tmp_path / "export"
    counts = copy_store(store_url, f"{folder}/")
    assert counts["events"] == 300 and counts["incidents"] > 0 and counts["document_minhash"] == 1
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"] == counts
    assert pq.read_table(folder / "events.parquet").num_rows == 300  # plain Parquet, readable without sitrep

    other = new_store_url("postgresql" if backend == "duckdb" else "duckdb", tmp_path, request, name="back")
    assert copy_store(str(folder), other) == counts
    assert _rows(other) == _rows(store_url)
    with open_store(other, read_only=True) as back, back._read() as cur:  # type: ignore[attr-defined]
        (signature,) = cur.execute("SELECT signature FROM document_minhash").fetchone()
        assert cur.u64_out(list(signature)) == [2**64 - 1, 5, 2**63]

    with pytest.raises(StoreError, match="not empty"):
        copy_store(str(folder), other)
    (folder / "manifest.json").unlink()
    with pytest.raises(StoreError, match="no manifest.json"):
        copy_store(str(folder), new_store_url(backend, tmp_path, request, name="again"))
