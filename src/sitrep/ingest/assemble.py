"""One way to build a `Document` from what any reader found: title, body, comments, metadata.

Every reader (text dump, HTML page, feed entry, WARC record, corpus row) ends here, so a
document looks the same whatever it came from: the title as its own section, the body with
site chrome dropped, a reference list split into numbered `reference` items with their
citations, and reader comments after the body as numbered `comment` sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sitrep.document import Document, Section, Source, Span
from sitrep.ingest.dates import parse_date
from sitrep.ingest.references import split_reference_items
from sitrep.ingest.reject import Reject
from sitrep.ingest.sections import drop_chrome_marked, split_sections, take_byline_and_dateline

MAX_AUTHOR_CHARS = 120
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment as the page shows it."""

    text: str
    author: str | None = None
    when: str | None = None  # as shown, or an ISO timestamp


@dataclass
class Parts:
    """What a reader found in one input, before it becomes a Document."""

    body: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    published_inferred: bool = False
    author: str | None = None
    path: str | None = None
    kind: str = "text"  # text, html, feed, url, warc, jsonl, csv
    comments: list[Comment] = field(default_factory=list)
    warnings: list[Reject] = field(default_factory=list)
    plain: bool = True  # a text dump: look for a byline and a date line at the top
    max_date: date | None = None  # a date past which a publication date is impossible (crawl time)


def assemble(parts: Parts) -> Document:
    """The Document for `parts` (see module docstring); metadata a reader found goes in `ext`."""
    title = _one_line(clean_text(parts.title))
    body, form_marks = drop_chrome_marked(clean_text(parts.body) or "")
    author, published = parts.author, parts.published
    if parts.plain:
        body, byline, dateline = take_byline_and_dateline(body)
        author = author or byline
        if published is None and dateline:
            try:
                published = parse_date(dateline)
            except ValueError:
                published = None
    body = _drop_title_repeat(body, title)
    prefix = f"{title}\n\n" if title else ""
    text = prefix + body.strip() + "\n"
    sections = [Section("title", Span(0, len(title)))] if title else []
    # a dropped comment form's place, counted from the end (unchanged by the head edits above)
    forms = [len(text) - distance for distance in form_marks if len(prefix) <= len(text) - distance]
    sections += split_sections(text, body_start=len(prefix), form_marks=forms)
    if parts.comments:
        text, comment_sections = _append_comments(text, parts.comments)
        sections += comment_sections
    sections, citations = split_reference_items(text, sections)
    source = Source(url=clean_text(parts.url), title=title, publisher=_one_line(clean_text(parts.publisher)),
                    published=published,
                    published_inferred=parts.published_inferred and published is not None,
                    path=clean_text(parts.path))
    doc = Document(text=text, source=source, sections=sections)
    doc.ext.update({
        "author": _clean_author(clean_text(author)),
        "kind": parts.kind,
        "warnings": list(parts.warnings),
        "citations": citations,
        "max_date": parts.max_date,
    })
    return doc


def clean_text(text: str | None) -> str | None:
    """Text that stores anywhere: no NUL or other C0 controls but tabs and newlines, no lone
    surrogates (an HTML `&#xD800;` or a broken JSON escape makes one, and UTF-8 cannot hold it)."""
    if text is None:
        return None
    return _UNSTORABLE.sub(lambda m: "\ufffd" if m.group(0) >= "\ud800" else "", text.replace("\r\n", "\n"))


def body_text(doc: Document) -> str:
    """The article's own words (title and body sections): what language and similarity look at."""
    spans = [s.span for s in doc.sections if s.name in ("title", "body")]
    return "\n".join(doc.text[s.start : s.end] for s in spans) if spans else doc.text


def _append_comments(text: str, comments: list[Comment]) -> tuple[str, list[Section]]:
    """Comments after the body, as a scraped dump shows them: a heading, then "N. Name says:"."""
    pieces = [text.rstrip("\n"), "\n\n"]
    offset = len(pieces[0]) + 2
    heading = f"{len(comments)} COMMENTS\n\n" if len(comments) != 1 else "1 COMMENT\n\n"
    sections = [Section("comment", Span(offset, offset + len(heading)))]
    pieces.append(heading)
    offset += len(heading)
    for number, comment in enumerate(comments, start=1):
        who = _one_line(clean_text(comment.author)) or "Anonymous"
        when = f" ({_one_line(clean_text(comment.when))})" if comment.when else ""
        block = f"{number}. {who[:80]}{when} says:\n{(clean_text(comment.text) or '').strip()}\n\n"
        sections.append(Section("comment", Span(offset, offset + len(block)), str(number)))
        pieces.append(block)
        offset += len(block)
    return "".join(pieces), sections


def _drop_title_repeat(body: str, title: str | None) -> str:
    """Drop the headline where the body repeats it (and a kicker line above it)."""
    if not title:
        return body
    lines = body.split("\n")
    wanted = _fold(title)
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > 3:
            break
        if _fold(line) == wanted:
            return "\n".join(lines[i + 1 :]).strip("\n") + "\n"
    return body


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).casefold()


def _one_line(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _clean_author(author: str | None) -> str | None:
    """"Tomas Berg · ·" -> "Tomas Berg"; "By Ann Lee" -> "Ann Lee"; nonsense -> None."""
    text = _one_line(author)
    if not text:
        return None
    text = re.split(r"\s*[|·•]\s*", text)[0]
    text = re.sub(r"^(by|words by|written by)\s+", "", text, flags=re.IGNORECASE).strip(" ,;-–")
    return text[:MAX_AUTHOR_CHARS] or None
