"""Incident resolution on records written here (public facts, our own wording)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.resolve import resolve_records
from sitrep.resolve.reconcile import incident_id


def rec(eid: str, doc: str, *, date: str = "2016-02-15", place: str = "Maarat al-Numan", lat: float = 35.64,
        lon: float = 36.67, killed: int | None = None, injured: int | None = None, status: str = "asserted",
        text: str = "An air strike hit a hospital in Maarat al-Numan.", outlet: str = "Outlet",
        published: str = "2016-02-15", actors: tuple[str, ...] = ("RUS_MIL",),
        admin1: str = "Idlib", kind: str = "occurrence", event_type: str = "ASSAULT") -> dict[str, Any]:
    fig = {k: ({"low": v, "best": v, "high": v, "hedge": None} if v is not None else None)
           for k, v in (("killed", killed), ("injured", injured))}
    return {
        "id": eid, "doc_id": doc, "event_type": event_type, "mode": "aerial", "status": status, "kind": kind,
        "date": date, "date_end": date, "time_precision": 1,
        "location": {"name": place, "lat": lat, "lon": lon, "country": "SYR", "admin1": admin1, "geo_precision": 1},
        "actors": [{"id": a, "name": a} for a in actors], "recipients": [],
        "figures": {**dict.fromkeys(("displaced", "besieged", "trapped", "detained", "strikes")), **fig},
        "evidence": {"text": text, "start": 0, "end": len(text), "section": "body"},
        "source": {"url": f"https://example.org/{doc}", "title": text[:30], "publisher": outlet,
                   "published": published},
        "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"},
    }


def hospital_reports() -> list[dict[str, Any]]:
    """Five reports of the February 2016 strike on the MSF-supported hospital in Maarat al-Numan."""
    return [
        rec("d1-10", "d1", killed=7, text="An air strike hit a hospital in Maarat al-Numan, killing seven people.",
            outlet="Wire A", published="2016-02-15"),
        rec("d2-20", "d2", killed=9, injured=8, text="At least nine people were killed when warplanes struck a "
            "hospital in Maarat al-Numan.", outlet="Wire B", published="2016-02-15"),
        rec("d3-30", "d3", killed=8, text="Strikes on a hospital supported by MSF in Maarat al-Numan killed eight.",
            outlet="Paper C", published="2016-02-16"),
        rec("d4-40", "d4", killed=11, lat=35.65, lon=36.68,
            text="The toll from the strike on the Maarat al-Numan hospital rose to 11.", outlet="Paper D",
            published="2016-02-16"),
        rec("d5-50", "d5", killed=25, text="Twenty-five died in the hospital strike in Maarat al-Numan, "
            "a monitor said.", outlet="Monitor E", published="2016-02-18"),
    ]


def test_five_reports_one_incident_every_figure_kept() -> None:
    incidents = resolve_records(hospital_reports())
    assert len(incidents) == 1
    inc = incidents[0]
    assert inc["id"] == incident_id("d1-10")
    assert inc["members"] == ["d1-10", "d2-20", "d3-30", "d4-40", "d5-50"]
    killed = inc["figures"]["killed"]
    assert [r["value"] for r in killed["reports"]] == [7, 9, 8, 11, 25]
    # "rose to 11" on the 16th makes the 15th's tolls stale: best = lowest of the 16th onward
    assert (killed["low"], killed["best"], killed["high"]) == (7, 8, 25)
    assert inc["figures"]["injured"]["best"] == 8
    assert inc["n_sources"] == 5
    assert {s["outlet"] for s in inc["sources"]} == {"Wire A", "Wire B", "Paper C", "Paper D", "Monitor E"}


def test_without_revision_best_is_lowest() -> None:
    reports = [r for r in hospital_reports() if r["id"] != "d4-40"]
    killed = resolve_records(reports)[0]["figures"]["killed"]
    assert killed["best"] == 7


def test_same_day_strikes_80_km_apart_stay_apart() -> None:
    a = rec("a-1", "a", place="Maarat al-Numan", lat=35.64, lon=36.67, killed=7,
            text="An air strike hit a hospital in Maarat al-Numan.")
    b = rec("b-1", "b", place="Azaz", lat=36.59, lon=37.05, admin1="Aleppo", killed=7,
            text="An air strike hit a hospital in Azaz.")
    assert len(resolve_records([a, b])) == 2


def test_different_days_far_apart_never_merge_even_with_same_text() -> None:
    a = rec("a-1", "a", date="2016-02-15", lat=35.64, lon=36.67)
    b = rec("b-1", "b", date="2016-02-16", lat=35.64, lon=37.30)  # about 57 km east
    assert len(resolve_records([a, b])) == 2


def test_one_document_two_incidents() -> None:
    a = rec("d-10", "d", place="Maarat al-Numan", lat=35.64, lon=36.67, killed=7,
            text="An air strike hit a hospital in Maarat al-Numan, killing seven.")
    b = rec("d-90", "d", place="Azaz", lat=36.59, lon=37.05, admin1="Aleppo", killed=14,
            text="Missiles struck a school in Azaz, killing 14.")
    c = rec("e-5", "e", place="Azaz", lat=36.59, lon=37.05, admin1="Aleppo", killed=14,
            text="Fourteen died when missiles hit a school in Azaz.")
    incidents = resolve_records([a, b, c])
    assert sorted(i["members"] for i in incidents) == [["d-10"], ["d-90", "e-5"]]


def test_claim_and_denial_is_contested() -> None:
    claim = rec("c-1", "c", status="claimed", actors=("UKR_MIL",), place="Belgorod", lat=50.6, lon=36.6,
                admin1="Belgorod", text="Ukraine's army said it struck an ammunition depot near Belgorod.")
    denial = rec("n-1", "n", status="denied", actors=("UKR_MIL",), place="Belgorod", lat=50.6, lon=36.6,
                 admin1="Belgorod", text="Russia denied that a depot near Belgorod had been struck.")
    for r in (claim, denial):
        r["location"]["country"] = "RUS"
    incidents = resolve_records([claim, denial])
    assert len(incidents) == 1
    assert incidents[0]["status"] == "contested"
    assert resolve_records([claim])[0]["status"] == "claimed"


def test_only_occurrences_are_resolved() -> None:
    background = rec("b-1", "b", kind="background")
    planned = rec("p-1", "p", status="planned")
    assert resolve_records([background, planned]) == []


def nikopol(eid: str, doc: str, text: str, **kw: Any) -> dict[str, Any]:
    return rec(eid, doc, place="Nikopol", lat=47.57, lon=34.39, admin1="Dnipropetrovsk", text=text,
               actors=("RUS_MIL",), **kw)


def marhanets(eid: str, doc: str, text: str, **kw: Any) -> dict[str, Any]:
    return rec(eid, doc, place="Marhanets", lat=47.65, lon=34.62, admin1="Dnipropetrovsk", text=text,
               actors=("RUS_MIL",), **kw)


def test_one_report_of_two_same_day_strikes_does_not_chain_them() -> None:
    """Nikopol and Marhanets, about 20 km apart on one day: a round-up naming both stays a bridge."""
    records = [
        nikopol("n1-1", "n1", "Russian artillery shelled Nikopol on Monday, killing two.", killed=2, injured=5),
        nikopol("n2-1", "n2", "Two people died in Nikopol when shells hit a street.", killed=2, injured=5),
        marhanets("m1-1", "m1", "A drone hit the centre of Marhanets on Monday, killing one.", killed=1,
                   injured=3),
        marhanets("m2-1", "m2", "One man was killed by a drone in Marhanets.", killed=1, injured=3),
        nikopol("r-10", "r", "Russian forces shelled Nikopol and Marhanets on Monday.", killed=2),
        marhanets("r-20", "r", "In Marhanets a drone killed one man and wounded three.", killed=1, injured=3),
    ]
    groups = sorted(i["members"] for i in resolve_records(records))
    assert groups == [["m1-1", "m2-1", "r-20"], ["n1-1", "n2-1", "r-10"]]


def test_a_dateline_does_not_keep_reports_of_one_attack_apart() -> None:
    """"BAMAKO, June 11 - ... near Bankass": the capital is where the wire files from, not the place."""
    local = rec("l-1", "l", place="Bankass", lat=14.08, lon=-3.52, admin1="Mopti", killed=3, injured=2,
                actors=("MLI_UAF",), text="Gunmen killed three civilians and wounded two in a hamlet of Bankass.")
    wire = rec("w-1", "w", place="Bamako", lat=12.65, lon=-8.0, admin1="Bamako", killed=3, injured=2,
               actors=("MLI_UAF",), date="2016-02-15",
               text="BAMAKO, June 11 - Suspected jihadists killed three people and wounded two near Bankass.")
    wire["location"]["text"] = "Bamako"
    for r in (local, wire):
        r["location"]["country"] = "MLI"
    assert len(resolve_records([local, wire])) == 1
    wire["evidence"]["text"] = "Suspected jihadists killed three people and wounded two in Bamako."
    assert len(resolve_records([local, wire])) == 2  # a real Bamako place is another place


def test_shared_names_join_a_report_the_geoparser_could_not_place() -> None:
    located = rec("a-1", "a", place="Hroza", lat=49.63, lon=37.58, admin1="Kharkiv", killed=51,
                  text="A Russian missile hit a cafe in Hroza during a wake, killing 51.")
    unplaced = rec("b-1", "b", killed=52, text="Almost every family in Hroza lost someone at the cafe wake.")
    unplaced["location"] = None
    unplaced["source"]["focus_country"] = "SYR"
    assert len(resolve_records([located, unplaced])) == 1
    other = rec("c-1", "c", killed=4, text="Shelling damaged a school in the east of the region.")
    other["location"] = None
    other["source"]["focus_country"] = "SYR"
    assert len(resolve_records([located, other])) == 2


def test_a_later_authoritative_toll_replaces_the_first_but_hearsay_does_not() -> None:
    first = rec("a-1", "a", killed=30, published="2016-02-15",
                text="Rockets hit the railway station in Maarat al-Numan, killing at least 30.")
    official = rec("b-1", "b", killed=52, published="2016-02-16",
                   text="The regional administration said 52 people had died in the station strike.")
    hearsay = rec("c-1", "c", killed=150, published="2016-02-17",
                  text="More than 150 died in the station strike, according to residents.")
    hearsay["figures"]["killed"]["hedge"] = "more than"
    killed = resolve_records([first, official, hearsay])[0]["figures"]["killed"]
    assert (killed["low"], killed["best"], killed["high"]) == (30, 52, 150)
    assert resolve_records([first, hearsay])[0]["figures"]["killed"]["best"] == 30


def corpus() -> list[dict[str, Any]]:
    azaz = [rec(f"z{i}-1", f"z{i}", place="Azaz", lat=36.59, lon=37.05, admin1="Aleppo", killed=14 + i,
                text="Missiles struck a school in Azaz.") for i in range(3)]
    later = [rec("m9-1", "m9", date="2016-02-20", text="Barrel bombs fell on a market in Maarat al-Numan.",
                 killed=3)]
    return hospital_reports() + azaz + later


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 5))
def test_same_incidents_whatever_the_order_and_batches(seed: int, size: int) -> None:
    reference = resolve_records(corpus())
    records = corpus()
    random.Random(seed).shuffle(records)
    # batches as an incremental ingest sees them: each new batch re-resolves the members so far
    seen: list[dict[str, Any]] = []
    result: list[dict[str, Any]] = []
    for start in range(0, len(records), size):
        seen += records[start:start + size]
        result = resolve_records(seen)
    assert result == reference
    assert len(reference) == 3


# ---------------------------------------------------------------- store sync

def _store(store_url: str) -> Any:
    from sitrep.store import open_store

    return open_store(store_url)


def _add(store: Any, records: list[dict[str, Any]]) -> None:
    """Store the records' documents as an ingest batch would, then resolve incrementally."""
    docs: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        docs.setdefault(r["doc_id"], []).append(r)
    batch = [{"document": {"id": d, "text": "x", "source": {"url": evs[0]["source"]["url"]}}, "events": evs}
             for d, evs in docs.items()]
    store.add_ingested(batch, [])
    store.resolve_incidents(records)


