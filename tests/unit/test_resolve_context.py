"""Toponym resolution from the document's context: actors that name a country, names cut short by the
NER, admin units after a place, lists of units, ties between countries. Sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.components.places import country_evidence


def _toponyms(pipeline, text: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    doc = pipeline(text, published=date(2020, 5, 9))
    return {t.text: t.place for t in doc.ext["toponyms"]}


def test_actors_of_a_known_state_vote_for_its_country(pipeline) -> None:  # type: ignore[no-untyped-def]
    doc = pipeline("Boko Haram fighters stormed a market while Kenyan police patrolled the town.")
    votes = country_evidence(doc.ext["spacy"])
    assert votes["NGA"] == 1 and votes["KEN"] == 1


def test_ner_name_cut_at_a_particle_is_read_whole(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _toponyms(pipeline, "Police raided a house in San Jose del Monte on Friday.")
    assert "San Jose" not in places and "Monte" not in places
    assert places["San Jose del Monte"].country3 == "PHL"  # type: ignore[attr-defined]


def test_admin_unit_after_a_place_picks_the_namesake_inside_it(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _toponyms(pipeline, "Gunmen shot two men at a market in San Martin, Puebla, on Tuesday.")
    place = places["San Martin"]
    assert place is not None and place.country3 == "MEX" and place.admin1 == "Puebla"  # type: ignore[attr-defined]


def test_list_of_provinces_keeps_one_country(pipeline) -> None:  # type: ignore[no-untyped-def]
    # the story is mostly about the United States, but the list names Canadian provinces
    text = ("The outbreak reached Ohio, California and Texas in the United States, and Manitoba, Ontario and "
            "New Brunswick in Canada.")
    places = _toponyms(pipeline, text)
    for name in ("Ontario", "New Brunswick"):
        place = places[name]
        assert place is not None and place.country3 == "CAN" and place.feature == "admin1"  # type: ignore[attr-defined]


def test_compass_word_between_place_and_country(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _toponyms(pipeline, "Residents of Delmas, north-east South Africa, marched to the municipal offices.")
    assert places["Delmas"].country3 == "ZAF"  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", [
    "Soldiers of Armenia fired mortars at soldiers of Azerbaijan stationed at Alibeyli, Tovuz.",
    "On Monday the army of Armenia attacked a post of the army of Azerbaijan near Ashagi Oksuzlu, Tovuz.",
])
def test_countries_tied_for_focus_share_it(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    # named once each, neither country may claim Tovuz by coming first: not the Armenian village that
    # once bore the name
    place = _toponyms(pipeline, text)["Tovuz"]
    assert place is None or place.country3 == "AZE"  # type: ignore[attr-defined]
