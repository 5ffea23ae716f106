"""Date mentions resolved against the publication date, with ACLED time precision.

dateparser does the parsing (with `RELATIVE_BASE` pinned to the publication date, never
"now"); this module decides which spans are dates rather than durations, which direction
to resolve them (a sentence about the future prefers future dates), and the precision:
1 a day, 2 a week, 3 a month (a year alone is kept, as precision 3, and marked `year`).
Phrases dateparser does not know ("the past week", "earlier this month", "late December")
are normalised first.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from dateparser.date import DateDataParser
from spacy.tokens import Token

from sitrep.components.base import BaseComponent, parsed
from sitrep.document import DateValue, Document, Mention, Span

MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
MONTH_ABBR = "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
DATE_CUE = re.compile(
    rf"\b({MONTHS}|{MONTH_ABBR}|{WEEKDAYS}|yesterday|today|tonight|ago|last|this|next|earlier|"
    rf"past|weekend|\d{{4}}|\d{{1,2}}(st|nd|rd|th)?)\b",
    re.IGNORECASE,
)
FUTURE_CUE = re.compile(r"\b(will|could|would|shall|next|plan(?:s|ned)?|schedul\w*|expected|due to|set to|"
                        r"coming|upcoming|later this)\b", re.IGNORECASE)
PERIOD_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


class DateResolver(BaseComponent):
    """Adds DATE mentions whose `norm["value"]` is a `DateValue`."""

    def __init__(self) -> None:
        self._parsers: dict[tuple[date, str], DateDataParser] = {}

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        base = doc.source.published
        for ent in sdoc.ents:
            if ent.label_ not in ("DATE", "TIME") or not DATE_CUE.search(ent.text):
                continue
            text = _strip_preposition(ent.text)
            future = bool(FUTURE_CUE.search(ent.sent.text))
            value = self.resolve(text, base, future=future)
            if value is None:
                continue
            offset = ent.text.find(text)
            start = ent.start_char + max(offset, 0)
            doc.mentions.append(Mention("DATE", Span(start, start + len(text)), text,
                                        {"value": value, "future": future}, by="dates"))
        return doc

    def resolve(self, text: str, base: date | None, *, future: bool = False) -> DateValue | None:
        """Resolve one expression; `None` when it is not a date we can place in time."""
        special = _special(text, base)
        if special is not None:
            return special
        if base is None and not re.search(r"\d{4}", text):
            return None  # a relative date with no anchor is unknown, and we say so by omission
        anchor = base or date(2000, 1, 1)
        data = self._parser(anchor, "future" if future else "past").get_date_data(text)
        if data.date_obj is None:
            return None
        day = data.date_obj.date()
        period = data.period or "day"
        if period == "year" and not re.search(r"\d{4}", text) and "year" not in text.lower():
            return None
        if base is not None and not future and day > base:
            day = base
        return _period(day, period, text, base, future)

    def _parser(self, base: date, prefer: str) -> DateDataParser:
        key = (base, prefer)
        if key not in self._parsers:
            self._parsers[key] = DateDataParser(languages=["en"], settings={
                "RELATIVE_BASE": datetime(base.year, base.month, base.day),
                "PREFER_DATES_FROM": prefer,
                "PREFER_DAY_OF_MONTH": "first",
            })
        return self._parsers[key]


def _strip_preposition(text: str) -> str:
    return re.sub(r"^(on|in|since|by|from|until|of)\s+", "", text.strip(), flags=re.IGNORECASE)


def _period(day: date, period: str, text: str, base: date | None, future: bool) -> DateValue:
    if period == "week":
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=6)
    elif period == "month":
        start = day.replace(day=1)
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    elif period == "year":
        start, end = date(day.year, 1, 1), date(day.year, 12, 31)
    else:
        start = end = day
    if base is not None and not future:
        end = min(end, base)
        start = min(start, end)
    return DateValue(start, end, PERIOD_PRECISION.get(period, 1), text)


def _special(text: str, base: date | None) -> DateValue | None:
    """Phrases dateparser leaves unparsed, resolved by hand against the publication date."""
    lower = text.lower()
    if base is None:
        return None
    if re.fullmatch(r"(the |this )?past (week|seven days)|(over |during )?the (last|past) (week|few days)", lower):
        return DateValue(base - timedelta(days=7), base, 2, text)
    if re.fullmatch(r"(the |last |this )?weekend", lower):
        saturday = base - timedelta(days=(base.weekday() - 5) % 7)
        return DateValue(saturday, min(saturday + timedelta(days=1), base), 2, text)
    if re.fullmatch(r"earlier (this|in the) month", lower):
        return DateValue(base.replace(day=1), base, 3, text)
    match = re.fullmatch(rf"(early|mid|late|the end of|the beginning of|the start of)[- ]({MONTHS})", lower)
    if match:
        month = list(calendar.month_name).index(match.group(2).capitalize())
        year = base.year if month <= base.month else base.year - 1
        last = calendar.monthrange(year, month)[1]
        part = match.group(1)
        if part in ("early", "the beginning of", "the start of"):
            start, end = date(year, month, 1), date(year, month, 10)
        elif part == "mid":
            start, end = date(year, month, 11), date(year, month, 20)
        else:
            start, end = date(year, month, 21), date(year, month, last)
        return DateValue(start, min(end, base), 3, text)
    return None


def event_date(head: Token, mentions: list[Mention]) -> DateValue | None:
    """The date of the event at `head`: the sentence's date mention nearest the trigger."""
    dates = [m for m in mentions if m.kind == "DATE"]
    if not dates:
        return None
    return min(dates, key=lambda m: abs(m.span.start - head.idx)).norm["value"]
