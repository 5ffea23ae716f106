"""`/brief` on a real server over the sample corpus (both backends): the brief's figures are the
API's aggregates for the same filters, and every count links to a list of exactly that many
incidents."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from server.sample_corpus import CorpusServer

PERIOD = {"country": "SYR", "date_from": "2016-02-01", "date_to": "2016-02-29"}
PREVIOUS = {"country": "SYR", "date_from": "2016-01-03", "date_to": "2016-01-31"}
LINK = re.compile(r"\[(\d+)\]\((http[^)\s]+)\)")


@pytest.fixture(scope="module")
def brief_md(corpus_server: CorpusServer) -> str:
    response = httpx.get(f"{corpus_server.url}/brief", params={"country": "Syria", "from": "2016-02-01",
                                                               "to": "2016-02-29", "format": "md"}, timeout=120)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/markdown")
    return response.text


def _aggregates(server: CorpusServer, by: str, **params: str) -> dict:
    response = httpx.get(f"{server.url}/api/aggregates/events", params={**params, "by": by}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def _row(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| {label} |"))


def _listed(server: CorpusServer, url: str) -> list[dict]:
    """Every incident of a brief's link: a dashboard list (/?filters) is asked of the API with the same
    filters, as the dashboard's own table does."""
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k != "sort"]
    response = httpx.get(f"{server.url}/api/incidents", params=[*params, ("limit", "1000")], timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["incidents"]


def test_the_briefs_headline_and_weeks_are_the_apis_aggregates(corpus_server: CorpusServer, brief_md: str) -> None:
    now = _aggregates(corpus_server, "week", **PERIOD)
    before = _aggregates(corpus_server, "week", **PREVIOUS)
    assert now["total"] > 0
    incidents = _row(brief_md, "Incidents")
    assert f"[{now['total']}](" in incidents and f"[{before['total']}](" in incidents
    assert incidents.rstrip(" |").endswith(f"{now['total'] - before['total']:+d}".replace("+0", "0"))
    for kind in ("killed", "injured", "displaced"):
        f = now["figures"][kind]
        assert f"[{f['best']}](" in _row(brief_md, kind.capitalize())
        assert f"({f['low']} to {f['high']}; reported in {f['events']})" in _row(brief_md, kind.capitalize())
    weeks = {g["key"]: g["count"] for g in now["groups"]}
    rows = re.findall(r"^\| (\d{4}-\d{2}-\d{2}) \| \[(\d+)\]", brief_md, flags=re.M)
    assert rows and {day: int(n) for day, n in rows if int(n)} == weeks


def test_every_count_in_the_brief_links_to_that_many_incidents(corpus_server: CorpusServer, brief_md: str) -> None:
    headline = brief_md.split("## Headline figures")[1].split("## Map")[0]
    figure_rows = {line for line in headline.splitlines() if line.startswith(("| Killed", "| Injured", "| Displac"))}
    checked = 0
    for line in brief_md.splitlines():
        if line in figure_rows:
            continue  # sums of figures, checked below
        for number, url in LINK.findall(line):
            assert len(_listed(corpus_server, url)) == int(number), (line, url)
            checked += 1
    assert checked >= 8
    killed_row = _row(brief_md, "Killed")
    best, url = LINK.findall(killed_row)[0]
    listed = _listed(corpus_server, url)
    assert sum(((i["figures"].get("killed") or {}).get("best") or 0) for i in listed) == int(best)
    # the places new this month are admin1 groups absent from the previous month's
    before = {(g["key"], g["country"]) for g in _aggregates(corpus_server, "admin1", **PREVIOUS)["groups"]}
    places = brief_md.split("## Places with new fighting")[1].split("## Data caveats")[0]
    for name, country in re.findall(r"^- (.+?), ([A-Z]{3}): \[", places, flags=re.M):
        assert (name.replace("\\", ""), country) not in before


def test_the_brief_page_is_html_with_its_images_and_bad_requests_are_422(corpus_server: CorpusServer) -> None:
    page = httpx.get(f"{corpus_server.url}/brief", params={"place": "Aleppo", "from": "2016-02-01",
                                                           "to": "2016-02-29"}, timeout=120)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count('src="data:image/png;base64,') == 2
    assert "img-src 'self' data:" in page.headers["content-security-policy"]
    assert 'href="/?place=Aleppo&amp;date_from=2016-02-01&amp;date_to=2016-02-29"' in page.text
    none = httpx.get(f"{corpus_server.url}/brief", params={"from": "2016-02-01", "to": "2016-02-29"}, timeout=30)
    assert none.status_code == 422 and "exactly one of place, country or bbox" in none.text
    backwards = httpx.get(f"{corpus_server.url}/brief", params={"country": "SYR", "from": "2016-02-29",
                                                                "to": "2016-02-01"}, timeout=30)
    assert backwards.status_code == 422 and "before from" in backwards.text
    unknown = httpx.get(f"{corpus_server.url}/brief", params={"country": "SYR", "from": "2016-02-01",
                                                              "to": "2016-02-29", "date_from": "x"}, timeout=30)
    assert unknown.status_code == 422 and "unknown parameter 'date_from'" in unknown.text
