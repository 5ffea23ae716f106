"""Acceptance, as a new user would try it: `sitrep ingest examples/web`, then again, then `sitrep status`.

The folder holds a saved opinion page with five reader comments and a comment form, an
analysis ending in a reference list, a feed, a WARC and broken files (empty, binary,
truncated HTML, French, a malformed feed). One command ingests it; comments and references
are their own sections and give no events; the broken files are listed with reasons; a
second run adds nothing. (Killing a run and resuming is tests/integration/test_ingest_kill.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.store import open_store

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "examples" / "web"
BROKEN = {
    "broken/empty.txt": "empty (no text)",
    "broken/leaflet-scan.html": "binary (a PNG image)",
    "broken/truncated-report.html": "truncated (",
    "broken/rapport-alep.txt": "not English (detected fr",
    "broken/broken-feed.xml": "malformed feed (",
}


def _sitrep(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], capture_output=True, text=True, env=env,
                          timeout=600)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess,
                                                            subprocess.CompletedProcess]:
    db = tmp_path_factory.mktemp("acceptance") / "web.duckdb"
    first = _sitrep("ingest", str(WEB), "--db", str(db))
    second = _sitrep("ingest", str(WEB), "--db", str(db))
    return db, first, second


def test_one_command_ingests_the_folder_and_lists_broken_files(runs) -> None:  # type: ignore[no-untyped-def]
    _, first, _ = runs
    assert first.returncode == 1, first.stderr  # 1: some inputs were rejected
    lines = [line for line in first.stderr.splitlines() if line.startswith("rejected ")]
    for name, reason in BROKEN.items():
        assert any(f"{name}: {reason}" in line for line in lines), (name, first.stderr)
    assert "feed.xml#4: no text" in first.stderr
    assert "aleppo-clashes-continue: HTTP error" in first.stderr
    assert "ingested 4 documents" in first.stdout
    assert "linked 1 near-duplicate" in first.stdout
    assert "rejected by reason:" in first.stdout and "not English 1" in first.stdout
    assert "Traceback" not in first.stderr


def test_rerun_adds_nothing(runs) -> None:  # type: ignore[no-untyped-def]
    _, _, second = runs
    assert second.returncode == 1
    assert "ingested 0 documents (0 events), skipped 8 already stored, rejected 7" in second.stdout


def test_comments_and_references_are_sections_without_events(runs) -> None:  # type: ignore[no-untyped-def]
    db = runs[0]
    events = _sitrep("events", "--db", str(db), "--format", "jsonl", "--limit", "0")
    records = [json.loads(line) for line in events.stdout.splitlines()]
    assert records and {r["evidence"]["section"] for r in records} <= {"title", "body"}
    evidence = " ".join(r["evidence"]["text"] for r in records)
    for comment_words in ("paid to post", "jihadist propaganda account", "Marches have never stopped"):
        assert comment_words not in evidence
    assert "accessed 5 January 2017" not in evidence
    with open_store(db, read_only=True) as store:
        (opinion,) = store._conn.execute("SELECT id FROM documents WHERE url LIKE '%noose-around-aleppo%'").fetchall()
        (analysis,) = store._conn.execute("SELECT id FROM documents WHERE url LIKE '%carrier-home%'").fetchall()
        page = store.get_document(opinion[0])
        cited = store._conn.execute(
            "SELECT number, outlet, accessed FROM citations WHERE doc_id = ? ORDER BY position", [analysis[0]]
        ).fetchall()
        report = store.get_document(analysis[0])
    labels = [s["label"] for s in page["sections"] if s["name"] == "comment" and s["label"]]
    assert labels == ["1", "2", "3", "4", "5"]
    assert "Please enter your comment" not in page["text"] and "Please enter your name here" not in page["text"]
    assert [s["label"] for s in report["sections"] if s["name"] == "reference" and s["label"]] == ["1", "2", "3"]
    assert [(n, o, str(a)) for n, o, a in cited] == [(1, "CNN", "2017-01-05"), (2, "BBC News", "2017-01-06"),
                                                      (3, "The Guardian", "2017-01-06")]


def test_status_reports_what_happened(runs) -> None:  # type: ignore[no-untyped-def]
    db = runs[0]
    data = json.loads(_sitrep("status", "--db", str(db), "--json").stdout)
    assert (data["documents"], data["near_duplicates"], data["with_comments"], data["with_references"]) == (5, 1, 1, 1)
    assert data["rejects"]["total"] == 7 and data["rejects"]["by_reason"]["not English"] == 1
    assert data["last_ingest"]["state"] == "finished" and data["last_ingest"]["documents_added"] == 0
    assert data["runs"] == 2 and data["orphan_events"] == 0
    text = _sitrep("status", "--db", str(db))
    assert text.returncode == 0 and "rejects: 7: " in text.stdout and "last ingest:" in text.stdout


def test_status_without_a_store_says_so(tmp_path: Path) -> None:
    result = _sitrep("status", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 3 and "no store at" in result.stderr  # 3: the store is unavailable
