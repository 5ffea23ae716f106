"""The lead event of a local shooting report: who was killed and hurt, and on which day.

Texts written for these tests in the shape of US local news (one shooting told over several
sentences, follow-up stories dated by their own news); the places are real, the people invented.
The lead is the one `sitrep eval gva` scores (the most violent occurrence that happened).
"""

from __future__ import annotations

from datetime import date

import pytest

import sitrep
from sitrep.document import Document, Section, Source, Span
from sitrep.evaluate.gva import figure, lead_event
from sitrep.record import records


@pytest.fixture(scope="module")
def nlp() -> sitrep.Pipeline:
    return sitrep.load()


def lead(nlp: sitrep.Pipeline, body: str, published: date, title: str = "Shooting") -> dict:
    text = f"{title}\n\n{body}"
    doc = nlp(Document(text=text, source=Source(title=title, published=published),
                       sections=[Section("title", Span(0, len(title))),
                                 Section("body", Span(len(title) + 2, len(text)))]))
    found = lead_event(records(doc))
    assert found is not None, [r["evidence"]["text"] for r in records(doc)]
    return dict(found)


def toll(event: dict) -> tuple[int, int]:
    return figure(event, "killed"), figure(event, "injured")


WEDNESDAY = date(2015, 3, 11)


@pytest.mark.parametrize(("body", "killed", "injured"), [
    # people shot and not said to have died are the injured
    ("Five people were shot outside a bar on Elm Street in Dayton late Tuesday, police said.", 0, 5),
    # shot and killed: one dead, nobody hurt
    ("A man was shot and killed on Oak Avenue in Flint on Tuesday night.", 1, 0),
    # the count's own manner word: one of the four died
    ("A gunman shot four people, one fatally, outside a nightclub in Memphis on Tuesday.", 1, 3),
    # a person joined to a count of others is one more
    ("She and two others were wounded when someone fired into a crowd in Tulsa on Tuesday.", 0, 3),
    # the shooters are not victims: the subject of "shot" with an object, and a clause with its own subject
    ("Two gunmen shot a cashier at a gas station in Toledo on Tuesday.", 0, 1),
    ("At least three men opened fire in a parking lot in Akron on Tuesday, and four people were wounded.", 0, 4),
    # "left two dead" counts the dead, not people who left
    ("A shooting at a house party in Macon on Tuesday left two dead.", 2, 0),
    # named victims joined by "and"
    ("The gunfire in Gary on Tuesday killed 19-year-old Dana Whitfield and 22-year-old Marcus Bell.", 2, 0),
    # the toll told in a sentence with no trigger of its own
    ("A man was shot on Pine Street in Jackson on Tuesday night.\n\nHe was pronounced dead at the hospital.", 1, 0),
    ("Six people were shot at a block party in Camden on Tuesday.\n\nOne of them, a 24-year-old man, "
     "died at the hospital.", 1, 5),
])
def test_the_toll_of_one_shooting(nlp: sitrep.Pipeline, body: str, killed: int, injured: int) -> None:
    assert toll(lead(nlp, body, WEDNESDAY)) == (killed, injured)


@pytest.mark.parametrize(("body", "published", "day"), [
    # the arrest is Friday's news; the shooting is dated by its own sentence
    ("A man was arrested Friday in the shooting death of a 17-year-old in Raleigh.\n\n"
     "The shooting happened Wednesday night outside an apartment complex.", date(2015, 3, 14), date(2015, 3, 11)),
    # "in critical condition Tuesday after he was shot": Tuesday is the condition's day
    ("A 12-year-old boy was in critical condition Tuesday after he was shot on a basketball court in "
     "Rocky Mount.\n\nThe boy was shot at about 6 p.m. Monday, police said.", date(2015, 3, 10), date(2015, 3, 9)),
    # "early Monday morning" in a Monday paper is that Monday (the TIME "morning" hides no weekday)
    ("Two men were shot early Monday morning near Main Street in Seattle, police said.",
     date(2015, 3, 9), date(2015, 3, 9)),
    # a clock time gives the hour, the weekday beside it the day
    ("A woman was shot at about 11 p.m. Saturday at a home in Tacoma, police said.",
     date(2015, 3, 16), date(2015, 3, 14)),
])
def test_the_shooting_is_dated_by_its_own_day(nlp: sitrep.Pipeline, body: str, published: date,
                                              day: date) -> None:
    assert lead(nlp, body, published)["date"] == day.isoformat()
