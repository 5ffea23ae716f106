"""API keys: who may use `sitrep serve`'s API and dashboard (migration 0010, PostgreSQL 0002).

A key is `sitrep_` followed by 32 random bytes (`secrets.token_urlsafe(32)`, 256 bits). The store
keeps only its SHA-256, with a name, whether it is read-only, when it was made, revoked and last
used. A fast hash is enough here, and right: password hashes (scrypt, argon2) are slow so that
guessing a *human-chosen* secret from its hash takes too long, but no guessing can find a 256-bit
random secret, however fast the hash. A fast hash also lets the server check a key on every
request by looking its hash up (the indexed `key_hash` column), with no per-request cost worth
caching; and because the lookup is by hash, timing it tells an attacker nothing about the secret.

`ApiKeyQueries` is mixed into the SQL store (store/core.py), so both backends share these methods.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sitrep.store.base import IntegrityError

KEY_PREFIX = "sitrep_"
_SHOWN = len(KEY_PREFIX) + 6  # `sitrep keys list` shows this much of a key: enough to tell keys apart
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
COLUMNS = ("name", "prefix", "read_only", "created_at", "revoked_at", "last_used_at")


class ApiKeyError(ValueError):
    """A key the store refuses to make or change (a bad or taken name, an unknown key); says why."""


def new_secret() -> str:
    """A fresh key: the recognisable prefix and 256 random bits, URL-safe (fits a header or a query)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(secret: str) -> str:
    """The stored form of a key (hex SHA-256; see the module docstring for why not scrypt)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME.match(name):
        raise ApiKeyError(f"key name {name!r} must be 1-64 letters, digits, '.', '_', '@' or '-' "
                          "(starting with a letter or digit)")
    return name


def _public(row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(COLUMNS, row, strict=True))
    out["read_only"] = bool(out["read_only"])
    out["prefix"] = f"{out['prefix']}..."
    for column in ("created_at", "revoked_at", "last_used_at"):
        value = out[column]
        out[column] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _now() -> datetime:
    """Naive UTC, as the store's TIMESTAMP columns hold."""
    return datetime.now(UTC).replace(tzinfo=None)


class ApiKeyQueries:
    """The store's key methods, over the backend's connection (see store/core.py's SqlStore)."""

    if TYPE_CHECKING:  # provided by SqlStore
        def _read(self) -> AbstractContextManager[Any]: ...
        def _transaction(self) -> AbstractContextManager[Any]: ...

    def create_api_key(self, name: str, *, read_only: bool = False,
                       now: datetime | None = None) -> tuple[str, dict[str, Any]]:
        """Make a key named `name`; return (the secret, shown this once; its listing). ApiKeyError
        when the name is malformed or taken (revoked keys keep their names)."""
        check_name(name)
        secret = new_secret()
        try:
            with self._transaction() as conn:
                if conn.execute("SELECT count(*) FROM api_keys WHERE name = ?", [name]).fetchone()[0]:
                    raise ApiKeyError(f"a key named {name!r} exists already (`sitrep keys list`); choose another name")
                conn.execute("INSERT INTO api_keys (name, key_hash, prefix, read_only, created_at) "
                             "VALUES (?, ?, ?, ?, ?)",
                             [name, key_hash(secret), secret[:_SHOWN], read_only, now or _now()])
        except IntegrityError as err:  # a concurrent create of the same name
            raise ApiKeyError(f"a key named {name!r} exists already") from err
        return secret, self.api_key(name)

    def api_key(self, name: str) -> dict[str, Any]:
        """One key's listing (never its secret or hash); ApiKeyError when there is none of that name."""
        with self._read() as cur:
            row = cur.execute(f"SELECT {', '.join(COLUMNS)} FROM api_keys WHERE name = ?", [name]).fetchone()
        if row is None:
            raise ApiKeyError(f"no key named {name!r} (`sitrep keys list` shows them)")
        return _public(row)

    def api_keys(self) -> list[dict[str, Any]]:
        """Every key, oldest first, revoked ones included (never a secret or hash)."""
        with self._read() as cur:
            rows = cur.execute(f"SELECT {', '.join(COLUMNS)} FROM api_keys ORDER BY created_at, name").fetchall()
        return [_public(r) for r in rows]

    def has_active_api_keys(self) -> bool:
        """Whether any key is not revoked (a server that checks keys needs one to be usable)."""
        with self._read() as cur:
            row = cur.execute("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL").fetchone()
        return bool(row and row[0])

    def revoke_api_key(self, name: str, *, now: datetime | None = None) -> dict[str, Any]:
        """Revoke key `name` at once (a revoked key stays revoked; revoking again keeps the first
        time). ApiKeyError when there is no such key."""
        self.api_key(name)
        with self._transaction() as conn:
            conn.execute("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                         [now or _now(), name])
        return self.api_key(name)

    def verify_api_key(self, secret: str) -> dict[str, Any] | None:
        """{name, read_only} of the live key `secret` is, else None (unknown, malformed or revoked).
        Works on a read-only store: the server checks keys on its shared read-only store."""
        if not isinstance(secret, str) or not secret.startswith(KEY_PREFIX) or len(secret) > 200:
            return None
        with self._read() as cur:
            row = cur.execute("SELECT name, read_only FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                              [key_hash(secret)]).fetchone()
        return {"name": row[0], "read_only": bool(row[1])} if row else None

    def record_api_key_use(self, names: list[str], *, now: datetime | None = None) -> None:
        """Set last_used_at of these keys to `now` (the server calls it at most once a minute per key)."""
        if not names:
            return
        with self._transaction() as conn:
            for name in sorted(set(names)):
                conn.execute("UPDATE api_keys SET last_used_at = ? WHERE name = ?", [now or _now(), name])
