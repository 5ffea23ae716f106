"""API keys on the server: who may read the API and dashboard data, and who may write.

When checks are on (`sitrep serve` on a non-loopback host, or `--require-keys`), every request to
the data paths (`/api/...` and `/brief...`) must carry a live key from `sitrep keys create`:

- `Authorization: Bearer KEY` or `X-API-Key: KEY` (scripts, curl);
- the `sitrep_key` cookie that `POST /api/login` sets (the dashboard);
- on `/api/acled/...` also ACLED's legacy `key=` query parameter (with `email=`, which ACLED's
  clients insist on sending and sitrep ignores), so ACLED's clients work unchanged.

A missing, unknown or revoked key gets 401 with a JSON error and no data, plus `WWW-Authenticate`;
except that a browser opening a page (a GET whose `Accept` lists text/html: `/brief`, an export
link) is sent (303) to the login page `/login?next=PATH`, which exchanges a key for the cookie and
then goes on to PATH; `next` is only ever a path on this server (`safe_next`), so the login page
cannot be made to send anyone elsewhere. A read-only key gets 403 on any request that is not
GET/HEAD/OPTIONS (the corrections API). The pages themselves (`/`, `/events/ID`, `/login`, assets,
`/docs`, `/openapi.json`) hold no data and stay open, so the dashboard can load and ask for a key.

Why an HttpOnly cookie for the dashboard, not sessionStorage: the page's script never sees the key
(nothing it shows from arbitrary articles could read it), and plain links (an export, an event
page opened in a new tab, `/brief`) carry it without each one being rewritten to add a header.
The cookie is `SameSite=Strict`, so another site cannot make the browser send it; a write that
comes with the cookie must also come from this server's own origin (its `Origin` header).

The three ways to send a key are declared to OpenAPI (`key_schemes`, FastAPI's security classes
with auto_error=False), so /docs has an "Authorize" button; they check nothing themselves, the
middleware does, before any route runs (and on paths that are not routes of the schema). A server
that checks no keys says in its description that none is needed (`keys_optional`).

A key found live is remembered for `CACHE_SECONDS` (by its hash), so a page of the dashboard,
which asks several routes at once, costs one lookup, not one per request (the lookup added about
10 ms a request on a loaded 2-core machine: bench/auth_bench.py). A revocation therefore takes up
to that long to reach a running server; unknown keys are never remembered.

`last_used_at` is written at most once a minute per key (`USE_INTERVAL`): a write to a DuckDB store
means closing the shared read-only store (web/holder.py), so it must not happen on every request.
The write waits for running reads at most a moment; when it cannot happen (an ingest holds the
file) it is skipped, and tried again on the next use a minute later.
"""

from __future__ import annotations

import email.message
import html
import ipaddress
import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Security
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from sitrep.store.api_keys import key_hash
from sitrep.store.base import StoreError
from sitrep.web.holder import StoreHolder
from sitrep.web.models import ErrorBody

log = logging.getLogger(__name__)

