"""Revised copies: a near-duplicate that reports other figures keeps its events.

A syndicated copy of a stored article is normally kept as a link only (its events would repeat
the original's). But wire copy is re-sent as the toll rises ("killed 7" at noon, "killed 11" in
the evening, the rest of the story unchanged), and MinHash sees the two as the same text. Linking
the second would lose the revised figure, which is what the incident layer reconciles (a later,
higher toll). So a near-duplicate whose numbers differ from its original's goes through the
pipeline; when its events give a figure the original's do not, it is stored with those events and
marked `revision_of` the original.

Hand-written: a comparison of two documents' figures is not what any library offers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sitrep.components.figures import WORD_NUMBERS
from sitrep.record import FIGURE_KINDS

# the figures stage's number words ("seven", "dozens", "hundred"), longest first
_WORDS = sorted((*WORD_NUMBERS, "dozens", "hundreds", "thousands", "scores"), key=len, reverse=True)
_NUMBER = re.compile(r"\d[\d,.]*|\b(?:" + "|".join(map(re.escape, _WORDS)) + r")\b", re.IGNORECASE)


def numbers(text: str) -> Counter[str]:
    """The number tokens of a text (digits and number words), folded: cheap evidence of new figures."""
    return Counter(m.group(0).casefold().rstrip(".,") for m in _NUMBER.finditer(text or ""))


def may_revise(text: str, original_text: str | None) -> bool:
    """Whether a near-copy says other numbers than its original (then it is worth extracting)."""
    return original_text is not None and numbers(text) != numbers(original_text)


def figure_values(records: Iterable[dict[str, Any]]) -> set[tuple[str, int]]:
    """(kind, best) of every figure the records report."""
    out = set()
    for record in records:
        for kind in FIGURE_KINDS:
            figure = (record.get("figures") or {}).get(kind) or {}
            if figure.get("best") is not None:
                out.add((kind, int(figure["best"])))
    return out


def revises(records: list[dict[str, Any]], original_records: list[dict[str, Any]]) -> bool:
    """Whether the copy's events report a figure its original's events do not."""
    return bool(figure_values(records) - figure_values(original_records))
