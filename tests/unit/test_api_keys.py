"""API keys in the store (store/api_keys.py, migration 0010 / PostgreSQL 0002), on both backends:
only a hash is stored, a key verifies until it is revoked, read-only is kept, names are unique, and
the server's decision to check keys (web/server.py) follows the host."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sitrep.store import Store, open_store
from sitrep.store.api_keys import KEY_PREFIX, ApiKeyError, key_hash
from sitrep.web.auth import is_loopback, presented_key, safe_next, wants_html
from sitrep.web.server import NoKeys, check_keys


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        yield s


def stored_rows(store: Store) -> list[tuple]:
    """Every column of every key row, as the database holds it."""
    with store._read() as cur:  # type: ignore[attr-defined]
        return cur.execute("SELECT * FROM api_keys ORDER BY name").fetchall()


def test_only_the_hash_is_stored_and_the_key_verifies(store: Store) -> None:
    secret, row = store.create_api_key("analyst")
    assert secret.startswith(KEY_PREFIX) and len(secret) >= len(KEY_PREFIX) + 43  # 32 random bytes
    assert row["name"] == "analyst" and row["read_only"] is False and row["revoked_at"] is None
    assert row["last_used_at"] is None and row["prefix"] == secret[:13] + "..."
    (stored,) = stored_rows(store)
    assert secret not in [str(v) for v in stored]  # never the secret itself
    assert hashlib.sha256(secret.encode()).hexdigest() in stored and key_hash(secret) in stored
    assert store.verify_api_key(secret) == {"name": "analyst", "read_only": False}


def test_wrong_keys_do_not_verify(store: Store) -> None:
    secret, _ = store.create_api_key("analyst")
    other, _ = store.create_api_key("other")
    assert secret != other  # random, not derived from the name
    for wrong in (secret[:-1], secret + "x", secret.upper(), "", "analyst", key_hash(secret),
                  secret.removeprefix(KEY_PREFIX)):
        assert store.verify_api_key(wrong) is None, wrong


def test_a_revoked_key_stops_verifying_and_keeps_its_name(store: Store) -> None:
    secret, _ = store.create_api_key("temp")
    kept, _ = store.create_api_key("kept", read_only=True)
    when = datetime(2026, 12, 1, 9, 30)
    revoked = store.revoke_api_key("temp", now=when)
    assert revoked["revoked_at"] == when.isoformat()
    assert store.verify_api_key(secret) is None
    assert store.verify_api_key(kept) == {"name": "kept", "read_only": True}  # others unaffected
    again = store.revoke_api_key("temp", now=datetime(2026, 12, 2))
    assert again["revoked_at"] == when.isoformat()  # the first revocation stands
    with pytest.raises(ApiKeyError, match="exists already"):
        store.create_api_key("temp")  # a revoked key's name is not reused
    with pytest.raises(ApiKeyError, match="no key named"):
        store.revoke_api_key("nobody")
    assert [k["name"] for k in store.api_keys()] == ["temp", "kept"]  # oldest first, revoked listed


def test_has_active_keys_counts_only_live_ones(store: Store) -> None:
    assert not store.has_active_api_keys()
    store.create_api_key("one")
    assert store.has_active_api_keys()
    store.revoke_api_key("one")
    assert not store.has_active_api_keys()


@pytest.mark.parametrize("name", ["", "two words", "-dash-first", "x" * 65, "semi;colon", "é"])
def test_malformed_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(ApiKeyError, match="must be 1-64"):
        store.create_api_key(name)
    assert store.api_keys() == []


def test_use_is_recorded_and_keys_are_listed_without_secrets(store: Store) -> None:
    secret, _ = store.create_api_key("analyst")
    when = datetime(2026, 12, 7, 8, 0, 5)
    store.record_api_key_use(["analyst"], now=when)
    (listed,) = store.api_keys()
    assert listed["last_used_at"] == when.isoformat()
    assert set(listed) == {"name", "prefix", "read_only", "created_at", "revoked_at", "last_used_at"}
    assert secret not in str(listed) and key_hash(secret) not in str(listed)


def test_a_read_only_store_verifies_keys(store_url: str) -> None:
    with open_store(store_url) as writable:
        secret, _ = writable.create_api_key("reader", read_only=True)
    with open_store(store_url, read_only=True) as store:
        assert store.verify_api_key(secret) == {"name": "reader", "read_only": True}
        assert store.has_active_api_keys()


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("example.org", False),
])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_keys_are_checked_off_loopback_and_the_server_refuses_without_one(store_url: str) -> None:
    with open_store(store_url):
        pass  # an empty store, migrated
    assert check_keys(store_url, "127.0.0.1", False) is False  # loopback: open by default
    with pytest.raises(NoKeys, match="sitrep keys create"):
        check_keys(store_url, "0.0.0.0", False)
    with pytest.raises(NoKeys, match="--require-keys"):
        check_keys(store_url, "127.0.0.1", True)
    with open_store(store_url) as store:
        store.create_api_key("analyst")
    assert check_keys(store_url, "0.0.0.0", False) is True
    assert check_keys(store_url, "127.0.0.1", True) is True
    assert check_keys(store_url, "localhost", False) is False


def _scope(path: str, headers: dict[str, str], query: str = "") -> dict:
    return {"type": "http", "path": path, "query_string": query.encode(),
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}


def test_where_a_request_may_carry_its_key() -> None:
    assert presented_key(_scope("/api/events", {"Authorization": "Bearer sitrep_abc"})) == ("sitrep_abc", False)
    assert presented_key(_scope("/api/events", {"authorization": "bearer  sitrep_abc "})) == ("sitrep_abc", False)
    assert presented_key(_scope("/api/events", {"X-API-Key": "sitrep_xyz"})) == ("sitrep_xyz", False)
    assert presented_key(_scope("/api/events", {"Authorization": "Basic Zm9vOmJhcg=="})) == (None, False)
    assert presented_key(_scope("/api/events", {"Cookie": "sitrep_key=sitrep_c"})) == ("sitrep_c", True)
    # ACLED's legacy query parameter, on the ACLED API only
    assert presented_key(_scope("/api/acled/read", {}, "key=sitrep_q&email=a@b.org")) == ("sitrep_q", False)
    assert presented_key(_scope("/api/events", {}, "key=sitrep_q")) == (None, False)
    # a header wins over the cookie
    both = {"X-API-Key": "sitrep_h", "Cookie": "sitrep_key=sitrep_c"}
    assert presented_key(_scope("/api/events", both)) == ("sitrep_h", False)


def test_the_server_checker_remembers_live_keys_briefly_and_records_use_once_a_minute(store_url: str) -> None:
    from sitrep.web.auth import KeyChecker
    from sitrep.web.holder import StoreHolder

    with open_store(store_url) as store:
        secret, _ = store.create_api_key("analyst")
    holder = StoreHolder(store_url, idle_seconds=60)
    try:
        remembering = KeyChecker(lambda: holder, cache_seconds=600)  # long: the test must not race the clock
        asking = KeyChecker(lambda: holder, cache_seconds=0)
        assert remembering.check(secret) == asking.check(secret) == {"name": "analyst", "read_only": False}
        assert remembering.check("sitrep_" + "x" * 43) is None
        with holder.use() as store:
            first_use = store.api_key("analyst")["last_used_at"]
        assert first_use is not None
        with holder.write() as store:
            store.revoke_api_key("analyst")
        assert asking.check(secret) is None  # asked the store: revoked
        assert remembering.cached(secret) is not None  # within its cache time (2 s by default), as documented
        with holder.use() as store:
            assert store.api_key("analyst")["last_used_at"] == first_use  # once a minute, not per request
    finally:
        holder.close()


@pytest.mark.parametrize(("accept", "page"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # a browser opening a page
    ("application/xhtml+xml", True), ("TEXT/HTML; charset=utf-8", True), ("text/html;q=0", False),
    ("*/*", False), ("application/json", False), ("", False), ("text/html;q=bad", True),
])
def test_a_page_request_is_one_whose_accept_lists_html(accept: str, page: bool) -> None:
    scope = {"type": "http", "path": "/brief", "headers": [(b"accept", accept.encode())], "query_string": b""}
    assert wants_html(scope) is page


@pytest.mark.parametrize(("target", "kept"), [
    ("/brief?country=SYR&from=2016-02-01&to=2016-02-29", True), ("/", True), ("/api/events?format=csv#x", True),
    (None, False), ("", False), ("//evil.example", False), ("/\\evil.example", False),
    ("https://evil.example/brief", False), ("brief", False), ("/brief\r\nSet-Cookie: x", False),
    ("/login?next=/brief", False),
])
def test_the_login_page_goes_on_only_to_a_path_of_this_server(target: str | None, kept: bool) -> None:
    assert safe_next(target) == (target if kept else "/")


@pytest.mark.parametrize("require_keys", [False, True])
def test_the_api_description_says_whether_a_key_is_needed(tmp_path: Path, require_keys: bool) -> None:
    from sitrep.web.app import create_app

    spec = create_app(tmp_path / "none.duckdb", require_keys=require_keys).openapi()
    assert set(spec["components"]["securitySchemes"]) == {"bearer", "apiKeyHeader", "loginCookie"}
    ways = [{"bearer": []}, {"apiKeyHeader": []}, {"loginCookie": []}]
    expected = ways if require_keys else [*ways, {}]  # {}: none needed, on a server that checks none
    assert spec["paths"]["/api/events"]["get"]["security"] == expected
    assert spec["paths"]["/brief"]["get"]["security"] == expected
    assert "security" not in spec["paths"]["/api/login"]["post"]
