"""A page of event records or incidents as JSON, GeoJSON or any export format (CSV, ACLED CSV,
POLECAT, Parquet, HXL, Excel: sitrep.export.registry), with the paging links every format carries.

JSON and GeoJSON put `total` and `next_cursor` in the body (in GeoJSON as foreign members, RFC
7946 section 6.1); every format also sends them as headers (`X-Total-Count`, and a `Link:
<...>; rel="next"` header as in RFC 8288), so a CSV client can page too.

`unit` says what the page holds: event mentions (`events` in the JSON body, ACLED-like mention
columns) or incidents (`incidents`, one row per incident with its reconciled ranges and sources,
the columns of an incident export).
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from sitrep.export import geojson_feature, write, writer
from sitrep.store.paging import EventPage
from sitrep.vocabulary import API_FORMATS

FORMATS: tuple[str, ...] = tuple(API_FORMATS)  # named and described in sitrep/vocabulary.py
# The JSON member holding the page's records, and the CSV file name, per unit.
_NAMES = {"mentions": "events", "incidents": "incidents"}


def next_link(request: Request, cursor: str) -> str:
    """The request's own URL with `cursor` set and `offset` dropped."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("cursor", "offset")]
    params.append(("cursor", cursor))
    return f"{request.url.path}?{urlencode(params)}"


def paging_headers(request: Request, page: EventPage) -> dict[str, str]:
    headers = {"X-Total-Count": str(page.total)}
    if page.next_cursor:
        headers["X-Next-Cursor"] = page.next_cursor
        headers["Link"] = f'<{next_link(request, page.next_cursor)}>; rel="next"'
    return headers


def render_page(request: Request, page: EventPage, *, fmt: str, limit: int, offset: int, sort: str,
                unit: str = "mentions") -> Response:
    headers = paging_headers(request, page)
    if fmt == "geojson":
        features = [f for f in (geojson_feature(r, unit) for r in page.events) if f is not None]
        body: dict[str, Any] = {
            "type": "FeatureCollection", "total": page.total, "limit": limit, "offset": offset,
            "next_cursor": page.next_cursor, "features": features,
        }
        return JSONResponse(body, media_type="application/geo+json", headers=headers)
    if fmt != "json":  # every other format is an export writer's, over the page's records
        spec = writer(fmt)
        out = io.BytesIO()
        write(page.events, fmt, out, unit=unit)
        headers["Content-Disposition"] = f'{"attachment" if spec.binary else "inline"}; ' \
                                         f'filename="{spec.filename(_NAMES[unit])}"'
        return Response(out.getvalue(), media_type=spec.media_type, headers=headers)
    body = {
        "total": page.total, "limit": limit, "offset": offset, "sort": sort,
        "next_cursor": page.next_cursor, _NAMES[unit]: page.events,
    }
    return JSONResponse(body, headers=headers)


def export_content() -> dict[str, Any]:
    """The OpenAPI `content` of every export format a page may be asked in (but geojson, which has
    its own schema): one entry per media type, text or binary."""
    from sitrep.export import WRITERS

    content: dict[str, Any] = {}
    for spec in WRITERS.values():
        if spec.name == "geojson":
            continue
        schema = {"type": "string", "format": "binary"} if spec.binary else {"type": "string"}
        content[spec.media_type.split(";")[0].strip()] = {"schema": schema}
    return content