def test_store_merge_keeps_smaller_founder_and_alias_resolves(store_url: str) -> None:
    from sitrep.store import EventFilter

    reports = hospital_reports()
    with _store(store_url) as store:
        # d3 and d5 first: one incident founded by d3-30 ...
        _add(store, [reports[2], reports[4]])
        first = store.query_incidents(EventFilter())[1]
        assert [i["id"] for i in first] == [incident_id("d3-30")]
        # ... then d1 joins it: the id of the smaller founder d1-10 survives, d3-30's is an alias
        _add(store, [reports[0]])
        assert store.incident_ids() == {incident_id("d1-10")}
        aliased = store.get_incident(incident_id("d3-30"))
        assert aliased is not None and aliased["id"] == incident_id("d1-10")
        assert aliased["members"] == ["d1-10", "d3-30", "d5-50"]
        _add(store, [reports[1], reports[3]])
        assert store.get_incident(incident_id("d3-30"))["id"] == incident_id("d1-10")
        assert store.incident_ids() == {i["id"] for i in resolve_records(reports)}


def test_incremental_ingest_touches_only_affected_blocks(store_url: str) -> None:
    from sitrep.store import EventFilter

    kyiv = rec("k-1", "k", place="Kyiv", lat=50.45, lon=30.52, admin1="Kyiv City",
               text="A drone struck an apartment block in Kyiv.", killed=2)
    kyiv["location"]["country"] = "UKR"
    with _store(store_url) as store:
        _add(store, [kyiv, *hospital_reports()[:2]])
        before = {i["id"]: i for i in store.query_incidents(EventFilter())[1]}
        azaz = rec("z-1", "z", place="Azaz", lat=36.59, lon=37.05, admin1="Aleppo", killed=14)
        _add(store, [azaz, hospital_reports()[2]])
        after = {i["id"]: i for i in store.query_incidents(EventFilter())[1]}
        kyiv_id = incident_id("k-1")
        # the Ukrainian block was not touched: same created_at and updated_at
        assert after[kyiv_id]["created_at"] == before[kyiv_id]["created_at"]
        assert after[kyiv_id]["updated_at"] == before[kyiv_id]["updated_at"]
        hospital = incident_id("d1-10")
        assert after[hospital]["created_at"] == before[hospital]["created_at"]
        assert after[hospital]["updated_at"] > before[hospital]["updated_at"]
        assert len(after) == 3
        since = datetime.fromisoformat(after[hospital]["updated_at"])
        changed = {i["id"] for i in store.query_incidents(EventFilter(), updated_since=since)[1]}
        assert changed == {hospital, incident_id("z-1")}
        assert store.query_incidents(EventFilter(country="UKR"))[0] == 1
        # a rebuild from the stored mentions gives the same ids
        counts = store.resolve_incidents(None)
        assert counts["created"] == 0 and counts["aliased"] == 0 and counts["unchanged"] == 3


