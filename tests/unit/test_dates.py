"""Dates resolve against the publication date, never "now", with ACLED precision."""

from datetime import date

import pytest

from sitrep.components.dates import DateResolver

PUBLISHED = date(2017, 1, 8)  # a Sunday


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("December 29th", "2016-12-29", "2016-12-29", 1),
        ("last Tuesday", "2017-01-03", "2017-01-03", 1),
        ("last week", "2016-12-26", "2017-01-01", 2),
        ("the past week", "2017-01-01", "2017-01-08", 2),
        ("earlier this month", "2017-01-01", "2017-01-08", 3),
        ("late December", "2016-12-21", "2016-12-31", 3),
        ("in 1999", "1999-01-01", "1999-12-31", 3),
    ],
)
def test_past_expressions(text: str, start: str, end: str, precision: int) -> None:
    value = DateResolver().resolve(text.removeprefix("in "), PUBLISHED)
    assert value is not None
    assert (value.start.isoformat(), value.end.isoformat(), value.precision) == (start, end, precision)


def test_future_sentence_resolves_forward() -> None:
    value = DateResolver().resolve("next week", PUBLISHED, future=True)
    assert value is not None and value.start > PUBLISHED and value.precision == 2


def test_past_dates_are_never_after_publication() -> None:
    value = DateResolver().resolve("this month", PUBLISHED)
    assert value is not None and value.end <= PUBLISHED


def test_relative_date_without_publication_date_is_unknown() -> None:
    assert DateResolver().resolve("last Tuesday", None) is None
    absolute = DateResolver().resolve("4 January 2017", None)
    assert absolute is not None and absolute.start == date(2017, 1, 4)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("Around 6 January 2017", "2017-01-06", "2017-01-06"),
    ("3 - 4 January", "2017-01-03", "2017-01-04"),
    ("January 2-3, 2017", "2017-01-02", "2017-01-03"),
])
def test_hedged_dates_and_day_ranges(text: str, start: str, end: str) -> None:
    from sitrep.components.dates import _strip_preposition

    value = DateResolver().resolve(_strip_preposition(text), PUBLISHED)
    assert value is not None and (value.start.isoformat(), value.end.isoformat()) == (start, end)


def test_event_date_is_the_clause_date_not_a_relative_clause(extract) -> None:  # type: ignore[no-untyped-def]
    text = ("On 29 April 2020, an activist, who was arrested on 16 April 2020, said that police beat him in "
            "Baku.")
    dates = {r["event_type"]: r["date"] for r in extract(text, "2020-04-30")}
    assert dates.get("COERCE") == "2020-04-16"  # the arrest, in the relative clause
    assert dates.get("ASSAULT") == "2020-04-29"  # the beating he spoke of, in the main clause


def test_a_past_tense_verb_dates_the_past_whatever_else_the_sentence_says(extract) -> None:  # type: ignore[no-untyped-def]
    # Published in January: "22 December" is last December although the sentence speaks of the
    # next phase, and "6 January" this January although the act announced lies ahead.
    text = ("Weeks after the army completed its recapture of eastern Aleppo on 22 December, the next phase of "
            "the war is taking shape. On 6 January the general staff announced that the carrier group would "
            "withdraw from the eastern Mediterranean.")
    dates = {r["event_type"]: r["date"] for r in extract(text, "2017-01-10")}
    assert dates.get("ASSAULT") == "2016-12-22"
    assert dates.get("RETREAT") == "2017-01-06"


def test_a_scheduled_act_still_resolves_forward(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("A second aid convoy is scheduled to enter Madaya on Thursday 14 January.", "2016-01-13")
    assert [r["date"] for r in records if r["event_type"] == "AID"] == ["2016-01-14"]


def test_sentence_without_date_continues_the_story(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("On Monday, rebels shelled Douma. Three civilians were killed in the shelling.", "2016-02-11")
    assert records and {r["date"] for r in records} == {"2016-02-08"}


def test_publication_date_inferred_from_the_date_line(pipeline) -> None:  # type: ignore[no-untyped-def]
    doc = pipeline("DAMASCUS, 4 February 2016 - Government forces shelled Douma on Tuesday.")
    assert doc.source.published == date(2016, 2, 4) and doc.source.published_inferred
    assert [m.norm["value"].start for m in doc.mentions if m.kind == "DATE" and m.text == "Tuesday"] == [
        date(2016, 2, 2)]


def test_publication_date_inferred_from_reference_access_dates() -> None:
    from sitrep.components.dates import infer_published
    from sitrep.document import Document

    doc = Document("Some text without a date line.\n\nReferences\n1. A report. Retrieved 3 March 2017.\n"
                   "2. Another. Accessed 5 March 2017.")
    assert infer_published(doc) == date(2017, 3, 5)


@pytest.mark.parametrize(("text", "expected"), [
    ("Sunday", "2017-01-08"),  # a report of Sunday 8 January saying "on Sunday" means that day
    ("Sunday night", "2017-01-08"),
    ("last Sunday", "2017-01-01"),
    ("Saturday", "2017-01-07"),
])
def test_weekday_of_the_publication_day_is_that_day(text: str, expected: str) -> None:
    value = DateResolver().resolve(text, PUBLISHED)
    assert value is not None and value.start.isoformat() == expected


def test_a_wire_clock_time_is_no_year(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("BOGOTA, 16 OCT 89 -- [TEXT] A CAR BOMB EXPLODED TODAY IN BOGOTA. IN THE TERRORIST ACTION, WHICH "
                      "TOOK PLACE IN A DOWNTOWN STREET AT 1210 GMT, FOUR PEDESTRIANS WERE KILLED.", "1989-10-16")
    violent = [r for r in records if r["event_type"] == "ASSAULT"]
    assert violent and {r["date"] for r in violent} == {"1989-10-16"}
    assert max((r.get("figures") or {}).get("killed", {}).get("best", 0) for r in violent) == 4


def test_a_wire_hour_after_at_is_no_year(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("SAN SALVADOR, 11 FEB 90 -- [TEXT] TODAY, 11 FEBRUARY, AT 0900, THE AIR FORCE BEGAN BOMBING A "
                      "SETTLEMENT IN SAN ISIDRO LABRADOR, KILLING SIX PEASANTS.", "1990-02-11")
    violent = [r for r in records if r["event_type"] == "ASSAULT"]
    assert violent and {r["date"] for r in violent} == {"1990-02-11"}
    assert {r["kind"] for r in violent} == {"occurrence"}
