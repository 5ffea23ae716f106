"""Incident ids and contents do not depend on the order or the batches in which reports arrive.

A fixed set of event records, shaped like stored ones (our own wording of public kinds of facts:
air strikes in Idlib in February 2016, a claimed and denied strike near Azaz, shelling of Kharkiv
in 2022), is ingested document by document in a random order and cut into random batches, each
batch one store write plus the incremental resolution the ingest path runs after it
(ingest/runner.py: `add_ingested`, then `resolve_incidents(new records)`). The incidents must be
those of one batch in id order: the same ids, members, figures (low / best / high), status and the
rest of the record, and every id that was served on the way and merged away must be an alias that
resolves to a surviving incident holding its members (DESIGN.md section 8: ACLED users sync by id).
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.store import open_store

PLACES = {
    "maarat": {"name": "Maarat al-Numan", "lat": 35.643, "lon": 36.674, "country": "SYR", "admin1": "Idlib",
               "geo_precision": 1},
    # Saraqib is some 27 km from Maarat al-Numan: a different town, struck the same day.
    "saraqib": {"name": "Saraqib", "lat": 35.862, "lon": 36.800, "country": "SYR", "admin1": "Idlib",
                "geo_precision": 1},
    "azaz": {"name": "Azaz", "lat": 36.586, "lon": 37.046, "country": "SYR", "admin1": "Aleppo", "geo_precision": 1},
    "kharkiv": {"name": "Kharkiv", "lat": 49.993, "lon": 36.231, "country": "UKR", "admin1": "Kharkiv",
                "geo_precision": 1},
}
RUSSIA = {"text": "Russian jets", "name": "Military Forces of Russia", "id": "RUS_MIL"}
REBELS = {"text": "rebels", "name": "Rebel Group (Syria)", "id": "SYR_REB"}
SYRIA = {"text": "the army", "name": "Military Forces of Syria", "id": "SYR_MIL"}
CIVILIANS = {"text": "civilians", "name": "Civilians (Syria)", "id": "SYR_CIV"}


def mention(eid: str, doc: str, place: str, day: str, text: str, *, killed: int | None = None,
            injured: int | None = None, status: str = "asserted", published: str, outlet: str,
            actors: list[dict[str, Any]] | None = None, recipients: list[dict[str, Any]] | None = None,
            claimed_by: list[dict[str, Any]] | None = None, denied_by: list[dict[str, Any]] | None = None,
            kind: str = "occurrence", event_type: str = "ASSAULT", mode: str = "aerial",
            acled: tuple[str, str] = ("Explosions/Remote violence", "Air/drone strike")) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for name, value in (("killed", killed), ("injured", injured)):
        if value is not None:
            figures[name] = {"low": value, "best": value, "high": value, "hedge": None}
    return {
        "id": eid, "doc_id": doc, "event_type": event_type, "mode": mode, "contexts": [], "status": status,
        "kind": kind, "date": day, "date_end": day, "time_precision": 1, "date_basis": "stated",
        "location": dict(PLACES[place], text=PLACES[place]["name"]),
        "actors": actors or [], "recipients": recipients or [], "claimed_by": claimed_by or [],
        "denied_by": denied_by or [], "figures": figures,
        "evidence": {"text": text, "start": 0, "end": len(text), "section": "body"},
        "source": {"url": f"https://example.org/{doc}", "title": f"Report {doc}", "publisher": outlet,
                   "published": published},
        "acled": {"event_type": acled[0], "sub_event_type": acled[1]}, "confidence": 0.8,
    }


STRIKES = "2016-02-15"
SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
ROUND_UP = "Air strikes hit Maarat al-Numan, killing 9 people, and Saraqib, where 4 died, on Monday."
RECORDS: list[dict[str, Any]] = [
    # Maarat al-Numan, 15 February 2016: four outlets, a toll that grows (the third says it rose).
    mention("d01-e1", "d01", "maarat", STRIKES, "Russian jets struck Maarat al-Numan on Monday, killing 7 civilians.",
            killed=7, published="2016-02-15", outlet="Wire One", actors=[RUSSIA], recipients=[CIVILIANS]),
    mention("d02-e1", "d02", "maarat", STRIKES, "An air strike on a market in Maarat al-Numan killed 9 people.",
            killed=9, injured=20, published="2016-02-16", outlet="Daily Two", actors=[RUSSIA]),
    mention("d03-e1", "d03", "maarat", STRIKES, "The toll from Monday's strike on Maarat al-Numan rose to 12.",
            killed=12, published="2016-02-17", outlet="Monitor Three", actors=[RUSSIA], recipients=[CIVILIANS]),
    mention("d04-e1", "d04", "maarat", STRIKES, "Air strikes on Maarat al-Numan killed 15 people, doctors said.",
            killed=15, injured=30, published="2016-02-18", outlet="Paper Four"),
    # Saraqib, some 27 km away, struck the same day: three outlets.
    mention("d05-e1", "d05", "saraqib", STRIKES, "Strikes on Saraqib killed 4 people on Monday.",
            killed=4, published="2016-02-15", outlet="Wire One", actors=[RUSSIA]),
    mention("d06-e1", "d06", "saraqib", STRIKES, "Five people died when jets bombed Saraqib.",
            killed=5, published="2016-02-16", outlet="Daily Two"),
    mention("d07-e1", "d07", "saraqib", STRIKES, "A bakery in Saraqib was hit from the air, killing 6.",
            killed=6, published="2016-02-17", outlet="Radio Seven", recipients=[CIVILIANS]),
    # A round-up: one document reporting both strikes (two mentions of one sentence, one per town).
    mention("d08-e1", "d08", "maarat", STRIKES, ROUND_UP, killed=9, published="2016-02-16", outlet="Agency Eight",
            actors=[RUSSIA]),
    mention("d08-e2", "d08", "saraqib", STRIKES, ROUND_UP, killed=4, published="2016-02-16", outlet="Agency Eight",
            actors=[RUSSIA]),
    # Azaz, 20 February 2016: one side claims a strike, the other denies it.
    mention("d09-e1", "d09", "azaz", "2016-02-20", "Rebels said they shelled an army post near Azaz on Saturday.",
            status="claimed", published="2016-02-20", outlet="Rebel Media", actors=[REBELS], recipients=[SYRIA],
            claimed_by=[REBELS], mode="artillery", acled=SHELLING),
    mention("d10-e1", "d10", "azaz", "2016-02-20", "The army denied that rebels shelled its post near Azaz.",
            status="denied", published="2016-02-21", outlet="State News", actors=[REBELS], recipients=[SYRIA],
            denied_by=[SYRIA], mode="artillery", acled=SHELLING),
    mention("d11-e1", "d11", "azaz", "2016-02-20", "Rebel fighters claimed an attack on an army position at Azaz.",
            status="claimed", published="2016-02-22", outlet="Monitor Three", actors=[REBELS], recipients=[SYRIA],
            claimed_by=[REBELS], mode="artillery", acled=SHELLING),
    # A background mention (the narrative stage's kind): never part of an incident.
    mention("d12-e1", "d12", "maarat", "2015-10-01", "Maarat al-Numan was first bombed in October 2015.",
            kind="background", published="2016-02-18", outlet="Paper Four"),
    # Kharkiv, 1 March 2022: another country, three outlets, tolls over three days.
    mention("d13-e1", "d13", "kharkiv", "2022-03-01", "Shelling of central Kharkiv killed 10 people on Tuesday.",
            killed=10, published="2022-03-01", outlet="Wire One", mode="artillery",
            acled=SHELLING),
    mention("d14-e1", "d14", "kharkiv", "2022-03-01", "The death toll from the shelling of Kharkiv rose to 11.",
            killed=11, injured=35, published="2022-03-02", outlet="Daily Two", mode="artillery",
            acled=SHELLING),
    mention("d15-e1", "d15", "kharkiv", "2022-03-01", "Rockets hit Kharkiv's Freedom Square, killing 14, police said.",
            killed=14, published="2022-03-03", outlet="Paper Four", mode="artillery",
            acled=SHELLING),
]

DOCS: dict[str, list[dict[str, Any]]] = defaultdict(list)
for _record in RECORDS:
    DOCS[_record["doc_id"]].append(_record)
DOC_IDS = sorted(DOCS)


def _item(doc_id: str) -> dict[str, Any]:
    events = DOCS[doc_id]
    text = " ".join(dict.fromkeys(e["evidence"]["text"] for e in events))
    source = events[0]["source"]
    return {"document": {"id": doc_id, "text": text, "source": dict(source)}, "events": events}


def ingest(batches: list[list[str]]) -> dict[str, Any]:
    """Ingest the documents batch by batch as the ingest path does; the incidents and aliases."""
    with open_store(":memory:") as store:
        served: set[str] = set()
        for batch in batches:
            items = [_item(d) for d in batch]
            store.add_ingested(items, [])
            store.resolve_incidents([e for item in items for e in item["events"]])
            served |= store.incident_ids()
        rows = store._conn.execute("SELECT record FROM incidents ORDER BY id").fetchall()
        incidents = {}
        for (raw,) in rows:
            record = json.loads(raw)
            incidents[record["id"]] = {k: v for k, v in record.items() if k not in ("created_at", "updated_at")}
        aliases = dict(store._conn.execute("SELECT alias, incident_id FROM incident_aliases").fetchall())
        resolved = {alias: (store.get_incident(alias) or {}).get("id") for alias in served | set(aliases)}
    return {"incidents": incidents, "aliases": aliases, "served": served, "resolved": resolved}


@cache
def reference() -> dict[str, Any]:
    return ingest([DOC_IDS])


def summary(incident: dict[str, Any]) -> dict[str, Any]:
    """What a user syncing by id compares first: members, status and each figure's range."""
    return {"members": incident["members"], "status": incident["status"],
            "figures": {k: (f["low"], f["best"], f["high"]) for k, f in incident["figures"].items() if f}}


