"""The HTTP API over the sample corpus (examples/ ingested by the real CLI), through a real uvicorn.

Expected values are computed here from the full list of records the store holds (read straight
from the DuckDB file), not written down, so the tests follow the extraction as it improves while
still checking every filter, order, page, format and sum against an independent computation.
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient

from sitrep.store import open_store
from sitrep.web.app import create_app

if TYPE_CHECKING:
    from server.sample_corpus import CorpusServer

pytestmark = pytest.mark.server

FIGURE_KINDS = ("killed", "injured", "displaced", "besieged", "trapped", "detained", "strikes")


@pytest.fixture(scope="module")
def all_records(corpus_db: Path) -> list[dict[str, Any]]:
    """Every event record in the store, of every kind, read without the API."""
    con = duckdb.connect(str(corpus_db), read_only=True)
    try:
        return [json.loads(r[0]) for r in con.execute("SELECT record FROM events").fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def records(all_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The occurrences: what every endpoint returns when no kind is asked for."""
    return [r for r in all_records if r["kind"] == "occurrence"]


def get(server: CorpusServer, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", params=params, timeout=20.0)


def ok(server: CorpusServer, path: str, **params: Any) -> dict[str, Any]:
    response = get(server, path, **params)
    assert response.status_code == 200, response.text
    return response.json()


def all_pages(server: CorpusServer, **params: Any) -> list[dict[str, Any]]:
    """Every matching record, following next_cursor."""
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = ok(server, "/api/events", limit=1000, **params, **({"cursor": cursor} if cursor else {}))
        out += page["events"]
        cursor = page["next_cursor"]
        if not cursor:
            return out


def ids(events: list[dict[str, Any]]) -> set[str]:
    return {e["id"] for e in events}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_the_corpus_is_big_enough_to_test_with(records: list[dict[str, Any]]) -> None:
    # enough occurrences for three pages of 50 and every filter below; the count fell from 300 to
    # about 190 as the narrative stage folded reactions and back-references into their happenings
    assert len(records) > 150
    assert any((r.get("location") or {}).get("name") == "Aleppo" for r in records)


# -- filters --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"admin1": "aleppo"}, lambda r: ((r.get("location") or {}).get("admin1") or "").lower() == "aleppo"),
        ({"admin1": "SY02"}, lambda r: (r.get("location") or {}).get("admin1_pcode") == "SY02"),
        ({"mode": "aerial"}, lambda r: r.get("mode") == "aerial"),
        ({"acled_type": "battles"}, lambda r: (r.get("acled") or {}).get("event_type") == "Battles"),
        ({"type": "ASSAULT", "status": "claimed"}, lambda r: r["event_type"] == "ASSAULT" and r["status"] == "claimed"),
        ({"country": "Syria", "date_from": "2016-02-01", "date_to": "2016-02-29"},
         lambda r: (r.get("location") or {}).get("country") == "SYR"
         and "2016-02-01" <= (r.get("date") or "") <= "2016-02-29"),
        ({"bbox": "35.5,32,42.5,37.5"},
         lambda r: (loc := r.get("location") or {}).get("lat") is not None and 32 <= loc["lat"] <= 37.5
         and 35.5 <= loc["lon"] <= 42.5),
        ({"actor": "SYR_MIL"}, lambda r: any(a.get("id") == "SYR_MIL" for a in r["actors"] + r["recipients"])),
    ],
)
def test_filters_match_an_independent_computation(
    corpus_server: CorpusServer, records: list[dict[str, Any]], params: dict[str, Any], keep: Any
) -> None:
    # Without a kind, only occurrences are returned (background, commentary and headlines stay out).
    expected = {r["id"] for r in records if keep(r)}
    assert expected, f"the corpus has no event for {params}: the test would prove nothing"
    got = all_pages(corpus_server, **params)
    assert ids(got) == expected
    assert ok(corpus_server, "/api/events", limit=1, **params)["total"] == len(expected)


