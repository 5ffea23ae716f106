"""`sitrep incidents` end to end: texts written here ingested into a real store, then listed,
shown (by id and by alias), exported as CSV and rebuilt."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store_backends import BACKENDS, new_store_url

pytestmark = pytest.mark.integration

# Our own wording of public facts (the February 2016 strikes in Idlib and Aleppo provinces).
TEXTS = {
    "a.txt": "Air strikes hit a hospital in Maarat al-Numan in Idlib province on Monday, killing seven people, "
             "a medical charity said.",
    "b.txt": "At least nine people were killed on Monday when warplanes struck a hospital in Maarat al-Numan "
             "in Idlib province, a monitoring group said.",
    "c.txt": "Missiles struck a school in Azaz in Aleppo province on Monday, killing 14 people, "
             "local officials said.",
}


def sitrep(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=600)


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The texts ingested one batch each (incremental resolution) into each backend."""
    folder = tmp_path_factory.mktemp("texts")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = new_store_url(request.param, folder, request, name="store")
    result = sitrep("ingest", str(folder), "--db", str(path), "--published", "2016-02-16", "--batch-size", "1")
    assert result.returncode == 0, result.stderr
    return path


def _incidents(db: str, *extra: str) -> list[dict]:
    result = sitrep("incidents", "--db", str(db), "--format", "jsonl", "--limit", "0", *extra)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_reports_of_one_strike_are_one_incident(db: str) -> None:
    incidents = _incidents(db)
    events = sitrep("events", "--db", str(db), "--format", "jsonl", "--limit", "0")
    assert events.returncode == 0
    assert incidents, events.stdout
    hospital = [i for i in incidents if (i["location"] or {}).get("name") == "Maarat al-Numan"]
    azaz = [i for i in incidents if (i["location"] or {}).get("name") == "Azaz"]
    assert len(hospital) == 1 and len(azaz) == 1, [(i["location"], i["members"]) for i in incidents]
    assert hospital[0]["n_sources"] == 2
    killed = hospital[0]["figures"]["killed"]
    assert killed["best"] == 7 and killed["high"] == 9
    assert sorted(r["value"] for r in killed["reports"]) == [7, 9]
    assert _incidents(db, "--country", "SYR", "--place", "Azaz")[0]["id"] == azaz[0]["id"]


def test_show_csv_and_rebuild(db: str) -> None:
    first = _incidents(db)[0]
    shown = sitrep("incidents", "--db", str(db), "show", first["id"])
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["members"] == first["members"]
    missing = sitrep("incidents", "--db", str(db), "show", "inc-0000")
    assert missing.returncode != 0 and "no incident" in missing.stderr
    rows = list(csv.DictReader(io.StringIO(sitrep("incidents", "--db", str(db), "--format", "csv").stdout)))
    assert {r["id"] for r in rows} == {i["id"] for i in _incidents(db)}
    rebuilt = sitrep("incidents", "--db", str(db), "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "0 ids changed" in rebuilt.stdout
    assert {i["id"] for i in _incidents(db)} == {r["id"] for r in rows}


def test_alias_of_a_merged_incident_resolves(tmp_path: Path) -> None:
    from sitrep.resolve.reconcile import incident_id
    from sitrep.store import open_store

    def report(eid: str, doc: str, killed: int, published: str) -> dict:
        text = f"An air strike on a hospital in Maarat al-Numan killed {killed}."
        return {"id": eid, "doc_id": doc, "event_type": "ASSAULT", "status": "asserted", "kind": "occurrence",
                "date": "2016-02-15", "time_precision": 1,
                "location": {"name": "Maarat al-Numan", "lat": 35.64, "lon": 36.67, "country": "SYR",
                             "admin1": "Idlib", "geo_precision": 1},
                "actors": [], "recipients": [], "figures": {"killed": {"low": killed, "best": killed,
                                                                         "high": killed, "hedge": None}},
                "evidence": {"text": text, "start": 0, "end": len(text), "section": "body"},
                "source": {"url": f"https://example.org/{doc}", "publisher": doc, "published": published},
                "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}}

    path = tmp_path / "s.duckdb"
    strict = {"threshold": 1.0, "weights": {"text": 50.0}}  # these two reports' wording differs: no merge
    with open_store(path) as store:
        # n was published first: its id survives the merge although b-5 sorts first
        for doc, eid, killed, published in (("n", "n-5", 9, "2016-02-15"), ("b", "b-5", 7, "2016-02-16")):
            record = report(eid, doc, killed, published)
            store.add_ingested([{"document": {"id": doc, "text": "x"}, "events": [record]}], [])
            store.resolve_incidents([record], strict)
        assert store.incident_ids() == {incident_id("n-5"), incident_id("b-5")}
        store.resolve_incidents(None)  # the default settings merge them
        assert store.incident_ids() == {incident_id("n-5")}
    shown = sitrep("incidents", "--db", str(path), "show", incident_id("b-5"))
    assert shown.returncode == 0, shown.stderr
    merged = json.loads(shown.stdout)
    assert merged["id"] == incident_id("n-5") and merged["members"] == ["b-5", "n-5"]


def test_a_later_report_with_a_smaller_event_id_keeps_the_incident_id(tmp_path: Path) -> None:
    """The id users cite stays: a report published later does not rename the incident, even
    when its event id sorts first."""
    from sitrep.resolve.reconcile import incident_id
    from sitrep.store import open_store

    text = "An air strike on a hospital in Maarat al-Numan killed 9."

    def report(eid: str, doc: str, published: str) -> dict:
        return {"id": eid, "doc_id": doc, "event_type": "ASSAULT", "status": "asserted", "kind": "occurrence",
                "date": "2016-02-15", "time_precision": 1,
                "location": {"name": "Maarat al-Numan", "lat": 35.64, "lon": 36.67, "country": "SYR",
                             "admin1": "Idlib", "geo_precision": 1},
                "actors": [], "recipients": [],
                "figures": {"killed": {"low": 9, "best": 9, "high": 9, "hedge": None}},
                "evidence": {"text": text, "start": 0, "end": len(text), "section": "body"},
                "source": {"url": f"https://example.org/{doc}", "publisher": doc, "published": published},
                "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}}

    with open_store(tmp_path / "s.duckdb") as store:
        for doc, eid, published in (("z", "z-1", "2016-02-15"), ("a", "a-1", "2016-02-16")):
            record = report(eid, doc, published)
            store.add_ingested([{"document": {"id": doc, "text": "x"}, "events": [record]}], [])
            counts = store.resolve_incidents([record])
        assert counts["created"] == 0 and counts["aliased"] == 0, counts
        assert store.incident_ids() == {incident_id("z-1")}
        assert store.get_incident(incident_id("z-1"))["members"] == ["a-1", "z-1"]
