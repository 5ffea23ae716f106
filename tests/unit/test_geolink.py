"""Which place an event happened at, and with which ACLED precision."""

from __future__ import annotations

import pytest


def _location(extract, text: str, event_type: str = "ASSAULT") -> dict:  # type: ignore[no-untyped-def]
    records = [r for r in extract(text, "2016-02-08") if r["event_type"] == event_type]
    assert records, extract(text, "2016-02-08")
    return records[0]["location"]


def test_near_a_town_is_the_town_at_precision_1(extract) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, "Government forces launched an offensive near Aleppo on Monday.")
    assert location["name"] == "Aleppo" and location["geo_precision"] == 1 and location["admin1_pcode"] == "SY02"


@pytest.mark.parametrize("text", [
    "Government forces shelled the outskirts of Homs on Monday.",
    "Rebels attacked army posts 20 km north of Homs on Monday.",
    "Air strikes hit the northern Homs countryside on Monday.",
])
def test_vague_places_are_precision_2(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, text)
    assert location["geo_precision"] == 2 and location["country"] == "SYR"


def test_province_level_event_is_precision_3_at_its_seat(extract) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, "Russian warplanes bombed Idlib province on Sunday.")
    assert location["feature"] == "admin1" and location["geo_precision"] == 3
    assert location["admin1_pcode"] == "SY07" and location["lat"] is not None


def test_country_only_event_has_no_point(extract) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, "Turkish forces shelled positions in Syria on Sunday.")
    assert location["feature"] == "country" and location["lat"] is None and location["geo_precision"] is None
    assert location["admin1"] is None and location["admin1_pcode"] is None


def test_first_named_place_before_its_admin_units(extract) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, "On 2 May 2020, gunmen attacked Afgooye town (Afgooye, Lower Shabelle).")
    assert location["name"] == "Afgooye" and location["geo_precision"] == 1


def test_sentence_without_a_place_continues_the_story(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("On 3 March 2021, gunmen stormed a market in Maiduguri on Tuesday. Four traders were killed.",
                      "2021-03-03")
    # the killing is the storming's outcome: one event, placed by the first sentence, with the second's toll
    assert {(r["location"] or {}).get("name") for r in records} == {"Maiduguri"}
    stormed = next(r for r in records if r["event_type"] == "ASSAULT")
    assert stormed["figures"]["killed"]["best"] == 4
    assert any("Four traders" in records[0]["evidence"]["text"] or m["start"] > 40 for m in stormed["mentions"])


def test_village_outside_its_named_frame_falls_back_to_the_frame(extract) -> None:  # type: ignore[no-untyped-def]
    """The gazetteer's only "Lozove" is in Crimea; the note frames it in Donetsk: the event is in the
    district named after it (precision 2), in Donetsk, never in Crimea."""
    from sitrep.knowledge.gazetteer import get_gazetteer

    location = _location(extract, "On 5 March 2021, unidentified gunmen killed a farmer in Lozove village of "
                                  "Bakhmut district, Donetsk.", "ASSAULT")
    donetsk = next(p for p in get_gazetteer().lookup("Donetsk") if p.feature == "admin1")
    assert location["admin1"] == donetsk.admin1 and location["geo_precision"] == 2


def test_a_city_is_trusted_over_a_misnamed_province(extract) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, "On 5 March 2021, police fired on protesters in Mariupol, Kharkiv.", "ASSAULT")
    assert location["name"] == "Mariupol" and location["geo_precision"] == 1


def test_unknown_village_is_placed_in_the_unit_framing_it(extract) -> None:  # type: ignore[no-untyped-def]
    """The gazetteer has no "Bir Umm Zaytunat"; its frame "(Misrata)" still says the province."""
    from sitrep.knowledge.gazetteer import get_gazetteer

    location = _location(extract, "On 4 March 2021, militants shelled army positions in Bir Umm Zaytunat "
                                  "(Misrata). No casualties were reported.")
    misrata = next(p for p in get_gazetteer().lookup("Misrata", country="LY") if p.feature == "admin1")
    assert location["country"] == "LBY" and location["admin1"] == misrata.admin1