@pytest.mark.parametrize("kind", ["background", "commentary", "headline", "background,commentary", "all"])
def test_the_kind_filter_returns_the_kinds_asked_for(
    corpus_server: CorpusServer, all_records: list[dict[str, Any]], kind: str
) -> None:
    wanted = {"background", "commentary", "headline", "occurrence"} if kind == "all" else set(kind.split(","))
    expected = {r["id"] for r in all_records if r["kind"] in wanted}
    assert expected, f"the corpus has no {kind} event: the test would prove nothing"
    assert ids(all_pages(corpus_server, kind=kind)) == expected


def test_an_unknown_kind_is_refused_by_name(corpus_server: CorpusServer) -> None:
    response = get(corpus_server, "/api/events", kind="rumour")
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "kind"
    assert "rumour" in response.json()["detail"]


def test_radius_around_a_named_place_and_around_a_point(
    corpus_server: CorpusServer, records: list[dict[str, Any]]
) -> None:
    aleppo = (36.2012, 37.1612)  # Aleppo city in the offline gazetteer
    located = [r for r in records if (r.get("location") or {}).get("lat") is not None]
    near = {r["id"] for r in located if distance_km(*aleppo, r["location"]["lat"], r["location"]["lon"]) <= 60}
    assert near and len(near) < len(located)
    by_point = ids(all_pages(corpus_server, lat=aleppo[0], lon=aleppo[1], radius_km=60))
    assert by_point == near
    by_name = ids(all_pages(corpus_server, place="Aleppo", country="SYR", radius_km=60))
    # The gazetteer's Aleppo may sit a little off these coordinates: allow events on the edge only.
    edge = {r["id"] for r in located if 55 <= distance_km(*aleppo, r["location"]["lat"], r["location"]["lon"]) <= 65}
    assert by_name ^ near <= edge
    # A radius search ignores the place as a name filter: events at Nubl (20 km away) are in.
    assert any(r["location"]["name"] != "Aleppo" for r in all_pages(corpus_server, place="Aleppo", radius_km=60))


# -- order and pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("sort", ["-date", "date", "-killed", "-confidence"])
def test_cursor_pages_cover_every_event_once_in_order(
    corpus_server: CorpusServer, records: list[dict[str, Any]], sort: str
) -> None:
    seen: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 97, "sort": sort}
        if cursor:
            params["cursor"] = cursor
        page = ok(corpus_server, "/api/events", **params)
        seen += page["events"]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == math.ceil(len(records) / 97)
    assert [e["id"] for e in seen] == sorted(ids(seen), key=lambda i: [e["id"] for e in seen].index(i))
    assert ids(seen) == {r["id"] for r in records} and len(seen) == len(records)

    field = sort.lstrip("-")

    def key(e: dict[str, Any]) -> Any:
        if field == "killed":
            return ((e["figures"] or {}).get("killed") or {}).get("best")
        return e.get(field)

    values = [key(e) for e in seen]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=sort.startswith("-"))
    # Missing values come last, whatever the direction.
    assert values[: len(present)] == present


def test_offset_pages_agree_with_cursor_pages(corpus_server: CorpusServer) -> None:
    first = ok(corpus_server, "/api/events", limit=50)
    second = ok(corpus_server, "/api/events", limit=50, cursor=first["next_cursor"])
    by_offset = ok(corpus_server, "/api/events", limit=50, offset=50)
    assert [e["id"] for e in second["events"]] == [e["id"] for e in by_offset["events"]]


