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
