"""`sitrep ingest --workers 2` stores exactly what `--workers 1` stores: documents, events (ids and
records) and incidents, row for row. Small batches, so that several are in flight in the workers
while the parent commits in input order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.store import open_store
from store_snapshot import snapshot

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _ingest(db: Path, workers: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitrep.cli", "ingest", str(ROOT / "examples"), "--db", str(db),
                           "--workers", str(workers), "--batch-size", "4", "--no-progress"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_two_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    one, two = _ingest(tmp_path / "one.duckdb", 1), _ingest(tmp_path / "two.duckdb", 2)
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    with open_store(str(tmp_path / "one.duckdb"), read_only=True) as a, \
            open_store(str(tmp_path / "two.duckdb"), read_only=True) as b:
        first, second = snapshot(a), snapshot(b)
        assert len(first["documents"]) > 8 and len(first["events"]) > 50 and first["incidents"]
        for table in first:
            assert first[table] == second[table], table
        assert a.summary()["documents"] == b.summary()["documents"]
    # the run's own account agrees too: same counts printed (the time and the store's path aside)
    assert one.stdout.splitlines()[0].split(" in ")[0] == two.stdout.splitlines()[0].split(" in ")[0]



SIX = ["03-kunduz-hospital-strike.txt", "07-bab-al-salama-border.txt", "12-manbij-sdf.txt",
       "19-khan-shaykhun.txt", "26-sanaa-funeral-strike.txt", "27-dalori-boko-haram.txt"]


def _extract(workers: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitrep.cli", "extract", *(str(ROOT / "examples" / n) for n in SIX),
                           "--workers", str(workers), "--batch-size", "2"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_extract_with_two_workers_prints_what_one_process_prints() -> None:
    """Six articles of the sample corpus in batches of two: three batches go through the pool of two."""
    one, two = _extract(1), _extract(2)
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    lines = one.stdout.splitlines()
    assert len(lines) > 20 and len({json.loads(line)["doc_id"] for line in lines}) == 6
    assert two.stdout == one.stdout