COOKIE = "sitrep_key"
USE_INTERVAL = 60.0  # seconds between two writes of one key's last_used_at
CACHE_SECONDS = 2.0  # how long a key found live is taken as live without asking the store again
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
GUARDED_PREFIXES = ("/api/", "/brief")
OPEN_PATHS = frozenset({"/api/login", "/api/logout"})  # they check the key themselves
LOGIN_PAGE = Path(__file__).resolve().parent / "static" / "login.html"
CREATE_HINT = ("send it as `Authorization: Bearer KEY` or `X-API-Key: KEY` (the server's operator makes keys "
               "with `sitrep keys create NAME`)")


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost)."""
    name = host.strip("[]")
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to a public address


class KeyChecker:
    """Checks a key against the store the server reads, and records when each key was last used."""

    def __init__(self, holder: Callable[[], StoreHolder], *, use_interval: float = USE_INTERVAL,
                 cache_seconds: float = CACHE_SECONDS) -> None:
        self.holder = holder  # a function: the app's holder may be replaced (tests attach a store late)
        self.use_interval = use_interval
        self.cache_seconds = cache_seconds
        self._lock = threading.Lock()
        self._recorded: dict[str, float] = {}  # key name -> monotonic time last_used_at was last written
        self._live: dict[str, tuple[float, dict[str, Any]]] = {}  # key hash -> (checked at, {name, read_only})

    def cached(self, secret: str) -> dict[str, Any] | None:
        """{name, read_only} of a key found live in the last `cache_seconds`, else None (ask `check`)."""
        with self._lock:
            hit = self._live.get(key_hash(secret))
        return hit[1] if hit is not None and time.monotonic() - hit[0] < self.cache_seconds else None

    def check(self, secret: str) -> dict[str, Any] | None:
        """{name, read_only} of a live key, else None. Blocking (store access): call it in a thread."""
        digest = key_hash(secret)
        now = time.monotonic()
        hit = self.cached(secret)
        if hit is not None:
            return hit
        with self.holder().use() as store:
            found = store.verify_api_key(secret)
        with self._lock:
            if found is None:
                self._live.pop(digest, None)
            else:
                if len(self._live) > 1000:  # bounded: only live keys get in, but be safe
                    self._live.clear()
                self._live[digest] = (now, found)
        if found is not None:
            self._note_use(found["name"])
        return found

    def _note_use(self, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            last = self._recorded.get(name)
            if last is not None and now - last < self.use_interval:
                return
            self._recorded[name] = now
        try:
            with self.holder().write(timeout=2.0) as store:
                store.record_api_key_use([name])
        except StoreError as err:  # best effort: the next use after the interval tries again
            log.warning("could not record the use of key %r: %s", name, err)


def _bearer(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def presented_key(scope: Scope) -> tuple[str | None, bool]:
    """(the key a request carries, whether it came in the cookie); headers win over the cookie."""
    request = Request(scope)
    header = _bearer(request.headers.get("authorization")) or request.headers.get("x-api-key")
    if header:
        return header.strip(), False
    if scope["path"].startswith("/api/acled/") and request.query_params.get("key"):
        return request.query_params["key"], False
    cookie = request.cookies.get(COOKIE)
    return (cookie, True) if cookie else (None, False)


def _same_origin(scope: Scope) -> bool:
    """A cookie-borne write must come from a page of this server (its Origin, when sent, is our own)."""
    request = Request(scope)
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site") in (None, "same-origin", "none")
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" == f"{request.url.scheme}://{request.headers.get('host', '')}"


def _own_json(request: Request) -> None:
    """Login takes JSON from this server's pages only: another site cannot log a browser in (with
    the other site's key) by posting a form."""
    message = email.message.Message()
    message["content-type"] = request.headers.get("content-type", "")
    if message.get_content_type() != "application/json":
        raise HTTPException(415, "send the key as JSON (Content-Type: application/json)")
    if not _same_origin(request.scope):
        raise HTTPException(403, "logins are accepted from this server's own pages only")


def _error_body(path: str, status: int, message: str) -> dict[str, Any]:
    if path.startswith("/api/acled/"):  # ACLED's own error envelope, as the rest of that API answers
        return {"status": status, "success": False, "error": [{"status": status, "message": message}]}
    return {"detail": message, "errors": [{"parameter": "Authorization", "message": message, "input": None}]}


