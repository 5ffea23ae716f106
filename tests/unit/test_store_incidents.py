"""Incidents in the DuckDB store: pages, aggregates, streams and exports over incidents, the
migration that gives them flat figure columns, and ids that survive later reports."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sitrep.export import INCIDENT_CSV_COLUMNS, write_events
from sitrep.store import EventFilter, FilterError, Store, open_store
from sitrep.store.duckdb_store import migration_files

# Our own wording of public facts: strikes in Idlib (February 2016) and shelling in Kharkiv (2022).
PLACES = {
    "maarat": {"name": "Maarat al-Numan", "lat": 35.64, "lon": 36.67, "country": "SYR", "admin1": "Idlib",
               "geo_precision": 1},
    "azaz": {"name": "Azaz", "lat": 36.59, "lon": 37.04, "country": "SYR", "admin1": "Aleppo", "geo_precision": 1},
    "kharkiv": {"name": "Kharkiv", "lat": 49.99, "lon": 36.23, "country": "UKR", "admin1": "Kharkiv",
                "geo_precision": 1},
}


def report(eid: str, doc: str, place: str, day: str, killed: int, *, displaced: int | None = None,
           published: str = "2016-02-16") -> dict[str, Any]:
    text = f"Strikes hit {PLACES[place]['name']} on {day}, killing {killed} people."
    figures: dict[str, Any] = {"killed": {"low": killed, "best": killed, "high": killed, "hedge": None}}
    if displaced is not None:
        figures["displaced"] = {"low": displaced, "best": displaced, "high": displaced, "hedge": None}
    return {"id": eid, "doc_id": doc, "event_type": "ASSAULT", "status": "asserted", "kind": "occurrence",
            "date": day, "time_precision": 1, "location": dict(PLACES[place]), "actors": [], "recipients": [],
            "figures": figures, "evidence": {"text": text, "start": 0, "end": len(text), "section": "body"},
            "source": {"url": f"https://example.org/{doc}", "publisher": f"outlet-{doc}", "published": published},
            "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}}


REPORTS = [
    report("a-1", "a", "maarat", "2016-02-15", 7, displaced=300),
    report("b-1", "b", "maarat", "2016-02-15", 9, published="2016-02-17"),
    report("c-1", "c", "azaz", "2016-02-15", 14),
    report("d-1", "d", "kharkiv", "2022-03-01", 10, published="2022-03-02"),
    report("e-1", "e", "kharkiv", "2022-03-01", 11, published="2022-03-03"),
]


def ingest(store: Store, records: list[dict[str, Any]]) -> dict[str, int]:
    for record in records:
        store.add_ingested([{"document": {"id": record["doc_id"], "text": record["evidence"]["text"]},
                             "events": [record]}], [])
    return store.resolve_incidents(records)


@pytest.fixture
def store(store_url: str):
    with open_store(store_url) as s:
        ingest(s, REPORTS)
        yield s


def test_five_reports_are_three_incidents_with_reconciled_columns(store: Store) -> None:
    page = store.page_incidents(EventFilter(), sort="-killed")
    assert page.total == 3
    assert [sorted(i["members"]) for i in page.events] == [["c-1"], ["d-1", "e-1"], ["a-1", "b-1"]]
    row = store._conn.execute("SELECT killed_low, killed, killed_high, displaced, published FROM incidents "
                              "WHERE country = 'SYR' AND admin1 = 'Idlib'").fetchone()
    assert row[:4] == (7, 7, 9, 300) and str(row[4]) == "2016-02-16"


def test_incident_pages_follow_cursors_and_filters(store: Store) -> None:
    first = store.page_incidents(EventFilter(), sort="date", limit=2)
    assert first.total == 3 and len(first.events) == 2 and first.next_cursor
    rest = store.page_incidents(EventFilter(), sort="date", limit=2, cursor=first.next_cursor)
    assert rest.next_cursor is None and len(rest.events) == 1
    assert [i["date"] for i in first.events + rest.events] == ["2016-02-15", "2016-02-15", "2022-03-01"]
    ukr = store.page_incidents(EventFilter(country="UKR"))
    assert ukr.total == 1 and sorted(ukr.events[0]["members"]) == ["d-1", "e-1"]
    with pytest.raises(FilterError, match="other filters"):  # an events cursor is not an incidents one
        store.page_incidents(EventFilter(), sort="date", cursor=store.page_events(
            EventFilter(), sort="date", limit=2).next_cursor)
    with pytest.raises(FilterError, match="unknown sort"):
        store.page_incidents(EventFilter(), sort="confidence")


def test_updated_since_returns_what_changed(store: Store) -> None:
    mark = datetime.now()
    assert store.page_incidents(EventFilter(), updated_since=mark).total == 0
    ingest(store, [report("f-1", "f", "azaz", "2016-02-15", 16, published="2016-02-18")])
    changed = store.page_incidents(EventFilter(), updated_since=mark)
    assert changed.total == 1 and sorted(changed.events[0]["members"]) == ["c-1", "f-1"]


def test_aggregates_count_incidents_or_mentions(store: Store) -> None:
    mentions = store.aggregate_events(EventFilter(), "country", unit="mentions")
    incidents = store.aggregate_events(EventFilter(), "country", unit="incidents")
    assert {g["key"]: g["count"] for g in mentions["groups"]} == {"SYR": 3, "UKR": 2}
    assert {g["key"]: g["count"] for g in incidents["groups"]} == {"SYR": 2, "UKR": 1}
    assert incidents["unit"] == "incidents"
    # mentions add every report's toll (7 + 9 + 14 + 10 + 11); incidents add each one's best once
    assert mentions["figures"]["killed"]["best"] == 51
    assert incidents["figures"]["killed"]["best"] == 7 + 14 + 10
    with pytest.raises(FilterError, match="unknown unit"):
        store.aggregate_events(EventFilter(), "country", unit="reports")


def test_incident_exports_are_one_row_each(store: Store) -> None:
    out = io.StringIO()
    assert write_events(store.iter_events(EventFilter(), table="incidents"), "csv", out, unit="incidents") == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == INCIDENT_CSV_COLUMNS
    idlib = next(r for r in rows if r["admin1"] == "Idlib")
    assert (idlib["killed_low"], idlib["killed"], idlib["killed_high"]) == ("7", "7", "9")
    assert idlib["outlets"] == "outlet-a; outlet-b" and idlib["n_sources"] == "2"
    assert idlib["members"] == "a-1; b-1" and idlib["first_published"] == "2016-02-16"
    geo = io.StringIO()
    assert write_events(store.iter_events(EventFilter(), table="incidents"), "geojson", geo, unit="incidents") == 3
    features = json.loads(geo.getvalue())["features"]
    assert {f["properties"]["n_sources"] for f in features} == {1, 2}


def test_ids_do_not_depend_on_the_order_reports_arrive(store_url: str, other_store_url: str) -> None:
    """Later reports whose event ids sort first leave every incident id as it was."""
    with open_store(store_url) as forward, open_store(other_store_url) as backward:
        ingest(forward, REPORTS)
        for record in reversed(REPORTS):
            ingest(backward, [record])
        assert forward.incident_ids() == backward.incident_ids()
        for incident_id in forward.incident_ids():
            assert forward.get_incident(incident_id)["members"] == backward.get_incident(incident_id)["members"]


def test_the_figures_migration_fills_stored_incidents(tmp_path: Path) -> None:
    """A store written before migration 0007 gets each incident's ranges from its record."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMP)")
    for name, sql in migration_files():
        if name >= "0007":
            break
        con.execute(sql.read_text())
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
    record = {"id": "inc-1", "figures": {"killed": {"low": 3, "best": 3, "high": 8},
                                         "displaced": {"low": 40, "best": 50, "high": 60}},
              "sources": [{"published": "2016-02-16"}]}
    con.execute("INSERT INTO incidents (id, block, killed, created_at, updated_at, record) "
                "VALUES ('inc-1', 'b', 3, now(), now(), ?)", [json.dumps(record)])
    con.close()
    with open_store(path) as store:
        row = store._conn.execute("SELECT killed_low, killed, killed_high, displaced_low, displaced, "
                                  "displaced_high, published FROM incidents").fetchone()
    assert row[:6] == (3, 3, 8, 40, 50, 60) and str(row[6]) == "2016-02-16"


