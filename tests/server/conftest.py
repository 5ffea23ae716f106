"""Server-tier fixtures: the sample corpus in a real store, served by a real uvicorn, and the app
in process for schemathesis (same store, no network between the generated requests and the app)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from sitrep.web.app import create_app


@pytest.fixture(scope="session")
def corpus_app(corpus_db: Path) -> Iterator[FastAPI]:
    app = create_app(corpus_db)
    yield app
    app.state.store_holder.close()
