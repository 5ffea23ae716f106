"""Hostile inputs (issue 13): bench/hostile_inputs.py's corpus, its fast part, through the ingest driver.

No silent drops: every item read ends as stored, skipped or rejected, each input's items come
out with the outcomes and reasons the generator expects, and the counts add up. (The bench
runs the whole corpus through `sitrep ingest` itself; this runs the driver in-process, fast.)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from sitrep.ingest.runner import ingest
from sitrep.ingest.sources import ReadOptions
from sitrep.store import open_store

pytestmark = pytest.mark.integration
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import hostile_inputs  # noqa: E402


def test_no_silent_drops_and_the_specific_reasons(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "hostile"
    folder.mkdir()
    chosen = hostile_inputs.build(folder, fast_only=True)
    assert len(chosen) >= 40
    roots = sorted({str(folder / Path(c.name).parts[0]) for c in chosen})
    with open_store(tmp_path / "h.duckdb") as store:
        report = ingest(roots, store, pipeline, options=ReadOptions(offline=True))
        stored = [row[0] for row in store._conn.execute("SELECT path FROM documents").fetchall()]
    assert report.read == report.stored + report.skipped + report.rejected and report.unaccounted == 0
    assert report.fetched == 0
    lines = [("rejected", r.path, r.reason, r.detail) for r in report.rejects]
    lines += [("skipped", s.path, s.reason, s.original or "") for s in report.skips]
    per = hostile_inputs.tally(folder, chosen, lines, stored)
    assert per.pop("(none)") == Counter()
    wrong = {c.name: (dict(per[c.name]), dict(hostile_inputs.expected(c))) for c in chosen
             if per[c.name] != hostile_inputs.expected(c)}
    assert not wrong
    assert report.read == sum(len(c.expect) for c in chosen)
