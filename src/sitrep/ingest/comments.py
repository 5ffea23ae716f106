"""Reader comments in an HTML page: each one with its author, time and text, in page order.

Trafilatura finds comment *text* but loses who wrote what and the numbering; comment threads
are marked up in a few common ways (WordPress and its themes, Disqus exports, hand-rolled
lists), all of which put each comment in an element whose class or id says "comment" and its
words in a child marked as the comment's content. Replies nested in a thread keep their place.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

from lxml.html import Element, HtmlElement

from sitrep.ingest.assemble import Comment

# the element holding one comment's words
_CONTENT = re.compile(r"^(comment[-_]?(content|text|body[-_]?text|message|entry|copy)|commentcontent|"
                      r"comment__(text|content|body)|c-comment__body|reply-content|post-message)$", re.IGNORECASE)
# the element holding one whole comment (content, author, time)
_ITEM = re.compile(r"^(comment|comment-\d+|comment[-_]?(item|body|wrapper|container|entry)|li-comment-\d+|"
                   r"c-comment|single-comment|reply)$", re.IGNORECASE)
_AUTHOR = re.compile(r"^(fn|comment[-_]?author(-name)?|author|author-name|username|user-name|commenter|"
                     r"comment__author|c-comment__author|nickname)$", re.IGNORECASE)
# where comments live (the whole thread, form included), for removal before the article is read
_AREA = re.compile(r"^(comments?|comment-list|commentlist|comments-area|comments-section|comment-respond|"
                   r"respond|disqus_thread|reply-form|commentform|comment-form|td-comments|comments-wrapper)$",
                   re.IGNORECASE)
_SAYS = re.compile(r"\s*(says|said|wrote|writes)\s*:?\s*$", re.IGNORECASE)
_NOISE = re.compile(r"^(reply|report|like|share|flag|permalink|edit)$", re.IGNORECASE)
_META = re.compile(r"reply|comment-meta|comment-metadata|comment-author|vcard|says", re.IGNORECASE)
_META_TAGS = frozenset({"time", "footer", "button", "script", "style", "cite", "form"})
MAX_COMMENTS = 2000


def _tokens(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split() + ([el.get("id")] if el.get("id") else [])


def _has(el: HtmlElement, pattern: re.Pattern[str]) -> bool:
    return any(pattern.match(token) for token in _tokens(el))


def extract_comments(tree: HtmlElement) -> list[Comment]:
    """The page's reader comments in document order (empty when it has none)."""
    comments: list[Comment] = []
    for content in _content_elements(tree):
        if content.get(_OWN) is not None:  # a whole comment item (no content marker): its own words only
            item = content
            text = _own_text(content)
            del content.attrib[_OWN]
        else:
            item = _item_of(content)
            text = _block_text(content)
        if not text:
            continue
        author = when = None
        if item is not None:
            inside = content if content is not item else _NOTHING  # an own item: every element counts
            author = _author(item, inside)
            when = _when(item, inside)
        comments.append(Comment(text=text, author=author, when=when))
        if len(comments) >= MAX_COMMENTS:
            break
    return comments


def comment_areas(tree: HtmlElement) -> list[HtmlElement]:
    """Outermost elements holding comment threads or comment forms (to cut before extraction)."""
    found = [el for el in tree.iter() if isinstance(el.tag, str)
             and (el.tag == "form" and _has(el, re.compile("comment", re.I)) or _has(el, _AREA))]
    return [el for el in _outermost(found) if el.tag not in ("html", "body")]


