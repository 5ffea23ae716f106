"""The API pages consistently while another process writes to the same PostgreSQL store (issue 15).

A writer process stores a batch of new events between every two pages the API serves (the test
tells it when, over a pipe, and waits for its commit: no timing involved). The new events' dates
fall anywhere in the sort order, before and after the cursor. Keyset paging must then list no
event twice and every event committed before the first page; of the new ones, those sorting
after the cursor may appear. DuckDB is not in this test: it allows no second process to write
while the server holds the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitrep.store import open_store
from sitrep.store.filters import EventFilter
from sitrep.web.app import create_app

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]
BEFORE, LATER, PAGE = 40, 30, 20  # documents stored first, documents written one per page, page size

# Stores the documents after the first BEFORE of bench/synth.py's fixed sequence (8 events each),
# one per line read from stdin (none once LATER are written), answering "ok N" (N events) once
# the document is committed.
_WRITER = f"""
import sys
sys.path.insert(0, {str(ROOT / "bench")!r})
from synth import synth_events
from sitrep.store import open_store
pairs = list(synth_events({(BEFORE + LATER) * 8}))[{BEFORE}:]
with open_store(sys.argv[1]) as store:
    for i, _ in enumerate(sys.stdin):
        batch = pairs[i:i + 1]
        store.add_documents(batch)
        print("ok", sum(len(events) for _, events in batch), flush=True)
"""


def _synth(count: int) -> list[tuple[dict, list[dict]]]:
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import synth_events

    return list(synth_events(count))


@pytest.fixture
def pg_url(pg_cluster: object) -> str:
    return pg_cluster.create_database(prefix="paging")  # type: ignore[attr-defined]


def test_keyset_pages_hold_every_committed_event_once_while_another_process_writes(pg_url: str) -> None:
    with open_store(pg_url) as store:
        store.add_documents(_synth(BEFORE * 8))
        committed = {e["id"] for e in store.iter_events(EventFilter())}
    assert len(committed) == BEFORE * 8

    writer = subprocess.Popen([sys.executable, "-c", _WRITER, pg_url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    written = 0
    try:
        with TestClient(create_app(pg_url)) as client:
            params: dict[str, str | int] = {"limit": PAGE, "sort": "-date"}
            while True:
                body = client.get("/api/events", params=params).json()
                seen += [e["id"] for e in body["events"]]
                if not body["next_cursor"]:
                    break
                writer.stdin.write("next\n")  # type: ignore[union-attr]
                writer.stdin.flush()  # type: ignore[union-attr]
                answer = writer.stdout.readline()  # type: ignore[union-attr]
                assert answer.startswith("ok "), writer.stderr.read()  # type: ignore[union-attr]
                written += int(answer.split()[1])
                params = {"limit": PAGE, "sort": "-date", "cursor": body["next_cursor"]}
    finally:
        writer.stdin.close()  # type: ignore[union-attr]
        writer.wait(timeout=60)
    assert writer.returncode == 0, writer.stderr.read()  # type: ignore[union-attr]
    assert written > 0
    assert len(seen) == len(set(seen)), "an event listed twice"
    assert committed <= set(seen), f"{len(committed - set(seen))} committed events skipped"
    with open_store(pg_url, read_only=True) as store:
        stored = {e["id"] for e in store.iter_events(EventFilter())}
    assert len(stored) == len(committed) + written
    assert set(seen) - committed, "no write landed ahead of the cursor: the test did not interleave"