def test_a_publication_dated_follow_up_joins_only_on_shared_names() -> None:
    """A follow-up dated by its publication, six days on, joins the strike it names, not another."""
    cfg = {"date_window_days": 7, "stated_window_days": 3, "follow_up_min_names": 2}
    strike = rec("e1", "d1", text="An air strike hit the Bab al-Hawa clinic in Maarat al-Numan.")
    follow = dict(rec("e2", "d2", date="2016-02-21", published="2016-02-21", text="Funerals were held for "
                      "the nurses of the Bab al-Hawa clinic in Maarat al-Numan."), date_basis="published")
    follow["time_precision"] = 2
    other = dict(follow, id="e3", doc_id="d3", evidence={"text": "Funerals were held in the town for the dead."},
                 source={**follow["source"], "title": "Funerals held"})
    stated = dict(follow, id="e4", doc_id="d4", date_basis="stated", time_precision=1)
    def sizes(records: list[dict[str, Any]]) -> list[int]:
        return sorted(len(i["members"]) for i in resolve_records(records, cfg))

    assert sizes([strike, follow]) == [2]
    assert sizes([strike, other]) == [1, 1]  # no shared names: dates alone never join
    assert sizes([strike, stated]) == [1, 1]  # a stated day six days on is another day
    # Without the follow-up rule (the stated window everywhere) the follow-up stays alone.
    alone = resolve_records([strike, follow], {"date_window_days": 3})
    assert sorted(len(i["members"]) for i in alone) == [1, 1]


