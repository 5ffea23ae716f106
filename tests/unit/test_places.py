"""Toponym recognition and resolution in context, on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest


def _places(pipeline, text: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    doc = pipeline(text, published=date(2020, 5, 9))
    found: dict[str, dict] = {}
    for m in doc.mentions:  # the first mention of a name
        if m.kind == "PLACE" and m.norm.get("location"):
            found.setdefault(m.text, m.norm["location"])
    return found


def test_admin_units_after_a_place_decide_its_country(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "On 4 May 2020, residents of Merida, Merida state, blocked a road to demand power.")
    assert places["Merida"]["country"] == "VEN" and places["Merida"]["feature"] == "city"


def test_province_word_makes_an_admin1(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "Government aircraft bombed villages in Idlib province and in Hama.")
    assert places["Idlib"]["feature"] == "admin1" and places["Idlib"]["admin1_pcode"] == "SY07"
    assert places["Hama"]["feature"] == "city"


def test_unknown_village_does_not_become_a_namesake_abroad(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "Gunmen raided Wuji village in Lainya county, Central Equatoria state, on Monday.")
    assert "Wuji village" not in places and "Wuji" not in places
    assert places["Central Equatoria"]["country"] == "SSD"


def test_part_of_a_longer_unknown_name_is_not_a_place(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "Fighters attacked an army position at Ceel Salini village (Afgooye, Lower Shabelle).")
    assert "Ceel" not in places
    assert places["Afgooye"]["country"] == "SOM"


def test_acronyms_and_ordinary_words_are_not_places(pipeline) -> None:  # type: ignore[no-untyped-def]
    places = _places(pipeline, "Nine GNA soldiers were killed near Tripoli. Hope remains for talks.")
    assert "GNA" not in places and "Hope" not in places
    assert places["Tripoli"]["country"] == "LBY"


def test_focus_country_from_admin_units(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "Taliban militants attacked a checkpoint in Chaharmaghzak village (Pusqul area of Dara), Samangan."
    places = _places(pipeline, text)
    assert places["Samangan"]["country"] == "AFG"
    assert places.get("Dara", {}).get("country") != "SYR"


@pytest.mark.parametrize(("text", "name", "iso3"), [
    ("Fighting continued in Kafranbel on Sunday.", "Kafranbel", "SYR"),
    ("Shelling hit Deraa and Lattakia overnight.", "Deraa", "SYR"),
])
def test_transliterated_syrian_towns(pipeline, text: str, name: str, iso3: str) -> None:  # type: ignore[no-untyped-def]
    assert _places(pipeline, text)[name]["country"] == iso3


def test_resolve_span_gives_a_country_its_point(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "Officials in Kenya said the outbreak had spread."
    doc = pipeline(text, published=date(2020, 5, 9))
    start = text.index("Kenya")
    location = pipeline.components[1].resolve_span(doc, start, start + len("Kenya"))
    assert location["country"] == "KEN" and location["lat"] is not None
