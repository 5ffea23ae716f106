"""Acts that conflict reports describe without the usual attack verbs, and who undergoes an event.

Sentences written for these tests. Each case is one behaviour of the trigger lexicon or the role
rules: bodies found with signs of violence, fire observed or heard, stones thrown, theft, demonstration
forms, gathering to demand something, and recipients introduced by the event type's prepositions.
"""

from __future__ import annotations

import pytest


def _types(records: list[dict]) -> set[tuple[str, str | None]]:
    return {(r["event_type"], r["mode"]) for r in records if r["status"] in ("asserted", "claimed")}


@pytest.mark.parametrize(
    ("text", "event_type", "mode"),
    [
        ("On 2 March, a man was found dead beside a road outside the town.", "ASSAULT", "targeted"),
        ("The bodies of two women were discovered in a sugarcane field.", "ASSAULT", "targeted"),
        ("Human remains were found in three plastic bags beside the highway.", "ASSAULT", "targeted"),
        ("Two human heads were found near the town hall with a threatening message.", "ASSAULT", "targeted"),
        ("Two men threw Molotov cocktails at a pharmacy in the market.", "ASSAULT", "destroy"),
        ("Monitors recorded 14 shots from small arms near the checkpoint overnight.", "ASSAULT", "firearms"),
        ("Observers counted 30 projectiles fired from unknown weapons near the village.", "ASSAULT",
         "heavy-weapons"),
        ("A group of youths threw stones at a police patrol in the market.", "PROTEST", "riot"),
        ("Residents pelted the district office with stones over the water shortage.", "PROTEST", "riot"),
        ("Armed herders stole about 200 goats from a farm near the river.", "COERCE", "seize"),
        ("A soldier raped a girl in the village on Sunday.", "ASSAULT", "sexual"),
        ("Unknown gunmen wounded three traders on the highway.", "ASSAULT", None),
        ("Police gunned down two robbery suspects in the estate.", "ASSAULT", "firearms"),
        ("Unidentified men set three shops on fire during the night.", "ASSAULT", "destroy"),
        ("Nurses picketed outside the county hospital over unpaid salaries.", "PROTEST", "demo"),
        ("Hundreds of traders gathered outside the council offices to demand the reopening of the market.",
         "PROTEST", "demo"),
    ],
)
def test_conflict_note_acts(extract, text: str, event_type: str, mode: str | None) -> None:  # type: ignore[no-untyped-def]
    found = _types(extract(text, "2020-03-05"))
    if mode is None:  # the verb gives no mode of its own; another word may ("gunmen": firearms)
        assert event_type in {t for t, _ in found}
    else:
        assert (event_type, mode) in found


@pytest.mark.parametrize(
    "text",
    [
        "The council is the governing body of the district.",  # "body" needs a discovery or violence near it
        "Supporters gathered in the hall to hear the results.",  # gathering alone is not a protest
        "The pitcher threw the ball to the catcher.",  # throwing needs stones, rocks or bricks
        "The head of the police said the army found no weapons.",  # a head is a discovery only when found
    ],
)
def test_ambiguous_words_need_their_context(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not {t for t, _ in _types(extract(text, "2020-03-05"))} & {"ASSAULT", "PROTEST"}


@pytest.mark.parametrize(
    ("text", "event_type", "recipient_country"),
    [
        ("Norway will give Kenya a loan of 20 million dollars to build roads.", "AGREE", "KEN"),
        ("Japan sent aid to Indonesia after the earthquake.", "AID", "IDN"),
        ("Pakistan demanded an apology from India over the border incident.", "REQUEST", "IND"),
        ("The Indian army launched an invasion of Pakistan.", "ASSAULT", "PAK"),
    ],
)
def test_recipient_from_the_types_preposition(extract, text: str, event_type: str,  # type: ignore[no-untyped-def]
                                              recipient_country: str) -> None:
    events = [r for r in extract(text) if r["event_type"] == event_type]
    assert events, f"no {event_type}"
    assert recipient_country in {a.get("country") for a in events[0]["recipients"]}


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("The rebels threatened to launch a new offensive against the capital.", "violence"),
        ("The president threatened to cut diplomatic ties with the neighbouring state.", "relations"),
    ],
)
def test_threat_mode_is_what_is_threatened(extract, text: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    threats = [r for r in extract(text) if r["event_type"] == "THREATEN"]
    assert threats and threats[0]["mode"] == mode


@pytest.mark.parametrize(
    ("text", "event_type", "actor_country", "recipient_country"),
    [
        # rejecting a party's proposal targets the proposer, not the one who rejects
        ("Chile rejected Argentina's proposal for joint patrols.", "REJECT", "CHL", "ARG"),
        # a demand in reported speech: the speaker asks, the obliged party is the target
        ("Norway said that Sudan must return the seized aircraft.", "REQUEST", "NOR", "SDN"),
        ("The rebels dismissed an appeal from the Ugandan government to lay down their arms.", "REJECT", None, "UGA"),
    ],
)
def test_statement_source_and_target(extract, text: str, event_type: str,  # type: ignore[no-untyped-def]
                                     actor_country: str | None, recipient_country: str) -> None:
    events = [r for r in extract(text) if r["event_type"] == event_type]
    assert events, f"no {event_type}"
    if actor_country:
        assert [a.get("country") for a in events[0]["actors"]][:1] == [actor_country]
    assert [a.get("country") for a in events[0]["recipients"]][:1] == [recipient_country]
