"""The narrative stage on article-shaped texts written for these tests (real public facts, our words):
reportable kinds, one event per happening, dates that stay in their paragraph, figures of a count
that includes a sub-count, and the ACLED-shaped street address that is not a death toll."""

from __future__ import annotations

from datetime import date

import pytest

import sitrep
from sitrep.document import Document, Section, Source, Span
from sitrep.record import records


@pytest.fixture(scope="module")
def nlp() -> sitrep.Pipeline:
    return sitrep.load()


def article(title: str, body: str, published: date) -> Document:
    text = f"{title}\n\n{body}"
    return Document(text=text, source=Source(title=title, published=published),
                    sections=[Section("title", Span(0, len(title))), Section("body", Span(len(title) + 2, len(text)))])


def occurrences(doc: Document) -> list[dict]:
    return [r for r in records(doc) if r["kind"] == "occurrence"]


def test_headline_and_body_report_of_one_strike_are_one_event_with_one_toll(nlp: sitrep.Pipeline) -> None:
    doc = nlp(article(
        "Air strike on Idlib market kills 23",
        "An air strike hit a crowded market in Maarat al-Numan in Idlib province on Monday, killing 23 "
        "people, rescue workers said.\n\nThe strike destroyed dozens of stalls, and residents said the "
        "attack came as traders were setting up for the day.",
        date(2019, 7, 23)))
    assaults = [r for r in occurrences(doc) if r["event_type"] == "ASSAULT"]
    assert len(assaults) == 1, [r["evidence"]["text"] for r in assaults]
    event = assaults[0]
    assert event["evidence"]["section"] == "body"
    assert event["figures"]["killed"]["best"] == 23
    assert event["date"] == "2019-07-22" and event["date_basis"] == "stated"
    assert any(m["section"] == "title" for m in event["mentions"])


def test_history_and_cumulative_tolls_are_background(nlp: sitrep.Pipeline) -> None:
    doc = nlp(article(
        "Ghouta under fire",
        "Government forces shelled Douma in Eastern Ghouta on Tuesday, killing 11 civilians, medics said.\n\n"
        "The war has killed more than 350,000 people since 2011.\n\n"
        "Residents describe tactics reminiscent of the siege of Sarajevo in 1994.",
        date(2018, 2, 21)))
    kinds = {r["evidence"]["text"][:12]: r["kind"] for r in records(doc)}
    assert kinds.get("Government f") == "occurrence"
    assert kinds.get("The war has ", "background") == "background"
    assert all(r["kind"] == "background" for r in records(doc) if "Sarajevo" in r["evidence"]["text"])
    assert [r["figures"]["killed"]["best"] for r in occurrences(doc) if r["figures"]["killed"]] == [11]


def test_a_date_does_not_cross_a_paragraph_break(nlp: sitrep.Pipeline) -> None:
    doc = nlp(article(
        "Clashes in Darfur",
        "On 3 June, Rapid Support Forces attacked the town of Kutum in North Darfur, residents said.\n\n"
        "Separately, fighters looted the market in Nyala.",
        date(2023, 6, 10)))
    by_place = {(r["location"] or {}).get("name"): r for r in occurrences(doc)}
    kutum = next(r for name, r in by_place.items() if name and "Kutum" in name)
    assert kutum["date"] == "2023-06-03" and kutum["date_basis"] == "stated"
    others = [r for r in occurrences(doc) if "Nyala" in r["evidence"]["text"]]
    assert others and all(r["date"] != "2023-06-03" for r in others)
    assert all(r["date_basis"] == "published" for r in others)


def test_commentary_about_aims_is_not_an_occurrence(nlp: sitrep.Pipeline) -> None:
    doc = nlp(article(
        "The logic of hunger",
        "Militias shelled the outskirts of El Fasher on Sunday, killing four people, aid workers said.\n\n"
        "Such sieges are designed to break the will of the population, and armies that use hunger as a "
        "weapon must be held to account.",
        date(2024, 5, 14)))
    kinds = [(r["kind"], r["evidence"]["text"][:20]) for r in records(doc)]
    assert ("occurrence", "Militias shelled the") in kinds
    assert all(kind != "occurrence" for kind, text in kinds if text.startswith("Such sieges"))


