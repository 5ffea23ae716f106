"""What a clause makes of its trigger: a light verb gives way to the act it names, a transitive
"march" is no demonstration, a vigil is one unless it is a prayer service, and violence by a crowd
of protesters is a violent protest. Sentences written by us on public facts."""

from __future__ import annotations

import pytest


def _types(records: list[dict]) -> list[str]:
    return sorted(r["event_type"] for r in records)


@pytest.mark.parametrize("text", [
    "On 8 July the Russian armed forces delivered a group strike on defence plants in Ukraine.",
    "The army carried out air strikes on rebel positions near Idlib on Monday.",
])
def test_a_light_verb_gives_way_to_the_act_it_names(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _types(extract(text, "2024-07-09")) == ["ASSAULT"]


def test_delivering_aid_is_still_aid(extract) -> None:  # type: ignore[no-untyped-def]
    assert "AID" in _types(extract("Aid agencies delivered food to Madaya on Monday.", "2016-01-13"))


def test_marching_captives_away_is_no_demonstration(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("Gunmen stormed a school in Kuriga and marched hundreds of pupils into the bush.", "2024-03-08")
    assert "PROTEST" not in _types(records) and "ASSAULT" in _types(records)
    protest = extract("Thousands of protesters marched on parliament in Nairobi on Tuesday.", "2024-06-26")
    assert _types(protest) == ["PROTEST"]


def test_a_prayer_vigil_is_worship_and_a_vigil_for_victims_a_protest(extract) -> None:  # type: ignore[no-untyped-def]
    attack = extract("Fighters attacked a church during an overnight prayer vigil in Komanda.", "2025-07-28")
    assert _types(attack) == ["ASSAULT"]
    vigil = extract("A vigil for the victims of Moura is planned in Paris on Saturday.", "2022-04-14")
    assert _types(vigil) == ["PROTEST"]


def test_violence_by_protesters_is_a_violent_protest(extract) -> None:  # type: ignore[no-untyped-def]
    (riot,) = extract("In Kinshasa, protesters attacked several embassies on 28 January.", "2025-01-30")
    assert (riot["event_type"], riot["mode"], riot["cameo"]) == ("PROTEST", "riot", "145")
    assert riot["acled"]["event_type"] == "Riots"
    mixed = extract("Police fired tear gas at protesters in Nairobi on Tuesday.", "2024-06-26")
    assert [r["event_type"] for r in mixed] == ["ASSAULT"]  # the police act: an intervention, not a riot


def test_a_trigger_naming_a_kind_of_thing_is_no_act(extract) -> None:  # type: ignore[no-untyped-def]
    assert extract("09:40 -- Air raid sirens are sounding across Ukraine.", "2023-01-15") == []
    arrest = extract("Protest leaders were arrested in Tehran on Sunday.", "2023-01-15")
    assert _types(arrest) == ["COERCE"]
    campaign = extract("An air strike campaign hit Idlib on Monday.", "2023-01-10")
    assert _types(campaign) == ["ASSAULT"]  # a series of acts is still the act


@pytest.mark.parametrize(("text", "actor", "source"), [
    ("Hamas accused Israel of shelling a school in Gaza City on Tuesday.", "ISR_MIL", "Hamas"),
    ("The army blamed the rebels for the attack on Kidal.", "MLI_REB", "Military Forces of Mali"),
])
def test_the_accused_acts_and_the_accuser_claims(extract, text: str, actor: str, source: str) -> None:  # type: ignore[no-untyped-def]
    (act,) = [r for r in extract(text, "2025-01-27") if r["event_type"] == "ASSAULT"]
    assert act["status"] == "claimed"
    assert [a["id"] for a in act["actors"]] == [actor]
    assert any(source in (c.get("name") or c.get("text") or "") for c in act["claimed_by"])


def test_a_condemned_act_is_claimed_by_who_condemns_it_and_done_by_its_agent(extract) -> None:  # type: ignore[no-untyped-def]
    text = "M23 condemned the shelling of Goma carried out on 26 January by the Congolese army."
    (act,) = [r for r in extract(text, "2025-01-27") if r["event_type"] == "ASSAULT"]
    assert act["status"] == "claimed" and act["date"] == "2025-01-26"
    assert [a["id"] for a in act["actors"]] == ["COD_MIL"]



def test_what_was_reported_is_not_its_own_source(extract) -> None:  # type: ignore[no-untyped-def]
    (plain,) = extract("Clashes were reported in Gondar on Thursday.", "2023-08-07")
    assert plain["status"] == "asserted" and plain["claimed_by"] == []
    (sourced,) = extract("Clashes were reported by residents in Gondar on Thursday.", "2023-08-07")
    assert sourced["status"] == "claimed" and sourced["claimed_by"]


def test_a_passive_participle_drops_what_it_carries_not_the_act_it_names(extract) -> None:  # type: ignore[no-untyped-def]
    """"explosives dropped from drones": the drones attack, nothing is called off. "withdrew
    from the deal" still ends the deal."""
    drone = extract("A police helicopter was hit by explosives dropped from drones on Thursday in Amalfi, "
                    "police said.", "2025-08-22")
    assert _types(drone) == ["ASSAULT"]
    deal = extract("Russia withdrew from the grain deal on Monday.", "2023-07-18")
    assert "ASSAULT" not in _types(deal) and deal


def test_releasing_images_frees_no_one(extract) -> None:  # type: ignore[no-untyped-def]
    images = extract("The army has released aerial images of the hospital in Gaza.", "2023-10-18")
    assert "RETREAT" not in _types(images)
    assert "RETREAT" in _types(extract("Hamas released two hostages in Gaza on Friday.", "2023-10-21"))


def test_displaced_people_named_by_an_adjective_are_no_flight(extract) -> None:  # type: ignore[no-untyped-def]
    stock = extract("Before the war, about 650,000 displaced people lived in camps around Goma.", "2025-01-31")
    assert "SANCTION" not in _types(stock)
    crowd = extract("The gunman blended into the fleeing crowd in Highland Park.", "2022-07-05")
    assert "SANCTION" not in _types(crowd)
    flight = extract("About 3,000 residents fled the Jenin camp on Monday night.", "2023-07-04")
    assert "SANCTION" in _types(flight)


def test_a_withdrawal_that_only_dates_another_act_is_not_coded(extract) -> None:  # type: ignore[no-untyped-def]
    dated = extract("Fano fighters entered Lalibela on Wednesday after the army withdrew.", "2023-08-04")
    assert "RETREAT" not in _types(dated)
    withdrawal = extract("Israeli troops withdrew from Jenin on Wednesday.", "2023-07-06")
    assert _types(withdrawal) == ["RETREAT"]


def test_part_of_a_hyphenated_business_name_is_no_town(extract) -> None:  # type: ignore[no-untyped-def]
    """"Just-In-Time Recreation" is a bowling alley, not the town of Justin: the second mention of
    the shooting joins the first, in Lewiston."""
    records = extract("A gunman killed 18 people in Lewiston, Maine, on Wednesday. The gunman opened fire at "
                      "about 7 p.m. at Just-In-Time Recreation, a bowling alley.", "2023-10-26")
    assert [r["location"]["name"] for r in records] == ["Lewiston"]


def test_the_crime_of_a_charge_is_the_act_already_reported(extract) -> None:  # type: ignore[no-untyped-def]
    """"charged with four counts of murder" on Tuesday is the Saturday shooting, not a second one."""
    records = extract("Gunmen shot dead four people at a party in Dadeville on Saturday night. Two brothers were "
                      "arrested on Tuesday and each charged with four counts of murder.", "2023-04-19")
    assert _types(records) == ["ASSAULT", "COERCE"]
    shooting = next(r for r in records if r["event_type"] == "ASSAULT")
    assert shooting["date"] == "2023-04-15"


def test_who_searches_decides_what_a_search_is(extract) -> None:  # type: ignore[no-untyped-def]
    assert _types(extract("Rescuers searched the rubble of the building in Odesa on Sunday.", "2024-03-04")) == []
    hunt = extract("Hundreds of police officers searched woods near Lewiston on Thursday for the suspect.",
                   "2023-10-27")
    assert _types(hunt) == ["MOBILIZE"]
    raid = extract("Soldiers searched homes in Jenin on Monday.", "2023-07-04")
    assert _types(raid) == ["COERCE"]


def test_a_country_named_as_a_modifier_is_not_the_place(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("Seven aid workers were killed in Deir al-Balah on Monday, among them a US-Canadian "
                      "citizen.", "2024-04-02")
    assert [r["location"]["country"] for r in records] == ["PSE"]
    ship = extract("Houthi forces fired a missile at a US destroyer on Sunday.", "2024-01-15")
    assert all(r["location"] is None or r["location"]["country"] != "USA" for r in ship)


def test_powers_to_act_are_no_act(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("On 9 August the government gave the security services wide powers to restrict movement "
                      "and seize property in the Kursk region.", "2024-08-20")
    assert "ASSAULT" not in _types(records)
    seized = extract("Ukrainian forces seized the town of Sudzha in the Kursk region on 15 August.", "2024-08-20")
    assert _types(seized) == ["ASSAULT"]


def test_the_city_is_the_story_s_own_town(extract) -> None:  # type: ignore[no-untyped-def]
    """"inside the city" in a story about El Fasher is El Fasher, though Kutum was named last."""
    text = ("Fighters of the Rapid Support Forces shelled El Fasher on Saturday. Residents of El Fasher said "
            "markets were closed. Aid workers were also seen in Kutum on Sunday. On Monday "
            "shells hit a hospital inside the city, killing nine people.")
    records = extract(text, "2024-06-11")
    hospital = next(r for r in records if (r["figures"].get("killed") or {}).get("best") == 9)
    assert hospital["location"]["name"] == "El Fasher"


def test_a_government_fights_through_its_forces(extract) -> None:  # type: ignore[no-untyped-def]
    fought = extract("The Syrian government recaptured eastern Aleppo on 22 December.", "2017-01-13")
    assert [a["id"] for r in fought for a in r["actors"]] == ["SYR_MIL"]
    decreed = extract("The Ethiopian government declared a state of emergency in Amhara on 4 August.", "2023-08-05")
    assert "ETH_GOV" in [a["id"] for r in decreed for a in r["actors"]]


def test_a_dated_denial_of_the_act_is_a_mention_of_it(extract) -> None:  # type: ignore[no-untyped-def]
    """The denial states the act's own date; it names who denied the strike, it is no event."""
    records = extract("A missile struck the railway station in Kramatorsk on Friday, killing at least 50 people. "
                      "Russia's defence ministry denied any involvement, saying its forces had no combat tasks in "
                      "Kramatorsk on Friday.", "2022-04-09")
    assert _types(records) == ["ASSAULT"]
    assert "RUS" in {a.get("country") for a in records[0]["denied_by"]}


def test_a_party_announcing_its_own_decision_has_made_it(extract) -> None:  # type: ignore[no-untyped-def]
    truce = extract("On 29 December Russia and Turkey announced a nationwide ceasefire in Syria.", "2017-01-10")
    assert [r["status"] for r in truce] == ["asserted"]
    assert {a["id"] for a in truce[0]["claimed_by"]} >= {"RUS_GOV", "TUR_GOV"}
    attack = extract("Islamic State announced that it had carried out the attack in Kabul on Friday.", "2021-08-28")
    assert [r["status"] for r in attack] == ["claimed"]
