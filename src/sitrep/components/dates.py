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
from typing import Any

from dateparser.date import DateDataParser
from spacy.tokens import Token

from sitrep.components.base import BaseComponent, parsed
from sitrep.components.geolink import remember_story
from sitrep.document import DateValue, Document, Mention, Span
from sitrep.full_dates import FULL_DATE, to_date
from sitrep.nlp import doc_text

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
# a place or street named after a date: "Monday Avenue", "25 de Mayo Street", "the 6 October Bridge"
NAMED_FOR_DATE = re.compile(r"^\s+(avenue|street|road|square|sector|boulevard|bridge|market|plaza|park|"
                            r"neighbou?rhood|district|st\.?|ave\.?|blvd)\b", re.IGNORECASE)
PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
TODAY_WEEKDAY = re.compile(rf"^(?:on\s+)?({WEEKDAYS}){PART_OF_DAY}$", re.IGNORECASE)
LEADING_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+$")
CLOCK_TIME = re.compile(r"^\s*(?:(?:at|about|around|approximately|just after|just before|shortly after|"
                        r"shortly before|before|after)\s+)*\d{1,2}(?::\d\d)?\s*(?:a\.?m\.?|p\.?m\.?|o'clock)?\s*$",
                        re.IGNORECASE)
BARE_NUMBER = re.compile(r"^\s*\d{1,2}\s*$")
# "at 1210 GMT", "at 0945 hours": wire copy's 24-hour clock, which the small model tags as a year
FOUR_DIGITS = re.compile(r"^\s*(?:at\s+|about\s+|around\s+)?([01]\d|2[0-3])[0-5]\d\s*$", re.IGNORECASE)
CLOCK_AFTER = re.compile(r"^\s*(?:gmt|utc|hours|hrs|local\s+time|h)\b", re.IGNORECASE)
AT_BEFORE = re.compile(r"\bat\s+$", re.IGNORECASE)
# a weekday the small model leaves untagged ("early Sunday morning", "late Friday"): local news dates
# its incidents this way, relative to the publication date
WEEKDAY_PHRASE = re.compile(rf"\b({WEEKDAYS}){PART_OF_DAY}\b", re.IGNORECASE)
# "early Sunday morning", "late Friday night": the day is the date; the part of it is not parsed
WEEKDAY_WITH_PART = re.compile(rf"(?:(?:early|late)\s+)?(?:on\s+)?({WEEKDAYS}){PART_OF_DAY}", re.IGNORECASE)
DATE_BORROWED = "date_borrowed"  # an event flag: its stated date is another act's (date_borrowed)
NARRATIVE_KEY = "sitrep_dates"  # the document's resolved dates, in order, on the spaCy Doc for dated_event


class DateResolver(BaseComponent):
    """Adds DATE mentions whose `norm["value"]` is a `DateValue`."""

    def __init__(self) -> None:
        self._parsers: dict[tuple[date, str], DateDataParser] = {}

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        if doc.source.published is None:
            inferred = infer_published(doc)
            if inferred is not None:
                doc.source.published = inferred
                doc.source.published_inferred = True
        base = doc.source.published
        narrative: list[tuple[int, DateValue]] = []
        for ent in [*sdoc.ents, *_weekday_spans(sdoc)]:
            if ent.label_ not in ("DATE", "TIME") or not DATE_CUE.search(ent.text):
                continue
            if BARE_NUMBER.match(ent.text):
                continue  # "the victim, 24, ...": an age or a count the small model tagged as a date
            if FOUR_DIGITS.match(ent.text) and (
                    CLOCK_AFTER.match(doc.text[ent.end_char : ent.end_char + 16]) or ent.text.strip()[0] == "0"
                    or AT_BEFORE.search(doc.text[max(0, ent.start_char - 6) : ent.start_char])):
                continue  # "at 1210 GMT", "at 0900": an hour of the day, not the year 1210 or 900
            ent_text, ent_start = ent.text, ent.start_char
            day = LEADING_DAY.search(doc.text[max(0, ent_start - 8) : ent_start])
            if day and re.match(rf"({MONTHS}|{MONTH_ABBR})", ent_text, re.IGNORECASE):
                # the small model tags "Around 4 May 2020" as "May 2020": the day before it belongs to it
                ent_start -= len(day.group(0))
                ent_text = doc.text[ent_start : ent.end_char]
            if NAMED_FOR_DATE.match(doc.text[ent.end_char : ent.end_char + 16]):
                continue  # "Monday Avenue", "the 25 of March sector": a name, not a date
            text = _strip_preposition(ent_text)
            future = _looks_ahead(ent)
            value = self.resolve(text, base, future=future)
            if value is None:
                continue
            offset = ent_text.find(text)
            start = ent_start + max(offset, 0)
            # "at about 6 p.m. Monday": the hour is no day of its own (dated_event ranks it last)
            clock = bool(CLOCK_TIME.match(ent_text))
            doc.mentions.append(Mention("DATE", Span(start, start + len(text)), text,
                                        {"value": value, "future": future, "clock": clock}, by="dates"))
            if not future:
                narrative.append((start, value))
        sdoc.user_data[NARRATIVE_KEY] = narrative
        # the story's places go to the event layer with its dates: a sentence naming neither
        # continues the one before (places and actors have run by now)
        remember_story(sdoc, doc.mentions, doc.ext.get("toponyms") or ())
        return doc

    def resolve(self, text: str, base: date | None, *, future: bool = False) -> DateValue | None:
        """Resolve one expression; `None` when it is not a date we can place in time."""
        special = _special(text, base)
        if special is not None:
            return special
        first_day = _range_start(text)
        if first_day is not None:
            value = self.resolve(first_day, base, future=future)
            if value is None:
                return None
            days = re.findall(r"\d{1,2}(?!\d)", text)
            end = value.start
            if len(days) >= 2 and int(days[1]) > value.start.day:
                end = min(value.start.replace(day=min(int(days[1]), 28 if value.start.month == 2 else 30)),
                          base or date.max)
            return DateValue(value.start, max(end, value.start), 1 if (end - value.start).days <= 1 else 2, text)
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


