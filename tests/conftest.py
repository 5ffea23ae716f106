"""Shared fixtures: a small real DuckDB store and a real uvicorn server over it.

The server and browser tests both talk to a server started as a separate process (`python -m
sitrep.web.server`) on a free loopback port, so they exercise the same code path as `sitrep serve`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import make_document, make_record
from server.sample_corpus import CorpusServer, ingest_sample_corpus, running_server
from sitrep.store import open_store
from store_backends import backend, other_store_url, pg_cluster, store_url  # noqa: F401  (fixtures)

# `sitrep ingest` and `extract` default to a worker process per core; the suite runs them many
# times on a few files, where starting workers only costs. Tests about workers pass --workers.
os.environ.setdefault("SITREP_WORKERS", "1")

# A server over a store: the one running_server starts for the sample corpus too.
LiveServer = CorpusServer


@dataclass(frozen=True)
class WebEvent:
    """One hand-written report and the single event it yields in the web test store."""

    key: str  # the place name, lower-cased
    text: str
    event_type: str
    status: str
    date: str
    place: str
    country: str
    lat: float | None
    lon: float | None
    actor: str


# Written for these tests; short factual-style sentences, not quotes from any publication.
WEB_EVENTS: tuple[WebEvent, ...] = (
    WebEvent("aleppo", "Government aircraft struck residential districts of Aleppo on Wednesday.",
             "ASSAULT", "asserted", "2016-02-03", "Aleppo", "SYR", 36.2021, 37.1343,
             "Military Forces of Syria"),
    WebEvent("kyiv", "Several thousand people marched through central Kyiv on Monday.",
             "PROTEST", "asserted", "2022-01-10", "Kyiv", "UKR", 50.4501, 30.5234, "Protesters (Ukraine)"),
    WebEvent("gaza", "Officials said forty aid trucks entered Gaza through the Rafah crossing.",
             "AID", "claimed", "2023-11-02", "Gaza", "PSE", 31.5017, 34.4668, "United Nations"),
    WebEvent("goma", "The armed group denied shelling the outskirts of Goma overnight.",
             "ASSAULT", "denied", "2024-03-05", "Goma", "COD", -1.6792, 29.2228, "M23"),
    WebEvent("mosul", "Police arrested dozens of men at checkpoints around Mosul.",
             "COERCE", "asserted", "2017-06-01", "Mosul", "IRQ", 36.335, 43.1189, "Police Forces of Iraq"),
    WebEvent("syria", "Delegations are expected to meet for talks on Syria next week.",
             "CONSULT", "planned", "2016-02-10", "Syria", "SYR", None, None, "United Nations"),
)


def web_records() -> list[tuple[dict, list[dict]]]:
    """(document, [record]) pairs for WEB_EVENTS, each record consistent with its document."""
    batch = []
    for event in WEB_EVENTS:
        doc = make_document(event.text, title=f"Report: {event.place}")
        has_point = event.lat is not None
        location = {
            "text": event.place, "name": event.place, "geonameid": None, "lat": event.lat, "lon": event.lon,
            "country": event.country, "admin1": None, "admin1_pcode": None,
            "feature": "city" if has_point else "country", "geo_precision": 1 if has_point else None,
        }
        record = make_record(
            doc_id=doc["id"], event_type=event.event_type, status=event.status,
            date=event.date, date_end=event.date, location=location,
            actors=[{"text": event.actor, "name": event.actor, "id": None, "country": None,
                     "sector": None, "acled_inter": None}],
            evidence={"text": event.text, "start": 0, "end": len(event.text), "section": "body"},
            source={"url": None, "title": f"Report: {event.place}", "publisher": None,
                    "published": event.date},
        )
        batch.append((doc, [record]))
    return batch


@pytest.fixture(scope="session")
def web_events() -> tuple[WebEvent, ...]:
    """The events in `web_db`; tests find them back by `key` (the place name, lower-cased)."""
    return WEB_EVENTS


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB store holding WEB_EVENTS, written through the Store API and then closed."""
    path = tmp_path_factory.mktemp("web") / "sitrep.duckdb"
    with open_store(path) as store:
        store.add_documents(web_records())
    return path


@pytest.fixture(scope="session")
def live_server(web_db: Path) -> Iterator[LiveServer]:
    """`python -m sitrep.web.server` on a free port; stopped (by its own pid) after the session."""
    with running_server(web_db) as server:
        yield server


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    """The default pipeline, built once: the spaCy model and the gazetteer load once per process."""
    import sitrep

    return sitrep.load()


@pytest.fixture(scope="session")
def extract(pipeline):  # type: ignore[no-untyped-def]
    """`extract(text, published)` -> the event records of DESIGN.md section 4."""
    from datetime import date

    import sitrep

    def run(text: str, published: str | None = None) -> list[dict]:
        doc = pipeline(text, published=date.fromisoformat(published) if published else None)
        return sitrep.records(doc)

    return run


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus ingested once per test session, shared by the server and browser tiers."""
    return ingest_sample_corpus(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def corpus_server(corpus_db: Path) -> Iterator:  # type: ignore[type-arg]
    """A real server over the sample corpus (see server/sample_corpus.py)."""
    with running_server(corpus_db) as server:
        yield server