def test_a_cursor_is_refused_with_other_filters_or_garbage(corpus_server: CorpusServer) -> None:
    cursor = ok(corpus_server, "/api/events", limit=5, type="ASSAULT")["next_cursor"]
    for params in ({"type": "PROTEST", "cursor": cursor}, {"type": "ASSAULT", "sort": "date", "cursor": cursor},
                   {"cursor": "not-a-cursor"}, {"cursor": cursor, "offset": 5}):
        response = get(corpus_server, "/api/events", **params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["parameter"] == "cursor"


def test_link_and_total_headers(corpus_server: CorpusServer) -> None:
    response = get(corpus_server, "/api/events", limit=10, type="ASSAULT")
    total = response.json()["total"]
    assert response.headers["x-total-count"] == str(total)
    link = response.headers["link"]
    assert link.endswith('>; rel="next"') and "type=ASSAULT" in link and "cursor=" in link
    follow = httpx.get(corpus_server.url + link[1: link.index(">")], timeout=20.0).json()
    assert follow["events"][0]["id"] == ok(corpus_server, "/api/events", limit=11, type="ASSAULT")["events"][10]["id"]


# -- formats --------------------------------------------------------------------------------------

def test_csv_has_acled_like_columns_and_one_row_per_event(corpus_server: CorpusServer) -> None:
    response = get(corpus_server, "/api/events", format="csv", limit=40, country="SYR")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    as_json = ok(corpus_server, "/api/events", limit=40, country="SYR")["events"]
    assert [r["id"] for r in rows] == [e["id"] for e in as_json]
    columns = {"event_date", "event_type", "actor1", "admin1", "latitude", "longitude", "killed", "evidence"}
    assert columns <= set(rows[0])
    assert all(r["country"] == "SYR" for r in rows)
    assert response.headers["x-total-count"] == str(ok(corpus_server, "/api/events", limit=1, country="SYR")["total"])


def test_geojson_pages_carry_the_cursor(corpus_server: CorpusServer, records: list[dict[str, Any]]) -> None:
    located = {r["id"] for r in records if (r.get("location") or {}).get("lat") is not None}
    features: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"format": "geojson", "limit": 100}
        if cursor:
            params["cursor"] = cursor
        body = ok(corpus_server, "/api/events", **params)
        assert body["type"] == "FeatureCollection" and body["total"] == len(records)
        features += body["features"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert {f["id"] for f in features} == located
    one = features[0]
    assert one["geometry"]["type"] == "Point"
    lon, lat = one["geometry"]["coordinates"]
    assert (lat, lon) == (one["properties"]["latitude"], one["properties"]["longitude"])


# -- aggregates (of event mentions here; of incidents, the default, in test_incidents_api.py) -------

def test_counts_by_month_and_type_add_up(corpus_server: CorpusServer, records: list[dict[str, Any]]) -> None:
    body = ok(corpus_server, "/api/aggregates/events", by="month", figures="false", unit="mentions")
    months = Counter(r["date"][:7] + "-01" for r in records if r.get("date"))
    assert {g["key"]: g["count"] for g in body["groups"]} == dict(months)
    assert [g["key"] for g in body["groups"]] == sorted(months)
    assert body["ungrouped"] == sum(1 for r in records if not r.get("date"))
    by_type = ok(corpus_server, "/api/aggregates/events", by="type", figures="false", unit="mentions")
    assert {g["key"]: g["count"] for g in by_type["groups"]} == dict(Counter(r["event_type"] for r in records))
    counts = [g["count"] for g in by_type["groups"]]
    assert counts == sorted(counts, reverse=True)


def test_weeks_start_on_monday(corpus_server: CorpusServer) -> None:
    from datetime import date

    body = ok(corpus_server, "/api/aggregates/events", by="week", figures="false", country="SYR", unit="mentions")
    assert body["groups"] and all(date.fromisoformat(g["key"]).weekday() == 0 for g in body["groups"])


def test_admin1_groups_name_their_country(corpus_server: CorpusServer, records: list[dict[str, Any]]) -> None:
    body = ok(corpus_server, "/api/aggregates/events", by="admin1", figures="false", unit="mentions")
    expected = Counter(
        (r["location"]["admin1"], r["location"]["country"]) for r in records if (r.get("location") or {}).get("admin1")
    )
    assert {(g["key"], g["country"]): g["count"] for g in body["groups"]} == dict(expected)


def test_figures_are_summed_as_ranges(corpus_server: CorpusServer, records: list[dict[str, Any]]) -> None:
    body = ok(corpus_server, "/api/aggregates/events", by="type", unit="mentions")
    for kind in FIGURE_KINDS:
        figures = [f for r in records if isinstance(f := (r.get("figures") or {}).get(kind), dict)]
        expected = {
            "low": sum(f["low"] or 0 for f in figures),
            "best": sum(f["best"] or 0 for f in figures),
            "high": sum(f["high"] if f["high"] is not None else (f["best"] or 0) for f in figures),
            "events": sum(1 for f in figures if f["best"] is not None),
            "open_high": sum(1 for f in figures if f["best"] is not None and f["high"] is None),
        }
        assert body["figures"][kind] == expected, kind
        per_type = sum(g["figures"][kind]["best"] for g in body["groups"])
        assert per_type == expected["best"]
    assert body["figures"]["killed"]["events"] > 0, "the corpus reports deaths; the sums must see them"


# -- documents and evidence -----------------------------------------------------------------------

def aleppo_event(records: list[dict[str, Any]]) -> dict[str, Any]:
    """An event located in Aleppo whose evidence sentence names Aleppo (the acceptance example)."""
    return next(
        r for r in sorted(records, key=lambda r: r["id"])
        if (r.get("location") or {}).get("name") == "Aleppo" and "Aleppo" in r["evidence"]["text"]
    )


def test_document_has_sections_mention_spans_and_sentences(
    corpus_server: CorpusServer, records: list[dict[str, Any]]
) -> None:
    event = aleppo_event(records)
    doc = ok(corpus_server, f"/api/documents/{event['doc_id']}")
    text = doc["text"]
    assert {s["name"] for s in doc["sections"]} >= {"body"}
    assert doc["mentions"], "stored documents carry their mentions"
    for mention in doc["mentions"]:
        assert text[mention["start"]:mention["end"]] == mention["text"]
    assert {"PLACE", "ACTOR"} <= {m["kind"] for m in doc["mentions"]}
    sentences = doc["sentences"]
    assert all(a["end"] <= b["start"] for a, b in zip(sentences, sentences[1:], strict=False))
    evidence = event["evidence"]
    holder = [s for s in sentences if s["start"] == evidence["start"] and s["end"] == evidence["end"]]
    assert holder and event["id"] in holder[0]["event_ids"]
    assert event["id"] in doc["event_ids"]


def test_evidence_view_of_an_aleppo_event(corpus_server: CorpusServer, records: list[dict[str, Any]]) -> None:
    event = aleppo_event(records)
    view = ok(corpus_server, f"/api/events/{event['id']}/evidence")
    assert {k: v for k, v in view["event"].items() if k != "incident_id"} == event  # plus its incident
    text = view["document"]["text"]
    ev = view["evidence"]
    assert text[ev["start"]:ev["end"]] == event["evidence"]["text"]
    assert view["sources"][0]["role"] == "reported by"
    assert view["sources"][0]["title"] == event["source"]["title"]
    assert len(view["sources"]) == 1 + len(event["claimed_by"]) + len(event["denied_by"])
    assert view["related"], "the article says more about Aleppo than one sentence"
    sections = view["document"]["sections"]
    for sentence in view["related"]:
        assert (sentence["start"], sentence["end"]) != (ev["start"], ev["end"])
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]
        assert set(sentence["reasons"]) <= {"same-event", "place", "actor"} and sentence["reasons"]
        inside = next(s for s in sections if s["start"] <= sentence["start"] < s["end"])
        assert inside["name"] in ("title", "body")
        if "place" in sentence["reasons"]:
            assert "Aleppo" in sentence["text"] or "ALEPPO" in sentence["text"]
    kinds = [f["kind"] for f in view["figures"]]
    assert kinds == [k for k in FIGURE_KINDS if (event["figures"] or {}).get(k)]


