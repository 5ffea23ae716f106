"""Name folding for the gazetteer: one key per spelling, plus a looser key for transliterations.

News writes one Arabic, Pashto or Russian name many ways (Deraa/Daraa/Dar'a, Kafranbel/Kafr
Nabl, Lattakia/Latakia, Moadamiyeh). Exact look-up uses the folded name (no diacritics,
apostrophes, hyphens or case). The looser `skeleton` drops vowels, spaces and doubled letters
and merges consonants transliterations disagree on (q/k, ph/f, ou/u, dh/d); a skeleton match
is only a candidate, accepted when the folded strings are also close (`similarity`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02bf\u02be`'\u00b4]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
ARTICLES = ("al ", "el ", "ar ", "as ", "ad ", "an ", "az ", "at ", "ash ", "ath ", "adh ", "ed ", "es ", "et ")
_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("ph", "f"), ("dh", "d"), ("th", "t"), ("sh", "s"), ("ch", "s"),
             ("zh", "j"), ("q", "k"), ("c", "k"), ("x", "ks"), ("z", "s"), ("v", "f"), ("w", "u"))


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Fold a place name for look-up: no diacritics, apostrophes or hyphens, lower case.

    Cached: place resolution folds the same few names of a document hundreds of thousands of
    times (every toponym against every other, per round), and the fold is a pure function."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d").replace("ß", "ss")
    text = _APOSTROPHES.sub("", text.lower())
    return _NON_WORD.sub(" ", text).strip()


def name_variants(name: str) -> set[str]:
    """The folded name plus the form without an Arabic article ("al-Bab" -> "bab")."""
    norm = normalize(name)
    variants = {norm} if norm else set()
    for article in ARTICLES:
        if norm.startswith(article) and len(norm) > len(article) + 2:
            variants.add(norm[len(article) :])
    return variants


def skeleton(norm: str) -> str:
    """A transliteration-blind key: "kafranbel" and "kafr nabl" -> "kfrnbl", "deraa"/"daraa" -> "dr".

    The first letter is kept (a leading vowel tells "Idlib" from "Dalab"); later vowels, y and
    h, spaces and doubled letters go.
    """
    text = norm.replace(" ", "")
    if not text:
        return ""
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    head, tail = text[0], re.sub(r"[aeiouyh]", "", text[1:])
    out = head
    for ch in tail:
        if ch != out[-1]:
            out += ch
    return out


def similarity(a: str, b: str) -> float:
    """0-100: how alike two folded names are once spaces are ignored ("kafr nabl" ~ "kafranbel")."""
    return float(fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))
