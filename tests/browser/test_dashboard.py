"""The dashboard, the event page and the incident page in Debian's headless chromium, against a real
server over the sample corpus, on a 1366x768 laptop screen, with the internet cut off.

Every request that is not to the loopback server is aborted and recorded; the tests assert there
was none, which proves the pages need nothing from outside (no CDN, no tiles, no fonts). Each page
is saved as a screenshot in tests/browser/screenshots/ (not committed) for a person to look at.
Expected counts come from the API itself, so the tests follow the extraction as it changes.

The dashboard counts incidents by default (each real-world event once, from /api/incidents); its
"Count" switch, or `?count=mentions` in the address, shows every event mention instead. Tests wait
on concrete conditions (an attribute the page sets when a load is drawn, a text), never on time.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import duckdb
import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

from server.sample_corpus import running_server
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


LISTS = {"incidents": "/api/incidents", "mentions": "/api/events"}
WORDS = {"incidents": "incidents", "mentions": "events"}


def total_of(server: CorpusServer, unit: str = "incidents", **params: Any) -> int:
    return api(server, LISTS[unit], limit=1, **params)["total"]


def located_total(server: CorpusServer, unit: str = "mentions", **params: Any) -> int:
    """How many matching records (event mentions, or incidents) have a point (what the map can show)."""
    total = 0
    cursor = None
    while True:
        query = {"format": "geojson", "limit": 1000, **params, **({"cursor": cursor} if cursor else {})}
        body = api(server, LISTS[unit], **query)
        total += len(body["features"])
        cursor = body["next_cursor"]
        if not cursor:
            return total


def wait_loaded(page: Page, unit: str | None = None) -> None:
    """Until the page's newest load is drawn (of `unit`, when given)."""
    selector = f"body[data-loaded='{unit}']" if unit else "body[data-loaded='incidents'], body[data-loaded='mentions']"
    page.wait_for_selector(selector, state="attached", timeout=30_000)


def open_dashboard(dash: OfflinePage, url: str) -> Page:
    page = dash.page
    page.goto(url)
    page.wait_for_selector("body[data-basemap='drawn']", state="attached", timeout=30_000)
    wait_loaded(page)
    return page


def expect_count(page: Page, total: int, unit: str = "incidents") -> None:
    """The status line starts with the count (anchored, so 37 is not found inside 137)."""
    word = WORDS[unit] if total != 1 else WORDS[unit][:-1]
    expect(page.locator("#status")).to_have_text(re.compile(rf"^{total:,} {word} match\b"))


def events_on_map(page: Page) -> int:
    """Records (incidents or mentions) the map shows: the cluster icons' counts plus single markers."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.sitrep-cluster')].reduce((n, c) => n + Number(c.dataset.count), 0)
                 + document.querySelectorAll('.leaflet-overlay-pane path.sitrep-marker').length"""
    )


