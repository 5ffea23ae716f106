"""The dashboard and the event page in Debian's headless chromium, against a real server over the
sample corpus, on a 1366x768 laptop screen, with the internet cut off.

Every request that is not to the loopback server is aborted and recorded; the tests assert there
was none, which proves the pages need nothing from outside (no CDN, no tiles, no fonts). Each page
is saved as a screenshot in tests/browser/screenshots/ (not committed) for a person to look at.
Expected counts come from the API itself, so the tests follow the extraction as it changes.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from sitrep.web.app import ADMIN1_FILE, DEFAULT_BASEMAP_DIR

if TYPE_CHECKING:
    from server.sample_corpus import CorpusServer

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LAPTOP = {"width": 1366, "height": 768}


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
        assert self.errors == [], f"JavaScript errors: {self.errors}"


@pytest.fixture
def dash(browser: Browser, corpus_server: CorpusServer) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    yield OfflinePage(page)
    context.close()


def api(server: CorpusServer, path: str, **params: Any) -> dict[str, Any]:
    response = httpx.get(f"{server.url}{path}", params=params, timeout=20.0)
    assert response.status_code == 200, response.text
    return response.json()


def located_total(server: CorpusServer, **params: Any) -> int:
    """How many matching events have a point (what the map can show)."""
    total = 0
    cursor = None
    while True:
        query = {"format": "geojson", "limit": 1000, **params, **({"cursor": cursor} if cursor else {})}
        body = api(server, "/api/events", **query)
        total += len(body["features"])
        cursor = body["next_cursor"]
        if not cursor:
            return total


def wait_loaded(page: Page) -> None:
    page.wait_for_selector("body[data-loaded='events']", state="attached", timeout=30_000)


def open_dashboard(dash: OfflinePage, url: str) -> Page:
    page = dash.page
    page.goto(url)
    page.wait_for_selector("body[data-basemap='drawn']", state="attached", timeout=30_000)
    wait_loaded(page)
    return page


def events_on_map(page: Page) -> int:
    """Events the map shows: the counts of the cluster icons plus the single markers."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.sitrep-cluster')].reduce((n, c) => n + Number(c.dataset.count), 0)
                 + document.querySelectorAll('.leaflet-overlay-pane path.sitrep-marker').length"""
    )


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # let cluster and popup fades finish
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_the_map_shows_the_sample_events_offline(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    assert (DEFAULT_BASEMAP_DIR / ADMIN1_FILE).is_file(), (
        "the admin-1 basemap is not built: run `make assets` (npm run basemap in src/sitrep/web/static)"
    )
    total = api(corpus_server, "/api/events", limit=1)["total"]
    located = located_total(corpus_server)
    page = open_dashboard(dash, corpus_server.url + "/")
    # Natural Earth 1:50m countries, each an SVG path of the basemap pane; admin-1 borders loaded.
    assert page.locator("path.sitrep-country").count() > 200
    page.wait_for_selector("body[data-admin1='ready']", state="attached", timeout=30_000)
    assert page.evaluate("document.body.dataset.mapEvents") == str(located)
    assert events_on_map(page) == located
    assert page.locator(".sitrep-cluster").count() > 0, "nearby events are clustered"
    expect(page.locator("#status")).to_contain_text(f"{total} events match")
    expect(page.locator("#events tbody tr")).to_have_count(min(total, 100))
    expect(page.locator(".legend")).to_contain_text("ASSAULT (")
    # The timeline has bars, and no tile layer is asked for unless configured.
    assert page.locator("#timeline rect").count() > 10
    assert page.locator("img.leaflet-tile").count() == 0
    shoot(page, "dashboard")
    dash.assert_offline_and_clean()


def test_filter_by_type_and_dates(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = open_dashboard(dash, corpus_server.url + "/")
    page.get_by_label("Type", exact=True).select_option("ASSAULT")
    assaults = api(corpus_server, "/api/events", limit=1, type="ASSAULT")["total"]
    expect(page.locator("#status")).to_contain_text(f"{assaults} events match")
    wait_loaded(page)
    types = page.locator("#events tbody td.type").all_inner_texts()
    assert types and all(t.startswith("ASSAULT") for t in types)
    assert events_on_map(page) == located_total(corpus_server, type="ASSAULT")

    page.get_by_label("From", exact=True).fill("2016-01-01")
    page.get_by_label("To", exact=True).fill("2016-12-31")
    page.get_by_role("button", name="Apply").click()
    expected = api(corpus_server, "/api/events", limit=1, type="ASSAULT", date_from="2016-01-01", date_to="2016-12-31")
    expect(page.locator("#status")).to_contain_text(f"{expected['total']} events match")
    wait_loaded(page)
    dates = page.locator("#events tbody td.date").all_inner_texts()
    assert dates and all("2016" in d for d in dates)
    assert events_on_map(page) == located_total(
        corpus_server, type="ASSAULT", date_from="2016-01-01", date_to="2016-12-31"
    )
    expect(page.locator("#clear-range")).to_be_visible()  # the timeline shows the chosen range
    shoot(page, "filtered-assault-2016")

    page.get_by_role("button", name="Reset").click()
    total = api(corpus_server, "/api/events", limit=1)["total"]
    expect(page.locator("#status")).to_contain_text(f"{total} events match")
    dash.assert_offline_and_clean()


def test_the_default_view_is_occurrences_and_other_kinds_can_be_shown(
    dash: OfflinePage, corpus_server: CorpusServer
) -> None:
    page = open_dashboard(dash, corpus_server.url + "/")
    occurrences = api(corpus_server, "/api/events", limit=1)["total"]
    everything = api(corpus_server, "/api/events", limit=1, kind="all")["total"]
    background = api(corpus_server, "/api/events", limit=1, kind="background")["total"]
    assert everything > occurrences > 0 and background > 0, "the corpus must hold more than occurrences"
    expect(page.locator("#status")).to_contain_text(f"{occurrences} events match")
    wait_loaded(page)
    page.get_by_label("Kind", exact=True).select_option("background")
    expect(page.locator("#status")).to_contain_text(f"{background} events match")
    wait_loaded(page)
    page.get_by_label("Kind", exact=True).select_option("all")
    expect(page.locator("#status")).to_contain_text(f"{everything} events match")
    wait_loaded(page)
    assert events_on_map(page) == located_total(corpus_server, kind="all")
    dash.assert_offline_and_clean()


# Holds back the page's own requests that carry a From date but no To date (the load the From
# field's change starts before the To field is filled) so that their answers arrive last, after
# the newer load's: the order in which a busy server may answer them.
DELAY_HALF_RANGE = """(() => {
  const fetchNow = window.fetch.bind(window);
  window.fetch = (url, options) => {
    const query = new URL(String(url), location.href).searchParams;
    const late = query.has("date_from") && !query.has("date_to");
    if (!late) return fetchNow(url, options);
    window.__lateRequests = (window.__lateRequests || 0) + 1;
    return new Promise((done) => setTimeout(done, 1500)).then(() => fetchNow(url, options))
      .finally(() => { window.__lateAnswered = (window.__lateAnswered || 0) + 1; });
  };
})();"""


def test_a_superseded_answer_arriving_last_does_not_overwrite_the_newer_filter(
    dash: OfflinePage, corpus_server: CorpusServer
) -> None:
    """The cause of the 162-for-91 flake: an older load's table answer drawn over the newer one."""
    dash.page.add_init_script(DELAY_HALF_RANGE)
    page = open_dashboard(dash, corpus_server.url + "/")
    page.get_by_label("Type", exact=True).select_option("ASSAULT")
    wait_loaded(page)
    page.get_by_label("From", exact=True).fill("2016-01-01")
    page.get_by_label("To", exact=True).fill("2016-12-31")
    page.get_by_role("button", name="Apply").click()
    expected = api(corpus_server, "/api/events", limit=1, type="ASSAULT", date_from="2016-01-01", date_to="2016-12-31")
    half_open = api(corpus_server, "/api/events", limit=1, type="ASSAULT", date_from="2016-01-01")
    assert expected["total"] != half_open["total"], "the sample corpus no longer tells the two loads apart"
    expect(page.locator("#status")).to_contain_text(f"{expected['total']} events match")
    assert page.evaluate("window.__lateRequests || 0") > 0, "the From field's change started no load"
    # A function, not an expression string: the page's CSP (no 'unsafe-eval') refuses eval'd strings.
    page.wait_for_function(
        "() => (window.__lateAnswered || 0) >= window.__lateRequests", timeout=20_000
    )
    page.wait_for_timeout(300)  # let the late answers' handlers run
    expect(page.locator("#status")).to_contain_text(f"{expected['total']} events match")
    dates = page.locator("#events tbody td.date").all_inner_texts()
    assert dates and all("2016" in d for d in dates)
    assert events_on_map(page) == located_total(
        corpus_server, type="ASSAULT", date_from="2016-01-01", date_to="2016-12-31"
    )
    dash.assert_offline_and_clean()


