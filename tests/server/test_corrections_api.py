"""The corrections API against a real server over a copy of the sample corpus (writes stay in the copy):
POST /api/events/{id}/corrections records one (JSON only, same origin), GET lists them, and every
read of the event (one, a page, CSV, the evidence view) gives the corrected value, marked corrected
with the extracted value kept."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.sample_corpus import CorpusServer, running_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusServer]:
    db = tmp_path_factory.mktemp("corrections") / "sitrep.duckdb"
    shutil.copyfile(corpus_db, db)
    with running_server(db) as live:
        yield live


def top_killed(server: CorpusServer) -> dict[str, Any]:
    events = httpx.get(f"{server.url}/api/events", params={"sort": "-killed", "limit": 1}, timeout=20).json()["events"]
    assert events and events[0]["figures"]["killed"], "the sample corpus has no event with a killed figure"
    return events[0]


def post(server: CorpusServer, event_id: str, body: Any, **headers: str) -> httpx.Response:
    return httpx.post(f"{server.url}/api/events/{event_id}/corrections", json=body, headers=headers, timeout=20)


def test_a_correction_is_stored_listed_and_applied_on_every_read(server: CorpusServer) -> None:
    record = top_killed(server)
    event_id, original = record["id"], record["figures"]["killed"]
    answer = post(server, event_id, {"field": "figures.killed", "value": {"low": 70, "best": 72, "high": 80},
                                     "note": "the agency's own count", "author": "analyst-1"})
    assert answer.status_code == 201, answer.text
    correction = answer.json()["correction"]
    assert correction["field"] == "figures.killed" and correction["old_value"] == original
    assert correction["new_value"] == {"low": 70, "best": 72, "high": 80, "hedge": None}
    assert correction["author"] == "analyst-1" and correction["id"].startswith("cor-")
    assert answer.json()["event"]["figures"]["killed"]["best"] == 72

    listed = httpx.get(f"{server.url}/api/events/{event_id}/corrections", timeout=20).json()
    assert [c["id"] for c in listed["corrections"]] == [correction["id"]]

    one = httpx.get(f"{server.url}/api/events/{event_id}", timeout=20).json()
    assert one["figures"]["killed"]["best"] == 72 and one["corrected"] is True
    assert one["original"] == {"figures.killed": original}
    assert [c["id"] for c in one["corrections"]] == [correction["id"]]
    view = httpx.get(f"{server.url}/api/events/{event_id}/evidence", timeout=20).json()
    assert {"kind": "killed", "low": 70, "best": 72, "high": 80, "hedge": None} in view["figures"]
    page = httpx.get(f"{server.url}/api/events", params={"sort": "-killed", "limit": 50}, timeout=20).json()
    assert next(e for e in page["events"] if e["id"] == event_id)["figures"]["killed"]["best"] == 72
    text = httpx.get(f"{server.url}/api/events", params={"sort": "-killed", "limit": 50, "format": "csv"},
                     timeout=20).text
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["id"] == event_id)
    assert row["killed"] == "72"

    # A second correction of another field: both apply, in order, each original kept.
    answer = post(server, event_id, {"field": "location.name", "value": "Somewhere Else"})
    assert answer.status_code == 201, answer.text
    one = httpx.get(f"{server.url}/api/events/{event_id}", timeout=20).json()
    assert one["location"]["name"] == "Somewhere Else"
    assert one["original"]["location.name"] == record["location"]["name"]
    assert len(one["corrections"]) == 2


@pytest.mark.parametrize(("body", "reason"), [
    ({"field": "colour", "value": "red"}, "field"),
    ({"field": "figures.killed", "value": "many"}, "whole number"),
    ({"field": "figures.killed", "value": -3}, "at least 0"),
    ({"field": "figures.killed", "value": {"low": 9, "best": 5}}, "low <= best"),
    ({"field": "event_type", "value": "PICNIC"}, "one of"),
    ({"field": "date", "value": "2017-02-30"}, "real date"),
    ({"field": "location.country", "value": "Atlantis"}, "unknown country"),
    ({"field": "location.lat", "value": 123}, "-90 to 90"),
    ({"field": "actors", "value": "Hamas"}, "list"),
    ({"field": "status", "value": "denied", "extra": 1}, "extra"),
    ({"value": "denied"}, "field"),
])
def test_a_bad_field_or_value_is_a_422_that_says_why(server: CorpusServer, body: dict[str, Any], reason: str) -> None:
    event_id = top_killed(server)["id"]
    answer = post(server, event_id, body)
    assert answer.status_code == 422, answer.text
    assert reason.lower() in answer.json()["detail"].lower()
    assert answer.json()["errors"]


def test_a_correction_must_be_json_from_this_site(server: CorpusServer) -> None:
    event_id = top_killed(server)["id"]
    url = f"{server.url}/api/events/{event_id}/corrections"
    before = len(httpx.get(url, timeout=20).json()["corrections"])
    # A form post (what a page on another site can send without a preflight) is refused.
    form = httpx.post(url, content='{"field": "status", "value": "denied"}',
                      headers={"content-type": "text/plain"}, timeout=20)
    assert form.status_code == 415
    urlencoded = httpx.post(url, data={"field": "status", "value": "denied"}, timeout=20)
    assert urlencoded.status_code == 415
    foreign = post(server, event_id, {"field": "status", "value": "denied"}, origin="http://evil.example")
    assert foreign.status_code == 403 and "own pages" in foreign.json()["detail"]
    cross = post(server, event_id, {"field": "status", "value": "denied"}, **{"sec-fetch-site": "cross-site"})
    assert cross.status_code == 403
    assert len(httpx.get(url, timeout=20).json()["corrections"]) == before
    # The server's own pages (same origin) are served.
    same = post(server, event_id, {"field": "status", "value": "denied"}, origin=server.url)
    assert same.status_code == 201, same.text


def test_an_unknown_event_is_a_404(server: CorpusServer) -> None:
    assert post(server, "no-such-event", {"field": "status", "value": "denied"}).status_code == 404
    assert httpx.get(f"{server.url}/api/events/no-such-event/corrections", timeout=20).status_code == 404


def test_the_fields_a_correction_may_name_are_listed(server: CorpusServer) -> None:
    fields = httpx.get(f"{server.url}/api/corrections/fields", timeout=20).json()
    names = {f["field"] for f in fields}
    assert {"event_type", "date", "location.name", "location.country", "figures.killed", "actors",
            "status"} <= names
    assert next(f for f in fields if f["field"] == "status")["choices"]
