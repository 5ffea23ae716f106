"""ACLED coding conventions (data/acled_rules.yaml) on sentences written for these tests.

Each test pins one convention of ACLED's codebook: who was hit decides a battle from violence
against civilians, a demonstration's crowd is actor1, an arrest is an intervention only when the
demonstrators are taken, a crowd's violence is a riot, seized goods are not territory.
"""

from __future__ import annotations

import pytest

from sitrep.evaluate.acled import choose_event
from sitrep.knowledge.acled_rules import phrase_pattern


def _coded(extract, text: str) -> tuple[str | None, str | None, int | None]:  # type: ignore[no-untyped-def]
    event = choose_event(extract(text, "2021-03-10"))
    assert event is not None, text
    actors = event["actors"]
    return (event["acled"]["event_type"], event["acled"]["sub_event_type"],
            actors[0].get("acled_inter") if actors else None)


def test_phrase_pattern_finds_the_victim_not_the_attacker() -> None:
    victims = phrase_pattern([["killed", "wounded"], ["soldier*", "policem*"]])
    assert victims is not None
    assert victims.search("the gunmen killed three young soldiers near the bridge")
    assert not victims.search("soldiers killed a farmer near the bridge")
    assert not victims.search("a farmer was killed by soldiers")  # "by" names the attacker
    assert not victims.search("a farmer was killed. Soldiers arrived later")  # never across a sentence


@pytest.mark.parametrize("text, expected", [
    # an attack on soldiers, police or their posts is a battle even when nobody fires back
    ("On 2 March 2021, insurgents attacked an army checkpoint near Tillaberi, killing four soldiers.",
     ("Battles", "Armed clash")),
    ("On 2 March 2021, two policemen were shot dead by gunmen in Maiduguri.", ("Battles", "Armed clash")),
    # the same attack on unarmed people is violence against civilians
    ("On 2 March 2021, gunmen shot dead two farmers in their fields near Maiduguri.",
     ("Violence against civilians", "Attack")),
    # mortars fired by both sides are part of a battle, not remote violence
    ("On 2 March 2021, the army and the rebels exchanged mortar fire in both directions near Donetsk.",
     ("Battles", "Armed clash")),
])
def test_who_was_hit_decides_battle_or_violence_against_civilians(extract, text, expected) -> None:  # type: ignore[no-untyped-def]
    assert _coded(extract, text)[:2] == expected