def test_brushing_the_timeline_filters_the_map_and_table(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = open_dashboard(dash, corpus_server.url + "/")
    overlay = page.locator("#timeline .brush .overlay")
    box = overlay.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, y, steps=8)
    page.mouse.up()
    expect(page.locator("#f-from")).not_to_have_value("")
    wait_loaded(page)
    date_from = page.locator("#f-from").input_value()
    date_to = page.locator("#f-to").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_from) and date_from <= date_to
    expected = api(corpus_server, "/api/events", limit=1, date_from=date_from, date_to=date_to)["total"]
    everything = api(corpus_server, "/api/events", limit=1)["total"]
    assert 0 < expected < everything
    expect(page.locator("#status")).to_contain_text(f"{expected} events match")
    wait_loaded(page)
    assert events_on_map(page) == located_total(corpus_server, date_from=date_from, date_to=date_to)
    assert page.locator("#timeline .brush .selection").get_attribute("width") not in (None, "0")
    shoot(page, "brushed")

    page.get_by_role("button", name="Show all dates").click()
    expect(page.locator("#status")).to_contain_text(f"{everything} events match")
    expect(page.locator("#f-from")).to_have_value("")
    dash.assert_offline_and_clean()


def test_open_an_aleppo_event_and_read_its_highlighted_evidence(
    dash: OfflinePage, corpus_server: CorpusServer
) -> None:
    page = open_dashboard(dash, corpus_server.url + "/")
    page.get_by_label("Place", exact=True).fill("Aleppo")
    page.get_by_role("button", name="Apply").click()
    expected = api(corpus_server, "/api/events", limit=1, place="Aleppo")["total"]
    expect(page.locator("#status")).to_contain_text(f"{expected} events match")
    wait_loaded(page)
    link = page.locator("#events tbody td.evidence a", has_text="Aleppo").first
    evidence_text = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/events/[^/]+$"))
    page.wait_for_selector("body[data-loaded='event']", state="attached", timeout=30_000)
    event_id = page.url.rsplit("/", 1)[1]
    view = api(corpus_server, f"/api/events/{event_id}/evidence")
    record = view["event"]
    assert record["evidence"]["text"] == evidence_text

    mark = page.locator("#document mark.evidence")
    expect(mark.first).to_be_visible()
    highlighted = "".join(mark.all_text_contents())
    assert highlighted == record["evidence"]["text"]
    expect(page.locator("#event-title")).to_contain_text("Aleppo")
    # Every source: the reporting document first, then who claimed or denied it.
    sources = page.locator("#sources li")
    expect(sources).to_have_count(len(view["sources"]))
    expect(sources.first).to_contain_text("reported by")
    if record["source"]["title"]:
        expect(sources.first).to_contain_text(record["source"]["title"])
    # The other sentences about the event are marked in the text and listed beside it.
    expect(page.locator("#related li")).to_have_count(max(1, len(view["related"])))
    if view["related"]:
        assert page.locator("#document mark.related").count() >= len(view["related"])
    expect(page.locator("#facts")).to_contain_text(record["event_type"])
    shoot(page, "event-aleppo")
    dash.assert_offline_and_clean()


