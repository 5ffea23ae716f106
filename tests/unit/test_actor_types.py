"""ACLED actor types (inter codes) that the actor dictionary must give, by ACLED's own conventions."""

from __future__ import annotations

import pytest

from sitrep.knowledge.actors import get_actors


def test_de_facto_state_forces_are_state_forces() -> None:
    """ACLED codes the forces of the de facto Artsakh authorities as state forces (1), not rebels."""
    found = get_actors().lookup("Artsakh Defense Army")
    assert found and found[0].acled_inter == 1 and found[0].sector == "MIL"
    assert found[0].name == "Military Forces of Artsakh (2007-)"


# ---------------------------------------------------------------- identity militias (ACLED actor type 4)

def _actor_mentions(pipeline, text: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    doc = pipeline(text)
    return {m.text: m.norm["actor"] for m in doc.mentions if m.kind == "ACTOR"}


@pytest.mark.parametrize("text, mention, name", [
    # an ethnonym before an armed-group noun is that group's militia, in the document's country
    ("Armed Samburu herders raided a village near Maralal in Kenya and killed two men.", "Samburu herders",
     "Samburu Ethnic Militia (Kenya)"),
    # Somalia's clans are "Clan Militia"; "clan" followed by "militia" is one noun phrase
    ("Marehan clan militia fought with government troops near Garbaharey, Somalia.", "Marehan clan militia",
     "Marehan Clan Militia (Somalia)"),
    # coordinated groups: the first named is the actor
    ("Fighting broke out between Turkana and Pokot warriors in Kenya over grazing land.",
     "Turkana and Pokot warriors", "Turkana Ethnic Militia (Kenya)"),
    # a bare ethnonym as the active subject of the attack
    ("The Orma attacked a farming village in Tana River, Kenya, killing four people.", "Orma",
     "Orma Ethnic Militia (Kenya)"),
    # a clan too small to list takes the same template from the word "clans"
    ("Six people died in fighting between the Jibril and Matan clans in Wajir, Kenya.", "Jibril and Matan clans",
     "Jibril Clan Militia (Kenya)"),
])
def test_armed_members_of_an_ethnic_group_or_clan_are_its_identity_militia(pipeline, text, mention, name) -> None:  # type: ignore[no-untyped-def]
    found = _actor_mentions(pipeline, text)
    assert mention in found, found
    assert (found[mention]["name"], found[mention]["acled_inter"]) == (name, 4)


@pytest.mark.parametrize("text", [
    "Three Kikuyu farmers were killed in their homes near Nakuru, Kenya.",  # victims, no armed-group noun
    "Gunmen killed two Luo traders in Kisumu, Kenya.",  # an ethnonym in the object is not a side
    "Police reinforced patrols along the Pokot-Turkana border in Kenya.",  # part of a compound place name
])
def test_an_ethnonym_naming_victims_or_a_place_is_not_a_militia(pipeline, text) -> None:  # type: ignore[no-untyped-def]
    assert not [a for a in _actor_mentions(pipeline, text).values() if a["acled_inter"] == 4]


def test_a_group_of_several_countries_takes_the_documents_country() -> None:
    actors = get_actors()
    borana = actors.identity_groups["Borana"]
    assert set(borana.countries) >= {"KEN", "ETH"}
    assert actors.identity_militia(borana, "ETH").name == "Borana Ethnic Militia (Ethiopia)"
    assert actors.identity_militia(borana, "KEN").name == "Borana Ethnic Militia (Kenya)"
    # a country where the group does not live: its first listed country
    assert actors.identity_militia(borana, "BRA").country == borana.countries[0]
    # a group listed under Kenya and Somalia takes each country's own naming convention
    garre = actors.identity_groups["Garre"]
    assert actors.identity_militia(garre, "SOM").name == "Garre Clan Militia (Somalia)"
    assert actors.identity_militia(garre, "KEN").name == "Garre Ethnic Militia (Kenya)"
    assert actors.identity_groups["Pokots"].name == "Pokot"  # plurals come for free
