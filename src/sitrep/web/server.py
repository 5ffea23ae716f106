"""Serve the API and dashboard with uvicorn: what ``sitrep serve`` calls.

Also runnable as ``python -m sitrep.web.server STORE [--host H] [--port P]`` so tests and
operators can start a real server without the CLI.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from sitrep.store.base import is_postgres
from sitrep.web.app import create_app


def run(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    tile_url: str | None = None,
    log_level: str = "info",
) -> None:
    """Serve the store at ``db_path`` until interrupted.

    Fails before binding when the store file is missing, so a typo in the path is reported
    at once instead of as a 503 on every request.
    """
    if is_postgres(db_path):
        uvicorn.run(create_app(db_path, tile_url=tile_url), host=host, port=port, log_level=log_level)
        return
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"no store at {db_path}: run `sitrep ingest` first")
    uvicorn.run(create_app(db_path, tile_url=tile_url), host=host, port=port, log_level=log_level)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sitrep.web.server", description=__doc__)
    parser.add_argument("store", help="path to the DuckDB store file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--tile-url", default=None, help="XYZ tile URL template (needs internet)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    try:
        run(args.store, args.host, args.port, tile_url=args.tile_url, log_level=args.log_level)
    except FileNotFoundError as err:
        parser.error(str(err))


if __name__ == "__main__":
    main()
