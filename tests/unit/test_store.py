"""The store on real databases, DuckDB files and PostgreSQL: migrations, idempotent and atomic batches, filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from helpers import make_document, make_record
from sitrep.document import Document
from sitrep.store import EventFilter, FilterError, IntegrityError, RecordError, Store, StoreError, flatten, open_store
from sitrep.store.base import default_url
from sitrep.store.duckdb_store import migration_files

HOSTILE = "'; DROP TABLE events; --"


def item(text: str, *records: dict[str, Any], url: str | None = None) -> tuple[dict, list[dict]]:
    """(document dict, its records) with each record's doc_id and id tied to the document."""
    doc = make_document(text, url=url)
    bound = []
    for n, record in enumerate(records, start=1):
        record = dict(record, doc_id=doc["id"])
        if record["id"] == "auto":
            record["id"] = f"{doc['id']}-e{n}"
        bound.append(record)
    return doc, bound


def rec(**overrides: Any) -> dict[str, Any]:
    """A record whose id `item` assigns ("<doc_id>-eN") unless one is given."""
    return make_record(**{"id": "auto", **overrides})


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to compare a store before and after a failed batch."""
    return {
        table: sorted(store._conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        for table in ("schema_migrations", "documents", "events", "rejects", "runs")
    }


def ids(records: list[dict]) -> list[str]:
    return [r["id"] for r in records]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sitrep.duckdb"


@pytest.fixture
def store(store_url: str):
    """An empty store of each backend (tests/store_backends.py)."""
    with open_store(store_url) as s:
        yield s


# -- migrations ------------------------------------------------------------------------------

def test_migrations_are_applied_once_and_recorded(db_path: Path) -> None:
    names = [name for name, _ in migration_files()]
    assert names and names[0] == "0001_init"
    with open_store(db_path) as store:
        assert store.applied_migrations() == names
        assert store.migrate() == []
    with open_store(db_path) as store:  # reopening applies nothing again
        assert store.migrate() == []
        assert store.applied_migrations() == names
        cur = store._conn.cursor()
        rows = cur.execute("SELECT name, applied_at FROM schema_migrations").fetchall()
        assert [r[0] for r in rows] == names and all(r[1] is not None for r in rows)
        indexes = {r[0] for r in cur.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
        for column in ("date", "country", "event_type", "doc_id"):
            assert f"events_{column}_idx" in indexes


def test_default_path_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SITREP_DB", raising=False)
    assert default_url() == "sitrep.duckdb"
    monkeypatch.setenv("SITREP_DB", str(tmp_path / "x.duckdb"))
    assert default_url() == str(tmp_path / "x.duckdb")
    monkeypatch.chdir(tmp_path)
    with open_store() as store:  # no URL: $SITREP_DB
        assert store.location == str(tmp_path / "x.duckdb")
    with open_store(f"duckdb://{tmp_path / 'y.duckdb'}") as store:
        assert (tmp_path / "y.duckdb").exists() and store.location == str(tmp_path / "y.duckdb")
    with pytest.raises(StoreError, match="unknown store URL"):
        open_store("mysql://localhost/x")


# -- writes ----------------------------------------------------------------------------------

def test_readding_the_same_document_adds_nothing(store: Store) -> None:
    batch = [item("Shelling hit Idlib.", rec(), rec(event_type="PROTEST"))]
    assert store.add_documents(batch) == 1
    before = dump(store)
    assert store.add_documents(batch) == 0
    assert dump(store) == before
    # A repeat inside one batch is stored once too.
    other = item("Talks resumed in Geneva.", rec(event_type="CONSULT"))
    assert store.add_documents([other, other]) == 1
    assert store.summary()["documents"] == 2
    assert store.summary()["events"] == 3


def test_batch_with_bad_date_leaves_store_unchanged(store: Store) -> None:
    store.add_documents([item("First report.", rec())])
    before = dump(store)
    bad = [item("Second report.", rec()), item("Third report.", rec(), rec(date="2016-13-45"))]
    with pytest.raises(RecordError, match="2016-13-45"):
        store.add_documents(bad)
    assert dump(store) == before


def test_batch_failing_inside_the_database_rolls_back(store: Store) -> None:
    store.add_documents([item("First report.", rec())])
    before = dump(store)
    first = item("Second report.", rec(id="dup-1"))
    second = item("Third report.", rec(id="dup-1"))  # same event id: the events insert fails
    with pytest.raises(IntegrityError):
        store.add_documents([first, second])
    assert dump(store) == before
    assert not store.has_document(first[0]["id"])
    # The connection is still usable afterwards.
    assert store.add_documents([first]) == 1


def test_event_of_another_document_is_refused(store: Store) -> None:
    doc, records = item("A report.", rec())
    records[0]["doc_id"] = "someotherdoc0000"
    with pytest.raises(RecordError, match="doc_id"):
        store.add_documents([(doc, records)])
    assert store.summary()["documents"] == 0


def test_runs_and_rejects_are_recorded(store: Store) -> None:
    assert store.summary()["last_run"] is None
    run = store.begin_run("ingest examples/")
    store.add_documents([item("A report.", rec())], run_id=run)
    store.add_reject("examples/empty.txt", "empty", "0 bytes", run_id=run)
    store.finish_run(run, documents=1, events=1, rejected=1)
    summary = store.summary()
    assert summary["rejects"] == 1
    last = summary["last_run"]
    assert last["id"] == run and last["command"] == "ingest examples/"
    assert (last["documents_added"], last["events_added"], last["rejected"]) == (1, 1, 1)
    assert last["finished_at"] >= last["started_at"]
    cur = store._conn
    assert cur.execute("SELECT DISTINCT run_id FROM documents").fetchall() == [(run,)]
    assert cur.execute("SELECT path, reason, run_id FROM rejects").fetchall() == [
        ("examples/empty.txt", "empty", run)
    ]


# -- reads -----------------------------------------------------------------------------------

def test_get_event_and_document_round_trip(store: Store) -> None:
    doc, records = item("Aircraft struck Aleppo. Protesters gathered in Idlib.",
                        rec(evidence={"text": "Protesters gathered in Idlib.", "start": 24, "end": 53,
                                      "section": "body"}, event_type="PROTEST"),
                        rec())
    store.add_documents([(doc, records)])
    assert store.get_event(records[0]["id"]) == records[0]
    assert store.get_event("nope") is None
    got = store.get_document(doc["id"])
    assert got is not None
    assert {k: got[k] for k in doc} == doc
    assert got["event_ids"] == [records[1]["id"], records[0]["id"]]  # in text order
    assert Document.from_dict(got).text == doc["text"]
    assert store.get_document("nope") is None
    assert store.has_document(doc["id"]) and not store.has_document("nope")


def test_summary_counts(store: Store) -> None:
    store.add_documents([
        item("One.", rec(), rec(event_type="PROTEST", status="claimed")),
        item("Two.", rec(location=None), rec(location={"text": "Mosul", "name": "Mosul", "country": "irq"})),
    ])
    summary = store.summary()
    assert (summary["documents"], summary["events"], summary["rejects"]) == (2, 4, 0)
    assert summary["by_type"] == {"ASSAULT": 3, "PROTEST": 1}
    assert summary["by_status"] == {"asserted": 3, "claimed": 1}
    assert summary["by_country"] == {"SYR": 2, "IRQ": 1}  # the event without a location has none


def test_read_only_store_reads_and_refuses_writes(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.add_documents([item("A report.", rec())])
        with pytest.raises(StoreError, match="one writing process"):  # DuckDB: no reader beside a writer
            open_store(db_path, read_only=True)
    with open_store(db_path, read_only=True) as ro:
        total, records = ro.query_events(EventFilter())
        assert total == 1 and len(records) == 1
        with pytest.raises(StoreError, match="read-only"):
            ro.add_documents([item("Another.", rec())])
        with pytest.raises(StoreError):
            ro.begin_run("x")
        with pytest.raises(StoreError):  # the file itself is read-only too
            ro._conn.execute("DELETE FROM events")
    with pytest.raises(StoreError, match="no store"):
        open_store(db_path.with_name("missing.duckdb"), read_only=True)


# -- filters ---------------------------------------------------------------------------------

@pytest.fixture
def filled(store: Store) -> Store:
    aleppo = {"text": "Aleppo", "name": "Aleppo", "lat": 36.2, "lon": 37.13, "country": "SYR",
              "admin1": "Aleppo", "admin1_pcode": "SY02", "geo_precision": 1}
    douma = {"text": "Douma", "name": "Douma", "lat": 33.57, "lon": 36.4, "country": "SYR",
             "admin1": "Rif Dimashq", "admin1_pcode": "SY03", "geo_precision": 1}
    mosul = {"text": "Mosul", "name": "Mosul", "lat": 36.34, "lon": 43.13, "country": "IRQ",
             "admin1": "Nineveh", "admin1_pcode": None, "geo_precision": 1}
    opposition = [{"text": "rebels", "name": "Opposition Rebels (Syria)", "id": "SYR_REB", "country": "SYR"}]
    isis = [{"text": "the militants", "name": "Islamic State", "id": "IMGISI", "country": None}]
    store.add_documents([
        item("Doc A.",
             rec(id="auto", date="2016-02-03", location=aleppo),
             rec(id="auto", date="2016-02-05", location=douma, event_type="PROTEST", status="claimed",
                 actors=opposition, evidence={"text": "Turnout rose 50% in Douma.", "start": 0, "end": 26,
                                              "section": "body"})),
        item("Doc B.",
             rec(id="auto", date="2016-10-20", location=mosul, recipients=isis, status="planned",
                 source={"url": None, "title": "Offensive on Mosul", "publisher": None,
                         "published": "2016-10-21"}),
             rec(id="auto", date=None, date_end=None, location=None, event_type="CONSULT")),
    ])
    return store


def matching(store: Store, **kwargs: Any) -> set[str]:
    total, records = store.query_events(EventFilter.parse(**kwargs), limit=None)
    assert total == len(records)
    return {f"{r['location']['name'] if r['location'] else None}/{r['event_type']}" for r in records}


def test_empty_filter_returns_everything(filled: Store) -> None:
    assert matching(filled) == {"Aleppo/ASSAULT", "Douma/PROTEST", "Mosul/ASSAULT", "None/CONSULT"}


def test_only_occurrences_unless_another_kind_is_asked_for(store: Store) -> None:
    store.add_documents([
        item("Doc K.",
             rec(id="auto", kind="occurrence", date_basis="stated"),
             rec(id="auto", kind="background", event_type="PROTEST", date_basis="stated"),
             rec(id="auto", kind="commentary", event_type="CONSULT", date_basis="published"),
             rec(id="auto", event_type="AID")),  # a record from before the narrative stage: no kind
    ])
    assert matching(store) == {"Aleppo/ASSAULT", "Aleppo/AID"}
    assert matching(store, kind="background,commentary") == {"Aleppo/PROTEST", "Aleppo/CONSULT"}
    assert len(matching(store, kind="all")) == 4
    assert store.summary()["by_kind"] == {"occurrence": 2, "background": 1, "commentary": 1}
    with pytest.raises(FilterError, match="unknown kind 'rumour'"):
        EventFilter.parse(kind="rumour")
    with pytest.raises(RecordError, match="unknown kind"):
        flatten(make_record(kind="gossip"))


def test_the_kind_migration_makes_old_records_occurrences(db_path: Path) -> None:
    """A store written before migration 0005 keeps every event, each counted as an occurrence
    unless its record already says otherwise."""
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMP)")
    for name, path in migration_files():
        if name >= "0005":
            break
        con.execute(path.read_text())
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
    for n, record in enumerate(['{"id": "e1"}', '{"id": "e2", "kind": "background"}']):
        con.execute("INSERT INTO events (id, doc_id, event_type, record) VALUES (?, 'd', 'ASSAULT', ?)",
                    [f"e{n + 1}", record])
    con.close()
    with open_store(db_path) as store:
        assert "0005_event_kind" in store.applied_migrations()
        kinds = store._conn.execute("SELECT kind FROM events ORDER BY id").fetchall()
        assert [k for (k,) in kinds] == ["occurrence", "background"]


@pytest.mark.parametrize("value", ["SYR", "syr", "Syria", "  syria ", "Syrian Arab Republic"])
def test_country_filter_accepts_codes_and_names(filled: Store, value: str) -> None:
    assert matching(filled, country=value) == {"Aleppo/ASSAULT", "Douma/PROTEST"}


def test_country_filter_rejects_unknown_names(filled: Store) -> None:
    assert matching(filled, country="Iraq") == {"Mosul/ASSAULT"}
    assert matching(filled, country="LBN") == set()
    with pytest.raises(FilterError, match="Syria"):
        filled.query_events(EventFilter(country="Syra"))
    with pytest.raises(FilterError, match="unknown country"):
        filled.query_events(EventFilter(country=HOSTILE))


def test_place_filter_matches_place_or_admin1(filled: Store) -> None:
    assert matching(filled, place="alep") == {"Aleppo/ASSAULT"}
    assert matching(filled, place="DIMASHQ") == {"Douma/PROTEST"}
    assert matching(filled, place="ninev") == {"Mosul/ASSAULT"}


def test_actor_filter_searches_names_texts_and_ids(filled: Store) -> None:
    assert matching(filled, actor="opposition rebels") == {"Douma/PROTEST"}
    assert matching(filled, actor="syr_reb") == {"Douma/PROTEST"}
    assert matching(filled, actor="the militants") == {"Mosul/ASSAULT"}  # recipient's surface text
    assert matching(filled, actor="IMGISI") == {"Mosul/ASSAULT"}
    assert matching(filled, actor="Civilians") == {"Aleppo/ASSAULT", "Douma/PROTEST", "None/CONSULT"}


def test_type_and_status_filters_are_lists(filled: Store) -> None:
    assert matching(filled, event_type="protest,consult") == {"Douma/PROTEST", "None/CONSULT"}
    assert matching(filled, status=["planned", "claimed"]) == {"Douma/PROTEST", "Mosul/ASSAULT"}
    assert matching(filled, event_type="ASSAULT", status="asserted") == {"Aleppo/ASSAULT"}


def test_date_range_is_inclusive(filled: Store) -> None:
    both = {"Aleppo/ASSAULT", "Douma/PROTEST"}
    assert matching(filled, date_from="2016-02-03", date_to="2016-02-05") == both
    assert matching(filled, date_from="2016-02-04") == {"Douma/PROTEST", "Mosul/ASSAULT"}
    assert matching(filled, date_to="2016-02-03") == {"Aleppo/ASSAULT"}


def test_text_filter_searches_evidence_and_title(filled: Store) -> None:
    assert matching(filled, text="turnout") == {"Douma/PROTEST"}
    assert matching(filled, text="offensive on") == {"Mosul/ASSAULT"}


def test_like_wildcards_are_literal(filled: Store) -> None:
    assert matching(filled, text="%") == {"Douma/PROTEST"}  # only the evidence with a literal %
    assert matching(filled, text="50%") == {"Douma/PROTEST"}
    assert matching(filled, place="_") == set()
    assert matching(filled, place="%") == set()
    assert matching(filled, actor="Forces of Syria") == {"Aleppo/ASSAULT", "Mosul/ASSAULT", "None/CONSULT"}
    assert matching(filled, actor="Forces_of_Syria") == set()  # "_" is not "any character"
    assert matching(filled, actor="SYR_REB") == {"Douma/PROTEST"}
    assert matching(filled, actor="SYR\\") == set()


@pytest.mark.parametrize("field", ["place", "actor", "text"])
def test_hostile_strings_are_plain_values(filled: Store, field: str) -> None:
    assert matching(filled, **{field: HOSTILE}) == set()
    assert filled.summary()["events"] == 4
    assert matching(filled, **{field: "' OR '1'='1"}) == set()


def test_bad_filter_values_are_refused(filled: Store) -> None:
    with pytest.raises(FilterError):
        EventFilter.parse(event_type=HOSTILE)
    with pytest.raises(FilterError):
        filled.query_events(EventFilter(), order="date; DROP TABLE events")
    with pytest.raises(FilterError):
        filled.query_events(EventFilter(), limit=-1)
    assert filled.summary()["events"] == 4


# -- pagination and streaming ----------------------------------------------------------------

@pytest.fixture
def many(store: Store) -> Store:
    batch = []
    for n in range(9):
        day = f"2016-01-0{1 + n % 4}"
        dates = [day, day, None]
        batch.append(item(f"Report {n}.", *(rec(id="auto", date=d, date_end=d) for d in dates)))
    store.add_documents(batch)
    return store


def expected_order(records: list[dict]) -> list[str]:
    """Newest first, undated last, ties by id."""
    dated = sorted((r for r in records if r["date"]), key=lambda r: r["id"])
    dated.sort(key=lambda r: r["date"], reverse=True)
    undated = sorted((r for r in records if not r["date"]), key=lambda r: r["id"])
    return ids(dated + undated)


def test_pagination_gives_total_and_stable_pages(many: Store) -> None:
    total, everything = many.query_events(EventFilter(), limit=None)
    assert total == 27 and len(everything) == 27
    assert ids(everything) == expected_order(everything)
    pages = [many.query_events(EventFilter(), limit=10, offset=o) for o in (0, 10, 20, 30)]
    assert [t for t, _ in pages] == [27, 27, 27, 27]
    assert [len(p) for _, p in pages] == [10, 10, 7, 0]
    assert [i for _, p in pages for i in ids(p)] == ids(everything)
    total, first = many.query_events(EventFilter(date_from=date(2016, 1, 4)), limit=2)
    assert total == 4 and len(first) == 2


def test_other_orders(many: Store) -> None:
    _, ascending = many.query_events(EventFilter(), limit=None, order="date_asc")
    dates = [r["date"] for r in ascending]
    assert dates[:18] == sorted(dates[:18]) and dates[18:] == [None] * 9


@pytest.mark.parametrize("batch_size", [1, 4, 27, 1000])
def test_iter_events_streams_everything_in_query_order(many: Store, batch_size: int) -> None:
    _, everything = many.query_events(EventFilter(), limit=None)
    assert ids(many.iter_events(EventFilter(), batch_size=batch_size)) == ids(everything)
    flt = EventFilter(date_to=date(2016, 1, 2))
    _, some = many.query_events(flt, limit=None)
    assert len(some) == 10
    assert ids(many.iter_events(flt, batch_size=batch_size)) == ids(some)


# -- flatten ---------------------------------------------------------------------------------

def test_flatten_derives_filter_columns() -> None:
    record = make_record(
        actors=[{"text": "jets", "name": "Military Forces of Russia", "id": "RUS_MIL"},
                {"text": "Military Forces of Russia", "name": "Military Forces of Russia", "id": "RUS_MIL"}],
        figures={"killed": {"low": 10, "best": 12, "high": 15, "hedge": "at least"},
                 "displaced": {"low": 70000, "best": 70000, "high": 70000, "hedge": None}},
        location={"text": "Aleppo city", "name": None, "country": "syr", "lat": 36, "lon": 37.1},
    )
    flat = flatten(record)
    assert flat["actor_names"] == "Military Forces of Russia; jets"
    assert flat["actor_ids"] == "RUS_MIL"
    assert flat["recipient_names"] == "Civilians (Syria); residential districts"
    assert (flat["killed"], flat["injured"], flat["displaced"]) == (12, None, 70000)
    assert flat["place"] == "Aleppo city" and flat["country"] == "SYR"
    assert flat["lat"] == 36.0 and isinstance(flat["lat"], float)
    assert flat["date"] == date(2016, 2, 3) and flat["published"] == date(2016, 2, 4)
    assert flat["title"] == "Strikes hit Aleppo" and flat["section"] == "body"


@pytest.mark.parametrize("overrides, message", [
    ({"event_type": "BOMB"}, "event_type"),
    ({"status": "rumoured"}, "status"),
    ({"date_end": "03/02/2016"}, "date_end"),
    ({"quad": "4"}, "quad"),
    ({"confidence": float("nan")}, "confidence"),
    ({"figures": {"killed": 12}}, "figures.killed"),
    ({"id": None}, "id"),
])
def test_flatten_refuses_malformed_records(overrides: dict, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        flatten(make_record(**overrides))
