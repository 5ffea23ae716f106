"""Browser-tier fixtures: the sample corpus store and a real server over it (see server/sample_corpus.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.sample_corpus import CorpusServer, ingest_sample_corpus, running_server


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_sample_corpus(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def corpus_server(corpus_db: Path) -> Iterator[CorpusServer]:
    with running_server(corpus_db) as server:
        yield server
