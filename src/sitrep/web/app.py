"""The HTTP API and dashboard: a thin FastAPI layer over ``sitrep.store.Store``.

The store is opened read-only for each request and closed after it. DuckDB lets many processes
hold read-only connections but none while a writer has the file, so holding one connection for
the server's lifetime would block ``sitrep ingest``; reopening per request also means the API
sees newly ingested events without a restart.

Front-end libraries are not in the repository: ``static/package.json`` pins them and ``npm ci``
(``make assets``) creates ``static/node_modules``, served at ``/vendor``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from sitrep.export import geojson_feature
from sitrep.store import Store, StoreError
from sitrep.store.filters import EVENT_TYPES, STATUSES, FilterError
from sitrep.web.errors import (
    ParameterError,
    build_filter,
    parameter_error_handler,
    validation_error_handler,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULT_VENDOR_DIR = STATIC_DIR / "node_modules"
MAX_LIMIT = 1000

_MISSING_ASSETS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sitrep: dashboard assets missing</title></head>
<body><h1>Dashboard assets are not installed</h1>
<p>The dashboard's front-end libraries (Leaflet, world-atlas, topojson-client) were not found in
<code>{vendor}</code>.</p>
<p>Run <code>make assets</code> (or <code>npm ci</code> in <code>src/sitrep/web/static</code>)
and reload this page. The JSON API (described at <a href="/openapi.json">/openapi.json</a>) works
without them.</p>
</body></html>
"""


def open_store(request: Request) -> Iterator[Store]:
    """Request dependency: a read-only store for this request, closed when it is answered."""
    try:
        store = Store(request.app.state.db_path, read_only=True)
    except StoreError as err:  # missing file, a writer holding it, or migrations not applied
        raise HTTPException(503, str(err)) from err
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(open_store)]


def create_app(
    db_path: str | Path,
    *,
    tile_url: str | None = None,
    vendor_dir: str | Path | None = None,
) -> FastAPI:
    """Build the app for the store at ``db_path``.

    ``tile_url`` (default: the ``SITREP_TILE_URL`` environment variable) is an optional XYZ
    tile template for users with internet; without it the dashboard draws only the bundled
    Natural Earth countries. ``vendor_dir`` (default: ``SITREP_VENDOR_DIR`` or
    ``static/node_modules``) is where ``npm ci`` put the front-end libraries.
    """
    db_path = Path(db_path)
    tile_url = tile_url if tile_url is not None else (os.environ.get("SITREP_TILE_URL") or None)
    vendor = Path(vendor_dir or os.environ.get("SITREP_VENDOR_DIR") or DEFAULT_VENDOR_DIR)

    app = FastAPI(
        title="sitrep",
        summary="Conflict events extracted from news: query, map and export.",
        version="0.1.0",
        # FastAPI's own /docs and /redoc pull their scripts from a CDN; /docs is served below
        # from the vendored swagger-ui-dist instead, so the API description works offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.db_path = db_path
    app.add_exception_handler(ParameterError, parameter_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)

    @app.get("/api/events", tags=["events"], summary="Query events (JSON or GeoJSON)")
    def list_events(
        store: StoreDep,
        country: Annotated[str | None, Query(description="ISO3 code or English country name")] = None,
        place: Annotated[str | None, Query(description="substring of the place or its admin1")] = None,
        actor: Annotated[str | None, Query(description="substring of an actor's name, text or id")] = None,
        event_type: Annotated[
            list[str] | None,
            Query(alias="type", description="PLOVER type(s); repeat or comma-separate"),
        ] = None,
        status: Annotated[list[str] | None, Query(description="status(es); repeat or comma-separate")] = None,
        date_from: Annotated[str | None, Query(description="inclusive, YYYY-MM-DD")] = None,
        date_to: Annotated[str | None, Query(description="inclusive, YYYY-MM-DD")] = None,
        q: Annotated[str | None, Query(description="text in the evidence sentence or title")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")] = 100,
        offset: Annotated[int, Query(ge=0, description="records to skip")] = 0,
        format: Annotated[Literal["json", "geojson"], Query(description="json or geojson")] = "json",
    ) -> JSONResponse:
        flt = build_filter({
            "country": country, "place": place, "actor": actor, "type": event_type,
            "status": status, "date_from": date_from, "date_to": date_to, "q": q,
        })
        try:
            total, records = store.query_events(flt, limit=limit, offset=offset)
        except FilterError as err:  # a check the store makes that build_filter does not know of
            raise ParameterError("request", str(err)) from err
        if format == "geojson":
            features = [f for f in (geojson_feature(r) for r in records) if f is not None]
            # "total", "limit" and "offset" are GeoJSON foreign members (RFC 7946, 6.1).
            body: dict[str, Any] = {
                "type": "FeatureCollection", "total": total, "limit": limit, "offset": offset,
                "features": features,
            }
            return JSONResponse(body, media_type="application/geo+json")
        return JSONResponse({"total": total, "limit": limit, "offset": offset, "events": records})

    @app.get("/api/events/{event_id}", tags=["events"], summary="One event record")
    def get_event(event_id: str, store: StoreDep) -> dict[str, Any]:
        record = store.get_event(event_id)
        if record is None:
            raise HTTPException(404, f"no event with id {event_id!r}")
        return record

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="One document and its event ids")
    def get_document(doc_id: str, store: StoreDep) -> dict[str, Any]:
        document = store.get_document(doc_id)
        if document is None:
            raise HTTPException(404, f"no document with id {doc_id!r}")
        return document

    @app.get("/api/summary", tags=["store"], summary="Counts of documents and events")
    def summary(store: StoreDep) -> dict[str, Any]:
        return store.summary()

    @app.get("/api/config", tags=["dashboard"], summary="Settings the dashboard needs")
    def config() -> dict[str, Any]:
        return {
            "tile_url": tile_url,
            "event_types": list(EVENT_TYPES),
            "statuses": list(STATUSES),
            "max_limit": MAX_LIMIT,
        }

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="sitrep API",
            swagger_js_url="/vendor/swagger-ui-dist/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui-dist/swagger-ui.css",
            swagger_favicon_url="/vendor/swagger-ui-dist/favicon-32x32.png",
        )

    @app.get("/", include_in_schema=False)
    def dashboard() -> Response:
        if not (vendor / "leaflet" / "dist" / "leaflet.js").is_file():
            return HTMLResponse(_MISSING_ASSETS_PAGE.format(vendor=vendor), status_code=503)
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # check_dir=False: the app must start (and / explain the fix) before `make assets` ran.
    app.mount("/vendor", StaticFiles(directory=vendor, check_dir=False), name="vendor")
    return app
