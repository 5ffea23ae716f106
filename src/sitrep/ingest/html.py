"""HTML pages: the article (trafilatura), its metadata (trafilatura, htmldate), its comments.

The page is parsed once. Reader comments are taken out first, each with its author and time
(comments.py), and the thread and its form are cut from the tree, so trafilatura sees only
the article and its chrome, which it drops; htmldate finds the publication date (the original
one, not the last update). What cannot be read becomes a Reject, never an exception.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import htmldate
import trafilatura
from lxml import etree
from lxml.html import HtmlElement, document_fromstring

from sitrep.document import Document
from sitrep.ingest.assemble import Parts, assemble
from sitrep.ingest.comments import comment_areas, extract_comments
from sitrep.ingest.dates import parse_date, today
from sitrep.ingest.decode import DecodeError, declared_charset, decode
from sitrep.ingest.identity import canonical_url
from sitrep.ingest.reject import Reject, warning

for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    # their warnings ("discarding data", ...) are about pages, not for the user's console
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_END_TAG = re.compile(r"</(html|body)\s*>", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
MIN_BODY_CHARS = 40
# A page nested deeper than libxml2 builds (256 levels; 100,000 <div>s have been seen) loses the
# text below the cut: then the page is read again without its wrapper elements.
_SCRIPT = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MARKUP = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_WRAPPER = re.compile(r"<(/?)(?!(?:p|br|h[1-6]|title|head|html|body|meta|link|li|ul|ol|blockquote|pre|table|tr|td|th)"
                      r"\b)[a-zA-Z][^>]*>")


@dataclass(frozen=True, slots=True)
class Hints:
    """Metadata known from elsewhere (a feed entry, an HTTP response, a WARC record)."""

    title: str | None = None
    published: date | None = None  # preferred over the page's own date: it is explicit metadata
    author: str | None = None
    publisher: str | None = None


def looks_like_html(head: str) -> bool:
    start = head.lstrip()[:1000].lower()
    return start.startswith(("<!doctype html", "<html")) or ("<body" in start and start[:1] == "<")


def read_html(raw: bytes | str, *, path: str, url: str | None = None, content_type: str | None = None,
              kind: str = "html", hints: Hints | None = None, max_date: date | None = None) -> Document | Reject:
    """The article in an HTML page as a Document, or a Reject saying why there is none."""
    warnings: list[Reject] = []
    if isinstance(raw, bytes):
        try:
            decoded = decode(raw, declared_charset(raw, content_type))
        except DecodeError as err:
            return Reject(path, err.reason, err.detail)
        if decoded.misdeclared:
            warnings.append(warning(path, "mis-declared encoding",
                                    f"declared {decoded.declared}, decoded as {decoded.encoding}"))
        html = decoded.text
    else:
        html = raw
    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        return Reject(path, "empty", "no text")
    truncated = _END_TAG.search(html[-65536:]) is None
    try:
        tree = document_fromstring(html)
        if _lost_text(tree, html):
            tree = document_fromstring(_WRAPPER.sub(" ", html))
            warnings.append(warning(path, "flattened", "nested too deep to parse whole; read without its wrappers"))
    except (etree.ParserError, ValueError) as err:
        return Reject(path, "no text", f"not parseable as HTML: {err}")
    comments = extract_comments(tree)
    for area in comment_areas(tree):
        parent = area.getparent()
        if parent is not None:
            parent.remove(area)
    limit = min(max_date or today(), today())
    fallback = copy.deepcopy(tree)
    extracted = _extract(tree, url, limit)
    body = _paragraphs(extracted.get("text") or "")
    if len(body.strip()) < MIN_BODY_CHARS:
        body = _paragraphs(_baseline(fallback))
    if len(body.strip()) < MIN_BODY_CHARS or not re.search(r"[^\W\d_]{2,}", body):
        if truncated:
            return Reject(path, "truncated", "the page ends (no </html>) before any article text")
        return Reject(path, "no text", "no article text found in the page")
    if truncated:
        warnings.append(warning(path, "partial text", "the page ends without </html>; kept the text before the cut"))
    hints = hints or Hints()
    published, inferred = _published(extracted.get("date"), html, limit, hints)
    title = hints.title if not extracted.get("title") else extracted.get("title")
    title = title or _title_tag(fallback)
    return assemble(Parts(
        body=body,
        title=title,
        url=canonical_url(extracted.get("url"), fetched=url),
        publisher=extracted.get("sitename") or hints.publisher or extracted.get("hostname"),
        published=published,
        published_inferred=inferred,
        author=extracted.get("author") or hints.author,
        path=path,
        kind=kind,
        comments=comments,
        warnings=warnings,
        max_date=max_date,
    ))


def _lost_text(tree: HtmlElement, html: str) -> bool:
    """The parser kept under half the page's visible characters (nesting past libxml2's limit)."""
    parsed = len("".join(tree.text_content().split()))
    visible = len("".join(_MARKUP.sub(" ", _SCRIPT.sub(" ", html)).split()))
    return visible > 2 * parsed + 200


def _extract(tree: HtmlElement, url: str | None, limit: date) -> dict[str, Any]:
    try:
        result = trafilatura.bare_extraction(
            tree, url=url, include_comments=False, include_tables=True, with_metadata=True,
            date_extraction_params={"original_date": True, "extensive_search": False,
                                    "max_date": limit.isoformat()},
        )
    except (ValueError, TypeError, AttributeError, etree.LxmlError) as err:
        logging.getLogger(__name__).debug("trafilatura failed: %s", err)
        return {}
    if result is None:
        return {}
    data = result if isinstance(result, dict) else result.as_dict()
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _baseline(tree: HtmlElement) -> str:
    """Trafilatura's simple fallback (paragraph text) when the main extractor finds nothing."""
    try:
        _, text, _ = trafilatura.baseline(tree)
    except (ValueError, TypeError, AttributeError, etree.LxmlError):
        return ""
    return text or ""


def _published(found: Any, html: str, limit: date, hints: Hints) -> tuple[date | None, bool]:
    """(date, inferred): the hint, else the page's explicit date, else htmldate's wider guess."""
    if hints.published:
        return hints.published, False
    try:
        value = parse_date(found)
    except ValueError:
        value = None
    if value:
        return value, False
    try:
        guess = htmldate.find_date(html, original_date=True, extensive_search=True, max_date=limit.isoformat())
        return (parse_date(guess), True) if guess else (None, False)
    except (ValueError, TypeError, AttributeError, etree.LxmlError):
        return None, False


def _paragraphs(text: str) -> str:
    """Trafilatura puts one paragraph per line; sitrep separates paragraphs by a blank line."""
    lines = [line.strip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)


def _title_tag(tree: HtmlElement) -> str | None:
    found = tree.find(".//title")
    if found is None:
        return None
    text = " ".join(found.text_content().split())
    return _TITLE_SUFFIX.sub("", text) or None
