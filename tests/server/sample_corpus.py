"""The sample corpus (examples/) ingested once per test session, and a real server over it.

Used by tests/server and tests/browser (each conftest makes its own session fixtures from these
functions; the store is built once, under pytest's session temp folder, and reused). Ingest goes
through the real command line, as `make demo` does; inputs it refuses (exit status 1, the broken
files examples/ keeps on purpose) are expected, anything worse fails the session.

SITREP_TEST_CORPUS_DB=PATH skips the ingest and uses a copy of a store already made from examples/
(for quick local runs while working on the web layer; the copy keeps the original untouched).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SRC_DIR = ROOT / "src"


@dataclass(frozen=True)
class CorpusServer:
    url: str
    db_path: Path | str  # a DuckDB file, or a PostgreSQL URL


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC_DIR), env.get("PYTHONPATH")) if p)
    env.pop("SITREP_TILE_URL", None)
    return env


def ingest_sample_corpus(base: Path) -> Path:
    """The store of examples/ under `base` (pytest's session temp folder), ingested on first call."""
    folder = base / "sample-corpus"
    db = folder / "sitrep.duckdb"
    done = folder / "ingested"
    if done.exists():
        return db
    folder.mkdir(parents=True, exist_ok=True)
    given = os.environ.get("SITREP_TEST_CORPUS_DB")
    if given:
        shutil.copyfile(given, db)
        done.write_text(f"copied from {given}")
        return db
    result = subprocess.run(
        [sys.executable, "-m", "sitrep.cli", "ingest", str(EXAMPLES), "--db", str(db)],
        env=_env(), capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    if result.returncode not in (0, 1) or not db.exists():
        raise RuntimeError(f"sitrep ingest examples/ failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    done.write_text("ok")
    return db


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(db: Path | str, log_dir: Path | None = None, args: Sequence[str] = ()) -> Iterator[CorpusServer]:
    """`python -m sitrep.web.server` over `db` (a DuckDB file, or a PostgreSQL URL with `log_dir`)
    on a free loopback port, stopped by its own pid; `args` are more of its options (--require-keys:
    then /api/config answers 401, which is the server being up too)."""
    port = free_port()
    log = (log_dir or Path(db).parent) / f"server-{port}.log"
    with log.open("w") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sitrep.web.server", str(db), "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning", *args],
            env=_env(), stdout=log_file, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()}")
                try:
                    if httpx.get(f"{url}/api/config", timeout=1.0).status_code in (200, 401):
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server at {url} did not answer in 30 s:\n{log.read_text()}")
                time.sleep(0.1)
            yield CorpusServer(url=url, db_path=db)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
