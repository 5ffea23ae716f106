"""Sections of plain text recognised by their structure, where no heading or markup names them.

A scraper's dump of a page (or trafilatura's text of a page whose comment thread has no comment
markup) keeps the reader comments, the cited sources, the related-article list, newsletter and
cookie boxes, photo captions and bylines as plain paragraphs. Headings ("5 COMMENTS", "Sources")
are often gone, so each paragraph (block) is scored by its shape instead: list numbering and
indentation, length, the reader's voice (second person outside quotes, vocatives, names of
earlier commenters, sign-offs, comment-form labels), the shape of a citation (URL, DOI,
"Accessed"/"Retrieved", "(2017)", "et al.", "Surname, F."), headline shape (short, no final
period), and its position: comments, references and related lists come after the article's body.
Runs of such blocks become `comment`, `reference`, `related`, `chrome`, `caption` or `byline`
sections, so they never pass as the article's own reporting.

Hand-written because no library segments unmarked plain text this way (trafilatura and justext
work on markup); the cues and thresholds are data, in data/sections.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sitrep.knowledge.loader import data_file, load_yaml

_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>\[\d{1,3}\]|\(?\d{1,3}[.)]|#\d{1,3}|-?>|[-*•·▪►–—](?=\s))\s+")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_URL_ONLY = re.compile(r"^\s*(\[\d{1,3}\]|\d{1,3}[.)]|[-*•])?\s*(https?://|www\.)\S+\s*$", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|my|me)\b")
_NAME_PREFIX = re.compile(r"^\s*(?:[-*•]\s+|\d{1,3}[.)]\s+)?(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2})"
                          r"(?:\s*:\s+\S|\s+(?:says|said|wrote|writes)\s*:|\s*$)")
_SIGN_OFF_NAME = re.compile(r"^\s*[—–-]{1,2}\s*(?P<name>[A-Z][\w'’.-]+)")
# a speaker label in capitals ("HOST:", "Q:", "MR SMITH:"): an interview's turns, not readers'
_SPEAKER = re.compile(r"^\s*(?:[-*•]\s+|\d{1,3}[.)]\s+)?[A-Z][A-Z.'’ -]{0,30}:\s")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_STOP = frozenset({"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "with", "from",
                   "as", "is", "are", "was", "were", "be"})


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, list item or line of the text: `[start, end)` into it."""

    start: int
    end: int
    text: str
    marker: str | None
    indent: int


@dataclass(frozen=True, slots=True)
class Cues:
    """The compiled contents of data/sections.yaml."""

    comment_form: tuple[re.Pattern[str], ...]
    comment_header: tuple[re.Pattern[str], ...]
    timestamp: tuple[re.Pattern[str], ...]
    comment: tuple[re.Pattern[str], ...]
    sign_off: tuple[re.Pattern[str], ...]
    citation: tuple[tuple[re.Pattern[str], int], ...]
    reporting: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    byline: tuple[re.Pattern[str], ...]
    chrome: tuple[re.Pattern[str], ...]
    related_prefix: tuple[re.Pattern[str], ...]
    thresholds: dict[str, int]


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = load_yaml(data_file("sections.yaml"))

    def many(key: str, flags: int = re.IGNORECASE) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, flags) for p in data[key])

    return Cues(
        comment_form=many("comment_form"), comment_header=many("comment_header"), timestamp=many("timestamp"),
        comment=many("comment_cues"),
        sign_off=many("sign_off", 0), reporting=many("reporting_verbs"), caption=many("caption"),
        byline=many("byline", 0), chrome=many("chrome"), related_prefix=many("related_prefix"),
        citation=tuple((re.compile(c["pattern"]), int(c["weight"])) for c in data["citation_cues"]),
        thresholds={k: int(v) for k, v in data["thresholds"].items()},
    )