def refuse_wrong_key(page: Page, secret: str) -> Locator:
    """Type a key one character set off the real one into the login form and check that it is
    refused with the page's message; returns the key field for the real key."""
    key = page.get_by_label("API key", exact=True)
    key.fill(secret[:-3] + "abc")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#login-error")).to_contain_text("That key was not accepted")
    expect(page.locator("body")).to_have_attribute("data-login", "refused")
    return key


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    # Until cluster and popup fades (CSS transitions) have finished.
    page.wait_for_function("() => document.getAnimations().length === 0", timeout=10_000)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_the_map_shows_the_sample_events_offline(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    assert (DEFAULT_BASEMAP_DIR / ADMIN1_FILE).is_file(), (
        "the admin-1 basemap is not built: run `make assets` (npm run basemap in src/sitrep/web/static)"
    )
    total = total_of(corpus_server, "incidents")
    located = located_total(corpus_server, "incidents")
    page = open_dashboard(dash, corpus_server.url + "/")
    wait_loaded(page, "incidents")  # incidents by default
    # Natural Earth 1:50m countries, each an SVG path of the basemap pane; admin-1 borders loaded.
    assert page.locator("path.sitrep-country").count() > 200
    page.wait_for_selector("body[data-admin1='ready']", state="attached", timeout=30_000)
    assert page.evaluate("document.body.dataset.mapEvents") == str(located)
    assert events_on_map(page) == located
    assert page.locator(".sitrep-cluster").count() > 0, "nearby events are clustered"
    expect_count(page, total, "incidents")
    expect(page.locator("#table-heading")).to_have_text("Incidents")
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
    expect_count(page, total_of(corpus_server, type="ASSAULT"))
    wait_loaded(page, "incidents")
    types = page.locator("#events tbody td.type").all_inner_texts()
    assert types and all(t.startswith("ASSAULT") for t in types)
    assert events_on_map(page) == located_total(corpus_server, "incidents", type="ASSAULT")

    page.get_by_label("From", exact=True).fill("2016-01-01")
    page.get_by_label("To", exact=True).fill("2016-12-31")
    page.get_by_role("button", name="Apply").click()
    window = {"type": "ASSAULT", "date_from": "2016-01-01", "date_to": "2016-12-31"}
    expect_count(page, total_of(corpus_server, **window))
    wait_loaded(page, "incidents")
    dates = page.locator("#events tbody td.date").all_inner_texts()
    assert dates and all("2016" in d for d in dates)
    assert events_on_map(page) == located_total(corpus_server, "incidents", **window)
    expect(page.locator("#clear-range")).to_be_visible()  # the timeline shows the chosen range
    shoot(page, "filtered-assault-2016")

    # The same filters, counting mentions: the switch keeps them.
    page.get_by_label("mentions", exact=True).check()
    expect_count(page, total_of(corpus_server, "mentions", **window), "mentions")
    wait_loaded(page, "mentions")
    assert events_on_map(page) == located_total(corpus_server, "mentions", **window)

    page.get_by_role("button", name="Reset").click()  # clears the filters, keeps the count
    expect_count(page, total_of(corpus_server, "mentions"), "mentions")
    expect(page.get_by_label("mentions", exact=True)).to_be_checked()
    dash.assert_offline_and_clean()


def test_the_default_view_is_occurrences_and_other_kinds_can_be_shown(
    dash: OfflinePage, corpus_server: CorpusServer
) -> None:
    page = open_dashboard(dash, corpus_server.url + "/")
    # Incidents are made of occurrences only: under the incident count, there is no Kind to choose.
    expect(page.get_by_label("Kind", exact=True)).to_be_disabled()
    page.get_by_label("mentions", exact=True).check()
    occurrences = total_of(corpus_server, "mentions")
    everything = total_of(corpus_server, "mentions", kind="all")
    background = total_of(corpus_server, "mentions", kind="background")
    assert everything > occurrences > 0 and background > 0, "the corpus must hold more than occurrences"
    expect_count(page, occurrences, "mentions")
    wait_loaded(page, "mentions")
    expect(page.get_by_label("Kind", exact=True)).to_be_enabled()
    page.get_by_label("Kind", exact=True).select_option("background")
    expect_count(page, background, "mentions")
    wait_loaded(page, "mentions")
    page.get_by_label("Kind", exact=True).select_option("all")
    expect_count(page, everything, "mentions")
    wait_loaded(page, "mentions")
    assert events_on_map(page) == located_total(corpus_server, kind="all")
    dash.assert_offline_and_clean()


def test_a_kind_in_the_address_counts_mentions(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = open_dashboard(dash, corpus_server.url + "/?kind=background")
    expect_count(page, total_of(corpus_server, "mentions", kind="background"), "mentions")
    expect(page.get_by_label("mentions", exact=True)).to_be_checked()
    assert dash.blocked == []


# Holds back the page's own requests that carry a From date but no To date (the load the From
# field's change starts before the To field is filled) so that their answers arrive last, after
# the newer load's: the order in which a busy server may answer them.
DELAY_HALF_RANGE = """(() => {
  const fetchNow = window.fetch.bind(window);
  window.fetch = (url, options) => {
    const query = new URL(String(url), location.href).searchParams;
    const late = query.has("date_from") && !query.has("date_to");
    if (!late) return fetchNow(url, options);
    (window.__lateUrls = window.__lateUrls || []).push(String(url));
    return new Promise((done) => setTimeout(done, 1500)).then(() => fetchNow(url, options));
  };
})();"""


def test_a_superseded_answer_arriving_last_does_not_overwrite_the_newer_filter(
    dash: OfflinePage, corpus_server: CorpusServer
) -> None:
    """The cause of the 162-for-91 flake: an older load's table answer drawn over the newer one."""
    dash.page.add_init_script(DELAY_HALF_RANGE)
    page = open_dashboard(dash, corpus_server.url + "/")
    page.get_by_label("Type", exact=True).select_option("ASSAULT")
    expect_count(page, total_of(corpus_server, type="ASSAULT"))
    wait_loaded(page)
    page.get_by_label("From", exact=True).fill("2016-01-01")
    page.get_by_label("To", exact=True).fill("2016-12-31")
    page.get_by_role("button", name="Apply").click()
    expected = total_of(corpus_server, type="ASSAULT", date_from="2016-01-01", date_to="2016-12-31")
    half_open = total_of(corpus_server, type="ASSAULT", date_from="2016-01-01")
    assert expected != half_open, "the sample corpus no longer tells the two loads apart"
    expect_count(page, expected)
    assert page.evaluate("(window.__lateUrls || []).length") > 0, "the From field's change started no load"
    # Until the page has read every late answer and dropped it (a function, not an expression
    # string: the page's CSP, without 'unsafe-eval', refuses eval'd strings).
    page.wait_for_function(
        "() => window.__lateUrls.every((url) => (window.sitrepDropped || []).includes(url))", timeout=20_000
    )
    expect_count(page, expected)
    dates = page.locator("#events tbody td.date").all_inner_texts()
    assert dates and all("2016" in d for d in dates)
    assert events_on_map(page) == located_total(
        corpus_server, "incidents", type="ASSAULT", date_from="2016-01-01", date_to="2016-12-31"
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
    expected = total_of(corpus_server, date_from=date_from, date_to=date_to)
    everything = total_of(corpus_server)
    assert 0 < expected < everything
    expect_count(page, expected)
    wait_loaded(page)
    assert events_on_map(page) == located_total(corpus_server, "incidents", date_from=date_from, date_to=date_to)
    assert page.locator("#timeline .brush .selection").get_attribute("width") not in (None, "0")
    shoot(page, "brushed")

    page.get_by_role("button", name="Show all dates").click()
    expect_count(page, everything)
    expect(page.locator("#f-from")).to_have_value("")
    dash.assert_offline_and_clean()


def test_open_an_aleppo_event_and_read_its_highlighted_evidence(
    dash: OfflinePage, corpus_server: CorpusServer
) -> None:
    page = open_dashboard(dash, corpus_server.url + "/?count=mentions")
    page.get_by_label("Place", exact=True).fill("Aleppo")
    page.get_by_role("button", name="Apply").click()
    expect_count(page, total_of(corpus_server, "mentions", place="Aleppo"), "mentions")
    wait_loaded(page, "mentions")
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

    # The event page links the incident the event is one report of; its page lists this event.
    incident_id = record["incident_id"]
    assert incident_id, "an occurrence of the table is one report of an incident"
    incident_link = page.locator("#incident-link")
    expect(incident_link).to_have_attribute("href", f"/incidents/{incident_id}")
    incident_link.click()
    page.wait_for_url(re.compile(rf"/incidents/{re.escape(incident_id)}$"))
    page.wait_for_selector("body[data-loaded='incident']", state="attached", timeout=30_000)
    incident = api(corpus_server, f"/api/incidents/{incident_id}")
    assert event_id in incident["members"]
    expect(page.locator(f"a[href='/events/{event_id}']").first).to_be_visible()
    dash.assert_offline_and_clean()


def test_the_dashboard_works_from_the_keyboard(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = open_dashboard(dash, corpus_server.url + "/?country=SYR")
    # The skip link comes first, then the filters; the table's buttons and links are in tab order.
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    button = page.locator("#events tbody tr.has-point button.focus").first
    row_id = button.locator("xpath=ancestor::tr").get_attribute("data-incident-id")
    assert row_id, "the default table lists incidents"
    button.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    expect(popup.locator(".popup")).to_have_attribute("data-incident-id", row_id)
    expect(popup).to_contain_text("Open the incident page")
    shoot(page, "keyboard-popup")
    link = page.locator("#events tbody td.evidence a").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-loaded='incident']", state="attached", timeout=30_000)
    expect(page.locator("#source-columns .source-column").first).to_be_visible()
    dash.assert_offline_and_clean()


def test_api_errors_are_shown_to_the_user(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = open_dashboard(dash, corpus_server.url + "/")
    page.get_by_label("Country", exact=True).fill("Atlantis")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("unknown country")
    assert dash.blocked == []


def test_an_event_of_no_incident_has_no_incident_link(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    listed = api(corpus_server, "/api/events", kind="background", limit=1)["events"]
    assert listed, "the sample corpus has no background event"
    record = api(corpus_server, f"/api/events/{listed[0]['id']}")
    assert record["incident_id"] is None  # incidents are made of occurrences only
    page = dash.page
    page.goto(f"{corpus_server.url}/events/{record['id']}")
    page.wait_for_selector("body[data-loaded='event']", state="attached", timeout=30_000)
    expect(page.locator("#event-title")).to_be_visible()
    expect(page.locator("#incident-link")).to_have_count(0)
    dash.assert_offline_and_clean()


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
    expect(page.locator(".opblock-summary-path", has_text="/api/incidents/{incident_id}").first).to_be_visible()
    page.get_by_role("button", name="Authorize").first.click()  # the key schemes of web/auth.py
    authorize = page.locator(".modal-ux")
    for scheme in ("bearer", "apiKeyHeader", "loginCookie"):
        expect(authorize).to_contain_text(scheme)
    shoot(page, "api-docs")
    assert dash.blocked == []


# -- incidents: the count switch and the incident page ---------------------------------------------

def test_the_count_switch_shows_incidents_or_mentions_on_map_timeline_and_table(
    dash: OfflinePage, corpus_server: CorpusServer
) -> None:
    incidents = total_of(corpus_server, "incidents")
    mentions = total_of(corpus_server, "mentions")
    assert 0 < incidents < mentions, "the sample corpus must merge some reports into incidents"
    page = open_dashboard(dash, corpus_server.url + "/")
    wait_loaded(page, "incidents")
    switch = page.get_by_role("radiogroup", name="Count")
    expect(switch).to_be_visible()
    expect(page.get_by_label("incidents", exact=True)).to_be_checked()
    expect_count(page, incidents, "incidents")
    assert events_on_map(page) == located_total(corpus_server, "incidents")
    # The timeline counts what the switch says: its bars add up to the dated records of that unit.
    by_day = api(corpus_server, "/api/aggregates/events", by="day", figures="false")
    assert by_day["unit"] == "incidents"
    expect(page.locator("#timeline-heading")).to_have_text("Incidents over time")
    rows = page.locator("#events tbody tr")
    expect(rows.first).to_have_attribute("data-incident-id", re.compile(r"^inc-"))
    expect(page.locator("#events tbody td.evidence .n-sources").first).to_contain_text("source")
    expect(page.locator("#sort-confidence")).to_be_disabled()
    # The menus are the API's vocabulary: every sort with its meaning, and contested for incidents only.
    config = api(corpus_server, "/api/config")
    sorts = page.locator("#sort option")
    assert sorts.evaluate_all("os => os.map(o => [o.value, o.textContent])") == \
        [list(item) for item in config["sort_labels"].items()]
    contested = page.locator("#f-status option[value='contested']")
    expect(contested).to_be_enabled()
    shoot(page, "count-incidents")

    page.get_by_label("mentions", exact=True).check()
    wait_loaded(page, "mentions")
    expect_count(page, mentions, "mentions")
    expect(page.locator("#table-heading")).to_have_text("Events")
    expect(page.locator("#timeline-heading")).to_have_text("Events over time")
    expect(rows.first).to_have_attribute("data-event-id", re.compile(r"."))
    assert events_on_map(page) == located_total(corpus_server, "mentions")
    expect(page.locator("#sort-confidence")).to_be_enabled()
    expect(contested).to_be_disabled()
    shoot(page, "count-mentions")

    page.get_by_label("incidents", exact=True).check()
    wait_loaded(page, "incidents")
    expect_count(page, incidents, "incidents")
    assert events_on_map(page) == located_total(corpus_server, "incidents")
    dash.assert_offline_and_clean()


def incident_with_figure_disagreement(server: CorpusServer) -> dict[str, Any]:
    """A multi-source incident whose reports give different figures (full view, from the API)."""
    listed = api(server, "/api/incidents", limit=1000)["incidents"]
    for record in sorted((i for i in listed if i["n_sources"] > 1), key=lambda i: i["id"]):
        view = api(server, f"/api/incidents/{record['id']}")
        if any(d["group"] == "figures" for d in view["disagreements"]):
            return view
    raise AssertionError("the sample corpus has no incident whose sources disagree on a figure")


def open_incident(dash: OfflinePage, url: str) -> Page:
    page = dash.page
    page.goto(url)
    page.wait_for_selector("body[data-loaded='incident']", state="attached", timeout=30_000)
    return page


def test_the_incident_page_shows_every_source_side_by_side_and_their_disagreements(
    dash: OfflinePage, corpus_server: CorpusServer
) -> None:
    view = incident_with_figure_disagreement(corpus_server)
    page = open_incident(dash, f"{corpus_server.url}/incidents/{view['id']}")
    expect(page.locator("#incident-title")).to_contain_text(view["event_type"].lower())
    expect(page.locator("#incident-summary")).to_contain_text(f"Reported by {view['n_sources']} sources")

    # One column per source, side by side: the same top, left to right.
    columns = page.locator("#source-columns .source-column")
    expect(columns).to_have_count(view["n_sources"])
    boxes = [columns.nth(i).bounding_box() for i in range(view["n_sources"])]
    assert all(b is not None for b in boxes)
    assert len({round(b["y"]) for b in boxes if b}) == 1, "the sources are not side by side"
    lefts = [b["x"] for b in boxes if b]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)
    for i, source in enumerate(view["sources"]):
        column = columns.nth(i)
        expect(column).to_have_attribute("data-doc-id", source["doc_id"])
        if source["outlet"]:
            expect(column.locator("h3.outlet")).to_have_text(source["outlet"])
        if source["published"]:
            expect(column.locator(".published")).to_contain_text(source["published"])
        if source["url"]:
            expect(column.locator(".title a")).to_have_attribute("href", source["url"])
            expect(column.locator(".title a")).to_have_text(source["title"] or "(untitled document)")
        quotes = column.locator(".report .evidence q")
        expect(quotes).to_have_count(len(source["evidence"]))
        for j, evidence in enumerate(source["evidence"]):
            expect(quotes.nth(j)).to_have_text(evidence["text"])

    # The figure the reports disagree on is listed with each value, and highlighted in each report.
    figure = next(d for d in view["disagreements"] if d["group"] == "figures")
    item = page.locator(f"#disagreements li.disagreement[data-field='{figure['field']}']")
    expect(item).to_be_visible()
    for value in figure["values"]:
        expect(item.locator("mark.disagree", has_text=value["label"])).to_have_count(1)
        for event_id in value["event_ids"]:
            cell = page.locator(f".report[data-event-id='{event_id}'] dd.differs[data-field='{figure['field']}']")
            expect(cell).to_be_visible()
            expect(cell.locator("mark.disagree")).to_be_visible()
    expect(page.locator(f"#figures tr.disagree[data-kind='{figure['field']}']")).to_have_count(1)
    expect(page.locator("#disagreements li.disagreement")).to_have_count(len(view["disagreements"]))

    # Every member report links its evidence page.
    members = page.locator("#members li a")
    expect(members).to_have_count(len(view["members"]))
    hrefs = [members.nth(i).get_attribute("href") for i in range(len(view["members"]))]
    assert hrefs == [f"/events/{m}" for m in view["members"]]
    shoot(page, "incident")

    first = view["members"][0]
    page.locator(f".report[data-event-id='{first}'] a", has_text="Evidence in the article").click()
    page.wait_for_url(re.compile(r"/events/[^/]+$"))
    page.wait_for_selector("body[data-loaded='event']", state="attached", timeout=30_000)
    assert page.url.endswith(f"/events/{first}")
    expect(page.locator("#document mark.evidence").first).to_be_visible()
    dash.assert_offline_and_clean()


def test_the_dashboard_leads_to_an_incident_page(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    view = incident_with_figure_disagreement(corpus_server)
    page = open_dashboard(dash, corpus_server.url + "/")
    place = (view["location"] or {}).get("name")
    assert place
    page.get_by_label("Place", exact=True).fill(place)
    page.get_by_role("button", name="Apply").click()
    expect_count(page, total_of(corpus_server, place=place))
    wait_loaded(page, "incidents")
    page.locator(f"#events tbody tr[data-incident-id='{view['id']}'] td.evidence a").click()
    page.wait_for_url(re.compile(r"/incidents/[^/]+$"))
    page.wait_for_selector("body[data-loaded='incident']", state="attached", timeout=30_000)
    expect(page.locator("#source-columns .source-column")).to_have_count(view["n_sources"])
    dash.assert_offline_and_clean()


def test_an_alias_opens_the_surviving_incident_and_says_so(
    dash: OfflinePage, corpus_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "aliased.duckdb"
    shutil.copyfile(corpus_db, db)
    con = duckdb.connect(str(db))
    try:
        survivor = con.execute("SELECT id FROM incidents WHERE n_sources > 1 ORDER BY id LIMIT 1").fetchone()
        assert survivor, "the sample corpus has no incident reported by several documents"
        con.execute("INSERT INTO incident_aliases VALUES (?, ?)", ["inc-merged-away-0001", survivor[0]])
    finally:
        con.close()
    with running_server(db) as server:
        page = open_incident(dash, f"{server.url}/incidents/inc-merged-away-0001")
        expect(page.locator("#merged-note")).to_contain_text("inc-merged-away-0001")
        expect(page.locator("#facts")).to_contain_text(survivor[0])
        assert page.url == f"{server.url}/incidents/{survivor[0]}"  # the address names the survivor
        dash.assert_offline_and_clean()


def test_an_unknown_incident_page_says_so(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = dash.page
    page.goto(f"{corpus_server.url}/incidents/inc-no-such-incident")
    page.wait_for_selector("body[data-loaded='error']", state="attached", timeout=30_000)
    expect(page.get_by_role("alert")).to_contain_text("no incident with id")
    assert dash.blocked == []


# -- the map's first view, the legend, figures ---------------------------------------------------

def located_points(server: CorpusServer, unit: str = "incidents", **params: Any) -> list[tuple[float, float]]:
    """(lat, lon) of every matching record with a point."""
    points: list[tuple[float, float]] = []
    cursor = None
    while True:
        query = {"format": "geojson", "limit": 1000, **params, **({"cursor": cursor} if cursor else {})}
        body = api(server, LISTS[unit], **query)
        points += [(f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]) for f in body["features"]]
        cursor = body["next_cursor"]
        if not cursor:
            return points


def map_view(page: Page) -> dict[str, Any]:
    """The view the dashboard reports once loaded: bounds, zoom, the zoom showing the whole world."""
    data = page.evaluate("() => ({ ...document.body.dataset })")
    (south, west), (north, east) = json.loads(data["mapBounds"])
    return {"south": south, "west": west, "north": north, "east": east, "zoom": float(data["mapZoom"]),
            "world_zoom": float(data["mapWorldZoom"]), "outside": int(data["mapOutside"])}


def inside(view: dict[str, Any], points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(lat, lon) for lat, lon in points
            if view["south"] <= lat <= view["north"] and view["west"] <= lon <= view["east"]]


def test_the_map_opens_fitted_to_the_data(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    points = located_points(corpus_server, "incidents")
    page = open_dashboard(dash, corpus_server.url + "/")
    wait_loaded(page, "incidents")
    view = map_view(page)
    seen = inside(view, points)
    # Closer than the whole world, yet holding the bulk of the incidents; the rest are counted.
    assert view["zoom"] >= view["world_zoom"] + 1, view
    assert len(seen) >= 0.9 * len(points), (len(seen), len(points), view)
    assert view["outside"] == len(points) - len(seen)
    if view["outside"]:
        expect(page.locator("#status")).to_contain_text(f"{view['outside']} outside this view")
    assert events_on_map(page) == len(points)  # the ones outside the view are still drawn

    # A filter refits: one country's incidents all in view, at a country's zoom.
    syria = located_points(corpus_server, "incidents", country="SYR")
    assert len(syria) >= 10, "the sample corpus has too few located incidents in Syria"
    page = open_dashboard(dash, corpus_server.url + "/?country=SYR")
    wait_loaded(page, "incidents")
    view = map_view(page)
    assert inside(view, syria) == syria, view
    assert view["zoom"] >= 5, view
    assert view["outside"] == 0
    dash.assert_offline_and_clean()


def test_the_legend_says_what_it_counts(dash: OfflinePage, corpus_server: CorpusServer) -> None:
    page = open_dashboard(dash, corpus_server.url + "/")
    wait_loaded(page, "incidents")
    legend = page.locator(".legend")
    expect(legend.locator("h2")).to_have_text("Incidents by event type")
    expect(legend).to_contain_text("One circle per incident")
    expect(legend.locator(".legend-filters")).to_have_text("Filters: none (occurrences only, every date).")
    expect(legend).to_contain_text("Size: killed plus injured")
    legend.locator("summary").click()
    located, total = located_total(corpus_server, "incidents"), total_of(corpus_server, "incidents")
    expect(legend.locator(".legend-located")).to_contain_text(f"{located} of {total} matching incidents have a point")
    expect(legend.locator(".size-key-long")).to_be_visible()
    expect(legend.locator(".size-key-long")).to_contain_text("reconciled best estimates")

    page.get_by_label("Type", exact=True).select_option("ASSAULT")
    expect_count(page, total_of(corpus_server, type="ASSAULT"))
    wait_loaded(page, "incidents")
    expect(legend.locator(".legend-filters")).to_have_text("Filters: type ASSAULT, occurrences only.")
    page.get_by_label("mentions", exact=True).check()
    wait_loaded(page, "mentions")
    expect(legend.locator("h2")).to_have_text("Event mentions by event type")
    expect(legend).to_contain_text("One circle per event mention")
    dash.assert_offline_and_clean()


def figure_text(figure: dict[str, Any] | None) -> str:
    """A figure as the pages write it (common.js figureText)."""
    if not figure:
        return ""
    low, best, high = figure.get("low"), figure.get("best"), figure.get("high")
    if low is not None and high is not None and low != high:
        return f"{low}–{high}"
    if high is None and low is not None:
        return f"at least {low}"
    if low is None and high is not None:
        return f"up to {high}"
    return "" if best is None else str(best)


@pytest.mark.parametrize("unit", ["incidents", "mentions"])
def test_the_killed_column_shows_the_figures(dash: OfflinePage, corpus_server: CorpusServer, unit: str) -> None:
    member = {"incidents": "incidents", "mentions": "events"}[unit]
    top = api(corpus_server, LISTS[unit], sort="-killed", limit=5)[member]
    assert top and top[0]["figures"]["killed"], "the sample corpus has no record with a killed figure"
    page = open_dashboard(dash, corpus_server.url + f"/?count={unit}")
    wait_loaded(page, unit)
    page.locator("#sort").select_option("-killed")
    first = page.locator("#events tbody tr").first
    expect(first).to_have_attribute("data-id", top[0]["id"])
    for record in top:
        cell = page.locator(f"#events tbody tr[data-id='{record['id']}'] td.num")
        expect(cell).to_have_text(figure_text(record["figures"]["killed"]))
    expect(first.locator("td.num")).not_to_have_text("")
    dash.assert_offline_and_clean()


def test_the_event_page_shows_the_figures_of_an_event_that_has_them(
    dash: OfflinePage, corpus_server: CorpusServer
) -> None:
    record = api(corpus_server, "/api/events", sort="-killed", limit=1)["events"][0]
    view = api(corpus_server, f"/api/events/{record['id']}/evidence")
    assert view["figures"], "the top-killed event has no figures in its evidence view"
    page = dash.page
    page.goto(f"{corpus_server.url}/events/{record['id']}")
    page.wait_for_selector("body[data-loaded='event']", state="attached", timeout=30_000)
    rows = page.locator("#figures table.figures tbody tr")
    expect(rows).to_have_count(len(view["figures"]))
    expect(page.locator("#figures")).not_to_contain_text("No figures reported")
    killed = page.locator("#figures tbody tr", has=page.locator("th", has_text=re.compile(r"^killed$")))
    expect(killed.locator("td").nth(1)).to_have_text(str(record["figures"]["killed"]["best"]))
    dash.assert_offline_and_clean()


# -- corrections -----------------------------------------------------------------------------------

def test_filing_a_correction_from_the_event_page_applies_it(
    dash: OfflinePage, corpus_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "corrected.duckdb"  # a copy: the shared corpus store stays as extracted
    shutil.copyfile(corpus_db, db)
    with running_server(db) as server:
        record = api(server, "/api/events", sort="-killed", limit=1)["events"][0]
        before = record["figures"]["killed"]
        page = dash.page
        page.goto(f"{server.url}/events/{record['id']}")
        page.wait_for_selector("body[data-correction-form='ready']", state="attached", timeout=30_000)
        expect(page.locator("#corrections-none")).to_be_visible()
        page.get_by_text("Report a wrong field", exact=True).click()
        page.get_by_label("Field", exact=True).select_option("figures.killed")
        expect(page.get_by_label("Correct value", exact=True)).to_have_value(figure_text(before))
        page.get_by_label("Correct value", exact=True).fill("70-80")
        page.get_by_label("Note (why, or where the right value comes from)").fill("the agency's own count")
        page.get_by_label("Your name (optional)").fill("analyst-1")
        page.get_by_role("button", name="Save the correction").click()
        page.wait_for_selector("body[data-corrections='1']", state="attached", timeout=30_000)
        expect(page.locator("#c-status")).to_have_text("Saved: figures.killed now reads 70–80.")
        # The figures read corrected, the original is listed, the page says it was corrected.
        killed = page.locator("#figures tbody tr", has=page.locator("th", has_text=re.compile(r"^killed$")))
        expect(killed.locator("td").nth(0)).to_have_text("70")
        expect(killed.locator("td").nth(2)).to_have_text("80")
        expect(killed).to_have_class("corrected")
        item = page.locator("#corrections li.correction[data-field='figures.killed']")
        expect(item.locator("del")).to_have_text(figure_text(before))
        expect(item.locator("ins")).to_have_text("70–80")
        expect(item).to_contain_text("analyst-1")
        expect(page.locator("#corrected-note")).to_contain_text("Corrected by an analyst")
        # The API, and a fresh load of the page, give the corrected value.
        assert api(server, f"/api/events/{record['id']}")["figures"]["killed"]["high"] == 80
        page.reload()
        page.wait_for_selector("body[data-corrections='1']", state="attached", timeout=30_000)
        expect(killed.locator("td").nth(2)).to_have_text("80")

        # A value of the wrong type is refused with the reason, and nothing is stored.
        page.get_by_text("Report a wrong field", exact=True).click()
        page.get_by_label("Field", exact=True).select_option("location.lat")
        page.get_by_label("Correct value", exact=True).fill("123")
        page.get_by_role("button", name="Save the correction").click()
        expect(page.locator("#c-status")).to_contain_text("Not saved")
        expect(page.locator("#c-status")).to_contain_text("-90 to 90")
        assert len(api(server, f"/api/events/{record['id']}/corrections")["corrections"]) == 1
        # The refused POST is the one failed request the browser logs; nothing else went wrong.
        dash.errors = [e for e in dash.errors if "status of 422" not in e]
        dash.assert_offline_and_clean()


# -- a server that checks API keys (web/auth.py): the dashboard asks for one ------------------------

@pytest.fixture(scope="module")
def keyed_server(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CorpusServer, str]]:
    """`--require-keys` over a copy of the small web store (its incidents resolved), with one key."""
    from sitrep.store import open_store

    db = tmp_path_factory.mktemp("browser-keys") / "sitrep.duckdb"
    shutil.copyfile(web_db, db)
    with open_store(db) as store:
        store.resolve_incidents()
        secret, _ = store.create_api_key("browser", read_only=True)
    with running_server(db, args=["--require-keys"]) as live:
        yield live, secret


def test_the_dashboard_asks_for_a_key_refuses_a_wrong_one_and_shows_events_with_the_right_one(
    browser: Browser, keyed_server: tuple[CorpusServer, str]
) -> None:
    live, secret = keyed_server
    headers = {"authorization": f"Bearer {secret}"}
    total = httpx.get(f"{live.url}/api/incidents", params={"limit": 1}, headers=headers, timeout=20).json()["total"]
    assert total > 0
    context = browser.new_context(viewport=LAPTOP)
    try:
        dash = OfflinePage(context.new_page())
        page = dash.page
        page.goto(live.url + "/")
        dialog = page.get_by_role("dialog", name="Log in with an API key")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("needs an API key")  # the server's own 401 message
        key = refuse_wrong_key(page, secret)
        key.fill(secret)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        wait_loaded(page, "incidents")
        expect_count(page, total)
        expect(page.get_by_role("dialog")).to_have_count(0)
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["sitrep_key"]["httpOnly"] is True  # the page's script cannot read the key
        assert page.evaluate("() => document.cookie") == ""
        shoot(page, "dashboard-login")
        assert dash.blocked == []
        # The browser logs each 401 answer (before the login) as a console error; nothing else may fail.
        assert [e for e in dash.errors if "status of 401" not in e] == []
    finally:
        context.close()
