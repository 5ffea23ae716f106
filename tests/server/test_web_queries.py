"""The web layer's pieces without a server: the rebuilt sentences of a document and the choice of
related sentences, geographic filters at the edges of the map, cursors, and the figure columns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers import make_document, make_record
from sitrep.store import EventFilter, FilterError, Store, open_store
from sitrep.store.paging import decode_cursor, encode_cursor
from sitrep.store.records import flatten
from sitrep.web.evidence import document_sentences, related_sentences, sources

# -- sentences and related sentences -----------------------------------------------------------------

TEXT = (
    "Strikes hit Aleppo\n\n"
    "Gen. Hassan said the army shelled Aleppo on Monday. Rebels fired back at dawn. "
    "Talks in Geneva were delayed.\n\n"
    "Syria was quiet elsewhere. The army shelled Aleppo again on Tuesday.\n"
    "Great report. Aleppo will fall!"
)


def span(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


SECTIONS = [
    {"name": "title", "start": 0, "end": 18, "label": None},
    {"name": "body", "start": 20, "end": TEXT.index("Great report"), "label": None},
    {"name": "comment", "start": TEXT.index("Great report"), "end": len(TEXT), "label": None},
]
ALEPPO = {"text": "Aleppo", "name": "Aleppo", "geonameid": 170063, "lat": 36.2, "lon": 37.16, "country": "SYR",
          "admin1": "Aleppo", "admin1_pcode": "SY02", "feature": "city", "geo_precision": 1}
ARMY = {"text": "the army", "name": "Military Forces of Syria", "id": "SYR_MIL", "country": "SYR",
        "sector": "MIL", "acled_inter": 1}


def event(eid: str, sentence: str, *, event_type: str = "ASSAULT", location: dict | None = None,
          actors: list | None = None) -> dict[str, Any]:
    start, end = span(sentence)
    return make_record(
        id=eid, doc_id="d", event_type=event_type, location=location, actors=actors or [], recipients=[],
        evidence={"text": sentence, "start": start, "end": end, "section": "body"},
    )


def mention(kind: str, text: str, occurrence: int = 0, **norm: Any) -> dict[str, Any]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return {"kind": kind, "start": start, "end": start + len(text), "text": text, "by": "test", "norm": norm}


FIRST = "Gen. Hassan said the army shelled Aleppo on Monday."
SECOND = "The army shelled Aleppo again on Tuesday."
EVENTS = [
    event("e1", FIRST, location=ALEPPO, actors=[ARMY]),
    event("e2", SECOND, location=ALEPPO, actors=[ARMY]),
    event("e3", "Talks in Geneva were delayed.", event_type="CONSULT"),
]
MENTIONS = [
    mention("PLACE", "Aleppo", 0, name="Aleppo", geonameid=170063),
    mention("PLACE", "Aleppo", 1, name="Aleppo", geonameid=170063),
    mention("ACTOR", "army", 0, id="SYR_MIL", name="Military Forces of Syria"),
    mention("PLACE", "Syria", 0, name="Syria", geonameid=163843, feature="country"),
    mention("ACTOR", "army", 1, id="SYR_MIL", name="Military Forces of Syria"),
    mention("PLACE", "Aleppo", 2, name="Aleppo", geonameid=170063),
    mention("PLACE", "Aleppo", 3, name="Aleppo", geonameid=170063),
]


def test_sentences_keep_evidence_spans_and_split_the_rest() -> None:
    sentences = document_sentences(TEXT, SECTIONS, EVENTS)
    texts = [TEXT[s.start:s.end] for s in sentences]
    assert texts == [
        "Strikes hit Aleppo",
        FIRST,  # "Gen." does not end a sentence
        "Rebels fired back at dawn.",
        "Talks in Geneva were delayed.",
        "Syria was quiet elsewhere.",
        SECOND,
        "Great report.",
        "Aleppo will fall!",
    ]
    assert [s.event_ids for s in sentences if s.event_ids] == [["e1"], ["e3"], ["e2"]]


def test_related_sentences_follow_the_documented_rules() -> None:
    related = related_sentences(EVENTS[0], TEXT, SECTIONS, MENTIONS, EVENTS)
    by_text = {r["text"]: r["reasons"] for r in related}
    assert by_text == {
        "Strikes hit Aleppo": ["place"],
        SECOND: ["same-event", "place", "actor"],
    }
    # Not the event's own sentence; not the country-level "Syria"; not the reader comment naming Aleppo.
    assert FIRST not in by_text and "Syria was quiet elsewhere." not in by_text
    assert "Aleppo will fall!" not in by_text


def test_a_country_level_place_relates_nothing_by_place() -> None:
    syria = {**ALEPPO, "name": "Syria", "geonameid": 163843, "feature": "country", "lat": None, "lon": None}
    talks = event("e4", "Syria was quiet elsewhere.", event_type="CONSULT", location=syria)
    related = related_sentences(talks, TEXT, SECTIONS, MENTIONS, [*EVENTS, talks])
    assert related == []


def test_sources_list_the_document_then_claimants_and_deniers() -> None:
    record = make_record(
        claimed_by=[{"text": "SANA", "name": "SANA", "id": None}],
        denied_by=[{"text": "the rebels", "name": None, "id": None}],
    )
    assert [(s["role"], s["name"]) for s in sources(record)] == [
        ("reported by", record["source"]["title"]), ("claimed by", "SANA"), ("denied by", "the rebels"),
    ]


# -- geographic filters and cursors --------------------------------------------------------------

def located(key: str, lat: float | None, lon: float | None) -> tuple[dict, list[dict]]:
    doc = make_document(f"Something happened at {key}.", title=key)
    loc = {**ALEPPO, "name": key, "text": key, "lat": lat, "lon": lon, "geonameid": None,
           "geo_precision": 1 if lat is not None else None}
    return doc, [make_record(doc_id=doc["id"], location=loc)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("geo") / "geo.duckdb"
    with open_store(path) as writer:
        writer.add_documents([
            located("fiji-east", -17.0, 179.5), located("fiji-west", -17.0, -179.5),
            located("greenwich", 51.48, 0.0),
            located("svalbard", 78.2, 15.6), located("north-pole-far-side", 89.5, -165.0),
            located("nowhere", None, None),
        ])
    reader = open_store(path, read_only=True)
    yield reader
    reader.close()


def places(store: Store, **filters: Any) -> set[str]:
    return {r["location"]["name"] for r in store.page_events(EventFilter.parse(**filters), limit=100).events}


def test_bbox_across_the_antimeridian(store: Store) -> None:
    assert places(store, bbox="179,-20,-179,-10") == {"fiji-east", "fiji-west"}
    assert places(store, bbox="-10,50,10,55") == {"greenwich"}


def test_radius_across_the_antimeridian_and_over_the_pole(store: Store) -> None:
    assert places(store, near="-17,180", radius_km="100") == {"fiji-east", "fiji-west"}
    # 89.5N 165W is about 1,400 km from Svalbard over the pole, 8,000 km going round the sphere's other way.
    assert places(store, near="78.2,15.6", radius_km="1500") == {"svalbard", "north-pole-far-side"}
    assert places(store, near="51.48,0.01", radius_km="2") == {"greenwich"}


def test_cursors_are_tied_to_their_filters_and_sort() -> None:
    flt = EventFilter.parse(country="SYR")
    cursor = encode_cursor(flt, "-date", date(2016, 2, 3), "abc-1")
    assert decode_cursor(cursor, flt, "-date") == (date(2016, 2, 3), "abc-1")
    for other_filter, sort in ((EventFilter.parse(country="IRQ"), "-date"), (flt, "date")):
        with pytest.raises(FilterError, match="other filters"):
            decode_cursor(cursor, other_filter, sort)
    with pytest.raises(FilterError, match="not one this API made"):
        decode_cursor("e30", flt, "-date")  # "{}"


def test_figure_ranges_become_flat_columns() -> None:
    record = make_record(figures={
        "killed": {"low": 12, "best": 15, "high": None, "hedge": "at least"},
        "besieged": {"low": None, "best": 2000, "high": 2000, "hedge": "as many as"},
        "injured": None, "displaced": None, "trapped": None, "strikes": None,
    })
    flat = flatten(record)
    assert (flat["killed_low"], flat["killed"], flat["killed_high"]) == (12, 15, None)
    assert (flat["besieged_low"], flat["besieged"], flat["besieged_high"]) == (None, 2000, 2000)
    assert (flat["detained_low"], flat["detained"], flat["detained_high"]) == (None, None, None)
