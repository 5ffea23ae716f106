"""Incremental re-resolution (resolve/incremental.py) gives exactly the incidents of a full rebuild."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from sitrep.resolve import resolve_records, settings
from sitrep.resolve.cluster import cluster
from sitrep.resolve.incremental import history, plan
from sitrep.store import Store, open_store
from sitrep.store import incidents as incident_tables

PLACES = (("SYR", "Aleppo", "Aleppo", 36.2012, 37.1612), ("SYR", "Aleppo", "Manbij", 36.5281, 37.9549),
          ("SYR", "Idleb", "Idlib", 35.9306, 36.6339), ("IRQ", "Nineveh", "Mosul", 36.3350, 43.1189))
KINDS = (("ASSAULT", "Explosions/Remote violence", "Air/drone strike"), ("ASSAULT", "Battles", "Armed clash"),
         ("PROTEST", "Protests", "Peaceful protest"))
OUTLETS = ("Reuters", "AFP", "AP", "BBC", "SANA", "Anadolu")
START = date(2016, 1, 1)


def _corpus(n: int, days: int, seed: int = 3) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Dense reporting (several incidents a day in the same towns, 1-5 reports each) in one-mention documents."""
    rng = random.Random(seed)
    docs = []
    while len(docs) < n:
        country, admin1, place, lat, lon = rng.choice(PLACES)
        event_type, acled, sub = rng.choice(KINDS)
        day = START + timedelta(days=rng.randrange(days))
        killed = rng.choice((None, 1, 2, 5, 9, 20))
        site = rng.choice(("market", "school", "hospital", "checkpoint"))
        for _ in range(rng.choice((1, 1, 2, 2, 3, 5))):
            doc = f"d{len(docs):05d}"
            outlet = rng.choice(OUTLETS)
            toll = killed and max(1, killed + rng.choice((0, 0, 1, 3, -1)))
            text = f"{outlet}: strike hit the {site} in {place}" + (f", killing {toll}" if toll else "") + "."
            published = day + timedelta(days=rng.choice((0, 0, 1, 2)))
            precise = rng.random() < 0.85
            record = {
                "id": f"{doc}-0", "doc_id": doc, "event_type": event_type, "status": "asserted",
                "kind": "occurrence", "date": day.isoformat(), "time_precision": 1 if rng.random() < 0.9 else 2,
                "location": {"name": place if precise else None, "text": place, "country": country,
                             "admin1": admin1 if precise else None, "lat": lat if precise else None,
                             "lon": lon if precise else None, "geo_precision": 1 if precise else None},
                "actors": [], "recipients": [],
                "figures": {"killed": {"low": toll, "best": toll, "high": toll, "hedge": None} if toll else None},
                "acled": {"event_type": acled, "sub_event_type": sub},
                "evidence": {"text": text, "start": 0, "end": len(text), "section": "body"},
                "source": {"url": f"https://example.org/{doc}", "publisher": outlet,
                           "published": published.isoformat()},
            }
            docs.append(({"id": doc, "text": text, "source": {"published": published.isoformat()}}, [record]))
    return docs[:n]


def _incidents(store: Store) -> dict[str, list[str]]:
    rows = store._conn.execute("SELECT incident_id, event_id FROM incident_members ORDER BY 1, 2").fetchall()
    out: dict[str, list[str]] = {}
    for inc, eid in rows:
        out.setdefault(inc, []).append(eid)
    return out


def _ingest(store: Store, docs: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> dict[str, int]:
    store.add_ingested([{"document": d, "events": r} for d, r in docs], [])
    return store.resolve_incidents([e for _, r in docs for e in r])


def test_batches_of_ingests_give_the_incidents_of_a_full_rebuild(store_url: str, other_store_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _corpus(2000, 240)
    rng = random.Random(5)
    order = list(docs)
    rng.shuffle(order)  # batches of any dates: late reports of old incidents, new ones anywhere
    parts = []
    calls = {"part": 0}
    real = incident_tables.replace_incidents

    def counting(*args: Any, **kwargs: Any) -> dict[str, int]:
        calls["part"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(incident_tables, "replace_incidents", counting)
    with open_store(store_url) as store:
        store.add_documents(order[:1000])
        store.resolve_incidents(None)
        for start, size in ((1000, 300), (1300, 37), (1337, 250), (1587, 1), (1588, 200), (1788, 212)):
            batch = order[start:start + size]
            _ingest(store, batch)
            parts.append(_incidents(store))
        incremental = _incidents(store)
        # the last batch again: nothing changes
        _ingest(store, order[1788:])
        assert _incidents(store) == incremental
    assert calls["part"] > 0  # the date-range path was taken, not only whole blocks
    with open_store(other_store_url) as store:
        store.add_documents(docs)
        store.resolve_incidents(None)
        full = _incidents(store)
    assert incremental == full
    assert sum(len(m) > 1 for m in full.values()) > 100  # a corpus where reports do merge
    # and the pure resolver agrees with the store
    pure = {i["id"]: sorted(i["members"]) for i in resolve_records([r for _, rs in docs for r in rs])}
    assert pure == full


def test_the_replica_follows_cluster() -> None:
    cfg = settings()
    records = [r for _, rs in _corpus(600, 30, seed=8) for r in rs if r["location"]["country"] == "SYR"]
    groups, lives = history(records, cfg)
    assert groups == [[r["id"] for r in g] for g in cluster(records, cfg)]
    assert all(frozenset(g) in lives and lives[frozenset(g)][1] is None for g in groups)


def test_the_range_is_every_stored_incident_near_a_new_mention_whole() -> None:
    d = date(2016, 1, 10)
    stored = [("a", d, "i1"), ("b", d + timedelta(days=3), "i1"), ("c", d + timedelta(days=5), "i2"),
              ("e", d + timedelta(days=6), "i2"), ("f", d + timedelta(days=30), "i3")]
    chosen, incidents = plan(stored, [d - timedelta(days=1)], margin=1)
    assert chosen == {"a", "b"} and incidents == {"i1"}
    chosen, incidents = plan(stored, [d - timedelta(days=1)], margin=6)  # c on day 15, so e too
    assert chosen == {"a", "b", "c", "e"} and incidents == {"i1", "i2"}


def test_an_undated_mention_re_resolves_its_whole_block(store_url: str, other_store_url: str) -> None:
    docs = _corpus(300, 60, seed=11)
    undated = docs[-1][1][0]
    undated["date"] = None
    with open_store(store_url) as store:
        store.add_documents(docs[:200])
        store.resolve_incidents(None)
        for start in (200, 250):
            _ingest(store, docs[start:start + 50])
        incremental = _incidents(store)
    with open_store(other_store_url) as store:
        store.add_documents(docs)
        store.resolve_incidents(None)
        assert _incidents(store) == incremental
