"""Toponym recognition beyond the NER: datelines, places that start institution names,
abbreviations, direction-initial names and demonyms, on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest


def _doc(pipeline, text: str):  # type: ignore[no-untyped-def]
    return pipeline(text, published=date(2021, 3, 2))


def _places(pipeline, text: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    found: dict[str, dict] = {}
    for m in _doc(pipeline, text).mentions:
        if m.kind == "PLACE" and m.norm.get("location"):
            found.setdefault(m.text, m.norm["location"])
    return found


def test_a_dateline_names_the_place_the_story_was_filed_from(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "Council delays vote on water rates.\nHOMS — The city council put off a vote on Tuesday after a long debate."
    places = _places(pipeline, text)
    assert places["HOMS"]["country"] == "SYR"


def test_an_upper_case_word_inside_a_sentence_is_no_dateline(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "Officials said the NICE guidance — issued last week — was being reviewed.")
    assert "NICE" not in places


@pytest.mark.parametrize(("text", "name", "admin1"), [
    ("The Homs Municipal Council approved the new budget on Sunday.", "Homs", "Homs"),
    ("On Monday, Aleppo Governor Hussein Diab toured the damaged market.", "Aleppo", "Aleppo"),
])
def test_a_place_starting_an_institution_name_is_a_toponym(pipeline, text: str, name: str,  # type: ignore[no-untyped-def]
                                                           admin1: str) -> None:
    location = _places(pipeline, text)[name]
    assert location["country"] == "SYR" and location["admin1"] == admin1


def test_a_square_named_after_a_city_is_not_that_city(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "Hundreds gathered in Baghdad Square in central Sanaa on Friday.")
    assert "Baghdad" not in places and "Baghdad Square" not in places


def test_dotted_state_abbreviations_are_places(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "The fire spread from Spartanburg, S.C. into the hills near the state line.")
    assert places["S.C."]["admin1"] == "South Carolina"


def test_a_direction_word_may_start_a_known_name(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "Flooding closed roads across West Virginia and parts of Ohio.")
    assert places["West Virginia"]["feature"] == "admin1"


def test_demonyms_name_countries_but_are_no_event_places(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "Syrian troops shelled the town of Saraqib on Monday, residents said."
    doc = _doc(pipeline, text)
    demonyms = doc.ext["demonym_places"]
    assert [(d["text"], d["location"]["country"]) for d in demonyms] == [("Syrian", "SYR")]
    assert demonyms[0]["location"]["lat"] is not None
    assert not any(m.kind == "PLACE" and m.text == "Syrian" for m in doc.mentions)


def test_a_demonym_is_not_matched_to_a_similar_town(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "The Georgian and the American delegations met in Geneva.")
    assert "Georgian" not in places and "American" not in places
    assert places["Geneva"]["country"] == "CHE"
