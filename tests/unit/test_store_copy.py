"""`sitrep store copy`: a DuckDB store into PostgreSQL and back, every table and every record intact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import make_document, make_record
from pgcluster import Cluster
from sitrep.store import EventFilter, StoreError, open_store
from sitrep.store.copy import copy_store
from sitrep.store.rollups import ROLLUPS

pytestmark = pytest.mark.postgres


def _fill(url: str) -> None:
    """Documents with events, an ingest batch with a MinHash signature (values above 2**63, which
    PostgreSQL's BIGINT cannot hold as such), a reject, a run, a correction and incidents."""
    with open_store(url) as store:
        run = store.begin_run("ingest test")
        docs = []
        for n, place in enumerate(("Aleppo", "Idlib", "Homs")):
            doc = make_document(f"Government aircraft struck {place} on Monday, killing {n + 3} people.")
            docs.append((doc, [make_record(doc_id=doc["id"], id=f"{doc['id']}-e1")]))
        store.add_documents(docs[:2], run_id=run)
        doc, events = docs[2]
        signature = [2**64 - 1, 2**63, 5]
        store.add_ingested([{"document": doc, "events": events, "aliases": ["https://example.org/short"],
                             "minhash": {"shingles": 12, "signature": signature, "buckets": [2**63 + 7, 9]}}],
                           [{"path": "empty.txt", "reason": "empty", "detail": "0 bytes"}], run_id=run)
        store.finish_run(run, documents=3, events=3, rejected=1)
        store.add_correction(events[0]["id"], "status", "claimed", note="the ministry only claims it")
        store.resolve_incidents(None)


def _contents(url: str) -> dict[str, Any]:
    with open_store(url, read_only=True) as store:
        return {
            "counts": store.table_counts(),
            "events": sorted((r["id"], r["status"]) for r in store.iter_events(EventFilter())),
            "incidents": sorted(store.incident_ids()),
            "minhash": store.minhash_candidates([2**63 + 7]),
            "status": {k: v for k, v in store.ingest_status().items() if k not in ("path", "migrations")},
        }


def test_duckdb_to_postgresql_and_back(pg_cluster: Cluster, tmp_path: Path) -> None:
    source = str(tmp_path / "source.duckdb")
    _fill(source)
    want = _contents(source)
    assert want["minhash"] and want["minhash"][0][2] == [2**64 - 1, 2**63, 5]
    assert ("claimed" in {s for _, s in want["events"]}) and want["counts"]["corrections"] == 1

    pg = pg_cluster.create_database(prefix="copy")
    counts = copy_store(source, pg)
    assert counts == want["counts"]
    assert _contents(pg) == want
    with open_store(pg, read_only=True) as store:  # rollups packed: one row per key, and the sums of the rows
        conn = store._conn  # type: ignore[attr-defined]
        for rollup in ROLLUPS["events"]:
            keys = ", ".join(("date", *rollup.keys))
            rows, distinct, total = conn.execute(
                f"SELECT count(*), count(DISTINCT ({keys})), sum(n) FROM {rollup.name}").fetchone()
            assert rows == distinct and total == want["counts"]["events"], rollup.name

    back = str(tmp_path / "back.duckdb")
    done = subprocess.run([sys.executable, "-m", "sitrep.cli", "store", "copy", pg, back],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "every table's count checked" in done.stdout and "events 3" in done.stdout
    assert _contents(back) == want


def test_copy_refuses_a_destination_that_holds_data(pg_cluster: Cluster, tmp_path: Path) -> None:
    source = str(tmp_path / "source.duckdb")
    _fill(source)
    pg = pg_cluster.create_database(prefix="copy")
    copy_store(source, pg)
    with pytest.raises(StoreError, match="not empty"):
        copy_store(source, pg)
    assert _contents(pg)["counts"] == _contents(source)["counts"]  # nothing added twice
