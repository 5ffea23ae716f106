"""Durability: SIGKILL a real `sitrep ingest` after its first batches, then check and resume, on
each backend (a DuckDB file; a PostgreSQL database, whose server outlives the killed client).

Each batch is one transaction holding its documents, their events and the run's progress, so
after a kill at any moment the store opens, holds whole batches only, has no event without
its document, and a re-run stores every remaining document exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitrep.store import open_store

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
DOCS = 300
BATCH = 10
TOWNS = ["Douma", "Harasta", "Daraya", "Zabadani", "Madaya", "Rastan", "Talbiseh", "Anadan", "Azaz", "Tal Rifaat",
         "Jisr al-Shughur", "Saraqib", "Maarat al-Numan", "Khan Shaykhun", "Palmyra", "Deir ez-Zor", "Manbij",
         "Jarabulus", "Al-Bab", "Raqqa"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _corpus(folder: Path) -> list[Path]:
    """DOCS short, distinct reports (too short to count as near-copies of one another)."""
    paths = []
    for i in range(DOCS):
        town, day = TOWNS[i % len(TOWNS)], DAYS[i % len(DAYS)]
        text = (f"Government aircraft struck {town} on {day}, killing {i % 17 + 2} civilians and wounding "
                f"{i % 23 + 5} others, local rescue workers said in report number {i + 1}.")
        path = folder / f"report-{i:03d}.txt"
        path.write_text(f"---\ntitle: Strike on {town} ({i + 1})\npublished: 2016-02-{i % 28 + 1:02d}\n---\n{text}\n")
        paths.append(path)
    return paths


def _sitrep(*args: str) -> list[str]:
    return [sys.executable, "-m", "sitrep.cli", *args]


def test_killed_ingest_leaves_whole_batches_and_a_rerun_completes(tmp_path: Path, store_url: str) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    paths = _corpus(folder)
    db = store_url
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    args = ["ingest", str(folder), "--db", str(db), "--batch-size", str(BATCH), "--no-progress", "-v"]
    proc = subprocess.Popen(_sitrep(*args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    seen: list[str] = []
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            line = proc.stderr.readline()  # type: ignore[union-attr]
            if not line:
                break
            seen.append(line)
            if line.startswith("committed batch 3:"):
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        if proc.poll() is None and not any(s.startswith("committed batch 3:") for s in seen):
            proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)

    with open_store(db) as store:  # opens (DuckDB replays its log) and migrates as a re-run would
        conn = store._conn
        (stored,) = conn.execute("SELECT count(*) FROM documents").fetchone()
        (orphans,) = conn.execute(
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = e.doc_id)"
        ).fetchone()
        runs = conn.execute("SELECT finished_at, documents_added, events_added FROM runs").fetchall()
        (events,) = conn.execute("SELECT count(*) FROM events").fetchone()
    assert 3 * BATCH <= stored < DOCS
    assert stored % BATCH == 0  # whole batches only: nothing of the batch in flight
    assert orphans == 0
    ((finished, added, events_added),) = runs
    assert finished is None  # the run is known as interrupted
    assert (added, events_added) == (stored, events)  # its progress was committed with its batches

    rerun = subprocess.run(_sitrep(*args), capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"ingested {DOCS - stored} documents" in rerun.stdout
    assert f"skipped {stored} already stored" in rerun.stdout

    with open_store(db, read_only=True) as store:
        conn = store._conn
        rows = conn.execute("SELECT path, count(*) FROM documents GROUP BY path").fetchall()
        (orphans,) = conn.execute(
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = e.doc_id)"
        ).fetchone()
        status = store.ingest_status()
    assert sorted(path for path, _ in rows) == sorted(str(p) for p in paths)
    assert all(count == 1 for _, count in rows)
    assert orphans == 0 and status["documents"] == DOCS and status["last_ingest"]["state"] == "finished"
