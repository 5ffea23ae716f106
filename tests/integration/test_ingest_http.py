"""URLs and feeds over HTTP, against a local server (127.0.0.1 only): fetching, redirects, limits, retries."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitrep.document import Document
from sitrep.ingest.items import FetchTask
from sitrep.ingest.reject import Reject
from sitrep.ingest.runner import ingest
from sitrep.ingest.sources import Reader, ReadOptions
from sitrep.ingest.urls import Fetcher, FetchOptions, FetchResult
from sitrep.store import open_store

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "examples" / "web"
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


class _Handler(BaseHTTPRequestHandler):
    hits: Counter[str] = Counter()
    agents: list[str] = []

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        path = self.path
        self.hits[path] += 1
        self.agents.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if path == "/feed.atom":
            body = (FIXTURES / "atom-teasers.xml").read_text().replace("{{BASE}}", base).encode()
            self._send(200, "application/atom+xml; charset=utf-8", body)
        elif path.startswith("/news/aleppo-noose"):
            self._send(200, "text/html; charset=utf-8", (WEB / "opinion-aleppo-encircled.html").read_bytes())
        elif path == "/news/drawdown":
            self._send(200, "text/html; charset=utf-8", (WEB / "analysis-russia-drawdown.html").read_bytes())
        elif path == "/moved":
            self._redirect("/news/drawdown")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/flaky":
            if self.hits[path] < 3:
                self._send(503, "text/plain", b"try later", {"Retry-After": "0"})
            else:
                self._send(200, "text/plain; charset=utf-8", b"Rebels shelled the old city of Aleppo on Tuesday.")
        elif path == "/down":
            self._send(503, "text/plain", b"down")
        elif path == "/slow":
            time.sleep(2)
            self._send(200, "text/plain", b"late")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the limit must hold while streaming
            for _ in range(64):
                self.wfile.write(b"<p>" + b"x" * 4096 + b"</p>")
        elif path == "/logo.png":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        elif path == "/latin":
            html = ("<html><head><title>Café strike</title></head><body><article><p>Government aircraft struck a café "
                    "in Douma’s main square on Monday, killing four civilians, rescue workers said.</p></article>"
                    "</body></html>")
            self._send(200, "text/html; charset=utf-8", html.encode("cp1252"))
        elif path == "/list.urls":
            self._send(200, "text/plain", f"{base}/news/drawdown\n{base}/logo.png\n".encode())
        else:
            self._send(404, "text/html", b"<html><body>Not found</body></html>")

    def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up on /slow or /huge is what those tests do


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


FAST = FetchOptions(timeout=1.0, connect_timeout=1.0, retries=2, backoff=0.01, host_delay=0.0, max_bytes=100_000)


def _reader() -> Reader:
    return Reader(ReadOptions(max_bytes=100_000, fetch=FAST), fetcher=Fetcher(FAST))


def _fetch_all(reader: Reader, url: str) -> list:
    """Fetch `url` and whatever it leads to (feed entries), as the ingest driver does."""
    out, queue = [], [FetchTask(url, url)]
    while queue:
        for item in reader.fetch(queue.pop(0)):
            (queue if isinstance(item, FetchTask) else out).append(item)
    return out


def test_feed_of_teasers_fetches_each_page(server: str) -> None:
    items = _fetch_all(_reader(), f"{server}/feed.atom")
    docs = [i for i in items if isinstance(i, Document)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [d.source.title for d in docs] == ["The noose around Aleppo is tightening, and our leaders shrug",
                                              "Why Moscow is sending its carrier home from Syria"]
    # the page declares a canonical URL on another site: the address it was fetched from is kept
    assert docs[0].source.url == f"{server}/news/aleppo-noose"
    assert docs[1].source.url == f"{server}/news/drawdown"  # after the redirect from /moved
    assert docs[0].source.path.endswith("feed.atom#1") and docs[0].ext["kind"] == "url"
    assert [c.label for c in docs[0].sections if c.name == "comment" and c.label] == ["1", "2", "3", "4", "5"]
    assert docs[1].source.published.isoformat() == "2017-01-08"  # the feed's date
    assert [(r.reason, r.path.rsplit("#", 1)[1]) for r in rejects] == [("HTTP error", "3")]
    assert all(agent.startswith("sitrep/") for agent in _Handler.agents)


@pytest.mark.parametrize(("path", "reason", "detail"), [
    ("/missing", "HTTP error", "404"),
    ("/loop", "unreachable URL", "redirects"),
    ("/slow", "unreachable URL", "timed out"),
    ("/huge", "too large", "100000"),
    ("/logo.png", "unsupported content", "image/png"),
    ("/down", "HTTP error", "503 Service Unavailable after 3 tries"),
])
def test_failures_are_rejects_with_reasons(server: str, path: str, reason: str, detail: str) -> None:
    (item,) = _fetch_all(_reader(), server + path)
    assert isinstance(item, Reject) and item.reason == reason and detail in item.detail, item


def test_retries_with_backoff_until_the_server_answers(server: str) -> None:
    result = Fetcher(FAST).fetch(f"{server}/flaky")
    assert isinstance(result, FetchResult) and result.status == 200
    assert _Handler.hits["/flaky"] == 3


def test_unreachable_host_is_rejected_quickly() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    result = Fetcher(FAST).fetch(f"http://127.0.0.1:{port}/")
    assert isinstance(result, Reject) and result.reason == "unreachable URL" and "after 3 tries" in result.detail
    assert time.monotonic() - started < 5


def test_misdeclared_charset_over_http(server: str) -> None:
    (doc,) = _fetch_all(_reader(), f"{server}/latin")
    assert "café in Douma’s main square" in doc.text
    assert [w.reason for w in doc.ext["warnings"]] == ["mis-declared encoding"]


def test_fetched_url_list_is_followed(server: str) -> None:
    items = _fetch_all(_reader(), f"{server}/list.urls")
    assert [type(i).__name__ for i in items] == ["Document", "Reject"]


def test_offline_fetches_nothing(server: str) -> None:
    reader = Reader(ReadOptions(offline=True))
    before = sum(_Handler.hits.values())
    (item,) = reader.fetch(FetchTask(f"{server}/news/drawdown", f"{server}/news/drawdown"))
    assert item.reason == "offline" and sum(_Handler.hits.values()) == before


def test_ingest_of_a_feed_url_and_its_rerun(server: str, tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    """The driver on a feed URL: its teaser pages fetched; again: known pages are not asked for."""
    with open_store(tmp_path / "s.duckdb") as store:
        first = ingest([f"{server}/feed.atom"], store, pipeline, reader=_reader())
        before = Counter(_Handler.hits)
        second = ingest([f"{server}/feed.atom"], store, pipeline, reader=_reader())
    asked = Counter(_Handler.hits) - before
    assert (first.documents, first.fetched) == (2, 4)
    assert [(r.reason, r.path.rsplit("#", 1)[1]) for r in first.rejects] == [("HTTP error", "3")]
    assert (second.documents, second.skipped) == (0, 2)
    with open_store(tmp_path / "s.duckdb", read_only=True) as store:
        status = store.ingest_status()
    assert status["documents_by_kind"] == {"url": 2} and status["rejects"]["by_reason"] == {"HTTP error": 1}
    # only the feed itself and the page that was missing are asked for again
    assert set(asked) == {"/feed.atom", "/missing"}