def test_a_crowd_attacking_police_is_a_riot_with_rioters_as_actor1(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 4 March 2021, a group of angry youths attacked police officers with stones in Kisumu."
    assert _coded(extract, text) == ("Riots", "Mob violence", 5)


def test_a_protest_against_an_arrest_is_peaceful(extract) -> None:  # type: ignore[no-untyped-def]
    text = ("On 5 March 2021, teachers protested in Lahore against the arrest of their union leader and "
            "demanded his release.")
    assert _coded(extract, text) == ("Protests", "Peaceful protest", 6)


def test_protesters_arrested_is_an_intervention(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 5 March 2021, students protested in Dhaka against fee rises. Police arrested twelve protesters."
    assert _coded(extract, text)[:2] == ("Protests", "Protest with intervention")


def test_a_road_blocked_to_make_a_demand_is_a_protest(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 6 March 2021, residents blocked the highway near Maracay to demand the delivery of cooking gas."
    assert _coded(extract, text) == ("Protests", "Peaceful protest", 6)


def test_police_dispersing_protesters_leave_the_protesters_as_actor1(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 7 March 2021, police fired tear gas to disperse hundreds of protesters in Nairobi."
    event_type, sub_event_type, inter = _coded(extract, text)
    assert (event_type, inter) == ("Protests", 6)


def test_drugs_seized_by_police_are_not_territory(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 8 March 2021, federal police seized two tons of cocaine hidden in a truck near Santos."
    assert _coded(extract, text)[:2] == ("Strategic developments", "Looting/property destruction")


def test_an_unattributed_battle_takes_the_armed_actor_named_in_the_note(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 9 March 2021, three suspects died after exchanging fire with military police in Salvador, Bahia."
    event_type, _, inter = _coded(extract, text)
    assert (event_type, inter) == ("Battles", 1)


# ---------------------------------------------------------------- second round: communal violence, riots

def test_raiders_of_an_ethnic_group_killing_villagers_is_violence_against_civilians(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 11 March 2021, armed Pokot raiders killed three villagers and drove away cattle near Tot, Kenya."
    assert _coded(extract, text) == ("Violence against civilians", "Attack", 4)


def test_unattributed_fighting_between_communities_is_a_communal_militia(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 12 March 2021, four people were killed in inter-clan fighting over a water point in Wajir, Kenya."
    event_type, _, inter = _coded(extract, text)
    assert (event_type, inter) == ("Battles", 4)


def test_a_mob_lynching_a_suspect_is_mob_violence(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 13 March 2021, an angry mob lynched a suspected thief at a market in Kakamega."
    assert _coded(extract, text) == ("Riots", "Mob violence", 5)


def test_armed_raiders_are_not_a_mob(extract) -> None:  # type: ignore[no-untyped-def]
    """The mob-violence cues ("a land dispute", "two groups") do not make armed attackers a crowd."""
    text = ("On 13 March 2021, bandits shot dead a farmer over a land dispute in Laikipia, Kenya, and "
            "burnt his house.")
    assert _coded(extract, text)[0] == "Violence against civilians"


@pytest.mark.parametrize("text", [
    "On 14 March 2021, students protesting fee rises engaged police in running battles in Eldoret.",
    "On 14 March 2021, traders protesting new levies barricaded the main road with bonfires in Kisii.",
    "On 14 March 2021, residents protesting insecurity went on the rampage and stoned passing vehicles in Narok.",
])
def test_demonstrators_fighting_police_or_barricading_is_a_violent_demonstration(extract, text) -> None:  # type: ignore[no-untyped-def]
    assert _coded(extract, text) == ("Riots", "Violent demonstration", 5)


# ---------------------------------------------------------------- third round: observed fire, riot triggers

@pytest.mark.parametrize("text, expected", [
    # fire reported by its rounds, nobody named as hit: the exchange it comes from, by the weapon
    ("On 15 March 2021, the monitors recorded 14 bursts of fire from small arms near Avdiivka.",
     ("Battles", "Armed clash")),
    ("On 15 March 2021, the monitors recorded 9 shots from small arms near Avdiivka.", ("Battles", "Armed clash")),
    ("On 15 March 2021, the monitors recorded 9 bursts of fire from heavy machineguns near Avdiivka.",
     ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    ("On 15 March 2021, the monitors recorded 30 projectiles landing near Avdiivka.",
     ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    # shots at a named unarmed victim stay violence against civilians
    ("On 15 March 2021, gunmen fired shots at a farmer and his son near Kaduna.",
     ("Violence against civilians", "Attack")),
])
def test_observed_fire_keeps_the_weapons_type(extract, text, expected) -> None:  # type: ignore[no-untyped-def]
    assert _coded(extract, text)[:2] == expected


def test_shooting_a_named_person_is_not_observed_fire(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 16 March 2021, unknown gunmen shot and killed a tax collector at the bus station in Warri."
    assert _coded(extract, text)[:2] == ("Violence against civilians", "Attack")


@pytest.mark.parametrize("text", [
    "On 17 March 2021, villagers stoned a suspected cattle thief to death near Kisii.",
    "On 17 March 2021, supporters of two rival aspirants broke into fistfights at a polling station in Embu.",
])
def test_violence_by_unorganised_people_outside_a_demonstration_is_mob_violence(extract, text) -> None:  # type: ignore[no-untyped-def]
    assert _coded(extract, text) == ("Riots", "Mob violence", 5)


def test_a_violent_reading_of_a_demonstration_beats_its_peaceful_reading(extract) -> None:  # type: ignore[no-untyped-def]
    """A demand and a clash in the same sentence: the riot decides, not the peaceful demand."""
    text = ("On 18 March 2021, factory workers demanding unpaid wages clashed with police on the highway "
            "outside Gazipur.")
    assert _coded(extract, text)[:2] == ("Riots", "Violent demonstration")


def test_demonstrators_pelting_police_are_a_violent_demonstration(extract) -> None:  # type: ignore[no-untyped-def]
    text = "On 18 March 2021, students protesting the closure of their college pelted police with stones in Nyeri."
    assert _coded(extract, text) == ("Riots", "Violent demonstration", 5)
