"""`sitrep eval gva`: the lead-event choice, the per-article comparison and one real run of the command.

The incidents and articles here are written for these tests on public facts (the Charleston church
shooting of 17 June 2015, the Dallas police shooting of 7 July 2016); nothing is taken from the
development corpus in ../shared/data/gva.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.evaluate.gva import (
    GvaArticle,
    GvaIncident,
    article_results,
    incident_point,
    incidents_path,
    lead_event,
    read_gva_articles,
    read_gva_incidents,
    score_predictions,
)

SEVERITY = {"ASSAULT": -9.0, "COERCE": -7.0, "PROTEST": -5.0, "ACCUSE": -3.0}
CHARLESTON = GvaIncident("1", date(2015, 6, 17), "South Carolina", "Charleston", 32.7877, -79.9329, 9, 1)
DALLAS = GvaIncident("2", date(2016, 7, 7), "Texas", "Dallas", None, None, 5, 11)
BLANK = GvaIncident("3", None, None, None, None, None, None, None)


def rec(start: int, event_type: str = "ASSAULT", *, killed: int | None = None, injured: int | None = None,
        status: str = "asserted", kind: str = "occurrence", when: str | None = None,
        point: tuple[float, float] | None = None, country: str | None = "USA") -> dict[str, Any]:
    figures = {k: {"best": v} if v is not None else None for k, v in (("killed", killed), ("injured", injured))}
    location = {"lat": point[0], "lon": point[1], "country": country} if point else None
    return {"id": f"e{start}", "event_type": event_type, "status": status, "kind": kind, "date": when,
            "location": location, "figures": figures, "evidence": {"start": start}}


def test_lead_is_the_most_violent_occurrence_that_happened() -> None:
    vigil = rec(0, "PROTEST")
    wounded = rec(10, injured=3)
    deadly = rec(20, killed=2)
    attributed = rec(30, killed=4, status="claimed")  # "..., police said": the story's account too
    hoped = rec(35, killed=9, status="hypothetical")  # "could have killed nine"
    history = rec(40, killed=50, kind="background")  # "the deadliest shooting since 1991"
    headline = rec(1, killed=9, kind="headline")
    events = [vigil, wounded, deadly, attributed, hoped, history, headline]
    assert lead_event(events, SEVERITY) is attributed  # killed first
    assert lead_event([vigil, wounded, deadly], SEVERITY) is deadly
    assert lead_event([vigil, wounded], SEVERITY) is wounded  # then injured
    threat = rec(5, "COERCE")
    assert lead_event([vigil, threat], SEVERITY) is threat  # then the type's PLOVER severity
    assert lead_event([rec(9), rec(3)], SEVERITY)["id"] == "e3"  # then the first in the text
    assert lead_event([rec(2, "UNKNOWN"), vigil], SEVERITY) is vigil  # an unscored type ranks last
    assert lead_event([hoped, history, headline, rec(0, killed=3, status="denied")], SEVERITY) is None
    # a record from before `kind` existed counts as an occurrence
    old = {k: v for k, v in deadly.items() if k != "kind"}
    assert lead_event([old, vigil], SEVERITY) is old


def test_article_results_compare_place_date_and_figures() -> None:
    near = rec(0, killed=9, injured=1, when="2015-06-17", point=(32.7765, -79.9311))  # downtown Charleston
    assert article_results(near, CHARLESTON, (CHARLESTON.lat, CHARLESTON.lon)) == {  # type: ignore[arg-type]
        "place": True, "date": True, "killed": True, "injured": True}
    columbia = rec(0, killed=9, when="2015-06-18", point=(34.0007, -81.0348))  # ~150 km away, the next day
    assert article_results(columbia, CHARLESTON, (32.7877, -79.9329)) == {
        "place": False, "date": False, "killed": True, "injured": False}
    # no lead event: no place, no date, and 0 killed / 0 injured (right only where the incident has none)
    assert article_results(None, GvaIncident("4", date(2016, 1, 1), None, None, 40.0, -75.0, 0, 2),
                           (40.0, -75.0)) == {"place": False, "date": False, "killed": True, "injured": False}
    # an incident without fields is not scored on them
    assert article_results(near, BLANK, None) == {"place": None, "date": None, "killed": None, "injured": None}


def test_gold_point_falls_back_to_the_city_in_its_state() -> None:
    calls: list[tuple[str, str | None]] = []

    def locate(city: str, state: str | None) -> tuple[float, float] | None:
        calls.append((city, state))
        return (32.7767, -96.7970) if city == "Dallas" else None

    assert incident_point(CHARLESTON, locate) == ((32.7877, -79.9329), "coordinates")
    assert incident_point(DALLAS, locate) == ((32.7767, -96.7970), "city")
    assert incident_point(GvaIncident("5", None, "Texas", "Nowhere Creek", None, None, 0, 0), locate) == (
        None, "city_not_found")
    assert incident_point(BLANK, locate) == (None, "none")
    assert calls == [("Dallas", "Texas"), ("Nowhere Creek", "Texas")]


def test_city_point_reads_the_gazetteer_within_the_state() -> None:
    from sitrep.evaluate.gva import city_point

    dallas = city_point("Dallas", "Texas")
    assert dallas is not None and abs(dallas[0] - 32.78) < 0.2 and abs(dallas[1] + 96.80) < 0.2
    assert city_point("Dallas", "Wyoming") is None  # no Dallas there: no point rather than the Texan one


def _article(aid: str, incident: str, published: date | None) -> GvaArticle:
    return GvaArticle(aid, None, None, "text", published, incident)


def test_score_predictions_baseline_events_and_date_misses() -> None:
    dallas = (32.7767, -96.7970)
    pairs = [
        # right place, date and killed; injured wrong (9 of 11); one background event not counted
        (_article("a", "2", date(2016, 7, 8)),
         [rec(0, killed=5, injured=9, when="2016-07-07", point=dallas), rec(50, killed=3, kind="background")]),
        # the lead takes the publication date; a second reportable event is placed abroad
        (_article("b", "2", date(2016, 7, 8)),
         [rec(0, killed=5, injured=11, when="2016-07-08", point=dallas),
          rec(60, "ACCUSE", when="2016-07-08", point=(51.5, -0.12), country="GBR")]),
        # nothing that happened: no lead, 0 and 0
        (_article("c", "1", date(2015, 6, 18)), [rec(0, status="hypothetical")]),
        (_article("d", "3", date(2017, 1, 1)), []),
    ]
    report = score_predictions(pairs, {i.id: i for i in (CHARLESTON, DALLAS, BLANK)},
                               locate=lambda city, state: dallas if city == "Dallas" else None, severity=SEVERITY)
    assert report["articles"] == 4 and report["incidents"] == 3
    assert report["support"]["lead_place"] == 3  # the blank incident has no place
    assert report["lead_place_within_25km"] == pytest.approx(2 / 3)
    assert report["lead_date_exact"] == pytest.approx(1 / 3)
    assert report["lead_killed_exact"] == pytest.approx(2 / 3)
    assert report["lead_injured_exact"] == pytest.approx(1 / 3)
    assert report["baseline_zero_killed"] == 0.0 and report["baseline_zero_injured"] == 0.0
    assert report["date_misses_on_published_date"] == 0.5  # b took its publication date, c had no lead
    assert report["events_per_article_median"] == 0.5 and report["events_per_article_mean"] == 0.75
    assert report["all_events_per_article_mean"] == 1.25
    assert report["articles_without_lead"] == 0.5
    assert report["events_located_outside_usa"] == pytest.approx(1 / 3)
    assert report["gold_point_from"] == {"city": 2, "coordinates": 1, "none": 1}
    with pytest.raises(ValueError, match="not in the incidents file"):
        score_predictions([(_article("e", "99", None), [])], {}, severity=SEVERITY)


def _write_pair(folder: Path) -> Path:
    docs = folder / "sample_docs.jsonl"
    articles = [
        {"id": "c1", "url": "https://news.example/charleston", "title": "Nine killed in Charleston church shooting",
         "published": "2015-06-18", "incident": "1",
         "text": "A gunman opened fire during a Bible study at Emanuel African Methodist Episcopal Church in "
                 "Charleston, South Carolina, on Wednesday night, killing nine people, police said.\n\n"
                 "The police chief said one woman survived the attack unhurt."},
        {"id": "d1", "url": "https://news.example/dallas", "title": "Five officers killed in Dallas",
         "published": "2016-07-08", "incident": "2",
         "text": "A sniper shot and killed five police officers in downtown Dallas, Texas, on Thursday night "
                 "during a protest march, officials said.\n\nSeven other officers and two civilians were wounded."},
    ]
    docs.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    with open(folder / "sample_incidents.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["incident", "date", "state", "city_or_county", "address", "latitude", "longitude", "killed",
                         "injured", "frames", "gva_url"])
        writer.writerow(["1", "2015-06-17", "South Carolina", "Charleston", "110 Calhoun Street", "32.7877",
                         "-79.9329", "9", "1", "mass_shootings", ""])
        writer.writerow(["2", "2016-07-07", "Texas", "Dallas", "Main Street", "", "", "5", "11", "mass_shootings", ""])
    return docs


def test_readers_and_pairing(tmp_path: Path) -> None:
    docs = _write_pair(tmp_path)
    assert incidents_path(docs) == tmp_path / "sample_incidents.csv"
    with pytest.raises(ValueError, match="_docs.jsonl"):
        incidents_path(tmp_path / "articles.jsonl")
    articles = list(read_gva_articles(docs))
    assert [a.incident for a in articles] == ["1", "2"] and articles[0].published == date(2015, 6, 18)
    incidents = read_gva_incidents(tmp_path / "sample_incidents.csv")
    assert incidents["2"].lat is None and incidents["2"].injured == 11 and incidents["1"].city == "Charleston"
    bad = tmp_path / "bad_docs.jsonl"
    bad.write_text('{"id": "x", "text": "no incident"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad_docs.jsonl:1"):
        list(read_gva_articles(bad))


def test_eval_gva_command_with_offset(tmp_path: Path) -> None:
    docs = _write_pair(tmp_path)
    result = CliRunner().invoke(main, ["eval", "gva", str(docs), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 2 and report["incidents"] == 2 and report["seconds"] > 0
    assert report["gold_point_from"] == {"coordinates": 1, "city": 1}
    # "killing nine people" in Charleston, South Carolina: the lead has the toll and the place
    assert report["lead_killed_exact"] >= 0.5 and report["lead_place_within_25km"] >= 0.5
    assert report["events_per_article_median"] >= 1
    second = CliRunner().invoke(main, ["eval", "gva", str(docs), str(tmp_path / "sample_incidents.csv"),
                                       "--limit", "1", "--offset", "1", "--json"])
    assert second.exit_code == 0, second.output
    sliced = json.loads(second.stdout)
    assert sliced["articles"] == 1 and sliced["offset"] == 1 and sliced["gold_point_from"] == {"city": 1}
