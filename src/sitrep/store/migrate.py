"""Numbered schema migrations, applied the same way on both backends.

Each backend keeps its own folder of `NNNN_name.sql` files (DuckDB's in store/migrations/,
PostgreSQL's in store/migrations/postgresql/) and records the names it applied in its own
`schema_migrations` table; files are applied by name, in order, each in its own transaction, so
a failed migration leaves the store at the one before and gaps in the numbers are fine. What
differs per backend (PostgreSQL's advisory lock around the whole loop, the write lock) stays with
the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from sitrep.store.base import StoreError

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+$")
CREATE_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMP)"


class _Executes(Protocol):
    def execute(self, sql: str, params: Any = None) -> Any: ...


def migration_files(folder: Path) -> list[tuple[str, Path]]:
    """(name, path) of every numbered migration in `folder`, in order; a misnamed file or two
    files of one number are an error (two helpers' migrations must never collide silently)."""
    found: list[tuple[str, Path]] = []
    for path in sorted(folder.glob("*.sql")):
        if not _MIGRATION_NAME.match(path.stem):
            raise StoreError(f"migration file {path.name} is not named NNNN_name.sql")
        found.append((path.stem, path))
    numbers = [name[:4] for name, _ in found]
    if len(set(numbers)) != len(numbers):
        raise StoreError(f"two migrations share a number in {folder}")
    return found


def pending_migrations(folder: Path, applied: list[str]) -> list[str]:
    """Names of the migrations in `folder` not yet in `applied`."""
    done = set(applied)
    return [name for name, _ in migration_files(folder) if name not in done]


def apply_migrations(conn: _Executes, folder: Path, applied: Callable[[], list[str]],
                     now: Callable[[], Any]) -> list[str]:
    """Create `schema_migrations` if needed, then apply every pending migration of `folder` in its
    own transaction, recording its name; return the names applied. `applied` lists what the
    database has recorded (asked after the table exists); `now` gives the timestamp recorded."""
    conn.execute(CREATE_TABLE)
    done = set(applied())
    names: list[str] = []
    for name, path in migration_files(folder):
        if name in done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(path.read_text(encoding="utf-8"))
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, now()])
            conn.execute("COMMIT")
        except Exception as err:
            conn.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed: {err}") from err
        names.append(name)
    return names
