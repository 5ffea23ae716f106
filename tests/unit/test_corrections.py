"""An analyst's corrections (store/corrections.py, migration 0009): checked, kept beside the record as
extracted, applied on every read (one event, pages, streams, exports), and still applied after the
same document is ingested again or into a rebuilt store (the event ids stay the same)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import make_document, make_record
from sitrep.export import write_events
from sitrep.store import Store, open_store
from sitrep.store.corrections import CorrectionError, check
from sitrep.store.filters import EventFilter

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "examples" / "19-khan-shaykhun.txt"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    doc = make_document()
    with open_store(store_url) as s:
        s.add_documents([(doc, [make_record(doc_id=doc["id"])])])
        yield s


def test_values_are_checked_and_normalised() -> None:
    assert check("figures.killed", 72) == {"low": 72, "best": 72, "high": 72, "hedge": None}
    assert check("figures.killed", {"low": 70, "best": 72, "high": None})["high"] is None
    assert check("figures.killed", None) is None
    assert check("location.country", "Syria") == "SYR"
    assert check("actors", ["Hamas"])[0]["name"] == "Hamas"
    for field, value in (("figures.killed", "72"), ("figures.killed", True), ("date", "5 April"),
                         ("status", "rumoured"), ("location.name", ""), ("actors", [3]), ("nope", 1)):
        with pytest.raises(CorrectionError):
            check(field, value)


def test_a_correction_applies_on_every_read_and_keeps_the_original(store: Store) -> None:
    event_id = store.query_events(EventFilter.parse())[1][0]["id"]
    stored = store.add_correction(event_id, "figures.killed", 15, note="hospital count", author="a.n.")
    assert stored["old_value"]["best"] == 12 and stored["new_value"]["best"] == 15
    store.add_correction(event_id, "event_type", "COERCE")

    for record in (store.get_event(event_id), store.query_events(EventFilter.parse())[1][0],
                   store.page_events(EventFilter.parse()).events[0], next(store.iter_events(EventFilter.parse())),
                   store.document_events(store.get_event(event_id)["doc_id"])[0]):
        assert record["figures"]["killed"]["best"] == 15 and record["event_type"] == "COERCE"
        assert record["corrected"] is True
        assert record["original"]["figures.killed"]["best"] == 12 and record["original"]["event_type"] == "ASSAULT"
        assert [c["field"] for c in record["corrections"]] == ["figures.killed", "event_type"]
    assert store.get_event(event_id, corrected=False)["figures"]["killed"]["best"] == 12  # as extracted

    out = io.StringIO()
    write_events(store.iter_events(EventFilter.parse()), "csv", out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["killed"] == "15" and row["event_type"] == "COERCE"
    with pytest.raises(KeyError):
        store.add_correction("no-such-event", "status", "denied")


def sitrep(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-m", "sitrep.cli", *args], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_a_correction_survives_reingesting_the_document_and_a_rebuilt_store(tmp_path: Path) -> None:
    db, rebuilt = tmp_path / "first.duckdb", tmp_path / "rebuilt.duckdb"
    sitrep("ingest", str(ARTICLE), "--db", str(db))
    with open_store(db) as store:
        record = store.query_events(EventFilter.parse(text="at least 72"))[1][0]
        store.add_correction(record["id"], "figures.killed", {"low": 72, "best": 72, "high": None},
                             note="the sentence says at least 72")

    sitrep("ingest", str(ARTICLE), "--db", str(db))  # the same document again
    with open_store(db, read_only=True) as store:
        again = store.get_event(record["id"])
        assert again is not None and again["figures"]["killed"]["best"] == 72 and again["corrected"]

    # A store rebuilt from the same document gets the same event id, so the exported corrections apply.
    exported = tmp_path / "corrections.jsonl"
    sitrep("corrections", "export", "--db", str(db), "-o", str(exported))
    sitrep("ingest", str(ARTICLE), "--db", str(rebuilt))
    assert "imported 1 corrections" in sitrep("corrections", "import", str(exported), "--db", str(rebuilt)).stdout
    assert "imported 0 corrections" in sitrep("corrections", "import", str(exported), "--db", str(rebuilt)).stdout
    jsonl = sitrep("export", "--unit", "mentions", "--format", "jsonl", "--db", str(rebuilt),
                   "--text", "at least 72").stdout
    records = [json.loads(line) for line in jsonl.splitlines() if line.strip()]
    exported_record = next(r for r in records if r["id"] == record["id"])
    assert exported_record["figures"]["killed"]["best"] == 72
    assert exported_record["original"]["figures.killed"] == record["figures"]["killed"]
    listed = sitrep("corrections", "list", "--db", str(rebuilt), "--json").stdout
    assert json.loads(listed.splitlines()[0])["event_id"] == record["id"]
