"""PostgreSQL's aggregate rollups, text search and point index (migrations 0003-0004, issue 15).

The rollups must change no answer: every grouping under filters a rollup answers gives what the
rows give, on PostgreSQL as on DuckDB, while writes append deltas (incident resolution deletes
and rewrites incidents) and after compaction. `q` on PostgreSQL finds what DuckDB's substring
finds, and more where a query's words stand apart; the planner serves both `q` and the radius
and bbox boxes from their indexes (checked with sequential scans disabled: an index whose
expression differs from the query's would not be used).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitrep.store import open_store
from sitrep.store.aggregates import DIMENSIONS, UNITS, aggregate
from sitrep.store.base import Store
from sitrep.store.filters import EventFilter, IncidentFilter
from sitrep.store.rollups import rollup_for
from sitrep.vocabulary import GROUPINGS
from store_backends import new_store_url

BENCH = Path(__file__).resolve().parents[2] / "bench"
FILTERS: list[dict[str, Any]] = [
    {},
    {"country": "SYR"},
    {"country": "SYR", "date_from": "2019-03-01", "date_to": "2019-05-31"},  # month bounds
    {"date_from": "2019-03-04", "date_to": "2019-11-20"},  # day bounds
    {"event_type": "ASSAULT", "status": "claimed"},
    {"admin1": "Aleppo", "kind": "all"},
    {"country": "SYR", "place": "Aleppo"},  # no rollup answers a place
]


def _synth() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from synth import synth_events

    return list(synth_events(1600))


class _RowsOnly:
    """A connection without rollups: the aggregates read the rows."""

    rollups = ()

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.fixture(scope="module")
def stores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Store]]:
    """The same synthetic reports (first half, resolved; then the rest, resolved again, which
    deletes and rewrites incidents) in a DuckDB file and a PostgreSQL database."""
    pairs = _synth()
    folder = tmp_path_factory.mktemp("rollups")
    opened = {}
    for backend in ("duckdb", "postgresql"):
        store = open_store(new_store_url(backend, folder, request, name=f"rollups-{backend}"))
        store.add_documents(pairs[: len(pairs) // 2])
        store.resolve_incidents()
        store.add_documents(pairs[len(pairs) // 2 :])
        store.resolve_incidents()
        opened[backend] = store
    yield opened
    for store in opened.values():
        store.close()


def _cases() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for unit in ("mentions", "incidents"):
        for by in GROUPINGS:
            for flt in FILTERS:
                yield unit, by, flt


def _filter(unit: str, values: dict[str, Any]) -> EventFilter:
    return (IncidentFilter if unit == "incidents" else EventFilter).parse(**values)


@pytest.mark.postgres
def test_rollups_answer_as_the_rows_do_before_and_after_compaction(stores: dict[str, Store]) -> None:
    pg = stores["postgresql"]
    conn = pg._conn  # type: ignore[attr-defined]
    (deltas,) = conn.execute("SELECT count(*) FROM event_days").fetchone()
    for compacted in (False, True):
        served = 0
        for unit, by, values in _cases():
            flt = _filter(unit, values)
            with pg._read() as cur:  # type: ignore[attr-defined]
                from_rollup = aggregate(cur, flt, by, unit=unit)
                from_rows = aggregate(_RowsOnly(cur), flt, by, unit=unit)
                columns = DIMENSIONS[by].columns if by in DIMENSIONS else ()
                served += rollup_for(cur, UNITS[unit], flt, by, columns) is not None
            assert from_rollup == from_rows, (compacted, unit, by, values)
        assert served > len(list(_cases())) / 3  # most cases did read a rollup
        pg.compact_rollups()
    (folded,) = conn.execute("SELECT count(*) FROM event_days").fetchone()
    (keys,) = conn.execute("SELECT count(*) FROM (SELECT DISTINCT date, country, event_type, kind "
                           "FROM events) AS k").fetchone()
    assert folded == keys < deltas  # one row per key once compacted


@pytest.mark.postgres
def test_both_backends_give_the_same_aggregates(stores: dict[str, Store]) -> None:
    for unit, by, values in _cases():
        flt = _filter(unit, values)
        duck = stores["duckdb"].aggregate_events(flt, by, unit=unit)
        pg = stores["postgresql"].aggregate_events(flt, by, unit=unit)
        assert duck == pg, (unit, by, values)
    limited = [s.aggregate_events(EventFilter(), "type", limit=3)["groups"] for s in stores.values()]
    assert limited[0] == limited[1] and len(limited[0]) == 3


@pytest.mark.postgres
def test_text_search_finds_what_the_substring_finds_and_words_apart(stores: dict[str, Store]) -> None:
    def ids(store: Store, q: str) -> set[str]:
        return {r["id"] for r in store.iter_events(EventFilter(text=q))}

    duck, pg = stores["duckdb"], stores["postgresql"]
    words = {w.strip(".,").lower() for r in duck.iter_events(EventFilter()) for w in r["evidence"]["text"].split()}
    word = sorted(w for w in words if len(w) > 4 and w.isalpha())[0]
    for q in (word, word[1:-1], word.upper(), "%", "no-such-word-anywhere"):
        assert ids(duck, q) == ids(pg, q), q  # one word, a part of one, literal symbols: the same
    record = next(iter(duck.iter_events(EventFilter())))
    some = [w for w in record["evidence"]["text"].split() if w.isalpha()]
    apart = f"{some[0]} {some[-1]}"  # two words of one sentence, not side by side
    assert record["id"] not in ids(duck, apart)  # not a substring
    assert ids(duck, apart) <= ids(pg, apart) and record["id"] in ids(pg, apart)  # both words


@pytest.mark.postgres
def test_the_planner_uses_the_text_and_point_indexes(stores: dict[str, Store]) -> None:
    pg = stores["postgresql"]
    from sitrep.store.sql import where_clause

    with pg._read() as cur:  # type: ignore[attr-defined]
        cur.execute("SET enable_seqscan = off")
        try:
            for flt, index in ((EventFilter(text="aleppo", kind=()), "events_text_search"),
                               (EventFilter(near=(36.2, 37.16), radius_km=50, kind=()), "events_point_gist"),
                               (EventFilter(bbox=(35.0, 32.0, 38.0, 37.0), kind=()), "events_point_gist")):
                where, params = where_clause(flt, cur)
                plan = "\n".join(r[0] for r in cur.execute(f"EXPLAIN SELECT id FROM events WHERE {where}",
                                                          params).fetchall())
                assert index in plan, plan
        finally:
            cur.execute("RESET enable_seqscan")


@pytest.mark.postgres
def test_radius_and_bbox_agree_on_both_backends(stores: dict[str, Store]) -> None:
    for flt in (EventFilter(near=(36.2, 37.16), radius_km=80), EventFilter(bbox=(35.0, 32.0, 38.0, 37.0)),
                EventFilter(bbox=(170.0, -50.0, -170.0, 50.0))):  # across the antimeridian
        found = [{r["id"] for r in s.iter_events(flt)} for s in stores.values()]
        assert found[0] == found[1]
    assert found[0] == set()  # nothing synthetic lies in the Pacific
    assert {r["id"] for r in stores["duckdb"].iter_events(EventFilter(near=(36.2, 37.16), radius_km=80))}