def uman(eid: str, doc: str, text: str, **kw: Any) -> dict[str, Any]:
    r = rec(eid, doc, place="Uman", lat=48.75, lon=30.22, admin1="Cherkasy", date="2023-04-28", text=text,
            **{"published": "2023-04-28", **kw})
    r["location"]["country"] = "UKR"
    return r


def test_a_report_placed_in_the_capital_joins_the_strike_on_the_town_it_names() -> None:
    """Uman, 28 April 2023: the wire files from Kyiv (a coarse city place) and names Uman; the
    rescue service's report is placed in Uman. Disjoint actors and tolls (10 early, 23 later)
    alone would keep them apart; the town one names and the other is placed in joins them."""
    local = uman("u-1", "u", "The State Emergency Service said the search of the Uman block has ended.",
                 killed=23, injured=17, actors=("UKR_SES",), published="2023-04-29")
    wire = uman("k-1", "k", "A Russian cruise missile struck an apartment building in the central "
                "city of Uman before dawn on Friday, killing at least ten.", killed=10, actors=("RUS_MIL",))
    wire["location"].update({"name": "Kyiv", "text": "Kyiv", "lat": 50.45, "lon": 30.52, "admin1": "Kyiv City",
                             "geo_precision": 2})
    assert len(resolve_records([local, wire], {"named_place_similarity": None})) == 2
    assert len(resolve_records([local, wire])) == 1
    wire["evidence"]["text"] = "A Russian cruise missile struck an apartment building in the capital."
    assert len(resolve_records([local, wire])) == 2  # naming no town, the capital is another place


