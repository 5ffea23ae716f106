"""Fully written calendar dates inside running text: "4 March 2017", "March 4th, 2017", "2017-03-04".

One pattern and one converter for every place that looks for them: the date line under a headline
(ingest/sections.py), a reference's publication and access dates (ingest/references.py) and a
publication date found in a document's text (components/dates.py). Written by hand because
dateparser parses a string it is handed; it does not find the dates inside a text.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
FULL_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTH}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))\b",
    re.IGNORECASE,
)


def to_date(match: re.Match[str]) -> date | None:
    """The day a FULL_DATE match names, or None when it names none ("31 February 2017")."""
    groups = match.groupdict()
    try:
        if groups["y3"]:
            return date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
        day = groups["d1"] or groups["d2"]
        month = (groups["m1"] or groups["m2"] or "").lower().rstrip(".")
        year = groups["y1"] or groups["y2"]
        index = next(i for i, name in enumerate(MONTHS, start=1) if name.startswith(month[:3]))
        return date(int(year), index, int(day))
    except (ValueError, StopIteration, TypeError):
        return None
