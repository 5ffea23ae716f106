"""Fetching pages and feeds over HTTP (httpx): polite, bounded, retried.

A polite user agent that says who is asking, a pause between requests to the same host,
timeouts, at most five redirects, a size limit enforced while the body streams (a server's
Content-Length is not trusted), and retries with exponential backoff for failures that may
pass (connection errors, timeouts, 429 and 5xx, honouring Retry-After up to a cap). Every
failure is a Reject with a one-line reason; nothing here raises.
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from sitrep import __version__
from sitrep.ingest.reject import Reject

USER_AGENT = (f"sitrep/{__version__} (conflict-event research tool; fetches each page once; "
              "+https://pypi.org/project/sitrep/)")
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0
READABLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/rss+xml",
                  "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
                  "application/feed+json")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A response worth reading: its final URL (after redirects), type and body."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class FetchOptions:
    timeout: float = 20.0
    connect_timeout: float = 10.0
    retries: int = 2  # further tries after the first
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    host_delay: float = 1.0  # seconds between two requests to one host
    user_agent: str = USER_AGENT


class Fetcher:
    """One HTTP client for a whole ingest (connection reuse), with a per-host pause."""

    def __init__(self, options: FetchOptions | None = None, *, transport: httpx.BaseTransport | None = None) -> None:
        self.options = options or FetchOptions()
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=self.options.max_redirects,
            timeout=httpx.Timeout(self.options.timeout, connect=self.options.connect_timeout),
            headers={"User-Agent": self.options.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                               "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
                     "Accept-Language": "en"},
            transport=transport,
        )
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, *, path: str | None = None) -> FetchResult | Reject:
        """GET `url`; a FetchResult for a readable response, else a Reject saying why."""
        where = path or url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Reject(where, "bad URL", f"not an http(s) URL: {url[:200]}")
        attempt = 0
        while True:
            outcome, retry_after = self._once(url, where)
            if not isinstance(outcome, _Retry):
                return outcome
            if attempt >= self.options.retries:
                return Reject(where, outcome.reason, f"{outcome.detail} after {attempt + 1} tries")
            delay = retry_after if retry_after is not None else self.options.backoff * (2**attempt)
            time.sleep(min(max(delay, 0.0), MAX_RETRY_AFTER))
            attempt += 1

    def _once(self, url: str, where: str) -> tuple[FetchResult | Reject | _Retry, float | None]:
        self._pause(url)
        self.requests += 1
        try:
            with self._client.stream("GET", url) as response:
                status = response.status_code
                if status in RETRY_STATUS:
                    return _Retry("HTTP error", f"{status} {response.reason_phrase}"), _retry_after(response)
                if status >= 400:
                    return Reject(where, "HTTP error", f"{status} {response.reason_phrase} for {url}"), None
                content_type = response.headers.get("content-type", "")
                mime = content_type.split(";")[0].strip().lower()
                if mime and not mime.startswith(READABLE_TYPES) and not mime.endswith(("+xml", "/xml")):
                    return Reject(where, "unsupported content", f"{mime} at {response.url}"), None
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.options.max_bytes:
                    return Reject(where, "too large", f"{declared} bytes > {self.options.max_bytes}"), None
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.options.max_bytes:
                        return Reject(where, "too large", f"more than {self.options.max_bytes} bytes"), None
                return FetchResult(url, str(response.url), status, content_type, bytes(body)), None
        except httpx.TooManyRedirects:
            return Reject(where, "unreachable URL", f"more than {self.options.max_redirects} redirects"), None
        except httpx.TimeoutException as err:
            return _Retry("unreachable URL", f"timed out ({type(err).__name__})"), None
        except httpx.TransportError as err:
            return _Retry("unreachable URL", f"{type(err).__name__}: {_short(err)}"), None
        except httpx.HTTPError as err:  # decoding errors, invalid URLs
            return Reject(where, "unreachable URL", f"{type(err).__name__}: {_short(err)}"), None

    def _pause(self, url: str) -> None:
        """Wait until `host_delay` has passed since the last request to this host."""
        host = urlsplit(url).hostname or ""
        with self._lock:
            wait = self._last.get(host, 0.0) + self.options.host_delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last[host] = time.monotonic()


@dataclass(frozen=True, slots=True)
class _Retry:
    reason: str
    detail: str


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _short(err: Exception) -> str:
    return " ".join(str(err).split())[:200] or "no detail"
