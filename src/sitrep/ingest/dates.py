"""Publication dates from metadata: ISO, RFC 2822 (feeds, HTTP) and the common written forms.

Strict on purpose: a metadata date either parses to one day or is refused, never guessed
("yesterday" in front matter is an error to report, not a date to invent).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y")
FUTURE_SLACK = timedelta(days=1)  # time zones: "today" somewhere is tomorrow here


def parse_date(value: Any) -> date | None:
    """A date from `value` (date, datetime, or text), or None if it is empty; ValueError if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = " ".join(str(value).split())
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text).replace(",", " ")
    cleaned = re.sub(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+", "", cleaned, flags=re.IGNORECASE)
    cleaned = " ".join(cleaned.split())
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {str(value)[:40]!r} (use YYYY-MM-DD)")


def today() -> date:
    return datetime.now(UTC).date()


def is_future(value: date | None, limit: date | None = None) -> bool:
    """Whether `value` is after `limit` (default today) by more than a day."""
    if value is None:
        return False
    return value > (limit or today()) + FUTURE_SLACK
