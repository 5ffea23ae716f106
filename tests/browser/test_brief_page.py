"""The dashboard's link to the situation brief, in Debian's headless chromium with the internet cut
off (the browser, page and helpers of test_dashboard.py): it follows the filters, and the brief it
opens (/brief, one HTML page with its images inline) loads with nothing from outside."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser.test_dashboard import OfflinePage, browser, dash, open_dashboard, shoot, wait_loaded  # noqa: F401
from server.sample_corpus import CorpusServer

pytestmark = pytest.mark.browser


def test_the_brief_link_follows_the_filters_and_opens_the_brief(
        dash: OfflinePage, corpus_server: CorpusServer) -> None:  # noqa: F811 - dash: the imported fixture
    page = open_dashboard(dash, corpus_server.url + "/")
    link = page.locator("#brief-link")
    expect(link).to_have_attribute("aria-disabled", "true")  # no country, place or dates yet
    page.get_by_label("Country", exact=True).fill("SYR")
    page.get_by_label("From", exact=True).fill("2016-02-01")
    page.get_by_label("To", exact=True).fill("2016-02-29")
    page.get_by_role("button", name="Apply").click()
    wait_loaded(page)
    expect(link).to_have_attribute("href", "/brief?country=SYR&from=2016-02-01&to=2016-02-29")
    link.click()
    expect(page.locator("h1")).to_have_text("Situation brief: Syria (SYR)")
    expect(page.locator("img.map")).to_have_js_property("complete", True)
    assert page.locator("img.map").evaluate("img => img.naturalWidth") > 0  # the inline PNG decoded
    shoot(page, "brief-syria-2016-02")
    dash.assert_offline_and_clean()
