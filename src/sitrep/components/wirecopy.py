"""Wire copy as the parser should read it: hard-wrapped lines joined, capitals truecased.

Agency copy of the 1990s (and many e-mailed bulletins) arrives ALL CAPS and hard-wrapped at about
72 columns. The parser then starts a sentence at every line end (`paragraph_breaks` treats each
newline as a break) and reads "IS" and "WHO" as names. `parse_text` returns a copy of the text for
the parser only, of exactly the same length: a wrapping newline becomes a space and capitals get
their usual case, so every character offset (evidence spans, mentions) still points into the
original text, which is what the document keeps and shows.
"""

from __future__ import annotations

import re

from sitrep.components.truecase import get_truecaser

# a wrapped block: lines mostly within this many columns of the widest line
WRAP_SLACK = 15
MIN_WIDTH, MAX_WIDTH = 30, 110  # a paragraph-per-line text is wider than any wire width
MIN_FULL_SHARE = 0.5  # share of continued lines that come close to the width
MAX_OVERHANG = 8  # no line of wrapped text runs far past the width
MAX_STOP_SHARE = 0.5  # wrapped prose mostly breaks mid-sentence; one sentence a line does not
STOP = (".", "!", "?", ":", '"', "\u201d")
LIST_ITEM = re.compile(r"\s*(?:[-*\u2022\u2013>]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s")
COLUMNS = re.compile(r"\S(?: {3,}|\t)\S")  # aligned columns: a table, not prose
UPPER_SHARE = 0.8  # a block is "in capitals" above this share of upper-case letters
MIN_LETTERS = 20


def _width(lengths: list[int]) -> int:
    """The wrap width: the 90th percentile of line lengths (one over-long line does not set it)."""
    ordered = sorted(lengths)
    return ordered[int(0.9 * (len(ordered) - 1))]


def join_hard_wraps(text: str) -> str:
    """Turn the newlines that wrap a line inside a paragraph into spaces; keep every other break.

    Detected by structure, not by words: the text's lines cluster under one width (none runs far
    past it) and most continued lines end mid-sentence, not at a full stop; then a newline
    is a wrap only when the previous line comes near that width or the next line's first word
    would not have fitted on it (a wrapper would have had to break there). Blank lines, indented
    next lines (a new paragraph in wire copy), list items and column-aligned rows stay breaks, so
    a verse-like list, a headline or a table is never joined.
    """
    if "\n" not in text:
        return text
    lines = text.split("\n")
    lengths = [len(line.rstrip()) for line in lines if line.strip()]
    if len(lengths) < 3:
        return text
    width = _width(lengths)
    if not MIN_WIDTH <= width <= MAX_WIDTH or max(lengths) > width + MAX_OVERHANG:
        return text
    pairs = [(a, b) for a, b in zip(lines, lines[1:], strict=False) if a.strip() and b.strip()]
    if len(pairs) < 2:
        return text
    full = sum(1 for a, _ in pairs if len(a.rstrip()) >= width - WRAP_SLACK)
    stops = sum(1 for a, _ in pairs if a.rstrip().endswith(STOP))
    if full / len(pairs) < MIN_FULL_SHARE or stops / len(pairs) > MAX_STOP_SHARE:
        return text
    out = list(text)
    pos = 0
    for a, b in zip(lines, lines[1:], strict=False):
        newline = pos + len(a)
        pos = newline + 1
        if _wraps(a, b, width):
            out[newline] = " "
            if a.endswith("\r"):
                out[newline - 1] = " "
    return "".join(out)


def _wraps(line: str, following: str, width: int) -> bool:
    """Whether the newline between two lines wraps one paragraph's text."""
    if not line.strip() or not following.strip() or following[:1].isspace():
        return False
    if LIST_ITEM.match(following) or COLUMNS.search(line.strip()) or COLUMNS.search(following.strip()):
        return False
    used = len(line.rstrip())
    first_word = len(following.split(None, 1)[0])
    return used >= width - WRAP_SLACK or used + 1 + first_word > width


BLOCK = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")  # text between blank lines


def is_capitals(text: str) -> bool:
    """Mostly upper-case letters (and enough of them to tell)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= UPPER_SHARE


def truecase_capitals(text: str) -> str:
    """Truecase each paragraph written in capitals; mixed-case paragraphs are returned untouched."""
    if not any(c.isupper() for c in text):
        return text
    truecaser = None
    out: list[str] = []
    last = 0
    for block in BLOCK.finditer(text):
        if not is_capitals(block.group()):
            continue
        truecaser = truecaser or get_truecaser()
        out += [text[last : block.start()], truecaser.truecase(block.group())]
        last = block.end()
    if truecaser is None:
        return text
    out.append(text[last:])
    result = "".join(out)
    assert len(result) == len(text)  # offsets into the original text must hold
    return result


def parse_text(text: str) -> str:
    """The text the parser reads: wraps joined, capitals truecased, same length as `text`."""
    return truecase_capitals(join_hard_wraps(text))