def test_claimed_events_list_who_claims_them(corpus_server: CorpusServer, records: list[dict[str, Any]]) -> None:
    claimed = next(r for r in records if r["claimed_by"] and any(p.get("name") for p in r["claimed_by"]))
    view = ok(corpus_server, f"/api/events/{claimed['id']}/evidence")
    roles = [(s["role"], s["name"]) for s in view["sources"]]
    assert ("claimed by", claimed["claimed_by"][0]["name"] or claimed["claimed_by"][0]["text"]) in roles


# -- invalid parameters: a 422 naming the parameter, and nothing reaches SQL ----------------------

@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"bbox": "1,2,3"}, "bbox", "4 comma-separated numbers"),
        ({"bbox": "10,50,20,40"}, "bbox", "south"),
        ({"bbox": "0,0,200,10"}, "bbox", "longitude"),
        ({"radius_km": 10}, "radius_km", "needs a centre"),
        ({"lat": 36}, "lon", "go together"),
        ({"lat": 36, "lon": 37}, "radius_km", "needs a radius_km"),
        ({"radius_km": 0, "lat": 1, "lon": 1}, "radius_km", "greater than 0"),
        ({"place": "Nowhereville Xq", "radius_km": 10}, "place", "no place called"),
        ({"mode": "carpet"}, "mode", "unknown mode"),
        ({"acled_type": "Skirmishes"}, "acled_type", "unknown ACLED event type"),
        ({"sort": "random"}, "sort", "-date"),
        ({"format": "xml"}, "format", "csv"),
        ({"country": "SYR' OR '1'='1"}, "country", "unknown country"),
        ({"sort": "date; DROP TABLE events"}, "sort", "-date"),
    ],
)
def test_invalid_parameters_get_a_422_naming_them(
    corpus_server: CorpusServer, params: dict[str, Any], parameter: str, words: str
) -> None:
    response = get(corpus_server, "/api/events", **params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["errors"][0]["parameter"] == parameter
    assert words in body["detail"]


def test_aggregates_refuse_an_unknown_grouping(corpus_server: CorpusServer) -> None:
    response = get(corpus_server, "/api/aggregates/events", by="weekday")
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "by"


@pytest.mark.parametrize(
    "value", ["%", "_", "' OR 1=1 --", "\\", "Aleppo'); DROP TABLE events; --", "%' OR '%'='"]
)
def test_text_values_are_data_never_sql(
    corpus_server: CorpusServer, records: list[dict[str, Any]], value: str
) -> None:
    for name in ("place", "actor", "q", "admin1"):
        body = ok(corpus_server, "/api/events", **{name: value})
        field = {"place": lambda r: " ".join(filter(None, [(r.get("location") or {}).get("name"),
                                                           (r.get("location") or {}).get("admin1")])),
                 "q": lambda r: r["evidence"]["text"] + " " + (r["source"]["title"] or "")}.get(name)
        if field is not None:  # literal substring semantics, wildcards included
            expected = sum(1 for r in records if value.lower() in field(r).lower())
            assert body["total"] == expected, (name, value)
    assert ok(corpus_server, "/api/events", limit=1)["total"] == len(records)


# -- the shared read-only store -------------------------------------------------------------------

def test_the_server_lets_a_writer_in_once_idle(corpus_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(corpus_db.read_bytes())
    app = create_app(db, idle_seconds=0.3)
    with TestClient(app) as client:
        assert client.get("/api/events", params={"limit": 1}).status_code == 200
        assert app.state.store_holder.is_open
        deadline = time.monotonic() + 5
        while app.state.store_holder.is_open and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not app.state.store_holder.is_open
        with open_store(db) as writer:  # would fail while the server held the file
            writer.add_reject("test", "written while the server idles")
        assert client.get("/api/summary").json()["rejects"] >= 1


def test_a_store_being_written_is_a_503_that_says_so(corpus_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(corpus_db.read_bytes())
    app = create_app(db)
    # A writer holds the file (here in this process; DuckDB refuses a read-only opening beside it).
    with open_store(db), TestClient(app) as client:
        response = client.get("/api/events")
    assert response.status_code == 503
    assert "cannot open" in response.json()["detail"]
    assert str(db) in response.json()["detail"]


@pytest.mark.parametrize(("path", "params", "name"), [
    ("/api/events", {"from": "2016-01-01"}, "from"),
    ("/api/events", {"near": "abc"}, "near"),
    ("/api/aggregates/events", {"by": "month", "colour": "red"}, "colour"),
    ("/api/config", {"x": "1"}, "x"),
])
def test_unknown_parameters_are_refused_by_name(
    corpus_server: CorpusServer, path: str, params: dict, name: str
) -> None:
    response = get(corpus_server, path, **params)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["parameter"] == name and "takes:" in error["message"]
    if path == "/api/events":
        assert "date_from" in error["message"]


def test_every_response_carries_the_security_headers(corpus_server: CorpusServer) -> None:
    for path in ("/", "/api/events?limit=1", "/api/events/nope", "/static/app.js", "/openapi.json"):
        headers = httpx.get(corpus_server.url + path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy, path
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
    assert "'unsafe-inline'" in httpx.get(corpus_server.url + "/docs").headers["content-security-policy"]
