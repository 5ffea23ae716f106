"""Four `sitrep ingest` processes at once into one PostgreSQL database, on overlapping inputs.

Each article is given to two or three of the processes, which start together on an empty
database (so they also race to migrate it). Afterwards every count must be exactly what one
process ingesting each article once gives: no document, event or incident twice, every event in
at most one incident, and the incidents those of a single ingest (DESIGN.md section 9; issue 15).
The articles are our own wording of public facts, distinct enough that none is a near-copy of
another (a near-copy's verdict depends on which document was stored first, by design).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pgcluster import Cluster
from sitrep.store import open_store

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

ARTICLES = {
    "douma.txt": "Government forces shelled the town of Douma in Eastern Ghouta on Monday, killing four "
                 "civilians, a local medical council said.",
    "azaz.txt": "Missiles struck a school in Azaz in Aleppo province on Monday, killing 14 people, local "
                "officials said.",
    "mosul.txt": "Iraqi police arrested dozens of men at checkpoints around Mosul on Thursday, the provincial "
                 "council said.",
    "kyiv.txt": "Several thousand people marched through central Kyiv on Sunday to demand early elections.",
    "goma.txt": "Rebels of the M23 movement attacked army positions north of Goma on Tuesday; three soldiers "
                "were killed, an army spokesman said.",
    "aden.txt": "A car bomb exploded near a police station in Aden on Wednesday, killing nine people, "
                "security officials said.",
    "maarat.txt": "Air strikes hit a hospital in Maarat al-Numan in Idlib province on Monday, killing seven "
                  "people, a medical charity said.",
    "mogadishu.txt": "Al-Shabaab fighters stormed a hotel in Mogadishu on Friday and killed at least 12 "
                     "people before security forces ended the siege.",
}
WRITERS = 4


def _ingest(paths: list[Path], url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sitrep.cli", "ingest", *map(str, paths), "--db", url, "--published", "2016-02-16",
         "--batch-size", "1", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ))


def _state(url: str) -> dict[str, Any]:
    with open_store(url, read_only=True) as store:
        conn = store._conn  # type: ignore[attr-defined]

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return conn.execute(sql).fetchall()

        return {
            "documents": sorted(r[0] for r in rows("SELECT id FROM documents")),
            "events": sorted(r[0] for r in rows("SELECT id FROM events")),
            "incidents": sorted(r[0] for r in rows("SELECT id FROM incidents")),
            "members": sorted(rows("SELECT incident_id, event_id FROM incident_members")),
            "memberships_per_event": max((r[0] for r in rows(
                "SELECT count(*) FROM incident_members GROUP BY event_id")), default=0),
        }


def test_four_writers_on_overlapping_inputs_store_everything_once(pg_cluster: Cluster, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    files = []
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
        files.append(folder / name)
    # writer i takes articles 2i .. 2i+4 (wrapping): every article goes to two or three writers
    shares = [[files[(2 * i + k) % len(files)] for k in range(5)] for i in range(WRITERS)]
    assert {f for share in shares for f in share} == set(files)

    shared = pg_cluster.create_database(prefix="concurrent")
    procs = [_ingest(share, shared) for share in shares]
    outputs = [p.communicate(timeout=900)[0] for p in procs]
    for proc, out in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, out

    single = pg_cluster.create_database(prefix="single")
    one = _ingest(files, single)
    out = one.communicate(timeout=900)[0]
    assert one.returncode == 0, out

    got, want = _state(shared), _state(single)
    assert len(want["documents"]) == len(ARTICLES) and len(want["events"]) >= len(ARTICLES)
    assert got == want
    assert got["memberships_per_event"] == 1
    # every writer reported only what it stored itself: the added documents sum to the total
    with open_store(shared, read_only=True) as store:
        added = store._conn.execute(  # type: ignore[attr-defined]
            "SELECT sum(documents_added), sum(events_added), count(*) FROM runs").fetchone()
    assert added == (len(ARTICLES), len(want["events"]), WRITERS)