def test_an_acronym_after_the_dateline_comma_frames_nothing(extract) -> None:  # type: ignore[no-untyped-def]
    """"On 9 May, GNA forces ...": the comma is the date's, and "GNA" is an organisation (not Guna, India)."""
    records = extract("On 9 May 2020, GNA forces shelled positions of the other side. No casualties reported.",
                      "2020-05-09")
    assert records and all((r["location"] or {}).get("country") != "IND" for r in records)


def test_small_village_the_event_is_near_is_taken_without_a_country(extract) -> None:  # type: ignore[no-untyped-def]
    """A note may name only the village: "near X" vouches for the name when its namesakes lie in one province."""
    records = extract("On 4 March 2021, observers recorded heavy shelling near Deir al-Asafir.", "2021-03-04")
    locations = [r["location"] for r in records if r["location"]]
    assert locations and all(loc["country"] == "SYR" and loc["admin1"] == "Rural Damascus" for loc in locations)



def test_a_town_before_a_sea_shared_by_countries(extract) -> None:  # type: ignore[no-untyped-def]
    """A lake or sea of several countries names the area, not where it happened, when a town is named too."""
    location = _location(extract, "Gunmen attacked fishermen near Lake Chad and in Monguno on Monday.")
    assert location["name"] == "Monguno" and location["country"] == "NGA"


def test_an_attack_at_sea_is_placed_at_the_sea(extract) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, "Houthi forces attacked a cargo ship in the Red Sea on Monday.")
    assert location["name"] == "Red Sea" and location["geo_precision"] == 3 and location["lat"] is not None


def test_a_direction_in_lower_case_is_not_a_place(extract) -> None:  # type: ignore[no-untyped-def]
    # the NER tags "west" as a place here; GeoNames has a region called West (in North America)
    records = extract("BEIRUT, June 7 -- The US-backed Syrian Democratic Forces launched their assault on Raqqa on "
                      "Tuesday, attacking the city from the north, east and west.\n\nMoscow condemned the strike "
                      "as a violation of international law.", "2017-06-07")
    assert {(r["location"] or {}).get("name") for r in records if r["event_type"] == "ASSAULT"} == {"Raqqa"}


@pytest.mark.parametrize("text", [
    "Moscow suspended an agreement with Washington on air safety over Syria on Friday.",
    "Ankara froze its talks with Washington over the arming of Kurdish fighters in Syria on Friday.",
    "Air strikes hit Idlib on Friday, days after the talks between Moscow and Washington on Syria stalled.",
])
def test_a_capital_named_as_a_party_is_not_where(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    records = extract(text, "2016-10-07")
    assert records
    assert all((r["location"] or {}).get("name") != "Washington" for r in records), records


def test_a_party_to_an_agreement_is_not_carried_to_the_next_sentence(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("Moscow suspended an agreement with Washington on air safety over Syria. The Syrian army "
                      "said six soldiers were killed at the base.", "2017-04-07")
    assert records
    assert all((r["location"] or {}).get("country") != "USA" for r in records), records


def test_a_destination_is_not_carried_as_the_story_place(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("Warplanes struck the town of Saraqib in Idlib province early on Tuesday. Some of the wounded "
                      "were taken across the border to hospitals in Turkey.\n\nHours later, a market was hit in a "
                      "further strike, according to local doctors.", "2017-04-05")
    assert records
    assert all((r["location"] or {}).get("country") != "TUR" for r in records), records


def test_an_attack_that_moves_into_a_place_is_there(extract) -> None:  # type: ignore[no-untyped-def]
    assert _location(extract, "Islamic State fighters stormed into Palmyra on Friday, killing dozens of "
                              "soldiers.")["name"] == "Palmyra"
    records = extract("Thousands of civilians fled to Turkey after air strikes on Idlib on Monday.", "2016-02-08")
    assert {(r["location"] or {}).get("name") for r in records} == {"Idlib"}
