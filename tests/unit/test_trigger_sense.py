"""A trigger's sense is read from its own phrase and its verb's parties, not from the whole sentence."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("text", "event_type", "mode"), [
    # rescue workers report the strike; they do not strike
    ("Hours later, a clinic where victims were being treated was hit in a further strike, according to rescue "
     "workers and local doctors.", "ASSAULT", "aerial"),
    ("Rescue workers said a strike on the market killed 12 people on Monday.", "ASSAULT", "aerial"),
    ("Bus drivers went on strike in Lagos on Monday, halting transport across the city.", "PROTEST", "strike"),
    ("A nationwide strike by transport workers paralysed Nairobi on Tuesday.", "PROTEST", "strike"),
    ("Doctors at the main hospital began a strike over pay on Monday.", "PROTEST", "strike"),
])
def test_the_sense_of_strike(extract, text: str, event_type: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    records = extract(text, "2017-04-05")
    assert (event_type, mode) in {(r["event_type"], r["mode"]) for r in records}, records
    other = "PROTEST" if event_type == "ASSAULT" else "ASSAULT"
    assert other not in {r["event_type"] for r in records}, records
