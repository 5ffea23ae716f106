"""`sitrep run` on a Dask LocalCluster of 2 worker processes, then `sitrep load`: the store holds
the same documents, events (ids and records) and incidents as a local `sitrep ingest`, loading
twice adds nothing, and a worker killed mid-run has its tasks run again without duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from sitrep.distributed import load, run
from sitrep.store import open_store
from store_snapshot import snapshot

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = str(ROOT / "examples")


def _sitrep(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=900)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two single-threaded worker processes; closed however the tests end."""
    local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield local
    finally:
        local.close()


@pytest.fixture(scope="module")
def local_ingest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, ...]]]:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    done = _sitrep("ingest", EXAMPLES, "--db", str(db), "--workers", "1", "--no-progress")
    assert done.returncode == 0, done.stderr
    with open_store(str(db), read_only=True) as store:
        return snapshot(store)


def _same(expected: dict[str, list[tuple[Any, ...]]], db: Path) -> None:
    with open_store(str(db), read_only=True) as store:
        got = snapshot(store)
    assert len(expected["documents"]) > 8 and len(expected["events"]) > 50 and expected["incidents"]
    for table in expected:
        assert got[table] == expected[table], table


def test_run_then_load_gives_the_local_ingest(cluster: Any, local_ingest: dict, tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "loaded.duckdb"
    ran = _sitrep("run", EXAMPLES, "--scheduler", cluster.scheduler_address, "--out", str(out),
                  "--partition-size", "8")
    assert ran.returncode == 0, ran.stderr
    assert (out / "manifest.json").exists()
    assert len(list((out / "events").glob("part-*.parquet"))) == 5  # 37 documents, 8 a partition
    first = _sitrep("load", str(out), "--db", str(db))
    assert first.returncode == 0, first.stderr
    _same(local_ingest, db)
    again = _sitrep("load", str(out), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert "0 documents, 0 events added, 37 already stored" in again.stdout
    _same(local_ingest, db)


def test_a_worker_killed_mid_run_is_retried_without_duplicates(cluster: Any, local_ingest: dict,
                                                               tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "loaded.duckdb"
    with distributed.Client(cluster.scheduler_address) as client:
        before = client.run(os.getpid)
        killed: list[int] = []

        def kill_one(report: Any, counts: dict[str, int]) -> None:
            if not killed and report.partitions > len(report.done) + 1:  # tasks still running
                victim = next(iter(before.values()))
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        report = run([EXAMPLES], out, client, partition_size=2, window=6, on_partition=kill_one)
        client.wait_for_workers(2, timeout=120)
        after = client.run(os.getpid)
    assert killed and killed[0] not in after.values()  # the nanny started a new worker process
    assert sorted(report.done) == list(range(report.partitions)) and report.partitions == 19
    event_ids = [i for part in sorted((out / "events").glob("part-*.parquet"))
                 for i in pq.read_table(part, columns=["id"]).column("id").to_pylist()]
    assert len(event_ids) == len(set(event_ids)) == len(local_ingest["events"])
    with open_store(str(db)) as store:
        loaded = load(out, store)
    assert loaded.documents == len(local_ingest["documents"])
    _same(local_ingest, db)


def test_cli_run_on_its_own_local_cluster(tmp_path: Path) -> None:
    """`--scheduler local` (the CLI's own LocalCluster, started and closed by the command) on two
    articles, one per partition: loaded, the store holds what a local ingest of them holds."""
    inputs = [str(ROOT / "examples" / name) for name in ("19-khan-shaykhun.txt", "27-dalori-boko-haram.txt")]
    out, db, local_db = tmp_path / "out", tmp_path / "loaded.duckdb", tmp_path / "local.duckdb"
    ran = _sitrep("run", *inputs, "--scheduler", "local", "--out", str(out), "--partition-size", "1")
    assert ran.returncode == 0, ran.stderr
    assert len(list((out / "events").glob("part-*.parquet"))) == 2
    assert _sitrep("load", str(out), "--db", str(db)).returncode == 0
    local = _sitrep("ingest", *inputs, "--db", str(local_db), "--workers", "1", "--no-progress")
    assert local.returncode == 0, local.stderr
    with open_store(str(local_db), read_only=True) as store:
        expected = snapshot(store)
    assert len(expected["documents"]) == 2 and len(expected["events"]) > 5
    with open_store(str(db), read_only=True) as store:
        got = snapshot(store)
    for table in expected:
        assert got[table] == expected[table], table