async def _refuse(send: Send, path: str, status: int, message: str) -> None:
    body = json.dumps(_error_body(path, status, message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store")]
    if status == 401:
        headers.append((b'www-authenticate', b'Bearer realm="sitrep"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def wants_html(scope: Scope) -> bool:
    """Whether the request is a browser opening a page: its Accept lists text/html (with q > 0).

    `*/*` alone does not count: that is what curl, httpx and most API clients send, and they keep
    the JSON 401 they can act on."""
    for part in Request(scope).headers.get("accept", "").split(","):
        media, *params = (item.strip() for item in part.split(";"))
        if media.lower() not in ("text/html", "application/xhtml+xml"):
            continue
        quality = next((p.partition("=")[2] for p in params if p.lower().startswith("q=")), "1")
        try:
            return float(quality) > 0
        except ValueError:
            return True
    return False


def safe_next(value: str | None) -> str:
    """`value` when it is a path on this server ("/brief?country=SYR"), else "/".

    Refused: anything not starting with one "/" ("//evil.example" and "/\\evil.example" are other
    hosts to a browser), an absolute URL, control characters, and the login page itself (a loop)."""
    if (not value or not value.startswith("/") or value.startswith("//") or "\\" in value
            or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value)):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path == "/login":
        return "/"
    return value


def _asked_for(scope: Scope) -> str:
    """The path and query the request asked for, as sent (still percent-encoded)."""
    path = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string") or b""
    return path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")


async def _to_login(send: Send, scope: Scope) -> None:
    """303 to the login page, which returns to the page asked for once a key is given."""
    location = "/login?next=" + quote(_asked_for(scope), safe="")
    headers = [(b"location", location.encode("latin-1")), (b"content-length", b"0"),
               (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


class RequireKeys:
    """ASGI middleware: the key check of the module docstring on the guarded paths."""

    def __init__(self, app: ASGIApp, *, checker: KeyChecker) -> None:
        self.app = app
        self.checker = checker

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path in OPEN_PATHS or not path.startswith(GUARDED_PREFIXES):
            await self.app(scope, receive, send)
            return
        secret, from_cookie = presented_key(scope)
        page = scope["method"] in ("GET", "HEAD") and wants_html(scope)
        if secret is None:
            if page:
                await _to_login(send, scope)
                return
            await _refuse(send, path, 401, f"this server needs an API key; {CREATE_HINT}")
            return
        try:
            found = self.checker.cached(secret) or await run_in_threadpool(self.checker.check, secret)
        except StoreError as err:
            await _refuse(send, path, 503, f"cannot check the key: {err}")
            return
        if found is None:
            if page:
                await _to_login(send, scope)
                return
            await _refuse(send, path, 401, "the API key is not valid (unknown or revoked)")
            return
        if scope["method"] not in SAFE_METHODS:
            if found["read_only"]:
                await _refuse(send, path, 403, f"key {found['name']!r} is read-only; this request writes")
                return
            if from_cookie and not _same_origin(scope):
                await _refuse(send, path, 403, "a write with the login cookie must come from this server's pages")
                return
        scope.setdefault("state", {})["api_key"] = found
        await self.app(scope, receive, send)


class Login(BaseModel):
    key: str = Field(min_length=1, max_length=200, description="an API key from `sitrep keys create`")


_BEARER = HTTPBearer(auto_error=False, scheme_name="bearer",
                     description="`Authorization: Bearer KEY`, a key from `sitrep keys create NAME`")
_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="apiKeyHeader",
                       description="`X-API-Key: KEY`, the same keys")
_COOKIE = APIKeyCookie(name=COOKIE, auto_error=False, scheme_name="loginCookie",
                       description="the HttpOnly cookie `POST /api/login` sets (the dashboard's login)")


def key_schemes(
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_BEARER)],
    _header: Annotated[str | None, Security(_HEADER)],
    _cookie: Annotated[str | None, Security(_COOKIE)],
) -> None:
    """Router dependency that only declares, in OpenAPI, the three ways a key is sent (any one of
    them will do). It checks nothing: with checks off the routes are open, and with them on
    RequireKeys has already let the request through."""


def keys_optional(app: FastAPI) -> None:
    """Make `app`'s OpenAPI description say that no key is needed (every secured operation also
    lists `{}`, "no security"): true of a server that checks none (loopback, no --require-keys), and
    what tools reading the description (schemathesis, generated clients) must be told."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            for operations in build()["paths"].values():  # build() keeps the schema in app.openapi_schema
                for operation in operations.values():
                    if "security" in operation:
                        operation["security"].append({})
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


router = APIRouter(prefix="/api", tags=["access"])


@router.post("/login", summary="Log the dashboard in with an API key (sets an HttpOnly cookie)",
             description="Checks the key and answers its name and access with a `sitrep_key` cookie (HttpOnly, "
                         "SameSite=Strict) that later requests carry. JSON from this server's pages only.",
             dependencies=[Depends(_own_json)],
             responses={400: {"model": ErrorBody, "description": "the body cannot be read (not UTF-8 JSON)"},
                        401: {"model": ErrorBody, "description": "the key is unknown or revoked"},
                        403: {"model": ErrorBody, "description": "the request comes from another site's page"},
                        415: {"model": ErrorBody, "description": "the body is not `application/json`"},
                        422: {"model": ErrorBody, "description": "no key in the body"},
                        503: {"model": ErrorBody, "description": "the store cannot be opened"}})
async def login(request: Request, body: Login) -> JSONResponse:
    checker: KeyChecker = request.app.state.key_checker
    try:
        found = await run_in_threadpool(checker.check, body.key)
    except StoreError as err:
        return JSONResponse(_error_body("/api/login", 503, f"cannot check the key: {err}"), status_code=503)
    if found is None:
        return JSONResponse(_error_body("/api/login", 401, "the API key is not valid (unknown or revoked)"),
                            status_code=401, headers={"WWW-Authenticate": 'Bearer realm="sitrep"'})
    response = JSONResponse({"name": found["name"], "read_only": found["read_only"]})
    response.set_cookie(COOKIE, body.key, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
    return response


@router.post("/logout", summary="Forget the dashboard's login cookie", response_model=dict[str, bool])
async def logout() -> JSONResponse:
    response = JSONResponse({"logged_out": True})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


pages = APIRouter()


@pages.get("/login", include_in_schema=False)
def login_page(next: Annotated[str | None, Query(max_length=4000)] = None) -> HTMLResponse:  # noqa: A002
    """The login page (static/login.html, login-page.js); `next` is where it goes once logged in."""
    target = html.escape(safe_next(next), quote=True)
    return HTMLResponse(LOGIN_PAGE.read_text(encoding="utf-8").replace("{{next}}", target),
                        headers={"cache-control": "no-store"})
