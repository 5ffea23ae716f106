"""Near-duplicate detection: MinHash signatures of word shingles, with LSH bands.

Wire copy is syndicated: the same report appears under other headlines, trimmed, with a line
added. Counting its events once per copy would double-count the war, so a copy whose words
are mostly those of a stored document is linked to it (`duplicate_of`) instead of extracted
again. MinHash estimates the Jaccard similarity of two shingle sets from 64 numbers each;
banding (32 bands of 2 rows) finds the candidates without comparing every pair.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

SHINGLE = 5  # words per shingle
PERMUTATIONS = 64
BANDS = 32
ROWS = PERMUTATIONS // BANDS
MIN_SHINGLES = 40  # shorter texts (under ~45 words) are too short to call copies: briefs share templates
THRESHOLD = 0.8  # containment of the smaller text in the larger needed to link them
MAX_WORDS = 20_000  # a copy is recognised from its first 20,000 words
_PRIME = np.uint64((1 << 61) - 1)
_MASK = np.uint64((1 << 32) - 1)
_rng = np.random.default_rng(20160208)
_A = _rng.integers(1, (1 << 32) - 1, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 32) - 1, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Signature:
    """A text's MinHash signature and its number of distinct shingles."""

    values: tuple[int, ...]
    shingles: int

    def bands(self) -> list[int]:
        """One 63-bit bucket id per band (rows hashed together, prefixed with the band number)."""
        out = []
        for band in range(BANDS):
            rows = self.values[band * ROWS : (band + 1) * ROWS]
            digest = hashlib.blake2b(repr((band, rows)).encode(), digest_size=8).digest()
            out.append(int.from_bytes(digest, "big") >> 1)
        return out

    def jaccard(self, other: Signature) -> float:
        same = sum(a == b for a, b in zip(self.values, other.values, strict=True))
        return same / PERMUTATIONS

    def containment(self, other: Signature) -> float:
        """Estimated share of the smaller text's shingles found in the larger one."""
        j = self.jaccard(other)
        small = min(self.shingles, other.shingles)
        if small == 0:
            return 0.0
        return min(1.0, j * (self.shingles + other.shingles) / ((1 + j) * small))


def signature(text: str) -> Signature | None:
    """The MinHash signature of `text`, or None when it is too short to compare."""
    words = _WORD.findall(text.casefold())[:MAX_WORDS]
    if len(words) < SHINGLE:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    if len(shingles) < MIN_SHINGLES:
        return None
    hashed = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "big") for s in shingles),
        dtype=np.uint64, count=len(shingles),
    )
    with np.errstate(over="ignore"):
        table = (np.outer(hashed, _A) + _B) % _PRIME & _MASK
    values = table.min(axis=0)
    return Signature(tuple(int(v) for v in values), len(shingles))
