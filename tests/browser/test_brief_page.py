"""The dashboard's link to the situation brief, in Debian's headless chromium with the internet cut
off (the browser, page and helpers of test_dashboard.py): it follows the filters, and the brief it
opens (/brief, one HTML page with its images inline) loads with nothing from outside. On a server
that checks API keys, a browser opening /brief without the login cookie is sent to the login page,
and once it gives a key it lands on the brief it asked for."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, expect

from browser.test_dashboard import (  # noqa: F401 - browser, dash, keyed_server: fixtures
    LAPTOP,
    OfflinePage,
    browser,
    dash,
    keyed_server,
    open_dashboard,
    refuse_wrong_key,
    shoot,
    wait_loaded,
)
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


def test_opening_the_brief_without_a_login_asks_for_a_key_then_shows_the_brief(
        browser: Browser, keyed_server: tuple[CorpusServer, str]) -> None:  # noqa: F811 - imported fixtures
    live, secret = keyed_server
    brief = "/brief?country=SYR&from=2016-02-01&to=2016-02-29"
    context = browser.new_context(viewport=LAPTOP)
    try:
        dash = OfflinePage(context.new_page())
        page = dash.page
        page.goto(live.url + brief)
        expect(page).to_have_url(f"{live.url}/login?next={quote(brief, safe='')}")
        form = page.get_by_role("form", name="Log in with an API key")
        expect(form).to_be_visible()
        expect(form).to_contain_text(brief)  # it says what opens once logged in
        shoot(page, "login-page")
        key = refuse_wrong_key(page, secret)
        key.fill(secret)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(re.compile(re.escape(live.url + brief) + "$"))
        expect(page.locator("h1")).to_have_text("Situation brief: Syria (SYR)")
        expect(page.locator("img.map")).to_have_js_property("complete", True)
        assert {c["name"]: c for c in context.cookies()}["sitrep_key"]["httpOnly"] is True
        shoot(page, "brief-login")
        assert dash.blocked == []
        # The refused key's 401 is logged by the browser as a console error; nothing else may fail.
        assert [e for e in dash.errors if "status of 401" not in e] == []
    finally:
        context.close()