def test_a_round_up_naming_two_towns_struck_that_day_does_not_join_them() -> None:
    """Idlib city and Jisr al-Shughur (about 40 km apart), shelled on one day: a report placed in
    Idlib that names both towns is not a report without a town, so the named-place rule does not
    apply and the two strikes stay two incidents."""
    def idlib(eid: str, doc: str, text: str, **kw: Any) -> dict[str, Any]:
        return rec(eid, doc, place="Idlib", lat=35.93, lon=36.63, date="2023-10-06", text=text, **kw)

    def jisr(eid: str, doc: str, text: str, **kw: Any) -> dict[str, Any]:
        return rec(eid, doc, place="Jisr al-Shughur", lat=35.81, lon=36.32, date="2023-10-06", text=text, **kw)

    records = [
        idlib("i1-1", "i1", "A drone hit the vegetable market in Idlib, killing five.", killed=5, injured=12),
        idlib("i2-1", "i2", "Five died when a drone fell on the market in Idlib city.", killed=5, injured=12),
        jisr("j1-1", "j1", "Shelling killed three civilians in Jisr al-Shughur.", killed=3, injured=8),
        jisr("j2-1", "j2", "Rescuers pulled three bodies from homes shelled in Jisr al-Shughur.", killed=3),
        idlib("r-1", "r", "Government forces struck Idlib city and Jisr al-Shughur on Friday.", killed=5),
    ]
    groups = sorted(i["members"] for i in resolve_records(records))
    assert groups == [["i1-1", "i2-1", "r-1"], ["j1-1", "j2-1"]]


def test_an_early_at_least_toll_gives_way_to_a_higher_later_count() -> None:
    """Kramatorsk station, 8 April 2022: "at least 30" on the day, 52 the next morning. The two do
    not disagree (ACLED's lowest credible figure is for reports that do), so best is 52; a later
    plain count lower than an earlier plain one still keeps the lowest (7 below, as before)."""
    day = rec("a-1", "a", killed=30, published="2022-04-08",
              text="Two rockets hit the railway station in Kramatorsk, killing at least 30 people.")
    day["figures"]["killed"]["hedge"] = "at least"
    next_day = rec("b-1", "b", killed=52, published="2022-04-09",
                   text="By Saturday morning 52 people had died after the attack on the Kramatorsk station.")
    killed = resolve_records([day, next_day])[0]["figures"]["killed"]
    assert (killed["low"], killed["best"], killed["high"]) == (30, 52, 52)
    assert resolve_records([day, next_day], {"lower_bound_hedges": []})[0]["figures"]["killed"]["best"] == 30
    day["figures"]["killed"]["hedge"] = None  # a plain 30 and a plain 52 disagree: the lowest stays
    assert resolve_records([day, next_day])[0]["figures"]["killed"]["best"] == 30
    earlier = rec("c-1", "c", killed=60, published="2022-04-10", text="At least 60 died at Kramatorsk station.")
    earlier["figures"]["killed"]["hedge"] = "at least"
    day["figures"]["killed"]["hedge"] = "at least"  # 60 came later than 52: it does not bound 52 away
    assert resolve_records([day, next_day, earlier])[0]["figures"]["killed"]["best"] == 52