# -- contested: an incident status events do not have ---------------------------------------------

def contested_reports() -> list[dict[str, Any]]:
    """A strike on Azaz claimed by one outlet's report and denied by another's (one incident)."""
    claim = report("g-1", "g", "azaz", "2016-02-20", 5, published="2016-02-21")
    claim["status"] = "claimed"
    claim["claimed_by"] = [{"text": "the rebels", "name": "Rebel Group (Syria)", "id": "SYR_REB"}]
    denial = report("h-1", "h", "azaz", "2016-02-20", 5, published="2016-02-22")
    denial["status"] = "denied"
    return [claim, denial]


def test_a_claim_and_its_denial_are_one_contested_incident_the_status_filter_finds(tmp_path: Path) -> None:
    from sitrep.store import IncidentFilter, open_store

    with open_store(tmp_path / "c.duckdb") as s:
        ingest(s, REPORTS + contested_reports())
        page = s.page_incidents(IncidentFilter.parse(status="contested"))
        assert page.total == 1 and page.events[0]["members"] == ["g-1", "h-1"]
        assert page.events[0]["status"] == "contested"
        total, rows = s.query_incidents(IncidentFilter.parse(status="asserted,contested"), limit=None)
        assert total == 4 and "g-1" in {m for r in rows for m in r["members"]}
        assert s.page_incidents(IncidentFilter.parse(status="claimed")).total == 0
        # events keep their statuses: contested is no status of a mention
        with pytest.raises(FilterError, match="unknown status 'contested'"):
            EventFilter.parse(status="contested")
        with pytest.raises(FilterError, match="unknown status 'disputed'.*contested"):
            IncidentFilter.parse(status="disputed")


def test_the_incidents_command_filters_contested_and_events_refuse_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sitrep.cli import main

    db = tmp_path / "c.duckdb"
    with open_store(db) as s:
        ingest(s, REPORTS + contested_reports())
    runner = CliRunner()
    result = runner.invoke(main, ["incidents", "--db", str(db), "--status", "contested", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert [(r["members"], r["status"]) for r in lines] == [(["g-1", "h-1"], "contested")]
    exported = runner.invoke(main, ["export", "--db", str(db), "--unit", "incidents", "--status", "contested",
                                    "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    assert [json.loads(line)["status"] for line in exported.output.splitlines() if line.strip()] == ["contested"]
    refused = runner.invoke(main, ["events", "--db", str(db), "--status", "contested"])
    assert refused.exit_code == 2 and "unknown status 'contested'" in refused.output
