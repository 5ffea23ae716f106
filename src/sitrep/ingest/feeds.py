"""RSS and Atom feeds (feedparser): one document per entry, or its page to fetch.

Feeds carry either the whole article (`content:encoded`, Atom `content`) or only a teaser.
A teaser with a link becomes a `FetchTask` for the page; an entry with nothing to read is
rejected on its own, and the rest of the feed goes on. feedparser reads broken XML loosely;
a feed it can make nothing of is one rejection, a feed with XML errors but readable entries
is read with a warning.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import feedparser
from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

from sitrep.ingest.assemble import Parts, assemble
from sitrep.ingest.html import Hints
from sitrep.ingest.identity import normalize_url
from sitrep.ingest.items import MAX_DEPTH, FetchTask, Item
from sitrep.ingest.reject import Reject, warning

# feedparser's notes about HTTP headers (a feed served as text/plain, no charset given): not errors
_HARMLESS = (feedparser.NonXMLContentType, feedparser.CharacterEncodingUnknown)
FULL_TEXT_WORDS = 120  # an entry with fewer words is a teaser: its page is fetched
_BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol",
                     "table", "tr", "section", "article", "header", "footer", "figure", "figcaption"})
_FEED_START = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<(rss|feed|rdf:RDF)\b",
                         re.IGNORECASE | re.DOTALL)


def looks_like_feed(head: str) -> bool:
    return bool(_FEED_START.match(head[:4000]))


def read_feed(raw: bytes, *, path: str, base_url: str | None = None, content_type: str | None = None,
              depth: int = 0) -> Iterator[Item]:
    """Documents, FetchTasks and Rejects for the entries of an RSS/Atom feed."""
    headers = {"content-location": base_url} if base_url else {}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(io.BytesIO(raw), response_headers=headers, sanitize_html=True,
                                  resolve_relative_uris=True)
    except Exception as err:  # noqa: BLE001 - a parser of untrusted bytes: any failure means "unreadable"
        yield Reject(path, "malformed feed", f"{type(err).__name__}: {_problem(err)}")
        return
    version = parsed.get("version") or ""
    problem = parsed.get("bozo_exception")
    entries = list(parsed.get("entries") or [])
    readable = [e for e in entries if e.get("link") or e.get("summary") or e.get("content")]
    if not readable:
        if entries or problem or not version:
            detail = _problem(problem) if problem else "not an RSS or Atom feed"
            yield Reject(path, "malformed feed", detail)
        else:
            yield Reject(path, "empty", "the feed has no entries")
        return
    if isinstance(problem, feedparser.CharacterEncodingOverride):
        yield warning(path, "mis-declared encoding", _problem(problem))
    elif problem and not isinstance(problem, _HARMLESS):
        yield warning(path, "feed not well-formed", f"{_problem(problem)}; read {len(readable)} entries")
    publisher = (parsed.get("feed") or {}).get("title")
    for number, entry in enumerate(entries, start=1):
        yield from _entry(entry, f"{path}#{number}", publisher, depth)


def _entry(entry: Any, path: str, publisher: str | None, depth: int) -> Iterator[Item]:
    link = normalize_url(entry.get("link"))
    hints = Hints(title=_clean(entry.get("title")), published=_entry_date(entry),
                  author=_clean(entry.get("author")), publisher=_clean(publisher))
    content = max((c.get("value") or "" for c in entry.get("content") or []), key=len, default="")
    full = fragment_text(content)
    summary = fragment_text(entry.get("summary") or "")
    text = full if len(full.split()) >= len(summary.split()) else summary
    if len(text.split()) >= FULL_TEXT_WORDS or (text.strip() and not link):
        yield assemble(Parts(body=text, title=hints.title, url=link, publisher=hints.publisher,
                             published=hints.published, author=hints.author, path=path, kind="feed"))
    elif link and depth < MAX_DEPTH:
        yield FetchTask(link, path, hints, depth + 1)
    elif link:
        yield Reject(path, "no text", f"a teaser only, and its page {link} is too deep to fetch")
    else:
        yield Reject(path, "no text", "a feed entry without text or link")


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block element."""
    if not html or not html.strip():
        return ""
    if "<" not in html:
        return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", html) if p.strip())
    try:
        root: HtmlElement = fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(re.sub(r"<[^>]+>", " ", html).split())
    try:
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "br":
                el.tail = "\n" + (el.tail or "")
            elif el.tag in _BLOCKS and el is not root:
                el.tail = "\n\n" + (el.tail or "")
                el.text = "\n\n" + (el.text or "")
    except ValueError:  # lxml refuses to write back a text holding control characters
        return " ".join(re.sub(r"<[^>]+>", " ", html).split())
    chunks = re.split(r"\n\s*\n", root.text_content())
    return "\n\n".join(" ".join(c.split()) for c in chunks if c.strip())


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain dict access: feedparser's own maps keys with a warning
        if isinstance(value, time.struct_time):
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except ValueError:
                continue
    return None


def _clean(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _problem(err: Any) -> str:
    return " ".join(str(err).split())[:200] or type(err).__name__