def test_sub_counts_and_addresses_are_not_the_toll(nlp: sitrep.Pipeline) -> None:
    strike = nlp("The air strike killed at least 72 people, including 20 children, in Idlib on Monday.",
                 published=date(2016, 3, 17))
    assert records(strike)[0]["figures"]["killed"]["best"] == 72
    dozen = nlp("Shelling killed more than two dozen civilians, among them several children, in Douma.",
                published=date(2016, 3, 17))
    assert records(dozen)[0]["figures"]["killed"]["best"] == 24
    street = nlp("A man was shot and killed Tuesday night in the 1200 block of Main Street in Dayton.",
                 published=date(2016, 3, 17))
    event = records(street)[0]
    assert event["figures"]["killed"]["best"] == 1
    assert event["date"] == "2016-03-15"


def test_a_weekday_the_model_leaves_untagged_dates_the_event(nlp: sitrep.Pipeline) -> None:
    doc = nlp("Two people were wounded in a shooting early Sunday morning outside a bar in Memphis.",
              published=date(2016, 3, 17))
    event = records(doc)[0]
    assert event["date"] == "2016-03-13" and event["time_precision"] == 1
    assert event["figures"]["injured"]["best"] == 2


CHERNIHIV = (
    "A Russian ballistic missile struck the central square of Chernihiv on Saturday, killing seven people "
    "and wounding more than 100, Ukrainian officials said.\n\n"
    "Ukrainian officials accused Russia of deliberately targeting people leaving church. Russia's defence "
    "ministry denied the attack. The regional governor called on residents to donate blood.\n\n"
    "Humanitarian access\n\n"
    "The strike came a week after a missile hit a hotel in Kramatorsk."
)


def test_blame_denial_and_appeals_are_said_of_the_strike_not_new_events(nlp: sitrep.Pipeline) -> None:
    doc = nlp(article("Missile strike on Chernihiv square", CHERNIHIV, date(2023, 8, 20)))
    said = [r for r in records(doc) if r["evidence"]["text"].startswith(("Ukrainian officials accused",
                                                                          "The regional governor"))]
    assert not [r for r in said if r["kind"] == "occurrence"], [(r["event_type"], r["kind"]) for r in said]
    strikes = [r for r in occurrences(doc) if r["event_type"] == "ASSAULT"]
    assert len(strikes) == 1, [r["evidence"]["text"] for r in strikes]
    strike = strikes[0]
    assert strike["figures"]["killed"]["best"] == 7
    later = {doc.text[m["start"]:m["end"]][:18] for m in strike["mentions"]}
    assert "Ukrainian official" in later and "Russia's defence m" in later  # the blame and the denial
    assert strike["denied_by"]  # who denied it is kept (which actor "the ministry" is, is the actors' job)


def test_a_verbless_heading_and_a_sentence_that_sets_the_strike_against_another_are_not_occurrences(
        nlp: sitrep.Pipeline) -> None:
    doc = nlp(article("Missile strike on Chernihiv square", CHERNIHIV, date(2023, 8, 20)))
    heading = [r for r in records(doc) if r["evidence"]["text"] == "Humanitarian access"]
    context = [r for r in records(doc) if r["evidence"]["text"].startswith("The strike came")]
    assert all(r["kind"] == "headline" for r in heading)
    assert context and all(r["kind"] != "occurrence" for r in context)
    assert all("Kramatorsk" not in r["evidence"]["text"] for r in occurrences(doc))


def test_a_siege_still_in_force_is_reported_as_it_stands_not_as_history(nlp: sitrep.Pipeline) -> None:
    doc = nlp(article(
        "Shelling in Taiz",
        "Houthi forces shelled a residential district of Taiz on Saturday, killing three civilians, local "
        "officials said.\n\n"
        "The city has been besieged by Houthi forces since 2016, and its residents reach the rest of the "
        "country only by a long mountain road.",
        date(2023, 7, 30)))
    sieges = [r for r in records(doc) if r["event_type"] == "COERCE" and "besieged" in r["evidence"]["text"]]
    assert sieges, [(r["event_type"], r["evidence"]["text"][:30]) for r in records(doc)]
    assert all(r["kind"] == "occurrence" and r["date"] == "2023-07-30" and r["date_basis"] == "published"
               for r in sieges)
