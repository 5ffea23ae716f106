"""The HTTP API and dashboard: a thin FastAPI layer over ``sitrep.store.Store``.

The JSON API lives in ``api.py`` (its filters in ``params.py``); this module builds the app, serves
the dashboard pages and their assets, and says what the dashboard needs to know (``/api/config``).

Front-end libraries and basemap data are not in the repository: ``static/package.json`` pins them
and ``npm ci`` (``make assets``) creates ``static/node_modules``, served at ``/vendor``;
``npm run basemap`` then simplifies Natural Earth's admin-1 polygons into ``static/build``, served
at ``/basemap``. Nothing the pages load comes from outside the server.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from sitrep import vocabulary
from sitrep.store.base import is_postgres
from sitrep.web import acled, auth, corrections, models
from sitrep.web.api import ID_PATTERN, MAX_LIMIT, router
from sitrep.web.brief import router as brief_router
from sitrep.web.errors import ParameterError, parameter_error_handler, validation_error_handler
from sitrep.web.holder import StoreHolder
from sitrep.web.security import SecurityHeaders, reject_unknown_parameters

STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULT_VENDOR_DIR = STATIC_DIR / "node_modules"
DEFAULT_BASEMAP_DIR = STATIC_DIR / "build"
ADMIN1_FILE = "admin1.topo.json"

_MISSING_ASSETS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sitrep: dashboard assets missing</title></head>
<body><h1>Dashboard assets are not installed</h1>
<p>The dashboard's front-end libraries (Leaflet, d3, world-atlas, topojson-client) were not found in
<code>{vendor}</code>.</p>
<p>Run <code>make assets</code> (or <code>npm ci</code> in <code>src/sitrep/web/static</code>)
and reload this page. The JSON API (described at <a href="/openapi.json">/openapi.json</a>) works
without them.</p>
</body></html>
"""

__all__ = ["DEFAULT_VENDOR_DIR", "MAX_LIMIT", "create_app"]


