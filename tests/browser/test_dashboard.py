"""The dashboard in Debian's headless chromium, against a real server, with the internet cut off.

Every request that is not to the loopback server is aborted and recorded; each test ends by
asserting there was none, which proves the page needs nothing from outside (no CDN, no tiles).
Screenshots go to tests/browser/screenshots/ (not committed) so a person can look at them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

if TYPE_CHECKING:
    from conftest import LiveServer, WebEvent

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OfflinePage:
    """A page whose non-loopback requests are aborted and remembered, with its JS errors."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.blocked: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._route)
        page.on("pageerror", lambda err: self.errors.append(str(err)))
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)

    def _route(self, route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def assert_offline_and_clean(self) -> None:
        assert self.blocked == [], f"the page tried to reach the internet: {self.blocked}"
        # A 404 for a missing tile is a console error too; only tests without tiles call this.
        assert self.errors == [], f"JavaScript errors: {self.errors}"


@pytest.fixture
def dash(browser: Browser, live_server: LiveServer) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    offline = OfflinePage(page)
    yield offline
    context.close()


def open_dashboard(dash: OfflinePage, url: str) -> Page:
    page = dash.page
    page.goto(url)
    page.wait_for_selector("body[data-basemap='drawn']", timeout=30_000)
    page.wait_for_selector("body[data-loaded='events']", timeout=30_000)
    return page


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_map_draws_countries_and_one_marker_per_located_event(
    dash: OfflinePage, live_server: LiveServer, web_events: tuple[WebEvent, ...]
) -> None:
    page = open_dashboard(dash, live_server.url + "/")
    # Natural Earth 1:50m has ~240 countries; each is an SVG path in the basemap pane.
    assert page.locator("path.sitrep-country").count() > 200
    located = [e for e in web_events if e.lat is not None]
    expect(page.locator("path.sitrep-marker")).to_have_count(len(located))
    expect(page.locator("#events tbody tr")).to_have_count(len(web_events))
    expect(page.locator("#status")).to_contain_text(f"{len(web_events)} events match")
    expect(page.locator(".legend")).to_contain_text("ASSAULT (2)")
    # No tile layer unless one is asked for.
    assert page.locator("img.leaflet-tile").count() == 0
    shoot(page, "dashboard")
    dash.assert_offline_and_clean()


def test_type_filter_redraws_markers_and_table(dash: OfflinePage, live_server: LiveServer) -> None:
    page = open_dashboard(dash, live_server.url + "/")
    page.get_by_label("Type", exact=True).select_option("ASSAULT")
    expect(page.locator("#events tbody tr")).to_have_count(2)
    expect(page.locator("path.sitrep-marker")).to_have_count(2)
    assert page.locator("path.sitrep-marker.type-ASSAULT").count() == 2
    places = page.locator("#events tbody tr td:nth-child(4)").all_inner_texts()
    assert sorted(p.split(",")[0] for p in places) == ["Aleppo", "Goma"]
    expect(page.locator("#status")).to_contain_text("2 events match")
    shoot(page, "filtered-assault")

    page.get_by_label("Type", exact=True).select_option("")
    page.get_by_label("Place", exact=True).fill("Kyiv")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#events tbody tr")).to_have_count(1)
    expect(page.locator("path.sitrep-marker")).to_have_count(1)
    expect(page.locator("#events tbody tr")).to_contain_text("PROTEST")

    page.get_by_role("button", name="Reset").click()
    expect(page.locator("#events tbody tr")).to_have_count(6)
    dash.assert_offline_and_clean()


def test_date_and_status_filters(dash: OfflinePage, live_server: LiveServer) -> None:
    page = open_dashboard(dash, live_server.url + "/")
    page.get_by_label("From", exact=True).fill("2017-01-01")
    page.get_by_label("To", exact=True).fill("2023-12-31")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#events tbody tr")).to_have_count(3)
    page.get_by_label("Status", exact=True).select_option("claimed")
    expect(page.locator("#events tbody tr")).to_have_count(1)
    expect(page.locator("#events tbody tr")).to_contain_text("Gaza")
    dash.assert_offline_and_clean()


def test_clicking_a_row_opens_its_popup_with_the_evidence(
    dash: OfflinePage, live_server: LiveServer, web_events: tuple[WebEvent, ...]
) -> None:
    aleppo = next(e for e in web_events if e.key == "aleppo")
    page = open_dashboard(dash, live_server.url + "/")
    row = page.locator("#events tbody tr", has_text="Aleppo")
    row.locator("td").last.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text(aleppo.text)
    for text in ("ASSAULT", "2016-02-03", "asserted", "Aleppo", aleppo.actor):
        expect(popup).to_contain_text(text)
    expect(row).to_have_class(re.compile(r"\bselected\b"))
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # fade-in done
    shoot(page, "popup-aleppo")
    dash.assert_offline_and_clean()


def test_rows_can_be_focused_from_the_keyboard(
    dash: OfflinePage, live_server: LiveServer, web_events: tuple[WebEvent, ...]
) -> None:
    goma = next(e for e in web_events if e.key == "goma")
    page = open_dashboard(dash, live_server.url + "/")
    button = page.locator("#events tbody tr", has_text="Goma").get_by_role("button")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content")).to_contain_text(goma.text)
    dash.assert_offline_and_clean()


def test_api_errors_are_shown_to_the_user(dash: OfflinePage, live_server: LiveServer) -> None:
    page = open_dashboard(dash, live_server.url + "/")
    page.get_by_label("Country", exact=True).fill("Atlantis")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("unknown country")
    assert dash.blocked == []


def test_tile_url_parameter_adds_a_tile_layer(dash: OfflinePage, live_server: LiveServer) -> None:
    # Tiles from the loopback server itself (they 404): proves the layer is requested, offline.
    tiles = f"{live_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    page = open_dashboard(dash, f"{live_server.url}/?tiles={tiles}")
    expect(page.locator("img.leaflet-tile").first).to_be_attached()
    assert dash.blocked == []


def test_api_docs_render_offline(dash: OfflinePage, live_server: LiveServer) -> None:
    page = dash.page
    page.goto(f"{live_server.url}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/events").first).to_be_visible(timeout=30_000)
    shoot(page, "api-docs")
    assert dash.blocked == []
