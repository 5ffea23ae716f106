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
from sitrep.full_dates import MONTH
from sitrep.ingest.structure import classify, split_blocks

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
    r"^\s*(leave a reply|leave a comment|please enter your (comment|name|email( address)?)( here)?!?|"
    r"you have entered an incorrect email address!?|save my name, email.*|post comment|cancel reply|"
    r"you must be logged in.*|share (this|on|via) .*|share|share this( article| story| page)?:?.*|tweet|"
    r"click to (share|print|email).*|related (stories|articles|posts|coverage)|more from (the )?author|"
    r"advertisement|sponsored( content)?|subscribe to our newsletter.*|sign up for .*newsletter.*|"
    r"(facebook|twitter|whatsapp|linkedin|pinterest|telegram|reddit|email|print)( ?[|·•]? ?"
    r"(facebook|twitter|whatsapp|linkedin|pinterest|telegram|reddit|email|print|copy link))*|"
    r"copy link|previous article|next article|tags:?|read more:?|\d+ (views|shares)|"
    r"this site uses cookies.*|accept( all)? cookies|skip to (main )?content)\s*$",
    re.IGNORECASE,
)
COMMENT_FORM = re.compile(r"^\s*(leave a (reply|comment)|please enter your (comment|name)|post comment|cancel reply)",
                          re.IGNORECASE)
RELATED_HEADING = re.compile(
    r"^\s*(related (stories|articles|posts|coverage|content)|more from .{1,40}|you may also like|"
    r"recommended( for you)?|most read|read next|more stories)\s*:?\s*$",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^\s*(?i:by|words by|written by|reporting by)\s+"
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|da|van|von|al|el|bin|ibn)){0,6})"
    r"\s*(?P<rest>[|,·•–—-].*)?$"
)
_NOT_NAMES = re.compile(r"^(mon|tues|wednes|thurs|fri|satur|sun)day|^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                        r"|^(the|a|an|then|now|late|early|next|last)\b", re.IGNORECASE)
DATELINE = re.compile(
    rf"^\s*(?:(?:published|posted|updated|last updated|first published|date)\s*:?\s*(?:on\s+)?)?"
    rf"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
    rf"(?P<date>\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:,?\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm)?\s*(?:[A-Z]{{2,4}}|[+-]\d{{2}}:?\d{{2}})?)?\s*$",
    re.IGNORECASE,
)
HEAD_LINES = 4  # bylines and date lines are looked for in the first lines of the body only


def drop_chrome(text: str) -> str:
    """Remove site chrome from a plain-text dump: comment forms, share buttons, related-story lists."""
    return drop_chrome_marked(text)[0]


def drop_chrome_marked(text: str) -> tuple[str, list[int]]:
    """`drop_chrome`, and where a comment form stood: each as its distance from the end of the
    result (the edits after this one touch only the head of the text, so the distance holds)."""
    kept: list[str] = []
    forms: list[int] = []  # indexes into `kept` of the line after a dropped comment form
    in_related = False
    for line in text.splitlines():
        if RELATED_HEADING.match(line):
            in_related = True
            continue
        if in_related:
            words = len(line.split())
            if not line.strip() or (words <= 20 and not _is_heading(line)):
                continue  # the related list: short headline lines
            in_related = False
        if CHROME.match(line):
            if COMMENT_FORM.match(line) and (not forms or forms[-1] != len(kept)):
                forms.append(len(kept))
            continue
        kept.append(line)
    out = "\n".join(kept).strip() + "\n"
    marks = []
    for index in forms:
        rest = "\n".join(kept[index:]).strip()
        if rest:
            marks.append(len(rest) + 1)  # the "+ 1": the final newline
    return out, marks


def _is_heading(line: str) -> bool:
    return bool(COMMENTS_HEADING.match(line) or REFERENCES_HEADING.match(line))


def _is_byline(match: re.Match[str]) -> bool:
    """A real byline, not a sentence that starts with "By Monday, ..." or "By the time ..."."""
    rest = (match.group("rest") or "").strip()
    return (len(match.group(0)) <= 100 and not _NOT_NAMES.match(match.group("name"))
            and len(rest) <= 60 and not rest.endswith("."))


def take_byline_and_dateline(body: str) -> tuple[str, str | None, str | None]:
    """(body without them, author, date text) from a byline and a date line at the top of a dump."""
    lines = body.split("\n")
    author = when = None
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > HEAD_LINES:
            break
        byline = BYLINE.match(line) if author is None else None
        dateline = DATELINE.match(line) if when is None else None
        if byline and _is_byline(byline):
            author = byline.group("name").strip()
            lines[i] = ""
        elif dateline:
            when = dateline.group("date")
            lines[i] = ""
    if author is None and when is None:
        return body, None, None
    return "\n".join(lines).strip("\n") + "\n", author, when


def split_sections(text: str, body_start: int = 0, form_marks: list[int] | None = None) -> list[Section]:
    """Sections from `body_start` on: body, then `reference` and `comment` regions by heading, and
    within what headings leave as body, the sections recognised by structure (structure.py).

    `form_marks` are offsets in `text` where a dropped comment form stood.
    """
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
    marks = _structure_marks(text, marks, form_marks or [])
    sections = []
    for i, (start, name, label) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        if end > start:
            sections.append(Section(name, Span(start, end), label))  # type: ignore[arg-type]
    return _without_bare_headings(text, sections)


def _without_bare_headings(text: str, sections: list[Section]) -> list[Section]:
    """Drop a "Comments" / "Sources" heading that heads nothing (no comment or reference after it):
    a heading-only block is no section, not a junk one."""
    kept: list[Section] = []
    for section in reversed(sections):
        if section.name in ("comment", "reference") and section.label is None:
            lines = [ln for ln in text[section.span.start : section.span.end].splitlines() if ln.strip()]
            heading = COMMENTS_HEADING if section.name == "comment" else REFERENCES_HEADING
            follows = bool(kept) and kept[-1].name == section.name
            if lines and all(heading.match(ln) for ln in lines) and not follows:
                continue
        kept.append(section)
    return kept[::-1]


def _structure_marks(text: str, marks: list[tuple[int, str, str | None]],
                     form_marks: list[int]) -> list[tuple[int, str, str | None]]:
    """Marks with each body region split where its blocks change section by structure."""
    out: list[tuple[int, str, str | None]] = []
    for i, (start, name, label) in enumerate(marks):
        out.append((start, name, label))
        if name != "body":
            continue
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        blocks = split_blocks(text, start, end)
        forms = {k for k, b in enumerate(blocks) for m in form_marks if b.start <= m < b.end or
                 (k and blocks[k - 1].end < m <= b.start)}
        current = "body"
        for block, section in zip(blocks, classify(blocks, forms), strict=True):
            if section != current:
                out.append((block.start if block.start > start else start, section, None))
                current = section
    # a mark at the same offset as the one before replaces it
    merged: list[tuple[int, str, str | None]] = []
    for mark in out:
        if merged and merged[-1][0] == mark[0]:
            merged[-1] = mark
        else:
            merged.append(mark)
    return merged
