"""PLOVER typing from the clause around a trigger, on sentences written for these tests.

"The" event of a one-sentence report is the first record (sitrep.evaluate.plover.first_event):
the events of a sentence come in order of salience, the main clause's act first.
"""

from __future__ import annotations

import pytest

from sitrep.evaluate.quad import predicted_quad


def _lead(records: list[dict]) -> dict:
    assert records, "no event"
    return min(records, key=lambda r: r["evidence"]["start"])


@pytest.mark.parametrize(
    ("text", "event_type", "mode"),
    [
        # ending cooperation reduces relations; ending repression or protest is a concession
        ("The government halted military aid to the northern province last month.", "SANCTION", "discontinue"),
        ("The minister cancelled a planned visit to the neighbouring capital.", "SANCTION", "discontinue"),
        ("The army lifted the blockade of the port city on Friday.", "RETREAT", None),
        ("The dockers' union called off its three-day strike after talks with the employers.", "CONCEDE", None),
        # refusing, failing or saying one will not cooperate or concede is a rejection
        ("The rebels will not release the captured engineers.", "REJECT", "yield"),
        ("The governor declined to resign despite the scandal.", "REJECT", "yield"),
        ("The two parties failed to reach an agreement on the budget.", "REJECT", None),
        ("The council rejected the proposal for a joint commission.", "REJECT", None),
        # a demand through a modal of obligation, in reported speech
        ("The foreign minister said the neighbouring state must release the detained sailors.", "REQUEST", "yield"),
        # promises to cooperate are AGREE, announced conflictive acts are threats
        ("The president said he would visit the island next spring.", "AGREE", None),
        ("Farmers said they would blockade the ministry from Monday.", "THREATEN", "restrict"),
        # the main clause's act, not the purpose clause or the speaker
        ("Thousands of students staged demonstrations in the capital to demand new elections.", "PROTEST", "demo"),
        ("Militia fighters shelled the market town on Sunday, relief workers said.", "ASSAULT", "heavy-weapons"),
        # general verbs
        ("The agency has shared intelligence with its foreign partners.", "COOPERATE", None),
        ("The two countries established diplomatic ties in March.", "SUPPORT", None),
        ("Protesters blocked the main highway for six hours.", "PROTEST", "obstruct"),
    ],
)
def test_frame_types(extract, text: str, event_type: str, mode: str | None) -> None:  # type: ignore[no-untyped-def]
    event = _lead(extract(text, "2020-03-02"))
    assert event["event_type"] == event_type, event
    assert event["mode"] == mode, event


@pytest.mark.parametrize(
    ("text", "quad"),
    [
        ("The envoy urged both sides to return to the negotiating table.", 0),  # appeal: CAMEO 02
        ("The envoy demanded that both sides return to the negotiating table.", 3),  # demand: CAMEO 10
        ("The ministry rejected accusations that its police tortured detainees.", 0),  # denial: CAMEO 016
        ("The senator expressed pessimism about a trade deal with the bloc.", 0),  # attitude, no event
        ("The cabinet is considering sending aid to the flooded region.", 0),
        ("The donor reduced humanitarian aid to the country.", 3),  # reduce relations: CAMEO 16
        ("The government lifted sanctions on the shipping firms.", 2),  # ease sanctions: CAMEO 085
    ],
)
def test_quad_from_frames(extract, text: str, quad: int) -> None:  # type: ignore[no-untyped-def]
    records = extract(text, "2020-03-02")
    event = _lead(records) if records else None
    assert predicted_quad(event, "phoenix") == quad, records


def test_refusal_is_asserted(extract) -> None:  # type: ignore[no-untyped-def]
    event = _lead(extract("The government refused to lift the curfew in the capital.", "2020-03-02"))
    assert event["event_type"] == "REJECT" and event["status"] == "asserted", event


def test_labour_strike_is_not_an_air_strike(extract) -> None:  # type: ignore[no-untyped-def]
    event = _lead(extract("Teachers began an open-ended strike over unpaid salaries on Monday.", "2020-03-02"))
    assert (event["event_type"], event["mode"]) == ("PROTEST", "strike"), event
    assert event["acled"]["event_type"] == "Protests"


def test_air_strike_is_still_an_air_strike(extract) -> None:  # type: ignore[no-untyped-def]
    event = _lead(extract("A strike on the rebel base killed 14 fighters, the army said.", "2020-03-02"))
    assert (event["event_type"], event["mode"]) == ("ASSAULT", "aerial"), event


def test_participle_is_not_the_event(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("Residents of the occupied town held a rally against the curfew.", "2020-03-02")
    assert _lead(records)["event_type"] == "PROTEST", records
