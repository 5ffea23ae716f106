"""Server-tier fixtures: the sample corpus in a real store, served by a real uvicorn, and the app
in process for schemathesis (same store, no network between the generated requests and the app)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from server.sample_corpus import CorpusServer, running_server
from sitrep.store.copy import copy_store
from sitrep.web.app import create_app
from store_backends import BACKENDS, new_store_url


@pytest.fixture(scope="session", params=BACKENDS)
def corpus_server(request: pytest.FixtureRequest, corpus_db: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusServer]:
    """A real server over the sample corpus, on each backend: the DuckDB file `sitrep ingest
    examples/` wrote, and the same store copied into PostgreSQL. Every API test runs on both."""
    if request.param == "duckdb":
        with running_server(corpus_db) as server:
            yield server
        return
    folder = tmp_path_factory.mktemp("pg-corpus")
    url = new_store_url("postgresql", folder, request, name="corpus")
    copy_store(str(corpus_db), url)
    with running_server(url, log_dir=folder) as server:
        yield server


@pytest.fixture(scope="session")
def corpus_app(corpus_db: Path) -> Iterator[FastAPI]:
    app = create_app(corpus_db)
    yield app
    app.state.store_holder.close()