def test_the_dashboard_works_from_the_keyboard(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = open_dashboard(dash, corpus_server.url + "/?country=SYR")
    # The skip link comes first, then the filters; the table's buttons and links are in tab order.
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    button = page.locator("#events tbody tr.has-point button.focus").first
    row_id = button.locator("xpath=ancestor::tr").get_attribute("data-event-id")
    button.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    expect(popup.locator(".popup")).to_have_attribute("data-event-id", row_id or "")
    shoot(page, "keyboard-popup")
    link = page.locator("#events tbody td.evidence a").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-loaded='event']", state="attached", timeout=30_000)
    expect(page.locator("#document mark.evidence").first).to_be_visible()
    dash.assert_offline_and_clean()


def test_api_errors_are_shown_to_the_user(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = open_dashboard(dash, corpus_server.url + "/")
    page.get_by_label("Country", exact=True).fill("Atlantis")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("unknown country")
    assert dash.blocked == []


def test_an_unknown_event_page_says_so(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = dash.page
    page.goto(f"{corpus_server.url}/events/no-such-event")
    page.wait_for_selector("body[data-loaded='error']", state="attached", timeout=30_000)
    expect(page.get_by_role("alert")).to_contain_text("no event with id")
    assert dash.blocked == []


def test_tile_url_parameter_adds_a_tile_layer(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    # Tiles from the loopback server itself (they 404): proves the layer is requested, offline.
    tiles = f"{corpus_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    page = open_dashboard(dash, f"{corpus_server.url}/?tiles={tiles}")
    expect(page.locator("img.leaflet-tile").first).to_be_attached()
    assert dash.blocked == []


def test_api_docs_render_offline(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = dash.page
    page.goto(f"{corpus_server.url}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/events").first).to_be_visible(timeout=30_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/aggregates/events").first).to_be_visible()
    shoot(page, "api-docs")
    assert dash.blocked == []
