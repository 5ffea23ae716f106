"""docs/api.md names every route the server has, and no route it does not have.

A route is written in the doc as `METHOD /path` in backticks; path parameters are compared by
position only (the doc says `{id}` where the code says `{event_id}`). Routes come from the app
itself (the OpenAPI paths and the pages left out of the schema), so a new route without a line in
the doc, or a line left behind by a removed route, fails here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sitrep.web.app import create_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
MENTION = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)")


def normal(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def routes(candidates: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """(method, path) of every route, into included routers (FastAPI >= 0.16x keeps them nested)."""
    for route in candidates:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from routes(nested.routes)
        elif getattr(route, "methods", None) and getattr(route, "path", None):
            for method in route.methods - {"HEAD", "OPTIONS"}:
                yield method, normal(route.path)


def app_routes(tmp_path: Path) -> set[tuple[str, str]]:
    app = create_app(tmp_path / "none.duckdb")
    found = set(routes(app.routes))
    for path, operations in app.openapi()["paths"].items():  # the public view, whatever the nesting
        found.update((method.upper(), normal(path)) for method in operations)
    return found


def test_every_route_is_in_docs_api_md_and_every_documented_route_exists(tmp_path: Path) -> None:
    served = app_routes(tmp_path)
    documented = {(method, normal(path)) for method, path in MENTION.findall(DOC.read_text(encoding="utf-8"))}
    assert ("GET", "/brief") in served and ("GET", "/login") in served  # the walk reaches nested routers
    assert sorted(served - documented) == [], "routes missing from docs/api.md"
    assert sorted(documented - served) == [], "docs/api.md names routes the server does not have"
