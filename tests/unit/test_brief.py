"""The situation brief (sitrep/brief) over a small store of our own: its figures against the
store's aggregates, the previous period, contested claims side by side, new places, caveats,
and the Markdown, HTML and PDF a reader gets (the PDF's first page rendered to pixels).

The reports are our own wording of public facts of February 2016 in northern Syria: strikes on
Azaz, and the strike on the MSF-supported hospital in Maarat al-Numan on 15 February, which the
opposition blamed on Russian aircraft and Russia denied. Figures are round numbers of our own.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.brief import Scope, compose
from sitrep.brief.compose import previous_period
from sitrep.brief.render_html import render_html
from sitrep.brief.render_md import render_md
from sitrep.cli import main
from sitrep.store import FilterError, IncidentFilter, open_store

PLACES = {
    "azaz": {"name": "Azaz", "lat": 36.59, "lon": 37.04, "country": "SYR", "admin1": "Aleppo", "geo_precision": 1},
    "aleppo": {"name": "Aleppo", "lat": 36.20, "lon": 37.16, "country": "SYR", "admin1": "Aleppo",
               "geo_precision": 1},
    "maarat": {"name": "Maarat al-Numan", "lat": 35.64, "lon": 36.67, "country": "SYR", "admin1": "Idlib",
               "geo_precision": 1},
    "syria": {"name": "Syria", "lat": None, "lon": None, "country": "SYR", "admin1": None, "geo_precision": 4},
}
RUSSIA = {"text": "Russia", "name": "Military Forces of Russia", "id": "RUS_MIL", "country": "RUS", "sector": "MIL"}
OPPOSITION = {"text": "the opposition", "name": "Syrian opposition", "id": "SYR_OPP", "country": "SYR",
              "sector": "OPP"}


def report(eid: str, place: str, day: str, text: str, *, killed: int | None = None, displaced: int | None = None,
           status: str = "asserted", outlet: str = "Levant Wire", published: str | None = None,
           **more: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    if killed is not None:
        figures["killed"] = {"low": killed, "best": killed, "high": killed, "hedge": None}
    if displaced is not None:
        figures["displaced"] = {"low": displaced, "best": displaced, "high": displaced, "hedge": None}
    return {"id": eid, "doc_id": eid.split("-")[0], "event_type": "ASSAULT", "status": status, "kind": "occurrence",
            "date": day, "time_precision": 1, "location": dict(PLACES[place]), "actors": [RUSSIA],
            "recipients": [], "figures": figures,
            "evidence": {"text": text, "start": 0, "end": len(text), "section": "body"},
            "source": {"url": f"https://example.org/{eid.split('-')[0]}", "publisher": outlet,
                       "published": published or day},
            "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}, **more}


REPORTS = [
    # the previous period (3 to 31 January for a brief of 1 to 29 February): Aleppo only
    report("p-1", "aleppo", "2016-01-20", "Air strikes hit eastern Aleppo, killing 6 people.", killed=6),
    # this period: Azaz twice (one incident, two outlets), Maarat al-Numan claimed and denied,
    # and a country-level displacement figure with one source
    report("a-1", "azaz", "2016-02-15", "Missiles struck Azaz, killing 14 people.", killed=14),
    report("b-1", "azaz", "2016-02-15", "At least 16 people died when missiles hit Azaz.", killed=16,
           outlet="Northern Dispatch", published="2016-02-16"),
    report("c-1", "maarat", "2016-02-15", "The opposition said Russian jets struck the hospital in Maarat al-Numan.",
           status="claimed", claimed_by=[OPPOSITION], outlet="Levant Wire"),
    report("d-1", "maarat", "2016-02-15", "Moscow denied that its aircraft had struck the hospital.",
           status="denied", denied_by=[RUSSIA], outlet="Crescent News Agency", published="2016-02-16"),
    report("e-1", "syria", "2016-02-23", "The fighting has displaced 50,000 people this month.", displaced=50000),
]
FEB = (date(2016, 2, 1), date(2016, 2, 29))


def _fill(url: str) -> str:
    with open_store(url) as store:
        for record in REPORTS:
            store.add_ingested([{"document": {"id": record["doc_id"], "text": record["evidence"]["text"]},
                                 "events": [record]}], [])
        store.resolve_incidents(REPORTS)
    return url


@pytest.fixture
def brief_store(store_url: str) -> str:
    """The reports in a store of each backend: for what the queries answer."""
    return _fill(store_url)


@pytest.fixture
def duckdb_brief_store(tmp_path: Path) -> str:
    """The same in DuckDB only: for what the renderers and the command make of a brief."""
    return _fill(str(tmp_path / "brief.duckdb"))


def test_previous_period_has_the_same_length_and_ends_the_day_before() -> None:
    assert previous_period(*FEB) == (date(2016, 1, 3), date(2016, 1, 31))
    assert previous_period(date(2016, 3, 1), date(2016, 3, 1)) == (date(2016, 2, 29), date(2016, 2, 29))
    with pytest.raises(FilterError, match="no period of 31 days before 0001-01-01"):
        previous_period(date(1, 1, 1), date(1, 1, 31))


def test_the_brief_figures_are_the_stores_aggregates_and_its_sections_hold(brief_store: str) -> None:
    with open_store(brief_store, read_only=True) as store:
        brief = compose(store, Scope("country", "Syria"), *FEB)
        agg = store.aggregate_events(IncidentFilter.parse(country="SYR", date_from="2016-02-01",
                                                          date_to="2016-02-29"), "week", unit="incidents")
    assert brief.scope.label == "Syria (SYR)"
    assert brief.current.incidents == agg["total"] == 3 and brief.previous.incidents == 1
    killed = brief.current.figures["killed"]
    assert (killed.low, killed.best, killed.high) == (14, 14, 16) == tuple(agg["figures"]["killed"][k]
                                                                          for k in ("low", "best", "high"))
    assert brief.change() == 2 and brief.change("killed") == 14 - 6
    assert brief.current.figures["displaced"].best == 50000
    # weeks of February, empty ones kept; the week of the 15th holds Azaz and Maarat al-Numan
    assert [w.start.isoformat() for w in brief.weeks][:3] == ["2016-02-01", "2016-02-08", "2016-02-15"]
    assert [w.incidents for w in brief.weeks] == [0, 0, 2, 1, 0]
    # the most severe first, with every source
    assert brief.top[0].place == "Azaz, Aleppo, SYR"
    assert sorted(s.outlet for s in brief.top[0].sources) == ["Levant Wire", "Northern Dispatch"]
    # claimed by the opposition in one outlet, denied by Russia in another
    assert brief.contested_total == 1
    side = brief.contested[0]
    assert [(s.who, s.outlet) for s in side.claims] == [(["Syrian opposition"], "Levant Wire")]
    assert [(s.who, s.outlet) for s in side.denials] == [(["Military Forces of Russia"], "Crescent News Agency")]
    # Idlib is new this month; Aleppo had the January strikes
    assert [(p.admin1, p.country, p.incidents) for p in brief.new_places] == [("Idlib", "SYR", 1)]
    assert (brief.caveats.incidents, brief.caveats.country_only, brief.caveats.single_source) == (3, 1, 1)
    assert len(brief.points) == 2  # the country-level incident has no point to draw


def test_markdown_links_every_number_to_its_incidents_and_keeps_report_text_inert(duckdb_brief_store: str,
                                                                                   tmp_path: Path) -> None:
    with open_store(duckdb_brief_store, read_only=True) as store:
        brief = compose(store, Scope("country", "SYR"), *FEB)
    out = tmp_path / "feb.md"
    text = render_md(brief, base_url="http://sitrep.test", out=out)
    assert (tmp_path / "feb.map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "](feb.timeline.png)" in text
    row = next(line for line in text.splitlines() if line.startswith("| Incidents"))
    assert "[3](http://sitrep.test/?country=SYR&date_from=2016-02-01&date_to=2016-02-29)" in row
    assert "[1](http://sitrep.test/?country=SYR&date_from=2016-01-03&date_to=2016-01-31)" in row
    # admin1 is no dashboard field: the new place links to the API's list, which filters by it
    assert "[1](http://sitrep.test/api/incidents?country=SYR&date_from=2016-02-01&date_to=2016-02-29&admin1=Idlib)" \
        in text
    assert "| Syrian opposition (Levant Wire, 2016-02-15, <https://example.org/c>)" in text
    assert "Military Forces of Russia (Crescent News Agency, 2016-02-16" in text
    assert re.search(r"Placed at country level only .*: 1 of \[3\]", text)


def test_html_is_one_page_with_its_images_inline_and_text_escaped(duckdb_brief_store: str) -> None:
    with open_store(duckdb_brief_store, read_only=True) as store:
        brief = compose(store, Scope("place", "Azaz"), *FEB)
    page = render_html(brief, base_url="")
    assert page.count('src="data:image/png;base64,') == 2
    assert '<a href="/?place=Azaz&amp;date_from=2016-02-01&amp;date_to=2016-02-29">1</a>' in page
    assert 'href="/incidents/inc-' in page


def test_the_cli_writes_a_pdf_whose_first_page_shows_the_headline(duckdb_brief_store: str, tmp_path: Path) -> None:
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    out = tmp_path / "feb.pdf"
    result = CliRunner().invoke(main, ["brief", "--country", "SYR", "--from", "2016-02-01", "--to", "2016-02-29",
                                       "--format", "pdf", "-o", str(out), "--db", duckdb_brief_store])
    assert result.exit_code == 0, result.output
    text = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "Situation brief: Syria (SYR)" in text
    assert re.search(r"Incidents\s+3\s+1\s+\+2", text), text
    assert re.search(r"Killed\s+14 \(14 to 16; reported in 1\)\s+6 \(6 to 6\)\s+\+8", text), text
    page = pdfium.PdfDocument(str(out))[0].render(scale=0.5).to_pil().convert("L")
    dark = sum(page.histogram()[:128])
    assert dark > 0.002 * page.width * page.height  # text and rules, not a blank page


def test_the_cli_refuses_two_scopes_and_a_bad_box(duckdb_brief_store: str) -> None:
    runner = CliRunner()
    both = runner.invoke(main, ["brief", "--country", "SYR", "--place", "Azaz", "--from", "2016-02-01",
                                "--to", "2016-02-29", "--db", duckdb_brief_store])
    assert both.exit_code == 2 and "exactly one of --place, --country or --bbox" in both.output
    box = runner.invoke(main, ["brief", "--bbox", "37,36", "--from", "2016-02-01", "--to", "2016-02-29",
                               "--db", duckdb_brief_store])
    assert box.exit_code == 2 and "bbox must be 4 comma-separated numbers" in box.output
    md = runner.invoke(main, ["brief", "--bbox", "36,35,38,37", "--from", "2016-02-01", "--to", "2016-02-29",
                              "--db", duckdb_brief_store])
    assert md.exit_code == 0, md.output
    assert "| Incidents | [2](http://127.0.0.1:8000/api/incidents?bbox=36%2C35%2C38%2C37&" in md.output
