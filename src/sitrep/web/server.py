"""Serve the API and dashboard with uvicorn: what ``sitrep serve`` calls.

Also runnable as ``python -m sitrep.web.server STORE [--host H] [--port P] [--require-keys]`` so
tests and operators can start a real server without the CLI.

On a host other than loopback the data is reachable from the network, so API keys are checked
(web/auth.py) and the server refuses to start while the store has no live key: it would be open
to nobody, or (worse, had it started open) to everyone. On loopback only this machine's users can
connect, so it stays open unless `require_keys` is set.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from sitrep.store import StoreError, open_store
from sitrep.store.base import is_postgres
from sitrep.web.app import create_app
from sitrep.web.auth import is_loopback


class NoKeys(RuntimeError):
    """Keys are required but the store has none that is live; the message says how to make one."""


def check_keys(db_path: str | Path, host: str, require_keys: bool) -> bool:
    """Whether this server checks keys; NoKeys when it must but the store has no live key."""
    required = require_keys or not is_loopback(host)
    if not required:
        return False
    try:
        with open_store(db_path, read_only=True) as store:
            usable = store.has_active_api_keys()
    except StoreError as err:
        raise NoKeys(f"cannot check the store's API keys: {err}") from err
    if not usable:
        why = "--require-keys was given" if is_loopback(host) else f"{host} is not a loopback address"
        raise NoKeys(
            f"refusing to serve: {why}, so every API request needs an API key, and the store has none "
            f"(or all are revoked). Create one with `sitrep keys create NAME --db {db_path}` "
            "(add --read-only for a key that cannot write corrections), then start the server again.")
    return True


def run(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    tile_url: str | None = None,
    log_level: str = "info",
    require_keys: bool = False,
) -> None:
    """Serve the store at ``db_path`` until interrupted.

    Fails before binding when the store file is missing, so a typo in the path is reported
    at once instead of as a 503 on every request; NoKeys when keys are needed (a non-loopback
    host, or ``require_keys``) and the store has no live one.
    """
    if not is_postgres(db_path):
        db_path = Path(db_path)
        if not db_path.is_file():
            raise FileNotFoundError(f"no store at {db_path}: run `sitrep ingest` first")
    keys = check_keys(db_path, host, require_keys)
    uvicorn.run(create_app(db_path, tile_url=tile_url, require_keys=keys), host=host, port=port,
                log_level=log_level)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sitrep.web.server", description=__doc__)
    parser.add_argument("store", help="path to the DuckDB store file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--tile-url", default=None, help="XYZ tile URL template (needs internet)")
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--require-keys", action="store_true",
                        help="check API keys on loopback too (always checked on other hosts)")
    args = parser.parse_args(argv)
    try:
        run(args.store, args.host, args.port, tile_url=args.tile_url, log_level=args.log_level,
            require_keys=args.require_keys)
    except (FileNotFoundError, NoKeys) as err:
        parser.error(str(err))


if __name__ == "__main__":
    main()
