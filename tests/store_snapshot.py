"""What two stores must share to count as the same result: every row of the tables a run writes,
less the columns that say when or by which run (ingested_at, run ids, timestamps)."""

from __future__ import annotations

import json
from typing import Any

_TABLES = ("documents", "events", "incidents", "incident_members", "document_minhash", "citations", "rejects")
_WHEN = {"ingested_at", "run_id", "created_at", "updated_at", "rejected_at"}


def snapshot(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows (sorted, timing columns left out)."""
    tables = {}
    for table in _TABLES:
        rows: list[tuple[Any, ...]] = []
        for columns, batch in store.dump_table(table):
            keep = [i for i, name in enumerate(columns) if name not in _WHEN]
            rows.extend(tuple(_untimed(columns[i], row[i]) for i in keep) for row in batch)
        tables[table] = sorted(rows, key=repr)
    return tables


def _untimed(column: str, value: Any) -> Any:
    """An incident's record (JSON) repeats its created_at/updated_at: left out like the columns."""
    if column != "record" or not isinstance(value, str):
        return value
    data = json.loads(value)
    if isinstance(data, dict):
        for key in _WHEN:
            data.pop(key, None)
    return json.dumps(data, sort_keys=True)
