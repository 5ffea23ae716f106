"""store/resolution.py: a plan made without the incident lock is kept only while what it read holds.

On both backends: a writer plans a block, another writer's resolution then changes it (near the
new mention's date, or far from it); the plan must be redone in the first case, kept in the second,
and the incidents must equal those of one writer resolving the same reports in turn.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sitrep.resolve import settings
from sitrep.resolve.incremental import reach
from sitrep.store import incidents as incident_tables
from sitrep.store import open_store, resolution


def _report(doc: str, day: date, killed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One document with one air strike on Idlib (our own invented wording), dated `day`."""
    text = f"An air strike hit Idlib on {day.isoformat()}, killing {killed} people."
    source = {"path": f"{doc}.txt", "published": day.isoformat(), "outlet": "Test Wire"}
    record = {
        "id": f"{doc}-e1", "doc_id": doc, "event_type": "ASSAULT", "mode": "aerial", "status": "asserted",
        "kind": "occurrence", "date": day.isoformat(), "date_end": day.isoformat(), "time_precision": 1,
        "location": {"name": "Idlib", "lat": 35.93, "lon": 36.63, "country": "SYR", "admin1": "Idleb",
                     "geo_precision": 1},
        "actors": [], "recipients": [], "figures": {"killed": {"low": killed, "best": killed, "high": killed}},
        "evidence": {"text": text}, "source": source,
    }
    return {"id": doc, "text": text, "source": source}, [record]


def _store_and_resolve(store: Any, pairs: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> None:
    store.add_ingested([{"document": d, "events": e} for d, e in pairs], [])
    store.resolve_incidents([r for _, e in pairs for r in e])


def _mentions(store: Any) -> list[tuple[str, Any, str]]:
    with store._read() as cur:
        return incident_tables.block_mentions(cur, ["SYR|political-violence"])["SYR|political-violence"]


def test_a_plan_holds_only_while_the_mentions_within_its_reach_are_unchanged(store_url: str) -> None:
    cfg = settings()
    start = date(2016, 2, 1)
    with open_store(store_url) as store:
        _store_and_resolve(store, [_report("a", start, 3), _report("far", start + timedelta(days=200), 1)])
        new_doc, new = _report("b", start + timedelta(days=1), 4)
        store.add_ingested([{"document": new_doc, "events": new}], [])
        stored = _mentions(store)
        with store._read() as cur:
            plan = resolution.plan_block(cur, "SYR|political-violence", stored, new, cfg, None)
        assert plan.reach is not None and plan.reach >= reach(cfg, 2 * cfg["date_window_days"] + 1)
        assert {m[0] for m in plan.basis} == {"a-e1"}  # the far report is out of reach
        assert resolution.still_valid(plan, stored, new)
        # another writer resolves a report far away: the plan holds
        _store_and_resolve(store, [_report("far2", start + timedelta(days=201), 2)])
        assert resolution.still_valid(plan, _mentions(store), new)
        # and one near the new date: it must be redone
        _store_and_resolve(store, [_report("near", start + timedelta(days=2), 5)])
        assert not resolution.still_valid(plan, _mentions(store), new)
        store.resolve_incidents(new)
        got = sorted((i["id"], tuple(i["members"])) for i in
                     (store.get_incident(x) for x in store.incident_ids()) if i)
    reports = {"a": (0, 3), "far": (200, 1), "far2": (201, 2), "near": (2, 5), "b": (1, 4)}
    with open_store(":memory:") as one:
        _store_and_resolve(one, [_report(d, start + timedelta(days=n), k) for d, (n, k) in reports.items()])
        want = sorted((i["id"], tuple(i["members"])) for i in (one.get_incident(x) for x in one.incident_ids()) if i)
    assert [m for _, m in got] == [m for _, m in want]


def test_an_incident_that_comes_out_unchanged_keeps_its_stored_row(store_url: str, backend: str) -> None:
    """A re-clustered range often gives back stored incidents as they were: their rows (and on
    PostgreSQL their rollup deltas) are left alone rather than deleted and written again."""
    start = date(2016, 2, 1)
    row_id = "ctid::text" if backend == "postgresql" else "rowid"
    with open_store(store_url) as store:
        _store_and_resolve(store, [_report("a", start, 3)])
        with store._read() as cur:
            (before,) = cur.execute(f"SELECT {row_id} FROM incidents").fetchone()
        # the next day 100 km away (Deir Hafer, east of Aleppo): in a's range, never in its incident
        doc, records = _report("b", start + timedelta(days=1), 2)
        records[0]["location"].update(name="Deir Hafer", lat=36.16, lon=37.71)
        store.add_ingested([{"document": doc, "events": records}], [])
        counts = store.resolve_incidents(records)
        assert counts["unchanged"] == 1 and counts["created"] == 1
        with store._read() as cur:
            rows = dict(cur.execute(f"SELECT {row_id}, id FROM incidents").fetchall())
            members = cur.execute("SELECT count(*) FROM incident_members").fetchone()[0]
        assert before in rows and len(rows) == 2 and members == 2