def create_app(
    db_path: str | Path,
    *,
    tile_url: str | None = None,
    vendor_dir: str | Path | None = None,
    basemap_dir: str | Path | None = None,
    idle_seconds: float = 3.0,
    require_keys: bool = False,
) -> FastAPI:
    """Build the app for the store at ``db_path``.

    ``tile_url`` (default: the ``SITREP_TILE_URL`` environment variable) is an optional XYZ
    tile template for users with internet; without it the dashboard draws only the bundled
    Natural Earth countries and provinces. ``vendor_dir`` (default: ``SITREP_VENDOR_DIR`` or
    ``static/node_modules``) is where ``npm ci`` put the front-end libraries; ``basemap_dir``
    (default ``static/build``) where ``npm run basemap`` wrote the admin-1 basemap.
    ``idle_seconds``: the shared read-only store is closed after that long without a request,
    so ``sitrep ingest`` can write meanwhile (web/holder.py). ``require_keys``: every data path
    needs an API key (web/auth.py); ``sitrep serve`` turns it on for any non-loopback host.
    """
    db_path = db_path if is_postgres(db_path) else Path(db_path)
    tile_url = tile_url if tile_url is not None else (os.environ.get("SITREP_TILE_URL") or None)
    vendor = Path(vendor_dir or os.environ.get("SITREP_VENDOR_DIR") or DEFAULT_VENDOR_DIR)
    basemap = Path(basemap_dir or DEFAULT_BASEMAP_DIR)

    holder = StoreHolder(db_path, idle_seconds=idle_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        holder.close()

    app = FastAPI(
        lifespan=lifespan,
        title="sitrep",
        summary="Conflict events extracted from news: query, count, map and export.",
        description=(
            "Every event is one mention of something that happened (or was claimed, denied, planned) in "
            "one document, with the sentence that supports it; an incident merges the mentions of one "
            "real-world event across documents, with every source and reconciled figures. Filters mirror "
            "ACLED's API; invalid parameters get a 422 whose `detail` names the parameter."
        ),
        version="0.1.0",
        # FastAPI's own /docs and /redoc pull their scripts from a CDN; /docs is served below
        # from the vendored swagger-ui-dist instead, so the API description works offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.db_path = db_path
    app.state.store_holder = holder
    app.add_exception_handler(ParameterError, parameter_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.state.key_checker = auth.KeyChecker(lambda: app.state.store_holder)
    if require_keys:
        app.add_middleware(auth.RequireKeys, checker=app.state.key_checker)  # inside the two below
    else:
        auth.keys_optional(app)  # the description's security schemes: any one, or none at all
    # Pages of events and the basemap are text that compresses 5-10x.
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(SecurityHeaders, tile_url=tile_url, inline_script_paths=("/docs",))  # outermost
    # auth.key_schemes only declares to OpenAPI how a key is sent (/docs' Authorize); auth.RequireKeys checks.
    checked = [Depends(reject_unknown_parameters), Depends(auth.key_schemes)]
    app.include_router(router, dependencies=checked)
    app.include_router(corrections.router, dependencies=checked)
    app.include_router(brief_router, dependencies=checked)  # /brief
    app.include_router(auth.router)
    app.include_router(auth.pages)  # /login, the page a browser is sent to when it has no key
    # ACLED's API checks its own parameters, answering in ACLED's error envelope.
    app.include_router(acled.router, dependencies=[Depends(auth.key_schemes)])

    @app.get("/api/config", tags=["dashboard"], summary="Settings the dashboard needs", response_model=models.Config,
             dependencies=checked)
    def config() -> JSONResponse:
        return JSONResponse({
            "tile_url": tile_url,
            "admin1_basemap": f"/basemap/{ADMIN1_FILE}" if (basemap / ADMIN1_FILE).is_file() else None,
            # the dashboard's menus, from the one vocabulary the CLI and the API use (sitrep/vocabulary.py)
            "event_types": list(vocabulary.EVENT_TYPES),
            "statuses": list(vocabulary.STATUSES),
            "incident_statuses": list(vocabulary.INCIDENT_STATUSES),
            "kinds": list(vocabulary.EVENT_KINDS),
            "modes": list(vocabulary.modes()),
            "acled_types": list(vocabulary.ACLED_EVENT_TYPES),
            "sorts": list(vocabulary.SORTS),
            "sort_labels": dict(vocabulary.SORTS),
            "incident_sorts": list(vocabulary.INCIDENT_SORTS),
            "units": list(vocabulary.UNITS),
            "groupings": list(vocabulary.GROUPINGS),
            "max_limit": MAX_LIMIT,
        })

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="sitrep API",
            swagger_js_url="/vendor/swagger-ui-dist/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui-dist/swagger-ui.css",
            swagger_favicon_url="/vendor/swagger-ui-dist/favicon-32x32.png",
        )

    def page(name: str) -> Response:
        if not (vendor / "leaflet" / "dist" / "leaflet.js").is_file():
            return HTMLResponse(_MISSING_ASSETS_PAGE.format(vendor=vendor), status_code=503)
        return FileResponse(STATIC_DIR / name, media_type="text/html")

    @app.get("/", include_in_schema=False)
    def dashboard() -> Response:
        return page("index.html")

    @app.get("/events/{event_id}", include_in_schema=False)
    def event_page(event_id: Annotated[str, PathParam(pattern=ID_PATTERN)]) -> Response:
        # One page for every event: event.js reads the id from the address and asks the API.
        return page("event.html")

    @app.get("/incidents/{incident_id}", include_in_schema=False)
    def incident_page(incident_id: Annotated[str, PathParam(pattern=ID_PATTERN)]) -> Response:
        # One page for every incident: incident.js reads the id from the address and asks the API.
        return page("incident.html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # check_dir=False: the app must start (and / explain the fix) before `make assets` ran.
    app.mount("/vendor", StaticFiles(directory=vendor, check_dir=False), name="vendor")
    app.mount("/basemap", StaticFiles(directory=basemap, check_dir=False), name="basemap")
    return app
