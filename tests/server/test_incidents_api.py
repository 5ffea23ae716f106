"""`/api/incidents`, `/api/incidents/{id}` and the incident unit of the aggregates, over the sample
corpus (examples/ ingested by the real CLI, which resolves incidents at ingest), through a real
uvicorn.

As in test_api.py, expected values are computed here from what the DuckDB file holds (the incident
records, their aliases, the member events), read without the API, so the tests follow the
resolver as it changes while checking every filter, page, format and sum independently.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient

from helpers import make_record
from sitrep.export import INCIDENT_CSV_COLUMNS
from sitrep.web.app import create_app
from sitrep.web.incidents import disagreements

if TYPE_CHECKING:
    from server.sample_corpus import CorpusServer

pytestmark = pytest.mark.server

FIGURE_KINDS = ("killed", "injured", "displaced", "besieged", "trapped", "detained", "strikes")
INCIDENT_SORTS = ("-date", "date", "-published", "published", "-killed", "killed")


def read(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def incidents(corpus_db: Path) -> list[dict[str, Any]]:
    """Every incident record in the store, read without the API."""
    return [json.loads(r[0]) for r in read(corpus_db, "SELECT record FROM incidents")]


@pytest.fixture(scope="module")
def events_by_id(corpus_db: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in (json.loads(row[0]) for row in read(corpus_db, "SELECT record FROM events"))}


@pytest.fixture(scope="module")
def mentions(events_by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in events_by_id.values() if r["kind"] == "occurrence"]


def get(server: CorpusServer, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", params=params, timeout=20.0)


def ok(server: CorpusServer, path: str, **params: Any) -> dict[str, Any]:
    response = get(server, path, **params)
    assert response.status_code == 200, response.text
    return response.json()


def all_incident_pages(server: CorpusServer, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = ok(server, "/api/incidents", limit=1000, **params, **({"cursor": cursor} if cursor else {}))
        out += page["incidents"]
        cursor = page["next_cursor"]
        if not cursor:
            return out


def ids(records: list[dict[str, Any]]) -> set[str]:
    return {r["id"] for r in records}


def multi_source(incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = sorted((i for i in incidents if i["n_sources"] > 1), key=lambda i: i["id"])
    assert found, "the sample corpus has no incident reported by several documents: nothing to merge"
    return found


def test_the_corpus_has_incidents_that_merge_reports(
    incidents: list[dict[str, Any]], mentions: list[dict[str, Any]]
) -> None:
    assert 0 < len(incidents) < len(mentions), "incidents merge mentions: fewer incidents than mentions"
    assert multi_source(incidents)


# -- list, filters, order, pages ------------------------------------------------------------------

def test_unfiltered_list_has_every_incident_and_the_paging_fields(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]]
) -> None:
    body = ok(corpus_server, "/api/incidents", limit=5)
    assert body["total"] == len(incidents)
    assert (body["limit"], body["offset"], body["sort"]) == (5, 0, "-date")
    assert len(body["incidents"]) == 5 and body["next_cursor"]
    assert "events" not in body
    stored = {i["id"]: i for i in incidents}
    for record in body["incidents"]:
        assert record == stored[record["id"]]


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"country": "SYR"}, lambda i: (i.get("location") or {}).get("country") == "SYR"),
        ({"type": "ASSAULT"}, lambda i: i["event_type"] == "ASSAULT"),
        ({"admin1": "aleppo"}, lambda i: ((i.get("location") or {}).get("admin1") or "").lower() == "aleppo"),
        ({"country": "Syria", "date_from": "2016-02-01", "date_to": "2016-02-29"},
         lambda i: (i.get("location") or {}).get("country") == "SYR"
         and "2016-02-01" <= (i.get("date") or "") <= "2016-02-29"),
        ({"acled_type": "battles"}, lambda i: (i.get("acled") or {}).get("event_type") == "Battles"),
        ({"actor": "RUS_MIL"}, lambda i: any(a.get("id") == "RUS_MIL" for a in i["actors"] + i["recipients"])),
        ({"bbox": "35.5,32,42.5,37.5"},
         lambda i: (loc := i.get("location") or {}).get("lat") is not None and 32 <= loc["lat"] <= 37.5
         and 35.5 <= loc["lon"] <= 42.5),
        ({"status": "claimed"}, lambda i: i["status"] == "claimed"),
    ],
)
def test_filters_match_an_independent_computation(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]], params: dict[str, Any], keep: Any
) -> None:
    expected = {i["id"] for i in incidents if keep(i)}
    assert expected, f"the corpus has no incident for {params}: the test would prove nothing"
    assert expected != ids(incidents) or params == {"country": "SYR"}
    assert ids(all_incident_pages(corpus_server, **params)) == expected
    assert ok(corpus_server, "/api/incidents", limit=1, **params)["total"] == len(expected)


def test_a_kind_other_than_occurrence_matches_no_incident(corpus_server: CorpusServer) -> None:
    assert ok(corpus_server, "/api/incidents", kind="background")["total"] == 0
    assert ok(corpus_server, "/api/incidents", limit=1, kind="all")["total"] == ok(
        corpus_server, "/api/incidents", limit=1)["total"]


@pytest.mark.parametrize("sort", INCIDENT_SORTS)
def test_cursor_pages_cover_every_incident_once_in_order(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]], sort: str
) -> None:
    seen: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 37, "sort": sort, **({"cursor": cursor} if cursor else {})}
        page = ok(corpus_server, "/api/incidents", **params)
        seen += page["incidents"]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == math.ceil(len(incidents) / 37)
    assert len(seen) == len(incidents) and ids(seen) == ids(incidents)

    field = sort.lstrip("-")

    def key(i: dict[str, Any]) -> Any:
        if field == "killed":
            return ((i["figures"] or {}).get("killed") or {}).get("best")
        if field == "published":
            return min((s["published"] for s in i["sources"] if s.get("published")), default=None)
        return i.get(field)

    values = [key(i) for i in seen]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=sort.startswith("-"))
    assert values[: len(present)] == present  # missing values last


def test_offset_pages_agree_with_cursor_pages(corpus_server: CorpusServer) -> None:
    first = ok(corpus_server, "/api/incidents", limit=40)
    second = ok(corpus_server, "/api/incidents", limit=40, cursor=first["next_cursor"])
    by_offset = ok(corpus_server, "/api/incidents", limit=40, offset=40)
    assert [i["id"] for i in second["incidents"]] == [i["id"] for i in by_offset["incidents"]]


def test_a_cursor_is_refused_with_other_filters_another_sort_or_from_events(corpus_server: CorpusServer) -> None:
    cursor = ok(corpus_server, "/api/incidents", limit=5, country="SYR")["next_cursor"]
    events_cursor = ok(corpus_server, "/api/events", limit=5, country="SYR")["next_cursor"]
    for params in ({"country": "IRQ", "cursor": cursor}, {"country": "SYR", "sort": "date", "cursor": cursor},
                   {"country": "SYR", "cursor": events_cursor}, {"cursor": "garbage"},
                   {"country": "SYR", "cursor": cursor, "offset": 5}):
        response = get(corpus_server, "/api/incidents", **params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["parameter"] == "cursor"


def test_a_cursor_is_refused_with_another_updated_since(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]]
) -> None:
    """updated_since is one of the filters a cursor is made for: replayed with another (or none), it
    is refused like a cursor from other filters, not applied to a selection it was not made for."""
    since = "2000-01-01T00:00:00"
    first = ok(corpus_server, "/api/incidents", limit=5, updated_since=since)
    assert first["total"] == len(incidents) > 5 and first["next_cursor"]
    cursor = first["next_cursor"]
    # the same updated_since follows the cursor, written with an offset or not
    assert ok(corpus_server, "/api/incidents", limit=5, updated_since=since, cursor=cursor)["incidents"]
    assert ok(corpus_server, "/api/incidents", limit=5, updated_since="2000-01-01T02:00:00+02:00",
              cursor=cursor)["incidents"]
    latest = max(i["updated_at"] for i in incidents)
    for params in ({"updated_since": latest}, {"updated_since": "2000-01-02"}, {}):
        response = get(corpus_server, "/api/incidents", limit=5, cursor=cursor, **params)
        assert response.status_code == 422, (params, response.text)
        error = response.json()["errors"][0]
        assert error["parameter"] == "cursor" and "other filters" in error["message"], error
    # and a cursor made without updated_since is refused with one
    plain = ok(corpus_server, "/api/incidents", limit=5)["next_cursor"]
    response = get(corpus_server, "/api/incidents", limit=5, cursor=plain, updated_since=since)
    assert response.status_code == 422 and response.json()["errors"][0]["parameter"] == "cursor"


@pytest.mark.parametrize("sort", ["-confidence", "confidence", "random"])
def test_sorting_by_confidence_is_refused_like_an_unknown_sort(corpus_server: CorpusServer, sort: str) -> None:
    response = get(corpus_server, "/api/incidents", sort=sort)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["parameter"] == "sort"
    assert "-date" in body["detail"] and "confidence" not in body["detail"].replace(sort, "")


@pytest.mark.parametrize(("params", "name"), [
    ({"from": "2016-01-01"}, "from"), ({"unit": "mentions"}, "unit"), ({"since": "2016-01-01"}, "since"),
])
def test_unknown_parameters_are_refused_by_name(corpus_server: CorpusServer, params: dict, name: str) -> None:
    response = get(corpus_server, "/api/incidents", **params)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["parameter"] == name and "takes:" in error["message"] and "updated_since" in error["message"]


@pytest.mark.parametrize(("params", "parameter"), [
    ({"bbox": "1,2,3"}, "bbox"), ({"country": "Atlantis"}, "country"), ({"limit": 0}, "limit"),
    ({"format": "xml"}, "format"), ({"updated_since": "yesterday"}, "updated_since"),
    ({"updated_since": "2016-13-01T00:00:00"}, "updated_since"),
])
def test_invalid_parameters_get_a_422_naming_them(
    corpus_server: CorpusServer, params: dict[str, Any], parameter: str
) -> None:
    response = get(corpus_server, "/api/incidents", **params)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["parameter"] == parameter


def test_updated_since_keeps_what_changed_at_or_after_the_time(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]]
) -> None:
    times = sorted({datetime.fromisoformat(i["updated_at"]) for i in incidents})
    assert times
    middle = times[len(times) // 2]
    expected = {i["id"] for i in incidents if datetime.fromisoformat(i["updated_at"]) >= middle}
    assert expected
    # A record's own updated_at (naive, UTC) is accepted as it is...
    assert ids(all_incident_pages(corpus_server, updated_since=middle.isoformat())) == expected
    # ...and the same moment with an offset means the same thing.
    plus_two = middle.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=2)))
    assert ids(all_incident_pages(corpus_server, updated_since=plus_two.isoformat())) == expected
    assert ok(corpus_server, "/api/incidents", updated_since=(times[-1] + timedelta(seconds=1)).isoformat())[
        "total"] == 0
    assert ok(corpus_server, "/api/incidents", limit=1, updated_since="2000-01-01")["total"] == len(incidents)


# -- formats --------------------------------------------------------------------------------------

def test_geojson_has_one_point_per_located_incident(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]]
) -> None:
    located = {i["id"] for i in incidents if (i.get("location") or {}).get("lat") is not None}
    features: list[dict[str, Any]] = []
    cursor = None
    while True:
        more = {"cursor": cursor} if cursor else {}
        body = ok(corpus_server, "/api/incidents", format="geojson", limit=100, **more)
        assert body["type"] == "FeatureCollection" and body["total"] == len(incidents)
        features += body["features"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert {f["id"] for f in features} == located
    props = features[0]["properties"]
    assert {"event_date", "n_sources", "outlets", "members", "killed_low", "killed_high"} <= set(props)
    lon, lat = features[0]["geometry"]["coordinates"]
    assert (lat, lon) == (props["latitude"], props["longitude"])


def test_csv_has_one_row_per_incident_and_the_paging_headers(corpus_server: CorpusServer) -> None:
    response = get(corpus_server, "/api/incidents", format="csv", limit=30, country="SYR")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="incidents.csv"' in response.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(response.text))
    rows = list(reader)
    assert tuple(reader.fieldnames or ()) == INCIDENT_CSV_COLUMNS
    as_json = ok(corpus_server, "/api/incidents", limit=30, country="SYR")
    assert [r["id"] for r in rows] == [i["id"] for i in as_json["incidents"]]
    assert response.headers["x-total-count"] == str(as_json["total"])
    link = response.headers["link"]
    assert link.startswith("</api/incidents?") and "cursor=" in link and "format=csv" in link


# -- one incident ---------------------------------------------------------------------------------

def test_one_incident_in_full(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]], events_by_id: dict[str, dict[str, Any]]
) -> None:
    for incident in multi_source(incidents):
        view = ok(corpus_server, f"/api/incidents/{incident['id']}")
        assert view["resolved_from"] is None
        assert {k: v for k, v in view.items() if k not in ("resolved_from", "member_events", "disagreements")} \
            == incident
        assert [m["id"] for m in view["member_events"]] == incident["members"]
        assert view["member_events"] == [events_by_id[e] for e in incident["members"]]
        assert len(view["sources"]) == view["n_sources"] > 1
        assert sorted(e for s in view["sources"] for e in s["event_ids"]) == sorted(incident["members"])
        for source in view["sources"]:
            for eid, evidence in zip(source["event_ids"], source["evidence"], strict=True):
                assert evidence["text"] == events_by_id[eid]["evidence"]["text"]
                assert events_by_id[eid]["doc_id"] == source["doc_id"]
        for kind, figure in view["figures"].items():
            if figure:
                reported = [(r["event_id"], r["value"]) for r in figure["reports"]]
                expected = [(m["id"], m["figures"][kind]["best"]) for m in view["member_events"]
                            if (m.get("figures") or {}).get(kind) and m["figures"][kind].get("best") is not None]
                assert sorted(reported) == sorted(expected)
                assert figure["low"] <= figure["best"] <= figure["high"]


def test_disagreements_name_the_reports_that_differ(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]]
) -> None:
    found = 0
    for incident in multi_source(incidents):
        view = ok(corpus_server, f"/api/incidents/{incident['id']}")
        listed = {d["field"]: d for d in view["disagreements"]}
        for kind, figure in incident["figures"].items():
            values = {r["value"] for r in (figure or {}).get("reports", [])}
            assert (kind in listed) == (len(values) > 1), (incident["id"], kind)
            if kind in listed:
                found += 1
                got = listed[kind]["values"]
                assert [v["value"] for v in got] == sorted(values)
                for v in got:
                    assert {r["event_id"] for r in figure["reports"] if r["value"] == v["value"]} == set(v["event_ids"])
        dates = {m["date"] for m in view["member_events"] if m.get("date")}
        if len(dates) > 1:
            assert "date" in listed
        for item in view["disagreements"]:
            assert len(item["values"]) > 1
            assert {e for v in item["values"] for e in v["event_ids"]} <= set(incident["members"])
    assert found, "the sample corpus has no incident whose reports give different figures"


def test_an_alias_returns_the_surviving_incident(corpus_db: Path, tmp_path: Path,
                                                  incidents: list[dict[str, Any]]) -> None:
    db = tmp_path / "aliased.duckdb"
    shutil.copyfile(corpus_db, db)
    target = multi_source(incidents)[0]
    con = duckdb.connect(str(db))
    try:
        con.execute("INSERT INTO incident_aliases VALUES (?, ?)", ["inc-merged-away-0001", target["id"]])
        aliases = con.execute("SELECT alias, incident_id FROM incident_aliases").fetchall()
    finally:
        con.close()
    app = create_app(db)
    with TestClient(app) as client:
        for alias, survivor in aliases:  # the one made here and any the resolver made at ingest
            response = client.get(f"/api/incidents/{alias}")
            assert response.status_code == 200, response.text
            view = response.json()
            assert view["id"] == survivor != alias
            assert view["resolved_from"] == alias
        # An alias is no incident of its own in the list.
        listed = client.get("/api/incidents", params={"limit": 1000}).json()["incidents"]
        assert not {a for a, _ in aliases} & ids(listed)
    app.state.store_holder.close()


@pytest.mark.parametrize("incident_id", ["inc-0000000000000000", "no-such-incident"])
def test_an_unknown_incident_is_a_404_that_says_so(corpus_server: CorpusServer, incident_id: str) -> None:
    response = get(corpus_server, f"/api/incidents/{incident_id}")
    assert response.status_code == 404
    assert response.json()["detail"] == f"no incident with id {incident_id!r}"


def test_an_id_of_the_wrong_shape_is_a_422(corpus_server: CorpusServer) -> None:
    response = get(corpus_server, "/api/incidents/a%20b")
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "incident_id"


def test_the_incident_endpoint_takes_no_query_parameters(corpus_server: CorpusServer,
                                                         incidents: list[dict[str, Any]]) -> None:
    response = get(corpus_server, f"/api/incidents/{incidents[0]['id']}", members="true")
    assert response.status_code == 422 and response.json()["errors"][0]["parameter"] == "members"


# -- aggregates: incidents by default, mentions on request ----------------------------------------

def test_aggregates_count_incidents_by_default(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]], mentions: list[dict[str, Any]]
) -> None:
    default = ok(corpus_server, "/api/aggregates/events", by="type", figures="false")
    assert default["unit"] == "incidents" and default["total"] == len(incidents)
    assert {g["key"]: g["count"] for g in default["groups"]} == dict(Counter(i["event_type"] for i in incidents))
    by_mentions = ok(corpus_server, "/api/aggregates/events", by="type", figures="false", unit="mentions")
    assert by_mentions["unit"] == "mentions" and by_mentions["total"] == len(mentions)
    assert by_mentions["total"] > default["total"]
    months = ok(corpus_server, "/api/aggregates/events", by="month", figures="false", unit="incidents")
    expected = Counter(i["date"][:7] + "-01" for i in incidents if i.get("date"))
    assert {g["key"]: g["count"] for g in months["groups"]} == dict(expected)
    assert months["ungrouped"] == sum(1 for i in incidents if not i.get("date"))


def test_incident_figures_are_summed_from_their_reconciled_ranges(
    corpus_server: CorpusServer, incidents: list[dict[str, Any]]
) -> None:
    body = ok(corpus_server, "/api/aggregates/events", by="country")
    for kind in FIGURE_KINDS:
        figures = [f for i in incidents if isinstance(f := (i.get("figures") or {}).get(kind), dict)]
        expected = {
            "low": sum(f["low"] or 0 for f in figures), "best": sum(f["best"] or 0 for f in figures),
            "high": sum(f["high"] if f["high"] is not None else f["best"] for f in figures),
            "events": len(figures), "open_high": 0,
        }
        assert body["figures"][kind] == expected, kind
    mentions = ok(corpus_server, "/api/aggregates/events", by="country", unit="mentions")
    assert body["figures"]["killed"]["events"] <= mentions["figures"]["killed"]["events"]


def test_an_unknown_unit_is_refused_by_name(corpus_server: CorpusServer) -> None:
    response = get(corpus_server, "/api/aggregates/events", by="type", unit="documents")
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "unit"


# -- description and pages ------------------------------------------------------------------------

def test_openapi_describes_the_incident_endpoints(corpus_server: CorpusServer) -> None:
    spec = ok(corpus_server, "/openapi.json")
    listing = spec["paths"]["/api/incidents"]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert {"country", "type", "date_from", "q", "updated_since", "sort", "cursor", "limit", "offset",
            "format"} <= set(params)
    sorts = params["sort"]["schema"]["enum"]
    assert "-date" in sorts and not any("confidence" in s for s in sorts)
    one = spec["paths"]["/api/incidents/{incident_id}"]["get"]
    assert "resolved_from" in one["description"] and "404" in one["responses"]
    aggregate = {p["name"]: p for p in spec["paths"]["/api/aggregates/events"]["get"]["parameters"]}
    assert aggregate["unit"]["schema"]["default"] == "incidents"
    assert set(aggregate["unit"]["schema"]["enum"]) == {"incidents", "mentions"}
    assert "Sums add events, not incidents" not in spec["paths"]["/api/aggregates/events"]["get"]["description"]


def test_the_incident_page_is_served_under_the_csp(corpus_server: CorpusServer,
                                                    incidents: list[dict[str, Any]]) -> None:
    response = get(corpus_server, f"/incidents/{incidents[0]['id']}")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    assert '<script src="/static/incident.js"></script>' in response.text
    assert "<script>" not in response.text  # no inline script: the CSP allows none
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert get(corpus_server, "/static/incident.js").status_code == 200


def test_config_lists_the_incident_sorts_and_units(corpus_server: CorpusServer) -> None:
    config = ok(corpus_server, "/api/config")
    assert config["units"] == ["incidents", "mentions"]
    assert config["incident_sorts"] == list(INCIDENT_SORTS)


# -- disagreements, on hand-made members ----------------------------------------------------------

def _member(event_id: str, doc_id: str, **fields: Any) -> dict[str, Any]:
    return make_record(id=event_id, doc_id=doc_id, **fields)


def test_disagreements_on_hand_made_members() -> None:
    killed = {"low": 12, "best": 12, "high": None, "hedge": "dozens"}
    a = _member("d1-e1", "d1", date="2016-02-03", date_end="2016-02-03", time_precision=1, status="asserted",
                figures={"killed": killed, "injured": {"low": 30, "best": 30, "high": 30, "hedge": None}})
    b = _member("d2-e1", "d2", date="2016-02-04", date_end="2016-02-04", time_precision=1, status="claimed",
                figures={"killed": {"low": 12, "best": 12, "high": 12, "hedge": None},
                         "injured": {"low": 45, "best": 45, "high": 45, "hedge": None}},
                actors=[{"text": "rebels", "name": "Rebel Group (Syria)", "id": "SYR_REB"}])
    c = _member("d3-e1", "d3", date=None, date_end=None, time_precision=None, figures={}, actors=[])
    incident = {"figures": {
        "killed": {"reports": [{"value": 12, "event_id": "d1-e1", "doc_id": "d1"},
                               {"value": 12, "event_id": "d2-e1", "doc_id": "d2"}]},
        "injured": {"reports": [{"value": 45, "event_id": "d2-e1", "doc_id": "d2"},
                                {"value": 30, "event_id": "d1-e1", "doc_id": "d1"}]},
    }}
    found = {d["field"]: d for d in disagreements(incident, [a, b, c])}
    assert "killed" not in found  # "dozens" (12) and 12 agree
    assert [(v["label"], v["event_ids"], v["doc_ids"]) for v in found["injured"]["values"]] == [
        ("30", ["d1-e1"], ["d1"]), ("45", ["d2-e1"], ["d2"])]
    assert [v["label"] for v in found["date"]["values"]] == ["2016-02-03 (exact day)", "2016-02-04 (exact day)"]
    # c names no actor and no date: silence is no disagreement; a and b name different actors.
    assert {v["label"] for v in found["actors"]["values"]} == {"Military Forces of Syria", "Rebel Group (Syria)"}
    assert found["actors"]["group"] == "actors"
    assert {v["label"] for v in found["status"]["values"]} == {"asserted", "claimed"}
    assert "place" not in found  # all three in Aleppo
    assert all(len(d["values"]) > 1 for d in found.values())


def test_members_that_agree_have_no_disagreements() -> None:
    a = _member("d1-e1", "d1")
    b = _member("d2-e1", "d2")
    incident = {"figures": {"killed": {"reports": [{"value": 12, "event_id": "d1-e1"},
                                                   {"value": 12, "event_id": "d2-e1"}]}}}
    assert disagreements(incident, [a, b]) == []


# -- status=contested, on a store that holds a contested incident --------------------------------

def _strike(event_id: str, status: str, published: str, **extra: Any) -> dict[str, Any]:
    """One outlet's report of an air strike on Azaz (our own wording), as the store keeps it."""
    doc = event_id.split("-")[0]
    text = "An air strike hit Azaz on 20 February, killing five people."
    return {"id": event_id, "doc_id": doc, "event_type": "ASSAULT", "mode": "aerial", "status": status,
            "kind": "occurrence", "date": "2016-02-20", "time_precision": 1,
            "location": {"name": "Azaz", "lat": 36.59, "lon": 37.04, "country": "SYR", "admin1": "Aleppo",
                         "geo_precision": 1},
            "actors": [], "recipients": [], "claimed_by": [], "denied_by": [],
            "figures": {"killed": {"low": 5, "best": 5, "high": 5, "hedge": None}},
            "evidence": {"text": text, "start": 0, "end": len(text), "section": "body"},
            "source": {"url": f"https://example.org/{doc}", "publisher": f"outlet-{doc}", "published": published},
            "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}, **extra}


@pytest.fixture(scope="module")
def contested_client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from sitrep.store import open_store

    db = tmp_path_factory.mktemp("contested") / "c.duckdb"
    records = [
        _strike("claim-1", "claimed", "2016-02-21",
                claimed_by=[{"text": "the rebels", "name": "Rebel Group (Syria)", "id": "SYR_REB"}]),
        _strike("denial-1", "denied", "2016-02-22",
                denied_by=[{"text": "the army", "name": "Military Forces of Syria", "id": "SYR_MIL"}]),
    ]
    with open_store(db) as store:
        for record in records:
            store.add_ingested([{"document": {"id": record["doc_id"], "text": record["evidence"]["text"]},
                                 "events": [record]}], [])
        store.resolve_incidents(records)
    app = create_app(db)
    with TestClient(app) as client:
        yield client
    app.state.store_holder.close()


def test_status_contested_finds_a_claim_denied_by_another_report(contested_client: Any) -> None:
    body = contested_client.get("/api/incidents", params={"status": "contested"}).json()
    assert body["total"] == 1
    (incident,) = body["incidents"]
    assert incident["status"] == "contested" and incident["members"] == ["claim-1", "denial-1"]
    assert contested_client.get("/api/incidents", params={"status": "claimed,denied"}).json()["total"] == 0
    csv_rows = list(csv.DictReader(io.StringIO(contested_client.get(
        "/api/incidents", params={"status": "contested", "format": "csv"}).text)))
    assert [r["id"] for r in csv_rows] == [incident["id"]]
    counted = contested_client.get("/api/aggregates/events", params={"by": "status", "status": "contested"}).json()
    assert counted["unit"] == "incidents" and counted["total"] == 1
    assert [(g["key"], g["count"]) for g in counted["groups"]] == [("contested", 1)]


@pytest.mark.parametrize(("path", "params"), [
    ("/api/events", {"status": "contested"}),
    ("/api/aggregates/events", {"by": "status", "status": "contested", "unit": "mentions"}),
    ("/api/incidents", {"status": "disputed"}),
])
def test_contested_is_an_incident_status_only(contested_client: Any, path: str, params: dict[str, Any]) -> None:
    response = contested_client.get(path, params=params)
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["parameter"] == "status" and "unknown status" in error["message"]
    assert ("contested" in error["message"].split("expected one of")[1]) == (path == "/api/incidents")


# -- an event names its incident ------------------------------------------------------------------

def test_an_event_names_the_incident_it_belongs_to(
    corpus_server: CorpusServer, corpus_db: Path, incidents: list[dict[str, Any]],
    events_by_id: dict[str, dict[str, Any]]
) -> None:
    owner = dict(read(corpus_db, "SELECT event_id, incident_id FROM incident_members"))
    merged = multi_source(incidents)[0]
    loner = next(e for e in sorted(events_by_id) if e not in owner)  # background, commentary...
    for event_id in [*merged["members"], loner]:
        record = ok(corpus_server, f"/api/events/{event_id}")
        assert record["incident_id"] == owner.get(event_id)
        assert {k: v for k, v in record.items() if k != "incident_id"} == events_by_id[event_id]
        view = ok(corpus_server, f"/api/events/{event_id}/evidence")
        assert view["event"]["incident_id"] == owner.get(event_id)
    assert ok(corpus_server, f"/api/events/{merged['members'][0]}")["incident_id"] == merged["id"]
    assert ok(corpus_server, f"/api/events/{loner}")["incident_id"] is None
    # the list does not carry it (one look-up per record is for the single record only)
    assert "incident_id" not in ok(corpus_server, "/api/events", limit=1)["events"][0]
    spec = ok(corpus_server, "/openapi.json")
    assert "incident_id" in spec["components"]["schemas"]["EventDetail"]["properties"]


# -- the summary counts incidents -----------------------------------------------------------------

def test_the_summary_counts_incidents(corpus_server: CorpusServer, corpus_db: Path,
                                      incidents: list[dict[str, Any]], contested_client: Any) -> None:
    body = ok(corpus_server, "/api/summary")
    assert body["incidents"] == len(incidents) == ok(corpus_server, "/api/incidents", limit=1)["total"]
    assert body["events"] == read(corpus_db, "SELECT count(*) FROM events")[0][0]
    assert 0 < body["incidents"] < body["events"]
    # the claim and the denial of one strike are one incident
    assert contested_client.get("/api/summary").json()["incidents"] == 1
