"""Sections of a plain-text article: title, body, reader comments, reference list.

Scraped dumps keep a page's comment thread and citation list as plain lines ("5 COMMENTS",
"1. Name says:", "Sources", "1. CNN, ..., accessed 5 January 2017") and the site's comment
form ("Please enter your comment!"). The form is chrome and is dropped before the text is
fixed; the thread and the list become their own sections, so they never pass for the
article's own reporting. No library does this for text without markup, hence by hand.
"""

from __future__ import annotations

import re

from sitrep.document import Section, Span

COMMENTS_HEADING = re.compile(
    r"^\s*(\d+\s+(comments?|responses?|replies)|comments|reader comments|discussion|"
    r"\d+\s+thoughts on .*|join the conversation)\s*:?\s*$",
    re.IGNORECASE,
)
REFERENCES_HEADING = re.compile(
    r"^\s*(sources|references|bibliography|works cited|citations|further reading|notes and sources)\s*:?\s*$",
    re.IGNORECASE,
)
COMMENT_START = re.compile(r"^\s*(\d{1,3})[.)]\s+.{1,80}?\s+(says|said|wrote|writes)\s*:\s*$", re.IGNORECASE)
CHROME = re.compile(
    r"^\s*(leave a reply|leave a comment|please enter your (comment|name|email)( here)?!?|"
    r"save my name, email.*|post comment|cancel reply|you must be logged in.*|"
    r"share (this|on) .*|click to share.*|related (stories|articles|posts)|advertisement|"
    r"subscribe to our newsletter.*|sign up for .*newsletter.*)\s*$",
    re.IGNORECASE,
)


def drop_chrome(text: str) -> str:
    """Remove site chrome lines (comment forms, share buttons) from a plain-text dump."""
    lines = [line for line in text.splitlines() if not CHROME.match(line)]
    return "\n".join(lines).strip() + "\n"


def split_sections(text: str, body_start: int = 0) -> list[Section]:
    """Sections from `body_start` on: body, then `reference` and `comment` regions by heading."""
    marks: list[tuple[int, str, str | None]] = [(body_start, "body", None)]
    offset = 0
    in_comments = False
    for line in text.splitlines(keepends=True):
        start = offset
        offset += len(line)
        if start < body_start:
            continue
        if COMMENTS_HEADING.match(line):
            in_comments = True
            marks.append((start, "comment", None))
        elif REFERENCES_HEADING.match(line):
            in_comments = False
            marks.append((start, "reference", None))
        elif in_comments and (match := COMMENT_START.match(line)):
            marks.append((start, "comment", match.group(1)))
    sections = []
    for i, (start, name, label) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        if end > start:
            sections.append(Section(name, Span(start, end), label))  # type: ignore[arg-type]
    return sections
