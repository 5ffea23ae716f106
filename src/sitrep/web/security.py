"""Security headers on every response, and 422 for query parameters an endpoint does not take.

The dashboard shows text from arbitrary web pages (titles, evidence sentences), so a page must
never run script it did not ship: every response carries a Content-Security-Policy that allows
only the server's own scripts (the pages have no inline script) and no framing, plus nosniff and
no-referrer. Swagger UI's page (/docs) starts itself with one inline script, so that page alone
allows inline script. A plain ASGI middleware (not Starlette's BaseHTTPMiddleware) so streamed
exports are not buffered.

An unknown query parameter used to be ignored: `?from=2016-01-01` (the CLI's spelling) returned
every event unfiltered, which looks like an answer. Now the API names it and lists the allowed ones.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep.web.errors import ParameterError


def content_security_policy(tile_url: str | None, *, inline_script: bool = False) -> str:
    """The policy: this server only, plus the tile server's origin for images when one is set."""
    images = "'self' data: blob:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        if parts.scheme in ("http", "https") and parts.netloc:
            host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
            images += f" {parts.scheme}://{host}"
    script = "'self' 'unsafe-inline'" if inline_script else "'self'"
    return (f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; img-src {images}; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class SecurityHeaders:
    """Adds the headers to every HTTP response the app sends (errors and static files included)."""

    def __init__(self, app: ASGIApp, *, tile_url: str | None = None, inline_script_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.policy = content_security_policy(tile_url).encode()
        self.relaxed = content_security_policy(tile_url, inline_script=True).encode()
        self.inline_script_paths = inline_script_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.relaxed if scope.get("path") in self.inline_script_paths else self.policy

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", policy),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def _allowed(route: Any) -> frozenset[str]:
    """The query parameter names (aliases) a route declares, through all its dependencies."""
    cached = getattr(route, "_sitrep_query_names", None)
    if cached is not None:  # kept on the route itself (routes are not hashable)
        return cached
    names: set[str] = set()
    stack = [route.dependant]
    while stack:  # FastAPI's own flattening helper is private and renamed between releases
        dependant = stack.pop()
        names.update(getattr(field, "alias", None) or field.name for field in dependant.query_params)
        stack.extend(dependant.dependencies)
    route._sitrep_query_names = frozenset(names)
    return route._sitrep_query_names


def reject_unknown_parameters(request: Request) -> None:
    """Router dependency: a query parameter the endpoint does not declare is a 422 naming it."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    allowed = _allowed(route)
    for name in request.query_params:
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise ParameterError(name, f"unknown parameter {name!r}; this endpoint takes: {known}",
                                 request.query_params[name])
