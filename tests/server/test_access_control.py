"""Access control against a real server started with --require-keys, on both backends: no key or a
bad key is 401 with no data on every data route (lists, exports, aggregates, the evidence view, the
ACLED API); a live key reads; a read-only key may not write (403); the dashboard's login cookie works
and is HttpOnly; the server records when a key was used. Without the flag, loopback stays open, and a
non-loopback host refuses to start on a store without keys."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import ANY
from urllib.parse import quote

import httpx
import pytest

from server.sample_corpus import SRC_DIR, CorpusServer, free_port, running_server
from sitrep.store import open_store
from sitrep.store.copy import copy_store
from store_backends import BACKENDS, new_store_url

pytestmark = pytest.mark.server

# Every kind of data route: lists, one record, the evidence view, aggregates, an export, ACLED's API.
DATA_ROUTES = ("/api/events", "/api/incidents", "/api/events?format=csv", "/api/incidents?format=geojson",
               "/api/aggregates/events?by=country&unit=mentions", "/api/summary", "/api/config", "/api/acled/read")


@dataclass(frozen=True)
class KeyedServer:
    live: CorpusServer
    db: str
    writer: str  # a read-write key
    reader: str  # a read-only key
    revoked: str
    http: httpx.Client  # one client for the header-borne requests (a new one per request costs 0.2 s)

    @property
    def url(self) -> str:
        return self.live.url


@pytest.fixture(scope="module", params=BACKENDS)
def keyed(request: pytest.FixtureRequest, web_db: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeyedServer]:
    """The web test store (tests/conftest.py's six events) on each backend, with three keys."""
    folder = tmp_path_factory.mktemp("keys")
    db = new_store_url(request.param, folder, request, name="keys")
    if request.param == "duckdb":
        shutil.copyfile(web_db, db)
    else:
        copy_store(str(web_db), db)
    with open_store(db) as store:
        store.resolve_incidents()
        writer, _ = store.create_api_key("writer")
        reader, _ = store.create_api_key("reader", read_only=True)
        revoked, _ = store.create_api_key("gone")
        store.revoke_api_key("gone")
    with running_server(db, log_dir=folder, args=["--require-keys"]) as live, \
            httpx.Client(base_url=live.url, timeout=20) as http:
        yield KeyedServer(live, db, writer, reader, revoked, http)


def get(server: KeyedServer, route: str, **headers: str) -> httpx.Response:
    return server.http.get(route, headers=headers)


def an_event_id(server: KeyedServer) -> str:
    events = get(server, "/api/events", authorization=f"Bearer {server.writer}").json()["events"]
    assert events
    return events[0]["id"]


def assert_refused(answer: httpx.Response, status: int = 401) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert not ({"events", "incidents", "features", "data", "groups", "documents"} & set(body))  # no data
    if status == 401:
        assert answer.headers["www-authenticate"].startswith("Bearer")


def test_no_key_or_a_bad_key_gets_401_and_no_data(keyed: KeyedServer) -> None:
    routes = (*DATA_ROUTES, f"/api/events/{an_event_id(keyed)}/evidence")
    bad = {"authorization": "Bearer sitrep_" + "A" * 43}
    for route in routes:
        missing = get(keyed, route)
        assert_refused(missing)
        message = missing.json().get("detail") or missing.json()["error"][0]["message"]
        assert "API key" in message
        assert_refused(get(keyed, route, **bad))
        assert_refused(get(keyed, route, **{"x-api-key": "not-a-key"}))
        assert_refused(get(keyed, route, authorization=f"Bearer {keyed.revoked}"))
    acled = get(keyed, "/api/acled/read").json()  # ACLED's error envelope on ACLED's API
    assert acled["success"] is False and acled["status"] == 401


def test_a_live_key_reads_in_either_header(keyed: KeyedServer, web_events: tuple) -> None:
    for headers in ({"authorization": f"Bearer {keyed.writer}"}, {"x-api-key": keyed.reader}):
        events = get(keyed, "/api/events", **headers)
        assert events.status_code == 200, events.text
        assert events.json()["total"] == len(web_events)
        csv = get(keyed, "/api/events?format=csv", **headers)
        assert csv.status_code == 200 and csv.text.count("\n") == len(web_events) + 1
        assert get(keyed, "/api/acled/read", **headers).json()["success"] is True
    # the pages and the API description hold no data and stay open, so the dashboard can ask for a key
    for page in ("/", "/openapi.json", "/static/common.js"):
        assert get(keyed, page).status_code in (200, 503), page  # 503: the front-end assets are not built


def test_a_read_only_key_cannot_write(keyed: KeyedServer) -> None:
    event_id = an_event_id(keyed)
    url = f"/api/events/{event_id}/corrections"
    body = {"field": "status", "value": "denied", "note": "checked"}
    refused = keyed.http.post(url, json=body, headers={"x-api-key": keyed.reader})
    assert_refused(refused, 403)
    assert "read-only" in refused.json()["detail"]
    assert_refused(keyed.http.post(url, json=body))  # no key at all: 401 first
    listed = keyed.http.get(url, headers={"x-api-key": keyed.reader}).json()["corrections"]
    assert listed == []  # nothing was written
    written = keyed.http.post(url, json=body, headers={"x-api-key": keyed.writer})
    assert written.status_code == 201, written.text


def test_the_dashboard_login_sets_an_httponly_cookie(keyed: KeyedServer) -> None:
    wrong = keyed.http.post("/api/login", json={"key": keyed.revoked})
    assert_refused(wrong)
    assert "set-cookie" not in wrong.headers
    with httpx.Client(base_url=keyed.url, timeout=20) as client:
        assert client.get("/api/summary").status_code == 401
        login = client.post("/api/login", json={"key": keyed.reader})
        assert login.status_code == 200 and login.json() == {"name": "reader", "read_only": True}
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
        assert client.get("/api/summary").status_code == 200  # the cookie carries the key
        assert client.post("/api/logout").status_code == 200
        assert client.get("/api/summary").status_code == 401


BRIEF = "/brief?country=SYR&from=2016-02-01&to=2016-02-29"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def test_a_browser_without_a_key_is_sent_to_the_login_page_and_api_clients_get_401(keyed: KeyedServer) -> None:
    to_login = "/login?next=" + quote(BRIEF, safe="")
    for headers in ({}, {"cookie": f"sitrep_key={keyed.revoked}"}):  # no key, and a revoked login cookie
        opened = keyed.http.get(BRIEF, headers={"accept": BROWSER_ACCEPT, **headers})
        assert opened.status_code == 303 and opened.headers["location"] == to_login, opened.text
        assert opened.content == b""  # no data on the way
    page = keyed.http.get(to_login, headers={"accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-next="/brief?country=SYR&amp;from=2016-02-01&amp;to=2016-02-29"' in page.text
    assert '<input id="login-key"' in page.text and "/static/login-page.js" in page.text
    assert "Aleppo" not in page.text
    for script in ("/static/login.js", "/static/login-page.js"):
        assert keyed.http.get(script).status_code == 200, script
    # API clients: no text/html in Accept (or none at all) keep the JSON 401 they can act on.
    for accept in ("application/json", "*/*", "text/html;q=0", None):
        answer = keyed.http.get(BRIEF, headers={"accept": accept} if accept else {})
        assert_refused(answer)
    exported = keyed.http.get("/api/events?format=csv", headers={"accept": BROWSER_ACCEPT})  # an export link
    assert exported.headers["location"] == "/login?next=" + quote("/api/events?format=csv", safe="")
    # With the cookie the login page sets, the browser gets the brief it asked for.
    with httpx.Client(base_url=keyed.url, timeout=20) as client:
        assert client.post("/api/login", json={"key": keyed.reader}).status_code == 200
        brief = client.get(BRIEF, headers={"accept": BROWSER_ACCEPT})
        assert brief.status_code == 200 and "Situation brief: Syria (SYR)" in brief.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "brief", "/login?next=/", "/\tbrief"])
def test_the_login_page_returns_only_to_a_path_on_this_server(keyed: KeyedServer, target: str) -> None:
    page = keyed.http.get("/login", params={"next": target})
    assert page.status_code == 200
    assert 'data-next="/"' in page.text


def test_the_api_description_declares_the_three_ways_to_send_a_key(keyed: KeyedServer) -> None:
    spec = get(keyed, "/openapi.json").json()  # open: it holds no data
    assert spec["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer", "description": ANY},
        "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": ANY},
        "loginCookie": {"type": "apiKey", "in": "cookie", "name": "sitrep_key", "description": ANY},
    }
    any_of = [{"bearer": []}, {"apiKeyHeader": []}, {"loginCookie": []}]
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if path in ("/api/login", "/api/logout"):  # they take the key in the body, or none
                assert "security" not in operation, path
            else:
                assert operation.get("security") == any_of, f"{method} {path}"
                names = {p["name"] for p in operation.get("parameters", [])}
                assert not names & {"Authorization", "X-API-Key", "sitrep_key"}  # schemes, not parameters