def test_the_records_make_the_incidents_they_are_meant_to() -> None:
    """The fixed set is what it claims: each strike one incident, the round-up split, a contested one."""
    incidents = reference()["incidents"]
    by_members = {tuple(i["members"]): i for i in incidents.values()}
    assert sorted(by_members) == [
        ("d01-e1", "d02-e1", "d03-e1", "d04-e1", "d08-e1"),
        ("d05-e1", "d06-e1", "d07-e1", "d08-e2"),
        ("d09-e1", "d10-e1", "d11-e1"),
        ("d13-e1", "d14-e1", "d15-e1"),
    ]
    assert by_members[("d09-e1", "d10-e1", "d11-e1")]["status"] == "contested"
    assert reference()["aliases"] == {}


def _batches(order: list[str], cuts: list[bool]) -> list[list[str]]:
    batches = [[order[0]]]
    for doc_id, cut in zip(order[1:], cuts, strict=True):
        if cut:
            batches.append([])
        batches[-1].append(doc_id)
    return batches


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(DOC_IDS), cuts=st.lists(st.booleans(), min_size=len(DOC_IDS) - 1,
                                                     max_size=len(DOC_IDS) - 1))
def test_incidents_do_not_depend_on_order_or_batches(order: list[str], cuts: list[bool]) -> None:
    expected = reference()["incidents"]
    got = ingest(_batches(list(order), cuts))
    incidents = got["incidents"]
    assert sorted(incidents) == sorted(expected)  # the same ids
    for incident_id, record in expected.items():
        assert summary(incidents[incident_id]) == summary(record), incident_id
        assert incidents[incident_id] == record, incident_id  # and the rest of the record
    # Every id served on the way still answers: it is a live incident, or an alias that resolves to
    # a surviving one.
    for served_id, target in got["resolved"].items():
        assert target in expected, (served_id, target)
    for alias, target in got["aliases"].items():
        assert alias not in expected and target in expected, (alias, target)
        assert got["resolved"][alias] == target