def _any(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def split_blocks(text: str, start: int, end: int) -> list[Block]:
    """The blocks of `text[start:end]`: paragraphs split at blank lines, and within a paragraph at
    each list marker, comment header or sign-off, or at each line when every line reads as an item
    of its own (a citation or headline list without blank lines between)."""
    chunks: list[list[tuple[int, str]]] = [[]]
    offset = start
    for line in text[start:end].splitlines(keepends=True):
        if line.strip():
            chunks[-1].append((offset, line))
        elif chunks[-1]:
            chunks.append([])
        offset += len(line)
    out: list[Block] = []
    for chunk in chunks:
        if chunk:
            out.extend(_split_chunk(text, chunk))
    return out


def _split_chunk(text: str, chunk: list[tuple[int, str]]) -> list[Block]:
    c = cues()
    per_line = len(chunk) >= 2 and _one_item_per_line([line for _, line in chunk])
    groups: list[list[tuple[int, str]]] = []
    for offset, line in chunk:
        new = (not groups or per_line or _MARKER.match(line) is not None or _any(c.comment_header, line)
               or _any(c.timestamp, line) or (groups and _any(c.timestamp, groups[-1][-1][1]))
               or _any(c.sign_off, line) or _any(c.comment_form, line)
               or (groups and _any(c.comment_header, groups[-1][-1][1])))
        if new:
            groups.append([(offset, line)])
        else:
            groups[-1].append((offset, line))
    blocks = []
    for group in groups:
        first_offset, first = group[0]
        last_offset, last = group[-1]
        stop = last_offset + len(last.rstrip("\n"))
        match = _MARKER.match(first)
        indent = len(first) - len(first.lstrip(" \t"))
        blocks.append(Block(first_offset, stop, text[first_offset:stop], match.group("marker") if match else None,
                            indent))
    return blocks


def _one_item_per_line(lines: list[str]) -> bool:
    """Each line starts as an item does (capital, digit, quote, URL) and none is a sentence's wrapped
    continuation; hard-wrapped prose starts most lines in lower case, wire copy in capitals is prose."""
    letters = "".join(ch for ch in "".join(lines) if ch.isalpha())
    if letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.6:
        return False
    starts = [ln.lstrip()[:1] for ln in lines]
    itemish = sum(1 for s in starts if s.isupper() or s.isdigit() or s in "\"“@[(-*•h")
    return itemish == len(lines)


# ---------------------------------------------------------------- features of one block

def _words(text: str) -> int:
    return len(text.split())


def citation_score(text: str) -> int:
    """Sum of the citation cues' weights; prose that reports (a verb of reporting outside quotes) is
    not a citation, and a block that is only a URL is one."""
    c = cues()
    if _URL_ONLY.match(text):
        return c.thresholds["citation_strong"]
    score = sum(weight for pattern, weight in c.citation if pattern.search(text))
    unquoted = _QUOTED.sub(" ", text)
    if _any(c.reporting, unquoted) and not re.search(r"https?://|\b(accessed|retrieved)\b", text, re.IGNORECASE):
        score -= 3
    if _words(text) > 80:
        score -= 2
    return score


def comment_cue_count(text: str) -> int:
    """How many of the reader's-voice cues the block shows, outside quoted speech."""
    unquoted = _QUOTED.sub(" ", text)
    return sum(1 for p in cues().comment if p.search(unquoted))


def is_headline(text: str) -> bool:
    """A short line shaped as a headline: few words, starts with a capital or digit, no final period,
    and not a date or a bare URL."""
    stripped = _MARKER.sub("", text).strip()
    words = _WORD.findall(stripped)
    if not 3 <= len(words) <= cues().thresholds["headline_max_words"] or "\n" in stripped.strip():
        return False
    if stripped[-1:] in ".;,:!" or re.search(r"https?://", stripped):
        return False
    capital = [w for w in words if w.lower() not in _STOP]
    return stripped[:1].isupper() or stripped[:1].isdigit() or bool(capital and capital[0][0].isupper())


def local_label(block: Block) -> str | None:
    """A label the block earns on its own, wherever it stands: chrome, caption, byline, related."""
    c = cues()
    text = block.text.strip()
    words = _words(text)
    if _any(c.comment_form, text) and words <= c.thresholds["chrome_max_words"]:
        return "chrome"
    if _any(c.caption, text) and words <= 60:
        return "caption"
    if words <= 30 and _any(c.byline, text):
        return "byline"
    if words <= c.thresholds["chrome_max_words"] and _any(c.chrome, text):
        return "chrome"
    if words <= c.thresholds["headline_max_words"] + 4 and _any(c.related_prefix, text):
        return "related"
    return None


def commenter_name(block: Block) -> str | None:
    """The name a comment turn opens or closes with ("3. Lena Park", "Omar: ...", "— Maria Lopez")."""
    for pattern in (_SIGN_OFF_NAME, _NAME_PREFIX):
        match = pattern.match(block.text)
        if match and match.group("name").split()[0].lower() not in _STOP:
            return match.group("name").split()[0]
    return None


# ---------------------------------------------------------------- the sequence

def classify(blocks: list[Block], form_before: set[int] | None = None) -> list[str]:
    """A section name per block ("body" for the article's own text); see the module docstring.

    `form_before` holds indexes of blocks that a (dropped) comment form stood just before.
    """
    labels = ["body"] * len(blocks)
    if len(blocks) < 2:
        return labels
    local = [local_label(b) for b in blocks]
    for i, name in enumerate(local):
        if name:
            labels[i] = name
    _mark_references(blocks, labels)
    _mark_related(blocks, labels)  # a list at the very end, after any thread
    _mark_comments(blocks, labels, form_before or set())
    _mark_related(blocks, labels)  # a list between the article and the thread
    return labels


def _mark_references(blocks: list[Block], labels: list[str]) -> None:
    """Runs of citation-shaped blocks: two or more at the citation threshold, or one strong one at
    the end of the text; a weaker item ("Ibid.", a press release with its date) joins a run."""
    t = cues().thresholds
    weak = max(1, t["citation_block"] - 1)
    scores = [citation_score(b.text) if labels[i] == "body" and i > 0 else 0 for i, b in enumerate(blocks)]
    i = 0
    while i < len(blocks):
        if scores[i] < weak:
            i += 1
            continue
        j = i
        while j + 1 < len(blocks) and (scores[j + 1] >= weak or labels[j + 1] == "chrome"):
            j += 1
        run = [k for k in range(i, j + 1) if scores[k] >= weak]
        strong = [k for k in run if scores[k] >= t["citation_block"]]
        tail = all(labels[k] != "body" for k in range(j + 1, len(blocks)))
        if len(strong) >= 2 or (strong and tail and (len(run) >= 2 or scores[strong[0]] >= t["citation_strong"])):
            for k in run:
                labels[k] = "reference"
        i = j + 1


def _turn_start(blocks: list[Block], i: int) -> bool:
    c = cues()
    block = blocks[i]
    if _any(c.sign_off, block.text):
        return False  # a sign-off ends a turn ("— Name, City" starts with a dash, not a bullet)
    if block.marker is not None or _any(c.comment_header, block.text) or block.text.lstrip().startswith("@"):
        return True
    if i > 0 and _any(c.sign_off, blocks[i - 1].text):
        return True
    return bool(re.match(r"^\s*[A-Z][\w'’.-]+(\s+[A-Z][\w'’.-]+)?:\s+\S", block.text))


def _turns(blocks: list[Block], start: int, stop: int) -> list[list[int]]:
    turns: list[list[int]] = []
    for i in range(start, stop):
        if not turns or _turn_start(blocks, i):
            turns.append([i])
        else:
            turns[-1].append(i)
    return turns


def _cued(blocks: list[Block], turn: list[int], names: set[str]) -> bool:
    c = cues()
    text = "\n".join(blocks[i].text for i in turn)
    if comment_cue_count(text) or any(_any(c.sign_off, blocks[i].text) or _any(c.comment_header, blocks[i].text)
                                      for i in turn):
        return True
    unquoted = _QUOTED.sub(" ", text)
    return any(re.search(rf"\b{re.escape(n)}\b", unquoted) for n in names)


def _is_thread(blocks: list[Block], start: int, stop: int) -> bool:
    """Whether blocks[start:stop] read as reader turns: at least two, the first and most of them in
    the reader's voice (second person, vocatives, names of earlier commenters, sign-offs, headers)."""
    turns = _turns(blocks, start, stop)
    if len(turns) < 2 or sum(bool(_SPEAKER.match(blocks[t[0]].text)) for t in turns) * 2 >= len(turns):
        return False  # a transcript or interview ("HOST:", "Q:"): its turns are the article itself
    names: set[str] = set()
    cued = []
    for turn in turns:
        cued.append(_cued(blocks, turn, names))
        name = commenter_name(blocks[turn[0]]) or commenter_name(blocks[turn[-1]])
        if name:
            names.add(name)
    need = cues().thresholds["comment_min_cued"]
    return cued[0] and sum(cued) >= need and sum(cued) * 2 >= len(turns)


def _mark_comments(blocks: list[Block], labels: list[str], form_before: set[int]) -> None:
    """The reader comments: from a comment form with text after it, or from the earliest turn start
    whose blocks to the end read as a thread; every body block from there on is a comment."""
    stop = len(blocks)
    while stop > 0 and labels[stop - 1] != "body":
        stop -= 1  # references, related lists and chrome at the very end are not part of the thread
    start = None
    forms = sorted(form_before | {i + 1 for i, b in enumerate(blocks) if _any(cues().comment_form, b.text)})
    for f in forms:
        if 1 <= f < stop and any(labels[k] == "body" for k in range(f, stop)):
            start = f
            break
    for i in range(1, stop):
        if start is not None and i >= start:
            break
        prose_before = sum(1 for k in range(i) if labels[k] == "body" and _words(blocks[k].text) >= 12)
        if prose_before < 2:
            continue  # comments follow an article: at least two paragraphs of it come first
        if labels[i] == "body" and _turn_start(blocks, i) and _is_thread(blocks, i, stop):
            start = _back_to_first_letter(blocks, labels, i)
            break
    if start is None:
        return
    for k in range(start, len(blocks)):
        if labels[k] == "body":
            labels[k] = "comment"


def _back_to_first_letter(blocks: list[Block], labels: list[str], i: int) -> int:
    """A thread whose turns end with sign-offs starts before its first turn start: walk back over
    the first reader's paragraphs (in the reader's voice) to the article's last paragraph."""
    if i == 0 or not _any(cues().sign_off, blocks[i - 1].text):
        return i
    k = i - 1
    while k - 1 >= 1 and labels[k - 1] == "body" and not _any(cues().sign_off, blocks[k - 1].text) and (
            comment_cue_count(blocks[k - 1].text) or _FIRST_PERSON.search(blocks[k - 1].text)):
        k -= 1
    return k


def _mark_related(blocks: list[Block], labels: list[str]) -> None:
    """A run of headline-shaped lines with no article text after it: a related-article list (each
    headline's time stamp, "2 hours ago", goes with it)."""
    need = cues().thresholds["related_min_run"]

    def stamp(k: int) -> bool:
        return labels[k] == "body" and _any(cues().timestamp, blocks[k].text)

    i = 0
    while i < len(blocks):
        if not (labels[i] in ("body", "related") and is_headline(blocks[i].text)) or i == 0:
            i += 1
            continue
        j = i
        while j + 1 < len(blocks) and (labels[j + 1] in ("body", "related", "chrome") and
                                       (is_headline(blocks[j + 1].text) or labels[j + 1] != "body"
                                        or stamp(j + 1))):
            j += 1
        stamps = [k for k in range(i, j + 1) if stamp(k)]
        run = [k for k in range(i, j + 1) if labels[k] in ("body", "related") and k not in stamps]
        after_body = any(labels[k] == "body" for k in range(j + 1, len(blocks)))
        if len(run) >= need and not after_body:
            for k in run + stamps:
                labels[k] = "related"
        i = j + 1