def test_a_write_with_the_cookie_must_come_from_this_server(keyed: KeyedServer) -> None:
    event_id = an_event_id(keyed)
    url = f"/api/events/{event_id}/corrections"
    with httpx.Client(base_url=keyed.url, timeout=20) as client:
        assert client.post("/api/login", json={"key": keyed.writer}).status_code == 200
        foreign = client.post(url, json={"field": "status", "value": "claimed"},
                              headers={"origin": "http://evil.example"})
        assert_refused(foreign, 403)
        own = client.post(url, json={"field": "status", "value": "claimed"}, headers={"origin": keyed.url})
        assert own.status_code == 201, own.text


def test_the_use_of_a_key_is_recorded(keyed: KeyedServer) -> None:
    assert get(keyed, "/api/summary", authorization=f"Bearer {keyed.writer}").status_code == 200
    with open_store(keyed.db, read_only=True) as store:
        keys = {k["name"]: k for k in store.api_keys()}
    assert keys["writer"]["last_used_at"] is not None
    assert keys["gone"]["last_used_at"] is None  # refused keys are not "used"


def server_command(db: Path | str, *args: str) -> list[str]:
    return [sys.executable, "-m", "sitrep.web.server", str(db), "--port", str(free_port()), *args]


def test_loopback_is_open_by_default_and_other_hosts_need_keys(web_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "keyed.duckdb"
    shutil.copyfile(web_db, db)
    with open_store(db) as store:
        store.create_api_key("analyst")
    with running_server(db) as live:  # loopback, no flag: open, though the store has keys
        assert httpx.get(f"{live.url}/api/summary", timeout=20).status_code == 200
    empty = tmp_path / "nokeys.duckdb"
    with open_store(empty):
        pass
    env = {**os.environ, "PYTHONPATH": str(SRC_DIR)}
    # (--require-keys on loopback refuses the same way: tests/unit/test_api_keys.py, check_keys)
    result = subprocess.run(server_command(empty, "--host", "0.0.0.0"), env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2, result.stderr  # refused before binding
    assert "refusing to serve" in result.stderr and "sitrep keys create" in result.stderr