HEDGE = re.compile(r"^((on|in|since|by|from|until|of|around|about|approximately|circa|c\.|as of|"
                   r"on or about|on or around|or around|or about|reportedly|some time|sometime|at least|between)\s+)+",
                   re.IGNORECASE)
DAY_RANGE = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(({MONTHS})"
                       rf"(?:\s+\d{{4}})?)$", re.IGNORECASE)
MONTH_RANGE = re.compile(rf"^(({MONTHS})\s+\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?"
                         rf"((?:,?\s+\d{{4}})?)$", re.IGNORECASE)


def _weekday_spans(sdoc: Any) -> list[Any]:
    """Weekday phrases outside every DATE/TIME entity, as DATE spans (not added to the parse)."""
    # an entity without a date word ("morning" alone, tagged TIME in "early Monday morning") is not
    # read as a date, so it must not hide the weekday beside it
    taken = [(e.start_char, e.end_char) for e in sdoc.ents if e.label_ in ("DATE", "TIME") and DATE_CUE.search(e.text)]
    out = []
    for match in WEEKDAY_PHRASE.finditer(sdoc.text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        if not match.group(1)[0].isupper() and not sdoc.text.isupper():
            continue  # "monday" in lower case is rarely a date in edited copy
        span = sdoc.char_span(match.start(), match.end(), label="DATE", alignment_mode="contract")
        if span is not None and len(span):
            out.append(span)
    return out


def _strip_preposition(text: str) -> str:
    """"around 6 May 2020" -> "6 May 2020": prepositions and hedges are not part of the date."""
    text = HEDGE.sub("", text.strip())
    match = WEEKDAY_WITH_PART.fullmatch(text)
    return match.group(1) if match else text


def _range_start(text: str) -> str | None:
    """"27 - 28 April" -> "27 April"; "May 3-5, 2020" -> "May 3, 2020": a range dates from its first day."""
    match = DAY_RANGE.match(text)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    match = MONTH_RANGE.match(text)
    if match:
        return f"{match.group(1)}{match.group(3)}"
    return None


def _looks_ahead(ent: Any) -> bool:
    """Whether a date should resolve forwards from the publication date.

    A cue anywhere in the sentence used to decide it, so "the government completed its recapture
    of Aleppo on 22 December, and the next phase ..." (published in January) gave next December,
    and "On 6 January the general announced that the group would withdraw" next January. The verb
    that governs the date decides first: a past-tense verb ("completed", "announced", "has
    said") dates a past act, whatever the rest of the sentence says; otherwise the sentence's cue
    decides as before ("talks are planned in Astana on 23 January", "will reopen on Monday").
    """
    verb = next((t for t in ent.root.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None and _past_tense(verb):
        return False
    return bool(FUTURE_CUE.search(ent.sent.text))


def _past_tense(verb: Any) -> bool:
    """A verb in the simple past or a perfect ("has withdrawn", "had been shelled"), with no
    modal of its own ("would have fled" is not a report of the past)."""
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & {"will", "would", "shall", "could", "may", "might", "'ll", "should", "must"}:
        return False
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and bool(auxes & {"has", "have", "had", "was", "were"})


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
    weekday = TODAY_WEEKDAY.match(lower)
    if weekday and list(calendar.day_name).index(weekday.group(1).capitalize()) == base.weekday():
        # "on Saturday" in a report of that Saturday is the day itself (dateparser reads it as a week
        # ago); "last Saturday" still means a week ago
        return DateValue(base, base, 1, text)
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


def dated_event(head: Token, mentions: list[Mention]) -> tuple[DateValue | None, str | None]:
    """The date of the event at `head`, and how it was found ("stated", "carried" or None).

    Among the sentence's dates, the one in the trigger's own clause wins ("On 29 April, an
    activist, who was arrested on 16 April, said ..." -> 29 April for the saying), then one in
    a clause above it ("On 7 May, gunmen attacked the village, killing five" -> 7 May for the
    killing), then the nearest: "stated". A sentence with no date continues the story of the one
    before: it takes the last day-precise date of an earlier sentence in the same paragraph,
    "carried"; None when the sentence and its paragraph give none.
    """
    chosen = _sentence_date(head, mentions)
    if chosen is None:
        carried = _narrative_date(head)
        return carried, ("carried" if carried is not None else None)
    return chosen.norm["value"], "stated"


def _sentence_date(head: Token, mentions: list[Mention]) -> Mention | None:
    """The sentence's date mention for the event at `head` (the ranking dated_event describes)."""
    dates = [m for m in mentions if m.kind == "DATE" and m.norm.get("value") is not None]
    if not dates:
        return None
    event_clause = clause_verb(head)
    above = {event_clause, *event_clause.ancestors}

    def rank(mention: Mention) -> tuple[bool, int, int]:
        span = head.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        clause = clause_verb(span.root) if span is not None else None
        level = 0 if clause == event_clause else 1 if clause in above else 2
        return bool(mention.norm.get("clock")), level, abs(mention.span.start - head.idx)

    return min(dates, key=rank)


# a clause introduced by these happened at another time than the clause it hangs from:
# "was in critical condition Tuesday after he was shot"
OTHER_TIME_MARKS = frozenset({"after", "before", "since", "until"})


def date_borrowed(head: Token, mentions: list[Mention]) -> bool:
    """Whether the sentence's date, chosen for the event at `head`, belongs to another act.

    Follow-up stories date their own news ("A man was arrested Friday in the shooting death of
    ...", "was in critical condition Tuesday after he was shot"), and the happening they recall
    takes that date only for want of a better one. A date is borrowed when the trigger is a noun
    in a prepositional phrase of another act ("in the shooting death", "charged with the murder";
    not a date inside the noun's own phrase: "Wednesday's shooting"), or when the trigger's
    clause is subordinated as earlier or later ("after he was shot") and the date is above it.
    (A reporting verb's date, "police said Tuesday", is not counted borrowed: in wire copy
    "On 21 December, WFP said its warehouse had been looted" is how a happening is dated.) The
    narrative stage prefers a mention of the same happening with a date of its own.
    """
    chosen = _sentence_date(head, mentions)
    if chosen is None:
        return False
    span = head.doc.char_span(chosen.span.start, chosen.span.end, alignment_mode="expand")
    if span is None:
        return False
    date_clause = clause_verb(span.root)
    event_clause = clause_verb(head)
    if head.pos_ in ("NOUN", "PROPN"):
        if span.root.i in {t.i for t in head.subtree} or span.root.head.i == head.i:
            return False
        # only a noun in a prepositional phrase of another act ("arrested Friday in the shooting
        # death", "charged with the murder"); a subject ("fighting reached the state on 15
        # December") or a light verb's object ("launched an offensive") is dated by its verb
        noun = head
        while noun.dep_ in ("amod", "compound") and noun.head.i != noun.i:
            noun = noun.head  # "in the shooting death": the phrase's noun is "death"
        return noun.dep_ == "pobj" and date_clause.i != noun.i
    if date_clause.i == event_clause.i:
        return False
    above = {t.i for t in event_clause.ancestors}
    if date_clause.i not in above:
        return False
    return any(c.dep_ == "mark" and c.lower_ in OTHER_TIME_MARKS for c in event_clause.children)


def clause_verb(token: Token) -> Token:
    """The verb heading the clause a token sits in (the sentence root when there is none)."""
    current = token
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    return current


def _narrative_date(head: Token) -> DateValue | None:
    """The last day-precise date of an earlier sentence in the same paragraph. A date never
    crosses a paragraph break: a new paragraph may turn to another happening, to background or
    to the writer's view, and a date stated once must not date the whole article."""
    text = doc_text(head.doc)
    paragraph_start = text.rfind("\n", 0, head.sent.start_char) + 1
    earlier = [(start, value) for start, value in head.doc.user_data.get(NARRATIVE_KEY, [])
               if paragraph_start <= start < head.sent.start_char and value.precision == 1]
    return earlier[-1][1] if earlier else None


ACCESSED = re.compile(r"\b(accessed|retrieved|consulted|viewed)\b[^\n]{0,20}", re.IGNORECASE)


def infer_published(doc: Document) -> date | None:
    """A publication date found in the text when the input gave none (marked inferred by the caller).

    First a full date in the date line (the first 300 characters of the body or title); then the
    latest access date of a reference list ("Retrieved 4 March 2017"), as a page is published
    no later than it was last read.
    """
    head_end = min(len(doc.text), 300, *(s.span.start for s in doc.sections if s.name in ("reference", "comment")))
    first_access = ACCESSED.search(doc.text)
    if first_access:
        head_end = min(head_end, first_access.start())
    for match in FULL_DATE.finditer(doc.text[:head_end]):
        found = to_date(match)
        if found is not None:
            return found
    accessed = [d for m in ACCESSED.finditer(doc.text)
                for d in (to_date(x) for x in FULL_DATE.finditer(doc.text, m.end(), min(len(doc.text), m.end() + 40)))
                if d is not None]
    return max(accessed) if accessed else None
