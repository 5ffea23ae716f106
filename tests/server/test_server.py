"""The HTTP API and dashboard assets, through a real uvicorn process over a real DuckDB store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from fastapi.testclient import TestClient

from sitrep.web.app import DEFAULT_VENDOR_DIR, create_app

if TYPE_CHECKING:
    from conftest import LiveServer, WebEvent

pytestmark = pytest.mark.server


def get(server: LiveServer, path: str, **params: object) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", params=params, timeout=10.0)


def keys(records: list[dict]) -> set[str]:
    """The web_events keys of the records: their place names, lower-cased."""
    return {r["location"]["name"].lower() for r in records}


def events(server: LiveServer, **params: object) -> dict:
    response = get(server, "/api/events", **params)
    assert response.status_code == 200, response.text
    return response.json()


# -- /api/events: filters ---------------------------------------------------------------------

def test_events_unfiltered_returns_every_record_with_paging_fields(
    live_server: LiveServer, web_events: tuple[WebEvent, ...]
) -> None:
    body = events(live_server)
    assert body["total"] == len(web_events)
    assert (body["limit"], body["offset"]) == (100, 0)
    assert keys(body["events"]) == {e.key for e in web_events}
    aleppo = next(r for r in body["events"] if r["location"]["name"] == "Aleppo")
    assert aleppo["event_type"] == "ASSAULT"
    assert aleppo["location"]["lat"] == pytest.approx(36.2021)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "ASSAULT"}, {"aleppo", "goma"}),
        ({"type": "assault"}, {"aleppo", "goma"}),
        ({"type": "ASSAULT,PROTEST"}, {"aleppo", "goma", "kyiv"}),
        ({"status": "denied"}, {"goma"}),
        ({"status": "claimed|planned"}, {"gaza", "syria"}),
        ({"country": "SYR"}, {"aleppo", "syria"}),
        ({"country": "Syria"}, {"aleppo", "syria"}),
        ({"place": "alep"}, {"aleppo"}),
        ({"actor": "united nations"}, {"gaza", "syria"}),
        ({"date_from": "2017-01-01", "date_to": "2023-12-31"}, {"mosul", "kyiv", "gaza"}),
        ({"date_from": "2024-03-05"}, {"goma"}),
        ({"q": "aid trucks"}, {"gaza"}),
        ({"type": "ASSAULT", "country": "COD"}, {"goma"}),
        ({"type": "AGREE"}, set()),
    ],
)
def test_events_filters(live_server: LiveServer, params: dict, expected: set[str]) -> None:
    body = events(live_server, **params)
    assert keys(body["events"]) == expected
    assert body["total"] == len(expected)


def test_events_repeated_type_parameter_means_either(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/api/events?type=AID&type=COERCE", timeout=10.0)
    assert keys(response.json()["events"]) == {"gaza", "mosul"}


def test_events_pagination_covers_every_record_once(
    live_server: LiveServer, web_events: tuple[WebEvent, ...]
) -> None:
    pages = [events(live_server, limit=4, offset=offset) for offset in (0, 4, 8)]
    assert [len(p["events"]) for p in pages] == [4, 2, 0]
    assert all(p["total"] == len(web_events) for p in pages)
    ids = [r["id"] for p in pages for r in p["events"]]
    assert len(ids) == len(set(ids)) == len(web_events)
    # Same order as one big page: paging is stable.
    assert ids == [r["id"] for r in events(live_server, limit=1000)["events"]]


# -- /api/events?format=geojson -----------------------------------------------------------------

def test_geojson_has_one_point_feature_per_located_event(
    live_server: LiveServer, web_events: tuple[WebEvent, ...]
) -> None:
    response = get(live_server, "/api/events", format="geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["total"] == len(web_events)  # a foreign member counts all matches, located or not
    assert len(body["features"]) == sum(e.lat is not None for e in web_events)
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
    coords = [f["geometry"]["coordinates"] for f in body["features"]]
    assert [37.1343, 36.2021] in coords  # GeoJSON order is lon, lat: Aleppo


def test_geojson_respects_filters_and_page(live_server: LiveServer, web_events: tuple[WebEvent, ...]) -> None:
    body = get(live_server, "/api/events", format="geojson", country="SYR").json()
    assert body["total"] == 2
    assert len(body["features"]) == 1  # the country-level talks have no point
    paged = get(live_server, "/api/events", format="geojson", limit=2, offset=0).json()
    assert paged["total"] == len(web_events)
    assert len(paged["features"]) <= 2


# -- /api/events: errors ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"type": "BOMBING"}, "type", "unknown event type"),
        ({"status": "rumoured"}, "status", "unknown status"),
        ({"date_from": "2016-13-01"}, "date_from", "YYYY-MM-DD"),
        ({"date_to": "yesterday"}, "date_to", "YYYY-MM-DD"),
        ({"date_from": "2020-02-01", "date_to": "2020-01-01"}, "date_from", "after"),
        ({"limit": 0}, "limit", "greater than or equal to 1"),
        ({"limit": 5000}, "limit", "less than or equal to 1000"),
        ({"limit": "ten"}, "limit", "integer"),
        ({"offset": -1}, "offset", "greater than or equal to 0"),
        ({"format": "xml"}, "format", "geojson"),
        ({"country": "Atlantis"}, "country", "unknown country"),
    ],
)
def test_events_invalid_parameters_are_422_naming_the_parameter(
    live_server: LiveServer, params: dict, parameter: str, words: str
) -> None:
    response = get(live_server, "/api/events", **params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert f"invalid parameter {parameter!r}" in body["detail"]
    assert words in body["detail"]
    assert [e["parameter"] for e in body["errors"]] == [parameter]


# -- single records and summary -----------------------------------------------------------------

def test_event_by_id_and_its_document(live_server: LiveServer) -> None:
    listed = events(live_server, place="Aleppo")["events"][0]
    response = get(live_server, f"/api/events/{listed['id']}")
    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k != "incident_id"} == listed  # one record adds its incident
    assert "incident_id" in body

    doc = get(live_server, f"/api/documents/{listed['doc_id']}")
    assert doc.status_code == 200
    body = doc.json()
    assert body["id"] == listed["doc_id"]
    assert listed["id"] in body["event_ids"]
    assert "Aleppo" in body["text"]


@pytest.mark.parametrize("path", ["/api/events/no-such-event", "/api/documents/0000000000000000"])
def test_missing_records_are_404_with_message(live_server: LiveServer, path: str) -> None:
    response = get(live_server, path)
    assert response.status_code == 404
    assert path.rsplit("/", 1)[1] in response.json()["detail"]


def test_summary_counts(live_server: LiveServer, web_events: tuple[WebEvent, ...]) -> None:
    body = get(live_server, "/api/summary").json()
    assert body["events"] == len(web_events)
    assert body["documents"] == len(web_events)
    assert body["by_type"]["ASSAULT"] == 2
    assert body["by_status"]["asserted"] == 3


def test_config_has_no_tile_url_by_default(live_server: LiveServer) -> None:
    body = get(live_server, "/api/config").json()
    assert body["tile_url"] is None
    assert "ASSAULT" in body["event_types"] and "planned" in body["statuses"]


def test_openapi_describes_the_events_endpoint(live_server: LiveServer) -> None:
    spec = get(live_server, "/openapi.json").json()
    assert "/api/events" in spec["paths"]
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"country", "place", "actor", "type", "status", "date_from", "date_to", "q", "limit",
            "offset", "format"} <= params
    assert "/api/events/{event_id}" in spec["paths"]


def test_docs_page_uses_the_vendored_swagger_ui(live_server: LiveServer) -> None:
    html = get(live_server, "/docs").text
    assert "/vendor/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not re.search(r"https?://", html), "the API docs page must not load anything from a CDN"
    assert get(live_server, "/vendor/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


# -- dashboard and assets -------------------------------------------------------------------------

def test_dashboard_page_is_served(live_server: LiveServer) -> None:
    response = get(live_server, "/")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert 'id="map"' in html and 'id="filters"' in html
    assert "/vendor/leaflet/dist/leaflet.js" in html
    assert "/vendor/topojson-client/dist/topojson-client.min.js" in html


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/static/style.css"])
def test_dashboard_references_nothing_off_the_server(live_server: LiveServer, path: str) -> None:
    """No CDN or other remote URL: the page must work with no internet."""
    text = get(live_server, path).text
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), path


def test_vendor_libraries_are_served(live_server: LiveServer) -> None:
    assert (DEFAULT_VENDOR_DIR / "leaflet").is_dir(), (
        f"front-end libraries missing from {DEFAULT_VENDOR_DIR}: run `make assets` "
        "(npm ci in src/sitrep/web/static)"
    )
    leaflet = get(live_server, "/vendor/leaflet/dist/leaflet.js")
    assert leaflet.status_code == 200
    assert "Leaflet" in leaflet.text[:500]
    assert get(live_server, "/vendor/leaflet/dist/leaflet.css").status_code == 200
    atlas = get(live_server, "/vendor/world-atlas/countries-50m.json")
    assert atlas.status_code == 200
    assert atlas.json()["type"] == "Topology"
    assert get(live_server, "/vendor/topojson-client/dist/topojson-client.min.js").status_code == 200


# -- in-process: states a running server cannot be put in -----------------------------------------

def test_dashboard_explains_missing_assets(web_db: Path, tmp_path: Path) -> None:
    with TestClient(create_app(web_db, vendor_dir=tmp_path / "node_modules")) as client:
        response = client.get("/")
        assert response.status_code == 503
        assert "make assets" in response.text
        assert client.get("/api/summary").status_code == 200  # the API does not need the assets


def test_missing_store_is_503_with_message(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "absent.duckdb")) as client:
        response = client.get("/api/events")
    assert response.status_code == 503
    assert "absent.duckdb" in response.json()["detail"]


def test_tile_url_setting_reaches_config(web_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    with TestClient(create_app(web_db)) as client:
        assert client.get("/api/config").json()["tile_url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
