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