def _content_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Comment content blocks; without such markers, the text of comment items themselves."""
    marked = [el for el in tree.iter() if isinstance(el.tag, str) and _has(el, _CONTENT)]
    # a content block inside another content block (a quoted reply) belongs to the outer one
    marked = _outermost(marked)
    if marked:
        yield from marked
        return
    items = [el for el in tree.iter() if isinstance(el.tag, str) and el.tag in ("li", "article", "div")
             and _has(el, _ITEM) and el.tag != "form"]
    # WordPress's <li class="comment"><div id="comment-11">: the div is that comment, not another one
    items = [el for el in items if not (el.tag == "div" and _enclosing_item(el) is not None)]
    if not items:  # a thread of bare <article>s or <li>s inside a comment area (Disqus-like embeds)
        areas = [el for el in tree.iter() if isinstance(el.tag, str) and _has(el, _AREA) and el.tag != "form"]
        items = [el for area in areas for el in area.iter("article", "li") if el is not area]
    for el in items:
        el.set(_OWN, "1")
        yield el


_OWN = "data-sitrep-own-comment"
_NOTHING = Element("span")  # an element outside every page


def _enclosing_item(el: HtmlElement) -> HtmlElement | None:
    """The nearest <li>/<article> comment item above `el`, if any."""
    parent = el.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and parent.tag in ("li", "article") and _has(parent, _ITEM):
            return parent
        parent = parent.getparent()
    return None


def _own_text(item: HtmlElement) -> str:
    """A comment item's words without its nested replies' (each reply is its own comment)."""
    paragraphs = [p for p in item.iter("p") if _owner(p, item) is None]
    if paragraphs:
        parts = [" ".join(p.text_content().split()) for p in paragraphs]
        return "\n\n".join(p for p in parts if p and not _NOISE.match(p))
    clone = copy.deepcopy(item)
    for nested in [el for el in clone.iter("li", "article") if el is not clone]:
        if nested.getparent() is not None:
            nested.getparent().remove(nested)
    return _block_text(clone)


def _item_of(content: HtmlElement) -> HtmlElement | None:
    """The nearest enclosing element of a whole comment (holding its author and time)."""
    el = content.getparent()
    while el is not None:
        if isinstance(el.tag, str) and (_has(el, _ITEM) or el.tag in ("li", "article")):
            return el
        el = el.getparent()
    return None


def _author(item: HtmlElement, content: HtmlElement) -> str | None:
    """The commenter's name: a vCard `fn` or <cite> first, then any author-ish element."""
    candidates: list[tuple[int, str]] = []
    for el in item.iter():
        if el is content or not isinstance(el.tag, str) or _is_ancestor(content, el):
            continue
        if _owner(el, item) is not None:
            continue  # an element of a nested reply, not of this comment
        rank = 0 if ("fn" in _tokens(el) or el.tag == "cite" or el.get("itemprop") == "author") else (
            1 if _has(el, _AUTHOR) else None)
        if rank is None:
            continue
        name = _SAYS.sub("", " ".join(el.text_content().split())).strip()
        if name and len(name) <= 80:
            candidates.append((rank, name))
    return min(candidates)[1] if candidates else None


def _owner(el: HtmlElement, item: HtmlElement) -> HtmlElement | None:
    """A comment item between `el` and `item` (so `el` belongs to a reply), if any."""
    parent = el.getparent()
    while parent is not None and parent is not item:
        if isinstance(parent.tag, str) and parent.tag in ("li", "article") and _has(parent, _ITEM):
            return parent
        parent = parent.getparent()
    return None


def _when(item: HtmlElement, content: HtmlElement) -> str | None:
    for el in item.iter("time"):
        if _is_ancestor(content, el):
            continue
        return el.get("datetime") or " ".join(el.text_content().split()) or None
    return None


def _block_text(el: HtmlElement) -> str:
    """Text of an element, one paragraph per block, without reply/like buttons."""
    paragraphs = [p for p in el.iter("p") if isinstance(p.tag, str)]
    if paragraphs:
        parts = [" ".join(p.text_content().split()) for p in paragraphs]
    else:
        clone = copy.deepcopy(el)  # work on a copy: the page tree is shared
        for noise in list(clone.iter()):
            parent = noise.getparent() if isinstance(noise.tag, str) and noise is not clone else None
            if parent is not None and (_has(noise, _META) or noise.tag in _META_TAGS):
                parent.remove(noise)
        parts = [" ".join(" ".join(clone.itertext()).split())]
    return "\n\n".join(p for p in parts if p and not _NOISE.match(p))


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """The elements that have no ancestor among `elements`, in order."""
    chosen = set(elements)
    out = []
    for el in elements:
        parent = el.getparent()
        while parent is not None and parent not in chosen:
            parent = parent.getparent()
        if parent is None:
            out.append(el)
    return out


def _is_ancestor(ancestor: HtmlElement, el: HtmlElement) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False
