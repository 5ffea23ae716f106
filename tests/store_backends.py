"""The store backends every store, resolver, integration and server test runs against: ONE
parametrized fixture, `store_url`, gives a fresh empty store of each backend (a DuckDB file in the
test's temp folder, or a new database in the session's throwaway PostgreSQL cluster).

The cluster (tests/pgcluster.py) starts on the first PostgreSQL test and stops at the end of the
session, also when tests fail (a finalizer, and an atexit hook should pytest itself die). Without
PostgreSQL installed the PostgreSQL parameters ERROR with the reason; they never skip: `make test`
installs it (`make postgres`), and a run that did not test PostgreSQL must not look green.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pgcluster import Cluster, start_cluster

BACKENDS = (pytest.param("duckdb", id="duckdb"),
            pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))


@pytest.fixture(scope="session")
def pg_cluster(request: pytest.FixtureRequest) -> Cluster:
    """A throwaway PostgreSQL server for the session (see module docstring)."""
    cluster = start_cluster()
    request.addfinalizer(cluster.stop)
    return cluster


def new_store_url(backend: str, folder: Path, request: pytest.FixtureRequest, name: str = "sitrep") -> str:
    """An empty store's URL for `backend`: a file under `folder`, or a new PostgreSQL database."""
    if backend == "duckdb":
        return str(folder / f"{name}.duckdb")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(prefix=name.replace("-", "_"))


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh empty store of each backend, named as `--db` takes it."""
    return new_store_url(request.param, tmp_path, request)


@pytest.fixture
def backend(store_url: str) -> str:
    """The backend of this test's `store_url` ("duckdb" or "postgresql")."""
    return "postgresql" if store_url.startswith("postgresql://") else "duckdb"


@pytest.fixture
def other_store_url(store_url: str, backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A second fresh store of the same backend as `store_url` (to compare two ways to fill one)."""
    return new_store_url(backend, tmp_path, request, name="other")
