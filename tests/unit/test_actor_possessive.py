"""A generic noun owned by a country is that country's, not the story's focus country's."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("text", "country"), [
    ("Russia's defence ministry said Syrian jets had struck a rebel warehouse in Idlib province on Tuesday.", "RUS"),
    ("Moscow's foreign ministry condemned the strike on the Shayrat air base in Homs province on Friday.", "RUS"),
])
def test_a_possessor_gives_the_generic_actor_its_country(extract, text: str, country: str) -> None:  # type: ignore[no-untyped-def]
    records = extract(text, "2017-04-07")
    speakers = [a for r in records for a in [*r["claimed_by"], *r["actors"]] if a.get("text") == "ministry"]
    assert speakers and {a["country"] for a in speakers} == {country}, records


def test_a_generic_actor_without_a_possessor_keeps_the_focus_country(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("Syrian troops shelled Douma on Tuesday. The ministry said 12 militants were killed.",
                      "2016-02-09")
    speakers = [a for r in records for a in [*r["claimed_by"], *r["actors"]] if a.get("text") == "ministry"]
    assert {a["country"] for a in speakers} <= {"SYR"}
