"""Server-tier fixtures: the sample corpus in a real store, served by a real uvicorn, and the app
in process for schemathesis (same store, no network between the generated requests and the app)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from server.sample_corpus import CorpusServer, ingest_sample_corpus, running_server
from sitrep.web.app import create_app


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_sample_corpus(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def corpus_server(corpus_db: Path) -> Iterator[CorpusServer]:
    with running_server(corpus_db) as server:
        yield server


@pytest.fixture(scope="session")
def corpus_app(corpus_db: Path) -> Iterator[FastAPI]:
    app = create_app(corpus_db)
    yield app
    app.state.store_holder.close()
