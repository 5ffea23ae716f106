"""A reference list ("Sources", "References") split into numbered items with outlet and dates.

Analyses end with the sources they cite: "1. CNN, "Headline", accessed 5 January 2017." Each
item becomes its own `reference` section (labelled with its number) and a `Citation` with the
cited outlet, title, URL and dates, so the list can be queried without ever feeding the event
layer (an outlet's headline is not an event report of this document).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sitrep.document import Section, Span
from sitrep.full_dates import FULL_DATE, to_date
from sitrep.ingest.sections import REFERENCES_HEADING

_ITEM = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)]|[-*•–]\s)\s*(.*\S)\s*$")
_URL = re.compile(r"https?://[^\s<>\"'”)]+")
_QUOTED = re.compile(r"[\"“”‘’']([^\"“”]{4,300}?)[\"“”’']")
_ACCESSED = re.compile(r"\b(accessed|retrieved|viewed|consulted)\b(\s+on)?\s*:?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited source: where it is in the text and what it names."""

    number: int
    text: str
    start: int
    end: int
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: date | None = None
    accessed: date | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        data["accessed"] = self.accessed.isoformat() if self.accessed else None
        return data


def split_reference_items(text: str, sections: list[Section]) -> tuple[list[Section], list[Citation]]:
    """Replace each `reference` section by its heading and one section per numbered item."""
    out: list[Section] = []
    citations: list[Citation] = []
    for section in sections:
        if section.name != "reference":
            out.append(section)
            continue
        items = _items(text, section.span)
        if not items:
            out.append(section)
            continue
        first = max(text.rfind("\n", 0, items[0][1]) + 1, section.span.start)
        if first > section.span.start:
            out.append(Section("reference", Span(section.span.start, first), section.label))
        for i, (number, start, end) in enumerate(items):
            start_line = text.rfind("\n", 0, start) + 1  # the item's section keeps its bullet
            stop = text.rfind("\n", 0, items[i + 1][1]) + 1 if i + 1 < len(items) else section.span.end
            out.append(Section("reference", Span(max(start_line, section.span.start), stop), str(number)))
            citations.append(parse_citation(number, text[start:end], start, end))
    return out, citations


def _items(text: str, span: Span) -> list[tuple[int, int, int]]:
    """(number, start, end) of each list item in `span`; a wrapped line joins its item.

    Without any bullet or number, each non-empty line after the heading (if any: a list found by its
    structure has none) is an item.
    """
    lines: list[tuple[int, str]] = []
    offset = span.start
    for line in text[span.start : span.end].splitlines(keepends=True):
        lines.append((offset, line))
        offset += len(line)
    found: list[tuple[int, int, int]] = []
    joined = False  # the previous line belongs to the last item
    for start, line in lines:
        match = _ITEM.match(line)
        if match:
            number = int(match.group(1) or match.group(2) or len(found) + 1)
            found.append((number, start + match.start(3), start + match.end(3)))
            joined = True
        elif line.strip() and found and joined:
            number, item_start, _ = found[-1]
            found[-1] = (number, item_start, start + len(line.rstrip()))
        else:
            joined = False
    if found:
        return found
    for start, line in lines[1:] if lines and REFERENCES_HEADING.match(lines[0][1]) else lines:
        if line.strip():
            lead = len(line) - len(line.lstrip())
            found.append((len(found) + 1, start + lead, start + len(line.rstrip())))
    return found


def parse_citation(number: int, item: str, start: int, end: int) -> Citation:
    """Outlet, title, URL and dates of one reference item (each None when absent)."""
    url_match = _URL.search(item)
    url = url_match.group(0).rstrip(".,;") if url_match else None
    quoted = _QUOTED.search(item)
    title = quoted.group(1).strip(" ,.") if quoted else None
    head = item[: quoted.start()] if quoted else item.split(".")[0]
    outlet = head.split(",")[0].strip(" :-–") if head.strip() else None
    if outlet and (len(outlet.split()) > 8 or _URL.match(outlet)):
        outlet = None
    published = accessed = None
    for match in FULL_DATE.finditer(item):
        value = to_date(match)
        if value is None:
            continue
        if _ACCESSED.search(item[: match.start()][-30:]):
            accessed = accessed or value
        elif published is None:
            published = value
    return Citation(number, item, start, end, outlet or None, title, url, published, accessed)
